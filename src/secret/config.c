/* The rule file (--secret-config), in the shape of Trivy's
 * trivy-secret.yaml:
 *
 *   rules:                 custom rules (id, category, title, severity, regex,
 *                          keywords, secret-group-name, path, allow-rules)
 *   allow-rules:           global allow-rules (id, description, regex, path)
 *   enable-builtin-rules:  only these built-in rules
 *   disable-rules:         drop these rules (built-in or custom)
 *   disable-allow-rules:   drop these built-in allow-rules
 *
 * This file only edits the engine's rule lists; engine.c compiles them, so
 * a bad regex is reported there with the rule's id. Unknown keys are
 * errors (a misspelt "secret-group-name" would silently report whole
 * matches); unknown rule ids in the lists are warnings, since files written
 * for Trivy name rules bosun does not have. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "secret/secret_impl.h"
#include "util/log.h"
#include "util/yaml_json.h"

#define MAX_CONFIG_BYTES (4u * 1024 * 1024)
#define MAX_CUSTOM_RULES 10000
#define MAX_RULE_KEYWORDS 256

struct cfg {
	struct secret_engine *eng;
	const char *file;
	struct berr *e;
};

static int fail(struct cfg *c, const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a, b);
	return berr_set(c->e, BOSUN_EFORMAT, "%s: %s", c->file, msg);
}

static int read_file(const char *path, char **out, size_t *n, struct berr *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "secret config %s: %s", path,
				strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return berr_set(e, BOSUN_EIO, "secret config %s: not a regular file", path);
	}
	struct buf b = { 0 };
	char chunk[65536];
	size_t k;
	int rc = BOSUN_OK;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + k > MAX_CONFIG_BYTES) {
			rc = berr_set(e, BOSUN_ELIMIT, "secret config %s: larger than %u bytes", path, MAX_CONFIG_BYTES);
			break;
		}
		if (buf_append(&b, chunk, k) != BOSUN_OK) {
			rc = berr_set(e, BOSUN_ENOMEM, "secret config %s: out of memory", path);
			break;
		}
	}
	if (rc == BOSUN_OK && ferror(f))
		rc = berr_set(e, BOSUN_EIO, "secret config %s: read error", path);
	fclose(f);
	if (rc != BOSUN_OK) {
		buf_free(&b);
		return rc;
	}
	*out = b.data;
	*n = b.len;
	return BOSUN_OK;
}

/* A string member (NULL when absent); an error when present but not a
 * string. Copied into the engine's arena. */
static int get_str(struct cfg *c, json_t *obj, const char *key, const char *where, const char **out)
{
	*out = NULL;
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_string(v))
		return fail(c, "%s: \"%s\" must be a string", where, key);
	if (!(*out = arena_strdup(&c->eng->arena, json_string_value(v))))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static int check_keys(struct cfg *c, json_t *obj, const char *const *allowed, const char *where)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(allowed[i], key) == 0;
		if (!ok)
			return fail(c, "%s: unknown key \"%s\"", where, key);
	}
	return BOSUN_OK;
}

/* A list of strings; an absent key gives an empty list. */
static int get_list(struct cfg *c, json_t *obj, const char *key, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_array(v))
		return fail(c, "\"%s\" must be a list%s", key, "");
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s) {
		if (!json_is_string(s))
			return fail(c, "\"%s\": every entry must be a string%s", key, "");
	}
	*out = v;
	return BOSUN_OK;
}

static bool in_list(json_t *list, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) {
		if (strcmp(json_string_value(s), id) == 0)
			return true;
	}
	return false;
}

static int parse_allow(struct cfg *c, json_t *obj, const char *where, struct allow_rule *out)
{
	static const char *const keys[] = { "id", "description", "regex", "path", NULL };
	if (!json_is_object(obj))
		return fail(c, "%s: each allow-rule must be a mapping%s", where, "");
	TRY(check_keys(c, obj, keys, where));
	memset(out, 0, sizeof *out);
	TRY(get_str(c, obj, "id", where, &out->id));
	TRY(get_str(c, obj, "description", where, &out->description));
	TRY(get_str(c, obj, "regex", where, &out->secret_src));
	TRY(get_str(c, obj, "path", where, &out->path_src));
	if (!out->id || !*out->id)
		return fail(c, "%s: allow-rule without an id%s", where, "");
	if (!out->secret_src && !out->path_src)
		return fail(c, "%s: allow-rule \"%s\" needs a regex or a path", where, out->id);
	return BOSUN_OK;
}

