/* Rust: the cargo-lock fixtures against expected.json and hand-written
 * lockfiles of every format version; cargo-auditable binaries (real ones
 * from both linkers, and synthetic ELF and PE files for a large tail full
 * of decoys, a bomb, damage) streamed in pieces of 1, 7, 4096 bytes and
 * whole. */
#include "streamfeed.h"

#include <dirent.h>
#include <sys/stat.h>

#include "analyze/rust.h"
#include "util/log.h"

extern const struct analyzer analyzer_rust;

static const size_t PIECES[] = { 1, 7, 4096, 0 };
#define EXEC_MODE (S_IFREG | 0755)

static const char AUDIT_WANT[] = "aho-corasick@0.7.20\nauditable-demo@0.1.0\nmemchr@2.5.0\nregex-syntax@0.6.29\n"
				 "regex@1.5.4\nsmallvec@1.6.0\ntime@0.1.43\n";

static const char *data_path(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "tests/data/rust-auditable/%s", name);
	return buf;
}

static void check_pieces(const char *what, const unsigned char *data, size_t len, const char *want,
			 struct artifact *last)
{
	for (size_t i = 0; i < sizeof PIECES / sizeof PIECES[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		bool taken;
		assert_int_equal(stream_feed(&analyzer_rust, "usr/bin/app", EXEC_MODE, data, len, PIECES[i], &a, &taken),
				 0);
		char *got = pkg_lines(&a, PKG_CARGO);
		if (strcmp(got, want) != 0)
			fail_msg("%s, pieces of %zu: got\n%swant\n%s", what, PIECES[i], got, want);
		free(got);
		if (i + 1 < sizeof PIECES / sizeof PIECES[0] || !last)
			artifact_free(&a);
		else
			*last = a;
	}
}

/* ---- Cargo.lock ---- */

static char *expected_lines(json_t *exp)
{
	struct artifact a;
	artifact_init(&a);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(exp, "packages"), i, p) {
		struct package *pkg = artifact_add_package(&a);
		pkg->type = PKG_CARGO;
		pkg->name = arena_strdup(&a.arena, json_string_value(json_object_get(p, "name")));
		pkg->version = arena_strdup(&a.arena, json_string_value(json_object_get(p, "version")));
	}
	char *s = pkg_lines(&a, PKG_CARGO);
	artifact_free(&a);
	return s;
}

static void test_lock_fixtures(void **state)
{
	(void)state;
	DIR *d = opendir(test_pkgdb_path("cargo-lock"));
	assert_non_null(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char rel[512];
		snprintf(rel, sizeof rel, "cargo-lock/%s/expected.json", de->d_name);
		json_t *exp = test_load_json(test_pkgdb_path(rel));
		snprintf(rel, sizeof rel, "cargo-lock/%s/Cargo.lock", de->d_name);
		size_t len;
		unsigned char *data = test_read_file(test_pkgdb_path(rel), &len);
		struct artifact a;
		artifact_init(&a);
		assert_int_equal(cargo_lock_parse((const char *)data, len, "Cargo.lock", &a), 0);
		char *got = pkg_lines(&a, PKG_CARGO), *want = expected_lines(exp);
		if (strcmp(got, want) != 0)
			fail_msg("%s: got\n%swant\n%s", de->d_name, got, want);
		assert_int_equal(a.nwarnings, 0);
		free(got);
		free(want);
		artifact_free(&a);
		free(data);
		json_decref(exp);
		n++;
	}
	closedir(d);
	assert_true(n >= 2);
}

/* v3: "app" has no source (the workspace's crate); what it names is
 * direct, with "name version" when two versions are locked. */
