/* Debian security tracker: finding the pieces of a tree and importing them
 * as one source. The tracker's own files (data/CVE/list, data/DSA/list,
 * data/DLA/list, data/config.json), the entry samples
 * (tracker-entries-sample/CVE-list.sample, DSA-list.sample), the JSON
 * export and debian-security-support's lists may sit in one directory or
 * side by side one level down; they are joined into "debian-tracker".
 * Parsing and the release semantics: import_debian.c. */
#include "vulndb/distro_feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool path_join(char *out, size_t cap, const char *a, const char *b)
{
	return (size_t)snprintf(out, cap, "%s/%s", a, b) < cap;
}

static bool support_path(char *out, size_t cap, const char *dir, int major)
{
	char name[64];
	snprintf(name, sizeof name, "security-support-ended.deb%d", major);
	return path_join(out, cap, dir, name);
}

static bool has(const char *dir, const char *rel)
{
	char p[4096];
	return path_join(p, sizeof p, dir, rel) && feed_is_file(p);
}

/* The tracker's JSON export: named "json" as the tracker serves it, or a
 * *.json whose name says tracker/debian, shaped {pkg: {CVE: {releases}}}. */
static bool is_tracker_json(const char *dir, const char *name)
{
	size_t n = strlen(name);
	bool named = strcmp(name, "json") == 0 ||
		     (n > 5 && strcmp(name + n - 5, ".json") == 0 && (strstr(name, "tracker") || strstr(name, "debian")));
	char p[4096];
	if (!named || !path_join(p, sizeof p, dir, name))
		return false;
	FILE *f = fopen(p, "rb");
	if (!f)
		return false;
	char head[4096];
	size_t got = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	head[got] = '\0';
	size_t i = 0;
	while (i < got && isspace((unsigned char)head[i]))
		i++;
	return i < got && head[i] == '{' && strstr(head, "\"releases\"");
}

/* Names of the tracker JSON files in dir (none when dir cannot be listed). */
static int tracker_jsons(const char *dir, struct feed_dir *out)
{
	struct feed_dir d;
	*out = (struct feed_dir){ 0 };
	if (feed_dir_list(dir, FEED_MAX_DIR, &d, NULL) != BOSUN_OK)
		return BOSUN_OK;
	size_t k = 0;
	for (size_t i = 0; i < d.n; i++) {
		if (!d.ents[i].is_dir && is_tracker_json(dir, d.ents[i].name))
			d.ents[k++] = d.ents[i];
		else
			free(d.ents[i].name);
	}
	d.n = k;
	*out = d;
	return BOSUN_OK;
}

static bool dir_has_tracker_json(const char *dir)
{
	struct feed_dir d;
	tracker_jsons(dir, &d);
	bool found = d.n > 0;
	feed_dir_free(&d);
	return found;
}

static bool is_root(const char *dir)
{
	return has(dir, "data/CVE/list") || has(dir, "data/DSA/list") || has(dir, "data/DLA/list") ||
	       has(dir, "CVE-list.sample") || has(dir, "DSA-list.sample") || dir_has_tracker_json(dir);
}

static bool is_support_dir(const char *dir)
{
	char p[4096];
	for (int major = 5; major <= 20; major++) {
		if (support_path(p, sizeof p, dir, major) && feed_is_file(p))
			return true;
	}
	return false;
}

/* The pieces of one tree: tracker roots and support-list dirs, the dir
 * itself or its immediate subdirectories (so that the tracker snapshot,
 * the entry samples and debian-security-support found side by side are
 * joined into one source). */
struct tree {
	char **roots;
	size_t nroots;
	char **support;
	size_t nsupport;
};

static int tree_add(char ***v, size_t *n, const char *path)
{
	char **q = realloc(*v, (*n + 1) * sizeof *q);
	if (!q)
		return BOSUN_ENOMEM;
	*v = q;
	if (!(q[*n] = strdup(path)))
		return BOSUN_ENOMEM;
	(*n)++;
	return BOSUN_OK;
}

static void tree_free(struct tree *tr)
{
	for (size_t i = 0; i < tr->nroots; i++)
		free(tr->roots[i]);
	for (size_t i = 0; i < tr->nsupport; i++)
		free(tr->support[i]);
	free(tr->roots);
	free(tr->support);
}

