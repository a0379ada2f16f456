/* Helpers for the matching tests: a database built in memory through
 * vulndb.h, artifacts built by hand, and lookups in a match result. */
#ifndef BOSUN_MATCHTEST_H
#define BOSUN_MATCHTEST_H

#include "testutil.h"

#include "match/match.h"

static inline struct vulndb *db_open(void)
{
	struct vulndb *db = NULL;
	struct berr e = { 0 };
	if (vulndb_open(":memory:", true, &db, &e) != BOSUN_OK)
		fail_msg("vulndb_open: %s", e.msg);
	return db;
}

static inline void begin(struct vulndb *db, const char *name)
{
	struct berr e = { 0 };
	struct vulndb_source src = { .name = name, .origin = "test", .snapshot = "2024-01-01" };
	if (vulndb_source_begin(db, &src, &e) != BOSUN_OK)
		fail_msg("source_begin: %s", e.msg);
}

static inline void commit(struct vulndb *db)
{
	struct berr e = { 0 };
	if (vulndb_source_commit(db, &e) != BOSUN_OK)
		fail_msg("commit: %s", e.msg);
}

static inline void put_vuln(struct vulndb *db, const struct vuln_record *v)
{
	struct berr e = { 0 };
	if (vulndb_put_vuln(db, v, &e) != BOSUN_OK)
		fail_msg("put_vuln %s: %s", v->id, e.msg);
}

/* One row: every version below `fixed` (all versions when NULL). */
static inline void put_aff(struct vulndb *db, const char *id, const char *eco, const char *pkgname,
			   enum affect_status st, enum vuln_severity sev, const char *fixed)
{
	struct berr e = { 0 };
	struct affect_range r = { .fixed = fixed };
	struct affected_record a = { .vuln_id = id, .ecosystem = eco, .package = pkgname, .status = st,
				     .severity = sev, .ranges = fixed ? &r : NULL, .nranges = fixed ? 1 : 0 };
	if (vulndb_put_affected(db, &a, &e) != BOSUN_OK)
		fail_msg("put_affected %s: %s", id, e.msg);
}

static inline void put_kev(struct vulndb *db, const char *cve, const char *date)
{
	struct berr e = { 0 };
	if (vulndb_put_kev(db, cve, date, NULL, false, &e) != BOSUN_OK)
		fail_msg("put_kev %s: %s", cve, e.msg);
}

static inline struct package *add_pkg(struct artifact *a, enum pkg_type t, const char *name, const char *version,
				      const char *src, const char *srcver, const char *modularity)
{
	struct package *p = artifact_add_package(a);
	p->type = t;
	p->name = arena_strdup(&a->arena, name);
	p->version = arena_strdup(&a->arena, version);
	p->source_name = arena_strdup(&a->arena, src);
	p->source_version = arena_strdup(&a->arena, srcver ? srcver : version);
	p->modularity = arena_strdup(&a->arena, modularity);
	return p;
}

static inline const struct vuln_match *find(const struct match_result *r, const struct artifact *a,
					    const char *pkgname, const char *id)
{
	const struct vuln_match *hit = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(a->pkgs[r->v[i].pkg].name, pkgname) == 0 && strcmp(r->v[i].id, id) == 0) {
			if (hit)
				fail_msg("%s reported twice for %s", id, pkgname);
			hit = &r->v[i];
		}
	return hit;
}

static inline size_t count_for(const struct match_result *r, const struct artifact *a, const char *pkgname)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += strcmp(a->pkgs[r->v[i].pkg].name, pkgname) == 0;
	return n;
}

static inline void set_os(struct artifact *a, const char *id, const char *family, const char *version_id)
{
	a->os.found = true;
	a->os.id = arena_strdup(&a->arena, id);
	a->os.family = arena_strdup(&a->arena, family);
	a->os.version_id = arena_strdup(&a->arena, version_id);
}

static inline void run_match(struct vulndb *db, struct artifact *a, struct match_result *r)
{
	struct berr e = { 0 };
	if (match_artifact(db, a, r, &e) != BOSUN_OK)
		fail_msg("match_artifact: %s", e.msg);
}

#endif
