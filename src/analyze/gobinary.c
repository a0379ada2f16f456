/* Go binaries: the build information blob ("\xff Go buildinf:", 16-byte
 * aligned in a writable segment) found while the file streams by.
 *
 * Go 1.18 and later store the toolchain version and the module list
 * inline after the blob's 32-byte header: the bytes that follow are all we
 * need. Go 1.13-1.17 store two pointers to Go string headers instead; the
 * headers live in the data segment (after the blob when Go's own linker
 * laid it out, possibly before when a system linker did) and the string
 * bytes in read-only data, which has gone by before the blob is found.
 * Rather than buffer whole segments, Go binaries (ELF files with a Go
 * build-ID note; every PE and Mach-O file, which have no such cheap hint)
 * remember, as they stream by, the few places that can be those strings:
 * every "go1." and the module list's start sentinel, with the bytes that
 * follow them; and in writable segments, every pointer-sized word that
 * points at one of those places, with the length word after it. When the
 * blob's pointers arrive they are resolved against what was remembered or
 * against captures of bytes still to come. The limits (GO_MAX_*) bound
 * memory per file; docs/analyzers-go-rust.md has the details. */
#include "analyze/gobinary.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyzer.h"
#include "analyze/elfstream.h"
#include "util/err.h"

/* Binaries larger than this are not looked at (the largest real Go
 * binaries are a few hundred MB). */
#define GO_FILE_MAX (2ull << 30)
/* All bytes one file may make us keep at once. */
#define GO_BUDGET ((size_t)8 << 20)
#define GO_VERSION_MAX 256
#define GO_MODINFO_MAX ((size_t)1 << 20)
/* Pointer-format helpers: remembered candidates per file. */
#define GO_MAX_VCANDS 256
#define GO_MAX_MCANDS 4
#define GO_MAX_HCANDS 512

#define MAGIC_LEN 14
#define SENTINEL_LEN 16
#define VPREFIX_LEN 4
/* The blob header after the magic: pointer size, flags, two pointers. */
#define BLOB_REST 18
#define BLOB_ALIGN 16

enum {
	TAG_BLOB = 0,
	TAG_HDR = 1, /* + string index */
	TAG_STR = 3, /* + string index */
	TAG_VCAND = 8,
	TAG_MCAND = TAG_VCAND + GO_MAX_VCANDS,
	TAG_HCAND = TAG_MCAND + GO_MAX_MCANDS,
};

static const unsigned char MAGIC[MAGIC_LEN] = "\xff Go buildinf:";
/* cmd/go's modinfo framing (infoStart, infoEnd). */
static const unsigned char INFO_START[SENTINEL_LEN] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
							0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char INFO_END[SENTINEL_LEN] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
						      0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };
static const unsigned char VPREFIX[VPREFIX_LEN] = "go1.";
/* A module list candidate is kept in growing steps until its end
 * sentinel shows up, so a short list costs little. */
#define MCAND_FIRST 4096

/* A place that may hold one of the strings: va of its first byte; the
 * capture under tag holds what follows the matched prefix. */
struct cand {
	uint64_t va;
	int tag;
	bool closed; /* module list: its end was seen, or it can grow no more */
};

/* A word in a writable segment that points at a candidate: a string
 * header at hdr_va whose length word is captured under tag. */
struct hcand {
	uint64_t hdr_va, str_va;
	int tag;
};

enum str_state { S_HDR, S_DATA, S_DONE };

struct gostr {
	enum str_state state;
	uint64_t hdr_va, va, len;
	char *val;
	size_t n;
};

enum phase { P_SEARCH, P_BLOB, P_INLINE, P_POINTER, P_DONE, P_FAIL };

