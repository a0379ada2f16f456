/* The zip reader: archives built here byte by byte (so each malformation is
 * exactly the one under test), plus the safe-name rules shared with the
 * embedded snapshot's tar extraction. */
#include "testutil.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include "util/buf.h"
#include "vulndb/safedir.h"
#include "vulndb/zip.h"

/* ---- a zip writer for tests --------------------------------------------- */

struct zb {
	struct buf data, cd;
	uint64_t count;
};

static void put16(struct buf *b, uint16_t v)
{
	unsigned char p[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	assert_int_equal(buf_append(b, p, 2), 0);
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, (uint16_t)v);
	put16(b, (uint16_t)(v >> 16));
}

static void put64(struct buf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static size_t deflate_raw(const void *in, size_t n, unsigned char *out, size_t cap)
{
	struct isal_zstream s;
	isal_deflate_stateless_init(&s);
	s.next_in = (uint8_t *)in;
	s.avail_in = (uint32_t)n;
	s.next_out = out;
	s.avail_out = (uint32_t)cap;
	s.end_of_stream = 1;
	s.flush = NO_FLUSH;
	assert_int_equal(isal_deflate_stateless(&s), COMP_OK);
	return cap - s.avail_out;
}

struct zopt {
	uint16_t method;         /* 0 or 8 */
	uint16_t flags;
	int32_t crc_delta;       /* added to the CRC in both headers */
	int64_t usize_delta;     /* added to the declared uncompressed size */
	bool point_back;         /* the central header points at local_off instead */
	uint64_t local_off;
	const char *local_name;  /* a different name in the local header */
};

/* Appends a local record and its central header; returns the local offset. */
static uint64_t zb_add(struct zb *z, const char *name, const void *p, size_t n, const struct zopt *o)
{
	static const struct zopt none = { 0 };
	if (!o)
		o = &none;
	unsigned char *comp = malloc(n + 1024);
	assert_non_null(comp);
	size_t clen = n;
	if (o->method == 8)
		clen = deflate_raw(p, n, comp, n + 1024);
	else
		memcpy(comp, p, n);
	uint32_t crc = crc32_gzip_refl(0, p, n) + (uint32_t)o->crc_delta;
	uint32_t usize = (uint32_t)((int64_t)n + o->usize_delta);
	uint64_t off = z->data.len;
	const char *lname = o->local_name ? o->local_name : name;
	put32(&z->data, 0x04034b50);
	put16(&z->data, 20);
	put16(&z->data, o->flags);
	put16(&z->data, o->method);
	put16(&z->data, 0x6000); /* 12:00 */
	put16(&z->data, (uint16_t)((2024 - 1980) << 9 | 3 << 5 | 15)); /* 2024-03-15 */
	put32(&z->data, crc);
	put32(&z->data, (uint32_t)clen);
	put32(&z->data, usize);
	put16(&z->data, (uint16_t)strlen(lname));
	put16(&z->data, 0);
	buf_append_str(&z->data, lname);
	buf_append(&z->data, comp, clen);
	free(comp);

	put32(&z->cd, 0x02014b50);
	put16(&z->cd, 20);
	put16(&z->cd, 20);
	put16(&z->cd, o->flags);
	put16(&z->cd, o->method);
	put16(&z->cd, 0x6000);
	put16(&z->cd, (uint16_t)((2024 - 1980) << 9 | 3 << 5 | 15));
	put32(&z->cd, crc);
	put32(&z->cd, (uint32_t)clen);
	put32(&z->cd, usize);
	put16(&z->cd, (uint16_t)strlen(name));
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put32(&z->cd, 0);
	put32(&z->cd, (uint32_t)(o->point_back ? o->local_off : off));
	buf_append_str(&z->cd, name);
	z->count++;
	return off;
}

/* Central directory and end record(s); zip64 forces the ZIP64 form. */
static void zb_finish(struct zb *z, bool zip64)
{
	uint64_t cd_off = z->data.len, cd_size = z->cd.len;
	buf_append(&z->data, z->cd.data, z->cd.len);
	if (zip64) {
		uint64_t rec = z->data.len;
		put32(&z->data, 0x06064b50);
		put64(&z->data, 44);
		put16(&z->data, 45);
		put16(&z->data, 45);
		put32(&z->data, 0);
		put32(&z->data, 0);
		put64(&z->data, z->count);
		put64(&z->data, z->count);
		put64(&z->data, cd_size);
		put64(&z->data, cd_off);
		put32(&z->data, 0x07064b50);
		put32(&z->data, 0);
		put64(&z->data, rec);
		put32(&z->data, 1);
	}
	put32(&z->data, 0x06054b50);
	put16(&z->data, 0);
	put16(&z->data, 0);
	put16(&z->data, zip64 ? 0xffff : (uint16_t)z->count);
	put16(&z->data, zip64 ? 0xffff : (uint16_t)z->count);
	put32(&z->data, zip64 ? 0xffffffffu : (uint32_t)cd_size);
	put32(&z->data, zip64 ? 0xffffffffu : (uint32_t)cd_off);
	put16(&z->data, 0);
	buf_free(&z->cd);
}

/* ---- reading everything --------------------------------------------------- */

struct collected {
	struct buf all;
	int entries;
};

static int collect(void *ctx, const unsigned char *p, size_t n, struct berr *e)
{
	(void)e;
	struct collected *c = ctx;
	return buf_append(&c->all, p, n);
}

/* Opens and reads every entry; returns the first error code. */
static int read_all(const struct buf *zipdata, const struct zip_limits *lim, struct collected *c, struct berr *e)
{
	struct zip z;
	TRY(zip_open(&z, (const unsigned char *)zipdata->data, zipdata->len, lim, e));
	int rc;
	for (;;) {
		struct zip_entry ent;
		bool end;
		if ((rc = zip_next(&z, &ent, &end, e)) || end)
			break;
		c->entries++;
		if ((rc = zip_read(&z, &ent, collect, c, e)))
			break;
	}
	zip_close(&z);
	return rc;
}

static int expect_fail(struct zb *z, const struct zip_limits *lim, const char *needle)
{
	struct collected c = { 0 };
	struct berr e = { 0 };
	int rc = read_all(&z->data, lim, &c, &e);
	if (rc == BOSUN_OK)
		fail_msg("expected an error containing '%s'", needle);
	if (!strstr(e.msg, needle))
		fail_msg("error '%s' does not contain '%s'", e.msg, needle);
	buf_free(&c.all);
	buf_free(&z->data);
	*z = (struct zb){ 0 };
	return rc;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_stored_and_deflate(void **state)
{
	(void)state;
	struct zb z = { 0 };
	char big[100000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + (i * 7 + i / 13) % 26);
	zb_add(&z, "GO-2024-0001.json", "{\"id\":\"GO-2024-0001\"}", 21, NULL);
	zb_add(&z, "dir/", "", 0, NULL);
	zb_add(&z, "dir/big.json", big, sizeof big, &(struct zopt){ .method = 8 });
	zb_add(&z, "empty.json", "", 0, &(struct zopt){ .method = 8 });
	zb_finish(&z, false);

	struct zip zp;
	struct berr e = { 0 };
	assert_int_equal(zip_open(&zp, (const unsigned char *)z.data.data, z.data.len, NULL, &e), BOSUN_OK);
	struct zip_entry ent;
	bool end;
	struct collected c = { 0 };
	assert_int_equal(zip_next(&zp, &ent, &end, &e), BOSUN_OK);
	assert_false(end);
	assert_string_equal(ent.name, "GO-2024-0001.json");
	assert_false(ent.is_dir);
	assert_int_equal(ent.mtime, 1710504000); /* 2024-03-15T12:00:00Z */
	assert_int_equal(zip_read(&zp, &ent, collect, &c, &e), BOSUN_OK);
	assert_int_equal(c.all.len, 21);
	assert_int_equal(zip_next(&zp, &ent, &end, &e), BOSUN_OK);
	assert_true(ent.is_dir);
	assert_int_equal(zip_next(&zp, &ent, &end, &e), BOSUN_OK);
	assert_int_equal(ent.method, 8);
	assert_true(ent.csize < ent.usize);
	buf_reset(&c.all);
	assert_int_equal(zip_read(&zp, &ent, collect, &c, &e), BOSUN_OK);
	assert_int_equal(c.all.len, sizeof big);
	assert_memory_equal(c.all.data, big, sizeof big);
	assert_int_equal(zip_next(&zp, &ent, &end, &e), BOSUN_OK);
	buf_reset(&c.all);
	assert_int_equal(zip_read(&zp, &ent, collect, &c, &e), BOSUN_OK);
	assert_int_equal(c.all.len, 0);
	assert_int_equal(zip_next(&zp, &ent, &end, &e), BOSUN_OK);
	assert_true(end);
	zip_close(&zp);
	buf_free(&c.all);
	buf_free(&z.data);
}

static void test_zip64_end_record(void **state)
{
	(void)state;
	struct zb z = { 0 };
	zb_add(&z, "a.json", "{}", 2, NULL);
	zb_add(&z, "b.json", "[]", 2, NULL);
	zb_finish(&z, true);
	struct collected c = { 0 };
	struct berr e = { 0 };
	assert_int_equal(read_all(&z.data, NULL, &c, &e), BOSUN_OK);
	assert_int_equal(c.entries, 2);
	assert_int_equal(c.all.len, 4);
	buf_free(&c.all);
	buf_free(&z.data);
}

static void test_corrupt_data(void **state)
{
	(void)state;
	struct zb z = { 0 };
	zb_add(&z, "a.json", "{\"x\":1}", 7, &(struct zopt){ .crc_delta = 1 });
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, NULL, "a.json: CRC-32 mismatch"), BOSUN_EFORMAT);

	/* a flipped byte inside a deflate stream */
	char text[5000];
	memset(text, 'x', sizeof text);
	zb_add(&z, "b.json", text, sizeof text, &(struct zopt){ .method = 8 });
	z.data.data[40] ^= 0x55;
	zb_finish(&z, false);
	expect_fail(&z, NULL, "b.json: ");

	/* more data than declared, and less */
	zb_add(&z, "c.json", "0123456789", 10, &(struct zopt){ .usize_delta = -2, .method = 8 });
	zb_finish(&z, false);
	expect_fail(&z, NULL, "more data than the 8 bytes declared");
	zb_add(&z, "d.json", "0123456789", 10, &(struct zopt){ .usize_delta = 5, .method = 8 });
	zb_finish(&z, false);
	expect_fail(&z, NULL, "10 bytes of data, 15 declared");
}

