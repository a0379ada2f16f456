/* `bosun db update`. One run, in order: take the cache lock, download
 * every feed into a scratch directory next to the database (conditionally
 * against the cached copies), lay the feeds out as a tree, import it into
 * a new database file in the scratch directory, rename that over the live
 * database, and only then refresh the cache. Until the rename nothing the
 * readers see has changed; after it, a failure to refresh the cache only
 * costs a download next time. */
#include "vulndb/update.h"
#include "util/log.h"
#include "vulndb/feedfs.h"
#include "vulndb/importer.h"
#include "vulndb/path.h"
#include "vulndb/relabel.h"
#include "vulndb/safedir.h"
#include "vulndb/update_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_STALE_SCAN 100000

struct run {
	const struct update_options *o;
	char cache[PATH_MAX];   /* DB.feeds: cached copies, state.json, lock */
	char scratch[SCRATCH_MAX]; /* .DB.update.XXXXXX: downloads, tree, new database */
	char tree[SCRATCH_MAX + 8];
	char tree_real[PATH_MAX];
	int lockfd;
	struct update_state state;
	struct feed_run *runs;
	size_t n;
};

/* ---- small helpers ----------------------------------------------------------- */

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void human_size(uint64_t n, char *out, size_t cap)
{
	if (n >= 1000000)
		snprintf(out, cap, "%.1f MB", (double)n / 1e6);
	else
		snprintf(out, cap, "%.1f kB", (double)n / 1e3);
}

/* Removes every occurrence of prefix from msg: error messages would
 * otherwise name scratch paths that are gone when the user reads them. */
static void strip_prefix(char *msg, const char *prefix)
{
	size_t np = strlen(prefix);
	char *p;
	while (np && (p = strstr(msg, prefix)))
		memmove(p, p + np, strlen(p + np) + 1);
}

/* ---- the cache lock and leftovers -------------------------------------------- */

int update_lock(const char *cache_dir, const char *db_path, int *fd, struct berr *e)
{
	if (mkdir(cache_dir, 0755) != 0 && errno != EEXIST)
		return berr_set(e, BOSUN_EIO, "cannot create %s: %s", cache_dir, strerror(errno));
	char path[PATH_MAX];
	TRY(feed_join(path, sizeof path, cache_dir, "lock", e));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (*fd < 0)
		return berr_set(e, BOSUN_EIO, "cannot open %s: %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
		return berr_set(e, BOSUN_EIO, "another `bosun db update` is running on %s (lock %s)", db_path, path);
	return BOSUN_OK;
}

/* Scratch directories of runs that crashed: with the lock held, every
 * ".DB.update.*" beside the database is one. */
static void remove_stale(const char *db_path)
{
	char dir[PATH_MAX], prefix[NAME_MAX + 1];
	const char *slash = strrchr(db_path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db_path) + (slash == db_path) : 1,
		 slash ? db_path : ".");
	snprintf(prefix, sizeof prefix, ".%s.update.", slash ? slash + 1 : db_path);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	for (int n = 0; n < MAX_STALE_SCAN && (de = readdir(d)); n++) {
		char path[PATH_MAX];
		if (!strncmp(de->d_name, prefix, strlen(prefix)) &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) < sizeof path)
			safedir_remove_tree(path);
	}
	closedir(d);
}

/* ---- downloading --------------------------------------------------------------- */

/* The cached copy of a feed, when it is the one state.json describes. */
static const struct cached_feed *usable_cache(const struct run *r, const struct feed *f, char *path, size_t cap)
{
	const struct cached_feed *c = update_state_find(&r->state, f->name);
	char sha[72];
	if (!c || strcmp(c->url, f->url) || feed_join(path, cap, r->cache, f->name, NULL) ||
	    update_file_sha256(path, sha, NULL) || strcmp(sha, c->sha256))
		return NULL;
	return c;
}

