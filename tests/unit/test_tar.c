/* The tar reader on crafted archives. Every case is read with several chunk
 * sizes (1 byte, odd sizes, block-aligned, whole), since the reader must not
 * care where the stream's chunk boundaries fall. */
#include "testutil.h"
#include "tarbuild.h"

#include "image/tar.h"

static const size_t chunks[] = { 1, 3, 100, 511, 512, 513, 4096, 1 << 20 };
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

#define MAXE 16
struct got {
	int rc;
	char msg[1024];
	size_t n;
	char name[MAXE][512];
	char link[MAXE][512];
	enum tar_type type[MAXE];
	uint64_t size[MAXE], offset[MAXE];
	uint32_t mode[MAXE];
	bool sparse[MAXE];
	char data[MAXE][2048];
	size_t data_len[MAXE];
};

/* Reads every entry, and its data when read_data; stops at the first error. */
static void read_tar(const struct tb *t, size_t chunk, bool read_data, struct got *g)
{
	memset(g, 0, sizeof *g);
	struct mem_source m;
	struct tar_reader r;
	tar_init(&r, mem_source_chunks(&m, t->p, t->n, chunk));
	struct berr e = { 0 };
	for (;;) {
		struct tar_entry ent;
		bool end;
		g->rc = tar_next(&r, &ent, &end, &e);
		if (g->rc || end)
			break;
		assert_true(g->n < MAXE);
		size_t i = g->n++;
		snprintf(g->name[i], sizeof g->name[i], "%s", ent.name);
		snprintf(g->link[i], sizeof g->link[i], "%s", ent.link);
		g->type[i] = ent.type;
		g->size[i] = ent.size;
		g->offset[i] = ent.offset;
		g->mode[i] = ent.mode;
		g->sparse[i] = ent.sparse;
		if (read_data) {
			struct buf b = { 0 };
			g->rc = tar_read_all(&r, &b, sizeof g->data[i] - 1, &e);
			if (b.len)
				memcpy(g->data[i], b.data, b.len);
			g->data_len[i] = b.len;
			buf_free(&b);
			if (g->rc)
				break;
		}
	}
	snprintf(g->msg, sizeof g->msg, "%s", e.msg);
	tar_free(&r);
}

/* Runs read_tar at every chunk size and checks they all agree with the first. */
static void read_tar_all_chunks(const struct tb *t, bool read_data, struct got *g)
{
	static struct got other;
	read_tar(t, chunks[0], read_data, g);
	for (size_t c = 1; c < NCHUNKS; c++) {
		read_tar(t, chunks[c], read_data, &other);
		assert_int_equal(other.rc, g->rc);
		assert_string_equal(other.msg, g->msg);
		assert_int_equal(other.n, g->n);
		for (size_t i = 0; i < g->n; i++) {
			assert_string_equal(other.name[i], g->name[i]);
			assert_int_equal(other.size[i], g->size[i]);
			assert_int_equal(other.offset[i], g->offset[i]);
			assert_int_equal(other.data_len[i], g->data_len[i]);
			assert_memory_equal(other.data[i], g->data[i], g->data_len[i]);
		}
	}
}

static struct got G;

static void test_ustar_basic(void **state)
{
	(void)state;
	struct tb t = { 0 };
	tb_entry(&t, "etc/", '5', NULL);
	tb_file(&t, "etc/hostname", "box\n", 4);
	tb_entry(&t, "etc/link", '2', "hostname");
	tb_entry(&t, "etc/hard", '1', "etc/hostname");
	tb_entry(&t, "dev/null", '3', NULL);
	tb_entry(&t, "dev/fifo", '6', NULL);
	struct tb_ent odd = { .name = "odd", .type = 'Z', .size = 700 };
	tb_header(&t, &odd); /* unknown type: data skipped */
	tb_zeros(&t, 1024);
	tb_file(&t, "after", "x", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 8);
	assert_string_equal(G.name[0], "etc/");
	assert_int_equal(G.type[0], TAR_DIR);
	assert_int_equal(G.type[1], TAR_REG);
	assert_int_equal(G.data_len[1], 4);
	assert_memory_equal(G.data[1], "box\n", 4);
	assert_int_equal(G.offset[1], 1024); /* after two headers */
	assert_int_equal(G.mode[1], 0644);
	assert_int_equal(G.type[2], TAR_SYMLINK);
	assert_string_equal(G.link[2], "hostname");
	assert_int_equal(G.type[3], TAR_HARDLINK);
	assert_string_equal(G.link[3], "etc/hostname");
	assert_int_equal(G.type[4], TAR_CHAR);
	assert_int_equal(G.type[5], TAR_FIFO);
	assert_int_equal(G.type[6], TAR_OTHER);
	assert_string_equal(G.name[7], "after");
	assert_memory_equal(G.data[7], "x", 1);
	tb_free(&t);
}

