/* OpenVEX documents (https://github.com/openvex/spec): read, bounded, into
 * flat statements; matched against findings by vulnerability id or alias
 * and by product (a package purl, or the image with subcomponents). */
#include "policy/vex.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "policy/ignore.h"
#include "util/json.h"

#define VEX_MAX_DEPTH 32
#define VEX_MAX_IDS 256 /* aliases per vulnerability */

static const char *const status_names[] = {
	[VEX_NOT_AFFECTED] = "not_affected",
	[VEX_AFFECTED] = "affected",
	[VEX_FIXED] = "fixed",
	[VEX_UNDER_INVESTIGATION] = "under_investigation",
};

const char *vex_status_name(enum vex_status s)
{
	return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "unknown";
}

/* RFC 3339 -> seconds since the epoch; INT64_MIN when it is not one. */
static int64_t parse_time(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return INT64_MIN;
	const char *p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8)
			return INT64_MIN;
		p += 9;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	long off = 0;
	if (*p == '+' || *p == '-') {
		int oh, om;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
			return INT64_MIN;
		off = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
	} else if (*p && *p != 'Z' && *p != 'z') {
		return INT64_MIN;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return INT64_MIN;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	return (int64_t)timegm(&tm) - off;
}

static int parse_status(const char *s, enum vex_status *out)
{
	for (size_t i = 0; s && i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum vex_status)i;
			return BOSUN_OK;
		}
	return BOSUN_EFORMAT;
}

/* ---- statements ------------------------------------------------------------- */

struct doc_ctx {
	struct vex_set *s;
	const char *what;
	int64_t doc_time;
	struct berr *e;
};

static const char *dup_str(struct vex_set *s, const json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	size_t n = json_string_length(v);
	return arena_strndup(&s->arena, json_string_value(v), n > 4096 ? 4096 : n);
}

static int add_id(struct doc_ctx *d, struct vex_statement *st, const json_t *v)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return BOSUN_OK;
	if (st->nids >= VEX_MAX_IDS)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: statement %zu: more than %d vulnerability ids", d->what,
				st->index, VEX_MAX_IDS);
	if (!(st->ids[st->nids] = dup_str(d->s, v)))
		return BOSUN_ENOMEM;
	st->nids++;
	return BOSUN_OK;
}

/* "vulnerability": "CVE-..." (v0.0.1) or {"name", "@id", "aliases"} (v0.2.0). */
static int read_vulnerability(struct doc_ctx *d, struct vex_statement *st, const json_t *jst)
{
	const json_t *v = json_object_get(jst, "vulnerability");
	if (!v)
		v = json_object_get(jst, "vuln_id");
	st->ids = arena_alloc(&d->s->arena, VEX_MAX_IDS * sizeof *st->ids);
	if (!st->ids)
		return BOSUN_ENOMEM;
	if (json_is_string(v)) {
		TRY(add_id(d, st, v));
	} else if (json_is_object(v)) {
		TRY(add_id(d, st, json_object_get(v, "name")));
		TRY(add_id(d, st, json_object_get(v, "@id")));
		const json_t *al = json_object_get(v, "aliases");
		for (size_t i = 0; json_is_array(al) && i < json_array_size(al); i++)
			TRY(add_id(d, st, json_array_get(al, i)));
	}
	if (st->nids == 0)
		return berr_set(d->e, BOSUN_EFORMAT, "%s: statement %zu has no vulnerability name", d->what, st->index);
	return BOSUN_OK;
}

/* Subcomponents: strings, or objects with @id / identifiers.purl. */
static int read_subcomponents(struct doc_ctx *d, struct vex_statement *st, const json_t *arr, struct vex_product *p)
{
	if (!arr)
		return BOSUN_OK;
	if (!json_is_array(arr) || json_array_size(arr) > VEX_MAX_PRODUCTS)
		return berr_set(d->e, json_is_array(arr) ? BOSUN_ELIMIT : BOSUN_EFORMAT,
				"%s: statement %zu: subcomponents must be a list of at most %d", d->what, st->index,
				VEX_MAX_PRODUCTS);
	size_t n = json_array_size(arr);
	const char **v = arena_alloc(&d->s->arena, (p->nsub + n + 1) * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	if (p->nsub)
		memcpy(v, p->subcomponents, p->nsub * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(arr, i);
		const json_t *idj = json_is_object(x) ? json_object_get(json_object_get(x, "identifiers"), "purl") : NULL;
		if (json_is_object(x) && !idj)
			idj = json_object_get(x, "@id");
		const char *id = dup_str(d->s, json_is_string(x) ? x : idj);
		if (id)
			v[p->nsub++] = id;
	}
	p->subcomponents = v;
	return BOSUN_OK;
}

static int read_products(struct doc_ctx *d, struct vex_statement *st, const json_t *jst)
{
	const json_t *arr = json_object_get(jst, "products");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return berr_set(d->e, BOSUN_EFORMAT, "%s: statement %zu has no products", d->what, st->index);
	size_t n = json_array_size(arr);
	if (n > VEX_MAX_PRODUCTS)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: statement %zu: more than %d products", d->what, st->index,
				VEX_MAX_PRODUCTS);
	st->products = arena_alloc(&d->s->arena, n * sizeof *st->products);
	if (!st->products)
		return BOSUN_ENOMEM;
	const json_t *shared_sub = json_object_get(jst, "subcomponents"); /* v0.0.1: per statement */
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(arr, i);
		struct vex_product *p = &st->products[st->nproducts];
		memset(p, 0, sizeof *p);
		if (json_is_string(x)) {
			p->id = dup_str(d->s, x);
		} else if (json_is_object(x)) {
			p->id = dup_str(d->s, json_object_get(x, "@id"));
			p->purl = dup_str(d->s, json_object_get(json_object_get(x, "identifiers"), "purl"));
			TRY(read_subcomponents(d, st, json_object_get(x, "subcomponents"), p));
		}
		if (!p->id && !p->purl)
			return berr_set(d->e, BOSUN_EFORMAT, "%s: statement %zu: product %zu has no @id", d->what, st->index,
					i + 1);
		TRY(read_subcomponents(d, st, shared_sub, p));
		st->nproducts++;
	}
	return BOSUN_OK;
}