static int check_digest(const struct feed *f, const char *got, struct berr *e)
{
	if (!f->sha256 || !strcmp(got + 7, f->sha256))
		return BOSUN_OK;
	return berr_set(e, BOSUN_EDIGEST, "feed %s (%s): content has %s, expected sha256:%s", f->name, f->url, got,
			f->sha256);
}

static void say(const struct run *r, const struct feed_run *fr, uint64_t bytes)
{
	static const char *const what[] = { "downloaded", "not modified", "skipped (404)" };
	char size[32] = "-";
	if (bytes)
		human_size(bytes, size, sizeof size);
	if (r->o->verbose)
		fprintf(stderr, "%-24s %-14s %9s  %s\n", fr->f->name, what[fr->outcome], size, fr->f->url);
}

static int fetch_one(struct run *r, struct feed_run *fr, struct berr *e)
{
	const struct feed *f = fr->f;
	char cached[PATH_MAX], dl[PATH_MAX], what[FEED_NAME_MAX + 8];
	const struct cached_feed *c = usable_cache(r, f, cached, sizeof cached);
	bool cond = c && (c->v.etag[0] || c->v.last_modified[0]);
	if ((size_t)snprintf(dl, sizeof dl, "%s/dl/%s", r->scratch, f->name) >= sizeof dl)
		return berr_set(e, BOSUN_ELIMIT, "path too long");
	snprintf(what, sizeof what, "feed %s", f->name);
	struct fetch_result res;
	struct berr why = { 0 };
	int rc = fetch_url(f->url, cond ? &c->v : NULL, dl, &r->o->fetch, what, &res, &why);
	if (rc == BOSUN_ENOTFOUND && f->optional) {
		fr->outcome = FEED_SKIPPED;
		log_warn("feed %s: %s; it is optional, skipped", f->name, why.msg);
		say(r, fr, 0);
		return BOSUN_OK;
	}
	if (rc)
		return berr_set(e, rc, "feed %s: %s", f->name, why.msg);
	if (res.status == 304) {
		fr->outcome = FEED_NOT_MODIFIED;
		snprintf(fr->src, sizeof fr->src, "%s", cached);
		fr->next = *c;
		if (res.v.etag[0] || res.v.last_modified[0])
			fr->next.v = res.v; /* a 304 may carry fresher validators */
	} else {
		fr->outcome = FEED_DOWNLOADED;
		snprintf(fr->src, sizeof fr->src, "%s", dl);
		fr->next = (struct cached_feed){ .v = res.v, .filetime = res.filetime };
		snprintf(fr->next.name, sizeof fr->next.name, "%s", f->name);
		snprintf(fr->next.url, sizeof fr->next.url, "%s", f->url);
		memcpy(fr->next.sha256, res.sha256, sizeof res.sha256);
		now_iso(fr->next.fetched);
	}
	say(r, fr, res.status == 304 ? 0 : res.bytes);
	return check_digest(f, fr->next.sha256, e);
}

static int fetch_all(struct run *r, struct update_report *rep, struct berr *e)
{
	for (size_t i = 0; i < r->n; i++) {
		TRY(fetch_one(r, &r->runs[i], e));
		rep->downloaded += r->runs[i].outcome == FEED_DOWNLOADED;
		rep->not_modified += r->runs[i].outcome == FEED_NOT_MODIFIED;
		rep->skipped += r->runs[i].outcome == FEED_SKIPPED;
	}
	return BOSUN_OK;
}

/* Whether the database opens with this bosun's schema (one built by an
 * older bosun must be rebuilt even when no feed changed). */
static bool db_usable(const char *path)
{
	struct vulndb *db;
	if (vulndb_open(path, false, &db, NULL) != BOSUN_OK)
		return false;
	vulndb_close(db);
	return true;
}

