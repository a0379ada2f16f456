/* Ignore files: Trivy's plain .trivyignore and its YAML form. Users keep
 * these files in their repositories for years, so the formats are Trivy's
 * own, read strictly enough that a typo (a bad date, an entry without an id
 * or purl) is an error naming the line rather than a silent no-op. */
#include "policy/ignore.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "util/yaml_json.h"

void policy_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- package URLs ------------------------------------------------------------ */

#define PURL_MAX_QUALS 16

struct purl_parts {
	char type[32], path[512], version[256];
	struct {
		char key[32], value[256];
	} q[PURL_MAX_QUALS];
	size_t nq;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n) into out; false when it does not fit. */
static bool decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		}
		if (k + 1 >= cap)
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	return true;
}

static bool parse_qualifiers(const char *s, size_t n, struct purl_parts *p)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		const char *eq = memchr(s + i, '=', end - i);
		if (eq && p->nq < PURL_MAX_QUALS) {
			size_t kn = (size_t)(eq - (s + i));
			if (!decode(s + i, kn, p->q[p->nq].key, sizeof p->q[p->nq].key) ||
			    !decode(eq + 1, (size_t)(s + end - eq - 1), p->q[p->nq].value, sizeof p->q[p->nq].value))
				return false;
			for (char *c = p->q[p->nq].key; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			p->nq++;
		} else if (eq) {
			return false;
		}
		i = end + 1;
	}
	return true;
}

static bool purl_parse(const char *s, struct purl_parts *p)
{
	memset(p, 0, sizeof *p);
	if (!s || strncasecmp(s, "pkg:", 4) != 0)
		return false;
	s += 4;
	while (*s == '/')
		s++;
	size_t n = strcspn(s, "#"); /* the subpath plays no part in matching */
	const char *q = memchr(s, '?', n);
	size_t body = q ? (size_t)(q - s) : n;
	if (q && !parse_qualifiers(q + 1, n - body - 1, p))
		return false;
	size_t tn = strcspn(s, "/");
	if (tn == 0 || tn >= body || tn >= sizeof p->type)
		return false;
	for (size_t i = 0; i < tn; i++)
		p->type[i] = (char)tolower((unsigned char)s[i]);
	const char *rest = s + tn + 1;
	size_t rn = body - tn - 1;
	/* The version follows the last '@' that does not start a segment (a
	 * raw npm scope "@babel/core" is part of the name). */
	size_t at = rn;
	for (size_t i = rn; i-- > 0;)
		if (rest[i] == '@' && i > 0 && rest[i - 1] != '/') {
			at = i;
			break;
		}
	if (!decode(rest, at, p->path, sizeof p->path))
		return false;
	if (at < rn && !decode(rest + at + 1, rn - at - 1, p->version, sizeof p->version))
		return false;
	return p->path[0] != '\0';
}

static const char *qualifier(const struct purl_parts *p, const char *key)
{
	for (size_t i = 0; i < p->nq; i++)
		if (strcmp(p->q[i].key, key) == 0)
			return p->q[i].value;
	return NULL;
}

bool policy_purl_matches(const char *pattern, const char *purl)
{
	struct purl_parts *a = malloc(2 * sizeof *a);
	if (!a)
		return false;
	struct purl_parts *b = a + 1;
	bool ok = purl_parse(pattern, a) && purl_parse(purl, b) && strcmp(a->type, b->type) == 0 &&
		  strcmp(a->path, b->path) == 0 && (!a->version[0] || strcmp(a->version, b->version) == 0);
	for (size_t i = 0; ok && i < a->nq; i++) {
		const char *v = qualifier(b, a->q[i].key);
		ok = a->q[i].value[0] == '\0' || (v && strcmp(v, a->q[i].value) == 0);
	}
	free(a);
	return ok;
}

/* ---- entries ------------------------------------------------------------------ */

static struct ignore_entry *add_entry(struct ignore_list *l)
{
	if (l->n >= IGNORE_MAX_ENTRIES)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct ignore_entry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct ignore_entry *en = &l->v[l->n++];
	memset(en, 0, sizeof *en);
	return en;
}

