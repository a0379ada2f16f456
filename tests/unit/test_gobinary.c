/* Go binaries: the go-binary fixtures against expected.json, streamed in
 * pieces of 1, 7, 4096 bytes and whole; synthetic ELF and Mach-O files for
 * what the fixtures do not cover (the pointer format in ELF with either
 * linker layout, 32-bit big-endian, no Go note, inline strings that need
 * the capture extended); the -ldflags and semver rules; go.mod. */
#include "streamfeed.h"

#include <dirent.h>
#include <sys/stat.h>

#include "analyze/gobinary.h"
#include "analyze/gomod.h"
#include "util/log.h"

extern const struct analyzer analyzer_gobinary;

static const size_t PIECES[] = { 1, 7, 4096, 0 };
#define EXEC_MODE (S_IFREG | 0755)

/* Feeds data in every piece size and checks each gives `want` (sorted
 * "name@version" lines); returns the artifact of the last run. */
static void check_pieces_n(const char *what, const unsigned char *data, size_t len, const char *want,
			   struct artifact *last, size_t npieces)
{
	for (size_t i = 0; i < npieces; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		bool taken;
		assert_int_equal(stream_feed(&analyzer_gobinary, "bin/app", EXEC_MODE, data, len, PIECES[i], &a, &taken),
				 0);
		char *got = pkg_lines(&a, PKG_GOLANG);
		if (strcmp(got, want) != 0)
			fail_msg("%s, pieces of %zu: got\n%swant\n%s", what, PIECES[i], got, want);
		free(got);
		if (i + 1 < npieces)
			artifact_free(&a);
		else
			*last = a;
	}
}

static void check_pieces(const char *what, const unsigned char *data, size_t len, const char *want,
			 struct artifact *last)
{
	check_pieces_n(what, data, len, want, last, sizeof PIECES / sizeof PIECES[0]);
}

/* ---- fixtures ---- */

/* Trivy reports a main module without a version as the root package;
 * bosun leaves it out (nothing to match it against): so does `want`. */
static char *expected_lines(json_t *exp)
{
	struct artifact a;
	artifact_init(&a);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(exp, "packages"), i, p) {
		const char *v = json_string_value(json_object_get(p, "version"));
		if (!v || !*v)
			continue;
		struct package *pkg = artifact_add_package(&a);
		pkg->type = PKG_GOLANG;
		pkg->name = arena_strdup(&a.arena, json_string_value(json_object_get(p, "name")));
		pkg->version = arena_strdup(&a.arena, v);
	}
	char *s = pkg_lines(&a, PKG_GOLANG);
	artifact_free(&a);
	return s;
}

static void run_case(const char *name)
{
	char rel[512];
	snprintf(rel, sizeof rel, "go-binary/%s/expected.json", name);
	json_t *exp = test_load_json(test_pkgdb_path(rel));
	const char *input = json_string_value(json_array_get(json_object_get(exp, "inputs"), 0));
	snprintf(rel, sizeof rel, "go-binary/%s/%s", name, input);
	size_t len;
	unsigned char *data = test_read_file(test_pkgdb_path(rel), &len);
	char *want = expected_lines(exp);
	struct artifact a;
	check_pieces(name, data, len, want, &a);
	/* Relationships as Trivy gives them: the main module is the root,
	 * the toolchain a direct dependency. */
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(exp, "packages"), i, p) {
		const char *v = json_string_value(json_object_get(p, "version"));
		const char *r = json_string_value(json_object_get(p, "relationship"));
		const char *got = v ? pkg_rel(&a, json_string_value(json_object_get(p, "name")), v) : NULL;
		if (v && r && strcmp(r, "RelationshipRoot") == 0)
			assert_string_equal(got, "root");
		if (v && r && strcmp(r, "RelationshipDirect") == 0)
			assert_string_equal(got, "direct");
	}
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
	free(want);
	free(data);
	json_decref(exp);
}

