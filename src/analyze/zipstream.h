/* A forward-only zip reader for archives that arrive as a byte stream (a jar
 * inside a layer tar, a jar inside that jar). It never seeks and never holds
 * an archive: it follows the local file headers (PK\3\4) front to back,
 * inflates only the members its visitor asks for, and skips the rest. The
 * central directory is where it stops.
 *
 * Nested archives are read by a child reader fed from the parent's output,
 * so a jar in a jar in a jar costs one inflate window per level, never the
 * size of any of them.
 *
 * Limits (see struct zs_limits): nesting depth, the uncompressed size of one
 * nested archive, and an inflate budget for the whole outer file that grows
 * with its input (grace + ratio x bytes read), which bounds the work a
 * decompression bomb can cause. Malformed input is reported through the
 * visitor's warn() and ends that archive; it is never an error. */
#ifndef BOSUN_ANALYZE_ZIPSTREAM_H
#define BOSUN_ANALYZE_ZIPSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Member names longer than this are skipped (real ones are < 300 bytes). */
#define ZS_NAME_MAX 1024

struct zs_limits {
	int max_depth;             /* archives inside archives below the outer one */
	uint64_t max_nested_bytes; /* uncompressed bytes of one nested archive */
	uint64_t budget_grace;     /* inflated bytes allowed whatever the input ... */
	uint32_t budget_ratio;     /* ... plus this many per byte of the outer file read */
	uint64_t budget_max;       /* and never more than this per outer file */
	uint64_t max_prefix;       /* bytes before the first local header (launch scripts) */
};

extern const struct zs_limits zs_default_limits;

/* One member, as its local header describes it. */
struct zs_member {
	const char *name;  /* NUL-terminated; a name with a NUL in it is never shown */
	size_t name_len;
	uint16_t method;   /* 0 stored, 8 deflate; others can only be skipped */
	uint16_t flags;
	bool sizes_known;  /* false when a data descriptor follows the data (flag bit 3) */
	uint64_t csize, usize; /* zip64 extra applied; meaningful when sizes_known */
	int depth;         /* 0 = the outer archive */
};

enum zs_action {
	ZS_SKIP, /* not interested */
	ZS_READ, /* hand the uncompressed bytes to data(), then member_end() */
	ZS_NEST, /* an archive: read it with a child reader (nest_begin/nest_end) */
};

/* data() returns this when it needs no more of the member. */
#define ZS_ENOUGH (-1)

/* ctx is the context of the archive the member is in: the one given to
 * zs_new() for the outer archive, the one nest_begin() returned for a
 * nested one. Every callback except warn() may return BOSUN_ENOMEM (or
 * another error), which stops the reader and is returned by zs_feed(). */
struct zs_visitor {
	enum zs_action (*member)(void *ctx, const struct zs_member *m);
	int (*data)(void *ctx, const unsigned char *p, size_t n);
	/* Follows every ZS_READ, also one the reader then refused (encrypted,
	 * unknown method: complete = false). complete: every byte of the
	 * member was delivered (or data() said ZS_ENOUGH), nothing corrupt. */
	int (*member_end)(void *ctx, bool complete);
	/* Returns the nested archive's context through *child; NULL skips it. */
	int (*nest_begin)(void *ctx, const struct zs_member *m, void **child);
	/* complete: the nested archive was read up to its central directory. */
	int (*nest_end)(void *ctx, void *child, bool complete);
	void (*warn)(void *ctx, const char *msg);
};

struct zs_reader;

/* lim NULL = zs_default_limits. BOSUN_OK or BOSUN_ENOMEM. */
int zs_new(const struct zs_limits *lim, const struct zs_visitor *v, void *ctx, struct zs_reader **out);

/* The next bytes of the archive. BOSUN_OK (also after the reader is done,
 * when the bytes are ignored) or the first error a callback returned. */
int zs_feed(struct zs_reader *r, const unsigned char *p, size_t n);

/* True once the reader needs no more input: it reached the central
 * directory, or the archive turned out malformed (already warned). */
bool zs_done(const struct zs_reader *r);

/* No more input. Ends an unfinished member (member_end / nest_end with
 * complete = false) and warns about the truncation. *complete is true when
 * the archive was read up to its central directory. BOSUN_OK or the first
 * error a callback returned. */
int zs_finish(struct zs_reader *r, bool *complete);

void zs_free(struct zs_reader *r);

#endif