static void test_ustar_prefix_and_full_width_name(void **state)
{
	(void)state;
	char name100[101];
	memset(name100, 'n', 100);
	name100[100] = '\0';
	struct tb t = { 0 };
	struct tb_ent e = { .name = "file.txt", .prefix = "usr/share/some/deep/dir", .size = 0 };
	tb_header(&t, &e);
	struct tb_ent full = { .name = name100, .size = 0 };
	tb_header(&t, &full); /* 100 bytes, no NUL: the field's full width is the name */
	struct tb_ent gnu = { .name = "plain", .prefix = "ignored-not-ustar", .gnu_magic = true };
	tb_header(&t, &gnu); /* GNU magic: bytes 345.. are not a prefix */
	tb_end(&t);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 3);
	assert_string_equal(G.name[0], "usr/share/some/deep/dir/file.txt");
	assert_string_equal(G.name[1], name100);
	assert_string_equal(G.name[2], "plain");
	tb_free(&t);
}

static void test_gnu_long_name_and_link(void **state)
{
	(void)state;
	char longname[301], longlink[401];
	memset(longname, 'a', 300);
	longname[300] = '\0';
	memcpy(longname + 100, "/", 1);
	memset(longlink, 'b', 400);
	longlink[400] = '\0';
	struct tb t = { 0 };
	tb_ext(&t, 'L', longname, strlen(longname) + 1); /* GNU includes the NUL */
	tb_ext(&t, 'K', longlink, strlen(longlink));
	tb_entry(&t, "truncated-name", '2', "truncated-link");
	tb_file(&t, "short", "s", 1); /* the long name applied to one entry only */
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 2);
	assert_string_equal(G.name[0], longname);
	assert_string_equal(G.link[0], longlink);
	assert_int_equal(G.type[0], TAR_SYMLINK);
	assert_string_equal(G.name[1], "short");
	assert_string_equal(G.link[1], "");
	tb_free(&t);
}

static void test_pax_path_linkpath_size(void **state)
{
	(void)state;
	struct tb pax = { 0 };
	tb_pax_record(&pax, "path", "pax/overrides/the/long/name");
	tb_pax_record(&pax, "linkpath", "pax-link");
	tb_pax_record(&pax, "size", "5");
	tb_pax_record(&pax, "mtime", "1700000000.5");
	tb_pax_record(&pax, "SCHILY.xattr.user.x", "ignored");
	struct tb t = { 0 };
	tb_ext(&t, 'L', "gnu-long-name-loses", 20);
	tb_ext(&t, 'x', pax.p, pax.n);
	struct tb_ent e = { .name = "header-name", .type = '0', .size = 0 };
	tb_header(&t, &e); /* header says 0 bytes, pax says 5 */
	tb_raw(&t, "hello", 5);
	tb_pad(&t);
	struct tb g = { 0 };
	tb_pax_record(&g, "comment", "global headers are skipped");
	tb_ext(&t, 'g', g.p, g.n);
	tb_file(&t, "next", "n", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 2);
	assert_string_equal(G.name[0], "pax/overrides/the/long/name");
	assert_string_equal(G.link[0], "pax-link");
	assert_int_equal(G.size[0], 5);
	assert_memory_equal(G.data[0], "hello", 5);
	assert_string_equal(G.name[1], "next");
	tb_free(&pax);
	tb_free(&g);
	tb_free(&t);
}