static void test_fixtures(void **state)
{
	(void)state;
	DIR *d = opendir(test_pkgdb_path("go-binary"));
	assert_non_null(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		run_case(de->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 2);
}

/* A fixture cut short anywhere yields a subset of its packages and no
 * crash: nothing is invented from a partial file. */
static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	unsigned char *data = test_read_file(test_pkgdb_path("go-binary/trivy-test-exe/test.exe"), &len);
	const size_t cuts[] = { 0, 10, 64, 300, 4096, 0x1b1a00, 0x1b1a10, 0x1b1a30, 0x1c3f00, len - 1 };
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		bool taken;
		stream_feed(&analyzer_gobinary, "x.exe", EXEC_MODE, data, cuts[i], 4096, &a, &taken);
		for (size_t k = 0; k < a.npkgs; k++)
			assert_true(strstr("stdlib github.com/aquasecurity/go-pep440-version "
					   "github.com/aquasecurity/go-version golang.org/x/xerrors",
					   a.pkgs[k].name) != NULL);
		artifact_free(&a);
	}
	free(data);
}

/* ---- synthetic binaries ---- */

struct img {
	unsigned char *b;
	size_t len;
	bool be, is64;
};

static void put(struct img *m, size_t off, uint64_t v, unsigned size)
{
	assert_true(off + size <= m->len);
	for (unsigned i = 0; i < size; i++)
		m->b[off + i] = (unsigned char)(v >> (m->be ? (size - 1 - i) * 8 : i * 8));
}

static void put_bytes(struct img *m, size_t off, const void *p, size_t n)
{
	assert_true(off + n <= m->len);
	memcpy(m->b + off, p, n);
}

#define TEXT_OFF 0x1000
#define RO_OFF 0x2000
#define DATA_OFF 0x4000
#define FILE_LEN 0x6000
#define VA(off) (0x400000 + (uint64_t)(off))

/* ELF with a Go build-ID note (unless !note) and three PT_LOADs: text,
 * rodata, data, each mapped at 0x400000 + file offset. */
static struct img elf_new(bool is64, bool be, bool note)
{
	struct img m = { calloc(1, FILE_LEN), FILE_LEN, be, is64 };
	/* Filler that looks like code and strings, with decoys. */
	for (size_t i = TEXT_OFF; i < FILE_LEN; i++)
		m.b[i] = (unsigned char)(i * 7 + 3);
	put_bytes(&m, RO_OFF + 0x10, "go1.x go1.9 not-a-version go1.", 30);
	memcpy(m.b, "\x7f" "ELF", 4);
	m.b[4] = is64 ? 2 : 1;
	m.b[5] = be ? 2 : 1;
	m.b[6] = 1;
	put(&m, 16, 2, 2);
	put(&m, 18, is64 ? 62 : 3, 2);
	unsigned ph = is64 ? 56 : 32, ps = is64 ? 8 : 4;
	size_t phoff = is64 ? 64 : 52;
	put(&m, is64 ? 32 : 28, phoff, ps);
	put(&m, is64 ? 54 : 42, ph, 2);
	put(&m, is64 ? 56 : 44, note ? 4 : 3, 2);
	struct {
		uint32_t type, flags;
		uint64_t off, len;
	} segs[] = { { 1, 5, TEXT_OFF, 0x1000 }, { 1, 4, RO_OFF, 0x2000 }, { 1, 6, DATA_OFF, 0x2000 }, { 4, 4, 0x200, 0x20 } };
	for (size_t i = 0; i < (note ? 4u : 3u); i++) {
		size_t o = phoff + i * ph;
		put(&m, o, segs[i].type, 4);
		put(&m, o + (is64 ? 4 : 24), segs[i].flags, 4);
		put(&m, o + (is64 ? 8 : 4), segs[i].off, ps);
		put(&m, o + (is64 ? 16 : 8), VA(segs[i].off), ps);
		put(&m, o + (is64 ? 32 : 16), segs[i].len, ps);
		put(&m, o + (is64 ? 40 : 20), segs[i].len, ps);
		put(&m, o + (is64 ? 48 : 28), 4, ps);
	}
	if (note) {
		put(&m, 0x200, 4, 4);
		put(&m, 0x204, 8, 4);
		put(&m, 0x208, 4, 4);
		put_bytes(&m, 0x20c, "Go\0\0buildid!", 12);
	}
	return m;
}

