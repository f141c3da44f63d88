/* Unit tests for ui/keys.c with the default bindings: parsing and describing keys, lookups
 * per context, help texts and the rule that no action needs a function key.
 * (keys_override changes the table; it is tested in test_keys_override.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "i18n.h"
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static const char *const ctx_name[CTX_COUNT] = {"global", "list", "detail", "login", "tree", "hct", "card", "form", "settings", "search", "page"};

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

/* Parse desc, asserting success and the expected key. */
static void expect_parse(const char *desc, struct key want)
{
	struct key k = {0, false};
	if (!keys_parse(desc, &k))
		fail_msg("keys_parse(\"%s\") failed", desc);
	if (k.code != want.code || k.is_keycode != want.is_keycode)
		fail_msg("keys_parse(\"%s\") = {%u, %d}, want {%u, %d}", desc, (unsigned)k.code,
				 k.is_keycode, (unsigned)want.code, want.is_keycode);
}

/* Letters, control keys, function keys and names parse; nonsense does not. */
static void test_parse(void **state)
{
	(void)state;
	expect_parse("q", ch('q'));
	expect_parse("?", ch('?'));
	expect_parse("/", ch('/'));
	expect_parse("^L", ch(12));
	expect_parse("^l", ch(12));
	expect_parse("F2", kc(KEY_F(2)));
	expect_parse("f12", kc(KEY_F(12)));
	expect_parse("Enter", ch('\r'));
	expect_parse("enter", ch('\r'));
	expect_parse("PgDn", kc(KEY_NPAGE));
	expect_parse("PgUp", kc(KEY_PPAGE));
	expect_parse("Up", kc(KEY_UP));
	expect_parse("Space", ch(' '));
	expect_parse("Esc", ch(27));
	expect_parse("Tab", ch('\t'));
	/* A lone F is the capital letter, not a function key. */
	expect_parse("F", ch('F'));

	static const char *const bad[] = {"Foo", "F13", "F0", "F1x", "", "^1", "qq", "Ctrl-L"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct key k;
		if (keys_parse(bad[i], &k))
			fail_msg("keys_parse(\"%s\") accepted an unknown key", bad[i]);
	}
}

/* Keys are described as help texts show them. */
static void test_describe(void **state)
{
	(void)state;
	assert_string_equal(keys_describe(ch('q')), "q");
	assert_string_equal(keys_describe(ch('?')), "?");
	assert_string_equal(keys_describe(ch(12)), "Ctrl-L");
	assert_string_equal(keys_describe(kc(KEY_F(1))), "F1");
	assert_string_equal(keys_describe(kc(KEY_F(10))), "F10");
	assert_string_equal(keys_describe(ch('\r')), "Enter");
	assert_string_equal(keys_describe(ch('\n')), "Enter");
	assert_string_equal(keys_describe(kc(KEY_ENTER)), "Enter");
	assert_string_equal(keys_describe(ch(' ')), "Space");
	assert_string_equal(keys_describe(ch(27)), "Esc");
	assert_string_equal(keys_describe(kc(KEY_NPAGE)), "PgDn");
}

/* Every description parses back to the same key. */
static void test_describe_parse_round_trip(void **state)
{
	(void)state;
	const struct key keys[] = {ch('q'), ch('/'), ch(12), ch(1), kc(KEY_F(3)), kc(KEY_F(12)),
							   ch(' '), ch(27), ch('\t'), kc(KEY_UP), kc(KEY_END), kc(KEY_BTAB)};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *d = keys_describe(keys[i]);
		char copy[32];
		snprintf(copy, sizeof copy, "%s", d);
		/* "Ctrl-L" is written ^L in the config file. */
		if (strncmp(copy, "Ctrl-", 5) == 0)
			snprintf(copy, sizeof copy, "^%c", d[5]);
		expect_parse(copy, keys[i]);
	}
}

