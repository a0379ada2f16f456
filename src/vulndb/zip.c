/* Zip reader over memory. Layout per PKWARE's APPNOTE 6.3: local records,
 * then the central directory, then the end record (with a ZIP64 end record
 * and locator before it when counts or offsets overflow 16/32 bits). The
 * central directory is authoritative; each local header is checked against
 * it, since a reader that trusts one and a writer the other is how zip
 * smuggling works. */
#include "vulndb/zip.h"
#include "vulndb/safedir.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define END_LEN 22
#define LOC64_LEN 20
#define END64_LEN 56
#define CENTRAL_LEN 46
#define LOCAL_LEN 30
#define RATIO_MIN_SIZE ((uint64_t)1 << 20)
#define CHUNK (64u << 10)

const struct zip_limits zip_default_limits = {
	.max_entries = 1000000,
	.max_entry_size = (uint64_t)64 << 20,
	.max_total_size = (uint64_t)8 << 30,
	.max_ratio = 200,
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Whether [off, off+len) lies inside [0, limit). */
static bool within(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

/* ---- end records ----------------------------------------------------------- */

/* The end record is the last thing in the file, followed only by its
 * comment: scan back for a signature whose comment length ends exactly at
 * the end of the buffer. */
static int find_end(const struct zip *z, uint64_t *pos, struct berr *e)
{
	if (z->n < END_LEN)
		return berr_set(e, BOSUN_EFORMAT, "zip: %zu bytes, too short for an archive", z->n);
	uint64_t lowest = z->n > END_LEN + 0xffff ? z->n - END_LEN - 0xffff : 0;
	for (uint64_t i = z->n - END_LEN;; i--) {
		const unsigned char *p = z->p + i;
		if (rd32(p) == SIG_END && i + END_LEN + rd16(p + 20) == z->n) {
			*pos = i;
			return BOSUN_OK;
		}
		if (i == lowest)
			break;
	}
	return berr_set(e, BOSUN_EFORMAT, "zip: no end of central directory record (not a zip archive, or truncated)");
}

/* ZIP64: the locator sits right before the end record and points at the
 * ZIP64 end record, which holds the 64-bit count, size and offset. */
static int read_end64(struct zip *z, uint64_t end_pos, uint64_t *cd_size, uint64_t *limit, struct berr *e)
{
	if (end_pos < LOC64_LEN || rd32(z->p + end_pos - LOC64_LEN) != SIG_LOC64)
		return berr_set(e, BOSUN_EFORMAT, "zip: end record says ZIP64 but there is no ZIP64 locator");
	const unsigned char *loc = z->p + end_pos - LOC64_LEN;
	uint64_t off = rd64(loc + 8);
	if (rd32(loc + 4) != 0 || rd32(loc + 16) != 1)
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: multi-disk archives are not supported");
	if (!within(off, END64_LEN, end_pos - LOC64_LEN) || rd32(z->p + off) != SIG_END64)
		return berr_set(e, BOSUN_EFORMAT, "zip: bad ZIP64 end record offset %llu", (unsigned long long)off);
	const unsigned char *r = z->p + off;
	if (rd32(r + 16) != 0 || rd32(r + 20) != 0)
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: multi-disk archives are not supported");
	if (rd64(r + 24) != rd64(r + 32))
		return berr_set(e, BOSUN_EFORMAT, "zip: ZIP64 end record entry counts disagree");
	z->count = rd64(r + 32);
	*cd_size = rd64(r + 40);
	z->cd_off = rd64(r + 48);
	*limit = off;
	return BOSUN_OK;
}

int zip_open(struct zip *z, const unsigned char *p, size_t n, const struct zip_limits *lim, struct berr *e)
{
	memset(z, 0, sizeof *z);
	z->p = p;
	z->n = n;
	z->lim = lim ? *lim : zip_default_limits;
	uint64_t end_pos = 0;
	TRY(find_end(z, &end_pos, e));
	const unsigned char *r = p + end_pos;
	if (rd16(r + 4) != 0 || rd16(r + 6) != 0)
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: multi-disk archives are not supported");
	if (rd16(r + 8) != rd16(r + 10))
		return berr_set(e, BOSUN_EFORMAT, "zip: end record entry counts disagree");
	z->count = rd16(r + 10);
	uint64_t cd_size = rd32(r + 12), limit = end_pos;
	z->cd_off = rd32(r + 16);
	if (z->count == 0xffff || cd_size == 0xffffffffu || z->cd_off == 0xffffffffu)
		TRY(read_end64(z, end_pos, &cd_size, &limit, e));
	if (z->count > z->lim.max_entries)
		return berr_set(e, BOSUN_ELIMIT, "zip: %llu entries, more than the limit of %llu",
				(unsigned long long)z->count, (unsigned long long)z->lim.max_entries);
	if (!within(z->cd_off, cd_size, limit))
		return berr_set(e, BOSUN_EFORMAT, "zip: central directory (offset %llu, %llu bytes) outside the archive",
				(unsigned long long)z->cd_off, (unsigned long long)cd_size);
	if (cd_size / CENTRAL_LEN < z->count)
		return berr_set(e, BOSUN_EFORMAT, "zip: central directory of %llu bytes cannot hold %llu entries",
				(unsigned long long)cd_size, (unsigned long long)z->count);
	z->cd_end = z->cd_off + cd_size;
	z->next = z->cd_off;
	return BOSUN_OK;
}

/* ---- entries --------------------------------------------------------------- */

static int64_t dos_time(uint16_t t, uint16_t d)
{
	struct tm tm = {
		.tm_year = 80 + (d >> 9), .tm_mon = ((d >> 5) & 15) - 1, .tm_mday = d & 31,
		.tm_hour = t >> 11, .tm_min = (t >> 5) & 63, .tm_sec = (t & 31) * 2,
	};
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_hour > 23 || tm.tm_min > 59)
		return 0;
	time_t v = timegm(&tm);
	return v == (time_t)-1 ? 0 : (int64_t)v;
}

/* The ZIP64 extended information field replaces, in this order, each
 * 32-bit field that is all ones. */
static int zip64_extra(const unsigned char *x, size_t n, uint64_t *usize, uint64_t *csize, uint64_t *off,
		       struct berr *e)
{
	while (n >= 4) {
		uint16_t id = rd16(x), len = rd16(x + 2);
		if ((size_t)len > n - 4)
			return berr_set(e, BOSUN_EFORMAT, "zip: extra field overruns its header");
		if (id == 0x0001) {
			uint64_t *f[3] = { usize, csize, off };
			size_t pos = 0;
			for (int i = 0; i < 3; i++) {
				if (*f[i] != 0xffffffffu)
					continue;
				if (pos + 8 > len)
					return berr_set(e, BOSUN_EFORMAT, "zip: ZIP64 extra field too short");
				*f[i] = rd64(x + 4 + pos);
				pos += 8;
			}
			return BOSUN_OK;
		}
		x += 4 + len;
		n -= 4 + len;
	}
	if (*usize == 0xffffffffu || *csize == 0xffffffffu || *off == 0xffffffffu)
		return berr_set(e, BOSUN_EFORMAT, "zip: 32-bit field overflows but there is no ZIP64 extra field");
	return BOSUN_OK;
}

/* Reads the central header at z->next into ent; *local_off is where its
 * local header should be. */
static int read_central(struct zip *z, struct zip_entry *ent, uint64_t *local_off, uint16_t *flags,
			struct berr *e)
{
	if (!within(z->next, CENTRAL_LEN, z->cd_end) || rd32(z->p + z->next) != SIG_CENTRAL)
		return berr_set(e, BOSUN_EFORMAT, "zip: entry %llu: bad central directory header",
				(unsigned long long)z->index);
	const unsigned char *c = z->p + z->next;
	uint16_t nlen = rd16(c + 28), xlen = rd16(c + 30), clen = rd16(c + 32);
	uint64_t rec = (uint64_t)CENTRAL_LEN + nlen + xlen + clen;
	if (!within(z->next, rec, z->cd_end))
		return berr_set(e, BOSUN_EFORMAT, "zip: entry %llu: central header overruns the directory",
				(unsigned long long)z->index);
	if (nlen > ZIP_MAX_NAME)
		return berr_set(e, BOSUN_ELIMIT, "zip: entry %llu: name of %u bytes, more than %d",
				(unsigned long long)z->index, nlen, ZIP_MAX_NAME);
	const unsigned char *name = c + CENTRAL_LEN;
	memcpy(ent->name, name, nlen);
	ent->name[nlen] = '\0';
	if (strlen(ent->name) != nlen)
		return berr_set(e, BOSUN_EFORMAT, "zip: entry %llu: NUL byte in its name", (unsigned long long)z->index);
	if (safedir_check_name(ent->name, e) != BOSUN_OK)
		return berr_wrap(e, BOSUN_EFORMAT, "zip: entry %llu", (unsigned long long)z->index);
	ent->is_dir = name[nlen - 1] == '/';
	*flags = rd16(c + 8);
	ent->method = rd16(c + 10);
	ent->mtime = dos_time(rd16(c + 12), rd16(c + 14));
	ent->crc = rd32(c + 16);
	ent->csize = rd32(c + 20);
	ent->usize = rd32(c + 24);
	*local_off = rd32(c + 42);
	if (rd16(c + 34) != 0 && rd16(c + 34) != 0xffff)
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: %s: multi-disk archives are not supported", ent->name);
	TRY(zip64_extra(name + nlen, xlen, &ent->usize, &ent->csize, local_off, e));
	z->next += rec;
	return BOSUN_OK;
}

static int check_entry(const struct zip *z, const struct zip_entry *ent, uint16_t flags, struct berr *e)
{
	if (flags & (1u | 1u << 6 | 1u << 13))
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: %s: encrypted entries are not supported", ent->name);
	if (ent->method != 0 && ent->method != 8)
		return berr_set(e, BOSUN_EUNSUPPORTED, "zip: %s: compression method %u is not supported (only stored "
				"and deflate)", ent->name, ent->method);
	if (ent->method == 0 && ent->csize != ent->usize)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: stored entry with different sizes", ent->name);
	if (ent->is_dir && ent->usize != 0)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: directory entry with data", ent->name);
	if (ent->usize > z->lim.max_entry_size)
		return berr_set(e, BOSUN_ELIMIT, "zip: %s: %llu bytes uncompressed, more than the limit of %llu",
				ent->name, (unsigned long long)ent->usize, (unsigned long long)z->lim.max_entry_size);
	if (ent->usize > RATIO_MIN_SIZE && ent->usize / (ent->csize ? ent->csize : 1) > z->lim.max_ratio)
		return berr_set(e, BOSUN_ELIMIT, "zip: %s: compression ratio above %u (a zip bomb?)", ent->name,
				z->lim.max_ratio);
	if (z->total + ent->usize > z->lim.max_total_size)
		return berr_set(e, BOSUN_ELIMIT, "zip: more than %llu bytes uncompressed in all",
				(unsigned long long)z->lim.max_total_size);
	return BOSUN_OK;
}

/* The local header must agree with the central one; its data must end
 * before the central directory. */
static int check_local(struct zip *z, struct zip_entry *ent, uint64_t off, uint16_t flags, struct berr *e)
{
	if (!within(off, LOCAL_LEN, z->cd_off) || rd32(z->p + off) != SIG_LOCAL)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: bad local header offset %llu", ent->name,
				(unsigned long long)off);
	const unsigned char *l = z->p + off;
	uint16_t nlen = rd16(l + 26), xlen = rd16(l + 28);
	size_t clen = strlen(ent->name);
	if (nlen != clen || !within(off + LOCAL_LEN, nlen, z->cd_off) || memcmp(l + LOCAL_LEN, ent->name, clen) != 0)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: local header names another file", ent->name);
	if (rd16(l + 8) != ent->method)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: local and central headers disagree on the method", ent->name);
	if (!(flags & 8u) && rd32(l + 14) != ent->crc)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: local and central headers disagree on the CRC", ent->name);
	ent->data_off = off + LOCAL_LEN + nlen + xlen;
	if (!within(ent->data_off, ent->csize, z->cd_off))
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: data runs past the central directory", ent->name);
	/* Entries that do not overlap fit side by side before the directory. */
	z->local_bytes += (uint64_t)LOCAL_LEN + nlen + xlen + ent->csize;
	if (z->local_bytes > z->cd_off)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: entries overlap (a zip bomb?)", ent->name);
	return BOSUN_OK;
}

