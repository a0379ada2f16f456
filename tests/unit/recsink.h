/* A feed_sink that records what a distro feed parser writes, so importer
 * tests can check records without a database. Strings are copied. */
#ifndef BOSUN_TEST_RECSINK_H
#define BOSUN_TEST_RECSINK_H

#include <stdlib.h>
#include <string.h>

#include "vulndb/distro_feed.h"

struct rec_affected {
	char *id, *eco, *pkg, *note;
	enum affect_status status;
	enum vuln_severity sev;
	char *fixed[64];
	size_t nfixed;
};

struct rec_vuln {
	char *id, *summary, *details, *published;
	enum vuln_severity sev;
	size_t nrefs;
	char *ref0; /* the first reference */
	char *refs[16];
};

struct recsink {
	struct rec_affected *a;
	size_t na, capa;
	struct rec_vuln *v;
	size_t nv, capv;
	int begun;
	char snapshot[32];
};

/* snprintf into a char array, failing the test when it does not fit (which
 * also tells the compiler the result is checked). */
#define PATHF(buf, ...)                                                                        \
	do {                                                                                   \
		if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >= sizeof(buf))          \
			fail_msg("path too long");                                             \
	} while (0)

static inline char *rec_dup(const char *s) { return s ? strdup(s) : NULL; }

static inline int rec_begin(void *ctx, const char *snapshot, struct berr *e)
{
	(void)e;
	struct recsink *r = ctx;
	r->begun++;
	snprintf(r->snapshot, sizeof r->snapshot, "%s", snapshot ? snapshot : "");
	return BOSUN_OK;
}

static inline int rec_set_snapshot(void *ctx, const char *snapshot, struct berr *e)
{
	(void)e;
	struct recsink *r = ctx;
	snprintf(r->snapshot, sizeof r->snapshot, "%s", snapshot ? snapshot : "");
	return BOSUN_OK;
}

static inline int rec_vuln_put(void *ctx, const struct vuln_record *v, struct berr *e)
{
	(void)e;
	struct recsink *r = ctx;
	if (r->nv == r->capv) {
		r->capv = r->capv ? r->capv * 2 : 256;
		r->v = realloc(r->v, r->capv * sizeof *r->v);
	}
	r->v[r->nv] = (struct rec_vuln){ rec_dup(v->id), rec_dup(v->summary), rec_dup(v->details), rec_dup(v->published),
					 v->severity, v->nreferences,
					 v->nreferences ? rec_dup(v->references[0]) : NULL, { 0 } };
	for (size_t i = 0; i < v->nreferences && i < 16; i++)
		r->v[r->nv].refs[i] = rec_dup(v->references[i]);
	r->nv++;
	return BOSUN_OK;
}

static inline int rec_affected_put(void *ctx, const struct affected_record *a, struct berr *e)
{
	(void)e;
	struct recsink *r = ctx;
	if (r->na == r->capa) {
		r->capa = r->capa ? r->capa * 2 : 1024;
		r->a = realloc(r->a, r->capa * sizeof *r->a);
	}
	struct rec_affected *x = &r->a[r->na++];
	*x = (struct rec_affected){ rec_dup(a->vuln_id), rec_dup(a->ecosystem), rec_dup(a->package), rec_dup(a->note),
				    a->status, a->severity, { 0 }, 0 };
	for (size_t i = 0; i < a->nranges && i < 64; i++)
		x->fixed[x->nfixed++] = rec_dup(a->ranges[i].fixed);
	return BOSUN_OK;
}

static inline struct feed_sink recsink_sink(struct recsink *r)
{
	return (struct feed_sink){ rec_begin, rec_set_snapshot, rec_vuln_put, rec_affected_put, r };
}

