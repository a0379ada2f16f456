/* The secret engine's compilation: the rule set (built-in, then the rule
 * file) compiled once, PCRE2 with JIT for every rule and one Hyperscan
 * database for all keywords and every rule regex (scan.c uses it).
 *
 * Hyperscan gets each regex in prefilter form (HS_FLAG_PREFILTER, group
 * names stripped, long bounded repeats relaxed to open ones): it then
 * compiles in about a millisecond per rule and may report a superset of
 * the matches, never fewer; PCRE2 confirms each one. Start-of-match
 * (HS_FLAG_SOM_LEFTMOST) would give PCRE2 an exact anchor, but made the
 * database compile take seconds (minutes for the multi-line key rules),
 * which every `bosun image --scanners secret` run would pay. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret/secret_impl.h"

/* Hyperscan's relaxed repeats: {m,n} with n above this becomes {min(m,this),}. */
#define HS_MAX_BOUND 16

pcre2_code *secret_pcre_compile(const char *pattern, char *msg, size_t msgsz)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES, &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR buf[256];
		pcre2_get_error_message(err, buf, sizeof buf);
		snprintf(msg, msgsz, "PCRE2: %s at offset %zu", (const char *)buf, (size_t)off);
		return NULL;
	}
	/* JIT is an optimisation: a failure (no executable memory) is not fatal */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

int secret_rule_index(const struct secret_engine *eng, const char *id)
{
	for (size_t i = 0; i < eng->nrules; i++)
		if (strcmp(eng->rules[i].def.id, id) == 0)
			return (int)i;
	return -1;
}

/* ---- compilation ---- */

static int compile_allow(struct allow_rule *a, const char *what, struct berr *e)
{
	char msg[300];
	if (a->path_src && !(a->path_re = secret_pcre_compile(a->path_src, msg, sizeof msg)))
		return berr_set(e, BOSUN_EFORMAT, "%s \"%s\": path: %s", what, a->id, msg);
	if (a->secret_src && !(a->secret_re = secret_pcre_compile(a->secret_src, msg, sizeof msg)))
		return berr_set(e, BOSUN_EFORMAT, "%s \"%s\": regex: %s", what, a->id, msg);
	return BOSUN_OK;
}

static void free_allow(struct allow_rule *a)
{
	pcre2_code_free(a->path_re);
	pcre2_code_free(a->secret_re);
}

static bool group_exists(pcre2_code *re, const char *name)
{
	PCRE2_SPTR first, last;
	return pcre2_substring_nametable_scan(re, (PCRE2_SPTR)name, &first, &last) > 0;
}

static int add_keyword(struct secret_engine *eng, const char *kw, uint32_t *id)
{
	size_t n = strlen(kw);
	char *low = arena_strndup(&eng->arena, kw, n);
	if (!low)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	for (size_t i = 0; i < eng->nkeywords; i++)
		if (strcmp(eng->keywords[i], low) == 0) {
			*id = (uint32_t)i;
			return BOSUN_OK;
		}
	char **v = realloc(eng->keywords, (eng->nkeywords + 1) * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	eng->keywords = v;
	v[eng->nkeywords] = low;
	*id = (uint32_t)eng->nkeywords++;
	return BOSUN_OK;
}

static int compile_rule(struct secret_engine *eng, struct rule *r, struct berr *e)
{
	char msg[300];
	const struct secret_rule_def *d = &r->def;
	r->near_anchor = -1;
	if (d->flags & RULE_CONFIG_ONLY)
		return BOSUN_OK;
	if (!(r->re = secret_pcre_compile(d->regex, msg, sizeof msg)))
		return berr_set(e, BOSUN_EFORMAT, "secret rule \"%s\": regex: %s", d->id, msg);
	uint32_t minlen = 1;
	if (pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &minlen) == 0 && minlen == 0)
		return berr_set(e, BOSUN_EFORMAT, "secret rule \"%s\": regex matches the empty string", d->id);
	if (d->secret_group && !group_exists(r->re, d->secret_group))
		return berr_set(e, BOSUN_EFORMAT, "secret rule \"%s\": regex has no group named \"%s\"", d->id,
				d->secret_group);
	if (r->path_src && !(r->path_re = secret_pcre_compile(r->path_src, msg, sizeof msg)))
		return berr_set(e, BOSUN_EFORMAT, "secret rule \"%s\": path: %s", d->id, msg);
	if (d->near_regex) {
		if (!(r->near_re = secret_pcre_compile(d->near_regex, msg, sizeof msg)))
			return berr_set(e, BOSUN_EFORMAT, "secret rule \"%s\": near regex: %s", d->id, msg);
		r->near_anchor = secret_rule_index(eng, d->near_rule); /* -1 when disabled: no near form */
	}
	for (size_t i = 0; i < r->nallows; i++)
		TRY(compile_allow(&r->allows[i], "secret rule allow-rule", e));
	if (r->nkeywords) {
		r->kw_ids = arena_alloc(&eng->arena, r->nkeywords * sizeof *r->kw_ids);
		if (!r->kw_ids)
			return BOSUN_ENOMEM;
		/* not kept as a pointer into def: the rule array moves while the rule file is applied */
		const char *const *kw = r->keywords ? r->keywords : r->def.keywords;
		for (size_t i = 0; i < r->nkeywords; i++)
			TRY(add_keyword(eng, kw[i], &r->kw_ids[i]));
	}
	return BOSUN_OK;
}