/* "YYYY-MM-DD", optionally followed by a time ("2024-01-31T00:00:00Z"). */
static bool parse_date(const char *s, size_t n, char out[11])
{
	if (n < 10 || (n > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return false;
	memcpy(out, s, 10);
	out[10] = '\0';
	return true;
}

static int set_expiry(struct ignore_entry *en, const char *date, size_t n, const char *today, const char *what,
		      size_t line, struct berr *e)
{
	if (!parse_date(date, n, en->expires))
		return berr_set(e, BOSUN_EFORMAT, "%s:%zu: expiry \"%.*s\" is not a YYYY-MM-DD date", what, line,
				(int)(n > 40 ? 40 : n), date);
	en->expired = strcmp(en->expires, today) <= 0;
	return BOSUN_OK;
}

static bool valid_token(const char *s, size_t n)
{
	if (n == 0 || n > IGNORE_MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] == 0x7f)
			return false;
	return true;
}

/* ---- plain form ------------------------------------------------------------------ */

/* "CVE-2023-1234 exp:2025-01-01 # reason" */
static int plain_line(struct ignore_list *l, struct slice line, size_t lineno, const char *what,
		      const char *today, struct berr *e)
{
	struct slice body = line, comment = { 0 };
	const char *hash = memchr(line.p, '#', line.n);
	if (hash) {
		body = slice_make(line.p, (size_t)(hash - line.p));
		comment = slice_trim(slice_make(hash + 1, line.n - body.n - 1));
	}
	body = slice_trim(body);
	if (body.n == 0)
		return BOSUN_OK;
	size_t idn = 0;
	while (idn < body.n && !isspace((unsigned char)body.p[idn]))
		idn++;
	if (!valid_token(body.p, idn))
		return berr_set(e, BOSUN_EFORMAT, "%s:%zu: not a vulnerability id", what, lineno);
	struct ignore_entry *en = add_entry(l);
	if (!en)
		return l->n >= IGNORE_MAX_ENTRIES ? berr_set(e, BOSUN_ELIMIT, "%s: more than %d entries", what,
							      IGNORE_MAX_ENTRIES)
						  : BOSUN_ENOMEM;
	en->line = lineno;
	en->id = arena_strndup(&l->arena, body.p, idn);
	en->reason = comment.n ? arena_strndup(&l->arena, comment.p, comment.n) : NULL;
	if (!en->id || (comment.n && !en->reason))
		return BOSUN_ENOMEM;
	struct slice rest = slice_trim(slice_make(body.p + idn, body.n - idn));
	while (rest.n) {
		size_t wn = 0;
		while (wn < rest.n && !isspace((unsigned char)rest.p[wn]))
			wn++;
		if (wn > 4 && strncmp(rest.p, "exp:", 4) == 0)
			TRY(set_expiry(en, rest.p + 4, wn - 4, today, what, lineno, e));
		else
			return berr_set(e, BOSUN_EFORMAT, "%s:%zu: unexpected \"%.*s\" after the id (only exp:YYYY-MM-DD)",
					what, lineno, (int)(wn > 40 ? 40 : wn), rest.p);
		rest = slice_trim(slice_make(rest.p + wn, rest.n - wn));
	}
	return BOSUN_OK;
}

static int parse_plain(struct ignore_list *l, const char *data, size_t n, const char *what, const char *today,
		       struct berr *e)
{
	struct slice rest = slice_make(data, n), line;
	size_t lineno = 0;
	while (slice_next_line(&rest, &line)) {
		lineno++;
		if (memchr(line.p, '\0', line.n))
			return berr_set(e, BOSUN_EFORMAT, "%s:%zu: NUL byte", what, lineno);
		TRY(plain_line(l, line, lineno, what, today, e));
	}
	return BOSUN_OK;
}

/* ---- YAML form ---------------------------------------------------------------------- */

/* A string, or a list of strings, into a NULL-free array. */
static int string_list(struct ignore_list *l, json_t *v, const char ***out, size_t *n, const char *what,
		       size_t idx, const char *key, struct berr *e)
{
	if (!v)
		return BOSUN_OK;
	size_t count = json_is_string(v) ? 1 : json_is_array(v) ? json_array_size(v) : 0;
	if (!json_is_string(v) && !json_is_array(v))
		return berr_set(e, BOSUN_EFORMAT, "%s: entry %zu: %s must be a string or a list of strings", what, idx,
				key);
	const char **arr = arena_alloc(&l->arena, (count ? count : 1) * sizeof *arr);
	if (!arr)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		json_t *s = json_is_string(v) ? v : json_array_get(v, i);
		if (!json_is_string(s) || !valid_token(json_string_value(s), json_string_length(s)) ||
		    json_string_length(s) > 1024)
			return berr_set(e, BOSUN_EFORMAT, "%s: entry %zu: %s[%zu] is not a single word", what, idx, key, i);
		if (!(arr[i] = arena_strdup(&l->arena, json_string_value(s))))
			return BOSUN_ENOMEM;
	}
	*out = arr;
	*n = count;
	return BOSUN_OK;
}