/* The record of (id, ecosystem, package), NULL if none. */
static inline const struct rec_affected *rec_find(const struct recsink *r, const char *id, const char *eco,
						  const char *pkg)
{
	for (size_t i = 0; i < r->na; i++)
		if (!strcmp(r->a[i].id, id) && !strcmp(r->a[i].eco, eco) && !strcmp(r->a[i].pkg, pkg))
			return &r->a[i];
	return NULL;
}

static inline size_t rec_count(const struct recsink *r, const char *id, const char *eco, const char *pkg)
{
	size_t n = 0;
	for (size_t i = 0; i < r->na; i++)
		n += !strcmp(r->a[i].id, id) && !strcmp(r->a[i].eco, eco) && !strcmp(r->a[i].pkg, pkg);
	return n;
}

static inline const struct rec_vuln *rec_vuln(const struct recsink *r, const char *id)
{
	for (size_t i = 0; i < r->nv; i++)
		if (!strcmp(r->v[i].id, id))
			return &r->v[i];
	return NULL;
}

static inline void recsink_free(struct recsink *r)
{
	for (size_t i = 0; i < r->na; i++) {
		free(r->a[i].id);
		free(r->a[i].eco);
		free(r->a[i].pkg);
		free(r->a[i].note);
		for (size_t k = 0; k < r->a[i].nfixed; k++)
			free(r->a[i].fixed[k]);
	}
	for (size_t i = 0; i < r->nv; i++) {
		free(r->v[i].id);
		free(r->v[i].summary);
		free(r->v[i].details);
		free(r->v[i].published);
		free(r->v[i].ref0);
		for (size_t k = 0; k < 16; k++)
			free(r->v[i].refs[k]);
	}
	free(r->a);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* Checks the one record of (id, eco, pkg): its status, its fixed version
 * (NULL: no range) and, when note is not NULL, that its note contains it. */
static inline void rec_check(const struct recsink *rs, const char *id, const char *eco, const char *pkg,
			     enum affect_status st, const char *fixed, const char *note)
{
	const struct rec_affected *x = rec_find(rs, id, eco, pkg);
	if (!x)
		fail_msg("no record %s %s %s", id, eco, pkg);
	if (rec_count(rs, id, eco, pkg) != 1)
		fail_msg("%zu records %s %s %s", rec_count(rs, id, eco, pkg), id, eco, pkg);
	if (x->status != st)
		fail_msg("%s %s %s: status %d, expected %d", id, eco, pkg, (int)x->status, (int)st);
	if (fixed && (x->nfixed != 1 || !x->fixed[0] || strcmp(x->fixed[0], fixed)))
		fail_msg("%s %s %s: fixed %s, expected %s", id, eco, pkg, x->nfixed ? x->fixed[0] : "(none)", fixed);
	if (!fixed && x->nfixed)
		fail_msg("%s %s %s: unexpected fixed %s", id, eco, pkg, x->fixed[0]);
	if (note && (!x->note || !strstr(x->note, note)))
		fail_msg("%s %s %s: note '%s', expected '%s'", id, eco, pkg, x->note ? x->note : "(none)", note);
}

/* A scratch directory under $TMPDIR, removed by rm -rf at the end. */
static inline void rec_tmpdir(char *out, size_t n)
{
	const char *t = getenv("TMPDIR");
	snprintf(out, n, "%s/bosun-feedtest-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(out))
		fail_msg("mkdtemp %s", out);
}

static inline void rec_write(const char *dir, const char *rel, const void *data, size_t n)
{
	char p[4096], cmd[4200];
	PATHF(p, "%s/%s", dir, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	PATHF(cmd, "mkdir -p '%s'", p);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
	*slash = '/';
	FILE *f = fopen(p, "wb");
	if (!f)
		fail_msg("cannot write %s", p);
	if (n && fwrite(data, 1, n, f) != n)
		fail_msg("short write %s", p);
	fclose(f);
}

static inline void rec_rmdir(const char *dir)
{
	char cmd[4200];
	PATHF(cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("%s", cmd);
}

#endif
