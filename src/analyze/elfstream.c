/* Executable headers and byte-range captures over a file that streams by
 * once. Every offset and count read from the file is checked against the
 * file's size and the table it came from before use. */
#include "analyze/elfstream.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define TAG_TABLE (-1)
#define TAG_NOTES (-2)
#define TAG_DEAD (-100)

#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2

/* ---- byte order ---- */

uint64_t es_read_u(const struct es_info *in, const unsigned char *p, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = in->big_endian ? (size - 1 - i) * 8 : i * 8;
		v |= (uint64_t)p[i] << shift;
	}
	return v;
}

static uint64_t rd(const struct es_info *in, const unsigned char *p, unsigned size) { return es_read_u(in, p, size); }

/* ---- recognising the format ---- */

enum exe_format es_sniff(const unsigned char *h, size_t n)
{
	if (n >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F')
		return EXE_ELF;
	if (n >= 64 && h[0] == 'M' && h[1] == 'Z')
		return EXE_PE;
	if (n >= 4) {
		uint32_t le = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
		if (le == 0xfeedface || le == 0xfeedfacf || le == 0xcefaedfe || le == 0xcffaedfe)
			return EXE_MACHO;
	}
	return EXE_NONE;
}

/* ---- captures ---- */

static struct es_capture *find(const struct es_stream *s, int tag)
{
	for (size_t i = 0; i < s->ncaps; i++)
		if (s->caps[i].tag == tag)
			return &s->caps[i];
	return NULL;
}

const struct es_capture *es_get(const struct es_stream *s, int tag) { return tag < 0 ? NULL : find(s, tag); }

static void copy_current(struct es_stream *s, struct es_capture *c)
{
	uint64_t want = c->off + c->have, end = s->pos + s->curlen;
	if (!s->cur || want < s->pos || want >= end || c->have >= c->len)
		return;
	size_t n = (size_t)(end - want);
	if (n > c->len - c->have)
		n = c->len - c->have;
	memcpy(c->buf + c->have, s->cur + (want - s->pos), n);
	c->have += n;
}

static int activate(struct es_stream *s, size_t idx)
{
	if (s->nactive == s->capactive) {
		size_t nc = s->capactive ? s->capactive * 2 : 8;
		size_t *na = realloc(s->active, nc * sizeof *na);
		if (!na)
			return BOSUN_ENOMEM;
		s->active = na;
		s->capactive = nc;
	}
	s->active[s->nactive++] = idx;
	return BOSUN_OK;
}

static int extend(struct es_stream *s, struct es_capture *c, size_t len)
{
	bool was_active = c->have < c->len;
	if (!was_active && c->off + c->len < s->pos)
		return BOSUN_ENOTFOUND;
	if (len - c->len > s->budget - s->used)
		return BOSUN_ELIMIT;
	unsigned char *nb = realloc(c->buf, len);
	if (!nb)
		return BOSUN_ENOMEM;
	s->used += len - c->len;
	c->buf = nb;
	c->len = len;
	copy_current(s, c);
	if (!was_active && c->have < c->len)
		return activate(s, (size_t)(c - s->caps));
	return BOSUN_OK;
}

static int capture(struct es_stream *s, int tag, uint64_t off, size_t len)
{
	if (off >= s->size)
		return BOSUN_ENOTFOUND;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	struct es_capture *c = find(s, tag);
	if (c)
		return len <= c->len ? BOSUN_OK : extend(s, c, len);
	if (off < s->pos)
		return BOSUN_ENOTFOUND;
	if (len > s->budget - s->used)
		return BOSUN_ELIMIT;
	if (s->ncaps == s->capcap) {
		size_t nc = s->capcap ? s->capcap * 2 : 8;
		struct es_capture *na = realloc(s->caps, nc * sizeof *na);
		if (!na)
			return BOSUN_ENOMEM;
		s->caps = na;
		s->capcap = nc;
	}
	unsigned char *buf = malloc(len ? len : 1);
	if (!buf)
		return BOSUN_ENOMEM;
	c = &s->caps[s->ncaps++];
	*c = (struct es_capture){ .tag = tag, .off = off, .len = len, .buf = buf };
	s->used += len;
	copy_current(s, c);
	return c->have < c->len ? activate(s, s->ncaps - 1) : BOSUN_OK;
}

int es_capture(struct es_stream *s, int tag, uint64_t off, size_t len)
{
	return tag < 0 ? BOSUN_EUSAGE : capture(s, tag, off, len);
}

void es_drop(struct es_stream *s, int tag)
{
	struct es_capture *c = tag < 0 ? NULL : find(s, tag);
	if (!c)
		return;
	s->used -= c->len;
	free(c->buf);
	c->buf = NULL;
	c->len = c->have = 0;
	c->tag = TAG_DEAD;
}

/* ---- address mapping ---- */

bool es_vaddr_to_off(const struct es_info *in, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	for (size_t i = 0; i < in->nsegs; i++) {
		const struct es_seg *g = &in->segs[i];
		if (vaddr < g->vaddr || vaddr - g->vaddr >= g->filesz)
			continue;
		uint64_t rel = vaddr - g->vaddr;
		if (len > g->filesz - rel)
			continue;
		*off = g->off + rel;
		return true;
	}
	return false;
}

const struct es_seg *es_seg_at(const struct es_info *in, uint64_t off)
{
	for (size_t i = 0; i < in->nsegs; i++)
		if (off >= in->segs[i].off && off - in->segs[i].off < in->segs[i].filesz)
			return &in->segs[i];
	return NULL;
}

/* A segment is kept with the part of its stored bytes that lies inside
 * the file (a file cut short still shows what it has). */
static void add_seg(struct es_stream *s, const struct es_seg *g)
{
	struct es_info *in = &s->info;
	if (in->nsegs == ES_MAX_SEGS || g->off >= s->size)
		return;
	struct es_seg *d = &in->segs[in->nsegs++];
	*d = *g;
	if (d->filesz > s->size - d->off)
		d->filesz = s->size - d->off;
	if (d->off + d->filesz > in->load_end)
		in->load_end = d->off + d->filesz;
}

/* ---- ELF ---- */

static int elf_init(struct es_stream *s, const unsigned char *h, size_t n)
{
	struct es_info *in = &s->info;
	if (n < 52 || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return BOSUN_EFORMAT;
	bool is64 = h[4] == 2;
	in->ptr_size = is64 ? 8 : 4;
	in->big_endian = h[5] == 2;
	if (is64 && n < 64)
		return BOSUN_EFORMAT;
	uint64_t phoff = is64 ? rd(in, h + 32, 8) : rd(in, h + 28, 4);
	in->shoff = is64 ? rd(in, h + 40, 8) : rd(in, h + 32, 4);
	const unsigned char *t = h + (is64 ? 54 : 42);
	uint32_t phentsize = (uint32_t)rd(in, t, 2), phnum = (uint32_t)rd(in, t + 2, 2);
	in->shentsize = (uint32_t)rd(in, t + 4, 2);
	in->shnum = (uint32_t)rd(in, t + 6, 2);
	in->shstrndx = (uint32_t)rd(in, t + 8, 2);
	uint64_t tlen = (uint64_t)phentsize * phnum;
	if (phnum == 0 || phentsize < (is64 ? 56u : 32u) || tlen > ES_MAX_TABLE || phoff > s->size ||
	    tlen > s->size - phoff)
		return BOSUN_EFORMAT;
	s->phentsize = phentsize;
	return capture(s, TAG_TABLE, phoff, (size_t)tlen);
}

/* Notes are kept when all PT_NOTE segments fit one small window (they sit
 * together right after the headers in every linker's output). */
static int elf_notes(struct es_stream *s, uint64_t lo, uint64_t hi)
{
	if (hi <= lo || hi - lo > ES_MAX_NOTES)
		return BOSUN_OK;
	int rc = capture(s, TAG_NOTES, lo, (size_t)(hi - lo));
	return rc == BOSUN_ENOMEM ? rc : BOSUN_OK;
}

static int elf_table(struct es_stream *s, const struct es_capture *c)
{
	struct es_info *in = &s->info;
	bool is64 = in->ptr_size == 8;
	uint64_t note_lo = UINT64_MAX, note_hi = 0;
	size_t esz = is64 ? 56 : 32;
	/* phentsize may exceed the struct size: step by it. */
	for (size_t off = 0; off + esz <= c->len; off += s->phentsize) {
		const unsigned char *p = c->buf + off;
		uint32_t type = (uint32_t)rd(in, p, 4);
		struct es_seg g = { 0 };
		g.flags = (uint32_t)rd(in, p + (is64 ? 4 : 24), 4);
		g.off = is64 ? rd(in, p + 8, 8) : rd(in, p + 4, 4);
		g.vaddr = is64 ? rd(in, p + 16, 8) : rd(in, p + 8, 4);
		g.filesz = is64 ? rd(in, p + 32, 8) : rd(in, p + 16, 4);
		g.memsz = is64 ? rd(in, p + 40, 8) : rd(in, p + 20, 4);
		g.write = g.flags & PF_W;
		g.exec = g.flags & PF_X;
		if (type == PT_LOAD && g.filesz)
			add_seg(s, &g);
		else if (type == PT_NOTE && g.filesz && g.off < s->size && g.filesz <= s->size - g.off) {
			note_lo = g.off < note_lo ? g.off : note_lo;
			note_hi = g.off + g.filesz > note_hi ? g.off + g.filesz : note_hi;
		}
	}
	return note_hi ? elf_notes(s, note_lo, note_hi) : BOSUN_OK;
}

/* A note name is the owner and NUL padding ("Go\0\0", namesz 4, from the
 * Go linker; "GNU\0", namesz 4, from binutils). */
static bool name_is(const unsigned char *p, size_t n, const char *owner)
{
	size_t olen = strlen(owner);
	if (n <= olen || memcmp(p, owner, olen) != 0)
		return false;
	for (size_t i = olen; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Walks the notes of every PT_NOTE segment inside the kept window. Name
 * and descriptor are padded to 4 bytes (8 in 8-aligned segments). */
static bool note_in(const struct es_info *in, const unsigned char *p, size_t n, size_t align, const char *owner,
		    uint32_t type)
{
	size_t i = 0;
	while (n - i >= 12) {
		uint64_t namesz = rd(in, p + i, 4), descsz = rd(in, p + i + 4, 4);
		uint32_t t = (uint32_t)rd(in, p + i + 8, 4);
		uint64_t npad = (namesz + align - 1) / align * align, dpad = (descsz + align - 1) / align * align;
		if (npad > n - i - 12 || dpad > n - i - 12 - npad)
			return false;
		if (t == type && name_is(p + i + 12, (size_t)namesz, owner))
			return true;
		i += 12 + (size_t)npad + (size_t)dpad;
	}
	return false;
}

bool es_has_note(const struct es_stream *s, const char *owner, uint32_t type)
{
	const struct es_capture *c = find(s, TAG_NOTES);
	const struct es_capture *t = find(s, TAG_TABLE);
	if (s->info.fmt != EXE_ELF || !c || c->have < c->len || !t || t->have < t->len)
		return false;
	const struct es_info *in = &s->info;
	bool is64 = in->ptr_size == 8;
	size_t esz = is64 ? 56 : 32;
	for (size_t off = 0; off + esz <= t->len; off += s->phentsize) {
		const unsigned char *p = t->buf + off;
		if (rd(in, p, 4) != PT_NOTE)
			continue;
		uint64_t o = is64 ? rd(in, p + 8, 8) : rd(in, p + 4, 4);
		uint64_t sz = is64 ? rd(in, p + 32, 8) : rd(in, p + 16, 4);
		uint64_t al = is64 ? rd(in, p + 48, 8) : rd(in, p + 28, 4);
		if (o < c->off || o - c->off > c->len || sz > c->len - (o - c->off))
			continue;
		if (note_in(in, c->buf + (o - c->off), (size_t)sz, al == 8 ? 8 : 4, owner, type))
			return true;
	}
	return false;
}

bool es_notes_known(const struct es_stream *s)
{
	const struct es_capture *c = find(s, TAG_NOTES);
	return s->ready && (!c || c->have == c->len);
}

/* ---- PE ---- */

#define PE_SCN_EXEC 0x20000000u
#define PE_SCN_WRITE 0x80000000u

static int pe_init(struct es_stream *s, const unsigned char *h, size_t n)
{
	struct es_info *in = &s->info;
	uint64_t lfanew = rd(in, h + 0x3c, 4);
	/* The PE header must be in the head: it is in every real file (Go
	 * and MSVC put it at 0x80..0x100). */
	if (lfanew > n || n - lfanew < 24 + 96 || memcmp(h + lfanew, "PE\0\0", 4) != 0)
		return BOSUN_EFORMAT;
	const unsigned char *coff = h + lfanew + 4, *opt = coff + 20;
	uint32_t nsec = (uint32_t)rd(in, coff + 2, 2), optsize = (uint32_t)rd(in, coff + 16, 2);
	uint32_t magic = (uint32_t)rd(in, opt, 2);
	if (magic == 0x10b) {
		in->ptr_size = 4;
		in->image_base = rd(in, opt + 28, 4);
	} else if (magic == 0x20b) {
		in->ptr_size = 8;
		in->image_base = rd(in, opt + 24, 8);
	} else {
		return BOSUN_EFORMAT;
	}
	uint64_t toff = lfanew + 24 + optsize, tlen = (uint64_t)nsec * 40;
	if (nsec == 0 || tlen > ES_MAX_TABLE || toff > s->size || tlen > s->size - toff)
		return BOSUN_EFORMAT;
	return capture(s, TAG_TABLE, toff, (size_t)tlen);
}

static int pe_table(struct es_stream *s, const struct es_capture *c)
{
	struct es_info *in = &s->info;
	uint64_t base = in->image_base;
	for (size_t off = 0; off + 40 <= c->len; off += 40) {
		const unsigned char *p = c->buf + off;
		struct es_seg g = { 0 };
		memcpy(g.name, p, 8);
		g.memsz = rd(in, p + 8, 4);
		g.vaddr = base + rd(in, p + 12, 4);
		g.filesz = rd(in, p + 16, 4);
		g.off = rd(in, p + 20, 4);
		g.flags = (uint32_t)rd(in, p + 36, 4);
		g.write = g.flags & PE_SCN_WRITE;
		g.exec = g.flags & PE_SCN_EXEC;
		if (g.filesz && g.off)
			add_seg(s, &g);
	}
	return BOSUN_OK;
}

/* ---- Mach-O ---- */

#define LC_SEGMENT 0x1
#define LC_SEGMENT_64 0x19
#define VM_PROT_WRITE 2
#define VM_PROT_EXECUTE 4

static int macho_init(struct es_stream *s, const unsigned char *h, size_t n)
{
	struct es_info *in = &s->info;
	uint32_t le = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
	in->big_endian = le == 0xcefaedfe || le == 0xcffaedfe;
	in->ptr_size = (le == 0xfeedfacf || le == 0xcffaedfe) ? 8 : 4;
	size_t hsize = in->ptr_size == 8 ? 32 : 28;
	if (n < hsize)
		return BOSUN_EFORMAT;
	uint64_t ncmds = rd(in, h + 16, 4), tlen = rd(in, h + 20, 4);
	if (ncmds == 0 || tlen < 8 || tlen > ES_MAX_TABLE || hsize > s->size || tlen > s->size - hsize)
		return BOSUN_EFORMAT;
	return capture(s, TAG_TABLE, hsize, (size_t)tlen);
}

static void macho_sections(struct es_stream *s, const unsigned char *p, size_t n, uint64_t nsects, uint32_t prot,
			   const char *segname)
{
	const struct es_info *in = &s->info;
	bool is64 = in->ptr_size == 8;
	size_t esz = is64 ? 80 : 68;
	for (uint64_t i = 0; i < nsects && (i + 1) * esz <= n; i++) {
		const unsigned char *q = p + i * esz;
		struct es_seg g = { 0 };
		memcpy(g.name, q, 16);
		memcpy(g.segname, segname, 16);
		g.vaddr = is64 ? rd(in, q + 32, 8) : rd(in, q + 32, 4);
		g.memsz = is64 ? rd(in, q + 40, 8) : rd(in, q + 36, 4);
		g.off = rd(in, q + (is64 ? 48 : 40), 4);
		uint32_t type = (uint32_t)rd(in, q + (is64 ? 64 : 56), 4) & 0xff;
		/* zerofill sections (S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL) store nothing */
		g.filesz = (type == 0x1 || type == 0xc || type == 0x12) ? 0 : g.memsz;
		g.flags = prot;
		g.write = prot & VM_PROT_WRITE;
		g.exec = prot & VM_PROT_EXECUTE;
		if (g.filesz && g.off)
			add_seg(s, &g);
	}
}

static int macho_table(struct es_stream *s, const struct es_capture *c)
{
	const struct es_info *in = &s->info;
	size_t i = 0;
	while (c->len - i >= 8) {
		uint32_t cmd = (uint32_t)rd(in, c->buf + i, 4);
		uint64_t size = rd(in, c->buf + i + 4, 4);
		if (size < 8 || size > c->len - i)
			break;
		const unsigned char *p = c->buf + i;
		bool is64 = cmd == LC_SEGMENT_64;
		size_t hdr = is64 ? 72 : 56;
		if ((cmd == LC_SEGMENT || is64) && size >= hdr) {
			char segname[17] = { 0 };
			memcpy(segname, p + 8, 16);
			uint32_t prot = (uint32_t)rd(in, p + (is64 ? 60 : 44), 4);
			uint64_t nsects = rd(in, p + (is64 ? 64 : 48), 4);
			macho_sections(s, p + hdr, (size_t)size - hdr, nsects, prot, segname);
		}
		i += (size_t)size;
	}
	return BOSUN_OK;
}

/* ---- the stream ---- */

int es_init(struct es_stream *s, const unsigned char *head, size_t n, uint64_t size, size_t budget)
{
	memset(s, 0, sizeof *s);
	s->size = size;
	s->budget = budget;
	s->info.fmt = es_sniff(head, n);
	if (n > size)
		n = (size_t)size;
	int rc = BOSUN_EFORMAT;
	switch (s->info.fmt) {
	case EXE_ELF: rc = elf_init(s, head, n); break;
	case EXE_PE: rc = pe_init(s, head, n); break;
	case EXE_MACHO: rc = macho_init(s, head, n); break;
	case EXE_NONE: break;
	}
	if (rc != BOSUN_OK)
		es_free(s);
	return rc == BOSUN_ENOMEM ? rc : rc ? BOSUN_EFORMAT : BOSUN_OK;
}

void es_free(struct es_stream *s)
{
	for (size_t i = 0; i < s->ncaps; i++)
		free(s->caps[i].buf);
	free(s->caps);
	free(s->active);
	s->caps = NULL;
	s->active = NULL;
	s->ncaps = s->nactive = s->capcap = s->capactive = 0;
}

static int parse_table(struct es_stream *s)
{
	const struct es_capture *c = find(s, TAG_TABLE);
	if (!c || c->have < c->len)
		return BOSUN_OK;
	int rc = BOSUN_OK;
	switch (s->info.fmt) {
	case EXE_ELF: rc = elf_table(s, c); break;
	case EXE_PE: rc = pe_table(s, c); break;
	case EXE_MACHO: rc = macho_table(s, c); break;
	case EXE_NONE: break;
	}
	if (rc)
		return rc;
	s->ready = true;
	s->bad = s->info.nsegs == 0;
	return BOSUN_OK;
}

int es_feed(struct es_stream *s, const unsigned char *p, size_t n)
{
	s->cur = p;
	s->curlen = n;
	size_t keep = 0;
	for (size_t i = 0; i < s->nactive; i++) {
		struct es_capture *c = &s->caps[s->active[i]];
		copy_current(s, c);
		if (c->have < c->len)
			s->active[keep++] = s->active[i];
	}
	s->nactive = keep;
	if (!s->ready && !s->bad)
		return parse_table(s);
	return BOSUN_OK;
}

void es_advance(struct es_stream *s)
{
	s->pos += s->curlen;
	s->cur = NULL;
	s->curlen = 0;
}

/* ---- searching a stream ---- */

void es_search_init(struct es_search *q, const void *needle, size_t nlen)
{
	memset(q, 0, sizeof *q);
	q->needle = needle;
	q->nlen = nlen > sizeof q->carry ? sizeof q->carry : nlen;
}

/* Matches that start in the carry and end in p. */
static int split_matches(struct es_search *q, const unsigned char *p, size_t n, es_match_fn fn, void *ctx)
{
	unsigned char tmp[2 * sizeof q->carry];
	size_t take = n < q->nlen - 1 ? n : q->nlen - 1;
	memcpy(tmp, q->carry, q->ncarry);
	memcpy(tmp + q->ncarry, p, take);
	uint64_t base = q->carry_end - q->ncarry;
	for (size_t i = 0; i < q->ncarry; i++) {
		if (i + q->nlen > q->ncarry + take)
			break;
		if (memcmp(tmp + i, q->needle, q->nlen) == 0) {
			int rc = fn(ctx, base + i);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static void keep_carry(struct es_search *q, const unsigned char *p, size_t n, uint64_t pos)
{
	size_t want = q->nlen - 1;
	if (n >= want) {
		memcpy(q->carry, p + n - want, want);
		q->ncarry = want;
	} else {
		size_t old = q->ncarry + n > want ? want - n : q->ncarry;
		memmove(q->carry, q->carry + q->ncarry - old, old);
		memcpy(q->carry + old, p, n);
		q->ncarry = old + n;
	}
	q->carry_end = pos + n;
}

int es_search_feed(struct es_search *q, const unsigned char *p, size_t n, uint64_t pos, es_match_fn fn, void *ctx)
{
	if (q->nlen == 0 || n == 0)
		return 0;
	if (q->carry_end != pos)
		q->ncarry = 0;
	int rc = q->ncarry ? split_matches(q, p, n, fn, ctx) : 0;
	for (size_t i = 0; !rc && n >= q->nlen && i <= n - q->nlen;) {
		const unsigned char *m = memmem(p + i, n - i, q->needle, q->nlen);
		if (!m)
			break;
		rc = fn(ctx, pos + (uint64_t)(m - p));
		i = (size_t)(m - p) + 1;
	}
	keep_carry(q, p, n, pos);
	return rc;
}