struct gostate {
	struct es_stream es;
	char *path;
	enum phase phase;
	const char *why;        /* P_FAIL after the blob was found */
	bool helpers;           /* remember pointer-format candidates */
	bool helpers_known;
	struct es_search magic_q, ver_q, mod_q;
	uint64_t data_end;      /* no blob can start past this offset */
	unsigned ptr;           /* the blob's pointer size */
	bool blob_be;           /* byte order of the blob's pointers */
	struct cand vc[GO_MAX_VCANDS], mc[GO_MAX_MCANDS];
	size_t nvc, nmc;
	uint64_t targets[GO_MAX_VCANDS + GO_MAX_MCANDS]; /* candidate vas, sorted */
	size_t ntargets;
	struct hcand hc[GO_MAX_HCANDS];
	size_t nhc;
	unsigned char wcarry[8]; /* word scan: bytes of a word split across pieces */
	size_t nw;
	uint64_t wcarry_end;
	struct gostr str[2];    /* 0: toolchain version, 1: module info */
	/* the piece being scanned */
	const unsigned char *p;
	uint64_t pos;
	size_t n;
};

/* ---- remembering candidates ---- */

static void add_target(struct gostate *st, uint64_t va)
{
	size_t i = st->ntargets;
	while (i > 0 && st->targets[i - 1] > va) {
		st->targets[i] = st->targets[i - 1];
		i--;
	}
	st->targets[i] = va;
	st->ntargets++;
}