static void test_truncated_and_junk(void **state)
{
	(void)state;
	struct zb z = { 0 };
	zb_add(&z, "a.json", "{}", 2, NULL);
	zb_finish(&z, false);
	z.data.len -= 5; /* cut into the end record */
	expect_fail(&z, NULL, "no end of central directory record");

	struct buf junk = { 0 };
	buf_append_str(&junk, "<html>503 Service Unavailable</html>");
	struct zb j = { .data = junk };
	expect_fail(&j, NULL, "not a zip archive");
}

static void test_unsafe_names(void **state)
{
	(void)state;
	static const char *const bad[] = { "../etc/passwd", "/abs.json", "a/../../b", "a\\..\\b", "C:evil", "a//b",
					   "./a", "a/./b", "x\ty" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct zb z = { 0 };
		zb_add(&z, bad[i], "{}", 2, NULL);
		zb_finish(&z, false);
		expect_fail(&z, NULL, "unsafe name");
	}
	struct berr e = { 0 };
	assert_int_equal(safedir_check_name("osv/GO-1.json", &e), BOSUN_OK);
	assert_int_equal(safedir_check_name("dir/", &e), BOSUN_OK);
	assert_int_equal(safedir_check_name("a..b/c...json", &e), BOSUN_OK);
	assert_int_equal(safedir_check_name("", &e), BOSUN_EFORMAT);
}

