/* Path normalization and link resolution: every name an image hands us is
 * hostile, so the edge cases are the point. */
#include "testutil.h"

#include "image/path.h"

static enum path_result norm(const char *in, char *out, size_t cap)
{
	return path_normalize(in, strlen(in), out, cap);
}

static void test_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "a", "a" },
		{ "/etc/passwd", "etc/passwd" },
		{ "./etc/passwd", "etc/passwd" },
		{ "//etc///passwd//", "etc/passwd" },
		{ "etc/./././passwd/.", "etc/passwd" },
		{ "./././/a", "a" },
		{ "...", "..." },              /* a name, not a parent */
		{ "a/..b/c..", "a/..b/c.." },
		{ ".hidden/.x", ".hidden/.x" },
		{ "a b/ c", "a b/ c" },
		{ "dir/", "dir" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(norm(ok[i].in, out, sizeof out), PATH_OK);
		assert_string_equal(out, ok[i].out);
	}
	static const char *const root[] = { "", ".", "/", "./", "//", "/./.", "./." };
	for (size_t i = 0; i < sizeof root / sizeof root[0]; i++) {
		assert_int_equal(norm(root[i], out, sizeof out), PATH_EMPTY);
		assert_string_equal(out, "");
	}
	/* ".." anywhere is refused, even when it would stay inside. */
	static const char *const dotdot[] = { "..", "../x", "a/..", "a/../b", "a/b/../../..", "/..", "./../etc",
					      "x/y/..//z", "a/../../../../etc/passwd" };
	for (size_t i = 0; i < sizeof dotdot / sizeof dotdot[0]; i++)
		assert_int_equal(norm(dotdot[i], out, sizeof out), PATH_DOTDOT);
}

static void test_normalize_bounds(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(norm("abcdefg", out, sizeof out), PATH_OK); /* 7 + NUL fits exactly */
	assert_string_equal(out, "abcdefg");
	assert_int_equal(norm("abcdefgh", out, sizeof out), PATH_TOO_LONG);
	assert_int_equal(norm("abc/defg", out, sizeof out), PATH_TOO_LONG);
	assert_int_equal(norm("/abc/def/", out, sizeof out), PATH_OK);
	assert_string_equal(out, "abc/def");
	/* Only n bytes are read, and an embedded NUL makes the name unusable. */
	assert_int_equal(path_normalize("ab/cd-not-read", 5, out, sizeof out), PATH_OK);
	assert_string_equal(out, "ab/cd");
	assert_int_equal(path_normalize("a\0b", 3, out, sizeof out), PATH_EMPTY);
	/* A long input of separators is not a long output. */
	char slashes[5000];
	memset(slashes, '/', sizeof slashes - 2);
	slashes[sizeof slashes - 2] = 'z';
	slashes[sizeof slashes - 1] = '\0';
	assert_int_equal(norm(slashes, out, sizeof out), PATH_OK);
	assert_string_equal(out, "z");
	char big[5000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char out4k[4096];
	assert_int_equal(norm(big, out4k, sizeof out4k), PATH_TOO_LONG);
}

static enum path_result link_(const char *dir, const char *target, bool clamp, char *out)
{
	return path_resolve_link(dir, target, clamp, out, 256);
}

static void test_resolve_link(void **state)
{
	(void)state;
	static const struct {
		const char *dir, *target, *out;
	} ok[] = {
		{ "etc", "os-release", "etc/os-release" },
		{ "etc", "../usr/lib/os-release", "usr/lib/os-release" },
		{ "etc", "/usr/lib/os-release", "usr/lib/os-release" },      /* absolute: from the image root */
		{ "a/b/c", "../../x", "a/x" },
		{ "a/b", "./c/./d/", "a/b/c/d" },
		{ "a/b", "c/../d", "a/b/d" },                               /* ".." resolved lexically */
		{ "", "x", "x" },
		{ "", "/x//y", "x/y" },
		{ "deep/dir", "/../../../../../../x", "x" },                 /* clamped at the root */
		{ "etc", "../../../../../../etc/os-release", "etc/os-release" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(link_(ok[i].dir, ok[i].target, true, out), PATH_OK);
		assert_string_equal(out, ok[i].out);
	}
	/* Without clamping (names inside an outer archive), climbing above
	 * the root is refused instead. */
	assert_int_equal(link_("a", "../../x", false, out), PATH_DOTDOT);
	assert_int_equal(link_("", "../x", false, out), PATH_DOTDOT);
	assert_int_equal(link_("a/b", "../../x", false, out), PATH_OK);
	assert_string_equal(out, "x");
	assert_int_equal(link_("a", "/../x", false, out), PATH_DOTDOT);
	/* Links to the root itself. */
	assert_int_equal(link_("etc", "/", true, out), PATH_EMPTY);
	assert_int_equal(link_("etc", "..", true, out), PATH_EMPTY);
	assert_int_equal(link_("", "/..", true, out), PATH_EMPTY);
	assert_int_equal(link_("", ".", true, out), PATH_EMPTY);
	assert_int_equal(link_("a", "", true, out), PATH_OK); /* empty target: the directory */
	assert_string_equal(out, "a");
}

static void test_resolve_link_bounds(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(path_resolve_link("ab", "cdef", true, out, sizeof out), PATH_OK);
	assert_string_equal(out, "ab/cdef");
	assert_int_equal(path_resolve_link("ab", "cdefg", true, out, sizeof out), PATH_TOO_LONG);
	char big[8192];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char out4k[4096];
	assert_int_equal(path_resolve_link("dir", big, true, out4k, sizeof out4k), PATH_TOO_LONG);
	/* Thousands of ".." components are fine and stay at the root. */
	char ups[3 * 2000 + 2];
	for (int i = 0; i < 2000; i++)
		memcpy(ups + 3 * i, "../", 3);
	memcpy(ups + 6000, "z", 2);
	assert_int_equal(path_resolve_link("a/b", ups, true, out4k, sizeof out4k), PATH_OK);
	assert_string_equal(out4k, "z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_bounds),
		cmocka_unit_test(test_resolve_link),
		cmocka_unit_test(test_resolve_link_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
