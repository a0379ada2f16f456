/* importer_osv: OSV feeds (Go vulndb, PyPA, RustSec's osv branch, GHSA,
 * AlmaLinux, any osv.dev ecosystem export), one source per feed directory. */
#include "vulndb/feedfs.h"
#include "vulndb/osv.h"
#include "util/json.h"
#include "util/yaml_json.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define OSV_MAX_DEPTH 64        /* JSON/YAML nesting */
#define OSV_MAX_AFFECTED 100000 /* affected[] entries in one document */
#define OSV_MAX_EVENTS 10000    /* events in one range */
#define OSV_MAX_RANGES 4096
#define OSV_MAX_LIST 100000     /* versions, aliases, references */
#define OSV_WALK_DEPTH 8
#define OSV_MAX_FILES 1000000

static const char *const osv_exts[] = { ".json", ".yaml", ".yml", NULL };

/* ---- typed access with error paths -------------------------------------- */

/* Parsing state of one document. */
struct doc {
	const char *what;
	struct arena ar;
	struct berr *e;
};

static int type_error(struct doc *d, const char *path, const char *want)
{
	return berr_set(d->e, BOSUN_EFORMAT, "%s: %s: expected %s", d->what, path, want);
}

/* *out = the string member, NULL when absent; an error when of another type. */
static int get_str(struct doc *d, const json_t *obj, const char *key, const char *path, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_string(v))
		return type_error(d, path, "a string");
	*out = json_string_value(v);
	return BOSUN_OK;
}

static int get_typed(struct doc *d, const json_t *obj, const char *key, const char *path, bool array, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (array ? !json_is_array(v) : !json_is_object(v))
		return type_error(d, path, array ? "an array" : "an object");
	*out = v;
	return BOSUN_OK;
}

/* A list of strings (aliases, versions) into an arena array. */
static int str_list(struct doc *d, const json_t *arr, const char *path, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return BOSUN_OK;
	size_t len = json_array_size(arr);
	if (len > OSV_MAX_LIST)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: %s: more than %d entries", d->what, path, OSV_MAX_LIST);
	const char **v = arena_alloc(&d->ar, (len ? len : 1) * sizeof *v);
	if (!v)
		return berr_set(d->e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_t *s = json_array_get(arr, i);
		if (!json_is_string(s)) {
			char p[128];
			snprintf(p, sizeof p, "%s[%zu]", path, i);
			return type_error(d, p, "a string");
		}
		if (!*json_string_value(s))
			return berr_set(d->e, BOSUN_EFORMAT, "%s: %s[%zu]: empty string", d->what, path, i);
		v[(*n)++] = json_string_value(s);
	}
	*out = v;
	return BOSUN_OK;
}

/* ---- ecosystems and names ------------------------------------------------ */

static bool release_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return false;
	return true;
}

/* "Distro:RELEASE[:LTS]" -> "key:RELEASE". */
static bool distro_key(const char *osv, const char *prefix, const char *key, bool strip_v, char *buf, size_t n)
{
	size_t pl = strlen(prefix);
	if (strncmp(osv, prefix, pl) || osv[pl] != ':')
		return false;
	char rel[32];
	const char *r = osv + pl + 1;
	if (strip_v && *r == 'v')
		r++;
	if (snprintf(rel, sizeof rel, "%s", r) >= (int)sizeof rel)
		return false;
	char *lts = strstr(rel, ":LTS");
	if (lts && !lts[4])
		*lts = '\0';
	if (!release_ok(rel))
		return false; /* "Ubuntu:Pro:18.04:LTS" and the like: other fix streams */
	return snprintf(buf, n, "%s:%s", key, rel) < (int)n;
}

