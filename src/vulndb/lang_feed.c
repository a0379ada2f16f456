/* Helpers shared by the language-feed importers; see lang_feed.h. */
#include "vulndb/lang_feed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vulndb/feedfs.h"

/* ---- errors ------------------------------------------------------------- */

/* Whether line (without its newline) opens with key as a key: blanks, an
 * optional YAML "- ", the key (optionally quoted), blanks, then ':' or '='. */
static bool line_has_key(struct slice line, const char *key)
{
	size_t i = 0, k = strlen(key);
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	if (i + 1 < line.n && line.p[i] == '-' && line.p[i + 1] == ' ')
		for (i += 2; i < line.n && line.p[i] == ' '; i++)
			;
	char q = i < line.n && (line.p[i] == '"' || line.p[i] == '\'') ? line.p[i] : 0;
	if (q)
		i++;
	if (i + k > line.n || memcmp(line.p + i, key, k) != 0)
		return false;
	i += k;
	if (q && (i >= line.n || line.p[i++] != q))
		return false;
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	return i < line.n && (line.p[i] == ':' || line.p[i] == '=');
}

/* Whether line holds "key" followed by ':' anywhere (JSON on one line). */
static bool line_has_json_key(struct slice line, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; i + k + 2 <= line.n; i++) {
		if (line.p[i] != '"' || memcmp(line.p + i + 1, key, k) != 0 || line.p[i + 1 + k] != '"')
			continue;
		size_t j = i + k + 2;
		while (j < line.n && (line.p[j] == ' ' || line.p[j] == '\t'))
			j++;
		if (j < line.n && line.p[j] == ':')
			return true;
	}
	return false;
}

static size_t key_line(const char *data, size_t n, const char *key)
{
	struct slice rest = slice_make(data, n), line;
	for (size_t no = 1; slice_next_line(&rest, &line); no++)
		if (line_has_key(line, key) || line_has_json_key(line, key))
			return no;
	return 0;
}

int lang_error(struct lang_doc *d, int code, const char *key, const char *fmt, ...)
{
	char msg[640];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t line = key ? key_line(d->data, d->n, key) : 0;
	if (key)
		return feed_error(d->e, code, d->file, line, "%s: %s", key, msg);
	return feed_error(d->e, code, d->file, line, "%s", msg);
}

/* ---- typed fields ------------------------------------------------------- */

static int check_string(struct lang_doc *d, const char *key, const json_t *v)
{
	size_t len = json_string_length(v);
	if (len > LANG_MAX_FIELD)
		return lang_error(d, BOSUN_ELIMIT, key, "%zu bytes, more than the %zu allowed", len, LANG_MAX_FIELD);
	if (strlen(json_string_value(v)) != len)
		return lang_error(d, BOSUN_EFORMAT, key, "NUL byte in a string");
	return BOSUN_OK;
}

int lang_str(struct lang_doc *d, const json_t *obj, const char *key, bool required, const char **out)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? lang_error(d, BOSUN_EFORMAT, key, "missing") : BOSUN_OK;
	if (!json_is_string(v))
		return lang_error(d, BOSUN_EFORMAT, key, "expected a string");
	TRY(check_string(d, key, v));
	*out = json_string_value(v);
	if (required && !**out)
		return lang_error(d, BOSUN_EFORMAT, key, "empty");
	return BOSUN_OK;
}