static void test_header_disagreement(void **state)
{
	(void)state;
	struct zb z = { 0 };
	zb_add(&z, "a.json", "{}", 2, &(struct zopt){ .local_name = "b.json" });
	zb_finish(&z, false);
	expect_fail(&z, NULL, "local header names another file");

	zb_add(&z, "a.json", "{}", 2, &(struct zopt){ .flags = 1 });
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, NULL, "encrypted entries are not supported"), BOSUN_EUNSUPPORTED);

	zb_add(&z, "a.json", "{}", 2, &(struct zopt){ .method = 12 });
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, NULL, "compression method 12"), BOSUN_EUNSUPPORTED);
}

/* David Fifield's "better zip bomb": many central entries share one local
 * record, so a small file declares a huge total. */
static void test_overlap_bomb(void **state)
{
	(void)state;
	struct zb z = { 0 };
	char zeros[4096] = { 0 };
	zb_add(&z, "k0", zeros, sizeof zeros, &(struct zopt){ .method = 8 });
	size_t one = z.cd.len;
	char rec[256];
	assert_true(one <= sizeof rec);
	memcpy(rec, z.cd.data, one);
	for (int i = 1; i < 10; i++) {
		assert_int_equal(buf_append(&z.cd, rec, one), 0);
		z.count++;
	}
	zb_finish(&z, false);
	expect_fail(&z, NULL, "entries overlap");
}