bool osv_ecosystem_key(const char *osv, char *buf, size_t n)
{
	static const struct {
		const char *osv, *key;
	} plain[] = {
		{ "Go", "go" },		{ "PyPI", "pypi" },	  { "crates.io", "crates.io" }, { "npm", "npm" },
		{ "Maven", "maven" },	{ "RubyGems", "rubygems" }, { "Packagist", "packagist" }, { "NuGet", "nuget" },
	};
	static const struct {
		const char *prefix, *key;
		bool strip_v;
	} distros[] = {
		{ "AlmaLinux", "almalinux", false }, { "Rocky Linux", "rocky", false }, { "Debian", "debian", false },
		{ "Alpine", "alpine", true },	     { "Ubuntu", "ubuntu", false },
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (!strcmp(osv, plain[i].osv))
			return snprintf(buf, n, "%s", plain[i].key) < (int)n;
	for (size_t i = 0; i < sizeof distros / sizeof distros[0]; i++)
		if (distro_key(osv, distros[i].prefix, distros[i].key, distros[i].strip_v, buf, n))
			return true;
	return false;
}

/* PEP 503: lower case, runs of "-", "_", "." become one "-". */
static bool pep503(const char *name, char *buf, size_t n)
{
	size_t o = 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (c == '-' || c == '_' || c == '.') {
			if (o && buf[o - 1] == '-')
				continue;
			c = '-';
		}
		if (o + 1 >= n)
			return false;
		buf[o++] = (char)tolower((unsigned char)c);
	}
	buf[o] = '\0';
	return true;
}

bool osv_package_name(const char *key, const char *name, char *buf, size_t n)
{
	if (!strcmp(key, "pypi"))
		return pep503(name, buf, n);
	if (snprintf(buf, n, "%s", name) >= (int)n)
		return false;
	if (!strcmp(key, "packagist") || !strcmp(key, "nuget"))
		for (char *p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return true;
}

static bool is_rpm_distro(const char *key)
{
	return !strncmp(key, "almalinux:", 10) || !strncmp(key, "rocky:", 6);
}

/* ---- ranges -------------------------------------------------------------- */

/* Pairs events in order: an `introduced` opens a range, the next `fixed` or
 * `last_affected` closes it (a close without an open starts at the
 * beginning); a range left open is unbounded. `limit` bounds every range of
 * the list. Feeds write events in version order; sorting them would need
 * the ecosystem's version scheme, which the matcher applies later. */
static int events_to_ranges(struct doc *d, const json_t *events, const char *path, struct affect_range *out,
			    size_t cap, size_t *n)
{
	size_t len = json_array_size(events), first = *n;
	if (len > OSV_MAX_EVENTS)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: %s: more than %d events", d->what, path, OSV_MAX_EVENTS);
	const char *open = NULL, *limit = NULL;
	bool is_open = false;
	for (size_t i = 0; i < len; i++) {
		json_t *ev = json_array_get(events, i);
		char p[160];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!json_is_object(ev))
			return type_error(d, p, "an object");
		const char *intro, *fixed, *last, *lim;
		TRY(get_str(d, ev, "introduced", p, &intro));
		TRY(get_str(d, ev, "fixed", p, &fixed));
		TRY(get_str(d, ev, "last_affected", p, &last));
		TRY(get_str(d, ev, "limit", p, &lim));
		if ((intro != NULL) + (fixed != NULL) + (last != NULL) + (lim != NULL) != 1)
			return berr_set(d->e, BOSUN_EFORMAT, "%s: %s: expected one of introduced, fixed, last_affected, limit",
					d->what, p);
		const char *v = intro ? intro : fixed ? fixed : last ? last : lim;
		if (!*v)
			return berr_set(d->e, BOSUN_EFORMAT, "%s: %s: empty version", d->what, p);
		if (lim) {
			limit = lim;
		} else if (intro) {
			if (!is_open)
				open = intro, is_open = true;
		} else {
			if (*n >= cap)
				return berr_set(d->e, BOSUN_ELIMIT, "%s: %s: more than %zu ranges", d->what, path, cap);
			out[(*n)++] = (struct affect_range){ .introduced = is_open ? open : "0", .fixed = fixed,
							     .last_affected = last };
			is_open = false;
		}
	}
	if (is_open) {
		if (*n >= cap)
			return berr_set(d->e, BOSUN_ELIMIT, "%s: %s: more than %zu ranges", d->what, path, cap);
		out[(*n)++] = (struct affect_range){ .introduced = open };
	}
	for (size_t i = first; i < *n; i++)
		out[i].limit = limit;
	return BOSUN_OK;
}

/* affected[i].ranges -> rows' ranges; GIT (commit hashes) and unknown types
 * are left out: the matcher compares package versions. */
