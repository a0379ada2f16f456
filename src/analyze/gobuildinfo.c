/* Go build information text (runtime/debug.BuildInfo.String format) to
 * packages, following Trivy's Go binary parser so that reports agree:
 * stdlib "v" + toolchain version, the main module only with a version,
 * dependencies with their replacements. */
#include "analyze/gobinary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

#define GO_PATH_MAX 512
#define GO_VER_MAX 256
#define GO_MAX_DEPS 20000
#define LDFLAGS_MAX_ARGS 256
#define LDFLAGS_ARG_MAX 1024

/* ---- semver (golang.org/x/mod/semver) ---- */

static bool num_ok(const char *v, size_t n, size_t *i)
{
	size_t s = *i;
	while (*i < n && v[*i] >= '0' && v[*i] <= '9')
		(*i)++;
	return *i > s && (*i - s == 1 || v[s] != '0');
}

static bool ident_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated non-empty identifiers; numeric ones without leading
 * zeros when `numeric` (prerelease). */
static bool idents_ok(const char *v, size_t n, size_t *i, bool numeric)
{
	for (;;) {
		size_t s = *i;
		bool digits = true;
		while (*i < n && ident_char(v[*i])) {
			digits &= v[*i] >= '0' && v[*i] <= '9';
			(*i)++;
		}
		if (*i == s || (numeric && digits && *i - s > 1 && v[s] == '0'))
			return false;
		if (*i == n || v[*i] != '.')
			return true;
		(*i)++;
	}
}

bool go_semver_valid(const char *v, size_t n)
{
	size_t i = 1;
	if (n < 2 || v[0] != 'v' || !num_ok(v, n, &i))
		return false;
	if (i == n)
		return true; /* "v1" */
	if (v[i++] != '.' || !num_ok(v, n, &i))
		return false;
	if (i == n)
		return true; /* "v1.2" */
	if (v[i++] != '.' || !num_ok(v, n, &i))
		return false;
	if (i < n && v[i] == '-') {
		i++;
		if (!idents_ok(v, n, &i, true))
			return false;
	}
	if (i < n && v[i] == '+') {
		i++;
		if (!idents_ok(v, n, &i, false))
			return false;
	}
	return i == n;
}

/* ---- -ldflags ---- */

/* Shell-style words (mattn/go-shellwords as Trivy uses it): blanks split,
 * quotes group, backslash escapes. Returns the number of words. */
static size_t split_words(const char *s, char (*out)[LDFLAGS_ARG_MAX], size_t max)
{
	size_t n = 0, len = 0;
	bool in_word = false;
	char quote = 0;
	for (const char *c = s;; c++) {
		bool end = *c == '\0';
		if (!end && !quote && (*c == ' ' || *c == '\t' || *c == '\n')) {
			end = in_word;
			if (!end)
				continue;
		}
		if (end) {
			if (in_word && n < max) {
				out[n][len] = '\0';
				n++;
			}
			in_word = false;
			len = 0;
			if (*c == '\0')
				return n;
			continue;
		}
		in_word = true;
		if (quote ? *c == quote : (*c == '"' || *c == '\'')) {
			quote = quote ? 0 : *c;
			continue;
		}
		if (*c == '\\' && quote != '\'' && c[1])
			c++;
		if (len + 1 < LDFLAGS_ARG_MAX && n < max)
			out[n][len++] = *c;
	}
}

struct xvers {
	char found[3][GO_VER_MAX]; /* one version per category, "" if none */
	int count[3];
};

static bool ascii_suffix_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

/* "github.com/x/y/pkg/version.Version" -> "version" (lower case). */
static bool prefix_is_default(const char *key, size_t n)
{
	const char *s = key;
	for (size_t i = 0; i < n; i++)
		if (key[i] == '/' && i > 0)
			s = key + i + 1;
	size_t m = (size_t)(key + n - s), d = 0;
	while (d < m && s[d] != '.')
		d++;
	static const char *const defaults[] = { "main", "common", "version", "cmd" };
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strlen(defaults[i]) == d && ascii_suffix_ci(s, d, defaults[i]))
			return true;
	return false;
}

