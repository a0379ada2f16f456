/* FriendsOfPHP security-advisories: <vendor>/<package>/ADVISORY.yaml with
 * `reference: composer://vendor/package` and per-branch version lists
 * (`branches: {2.0.x: {versions: ['>=2.0.0', '<2.0.6']}}`), each list an AND
 * of Composer comparators.
 *
 * One range per branch, as the feed states them, except that a branch
 * ending exactly where another starts is joined to it: bosun has no Composer
 * version scheme to merge overlapping branches with, and overlaps do not
 * change what matches. Details: docs/feeds-lang.md. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/yaml_json.h"
#include "vulndb/feedfs.h"
#include "vulndb/lang_feed.h"

#define REF_PREFIX "composer://"

/* "vendor/package", lowercased (Composer names are case-insensitive). */
static int package_name(struct lang_doc *d, const char *ref, const char **out)
{
	size_t pl = strlen(REF_PREFIX);
	if (strncmp(ref, REF_PREFIX, pl) != 0)
		return lang_error(d, BOSUN_EFORMAT, "reference", "expected composer://vendor/package");
	const char *name = ref + pl;
	size_t n = strlen(name), slashes = 0;
	if (n == 0 || n > 256)
		return lang_error(d, BOSUN_EFORMAT, "reference", "bad package name");
	char *low = arena_strdup(&d->arena, name);
	if (!low)
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)low[i];
		slashes += c == '/';
		if (!(isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.'))
			return lang_error(d, BOSUN_EFORMAT, "reference", "bad package name");
		low[i] = (char)tolower(c);
	}
	if (slashes != 1 || low[0] == '/' || low[n - 1] == '/')
		return lang_error(d, BOSUN_EFORMAT, "reference", "expected vendor/package");
	*out = low;
	return BOSUN_OK;
}

/* Ids are keys in reports and ignore files: plain ASCII, no blanks. */
static bool id_chars(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/* The CVE when there is one; else a GHSA or CVE named file keeps its name;
 * else the file is only unique within its package:
 * "FRIENDSOFPHP-vendor/package/2012-11-08". */
static int advisory_id(struct lang_doc *d, const char *cve, const char *package, const char **out)
{
	if (cve) {
		if (strncmp(cve, "CVE-", 4) != 0 || !id_chars(cve, strlen(cve)))
			return lang_error(d, BOSUN_EFORMAT, "cve", "not a CVE id");
		*out = cve;
		return BOSUN_OK;
	}
	const char *base = strrchr(d->file, '/');
	base = base ? base + 1 : d->file;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	if (!id_chars(base, n))
		return lang_error(d, BOSUN_EFORMAT, NULL, "file name unfit for an advisory id");
	if (strncmp(base, "GHSA-", 5) == 0 || strncmp(base, "CVE-", 4) == 0)
		*out = arena_strndup(&d->arena, base, n);
	else
		*out = arena_printf(&d->arena, "FRIENDSOFPHP-%s/%.*s", package, (int)n, base);
	return *out ? BOSUN_OK : lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
}

/* Collected over the branches. */
struct branches {
	struct cr_interval *iv;
	size_t n, cap;
	struct buf text;       /* "2.0.x: >=2.0.0, <2.0.6; ..." for notes */
	const char *published; /* earliest branch time */
};

static int branch(struct lang_doc *d, const struct cr_ctx *c, const char *name, const json_t *b, struct branches *out)
{
	if (!json_is_object(b))
		return lang_error(d, BOSUN_EFORMAT, name, "expected a mapping with versions");
	const char *time;
	const char **vers;
	size_t nv;
	TRY(lang_str(d, b, "time", false, &time));
	TRY(lang_str_list(d, b, "versions", false, &vers, &nv));
	if (nv == 0)
		return lang_error(d, BOSUN_EFORMAT, name, "no versions");
	lang_note_date(d->run, time);
	if (time && (!out->published || strcmp(time, out->published) < 0))
		out->published = time;
	/* The AND of the list, starting from every version. */
	struct cr_interval all = { { NULL, false }, { NULL, false } };
	struct cr_set acc = { &all, 1 };
	int rc = buf_printf(&out->text, "%s%s:", out->text.len ? "; " : "", name);
	for (size_t i = 0; i < nv && rc == BOSUN_OK; i++) {
		struct cr_set one;
		rc = cr_parse(c, vers[i], &one, d->e);
		if (rc == BOSUN_OK)
			rc = cr_intersect(c, &acc, &one, &acc, d->e);
		if (rc != BOSUN_OK)
			return lang_error(d, rc, name, "%s", d->e->msg);
		rc = buf_printf(&out->text, "%s %s", i ? "," : "", vers[i]);
	}
	if (rc != BOSUN_OK)
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < acc.n; i++) {
		if (out->n >= out->cap)
			return lang_error(d, BOSUN_ELIMIT, "branches", "more than %zu ranges", out->cap);
		out->iv[out->n++] = acc.iv[i];
	}
	return BOSUN_OK;
}

/* Joins [a, b) and [b, c) into [a, c) (also [a, b] and (b, c)), which
 * needs no version order when both are non-empty: symfony lists one branch
 * per minor release, each ending where the next starts. Other overlaps stay. */