/* dir, and its subdirectories one level down (listed without following
 * symlinks), in name order. */
static int tree_scan(const char *dir, struct tree *tr)
{
	if (is_root(dir))
		TRY(tree_add(&tr->roots, &tr->nroots, dir));
	if (is_support_dir(dir))
		TRY(tree_add(&tr->support, &tr->nsupport, dir));
	struct feed_dir d;
	if (feed_dir_list(dir, FEED_MAX_DIR, &d, NULL) != BOSUN_OK)
		return BOSUN_OK;
	int rc = BOSUN_OK;
	for (size_t i = 0; i < d.n && rc == BOSUN_OK; i++) {
		char p[4096];
		if (!d.ents[i].is_dir || !path_join(p, sizeof p, dir, d.ents[i].name))
			continue;
		if (is_root(p))
			rc = tree_add(&tr->roots, &tr->nroots, p);
		if (rc == BOSUN_OK && is_support_dir(p))
			rc = tree_add(&tr->support, &tr->nsupport, p);
	}
	feed_dir_free(&d);
	return rc;
}

/* Every buffer read stays alive until the import ends: the tracker keeps
 * slices into them. */
struct bufs {
	struct buf *v;
	size_t n;
};

static int read_kept(struct bufs *b, const char *path, struct buf **out, struct berr *e)
{
	struct buf *q = realloc(b->v, (b->n + 1) * sizeof *q);
	if (!q)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", path);
	b->v = q;
	q[b->n] = (struct buf){ 0 };
	int rc = feed_read_file(path, FEED_MAX_FILE, &q[b->n], e);
	*out = &q[b->n++];
	return rc;
}

static void bufs_free(struct bufs *b)
{
	for (size_t i = 0; i < b->n; i++)
		buf_free(&b->v[i]);
	free(b->v);
}

/* The CVE-list-shaped files of a root, in import order. */
static const char *const cve_files[] = { "data/CVE/list", "CVE-list.sample" };
static const struct {
	const char *path, *kind;
} adv_files[] = {
	{ "data/DSA/list", "DSA" },
	{ "data/DLA/list", "DLA" },
	{ "DSA-list.sample", "DSA" },
	{ "DLA-list.sample", "DLA" },
};

struct loader {
	struct debian_tracker *t;
	struct bufs bufs;
	struct import_stats *st;
	char newest_mtime[11];
};

static int load_file(struct loader *L, const char *path, struct buf **b, struct berr *e)
{
	TRY(read_kept(&L->bufs, path, b, e));
	L->st->files++;
	char d[11];
	if (feed_mtime_date(path, d) && strcmp(d, L->newest_mtime) > 0)
		memcpy(L->newest_mtime, d, 11);
	return BOSUN_OK;
}

static int load_support(struct loader *L, const char *dir, struct berr *e)
{
	char p[4096];
	struct buf *b;
	int newest = 0;
	for (int major = 5; major <= 20; major++) {
		if (!support_path(p, sizeof p, dir, major) || !feed_is_file(p))
			continue;
		TRY(load_file(L, p, &b, e));
		TRY(debian_tracker_add_support(L->t, p, major, false, b->data, b->len, e));
		newest = major;
	}
	/* The unsuffixed lists are the package's own release: the newest one
	 * with a suffixed list (which the ended list duplicates). */
	if (newest && path_join(p, sizeof p, dir, "security-support-limited") && feed_is_file(p)) {
		TRY(load_file(L, p, &b, e));
		TRY(debian_tracker_add_support(L->t, p, newest, true, b->data, b->len, e));
	}
	return BOSUN_OK;
}

static int load_root(struct loader *L, const char *root, struct berr *e)
{
	char p[4096];
	struct buf *b;
	for (size_t i = 0; i < sizeof adv_files / sizeof adv_files[0]; i++) {
		if (!path_join(p, sizeof p, root, adv_files[i].path) || !feed_is_file(p))
			continue;
		TRY(load_file(L, p, &b, e));
		TRY(debian_tracker_add_advisories(L->t, p, adv_files[i].kind, b->data, b->len, e));
	}
	if (path_join(p, sizeof p, root, "data/config.json") && feed_is_file(p)) {
		TRY(load_file(L, p, &b, e));
		TRY(debian_tracker_add_config(L->t, p, b->data, b->len, e));
	}
	return BOSUN_OK;
}

