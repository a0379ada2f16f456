/* Streaming zip reader: a state machine over the bytes as they arrive.
 *
 * Layout it follows (APPNOTE 6.3.10): local header, name, extra, data,
 * optional data descriptor, repeated; then the central directory, where it
 * stops. Where a member's data ends:
 *  - sizes in the local header (or its zip64 extra): count bytes;
 *  - flag bit 3 and deflate: the deflate stream ends by itself (zlib tells
 *    exactly how much input it used), then the descriptor follows;
 *  - flag bit 3 and anything else: look for a descriptor whose sizes (and,
 *    for stored data, CRC) match the bytes seen so far and that is followed
 *    by the next "PK" header. That needs LOOK bytes of lookahead, kept in a
 *    small carry buffer, never the member.
 * zlib rather than ISA-L here: zlib reports the exact end of a raw deflate
 * stream, which data descriptors depend on, and jar members are small. */
#include "analyze/zipstream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

const struct zs_limits zs_default_limits = {
	.max_depth = 4,
	.max_nested_bytes = 1ull << 30,
	.budget_grace = 64ull << 20,
	.budget_ratio = 32,
	.budget_max = 8ull << 30,
	.max_prefix = 1ull << 20,
};

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_END64_LOCATOR 0x07064b50u
#define SIG_DESCRIPTOR 0x08074b50u
#define SIG_DIGITAL_SIG 0x05054b50u
#define SIG_EXTRA_DATA 0x08064b50u

#define LOCAL_FIXED 26      /* local header after its signature */
#define EXTRA_KEEP 1024     /* extra field bytes kept (zip64 comes first in practice) */
#define OUT_BUF (32 * 1024) /* inflate output per call */
/* Descriptor lookahead: signature 4 + CRC 4 + two 8-byte sizes, plus the
 * "PK" of the header after it. */
#define LOOK 28
#define SCAN_CHUNK 4096
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_DESCRIPTOR 0x0008u
#define U32_MAX 0xffffffffu

enum state {
	ST_START,   /* the first four bytes */
	ST_PREFIX,  /* a launch script or other bytes before the first header */
	ST_SIG,     /* the next header's signature */
	ST_LOCAL,   /* local header fields */
	ST_NAME,
	ST_EXTRA,
	ST_STORED,  /* data of known size: handed over (stored) or skipped */
	ST_INFLATE, /* deflate data: at most `left` input bytes, or to its end */
	ST_SCAN,    /* bit 3, not deflate: looking for the descriptor */
	ST_DESC,    /* descriptor after deflate data */
	ST_END,     /* central directory reached */
	ST_FAIL,    /* malformed or over budget (warned) */
};

/* Owned by the outer reader, shared by every nested one: the inflate
 * budget covers the whole outer file. */
struct shared {
	const struct zs_limits *lim;
	uint64_t input;    /* bytes of the outer file fed */
	uint64_t inflated; /* bytes inflated at every level */
	bool over;         /* budget exceeded: everything stops */
};

struct zs_reader {
	struct shared *sh;
	struct shared own;
	const struct zs_visitor *v;
	void *ctx;
	int depth;
	enum state st;
	int err; /* first callback error, sticky */
	uint64_t offset;
	uint32_t rolling; /* last four bytes while scanning a prefix */

	unsigned char hdr[32]; /* fixed header or descriptor being assembled */
	size_t have, need;

	/* the current member */
	struct zs_member m;
	char name[ZS_NAME_MAX + 1];
	unsigned char extra[EXTRA_KEEP];
	uint16_t lname, lextra;
	size_t got; /* name or extra bytes consumed so far */
	uint32_t hdr_csize, hdr_usize;
	bool name_bad, zip64, raw;
	enum zs_action act;
	bool delivering, member_ok, desc_sig;
	uint64_t left;      /* ST_STORED, ST_INFLATE with known sizes: input bytes left */
	uint64_t cin, uout; /* input consumed, output produced by this member */
	uint64_t nested_out;
	uint32_t crc;       /* of stored bytes, to confirm a descriptor */

	z_stream z;
	bool z_ready;
	unsigned char *out;
	unsigned char *scan; /* ST_SCAN carry: bytes whose positions are not checked yet */
	size_t nscan;