/* The first key of two spellings (ours, Trivy's) that is present. */
static json_t *either(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	return v ? v : json_object_get(o, b);
}

/* A string, or a list of strings, of patterns (spaces allowed: paths have
 * them). */
static int glob_list(struct ignore_list *l, json_t *v, const char ***out, size_t *n, const char *what,
		     const char *label, size_t idx, const char *key, struct berr *e)
{
	if (!v || json_is_null(v))
		return BOSUN_OK;
	size_t count = json_is_string(v) ? 1 : json_is_array(v) ? json_array_size(v) : 0;
	if (!json_is_string(v) && !json_is_array(v))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: %s must be a string or a list of strings", what, label,
				idx, key);
	const char **arr = arena_alloc(&l->arena, (count ? count : 1) * sizeof *arr);
	if (!arr)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		json_t *s = json_is_string(v) ? v : json_array_get(v, i);
		size_t len = json_is_string(s) ? json_string_length(s) : 0;
		const char *str = json_is_string(s) ? json_string_value(s) : NULL;
		bool ok = str && len > 0 && len <= 1024 && strlen(str) == len;
		for (size_t k = 0; ok && k < len; k++)
			ok = (unsigned char)str[k] >= ' ' && str[k] != 0x7f;
		if (!ok)
			return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: %s[%zu] is not a pattern (one line, 1 to 1024 bytes)",
					what, label, idx, key, i);
		if (!(arr[i] = arena_strdup(&l->arena, str)))
			return BOSUN_ENOMEM;
	}
	*out = arr;
	*n = count;
	return BOSUN_OK;
}

/* What a vulnerability entry has, and what an entry for the other findings
 * has instead (its paths are globs, and it may name Kubernetes objects). */
static int entry_subject(struct ignore_list *l, struct ignore_entry *en, json_t *o, const char *what,
			 const char *label, size_t idx, struct berr *e)
{
	if (en->scope == IGNORE_SCOPE_VULNERABILITIES) {
		json_t *purls = json_object_get(o, "purls");
		TRY(string_list(l, purls ? purls : json_object_get(o, "purl"), &en->purls, &en->npurls, what, idx,
				"purls", e));
		for (size_t i = 0; i < en->npurls; i++)
			if (strncasecmp(en->purls[i], "pkg:", 4) != 0)
				return berr_set(e, BOSUN_EFORMAT, "%s: entry %zu: \"%.60s\" is not a package URL", what,
						idx, en->purls[i]);
		TRY(string_list(l, json_object_get(o, "paths"), &en->paths, &en->npaths, what, idx, "paths", e));
		if (!en->id && !en->npurls && !en->npaths)
			return berr_set(e, BOSUN_EFORMAT, "%s: entry %zu has neither id nor purls", what, idx);
		return BOSUN_OK;
	}
	if (json_object_get(o, "purls") || json_object_get(o, "purl"))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: purls apply to vulnerabilities only", what, label, idx);
	TRY(glob_list(l, json_object_get(o, "paths"), &en->paths, &en->npaths, what, label, idx, "paths", e));
	TRY(glob_list(l, json_object_get(o, "namespaces"), &en->namespaces, &en->nnamespaces, what, label, idx,
		      "namespaces", e));
	TRY(glob_list(l, json_object_get(o, "objects"), &en->objects, &en->nobjects, what, label, idx, "objects",
		      e));
	if (!en->id && !en->npaths && !en->nnamespaces && !en->nobjects)
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu has neither id nor paths, namespaces or objects", what,
				label, idx);
	return BOSUN_OK;
}

