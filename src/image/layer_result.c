#include "image/layer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LAYER_MAX_WARNINGS 50

void layer_result_free(struct layer_result *r)
{
	free(r->entries);
	free(r->whiteouts);
	free(r->opaques);
	free(r->warnings);
	strmap_free(&r->index);
	artifact_free(&r->streamed);
	finding_list_free(&r->findings);
	arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}

void layer_result_warn(struct layer_result *r, const char *fmt, ...)
{
	if (r->nwarnings >= LAYER_MAX_WARNINGS) {
		r->dropped_warnings++;
		return;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->nwarnings == r->cap_warnings) {
		size_t cap = r->cap_warnings ? r->cap_warnings * 2 : 8;
		char **w = realloc(r->warnings, cap * sizeof *w);
		if (!w)
			return;
		r->warnings = w;
		r->cap_warnings = cap;
	}
	char *copy = arena_strdup(&r->arena, msg);
	if (copy)
		r->warnings[r->nwarnings++] = copy;
}

static int push_path(const char ***arr, size_t *n, size_t *cap, const char *p)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		const char **a = realloc((void *)*arr, c * sizeof *a);
		if (!a)
			return BOSUN_ENOMEM;
		*arr = a;
		*cap = c;
	}
	(*arr)[(*n)++] = p;
	return BOSUN_OK;
}

int layer_result_add(struct layer_result *r, struct walk_shared *sh, const char *path, uint32_t mode,
		     uint64_t size, const char *link, struct layer_entry **out, struct berr *e)
{
	*out = NULL;
	if (atomic_fetch_add(&sh->entries, 1) >= sh->limits->max_entries)
		return berr_set(e, BOSUN_ELIMIT, "image has more than %llu files (limit; see --max-entries)",
				(unsigned long long)sh->limits->max_entries);
	const char *base = strrchr(path, '/');
	size_t dirlen = base ? (size_t)(base - path) : 0;
	base = base ? base + 1 : path;
	if (!strncmp(base, ".wh.", 4)) {
		/* Whiteouts (OCI image spec, layer.md): ".wh..wh..opq" makes the
		 * directory opaque; other ".wh..wh.*" names are AUFS bookkeeping. */
		if (!strcmp(base, ".wh..wh..opq")) {
			char *dir = arena_strndup(&r->arena, path, dirlen);
			return dir ? push_path(&r->opaques, &r->nopaques, &r->cap_opaques, dir) : BOSUN_ENOMEM;
		}
		if (!strncmp(base, ".wh..wh.", 8))
			return BOSUN_OK;
		if (base[4] == '\0')
			return BOSUN_OK;
		char *victim = arena_printf(&r->arena, "%.*s%s%s", (int)dirlen, path, dirlen ? "/" : "", base + 4);
		return victim ? push_path(&r->whiteouts, &r->nwhiteouts, &r->cap_whiteouts, victim) : BOSUN_ENOMEM;
	}
	if (r->nentries == r->cap_entries) {
		size_t c = r->cap_entries ? r->cap_entries * 2 : 256;
		struct layer_entry *a = realloc(r->entries, c * sizeof *a);
		if (!a)
			return BOSUN_ENOMEM;
		r->entries = a;
		r->cap_entries = c;
	}
	struct layer_entry *ent = &r->entries[r->nentries];
	memset(ent, 0, sizeof *ent);
	ent->path = arena_strdup(&r->arena, path);
	if (!ent->path)
		return BOSUN_ENOMEM;
	if (link && !(ent->link = arena_strdup(&r->arena, link)))
		return BOSUN_ENOMEM;
	ent->mode = mode;
	ent->size = size;
	if (S_ISREG(mode) || S_ISLNK(mode)) {
		size_t len = strlen(path);
		for (int i = 0; sh->analyzers[i]; i++)
			if (sh->analyzers[i]->wants(path, len))
				ent->wanted |= 1u << i;
	}
	r->nentries++;
	TRY(strmap_put(&r->index, ent->path, (void *)(uintptr_t)r->nentries));
	*out = ent;
	return BOSUN_OK;
}

int layer_capture_reserve(struct walk_shared *sh, const char *path, uint64_t size, struct berr *e)
{
	uint64_t total = atomic_fetch_add(&sh->captured, size) + size;
	if (total > sh->limits->max_capture_total)
		return berr_set(e, BOSUN_ELIMIT,
				"%s: files for analysis exceed %llu bytes in all (limit; a hostile image?)", path,
				(unsigned long long)sh->limits->max_capture_total);
	return BOSUN_OK;
}