	struct zs_reader *child;
	void *child_ctx;
};

static int run(struct zs_reader *r, const unsigned char *p, size_t n);

/* ---- helpers ------------------------------------------------------------- */

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const unsigned char *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }
static size_t min_sz(size_t a, uint64_t b) { return b < a ? (size_t)b : a; }

static bool done(const struct zs_reader *r)
{
	return r->st == ST_END || r->st == ST_FAIL || r->err || r->sh->over;
}

/* A member name fit for a message: printable ASCII, at most 200 bytes. */
static void printable_name(const struct zs_reader *r, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *c = r->name; *c && n + 1 < cap && n < 200; c++)
		out[n++] = (*c >= 0x20 && *c < 0x7f) ? *c : '?';
	out[n] = '\0';
}

static void warn(struct zs_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct zs_reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->v->warn)
		r->v->warn(r->ctx, msg);
}

#define fail(r, ...) (warn((r), __VA_ARGS__), (r)->st = ST_FAIL, BOSUN_OK)

/* Collects r->need bytes into r->hdr; true once they are all there. */
static bool collect(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t take = min_sz(n, r->need - r->have);
	memcpy(r->hdr + r->have, p, take);
	r->have += take;
	*used = take;
	return r->have == r->need;
}

static void expect(struct zs_reader *r, enum state st, size_t need)
{
	r->st = st;
	r->have = 0;
	r->need = need;
}

/* Counts inflated bytes against the budget of the outer file. */
static bool budget_ok(struct zs_reader *r, size_t n)
{
	struct shared *sh = r->sh;
	const struct zs_limits *lim = sh->lim;
	sh->inflated += n;
	uint64_t allow = lim->budget_grace + (uint64_t)lim->budget_ratio * sh->input;
	if (allow > lim->budget_max)
		allow = lim->budget_max;
	if (sh->inflated <= allow)
		return true;
	if (!sh->over)
		warn(r, "inflates to more than %llu bytes from %llu bytes read (a decompression bomb?): rest not read",
		     (unsigned long long)allow, (unsigned long long)sh->input);
	sh->over = true;
	r->st = ST_FAIL;
	return false;
}

/* ---- members -------------------------------------------------------------- */

/* Ends the current member for the visitor; safe to call twice. */
static int finish_member(struct zs_reader *r, bool complete)
{
	enum zs_action act = r->act;
	r->act = ZS_SKIP;
	r->delivering = false;
	complete = complete && r->member_ok;
	if (act == ZS_READ && r->v->member_end)
		return r->v->member_end(r->ctx, complete);
	if (act != ZS_NEST)
		return BOSUN_OK;
	bool child_complete = false;
	int rc = zs_finish(r->child, &child_complete);
	int rc2 = r->v->nest_end ? r->v->nest_end(r->ctx, r->child_ctx, child_complete && complete) : BOSUN_OK;
	zs_free(r->child);
	r->child = NULL;
	r->child_ctx = NULL;
	return rc ? rc : rc2;
}

/* Hands uncompressed member bytes to the visitor or the nested reader. */
static int deliver(struct zs_reader *r, const unsigned char *p, size_t n)
{
	if (!r->delivering || !n)
		return BOSUN_OK;
	if (r->act == ZS_READ) {
		int rc = r->v->data(r->ctx, p, n);
		if (rc == ZS_ENOUGH)
			r->delivering = false;
		return rc == ZS_ENOUGH ? BOSUN_OK : rc;
	}
	if (r->nested_out + n > r->sh->lim->max_nested_bytes) {
		char nm[256];
		printable_name(r, nm, sizeof nm);
		warn(r, "%s: nested archive larger than %llu bytes: rest not read", nm,
		     (unsigned long long)r->sh->lim->max_nested_bytes);
		r->delivering = false;
		r->member_ok = false;
		return BOSUN_OK;
	}
	r->nested_out += n;
	int rc = zs_feed(r->child, p, n);
	if (rc)
		return rc;
	if (zs_done(r->child))
		r->delivering = false;
	if (r->sh->over)
		r->st = ST_FAIL;
	return BOSUN_OK;
}