/* A keyword as a Hyperscan regex: every byte escaped. */
static char *hs_literal(struct arena *a, const char *kw)
{
	size_t n = strlen(kw);
	char *s = arena_alloc(a, n * 4 + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		sprintf(s + 4 * i, "\\x%02x", (unsigned char)kw[i]);
	return s;
}

/* Parses a {m}, {m,} or {m,n} quantifier at p; false when p does not start one. */
static bool parse_bounds(const char *p, long *lo, long *hi, size_t *len)
{
	char *e;
	if (*p != '{' || !(p[1] >= '0' && p[1] <= '9'))
		return false;
	*lo = strtol(p + 1, &e, 10);
	*hi = *lo;
	if (*e == ',') {
		if (e[1] == '}') {
			*hi = -1;
			e++;
		} else {
			if (!(e[1] >= '0' && e[1] <= '9'))
				return false;
			*hi = strtol(e + 1, &e, 10);
		}
	}
	if (*e != '}')
		return false;
	*len = (size_t)(e + 1 - p);
	return true;
}

/* The regex as Hyperscan gets it: named groups made plain (Hyperscan
 * refuses a name used twice), and repeats bounded above HS_MAX_BOUND made
 * open, which keeps compile time small. A superset of the matches: PCRE2
 * confirms every one. */
static char *hs_expression(struct arena *a, const char *re)
{
	size_t n = strlen(re);
	/* a rewritten quantifier grows by at most one byte ("{99}" -> "{16,}") */
	char *o = arena_alloc(a, 2 * n + 16);
	if (!o)
		return NULL;
	size_t w = 0;
	bool in_class = false;
	for (size_t i = 0; i < n;) {
		char c = re[i];
		if (c == '\\') {
			o[w++] = re[i++];
			if (i < n)
				o[w++] = re[i++];
			continue;
		}
		if (in_class) {
			in_class = c != ']';
			o[w++] = re[i++];
			continue;
		}
		if (c == '[') {
			in_class = true;
			o[w++] = re[i++];
			if (i < n && re[i] == '^')
				o[w++] = re[i++];
			if (i < n && re[i] == ']')
				o[w++] = re[i++];
			continue;
		}
		/* (?<name> and (?P<name>, but not the lookbehinds (?<= (?<! */
		if (c == '(' && re[i + 1] == '?' &&
		    ((re[i + 2] == '<' && re[i + 3] != '=' && re[i + 3] != '!') || (re[i + 2] == 'P' && re[i + 3] == '<'))) {
			const char *gt = strchr(re + i, '>');
			if (gt) {
				o[w++] = '(';
				i = (size_t)(gt - re) + 1;
				continue;
			}
		}
		long lo, hi;
		size_t len;
		if (c == '{' && parse_bounds(re + i, &lo, &hi, &len)) {
			if (hi < 0 || hi > HS_MAX_BOUND) {
				w += (size_t)sprintf(o + w, "{%ld,}", lo > HS_MAX_BOUND ? (long)HS_MAX_BOUND : lo);
				i += len;
				continue;
			}
			memcpy(o + w, re + i, len);
			w += len;
			i += len;
			continue;
		}
		o[w++] = re[i++];
	}
	o[w] = 0;
	return o;
}

/* Compiles keywords plus every rule regex Hyperscan accepts in prefilter
 * form. A regex it still refuses is dropped from the database and run on
 * PCRE2 alone. */
static int compile_hs(struct secret_engine *eng, struct berr *e)
{
	size_t max = eng->nrules + eng->nkeywords;
	const char **expr = calloc(max ? max : 1, sizeof *expr);
	unsigned *flags = calloc(max ? max : 1, sizeof *flags);
	unsigned *ids = calloc(max ? max : 1, sizeof *ids);
	int rc = BOSUN_OK;
	if (!expr || !flags || !ids) {
		rc = BOSUN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < eng->nrules; i++) {
		struct rule *r = &eng->rules[i];
		r->in_hs = false;
		if (r->re && !(r->hs_expr = hs_expression(&eng->arena, r->def.regex))) {
			rc = BOSUN_ENOMEM;
			goto out;
		}
		r->in_hs = r->re != NULL;
	}
	for (;;) {
		size_t n = 0;
		for (size_t i = 0; i < eng->nrules; i++) {
			if (!eng->rules[i].in_hs)
				continue;
			expr[n] = eng->rules[i].hs_expr;
			flags[n] = HS_FLAG_PREFILTER;
			ids[n++] = (unsigned)i;
		}
		for (size_t k = 0; k < eng->nkeywords; k++) {
			if (!(expr[n] = hs_literal(&eng->arena, eng->keywords[k]))) {
				rc = BOSUN_ENOMEM;
				goto out;
			}
			flags[n] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
			ids[n++] = (unsigned)(eng->nrules + k);
		}
		if (n == 0)
			break; /* no rules at all: nothing to scan for */
		hs_compile_error_t *ce = NULL;
		if (hs_compile_multi(expr, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &eng->db, &ce) == HS_SUCCESS)
			break;
		int bad = ce ? ce->expression : -1;
		if (bad >= 0 && ids[bad] < eng->nrules) {
			eng->rules[ids[bad]].in_hs = false;
			hs_free_compile_error(ce);
			continue;
		}
		/* not one pattern's fault: run every rule on PCRE2, keep only keywords */
		bool any = false;
		for (size_t i = 0; i < eng->nrules; i++) {
			any |= eng->rules[i].in_hs;
			eng->rules[i].in_hs = false;
		}
		if (!any) {
			rc = berr_set(e, BOSUN_EFORMAT, "secret rules: Hyperscan: %s", ce ? ce->message : "compile failed");
			hs_free_compile_error(ce);
			goto out;
		}
		hs_free_compile_error(ce);
	}
	if (eng->db && hs_alloc_scratch(eng->db, &eng->scratch_proto) != HS_SUCCESS)
		rc = berr_set(e, BOSUN_ENOMEM, "secret rules: cannot allocate Hyperscan scratch");
out:
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

static int load_builtins(struct secret_engine *eng)
{
	eng->rules = calloc(secret_builtin_rule_count, sizeof *eng->rules);
	eng->allows = calloc(secret_builtin_allow_count, sizeof *eng->allows);
	if (!eng->rules || !eng->allows)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < secret_builtin_rule_count; i++) {
		struct rule *r = &eng->rules[eng->nrules++];
		r->def = secret_builtin_rules[i];
		while (r->nkeywords < SECRET_MAX_KEYWORDS && r->def.keywords[r->nkeywords])
			r->nkeywords++;
	}
	for (size_t i = 0; i < secret_builtin_allow_count; i++) {
		const struct secret_allow_def *d = &secret_builtin_allows[i];
		eng->allows[eng->nallows++] = (struct allow_rule){ .id = d->id, .description = d->description,
								    .path_src = d->path_regex,
								    .secret_src = d->secret_regex };
	}
	return BOSUN_OK;
}

/* config_path or config_text (with what naming it) is the rule file. */
static int engine_build(const struct secret_options *o, const char *config_text, size_t config_len, bool full,
			struct secret_engine **out, struct berr *e)
{
	*out = NULL;
	struct secret_engine *eng = calloc(1, sizeof *eng);
	if (!eng)
		return berr_set(e, BOSUN_ENOMEM, "secret engine: out of memory");
	pthread_mutex_init(&eng->pool_lock, NULL);
	eng->max_file_bytes = o && o->max_file_bytes ? o->max_file_bytes : SECRET_DEFAULT_MAX_FILE_BYTES;
	if (eng->max_file_bytes > SECRET_MAX_FILE_BYTES_CAP)
		eng->max_file_bytes = SECRET_MAX_FILE_BYTES_CAP;
	eng->scan_binaries = o && o->scan_binaries;
	const char *what = o && o->config_path ? o->config_path : "secret config";
	int rc = load_builtins(eng);
	if (rc == BOSUN_OK && config_text)
		rc = secret_config_apply_text(eng, config_text, config_len, what, e);
	else if (rc == BOSUN_OK && o && o->config_path)
		rc = secret_config_apply(eng, o->config_path, e);
	bool config_ok = rc == BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < eng->nrules; i++)
		if (full || eng->rules[i].custom)
			rc = compile_rule(eng, &eng->rules[i], e);
	for (size_t i = 0; rc == BOSUN_OK && i < eng->nallows; i++)
		rc = compile_allow(&eng->allows[i], "secret allow-rule", e);
	if (config_ok && rc == BOSUN_EFORMAT && (config_text || (o && o->config_path)))
		berr_wrap(e, rc, "%s", what);
	if (rc == BOSUN_OK && full)
		rc = compile_hs(eng, e);
	if (rc != BOSUN_OK) {
		if (rc == BOSUN_ENOMEM && e && !e->code)
			berr_set(e, rc, "secret engine: out of memory");
		secret_engine_free(eng);
		return rc;
	}
	*out = eng;
	return BOSUN_OK;
}