/* One "key=value" of -X (commas separate more, as pflag's StringToString). */
static void x_pairs(const char *module, const char *arg, struct xvers *x)
{
	char buf[LDFLAGS_ARG_MAX];
	snprintf(buf, sizeof buf, "%s", arg);
	char *save = NULL;
	for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *key = kv, *val = eq + 1;
		while (*key == '\'')
			key++;
		size_t vn = strlen(val);
		while (vn && val[vn - 1] == '\'')
			val[--vn] = '\0';
		size_t kn = strlen(key);
		char vv[GO_VER_MAX + 1];
		snprintf(vv, sizeof vv, "v%s", val);
		if (!(ascii_suffix_ci(key, kn, ".version") || ascii_suffix_ci(key, kn, ".ver")) || vn >= GO_VER_MAX ||
		    !(go_semver_valid(val, vn) || go_semver_valid(vv, vn + 1)))
			continue;
		size_t ml = strlen(module);
		int cat = (kn > ml + 5 && strncmp(key, module, ml) == 0 && strncmp(key + ml, "/cmd/", 5) == 0) ? 0
			  : prefix_is_default(key, kn)                                                      ? 1
															    : 2;
		x->count[cat]++;
		snprintf(x->found[cat], sizeof x->found[cat], "%s", val);
	}
}

/* The -X values of the words (pflag shorthand: "-X k=v", "-Xk=v", "-X=k=v"). */
static void x_flags(const char *module, char (*w)[LDFLAGS_ARG_MAX], size_t n, struct xvers *x)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[i], "--") == 0)
			return;
		if (strncmp(w[i], "-X", 2) != 0)
			continue;
		const char *v = w[i] + 2;
		if (*v == '\0') {
			if (++i == n)
				return;
			v = w[i];
		} else if (*v == '=') {
			v++;
		}
		x_pairs(module, v, x);
	}
}

bool go_ldflags_version(const char *module, const char *ldflags, char *out, size_t cap)
{
	char(*w)[LDFLAGS_ARG_MAX] = malloc(LDFLAGS_MAX_ARGS * sizeof *w);
	if (!w)
		return false; /* no version is the safe answer */
	struct xvers x = { 0 };
	x_flags(module, w, split_words(ldflags, w, LDFLAGS_MAX_ARGS), &x);
	free(w);
	for (int cat = 0; cat < 3; cat++) {
		if (x.count[cat] == 0)
			continue;
		if (x.count[cat] > 1)
			return false; /* ambiguous: Trivy reports no version */
		snprintf(out, cap, "%s", x.found[cat]);
		return true;
	}
	return false;
}

/* ---- module list ---- */

struct bi_mod {
	struct slice path, version;
};

struct bi_parser {
	struct artifact *a;
	const char *found_in_src;
	char *found_in;
	size_t deps;
	bool limit_warned;
};