static bool is_target(const struct gostate *st, uint64_t v)
{
	size_t lo = 0, hi = st->ntargets;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->targets[mid] == v)
			return true;
		if (st->targets[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool off_to_va(const struct gostate *st, uint64_t off, uint64_t *va)
{
	const struct es_seg *g = es_seg_at(&st->es.info, off);
	if (!g)
		return false;
	*va = g->vaddr + (off - g->off);
	return true;
}

/* Capture failures other than ENOMEM only mean this candidate is lost. */
static int soft(int rc) { return rc == BOSUN_ENOMEM ? rc : BOSUN_OK; }

static int on_version(void *ctx, uint64_t off)
{
	struct gostate *st = ctx;
	uint64_t va;
	if (st->nvc == GO_MAX_VCANDS || !off_to_va(st, off, &va))
		return BOSUN_OK;
	int tag = TAG_VCAND + (int)st->nvc;
	int rc = es_capture(&st->es, tag, off + VPREFIX_LEN, GO_VERSION_MAX - VPREFIX_LEN);
	if (rc)
		return soft(rc);
	st->vc[st->nvc++] = (struct cand){ va, tag, true };
	add_target(st, va);
	return BOSUN_OK;
}

static int on_modinfo(void *ctx, uint64_t off)
{
	struct gostate *st = ctx;
	uint64_t va;
	if (st->nmc == GO_MAX_MCANDS || !off_to_va(st, off, &va))
		return BOSUN_OK;
	int tag = TAG_MCAND + (int)st->nmc;
	int rc = es_capture(&st->es, tag, off + SENTINEL_LEN, MCAND_FIRST);
	if (rc)
		return soft(rc);
	st->mc[st->nmc++] = (struct cand){ va, tag, false };
	add_target(st, va);
	return BOSUN_OK;
}

static int on_magic(void *ctx, uint64_t off)
{
	struct gostate *st = ctx;
	uint64_t va;
	if (st->phase != P_SEARCH || !off_to_va(st, off, &va) || va % BLOB_ALIGN)
		return BOSUN_OK;
	/* The magic may have begun in an earlier piece: capture what follows
	 * it, which ends in this piece or later. */
	int rc = es_capture(&st->es, TAG_BLOB, off + MAGIC_LEN, BLOB_REST);
	if (rc)
		return soft(rc);
	st->phase = P_BLOB;
	return BOSUN_OK;
}

/* The byte at file offset o, from the piece or the word carry. */
static unsigned char byte_at(const struct gostate *st, uint64_t o)
{
	if (o >= st->pos)
		return st->p[o - st->pos];
	return st->wcarry[st->nw - (size_t)(st->pos - o)];
}

static int check_word(struct gostate *st, uint64_t w, uint64_t va)
{
	const struct es_info *in = &st->es.info;
	unsigned ps = in->ptr_size;
	unsigned char word[8];
	for (unsigned k = 0; k < ps; k++)
		word[k] = byte_at(st, w + k);
	uint64_t v = es_read_u(in, word, ps);
	if (!is_target(st, v) || st->nhc == GO_MAX_HCANDS)
		return BOSUN_OK;
	int tag = TAG_HCAND + (int)st->nhc;
	int rc = es_capture(&st->es, tag, w + ps, ps);
	if (rc)
		return soft(rc);
	st->hc[st->nhc++] = (struct hcand){ va, v, tag };
	return BOSUN_OK;
}

/* Pointer-aligned words of [a, b) (file offsets inside segment g, in the
 * current piece), including one that began in the previous piece. */
static int scan_words(struct gostate *st, const struct es_seg *g, uint64_t a, uint64_t b)
{
	unsigned ps = st->es.info.ptr_size;
	if (st->wcarry_end != a || a != st->pos)
		st->nw = 0;
	size_t back = st->nw < a - g->off ? st->nw : (size_t)(a - g->off);
	uint64_t from = a - back;
	uint64_t va0 = g->vaddr + (from - g->off);
	for (uint64_t w = from + (ps - va0 % ps) % ps; st->ntargets && w + ps <= b; w += ps)
		TRY(check_word(st, w, g->vaddr + (w - g->off)));
	/* keep the last ps-1 bytes, for a word split across pieces */
	size_t keep = ps - 1;
	if (keep > st->nw + (b - a))
		keep = st->nw + (size_t)(b - a);
	unsigned char tmp[8];
	for (size_t k = 0; k < keep; k++)
		tmp[k] = byte_at(st, b - keep + k);
	memcpy(st->wcarry, tmp, keep);
	st->nw = keep;
	st->wcarry_end = b;
	return BOSUN_OK;
}

/* ---- scanning a piece ---- */

static bool scan_rodata(const struct gostate *st, const struct es_seg *g)
{
	return !g->exec || st->es.info.fmt == EXE_MACHO;
}

static int scan_seg(struct gostate *st, const struct es_seg *g)
{
	uint64_t end = st->pos + st->n;
	uint64_t a = g->off > st->pos ? g->off : st->pos, b = g->off + g->filesz < end ? g->off + g->filesz : end;
	if (a >= b)
		return BOSUN_OK;
	const unsigned char *p = st->p + (a - st->pos);
	size_t n = (size_t)(b - a);
	if (st->helpers && scan_rodata(st, g)) {
		TRY(es_search_feed(&st->ver_q, p, n, a, on_version, st));
		TRY(es_search_feed(&st->mod_q, p, n, a, on_modinfo, st));
	}
	if (!g->write || g->exec)
		return BOSUN_OK;
	if (st->helpers)
		TRY(scan_words(st, g, a, b));
	return es_search_feed(&st->magic_q, p, n, a, on_magic, st);
}

static void decide_helpers(struct gostate *st)
{
	const struct es_info *in = &st->es.info;
	if (st->helpers_known || !st->es.ready)
		return;
	if (in->fmt != EXE_ELF) {
		st->helpers = true;
		st->helpers_known = true;
		return;
	}
	st->helpers = es_has_note(&st->es, "Go", 4);
	st->helpers_known = st->helpers || es_notes_known(&st->es);
}

static void find_data_end(struct gostate *st)
{
	const struct es_info *in = &st->es.info;
	st->data_end = 0;
	for (size_t i = 0; i < in->nsegs; i++)
		if (in->segs[i].write && !in->segs[i].exec && in->segs[i].off + in->segs[i].filesz > st->data_end)
			st->data_end = in->segs[i].off + in->segs[i].filesz;
}

static int scan_piece(struct gostate *st)
{
	if (st->phase != P_SEARCH)
		return BOSUN_OK;
	const struct es_info *in = &st->es.info;
	for (size_t i = 0; i < in->nsegs && st->phase == P_SEARCH; i++)
		TRY(scan_seg(st, &in->segs[i]));
	return BOSUN_OK;
}

/* Extends module list candidates that are complete so far and have not
 * shown their end, while the current piece can still feed them. */
static int grow_one(struct gostate *st, struct cand *m, bool *grew)
{
	const struct es_capture *c = es_get(&st->es, m->tag);
	if (m->closed || !c || c->have < c->len)
		return BOSUN_OK;
	size_t max = GO_MODINFO_MAX - SENTINEL_LEN;
	if (memmem(c->buf, c->len, INFO_END, SENTINEL_LEN) || c->len >= max) {
		m->closed = true;
		return BOSUN_OK;
	}
	size_t want = c->len * 2 < max ? c->len * 2 : max;
	int rc = es_capture(&st->es, m->tag, c->off, want);
	if (rc == BOSUN_ENOMEM)
		return rc;
	c = es_get(&st->es, m->tag);
	if (rc || c->len < want)
		m->closed = true; /* gone, over budget, or at the file's end */
	*grew = !m->closed;
	return BOSUN_OK;
}

static int grow_mcands(struct gostate *st)
{
	bool grew = true;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < st->nmc; i++)
			TRY(grow_one(st, &st->mc[i], &grew));
	}
	return BOSUN_OK;
}