int secret_engine_new(const struct secret_options *o, struct secret_engine **out, struct berr *e)
{
	return engine_build(o, NULL, 0, true, out, e);
}

int secret_engine_new_from_text(const char *config, size_t n, bool full, struct secret_engine **out, struct berr *e)
{
	return engine_build(NULL, config, n, full, out, e);
}

void secret_engine_free(struct secret_engine *eng)
{
	if (!eng)
		return;
	for (size_t i = 0; i < eng->nrules; i++) {
		struct rule *r = &eng->rules[i];
		pcre2_code_free(r->re);
		pcre2_code_free(r->path_re);
		pcre2_code_free(r->near_re);
		for (size_t k = 0; k < r->nallows; k++)
			free_allow(&r->allows[k]);
	}
	for (size_t i = 0; i < eng->nallows; i++)
		free_allow(&eng->allows[i]);
	for (size_t i = 0; i < eng->npool; i++)
		hs_free_scratch(eng->pool[i]);
	hs_free_scratch(eng->scratch_proto);
	hs_free_database(eng->db);
	pthread_mutex_destroy(&eng->pool_lock);
	free(eng->rules);
	free(eng->allows);
	free(eng->keywords);
	arena_free(&eng->arena);
	free(eng);
}

size_t secret_rule_count(const struct secret_engine *eng) { return eng->nrules; }

void secret_rule_info(const struct secret_engine *eng, size_t i, const char **id, const char **category,
		      const char **title, enum vuln_severity *sev)
{
	const struct secret_rule_def *d = &eng->rules[i].def;
	if (id)
		*id = d->id;
	if (category)
		*category = d->category;
	if (title)
		*title = d->title;
	if (sev)
		*sev = d->severity;
}

