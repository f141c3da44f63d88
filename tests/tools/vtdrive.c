/*
 * vtdrive: run a program in a pseudo-terminal read by a real terminal emulator
 * (libvterm), and let a test drive it through a line protocol on stdin/stdout.
 *
 * Usage: vtdrive [--cols N] [--rows N] [--term NAME] [--no-jobctl] -- COMMAND [ARGS...]
 *
 * The command runs with TERM=NAME (default xterm-256color), COLUMNS/LINES
 * unset, and LANG/LC_ALL=C.UTF-8 when neither is set. By default it runs the
 * way a shell runs a job: a small session leader forks it into its own
 * foreground process group, so SIGTSTP really stops it (a session leader's
 * own group is orphaned and the kernel discards its SIGTSTP). --no-jobctl
 * execs the command directly as the session leader instead.
 *
 * Protocol: one command per line on stdin; one reply per command on stdout,
 * ending with a line "."; a reply line that starts with "." gets an extra "."
 * in front (dot-stuffing, as SMTP), so a client strips one leading "." from
 * every line but the final one. Errors reply "ERR message".
 *
 *   keys TEXT            send keys; escapes \e \r \n \t \xHH \\ \< and named
 *                        keys <up> <down> <left> <right> <home> <end> <pgup>
 *                        <pgdn> <ins> <del> <bs> <enter> <esc> <tab> <space>
 *                        <f1>..<f12>, with prefixes c- s- a- (m-): <c-a>,
 *                        <s-tab>, <a-x>, <c-up>. Named keys are encoded by
 *                        libvterm from the terminal's current modes (DECCKM).
 *   wait MS TEXT         until TEXT is on a screen row: OK | TIMEOUT + screen
 *   waitgone MS TEXT     until TEXT is on no screen row: OK | TIMEOUT + screen
 *   idle QUIET_MS MS     until the child wrote nothing for QUIET_MS: OK | TIMEOUT
 *   screen               every row, trailing spaces trimmed
 *   find TEXT            "row col" (cells, 0-based) of the first occurrence, or NOTFOUND
 *   attrs ROW COL        "fg=.. bg=.. bold=.. underline=.. italic=.. blink=..
 *                        reverse=.. strike=.. width=.. char=U+XXXX"; colours
 *                        are a palette index, #rrggbb, or default
 *   cursor               "row col"
 *   resize COLS ROWS     resize the pty and the emulator; SIGWINCH reaches the child
 *   signal NAME|NUM      send a signal to the command's pid
 *   exit MS              EXITED code | SIGNALED sig | TIMEOUT
 *   modes                "altscreen=0 cursor=1 appcursor=0 keypad=0 mouse=0 reverse=0"
 *   raw                  "bytes N": bytes read from the child since the last raw
 *   quit                 OK, then hang up the terminal and end
 *
 * The child's output is read continuously; after it ends (EOF/EIO) the final
 * screen keeps being served. No sleeps: every wait is poll() with a deadline.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

/* ---- growable byte buffer -------------------------------------------------------- */

typedef struct {
	char *p;
	size_t len, cap;
} Buf;