static void test_lock_relationships(void **state)
{
	(void)state;
	size_t len;
	unsigned char *data = test_read_file(test_pkgdb_path("cargo-lock/trivy-cargo_v3/Cargo.lock"), &len);
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(cargo_lock_parse((const char *)data, len, "Cargo.lock", &a), 0);
	assert_string_equal(pkg_rel(&a, "app", "0.1.0"), "root");
	assert_string_equal(pkg_rel(&a, "memchr", "1.0.2"), "direct");
	assert_string_equal(pkg_rel(&a, "regex", "1.7.3"), "direct");
	assert_string_equal(pkg_rel(&a, "regex-syntax", "0.5.6"), "direct");
	assert_string_equal(pkg_rel(&a, "memchr", "2.5.0"), "indirect");
	assert_string_equal(pkg_rel(&a, "regex-syntax", "0.6.29"), "indirect");
	artifact_free(&a);
	free(data);
}

/* v1 names dependencies "name version (source)" and keeps checksums in
 * [metadata]; v4 is v3 with another number. */
static void test_lock_versions(void **state)
{
	(void)state;
	const char *v1 = "[[package]]\nname = \"root\"\nversion = \"0.1.0\"\ndependencies = [\n"
			 " \"dep 1.2.3 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n"
			 "[[package]]\nname = \"dep\"\nversion = \"1.2.3\"\n"
			 "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
			 "[metadata]\n\"checksum dep 1.2.3 (registry+https://github.com/rust-lang/crates.io-index)\" = "
			 "\"abc\"\n";
	const char *v4 = "version = 4\n\n[[package]]\nname = \"w\"\nversion = \"0.0.1\"\ndependencies = [\"d\"]\n\n"
			 "[[package]]\nname = \"d\"\nversion = \"2.0.0\"\nsource = \"git+https://example.com/d#abc\"\n\n"
			 "[[package]]\nname = \"e\"\nversion = \"3.0.0\"\nsource = \"registry+sparse+https://x\"\n";
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(cargo_lock_parse(v1, strlen(v1), "Cargo.lock", &a), 0);
	char *got = pkg_lines(&a, PKG_CARGO);
	assert_string_equal(got, "dep@1.2.3\nroot@0.1.0\n");
	free(got);
	assert_string_equal(pkg_rel(&a, "dep", "1.2.3"), "direct");
	artifact_free(&a);
	artifact_init(&a);
	assert_int_equal(cargo_lock_parse(v4, strlen(v4), "Cargo.lock", &a), 0);
	got = pkg_lines(&a, PKG_CARGO);
	assert_string_equal(got, "d@2.0.0\ne@3.0.0\nw@0.0.1\n");
	free(got);
	assert_string_equal(pkg_rel(&a, "d", "2.0.0"), "direct");
	assert_string_equal(pkg_rel(&a, "e", "3.0.0"), "indirect");
	artifact_free(&a);
}

static void test_lock_damaged(void **state)
{
	(void)state;
	const char *bad[] = {
		"[[package]\nname = \"x\"\n",
		"package = 3\n",
		"[[package]]\nname = \"x\"\nversion = \"1 0\"\n[[package]]\nname = \"ok\"\nversion = \"1.0.0\"\n",
		"[[package]]\nname = \"x\"\nname = \"y\"\n",
		"[[package]]\ndependencies = [1, 2, {a = 1}]\nname = \"r\"\nversion = \"1.0.0\"\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		assert_int_equal(cargo_lock_parse(bad[i], strlen(bad[i]), "Cargo.lock", &a), 0);
		for (size_t k = 0; k < a.npkgs; k++)
			assert_true(strcmp(a.pkgs[k].name, "ok") == 0 || strcmp(a.pkgs[k].name, "r") == 0);
		artifact_free(&a);
	}
}

/* ---- cargo-auditable binaries ---- */