static int convert_ranges(struct doc *d, const json_t *ranges, const char *path, struct affect_range **out,
			  size_t *n, bool *had_any)
{
	*out = NULL;
	*n = 0;
	*had_any = false;
	if (!ranges)
		return BOSUN_OK;
	size_t len = json_array_size(ranges), cap = 0;
	for (size_t i = 0; i < len; i++) {
		json_t *ev = json_object_get(json_array_get(ranges, i), "events");
		cap += json_is_array(ev) ? json_array_size(ev) : 0;
	}
	if (cap > OSV_MAX_RANGES)
		cap = OSV_MAX_RANGES;
	struct affect_range *r = arena_alloc(&d->ar, (cap ? cap : 1) * sizeof *r);
	if (!r)
		return berr_set(d->e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_t *rg = json_array_get(ranges, i);
		char p[128];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!json_is_object(rg))
			return type_error(d, p, "an object");
		*had_any = true;
		const char *type;
		json_t *events;
		TRY(get_str(d, rg, "type", p, &type));
		char pe[140];
		snprintf(pe, sizeof pe, "%s.events", p);
		TRY(get_typed(d, rg, "events", pe, true, &events));
		if (!type || !events)
			return berr_set(d->e, BOSUN_EFORMAT, "%s: %s: range without type or events", d->what, p);
		if (strcmp(type, "ECOSYSTEM") && strcmp(type, "SEMVER"))
			continue;
		TRY(events_to_ranges(d, events, pe, r, cap, n));
	}
	*out = r;
	return BOSUN_OK;
}

/* ---- severity ------------------------------------------------------------ */

struct vectors {
	const char *cvss3, *cvss4;
	enum vuln_severity rating; /* a "Ubuntu"-type entry: the feed's own rating */
};

/* severity[] entries: {type, score}; CVSS_V2 and unknown types are ignored. */
static int read_severity(struct doc *d, const json_t *arr, const char *path, struct vectors *v)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *s = json_array_get(arr, i);
		char p[128];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!json_is_object(s))
			return type_error(d, p, "an object");
		const char *type, *score;
		TRY(get_str(d, s, "type", p, &type));
		TRY(get_str(d, s, "score", p, &score));
		if (!type || !score)
			continue;
		if (!strcmp(type, "CVSS_V3") && !v->cvss3 && !strncmp(score, "CVSS:3.", 7))
			v->cvss3 = score;
		else if (!strcmp(type, "CVSS_V4") && !v->cvss4 && !strncmp(score, "CVSS:4.", 7))
			v->cvss4 = score;
		else if (!strcmp(type, "Ubuntu") && v->rating == SEV_UNKNOWN)
			vuln_severity_parse(score, &v->rating);
	}
	return BOSUN_OK;
}

/* database_specific.severity or ecosystem_specific.severity as a rating. */
static int specific_severity(struct doc *d, const json_t *obj, const char *path, enum vuln_severity *out)
{
	static const char *const keys[] = { "database_specific", "ecosystem_specific" };
	for (size_t k = 0; k < 2; k++) {
		json_t *spec;
		char p[128];
		snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", keys[k]);
		TRY(get_typed(d, obj, keys[k], p, false, &spec));
		json_t *sev = spec ? json_object_get(spec, "severity") : NULL;
		/* only a plain string rating counts; some feeds nest other shapes here */
		if (json_is_string(sev) && vuln_severity_parse(json_string_value(sev), out) == BOSUN_OK)
			return BOSUN_OK;
	}
	return BOSUN_OK;
}

/* Red Hat and its rebuilds rate an erratum in its title:
 * "Important: kernel security update". */
static enum vuln_severity summary_rating(const char *summary)
{
	static const char *const words[] = { "Critical", "Important", "Moderate", "Low" };
	for (size_t i = 0; summary && i < 4; i++) {
		size_t n = strlen(words[i]);
		enum vuln_severity s;
		if (!strncmp(summary, words[i], n) && summary[n] == ':' && !vuln_severity_parse(words[i], &s))
			return s;
	}
	return SEV_UNKNOWN;
}

/* ---- affected ------------------------------------------------------------ */

struct vuln_ctx {
	const char *id;
	struct vectors vec; /* from affected[].severity when the top level has none */
	bool rpm_distro;
	struct import_stats *st;
};