/* ---- the blob ---- */

static void fail(struct gostate *st, const char *why)
{
	st->phase = P_FAIL;
	st->why = why;
}

/* Drops what the pointer-format helpers kept. */
static void drop_helpers(struct gostate *st)
{
	for (size_t i = 0; i < st->nvc; i++)
		es_drop(&st->es, st->vc[i].tag);
	for (size_t i = 0; i < st->nmc; i++)
		es_drop(&st->es, st->mc[i].tag);
	for (size_t i = 0; i < st->nhc; i++)
		es_drop(&st->es, st->hc[i].tag);
	st->nvc = st->nmc = st->nhc = st->ntargets = 0;
	st->helpers = false;
}

/* A pointer-sized word in the blob's byte order. */
static uint64_t rd_ptr(const struct gostate *st, const unsigned char *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < st->ptr; i++)
		v |= (uint64_t)p[i] << (st->blob_be ? (st->ptr - 1 - i) * 8 : i * 8);
	return v;
}

static bool blob_step(struct gostate *st)
{
	const struct es_capture *c = es_get(&st->es, TAG_BLOB);
	if (!c || c->have < c->len)
		return false;
	if (c->len < BLOB_REST) {
		fail(st, "build info header is cut short");
		return true;
	}
	unsigned ps = c->buf[0], flags = c->buf[1];
	if (flags & 2) {
		drop_helpers(st);
		st->phase = P_INLINE;
		return true;
	}
	if (ps != 4 && ps != 8) {
		fail(st, "build info header has an unknown pointer size");
		return true;
	}
	st->ptr = ps;
	st->blob_be = flags != 0;
	for (int i = 0; i < 2; i++)
		st->str[i] = (struct gostr){ .state = S_HDR, .hdr_va = rd_ptr(st, c->buf + 2 + (size_t)i * ps) };
	st->phase = P_POINTER;
	return true;
}

/* binary.Uvarint: false when p[0..n) holds no complete, valid varint. */
static bool uvarint(const unsigned char *p, size_t n, uint64_t *v, size_t *used)
{
	uint64_t x = 0;
	for (size_t i = 0; i < n && i < 10; i++) {
		if (i == 9 && p[i] > 1)
			return false;
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (p[i] < 0x80) {
			*v = x;
			*used = i + 1;
			return true;
		}
	}
	return false;
}

static int set_str(struct gostr *s, const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	s->val = malloc(an + bn + 1);
	if (!s->val)
		return BOSUN_ENOMEM;
	if (an)
		memcpy(s->val, a, an);
	if (bn)
		memcpy(s->val + an, b, bn);
	s->val[an + bn] = '\0';
	s->n = an + bn;
	s->state = S_DONE;
	return BOSUN_OK;
}

