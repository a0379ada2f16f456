/* npm: node-semver versions and ranges.
 *
 * node-semver defines ranges by a pipeline of regular-expression rewrites
 * (hyphen ranges, then whitespace trims, then per-token caret, tilde, x-range
 * and star desugaring into plain comparators). Odd inputs get their meaning
 * from the exact regexes, so this file emulates that pipeline step by step,
 * with one small hand-written matcher per regex (greedy, with the few
 * backtracking choices that can change an outcome), over bounded stack
 * buffers. Comparators are tested as they are produced: nothing is
 * allocated, and no list of comparators is kept.
 *
 * Reference: node-semver 7.x classes/range.js, classes/comparator.js,
 * internal/re.js (the `safeRe` variants, which bound whitespace runs to one
 * character; ranges are whitespace-collapsed first, so this changes
 * nothing for them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version/lang.h"
#include "version/semver.h"

/* Longest range accepted. node-semver has no limit; real ranges are tens of
 * bytes, and the bound keeps every buffer below on the stack. */
#define NPM_RANGE_MAX 2048
/* A token rewrites to at most two comparators of its own numbers plus a
 * fixed amount of operator text, so twice the input plus slack suffices. */
#define NPM_BUF (2 * NPM_RANGE_MAX + 128)

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- small string builder over a caller's buffer ---- */

struct sb {
	char *p;
	size_t n, cap;
	bool over; /* output did not fit: the range is rejected */
};

static void sb_init(struct sb *b, char *mem, size_t cap) { *b = (struct sb){ mem, 0, cap, false }; }

