/* Curses start and restore, signal self-pipe, fatal-signal handling. Modelled on the idea
 * of htop's CRT layer: the terminal is restored on every way out. */
#include "term.h"

#include "common/log.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t curses_on;
static int saved_stderr = -1;

/* Async-signal-safe: note the signal in the self-pipe. */
static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

static volatile sig_atomic_t paste_on;

/* Write the bracketed-paste request straight to the terminal (safe in a signal handler). */
static void paste_request(bool on)
{
	static const char set[] = "\033[?2004h", reset[] = "\033[?2004l";
	ssize_t w = on ? write(STDOUT_FILENO, set, sizeof set - 1)
				   : write(STDOUT_FILENO, reset, sizeof reset - 1);
	(void)w;
}

void term_paste_mode(bool on)
{
	if (!curses_on || (bool)paste_on == on)
		return;
	fflush(stdout);
	paste_request(on);
	paste_on = on;
}

/* A fatal signal: give the terminal back, then die as the signal asks. */
static void on_fatal(int sig)
{
	if (curses_on) {
		if (paste_on)
			paste_request(false);
		endwin();
		curses_on = 0;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Ctrl-S and Ctrl-Q are keys of zorgterm (Ctrl-S sends a form), not XOFF/XON: with the
 * terminal's flow control on, Ctrl-S would freeze all output until Ctrl-Q. endwin() restores
 * the shell's own setting; def_prog_mode() makes curses keep this one across suspends. */
static void no_flow_control(void)
{
	struct termios t;
	if (tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		def_prog_mode();
}

void term_restore(void)
{
	if (!curses_on)
		return;
	if (paste_on)
		paste_request(false);
	curs_set(1);
	endwin();
	curses_on = 0;
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

bool term_start(int log_fd)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return false;
	if (pipe(sig_pipe) != 0)
		return false;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	/* Ctrl-Z too: suspending from the loop (not from a handler) restores the terminal at a
	 * calm moment; curses' own handler stays out of it. */
	int evs[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGCONT, SIGTSTP};
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		sigaction(evs[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (!initscr())
		return false;
	curses_on = 1;
	atexit(term_restore);
	if (log_fd >= 0) {
		saved_stderr = dup(STDERR_FILENO);
		dup2(log_fd, STDERR_FILENO);
	}
	/* cbreak keeps the terminal's signal keys: Ctrl-C stops cleanly through the self-pipe,
	 * Ctrl-Z suspends through curses' own handler. */
	cbreak();
	no_flow_control();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	idlok(stdscr, TRUE);
	idcok(stdscr, TRUE);
	leaveok(stdscr, FALSE);
	/* Pair 0 stays the terminal's own colours, so uncoloured text never gets painted
	 * white-on-black (and NO_COLOR really means no colour). */
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	return true;
}

int term_signal_fd(void)
{
	return sig_pipe[0];
}

unsigned term_take_signals(void)
{
	unsigned ev = 0;
	unsigned char buf[64];
	ssize_t n;
	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGWINCH:
				ev |= TERM_EV_RESIZE;
				break;
			case SIGCONT:
				ev |= TERM_EV_CONT | TERM_EV_RESIZE;
				break;
			case SIGTSTP:
				ev |= TERM_EV_SUSPEND;
				break;
			default:
				ev |= TERM_EV_STOP;
				break;
			}
		}
	}
	return ev;
}

void term_suspend(void)
{
	if (!curses_on)
		return;
	if (paste_on)
		paste_request(false);
	endwin();
	struct sigaction dfl, ours;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &ours);
	raise(SIGTSTP); /* stops here until SIGCONT */
	sigaction(SIGTSTP, &ours, NULL);
	refresh();
	if (paste_on)
		paste_request(true);
	term_resize();
}

void term_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}