int lang_str_list(struct lang_doc *d, const json_t *obj, const char *key, bool single_ok, const char ***out,
		  size_t *n)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (single_ok && json_is_string(v)) {
		TRY(check_string(d, key, v));
		*out = arena_alloc(&d->arena, sizeof **out);
		if (!*out)
			return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
		(*out)[0] = json_string_value(v);
		*n = 1;
		return BOSUN_OK;
	}
	if (!json_is_array(v))
		return lang_error(d, BOSUN_EFORMAT, key, "expected a list of strings");
	size_t len = json_array_size(v);
	if (len > LANG_MAX_LIST)
		return lang_error(d, BOSUN_ELIMIT, key, "%zu entries, more than the %d allowed", len, LANG_MAX_LIST);
	*out = arena_alloc(&d->arena, (len ? len : 1) * sizeof **out);
	if (!*out)
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < len; i++) {
		const json_t *s = json_array_get(v, i);
		if (!json_is_string(s))
			return lang_error(d, BOSUN_EFORMAT, key, "entry %zu: expected a string", i + 1);
		TRY(check_string(d, key, s));
		(*out)[i] = json_string_value(s);
	}
	*n = len;
	return BOSUN_OK;
}

int lang_number(struct lang_doc *d, const json_t *obj, const char *key, double *out, bool *found)
{
	const json_t *v = json_object_get(obj, key);
	*found = false;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_number(v))
		return lang_error(d, BOSUN_EFORMAT, key, "expected a number");
	*out = json_number_value(v);
	*found = true;
	return BOSUN_OK;
}

int lang_need_object(struct lang_doc *d, const json_t *root)
{
	if (!json_is_object(root))
		return lang_error(d, BOSUN_EFORMAT, NULL, "expected a mapping at the top of the document");
	return BOSUN_OK;
}

/* ---- small conversions -------------------------------------------------- */

static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; i < 10; i++)
		if (!s[i] || (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]))
			return false;
	return true;
}

void lang_note_date(struct lang_run *r, const char *date)
{
	if (date && is_date(date) && memcmp(date, r->newest, 10) > 0) {
		memcpy(r->newest, date, 10);
		r->newest[10] = '\0';
	}
}

enum vuln_severity lang_severity_of_score(double score, bool v2)
{
	if (!(score > 0.0)) /* also NaN */
		return SEV_UNKNOWN;
	if (score < 4.0)
		return SEV_LOW;
	if (score < 7.0)
		return SEV_MEDIUM;
	if (v2 || score < 9.0)
		return SEV_HIGH;
	return SEV_CRITICAL;
}

void lang_cvss_vectors(const char *vector, const char **v3, const char **v4)
{
	if (vector && strncmp(vector, "CVSS:3.", 7) == 0)
		*v3 = vector;
	else if (vector && strncmp(vector, "CVSS:4.", 7) == 0)
		*v4 = vector;
}

const char *lang_join(struct lang_doc *d, const char *a, const char *b)
{
	if (!a || !b)
		return a ? a : b;
	return arena_printf(&d->arena, "%s; %s", a, b);
}

int lang_list_add(struct lang_doc *d, const char ***list, size_t *n, size_t *cap, const char *s)
{
	if (*n >= LANG_MAX_LIST)
		return lang_error(d, BOSUN_ELIMIT, NULL, "more than %d entries in a list", LANG_MAX_LIST);
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		const char **nl = arena_alloc(&d->arena, nc * sizeof *nl);
		if (!nl)
			return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
		if (*n)
			memcpy(nl, *list, *n * sizeof *nl);
		*list = nl;
		*cap = nc;
	}
	(*list)[(*n)++] = s;
	return BOSUN_OK;
}

/* ---- writing records ---------------------------------------------------- */

/* Aliases are identifiers ("CVE-2020-1", "GHSA-xxxx-xxxx-xxxx"): printable,
 * no blanks, bounded. */
static bool alias_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] == 0x7f)
			return false;
	return true;
}

int lang_put_vuln(struct lang_doc *d, const struct vuln_record *v)
{
	for (size_t i = 0; i < v->naliases; i++)
		if (!alias_ok(v->aliases[i]))
			return lang_error(d, BOSUN_EFORMAT, NULL, "alias \"%.40s\" is not an identifier", v->aliases[i]);
	const struct feed_sink *s = d->run->sink;
	int rc = s->vuln(s->ctx, v, d->e);
	if (rc != BOSUN_OK)
		return berr_wrap(d->e, rc, "%s", d->file);
	d->run->st->vulns++;
	return BOSUN_OK;
}