static int import_affected(struct vulndb *db, struct doc *d, struct vuln_ctx *vc, const json_t *a, size_t idx)
{
	char path[64];
	snprintf(path, sizeof path, "affected[%zu]", idx);
	if (!json_is_object(a))
		return type_error(d, path, "an object");
	json_t *pkg, *ranges, *versions, *sev;
	char p[96];
	snprintf(p, sizeof p, "%s.package", path);
	TRY(get_typed(d, a, "package", p, false, &pkg));
	const char *eco = NULL, *name = NULL;
	if (pkg) {
		TRY(get_str(d, pkg, "ecosystem", p, &eco));
		TRY(get_str(d, pkg, "name", p, &name));
	}
	char key[64], pname[1100];
	if (!eco || !name || !*name || !osv_ecosystem_key(eco, key, sizeof key)) {
		vc->st->skipped++; /* no package, or an ecosystem we do not match */
		return BOSUN_OK;
	}
	if (!osv_package_name(key, name, pname, sizeof pname))
		return berr_set(d->e, BOSUN_ELIMIT, "%s: %s.name: longer than %zu bytes", d->what, p, sizeof pname - 1);
	vc->rpm_distro |= is_rpm_distro(key);
	snprintf(p, sizeof p, "%s.ranges", path);
	TRY(get_typed(d, a, "ranges", p, true, &ranges));
	struct affect_range *r;
	size_t nr;
	bool had_ranges;
	TRY(convert_ranges(d, ranges, p, &r, &nr, &had_ranges));
	snprintf(p, sizeof p, "%s.versions", path);
	TRY(get_typed(d, a, "versions", p, true, &versions));
	const char **v;
	size_t nv;
	TRY(str_list(d, versions, p, &v, &nv));
	snprintf(p, sizeof p, "%s.severity", path);
	TRY(get_typed(d, a, "severity", p, true, &sev));
	TRY(read_severity(d, sev, p, &vc->vec));
	if (nr == 0 && nv == 0) {
		vc->st->skipped++; /* only GIT ranges, or nothing: no version statement to match */
		return BOSUN_OK;
	}
	struct affected_record rec = {
		.vuln_id = vc->id, .ecosystem = key, .package = pname, .status = AFFECT_AFFECTED,
		.ranges = r, .nranges = nr, .versions = v, .nversions = nv,
	};
	for (size_t i = 0; i < nr; i++)
		if (r[i].fixed)
			rec.status = AFFECT_FIXED;
	TRY(specific_severity(d, a, path, &rec.severity));
	int rc = vulndb_put_affected(db, &rec, d->e);
	if (rc)
		return berr_wrap(d->e, rc, "%s: %s", d->what, path);
	vc->st->affected++;
	return BOSUN_OK;
}

/* ---- the document -------------------------------------------------------- */

/* aliases[] and upstream[] (OSV 1.6) both name the same vulnerability;
 * related[] names other ones and is not an alias: it is kept apart (an
 * ALSA's related CVEs are the ones it fixes, a Go advisory's similar bugs). */
static int read_aliases(struct doc *d, const json_t *doc, const char ***out, size_t *n)
{
	json_t *al, *up;
	TRY(get_typed(d, doc, "aliases", "aliases", true, &al));
	TRY(get_typed(d, doc, "upstream", "upstream", true, &up));
	const char **a, **u;
	size_t na, nu;
	TRY(str_list(d, al, "aliases", &a, &na));
	TRY(str_list(d, up, "upstream", &u, &nu));
	const char **all = arena_alloc(&d->ar, (na + nu + 1) * sizeof *all);
	if (!all)
		return berr_set(d->e, BOSUN_ENOMEM, "out of memory");
	if (na)
		memcpy(all, a, na * sizeof *all);
	if (nu)
		memcpy(all + na, u, nu * sizeof *all);
	*out = all;
	*n = na + nu;
	return BOSUN_OK;
}

static int read_refs(struct doc *d, const json_t *doc, const char ***out, size_t *n)
{
	json_t *refs;
	*out = NULL;
	*n = 0;
	TRY(get_typed(d, doc, "references", "references", true, &refs));
	size_t len = json_array_size(refs);
	if (len > OSV_MAX_LIST)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: references: more than %d entries", d->what, OSV_MAX_LIST);
	const char **v = arena_alloc(&d->ar, (len ? len : 1) * sizeof *v);
	if (!v)
		return berr_set(d->e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_t *r = json_array_get(refs, i);
		char p[64];
		snprintf(p, sizeof p, "references[%zu]", i);
		if (!json_is_object(r))
			return type_error(d, p, "an object");
		const char *url;
		TRY(get_str(d, r, "url", p, &url));
		if (url)
			v[(*n)++] = url;
	}
	*out = v;
	return BOSUN_OK;
}

