/* Memory helpers: slices (pointer + length views, after apk-tools' apk_blob),
 * a growable byte buffer, and an arena for many small strings that die
 * together (an artifact's package fields). */
#ifndef BOSUN_UTIL_BUF_H
#define BOSUN_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A view into memory owned by someone else. Not NUL-terminated. */
struct slice {
	const char *p;
	size_t n;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })
static inline struct slice slice_make(const char *p, size_t n) { return (struct slice){ p, n }; }
struct slice slice_cstr(const char *s);
bool slice_eq(struct slice a, struct slice b);
bool slice_eq_cstr(struct slice a, const char *s);
bool slice_starts_with(struct slice a, const char *prefix);
struct slice slice_trim(struct slice s);      /* strips ASCII whitespace both ends */
/* Split off the next line (without its \n, and without a trailing \r) from *rest. */
bool slice_next_line(struct slice *rest, struct slice *line);
/* Split at the first occurrence of c; false if absent (then *left = s). */
bool slice_split(struct slice s, char c, struct slice *left, struct slice *right);

/* Growable buffer; data is always NUL-terminated (for convenience) after len. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

int buf_reserve(struct buf *b, size_t extra);           /* BOSUN_OK or BOSUN_ENOMEM */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);                          /* len = 0, keeps memory */
void buf_free(struct buf *b);

/* Arena: bump allocator in chunks; everything freed at once. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total;  /* bytes handed out, for memory accounting */
};

void *arena_alloc(struct arena *a, size_t n);           /* NULL on ENOMEM; 16-byte aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);     /* NULL in -> NULL out */
char *arena_slice(struct arena *a, struct slice s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

#endif