static void test_limits(void **state)
{
	(void)state;
	struct zip_limits lim = zip_default_limits;
	struct zb z = { 0 };
	for (int i = 0; i < 5; i++)
		zb_add(&z, i % 2 ? "a.json" : "b.json", "{}", 2, NULL);
	zb_finish(&z, false);
	lim.max_entries = 4;
	assert_int_equal(expect_fail(&z, &lim, "5 entries, more than the limit of 4"), BOSUN_ELIMIT);

	size_t n = 3 << 20;
	char *zeros = calloc(1, n);
	assert_non_null(zeros);
	zb_add(&z, "bomb.json", zeros, n, &(struct zopt){ .method = 8 });
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, NULL, "compression ratio above 200"), BOSUN_ELIMIT);

	lim = zip_default_limits;
	lim.max_entry_size = 1000;
	zb_add(&z, "big.json", zeros, 2000, NULL);
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, &lim, "2000 bytes uncompressed, more than the limit of 1000"), BOSUN_ELIMIT);

	lim = zip_default_limits;
	lim.max_total_size = 3000;
	zb_add(&z, "a.json", zeros, 2000, NULL);
	zb_add(&z, "b.json", zeros, 2000, NULL);
	zb_finish(&z, false);
	assert_int_equal(expect_fail(&z, &lim, "more than 3000 bytes uncompressed in all"), BOSUN_ELIMIT);
	free(zeros);
}

static void test_real_osv_documents(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/vulndata/go-vulndb/data/osv/GO-2023-1840.json", test_shared_dir());
	size_t n;
	unsigned char *doc = test_read_file(path, &n);
	struct zb z = { 0 };
	zb_add(&z, "GO-2023-1840.json", doc, n, &(struct zopt){ .method = 8 });
	zb_finish(&z, false);
	struct collected c = { 0 };
	struct berr e = { 0 };
	assert_int_equal(read_all(&z.data, NULL, &c, &e), BOSUN_OK);
	assert_int_equal(c.all.len, n);
	assert_memory_equal(c.all.data, doc, n);
	free(doc);
	buf_free(&c.all);
	buf_free(&z.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stored_and_deflate), cmocka_unit_test(test_zip64_end_record),
		cmocka_unit_test(test_corrupt_data),	   cmocka_unit_test(test_truncated_and_junk),
		cmocka_unit_test(test_unsafe_names),	   cmocka_unit_test(test_header_disagreement),
		cmocka_unit_test(test_overlap_bomb),	   cmocka_unit_test(test_limits),
		cmocka_unit_test(test_real_osv_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