static int yaml_entry(struct ignore_list *l, enum ignore_scope scope, json_t *o, size_t idx, const char *what,
		      const char *today, struct berr *e)
{
	/* "entry 3" as before for vulnerabilities; "secrets entry 3" for the rest */
	char label[48];
	snprintf(label, sizeof label, "%s%sentry", scope == IGNORE_SCOPE_VULNERABILITIES ? "" : ignore_scope_name(scope),
		 scope == IGNORE_SCOPE_VULNERABILITIES ? "" : " ");
	if (!json_is_object(o))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu is not a mapping", what, label, idx);
	struct ignore_entry *en = add_entry(l);
	if (!en)
		return l->n >= IGNORE_MAX_ENTRIES ? berr_set(e, BOSUN_ELIMIT, "%s: more than %d entries", what,
							      IGNORE_MAX_ENTRIES)
						  : BOSUN_ENOMEM;
	en->line = idx;
	en->scope = scope;
	json_t *id = json_object_get(o, "id");
	if (id && (!json_is_string(id) || !valid_token(json_string_value(id), json_string_length(id))))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: id must be one word", what, label, idx);
	if (id && !(en->id = arena_strdup(&l->arena, json_string_value(id))))
		return BOSUN_ENOMEM;
	TRY(entry_subject(l, en, o, what, label, idx, e));
	json_t *reason = either(o, "reason", "statement");
	if (reason && !json_is_string(reason))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: reason must be a string", what, label, idx);
	if (reason && !(en->reason = arena_strndup(&l->arena, json_string_value(reason),
						   json_string_length(reason) > 1024 ? 1024 : json_string_length(reason))))
		return BOSUN_ENOMEM;
	json_t *exp = either(o, "expires", "expired_at");
	if (exp && !json_is_string(exp))
		return berr_set(e, BOSUN_EFORMAT, "%s: %s %zu: expires must be a YYYY-MM-DD date", what, label, idx);
	if (exp)
		TRY(set_expiry(en, json_string_value(exp), json_string_length(exp), today, what, idx, e));
	return BOSUN_OK;
}

static const char *const scope_names[IGNORE_SCOPE_COUNT] = {
	[IGNORE_SCOPE_ANY] = "",
	[IGNORE_SCOPE_VULNERABILITIES] = "vulnerabilities",
	[IGNORE_SCOPE_SECRETS] = "secrets",
	[IGNORE_SCOPE_MISCONFIGURATIONS] = "misconfigurations",
	[IGNORE_SCOPE_MALWARE] = "malware",
};

const char *ignore_scope_name(enum ignore_scope s)
{
	return (unsigned)s < IGNORE_SCOPE_COUNT ? scope_names[s] : "";
}

/* One section's list; an absent or empty (null) section is no entry. */
static int yaml_section(struct ignore_list *l, enum ignore_scope scope, json_t *list, const char *what,
			const char *today, struct berr *e)
{
	if (!list || json_is_null(list))
		return BOSUN_OK;
	if (!json_is_array(list))
		return berr_set(e, BOSUN_EFORMAT, "%s: expected a \"%s:\" list", what, ignore_scope_name(scope));
	for (size_t i = 0; i < json_array_size(list); i++)
		TRY(yaml_entry(l, scope, json_array_get(list, i), i + 1, what, today, e));
	return BOSUN_OK;
}

static int parse_yaml(struct ignore_list *l, const char *data, size_t n, const char *what, const char *today,
		      struct berr *e)
{
	json_t *doc = NULL;
	TRY(yaml_json_parse(data, n, NULL, what, &doc, e));
	int rc = BOSUN_OK;
	if (json_is_array(doc)) { /* a bare list: vulnerabilities */
		rc = yaml_section(l, IGNORE_SCOPE_VULNERABILITIES, doc, what, today, e);
	} else if (json_is_object(doc)) {
		/* other keys (licenses, ...) are Trivy's and not ours: left alone */
		for (int s = IGNORE_SCOPE_VULNERABILITIES; rc == BOSUN_OK && s < IGNORE_SCOPE_COUNT; s++)
			rc = yaml_section(l, (enum ignore_scope)s, json_object_get(doc, scope_names[s]), what, today, e);
	} else if (!json_is_null(doc)) { /* an empty file is an empty list */
		rc = berr_set(e, BOSUN_EFORMAT, "%s: expected a \"vulnerabilities:\" list", what);
	}
	json_decref(doc);
	return rc;
}

