/* The secret engine as a content scanner for the layer walk: takes every
 * regular text file within the size limit whose path is not on an
 * allow-list, buffers it whole (regexes need the whole file; the limit
 * bounds memory per walking thread) and scans it when it is complete. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "secret/secret_impl.h"

struct file_state {
	struct secret_engine *eng;
	char *path;
	int layer;
	unsigned char *buf;
	size_t len, cap;
	bool over;  /* grew past the limit (the header lied about the size) */
};

static bool cs_wants(void *ctx, const struct stream_file *f)
{
	struct secret_engine *eng = ctx;
	if ((f->mode & S_IFMT) && !S_ISREG(f->mode))
		return false;
	if (f->size == 0 || f->size > eng->max_file_bytes)
		return false;
	return !secret_path_skipped(eng, f->path);
}

static void *cs_begin(void *ctx, const struct stream_file *f, const unsigned char *head, size_t headlen)
{
	struct secret_engine *eng = ctx;
	if (!eng->scan_binaries && secret_looks_binary(head, headlen))
		return NULL;
	struct file_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->eng = eng;
	st->layer = f->layer;
	st->cap = f->size < eng->max_file_bytes ? (size_t)f->size : (size_t)eng->max_file_bytes;
	st->path = strdup(f->path ? f->path : "");
	st->buf = malloc(st->cap ? st->cap : 1);
	if (!st->path || !st->buf) {
		free(st->path);
		free(st->buf);
		free(st);
		return NULL;
	}
	return st;
}

static int cs_data(void *state, const unsigned char *p, size_t n)
{
	struct file_state *st = state;
	if (st->over)
		return STREAM_DONE;
	if (n > st->eng->max_file_bytes - st->len) {
		st->over = true;
		return STREAM_DONE;
	}
	if (st->len + n > st->cap) {
		size_t cap = st->cap * 2 > st->len + n ? st->cap * 2 : st->len + n;
		if (cap > st->eng->max_file_bytes)
			cap = (size_t)st->eng->max_file_bytes;
		unsigned char *b = realloc(st->buf, cap);
		if (!b)
			return BOSUN_ENOMEM;
		st->buf = b;
		st->cap = cap;
	}
	if (n)
		memcpy(st->buf + st->len, p, n);
	st->len += n;
	return 0;
}

static int cs_end(void *state, bool complete, struct finding_list *out, struct berr *e)
{
	struct file_state *st = state;
	int rc = BOSUN_OK;
	/* a file cut short is still scanned: what was read is in the image */
	(void)complete;
	if (!st->over && st->len) {
		struct secret_hits hits = { 0 };
		rc = secret_find(st->eng, st->path, st->buf, st->len, &hits, e);
		if (rc == BOSUN_OK)
			rc = secret_emit(st->eng, st->path, NULL, st->layer, st->buf, st->len, &hits, out);
		if (rc == BOSUN_ENOMEM && e && !e->code)
			berr_set(e, rc, "%s: out of memory scanning for secrets", st->path);
		free(hits.v);
	}
	free(st->buf);
	free(st->path);
	free(st);
	return rc;
}

void secret_content_scanner(struct secret_engine *eng, struct content_scanner *out)
{
	*out = (struct content_scanner){
		.name = "secret",
		.ctx = eng,
		.wants = cs_wants,
		.begin = cs_begin,
		.data = cs_data,
		.end = cs_end,
	};
}
