/* Unit tests for keys_override (ui/keys.c): rebinding an action's key from the config file.
 * keys_override edits a static table, so these live in their own binary; each test rebinds a
 * different action, and the rejected overrides run first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "keys.h"

#include <curses.h>
#include <string.h>

/* A character key. */
static struct key ch(wint_t c)
{
	return (struct key){c, false};
}

/* A curses key code. */
static struct key kc(int c)
{
	return (struct key){(wint_t)c, true};
}

/* An unknown action is refused with a message naming it, and nothing changes. */
static void test_unknown_action(void **state)
{
	(void)state;
	char err[256] = "";
	assert_false(keys_override("frobnicate", "x", err, sizeof err));
	assert_non_null(strstr(err, "frobnicate"));
	assert_false(keys_override("none", "x", err, sizeof err));
	assert_int_equal(keys_lookup(CTX_LIST, ch('x')), ACT_NONE);
}

/* An unknown key is refused with a message naming the key and the action. */
static void test_unknown_key(void **state)
{
	(void)state;
	char err[256] = "";
	assert_false(keys_override("search", "Foo", err, sizeof err));
	assert_non_null(strstr(err, "Foo"));
	assert_non_null(strstr(err, "search"));
	assert_false(keys_override("search", "F13", err, sizeof err));
	assert_non_null(strstr(err, "F13"));
	assert_int_equal(keys_lookup(CTX_LIST, ch('/')), ACT_SEARCH);
}

/* search = "x" replaces '/', the first non-function key; s and F3 keep working. */
static void test_override_search(void **state)
{
	(void)state;
	char err[256] = "";
	assert_true(keys_override("search", "x", err, sizeof err));
	assert_int_equal(keys_lookup(CTX_LIST, ch('x')), ACT_SEARCH);
	assert_int_equal(keys_lookup(CTX_LIST, ch('/')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_LIST, ch('s')), ACT_SEARCH);
	assert_int_equal(keys_lookup(CTX_LIST, kc(KEY_F(3))), ACT_SEARCH);
	char out[64];
	keys_for(CTX_LIST, ACT_SEARCH, out, sizeof out);
	assert_string_equal(out, "x, F3, s");
}

/* up = "i" replaces the letter key k; the arrow key still moves up (header: "replacing its
 * letter key"). */
static void test_override_keeps_arrow(void **state)
{
	(void)state;
	char err[256] = "";
	assert_true(keys_override("up", "i", err, sizeof err));
	static const enum key_ctx ctxs[] = {CTX_LIST, CTX_DETAIL, CTX_TREE};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(keys_lookup(ctxs[i], ch('i')), ACT_UP);
		assert_int_equal(keys_lookup(ctxs[i], kc(KEY_UP)), ACT_UP);
		assert_int_not_equal(keys_lookup(ctxs[i], ch('k')), ACT_UP);
	}
}

/* open = "o" (as in the example config) keeps Enter working everywhere and does not turn
 * the letter o into an action on the login screen, where it must be typeable. */
static void test_override_keeps_enter(void **state)
{
	(void)state;
	char err[256] = "";
	assert_true(keys_override("open", "o", err, sizeof err));
	assert_int_equal(keys_lookup(CTX_LIST, ch('o')), ACT_OPEN);
	static const enum key_ctx ctxs[] = {CTX_LIST, CTX_TREE, CTX_LOGIN};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(keys_lookup(ctxs[i], ch('\r')), ACT_OPEN);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('o')), ACT_NONE);
}

/* quit = "Q" replaces q; F10 and the detail screen's Left arrow still go back. */
static void test_override_quit(void **state)
{
	(void)state;
	char err[256] = "";
	assert_true(keys_override("quit", "Q", err, sizeof err));
	assert_int_equal(keys_lookup(CTX_LIST, ch('Q')), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_LIST, ch('q')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_LIST, kc(KEY_F(10))), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_DETAIL, ch('Q')), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_DETAIL, kc(KEY_LEFT)), ACT_QUIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_action),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_override_search),
		cmocka_unit_test(test_override_keeps_arrow),
		cmocka_unit_test(test_override_keeps_enter),
		cmocka_unit_test(test_override_quit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