static int parse_allow_list(struct cfg *c, json_t *list, const char *where, struct allow_rule **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!list || json_is_null(list))
		return BOSUN_OK;
	if (!json_is_array(list))
		return fail(c, "%s: \"allow-rules\" must be a list%s", where, "");
	size_t cnt = json_array_size(list);
	if (cnt == 0)
		return BOSUN_OK;
	if (cnt > MAX_CUSTOM_RULES)
		return fail(c, "%s: too many allow-rules%s", where, "");
	struct allow_rule *v = arena_alloc(&c->eng->arena, cnt * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < cnt; i++)
		TRY(parse_allow(c, json_array_get(list, i), where, &v[i]));
	*out = v;
	*n = cnt;
	return BOSUN_OK;
}

static int parse_rule(struct cfg *c, json_t *obj, size_t idx, struct rule *r)
{
	static const char *const keys[] = { "id", "category", "title", "severity", "regex", "keywords",
					    "secret-group-name", "path", "allow-rules", "exclude-block", NULL };
	char where[64];
	snprintf(where, sizeof where, "rules[%zu]", idx);
	if (!json_is_object(obj))
		return fail(c, "%s: each rule must be a mapping%s", where, "");
	memset(r, 0, sizeof *r);
	r->custom = true;
	struct secret_rule_def *d = &r->def;
	TRY(get_str(c, obj, "id", where, &d->id));
	if (!d->id || !*d->id)
		return fail(c, "%s: rule without an id%s", where, "");
	char named[160];
	snprintf(named, sizeof named, "rule \"%s\"", d->id);
	TRY(check_keys(c, obj, keys, named));
	if (json_object_get(obj, "exclude-block"))
		log_warn("%s: %s: exclude-block is not supported, ignored", c->file, named);
	TRY(get_str(c, obj, "category", named, &d->category));
	TRY(get_str(c, obj, "title", named, &d->title));
	TRY(get_str(c, obj, "regex", named, &d->regex));
	TRY(get_str(c, obj, "secret-group-name", named, &d->secret_group));
	TRY(get_str(c, obj, "path", named, &r->path_src));
	if (!d->regex || !*d->regex)
		return fail(c, "%s: no regex%s", named, "");
	if (!d->category)
		d->category = "Custom";
	if (!d->title)
		d->title = d->id;
	const char *sev;
	TRY(get_str(c, obj, "severity", named, &sev));
	d->severity = SEV_UNKNOWN;
	if (sev && vuln_severity_parse(sev, &d->severity) != BOSUN_OK)
		return fail(c, "%s: unknown severity \"%s\" (CRITICAL, HIGH, MEDIUM, LOW)", named, sev);
	json_t *kw;
	TRY(get_list(c, obj, "keywords", &kw));
	size_t nk = kw ? json_array_size(kw) : 0;
	if (nk > MAX_RULE_KEYWORDS)
		return fail(c, "%s: more than 256 keywords%s", named, "");
	if (nk) {
		const char **v = arena_alloc(&c->eng->arena, nk * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		for (size_t i = 0; i < nk; i++) {
			const char *s = json_string_value(json_array_get(kw, i));
			if (!*s)
				return fail(c, "%s: empty keyword%s", named, "");
			if (!(v[i] = arena_strdup(&c->eng->arena, s)))
				return BOSUN_ENOMEM;
		}
		r->keywords = v;
		r->nkeywords = nk;
	}
	return parse_allow_list(c, json_object_get(obj, "allow-rules"), named, &r->allows, &r->nallows);
}

static void warn_unknown(struct cfg *c, json_t *list, const char *key, bool (*known)(struct cfg *, const char *))
{
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) {
		if (!known(c, json_string_value(s)))
			log_warn("%s: %s: no rule \"%s\"", c->file, key, json_string_value(s));
	}
}

static bool is_builtin_rule(struct cfg *c, const char *id)
{
	(void)c;
	for (size_t i = 0; i < secret_builtin_rule_count; i++)
		if (strcmp(secret_builtin_rules[i].id, id) == 0)
			return true;
	return false;
}

static bool is_rule(struct cfg *c, const char *id) { return secret_rule_index(c->eng, id) >= 0; }

