/* Alpine secdb: per branch and repository, which apk version of an origin
 * package fixed which CVEs.
 *
 *     distroversion: v3.11
 *     packages:
 *       - pkg:
 *           name: openssl
 *           secfixes:
 *             1.1.1d-r2: [CVE-2019-1547, ...]
 *             "0": [CVE-...]        # never affected in this branch
 *
 * The YAML files (alpine-secdb's git repository) and the JSON that
 * secdb.alpinelinux.org serves share the schema: YAML goes through
 * util/yaml_json.h so that both walk the same jansson tree. Every
 * document of every branch is one source, "alpine-secdb". */
#include "vulndb/distro_feed.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/strmap.h"
#include "util/yaml_json.h"

#define ALP_MAX_FIXES 2000000
#define ALP_MAX_TOKEN 256
#define ALP_JSON_DEPTH 16
#define ALP_MAX_RANGES 64 /* versions fixing one CVE in one package; real: 2 */

/* One (branch, package, id) fixed at a version; version NULL for "0".
 * file names the document for errors the database reports at flush. */
struct alp_fix {
	const char *ecosystem, *package, *id, *version, *file;
};

struct alpine_secdb {
	struct arena arena;
	struct alp_fix *fixes;
	size_t nfixes, cap;
	struct strmap vulns; /* ids already written as vulnerabilities */
};

int alpine_secdb_new(struct alpine_secdb **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? BOSUN_OK : BOSUN_ENOMEM;
}

void alpine_secdb_free(struct alpine_secdb *a)
{
	if (!a)
		return;
	free(a->fixes);
	strmap_free(&a->vulns);
	arena_free(&a->arena);
	free(a);
}

/* ---- one document ------------------------------------------------------- */

struct doc {
	struct alpine_secdb *a;
	const char *file, *data;
	const char *file_copy; /* in the arena: lives as long as the fixes */
	size_t n;
	const char *ecosystem;
};

/* jansson and the YAML converter keep no positions: an error points at the
 * first line mentioning the offending name at or after `from` (a package
 * name, then a version key), which is where a reader would look. NOWHERE
 * when the name is not found. */
#define NOWHERE SIZE_MAX

static size_t locate(const struct doc *d, const char *needle, size_t from)
{
	size_t k = strlen(needle);
	if (!k || from >= d->n)
		return NOWHERE;
	const char *hit = memmem(d->data + from, d->n - from, needle, k);
	return hit ? (size_t)(hit - d->data) : NOWHERE;
}

/* A mapping key: "KEY" (JSON, quoted YAML) or KEY: (plain YAML). */
static size_t locate_key(const struct doc *d, const char *key, size_t from)
{
	char q[ALP_MAX_TOKEN + 4];
	snprintf(q, sizeof q, "\"%s\"", key);
	size_t at = locate(d, q, from);
	if (at == NOWHERE) {
		snprintf(q, sizeof q, "%s:", key);
		at = locate(d, q, from);
	}
	return at;
}

static int fail(const struct doc *d, struct berr *e, size_t off, const char *what, const char *name)
{
	size_t line = off == NOWHERE ? 0 : feed_line_of(d->data, d->n, off);
	return feed_error(e, BOSUN_EFORMAT, d->file, line, "%s%s%s", name ? name : "", name ? ": " : "", what);
}

/* "v3.11" -> "alpine:3.11"; "edge" -> "alpine:edge". */
static const char *branch_key(struct arena *ar, const char *v)
{
	if (strcmp(v, "edge") == 0)
		return "alpine:edge";
	const char *p = v[0] == 'v' ? v + 1 : v;
	size_t n = strlen(p);
	if (!n || n > 16 || !isdigit((unsigned char)p[0]))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]) && p[i] != '.')
			return NULL;
	return arena_printf(ar, "alpine:%s", p);
}

/* An advisory id: "CVE-2019-1547", "XSA-207". Entries also hold
 * placeholders ("CVE-????-?????") and words ("(BGP)"), which are not. */
static bool is_id(const char *t, size_t n)
{
	if (n < 3 || n > ALP_MAX_TOKEN || !isupper((unsigned char)t[0]))
		return false;
	size_t i = 1;
	while (i < n && (isupper((unsigned char)t[i]) || isdigit((unsigned char)t[i])))
		i++;
	if (i + 1 >= n || t[i] != '-')
		return false;
	for (i++; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && !strchr(".:_-", t[i]))
			return false;
	return true;
}

