/* YAML -> JSON: scalar typing, anchors, and the limits that stop hostile
 * documents (alias bombs, deep nesting) before they cost memory. */
#include "testutil.h"

#include "util/yaml_json.h"

static json_t *parse_ok(const char *y)
{
	json_t *j;
	struct berr e = { 0 };
	if (yaml_json_parse(y, strlen(y), NULL, "doc", &j, &e))
		fail_msg("parse: %s", e.msg);
	return j;
}

static int parse_err(const char *y, struct berr *e)
{
	json_t *j = NULL;
	int rc = yaml_json_parse(y, strlen(y), NULL, "doc.yaml", &j, e);
	assert_null(j);
	return rc;
}

static char *dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(j);
	return s;
}

static void expect(const char *yaml, const char *json)
{
	char *s = dump(parse_ok(yaml));
	if (strcmp(s, json))
		fail_msg("%s\n  gave %s\n  want %s", yaml, s, json);
	free(s);
}

static void test_scalars(void **state)
{
	(void)state;
	expect("a: 1\nb: -7\nc: 0x1f\nd: 0o17\ne: 1.5\nf: 1e3\ng: .5\n",
	       "{\"a\":1,\"b\":-7,\"c\":31,\"d\":15,\"e\":1.5,\"f\":1000.0,\"g\":0.5}");
	expect("- true\n- False\n- null\n- ~\n-\n- yes\n- 'true'\n- \"1\"\n",
	       "[true,false,null,null,null,\"yes\",\"true\",\"1\"]");
	/* what feeds really hold: versions and dates stay text */
	expect("- 1.0.0\n- '1.0'\n- 2020-08-05T14:15:00Z\n- 00864cd12de7\n- 1.0a1\n- -class.-jw-\n- .inf\n",
	       "[\"1.0.0\",\"1.0\",\"2020-08-05T14:15:00Z\",\"00864cd12de7\",\"1.0a1\",\"-class.-jw-\",\".inf\"]");
	/* too big for 64 bits: kept as text rather than rounded */
	expect("- 123456789012345678901234567890\n", "[\"123456789012345678901234567890\"]");
	/* explicit tags */
	expect("- !!str 12\n- !!int \"12\"\n- !custom 5\n", "[\"12\",12,5]");
	/* keys are always strings */
	expect("0: a\ntrue: b\n", "{\"0\":\"a\",\"true\":\"b\"}");
	/* block scalars */
	expect("d: |\n  line 1\n  line 2\n", "{\"d\":\"line 1\\nline 2\\n\"}");
	/* an empty stream is null; a YAML merge key is only a key */
	expect("", "null");
	expect("<<: x\n", "{\"<<\":\"x\"}");
}

static void test_anchors(void **state)
{
	(void)state;
	expect("a: &x [1, 2]\nb: *x\nc: &s str\nd: *s\n*s : key-from-alias\n",
	       "{\"a\":[1,2],\"b\":[1,2],\"c\":\"str\",\"d\":\"str\",\"str\":\"key-from-alias\"}");
	/* an anchor may be redefined; aliases see the latest */
	expect("- &a 1\n- *a\n- &a 2\n- *a\n", "[1,1,2,2]");
}

static void test_errors(void **state)
{
	(void)state;
	struct berr e = { 0 };
	assert_int_equal(parse_err("a: 1\nb: [1, 2\nc: 3\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "doc.yaml: YAML line "));
	assert_int_equal(parse_err("a: 1\n  b: 2\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "doc.yaml: YAML line 2"));
	assert_int_equal(parse_err("a: 1\na: 2\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "line 2: duplicate mapping key 'a'"));
	assert_int_equal(parse_err("a: *nope\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "unknown or unfinished anchor 'nope'"));
	/* an alias to its own enclosing node would make a cycle */
	assert_int_equal(parse_err("a: &x [1, *x]\n", &e), BOSUN_EFORMAT);
	assert_int_equal(parse_err("a: 1\n---\nb: 2\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "more than one document"));
	assert_int_equal(parse_err("? [1, 2]\n: x\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "complex mapping keys"));
	assert_int_equal(parse_err("a: \"x\\0y\"\n", &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "NUL"));
	assert_int_equal(parse_err("a: \xff\xfe\n", &e), BOSUN_EFORMAT); /* not UTF-8 */
}

static void test_alias_bomb(void **state)
{
	(void)state;
	/* "billion laughs": 9 levels of 9 aliases each = 9^9 nodes if expanded */
	char y[4096];
	size_t o = (size_t)snprintf(y, sizeof y, "a0: &a0 [lol]\n");
	for (int i = 1; i <= 9; i++) {
		o += (size_t)snprintf(y + o, sizeof y - o, "a%d: &a%d [", i, i);
		for (int k = 0; k < 9; k++)
			o += (size_t)snprintf(y + o, sizeof y - o, "%s*a%d", k ? ", " : "", i - 1);
		o += (size_t)snprintf(y + o, sizeof y - o, "]\n");
	}
	struct berr e = { 0 };
	assert_int_equal(parse_err(y, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "doc.yaml: YAML line "));
	assert_non_null(strstr(e.msg, "aliases expand"));

	/* a handful of aliases is fine, and shares rather than copies */
	json_t *j = parse_ok("a: &x {k: [1, 2, 3]}\nb: *x\nc: *x\n");
	assert_ptr_equal(json_object_get(j, "a"), json_object_get(j, "c"));
	json_decref(j);
}

static void test_limits(void **state)
{
	(void)state;
	struct berr e = { 0 };
	char deep[512] = "";
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	assert_int_equal(parse_err(deep, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "nested deeper"));

	struct yaml_json_limits lim = yaml_json_default_limits;
	json_t *j = NULL;
	lim.max_bytes = 4;
	assert_int_equal(yaml_json_parse("a: 12345", 8, &lim, "small", &j, &e), BOSUN_ELIMIT);
	lim = yaml_json_default_limits;
	lim.max_nodes = 5;
	assert_int_equal(yaml_json_parse("[1, 2, 3, 4, 5, 6]", 18, &lim, "many", &j, &e), BOSUN_ELIMIT);
	assert_null(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars), cmocka_unit_test(test_anchors),	   cmocka_unit_test(test_errors),
		cmocka_unit_test(test_alias_bomb), cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
