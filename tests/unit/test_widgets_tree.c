/* Unit tests of the tree's model (ui/widgets/tree.c): flattening with expansion, moves,
 * expand/collapse, guides in Unicode and ASCII. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "widgets/tree.h"

#include <locale.h>
#include <string.h>

static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

/* Noord { Assen, Groningen { Team A, Team B } }, Zuid { Breda } */
static void build(struct tree *t, bool open)
{
	tree_init(t);
	tree_add(t, 0, "Noord", 12, 1, open);
	tree_add(t, 1, "Assen", 5, 2, open);
	tree_add(t, 1, "Groningen", 7, 3, open);
	tree_add(t, 2, "Team A", 3, 4, open);
	tree_add(t, 2, "Team B", 4, 5, open);
	tree_add(t, 0, "Zuid", 1200, 6, open);
	tree_add(t, 1, "Breda", 1200, 7, open);
	tree_flatten(t);
}

static void test_flatten(void **state)
{
	(void)state;
	struct tree t;
	build(&t, false);
	assert_int_equal(t.nvis, 2); /* the roots */
	assert_true(t.items[0].has_children);
	assert_false(t.items[1].has_children);
	assert_false(t.items[1].last_sibling);
	assert_true(t.items[2].last_sibling);
	assert_int_equal(t.items[3].parent, 2);
	assert_true(tree_expand(&t)); /* Noord */
	assert_int_equal(t.nvis, 4);
	assert_int_equal(t.vis[2], 2);
	tree_move(&t, TREE_DOWN);
	tree_move(&t, TREE_DOWN);
	assert_int_equal(tree_selected(&t)->id, 3);
	tree_expand(&t);
	assert_int_equal(t.nvis, 6);
	assert_true(tree_expand(&t)); /* already open: to the first child */
	assert_int_equal(tree_selected(&t)->id, 4);
	assert_true(tree_collapse(&t)); /* a leaf: to its parent */
	assert_int_equal(tree_selected(&t)->id, 3);
	assert_true(tree_collapse(&t));
	assert_int_equal(t.nvis, 4);
	assert_int_equal(tree_selected(&t)->id, 3);
	tree_move(&t, TREE_BOTTOM);
	assert_int_equal(tree_selected(&t)->id, 6);
	assert_true(tree_toggle(&t));
	assert_int_equal(t.nvis, 5);
	tree_free(&t);
}

static void test_guides(void **state)
{
	(void)state;
	struct tree t;
	char g[256];
	build(&t, true);
	assert_int_equal(t.nvis, 7);
	assert_string_equal(tree_guides(&t, 0, false, g, sizeof g), "- ");
	assert_string_equal(tree_guides(&t, 1, false, g, sizeof g), "|-  ");
	assert_string_equal(tree_guides(&t, 2, false, g, sizeof g), "`-- ");
	assert_string_equal(tree_guides(&t, 3, false, g, sizeof g), "    |-  ");
	assert_string_equal(tree_guides(&t, 4, false, g, sizeof g), "    `-  ");
	assert_string_equal(tree_guides(&t, 6, false, g, sizeof g), "`-  ");
	assert_string_equal(tree_guides(&t, 1, true, g, sizeof g), "├── ");
	assert_string_equal(tree_guides(&t, 2, true, g, sizeof g), "└─▾ ");
	t.items[2].expanded = false;
	tree_flatten(&t);
	assert_string_equal(tree_guides(&t, 2, true, g, sizeof g), "└─▸ ");
	assert_string_equal(tree_guides(&t, 2, false, g, sizeof g), "`-+ ");
	tree_free(&t);
}

static void test_deep_guides_and_paging(void **state)
{
	(void)state;
	struct tree t;
	char g[256];
	tree_init(&t);
	tree_add(&t, 0, "r", TREE_NO_COUNT, 0, true);
	tree_add(&t, 1, "a", TREE_NO_COUNT, 1, true);
	tree_add(&t, 2, "b", TREE_NO_COUNT, 2, true);
	tree_add(&t, 9, "c", TREE_NO_COUNT, 3, true); /* too deep: taken as depth 3 */
	tree_add(&t, 1, "d", TREE_NO_COUNT, 4, true);
	tree_flatten(&t);
	assert_int_equal(t.items[3].depth, 3);
	assert_string_equal(tree_guides(&t, 3, false, g, sizeof g), "|       `-  ");
	tree_layout(&t, 2);
	tree_move(&t, TREE_PAGE_DOWN);
	assert_int_equal(t.sel, 1);
	tree_move(&t, TREE_BOTTOM);
	assert_int_equal(t.sel, 4);
	assert_int_equal(t.top, 3);
	tree_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flatten),
		cmocka_unit_test(test_guides),
		cmocka_unit_test(test_deep_guides_and_paging),
	};
	return cmocka_run_group_tests_name("widgets_tree", tests, setup_locale, NULL);
}