/* The zip64 extra field (tag 1). In a local header it carries both sizes,
 * uncompressed first; a writer that sets only the one that overflowed
 * gets its single value assigned in the same order. */
static void apply_zip64(struct zs_reader *r)
{
	size_t n = r->lextra < EXTRA_KEEP ? r->lextra : EXTRA_KEEP;
	for (size_t i = 0; i + 4 <= n;) {
		uint16_t tag = le16(r->extra + i), len = le16(r->extra + i + 2);
		const unsigned char *d = r->extra + i + 4;
		if (i + 4 + len > n)
			break;
		if (tag == 1) {
			r->zip64 = true;
			if (len >= 16) {
				r->m.usize = le64(d);
				r->m.csize = le64(d + 8);
			} else if (len >= 8) {
				if (r->hdr_usize == U32_MAX)
					r->m.usize = le64(d);
				else
					r->m.csize = le64(d);
			}
			return;
		}
		i += 4 + (size_t)len;
	}
}

/* The visitor's choice, unless the member cannot be read; *asked tells
 * what the visitor said. */
static int choose_action(struct zs_reader *r, enum zs_action *asked)
{
	const struct zs_limits *lim = r->sh->lim;
	char nm[256];
	printable_name(r, nm, sizeof nm);
	if (r->name_bad) {
		if (r->lname > ZS_NAME_MAX)
			warn(r, "member name of %u bytes at offset %llu: skipped", r->lname, (unsigned long long)r->offset);
		return ZS_SKIP;
	}
	enum zs_action act = r->v->member(r->ctx, &r->m);
	*asked = act;
	if (act == ZS_SKIP)
		return act;
	if (r->m.flags & FLAG_ENCRYPTED) {
		warn(r, "%s: encrypted: skipped", nm);
		return ZS_SKIP;
	}
	if (r->m.method != 0 && r->m.method != 8) {
		warn(r, "%s: compression method %u not supported: skipped", nm, r->m.method);
		return ZS_SKIP;
	}
	if (act != ZS_NEST)
		return act;
	if (r->depth >= lim->max_depth) {
		warn(r, "%s: archive nested more than %d levels deep: not read", nm, lim->max_depth);
		return ZS_SKIP;
	}
	if (r->m.sizes_known && r->m.usize > lim->max_nested_bytes) {
		warn(r, "%s: nested archive of %llu bytes exceeds %llu: not read", nm, (unsigned long long)r->m.usize,
		     (unsigned long long)lim->max_nested_bytes);
		return ZS_SKIP;
	}
	return ZS_NEST;
}

static int start_child(struct zs_reader *r)
{
	void *cctx = NULL;
	TRY(r->v->nest_begin(r->ctx, &r->m, &cctx));
	if (!cctx)
		return BOSUN_OK;
	struct zs_reader *c = calloc(1, sizeof *c);
	if (!c) {
		if (r->v->nest_end)
			r->v->nest_end(r->ctx, cctx, false);
		return BOSUN_ENOMEM;
	}
	c->sh = r->sh;
	c->v = r->v;
	c->ctx = cctx;
	c->depth = r->depth + 1;
	expect(c, ST_START, 4);
	r->child = c;
	r->child_ctx = cctx;
	r->act = ZS_NEST;
	return BOSUN_OK;
}

static int inflate_ready(struct zs_reader *r)
{
	if (!r->out && !(r->out = malloc(OUT_BUF)))
		return BOSUN_ENOMEM;
	if (r->z_ready)
		return inflateReset(&r->z) == Z_OK ? BOSUN_OK : BOSUN_ENOMEM;
	memset(&r->z, 0, sizeof r->z);
	if (inflateInit2(&r->z, -MAX_WBITS) != Z_OK)
		return BOSUN_ENOMEM;
	r->z_ready = true;
	return BOSUN_OK;
}