/* How many captured bytes the two varint-prefixed strings need; *need is
 * 0 once both are there, and they are stored. */
static int inline_need(struct gostate *st, const struct es_capture *c, size_t *need)
{
	size_t at = BLOB_REST;
	for (int i = 0; i < 2; i++) {
		uint64_t len;
		size_t used;
		if (at >= c->have || !uvarint(c->buf + at, c->have - at, &len, &used)) {
			if (c->have - (at < c->have ? at : c->have) >= 10)
				return BOSUN_EFORMAT;
			*need = at + 10;
			return BOSUN_OK;
		}
		if (len > (i == 0 ? GO_VERSION_MAX : GO_MODINFO_MAX))
			return BOSUN_ELIMIT;
		at += used;
		if (len > c->have - at) {
			*need = at + (size_t)len + (i == 0 ? 10 : 0);
			return BOSUN_OK;
		}
		at += (size_t)len;
	}
	*need = 0;
	at = BLOB_REST;
	for (int i = 0; i < 2; i++) {
		uint64_t len;
		size_t used;
		uvarint(c->buf + at, c->have - at, &len, &used);
		TRY(set_str(&st->str[i], c->buf + at + used, (size_t)len, NULL, 0));
		at += used + (size_t)len;
	}
	return BOSUN_OK;
}

static int inline_step(struct gostate *st, bool *moved)
{
	const struct es_capture *c = es_get(&st->es, TAG_BLOB);
	*moved = false;
	if (c->have < c->len)
		return BOSUN_OK;
	size_t need;
	int rc = inline_need(st, c, &need);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc) {
		fail(st, rc == BOSUN_ELIMIT ? "build info strings exceed the size limit" : "build info is malformed");
	} else if (need == 0) {
		st->phase = P_DONE;
	} else if (need <= c->len) {
		/* The strings run past the file's end. */
		fail(st, "build info is cut short");
	} else {
		rc = es_capture(&st->es, TAG_BLOB, c->off, need);
		if (rc == BOSUN_ENOMEM)
			return rc;
		c = es_get(&st->es, TAG_BLOB);
		if (rc || c->len < need)
			fail(st, "build info is cut short");
	}
	*moved = true;
	return BOSUN_OK;
}

/* ---- the pointer format ---- */

static const struct hcand *find_hcand(const struct gostate *st, uint64_t hdr_va)
{
	for (size_t i = 0; i < st->nhc; i++)
		if (st->hc[i].hdr_va == hdr_va)
			return &st->hc[i];
	return NULL;
}

/* S_HDR: the header (pointer, length) at s->hdr_va. Returns whether it
 * moved on; a header that is gone and was not remembered fails. */
static int string_header(struct gostate *st, int i, bool *moved)
{
	struct gostr *s = &st->str[i];
	unsigned ps = st->ptr;
	*moved = true;
	const struct hcand *h = ps == st->es.info.ptr_size ? find_hcand(st, s->hdr_va) : NULL;
	if (h) {
		const struct es_capture *hc = es_get(&st->es, h->tag);
		if (hc->have < hc->len) {
			*moved = false;
		} else if (hc->len < ps) {
			fail(st, "build info string header is cut short");
		} else {
			s->va = h->str_va;
			s->len = rd_ptr(st, hc->buf);
			s->state = S_DATA;
		}
		return BOSUN_OK;
	}
	const struct es_capture *c = es_get(&st->es, TAG_HDR + i);
	if (!c) {
		uint64_t off;
		int rc = BOSUN_ENOTFOUND;
		if (es_vaddr_to_off(&st->es.info, s->hdr_va, 2 * ps, &off))
			rc = es_capture(&st->es, TAG_HDR + i, off, 2 * ps);
		if (rc == BOSUN_ENOMEM)
			return rc;
		if (rc)
			fail(st, "build info points at data that went by before it was found and was not kept");
		return BOSUN_OK;
	}
	if (c->have < c->len) {
		*moved = false;
	} else if (c->len < 2 * ps) {
		fail(st, "build info string header is cut short");
	} else {
		s->va = rd_ptr(st, c->buf);
		s->len = rd_ptr(st, c->buf + ps);
		s->state = S_DATA;
	}
	return BOSUN_OK;
}