/* Only real dates count: Go's vulndb repository writes
 * "0001-01-01T00:00:00Z" into every file (its real dates live in the
 * published index). */
static void note_modified(const char *modified, char newest[64])
{
	if (modified && strlen(modified) < 64 && strcmp(modified, "1990") > 0 && strcmp(modified, newest) > 0)
		strcpy(newest, modified);
}

static int import_vuln(struct vulndb *db, struct doc *d, const json_t *doc, struct import_stats *st, char newest[64])
{
	if (!json_is_object(doc))
		return berr_set(d->e, BOSUN_EFORMAT, "%s: not an OSV document (expected an object)", d->what);
	struct vuln_record v = { 0 };
	const char *withdrawn;
	TRY(get_str(d, doc, "id", "id", &v.id));
	if (!v.id || !*v.id)
		return berr_set(d->e, BOSUN_EFORMAT, "%s: not an OSV document (no id)", d->what);
	TRY(get_str(d, doc, "modified", "modified", &v.modified));
	TRY(get_str(d, doc, "published", "published", &v.published));
	TRY(get_str(d, doc, "withdrawn", "withdrawn", &withdrawn));
	TRY(get_str(d, doc, "summary", "summary", &v.summary));
	TRY(get_str(d, doc, "details", "details", &v.details));
	note_modified(v.modified, newest);
	if (withdrawn) {
		st->skipped++; /* retracted: must never match */
		return BOSUN_OK;
	}
	json_t *affected, *sev;
	TRY(get_typed(d, doc, "affected", "affected", true, &affected));
	TRY(get_typed(d, doc, "severity", "severity", true, &sev));
	if (json_array_size(affected) > OSV_MAX_AFFECTED)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: more than %d affected entries", d->what, OSV_MAX_AFFECTED);
	struct vectors top = { 0 };
	TRY(read_severity(d, sev, "severity", &top));
	/* affected rows first, so that their ecosystems and severities are known
	 * for the vulnerability row; one transaction holds both. */
	struct vuln_ctx vc = { .id = v.id, .st = st };
	for (size_t i = 0; i < json_array_size(affected); i++)
		TRY(import_affected(db, d, &vc, json_array_get(affected, i), i));
	const char **aliases = NULL, **refs = NULL, **related = NULL;
	json_t *rel;
	TRY(read_aliases(d, doc, &aliases, &v.naliases));
	TRY(get_typed(d, doc, "related", "related", true, &rel));
	TRY(str_list(d, rel, "related", &related, &v.nrelated));
	TRY(read_refs(d, doc, &refs, &v.nreferences));
	v.aliases = aliases;
	v.related = related;
	v.references = refs;
	v.cvss3_vector = top.cvss3 ? top.cvss3 : vc.vec.cvss3;
	v.cvss4_vector = top.cvss4 ? top.cvss4 : vc.vec.cvss4;
	TRY(specific_severity(d, doc, "", &v.severity));
	if (v.severity == SEV_UNKNOWN)
		v.severity = top.rating;
	if (v.severity == SEV_UNKNOWN && vc.rpm_distro)
		v.severity = summary_rating(v.summary);
	int rc = vulndb_put_vuln(db, &v, d->e);
	if (rc)
		return berr_wrap(d->e, rc, "%s", d->what);
	st->vulns++;
	return BOSUN_OK;
}

int osv_import_document(struct vulndb *db, const char *data, size_t n, bool yaml, const char *what,
			struct import_stats *st, char newest[64], struct berr *e)
{
	json_t *doc;
	if (yaml) {
		struct yaml_json_limits lim = yaml_json_default_limits;
		lim.max_depth = OSV_MAX_DEPTH;
		TRY(yaml_json_parse(data, n, &lim, what, &doc, e));
	} else {
		TRY(json_parse_bounded(data, n, OSV_MAX_DEPTH, what, &doc, e));
	}
	struct doc d = { .what = what, .e = e };
	int rc = import_vuln(db, &d, doc, st, newest);
	arena_free(&d.ar);
	json_decref(doc);
	return rc;
}

/* ---- detection ----------------------------------------------------------- */

/* Files that sit beside feed data in every repository and say nothing
 * about its format. */
