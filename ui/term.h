/* Terminal lifecycle: curses set-up and restoration on every exit path (including fatal
 * signals), signals turned into events through a self-pipe, stderr to the log. */
#ifndef ZT_UI_TERM_H
#define ZT_UI_TERM_H

#include <stdbool.h>

enum term_event {
	TERM_EV_NONE = 0,
	TERM_EV_RESIZE = 1,
	TERM_EV_STOP = 2,
	TERM_EV_CONT = 4,
	TERM_EV_SUSPEND = 8 /* Ctrl-Z */
};

/* Start curses on the controlling terminal; log_fd receives stderr while curses runs.
 * false (terminal untouched) when stdin/stdout is not a terminal. */
bool term_start(int log_fd);
/* Restore the terminal (idempotent; safe from atexit). */
void term_restore(void);
/* The read end of the signal self-pipe, to poll on. */
int term_signal_fd(void);
/* Drain the self-pipe: a mask of term_event bits. */
unsigned term_take_signals(void);
/* Ctrl-Z: give the terminal back, stop until fg, then take it again (the caller redraws). */
void term_suspend(void);
/* Apply the terminal's current size after SIGWINCH or a resume. */
void term_resize(void);
/* Ask the terminal for bracketed paste (DEC mode 2004) or stop it. It is switched off when
 * the terminal is given back (exit, crash, Ctrl-Z) and on again after a resume. */
void term_paste_mode(bool on);

#endif
