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
	/* Zero padding seen after the end of a stream: from then on only zeros
	 * may follow, in whatever chunks they arrive (a new member after the
	 * padding would otherwise be accepted or refused depending on where
	 * the input happened to be split). */
	bool padding;
	struct inflate_state gz;
	ZSTD_DCtx *zs;
	size_t zs_last; /* last ZSTD_decompressStream result: 0 = frame complete */
	/* The current zstd frame's first bytes (its header is at most 18) and
	 * output so far, to check its declared content size at its end. */
	unsigned char zs_head[18];
	size_t zs_head_len;
	uint64_t zs_frame_out;
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
	case ISAL_INVALID_WRAPPER: return "invalid header";
	case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
	case ISAL_INCORRECT_CHECKSUM: return "CRC mismatch";
	}
	return "decoding error";
}

static int run_gzip(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		    size_t out_cap, size_t *out_len, struct berr *e)
{
	size_t used = 0, produced = 0;
	while (used < in_len && produced < out_cap) {
		if (d->member_done) {
			/* Another member, or padding, or garbage after the stream. */
			if (d->padding || in[used] == 0) {
				if (!all_zero(in + used, in_len - used))
					return berr_set(e, BOSUN_EFORMAT, "garbage after gzip stream");
				d->padding = true;
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
			return berr_set(e, BOSUN_EFORMAT, "gzip: %s", isal_error(rc));
		if (d->gz.block_state == ISAL_BLOCK_FINISH)
			d->member_done = true;
		else if (avail_in0 == d->gz.avail_in && avail_out0 == d->gz.avail_out)
			break; /* needs more input */
	}
	*in_used = used;
	*out_len = produced;
	return BOSUN_OK;
}

static bool zstd_magic_ok(const unsigned char *h)
{
	return (h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd) || /* zstd v1 frame */
	       ((h[0] & 0xf0) == 0x50 && h[1] == 0x2a && h[2] == 0x4d && h[3] == 0x18); /* skippable */
}

/* One ZSTD_decompressStream call. libzstd checks a frame's declared content
 * size only when it decodes the frame in one go (1.5.4: when the output has
 * room for all of it); streamed through a smaller buffer, a frame that lies
 * about its size is accepted. So that the verdict never depends on buffer
 * sizes, the size is checked here at the end of every frame. */
static int zstd_step(struct decoder *d, ZSTD_outBuffer *ob, ZSTD_inBuffer *ib, struct berr *e)
{
	size_t in0 = ib->pos, out0 = ob->pos;
	size_t r = ZSTD_decompressStream(d->zs, ob, ib);
	if (ZSTD_isError(r))
		return berr_set(e, BOSUN_EFORMAT, "zstd: %s", ZSTD_getErrorName(r));
	size_t took = ib->pos - in0, room = sizeof d->zs_head - d->zs_head_len;
	if (took && room) {
		size_t k = took < room ? took : room;
		memcpy(d->zs_head + d->zs_head_len, (const unsigned char *)ib->src + in0, k);
		d->zs_head_len += k;
	}
	/* Frames after the first must be zstd v1 or skippable ones too: the
	 * legacy formats libzstd may also know are decoded only when a whole
	 * frame is in view, so their verdict would depend on buffer sizes
	 * (and no image tool writes them). */
	if (d->zs_head_len >= 4 && !zstd_magic_ok(d->zs_head))
		return berr_set(e, BOSUN_EFORMAT, "zstd: legacy or unknown frame format");
	d->zs_frame_out += ob->pos - out0;
	d->zs_last = r;
	if (r == 0) {
		unsigned long long declared = ZSTD_getFrameContentSize(d->zs_head, d->zs_head_len);
		if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
		    declared != d->zs_frame_out)
			return berr_set(e, BOSUN_EFORMAT, "zstd: frame declares %llu bytes but holds %llu", declared,
					(unsigned long long)d->zs_frame_out);
		d->zs_head_len = 0;
		d->zs_frame_out = 0;
	}
	return BOSUN_OK;
}

static int run_zstd(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		    size_t out_cap, size_t *out_len, struct berr *e)
{
	ZSTD_inBuffer ib = { in, in_len, 0 };
	ZSTD_outBuffer ob = { out, out_cap, 0 };
	while (ib.pos < ib.size && ob.pos < ob.size) {
		if (d->zs_last == 0 && (d->padding || in[ib.pos] == 0)) {
			/* No frame starts with a zero byte: this is padding. */
			if (!all_zero(in + ib.pos, in_len - ib.pos))
				return berr_set(e, BOSUN_EFORMAT, "garbage after zstd stream");
			d->padding = true;
			ib.pos = ib.size;
			break;
		}
		TRY(zstd_step(d, &ob, &ib, e));
	}
	/* Flush what the context still holds even when no input is left. */
	if (ib.pos == ib.size && ob.pos < ob.size && d->zs_last != 0)
		TRY(zstd_step(d, &ob, &ib, e));
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