int zip_next(struct zip *z, struct zip_entry *ent, bool *end, struct berr *e)
{
	*end = false;
	if (z->index == z->count) {
		if (z->next != z->cd_end)
			return berr_set(e, BOSUN_EFORMAT, "zip: central directory holds more than the %llu entries "
					"declared", (unsigned long long)z->count);
		*end = true;
		return BOSUN_OK;
	}
	uint64_t local_off = 0;
	uint16_t flags = 0;
	TRY(read_central(z, ent, &local_off, &flags, e));
	TRY(check_entry(z, ent, flags, e));
	TRY(check_local(z, ent, local_off, flags, e));
	z->total += ent->usize;
	z->index++;
	return BOSUN_OK;
}

/* ---- data ------------------------------------------------------------------ */

static const char *inflate_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid deflate block";
	case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK: return "invalid deflate distance";
	case ISAL_NEED_DICT: return "deflate stream needs a preset dictionary";
	}
	return "deflate decoding error";
}

struct out {
	const struct zip_entry *ent;
	zip_sink_fn fn;
	void *ctx;
	uint64_t len;
	uint32_t crc;
};

static int emit(struct out *o, const unsigned char *p, size_t n, struct berr *e)
{
	if (n > o->ent->usize - o->len)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: more data than the %llu bytes declared", o->ent->name,
				(unsigned long long)o->ent->usize);
	o->len += n;
	o->crc = crc32_gzip_refl(o->crc, p, n);
	return n ? o->fn(o->ctx, p, n, e) : BOSUN_OK;
}