static struct vex_statement *add_statement(struct vex_set *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct vex_statement *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	struct vex_statement *st = &s->v[s->n++];
	memset(st, 0, sizeof *st);
	return st;
}

static int read_statement(struct doc_ctx *d, const json_t *jst, size_t index, const char *file)
{
	if (!json_is_object(jst))
		return berr_set(d->e, BOSUN_EFORMAT, "%s: statement %zu is not an object", d->what, index);
	if (d->s->n >= VEX_MAX_STATEMENTS)
		return berr_set(d->e, BOSUN_ELIMIT, "%s: more than %d statements", d->what, VEX_MAX_STATEMENTS);
	struct vex_statement *st = add_statement(d->s);
	if (!st)
		return BOSUN_ENOMEM;
	st->index = index;
	st->order = d->s->n;
	st->file = file;
	const char *status = json_str(jst, "status");
	if (parse_status(status, &st->status) != BOSUN_OK)
		return berr_set(d->e, BOSUN_EFORMAT,
				"%s: statement %zu: status \"%.40s\" is not one of not_affected, affected, fixed, "
				"under_investigation",
				d->what, index, status ? status : "(none)");
	TRY(read_vulnerability(d, st, jst));
	TRY(read_products(d, st, jst));
	st->justification = dup_str(d->s, json_object_get(jst, "justification"));
	st->impact = dup_str(d->s, json_object_get(jst, "impact_statement"));
	st->action = dup_str(d->s, json_object_get(jst, "action_statement"));
	const char *ts = json_str(jst, "timestamp");
	st->time = ts ? parse_time(ts) : d->doc_time;
	if (ts && st->time == INT64_MIN)
		return berr_set(d->e, BOSUN_EFORMAT, "%s: statement %zu: timestamp \"%.40s\" is not RFC 3339", d->what,
				index, ts);
	return BOSUN_OK;
}

static int read_document(struct vex_set *s, const json_t *doc, const char *what, struct berr *e)
{
	if (!json_is_object(doc))
		return berr_set(e, BOSUN_EFORMAT, "%s: not an OpenVEX document (not a JSON object)", what);
	const char *ctx = json_str(doc, "@context");
	if (!ctx || !strstr(ctx, "openvex"))
		return berr_set(e, BOSUN_EFORMAT, "%s: not an OpenVEX document (no openvex @context)", what);
	const json_t *sts = json_object_get(doc, "statements");
	if (!json_is_array(sts))
		return berr_set(e, BOSUN_EFORMAT, "%s: \"statements\" must be a list", what);
	const char *ts = json_str(doc, "timestamp");
	struct doc_ctx d = { .s = s, .what = what, .doc_time = ts ? parse_time(ts) : INT64_MIN, .e = e };
	const char *file = arena_strdup(&s->arena, what);
	if (!file)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < json_array_size(sts); i++)
		TRY(read_statement(&d, json_array_get(sts, i), i + 1, file));
	return BOSUN_OK;
}

int vex_parse(struct vex_set *s, const char *data, size_t n, const char *what, struct berr *e)
{
	if (!what)
		what = "VEX document";
	if (n > VEX_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", what, VEX_MAX_BYTES);
	json_t *doc = NULL;
	TRY(json_parse_bounded(data, n, VEX_MAX_DEPTH, what, &doc, e));
	/* A failed document must not leave half its statements behind. */
	size_t before = s->n;
	int rc = read_document(s, doc, what, e);
	json_decref(doc);
	if (rc != BOSUN_OK) {
		s->n = before;
		if (rc == BOSUN_ENOMEM)
			berr_set(e, rc, "%s: out of memory", what);
	}
	return rc;
}

int vex_load(struct vex_set *s, const char *path, struct berr *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "cannot open VEX document %s: %s", path,
				strerror(errno));
	struct buf b = { 0 };
	char chunk[8192];
	size_t got;
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + got > VEX_MAX_BYTES)
			rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", path, VEX_MAX_BYTES);
		else
			rc = buf_append(&b, chunk, got);
	}
	if (rc == BOSUN_OK && ferror(f))
		rc = berr_set(e, BOSUN_EIO, "cannot read %s", path);
	fclose(f);
	if (rc == BOSUN_OK)
		rc = vex_parse(s, b.data ? b.data : "", b.len, path, e);
	buf_free(&b);
	return rc;
}