/* The local header, name and extra are in: decide and set up the data. */
static int begin_member(struct zs_reader *r)
{
	struct zs_member *m = &r->m;
	memset(m, 0, sizeof *m);
	r->name[r->lname < ZS_NAME_MAX ? r->lname : ZS_NAME_MAX] = '\0';
	r->name_bad = r->lname > ZS_NAME_MAX || strlen(r->name) != r->lname;
	m->name = r->name_bad ? "" : r->name;
	m->name_len = r->name_bad ? 0 : r->lname;
	m->flags = le16(r->hdr + 2);
	m->method = le16(r->hdr + 4);
	m->sizes_known = !(m->flags & FLAG_DESCRIPTOR);
	r->hdr_csize = le32(r->hdr + 14);
	r->hdr_usize = le32(r->hdr + 18);
	m->csize = r->hdr_csize;
	m->usize = r->hdr_usize;
	m->depth = r->depth;
	r->zip64 = false;
	apply_zip64(r);
	r->cin = r->uout = r->nested_out = 0;
	r->crc = (uint32_t)crc32(0, NULL, 0);
	r->member_ok = true;
	r->act = ZS_SKIP;
	enum zs_action asked = ZS_SKIP;
	int act = choose_action(r, &asked);
	if (asked == ZS_READ && act == ZS_SKIP && r->v->member_end)
		TRY(r->v->member_end(r->ctx, false)); /* every ZS_READ gets its end */
	if (act == ZS_NEST)
		TRY(start_child(r));
	else
		r->act = (enum zs_action)act;
	r->delivering = r->act != ZS_SKIP;
	r->raw = m->method == 0 && !(m->flags & FLAG_ENCRYPTED); /* plain bytes we can CRC */
	if (m->method == 8 && (r->delivering || !m->sizes_known))
		TRY(inflate_ready(r));
	if (m->sizes_known) {
		r->left = m->csize;
		r->st = m->method == 8 && r->delivering ? ST_INFLATE : ST_STORED;
		if (r->left == 0) {
			/* Nothing follows: an empty stored member, or deflate data that
			 * is missing (complete only if it was meant to be empty). */
			TRY(finish_member(r, r->raw || m->usize == 0));
			expect(r, ST_SIG, 4);
		}
		return BOSUN_OK;
	}
	r->left = UINT64_MAX;
	if (m->method == 8) {
		r->st = ST_INFLATE;
	} else {
		if (!r->scan && !(r->scan = malloc(SCAN_CHUNK + LOOK)))
			return BOSUN_ENOMEM;
		r->nscan = 0;
		r->st = ST_SCAN;
	}
	return BOSUN_OK;
}

/* ---- data ------------------------------------------------------------------ */

static int step_stored(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t k = min_sz(n, r->left);
	if (r->raw)
		TRY(deliver(r, p, k));
	r->left -= k;
	r->cin += k;
	*used = k;
	if (r->left == 0 && !done(r)) {
		TRY(finish_member(r, true));
		expect(r, ST_SIG, 4);
	}
	return BOSUN_OK;
}

/* The deflate stream ended: a descriptor follows (bit 3), or, with known
 * sizes, whatever the header counted beyond the stream is skipped. */
static int inflate_ended(struct zs_reader *r)
{
	if (r->m.sizes_known && r->uout != r->m.usize) {
		char nm[256];
		printable_name(r, nm, sizeof nm);
		warn(r, "%s: inflates to %llu bytes, header says %llu", nm, (unsigned long long)r->uout,
		     (unsigned long long)r->m.usize);
		r->member_ok = false;
	}
	TRY(finish_member(r, true));
	if (!r->m.sizes_known) {
		expect(r, ST_DESC, 4);
		r->desc_sig = false;
	} else if (r->left) {
		r->st = ST_STORED; /* skip what the header counted beyond the stream */
		r->raw = false;
	} else {
		expect(r, ST_SIG, 4);
	}
	return BOSUN_OK;
}

static int inflate_broken(struct zs_reader *r, int zrc)
{
	char nm[256];
	printable_name(r, nm, sizeof nm);
	if (zrc == Z_MEM_ERROR)
		return BOSUN_ENOMEM;
	if (!r->m.sizes_known)
		return fail(r, "%s: corrupt deflate data and no sizes: rest of archive not read", nm);
	warn(r, "%s: corrupt deflate data: skipped", nm);
	r->member_ok = false;
	TRY(finish_member(r, false));
	r->st = ST_STORED;
	r->raw = false;
	if (r->left == 0)
		expect(r, ST_SIG, 4);
	return BOSUN_OK;
}

