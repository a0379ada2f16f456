/* String-keyed hash map (open addressing, linear probing). Keys are not
 * copied: the caller keeps them alive (typically in an arena) as long as the
 * map. Values are opaque pointers. */
#ifndef BOSUN_UTIL_STRMAP_H
#define BOSUN_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const char *key;
	uint64_t hash;
	void *value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;   /* power of two */
	size_t count;
};

uint64_t strmap_hash(const char *s, size_t n);
void *strmap_get(const struct strmap *m, const char *key);
void *strmap_getn(const struct strmap *m, const char *key, size_t n);
/* Inserts or replaces. BOSUN_OK or BOSUN_ENOMEM. */
int strmap_put(struct strmap *m, const char *key, void *value);
void strmap_free(struct strmap *m);

#endif