/* YAML by extension; else when the first meaningful line is a YAML key or
 * list item ("vulnerabilities:", "- id: ..."), which no id can be. */
static bool looks_yaml(const char *what, const char *data, size_t n)
{
	const char *dot = what ? strrchr(what, '.') : NULL;
	if (dot && (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0))
		return true;
	struct slice rest = slice_make(data, n), line;
	while (slice_next_line(&rest, &line)) {
		line = slice_trim(line);
		if (line.n == 0 || line.p[0] == '#' || slice_eq_cstr(line, "---"))
			continue;
		if (line.p[0] == '-' && line.n > 1 && line.p[1] == ' ')
			return true;
		size_t k = 0;
		while (k < line.n && (isalpha((unsigned char)line.p[k]) || line.p[k] == '_'))
			k++;
		return k > 0 && k < line.n && line.p[k] == ':';
	}
	return false;
}

int ignore_parse(const char *data, size_t n, const char *what, const char *today, struct ignore_list *out,
		 struct berr *e)
{
	memset(out, 0, sizeof *out);
	char now[11];
	if (!today) {
		policy_today(now);
		today = now;
	}
	if (!what)
		what = "ignorefile";
	if (n > IGNORE_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", what, IGNORE_MAX_BYTES);
	out->path = arena_strdup(&out->arena, what);
	if (!out->path)
		return BOSUN_ENOMEM;
	out->yaml = looks_yaml(what, data, n);
	int rc = out->yaml ? parse_yaml(out, data, n, what, today, e) : parse_plain(out, data, n, what, today, e);
	if (rc != BOSUN_OK) {
		if (rc == BOSUN_ENOMEM)
			berr_set(e, rc, "%s: out of memory", what);
		ignore_free(out);
	}
	return rc;
}

int ignore_load(const char *path, const char *today, struct ignore_list *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "cannot open ignore file %s: %s", path,
				strerror(errno));
	struct buf b = { 0 };
	char chunk[8192];
	size_t got;
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + got > IGNORE_MAX_BYTES)
			rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", path, IGNORE_MAX_BYTES);
		else
			rc = buf_append(&b, chunk, got);
	}
	if (rc == BOSUN_OK && ferror(f))
		rc = berr_set(e, BOSUN_EIO, "cannot read %s", path);
	fclose(f);
	if (rc == BOSUN_OK)
		rc = ignore_parse(b.data ? b.data : "", b.len, path, today, out, e);
	buf_free(&b);
	return rc;
}

void ignore_free(struct ignore_list *l)
{
	free(l->v);
	arena_free(&l->arena);
	memset(l, 0, sizeof *l);
}

/* ---- matching --------------------------------------------------------------------- */

static bool id_matches(const struct ignore_entry *en, const char *id, const char *const *aliases, size_t naliases)
{
	if (!en->id)
		return true;
	if (id && strcasecmp(en->id, id) == 0)
		return true;
	for (size_t i = 0; i < naliases; i++)
		if (aliases[i] && strcasecmp(en->id, aliases[i]) == 0)
			return true;
	return false;
}

static bool package_matches(const struct ignore_entry *en, const char *purl, const char *path)
{
	bool ok = en->npurls == 0;
	for (size_t i = 0; !ok && purl && i < en->npurls; i++)
		ok = policy_purl_matches(en->purls[i], purl);
	if (!ok)
		return false;
	if (en->npaths == 0)
		return true;
	for (size_t i = 0; path && i < en->npaths; i++) {
		const char *a = en->paths[i], *b = path;
		while (*a == '/')
			a++;
		while (*b == '/')
			b++;
		if (strcmp(a, b) == 0)
			return true;
	}
	return false;
}

const struct ignore_entry *ignore_match(const struct ignore_list *l, const char *id, const char *const *aliases,
					size_t naliases, const char *purl, const char *path)
{
	for (size_t i = 0; l && i < l->n; i++) {
		const struct ignore_entry *en = &l->v[i];
		bool for_vulns = en->scope == IGNORE_SCOPE_ANY || en->scope == IGNORE_SCOPE_VULNERABILITIES;
		if (for_vulns && !en->expired && id_matches(en, id, aliases, naliases) && package_matches(en, purl, path))
			return en;
	}
	return NULL;
}

