/* go.mod and go.sum in project trees (fs: mode). The go.mod grammar is
 * small: one directive per line or a parenthesised block of them, tokens
 * separated by blanks, "quoted" or `raw` strings, // comments (of which
 * "// indirect" carries meaning). Tokens are slices of the input. */
#include "analyze/gomod.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "analyze/langpkg.h"
#include "util/err.h"

extern const struct analyzer analyzer_gomod;

#define GOMOD_MAX_TOKENS 8
#define GOMOD_MAX_ENTRIES 50000
#define GOMOD_MAX_PATH 4096

struct modver {
	struct slice path, version;
};

struct req {
	struct modver m;
	bool indirect;
};

struct repl {
	struct modver old, new;
};

struct gomod {
	struct langpkg_file lf;
	struct req *reqs;
	size_t nreqs, capreqs;
	struct repl *repls;
	size_t nrepls, caprepls;
	struct slice go, toolchain;
	size_t lineno;
};

/* ---- lexing ---- */

struct line {
	struct slice tok[GOMOD_MAX_TOKENS];
	size_t ntok;
	bool indirect; /* "// indirect" (or "// indirect; ...") */
	bool bad;      /* unterminated string or too many tokens */
};

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void comment(struct line *l, struct slice c)
{
	c = slice_trim(c);
	l->indirect = slice_eq_cstr(c, "indirect") || slice_starts_with(c, "indirect;");
}

static void lex(struct slice s, struct line *l)
{
	memset(l, 0, sizeof *l);
	size_t i = 0;
	while (i < s.n) {
		if (blank(s.p[i])) {
			i++;
			continue;
		}
		if (s.p[i] == '/' && i + 1 < s.n && s.p[i + 1] == '/') {
			comment(l, slice_make(s.p + i + 2, s.n - i - 2));
			return;
		}
		size_t start = i, end;
		char q = s.p[i] == '"' || s.p[i] == '`' ? s.p[i] : 0;
		if (q) {
			start = ++i;
			while (i < s.n && s.p[i] != q)
				i += s.p[i] == '\\' && q == '"' ? 2 : 1;
			if (i >= s.n) {
				l->bad = true;
				return;
			}
			end = i++;
		} else {
			while (i < s.n && !blank(s.p[i]) && !(s.p[i] == '/' && i + 1 < s.n && s.p[i + 1] == '/'))
				i++;
			end = i;
		}
		if (l->ntok == GOMOD_MAX_TOKENS) {
			l->bad = true;
			return;
		}
		l->tok[l->ntok++] = slice_make(s.p + start, end - start);
	}
}

/* ---- directives ---- */

static int add_req(struct gomod *g, const struct line *l, size_t at)
{
	if (l->ntok != at + 2) {
		langpkg_warn(&g->lf, "line %zu: malformed require, ignored", g->lineno);
		return BOSUN_OK;
	}
	if (g->nreqs == GOMOD_MAX_ENTRIES)
		return BOSUN_OK;
	if (g->nreqs == g->capreqs) {
		size_t nc = g->capreqs ? g->capreqs * 2 : 32;
		struct req *nr = realloc(g->reqs, nc * sizeof *nr);
		if (!nr)
			return BOSUN_ENOMEM;
		g->reqs = nr;
		g->capreqs = nc;
	}
	g->reqs[g->nreqs++] = (struct req){ { l->tok[at], l->tok[at + 1] }, l->indirect };
	return BOSUN_OK;
}

/* old [version] => new [version] */
static int add_repl(struct gomod *g, const struct line *l, size_t at)
{
	size_t arrow = at;
	while (arrow < l->ntok && !slice_eq_cstr(l->tok[arrow], "=>"))
		arrow++;
	size_t nold = arrow - at, nnew = l->ntok - arrow - (arrow < l->ntok);
	if (arrow == l->ntok || nold < 1 || nold > 2 || nnew < 1 || nnew > 2) {
		langpkg_warn(&g->lf, "line %zu: malformed replace, ignored", g->lineno);
		return BOSUN_OK;
	}
	if (g->nrepls == GOMOD_MAX_ENTRIES)
		return BOSUN_OK;
	if (g->nrepls == g->caprepls) {
		size_t nc = g->caprepls ? g->caprepls * 2 : 8;
		struct repl *nr = realloc(g->repls, nc * sizeof *nr);
		if (!nr)
			return BOSUN_ENOMEM;
		g->repls = nr;
		g->caprepls = nc;
	}
	struct slice none = slice_make("", 0);
	g->repls[g->nrepls++] = (struct repl){
		{ l->tok[at], nold == 2 ? l->tok[at + 1] : none },
		{ l->tok[arrow + 1], nnew == 2 ? l->tok[arrow + 2] : none },
	};
	return BOSUN_OK;
}