static int step_inflate(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	*used = 0;
	if (!r->delivering && r->m.sizes_known) {
		r->st = ST_STORED; /* nobody wants the rest: skip it unread */
		r->raw = false;
		return BOSUN_OK;
	}
	size_t k = min_sz(n, r->left);
	if (k > UINT32_MAX)
		k = UINT32_MAX;
	r->z.next_in = (unsigned char *)p;
	r->z.avail_in = (uInt)k;
	int zrc = Z_OK;
	while (!done(r) && (r->delivering || !r->m.sizes_known)) {
		r->z.next_out = r->out;
		r->z.avail_out = OUT_BUF;
		zrc = inflate(&r->z, Z_NO_FLUSH);
		size_t produced = OUT_BUF - r->z.avail_out;
		if (produced) {
			if (!budget_ok(r, produced))
				break;
			r->uout += produced;
			int rc = deliver(r, r->out, produced);
			if (rc)
				return rc;
		}
		if (zrc != Z_OK || (r->z.avail_in == 0 && r->z.avail_out != 0))
			break;
	}
	size_t in_used = k - r->z.avail_in;
	*used = in_used;
	r->cin += in_used;
	if (r->m.sizes_known)
		r->left -= in_used;
	if (done(r))
		return BOSUN_OK;
	if (zrc == Z_STREAM_END)
		return inflate_ended(r);
	if (zrc != Z_OK && zrc != Z_BUF_ERROR)
		return inflate_broken(r, zrc);
	if (r->m.sizes_known && r->left == 0) {
		char nm[256];
		printable_name(r, nm, sizeof nm);
		warn(r, "%s: deflate data ends early", nm);
		TRY(finish_member(r, false));
		expect(r, ST_SIG, 4);
	}
	return BOSUN_OK;
}

/* Member bytes that turned out not to be its descriptor. */
static int release(struct zs_reader *r, const unsigned char *p, size_t n)
{
	if (!n)
		return BOSUN_OK;
	if (r->raw) {
		r->crc = (uint32_t)crc32(r->crc, p, (uInt)n);
		TRY(deliver(r, p, n));
	}
	r->cin += n;
	return BOSUN_OK;
}

static bool pk_at(const unsigned char *b) { return b[0] == 'P' && b[1] == 'K'; }

/* Is there a descriptor at b (LOOK bytes available) for the r->cin member
 * bytes seen so far? Stored data must match in CRC too, and the next
 * header must follow, so a look-alike inside the data does not count. */
static size_t descriptor_at(const struct zs_reader *r, const unsigned char *b)
{
	uint64_t k = r->cin;
	bool stored = r->raw;
	if (le32(b) == SIG_DESCRIPTOR) {
		bool crc_ok = !stored || le32(b + 4) == r->crc;
		if (crc_ok && le32(b + 8) == (uint32_t)k && (!stored || le32(b + 12) == (uint32_t)k) && pk_at(b + 16))
			return 16;
		if (crc_ok && le64(b + 8) == k && (!stored || le64(b + 16) == k) && pk_at(b + 24))
			return 24;
	}
	if (!stored || le32(b) != r->crc)
		return 0;
	if (le32(b + 4) == (uint32_t)k && le32(b + 8) == (uint32_t)k && pk_at(b + 12))
		return 12;
	if (le64(b + 4) == k && le64(b + 12) == k && pk_at(b + 20))
		return 20;
	return 0;
}

/* Cheap first test at position j of the carry: a descriptor signature,
 * or (stored data) a compressed size equal to the bytes before it. */
static bool maybe_descriptor(const struct zs_reader *r, const unsigned char *b, uint64_t k)
{
	return le32(b) == SIG_DESCRIPTOR || (r->raw && le32(b + 4) == (uint32_t)k);
}

