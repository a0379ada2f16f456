/* Ruby: gemspecs read as text (never evaluated), Bundler lockfiles, and
 * the analyzer. */
#include "analyze/ruby.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "analyze/langpkg.h"
#include "util/err.h"
#include "util/strmap.h"

#define MAX_LICENSES 16
#define STR_MAX 256 /* a name, version or license literal */

/* ---- gemspec ---- */

struct lit {
	char s[STR_MAX];
	size_t n;
};

struct gemspec {
	struct slice recv; /* the block variable, empty until seen */
	struct lit name, version;
	bool have_name, have_version, have_licenses;
	struct lit lic[MAX_LICENSES];
	size_t nlic;
	char heredoc[64];  /* terminator of a heredoc being skipped, "" if none */
};

struct cur {
	const char *p, *end;
};

static bool at_end(const struct cur *c) { return c->p >= c->end; }

static void skip_sp(struct cur *c)
{
	while (!at_end(c) && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static bool eat(struct cur *c, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

static bool ident(struct cur *c, struct slice *out)
{
	if (at_end(c) || !ident_start(*c->p))
		return false;
	const char *s = c->p;
	while (!at_end(c) && ident_char(*c->p))
		c->p++;
	*out = slice_make(s, (size_t)(c->p - s));
	return true;
}

static bool lit_put(struct lit *l, char ch)
{
	if (l->n + 1 >= sizeof l->s)
		return false;
	l->s[l->n++] = ch;
	l->s[l->n] = '\0';
	return true;
}

/* "..." without interpolation, or '...'. Escapes keep the escaped byte. */
static bool quoted(struct cur *c, struct lit *out)
{
	char q = *c->p++;
	out->n = 0;
	out->s[0] = '\0';
	while (!at_end(c) && *c->p != q) {
		char ch = *c->p++;
		if (q == '"' && ch == '#' && !at_end(c) && *c->p == '{')
			return false; /* "#{...}" is computed */
		if (ch == '\\' && !at_end(c))
			ch = *c->p++;
		if (!lit_put(out, ch))
			return false;
	}
	if (at_end(c))
		return false;
	c->p++;
	return true;
}

/* %q{...}, %q(...), %q[...], %q<...> and %q|...| as old RubyGems wrote. */
static bool percent_q(struct cur *c, struct lit *out)
{
	if (!eat(c, "%q") || at_end(c))
		return false;
	char open = *c->p++;
	const char *pairs = "{}()[]<>";
	const char *k = open ? strchr(pairs, open) : NULL; /* strchr finds the NUL too */
	char close = k && (k - pairs) % 2 == 0 ? k[1] : open;
	out->n = 0;
	out->s[0] = '\0';
	while (!at_end(c) && *c->p != close)
		if (!lit_put(out, *c->p++))
			return false;
	if (at_end(c))
		return false;
	c->p++;
	return true;
}

/* A string literal with an optional .freeze. */
static bool string_lit(struct cur *c, struct lit *out)
{
	bool ok = false;
	if (!at_end(c) && (*c->p == '"' || *c->p == '\''))
		ok = quoted(c, out);
	else if (!at_end(c) && *c->p == '%')
		ok = percent_q(c, out);
	if (ok)
		eat(c, ".freeze");
	return ok;
}

/* Nothing computed may follow the literal: end of statement or block, a
 * comment or a modifier ("... if s.respond_to? :x"). */
static bool statement_ends(struct cur *c)
{
	skip_sp(c);
	if (at_end(c) || *c->p == ';' || *c->p == '#' || *c->p == '}' || eat(c, "if ") || eat(c, "unless "))
		return true;
	struct cur k = *c;
	return eat(&k, "end") && (at_end(&k) || !ident_char(*k.p));
}

static bool version_value(struct cur *c, struct lit *out)
{
	if (eat(c, "Gem::Version.new")) {
		skip_sp(c);
		bool paren = eat(c, "(");
		skip_sp(c);
		if (!string_lit(c, out))
			return false;
		skip_sp(c);
		return !paren || eat(c, ")");
	}
	return string_lit(c, out);
}

/* ["MIT", 'Ruby'] or %w[MIT Ruby] / %w(MIT Ruby). */
static bool licenses_value(struct cur *c, struct gemspec *g)
{
	g->nlic = 0;
	if (eat(c, "%w[") || eat(c, "%w(")) {
		char close = c->p[-1] == '[' ? ']' : ')';
		for (;;) {
			skip_sp(c);
			if (at_end(c))
				return false;
			if (*c->p == close) {
				c->p++;
				return true;
			}
			struct lit *l = &g->lic[g->nlic < MAX_LICENSES ? g->nlic++ : MAX_LICENSES - 1];
			l->n = 0;
			while (!at_end(c) && *c->p != close && *c->p != ' ' && *c->p != '\t')
				if (!lit_put(l, *c->p++))
					return false;
		}
	}
	if (!eat(c, "["))
		return false;
	for (;;) {
		skip_sp(c);
		if (eat(c, "]"))
			return true;
		struct lit *l = &g->lic[g->nlic < MAX_LICENSES ? g->nlic++ : MAX_LICENSES - 1];
		if (!string_lit(c, l))
			return false;
		skip_sp(c);
		if (!eat(c, ",") && !(!at_end(c) && *c->p == ']'))
			return false;
	}
}

static void field(struct cur *c, struct gemspec *g, struct slice name)
{
	struct lit l;
	if (slice_eq_cstr(name, "name") && !g->have_name) {
		g->have_name = string_lit(c, &g->name) && statement_ends(c);
	} else if (slice_eq_cstr(name, "version") && !g->have_version) {
		g->have_version = version_value(c, &g->version) && statement_ends(c);
	} else if (slice_eq_cstr(name, "license") && !g->have_licenses) {
		if (string_lit(c, &l) && statement_ends(c)) {
			g->lic[0] = l;
			g->nlic = 1;
			g->have_licenses = true;
		}
	} else if (slice_eq_cstr(name, "licenses") && !g->have_licenses) {
		g->have_licenses = licenses_value(c, g) && statement_ends(c);
		if (!g->have_licenses)
			g->nlic = 0;
	}
}

/* `Gem::Specification.new do |s|` names the receiver of what follows;
 * the cursor moves past "|s|", where statements may follow on the line. */
static bool spec_block(struct cur *c, struct gemspec *g)
{
	if (!eat(c, "Gem::Specification.new"))
		return false;
	const char *bar = memchr(c->p, '|', (size_t)(c->end - c->p));
	if (!bar) {
		c->p = c->end;
		return true;
	}
	struct cur k = { bar + 1, c->end };
	skip_sp(&k);
	struct slice id;
	if (ident(&k, &id))
		g->recv = id;
	skip_sp(&k);
	c->p = !at_end(&k) && *k.p == '|' ? k.p + 1 : c->end;
	return true;
}

/* RECV.FIELD = VALUE. False when the cursor is at the start of the next
 * statement already (after a block header), true when the rest of this
 * one is to be skipped. */
static bool statement(struct cur *c, struct gemspec *g)
{
	if (spec_block(c, g))
		return false;
	struct slice recv, name;
	if (!ident(c, &recv) || !eat(c, ".") || !ident(c, &name))
		return true;
	if (g->recv.n && !slice_eq(recv, g->recv))
		return true;
	skip_sp(c);
	if (at_end(c) || *c->p != '=' || (c->p + 1 < c->end && strchr("=~>", c->p[1])))
		return true;
	c->p++;
	skip_sp(c);
	field(c, g, name);
	return true;
}

/* "<<~EOS", "<<-EOS", "<<EOS", "<<~'EOS'": the lines up to EOS are text. */
static void note_heredoc(struct cur *c, struct gemspec *g)
{
	struct cur k = *c;
	if (!eat(&k, "<<"))
		return;
	if (!at_end(&k) && (*k.p == '~' || *k.p == '-'))
		k.p++;
	bool q = !at_end(&k) && (*k.p == '\'' || *k.p == '"');
	if (q)
		k.p++;
	struct slice id;
	if (!ident(&k, &id) || id.n >= sizeof g->heredoc || (!q && !(id.p[0] >= 'A' && id.p[0] <= 'Z')))
		return;
	memcpy(g->heredoc, id.p, id.n);
	g->heredoc[id.n] = '\0';
}

/* Past a string of any length (its content does not matter here). */
static void skip_quoted(struct cur *c)
{
	char q = *c->p++;
	while (!at_end(c) && *c->p != q)
		c->p += *c->p == '\\' && c->p + 1 < c->end ? 2 : 1;
	if (!at_end(c))
		c->p++;
}

/* Past the current statement: to after the next ';' outside strings, or
 * to the end of the line (a '#' outside strings starts a comment). */
static void skip_statement(struct cur *c, struct gemspec *g)
{
	while (!at_end(c)) {
		char ch = *c->p;
		if (ch == ';') {
			c->p++;
			return;
		}
		if (ch == '#') {
			c->p = c->end;
			return;
		}
		if (ch == '"' || ch == '\'') {
			skip_quoted(c);
			continue;
		}
		if (ch == '<')
			note_heredoc(c, g);
		c->p++;
	}
}

static bool is_heredoc_end(const struct gemspec *g, struct slice line)
{
	return slice_eq_cstr(slice_trim(line), g->heredoc);
}

static void read_gemspec(const char *data, size_t len, struct gemspec *g)
{
	struct slice rest = slice_make(data, len), line;
	bool comment_block = false;
	while (slice_next_line(&rest, &line)) {
		if (g->heredoc[0]) {
			if (is_heredoc_end(g, line))
				g->heredoc[0] = '\0';
			continue;
		}
		if (slice_starts_with(line, "=begin"))
			comment_block = true;
		if (comment_block) {
			comment_block = !slice_starts_with(line, "=end");
			continue;
		}
		struct cur c = { line.p, line.p + line.n };
		for (;;) {
			skip_sp(&c);
			if (at_end(&c) || *c.p == '#')
				break;
			const char *before = c.p;
			if (statement(&c, g))
				skip_statement(&c, g);
			if (c.p == before)
				break;
		}
	}
}

static bool has_dot(struct slice s) { return memchr(s.p, '.', s.n) != NULL; }

/* "concurrent-ruby-1.1.10.gemspec" -> concurrent-ruby, 1.1.10;
 * "nokogiri-1.13.6-x86_64-linux.gemspec" -> nokogiri, 1.13.6. The version
 * is the last "-DIGIT..." part that looks like one (has a dot), else the
 * last "-DIGIT..." part; what follows it is the platform. */
static bool name_from_file(const char *path, struct slice *name, struct slice *version)
{
	const char *base = langpkg_basename(path);
	size_t n = strlen(base);
	if (!langpkg_has_suffix(base, n, ".gemspec"))
		return false;
	n -= 8;
	bool found = false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (base[i] != '-' || !(base[i + 1] >= '0' && base[i + 1] <= '9'))
			continue;
		size_t e = i + 1;
		while (e < n && base[e] != '-')
			e++;
		struct slice v = slice_make(base + i + 1, e - i - 1);
		if (found && !has_dot(v) && has_dot(*version))
			continue;
		*name = slice_make(base, i);
		*version = v;
		found = true;
	}
	return found;
}

int ruby_parse_gemspec(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct gemspec g = { 0 };
	read_gemspec(data ? data : "", data ? len : 0, &g);
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "gemspec", found_in);
	struct slice name = slice_make(g.name.s, g.name.n), version = slice_make(g.version.s, g.version.n);
	struct slice fname, fversion;
	if (!g.have_name || !g.have_version) {
		if (!name_from_file(found_in, &fname, &fversion)) {
			langpkg_warn(&lf, "no literal name and version, and the file name does not give them; skipped");
			return BOSUN_OK;
		}
		if (!g.have_name)
			name = fname;
		if (!g.have_version)
			version = fversion;
	}
	struct package *p;
	TRY(langpkg_add(&lf, PKG_GEM, name, version, &p));
	if (p && g.nlic) {
		struct slice items[MAX_LICENSES];
		for (size_t i = 0; i < g.nlic; i++)
			items[i] = slice_make(g.lic[i].s, g.lic[i].n);
		TRY(langpkg_join_licenses(&lf, p, items, g.nlic, ", "));
	}
	langpkg_end(&lf);
	return BOSUN_OK;
}

/* ---- Gemfile.lock ---- */

struct spec {
	struct slice name, version;
};

struct lockfile {
	struct langpkg_file lf;
	struct spec *specs;
	size_t n, cap;
	struct strmap direct; /* names under DEPENDENCIES; keys in ar */
	bool have_deps;
	struct arena ar;
};

static size_t indent_of(struct slice line)
{
	size_t i = 0;
	while (i < line.n && line.p[i] == ' ')
		i++;
	return i;
}

/* "1.13.6-x86_64-linux" -> "1.13.6": Bundler appends the platform of a
 * platform-specific gem; RubyGems versions themselves may hold '-'
 * ("1.0.0-rc1"), so only a known platform is cut. */
static struct slice strip_platform(struct slice v)
{
	static const char *const words[] = { "linux", "darwin", "mingw", "mswin", "java", "jruby", "freebsd",
					     "openbsd", "netbsd", "solaris", "cygwin", "universal", "aix", "dalvik" };
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] != '-')
			continue;
		struct slice plat = slice_make(v.p + i + 1, v.n - i - 1);
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
			if (memmem(plat.p, plat.n, words[w], strlen(words[w])))
				return slice_make(v.p, i);
	}
	return v;
}