/* Whether the database was built from exactly this content already. */
static bool unchanged(const struct run *r)
{
	if (r->o->force || !db_usable(r->o->db_path))
		return false;
	size_t used = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct feed_run *fr = &r->runs[i];
		if (fr->outcome == FEED_SKIPPED)
			continue;
		used++;
		bool found = false;
		for (size_t k = 0; k < r->state.nbuilt && !found; k++)
			found = !strcmp(r->state.built[k].name, fr->f->name) && !strcmp(r->state.built[k].url, fr->f->url) &&
				!strcmp(r->state.built[k].sha256, fr->next.sha256);
		if (!found)
			return false;
	}
	return used == r->state.nbuilt;
}

/* ---- the tree and the build -------------------------------------------------- */

static int lay_out(struct run *r, struct berr *e)
{
	int treefd = open(r->tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (treefd < 0)
		return berr_set(e, BOSUN_EIO, "%s: %s", r->tree, strerror(errno));
	int rc = BOSUN_OK;
	for (size_t i = 0; i < r->n && !rc; i++) {
		const struct feed_run *fr = &r->runs[i];
		if (fr->outcome == FEED_SKIPPED)
			continue;
		if ((rc = update_tree_place(treefd, fr->f, fr->src, fr->next.filetime, e)))
			berr_wrap(e, rc, "feed %s (%s)", fr->f->name, fr->f->url);
	}
	close(treefd);
	return rc;
}

/* "feed a, feed b" for the feeds of a group, into out. */
static void group_feeds(const struct run *r, const char *group, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->n && len < cap; i++) {
		char g[FEED_NAME_MAX + 1];
		feed_group(r->runs[i].f, g);
		if (strcmp(g, group) || r->runs[i].outcome == FEED_SKIPPED)
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", r->runs[i].f->name);
	}
}

static bool group_seen(const struct run *r, size_t upto, const char *group)
{
	for (size_t i = 0; i < upto; i++) {
		char g[FEED_NAME_MAX + 1];
		feed_group(r->runs[i].f, g);
		if (!strcmp(g, group) && r->runs[i].outcome != FEED_SKIPPED)
			return true;
	}
	return false;
}

static int import_group(struct run *r, struct vulndb *db, const char *group, struct berr *e)
{
	char dir[PATH_MAX], names[512], prefix[PATH_MAX + 8];
	if ((size_t)snprintf(dir, sizeof dir, "%s/%s", r->tree, group) >= sizeof dir)
		return berr_set(e, BOSUN_ELIMIT, "path too long");
	const char *dirs[1] = { dir };
	int rc = vulndb_build(db, dirs, 1, r->o->verbose, e);
	if (!rc)
		return BOSUN_OK;
	group_feeds(r, group, names, sizeof names);
	snprintf(prefix, sizeof prefix, "%s/", r->tree);
	strip_prefix(e->msg, prefix);
	snprintf(prefix, sizeof prefix, "%s/", r->tree_real);
	strip_prefix(e->msg, prefix);
	return berr_wrap(e, rc, "feed%s %s", strchr(names, ',') ? "s" : "", names);
}

/* Where a group's data came from: its URL, or the URLs of its feeds as
 * PREFIX{a,b,...} when they fit. */
static void group_origin(const struct run *r, const char *group, char *out, size_t cap)
{
	const char *first = NULL;
	size_t common = 0, count = 0;
	for (size_t i = 0; i < r->n; i++) {
		char g[FEED_NAME_MAX + 1];
		feed_group(r->runs[i].f, g);
		if (strcmp(g, group) || r->runs[i].outcome == FEED_SKIPPED)
			continue;
		const char *u = r->runs[i].f->url;
		if (!first) {
			first = u;
			common = strlen(u);
		}
		size_t k = 0;
		while (k < common && u[k] == first[k])
			k++;
		common = k;
		count++;
	}
	if (!first || count == 1) {
		snprintf(out, cap, "%s", first ? first : group);
		return;
	}
	while (common && first[common - 1] != '/')
		common--;
	size_t len = (size_t)snprintf(out, cap, "%.*s{", (int)common, first);
	for (size_t i = 0, k = 0; i < r->n && len < cap; i++) {
		char g[FEED_NAME_MAX + 1];
		feed_group(r->runs[i].f, g);
		if (!strcmp(g, group) && r->runs[i].outcome != FEED_SKIPPED)
			len += (size_t)snprintf(out + len, cap - len, "%s%s", k++ ? "," : "", r->runs[i].f->url + common);
	}
	if (len + 2 >= cap)
		snprintf(out, cap, "%.*s (%zu files)", (int)common, first, count);
	else
		snprintf(out + len, cap - len, "}");
}