static const char MODINFO[] = "path\texample.com/app\n"
			      "mod\texample.com/app\t(devel)\t\n"
			      "dep\tgithub.com/a/b\tv1.2.3\th1:aaaa=\n"
			      "dep\tgithub.com/old/x\tv1.0.0\th1:bbbb=\n"
			      "=>\tgithub.com/new/x\tv1.1.0\th1:cccc=\n"
			      "dep\texample.com/local\tv0.1.0\n"
			      "=>\t../local\t\t\n";
static const char MODINFO_WANT[] = "github.com/a/b@v1.2.3\ngithub.com/new/x@v1.1.0\nstdlib@v1.16.5\n";
static const unsigned char START[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char END[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
				       0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

/* The framed module list at off; returns its length. */
static size_t put_modinfo(struct img *m, size_t off, const char *text)
{
	size_t n = strlen(text);
	put_bytes(m, off, START, 16);
	put_bytes(m, off + 16, text, n);
	put_bytes(m, off + 16 + n, END, 16);
	return n + 32;
}

/* A pointer-format blob at blob pointing at string headers at h1, h2,
 * which point at "go1.16.5" at vs and the module list at ms. */
static void put_pointer_blob(struct img *m, size_t blob, size_t h1, size_t h2, size_t vs, size_t ms)
{
	unsigned ps = m->is64 ? 8 : 4;
	put_bytes(m, vs, "go1.16.5", 8);
	size_t mlen = put_modinfo(m, ms, MODINFO);
	put_bytes(m, blob, "\xff Go buildinf:", 14);
	m->b[blob + 14] = (unsigned char)ps;
	m->b[blob + 15] = m->be ? 1 : 0;
	put(m, blob + 16, VA(h1), ps);
	put(m, blob + 16 + ps, VA(h2), ps);
	put(m, h1, VA(vs), ps);
	put(m, h1 + ps, 8, ps);
	put(m, h2, VA(ms), ps);
	put(m, h2 + ps, mlen, ps);
}

/* Go's own linker: blob first in the data segment, string headers after
 * it, string bytes in rodata (gone by when the blob arrives). */
static void test_pointer_internal(void **state)
{
	(void)state;
	struct img m = elf_new(true, false, true);
	put_pointer_blob(&m, DATA_OFF, DATA_OFF + 0x100, DATA_OFF + 0x180, RO_OFF + 0x333, RO_OFF + 0x800);
	struct artifact a;
	check_pieces("pointer format, internal linking", m.b, m.len, MODINFO_WANT, &a);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
	free(m.b);
}

/* A system linker: .data (with the headers) before .go.buildinfo. */
static void test_pointer_external(void **state)
{
	(void)state;
	struct img m = elf_new(true, false, true);
	put_pointer_blob(&m, DATA_OFF + 0x1200, DATA_OFF + 0x28, DATA_OFF + 0x338, RO_OFF + 0x333, RO_OFF + 0x1000);
	struct artifact a;
	check_pieces("pointer format, external linking", m.b, m.len, MODINFO_WANT, &a);
	artifact_free(&a);
	free(m.b);
}

/* 32-bit big-endian (ppc, mips, s390 layouts). */
static void test_pointer_32be(void **state)
{
	(void)state;
	struct img m = elf_new(false, true, true);
	put_pointer_blob(&m, DATA_OFF + 0x800, DATA_OFF + 0x24, DATA_OFF + 0xa00, RO_OFF + 0x101, RO_OFF + 0x1800);
	struct artifact a;
	check_pieces("pointer format, 32-bit big-endian", m.b, m.len, MODINFO_WANT, &a);
	artifact_free(&a);
	free(m.b);
}

/* Strings after the blob are captured as they arrive. */
static void test_pointer_strings_after(void **state)
{
	(void)state;
	struct img m = elf_new(true, false, false);
	put_pointer_blob(&m, DATA_OFF, DATA_OFF + 0x40, DATA_OFF + 0x60, DATA_OFF + 0x100, DATA_OFF + 0x400);
	struct artifact a;
	check_pieces("pointer format, strings after the blob", m.b, m.len, MODINFO_WANT, &a);
	artifact_free(&a);
	free(m.b);
}

/* Without a Go note nothing was remembered: the strings that went by are
 * out of reach. A warning, and nothing invented. (Fed whole, the file is
 * one piece and nothing has gone by: not checked here.) */
static void test_pointer_unreachable(void **state)
{
	(void)state;
	struct img m = elf_new(true, false, false);
	put_pointer_blob(&m, DATA_OFF, DATA_OFF + 0x100, DATA_OFF + 0x180, RO_OFF + 0x333, RO_OFF + 0x800);
	struct artifact a;
	check_pieces_n("pointer format without a Go note", m.b, m.len, "", &a, 3);
	assert_int_equal(a.nwarnings, 1);
	assert_non_null(strstr(a.warnings[0], "went by"));
	artifact_free(&a);
	free(m.b);
}

/* Pointers outside the file, lengths past the limits. */
static void test_pointer_hostile(void **state)
{
	(void)state;
	struct img m = elf_new(true, false, true);
	put_pointer_blob(&m, DATA_OFF, DATA_OFF + 0x100, DATA_OFF + 0x180, RO_OFF + 0x333, RO_OFF + 0x800);
	put(&m, DATA_OFF + 16, 0xdeadbeef000, 8);
	struct artifact a;
	check_pieces("pointer outside the file", m.b, m.len, "", &a);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);
	put(&m, DATA_OFF + 16, VA(DATA_OFF + 0x100), 8);
	put(&m, DATA_OFF + 0x188, (uint64_t)1 << 40, 8);
	check_pieces("huge module list", m.b, m.len, "", &a);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);
	free(m.b);
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Go 1.18+: strings inline after the header, here a module list long
 * enough that the capture must grow several times. */
static void test_inline_large(void **state)
{
	(void)state;
	size_t deps = 300;
	char *text = malloc(deps * 64 + 256);
	size_t n = (size_t)sprintf(text, "path\tx.io/app\nmod\tx.io/app\tv1.4.0\th1:z=\n");
	for (size_t i = 0; i < deps; i++)
		n += (size_t)sprintf(text + n, "dep\tgithub.com/dep%03zu/lib\tv0.%zu.1\th1:hash%zu=\n", i, i, i);
	size_t flen = DATA_OFF + 0x100 + n + 64 + 0x1000;
	struct img m = elf_new(true, false, true);
	m.b = realloc(m.b, flen);
	memset(m.b + FILE_LEN, 0x5a, flen - FILE_LEN);
	m.len = flen;
	put(&m, 64 + 2 * 56 + 32, flen - DATA_OFF, 8); /* data segment p_filesz */
	size_t o = DATA_OFF + 0x80;
	put_bytes(&m, o, "\xff Go buildinf:\x08\x02", 16);
	memset(m.b + o + 16, 0, 16);
	o += 32;
	o += put_uvarint(m.b + o, 9);
	put_bytes(&m, o, "go1.21.13", 9);
	o += 9;
	o += put_uvarint(m.b + o, n + 32);
	put_modinfo(&m, o, text);
	char *want = malloc(deps * 64 + 256);
	size_t w = 0;
	for (size_t i = 0; i < deps; i++)
		w += (size_t)sprintf(want + w, "github.com/dep%03zu/lib@v0.%zu.1\n", i, i);
	sprintf(want + w, "stdlib@v1.21.13\nx.io/app@v1.4.0\n");
	struct artifact a;
	check_pieces("inline, 300 modules", m.b, m.len, want, &a);
	assert_string_equal(pkg_rel(&a, "x.io/app", "v1.4.0"), "root");
	artifact_free(&a);
	/* cut inside the strings: a warning, no packages */
	check_pieces("inline, cut short", m.b, o + 100, "", &a);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);
	free(want);
	free(text);
	free(m.b);
}