static void sb_put(struct sb *b, const char *s, size_t n)
{
	if (b->over || n > b->cap - b->n) {
		b->over = true;
		return;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void sb_puts(struct sb *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_slice(struct sb *b, struct slice s) { sb_put(b, s.p, s.n); }
static void sb_putc(struct sb *b, char c) { sb_put(b, &c, 1); }

/* Number.prototype.toString for d >= 1e21: shortest round-trip digits in
 * exponent form ("1.2345678901234568e+23"). */
static void sb_js_exponent(struct sb *b, double d)
{
	char tmp[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d || prec == 17)
			break;
	}
	/* tmp is "D[.DDD]e+XX" (the point may be a locale's): rebuild it. */
	char digits[24];
	size_t nd = 0;
	const char *e = strchr(tmp, 'e');
	for (const char *q = tmp; q < e && nd < sizeof digits; q++)
		if (is_digit(*q))
			digits[nd++] = *q;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	sb_putc(b, digits[0]);
	if (nd > 1) {
		sb_putc(b, '.');
		sb_put(b, digits + 1, nd - 1);
	}
	sb_puts(b, "e+");
	sb_puts(b, e + (e[1] == '+' ? 2 : 1) + (e[2] == '0'));
}

/* JavaScript's `+s + 1` rendered as a string, for s a run of decimal digits.
 * Below 2^53 that is exact. From 1e21 on, JS prints an exponent form, which
 * later regexes then read in surprising ways ("1.2345678901234568e+23" is a
 * loose version 1.2345678901234568 with prerelease "e"), so it is copied.
 * In between, the number is beyond node-semver's MAX_SAFE_INTEGER and every
 * use of it is rejected, so its exact digits do not matter. */
static void sb_incr(struct sb *b, struct slice s)
{
	while (s.n > 1 && s.p[0] == '0') {
		s.p++;
		s.n--;
	}
	if (s.n >= 21) {
		char num[NPM_RANGE_MAX + 1];
		if (s.n > NPM_RANGE_MAX) {
			b->over = true;
			return;
		}
		memcpy(num, s.p, s.n);
		num[s.n] = 0;
		double d = strtod(num, NULL) + 1.0;
		if (d >= 1e21) {
			sb_js_exponent(b, d);
			return;
		}
	}
	char tmp[NPM_RANGE_MAX + 2];
	if (s.n > NPM_RANGE_MAX) {
		b->over = true;
		return;
	}
	size_t n = s.n;
	memcpy(tmp + 1, s.p, n);
	tmp[0] = '0';
	size_t i = n;
	while (i > 0 && tmp[i] == '9')
		tmp[i--] = '0';
	tmp[i]++;
	sb_put(b, tmp[0] == '0' ? tmp + 1 : tmp, tmp[0] == '0' ? n : n + 1);
}

/* ---- characters ---- */

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Byte length of the JavaScript whitespace character (\s, and what
 * String.prototype.trim removes) at s[i], or 0. */
static size_t js_ws_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
		return 2;
	if (i + 2 >= n)
		return 0;
	unsigned char c1 = s[i + 1], c2 = s[i + 2];
	if ((c == 0xE1 && c1 == 0x9A && c2 == 0x80) || (c == 0xE3 && c1 == 0x80 && c2 == 0x80) ||
	    (c == 0xEF && c1 == 0xBB && c2 == 0xBF) || (c == 0xE2 && c1 == 0x81 && c2 == 0x9F))
		return 3;
	if (c == 0xE2 && c1 == 0x80 && (c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) && c2 >= 0x80)
		return 3;
	return 0;
}

static struct slice js_trim(struct slice s)
{
	const unsigned char *u = (const unsigned char *)s.p;
	/* The common case: nothing to trim (no space and no non-ASCII byte at
	 * either end). */
	if (s.n && u[0] > ' ' && u[0] < 0x80 && u[s.n - 1] > ' ' && u[s.n - 1] < 0x80)
		return s;
	size_t a = 0, b = s.n, l;
	while (a < b && (l = js_ws_len(u, b, a)))
		a += l;
	/* Trailing whitespace: step back over UTF-8 continuation bytes. */
	while (b > a) {
		size_t k = b - 1;
		while (k > a && (u[k] & 0xC0) == 0x80 && b - k < 3)
			k--;
		if (js_ws_len(u, b, k) == b - k)
			b = k;
		else if (k != b - 1 && js_ws_len(u, b, b - 1) == 1)
			b--;
		else
			break;
	}
	return slice_make(s.p + a, b - a);
}

/* String length in UTF-16 code units, as JavaScript's .length counts. */
static size_t js_length(struct slice s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* ---- versions ---- */

/* new SemVer(s, {loose}): length limit, trim, then FULL or LOOSE. */
static int npm_parse(struct slice s, bool loose, struct semver *out)
{
	/* UTF-16 units never outnumber bytes, so short strings need no count. */
	if (s.n > SEMVER_MAX_LEN && js_length(s) > SEMVER_MAX_LEN)
		return BOSUN_EFORMAT;
	s = js_trim(s);
	size_t i = 0;
	if (loose) {
		for (;;) {
			size_t l = js_ws_len((const unsigned char *)s.p, s.n, i < s.n ? i : 0);
			if (i < s.n && (s.p[i] == 'v' || s.p[i] == '='))
				l = 1;
			if (i >= s.n || !l)
				break;
			i += l;
		}
	} else if (i < s.n && s.p[i] == 'v') {
		i++;
	}
	return semver_parse(s.p + i, s.n - i, (loose ? SEMVER_LOOSE : 0) | SEMVER_NPM_CAP, out);
}

int npm_compare(const char *a, const char *b, unsigned flags, int *cmp)
{
	struct semver va, vb;
	bool loose = flags & VERSION_LOOSE;
	if (!a || !b || npm_parse(slice_cstr(a), loose, &va) || npm_parse(slice_cstr(b), loose, &vb))
		return BOSUN_EFORMAT;
	*cmp = semver_cmp(&va, &vb);
	return BOSUN_OK;
}

bool npm_valid(const char *v, unsigned flags)
{
	struct semver sv;
	return v && npm_parse(slice_cstr(v), flags & VERSION_LOOSE, &sv) == BOSUN_OK;
}

/* ---- regex emulation: the `plain` version patterns ---- */

enum {
	PM_X = 1u << 0,         /* XRANGEIDENTIFIER: x, X and * allowed */
	PM_LOOSE_NUM = 1u << 1, /* \d+ instead of 0|[1-9]\d* */
	PM_LOOSE_PRE = 1u << 2, /* PRERELEASELOOSE: -? and any identifier */
	PM_PREFIX_V = 1u << 3,  /* FULLPLAIN's v? instead of [v=\s]* */
	PM_FULL3 = 1u << 4,     /* MAINVERSION: all three numbers required */
};

#define PM_XRANGE(loose) (PM_X | ((loose) ? PM_LOOSE_NUM | PM_LOOSE_PRE : 0))
#define PM_LOOSEPLAIN (PM_LOOSE_NUM | PM_LOOSE_PRE | PM_FULL3)
#define PM_FULLPLAIN (PM_PREFIX_V | PM_FULL3)

/* Captures of XRANGEPLAIN and friends; absent groups have p == NULL. */
struct plain {
	struct slice M, m, p, pr;
	size_t end;
};

static bool is_x(struct slice id)
{
	return !id.p || (id.n == 1 && (id.p[0] == 'x' || id.p[0] == 'X' || id.p[0] == '*'));
}

static size_t match_xid(const char *s, size_t n, size_t i, unsigned mode)
{
	if (i >= n)
		return 0;
	if ((mode & PM_X) && (s[i] == 'x' || s[i] == 'X' || s[i] == '*'))
		return 1;
	if (!is_digit(s[i]))
		return 0;
	if (!(mode & PM_LOOSE_NUM) && s[i] == '0')
		return 1;
	size_t j = i;
	while (j < n && is_digit(s[j]))
		j++;
	return j - i;
}

enum ids_kind { IDS_PRE_STRICT, IDS_PRE_LOOSE, IDS_BUILD };

/* One identifier, greedy. Strict prerelease identifiers are
 * NONNUMERICIDENTIFIER|NUMERICIDENTIFIER: an all-digit run starting with 0
 * matches only its "0". */
static size_t match_id(const char *s, size_t n, size_t i, enum ids_kind kind)
{
	size_t j = i;
	bool nondigit = false;
	while (j < n && is_ident_char(s[j])) {
		nondigit = nondigit || !is_digit(s[j]);
		j++;
	}
	if (kind == IDS_PRE_STRICT && j > i && !nondigit && s[i] == '0')
		return 1;
	return j - i;
}

/* ID(\.ID)* greedy; returns the end, == i when not even one ID matches. */
static size_t match_ids(const char *s, size_t n, size_t i, enum ids_kind kind)
{
	size_t l = match_id(s, n, i, kind);
	if (!l)
		return i;
	size_t e = i + l;
	while (e + 1 < n && s[e] == '.' && (l = match_id(s, n, e + 1, kind)) > 0)
		e += 1 + l;
	return e;
}

static size_t match_pre(const char *s, size_t n, size_t i, unsigned mode, struct slice *pr)
{
	bool loose = mode & PM_LOOSE_PRE;
	enum ids_kind kind = loose ? IDS_PRE_LOOSE : IDS_PRE_STRICT;
	size_t e;
	if (i < n && s[i] == '-' && (e = match_ids(s, n, i + 1, kind)) > i + 1) {
		*pr = slice_make(s + i + 1, e - i - 1);
		return e;
	}
	/* PRERELEASELOOSE's `-?` backtracks to "no hyphen": the hyphen then
	 * starts the identifier, and "1.2.3beta" needs no hyphen at all. */
	if (loose && (e = match_ids(s, n, i, kind)) > i) {
		*pr = slice_make(s + i, e - i);
		return e;
	}
	return i;
}

static size_t match_build(const char *s, size_t n, size_t i)
{
	size_t e;
	if (i < n && s[i] == '+' && (e = match_ids(s, n, i + 1, IDS_BUILD)) > i + 1)
		return e;
	return i;
}

/* XRANGEPLAIN, LOOSEPLAIN, FULLPLAIN (by mode) at s[i], unanchored and
 * greedy. An anchored caller checks c->end. Greedy is exact here: no shorter
 * alternative can be followed by what the callers require (end of string,
 * a space, or anything at all). */
static bool match_plain(const char *s, size_t n, size_t i, unsigned mode, struct plain *c)
{
	memset(c, 0, sizeof *c);
	if (mode & PM_PREFIX_V) {
		if (i < n && s[i] == 'v')
			i++;
	} else {
		while (i < n && (s[i] == 'v' || s[i] == '=' || s[i] == ' '))
			i++;
	}
	size_t l = match_xid(s, n, i, mode);
	if (!l)
		return false;
	c->M = slice_make(s + i, l);
	i += l;
	if (i < n && s[i] == '.' && (l = match_xid(s, n, i + 1, mode)) > 0) {
		c->m = slice_make(s + i + 1, l);
		i += 1 + l;
		if (i < n && s[i] == '.' && (l = match_xid(s, n, i + 1, mode)) > 0) {
			c->p = slice_make(s + i + 1, l);
			i += 1 + l;
			i = match_pre(s, n, i, mode, &c->pr);
			i = match_build(s, n, i);
		}
	}
	if ((mode & PM_FULL3) && !c->p.p)
		return false;
	c->end = i;
	return true;
}

/* The one backtracking choice that can rescue an anchored match: with a
 * hyphen-less (loose) prerelease, the patch's greedy `\d+` gives back its
 * last digit to start the prerelease ("1.2.34.5" = 1.2.3 + "4.5"). */
static bool match_plain_backtrack(const char *s, size_t n, struct plain *c, unsigned mode)
{
	if (!(mode & PM_LOOSE_PRE) || c->p.n < 2 || !is_digit(c->p.p[0]))
		return false;
	c->p.n--;
	size_t i = (size_t)(c->p.p + c->p.n - s);
	c->pr = slice_make(NULL, 0);
	i = match_pre(s, n, i, mode, &c->pr);
	c->end = match_build(s, n, i);
	return true;
}

static bool match_plain_full(struct slice s, size_t i, unsigned mode, struct plain *c)
{
	if (!match_plain(s.p, s.n, i, mode, c))
		return false;
	return c->end == s.n || (match_plain_backtrack(s.p, s.n, c, mode) && c->end == s.n);
}

/* GTLT = ((?:<|>)?=?): the lengths a backtracking engine tries, in order. */
static int gtlt_options(const char *s, size_t n, size_t i, size_t lens[3])
{
	int k = 0;
	bool lg = i < n && (s[i] == '<' || s[i] == '>');
	if (lg) {
		if (i + 1 < n && s[i + 1] == '=')
			lens[k++] = 2;
		lens[k++] = 1;
	} else if (i < n && s[i] == '=') {
		lens[k++] = 1;
	}
	lens[k++] = 0;
	return k;
}

/* node-semver's safeRe turns `\s*` and `\s+` into `\s{0,1}` and `\s{1,1}`:
 * where whitespace could be a run, at most one space is taken. Ranges are
 * collapsed to single spaces first, but stripping build metadata can put
 * two side by side again. */
static size_t one_space(const char *s, size_t n, size_t i) { return i < n && s[i] == ' ' ? i + 1 : i; }

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* ---- the per-part rewrites ---- */

static struct slice trim_spaces(struct slice s)
{
	while (s.n && s.p[0] == ' ') {
		s.p++;
		s.n--;
	}
	while (s.n && s.p[s.n - 1] == ' ')
		s.n--;
	return s;
}


/* BUILDSTRIPRE: every `+ident(.ident)*` removed, anywhere. */
static void strip_builds(struct slice in, struct sb *out)
{
	for (size_t i = 0; i < in.n;) {
		size_t e = match_build(in.p, in.n, i);
		if (e > i) {
			i = e;
		} else {
			sb_putc(out, in.p[i]);
			i++;
		}
	}
}

static const char *incpr_zero(bool inc) { return inc ? "-0" : ""; }

/* HYPHENRANGE: `A - B` for the whole part, rewritten by hyphenReplace. */
static bool hyphen_replace(struct slice in, bool loose, bool incpr, struct sb *out)
{
	struct plain f, t;
	unsigned mode = PM_XRANGE(loose);
	/* `^\s{0,1}` and `\s{0,1}$` around the two versions (stripped builds
	 * can leave spaces at the ends; a version's own `[v=\s]*` prefix takes
	 * any more at the front). */
	size_t start = one_space(in.p, in.n, 0);
	if (in.n && in.p[in.n - 1] == ' ')
		in.n--;
	if (!match_plain(in.p, in.n, start, mode, &f))
		return false;
	size_t e = f.end;
	if (!(e + 3 <= in.n && in.p[e] == ' ' && in.p[e + 1] == '-' && in.p[e + 2] == ' ')) {
		if (!match_plain_backtrack(in.p, in.n, &f, mode))
			return false;
		e = f.end;
		if (!(e + 3 <= in.n && in.p[e] == ' ' && in.p[e + 1] == '-' && in.p[e + 2] == ' '))
			return false;
	}
	if (!match_plain_full(in, e + 3, mode, &t))
		return false;
	struct slice from = slice_make(in.p + start, f.end - start);
	struct slice to = slice_make(in.p + e + 3, in.n - e - 3);

	char mem[NPM_BUF];
	struct sb fb;
	sb_init(&fb, mem, sizeof mem);
	if (is_x(f.M)) {
	} else if (is_x(f.m)) {
		sb_puts(&fb, ">=");
		sb_slice(&fb, f.M);
		sb_puts(&fb, ".0.0");
		sb_puts(&fb, incpr_zero(incpr));
	} else if (is_x(f.p)) {
		sb_puts(&fb, ">=");
		sb_slice(&fb, f.M);
		sb_putc(&fb, '.');
		sb_slice(&fb, f.m);
		sb_puts(&fb, ".0");
		sb_puts(&fb, incpr_zero(incpr));
	} else {
		sb_puts(&fb, ">=");
		sb_slice(&fb, from);
		if (!f.pr.p)
			sb_puts(&fb, incpr_zero(incpr));
	}

	sb_put(out, fb.p, fb.n);
	out->over = out->over || fb.over;
	sb_putc(out, ' ');
	if (is_x(t.M)) {
	} else if (is_x(t.m)) {
		sb_putc(out, '<');
		sb_incr(out, t.M);
		sb_puts(out, ".0.0-0");
	} else if (is_x(t.p)) {
		sb_putc(out, '<');
		sb_slice(out, t.M);
		sb_putc(out, '.');
		sb_incr(out, t.m);
		sb_puts(out, ".0-0");
	} else if (t.pr.p) {
		sb_puts(out, "<=");
		sb_slice(out, t.M);
		sb_putc(out, '.');
		sb_slice(out, t.m);
		sb_putc(out, '.');
		sb_slice(out, t.p);
		sb_putc(out, '-');
		sb_slice(out, t.pr);
	} else if (incpr) {
		sb_putc(out, '<');
		sb_slice(out, t.M);
		sb_putc(out, '.');
		sb_slice(out, t.m);
		sb_putc(out, '.');
		sb_incr(out, t.p);
		sb_puts(out, "-0");
	} else {
		sb_puts(out, "<=");
		sb_slice(out, to);
	}
	/* `${from} ${to}`.trim(): only the joining space can be at an end. */
	if (out->n && out->p[out->n - 1] == ' ')
		out->n--;
	if (out->n && out->p[0] == ' ') {
		memmove(out->p, out->p + 1, out->n - 1);
		out->n--;
	}
	return true;
}

/* COMPARATORTRIM, global: `(\s*)GTLT\s*(LOOSEPLAIN|XRANGEPLAIN)` -> `$1$2$3`,
 * which deletes the spaces between an operator and its version. */
static void comparator_trim(struct slice in, struct sb *out)
{
	const char *s = in.p;
	size_t n = in.n;
	for (size_t k = 0; k < n;) {
		size_t g1 = one_space(s, n, k), lens[3];
		int opts = gtlt_options(s, n, g1, lens);
		bool matched = false;
		for (int o = 0; o < opts && !matched; o++) {
			size_t v = one_space(s, n, g1 + lens[o]);
			struct plain c;
			if (!match_plain(s, n, v, PM_LOOSEPLAIN, &c) && !match_plain(s, n, v, PM_XRANGE(false), &c))
				continue;
			sb_put(out, s + k, g1 + lens[o] - k);
			sb_put(out, s + v, c.end - v);
			k = c.end;
			matched = true;
		}
		if (!matched)
			sb_putc(out, s[k++]);
	}
}

/* TILDETRIM `(\s*)~>?\s+` -> `$1~` and CARETTRIM `(\s*)\^\s+` -> `$1^`. */
static void lone_trim(struct slice in, char op, struct sb *out)
{
	const char *s = in.p;
	size_t n = in.n;
	for (size_t k = 0; k < n;) {
		size_t g1 = one_space(s, n, k), j = g1 + 1, end = 0;
		if (g1 < n && s[g1] == op) {
			if (op == '~' && j + 1 < n && s[j] == '>' && s[j + 1] == ' ')
				end = j + 2;
			else if (j < n && s[j] == ' ')
				end = j + 1;
		}
		if (end) {
			sb_put(out, s + k, g1 - k);
			sb_putc(out, op);
			k = end;
		} else {
			sb_putc(out, s[k++]);
		}
	}
}

/* ---- per-token desugaring (parseComparator) ---- */

struct npm_opts {
	bool loose, incpr;
};

static void put_ver(struct sb *b, const char *op, struct slice M, const char *m_lit, struct slice m,
		    const char *rest)
{
	sb_puts(b, op);
	sb_slice(b, M);
	sb_putc(b, '.');
	if (m_lit)
		sb_puts(b, m_lit);
	else
		sb_slice(b, m);
	sb_puts(b, rest);
}

/* The part replaceCaret and replaceTilde share: with only a major version
 * the whole range (returns true); otherwise the lower bound and the " <"
 * of the upper one, which the caller completes. */
static bool tilde_caret_lower(const struct plain *cp, const char *z, struct sb *out)
{
	struct plain c = *cp;
	if (is_x(c.m)) {
		put_ver(out, ">=", c.M, "0", c.m, ".0");
		sb_puts(out, z);
		sb_puts(out, " <");
		sb_incr(out, c.M);
		sb_puts(out, ".0.0-0");
		return true;
	}
	sb_puts(out, ">=");
	sb_slice(out, c.M);
	sb_putc(out, '.');
	sb_slice(out, c.m);
	sb_putc(out, '.');
	if (is_x(c.p)) {
		sb_putc(out, '0');
		sb_puts(out, z);
	} else {
		sb_slice(out, c.p);
		if (c.pr.p) {
			sb_putc(out, '-');
			sb_slice(out, c.pr);
		}
	}
	sb_puts(out, " <");
	return false;
}

/* replaceCaret on one whitespace-free word. */
static void caret_one(struct slice w, const struct npm_opts *o, struct sb *out)
{
	struct plain c;
	if (w.n < 1 || w.p[0] != '^' || !match_plain_full(w, 1, PM_XRANGE(o->loose), &c)) {
		sb_slice(out, w);
		return;
	}
	const char *z = incpr_zero(o->incpr);
	bool M0 = c.M.n == 1 && c.M.p[0] == '0', m0 = c.m.n == 1 && c.m.p[0] == '0';
	if (is_x(c.M))
		return;
	if (tilde_caret_lower(&c, z, out))
		return;
	if (M0 && m0 && !is_x(c.p)) { /* ^0.0.3 -> <0.0.4-0 */
		put_ver(out, "", c.M, NULL, c.m, ".");
		sb_incr(out, c.p);
		sb_puts(out, "-0");
	} else if (M0) { /* ^0.2.3 -> <0.3.0-0 */
		sb_slice(out, c.M);
		sb_putc(out, '.');
		sb_incr(out, c.m);
		sb_puts(out, ".0-0");
	} else {
		sb_incr(out, c.M);
		sb_puts(out, ".0.0-0");
	}
}

/* replaceTilde on one word. */
static void tilde_one(struct slice w, const struct npm_opts *o, struct sb *out)
{
	struct plain c;
	size_t at = 1;
	if (w.n >= 2 && w.p[0] == '~' && w.p[1] == '>')
		at = 2;
	if (w.n < 1 || w.p[0] != '~' || !match_plain_full(w, at, PM_XRANGE(o->loose), &c)) {
		sb_slice(out, w);
		return;
	}
	const char *z = incpr_zero(o->incpr);
	if (is_x(c.M))
		return;
	if (tilde_caret_lower(&c, z, out))
		return;
	sb_slice(out, c.M);
	sb_putc(out, '.');
	sb_incr(out, c.m);
	sb_puts(out, ".0-0");
}

/* replaceXRange on one word. */
static void xrange_one(struct slice w, const struct npm_opts *o, struct sb *out)
{
	size_t lens[3];
	int opts = gtlt_options(w.p, w.n, 0, lens);
	struct plain c;
	size_t gl = 0;
	bool ok = false;
	for (int k = 0; k < opts && !ok; k++) {
		gl = lens[k];
		ok = match_plain_full(w, one_space(w.p, w.n, gl), PM_XRANGE(o->loose), &c);
	}
	bool xM = ok && is_x(c.M), xm = xM || (ok && is_x(c.m)), xp = xm || (ok && is_x(c.p));
	/* invalidXRangeOrder: "x.1", "1.x.2" stay as they are (and fail later). */
	if (!ok || !xp || (xM && !is_x(c.m)) || (is_x(c.m) && c.p.p && !is_x(c.p))) {
		sb_slice(out, w);
		return;
	}
	char g[3] = { 0 };
	memcpy(g, w.p, gl);
	if (!strcmp(g, "="))
		g[0] = 0;
	const char *pr = incpr_zero(o->incpr);
	if (xM) {
		sb_puts(out, (!strcmp(g, ">") || !strcmp(g, "<")) ? "<0.0.0-0" : "*");
	} else if (g[0]) {
		/* >1 => >=2.0.0, >1.2 => >=1.3.0, <=1.2 => <1.3.0-0, <1 => <1.0.0-0 */
		bool incM = false, incm = false;
		if (!strcmp(g, ">")) {
			strcpy(g, ">=");
			incM = xm;
			incm = !xm;
		} else if (!strcmp(g, "<=")) {
			strcpy(g, "<");
			incM = xm;
			incm = !xm;
		}
		if (!strcmp(g, "<"))
			pr = "-0";
		sb_puts(out, g);
		if (incM)
			sb_incr(out, c.M);
		else
			sb_slice(out, c.M);
		sb_putc(out, '.');
		if (xm || (incM && !incm))
			sb_putc(out, '0');
		else if (incm)
			sb_incr(out, c.m);
		else
			sb_slice(out, c.m);
		sb_puts(out, ".0");
		sb_puts(out, pr);
	} else if (xm) {
		put_ver(out, ">=", c.M, "0", c.m, ".0");
		sb_puts(out, pr);
		sb_puts(out, " <");
		sb_incr(out, c.M);
		sb_puts(out, ".0.0-0");
	} else {
		put_ver(out, ">=", c.M, NULL, c.m, ".0");
		sb_puts(out, pr);
		sb_puts(out, " <");
		sb_slice(out, c.M);
		sb_putc(out, '.');
		sb_incr(out, c.m);
		sb_puts(out, ".0-0");
	}
}

typedef void (*word_fn)(struct slice, const struct npm_opts *, struct sb *);

/* s.split(/\s+/).map(fn).join(' '), with JavaScript's split: a leading or
 * trailing separator yields an empty word, and "" yields one empty word. */
static void map_words(struct slice s, word_fn fn, const struct npm_opts *o, struct sb *out)
{
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < s.n && s.p[j] != ' ')
			j++;
		fn(slice_make(s.p + i, j - i), o, out);
		if (j >= s.n)
			return;
		sb_putc(out, ' ');
		i = skip_spaces(s.p, s.n, j);
	}
}

