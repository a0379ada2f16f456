/* A small tar writer for unit tests: crafted archives (ustar prefix, GNU
 * long names, pax records, base-256 sizes, bad checksums, sparse headers)
 * built in memory, so that every odd corner of the reader has a test
 * without binary fixtures. Also a chunk_source over memory that hands the
 * archive out in chunks of a chosen size, to exercise chunk boundaries. */
#ifndef BOSUN_TARBUILD_H
#define BOSUN_TARBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/stream.h"

struct tb {
	unsigned char *p;
	size_t n, cap;
};

static inline void tb_grow(struct tb *t, size_t extra)
{
	if (t->n + extra <= t->cap)
		return;
	size_t cap = t->cap ? t->cap : 4096;
	while (cap < t->n + extra)
		cap *= 2;
	t->p = realloc(t->p, cap);
	if (!t->p)
		abort();
	t->cap = cap;
}

static inline void tb_raw(struct tb *t, const void *p, size_t n)
{
	tb_grow(t, n);
	memcpy(t->p + t->n, p, n);
	t->n += n;
}

static inline void tb_zeros(struct tb *t, size_t n)
{
	tb_grow(t, n);
	memset(t->p + t->n, 0, n);
	t->n += n;
}

/* Pads to the next 512-byte boundary. */
static inline void tb_pad(struct tb *t) { tb_zeros(t, (512 - t->n % 512) % 512); }

struct tb_ent {
	const char *name;   /* copied into the 100-byte name field (may fill it) */
	const char *prefix; /* ustar prefix, NULL for none */
	const char *link;
	char type;          /* '0', '5', 'L', 'x', ... */
	uint64_t size;
	unsigned mode;
	bool base256;       /* size as GNU base-256 */
	bool gnu_magic;     /* "ustar  \0" (GNU) instead of "ustar\0" "00" */
	bool bad_checksum;
	bool signed_checksum; /* checksum computed over signed chars */
	unsigned char sparse_ext; /* old GNU sparse: value of the isextended byte */
	const char *size_field;   /* raw size field, overrides size */
};

static inline void tb_checksum(unsigned char *h, bool sign)
{
	memset(h + 148, ' ', 8);
	long sum = 0;
	for (int i = 0; i < 512; i++)
		sum += sign ? (long)(signed char)h[i] : (long)h[i];
	snprintf((char *)h + 148, 8, "%06lo", (unsigned long)sum & 0777777);
	h[155] = ' ';
}

/* Appends a header (only). */
static inline void tb_header(struct tb *t, const struct tb_ent *e)
{
	unsigned char h[512];
	memset(h, 0, sizeof h);
	memcpy(h, e->name, strnlen(e->name, 100));
	snprintf((char *)h + 100, 8, "%07o", (e->mode ? e->mode : 0644) & 07777u);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	if (e->size_field) {
		memcpy(h + 124, e->size_field, strnlen(e->size_field, 12));
	} else if (e->base256) {
		h[124] = 0x80;
		for (int i = 0; i < 8; i++)
			h[135 - i] = (unsigned char)(e->size >> (8 * i));
	} else {
		snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)e->size);
	}
	snprintf((char *)h + 136, 12, "%011o", 1700000000);
	h[156] = (unsigned char)(e->type ? e->type : '0');
	if (e->link)
		memcpy(h + 157, e->link, strnlen(e->link, 100));
	if (e->gnu_magic)
		memcpy(h + 257, "ustar  \0", 8);
	else
		memcpy(h + 257, "ustar\0" "00", 8);
	if (e->prefix)
		memcpy(h + 345, e->prefix, strnlen(e->prefix, 155));
	h[482] = e->sparse_ext;
	tb_checksum(h, e->signed_checksum);
	if (e->bad_checksum)
		h[148] ^= 1;
	tb_raw(t, h, 512);
}

/* Header plus data (padded). */
static inline void tb_file(struct tb *t, const char *name, const void *data, size_t n)
{
	struct tb_ent e = { .name = name, .type = '0', .size = n };
	tb_header(t, &e);
	tb_raw(t, data, n);
	tb_pad(t);
}

static inline void tb_entry(struct tb *t, const char *name, char type, const char *link)
{
	struct tb_ent e = { .name = name, .type = type, .link = link };
	tb_header(t, &e);
}

/* An extension header ('L', 'K', 'x', 'g') with its data. */
static inline void tb_ext(struct tb *t, char type, const void *data, size_t n)
{
	struct tb_ent e = { .name = "././@LongLink", .type = type, .size = n, .gnu_magic = type == 'L' || type == 'K' };
	tb_header(t, &e);
	tb_raw(t, data, n);
	tb_pad(t);
}

/* One pax record "LEN key=value\n" appended to a buffer. */
static inline void tb_pax_record(struct tb *b, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3; /* ' ' '=' '\n' */
	size_t len = body + 1;
	for (;;) {
		char digits[24];
		size_t d = (size_t)snprintf(digits, sizeof digits, "%zu", len);
		if (d + body == len)
			break;
		len = d + body;
	}
	char rec[8192];
	int n = snprintf(rec, sizeof rec, "%zu %s=%s\n", len, key, value);
	tb_raw(b, rec, (size_t)n);
}

static inline void tb_end(struct tb *t) { tb_zeros(t, 1024); }
static inline void tb_free(struct tb *t)
{
	free(t->p);
	memset(t, 0, sizeof *t);
}

/* A chunk_source over memory in chunks of `chunk` bytes. */
struct mem_source {
	const unsigned char *p;
	size_t n, pos, chunk;
};

static inline int mem_next(void *ctx, const unsigned char **p, size_t *len, struct berr *e)
{
	(void)e;
	struct mem_source *m = ctx;
	size_t k = m->n - m->pos < m->chunk ? m->n - m->pos : m->chunk;
	*p = m->p + m->pos;
	*len = k;
	m->pos += k;
	return BOSUN_OK;
}

static inline uint64_t mem_tell(void *ctx) { return ((struct mem_source *)ctx)->pos; }

static inline struct chunk_source mem_source_chunks(struct mem_source *m, const void *p, size_t n, size_t chunk)
{
	*m = (struct mem_source){ p, n, 0, chunk ? chunk : 1 };
	return (struct chunk_source){ mem_next, NULL, mem_tell, m };
}

#endif