static void die(const char *what)
{
	fprintf(stderr, "vtdrive: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void buf_reserve(Buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		die("out of memory");
	b->p = p;
	b->cap = cap;
}

static void buf_add(Buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_addc(Buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_consume(Buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->p, b->p + n, b->len - n);
		b->len -= n;
	}
	if (b->p)
		b->p[b->len] = '\0';
}

static void buf_free(Buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- global state ------------------------------------------------------------------ */

static struct {
	VTerm *vt;
	VTermScreen *screen;
	VTermState *state;
	int rows, cols;
	int master;        /* pty master, -1 once closed */
	bool pty_eof;      /* the child's side of the pty is gone */
	pid_t child;       /* our direct child, the session leader */
	pid_t job;         /* the command itself (== child with --no-jobctl) */
	bool reaped;
	int status;
	Buf tx;            /* bytes waiting to be written to the child */
	Buf capture;       /* libvterm output while capturing is set */
	bool capturing;
	Buf in;            /* our stdin, not yet complete lines */
	bool stdin_eof;
	bool quit;
	int sigpipe[2];    /* SIGCHLD self-pipe */
	bool altscreen, cursor_visible, reverse;
	int mouse;
	unsigned long long raw_count;
	unsigned long long output_seq; /* grows with every chunk read */
	long long last_output_ms;
} g = { .master = -1, .sigpipe = { -1, -1 }, .cursor_visible = true };

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(long long deadline)
{
	long long r = deadline - now_ms();
	if (r < 0)
		return 0;
	if (r > INT_MAX)
		return INT_MAX;
	return (int)r;
}

/* ---- libvterm callbacks ---------------------------------------------------------------- */

static void on_output(const char *s, size_t len, void *user)
{
	(void)user;
	buf_add(g.capturing ? &g.capture : &g.tx, s, len);
}

static int on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	(void)user;
	switch (prop) {
	case VTERM_PROP_ALTSCREEN:
		g.altscreen = val->boolean;
		break;
	case VTERM_PROP_CURSORVISIBLE:
		g.cursor_visible = val->boolean;
		break;
	case VTERM_PROP_REVERSE:
		g.reverse = val->boolean;
		break;
	case VTERM_PROP_MOUSE:
		g.mouse = val->number;
		break;
	default:
		break;
	}
	return 1; /* accept: libvterm stores the property only if we do */
}

static const VTermScreenCallbacks screen_callbacks = {
	.settermprop = on_settermprop,
};

/* ---- pty I/O --------------------------------------------------------------------------- */

static void sigchld_handler(int sig)
{
	(void)sig;
	int saved = errno;
	ssize_t r = write(g.sigpipe[1], "c", 1);
	(void)r;
	errno = saved;
}

static void reap(void)
{
	char b[64];
	while (read(g.sigpipe[0], b, sizeof b) > 0) {
	}
	if (g.reaped || g.child <= 0)
		return;
	int st;
	pid_t r = waitpid(g.child, &st, WNOHANG);
	if (r == g.child) {
		g.reaped = true;
		g.status = st;
	}
}

static void read_pty(void)
{
	char buf[16384];
	for (int i = 0; i < 64 && !g.pty_eof; i++) {
		ssize_t n = read(g.master, buf, sizeof buf);
		if (n > 0) {
			g.raw_count += (unsigned long long)n;
			g.output_seq++;
			g.last_output_ms = now_ms();
			vterm_input_write(g.vt, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		g.pty_eof = true; /* 0 or EIO: every slave fd is closed */
		g.tx.len = 0;
	}
}

static void write_pty(void)
{
	while (g.tx.len > 0 && !g.pty_eof) {
		ssize_t n = write(g.master, g.tx.p, g.tx.len);
		if (n > 0) {
			buf_consume(&g.tx, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		g.tx.len = 0; /* the child's side is gone: drop its input */
		break;
	}
}

/*
 * Wait up to timeout_ms (-1: forever) for something to happen and handle it:
 * child output goes into libvterm, pending input to the child is written,
 * SIGCHLD is reaped. Returns true when our stdin is readable (only watched
 * when watch_stdin is set).
 */
static bool io_poll(int timeout_ms, bool watch_stdin)
{
	struct pollfd fds[3];
	short ev = 0;
	if (g.master >= 0 && !g.pty_eof) {
		ev = POLLIN;
		if (g.tx.len > 0)
			ev |= POLLOUT;
	}
	fds[0] = (struct pollfd){ .fd = g.sigpipe[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = ev ? g.master : -1, .events = ev };
	fds[2] = (struct pollfd){ .fd = (watch_stdin && !g.stdin_eof) ? STDIN_FILENO : -1,
		                  .events = POLLIN };
	int r = poll(fds, 3, timeout_ms);
	if (r < 0) {
		if (errno == EINTR)
			return false;
		die("poll");
	}
	if (fds[0].revents)
		reap();
	if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
		read_pty();
	if (fds[1].revents & POLLOUT)
		write_pty();
	return fds[2].revents != 0;
}

/* Take in whatever the child has already written, without waiting. */
static void drain(void)
{
	write_pty();
	for (int i = 0; i < 64; i++) {
		unsigned long long before = g.output_seq;
		io_poll(0, false);
		if (g.output_seq == before)
			break;
	}
}

/* Write every queued byte to the child (reading its output meanwhile). */
static bool flush_tx(int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	write_pty();
	while (g.tx.len > 0 && !g.pty_eof) {
		int rem = remaining_ms(deadline);
		if (rem == 0)
			return false;
		io_poll(rem, false);
	}
	return true;
}

/* ---- screen text ------------------------------------------------------------------------- */

static void utf8_put(Buf *b, uint32_t c)
{
	char s[4];
	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		buf_add(b, s, 2);
	} else if (c < 0x10000) {
		if (c >= 0xD800 && c <= 0xDFFF)
			c = 0xFFFD;
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		buf_add(b, s, 3);
	} else if (c < 0x110000) {
		s[0] = (char)(0xF0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		buf_add(b, s, 4);
	} else {
		utf8_put(b, 0xFFFD);
	}
}

/*
 * Render one row as UTF-8 into out (replacing its contents), trailing spaces
 * trimmed. A wide character is printed once. If colof is set it receives, for
 * every byte of the text, the screen column of the cell the byte comes from
 * (it must hold cols * 4 * VTERM_MAX_CHARS_PER_CELL ints).
 */
static void render_row(int row, Buf *out, int *colof)
{
	out->len = 0;
	buf_reserve(out, 0);
	out->p[0] = '\0';
	for (int col = 0; col < g.cols;) {
		VTermScreenCell cell;
		VTermPos pos = { .row = row, .col = col };
		int width = 1;
		size_t start = out->len;
		if (!vterm_screen_get_cell(g.screen, pos, &cell)) {
			buf_addc(out, ' ');
		} else if (cell.chars[0] == (uint32_t)-1) {
			/* the right half of a wide character: already printed */
		} else if (cell.chars[0] == 0) {
			buf_addc(out, ' ');
		} else {
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
				utf8_put(out, cell.chars[i]);
			if (cell.width > 1)
				width = cell.width;
		}
		if (colof)
			for (size_t k = start; k < out->len; k++)
				colof[k] = col;
		col += width;
	}
	while (out->len > 0 && out->p[out->len - 1] == ' ')
		out->len--;
	out->p[out->len] = '\0';
}

/* Find text on the screen: true with its cell position, or false. */
static bool screen_find(const char *text, int *frow, int *fcol)
{
	Buf line = { 0 };
	int *colof = malloc(sizeof(int) * (size_t)g.cols * 4 * VTERM_MAX_CHARS_PER_CELL + sizeof(int));
	if (!colof)
		die("out of memory");
	bool found = false;
	for (int row = 0; row < g.rows && !found; row++) {
		render_row(row, &line, colof);
		const char *hit = strstr(line.p, text);
		if (hit) {
			found = true;
			if (frow)
				*frow = row;
			if (fcol)
				*fcol = colof[hit - line.p];
		}
	}
	free(colof);
	buf_free(&line);
	return found;
}

/* ---- replies ------------------------------------------------------------------------------ */

static void reply_line(const char *s)
{
	if (s[0] == '.')
		fputc('.', stdout);
	fputs(s, stdout);
	fputc('\n', stdout);
}

static void reply_end(void)
{
	fputs(".\n", stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		g.quit = true; /* our client is gone */
}

static void reply_ok(void)
{
	reply_line("OK");
	reply_end();
}

static void reply_err(const char *msg)
{
	fputs("ERR ", stdout);
	fputs(msg, stdout);
	fputc('\n', stdout);
	reply_end();
}

static void reply_screen_rows(void)
{
	Buf line = { 0 };
	for (int row = 0; row < g.rows; row++) {
		render_row(row, &line, NULL);
		reply_line(line.p);
	}
	buf_free(&line);
}

/* ---- argument parsing ---------------------------------------------------------------------- */

/* Parse a non-negative int at *s, advance past it and one space. */
static bool take_int(const char **s, int *out)
{
	const char *p = *s;
	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	char *end;
	long v = strtol(p, &end, 10);
	if (errno || v < 0 || v > INT_MAX || (*end != ' ' && *end != '\0'))
		return false;
	*out = (int)v;
	*s = *end == ' ' ? end + 1 : end;
	return true;
}

/* ---- keys ------------------------------------------------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const struct {
	const char *name;
	VTermKey key;
} named_keys[] = {
	{ "up", VTERM_KEY_UP },         { "down", VTERM_KEY_DOWN },
	{ "left", VTERM_KEY_LEFT },     { "right", VTERM_KEY_RIGHT },
	{ "home", VTERM_KEY_HOME },     { "end", VTERM_KEY_END },
	{ "pgup", VTERM_KEY_PAGEUP },   { "pageup", VTERM_KEY_PAGEUP },
	{ "pgdn", VTERM_KEY_PAGEDOWN }, { "pagedown", VTERM_KEY_PAGEDOWN },
	{ "ins", VTERM_KEY_INS },       { "insert", VTERM_KEY_INS },
	{ "del", VTERM_KEY_DEL },       { "delete", VTERM_KEY_DEL },
	{ "bs", VTERM_KEY_BACKSPACE },  { "backspace", VTERM_KEY_BACKSPACE },
	{ "enter", VTERM_KEY_ENTER },   { "return", VTERM_KEY_ENTER },
	{ "esc", VTERM_KEY_ESCAPE },    { "escape", VTERM_KEY_ESCAPE },
	{ "tab", VTERM_KEY_TAB },
};

/*
 * Encode one <...> key name (without the brackets) into g.capture.
 * Returns false with a message in err for an unknown name.
 */
static bool encode_named(const char *name, char *err, size_t errlen)
{
	int mod = VTERM_MOD_NONE;
	const char *n = name;
	while (n[0] && n[1] == '-' && n[2]) {
		char m = (char)tolower((unsigned char)n[0]);
		if (m == 'c')
			mod |= VTERM_MOD_CTRL;
		else if (m == 's')
			mod |= VTERM_MOD_SHIFT;
		else if (m == 'a' || m == 'm')
			mod |= VTERM_MOD_ALT;
		else
			break;
		n += 2;
	}
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
		if (strcasecmp(n, named_keys[i].name) == 0) {
			vterm_keyboard_key(g.vt, named_keys[i].key, (VTermModifier)mod);
			return true;
		}
	}
	if ((n[0] == 'f' || n[0] == 'F') && isdigit((unsigned char)n[1])) {
		char *end;
		long f = strtol(n + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 24) {
			vterm_keyboard_key(g.vt, VTERM_KEY_FUNCTION((int)f), (VTermModifier)mod);
			return true;
		}
	}
	if (strcasecmp(n, "space") == 0) {
		if (mod & VTERM_MOD_ALT)
			buf_addc(&g.capture, '\033');
		buf_addc(&g.capture, (mod & VTERM_MOD_CTRL) ? '\0' : ' ');
		return true;
	}
	if (n[0] && !n[1] && (unsigned char)n[0] > ' ' && (unsigned char)n[0] < 0x7f &&
	    mod != VTERM_MOD_NONE && !(mod & VTERM_MOD_SHIFT)) {
		/* <c-x> <a-x> <c-a-x>: what xterm sends by default */
		char c = n[0];
		if (mod & VTERM_MOD_CTRL) {
			char u = (char)toupper((unsigned char)c);
			if (u < '@' || u > '_') {
				snprintf(err, errlen, "no control character for <%s>", name);
				return false;
			}
			c = (char)(u & 0x1f);
		}
		if (mod & VTERM_MOD_ALT)
			buf_addc(&g.capture, '\033');
		buf_addc(&g.capture, c);
		return true;
	}
	snprintf(err, errlen, "unknown key <%s>", name);
	return false;
}

/* Translate the keys syntax into bytes for the child, in g.capture. */
static bool encode_keys(const char *s, char *err, size_t errlen)
{
	while (*s) {
		if (*s == '\\') {
			char c = s[1];
			s += 2;
			switch (c) {
			case 'e':
				buf_addc(&g.capture, '\033');
				break;
			case 'r':
				buf_addc(&g.capture, '\r');
				break;
			case 'n':
				buf_addc(&g.capture, '\n');
				break;
			case 't':
				buf_addc(&g.capture, '\t');
				break;
			case '\\':
				buf_addc(&g.capture, '\\');
				break;
			case '<':
				buf_addc(&g.capture, '<');
				break;
			case 'x': {
				int hi = hexval(s[0]), lo = hi >= 0 ? hexval(s[1]) : -1;
				if (hi < 0 || lo < 0) {
					snprintf(err, errlen, "\\x needs two hex digits");
					return false;
				}
				buf_addc(&g.capture, (char)(hi * 16 + lo));
				s += 2;
				break;
			}
			case '\0':
				snprintf(err, errlen, "lone backslash at the end");
				return false;
			default:
				snprintf(err, errlen, "unknown escape \\%c", c);
				return false;
			}
			continue;
		}
		if (*s == '<') {
			/* <name>: letters, digits and '-', or mods then one character */
			size_t n = 1;
			while (s[n] && s[n] != '>' && s[n] != ' ' && s[n] != '<' && n < 40)
				n++;
			if (s[n] == '>' && n > 1) {
				char name[48];
				memcpy(name, s + 1, n - 1);
				name[n - 1] = '\0';
				if (!encode_named(name, err, errlen))
					return false;
				s += n + 1;
				continue;
			}
		}
		buf_addc(&g.capture, *s++);
	}
	return true;
}

/* ---- commands ------------------------------------------------------------------------------------ */

static void cmd_keys(const char *arg)
{
	char err[128];
	if (g.pty_eof) {
		reply_err("the child's terminal is closed");
		return;
	}
	g.capture.len = 0;
	g.capturing = true;
	bool ok = encode_keys(arg, err, sizeof err);
	g.capturing = false;
	if (!ok) {
		reply_err(err);
		return;
	}
	buf_add(&g.tx, g.capture.p ? g.capture.p : "", g.capture.len);
	g.capture.len = 0;
	if (!flush_tx(10000)) {
		reply_err("the child does not read its input");
		return;
	}
	reply_ok();
}

static void cmd_wait(const char *arg, bool gone)
{
	int ms;
	if (!take_int(&arg, &ms) || !*arg) {
		reply_err(gone ? "usage: waitgone <timeout_ms> <text>" : "usage: wait <timeout_ms> <text>");
		return;
	}
	long long deadline = now_ms() + ms;
	drain();
	unsigned long long seen = g.output_seq + 1;
	for (;;) {
		if (seen != g.output_seq) {
			seen = g.output_seq;
			if (screen_find(arg, NULL, NULL) != gone) {
				reply_ok();
				return;
			}
		}
		int rem = remaining_ms(deadline);
		if (rem == 0 || g.pty_eof)
			break; /* after EOF the screen cannot change any more */
		io_poll(rem, false);
	}
	reply_line("TIMEOUT");
	reply_screen_rows();
	reply_end();
}

static void cmd_idle(const char *arg)
{
	int quiet, ms;
	if (!take_int(&arg, &quiet) || !take_int(&arg, &ms) || *arg) {
		reply_err("usage: idle <quiet_ms> <timeout_ms>");
		return;
	}
	long long deadline = now_ms() + ms;
	for (;;) {
		drain();
		long long t = now_ms();
		if (g.pty_eof || t - g.last_output_ms >= quiet) {
			reply_ok();
			return;
		}
		if (t >= deadline)
			break;
		long long wait = g.last_output_ms + quiet - t;
		if (wait > deadline - t)
			wait = deadline - t;
		io_poll((int)wait, false);
	}
	reply_line("TIMEOUT");
	reply_end();
}

static void cmd_screen(void)
{
	drain();
	reply_screen_rows();
	reply_end();
}

static void cmd_find(const char *arg)
{
	if (!*arg) {
		reply_err("usage: find <text>");
		return;
	}
	drain();
	int row, col;
	char out[64];
	if (screen_find(arg, &row, &col)) {
		snprintf(out, sizeof out, "%d %d", row, col);
		reply_line(out);
	} else {
		reply_line("NOTFOUND");
	}
	reply_end();
}

static void color_str(char *out, size_t n, const VTermColor *c, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		snprintf(out, n, "default");
	else if (VTERM_COLOR_IS_INDEXED(c))
		snprintf(out, n, "%d", c->indexed.idx);
	else
		snprintf(out, n, "#%02x%02x%02x", c->rgb.red, c->rgb.green, c->rgb.blue);
}

static void cmd_attrs(const char *arg)
{
	int row, col;
	if (!take_int(&arg, &row) || !take_int(&arg, &col) || *arg) {
		reply_err("usage: attrs <row> <col>");
		return;
	}
	if (row >= g.rows || col >= g.cols) {
		reply_err("position outside the screen");
		return;
	}
	drain();
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };
	if (!vterm_screen_get_cell(g.screen, pos, &cell)) {
		reply_err("no such cell");
		return;
	}
	char fg[16], bg[16], out[256];
	color_str(fg, sizeof fg, &cell.fg, true);
	color_str(bg, sizeof bg, &cell.bg, false);
	uint32_t ch = cell.chars[0] == (uint32_t)-1 ? 0 : cell.chars[0];
	snprintf(out, sizeof out,
	         "fg=%s bg=%s bold=%u underline=%u italic=%u blink=%u reverse=%u strike=%u "
	         "width=%d char=U+%04X",
	         fg, bg, (unsigned)cell.attrs.bold, (unsigned)cell.attrs.underline,
	         (unsigned)cell.attrs.italic, (unsigned)cell.attrs.blink,
	         (unsigned)cell.attrs.reverse, (unsigned)cell.attrs.strike, (int)cell.width,
	         (unsigned)ch);
	reply_line(out);
	reply_end();
}

static void cmd_cursor(void)
{
	drain();
	VTermPos pos;
	vterm_state_get_cursorpos(g.state, &pos);
	char out[64];
	snprintf(out, sizeof out, "%d %d", pos.row, pos.col);
	reply_line(out);
	reply_end();
}

static void cmd_resize(const char *arg)
{
	int cols, rows;
	if (!take_int(&arg, &cols) || !take_int(&arg, &rows) || *arg || cols < 2 || rows < 2 ||
	    cols > 1000 || rows > 1000) {
		reply_err("usage: resize <cols 2-1000> <rows 2-1000>");
		return;
	}
	drain(); /* what was written for the old size is read at the old size */
	vterm_set_size(g.vt, rows, cols);
	g.rows = rows;
	g.cols = cols;
	if (g.master >= 0 && !g.pty_eof) {
		struct winsize old = { 0 }, ws = { .ws_row = (unsigned short)rows,
			                           .ws_col = (unsigned short)cols };
		bool same = ioctl(g.master, TIOCGWINSZ, &old) == 0 && old.ws_row == ws.ws_row &&
		            old.ws_col == ws.ws_col;
		if (ioctl(g.master, TIOCSWINSZ, &ws) != 0) {
			reply_err("TIOCSWINSZ failed");
			return;
		}
		/* The kernel signals the foreground group when the size changes;
		 * when it did not change, do it ourselves. */
		if (same) {
			pid_t pg = tcgetpgrp(g.master);
			if (pg > 0)
				kill(-pg, SIGWINCH);
			else if (g.job > 0)
				kill(g.job, SIGWINCH);
		}
	}
	reply_ok();
}

static const struct {
	const char *name;
	int sig;
} signal_names[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },     { "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT },   { "BUS", SIGBUS },     { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },   { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM },   { "TERM", SIGTERM },   { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP },   { "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "WINCH", SIGWINCH }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

static int parse_signal(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		char *end;
		long v = strtol(s, &end, 10);
		return (*end == '\0' && v > 0 && v < 65) ? (int)v : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
		if (strcasecmp(s, signal_names[i].name) == 0)
			return signal_names[i].sig;
	return -1;
}

static void cmd_signal(const char *arg)
{
	int sig = parse_signal(arg);
	if (sig < 0) {
		reply_err("usage: signal <NAME|NUM>");
		return;
	}
	if (g.job <= 0 || g.reaped) { /* its pid may be someone else's by now */
		reply_err("the child has exited");
		return;
	}
	if (kill(g.job, sig) != 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "kill: %s", strerror(errno));
		reply_err(msg);
		return;
	}
	reply_ok();
}

static void cmd_exit(const char *arg)
{
	int ms;
	if (!take_int(&arg, &ms) || *arg) {
		reply_err("usage: exit <timeout_ms>");
		return;
	}
	long long deadline = now_ms() + ms;
	reap();
	while (!g.reaped) {
		int rem = remaining_ms(deadline);
		if (rem == 0)
			break;
		io_poll(rem, false);
	}
	if (!g.reaped) {
		reply_line("TIMEOUT");
		reply_end();
		return;
	}
	drain(); /* its last output is already in the pty */
	char out[64];
	if (WIFEXITED(g.status))
		snprintf(out, sizeof out, "EXITED %d", WEXITSTATUS(g.status));
	else
		snprintf(out, sizeof out, "SIGNALED %d", WTERMSIG(g.status));
	reply_line(out);
	reply_end();
}

static void cmd_modes(void)
{
	drain();
	/* Ask libvterm how it would encode Up and keypad 0 in its current modes. */
	g.capture.len = 0;
	g.capturing = true;
	vterm_keyboard_key(g.vt, VTERM_KEY_UP, VTERM_MOD_NONE);
	bool appcursor = g.capture.len >= 2 && g.capture.p[1] == 'O';
	g.capture.len = 0;
	vterm_keyboard_key(g.vt, VTERM_KEY_KP_0, VTERM_MOD_NONE);
	bool keypad = g.capture.len >= 2;
	g.capture.len = 0;
	g.capturing = false;
	char out[160];
	snprintf(out, sizeof out, "altscreen=%d cursor=%d appcursor=%d keypad=%d mouse=%d reverse=%d",
	         g.altscreen, g.cursor_visible, appcursor, keypad, g.mouse, g.reverse);
	reply_line(out);
	reply_end();
}

static void cmd_raw(void)
{
	drain();
	char out[64];
	snprintf(out, sizeof out, "bytes %llu", g.raw_count);
	g.raw_count = 0;
	reply_line(out);
	reply_end();
}

static void run_command(char *line)
{
	size_t n = strlen(line);
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	char *arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	else
		arg = line + n;

	if (strcmp(line, "keys") == 0)
		cmd_keys(arg);
	else if (strcmp(line, "wait") == 0)
		cmd_wait(arg, false);
	else if (strcmp(line, "waitgone") == 0)
		cmd_wait(arg, true);
	else if (strcmp(line, "idle") == 0)
		cmd_idle(arg);
	else if (strcmp(line, "screen") == 0)
		cmd_screen();
	else if (strcmp(line, "find") == 0)
		cmd_find(arg);
	else if (strcmp(line, "attrs") == 0)
		cmd_attrs(arg);
	else if (strcmp(line, "cursor") == 0)
		cmd_cursor();
	else if (strcmp(line, "resize") == 0)
		cmd_resize(arg);
	else if (strcmp(line, "signal") == 0)
		cmd_signal(arg);
	else if (strcmp(line, "exit") == 0)
		cmd_exit(arg);
	else if (strcmp(line, "modes") == 0)
		cmd_modes();
	else if (strcmp(line, "raw") == 0)
		cmd_raw();
	else if (strcmp(line, "quit") == 0) {
		reply_ok();
		g.quit = true;
	} else if (line[0] == '\0')
		reply_err("empty command");
	else
		reply_err("unknown command");
}

/* ---- the child ---------------------------------------------------------------------------------- */

static void reset_signals(void)
{
	static const int sigs[] = { SIGPIPE, SIGCHLD, SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
		                    SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGALRM, SIGUSR1 };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void exec_command(char **argv)
{
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "vtdrive: cannot run %s: %s\r\n", argv[0], strerror(errno));
	_exit(127);
}

static volatile sig_atomic_t leader_job_pgid;

/* As a shell does: pass the terminal's hangup on to the job. */
static void leader_sighup(int sig)
{
	(void)sig;
	int saved = errno;
	if (leader_job_pgid > 0) {
		kill(-(pid_t)leader_job_pgid, SIGHUP);
		kill(-(pid_t)leader_job_pgid, SIGCONT);
	}
	errno = saved;
}

/*
 * The session leader in job-control mode: fork the command into its own
 * process group, give it the terminal, and relay its end as our own. On a
 * hangup (the only signal the kernel sends the session leader alone) it
 * sends SIGHUP and SIGCONT to the job, as a shell does.
 */
static void run_session_leader(char **argv, int pid_fd)
{
	pid_t pid = fork();
	if (pid < 0) {
		dprintf(STDERR_FILENO, "vtdrive: fork: %s\r\n", strerror(errno));
		_exit(127);
	}
	if (pid == 0) {
		close(pid_fd);
		setpgid(0, 0);
		sigset_t ttou, old;
		sigemptyset(&ttou);
		sigaddset(&ttou, SIGTTOU);
		sigprocmask(SIG_BLOCK, &ttou, &old);
		tcsetpgrp(STDIN_FILENO, getpid());
		sigprocmask(SIG_SETMASK, &old, NULL);
		exec_command(argv);
	}
	setpgid(pid, pid); /* may fail once the child has exec'd; it did it itself */
	leader_job_pgid = pid;
	static const int ign[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof ign / sizeof ign[0]; i++)
		sigaction(ign[i], &sa, NULL);
	sa.sa_handler = leader_sighup;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	ssize_t w = write(pid_fd, &pid, sizeof pid);
	(void)w;
	close(pid_fd);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	if (WIFEXITED(st))
		_exit(WEXITSTATUS(st));
	int sig = WTERMSIG(st);
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	_exit(128 + sig);
}

static void spawn(char **argv, bool jobctl)
{
	int pid_pipe[2] = { -1, -1 };
	if (jobctl && pipe2(pid_pipe, O_CLOEXEC) != 0)
		die("pipe");
	struct winsize ws = { .ws_row = (unsigned short)g.rows, .ws_col = (unsigned short)g.cols };
	fflush(stdout);
	fflush(stderr);
	pid_t pid = forkpty(&g.master, NULL, NULL, &ws);
	if (pid < 0)
		die("forkpty");
	if (pid == 0) {
		close(g.sigpipe[0]);
		close(g.sigpipe[1]);
		reset_signals();
		struct termios t;
		if (tcgetattr(STDIN_FILENO, &t) == 0) {
			t.c_iflag |= IUTF8;
			tcsetattr(STDIN_FILENO, TCSANOW, &t);
		}
		if (!jobctl)
			exec_command(argv);
		close(pid_pipe[0]);
		run_session_leader(argv, pid_pipe[1]);
	}
	g.child = pid;
	g.job = pid;
	int fl = fcntl(g.master, F_GETFL);
	if (fl < 0 || fcntl(g.master, F_SETFL, fl | O_NONBLOCK) != 0)
		die("fcntl");
	if (!jobctl)
		return;
	close(pid_pipe[1]);
	/* The session leader tells the command's pid right after its fork. */
	pid_t job = -1;
	size_t got = 0;
	long long deadline = now_ms() + 10000;
	while (got < sizeof job) {
		struct pollfd pfd = { .fd = pid_pipe[0], .events = POLLIN };
		int r = poll(&pfd, 1, remaining_ms(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ssize_t n = read(pid_pipe[0], (char *)&job + got, sizeof job - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(pid_pipe[0]);
	if (got == sizeof job && job > 0)
		g.job = job;
}

/* Hang up the terminal and make sure the child is gone. */
static void shutdown_child(void)
{
	if (g.master >= 0) {
		close(g.master);
		g.master = -1;
		g.pty_eof = true;
	}
	long long deadline = now_ms() + 2000;
	reap();
	while (!g.reaped && remaining_ms(deadline) > 0)
		io_poll(remaining_ms(deadline), false);
	if (!g.reaped && g.child > 0) {
		if (g.job > 0 && g.job != g.child)
			kill(-g.job, SIGKILL);
		kill(g.child, SIGKILL);
		while (waitpid(g.child, &g.status, 0) < 0 && errno == EINTR) {
		}
		g.reaped = true;
	}
}

/* ---- main ---------------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
	        "usage: vtdrive [--cols N] [--rows N] [--term NAME] [--no-jobctl] -- COMMAND [ARGS...]\n");
	exit(2);
}

static int size_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 2 || v > 1000)
		usage();
	return (int)v;
}

int main(int argc, char **argv)
{
	const char *term = "xterm-256color";
	bool jobctl = true;
	g.cols = 80;
	g.rows = 24;
	int i = 1;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--cols") == 0 && i + 1 < argc) {
			g.cols = size_arg(argv[++i]);
		} else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
			g.rows = size_arg(argv[++i]);
		} else if (strcmp(argv[i], "--term") == 0 && i + 1 < argc) {
			term = argv[++i];
		} else if (strcmp(argv[i], "--no-jobctl") == 0) {
			jobctl = false;
		} else if (argv[i][0] == '-') {
			usage();
		} else {
			break;
		}
	}
	if (i >= argc)
		usage();

	setenv("TERM", term, 1);
	unsetenv("COLUMNS");
	unsetenv("LINES");
	if (!getenv("LANG") && !getenv("LC_ALL")) {
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
	}

	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = sigchld_handler;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	if (pipe2(g.sigpipe, O_CLOEXEC | O_NONBLOCK) != 0)
		die("pipe");

	g.vt = vterm_new(g.rows, g.cols);
	if (!g.vt)
		die("vterm_new");
	vterm_set_utf8(g.vt, 1);
	vterm_output_set_callback(g.vt, on_output, NULL);
	g.state = vterm_obtain_state(g.vt);
	g.screen = vterm_obtain_screen(g.vt);
	vterm_screen_enable_altscreen(g.screen, 1);
	vterm_screen_set_callbacks(g.screen, &screen_callbacks, NULL);
	vterm_screen_reset(g.screen, 1);
	g.last_output_ms = now_ms();

	spawn(argv + i, jobctl);

	while (!g.quit) {
		char *nl;
		while (!g.quit && g.in.p && (nl = memchr(g.in.p, '\n', g.in.len)) != NULL) {
			size_t n = (size_t)(nl - g.in.p);
			char *line = malloc(n + 1);
			if (!line)
				die("out of memory");
			memcpy(line, g.in.p, n);
			line[n] = '\0';
			buf_consume(&g.in, n + 1);
			run_command(line);
			free(line);
		}
		if (g.quit)
			break;
		if (g.stdin_eof) {
			if (g.in.len > 0) { /* a last line without a newline */
				buf_addc(&g.in, '\n');
				continue;
			}
			break;
		}
		if (io_poll(-1, true)) {
			char buf[4096];
			ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
			if (n > 0)
				buf_add(&g.in, buf, (size_t)n);
			else if (n == 0 || (errno != EINTR && errno != EAGAIN))
				g.stdin_eof = true;
		}
	}

	shutdown_child();
	vterm_free(g.vt);
	close(g.sigpipe[0]);
	close(g.sigpipe[1]);
	buf_free(&g.tx);
	buf_free(&g.capture);
	buf_free(&g.in);
	return 0;
}