enum block { B_NONE, B_REQUIRE, B_REPLACE, B_OTHER };

static enum block verb_block(struct slice v)
{
	if (slice_eq_cstr(v, "require"))
		return B_REQUIRE;
	if (slice_eq_cstr(v, "replace"))
		return B_REPLACE;
	return B_OTHER;
}

static int directive(struct gomod *g, const struct line *l, enum block *blk)
{
	if (*blk != B_NONE) {
		if (l->ntok == 1 && slice_eq_cstr(l->tok[0], ")"))
			*blk = B_NONE;
		else if (*blk == B_REQUIRE)
			return add_req(g, l, 0);
		else if (*blk == B_REPLACE)
			return add_repl(g, l, 0);
		return BOSUN_OK;
	}
	struct slice verb = l->tok[0];
	if (l->ntok == 2 && slice_eq_cstr(l->tok[1], "(")) {
		*blk = verb_block(verb);
		return BOSUN_OK;
	}
	if (slice_eq_cstr(verb, "go") && l->ntok == 2)
		g->go = l->tok[1];
	else if (slice_eq_cstr(verb, "toolchain") && l->ntok == 2)
		g->toolchain = l->tok[1];
	else if (slice_eq_cstr(verb, "require"))
		return add_req(g, l, 1);
	else if (slice_eq_cstr(verb, "replace"))
		return add_repl(g, l, 1);
	return BOSUN_OK;
}

static int parse_mod(struct gomod *g, const char *data, size_t len)
{
	struct slice rest = slice_make(data, len), s;
	enum block blk = B_NONE;
	while (slice_next_line(&rest, &s)) {
		g->lineno++;
		struct line l;
		lex(s, &l);
		if (l.bad) {
			langpkg_warn(&g->lf, "line %zu: cannot be read, ignored", g->lineno);
			continue;
		}
		if (l.ntok)
			TRY(directive(g, &l, &blk));
	}
	return BOSUN_OK;
}

/* ---- packages ---- */

/* The replace directive for m: one naming m's version wins over one for
 * every version of the path. */
static const struct repl *replacement(const struct gomod *g, const struct modver *m)
{
	const struct repl *any = NULL;
	for (size_t i = 0; i < g->nrepls; i++) {
		const struct repl *r = &g->repls[i];
		if (!slice_eq(r->old.path, m->path))
			continue;
		if (slice_eq(r->old.version, m->version))
			return r;
		if (r->old.version.n == 0)
			any = r;
	}
	return any;
}