static void test_pax_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"5 path=x\n",      /* length too short for the record */
		"99 path=x\n",     /* length past the end */
		"11 pathxyz\n",    /* no '=' */
		"abc path=x\n",    /* no length */
		"12 size=-1\n\n",  /* not a number */
		"29 size=99999999999999999999\n", /* 20 digits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tb t = { 0 };
		tb_ext(&t, 'x', bad[i], strlen(bad[i]));
		tb_file(&t, "f", "x", 1);
		tb_end(&t);
		read_tar_all_chunks(&t, false, &G);
		assert_int_equal(G.rc, BOSUN_EFORMAT);
		assert_non_null(strstr(G.msg, "pax"));
		tb_free(&t);
	}
	/* NUL padding after the records is tolerated. */
	struct tb t = { 0 };
	char rec[32] = "12 path=abc\n";
	tb_ext(&t, 'x', rec, sizeof rec);
	tb_file(&t, "f", "x", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_string_equal(G.name[0], "abc");
	tb_free(&t);
}

static void test_base256_size(void **state)
{
	(void)state;
	char data[1500];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 26);
	struct tb t = { 0 };
	struct tb_ent e = { .name = "big", .size = sizeof data, .base256 = true };
	tb_header(&t, &e);
	tb_raw(&t, data, sizeof data);
	tb_pad(&t);
	tb_file(&t, "after", "z", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 2);
	assert_int_equal(G.size[0], sizeof data);
	assert_memory_equal(G.data[0], data, sizeof data);
	assert_string_equal(G.name[1], "after");
	tb_free(&t);

	/* Negative base-256 and garbage octal are refused, not misread. */
	static const char neg[12] = { (char)0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const char *const fields[] = { neg, "12x4", "0000000017 7" };
	for (size_t i = 0; i < 3; i++) {
		struct tb b = { 0 };
		struct tb_ent be = { .name = "bad", .size_field = fields[i] };
		tb_header(&b, &be);
		tb_end(&b);
		read_tar_all_chunks(&b, false, &G);
		assert_int_equal(G.rc, BOSUN_EFORMAT);
		assert_non_null(strstr(G.msg, "bad size field at entry 1"));
		tb_free(&b);
	}
}