static int add_fix(struct doc *d, const char *pkg, const char *id, size_t idn, const char *version)
{
	struct alpine_secdb *a = d->a;
	if (a->nfixes >= ALP_MAX_FIXES)
		return BOSUN_ELIMIT;
	if (a->nfixes == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct alp_fix *q = realloc(a->fixes, cap * sizeof *q);
		if (!q)
			return BOSUN_ENOMEM;
		a->fixes = q;
		a->cap = cap;
	}
	char *idc = arena_strndup(&a->arena, id, idn);
	if (!idc)
		return BOSUN_ENOMEM;
	a->fixes[a->nfixes++] = (struct alp_fix){ d->ecosystem, pkg, idc, version, d->file_copy };
	return BOSUN_OK;
}

/* The next whitespace-separated token of *p as an id in out, with the
 * feed's "CVE_2019-2426" typo read as CVE-2019-2426; false when the token
 * is no id (a placeholder "CVE-????-?????", a word "(BGP)"). */
static bool next_id(const char **p, char out[ALP_MAX_TOKEN + 1], size_t *n)
{
	while (**p && isspace((unsigned char)**p))
		(*p)++;
	size_t k = 0;
	while ((*p)[k] && !isspace((unsigned char)(*p)[k]))
		k++;
	const char *t = *p;
	*p += k;
	if (k > ALP_MAX_TOKEN)
		return false;
	memcpy(out, t, k);
	out[k] = '\0';
	if (k > 4 && memcmp(t, "CVE_", 4) == 0)
		out[3] = '-';
	*n = k;
	return is_id(out, k);
}

/* One list entry: "CVE-2017-8904 XSA-214" names one issue twice (the
 * CVE and Xen's advisory); when a CVE is among the ids only CVEs are kept,
 * so that one issue is not reported twice. */
static int add_entry(struct doc *d, const char *pkg, const char *entry, const char *version)
{
	char id[ALP_MAX_TOKEN + 1];
	size_t n;
	bool has_cve = false;
	for (const char *p = entry; *p;)
		if (next_id(&p, id, &n) && strncmp(id, "CVE-", 4) == 0)
			has_cve = true;
	for (const char *p = entry; *p;)
		if (next_id(&p, id, &n) && (!has_cve || strncmp(id, "CVE-", 4) == 0))
			TRY(add_fix(d, pkg, id, n, version));
	return BOSUN_OK;
}

/* Names and versions are one word of printable characters. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int add_version(struct doc *d, const char *pkg, size_t at, const char *ver, json_t *ids, struct berr *e)
{
	if (json_is_null(ids))
		return BOSUN_OK; /* "1.2-r0:" with nothing under it */
	size_t off = locate_key(d, ver, at);
	if (!json_is_array(ids))
		return fail(d, e, off, "expected a list of ids", ver);
	if (strlen(ver) > ALP_MAX_TOKEN) {
		char what[64];
		snprintf(what, sizeof what, "version longer than %d bytes", ALP_MAX_TOKEN);
		return fail(d, e, off, what, pkg);
	}
	if (!is_token(ver))
		return fail(d, e, off, "bad version (not one word)", pkg);
	const char *version = NULL;
	if (strcmp(ver, "0") != 0 && !(version = arena_strdup(&d->a->arena, ver)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		if (!json_is_string(id))
			return fail(d, e, off, "expected id strings", ver);
		int rc = add_entry(d, pkg, json_string_value(id), version);
		if (rc == BOSUN_ELIMIT)
			return feed_error(e, rc, d->file, 0, "more than %d fixes", ALP_MAX_FIXES);
		if (rc != BOSUN_OK)
			return berr_set(e, rc, "out of memory");
	}
	return BOSUN_OK;
}

static int add_package(struct doc *d, size_t index, json_t *entry, size_t *cursor, struct berr *e)
{
	json_t *pkg = json_object_get(entry, "pkg");
	const char *name = json_str(pkg, "name");
	if (!json_is_object(pkg) || !name || !is_token(name) || strlen(name) > ALP_MAX_TOKEN) {
		char what[64];
		snprintf(what, sizeof what, "packages[%zu]: expected pkg.name (one word)", index);
		return fail(d, e, *cursor, what, NULL);
	}
	size_t at = locate(d, name, *cursor);
	if (at != NOWHERE)
		*cursor = at;
	json_t *secfixes = json_object_get(pkg, "secfixes");
	if (!secfixes || json_is_null(secfixes))
		return BOSUN_OK;
	if (!json_is_object(secfixes))
		return fail(d, e, at, "secfixes is not a mapping of version to ids", name);
	const char *pname = arena_strdup(&d->a->arena, name);
	if (!pname)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	const char *ver;
	json_t *ids;
	json_object_foreach(secfixes, ver, ids)
	{
		TRY(add_version(d, pname, at, ver, ids, e));
	}
	return BOSUN_OK;
}