static int read_stored(const struct zip *z, struct out *o, struct berr *e)
{
	const unsigned char *p = z->p + o->ent->data_off;
	for (uint64_t done = 0; done < o->ent->csize;) {
		size_t k = o->ent->csize - done < CHUNK ? (size_t)(o->ent->csize - done) : CHUNK;
		TRY(emit(o, p + done, k, e));
		done += k;
	}
	return BOSUN_OK;
}

static int inflate_loop(struct inflate_state *st, unsigned char *buf, struct out *o, struct berr *e)
{
	while (st->block_state != ISAL_BLOCK_FINISH) {
		st->next_out = buf;
		st->avail_out = CHUNK;
		uint32_t in0 = st->avail_in;
		int rc = isal_inflate(st);
		if (rc < 0 || rc == ISAL_NEED_DICT)
			return berr_set(e, BOSUN_EFORMAT, "zip: %s: %s", o->ent->name, inflate_error(rc));
		size_t produced = CHUNK - st->avail_out;
		TRY(emit(o, buf, produced, e));
		if (!produced && in0 == st->avail_in && st->block_state != ISAL_BLOCK_FINISH)
			return berr_set(e, BOSUN_EFORMAT, "zip: %s: truncated deflate stream", o->ent->name);
	}
	if (st->avail_in)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: %u bytes after the end of the deflate stream", o->ent->name,
				st->avail_in);
	return BOSUN_OK;
}

