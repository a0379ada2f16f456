#include "policy/rule_policy.h"
#include "util/buf.h"
#include "util/yaml_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct rule_setting {
	const char *pattern; /* rule id or glob */
	int enabled;         /* -1: not set */
	int severity;        /* -1: not set, else enum vuln_severity */
};

struct exception {
	const char **rules;
	size_t nrules;
	const char *ns, *name, *kind, *path; /* globs; NULL = any */
	const char *reason;
	char expires[11];
	bool expired;
	unsigned line;
};

struct rule_policy {
	struct arena arena;
	const char *what;
	const char *profile;
	struct rule_setting *rules;
	size_t nrules;
	const char **registries;
	size_t nregistries;
	struct exception *exc;
	size_t nexc;
};

/* ---- globs ----------------------------------------------------------------- */

bool rule_policy_glob(const char *p, const char *s)
{
	/* the classic two-pointer match: on a mismatch, retry from just after
	 * the last '*' with one more character swallowed */
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static bool has_glob(const char *s) { return strpbrk(s, "*?") != NULL; }

/* ---- parsing -------------------------------------------------------------------- */

struct parser {
	struct rule_policy *p;
	struct yaml_json_lines *lines;
	const char *today;
	struct berr *e;
	json_t *doc;
	int ndocs;
};

static int perr(struct parser *ps, const json_t *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(struct parser *ps, const json_t *obj, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	unsigned line = key ? yaml_json_member_line(ps->lines, obj, key) : 0;
	if (!line)
		line = yaml_json_line(ps->lines, obj);
	if (line)
		return berr_set(ps->e, BOSUN_EFORMAT, "%s line %u: %s", ps->p->what, line, msg);
	return berr_set(ps->e, BOSUN_EFORMAT, "%s: %s", ps->p->what, msg);
}

static int on_doc(void *ctx, json_t *doc, unsigned line, struct berr *e)
{
	struct parser *ps = ctx;
	(void)line;
	(void)e;
	if (++ps->ndocs > 1) {
		json_decref(doc);
		return berr_set(ps->e, BOSUN_EFORMAT, "%s: more than one YAML document", ps->p->what);
	}
	ps->doc = doc;
	return BOSUN_OK;
}

static bool only_keys(const json_t *obj, const char *const *allowed, const char **bad)
{
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = !strcmp(k, allowed[i]);
		if (!ok) {
			*bad = k;
			return false;
		}
	}
	return true;
}

/* on/off as YAML booleans or the words on, off, enabled, disabled. */
static int switch_value(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	const char *s = json_string_value(v);
	if (!s)
		return -1;
	if (!strcasecmp(s, "on") || !strcasecmp(s, "enabled") || !strcasecmp(s, "yes"))
		return 1;
	if (!strcasecmp(s, "off") || !strcasecmp(s, "disabled") || !strcasecmp(s, "no"))
		return 0;
	return -1;
}

static int parse_rule(struct parser *ps, const json_t *rules, const char *id, const json_t *v,
		      struct rule_setting *out)
{
	*out = (struct rule_setting){ arena_strdup(&ps->p->arena, id), -1, -1 };
	if (!out->pattern)
		return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	int sw = switch_value(v);
	if (sw >= 0) {
		out->enabled = sw;
		return BOSUN_OK;
	}
	static const char *const keys[] = { "enabled", "severity", NULL };
	const char *bad;
	if (!json_is_object(v))
		return perr(ps, rules, id, "rule %s: expected on, off or a mapping with enabled and severity", id);
	if (!only_keys(v, keys, &bad))
		return perr(ps, v, bad, "rule %s: unknown key '%s' (known: enabled, severity)", id, bad);
	const json_t *en = json_object_get(v, "enabled");
	if (en && (out->enabled = switch_value(en)) < 0)
		return perr(ps, v, "enabled", "rule %s: enabled must be true or false", id);
	const json_t *sev = json_object_get(v, "severity");
	if (sev) {
		enum vuln_severity s;
		if (!json_is_string(sev) || vuln_severity_parse(json_string_value(sev), &s))
			return perr(ps, v, "severity",
				    "rule %s: severity must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN", id);
		out->severity = (int)s;
	}
	return BOSUN_OK;
}

static int parse_rules(struct parser *ps, const json_t *rules)
{
	if (!json_is_object(rules))
		return perr(ps, ps->doc, "rules", "rules must be a mapping of rule id to settings");
	size_t n = json_object_size(rules);
	if (n > RULE_POLICY_MAX_ENTRIES)
		return berr_set(ps->e, BOSUN_ELIMIT, "%s: more than %d rules", ps->p->what, RULE_POLICY_MAX_ENTRIES);
	ps->p->rules = arena_alloc(&ps->p->arena, (n ? n : 1) * sizeof *ps->p->rules);
	if (!ps->p->rules)
		return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	const char *id;
	const json_t *v;
	json_object_foreach((json_t *)rules, id, v)
		TRY(parse_rule(ps, rules, id, v, &ps->p->rules[ps->p->nrules++]));
	return BOSUN_OK;
}

/* A string or a list of strings, copied into out[]. */
static int string_list(struct parser *ps, const json_t *parent, const char *key, const json_t *v,
		       const char ***out, size_t *n)
{
	size_t cnt = json_is_array(v) ? json_array_size(v) : 1;
	if (cnt > RULE_POLICY_MAX_ENTRIES)
		return berr_set(ps->e, BOSUN_ELIMIT, "%s: more than %d entries in %s", ps->p->what,
				RULE_POLICY_MAX_ENTRIES, key);
	*out = arena_alloc(&ps->p->arena, (cnt ? cnt : 1) * sizeof **out);
	if (!*out)
		return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	*n = 0;
	for (size_t i = 0; i < cnt; i++) {
		const json_t *s = json_is_array(v) ? json_array_get(v, i) : v;
		if (!json_is_string(s) || !json_string_length(s))
			return perr(ps, parent, key, "%s must be a non-empty string or a list of them", key);
		if (!((*out)[(*n)++] = arena_strdup(&ps->p->arena, json_string_value(s))))
			return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	}
	return BOSUN_OK;
}

/* YYYY-MM-DD with a real month and day. */
static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

static int exc_string(struct parser *ps, const json_t *x, const char *key, const char **out)
{
	const json_t *v = json_object_get(x, key);
	*out = NULL;
	if (!v)
		return BOSUN_OK;
	if (!json_is_string(v) || !json_string_length(v))
		return perr(ps, x, key, "exception: %s must be a non-empty string", key);
	if (!(*out = arena_strdup(&ps->p->arena, json_string_value(v))))
		return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	return BOSUN_OK;
}

static int parse_exception(struct parser *ps, const json_t *x, struct exception *out)
{
	static const char *const keys[] = { "rule", "rules", "namespace", "name", "kind",
					    "path", "reason", "expires", NULL };
	const char *bad;
	if (!json_is_object(x))
		return perr(ps, x, NULL, "an exception must be a mapping (rule, namespace, name, reason, expires...)");
	if (!only_keys(x, keys, &bad))
		return perr(ps, x, bad,
			    "exception: unknown key '%s' (known: rule, rules, namespace, name, kind, path, reason, "
			    "expires)",
			    bad);
	memset(out, 0, sizeof *out);
	out->line = yaml_json_line(ps->lines, x);
	const char *rk = json_object_get(x, "rule") ? "rule" : "rules";
	const json_t *r = json_object_get(x, rk);
	if (!r || (json_object_get(x, "rule") && json_object_get(x, "rules")))
		return perr(ps, x, NULL, "exception: exactly one of rule or rules is required");
	TRY(string_list(ps, x, rk, r, &out->rules, &out->nrules));
	if (!out->nrules)
		return perr(ps, x, rk, "exception: rules must not be empty");
	TRY(exc_string(ps, x, "namespace", &out->ns));
	TRY(exc_string(ps, x, "name", &out->name));
	TRY(exc_string(ps, x, "kind", &out->kind));
	TRY(exc_string(ps, x, "path", &out->path));
	TRY(exc_string(ps, x, "reason", &out->reason));
	if (!out->reason)
		return perr(ps, x, NULL, "exception for %s: a reason is required (say why the finding is accepted)",
			    out->rules[0]);
	const json_t *ex = json_object_get(x, "expires");
	if (ex) {
		const char *d = json_string_value(ex);
		if (!d || !valid_date(d))
			return perr(ps, x, "expires", "exception for %s: expires must be a date YYYY-MM-DD",
				    out->rules[0]);
		memcpy(out->expires, d, 11);
		out->expired = strcmp(out->expires, ps->today) <= 0; /* valid until the day before */
	}
	return BOSUN_OK;
}

static int parse_exceptions(struct parser *ps, const json_t *v)
{
	if (!json_is_array(v))
		return perr(ps, ps->doc, "exceptions", "exceptions must be a list");
	size_t n = json_array_size(v);
	if (n > RULE_POLICY_MAX_ENTRIES)
		return berr_set(ps->e, BOSUN_ELIMIT, "%s: more than %d exceptions", ps->p->what,
				RULE_POLICY_MAX_ENTRIES);
	ps->p->exc = arena_alloc(&ps->p->arena, (n ? n : 1) * sizeof *ps->p->exc);
	if (!ps->p->exc)
		return berr_set(ps->e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		TRY(parse_exception(ps, json_array_get(v, i), &ps->p->exc[ps->p->nexc++]));
	return BOSUN_OK;
}

static int parse_doc(struct parser *ps)
{
	const json_t *d = ps->doc;
	if (!d || json_is_null(d))
		return BOSUN_OK; /* an empty policy changes nothing */
	if (!json_is_object(d))
		return perr(ps, d, NULL, "a policy is a mapping (profile, rules, registries, exceptions)");
	static const char *const keys[] = { "profile", "rules", "registries", "exceptions", NULL };
	const char *bad;
	if (!only_keys(d, keys, &bad))
		return perr(ps, d, bad, "unknown key '%s' (known: profile, rules, registries, exceptions)", bad);
	const json_t *prof = json_object_get(d, "profile");
	if (prof) {
		const char *s = json_string_value(prof);
		if (!s || (strcmp(s, "baseline") && strcmp(s, "restricted")))
			return perr(ps, d, "profile", "profile must be baseline or restricted");
		ps->p->profile = arena_strdup(&ps->p->arena, s);
	}
	const json_t *v;
	if ((v = json_object_get(d, "rules")))
		TRY(parse_rules(ps, v));
	if ((v = json_object_get(d, "registries")))
		TRY(string_list(ps, d, "registries", v, &ps->p->registries, &ps->p->nregistries));
	if ((v = json_object_get(d, "exceptions")))
		TRY(parse_exceptions(ps, v));
	return BOSUN_OK;
}

static void today_utc(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int rule_policy_parse(const char *data, size_t n, const char *what, const char *today, struct rule_policy **out,
		      struct berr *e)
{
	*out = NULL;
	if (n > RULE_POLICY_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: policy larger than %zu MiB", what, RULE_POLICY_MAX_BYTES >> 20);
	char now[11];
	if (!today) {
		today_utc(now);
		today = now;
	}
	struct rule_policy *p = calloc(1, sizeof *p);
	struct parser ps = { .p = p, .today = today, .e = e, .lines = yaml_json_lines_new() };
	if (!p || !ps.lines || !(p->what = arena_strdup(&p->arena, what))) {
		yaml_json_lines_free(ps.lines);
		rule_policy_free(p);
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	int rc = yaml_json_parse_stream(data, n, NULL, what, ps.lines, on_doc, &ps, e);
	if (rc == BOSUN_OK)
		rc = parse_doc(&ps);
	json_decref(ps.doc);
	yaml_json_lines_free(ps.lines);
	if (rc) {
		rule_policy_free(p);
		return rc;
	}
	*out = p;
	return BOSUN_OK;
}

int rule_policy_load(const char *path, const char *today, struct rule_policy **out, struct berr *e)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "policy %s: %s", path,
				strerror(errno));
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (;;) {
		if (b.len > RULE_POLICY_MAX_BYTES) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: policy larger than %zu MiB", path,
				      RULE_POLICY_MAX_BYTES >> 20);
			break;
		}
		if (buf_reserve(&b, 65536)) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = berr_set(e, BOSUN_EIO, "policy %s: %s", path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
	}
	close(fd);
	if (rc == BOSUN_OK)
		rc = rule_policy_parse(b.data ? b.data : "", b.len, path, today, out, e);
	buf_free(&b);
	return rc;
}

void rule_policy_free(struct rule_policy *p)
{
	if (!p)
		return;
	arena_free(&p->arena);
	free(p);
}

/* ---- queries -------------------------------------------------------------------- */

/* The entry deciding a rule's setting: exact id first, else the longest
 * glob (the most specific); field selects enabled (0) or severity (1), and
 * only entries that set it count. */
static int setting(const struct rule_policy *p, const char *id, int field)
{
	if (!p || !id)
		return -1;
	int best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule_setting *r = &p->rules[i];
		int v = field ? r->severity : r->enabled;
		if (v < 0)
			continue;
		if (!strcmp(r->pattern, id))
			return v;
		size_t len = strlen(r->pattern);
		if (has_glob(r->pattern) && len >= best_len && rule_policy_glob(r->pattern, id)) {
			best = v;
			best_len = len;
		}
	}
	return best;
}

bool rule_policy_enabled(const struct rule_policy *p, const char *rule_id) { return setting(p, rule_id, 0) != 0; }

enum vuln_severity rule_policy_severity(const struct rule_policy *p, const char *rule_id, enum vuln_severity dflt)
{
	int v = setting(p, rule_id, 1);
	return v < 0 ? dflt : (enum vuln_severity)v;
}

const char *rule_policy_profile(const struct rule_policy *p) { return p ? p->profile : NULL; }

const char *const *rule_policy_registries(const struct rule_policy *p, size_t *n)
{
	*n = p ? p->nregistries : 0;
	return p ? p->registries : NULL;
}

/* "nginx:1.25" -> "docker.io/library/nginx"; "ghcr.io/a/b@sha256:.." -> "ghcr.io/a/b". */
static void image_repo(const char *image, char *out, size_t n)
{
	size_t len = strcspn(image, "@");
	const char *slash = memrchr(image, '/', len);
	const char *colon = memrchr(slash ? slash : image, ':', len - (size_t)((slash ? slash : image) - image));
	if (colon)
		len = (size_t)(colon - image); /* the tag */
	const char *first_slash = memchr(image, '/', len);
	bool has_host = false;
	if (first_slash) {
		size_t hl = (size_t)(first_slash - image);
		has_host = memchr(image, '.', hl) || memchr(image, ':', hl) ||
			   (hl == 9 && !memcmp(image, "localhost", 9));
	}
	if (has_host) {
		size_t hl = (size_t)(first_slash - image);
		if ((hl == 15 && !memcmp(image, "index.docker.io", 15)) ||
		    (hl == 20 && !memcmp(image, "registry-1.docker.io", 20)))
			snprintf(out, n, "docker.io%.*s", (int)(len - hl), first_slash);
		else
			snprintf(out, n, "%.*s", (int)len, image);
	} else {
		snprintf(out, n, "docker.io/%s%.*s", first_slash ? "" : "library/", (int)len, image);
	}
}

static bool entry_allows(const char *entry, const char *repo)
{
	char e[512];
	snprintf(e, sizeof e, "%s", entry);
	size_t el = strlen(e);
	while (el && e[el - 1] == '/')
		e[--el] = '\0';
	if (!strncmp(e, "index.docker.io", 15) && (e[15] == '/' || !e[15]))
		memmove(e, e + 6, el - 5); /* "index.docker.io" -> "docker.io" */
	el = strlen(e);
	if (!has_glob(e))
		return !strncmp(repo, e, el) && (repo[el] == '/' || !repo[el]);
	size_t hl = strcspn(repo, "/");
	char host[256];
	snprintf(host, sizeof host, "%.*s", (int)(hl < sizeof host ? hl : sizeof host - 1), repo);
	char under[520];
	snprintf(under, sizeof under, "%s/*", e);
	return rule_policy_glob(e, host) || rule_policy_glob(e, repo) || rule_policy_glob(under, repo);
}

bool rule_policy_image_allowed(const struct rule_policy *p, const char *image)
{
	if (!p || !p->nregistries)
		return true;
	char repo[1024];
	image_repo(image, repo, sizeof repo);
	for (size_t i = 0; i < p->nregistries; i++)
		if (entry_allows(p->registries[i], repo))
			return true;
	return false;
}

/* ---- applying -------------------------------------------------------------------- */

static bool opt_glob(const char *pattern, const char *s) { return !pattern || (s && rule_policy_glob(pattern, s)); }

static bool exception_covers(const struct exception *x, const struct finding *f)
{
	bool rule = false;
	for (size_t i = 0; i < x->nrules && !rule; i++)
		rule = rule_policy_glob(x->rules[i], f->rule_id ? f->rule_id : "");
	if (!rule || !opt_glob(x->ns, f->ns) || !opt_glob(x->name, f->object) || !opt_glob(x->path, f->path))
		return false;
	if (x->kind) {
		/* the kind is the start of a Kubernetes location: "Deployment/prod/web: ..." */
		const char *loc = f->location ? f->location : "";
		size_t kl = strcspn(loc, "/");
		char kind[128];
		snprintf(kind, sizeof kind, "%.*s", (int)(kl < sizeof kind ? kl : sizeof kind - 1), loc);
		if (!rule_policy_glob(x->kind, kind))
			return false;
	}
	return true;
}

static int add_warning(struct rule_policy_outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_warning(struct rule_policy_outcome *o, const char *fmt, ...)
{
	char **w = realloc(o->warnings, (o->nwarnings + 1) * sizeof *w);
	if (!w)
		return BOSUN_ENOMEM;
	o->warnings = w;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&w[o->nwarnings], fmt, ap);
	va_end(ap);
	if (r < 0)
		return BOSUN_ENOMEM;
	o->nwarnings++;
	return BOSUN_OK;
}

static void describe_scope(const struct exception *x, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s%s%s%s", x->kind ? x->kind : "", x->kind ? " " : "", x->ns ? x->ns : "*",
		 "/", x->name ? x->name : "*", x->path ? " in " : "", x->path ? x->path : "");
}