/* A 64-bit little-endian Mach-O with __DATA,__go_buildinfo (Go 1.18+). */
static void test_macho(void **state)
{
	(void)state;
	struct img m = { calloc(1, 0x3000), 0x3000, false, true };
	put(&m, 0, 0xfeedfacf, 4);
	put(&m, 16, 1, 4);          /* ncmds */
	put(&m, 20, 72 + 80, 4);    /* sizeofcmds */
	size_t c = 32;
	put(&m, c, 0x19, 4);        /* LC_SEGMENT_64 */
	put(&m, c + 4, 72 + 80, 4);
	put_bytes(&m, c + 8, "__DATA", 6);
	put(&m, c + 24, 0x100002000, 8);
	put(&m, c + 32, 0x1000, 8);
	put(&m, c + 40, 0x2000, 8);
	put(&m, c + 48, 0x1000, 8);
	put(&m, c + 56, 3, 4);
	put(&m, c + 60, 3, 4);
	put(&m, c + 64, 1, 4);      /* nsects */
	size_t s = c + 72;
	put_bytes(&m, s, "__go_buildinfo", 14);
	put_bytes(&m, s + 16, "__DATA", 6);
	put(&m, s + 32, 0x100002000, 8);
	put(&m, s + 40, 0x200, 8);
	put(&m, s + 48, 0x2000, 4);
	size_t o = 0x2000;
	put_bytes(&m, o, "\xff Go buildinf:\x08\x02", 16);
	o += 32;
	o += put_uvarint(m.b + o, 8);
	put_bytes(&m, o, "go1.20.4", 8);
	o += 8;
	const char *text = "path\tx.io/tool\nmod\tx.io/tool\tv0.0.0-20230101-abcdef\t\n"
			   "build\t-ldflags=\"-s -w -X main.Version=v2.3.4\"\n";
	o += put_uvarint(m.b + o, strlen(text) + 32);
	put_modinfo(&m, o, text);
	struct artifact a;
	check_pieces("Mach-O", m.b, m.len, "stdlib@v1.20.4\nx.io/tool@v2.3.4\n", &a);
	artifact_free(&a);
	free(m.b);
}