/* replaceStars: the first `(<|>)?=?\s*\*` removed. The first '*' decides:
 * the match starts at the earliest position from which only an optional
 * operator and one space separate it from that star. */
static void replace_stars(struct slice s, struct sb *out)
{
	s = trim_spaces(s);
	const char *star = s.n ? memchr(s.p, '*', s.n) : NULL;
	if (!star) {
		sb_slice(out, s);
		return;
	}
	size_t k = (size_t)(star - s.p), start = k;
	for (size_t p = k >= 3 ? k - 3 : 0; p < k; p++) {
		size_t i = p;
		if (i < k && (s.p[i] == '<' || s.p[i] == '>'))
			i++;
		if (i < k && s.p[i] == '=')
			i++;
		if (i < k && s.p[i] == ' ')
			i++;
		if (i == k) {
			start = p;
			break;
		}
	}
	sb_put(out, s.p, start);
	sb_put(out, s.p + k + 1, s.n - k - 1);
}

/* parseComparator: caret, tilde, x-range, star, in node-semver's order. */
static void parse_comparator(struct slice tok, const struct npm_opts *o, struct sb *out)
{
	char m1[NPM_BUF], m2[NPM_BUF], m3[NPM_BUF];
	struct sb b1, b2, b3;
	sb_init(&b1, m1, sizeof m1);
	sb_init(&b2, m2, sizeof m2);
	sb_init(&b3, m3, sizeof m3);
	map_words(trim_spaces(tok), caret_one, o, &b1);
	map_words(trim_spaces(slice_make(b1.p, b1.n)), tilde_one, o, &b2);
	map_words(slice_make(b2.p, b2.n), xrange_one, o, &b3);
	replace_stars(slice_make(b3.p, b3.n), out);
	out->over = out->over || b1.over || b2.over || b3.over;
}

