/* Ubuntu CVE tracker (UCT): one text file per CVE in active/, ignored/ and
 * retired/ (the retired ones also as retired.tar.zst, read as a stream
 * through libzstd and our tar reader, never unpacked to disk).
 *
 * A file is "Field: value" lines with indented continuation lines, and one
 * status line per release and source package:
 *     bionic_openssl: released (1.1.1-1ubuntu2.1~18.04.6)
 *     trusty/esm_openssl: needed
 * Parsing walks slices of the file; a file's status lines are collected,
 * sorted by (package, release) and resolved into one record per
 * (release, package). Mapping: docs/feeds-distro.md. */
#include "vulndb/distro_feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image/decompress.h"
#include "image/tar.h"
#include "util/strmap.h"

/* Hostile-input bounds; the largest real file (CVE-2009-3560) is 51 KB
 * with ~1,500 status lines. */
#define UCT_MAX_FILE ((size_t)4 << 20)
#define UCT_MAX_STATUS 100000
#define UCT_MAX_PRIO 10000
#define UCT_MAX_TOKEN 256
#define UCT_MAX_TEXT 8192
#define UCT_MAX_REFS 8

/* ---- releases ----------------------------------------------------------- */

static const struct {
	const char *codename, *key;
} releases[] = {
	{ "dapper", "ubuntu:6.06" },	{ "edgy", "ubuntu:6.10" },	{ "feisty", "ubuntu:7.04" },
	{ "gutsy", "ubuntu:7.10" },	{ "hardy", "ubuntu:8.04" },	{ "intrepid", "ubuntu:8.10" },
	{ "jaunty", "ubuntu:9.04" },	{ "karmic", "ubuntu:9.10" },	{ "lucid", "ubuntu:10.04" },
	{ "maverick", "ubuntu:10.10" }, { "natty", "ubuntu:11.04" },	{ "oneiric", "ubuntu:11.10" },
	{ "precise", "ubuntu:12.04" },	{ "quantal", "ubuntu:12.10" },	{ "raring", "ubuntu:13.04" },
	{ "saucy", "ubuntu:13.10" },	{ "trusty", "ubuntu:14.04" },	{ "utopic", "ubuntu:14.10" },
	{ "vivid", "ubuntu:15.04" },	{ "wily", "ubuntu:15.10" },	{ "xenial", "ubuntu:16.04" },
	{ "yakkety", "ubuntu:16.10" },	{ "zesty", "ubuntu:17.04" },	{ "artful", "ubuntu:17.10" },
	{ "bionic", "ubuntu:18.04" },	{ "cosmic", "ubuntu:18.10" },	{ "disco", "ubuntu:19.04" },
	{ "eoan", "ubuntu:19.10" },	{ "focal", "ubuntu:20.04" },	{ "groovy", "ubuntu:20.10" },
	{ "hirsute", "ubuntu:21.04" },	{ "impish", "ubuntu:21.10" },	{ "jammy", "ubuntu:22.04" },
	{ "kinetic", "ubuntu:22.10" },	{ "lunar", "ubuntu:23.04" },	{ "mantic", "ubuntu:23.10" },
	{ "noble", "ubuntu:24.04" },	{ "oracular", "ubuntu:24.10" }, { "plucky", "ubuntu:25.04" },
	{ "questing", "ubuntu:25.10" },
};
#define NRELEASES ((int)(sizeof releases / sizeof releases[0]))

static int release_find(struct slice name)
{
	for (int i = 0; i < NRELEASES; i++)
		if (slice_eq_cstr(name, releases[i].codename))
			return i;
	return -1;
}

/* "bionic" -> base line; "trusty/esm", "esm-infra/xenial", "esm-apps/focal"
 * -> the release's ESM (Ubuntu Pro) line. Everything else ("upstream",
 * "devel", "product", "snap", "vivid/ubuntu-core", fips, ...) names no
 * release an image has: -1. */