int rule_policy_apply(const struct rule_policy *p, struct finding_list *l, struct rule_policy_outcome *out,
		      struct berr *e)
{
	memset(out, 0, sizeof *out);
	if (!p)
		return BOSUN_OK;
	size_t *expired_hits = p->nexc ? calloc(p->nexc, sizeof *expired_hits) : NULL;
	if (p->nexc && !expired_hits)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	size_t keep = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		if (!rule_policy_enabled(p, f->rule_id)) {
			out->disabled++;
			continue;
		}
		bool excepted = false;
		for (size_t j = 0; j < p->nexc && !excepted; j++) {
			if (!exception_covers(&p->exc[j], f))
				continue;
			if (p->exc[j].expired)
				expired_hits[j]++;
			else
				excepted = true;
		}
		if (excepted) {
			out->excepted++;
			continue;
		}
		enum vuln_severity s = rule_policy_severity(p, f->rule_id, f->severity);
		if (s != f->severity) {
			f->severity = s;
			out->overridden++;
		}
		l->v[keep++] = *f;
	}
	l->n = keep;
	int rc = BOSUN_OK;
	for (size_t j = 0; j < p->nexc && rc == BOSUN_OK; j++) {
		const struct exception *x = &p->exc[j];
		if (!x->expired)
			continue;
		char scope[512];
		describe_scope(x, scope, sizeof scope);
		if (add_warning(out, "%s line %u: exception for %s (%s) expired on %s; %zu finding%s no longer excepted",
				p->what, x->line, x->rules[0], scope, x->expires, expired_hits[j],
				expired_hits[j] == 1 ? " is" : "s are"))
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	free(expired_hits);
	return rc;
}

void rule_policy_outcome_free(struct rule_policy_outcome *o)
{
	for (size_t i = 0; i < o->nwarnings; i++)
		free(o->warnings[i]);
	free(o->warnings);
	memset(o, 0, sizeof *o);
}