static int relabel(struct run *r, struct vulndb *db, struct berr *e)
{
	struct source_list l;
	TRY(vulndb_list_sources(db, &l, e));
	int rc = BOSUN_OK;
	for (size_t i = 0; i < l.n && !rc; i++) {
		const char *o = l.v[i].origin, *rel = NULL;
		size_t nt = strlen(r->tree), nr = strlen(r->tree_real);
		if (o && !strncmp(o, r->tree, nt) && o[nt] == '/')
			rel = o + nt + 1;
		else if (o && nr && !strncmp(o, r->tree_real, nr) && o[nr] == '/')
			rel = o + nr + 1;
		if (!rel)
			continue;
		char group[FEED_NAME_MAX + 1], origin[1024];
		snprintf(group, sizeof group, "%.*s", (int)strcspn(rel, "/"), rel);
		group_origin(r, group, origin, sizeof origin);
		rc = vulndb_source_relabel(db, l.v[i].name, origin, NULL, NULL, e);
	}
	source_list_free(&l);
	return rc;
}

static int count_source(const struct vulndb_source_info *s, void *ctx)
{
	struct update_report *rep = ctx;
	rep->sources++;
	rep->vulns += s->vulns;
	rep->affected += s->affected;
	return BOSUN_OK;
}

static int build(struct run *r, const char *dbfile, struct update_report *rep, struct berr *e)
{
	struct vulndb *db;
	TRY(vulndb_open(dbfile, true, &db, e));
	int rc = BOSUN_OK;
	for (size_t i = 0; i < r->n && !rc; i++) {
		char g[FEED_NAME_MAX + 1];
		feed_group(r->runs[i].f, g);
		if (r->runs[i].outcome != FEED_SKIPPED && !group_seen(r, i, g))
			rc = import_group(r, db, g, e);
	}
	if (!rc)
		rc = relabel(r, db, e);
	if (!rc)
		rc = vulndb_each_source(db, count_source, rep, e);
	vulndb_close(db);
	return rc;
}

/* ---- after the swap: the cache -------------------------------------------------- */

/* Moves the new downloads into the cache and records them. `rebuilt`: the
 * database now holds these feeds; else it still holds what it held (the
 * downloads only refreshed validators of unchanged content). */