static int release_parse(struct slice r, bool *esm)
{
	struct slice a, b;
	*esm = false;
	if (!slice_split(r, '/', &a, &b))
		return release_find(r);
	*esm = true;
	if (slice_eq_cstr(b, "esm"))
		return release_find(a);
	if (slice_starts_with(a, "esm-"))
		return release_find(b);
	return -1;
}

/* ---- status lines ------------------------------------------------------- */

enum uct_kind { U_EMPTY, U_DNE, U_RELEASED, U_NOT_AFFECTED, U_IGNORED, U_NEEDS_TRIAGE, U_NEEDED, U_DEFERRED, U_PENDING };

static const struct {
	const char *name;
	enum uct_kind kind;
} kinds[] = {
	{ "DNE", U_DNE },	      { "released", U_RELEASED }, { "not-affected", U_NOT_AFFECTED },
	{ "ignored", U_IGNORED },     { "needs-triage", U_NEEDS_TRIAGE }, { "needed", U_NEEDED },
	{ "deferred", U_DEFERRED },   { "pending", U_PENDING },
};

struct uct_status {
	struct slice package, release_name, detail;
	int release;
	bool esm;
	enum uct_kind kind;
};

/* "Priority_<pkg>: low" or "Priority_<pkg>_<release>: low (reason)". */
struct uct_prio {
	struct slice package;
	int release; /* -1: every release */
	enum vuln_severity sev;
};

struct uct_file {
	const char *name;
	struct slice candidate, public_date, priority;
	struct slice description, ubuntu_desc; /* spanning their continuation lines */
	struct slice refs[UCT_MAX_REFS];
	size_t nrefs;
	struct slice *extend; /* the multi-line field continuation lines belong to */
	bool in_refs;
	struct uct_status *st;
	size_t nst, cap_st;
	struct uct_prio *prio;
	size_t nprio, cap_prio;
};

static bool is_ws(char c) { return c == ' ' || c == '\t'; }
static bool is_pkg_char(char c) { return isalnum((unsigned char)c) || c == '.' || c == '+' || c == '-'; }

static struct slice first_word(struct slice s)
{
	s = slice_trim(s);
	size_t i = 0;
	while (i < s.n && !is_ws(s.p[i]))
		i++;
	return slice_make(s.p, i);
}

static enum vuln_severity priority_parse(struct slice v)
{
	struct slice w = first_word(v);
	if (slice_eq_cstr(w, "negligible"))
		return SEV_NEGLIGIBLE;
	if (slice_eq_cstr(w, "low"))
		return SEV_LOW;
	if (slice_eq_cstr(w, "medium"))
		return SEV_MEDIUM;
	if (slice_eq_cstr(w, "high"))
		return SEV_HIGH;
	if (slice_eq_cstr(w, "critical"))
		return SEV_CRITICAL;
	return SEV_UNKNOWN; /* "untriaged" */
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return BOSUN_OK;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return BOSUN_ENOMEM;
	*p = q;
	*cap = c;
	return BOSUN_OK;
}

/* The value of a status line: "released (1.2-3)", "needed", "DNE",
 * "released [1.2-3]" and a missing ')' all occur in the real data. */
static int parse_status_value(struct slice v, struct uct_status *s, const char *file, size_t line, struct berr *e)
{
	v = slice_trim(v);
	struct slice word = first_word(v);
	s->kind = U_EMPTY;
	if (word.n) {
		size_t i;
		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (slice_eq_cstr(word, kinds[i].name))
				break;
		if (i == sizeof kinds / sizeof kinds[0])
			return feed_error(e, BOSUN_EFORMAT, file, line, "unknown status '%.*s'",
					  (int)(word.n > 64 ? 64 : word.n), word.p);
		s->kind = kinds[i].kind;
	}
	struct slice d = slice_trim(slice_make(word.p + word.n, v.n - (size_t)(word.p + word.n - v.p)));
	if (d.n && (d.p[0] == '(' || d.p[0] == '[')) {
		d = slice_make(d.p + 1, d.n - 1);
		if (d.n && (d.p[d.n - 1] == ')' || d.p[d.n - 1] == ']'))
			d.n--;
	}
	s->detail = slice_trim(d);
	return BOSUN_OK;
}