/* "    name (version)" */
static int spec_line(struct lockfile *l, struct slice line)
{
	line = slice_trim(line);
	const char *open = memchr(line.p, '(', line.n);
	if (!open || line.p[line.n - 1] != ')') {
		langpkg_warn(&l->lf, "spec line \"%.*s\" has no (version), skipped", (int)(line.n > 64 ? 64 : line.n),
			     line.p);
		return BOSUN_OK;
	}
	if (l->n == l->cap) {
		if (l->cap >= LANGPKG_MAX_PACKAGES)
			return BOSUN_OK;
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct spec *s = realloc(l->specs, cap * sizeof *s);
		if (!s)
			return BOSUN_ENOMEM;
		l->specs = s;
		l->cap = cap;
	}
	struct spec *s = &l->specs[l->n++];
	s->name = slice_trim(slice_make(line.p, (size_t)(open - line.p)));
	s->version = strip_platform(slice_trim(slice_make(open + 1, (size_t)(line.p + line.n - 1 - open - 1))));
	return BOSUN_OK;
}

/* "  name", "  name (>= 1.0)", "  name!" (from a GIT or PATH source). */
static int dependency_line(struct lockfile *l, struct slice line)
{
	line = slice_trim(line);
	size_t n = 0;
	while (n < line.n && line.p[n] != ' ' && line.p[n] != '!' && line.p[n] != '(')
		n++;
	if (n == 0 || strmap_getn(&l->direct, line.p, n))
		return BOSUN_OK;
	char *key = arena_strndup(&l->ar, line.p, n);
	return key ? strmap_put(&l->direct, key, key) : BOSUN_ENOMEM;
}