/* Module paths and versions are single printable tokens. */
static bool token_ok(struct slice s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

static int add_pkg(struct bi_parser *p, struct slice name, struct slice version, const char *relationship)
{
	struct arena *ar = &p->a->arena;
	if (!token_ok(name, GO_PATH_MAX) || !token_ok(version, GO_VER_MAX))
		return BOSUN_OK;
	if (!p->found_in && !(p->found_in = arena_strdup(ar, p->found_in_src)))
		return BOSUN_ENOMEM;
	struct package *pkg = artifact_add_package(p->a);
	if (!pkg)
		return BOSUN_ENOMEM;
	pkg->type = PKG_GOLANG;
	pkg->found_in = p->found_in;
	pkg->name = arena_slice(ar, name);
	pkg->version = arena_slice(ar, version);
	if (relationship && !(pkg->relationship = arena_strdup(ar, relationship)))
		return BOSUN_ENOMEM;
	return pkg->name && pkg->version ? BOSUN_OK : BOSUN_ENOMEM;
}

/* A dependency: its replacement when there is one; "(devel)" and local
 * directory replacements (no version) name no module version, and are
 * left out. */
static int add_dep(struct bi_parser *p, const struct bi_mod *m)
{
	if (m->path.n == 0 || m->version.n == 0 || slice_eq_cstr(m->version, "(devel)"))
		return BOSUN_OK;
	if (p->deps++ >= GO_MAX_DEPS) {
		if (!p->limit_warned)
			artifact_warn(p->a, "go binary: %s: more than %d modules, the rest is ignored", p->found_in_src,
				      GO_MAX_DEPS);
		p->limit_warned = true;
		return BOSUN_OK;
	}
	return add_pkg(p, m->path, m->version, NULL);
}

/* "go1.22.3 X:boringcrypto" -> "v1.22.3"; false for "devel ..." builds,
 * whose toolchain has no release to match. */
static bool stdlib_version(const char *gov, char *out, size_t cap)
{
	if (strncmp(gov, "go", 2) == 0)
		gov += 2;
	size_t n = strcspn(gov, " ");
	if (n == 0 || gov[0] < '0' || gov[0] > '9' || n + 2 > cap)
		return false;
	snprintf(out, cap, "v%.*s", (int)n, gov);
	return true;
}

/* strconv.Unquote for the quoted build setting values Go writes. */
static void unquote(struct slice v, char *out, size_t cap)
{
	size_t n = 0;
	if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"') {
		snprintf(out, cap, "%.*s", (int)v.n, v.p);
		return;
	}
	for (size_t i = 1; i + 1 < v.n && n + 1 < cap; i++) {
		char c = v.p[i];
		if (c == '\\' && i + 2 < v.n) {
			c = v.p[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		out[n++] = c;
	}
	out[n] = '\0';
}

/* Splits "a\tb\tc" into up to 4 fields. */
static size_t fields(struct slice line, struct slice *f, size_t max)
{
	size_t n = 0;
	struct slice rest = line, left;
	while (n < max) {
		bool more = slice_split(rest, '\t', &left, &rest);
		f[n++] = left;
		if (!more)
			break;
	}
	return n;
}

struct bi_state {
	struct bi_mod main, dep;
	bool have_main, have_dep, last_dep;
	char ldflags[4096];
};

static int bi_line(struct bi_parser *p, struct bi_state *s, struct slice line)
{
	struct slice f[4] = { 0 };
	size_t n = fields(line, f, 4);
	if (n < 2)
		return BOSUN_OK;
	struct bi_mod m = { f[1], n > 2 ? f[2] : slice_make(f[1].p, 0) };
	if (slice_eq_cstr(f[0], "mod")) {
		s->main = m;
		s->have_main = true;
		s->last_dep = false;
	} else if (slice_eq_cstr(f[0], "dep")) {
		if (s->have_dep)
			TRY(add_dep(p, &s->dep));
		s->dep = m;
		s->have_dep = s->last_dep = true;
	} else if (slice_eq_cstr(f[0], "=>") && s->last_dep) {
		s->dep = m;
	} else if (slice_eq_cstr(f[0], "build") && slice_starts_with(f[1], "-ldflags=")) {
		unquote(slice_make(f[1].p + 9, f[1].n - 9), s->ldflags, sizeof s->ldflags);
	}
	return BOSUN_OK;
}

/* The main module: its version, or one -ldflags stamped when it has none
 * ("(devel)") or only a pseudo-version; left out without one. */
static int add_main(struct bi_parser *p, struct bi_state *s)
{
	if (!s->have_main || !token_ok(s->main.path, GO_PATH_MAX))
		return BOSUN_OK;
	struct slice v = s->main.version;
	if (slice_eq_cstr(v, "(devel)"))
		v.n = 0;
	char path[GO_PATH_MAX + 1], stamped[GO_VER_MAX];
	snprintf(path, sizeof path, "%.*s", (int)s->main.path.n, s->main.path.p);
	if ((v.n == 0 || slice_starts_with(v, "v0.0.0")) && s->ldflags[0] &&
	    go_ldflags_version(path, s->ldflags, stamped, sizeof stamped))
		v = slice_cstr(stamped);
	return v.n ? add_pkg(p, s->main.path, v, "root") : BOSUN_OK;
}

int go_buildinfo_packages(const char *go_version, const char *modinfo, size_t modlen, const char *found_in,
			  struct artifact *a)
{
	struct bi_parser p = { .a = a, .found_in_src = found_in };
	char sv[GO_VER_MAX];
	if (go_version && stdlib_version(go_version, sv, sizeof sv))
		TRY(add_pkg(&p, slice_cstr("stdlib"), slice_cstr(sv), "direct"));
	struct bi_state s = { 0 };
	struct slice rest = slice_make(modinfo ? modinfo : "", modinfo ? modlen : 0), line;
	while (slice_next_line(&rest, &line))
		TRY(bi_line(&p, &s, line));
	if (s.have_dep)
		TRY(add_dep(&p, &s.dep));
	return add_main(&p, &s);
}