static int step_scan(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t old = r->nscan;
	size_t take = min_sz(n, SCAN_CHUNK + LOOK - old);
	memcpy(r->scan + old, p, take);
	r->nscan += take;
	*used = take;
	size_t rel = 0, j = 0;
	for (; j + LOOK <= r->nscan; j++) {
		if (!maybe_descriptor(r, r->scan + j, r->cin + (j - rel)))
			continue;
		TRY(release(r, r->scan + rel, j - rel));
		rel = j;
		if (done(r))
			return BOSUN_OK;
		size_t len = descriptor_at(r, r->scan + j);
		if (!len)
			continue;
		/* Bytes after the descriptor: those of this chunk are given
		 * back; those of the earlier carry (< LOOK) are run again. */
		size_t after = j + len;
		unsigned char again[LOOK];
		size_t nagain = 0;
		if (after < old) {
			nagain = old - after;
			memcpy(again, r->scan + after, nagain);
			*used = 0;
		} else {
			*used = after - old;
		}
		r->nscan = 0;
		TRY(finish_member(r, true));
		expect(r, ST_SIG, 4);
		return nagain ? run(r, again, nagain) : BOSUN_OK;
	}
	TRY(release(r, r->scan + rel, j - rel));
	memmove(r->scan, r->scan + j, r->nscan - j);
	r->nscan -= j;
	return BOSUN_OK;
}

static int step_desc(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	if (!collect(r, p, n, used))
		return BOSUN_OK;
	bool wide = r->zip64 || r->cin >= U32_MAX || r->uout >= U32_MAX;
	size_t fields = wide ? 20 : 12;
	if (r->need == 4) {
		r->desc_sig = le32(r->hdr) == SIG_DESCRIPTOR;
		r->need = (r->desc_sig ? 4 : 0) + fields;
		return BOSUN_OK;
	}
	const unsigned char *d = r->hdr + (r->desc_sig ? 4 : 0);
	uint64_t csize = wide ? le64(d + 4) : le32(d + 4);
	if (csize != (wide ? r->cin : (uint32_t)r->cin)) {
		char nm[256];
		printable_name(r, nm, sizeof nm);
		warn(r, "%s: data descriptor says %llu compressed bytes, data had %llu", nm,
		     (unsigned long long)csize, (unsigned long long)r->cin);
	}
	expect(r, ST_SIG, 4);
	return BOSUN_OK;
}

/* ---- headers ---------------------------------------------------------------- */

static int after_signature(struct zs_reader *r, uint32_t sig)
{
	switch (sig) {
	case SIG_LOCAL:
		expect(r, ST_LOCAL, LOCAL_FIXED);
		return BOSUN_OK;
	case SIG_CENTRAL:
	case SIG_END:
	case SIG_END64:
	case SIG_END64_LOCATOR:
	case SIG_DIGITAL_SIG:
	case SIG_EXTRA_DATA:
		r->st = ST_END; /* the members are behind us */
		return BOSUN_OK;
	default:
		return fail(r, "no zip header at offset %llu: rest not read", (unsigned long long)(r->offset - 4));
	}
}

static int step_start(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	if (!collect(r, p, n, used))
		return BOSUN_OK;
	uint32_t sig = le32(r->hdr);
	if (sig == SIG_LOCAL || sig == SIG_END)
		return after_signature(r, sig);
	r->rolling = sig; /* a prefix: an executable jar's launch script, say */
	r->st = ST_PREFIX;
	return BOSUN_OK;
}

static int step_prefix(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t i = 0;
	while (i < n) {
		r->rolling = r->rolling >> 8 | (uint32_t)p[i++] << 24;
		if (r->rolling == SIG_LOCAL) {
			*used = i;
			expect(r, ST_LOCAL, LOCAL_FIXED);
			return BOSUN_OK;
		}
		if (r->offset + i > r->sh->lim->max_prefix) {
			*used = i;
			return fail(r, "not a zip archive (no local header in the first %llu bytes)",
				    (unsigned long long)r->sh->lim->max_prefix);
		}
	}
	*used = n;
	return BOSUN_OK;
}

static int step_local(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	if (!collect(r, p, n, used))
		return BOSUN_OK;
	r->lname = le16(r->hdr + 22);
	r->lextra = le16(r->hdr + 24);
	r->got = 0;
	r->st = ST_NAME;
	if (r->lname == 0)
		r->st = ST_EXTRA;
	if (r->lname == 0 && r->lextra == 0)
		return begin_member(r);
	return BOSUN_OK;
}