static int add_doc(struct doc *d, json_t *root, struct berr *e)
{
	if (!json_is_object(root))
		return fail(d, e, NOWHERE, "expected a mapping with distroversion and packages", NULL);
	const char *dv = json_str(root, "distroversion");
	if (!dv)
		return fail(d, e, locate_key(d, "distroversion", 0), "missing or non-string distroversion", NULL);
	if (!(d->ecosystem = branch_key(&d->a->arena, dv)))
		return fail(d, e, locate_key(d, "distroversion", 0), "bad distroversion", dv);
	json_t *pkgs = json_object_get(root, "packages");
	if (json_is_null(pkgs))
		return BOSUN_OK; /* "packages:" with none (v3.3 community) */
	if (!json_is_array(pkgs))
		return fail(d, e, locate_key(d, "packages", 0), "packages is not a list", NULL);
	size_t i, cursor = locate_key(d, "packages", 0);
	if (cursor == NOWHERE)
		cursor = 0;
	json_t *entry;
	json_array_foreach(pkgs, i, entry)
	{
		TRY(add_package(d, i, entry, &cursor, e));
	}
	return BOSUN_OK;
}

int alpine_secdb_add(struct alpine_secdb *a, const char *file, const char *data, size_t n, struct berr *e)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)data[i]))
		i++;
	json_t *root;
	if (i < n && data[i] == '{')
		TRY(json_parse_bounded(data, n, ALP_JSON_DEPTH, file, &root, e));
	else
		TRY(yaml_json_parse(data, n, NULL, file, &root, e));
	struct doc d = { a, file, data, arena_strdup(&a->arena, file), n, NULL };
	int rc = d.file_copy ? add_doc(&d, root, e) : berr_set(e, BOSUN_ENOMEM, "out of memory");
	json_decref(root);
	return rc;
}

/* ---- records ------------------------------------------------------------ */

static int fix_cmp(const void *x, const void *y)
{
	const struct alp_fix *a = x, *b = y;
	int c = strcmp(a->ecosystem, b->ecosystem);
	if (!c)
		c = strcmp(a->package, b->package);
	if (!c)
		c = strcmp(a->id, b->id);
	return c;
}

static int put_vuln_once(struct alpine_secdb *a, const struct feed_sink *s, struct import_stats *st, const char *id,
			 struct berr *e)
{
	if (strmap_get(&a->vulns, id))
		return BOSUN_OK;
	if (strmap_put(&a->vulns, id, (void *)id) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	struct vuln_record v = { .id = id };
	TRY(s->vuln(s->ctx, &v, e));
	st->vulns++;
	return BOSUN_OK;
}

/* One (branch, package, id): fixed in every listed version (a CVE listed
 * twice was fixed again, e.g. after an incomplete fix: each version is a
 * range and the matcher takes the lowest above the installed one), or not
 * affected when "0" is all it has. */
static int put_group(struct alpine_secdb *a, const struct alp_fix *f, size_t n, const struct feed_sink *s,
		     struct import_stats *st, struct berr *e)
{
	struct affect_range ranges[ALP_MAX_RANGES];
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = !f[i].version;
		for (size_t j = 0; j < nr && !dup; j++)
			dup = strcmp(ranges[j].fixed, f[i].version) == 0;
		if (dup)
			continue;
		if (nr == ALP_MAX_RANGES)
			return berr_set(e, BOSUN_ELIMIT, "fixed in more than %d versions", ALP_MAX_RANGES);
		ranges[nr++] = (struct affect_range){ .fixed = f[i].version };
	}
	TRY(put_vuln_once(a, s, st, f->id, e));
	struct affected_record r = {
		.vuln_id = f->id,
		.ecosystem = f->ecosystem,
		.package = f->package,
		.status = nr ? AFFECT_FIXED : AFFECT_NOT_AFFECTED,
		.ranges = nr ? ranges : NULL,
		.nranges = nr,
	};
	TRY(s->affected(s->ctx, &r, e));
	st->affected++;
	return BOSUN_OK;
}

int alpine_secdb_flush(struct alpine_secdb *a, const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	if (a->nfixes) /* qsort's base may not be NULL */
		qsort(a->fixes, a->nfixes, sizeof *a->fixes, fix_cmp);
	for (size_t i = 0; i < a->nfixes;) {
		size_t j = i + 1;
		while (j < a->nfixes && fix_cmp(&a->fixes[i], &a->fixes[j]) == 0)
			j++;
		int rc = put_group(a, a->fixes + i, j - i, s, st, e);
		if (rc != BOSUN_OK)
			return berr_wrap(e, rc, "%s: %s %s", a->fixes[i].file, a->fixes[i].package, a->fixes[i].id);
		i = j;
	}
	a->nfixes = 0;
	return BOSUN_OK;
}