static bool is_builtin_allow(struct cfg *c, const char *id)
{
	(void)c;
	for (size_t i = 0; i < secret_builtin_allow_count; i++)
		if (strcmp(secret_builtin_allows[i].id, id) == 0)
			return true;
	return false;
}

static int apply(struct cfg *c, json_t *root)
{
	static const char *const keys[] = { "rules", "allow-rules", "enable-builtin-rules", "disable-rules",
					    "disable-allow-rules", NULL };
	struct secret_engine *eng = c->eng;
	if (json_is_null(root))
		return BOSUN_OK; /* an empty file */
	if (!json_is_object(root))
		return fail(c, "the document must be a mapping%s%s", "", "");
	TRY(check_keys(c, root, keys, "top level"));
	json_t *enable, *disable, *disable_allow;
	TRY(get_list(c, root, "enable-builtin-rules", &enable));
	TRY(get_list(c, root, "disable-rules", &disable));
	TRY(get_list(c, root, "disable-allow-rules", &disable_allow));

	/* enable-builtin-rules: keep only those built-ins */
	if (enable) {
		warn_unknown(c, enable, "enable-builtin-rules", is_builtin_rule);
		size_t w = 0;
		for (size_t i = 0; i < eng->nrules; i++)
			if (in_list(enable, eng->rules[i].def.id))
				eng->rules[w++] = eng->rules[i];
		eng->nrules = w;
	}

	/* custom rules: appended, or replacing the rule with the same id */
	json_t *rules = json_object_get(root, "rules");
	if (rules && !json_is_null(rules)) {
		if (!json_is_array(rules))
			return fail(c, "\"rules\" must be a list%s%s", "", "");
		size_t cnt = json_array_size(rules);
		if (cnt > MAX_CUSTOM_RULES)
			return fail(c, "more than 10000 rules%s%s", "", "");
		struct rule *v = realloc(eng->rules, (eng->nrules + cnt) * sizeof *v);
		if (!v && eng->nrules + cnt)
			return BOSUN_ENOMEM;
		eng->rules = v;
		for (size_t i = 0; i < cnt; i++) {
			struct rule r;
			TRY(parse_rule(c, json_array_get(rules, i), i, &r));
			int at = secret_rule_index(eng, r.def.id);
			if (at >= 0)
				eng->rules[at] = r;
			else
				eng->rules[eng->nrules++] = r;
		}
	}

	if (disable) {
		warn_unknown(c, disable, "disable-rules", is_rule);
		size_t w = 0;
		for (size_t i = 0; i < eng->nrules; i++)
			if (!in_list(disable, eng->rules[i].def.id))
				eng->rules[w++] = eng->rules[i];
		eng->nrules = w;
	}

	if (disable_allow) {
		warn_unknown(c, disable_allow, "disable-allow-rules", is_builtin_allow);
		size_t w = 0;
		for (size_t i = 0; i < eng->nallows; i++)
			if (!in_list(disable_allow, eng->allows[i].id))
				eng->allows[w++] = eng->allows[i];
		eng->nallows = w;
	}

	struct allow_rule *extra;
	size_t nextra;
	TRY(parse_allow_list(c, json_object_get(root, "allow-rules"), "allow-rules", &extra, &nextra));
	if (nextra) {
		struct allow_rule *v = realloc(eng->allows, (eng->nallows + nextra) * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		eng->allows = v;
		memcpy(v + eng->nallows, extra, nextra * sizeof *v);
		eng->nallows += nextra;
	}
	return BOSUN_OK;
}

int secret_config_apply_text(struct secret_engine *eng, const char *text, size_t n, const char *what, struct berr *e)
{
	json_t *root = NULL;
	TRY(yaml_json_parse(text ? text : "", n, NULL, what, &root, e));
	struct cfg c = { eng, what, e };
	int rc = apply(&c, root);
	json_decref(root);
	if (rc == BOSUN_ENOMEM && e && !e->code)
		berr_set(e, rc, "secret config %s: out of memory", what);
	return rc;
}

int secret_config_apply(struct secret_engine *eng, const char *path, struct berr *e)
{
	char *text;
	size_t n;
	TRY(read_file(path, &text, &n, e));
	int rc = secret_config_apply_text(eng, text, n, path, e);
	free(text);
	return rc;
}