/* Files that are not executables, or too small, are not taken. */
static void test_not_taken(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	bool taken;
	unsigned char txt[100] = "#!/bin/sh\necho hello\n";
	stream_feed(&analyzer_gobinary, "bin/script", EXEC_MODE, txt, sizeof txt, 0, &a, &taken);
	assert_false(taken);
	struct img m = elf_new(true, false, true);
	stream_feed(&analyzer_gobinary, "lib/data.bin", S_IFREG | 0644, m.b, m.len, 0, &a, &taken);
	assert_false(taken);
	stream_feed(&analyzer_gobinary, "x.exe", S_IFREG | 0644, m.b, m.len, 0, &a, &taken);
	assert_true(taken);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
	free(m.b);
}

/* ---- rules ---- */

static void test_ldflags(void **state)
{
	(void)state;
	char v[64];
	const char *mod = "github.com/aquasecurity/test";
	assert_true(go_ldflags_version(mod, "-w -X main.version=v1.0.0", v, sizeof v));
	assert_string_equal(v, "v1.0.0");
	assert_true(go_ldflags_version(mod, "-X 'main.version=1.0.0'", v, sizeof v));
	assert_string_equal(v, "1.0.0");
	assert_true(go_ldflags_version(mod, "-X=main.version=1.0.0", v, sizeof v));
	assert_true(go_ldflags_version(mod, "-X \"main.version=1.0.0\"", v, sizeof v));
	assert_true(go_ldflags_version(mod, "-s -Xmain.ver=0.3.0", v, sizeof v));
	assert_string_equal(v, "0.3.0");
	/* the module's own cmd/ first, then main/common/version/cmd, then any */
	assert_true(go_ldflags_version(mod, "-X main.version=2.0.0 -X github.com/aquasecurity/test/cmd/t/version.Version=1.2.3",
				       v, sizeof v));
	assert_string_equal(v, "1.2.3");
	assert_true(go_ldflags_version(mod, "-X github.com/x/y/build.Version=9.9.9 -X common.ver=1.1.1", v, sizeof v));
	assert_string_equal(v, "1.1.1");
	assert_true(go_ldflags_version(mod, "-X github.com/x/y/build.Version=9.9.9", v, sizeof v));
	assert_string_equal(v, "9.9.9");
	/* ambiguous, not semver, not a version key */
	assert_false(go_ldflags_version(mod, "-X main.version=1.0.0 -X main.Version=2.0.0", v, sizeof v));
	assert_false(go_ldflags_version(mod, "-X main.version=dev", v, sizeof v));
	assert_false(go_ldflags_version(mod, "-X main.commit=1.0.0", v, sizeof v));
	assert_false(go_ldflags_version(mod, "-linkmode external", v, sizeof v));
	assert_false(go_ldflags_version(mod, "-X", v, sizeof v));
	assert_false(go_ldflags_version(mod, "'unterminated -X main.version=1.0.0", v, sizeof v));
}