static int step_name(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t k = min_sz(n, (uint64_t)r->lname - r->got);
	if (r->got < ZS_NAME_MAX)
		memcpy(r->name + r->got, p, min_sz(k, ZS_NAME_MAX - r->got));
	r->got += k;
	*used = k;
	if (r->got < r->lname)
		return BOSUN_OK;
	r->got = 0;
	r->st = ST_EXTRA;
	return r->lextra ? BOSUN_OK : begin_member(r);
}

static int step_extra(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	size_t k = min_sz(n, (uint64_t)r->lextra - r->got);
	if (r->got < EXTRA_KEEP)
		memcpy(r->extra + r->got, p, min_sz(k, EXTRA_KEEP - r->got));
	r->got += k;
	*used = k;
	return r->got < r->lextra ? BOSUN_OK : begin_member(r);
}

static int step(struct zs_reader *r, const unsigned char *p, size_t n, size_t *used)
{
	switch (r->st) {
	case ST_START: return step_start(r, p, n, used);
	case ST_PREFIX: return step_prefix(r, p, n, used);
	case ST_SIG:
		if (!collect(r, p, n, used))
			return BOSUN_OK;
		return after_signature(r, le32(r->hdr));
	case ST_LOCAL: return step_local(r, p, n, used);
	case ST_NAME: return step_name(r, p, n, used);
	case ST_EXTRA: return step_extra(r, p, n, used);
	case ST_STORED: return step_stored(r, p, n, used);
	case ST_INFLATE: return step_inflate(r, p, n, used);
	case ST_SCAN: return step_scan(r, p, n, used);
	case ST_DESC: return step_desc(r, p, n, used);
	case ST_END:
	case ST_FAIL: break;
	}
	*used = n;
	return BOSUN_OK;
}

static int run(struct zs_reader *r, const unsigned char *p, size_t n)
{
	/* A step that uses nothing is waiting for a state change it has just
	 * made (e.g. inflate handing over to skipping), so allow a few. */
	int idle = 0;
	while (n && !done(r)) {
		size_t used = 0;
		int rc = step(r, p, n, &used);
		if (rc) {
			r->err = rc;
			return rc;
		}
		p += used;
		n -= used;
		r->offset += used;
		if (used)
			idle = 0;
		else if (++idle > 4)
			return fail(r, "internal: reader made no progress at offset %llu", (unsigned long long)r->offset);
	}
	return r->err;
}

/* ---- interface ------------------------------------------------------------------ */

int zs_new(const struct zs_limits *lim, const struct zs_visitor *v, void *ctx, struct zs_reader **out)
{
	struct zs_reader *r = calloc(1, sizeof *r);
	if (!r)
		return BOSUN_ENOMEM;
	r->own.lim = lim ? lim : &zs_default_limits;
	r->sh = &r->own;
	r->v = v;
	r->ctx = ctx;
	expect(r, ST_START, 4);
	*out = r;
	return BOSUN_OK;
}

int zs_feed(struct zs_reader *r, const unsigned char *p, size_t n)
{
	if (r->depth == 0)
		r->sh->input += n;
	if (r->err)
		return r->err;
	return run(r, p, n);
}

bool zs_done(const struct zs_reader *r) { return done(r); }

int zs_finish(struct zs_reader *r, bool *complete)
{
	*complete = r->st == ST_END && !r->err;
	if (r->err)
		return r->err;
	if (r->st == ST_END || r->st == ST_FAIL || r->sh->over) {
		if (r->act != ZS_SKIP)
			return finish_member(r, false);
		return BOSUN_OK;
	}
	char nm[256];
	printable_name(r, nm, sizeof nm);
	if (r->offset == 0)
		warn(r, "empty file");
	else if (r->st == ST_SIG && r->have == 0)
		warn(r, "archive ends after %llu bytes without a central directory", (unsigned long long)r->offset);
	else if (r->st >= ST_STORED && r->st <= ST_SCAN)
		warn(r, "archive is truncated inside %s", nm);
	else
		warn(r, "archive is truncated at offset %llu", (unsigned long long)r->offset);
	r->st = ST_FAIL;
	return finish_member(r, false);
}

void zs_free(struct zs_reader *r)
{
	if (!r)
		return;
	zs_free(r->child);
	if (r->z_ready)
		inflateEnd(&r->z);
	free(r->out);
	free(r->scan);
	free(r);
}