static int emit_root(struct loader *L, const char *root, const struct feed_sink *s, struct berr *e)
{
	char p[4096];
	struct buf *b;
	for (size_t i = 0; i < sizeof cve_files / sizeof cve_files[0]; i++) {
		if (!path_join(p, sizeof p, root, cve_files[i]) || !feed_is_file(p))
			continue;
		TRY(load_file(L, p, &b, e));
		TRY(debian_tracker_emit_cve_list(L->t, p, b->data, b->len, s, L->st, e));
		buf_free(b); /* CVE entries are written as they are read: no slices kept */
	}
	struct feed_dir d;
	tracker_jsons(root, &d);
	int rc = BOSUN_OK;
	for (size_t i = 0; i < d.n && rc == BOSUN_OK; i++) {
		if (!path_join(p, sizeof p, root, d.ents[i].name))
			continue;
		if ((rc = load_file(L, p, &b, e)) == BOSUN_OK)
			rc = debian_tracker_emit_json(L->t, p, b->data, b->len, s, L->st, e);
		buf_free(b);
	}
	feed_dir_free(&d);
	return rc;
}

static int import_tree(struct loader *L, const struct tree *tr, const struct feed_sink *s, struct berr *e)
{
	for (size_t i = 0; i < tr->nroots; i++)
		TRY(load_root(L, tr->roots[i], e));
	for (size_t i = 0; i < tr->nsupport; i++)
		TRY(load_support(L, tr->support[i], e));
	/* The data's date: the newest advisory, else the files' newest mtime
	 * (the CVE list itself carries no dates). */
	char mt[11] = "";
	for (size_t i = 0; i < tr->nroots && !debian_tracker_snapshot(L->t)[0]; i++) {
		char p[4096], d[11];
		for (size_t k = 0; k < sizeof cve_files / sizeof cve_files[0]; k++)
			if (path_join(p, sizeof p, tr->roots[i], cve_files[k]) && feed_mtime_date(p, d) && strcmp(d, mt) > 0)
				memcpy(mt, d, 11);
	}
	const char *adv = debian_tracker_snapshot(L->t);
	const char *snap = adv[0] ? adv : mt[0] ? mt : L->newest_mtime;
	TRY(s->begin(s->ctx, snap, e));
	for (size_t i = 0; i < tr->nroots; i++)
		TRY(emit_root(L, tr->roots[i], s, e));
	return debian_tracker_emit_advisory_only(L->t, s, L->st, e);
}

int debian_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	struct tree tr = { 0 };
	struct loader L = { .st = st };
	int rc = tree_scan(dir, &tr);
	if (rc == BOSUN_OK && !tr.nroots)
		rc = berr_set(e, BOSUN_ENOTFOUND, "%s: no Debian security tracker data", dir);
	else if (rc != BOSUN_OK)
		berr_set(e, rc, "%s: out of memory", dir);
	if (rc == BOSUN_OK && (rc = debian_tracker_new(&L.t)) != BOSUN_OK)
		berr_set(e, rc, "out of memory");
	if (rc == BOSUN_OK)
		rc = import_tree(&L, &tr, s, e);
	debian_tracker_free(L.t);
	bufs_free(&L.bufs);
	tree_free(&tr);
	return rc;
}

/* ---- the importer ------------------------------------------------------- */

static bool debian_detect(const char *dir)
{
	struct tree tr = { 0 };
	bool found = tree_scan(dir, &tr) == BOSUN_OK && tr.nroots > 0;
	tree_free(&tr);
	return found;
}

static int debian_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	struct feed_db f = { .db = db, .src = { .name = "debian-tracker", .origin = dir } };
	struct feed_sink s = feed_db_sink(&f);
	int rc = debian_import_dir(dir, &s, st, e);
	return feed_db_finish(&f, rc, e);
}

const struct importer importer_debian = { "debian", debian_detect, debian_import };