/* A remembered candidate holding [va, va + len): prefix + capture. */
static int from_cand(struct gostate *st, struct gostr *s, const struct cand *cs, size_t nc, const unsigned char *pre,
		     size_t plen, bool *found)
{
	for (size_t i = 0; i < nc; i++) {
		if (cs[i].va != s->va || s->len < plen)
			continue;
		const struct es_capture *c = es_get(&st->es, cs[i].tag);
		size_t rest = (size_t)s->len - plen;
		if (!c || c->len < rest)
			continue;
		*found = true;
		if (c->have < rest)
			return BOSUN_OK; /* still arriving */
		return set_str(s, pre, plen, c->buf, rest);
	}
	return BOSUN_OK;
}

static int string_data(struct gostate *st, int i, bool *moved)
{
	struct gostr *s = &st->str[i];
	if (s->len > (i == 0 ? GO_VERSION_MAX : GO_MODINFO_MAX)) {
		fail(st, "build info string exceeds the size limit");
		*moved = true;
		return BOSUN_OK;
	}
	if (s->len == 0) {
		*moved = true;
		return set_str(s, NULL, 0, NULL, 0);
	}
	bool found = false;
	TRY(from_cand(st, s, st->vc, st->nvc, VPREFIX, VPREFIX_LEN, &found));
	if (!found)
		TRY(from_cand(st, s, st->mc, st->nmc, INFO_START, SENTINEL_LEN, &found));
	if (found) {
		*moved = s->state == S_DONE;
		return BOSUN_OK;
	}
	const struct es_capture *c = es_get(&st->es, TAG_STR + i);
	if (!c) {
		uint64_t off;
		int rc = BOSUN_ENOTFOUND;
		if (es_vaddr_to_off(&st->es.info, s->va, s->len, &off))
			rc = es_capture(&st->es, TAG_STR + i, off, (size_t)s->len);
		if (rc == BOSUN_ENOMEM)
			return rc;
		if (rc)
			fail(st, "build info strings went by before the build info was found and were not kept");
		*moved = true;
		return BOSUN_OK;
	}
	if (c->have < c->len)
		return BOSUN_OK;
	*moved = true;
	if (c->len < s->len) {
		fail(st, "build info string is cut short");
		return BOSUN_OK;
	}
	return set_str(s, c->buf, c->len, NULL, 0);
}

static int pointer_step(struct gostate *st, bool *moved)
{
	*moved = false;
	for (int i = 0; i < 2 && st->phase == P_POINTER; i++) {
		bool m = false;
		if (st->str[i].state == S_HDR)
			TRY(string_header(st, i, &m));
		else if (st->str[i].state == S_DATA)
			TRY(string_data(st, i, &m));
		*moved |= m;
	}
	if (st->phase == P_POINTER && st->str[0].state == S_DONE && st->str[1].state == S_DONE) {
		st->phase = P_DONE;
		*moved = true;
	}
	return BOSUN_OK;
}

/* Runs the state machine as far as the bytes so far allow, while the
 * current piece is still there for captures to extend into. */
static int progress(struct gostate *st)
{
	for (int guard = 0; guard < 64; guard++) {
		bool moved = false;
		switch (st->phase) {
		case P_BLOB: moved = blob_step(st); break;
		case P_INLINE: TRY(inline_step(st, &moved)); break;
		case P_POINTER: TRY(pointer_step(st, &moved)); break;
		default: break;
		}
		if (!moved)
			break;
	}
	return BOSUN_OK;
}

