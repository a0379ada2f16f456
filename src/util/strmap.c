#include "util/strmap.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a folded with a final avalanche: cheap, and good enough for paths. */
uint64_t strmap_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void *strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	uint64_t h = strmap_hash(key, n);
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct strmap_slot *s = &m->slots[i];
		if (!s->key)
			return NULL;
		if (s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == '\0')
			return s->value;
	}
}

void *strmap_get(const struct strmap *m, const char *key) { return strmap_getn(m, key, strlen(key)); }

static void insert_slot(struct strmap_slot *slots, size_t cap, struct strmap_slot in)
{
	size_t mask = cap - 1;
	size_t i = in.hash & mask;
	while (slots[i].key)
		i = (i + 1) & mask;
	slots[i] = in;
}

static int grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct strmap_slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			insert_slot(slots, cap, m->slots[i]);
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return BOSUN_OK;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	if ((m->count + 1) * 4 > m->cap * 3)
		TRY(grow(m));
	size_t n = strlen(key);
	uint64_t h = strmap_hash(key, n);
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key) {
			*s = (struct strmap_slot){ key, h, value };
			m->count++;
			return BOSUN_OK;
		}
		if (s->hash == h && strcmp(s->key, key) == 0) {
			s->value = value;
			return BOSUN_OK;
		}
	}
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}