void vex_free(struct vex_set *s)
{
	free(s->v);
	arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}

/* ---- matching ------------------------------------------------------------------ */

static bool names_vuln(const struct vex_statement *st, const char *id, const char *const *aliases, size_t naliases)
{
	for (size_t i = 0; i < st->nids; i++) {
		if (id && strcasecmp(st->ids[i], id) == 0)
			return true;
		for (size_t k = 0; k < naliases; k++)
			if (aliases[k] && strcasecmp(st->ids[i], aliases[k]) == 0)
				return true;
	}
	return false;
}

static bool is_purl(const char *s)
{
	return s && strncasecmp(s, "pkg:", 4) == 0;
}

/* The digest of a "pkg:oci/name@sha256%3A..." purl, percent-decoded. */
static bool oci_digest(const char *purl, char *out, size_t cap)
{
	if (!purl || strncasecmp(purl, "pkg:oci/", 8) != 0)
		return false;
	const char *at = strchr(purl, '@');
	if (!at)
		return false;
	size_t n = strcspn(at + 1, "?#"), k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		const char *c = at + 1 + i;
		if (c[0] == '%' && c[1] == '3' && (c[2] == 'A' || c[2] == 'a')) {
			out[k++] = ':';
			i += 2;
		} else {
			out[k++] = *c;
		}
	}
	out[k] = '\0';
	return k > 0;
}

/* Whether a product identifier names the scanned target. */
static bool names_target(const char *pid, const struct vex_subject *subj)
{
	char digest[160];
	const char *want = oci_digest(pid, digest, sizeof digest) ? digest : pid;
	for (size_t i = 0; want && i < subj->ntarget_ids; i++)
		if (subj->target_ids[i] && strcmp(want, subj->target_ids[i]) == 0)
			return true;
	return false;
}

static bool product_applies(const struct vex_product *p, const struct vex_subject *subj)
{
	if (subj->purl && ((is_purl(p->id) && policy_purl_matches(p->id, subj->purl)) ||
			   (is_purl(p->purl) && policy_purl_matches(p->purl, subj->purl))))
		return true;
	if (!names_target(p->id, subj) && !names_target(p->purl, subj))
		return false;
	if (p->nsub == 0)
		return true; /* the whole image */
	for (size_t i = 0; subj->purl && i < p->nsub; i++)
		if (is_purl(p->subcomponents[i]) && policy_purl_matches(p->subcomponents[i], subj->purl))
			return true;
	return false;
}

static bool later(const struct vex_statement *a, const struct vex_statement *b)
{
	if (a->time != b->time)
		return a->time > b->time;
	return a->order > b->order;
}

/* The latest statement naming id (or an alias) that applies to subj's package. */
static const struct vex_statement *find_for(const struct vex_set *s, const struct vex_subject *subj, const char *id,
					    const char *const *aliases, size_t naliases)
{
	const struct vex_statement *best = NULL;
	for (size_t i = 0; s && i < s->n; i++) {
		const struct vex_statement *st = &s->v[i];
		if (!names_vuln(st, id, aliases, naliases))
			continue;
		bool applies = false;
		for (size_t k = 0; !applies && k < st->nproducts; k++)
			applies = product_applies(&st->products[k], subj);
		if (applies && (!best || later(st, best)))
			best = st;
	}
	return best;
}

/* An erratum's CVEs decide together: the latest of their statements when
 * every one is suppressed, else the latest one that does not suppress
 * (attached as information), else none. */
static const struct vex_statement *find_related(const struct vex_set *s, const struct vex_subject *subj)
{
	const struct vex_statement *sup = NULL, *open = NULL;
	bool all = true;
	for (size_t r = 0; r < subj->nrelated; r++) {
		const struct vex_statement *st = find_for(s, subj, subj->related[r], NULL, 0);
		if (st && vex_suppresses(st)) {
			if (!sup || later(st, sup))
				sup = st;
			continue;
		}
		all = false;
		if (st && (!open || later(st, open)))
			open = st;
	}
	return all ? sup : open;
}

const struct vex_statement *vex_find(const struct vex_set *s, const struct vex_subject *subj)
{
	const struct vex_statement *best = find_for(s, subj, subj->id, subj->aliases, subj->naliases);
	if (best || !subj->nrelated)
		return best;
	return find_related(s, subj);
}

bool vex_suppresses(const struct vex_statement *st)
{
	return st && (st->status == VEX_NOT_AFFECTED || st->status == VEX_FIXED);
}