/* ---- comparators and sets ---- */

struct set_state {
	unsigned count;  /* comparators kept */
	bool all_any;    /* every comparator is "" (the set is just ANY) */
	bool null_set;   /* holds <0.0.0-0, so never matches */
	bool pass;       /* every comparator accepts the version */
	bool pre_ok;     /* a comparator has a prerelease on the version's tuple */
	bool invalid;    /* a comparator failed to parse (strict): range throws */
};

struct eval {
	struct npm_opts o;
	struct semver v;
};

/* COMPARATOR / COMPARATORLOOSE: `^GTLT\s*(FULLPLAIN|LOOSEPLAIN)$|^$`. */
static bool match_comparator(struct slice s, bool loose, size_t *gl, struct slice *ver)
{
	*gl = 0;
	*ver = slice_make(s.p, 0);
	if (s.n == 0)
		return true;
	size_t lens[3];
	int opts = gtlt_options(s.p, s.n, 0, lens);
	for (int k = 0; k < opts; k++) {
		size_t i = one_space(s.p, s.n, lens[k]);
		struct plain c;
		if (match_plain_full(s, i, loose ? PM_LOOSEPLAIN : PM_FULLPLAIN, &c)) {
			*gl = lens[k];
			*ver = slice_make(s.p + i, s.n - i);
			return true;
		}
	}
	return false;
}