struct zip_scratch {
	struct inflate_state st;
	unsigned char buf[CHUNK];
};

void zip_close(struct zip *z)
{
	free(z->scratch);
	z->scratch = NULL;
}

static int read_deflate(struct zip *z, struct out *o, struct berr *e)
{
	if (o->ent->csize > UINT32_MAX)
		return berr_set(e, BOSUN_ELIMIT, "zip: %s: compressed entry larger than 4 GiB", o->ent->name);
	if (!z->scratch && !(z->scratch = malloc(sizeof *z->scratch)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	struct inflate_state *st = &z->scratch->st;
	isal_inflate_init(st);
	st->crc_flag = ISAL_DEFLATE; /* raw deflate; the CRC is ours to check */
	st->next_in = (uint8_t *)(z->p + o->ent->data_off);
	st->avail_in = (uint32_t)o->ent->csize;
	return inflate_loop(st, z->scratch->buf, o, e);
}

int zip_read(struct zip *z, const struct zip_entry *ent, zip_sink_fn fn, void *ctx, struct berr *e)
{
	struct out o = { .ent = ent, .fn = fn, .ctx = ctx };
	if (ent->is_dir)
		return BOSUN_OK;
	TRY(ent->method == 0 ? read_stored(z, &o, e) : read_deflate(z, &o, e));
	if (o.len != ent->usize)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: %llu bytes of data, %llu declared (truncated?)", ent->name,
				(unsigned long long)o.len, (unsigned long long)ent->usize);
	if (o.crc != ent->crc)
		return berr_set(e, BOSUN_EFORMAT, "zip: %s: CRC-32 mismatch (corrupt data)", ent->name);
	return BOSUN_OK;
}