enum section { SEC_OTHER, SEC_SOURCE, SEC_DEPENDENCIES };

static enum section section_of(struct slice line)
{
	line = slice_trim(line);
	if (slice_eq_cstr(line, "GEM") || slice_eq_cstr(line, "GIT") || slice_eq_cstr(line, "PATH") ||
	    slice_eq_cstr(line, "PLUGIN SOURCE"))
		return SEC_SOURCE;
	return slice_eq_cstr(line, "DEPENDENCIES") ? SEC_DEPENDENCIES : SEC_OTHER;
}

static int read_lock(struct lockfile *l, const char *data, size_t len)
{
	struct slice rest = slice_make(data, len), line;
	enum section sec = SEC_OTHER;
	bool in_specs = false;
	while (slice_next_line(&rest, &line)) {
		if (slice_trim(line).n == 0)
			continue;
		size_t ind = indent_of(line);
		if (ind == 0) {
			sec = section_of(line);
			l->have_deps |= sec == SEC_DEPENDENCIES;
			in_specs = false;
		} else if (sec == SEC_SOURCE && ind == 2) {
			in_specs = slice_eq_cstr(slice_trim(line), "specs:");
		} else if (sec == SEC_SOURCE && ind == 4 && in_specs) {
			TRY(spec_line(l, line));
		} else if (sec == SEC_DEPENDENCIES && ind == 2) {
			TRY(dependency_line(l, line));
		}
	}
	return BOSUN_OK;
}