static int add(struct gomod *g, struct slice name, struct slice version, const char *rel)
{
	struct package *p;
	TRY(langpkg_add(&g->lf, PKG_GOLANG, name, version, &p));
	if (p && rel && !(p->relationship = arena_strdup(&g->lf.a->arena, rel)))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static int add_reqs(struct gomod *g)
{
	for (size_t i = 0; i < g->nreqs; i++) {
		const struct req *q = &g->reqs[i];
		const struct repl *r = replacement(g, &q->m);
		const struct modver *m = r ? &r->new : &q->m;
		if (m->version.n == 0)
			continue; /* replaced by a local directory: no module version */
		TRY(add(g, m->path, m->version, q->indirect ? "indirect" : "direct"));
	}
	return BOSUN_OK;
}

/* "1.21.3" or "go1.21.3" -> "v1.21.3" when it names a release; a "go
 * 1.21" line names a language version, not a toolchain. */
static bool toolchain_version(struct slice v, bool need_patch, char *out, size_t cap)
{
	if (slice_starts_with(v, "go"))
		v = slice_make(v.p + 2, v.n - 2);
	size_t dots = 0, n = 0;
	while (n < v.n && ((v.p[n] >= '0' && v.p[n] <= '9') || v.p[n] == '.'))
		dots += v.p[n++] == '.';
	if (n == 0 || n + 2 > cap || (need_patch && dots != 2))
		return false;
	out[0] = 'v';
	memcpy(out + 1, v.p, n);
	out[n + 1] = '\0';
	return true;
}

static int add_stdlib(struct gomod *g)
{
	char v[64];
	if ((g->toolchain.n && toolchain_version(g->toolchain, false, v, sizeof v)) ||
	    (g->go.n && toolchain_version(g->go, true, v, sizeof v)))
		return add(g, slice_cstr("stdlib"), slice_cstr(v), "direct");
	return BOSUN_OK;
}

/* Before Go 1.17 (or with no go line, which means 1.16) go.mod lists only
 * direct requirements. */
static bool lists_all(const struct gomod *g)
{
	struct slice v = g->go;
	if (v.n < 3 || v.p[0] != '1' || v.p[1] != '.')
		return false;
	unsigned minor = 0;
	for (size_t i = 2; i < v.n && v.p[i] >= '0' && v.p[i] <= '9' && minor < 1000; i++)
		minor = minor * 10 + (unsigned)(v.p[i] - '0');
	return minor >= 17;
}

static bool required(const struct gomod *g, struct slice path)
{
	for (size_t i = 0; i < g->nreqs; i++)
		if (slice_eq(g->reqs[i].m.path, path))
			return true;
	return false;
}

/* go.sum: "path version h1:..." (the module's files) and "path
 * version/go.mod h1:..." (only its go.mod, read while resolving versions
 * but not built). Modules with a full hash that go.mod does not list are
 * indirect dependencies; go.sum is sorted, so the last version of a path
 * is the one in use. */
static int add_sum(struct gomod *g, const char *sum, size_t len)
{
	struct slice rest = slice_make(sum, len), s, prev = { 0 }, prev_ver = { 0 };
	while (slice_next_line(&rest, &s)) {
		struct line l;
		lex(s, &l);
		if (l.bad || l.ntok != 3)
			continue;
		if (l.tok[1].n > 7 && memcmp(l.tok[1].p + l.tok[1].n - 7, "/go.mod", 7) == 0)
			continue;
		if (prev.n && !slice_eq(prev, l.tok[0]) && !required(g, prev))
			TRY(add(g, prev, prev_ver, "indirect"));
		prev = l.tok[0];
		prev_ver = l.tok[1];
	}
	if (prev.n && !required(g, prev))
		TRY(add(g, prev, prev_ver, "indirect"));
	return BOSUN_OK;
}

int gomod_parse(const char *mod, size_t modlen, const char *sum, size_t sumlen, const char *path,
		struct artifact *a)
{
	struct gomod g = { 0 };
	langpkg_begin(&g.lf, a, "go.mod", path);
	int rc = parse_mod(&g, mod ? mod : "", mod ? modlen : 0);
	if (!rc)
		rc = add_stdlib(&g);
	if (!rc)
		rc = add_reqs(&g);
	if (!rc && sum && !lists_all(&g))
		rc = add_sum(&g, sum, sumlen);
	langpkg_end(&g.lf);
	free(g.reqs);
	free(g.repls);
	return rc;
}

/* ---- the analyzer ---- */

static bool gomod_wants(const char *path, size_t len)
{
	const char *base = langpkg_basename(path);
	return len && (strcmp(base, "go.mod") == 0 || strcmp(base, "go.sum") == 0);
}

struct gctx {
	const struct scan_view *v;
	struct artifact *a;
};

static int each_mod(const struct scan_file *f, void *ctx)
{
	struct gctx *c = ctx;
	if (strcmp(langpkg_basename(f->path), "go.mod") != 0)
		return BOSUN_OK;
	if (!f->data) {
		if (f->too_large)
			artifact_warn(c->a, "go.mod: %s: too large, skipped", f->path);
		return BOSUN_OK;
	}
	char sumpath[GOMOD_MAX_PATH];
	size_t dir = strlen(f->path) - strlen("go.mod");
	if (dir + strlen("go.sum") + 1 > sizeof sumpath)
		return BOSUN_OK;
	memcpy(sumpath, f->path, dir);
	strcpy(sumpath + dir, "go.sum");
	const struct scan_file *s = view_final(c->v, sumpath);
	const char *sum = s && s->data ? (const char *)s->data : NULL;
	return gomod_parse((const char *)f->data, f->size, sum, sum ? s->size : 0, f->path, c->a);
}

static int gomod_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	if (!view_is_project(v))
		return BOSUN_OK;
	struct gctx c = { v, a };
	int rc = view_each_wanted(v, &analyzer_gomod, each_mod, &c);
	return rc ? berr_set(e, rc, "gomod: %s", bosun_strerror(rc)) : BOSUN_OK;
}

const struct analyzer analyzer_gomod = { "gomod", 1, gomod_wants, gomod_analyze };
