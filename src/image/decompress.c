#include "image/decompress.h"

#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

enum compression compression_detect(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return COMP_GZIP;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return COMP_ZSTD;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return COMP_XZ;
	if (n >= 3 && memcmp(p, "BZh", 3) == 0)
		return COMP_BZIP2;
	return COMP_NONE;
}

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMP_NONE: return "uncompressed";
	case COMP_GZIP: return "gzip";
	case COMP_ZSTD: return "zstd";
	case COMP_XZ: return "xz";
	case COMP_BZIP2: return "bzip2";
	}
	return "?";
}

struct decoder {
	enum compression kind;
	bool member_done; /* gzip: between members */
	bool finished;
	struct inflate_state gz;
	ZSTD_DCtx *zs;
	size_t zs_last; /* last ZSTD_decompressStream result: 0 = frame complete */
};

int decoder_new(struct decoder **out, enum compression c, struct berr *e)
{
	if (c != COMP_GZIP && c != COMP_ZSTD)
		return berr_set(e, BOSUN_EUNSUPPORTED, "%s-compressed layers are not supported", compression_name(c));
	struct decoder *d = calloc(1, sizeof *d);
	if (!d)
		return BOSUN_ENOMEM;
	d->kind = c;
	if (c == COMP_GZIP) {
		isal_inflate_init(&d->gz);
		d->gz.crc_flag = ISAL_GZIP;
	} else {
		d->zs = ZSTD_createDCtx();
		if (!d->zs) {
			free(d);
			return BOSUN_ENOMEM;
		}
		d->zs_last = 1;
	}
	*out = d;
	return BOSUN_OK;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static const char *isal_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid deflate block";
	case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK: return "invalid deflate distance";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "unsupported gzip method";
	case ISAL_INCORRECT_CHECKSUM: return "gzip CRC mismatch";
	}
	return "gzip decoding error";
}

static int run_gzip(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		    size_t out_cap, size_t *out_len, struct berr *e)
{
	size_t used = 0, produced = 0;
	while (used < in_len && produced < out_cap && !d->finished) {
		if (d->member_done) {
			/* Another member, or padding, or garbage after the stream. */
			if (in[used] == 0) {
				if (!all_zero(in + used, in_len - used))
					return berr_set(e, BOSUN_EFORMAT, "garbage after gzip stream");
				used = in_len;
				break;
			}
			if (in[used] != 0x1f)
				return berr_set(e, BOSUN_EFORMAT, "garbage after gzip stream");
			isal_inflate_reset(&d->gz);
			d->gz.crc_flag = ISAL_GZIP;
			d->member_done = false;
		}
		d->gz.next_in = (uint8_t *)(in + used);
		d->gz.avail_in = (uint32_t)((in_len - used) > UINT32_MAX ? UINT32_MAX : in_len - used);
		d->gz.next_out = out + produced;
		d->gz.avail_out = (uint32_t)((out_cap - produced) > UINT32_MAX ? UINT32_MAX : out_cap - produced);
		uint32_t avail_in0 = d->gz.avail_in, avail_out0 = d->gz.avail_out;
		int rc = isal_inflate(&d->gz);
		used += avail_in0 - d->gz.avail_in;
		produced += avail_out0 - d->gz.avail_out;
		if (rc < 0)
			return berr_set(e, BOSUN_EFORMAT, "%s", isal_error(rc));
		if (d->gz.block_state == ISAL_BLOCK_FINISH)
			d->member_done = true;
		else if (avail_in0 == d->gz.avail_in && avail_out0 == d->gz.avail_out)
			break; /* needs more input */
	}
	*in_used = used;
	*out_len = produced;
	return BOSUN_OK;
}

static int run_zstd(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		    size_t out_cap, size_t *out_len, struct berr *e)
{
	ZSTD_inBuffer ib = { in, in_len, 0 };
	ZSTD_outBuffer ob = { out, out_cap, 0 };
	while (ib.pos < ib.size && ob.pos < ob.size) {
		if (d->zs_last == 0 && all_zero(in + ib.pos, in_len - ib.pos)) {
			ib.pos = ib.size; /* zero padding after the last frame */
			break;
		}
		size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return berr_set(e, BOSUN_EFORMAT, "zstd: %s", ZSTD_getErrorName(r));
		d->zs_last = r;
	}
	/* Flush what the context still holds even when no input is left. */
	if (ib.pos == ib.size && ob.pos < ob.size && d->zs_last != 0) {
		size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return berr_set(e, BOSUN_EFORMAT, "zstd: %s", ZSTD_getErrorName(r));
		d->zs_last = r;
	}
	*in_used = ib.pos;
	*out_len = ob.pos;
	return BOSUN_OK;
}

int decoder_run(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		size_t out_cap, size_t *out_len, bool *finished, struct berr *e)
{
	int rc = d->kind == COMP_GZIP ? run_gzip(d, in, in_len, in_used, out, out_cap, out_len, e)
				      : run_zstd(d, in, in_len, in_used, out, out_cap, out_len, e);
	*finished = d->kind == COMP_GZIP ? d->member_done : d->zs_last == 0;
	return rc;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	if (d->zs)
		ZSTD_freeDCtx(d->zs);
	free(d);
}