static bool is_meta_file(const char *name)
{
	static const char *const prefixes[] = { "README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "PROVENANCE",
						"CHANGELOG", "CONTRIBUTING", "SECURITY", "CODEOWNERS", "AUTHORS" };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncasecmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

enum kind { K_EMPTY, K_OSV, K_OTHER };

/* K_OSV for a document with the two fields OSV requires (id, modified),
 * K_OTHER for any other document, K_EMPTY when it does not parse: a broken
 * advisory must not hide its feed, whose import then names the file. */
static enum kind file_kind(const char *path)
{
	struct buf b = { 0 };
	json_t *doc = NULL;
	bool yaml = !feed_has_ext(path, (const char *const[]){ ".json", NULL });
	int rc = feed_read_file(path, OSV_MAX_FILE, &b, NULL);
	if (!rc)
		rc = yaml ? yaml_json_parse(b.data, b.len, NULL, path, &doc, NULL)
			  : json_parse_bounded(b.data, b.len, OSV_MAX_DEPTH, path, &doc, NULL);
	enum kind k = rc ? K_EMPTY
			 : json_is_object(doc) && json_is_string(json_object_get(doc, "id")) &&
					   json_is_string(json_object_get(doc, "modified"))
				 ? K_OSV
				 : K_OTHER;
	json_decref(doc);
	buf_free(&b);
	return k;
}


/* Classifies a tree by sampling it: K_OSV when the files sampled are OSV
 * documents and nothing else is, K_OTHER when something else is (another
 * feed format, or a directory of several feeds). *budget bounds the files
 * read over the whole detection. */
static enum kind classify(const char *dir, int depth, int *budget)
{
	struct feed_dir d;
	if (depth < 0 || *budget <= 0 || feed_dir_list(dir, 1000000, &d, NULL))
		return K_EMPTY;
	enum kind k = K_EMPTY;
	size_t files = 0, ndirs = 0;
	char path[PATH_MAX];
	for (size_t i = 0; i < d.n && k != K_OTHER; i++) {
		if (d.ents[i].is_dir) {
			ndirs++;
			continue;
		}
		if (is_meta_file(d.ents[i].name) || files >= 4 || *budget <= 0)
			continue;
		if (feed_join(path, sizeof path, dir, d.ents[i].name, NULL))
			continue;
		files++;
		(*budget)--;
		enum kind f = feed_has_ext(d.ents[i].name, osv_exts) ? file_kind(path) : K_OTHER;
		if (f != K_EMPTY)
			k = f;
	}
	/* subdirectories: up to 16, spread over the sorted list */
	size_t step = ndirs > 16 ? ndirs / 16 : 1, seen = 0;
	for (size_t i = 0; i < d.n && k != K_OTHER; i++) {
		if (!d.ents[i].is_dir || seen++ % step)
			continue;
		if (feed_join(path, sizeof path, dir, d.ents[i].name, NULL))
			continue;
		enum kind sub = classify(path, depth - 1, budget);
		if (sub != K_EMPTY)
			k = sub == K_OTHER ? K_OTHER : K_OSV;
	}
	feed_dir_free(&d);
	return k;
}

static bool osv_detect(const char *dir)
{
	int budget = 200;
	return classify(dir, 6, &budget) == K_OSV;
}

/* ---- the importer -------------------------------------------------------- */

/* "osv:NAME" from the feed directory: its name, or its parent's when the
 * name is generic ("go-vulndb/data/osv" -> "osv:go-vulndb",
 * "rustsec/osv" -> "osv:rustsec", "almalinux-osv" -> "osv:almalinux"). */
static void source_name(const char *dir, char *out, size_t n)
{
	static const char *const generic[] = { "osv", "data", "vulns", "advisories", "crates", "github-reviewed",
						"all", NULL };
	char path[PATH_MAX];
	if (!realpath(dir, path))
		snprintf(path, sizeof path, "%s", dir);
	for (;;) {
		char *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;
		bool is_generic = false;
		for (const char *const *g = generic; *g; g++)
			is_generic |= !strcmp(base, *g);
		if (!is_generic || !slash || slash == path || !*base) {
			char name[256];
			snprintf(name, sizeof name, "%.200s", *base ? base : "osv");
			size_t len = strlen(name);
			if (len > 4 && !strcmp(name + len - 4, "-osv"))
				name[len - 4] = '\0';
			else if (len > 4 && !strncmp(name, "osv-", 4))
				memmove(name, name + 4, len - 3);
			snprintf(out, n, "osv:%s", name);
			return;
		}
		*slash = '\0';
	}
}

/* The SPDX id of a LICENSE file in the feed directory or one level below. */
static const char *sniff_license(const char *dir)
{
	static const struct {
		const char *needle, *spdx;
	} known[] = {
		{ "Attribution 4.0 International", "CC-BY-4.0" },
		{ "CC0 1.0", "CC0-1.0" },
		{ "Creative Commons 0", "CC0-1.0" },
		{ "Permission is hereby granted, free of charge", "MIT" },
		{ "This is free and unencumbered software", "Unlicense" },
	};
	static const char *const names[] = { "LICENSE", "LICENSE.txt", "LICENSE.md", "data/LICENSE", NULL };
	for (const char *const *nm = names; *nm; nm++) {
		char path[PATH_MAX];
		struct buf b = { 0 };
		const char *found = NULL;
		if (!feed_join(path, sizeof path, dir, *nm, NULL) && !feed_read_file(path, 1 << 20, &b, NULL))
			for (size_t i = 0; i < sizeof known / sizeof known[0] && !found; i++)
				if (strstr(b.data, known[i].needle))
					found = known[i].spdx;
		buf_free(&b);
		if (found)
			return found;
	}
	return NULL;
}

/* Licenses the upstream projects state for their advisories, by id prefix,
 * for feed copies that do not carry the license file. */
static const char *license_by_id(const char *id)
{
	static const struct {
		const char *prefix, *spdx;
	} known[] = {
		{ "GO-", "CC-BY-4.0" },	 { "PYSEC-", "CC-BY-4.0" }, { "GHSA-", "CC-BY-4.0" },
		{ "RUSTSEC-", "CC0-1.0" }, { "ALSA-", "MIT" },	      { "ALBA-", "MIT" }, { "ALEA-", "MIT" },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strncmp(id, known[i].prefix, strlen(known[i].prefix)))
			return known[i].spdx;
	return NULL;
}

struct walk_ctx {
	struct vulndb *db;
	struct import_stats *st;
	struct vulndb_source src;
	bool begun;
	struct buf data;
	char newest[64];
	time_t newest_mtime;
};

/* The source is opened at the first file, whose name (the advisory id, in
 * every OSV repository) names the upstream when no license file does. */
static int begin_source(struct walk_ctx *w, const char *first_path, struct berr *e)
{
	if (!w->src.license && first_path) {
		const char *base = strrchr(first_path, '/');
		w->src.license = license_by_id(base ? base + 1 : first_path);
	}
	TRY(vulndb_source_begin(w->db, &w->src, e));
	w->begun = true;
	return BOSUN_OK;
}

static int import_file(const char *path, void *ctx, struct berr *e)
{
	struct walk_ctx *w = ctx;
	if (!w->begun)
		TRY(begin_source(w, path, e));
	TRY(feed_read_file(path, OSV_MAX_FILE, &w->data, e));
	w->st->files++;
	struct stat sb;
	if (stat(path, &sb) == 0 && sb.st_mtime > w->newest_mtime)
		w->newest_mtime = sb.st_mtime;
	bool yaml = !feed_has_ext(path, (const char *const[]){ ".json", NULL });
	return osv_import_document(w->db, w->data.data, w->data.len, yaml, path, w->st, w->newest, e);
}

static int osv_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	char name[300], origin[PATH_MAX];
	source_name(dir, name, sizeof name);
	if (!realpath(dir, origin))
		snprintf(origin, sizeof origin, "%s", dir);
	struct walk_ctx w = { .db = db, .st = st };
	w.src = (struct vulndb_source){ .name = name, .origin = origin, .license = sniff_license(dir) };
	int rc = feed_walk(dir, OSV_WALK_DEPTH, osv_exts, OSV_MAX_FILES, import_file, &w, e);
	if (!rc && !w.begun)
		rc = begin_source(&w, NULL, e); /* no files: record the source, empty */
	if (!rc && !w.newest[0] && w.newest_mtime) {
		/* no advisory states a date: the files' newest time is the best bound */
		struct tm tm;
		gmtime_r(&w.newest_mtime, &tm);
		strftime(w.newest, sizeof w.newest, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (!rc && w.newest[0])
		rc = vulndb_source_set_snapshot(db, w.newest, e);
	buf_free(&w.data);
	if (!rc)
		return vulndb_source_commit(db, e);
	vulndb_source_abort(db); /* nothing of this feed stays */
	return rc;
}

const struct importer importer_osv = { "osv", osv_detect, osv_import };