static void test_semver(void **state)
{
	(void)state;
	const char *ok[] = { "v1", "v1.2", "v1.2.3", "v0.0.0-20210121094942-22b2f8951d46", "v3.2.0+incompatible",
			     "v1.2.3-rc.1+build.5", "v10.20.30" };
	const char *bad[] = { "1.2.3", "v", "v01.2.3", "v1.2.3.4", "v1.2-pre", "v1.2.3-", "v1.2.3-01", "v1.2.3+",
			      "v1..3", "v1.2.3 " };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(go_semver_valid(ok[i], strlen(ok[i])));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (go_semver_valid(bad[i], strlen(bad[i])))
			fail_msg("%s accepted", bad[i]);
}

static void test_buildinfo_text(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	const char *t = "mod\tx.io/m\t(devel)\t\ndep\t\t(devel)\ndep\ty.io/d\tv1.0.0\n=>\ty.io/e\tv1.0.1\t\n"
			"dep\tz.io/bad\tv1 .0\nbuild\tGOOS=linux\n";
	assert_int_equal(go_buildinfo_packages("go1.22.3 X:boringcrypto", t, strlen(t), "bin/m", &a), 0);
	char *got = pkg_lines(&a, PKG_GOLANG);
	assert_string_equal(got, "stdlib@v1.22.3\ny.io/e@v1.0.1\n");
	free(got);
	artifact_free(&a);
	artifact_init(&a);
	assert_int_equal(go_buildinfo_packages("devel go1.23-abcdef Tue", "", 0, "bin/m", &a), 0);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

/* ---- go.mod ---- */

static const char GOMOD[] = "module example.com/app // the app\n"
			    "\n"
			    "go 1.21\n"
			    "toolchain go1.21.5\n"
			    "require github.com/single/line v1.0.0\n"
			    "require (\n"
			    "\tgithub.com/dgrijalva/jwt-go v3.2.0+incompatible\n"
			    "\tgolang.org/x/net v0.7.0 // indirect\n"
			    "\t\"github.com/quoted/path\" v0.1.0\n"
			    "\tgithub.com/replaced/all v1.0.0\n"
			    "\tgithub.com/replaced/one v1.0.0 // indirect; for tests\n"
			    "\tgithub.com/replaced/local v0.3.0\n"
			    ")\n"
			    "replace github.com/replaced/all => github.com/fork/all v1.0.5\n"
			    "replace (\n"
			    "\tgithub.com/replaced/one v1.0.0 => github.com/fork/one v1.0.1\n"
			    "\tgithub.com/replaced/one v0.9.0 => github.com/fork/wrong v0.0.1\n"
			    "\tgithub.com/replaced/local => ../local\n"
			    ")\n"
			    "exclude github.com/excluded v1.0.0\n"
			    "retract v0.1.0\n";

static void test_gomod(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(gomod_parse(GOMOD, strlen(GOMOD), NULL, 0, "go.mod", &a), 0);
	char *got = pkg_lines(&a, PKG_GOLANG);
	assert_string_equal(got, "github.com/dgrijalva/jwt-go@v3.2.0+incompatible\n"
				 "github.com/fork/all@v1.0.5\n"
				 "github.com/fork/one@v1.0.1\n"
				 "github.com/quoted/path@v0.1.0\n"
				 "github.com/single/line@v1.0.0\n"
				 "golang.org/x/net@v0.7.0\n"
				 "stdlib@v1.21.5\n");
	free(got);
	assert_string_equal(pkg_rel(&a, "golang.org/x/net", "v0.7.0"), "indirect");
	assert_string_equal(pkg_rel(&a, "github.com/fork/one", "v1.0.1"), "indirect");
	assert_string_equal(pkg_rel(&a, "github.com/dgrijalva/jwt-go", "v3.2.0+incompatible"), "direct");
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

/* Go 1.16 and earlier: go.sum supplies the indirect modules. */
static void test_gomod_sum(void **state)
{
	(void)state;
	const char *mod = "module m\n\ngo 1.16\n\nrequire github.com/a/a v1.0.0\n";
	const char *sum = "github.com/a/a v1.0.0 h1:x=\ngithub.com/a/a v1.0.0/go.mod h1:y=\n"
			  "github.com/b/b v0.9.0/go.mod h1:z=\ngithub.com/b/b v1.1.0 h1:w=\n"
			  "github.com/b/b v1.1.0/go.mod h1:v=\ngithub.com/c/c v2.0.0/go.mod h1:u=\n";
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(gomod_parse(mod, strlen(mod), sum, strlen(sum), "go.mod", &a), 0);
	char *got = pkg_lines(&a, PKG_GOLANG);
	assert_string_equal(got, "github.com/a/a@v1.0.0\ngithub.com/b/b@v1.1.0\n");
	free(got);
	assert_string_equal(pkg_rel(&a, "github.com/b/b", "v1.1.0"), "indirect");
	artifact_free(&a);
	/* from 1.17 on go.mod is complete: go.sum adds nothing */
	const char *mod17 = "module m\ngo 1.17\nrequire github.com/a/a v1.0.0\n";
	artifact_init(&a);
	assert_int_equal(gomod_parse(mod17, strlen(mod17), sum, strlen(sum), "go.mod", &a), 0);
	assert_int_equal(a.npkgs, 1);
	artifact_free(&a);
}

static void test_gomod_damaged(void **state)
{
	(void)state;
	const char *mod = "module m\nrequire (\n\tgithub.com/a \"unterminated\n\tgithub.com/b\n"
			  "\tgithub.com/c v1 x y z\n\tgithub.com/ok v1.0.0\n)\nreplace => x\ngo 1.22.1\n";
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(gomod_parse(mod, strlen(mod), NULL, 0, "go.mod", &a), 0);
	char *got = pkg_lines(&a, PKG_GOLANG);
	assert_string_equal(got, "github.com/ok@v1.0.0\nstdlib@v1.22.1\n");
	free(got);
	assert_int_equal(a.nwarnings, 4);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_pointer_internal),
		cmocka_unit_test(test_pointer_external),
		cmocka_unit_test(test_pointer_32be),
		cmocka_unit_test(test_pointer_strings_after),
		cmocka_unit_test(test_pointer_unreachable),
		cmocka_unit_test(test_pointer_hostile),
		cmocka_unit_test(test_inline_large),
		cmocka_unit_test(test_macho),
		cmocka_unit_test(test_not_taken),
		cmocka_unit_test(test_ldflags),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_buildinfo_text),
		cmocka_unit_test(test_gomod),
		cmocka_unit_test(test_gomod_sum),
		cmocka_unit_test(test_gomod_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