static bool is_null_comparator(const char *op, const struct semver *c)
{
	return !strcmp(op, "<") && c->major == 0 && c->minor == 0 && c->patch == 0 && c->pre.n > 0 &&
	       semver_cmp_pre(c->pre, SLICE_LIT("0")) == 0;
}

static bool op_holds(const char *op, int c)
{
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, "<="))
		return c <= 0;
	if (!strcmp(op, ">"))
		return c > 0;
	if (!strcmp(op, ">="))
		return c >= 0;
	return c == 0;
}

/* One comparator string after replaceGTE0: loose filter, parse, test. */
static void add_comparator(struct slice s, const struct eval *ev, struct set_state *st)
{
	s = trim_spaces(s);
	if ((ev->o.incpr && slice_eq_cstr(s, ">=0.0.0-0")) || (!ev->o.incpr && slice_eq_cstr(s, ">=0.0.0")))
		s.n = 0;
	size_t gl;
	struct slice ver;
	if (!match_comparator(s, ev->o.loose, &gl, &ver)) {
		if (!ev->o.loose)
			st->invalid = true;
		return; /* loose mode drops what is not a comparator */
	}
	st->count++;
	if (ver.n == 0)
		return; /* ANY */
	st->all_any = false;
	char op[3] = { 0 };
	memcpy(op, s.p, gl);
	struct semver c;
	if (npm_parse(ver, ev->o.loose, &c) != BOSUN_OK) {
		st->invalid = true; /* new SemVer() throws even in loose mode */
		return;
	}
	if (is_null_comparator(op, &c))
		st->null_set = true;
	if (!op_holds(op, semver_cmp(&ev->v, &c)))
		st->pass = false;
	if (c.pre.n && semver_cmp_main(&c, &ev->v) == 0)
		st->pre_ok = true;
}