static void test_huge_size_is_truncation_not_overflow(void **state)
{
	(void)state;
	/* The largest base-256 and octal sizes: skipping them must report a
	 * truncated archive, never wrap around. */
	static const char max256[12] = { (char)0x80, 0x7f, (char)0xff, (char)0xff, (char)0xff, (char)0xff,
					 (char)0xff, (char)0xff, (char)0xff, (char)0xff, (char)0xff, (char)0xff };
	static const char *const fields[] = { max256, "77777777777" };
	for (size_t i = 0; i < 2; i++) {
		struct tb t = { 0 };
		struct tb_ent e = { .name = "huge", .size_field = fields[i] };
		tb_header(&t, &e);
		tb_raw(&t, "some", 4);
		tb_end(&t);
		read_tar_all_chunks(&t, false, &G);
		if (i == 0) {
			assert_int_equal(G.rc, BOSUN_EFORMAT); /* does not fit in 63 bits */
			assert_non_null(strstr(G.msg, "bad size field"));
		} else {
			assert_int_equal(G.rc, BOSUN_EFORMAT);
			assert_non_null(strstr(G.msg, "truncated"));
		}
		tb_free(&t);
	}
	struct tb p = { 0 };
	struct tb pax = { 0 };
	tb_pax_record(&pax, "size", "9999999999999999999");
	tb_ext(&p, 'x', pax.p, pax.n);
	tb_file(&p, "f", "x", 1);
	tb_end(&p);
	read_tar_all_chunks(&p, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated"));
	tb_free(&pax);
	tb_free(&p);
}

static void test_checksums(void **state)
{
	(void)state;
	struct tb t = { 0 };
	struct tb_ent bad = { .name = "bad", .bad_checksum = true };
	tb_file(&t, "good", "g", 1);
	tb_header(&t, &bad);
	tb_end(&t);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_int_equal(G.n, 1);
	assert_non_null(strstr(G.msg, "bad header checksum at entry 2"));
	tb_free(&t);

	/* Old writers summed signed chars: accepted when they differ. */
	struct tb s = { 0 };
	struct tb_ent sig = { .name = "caf\xc3\xa9", .signed_checksum = true };
	tb_header(&s, &sig);
	tb_end(&s);
	read_tar_all_chunks(&s, false, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_string_equal(G.name[0], "caf\xc3\xa9");
	tb_free(&s);

	/* Random bytes are not a header. */
	struct tb r = { 0 };
	for (int i = 0; i < 1024; i++) {
		unsigned char c = (unsigned char)(i * 7 + 13);
		tb_raw(&r, &c, 1);
	}
	read_tar_all_chunks(&r, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "bad header checksum at entry 1"));
	tb_free(&r);
}

static void test_truncation(void **state)
{
	(void)state;
	struct tb full = { 0 };
	char data[1000];
	memset(data, 'd', sizeof data);
	tb_file(&full, "one", "1", 1);
	tb_file(&full, "two", data, sizeof data);
	tb_end(&full);

	/* Header cut short. */
	struct tb t = { 0 };
	tb_raw(&t, full.p, 512 + 512 + 300);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated header after entry 1"));
	tb_free(&t);

	/* Data cut short: reading it, and skipping it. */
	tb_raw(&t, full.p, 512 + 512 + 512 + 700);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated data in entry 2 (300 bytes missing)"));
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated archive"));
	tb_free(&t);

	/* Padding of the last entry cut: still a truncated archive. */
	tb_raw(&t, full.p, 512 + 512 + 512 + 1000);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	tb_free(&t);

	/* No end-of-archive blocks at all, or only one: accepted (GNU tar
	 * does too; the layer's diff_id covers what is there). */
	tb_raw(&t, full.p, full.n - 1024);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 2);
	tb_zeros(&t, 512);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 2);
	tb_free(&t);

	/* An extension header with nothing after it. */
	tb_ext(&t, 'L', "name-for-nothing", 17);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated header"));
	tb_free(&t);
	/* An extension header whose data is cut. */
	struct tb_ent l = { .name = "././@LongLink", .type = 'L', .size = 4000, .gnu_magic = true };
	tb_header(&t, &l);
	tb_zeros(&t, 100);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(G.msg, "truncated GNU long name header"));
	tb_free(&t);
	tb_free(&full);
}

static void test_extension_limits(void **state)
{
	(void)state;
	struct tb t = { 0 };
	struct tb_ent l = { .name = "././@LongLink", .type = 'L', .size = 65 * 1024, .gnu_magic = true };
	tb_header(&t, &l);
	tb_zeros(&t, 65 * 1024);
	tb_file(&t, "f", "x", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_ELIMIT);
	assert_non_null(strstr(G.msg, "GNU long name header of 66560 bytes exceeds"));
	tb_free(&t);

	struct tb_ent x = { .name = "pax", .type = 'x', .size = 2u << 20 };
	tb_header(&t, &x);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_ELIMIT);
	assert_non_null(strstr(G.msg, "pax header"));
	tb_free(&t);

	/* tar_read_all's own bound. */
	char data[3000];
	memset(data, 'q', sizeof data);
	tb_file(&t, "big", data, sizeof data);
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G); /* G.data holds 2047 */
	assert_int_equal(G.rc, BOSUN_ELIMIT);
	assert_non_null(strstr(G.msg, "entry of 3000 bytes exceeds the 2047-byte limit"));
	tb_free(&t);
}