static int add_status(struct uct_file *f, struct slice key, struct slice v, size_t line, struct berr *e)
{
	struct slice rel, pkg;
	slice_split(key, '_', &rel, &pkg);
	struct uct_status s = { .package = pkg, .release_name = rel };
	if (pkg.n > UCT_MAX_TOKEN)
		return feed_error(e, BOSUN_ELIMIT, f->name, line, "package name longer than %d bytes", UCT_MAX_TOKEN);
	bool ok = pkg.n > 0;
	for (size_t i = 0; i < pkg.n && ok; i++)
		ok = is_pkg_char(pkg.p[i]);
	if (!ok)
		return feed_error(e, BOSUN_EFORMAT, f->name, line, "bad package name in '%.*s'",
				  (int)(key.n > 64 ? 64 : key.n), key.p);
	/* upstream_ lines carry bare versions, not statuses: skip pseudo
	 * releases before reading the value. */
	if ((s.release = release_parse(rel, &s.esm)) < 0)
		return BOSUN_OK;
	TRY(parse_status_value(v, &s, f->name, line, e));
	if (s.kind == U_EMPTY || s.kind == U_DNE)
		return BOSUN_OK; /* nothing to say */
	if (f->nst >= UCT_MAX_STATUS)
		return feed_error(e, BOSUN_ELIMIT, f->name, line, "more than %d status lines", UCT_MAX_STATUS);
	if (grow((void **)&f->st, &f->cap_st, f->nst + 1, sizeof *f->st) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", f->name);
	f->st[f->nst++] = s;
	return BOSUN_OK;
}

static int add_priority(struct uct_file *f, struct slice key, struct slice v, size_t line, struct berr *e)
{
	struct slice rest = slice_make(key.p + 9, key.n - 9), pkg, rel; /* after "Priority_" */
	struct uct_prio p = { .package = rest, .release = -1, .sev = priority_parse(v) };
	/* Package names have no '_': a second one introduces a release. */
	if (slice_split(rest, '_', &pkg, &rel)) {
		p.package = pkg;
		bool esm;
		if ((p.release = release_parse(rel, &esm)) < 0)
			return BOSUN_OK;
	}
	if (f->nprio >= UCT_MAX_PRIO)
		return feed_error(e, BOSUN_ELIMIT, f->name, line, "more than %d Priority_ lines", UCT_MAX_PRIO);
	if (grow((void **)&f->prio, &f->cap_prio, f->nprio + 1, sizeof *f->prio) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "%s: out of memory", f->name);
	f->prio[f->nprio++] = p;
	return BOSUN_OK;
}

/* Field names are letters, digits and -_/ .+ ("Patches_linux-lts-xenial",
 * "trusty/esm_openssl"); the value follows the first ':'. */
static bool split_field(struct slice l, struct slice *key, struct slice *value)
{
	size_t i = 0;
	while (i < l.n && (isalnum((unsigned char)l.p[i]) || strchr("-_/.+", l.p[i])))
		i++;
	if (i == 0 || i == l.n || l.p[i] != ':')
		return false;
	*key = slice_make(l.p, i);
	*value = slice_make(l.p + i + 1, l.n - i - 1);
	return true;
}

static int field(struct uct_file *f, struct slice key, struct slice v, size_t line, struct berr *e)
{
	f->extend = NULL;
	f->in_refs = false;
	if (slice_eq_cstr(key, "Candidate"))
		f->candidate = slice_trim(v);
	else if (slice_eq_cstr(key, "PublicDate"))
		f->public_date = slice_trim(v);
	else if (slice_eq_cstr(key, "Priority"))
		f->priority = slice_trim(v);
	else if (slice_eq_cstr(key, "Description")) {
		f->description = slice_trim(v);
		f->extend = &f->description;
	} else if (slice_eq_cstr(key, "Ubuntu-Description")) {
		f->ubuntu_desc = slice_trim(v);
		f->extend = &f->ubuntu_desc;
	}
	else if (slice_eq_cstr(key, "References"))
		f->in_refs = true;
	else if (slice_starts_with(key, "Priority_"))
		return add_priority(f, key, v, line, e);
	else if (islower((unsigned char)key.p[0]) && memchr(key.p, '_', key.n))
		return add_status(f, key, v, line, e);
	return BOSUN_OK; /* Notes, Bugs, Patches_*, CVSS, ...: not used */
}

/* An indented line continues the field before it. */
static void continuation(struct uct_file *f, struct slice l)
{
	struct slice t = slice_trim(l);
	/* a reference is a URL: its first word (some lines go on after it) */
	if (f->in_refs && t.n && f->nrefs < UCT_MAX_REFS)
		f->refs[f->nrefs++] = first_word(t);
	if (f->extend && t.n) {
		if (!f->extend->n)
			*f->extend = t;
		else
			f->extend->n = (size_t)(t.p + t.n - f->extend->p);
	}
}

static int parse_lines(struct uct_file *f, const char *data, size_t n, struct berr *e)
{
	struct slice rest = slice_make(data, n), l, key, v;
	size_t line = 0;
	while (slice_next_line(&rest, &l)) {
		line++;
		TRY(feed_check_line(l, f->name, line, e));
		if (!slice_trim(l).n)
			continue;
		if (l.p[0] == '#' || slice_starts_with(l, "--")) {
			f->extend = NULL; /* a comment ends a multi-line field */
			f->in_refs = false;
			continue;
		}
		if (is_ws(l.p[0]))
			continuation(f, l);
		else if (split_field(l, &key, &v))
			TRY(field(f, key, v, line, e));
		else
			return feed_error(e, BOSUN_EFORMAT, f->name, line, "expected 'Field: value', got '%.*s'",
					  (int)(l.n > 64 ? 64 : l.n), l.p);
	}
	return BOSUN_OK;
}

/* ---- records ------------------------------------------------------------ */

struct out {
	const struct feed_sink *s;
	struct import_stats *st;
	struct arena scratch;
	const char *id;
	char newest[11]; /* newest PublicDate / tar entry date seen */
	struct strmap seen;
	struct arena keep; /* ids in seen */
};

/* Collapses runs of whitespace (line breaks included) into one space. */
static char *text_copy(struct arena *a, struct slice s)
{
	if (s.n > UCT_MAX_TEXT)
		s.n = UCT_MAX_TEXT;
	char *p = arena_alloc(a, s.n + 1);
	if (!p)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		bool sp = isspace((unsigned char)s.p[i]);
		if (sp && (n == 0 || p[n - 1] == ' '))
			continue;
		p[n++] = sp ? ' ' : s.p[i];
	}
	while (n && p[n - 1] == ' ')
		n--;
	p[n] = '\0';
	return n ? p : NULL;
}