static void test_auditable_fixtures(void **state)
{
	(void)state;
	const char *names[] = { "nostd-lld", "nostd-bfd", "nostd-lld-stripped" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len;
		unsigned char *data = test_read_file(data_path(names[i]), &len);
		struct artifact a;
		check_pieces(names[i], data, len, AUDIT_WANT, &a);
		assert_string_equal(pkg_rel(&a, "auditable-demo", "0.1.0"), "root");
		assert_string_equal(pkg_rel(&a, "regex", "1.5.4"), "direct");
		assert_string_equal(pkg_rel(&a, "time", "0.1.43"), "direct");
		assert_string_equal(pkg_rel(&a, "memchr", "2.5.0"), "indirect");
		assert_int_equal(a.nwarnings, 0);
		artifact_free(&a);
		free(data);
	}
}

/* The .dep-v0 bytes of an ELF fixture, through its section headers. */
static unsigned char *dep_section(size_t *n)
{
	size_t len;
	unsigned char *f = test_read_file(data_path("nostd-lld-stripped"), &len);
#define U16(o) ((uint32_t)f[o] | (uint32_t)f[(o) + 1] << 8)
#define U32(o) (U16(o) | U16((o) + 2) << 16)
#define U64(o) ((uint64_t)U32(o) | (uint64_t)U32((o) + 4) << 32)
	uint64_t shoff = U64(40);
	uint32_t shnum = U16(60), strndx = U16(62);
	uint64_t stroff = U64(shoff + strndx * 64 + 24);
	for (uint32_t i = 0; i < shnum; i++) {
		size_t sh = shoff + i * 64;
		if (strcmp((const char *)f + stroff + U32(sh), ".dep-v0") != 0)
			continue;
		*n = (size_t)U64(sh + 32);
		unsigned char *out = malloc(*n);
		memcpy(out, f + U64(sh + 24), *n);
		free(f);
		return out;
	}
	fail_msg("no .dep-v0 in the fixture");
	return NULL;
}

/* A 64-bit ELF: one PT_LOAD over the first 4 KiB, then `tail` bytes of
 * non-alloc data. */
static unsigned char *elf_with_tail(const unsigned char *tail, size_t n, size_t *len)
{
	*len = 0x1000 + n;
	unsigned char *b = calloc(1, *len);
	memcpy(b, "\x7f" "ELF\x02\x01\x01", 7);
	b[16] = 2;
	b[18] = 62;
	b[32] = 64;                /* e_phoff */
	b[54] = 56;                /* e_phentsize */
	b[56] = 1;                 /* e_phnum */
	b[64] = 1;                 /* PT_LOAD */
	b[68] = 5;
	b[64 + 33] = 0x10;         /* p_filesz = 0x1000 */
	b[64 + 41] = 0x10;
	memcpy(b + 0x1000, tail, n);
	return b;
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Megabytes of debug-info-like bytes before the section, with decoys:
 * zlib headers followed by garbage, and a genuine zlib stream of some
 * other JSON. Unstripped binaries look like this; the section is found
 * wherever it sits. */
static void test_auditable_large_tail(void **state)
{
	(void)state;
	size_t dn;
	unsigned char *dep = dep_section(&dn);
	size_t big = (size_t)3 << 20;
	unsigned char *tail = malloc(big + dn + 64);
	uint32_t seed = 7;
	for (size_t i = 0; i < big; i++)
		tail[i] = (unsigned char)rnd(&seed);
	for (size_t i = 1000; i + 2 < big; i += 40000) {
		tail[i] = 0x78;
		tail[i + 1] = (i / 40000) % 2 ? 0x9c : 0xda;
	}
	/* zlib.compress(b'{"other":[1,2,3]}') */
	static const unsigned char other[] = { 0x78, 0x9c, 0xab, 0x56, 0xca, 0x2f, 0xc9, 0x48, 0x2d, 0x52, 0xb2, 0x8a,
					       0x36, 0xd4, 0x31, 0xd2, 0x31, 0x8e, 0xad, 0x05, 0x00, 0x32, 0x2e, 0x05,
					       0x3f };
	memcpy(tail + big - 5000, other, sizeof other);
	memcpy(tail + big, dep, dn);
	memset(tail + big + dn, 0x78, 64);
	size_t len;
	unsigned char *elf = elf_with_tail(tail, big + dn + 64, &len);
	/* 1-byte pieces over 3 MiB take a while: 4096 and whole here, 1 and 7
	 * on the fixtures above. */
	const size_t pieces[] = { 4096, 0 };
	for (size_t i = 0; i < 2; i++) {
		struct artifact a;
		artifact_init(&a);
		bool taken;
		assert_int_equal(stream_feed(&analyzer_rust, "x", EXEC_MODE, elf, len, pieces[i], &a, &taken), 0);
		char *got = pkg_lines(&a, PKG_CARGO);
		assert_string_equal(got, AUDIT_WANT);
		free(got);
		artifact_free(&a);
	}
	free(elf);
	free(tail);
	free(dep);
}

/* A stream past the JSON limit, a stream cut short, damaged JSON. */
static void test_auditable_hostile(void **state)
{
	(void)state;
	size_t bn, len;
	unsigned char *bomb = test_read_file(data_path("bomb.z"), &bn);
	unsigned char *elf = elf_with_tail(bomb, bn, &len);
	check_pieces("bomb", elf, len, "", NULL);
	free(elf);
	free(bomb);
	size_t dn;
	unsigned char *dep = dep_section(&dn);
	elf = elf_with_tail(dep, dn / 2, &len);
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	bool taken;
	assert_int_equal(stream_feed(&analyzer_rust, "x", EXEC_MODE, elf, len, 7, &a, &taken), 0);
	assert_int_equal(a.npkgs, 0);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);
	free(elf);
	free(dep);
	const char *bad[] = { "{\"packages\":{}}", "{\"packages\":[1,{\"name\":\"a b\",\"version\":\"1\"},"
						   "{\"name\":\"ok\",\"version\":\"1.0.0\",\"dependencies\":[-1,99,\"x\"],\"root\":true}]}",
			      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		artifact_init(&a);
		a.silent = true;
		assert_int_equal(cargo_auditable_parse(bad[i], strlen(bad[i]), "x", &a), 0);
		assert_true(a.npkgs <= 1);
		artifact_free(&a);
	}
}

