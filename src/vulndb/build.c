/* vulndb_build: finds feeds in the given directories and imports each with
 * the first importer that recognizes it. */
#include "vulndb/feedfs.h"
#include "vulndb/importer.h"

#include <limits.h>
#include <stdio.h>
#include <time.h>

/* A feed root sits at most this many directories below a --from directory
 * (vulndata/rustsec/osv/crates is three). */
#define BUILD_MAX_DEPTH 4

struct build {
	struct vulndb *db;
	bool verbose;
	int imported;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int import_feed(struct build *b, const struct importer *imp, const char *dir, struct berr *e)
{
	struct import_stats st = { 0 };
	double t0 = now_s();
	TRY(imp->import(b->db, dir, &st, e));
	b->imported++;
	if (b->verbose)
		fprintf(stderr, "%-12s %s: %ld files, %ld vulnerabilities, %ld affected, %ld skipped in %.2f s\n",
			imp->name, dir, st.files, st.vulns, st.affected, st.skipped, now_s() - t0);
	return BOSUN_OK;
}

static int visit(struct build *b, const char *dir, int depth, struct berr *e)
{
	for (const struct importer *const *imp = importers; *imp; imp++)
		if ((*imp)->detect(dir))
			return import_feed(b, *imp, dir, e);
	if (depth >= BUILD_MAX_DEPTH)
		return BOSUN_OK;
	struct feed_dir d;
	TRY(feed_dir_list(dir, 100000, &d, e));
	int rc = BOSUN_OK;
	char path[PATH_MAX];
	for (size_t i = 0; !rc && i < d.n; i++) {
		if (!d.ents[i].is_dir || (rc = feed_join(path, sizeof path, dir, d.ents[i].name, e)))
			continue;
		int before = b->imported;
		rc = visit(b, path, depth + 1, e);
		if (!rc && depth == 0 && b->imported == before && b->verbose)
			fprintf(stderr, "%-12s %s: no known feed format\n", "skipped", path);
	}
	feed_dir_free(&d);
	return rc;
}

int vulndb_build(struct vulndb *db, const char *const *dirs, int ndirs, bool verbose, struct berr *e)
{
	struct build b = { .db = db, .verbose = verbose };
	for (int i = 0; i < ndirs; i++) {
		int before = b.imported;
		struct feed_dir probe;
		TRY(feed_dir_list(dirs[i], 100000, &probe, e)); /* a missing --from directory is an error */
		feed_dir_free(&probe);
		TRY(visit(&b, dirs[i], 0, e));
		if (b.imported == before)
			return berr_set(e, BOSUN_ENOTFOUND, "%s: no advisory feed found (searched %d levels deep)", dirs[i],
					BUILD_MAX_DEPTH);
	}
	return BOSUN_OK;
}