static void join_adjacent(struct lang_doc *d, struct branches *b)
{
	bool *gone = arena_alloc(&d->arena, (b->n ? b->n : 1) * sizeof *gone);
	if (!gone)
		return; /* joining is cosmetic: the ranges stay correct without it */
	memset(gone, 0, (b->n ? b->n : 1) * sizeof *gone);
	for (size_t i = 0; i < b->n; i++) {
		struct cr_interval *x = &b->iv[i];
		/* Follow the chain: each join removes one range, so this is O(n^2). */
		for (size_t j = 0; !gone[i] && j < b->n; j++) {
			const struct cr_interval *y = &b->iv[j];
			if (j == i || gone[j] || !x->hi.v || !y->lo.v || x->hi.incl == y->lo.incl ||
			    strcmp(x->hi.v, y->lo.v) != 0)
				continue;
			x->hi = y->hi;
			gone[j] = true;
			j = (size_t)-1; /* x now ends elsewhere: search again */
		}
	}
	size_t w = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!gone[i])
			b->iv[w++] = b->iv[i];
	b->n = w;
}

static int advisory(struct lang_doc *d, const json_t *root)
{
	TRY(lang_need_object(d, root));
	const char *title, *link, *cve, *ref, *package = NULL, *id = NULL;
	TRY(lang_str(d, root, "title", true, &title));
	TRY(lang_str(d, root, "link", false, &link));
	TRY(lang_str(d, root, "cve", false, &cve));
	TRY(lang_str(d, root, "reference", true, &ref));
	TRY(package_name(d, ref, &package));
	TRY(advisory_id(d, cve, package, &id));
	const json_t *br = json_object_get(root, "branches");
	if (!json_is_object(br) || json_object_size(br) == 0)
		return lang_error(d, BOSUN_EFORMAT, "branches", "expected a mapping of branches");
	if (json_object_size(br) > LANG_MAX_LIST)
		return lang_error(d, BOSUN_ELIMIT, "branches", "more than %d branches", LANG_MAX_LIST);
	struct cr_ctx c = { CR_COMPOSER, NULL, &d->arena };
	/* Two ranges per branch at most (one "!=" splits a range in two). */
	size_t cap = json_object_size(br) * 2;
	struct branches b = { arena_alloc(&d->arena, cap * sizeof *b.iv), 0, cap, { 0 }, NULL };
	int rc = b.iv ? BOSUN_OK : lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)br, name, v) {
		if (rc == BOSUN_OK)
			rc = branch(d, &c, name, v, &b);
	}
	const char *text = rc == BOSUN_OK ? arena_strdup(&d->arena, b.text.data ? b.text.data : "") : NULL;
	buf_free(&b.text);
	TRY(rc);
	char published[11] = "";
	if (b.published && strlen(b.published) >= 10)
		snprintf(published, sizeof published, "%.10s", b.published);
	const char *refs[1] = { link };
	struct vuln_record rec = {
		.id = id,
		.summary = title,
		.published = published[0] ? published : NULL,
		.references = refs,
		.nreferences = link ? 1 : 0,
	};
	TRY(lang_put_vuln(d, &rec));
	join_adjacent(d, &b);
	struct cr_set set = { b.iv, b.n };
	struct lang_affected a = {
		.vuln_id = id,
		.ecosystem = "packagist",
		.package = package,
		.cr = &c,
		.set = &set,
		.constraint = text,
	};
	return lang_put_affected(d, &a);
}

int friendsofphp_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e)
{
	struct berr local;
	if (!e)
		e = &local;
	struct lang_doc d = { run, file, data, n, { 0 }, e };
	json_t *root = NULL;
	int rc = yaml_json_parse(data, n, NULL, file, &root, e);
	if (rc == BOSUN_OK)
		rc = advisory(&d, root);
	json_decref(root);
	arena_free(&d.arena);
	return rc;
}

/* The first vendor/package/ADVISORY.yaml found says "composer://". */
static bool friendsofphp_detect(const char *dir)
{
	char p[4096];
	struct feed_dir vendors = { 0 }, pkgs = { 0 }, files = { 0 };
	bool yes = false;
	if (feed_dir_list(dir, LANG_MAX_FILES, &vendors, NULL) != BOSUN_OK)
		return false;
	for (size_t i = 0; i < vendors.n && !yes; i++) {
		if (!vendors.ents[i].is_dir || feed_join(p, sizeof p, dir, vendors.ents[i].name, NULL) != BOSUN_OK ||
		    feed_dir_list(p, LANG_MAX_FILES, &pkgs, NULL) != BOSUN_OK)
			continue;
		char q[4096];
		if (pkgs.n && pkgs.ents[0].is_dir && feed_join(q, sizeof q, p, pkgs.ents[0].name, NULL) == BOSUN_OK &&
		    feed_dir_list(q, LANG_MAX_FILES, &files, NULL) == BOSUN_OK) {
			static const char *const yaml[] = { ".yaml", NULL };
			for (size_t k = 0; k < files.n && !yes; k++) {
				struct buf b = { 0 };
				if (!files.ents[k].is_dir && feed_has_ext(files.ents[k].name, yaml) &&
				    feed_join(p, sizeof p, q, files.ents[k].name, NULL) == BOSUN_OK &&
				    feed_read_file(p, LANG_MAX_FILE, &b, NULL) == BOSUN_OK && b.data)
					yes = strstr(b.data, "reference: " REF_PREFIX) != NULL;
				buf_free(&b);
				break; /* one file decides */
			}
			feed_dir_free(&files);
		}
		feed_dir_free(&pkgs);
		break; /* one vendor decides */
	}
	feed_dir_free(&vendors);
	return yes;
}

static int friendsofphp_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	static const char *const yaml[] = { ".yaml", NULL };
	static const struct lang_part parts[] = { { NULL, yaml, friendsofphp_parse, NULL } };
	return lang_import(db, dir, "friendsofphp", "Unlicense", parts, 1, st, e);
}

const struct importer importer_friendsofphp = { "friendsofphp", friendsofphp_detect, friendsofphp_import };