/* The concatenation of parseComparator outputs, split on whitespace runs
 * (JavaScript semantics) into comparator strings, fed one at a time. */
struct splitter {
	char mem[NPM_BUF];
	struct sb word;
	bool in_space; /* the text fed so far ends inside a run of spaces */
};

static void split_feed(struct splitter *sp, struct slice text, const struct eval *ev, struct set_state *st)
{
	for (size_t i = 0; i < text.n; i++) {
		if (text.p[i] != ' ') {
			sb_putc(&sp->word, text.p[i]);
			sp->in_space = false;
		} else if (!sp->in_space) {
			/* A run of spaces ends the current word, even an empty one. */
			add_comparator(slice_make(sp->word.p, sp->word.n), ev, st);
			sp->word.n = 0;
			sp->in_space = true;
		}
	}
}

/* parseRange on one `||` alternative. */
static void eval_part(struct slice part, const struct eval *ev, struct set_state *st)
{
	static const size_t cap = NPM_BUF;
	char m0[NPM_BUF], m1[NPM_BUF], m2[NPM_BUF];
	struct sb b0, b1, b2;
	*st = (struct set_state){ .all_any = true, .pass = true };

	sb_init(&b0, m0, cap);
	strip_builds(part, &b0);
	sb_init(&b1, m1, cap);
	if (!hyphen_replace(slice_make(b0.p, b0.n), ev->o.loose, ev->o.incpr, &b1)) {
		b1.n = 0;
		sb_put(&b1, b0.p, b0.n);
	}
	sb_init(&b2, m2, cap);
	comparator_trim(slice_make(b1.p, b1.n), &b2);
	b0.n = 0;
	lone_trim(slice_make(b2.p, b2.n), '~', &b0);
	b1.n = 0;
	lone_trim(slice_make(b0.p, b0.n), '^', &b1);
	if (b0.over || b1.over || b2.over) {
		st->invalid = true;
		return;
	}

	/* range.split(' ').map(parseComparator).join(' ').split(/\s+/) */
	struct splitter sp;
	sb_init(&sp.word, sp.mem, sizeof sp.mem);
	sp.in_space = false;
	struct slice r = slice_make(b1.p, b1.n);
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < r.n && r.p[j] != ' ')
			j++;
		b2.n = 0;
		if (i > 0)
			sb_putc(&b2, ' ');
		parse_comparator(slice_make(r.p + i, j - i), &ev->o, &b2);
		if (b2.over || sp.word.over) {
			st->invalid = true;
			return;
		}
		split_feed(&sp, slice_make(b2.p, b2.n), ev, st);
		if (j >= r.n)
			break;
		i = j + 1;
	}
	add_comparator(slice_make(sp.word.p, sp.word.n), ev, st);
	if (sp.word.over)
		st->invalid = true;
}

