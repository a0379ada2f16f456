/* The gzip and zstd decoders: concatenated streams, padding, garbage and
 * truncation, each decoded whole and byte by byte; the verdict must not
 * depend on how the input is split (fuzz_decompress checks the same). */
#include "testutil.h"

#include "image/decompress.h"

static const char text[] = "hello, bosun\nhello, bosun\nhello, bosun\nhello, bosun\n";
static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48,
				    0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xca, 0x2f, 0x2e, 0xcd, 0xe3, 0xca,
				    0x20, 0x8e, 0x03, 0x00, 0xf1, 0xe2, 0xad, 0xa0, 0x34, 0x00, 0x00, 0x00 };
static const unsigned char zs[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x9d, 0x00, 0x00, 0x68, 0x68, 0x65,
				    0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x62, 0x6f, 0x73, 0x75, 0x6e, 0x0a, 0x01,
				    0x00, 0xa0, 0x9c, 0x5f };

struct result {
	int rc;
	bool finished;
	char msg[1024];
	char out[1024];
	size_t out_len;
};

/* Feeds in[] in pieces of `chunk` bytes into an output of `room` bytes a call. */
static void decode(const unsigned char *in, size_t n, size_t chunk, size_t room, struct result *r)
{
	memset(r, 0, sizeof *r);
	struct decoder *d;
	struct berr e = { 0 };
	assert_int_equal(decoder_new(&d, compression_detect(in, n), &e), BOSUN_OK);
	size_t pos = 0;
	while (pos < n) {
		size_t piece = n - pos < chunk ? n - pos : chunk, used = 0, made = 0;
		size_t space = sizeof r->out - r->out_len < room ? sizeof r->out - r->out_len : room;
		r->rc = decoder_run(d, in + pos, piece, &used, (unsigned char *)r->out + r->out_len, space, &made,
				    &r->finished, &e);
		if (r->rc)
			break;
		assert_true(used || made); /* progress, or the caller would spin */
		pos += used;
		r->out_len += made;
	}
	snprintf(r->msg, sizeof r->msg, "%s", e.msg);
	decoder_free(d);
}

/* Decodes whole and byte by byte (with 1- and 7-byte outputs); all agree. */
static void decode_all_ways(const unsigned char *in, size_t n, struct result *r)
{
	static struct result other;
	decode(in, n, n, 1024, r);
	const size_t ways[][2] = { { 1, 1024 }, { 1, 1 }, { 7, 7 }, { 1024, 3 } };
	for (size_t i = 0; i < 4; i++) {
		decode(in, n, ways[i][0], ways[i][1], &other);
		assert_int_equal(other.rc, r->rc);
		if (!r->rc)
			assert_int_equal(other.finished, r->finished);
		/* An unfinished (truncated) stream may yield more or less of its
		 * tail depending on how much of it the decoder saw at once. */
		if (!r->rc && r->finished) {
			assert_int_equal(other.out_len, r->out_len);
			assert_memory_equal(other.out, r->out, r->out_len);
		}
	}
}

/* Concatenates parts into buf (a static scratch buffer). */
static size_t cat(unsigned char *buf, const void *const *parts, const size_t *lens, size_t nparts)
{
	size_t n = 0;
	for (size_t i = 0; i < nparts; i++) {
		memcpy(buf + n, parts[i], lens[i]);
		n += lens[i];
	}
	return n;
}

static const unsigned char zeros[64];
static const unsigned char junk[] = "JUNK";