int lang_put_affected(struct lang_doc *d, const struct lang_affected *a)
{
	struct affect_range *r;
	size_t n;
	bool exact;
	int rc = cr_to_ranges(a->cr, a->set, &r, &n, &exact, d->e);
	if (rc != BOSUN_OK)
		return berr_wrap(d->e, rc, "%s", d->file);
	if (n == 0)
		return BOSUN_OK; /* no version is affected */
	bool fixed = false;
	for (size_t i = 0; i < n; i++)
		fixed = fixed || r[i].fixed;
	const char *note = a->note;
	if (!exact) {
		note = lang_join(d, arena_printf(&d->arena,
						 "versions as the feed states them: %s (the ranges also include "
						 "the lower bounds that the feed excludes)",
						 a->constraint ? a->constraint : "?"),
				 note);
		d->run->st->skipped++;
	}
	struct affected_record rec = {
		.vuln_id = a->vuln_id,
		.ecosystem = a->ecosystem,
		.package = a->package,
		.status = fixed ? AFFECT_FIXED : AFFECT_AFFECTED,
		.severity = a->severity,
		.ranges = r,
		.nranges = n,
		.note = note,
	};
	const struct feed_sink *s = d->run->sink;
	rc = s->affected(s->ctx, &rec, d->e);
	if (rc != BOSUN_OK)
		return berr_wrap(d->e, rc, "%s", d->file);
	d->run->st->affected++;
	return BOSUN_OK;
}

/* ---- import driver ------------------------------------------------------ */

struct walk_ctx {
	struct lang_run *run;
	const struct lang_part *part;
	struct buf b;
};

static int on_file(const char *path, void *ctx, struct berr *e)
{
	struct walk_ctx *w = ctx;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (w->part->skip_name && strcmp(base, w->part->skip_name) == 0)
		return BOSUN_OK;
	TRY(feed_read_file(path, LANG_MAX_FILE, &w->b, e));
	w->run->st->files++;
	return w->part->fn(w->run, path, w->b.data ? w->b.data : "", w->b.len, e);
}

int lang_import_sink(const struct feed_sink *s, const char *dir, const struct lang_part *parts, size_t nparts,
		     struct import_stats *st, struct berr *e)
{
	struct lang_run run = { s, st, "" };
	long files0 = st->files;
	TRY(s->begin(s->ctx, NULL, e));
	struct walk_ctx w = { &run, NULL, { 0 } };
	int rc = BOSUN_OK;
	char path[4096];
	for (size_t i = 0; i < nparts && rc == BOSUN_OK; i++) {
		w.part = &parts[i];
		if (parts[i].sub)
			rc = feed_join(path, sizeof path, dir, parts[i].sub, e);
		else
			rc = snprintf(path, sizeof path, "%s", dir) < (int)sizeof path
				     ? BOSUN_OK
				     : berr_set(e, BOSUN_ELIMIT, "%s: path too long", dir);
		if (rc == BOSUN_OK && feed_is_dir(path))
			rc = feed_walk(path, LANG_MAX_DEPTH, parts[i].exts, LANG_MAX_FILES, on_file, &w, e);
	}
	buf_free(&w.b);
	if (rc == BOSUN_OK && st->files == files0)
		rc = berr_set(e, BOSUN_ENOTFOUND, "%s: no advisories found", dir);
	if (rc == BOSUN_OK && run.newest[0])
		rc = s->set_snapshot(s->ctx, run.newest, e);
	return rc;
}

int lang_import(struct vulndb *db, const char *dir, const char *source, const char *license,
		const struct lang_part *parts, size_t nparts, struct import_stats *st, struct berr *e)
{
	struct feed_db f = { .db = db, .src = { .name = source, .origin = dir, .license = license } };
	struct feed_sink s = feed_db_sink(&f);
	int rc = lang_import_sink(&s, dir, parts, nparts, st, e);
	return feed_db_finish(&f, rc, e);
}