/* Lookups: the context's own bindings, then the global ones. */
static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(keys_lookup(CTX_LIST, ch('/')), ACT_SEARCH);
	assert_int_equal(keys_lookup(CTX_LIST, ch('s')), ACT_SEARCH);
	assert_int_equal(keys_lookup(CTX_LIST, kc(KEY_F(3))), ACT_SEARCH);
	assert_int_equal(keys_lookup(CTX_LIST, ch('q')), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_LIST, kc(KEY_F(1))), ACT_HELP);
	assert_int_equal(keys_lookup(CTX_LIST, ch('?')), ACT_HELP);
	assert_int_equal(keys_lookup(CTX_LIST, ch('\r')), ACT_OPEN);
	assert_int_equal(keys_lookup(CTX_LIST, kc(KEY_DOWN)), ACT_DOWN);
	assert_int_equal(keys_lookup(CTX_LIST, ch(12)), ACT_REDRAW);
	assert_int_equal(keys_lookup(CTX_LIST, ch('L')), ACT_LOGOUT);
	assert_int_equal(keys_lookup(CTX_LIST, ch('Z')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_DETAIL, ch('r')), ACT_REVEAL);
	assert_int_equal(keys_lookup(CTX_DETAIL, ch('q')), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_DETAIL, ch('/')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_TREE, ch('\r')), ACT_OPEN);
	assert_int_equal(keys_lookup(CTX_TREE, ch(27)), ACT_CANCEL);
}

/* On the login screen letters are typed into the fields, so they are never actions. */
static void test_lookup_login(void **state)
{
	(void)state;
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('q')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('?')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('s')), ACT_NONE);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch(' ')), ACT_NONE);
	for (wint_t c = 0x20; c < 0x7f; c++)
		if (keys_lookup(CTX_LOGIN, ch(c)) != ACT_NONE)
			fail_msg("'%c' is an action on the login screen", (char)c);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('\t')), ACT_NEXT_FIELD);
	assert_int_equal(keys_lookup(CTX_LOGIN, ch('\r')), ACT_OPEN);
	assert_int_equal(keys_lookup(CTX_LOGIN, kc(KEY_F(10))), ACT_QUIT);
	assert_int_equal(keys_lookup(CTX_LOGIN, kc(KEY_F(1))), ACT_HELP);
}

/* keys_for lists an action's keys, the context's first and then the global ones. */
static void test_keys_for(void **state)
{
	(void)state;
	char out[128];
	keys_for(CTX_LIST, ACT_HELP, out, sizeof out);
	assert_string_equal(out, "?, F1");
	keys_for(CTX_LIST, ACT_SEARCH, out, sizeof out);
	assert_string_equal(out, "/, F3, s");
	keys_for(CTX_DETAIL, ACT_QUIT, out, sizeof out);
	assert_string_equal(out, "Left, q, F10");
	keys_for(CTX_LIST, ACT_REVEAL, out, sizeof out);
	assert_string_equal(out, "");
	/* A small buffer is never overrun and stays terminated. */
	char small[4];
	keys_for(CTX_LIST, ACT_SEARCH, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

/* keys_for never lists the same key name twice (Enter is bound as CR, LF and KEY_ENTER). */
static void test_keys_for_no_duplicates(void **state)
{
	(void)state;
	for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
		for (int a = 1; a < ACT_COUNT; a++) {
			char out[256];
			keys_for((enum key_ctx)ctx, (enum action)a, out, sizeof out);
			char *items[32];
			size_t n = 0;
			for (char *save = NULL, *t = strtok_r(out, ",", &save); t && n < 32;
				 t = strtok_r(NULL, ",", &save))
				items[n++] = t + (*t == ' ');
			for (size_t i = 0; i < n; i++)
				for (size_t j = i + 1; j < n; j++)
					if (strcmp(items[i], items[j]) == 0)
						fail_msg("keys_for(%s, %s) lists \"%s\" twice", ctx_name[ctx],
								 keys_help((enum action)a), items[i]);
		}
	}
}

/* True when action a is in the list. */
static bool has_action(const enum action *list, size_t n, enum action a)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == a)
			return true;
	return false;
}