/* PE: .dep-v0 is a section in the table at the start. */
static void test_auditable_pe(void **state)
{
	(void)state;
	size_t dn;
	unsigned char *dep = dep_section(&dn);
	size_t len = 0x600 + 0x400;
	unsigned char *b = calloc(1, len);
	b[0] = 'M';
	b[1] = 'Z';
	b[0x3c] = 0x80;
	memcpy(b + 0x80, "PE\0\0", 4);
	b[0x84] = 0x64;
	b[0x85] = 0x86;
	b[0x86] = 1;               /* one section */
	b[0x94] = 0xf0;            /* SizeOfOptionalHeader */
	b[0x98] = 0x0b;
	b[0x99] = 0x02;            /* PE32+ */
	size_t s = 0x98 + 0xf0;
	memcpy(b + s, ".dep-v0", 7);
	b[s + 8] = (unsigned char)dn;     /* VirtualSize */
	b[s + 9] = (unsigned char)(dn >> 8);
	b[s + 13] = 0x30;                 /* VirtualAddress 0x3000 */
	b[s + 17] = 0x04;                 /* SizeOfRawData 0x400 */
	b[s + 21] = 0x06;                 /* PointerToRawData 0x600 */
	b[s + 39] = 0x40;                 /* readable */
	memcpy(b + 0x600, dep, dn);
	check_pieces("PE", b, len, AUDIT_WANT, NULL);
	free(b);
	free(dep);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_fixtures),
		cmocka_unit_test(test_lock_relationships),
		cmocka_unit_test(test_lock_versions),
		cmocka_unit_test(test_lock_damaged),
		cmocka_unit_test(test_auditable_fixtures),
		cmocka_unit_test(test_auditable_large_tail),
		cmocka_unit_test(test_auditable_hostile),
		cmocka_unit_test(test_auditable_pe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