static void check_format(const unsigned char *stream, size_t len, const char *garbage_msg)
{
	unsigned char buf[512];
	struct result r;

	decode_all_ways(stream, len, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_true(r.finished);
	assert_int_equal(r.out_len, sizeof text - 1);
	assert_memory_equal(r.out, text, sizeof text - 1);

	/* Two streams back to back: one output. */
	size_t n = cat(buf, (const void *const[]){ stream, stream }, (const size_t[]){ len, len }, 2);
	decode_all_ways(buf, n, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_true(r.finished);
	assert_int_equal(r.out_len, 2 * (sizeof text - 1));

	/* Zero padding after the end (tar blocking): accepted. */
	n = cat(buf, (const void *const[]){ stream, zeros }, (const size_t[]){ len, sizeof zeros }, 2);
	decode_all_ways(buf, n, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_true(r.finished);

	/* Garbage after the end: refused. */
	n = cat(buf, (const void *const[]){ stream, junk }, (const size_t[]){ len, 4 }, 2);
	decode_all_ways(buf, n, &r);
	assert_int_equal(r.rc, BOSUN_EFORMAT);

	/* Padding, then another stream: refused however it is split (it used
	 * to be accepted when the zeros ended a read and the stream began the
	 * next one). */
	n = cat(buf, (const void *const[]){ stream, zeros, stream }, (const size_t[]){ len, 10, len }, 3);
	decode_all_ways(buf, n, &r);
	assert_int_equal(r.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(r.msg, garbage_msg));

	/* Truncated: not an error by itself, but never finished. */
	decode_all_ways(stream, len - 3, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_false(r.finished);
}

static void test_gzip(void **state)
{
	(void)state;
	assert_int_equal(compression_detect(gz, sizeof gz), COMP_GZIP);
	check_format(gz, sizeof gz, "garbage after gzip stream");
	/* A corrupt CRC is caught. */
	unsigned char bad[sizeof gz];
	memcpy(bad, gz, sizeof gz);
	bad[sizeof gz - 6] ^= 0xff;
	struct result r;
	decode_all_ways(bad, sizeof bad, &r);
	assert_int_equal(r.rc, BOSUN_EFORMAT);
	assert_non_null(strstr(r.msg, "gzip: CRC mismatch"));
}

static void test_zstd(void **state)
{
	(void)state;
	assert_int_equal(compression_detect(zs, sizeof zs), COMP_ZSTD);
	check_format(zs, sizeof zs, "garbage after zstd stream");
}

/* libzstd checks a frame's declared content size only when it decodes the
 * frame in one call; through a small buffer a lying frame was accepted. */
static void test_zstd_content_size(void **state)
{
	(void)state;
	/* Single-segment frames with a 1-byte content size and one raw block "hello". */
	unsigned char frame[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x05, 0x29, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o' };
	struct result r;
	decode_all_ways(frame, sizeof frame, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_true(r.finished);
	assert_int_equal(r.out_len, 5);
	for (unsigned lie = 0; lie < 256; lie++) {
		if (lie == 5)
			continue;
		frame[5] = (unsigned char)lie;
		decode_all_ways(frame, sizeof frame, &r);
		assert_int_equal(r.rc, BOSUN_EFORMAT);
	}
	/* A legacy (v0.5) frame after a v1 one: refused however it is split
	 * (libzstd decoded it only when it saw the whole frame at once). */
	static const unsigned char legacy[] = { 0x25, 0xb5, 0x2f, 0xfd, 0x02, 0, 0, 0, 0, 0, 0 };
	unsigned char two[sizeof frame + sizeof legacy];
	frame[5] = 5;
	memcpy(two, frame, sizeof frame);
	memcpy(two + sizeof frame, legacy, sizeof legacy);
	decode_all_ways(two, sizeof two, &r);
	assert_int_equal(r.rc, BOSUN_EFORMAT);
	/* A skippable frame in between is fine. */
	static const unsigned char skip[] = { 0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'x', 'y', 'z' };
	unsigned char three[2 * sizeof frame + sizeof skip];
	memcpy(three, frame, sizeof frame);
	memcpy(three + sizeof frame, skip, sizeof skip);
	memcpy(three + sizeof frame + sizeof skip, frame, sizeof frame);
	decode_all_ways(three, sizeof three, &r);
	assert_int_equal(r.rc, BOSUN_OK);
	assert_true(r.finished);
	assert_int_equal(r.out_len, 10);
	/* Found by fuzz_decompress: 56 bytes declared, an empty last block. */
	static const unsigned char empty[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x38, 0x01, 0x00, 0x00 };
	decode_all_ways(empty, sizeof empty, &r);
	assert_int_equal(r.rc, BOSUN_EFORMAT);
}

static void test_detect_and_unsupported(void **state)
{
	(void)state;
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	assert_int_equal(compression_detect(xz, sizeof xz), COMP_XZ);
	assert_int_equal(compression_detect((const unsigned char *)"BZh91AY", 7), COMP_BZIP2);
	assert_int_equal(compression_detect((const unsigned char *)"ustar", 5), COMP_NONE);
	assert_int_equal(compression_detect(gz, 1), COMP_NONE);
	struct decoder *d = NULL;
	struct berr e = { 0 };
	assert_int_equal(decoder_new(&d, COMP_XZ, &e), BOSUN_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "xz-compressed layers are not supported"));
	assert_null(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_zstd_content_size),
		cmocka_unit_test(test_detect_and_unsupported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