static void test_sparse_entries_keep_alignment(void **state)
{
	(void)state;
	struct tb t = { 0 };
	/* Old GNU sparse: one extension block follows the header, then the
	 * stored data (the size field counts stored bytes only). */
	struct tb_ent s = { .name = "sparse-old", .type = 'S', .size = 600, .gnu_magic = true, .sparse_ext = 1 };
	tb_header(&t, &s);
	unsigned char ext[512];
	memset(ext, 0, sizeof ext);
	ext[504] = 1; /* another extension block follows */
	tb_raw(&t, ext, 512);
	ext[504] = 0;
	tb_raw(&t, ext, 512);
	tb_zeros(&t, 600);
	tb_pad(&t);
	tb_file(&t, "after-old", "A", 1);
	/* pax 1.0 sparse: the real name in GNU.sparse.name, a map before the data. */
	struct tb pax = { 0 };
	tb_pax_record(&pax, "GNU.sparse.major", "1");
	tb_pax_record(&pax, "GNU.sparse.minor", "0");
	tb_pax_record(&pax, "GNU.sparse.name", "sparse-pax");
	tb_pax_record(&pax, "GNU.sparse.realsize", "1048576");
	tb_ext(&t, 'x', pax.p, pax.n);
	struct tb_ent p = { .name = "GNUSparseFile.0/sparse-pax", .type = '0', .size = 1024 };
	tb_header(&t, &p);
	tb_raw(&t, "1\n0\n512\n", 8);
	tb_zeros(&t, 1024 - 8);
	tb_file(&t, "after-pax", "B", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 4);
	assert_string_equal(G.name[0], "sparse-old");
	assert_true(G.sparse[0]);
	assert_string_equal(G.name[1], "after-old");
	assert_false(G.sparse[1]);
	assert_string_equal(G.name[2], "sparse-pax");
	assert_true(G.sparse[2]);
	assert_string_equal(G.name[3], "after-pax");
	/* And the data of the entry after each sparse one is right. */
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_memory_equal(G.data[1], "A", 1);
	assert_memory_equal(G.data[3], "B", 1);
	tb_free(&pax);
	tb_free(&t);

	/* An endless chain of sparse extension blocks is cut off. */
	struct tb_ent s2 = { .name = "sparse-chain", .type = 'S', .size = 0, .gnu_magic = true, .sparse_ext = 1 };
	tb_header(&t, &s2);
	for (int i = 0; i < 5000; i++) {
		memset(ext, 0, sizeof ext);
		ext[504] = 1;
		tb_raw(&t, ext, 512);
	}
	read_tar(&t, 1 << 20, false, &G);
	assert_int_equal(G.rc, BOSUN_ELIMIT);
	assert_non_null(strstr(G.msg, "too many sparse extension headers"));
	tb_free(&t);
}

static void test_skipped_headers(void **state)
{
	(void)state;
	struct tb t = { 0 };
	struct tb_ent v = { .name = "volume-label", .type = 'V', .size = 10 };
	tb_header(&t, &v);
	tb_zeros(&t, 512);
	struct tb_ent m = { .name = "multivolume", .type = 'M', .size = 0 };
	tb_header(&t, &m);
	tb_file(&t, "real", "r", 1);
	tb_end(&t);
	read_tar_all_chunks(&t, true, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 1);
	assert_string_equal(G.name[0], "real");
	tb_free(&t);
}

static void test_empty_and_eof(void **state)
{
	(void)state;
	struct tb t = { 0 };
	tb_grow(&t, 1);
	read_tar_all_chunks(&t, false, &G);
	assert_int_equal(G.rc, BOSUN_OK);
	assert_int_equal(G.n, 0);
	/* tar_next after the end keeps saying end. */
	struct mem_source ms;
	struct tar_reader r;
	tb_end(&t);
	tar_init(&r, mem_source_chunks(&ms, t.p, t.n, 512));
	struct tar_entry ent;
	bool end = false;
	struct berr e = { 0 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tar_next(&r, &ent, &end, &e), BOSUN_OK);
		assert_true(end);
	}
	tar_free(&r);
	tb_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ustar_basic),
		cmocka_unit_test(test_ustar_prefix_and_full_width_name),
		cmocka_unit_test(test_gnu_long_name_and_link),
		cmocka_unit_test(test_pax_path_linkpath_size),
		cmocka_unit_test(test_pax_malformed),
		cmocka_unit_test(test_base256_size),
		cmocka_unit_test(test_huge_size_is_truncation_not_overflow),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_extension_limits),
		cmocka_unit_test(test_sparse_entries_keep_alignment),
		cmocka_unit_test(test_skipped_headers),
		cmocka_unit_test(test_empty_and_eof),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