/* The help overlay of every context lists help and quit. */
static void test_actions_per_context(void **state)
{
	(void)state;
	for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
		enum action acts[ACT_COUNT];
		size_t n = keys_actions((enum key_ctx)ctx, acts, ACT_COUNT);
		assert_true(n > 0);
		if (!has_action(acts, n, ACT_QUIT))
			fail_msg("no quit action in context %s", ctx_name[ctx]);
		if (!has_action(acts, n, ACT_HELP))
			fail_msg("no help action in context %s", ctx_name[ctx]);
		for (size_t i = 0; i < n; i++) {
			assert_true(acts[i] > ACT_NONE && acts[i] < ACT_COUNT);
			if (i > 0)
				assert_true(acts[i - 1] < acts[i]); /* registry order, no duplicates */
		}
	}
	enum action acts[ACT_COUNT];
	size_t n = keys_actions(CTX_LIST, acts, ACT_COUNT);
	assert_true(has_action(acts, n, ACT_SEARCH));
	assert_true(has_action(acts, n, ACT_LOGOUT));
	assert_false(has_action(acts, n, ACT_REVEAL));
	/* max is honoured. */
	assert_int_equal(keys_actions(CTX_LIST, acts, 2), 2);
}

/* True when a key description names a function key ("F1".."F12"). */
static bool is_fkey_name(const char *s)
{
	return s[0] == 'F' && s[1] >= '1' && s[1] <= '9';
}

/* Every action a function key triggers can also be reached with another key in that context
 * (the login screen is left out: letters are typed there, and scr_login.c itself quits on
 * 'q' in an empty user field). */
static void test_no_function_key_only_actions(void **state)
{
	(void)state;
	for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
		/* Where letters are typed into fields, function keys (and Esc) are the keys. */
		if (keys_typing((enum key_ctx)ctx))
			continue;
		for (int f = 1; f <= 12; f++) {
			enum action a = keys_lookup((enum key_ctx)ctx, kc(KEY_F(f)));
			if (a == ACT_NONE)
				continue;
			char out[256];
			keys_for((enum key_ctx)ctx, a, out, sizeof out);
			bool other = false;
			for (char *save = NULL, *t = strtok_r(out, ",", &save); t; t = strtok_r(NULL, ",", &save))
				if (!is_fkey_name(t + (*t == ' ')))
					other = true;
			if (!other)
				fail_msg("F%d in context %s: action '%s' has only function keys", f,
						 ctx_name[ctx], keys_help(a));
		}
	}
}

/* Help texts follow the language; logout, deleting an order, discarding a draft and revoking
 * a Caren invitation are the dangerous actions (they ask first). */
static void test_help_and_danger(void **state)
{
	(void)state;
	i18n_set("nl");
	assert_string_equal(keys_help(ACT_HELP), "Hulp bij de toetsen");
	i18n_set("en");
	assert_string_equal(keys_help(ACT_HELP), "Help on keys");
	i18n_set("nl");
	for (int a = 1; a < ACT_COUNT; a++) {
		assert_true(keys_help((enum action)a)[0] != '\0');
		assert_int_equal(keys_dangerous((enum action)a), a == ACT_LOGOUT || a == ACT_DELETE || a == ACT_DISCARD_DRAFT ||
													 a == ACT_REVOKE);
		assert_true(keys_label((enum action)a)[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_parse_round_trip),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_login),
		cmocka_unit_test(test_keys_for),
		cmocka_unit_test(test_keys_for_no_duplicates),
		cmocka_unit_test(test_actions_per_context),
		cmocka_unit_test(test_no_function_key_only_actions),
		cmocka_unit_test(test_help_and_danger),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