/* ---- analyzer hooks ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool go_stream_wants(const struct stream_file *f)
{
	return S_ISREG(f->mode) && f->size >= 64 && f->size <= GO_FILE_MAX &&
	       ((f->mode & 0111) || ends_with(f->path, ".exe"));
}

static void *go_stream_begin(const struct stream_file *f, const unsigned char *head, size_t headlen)
{
	if (es_sniff(head, headlen) == EXE_NONE)
		return NULL;
	struct gostate *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->path = strdup(f->path);
	if (!st->path || es_init(&st->es, head, headlen, f->size, GO_BUDGET) != BOSUN_OK) {
		free(st->path);
		free(st);
		return NULL;
	}
	es_search_init(&st->magic_q, MAGIC, MAGIC_LEN);
	es_search_init(&st->ver_q, VPREFIX, VPREFIX_LEN);
	es_search_init(&st->mod_q, INFO_START, SENTINEL_LEN);
	st->data_end = UINT64_MAX;
	return st;
}

static int go_stream_data(void *state, const unsigned char *p, size_t n)
{
	struct gostate *st = state;
	TRY(es_feed(&st->es, p, n));
	if (st->es.bad)
		st->phase = P_DONE;
	if (st->es.ready && st->data_end == UINT64_MAX)
		find_data_end(st);
	decide_helpers(st);
	st->p = p;
	st->pos = st->es.pos;
	st->n = n;
	int rc = st->es.ready ? scan_piece(st) : BOSUN_OK;
	if (!rc)
		rc = grow_mcands(st);
	if (!rc)
		rc = progress(st);
	/* Past the last writable segment without a blob: not a Go binary. */
	if (st->phase == P_SEARCH && st->es.ready && st->es.pos + n >= st->data_end)
		st->phase = P_DONE;
	es_advance(&st->es);
	st->p = NULL;
	if (rc)
		return rc;
	return st->phase == P_DONE || st->phase == P_FAIL ? STREAM_DONE : BOSUN_OK;
}

/* Strips cmd/go's framing; "" when it is not there (debug/buildinfo). */
static void unframe(const struct gostr *s, const char **mod, size_t *n)
{
	*mod = "";
	*n = 0;
	if (s->n >= 33 && s->val[s->n - 17] == '\n') {
		*mod = s->val + 16;
		*n = s->n - 32;
	}
}

static int go_stream_end(void *state, bool complete, struct artifact *out, struct berr *e)
{
	(void)complete;
	(void)e;
	struct gostate *st = state;
	int rc = BOSUN_OK;
	if (st->phase == P_DONE && st->str[0].val && st->str[1].val && st->str[0].n) {
		const char *mod;
		size_t n;
		unframe(&st->str[1], &mod, &n);
		rc = go_buildinfo_packages(st->str[0].val, mod, n, st->path, out);
	} else if (st->phase == P_FAIL || st->phase == P_BLOB || st->phase == P_INLINE || st->phase == P_POINTER) {
		artifact_warn(out, "go binary: %s: %s", st->path,
			      st->phase == P_FAIL ? st->why : "the file ended before its build info was read");
	}
	for (int i = 0; i < 2; i++)
		free(st->str[i].val);
	es_free(&st->es);
	free(st->path);
	free(st);
	return rc;
}

static bool go_wants(const char *path, size_t len)
{
	(void)path;
	(void)len;
	return false;
}

/* Everything happens while streaming; the packages reach the artifact
 * through the scan's collection of streamed results. */
static int go_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	(void)v;
	(void)a;
	(void)e;
	return BOSUN_OK;
}

const struct analyzer analyzer_gobinary = {
	.name = "gobinary",
	.version = 1,
	.wants = go_wants,
	.analyze = go_analyze,
	.stream_wants = go_stream_wants,
	.stream_begin = go_stream_begin,
	.stream_data = go_stream_data,
	.stream_end = go_stream_end,
};