/* ---- the tree ----------------------------------------------------------- */

static const char *const doc_names[] = { "main.yaml", "community.yaml", "testing.yaml",
					 "main.json", "community.json", "testing.json" };

struct files {
	char **v;
	size_t n;
	char newest[11];
};

static int files_add(struct files *fs, const char *path)
{
	char **q = realloc(fs->v, (fs->n + 1) * sizeof *q);
	if (!q)
		return BOSUN_ENOMEM;
	fs->v = q;
	if (!(q[fs->n] = strdup(path)))
		return BOSUN_ENOMEM;
	fs->n++;
	char d[11];
	if (feed_mtime_date(path, d) && strcmp(d, fs->newest) > 0)
		memcpy(fs->newest, d, 11);
	return BOSUN_OK;
}

static void files_free(struct files *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i]);
	free(fs->v);
}

/* The secdb documents of one branch directory. */
static int scan_branch(const char *dir, struct files *fs)
{
	for (size_t i = 0; i < sizeof doc_names / sizeof doc_names[0]; i++) {
		char p[4096];
		if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, doc_names[i]) < sizeof p && feed_is_file(p))
			TRY(files_add(fs, p));
	}
	return BOSUN_OK;
}

/* dir itself as a branch, and its v3.x/ and edge/ subdirectories. */
static int scan(const char *dir, struct files *fs)
{
	TRY(scan_branch(dir, fs));
	struct feed_dir d;
	if (feed_dir_list(dir, FEED_MAX_DIR, &d, NULL) != BOSUN_OK)
		return BOSUN_OK;
	int rc = BOSUN_OK;
	for (size_t i = 0; i < d.n && rc == BOSUN_OK; i++) {
		const char *name = d.ents[i].name;
		bool branch = (name[0] == 'v' && isdigit((unsigned char)name[1])) || strcmp(name, "edge") == 0;
		char p[4096];
		if (d.ents[i].is_dir && branch && (size_t)snprintf(p, sizeof p, "%s/%s", dir, name) < sizeof p)
			rc = scan_branch(p, fs);
	}
	feed_dir_free(&d);
	return rc;
}

int alpine_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	struct files fs = { 0 };
	struct alpine_secdb *a = NULL;
	struct buf b = { 0 };
	int rc = scan(dir, &fs);
	if (rc != BOSUN_OK)
		rc = berr_set(e, rc, "%s: out of memory", dir);
	else if (!fs.n)
		rc = berr_set(e, BOSUN_ENOTFOUND, "%s: no Alpine secdb documents", dir);
	if (rc == BOSUN_OK && (rc = alpine_secdb_new(&a)) != BOSUN_OK)
		berr_set(e, rc, "out of memory");
	/* The secdb carries no dates: the files' newest mtime stands in. */
	if (rc == BOSUN_OK)
		rc = s->begin(s->ctx, fs.newest, e);
	for (size_t i = 0; i < fs.n && rc == BOSUN_OK; i++) {
		if ((rc = feed_read_file(fs.v[i], FEED_MAX_FILE, &b, e)) == BOSUN_OK)
			rc = alpine_secdb_add(a, fs.v[i], b.data, b.len, e);
		st->files++;
	}
	if (rc == BOSUN_OK)
		rc = alpine_secdb_flush(a, s, st, e);
	alpine_secdb_free(a);
	buf_free(&b);
	files_free(&fs);
	return rc;
}

/* ---- the importer ------------------------------------------------------- */

static bool alpine_detect(const char *dir)
{
	struct files fs = { 0 };
	bool found = scan(dir, &fs) == BOSUN_OK && fs.n > 0;
	/* A lone main.json elsewhere is not necessarily a secdb: require the
	 * secdb's own key. */
	if (found) {
		FILE *f = fopen(fs.v[0], "rb");
		char head[4096] = "";
		size_t got = f ? fread(head, 1, sizeof head - 1, f) : 0;
		if (f)
			fclose(f);
		head[got] = '\0';
		found = strstr(head, "distroversion") != NULL;
	}
	files_free(&fs);
	return found;
}

static int alpine_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	struct feed_db f = { .db = db, .src = { .name = "alpine-secdb", .origin = dir } };
	struct feed_sink s = feed_db_sink(&f);
	int rc = alpine_import_dir(dir, &s, st, e);
	return feed_db_finish(&f, rc, e);
}

const struct importer importer_alpine = { "alpine", alpine_detect, alpine_import };