/* "2007-01-16 23:28:00 UTC" or "2007-01-16" -> ISO 8601; NULL for "unknown". */
static char *iso_date(struct arena *a, struct slice d)
{
	if (d.n < 10 || d.p[4] != '-' || d.p[7] != '-')
		return NULL;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)d.p[i]))
			return NULL;
	if (d.n >= 19 && d.p[10] == ' ' && d.p[13] == ':' && d.p[16] == ':')
		return arena_printf(a, "%.10sT%.8sZ", d.p, d.p + 11);
	return arena_printf(a, "%.10s", d.p);
}

static enum vuln_severity package_priority(const struct uct_file *f, struct slice pkg, int rel)
{
	enum vuln_severity any = priority_parse(f->priority);
	for (size_t i = 0; i < f->nprio; i++)
		if (slice_eq(f->prio[i].package, pkg)) {
			if (f->prio[i].release == rel)
				return f->prio[i].sev;
			if (f->prio[i].release < 0)
				any = f->prio[i].sev;
		}
	return any;
}

static bool is_version(struct slice v)
{
	if (!v.n || v.n > UCT_MAX_TOKEN || !isdigit((unsigned char)v.p[0]))
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!isalnum((unsigned char)v.p[i]) && !strchr(".+~:-", v.p[i]))
			return false;
	return true;
}