/* In file order; a gem locked for several platforms once. */
static int emit_specs(struct lockfile *l)
{
	struct strmap seen = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < l->n; i++) {
		const struct spec *s = &l->specs[i];
		char *key = arena_printf(&l->ar, "%.*s %.*s", (int)s->name.n, s->name.p, (int)s->version.n, s->version.p);
		if (!key) {
			rc = BOSUN_ENOMEM;
			break;
		}
		if (strmap_get(&seen, key))
			continue;
		struct package *p;
		if ((rc = strmap_put(&seen, key, key)) != BOSUN_OK || (rc = langpkg_add(&l->lf, PKG_GEM, s->name, s->version, &p)))
			break;
		if (p && l->have_deps)
			p->relationship = strmap_get(&l->direct, p->name) ? "direct" : "indirect";
	}
	strmap_free(&seen);
	return rc;
}

int ruby_parse_gemfile_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct lockfile l = { 0 };
	langpkg_begin(&l.lf, a, "Gemfile.lock", found_in);
	int rc = read_lock(&l, data ? data : "", data ? len : 0);
	if (rc == BOSUN_OK)
		rc = emit_specs(&l);
	free(l.specs);
	strmap_free(&l.direct);
	arena_free(&l.ar);
	langpkg_end(&l.lf);
	return rc;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_ruby;