/* Range.raw: trimmed, every whitespace run collapsed to one space. */
static bool normalize_range(struct slice in, struct sb *out)
{
	in = js_trim(in);
	const unsigned char *u = (const unsigned char *)in.p;
	for (size_t i = 0; i < in.n;) {
		size_t l = js_ws_len(u, in.n, i);
		if (l) {
			sb_putc(out, ' ');
			while (i < in.n && (l = js_ws_len(u, in.n, i)) > 0)
				i += l;
		} else {
			sb_putc(out, in.p[i++]);
		}
	}
	return !out->over;
}

static int npm_range_test(const char *version, const char *range, unsigned flags, bool *out)
{
	struct eval ev = { .o = { .loose = flags & VERSION_LOOSE, .incpr = flags & VERSION_INCLUDE_PRERELEASE } };
	*out = false;
	if (!version || !range || strlen(range) > NPM_RANGE_MAX)
		return BOSUN_EFORMAT;
	bool v_ok = npm_parse(slice_cstr(version), ev.o.loose, &ev.v) == BOSUN_OK;

	char mem[NPM_RANGE_MAX + 1];
	struct sb raw;
	sb_init(&raw, mem, sizeof mem);
	if (!normalize_range(slice_cstr(range), &raw))
		return BOSUN_EFORMAT;

	unsigned nsets = 0, nnull = 0;
	bool any_pass = false, has_any_set = false, invalid = false;
	struct slice rest = slice_make(raw.p, raw.n);
	for (;;) {
		const char *bar = NULL;
		for (size_t i = 0; i + 1 < rest.n && !bar; i++)
			if (rest.p[i] == '|' && rest.p[i + 1] == '|')
				bar = rest.p + i;
		struct slice part = slice_make(rest.p, bar ? (size_t)(bar - rest.p) : rest.n);
		struct set_state st;
		eval_part(trim_spaces(part), &ev, &st);
		invalid = invalid || st.invalid;
		if (st.count) {
			nsets++;
			nnull += st.null_set;
			if (!st.null_set) {
				has_any_set = has_any_set || st.all_any;
				if (st.pass && (!ev.v.pre.n || ev.o.incpr || st.pre_ok))
					any_pass = true;
			}
		}
		if (!bar)
			break;
		rest = slice_make(bar + 2, rest.n - part.n - 2);
	}
	if (invalid || nsets == 0 || !v_ok)
		return BOSUN_EFORMAT;
	/* Several sets and one of them is just "*": node-semver keeps only that
	 * one, which rejects prereleases unless includePrerelease. */
	if (nsets - nnull > 1 && has_any_set)
		any_pass = !ev.v.pre.n || ev.o.incpr;
	*out = any_pass;
	return BOSUN_OK;
}

/* ---- the scheme ---- */

static int scheme_compare(const char *a, const char *b, int *cmp) { return npm_compare(a, b, VERSION_LOOSE, cmp); }
static bool scheme_valid(const char *v) { return npm_valid(v, VERSION_LOOSE); }

const struct version_scheme version_scheme_npm = {
	.name = "npm",
	.compare = scheme_compare,
	.valid = scheme_valid,
	.satisfies = npm_range_test,
};