static int save_cache(struct run *r, bool rebuilt, struct berr *e)
{
	struct update_state next = { 0 };
	size_t nb = rebuilt ? r->n : r->state.nbuilt;
	next.feeds = calloc(r->n ? r->n : 1, sizeof *next.feeds);
	next.built = calloc(nb ? nb : 1, sizeof *next.built);
	if (!next.feeds || !next.built) {
		update_state_free(&next);
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	int rc = BOSUN_OK;
	for (size_t i = 0; i < r->n && !rc; i++) {
		struct feed_run *fr = &r->runs[i];
		char dst[PATH_MAX];
		if (fr->outcome == FEED_SKIPPED)
			continue;
		if (fr->outcome == FEED_DOWNLOADED && !(rc = feed_join(dst, sizeof dst, r->cache, fr->f->name, e)) &&
		    rename(fr->src, dst) != 0)
			rc = berr_set(e, BOSUN_EIO, "cannot move %s to %s: %s", fr->src, dst, strerror(errno));
		next.feeds[next.nfeeds++] = fr->next;
		if (rebuilt)
			next.built[next.nbuilt++] = fr->next;
	}
	for (size_t i = 0; !rebuilt && i < nb; i++)
		next.built[next.nbuilt++] = r->state.built[i];
	/* copies of feeds no longer listed go */
	for (size_t i = 0; i < r->state.nfeeds && !rc; i++) {
		bool listed = false;
		for (size_t k = 0; k < r->n && !listed; k++)
			listed = !strcmp(r->runs[k].f->name, r->state.feeds[i].name);
		char path[PATH_MAX];
		if (!listed && !feed_join(path, sizeof path, r->cache, r->state.feeds[i].name, NULL))
			unlink(path);
	}
	if (!rc)
		rc = update_state_save(r->cache, &next, e);
	update_state_free(&next);
	return rc;
}

/* ---- the run -------------------------------------------------------------------- */

static int prepare(struct run *r, struct berr *e)
{
	const char *db = r->o->db_path;
	if ((size_t)snprintf(r->cache, sizeof r->cache, "%s.feeds", db) >= sizeof r->cache)
		return berr_set(e, BOSUN_ELIMIT, "database path too long");
	TRY(vulndb_make_parent_dirs(db, e));
	TRY(update_lock(r->cache, db, &r->lockfd, e));
	remove_stale(db);
	TRY(update_state_load(r->cache, &r->state, e));
	TRY(safedir_make_temp(db, "update", r->scratch, sizeof r->scratch, e));
	char dl[PATH_MAX];
	snprintf(dl, sizeof dl, "%s/dl", r->scratch);
	snprintf(r->tree, sizeof r->tree, "%s/tree", r->scratch);
	if (mkdir(dl, 0700) != 0 || mkdir(r->tree, 0700) != 0)
		return berr_set(e, BOSUN_EIO, "cannot create %s: %s", r->tree, strerror(errno));
	if (!realpath(r->tree, r->tree_real))
		r->tree_real[0] = '\0';
	r->n = r->o->feeds->n;
	r->runs = calloc(r->n ? r->n : 1, sizeof *r->runs);
	if (!r->runs)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		r->runs[i].f = &r->o->feeds->v[i];
	return BOSUN_OK;
}

static int run_update(struct run *r, struct update_report *rep, struct berr *e)
{
	TRY(prepare(r, e));
	TRY(fetch_all(r, rep, e));
	struct berr why = { 0 };
	if (unchanged(r)) {
		if (rep->downloaded && save_cache(r, false, &why) != BOSUN_OK)
			log_warn("the feed cache is not updated (%s)", why.msg);
		return BOSUN_OK;
	}
	TRY(lay_out(r, e));
	char newdb[PATH_MAX];
	snprintf(newdb, sizeof newdb, "%s/new.sqlite", r->scratch);
	TRY(build(r, newdb, rep, e));
	TRY(safedir_commit(newdb, r->o->db_path, e));
	rep->rebuilt = true;
	if (save_cache(r, true, &why) != BOSUN_OK)
		log_warn("the database is updated, but the feed cache is not (%s): the next update downloads again",
			 why.msg);
	return BOSUN_OK;
}

int vulndb_update(const struct update_options *o, struct update_report *rep, struct berr *e)
{
	memset(rep, 0, sizeof *rep);
	rep->feeds = (int)o->feeds->n;
	struct run r = { .o = o, .lockfd = -1 };
	int rc = fetch_init(e);
	if (!rc) {
		rc = run_update(&r, rep, e);
		fetch_cleanup();
	}
	if (r.scratch[0])
		safedir_remove_tree(r.scratch);
	update_state_free(&r.state);
	free(r.runs);
	if (r.lockfd >= 0)
		close(r.lockfd); /* releases the lock */
	return rc;
}