/* GEM_HOME/specifications/NAME-VERSION.gemspec and
 * specifications/default/ (gems that ship with Ruby). */
static bool is_installed_spec(const char *path, size_t len)
{
	if (!langpkg_has_suffix(path, len, ".gemspec"))
		return false;
	const char *base = langpkg_basename(path);
	size_t dir = (size_t)(base - path);
	if (dir >= 15 && memcmp(base - 15, "specifications/", 15) == 0 && (dir == 15 || base[-16] == '/'))
		return true;
	return dir >= 23 && memcmp(base - 23, "specifications/default/", 23) == 0 && (dir == 23 || base[-24] == '/');
}

static bool is_lockfile(const char *path)
{
	const char *base = langpkg_basename(path);
	return strcmp(base, "Gemfile.lock") == 0 || strcmp(base, "gems.locked") == 0;
}

static bool wants(const char *path, size_t len) { return is_installed_spec(path, len) || is_lockfile(path); }

struct rbctx {
	const struct scan_view *v;
	struct artifact *a;
};

static int each_file(const struct scan_file *f, void *vctx)
{
	struct rbctx *c = vctx;
	bool lock = is_lockfile(f->path);
	/* Lockfiles only in project trees (docs/analyzers-lang.md). */
	if (lock && !view_is_project(c->v))
		return BOSUN_OK;
	if (!f->data) {
		langpkg_warn_unread(c->a, "ruby", f);
		return BOSUN_OK;
	}
	size_t first = c->a->npkgs;
	if (lock)
		TRY(ruby_parse_gemfile_lock((const char *)f->data, f->size, f->path, c->a));
	else
		TRY(ruby_parse_gemspec((const char *)f->data, f->size, f->path, c->a));
	for (size_t i = first; i < c->a->npkgs; i++)
		c->a->pkgs[i].layer = f->layer;
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct rbctx c = { v, a };
	int rc = view_each_wanted(v, &analyzer_ruby, each_file, &c);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "ruby: %s", bosun_strerror(rc));
	return BOSUN_OK;
}

const struct analyzer analyzer_ruby = { "ruby", 1, wants, analyze };