const struct ignore_entry *ignore_match_related(const struct ignore_list *l, const char *id,
						const char *const *aliases, size_t naliases,
						const char *const *related, size_t nrelated, const char *purl,
						const char *path)
{
	const struct ignore_entry *first = ignore_match(l, id, aliases, naliases, purl, path);
	if (first || !nrelated)
		return first;
	for (size_t r = 0; r < nrelated; r++) {
		const struct ignore_entry *en = ignore_match(l, related[r], NULL, 0, purl, path);
		if (!en)
			return NULL;
		if (!first)
			first = en;
	}
	return first;
}

/* ---- other findings ------------------------------------------------------------ */

/* Dynamic programming over the positions of s: cur[j] is true when the
 * pattern read so far matches s[0..j); each token computes next from cur in
 * one pass, so no pattern can make matching backtrack. */
bool ignore_glob_match(const char *pattern, const char *s)
{
	if (!pattern || !s)
		return false;
	while (*pattern == '/')
		pattern++;
	while (*s == '/')
		s++;
	size_t n = strlen(s);
	bool small[2][257];
	bool *cur = small[0], *next = small[1], *heap = NULL;
	if (n + 1 > sizeof small[0]) {
		if (!(heap = calloc(2 * (n + 1), sizeof *heap)))
			return false;
		cur = heap;
		next = heap + n + 1;
	}
	memset(cur, 0, (n + 1) * sizeof *cur);
	cur[0] = true;
	bool alive = true;
	for (const char *p = pattern; *p && alive;) {
		alive = false;
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			bool slash = *p == '/'; /* "**" "/": nothing, or anything that ends with '/' */
			if (slash)
				p++;
			bool any = false;
			for (size_t j = 0; j <= n; j++) {
				next[j] = slash ? cur[j] || (j > 0 && s[j - 1] == '/' && any) : cur[j] || any;
				any = any || cur[j];
				alive = alive || next[j];
			}
		} else if (p[0] == '*') {
			p++;
			for (size_t j = 0; j <= n; j++) {
				next[j] = cur[j] || (j > 0 && s[j - 1] != '/' && next[j - 1]);
				alive = alive || next[j];
			}
		} else {
			char c = *p++;
			bool any_char = c == '?';
			if (c == '\\' && *p)
				c = *p++;
			next[0] = false;
			for (size_t j = 1; j <= n; j++) {
				next[j] = cur[j - 1] && (any_char ? s[j - 1] != '/' : s[j - 1] == c);
				alive = alive || next[j];
			}
		}
		bool *t = cur;
		cur = next;
		next = t;
	}
	bool ok = alive && cur[n];
	free(heap);
	return ok;
}

static bool any_glob(const char *const *globs, size_t n, const char *s)
{
	if (n == 0)
		return true;
	for (size_t i = 0; s && i < n; i++)
		if (ignore_glob_match(globs[i], s))
			return true;
	return false;
}

static enum ignore_scope scope_of(enum finding_kind k)
{
	switch (k) {
	case FINDING_KIND_SECRET: return IGNORE_SCOPE_SECRETS;
	case FINDING_KIND_MALWARE: return IGNORE_SCOPE_MALWARE;
	case FINDING_KIND_MISCONFIG: return IGNORE_SCOPE_MISCONFIGURATIONS;
	default: return IGNORE_SCOPE_COUNT; /* no section */
	}
}

const struct ignore_entry *ignore_match_finding(const struct ignore_list *l, const struct finding *f)
{
	enum ignore_scope want = scope_of(f->kind);
	for (size_t i = 0; l && i < l->n; i++) {
		const struct ignore_entry *en = &l->v[i];
		if (en->expired || (en->scope != IGNORE_SCOPE_ANY && en->scope != want))
			continue;
		if (en->id && (!f->rule_id || strcasecmp(en->id, f->rule_id) != 0))
			continue;
		if (en->scope == IGNORE_SCOPE_ANY && !en->id)
			continue; /* a plain entry always has an id; never "everything" */
		if (any_glob(en->paths, en->npaths, f->path) && any_glob(en->namespaces, en->nnamespaces, f->ns) &&
		    any_glob(en->objects, en->nobjects, f->object))
			return en;
	}
	return NULL;
}