static int put_status(struct out *o, const struct uct_file *f, const struct uct_status *s, struct berr *e)
{
	struct affect_range range = { 0 };
	struct affected_record r = {
		.vuln_id = o->id,
		.ecosystem = releases[s->release].key,
		.severity = package_priority(f, s->package, s->release),
	};
	struct slice detail = s->detail;
	switch (s->kind) {
	case U_RELEASED: {
		struct slice v = first_word(detail);
		if (v.n && v.p[v.n - 1] == ',')
			v.n--;
		if (!is_version(v))
			return BOSUN_OK; /* released, but not saying in which version */
		r.status = AFFECT_FIXED;
		range.fixed = arena_slice(&o->scratch, v);
		r.ranges = &range;
		r.nranges = 1;
		detail = (struct slice){ 0 };
		break;
	}
	case U_NOT_AFFECTED: r.status = AFFECT_NOT_AFFECTED; break;
	case U_IGNORED:
		/* "ignored (reached end-of-life)": the release's standard support ended */
		r.status = detail.n && (memmem(detail.p, detail.n, "end-of-life", 11) ||
					memmem(detail.p, detail.n, "end of life", 11))
				   ? AFFECT_END_OF_LIFE
				   : AFFECT_WONT_FIX;
		break;
	case U_NEEDS_TRIAGE: r.status = AFFECT_UNDETERMINED; break;
	case U_DEFERRED: r.status = AFFECT_POSTPONED; break;
	case U_PENDING: /* a fix is prepared, not published */
	case U_NEEDED:
	default: r.status = AFFECT_UNFIXED; break;
	}
	if (!(r.package = arena_slice(&o->scratch, s->package)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	const char *pfx = s->kind == U_PENDING ? "pending" : NULL;
	if (s->esm)
		r.note = arena_printf(&o->scratch, "%.*s%s%s%s%.*s", (int)s->release_name.n, s->release_name.p,
				      pfx ? " " : "", pfx ? pfx : "", detail.n ? ": " : "", (int)detail.n, detail.p);
	else if (pfx)
		r.note = arena_printf(&o->scratch, "%s%s%.*s", pfx, detail.n ? ": " : "", (int)detail.n, detail.p);
	else if (detail.n)
		r.note = arena_slice(&o->scratch, detail);
	TRY(o->s->affected(o->s->ctx, &r, e));
	o->st->affected++;
	return BOSUN_OK;
}

static int status_cmp(const void *a, const void *b)
{
	const struct uct_status *x = a, *y = b;
	size_t k = x->package.n < y->package.n ? x->package.n : y->package.n;
	int c = memcmp(x->package.p, y->package.p, k);
	if (c || x->package.n != y->package.n)
		return c ? c : x->package.n < y->package.n ? -1 : 1;
	if (x->release != y->release)
		return x->release < y->release ? -1 : 1;
	return (int)x->esm - (int)y->esm;
}

/* One release of one package, from its base line and its ESM line: a base
 * line that says released or not-affected stands (the standard archive
 * has the answer); otherwise the ESM line, which continues the release
 * after standard support ends, speaks for it. */
static const struct uct_status *resolve(const struct uct_status *v, size_t n)
{
	const struct uct_status *base = !v[0].esm ? &v[0] : NULL, *esm = NULL;
	for (size_t i = 0; i < n && !esm; i++)
		if (v[i].esm)
			esm = &v[i];
	if (base && (base->kind == U_RELEASED || base->kind == U_NOT_AFFECTED || !esm))
		return base;
	return esm;
}

static int put_vuln(struct out *o, const struct uct_file *f, struct berr *e)
{
	const char *refs[UCT_MAX_REFS + 1];
	size_t nrefs = 0;
	refs[nrefs++] = arena_printf(&o->scratch, "https://ubuntu.com/security/%s", o->id);
	for (size_t i = 0; i < f->nrefs; i++)
		refs[nrefs++] = arena_slice(&o->scratch, f->refs[i]);
	for (size_t i = 0; i < nrefs; i++)
		if (!refs[i])
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
	struct vuln_record v = {
		.id = o->id,
		.summary = text_copy(&o->scratch, f->ubuntu_desc),
		.details = text_copy(&o->scratch, f->description),
		.published = iso_date(&o->scratch, f->public_date),
		.severity = priority_parse(f->priority),
		.references = refs,
		.nreferences = nrefs,
	};
	TRY(o->s->vuln(o->s->ctx, &v, e));
	o->st->vulns++;
	return BOSUN_OK;
}

static bool valid_id(struct slice id)
{
	if (!id.n || id.n > 64 || !isalpha((unsigned char)id.p[0]))
		return false;
	for (size_t i = 0; i < id.n; i++)
		if (!isalnum((unsigned char)id.p[i]) && id.p[i] != '-')
			return false;
	return true;
}

/* Marks id imported; false when another file already had it. */
static int first_sight(struct out *o, bool *fresh)
{
	*fresh = !strmap_get(&o->seen, o->id);
	if (!*fresh)
		return BOSUN_OK;
	char *k = arena_strdup(&o->keep, o->id);
	return k ? strmap_put(&o->seen, k, k) : BOSUN_ENOMEM;
}

static int emit_file(struct out *o, struct uct_file *f, struct berr *e)
{
	if (!valid_id(f->candidate))
		return feed_error(e, BOSUN_EFORMAT, f->name, 0, "no valid 'Candidate:' field");
	if (!(o->id = arena_slice(&o->scratch, f->candidate)))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	bool fresh;
	if (first_sight(o, &fresh) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (!fresh || !f->nst) {
		o->st->skipped++;
		return BOSUN_OK;
	}
	if (f->public_date.n >= 10 && isdigit((unsigned char)f->public_date.p[0]) &&
	    memcmp(f->public_date.p, o->newest, 10) > 0 && iso_date(&o->scratch, f->public_date))
		memcpy(o->newest, f->public_date.p, 10);
	TRY(put_vuln(o, f, e));
	qsort(f->st, f->nst, sizeof *f->st, status_cmp);
	for (size_t i = 0; i < f->nst;) {
		size_t j = i + 1;
		while (j < f->nst && f->st[j].release == f->st[i].release && slice_eq(f->st[j].package, f->st[i].package))
			j++;
		const struct uct_status *s = resolve(f->st + i, j - i);
		if (s)
			TRY(put_status(o, f, s, e));
		i = j;
	}
	return BOSUN_OK;
}

static int parse_one(struct out *o, const char *file, const char *data, size_t n, struct berr *e)
{
	struct uct_file f = { .name = file };
	int rc = parse_lines(&f, data, n, e);
	if (rc == BOSUN_OK && (rc = emit_file(o, &f, e)) != BOSUN_OK && e && !strstr(e->msg, file))
		berr_wrap(e, rc, "%s", file); /* the database's complaint, e.g. a field too long */
	free(f.st);
	free(f.prio);
	arena_free(&o->scratch);
	return rc;
}

static void out_free(struct out *o)
{
	arena_free(&o->scratch);
	arena_free(&o->keep);
	strmap_free(&o->seen);
}

int ubuntu_parse_cve(const char *file, const char *data, size_t n, const struct feed_sink *s,
		     struct import_stats *st, struct berr *e)
{
	struct out o = { .s = s, .st = st };
	int rc = parse_one(&o, file, data, n, e);
	out_free(&o);
	return rc;
}

/* ---- the tree ----------------------------------------------------------- */

static int import_subdir(struct out *o, const char *dir, const char *sub, struct berr *e)
{
	char path[4096];
	struct feed_dir d;
	if (feed_join(path, sizeof path, dir, sub, e) != BOSUN_OK)
		return BOSUN_ELIMIT;
	int rc = feed_dir_list(path, FEED_MAX_DIR, &d, e);
	if (rc == BOSUN_ENOTFOUND)
		return BOSUN_OK; /* not every tree has all three */
	TRY(rc);
	struct buf b = { 0 };
	for (size_t i = 0; i < d.n && rc == BOSUN_OK; i++) {
		char file[8192];
		if (d.ents[i].is_dir || strncmp(d.ents[i].name, "CVE-", 4) != 0)
			continue;
		if ((rc = feed_join(file, sizeof file, path, d.ents[i].name, e)) != BOSUN_OK)
			break;
		if ((rc = feed_read_file(file, UCT_MAX_FILE, &b, e)) == BOSUN_OK)
			rc = parse_one(o, file, b.data, b.len, e);
		o->st->files++;
	}
	feed_dir_free(&d);
	buf_free(&b);
	return rc;
}

/* retired.tar.zst as a chunk_source: the file read in blocks and
 * decompressed into one output buffer that the tar reader parses in place. */
struct zst_source {
	FILE *fp;
	struct decoder *dec;
	unsigned char in[1 << 16], out[1 << 18];
	size_t in_len, in_pos;
	bool finished, eof;
};

static int zst_next(void *ctx, const unsigned char **p, size_t *len, struct berr *e)
{
	struct zst_source *z = ctx;
	*len = 0;
	while (!z->finished) {
		if (z->in_pos == z->in_len && !z->eof) {
			z->in_len = fread(z->in, 1, sizeof z->in, z->fp);
			z->in_pos = 0;
			z->eof = z->in_len == 0;
			if (z->eof && ferror(z->fp))
				return berr_set(e, BOSUN_EIO, "read error");
		}
		if (z->eof && z->in_pos == z->in_len)
			return berr_set(e, BOSUN_EFORMAT, "truncated zstd stream");
		size_t used = 0, produced = 0;
		if (decoder_run(z->dec, z->in + z->in_pos, z->in_len - z->in_pos, &used, z->out, sizeof z->out, &produced,
				&z->finished, e) != BOSUN_OK)
			return BOSUN_EFORMAT;
		z->in_pos += used;
		if (produced) {
			*p = z->out;
			*len = produced;
			return BOSUN_OK;
		}
	}
	return BOSUN_OK;
}

static void note_tar_date(struct out *o, int64_t mtime)
{
	time_t t = (time_t)mtime;
	struct tm tm;
	char d[11];
	if (mtime > 0 && gmtime_r(&t, &tm) && strftime(d, sizeof d, "%Y-%m-%d", &tm) == 10 && strcmp(d, o->newest) > 0)
		memcpy(o->newest, d, 11);
}

static int import_tar_entries(struct out *o, struct tar_reader *t, const char *path, struct berr *e)
{
	struct buf b = { 0 };
	char file[8192] = "";
	int rc = BOSUN_OK;
	for (;;) {
		struct tar_entry te;
		bool end = false;
		if ((rc = tar_next(t, &te, &end, e)) != BOSUN_OK) {
			/* the stream broke between entries: say where */
			if (file[0])
				berr_wrap(e, rc, "%s: after %s", path, file + strlen(path) + 1);
			break;
		}
		if (end)
			break;
		const char *base = strrchr(te.name, '/');
		base = base ? base + 1 : te.name;
		if (te.type != TAR_REG || strncmp(base, "CVE-", 4) != 0)
			continue;
		snprintf(file, sizeof file, "%s:%s", path, te.name);
		if (te.size > UCT_MAX_FILE) {
			rc = feed_error(e, BOSUN_ELIMIT, file, 0, "%llu bytes, more than %zu", (unsigned long long)te.size,
					UCT_MAX_FILE);
			break;
		}
		buf_reset(&b);
		if ((rc = tar_read_all(t, &b, UCT_MAX_FILE, e)) != BOSUN_OK) {
			berr_wrap(e, rc, "%s", file);
			break;
		}
		note_tar_date(o, te.mtime);
		o->st->files++;
		if ((rc = parse_one(o, file, b.data ? b.data : "", b.len, e)) != BOSUN_OK)
			break;
	}
	buf_free(&b);
	return rc;
}

static int import_tar(struct out *o, const char *path, struct berr *e)
{
	struct zst_source *z = calloc(1, sizeof *z);
	if (!z)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = BOSUN_OK;
	if (!(z->fp = fopen(path, "rb")))
		rc = berr_set(e, BOSUN_EIO, "%s: cannot open", path);
	else
		rc = decoder_new(&z->dec, COMP_ZSTD, e);
	if (rc == BOSUN_OK) {
		struct tar_reader t;
		tar_init(&t, (struct chunk_source){ zst_next, NULL, NULL, z });
		rc = import_tar_entries(o, &t, path, e);
		tar_free(&t);
		if (rc != BOSUN_OK && e && !strstr(e->msg, path))
			berr_wrap(e, rc, "%s", path);
	}
	if (z->dec)
		decoder_free(z->dec);
	if (z->fp)
		fclose(z->fp);
	free(z);
	return rc;
}

int ubuntu_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e)
{
	struct out o = { .s = s, .st = st };
	/* The date is known only after reading: the newest PublicDate, or the
	 * tar's entry dates (the tracker's commit) when newer. */
	int rc = s->begin(s->ctx, NULL, e);
	static const char *const subs[] = { "active", "ignored", "retired" };
	for (size_t i = 0; i < 3 && rc == BOSUN_OK; i++)
		rc = import_subdir(&o, dir, subs[i], e);
	char tar[4096];
	snprintf(tar, sizeof tar, "%s/retired.tar.zst", dir);
	if (rc == BOSUN_OK && feed_is_file(tar))
		rc = import_tar(&o, tar, e);
	if (rc == BOSUN_OK && o.newest[0])
		rc = s->set_snapshot(s->ctx, o.newest, e);
	out_free(&o);
	return rc;
}

/* ---- the importer ------------------------------------------------------- */

static bool ubuntu_detect(const char *dir)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/retired.tar.zst", dir);
	if (feed_is_file(p))
		return true;
	static const char *const subs[] = { "active", "retired" };
	bool found = false;
	for (size_t i = 0; i < 2 && !found; i++) {
		struct feed_dir d;
		snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
		if (feed_dir_list(p, FEED_MAX_DIR, &d, NULL) != BOSUN_OK)
			continue;
		for (size_t k = 0; k < d.n && !found; k++)
			found = !d.ents[k].is_dir && strncmp(d.ents[k].name, "CVE-", 4) == 0;
		feed_dir_free(&d);
	}
	return found;
}

static int ubuntu_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	struct feed_db f = { .db = db, .src = { .name = "ubuntu-cve-tracker", .origin = dir } };
	struct feed_sink s = feed_db_sink(&f);
	int rc = ubuntu_import_dir(dir, &s, st, e);
	return feed_db_finish(&f, rc, e);
}

const struct importer importer_ubuntu = { "ubuntu", ubuntu_detect, ubuntu_import };
