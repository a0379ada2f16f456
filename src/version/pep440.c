/* PyPI: PEP 440 versions and specifiers, as pypa/packaging implements them.
 *
 * A version is parsed into slices of the caller's string (numbers are
 * unbounded in Python, so they stay digit strings and compare by length
 * then bytes); the release segment stays text and is walked component by
 * component, so no count limit is needed. Specifiers follow packaging's
 * range semantics (26.x `_ranges.py`): `>V` excludes V's local and post
 * family, `<V` excludes V's pre-releases, `<=V`/`==V`/`!=V` treat V's local
 * variants as V, `~=` and `==V.*` are half-open ranges ending at a `.dev0`. */
#include <stdbool.h>
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

/* Longest version or specifier set accepted; PEP 440 has none, real ones
 * are short, and bounded buffers need a bound. */
#define PEP_MAX_LEN 1024

struct pep440 {
	struct slice epoch;   /* digits; empty means 0 */
	struct slice release; /* "1.02.3" as written */
	char pre;             /* 0, or 'a', 'b', 'c' (rc: sorts after b) */
	struct slice pre_n;
	bool has_post, has_dev, has_local;
	struct slice post_n, dev_n;
	struct slice local;   /* after '+' */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }
static bool is_alnum(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z'); }
static bool is_sep(char c) { return c == '.' || c == '_' || c == '-'; }

/* Python's str.isspace() (what `\s` and str.strip() use): byte length of
 * the whitespace character at s[i], or 0. */
static size_t py_ws_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))
		return 1;
	if (c == 0xC2 && i + 1 < n && (s[i + 1] == 0x85 || s[i + 1] == 0xA0))
		return 2;
	if (i + 2 >= n)
		return 0;
	unsigned char c1 = s[i + 1], c2 = s[i + 2];
	if ((c == 0xE1 && c1 == 0x9A && c2 == 0x80) || (c == 0xE3 && c1 == 0x80 && c2 == 0x80) ||
	    (c == 0xE2 && c1 == 0x81 && c2 == 0x9F))
		return 3;
	if (c == 0xE2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF))
		return 3;
	return 0;
}

static struct slice py_strip(struct slice s)
{
	const unsigned char *u = (const unsigned char *)s.p;
	if (s.n && u[0] > ' ' && u[0] < 0x80 && u[s.n - 1] > ' ' && u[s.n - 1] < 0x80)
		return s;
	size_t a = 0, b = s.n, l;
	while (a < b && (l = py_ws_len(u, b, a)) > 0)
		a += l;
	while (b > a) {
		size_t back = 0;
		for (size_t k = 1; k <= 3 && k <= b - a && !back; k++)
			if (py_ws_len(u, b, b - k) == k)
				back = k;
		if (!back)
			break;
		b -= back;
	}
	return slice_make(s.p + a, b - a);
}

/* Case-insensitive: does s[i..] start with word? */
static bool word_at(struct slice s, size_t i, const char *word)
{
	size_t n = strlen(word);
	if (i + n > s.n)
		return false;
	for (size_t k = 0; k < n; k++)
		if (lower(s.p[i + k]) != word[k])
			return false;
	return true;
}

static size_t digits_at(struct slice s, size_t i)
{
	size_t j = i;
	while (j < s.n && is_digit(s.p[j]))
		j++;
	return j - i;
}

/* The pre-release letters in the order the regex tries them; each maps to
 * its normal form (alpha=a, beta=b, c/pre/preview=rc). */
static size_t match_pre_letter(struct slice s, size_t i, char *out)
{
	if (i >= s.n || !strchr("abcprABCPR", s.p[i]))
		return 0; /* the usual case: a separator, a digit, "post", "dev" */
	static const struct {
		const char *w;
		char norm;
	} L[] = { { "alpha", 'a' }, { "a", 'a' }, { "beta", 'b' }, { "b", 'b' },
		  { "preview", 'c' }, { "pre", 'c' }, { "c", 'c' }, { "rc", 'c' } };
	for (size_t k = 0; k < sizeof L / sizeof L[0]; k++)
		if (word_at(s, i, L[k].w)) {
			*out = L[k].norm;
			return strlen(L[k].w);
		}
	return 0;
}

static size_t opt_sep(struct slice s, size_t i) { return i < s.n && is_sep(s.p[i]) ? i + 1 : i; }

/* Optional number: its digits (empty slice if none) and the new index. */
static size_t opt_num(struct slice s, size_t i, struct slice *num)
{
	size_t l = digits_at(s, i);
	*num = slice_make(s.p + i, l);
	return i + l;
}

/* The public part of VERSION_PATTERN from s[i], greedily (packaging's
 * possessive quantifiers give the same result). Returns the end index. */
static size_t parse_public(struct slice s, size_t i, struct pep440 *v)
{
	size_t l = digits_at(s, i);
	if (l && i + l < s.n && s.p[i + l] == '!') {
		v->epoch = slice_make(s.p + i, l);
		i += l + 1;
	}
	size_t rs = i;
	if (!(l = digits_at(s, i)))
		return (size_t)-1;
	i += l;
	while (i + 1 < s.n && s.p[i] == '.' && (l = digits_at(s, i + 1)) > 0)
		i += 1 + l;
	v->release = slice_make(s.p + rs, i - rs);

	size_t j = opt_sep(s, i);
	if ((l = match_pre_letter(s, j, &v->pre)) > 0) {
		i = opt_num(s, opt_sep(s, j + l), &v->pre_n);
	}
	if (i + 1 < s.n && s.p[i] == '-' && is_digit(s.p[i + 1])) {
		v->has_post = true;
		i = opt_num(s, i + 1, &v->post_n);
	} else {
		j = opt_sep(s, i);
		l = word_at(s, j, "post") ? 4 : word_at(s, j, "rev") ? 3 : word_at(s, j, "r") ? 1 : 0;
		if (l) {
			v->has_post = true;
			i = opt_num(s, opt_sep(s, j + l), &v->post_n);
		}
	}
	j = opt_sep(s, i);
	if (word_at(s, j, "dev")) {
		v->has_dev = true;
		i = opt_num(s, opt_sep(s, j + 3), &v->dev_n);
	}
	return i;
}

/* `+local`: alphanumeric runs joined by single separators. */
static size_t parse_local(struct slice s, size_t i, struct pep440 *v)
{
	if (i >= s.n || s.p[i] != '+')
		return i;
	size_t st = ++i;
	for (;;) {
		size_t k = i;
		while (k < s.n && is_alnum(s.p[k]))
			k++;
		if (k == i)
			return (size_t)-1;
		i = k;
		if (!(i + 1 < s.n && is_sep(s.p[i]) && is_alnum(s.p[i + 1])))
			break;
		i++;
	}
	v->has_local = true;
	v->local = slice_make(s.p + st, i - st);
	return i;
}

/* Version(text): `\s*` VERSION_PATTERN `\s*`, case-insensitive. */
static bool pep_parse(struct slice s, struct pep440 *v)
{
	memset(v, 0, sizeof *v);
	if (s.n > PEP_MAX_LEN)
		return false;
	s = py_strip(s);
	size_t i = 0;
	if (i < s.n && lower(s.p[i]) == 'v')
		i++;
	i = parse_public(s, i, v);
	if (i == (size_t)-1)
		return false;
	i = parse_local(s, i, v);
	return i == s.n;
}

/* ---- ordering (packaging's _cmpkey) ---- */

static struct slice strip_zeros(struct slice s)
{
	while (s.n && s.p[0] == '0') {
		s.p++;
		s.n--;
	}
	return s;
}

static int cmp_num(struct slice a, struct slice b)
{
	a = strip_zeros(a);
	b = strip_zeros(b);
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	int c = a.n ? memcmp(a.p, b.p, a.n) : 0;
	return c < 0 ? -1 : c > 0;
}

/* Next component of a separator-delimited list; false at the end. */
static bool next_part(struct slice *rest, struct slice *part, bool any_sep)
{
	if (!rest->n)
		return false;
	size_t k = 0;
	while (k < rest->n && !(any_sep ? is_sep(rest->p[k]) : rest->p[k] == '.'))
		k++;
	*part = slice_make(rest->p, k);
	*rest = k < rest->n ? slice_make(rest->p + k + 1, rest->n - k - 1) : slice_make(rest->p + k, 0);
	return true;
}

/* Releases compare as if trailing zeros were dropped: a missing component
 * is 0. */
static int cmp_release(struct slice a, struct slice b)
{
	struct slice pa, pb;
	for (;;) {
		bool ha = next_part(&a, &pa, false), hb = next_part(&b, &pb, false);
		if (!ha && !hb)
			return 0;
		int c = cmp_num(ha ? pa : SLICE_LIT("0"), hb ? pb : SLICE_LIT("0"));
		if (c)
			return c;
	}
}

static bool all_digits(struct slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit(s.p[i]))
			return false;
	return s.n > 0;
}

static int cmp_text_ci(struct slice a, struct slice b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < m; i++) {
		char x = lower(a.p[i]), y = lower(b.p[i]);
		if (x != y)
			return (unsigned char)x < (unsigned char)y ? -1 : 1;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

/* Local labels: numeric parts above alphanumeric ones, numbers by value,
 * text case-insensitively, a longer label greater when one is a prefix. */
static int cmp_local(struct slice a, struct slice b)
{
	struct slice pa, pb;
	for (;;) {
		bool ha = next_part(&a, &pa, true), hb = next_part(&b, &pb, true);
		if (!ha || !hb)
			return ha ? 1 : hb ? -1 : 0;
		bool na = all_digits(pa), nb = all_digits(pb);
		int c = (na && nb) ? cmp_num(pa, pb) : (na || nb) ? (na ? 1 : -1) : cmp_text_ci(pa, pb);
		if (c)
			return c;
	}
}

/* One of _cmpkey's pre/post/dev slots: rank -1 (-inf), 0 (value), 1 (+inf). */
struct slot {
	int rank;
	int letter;
	struct slice n;
};

static int cmp_slot(struct slot a, struct slot b)
{
	if (a.rank != b.rank)
		return a.rank < b.rank ? -1 : 1;
	if (a.rank)
		return 0;
	if (a.letter != b.letter)
		return a.letter < b.letter ? -1 : 1;
	return cmp_num(a.n, b.n);
}

static struct slot pre_slot(const struct pep440 *v)
{
	/* 1.0.dev0 sorts before 1.0a0: a dev release with no pre or post. */
	if (!v->pre && !v->has_post && v->has_dev)
		return (struct slot){ -1, 0, { 0 } };
	if (!v->pre)
		return (struct slot){ 1, 0, { 0 } };
	return (struct slot){ 0, v->pre, v->pre_n };
}

static int cmp_public(const struct pep440 *a, const struct pep440 *b)
{
	int c = cmp_num(a->epoch, b->epoch);
	if (!c)
		c = cmp_release(a->release, b->release);
	if (!c)
		c = cmp_slot(pre_slot(a), pre_slot(b));
	if (!c)
		c = cmp_slot((struct slot){ a->has_post ? 0 : -1, 0, a->post_n },
			     (struct slot){ b->has_post ? 0 : -1, 0, b->post_n });
	if (!c)
		c = cmp_slot((struct slot){ a->has_dev ? 0 : 1, 0, a->dev_n },
			     (struct slot){ b->has_dev ? 0 : 1, 0, b->dev_n });
	return c;
}

static int pep_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int c = cmp_public(a, b);
	if (c || (!a->has_local && !b->has_local))
		return c;
	if (!a->has_local || !b->has_local)
		return a->has_local ? 1 : -1;
	return cmp_local(a->local, b->local);
}

static bool is_prerelease(const struct pep440 *v) { return v->pre || v->has_dev; }

/* ---- specifiers ---- */

/* Same epoch and release (trailing zeros aside) and same pre-release: the
 * start of every "family" test in packaging's boundary versions. */
static bool same_base_pre(const struct pep440 *p, const struct pep440 *v)
{
	return cmp_num(p->epoch, v->epoch) == 0 && cmp_release(p->release, v->release) == 0 &&
	       p->pre == v->pre && (!p->pre || cmp_num(p->pre_n, v->pre_n) == 0);
}

static bool same_opt(bool ha, struct slice a, bool hb, struct slice b)
{
	return ha == hb && (!ha || cmp_num(a, b) == 0);
}

/* V's local family: V itself with any local label (AFTER_LOCALS). */
static bool local_family(const struct pep440 *p, const struct pep440 *v)
{
	return same_base_pre(p, v) && same_opt(p->has_post, p->post_n, v->has_post, v->post_n) &&
	       same_opt(p->has_dev, p->dev_n, v->has_dev, v->dev_n);
}

/* V's post family: V, V+local, and any post-release of V (AFTER_POSTS). */
static bool post_family(const struct pep440 *p, const struct pep440 *v)
{
	return same_base_pre(p, v) && (same_opt(p->has_dev, p->dev_n, v->has_dev, v->dev_n) || p->has_post);
}

/* Decimal digits plus one, into buf; returns the slice. */
static struct slice num_incr(struct slice s, char *buf, size_t cap)
{
	s = strip_zeros(s);
	if (s.n + 1 > cap)
		return slice_make(NULL, 0);
	buf[0] = '0';
	memcpy(buf + 1, s.p, s.n);
	size_t i = s.n;
	while (i > 0 && buf[i] == '9')
		buf[i--] = '0';
	buf[i]++;
	return buf[0] == '0' ? slice_make(buf + 1, s.n) : slice_make(buf, s.n + 1);
}

/* The release cut to its first `keep` components, the last of them
 * incremented: ("1.4.5", 2) -> "1.5". Written into buf. */
static struct slice release_bump(struct slice rel, size_t keep, char *buf, size_t cap)
{
	struct slice rest = rel, part;
	for (size_t n = 0; next_part(&rest, &part, false); n++) {
		if (n + 1 != keep)
			continue;
		size_t head = (size_t)(part.p - rel.p);
		if (head + part.n + 1 > cap)
			break;
		memcpy(buf, rel.p, head);
		struct slice inc = num_incr(part, buf + head, cap - head);
		memmove(buf + head, inc.p, inc.n);
		return slice_make(buf, head + inc.n);
	}
	return SLICE_LIT("0");
}

static size_t release_count(struct slice rel)
{
	size_t n = 1;
	for (size_t i = 0; i < rel.n; i++)
		n += rel.p[i] == '.';
	return n;
}

enum op { OP_ARB, OP_EQ, OP_NE, OP_COMPAT, OP_LE, OP_GE, OP_LT, OP_GT };

struct spec {
	enum op op;
	bool wildcard;      /* ==V.* / !=V.* */
	struct slice text;  /* version text after the operator */
	struct pep440 v;
};

/* One specifier, already stripped: operator, `\s*`, then a version that
 * the operator allows (wildcards and locals only with == and !=, at least
 * two release components with ~=). */
static bool spec_parse(struct slice s, struct spec *sp)
{
	memset(sp, 0, sizeof *sp);
	static const struct {
		const char *tok;
		enum op op;
	} OPS[] = { { "===", OP_ARB }, { "~=", OP_COMPAT }, { "==", OP_EQ }, { "!=", OP_NE },
		    { "<=", OP_LE },   { ">=", OP_GE },     { "<", OP_LT },  { ">", OP_GT } };
	size_t i = 0;
	bool found = false;
	for (size_t k = 0; k < sizeof OPS / sizeof OPS[0] && !found; k++) {
		size_t l = strlen(OPS[k].tok);
		if (s.n >= l && !memcmp(s.p, OPS[k].tok, l)) {
			sp->op = OPS[k].op;
			i = l;
			found = true;
		}
	}
	if (!found)
		return false;
	size_t l;
	while (i < s.n && (l = py_ws_len((const unsigned char *)s.p, s.n, i)) > 0)
		i += l;
	sp->text = slice_make(s.p + i, s.n - i);
	if (sp->op == OP_ARB) {
		/* [^\s;)]*: the rest must hold none of those. */
		for (size_t k = 0; k < sp->text.n; k++)
			if (sp->text.p[k] == ';' || sp->text.p[k] == ')' ||
			    py_ws_len((const unsigned char *)sp->text.p, sp->text.n, k))
				return false;
		return true;
	}
	struct slice t = sp->text;
	if ((sp->op == OP_EQ || sp->op == OP_NE) && t.n >= 2 && !memcmp(t.p + t.n - 2, ".*", 2)) {
		/* `.*` directly after the release: nothing else may be there. */
		sp->wildcard = true;
		t.n -= 2;
		size_t j = (t.n && lower(t.p[0]) == 'v') ? 1 : 0;
		size_t e = parse_public(t, j, &sp->v);
		return e == t.n && !sp->v.pre && !sp->v.has_post && !sp->v.has_dev;
	}
	size_t j = (t.n && lower(t.p[0]) == 'v') ? 1 : 0;
	size_t e = parse_public(t, j, &sp->v);
	if (e == (size_t)-1)
		return false;
	if (sp->op == OP_EQ || sp->op == OP_NE)
		e = parse_local(t, e, &sp->v);
	if (e != t.n)
		return false;
	return sp->op != OP_COMPAT || release_count(sp->v.release) >= 2;
}

/* p >= the version (epoch, release, dev=0), i.e. the ".dev0" of that release. */
static int cmp_dev0(const struct pep440 *p, struct slice epoch, struct slice release)
{
	struct pep440 b = { .epoch = epoch, .release = release, .has_dev = true, .dev_n = SLICE_LIT("0") };
	return pep_cmp(p, &b);
}

static bool spec_match(const struct spec *sp, const struct pep440 *p, struct slice raw)
{
	const struct pep440 *v = &sp->v;
	char buf[PEP_MAX_LEN + 8];
	switch (sp->op) {
	case OP_ARB:
		return cmp_text_ci(raw, sp->text) == 0;
	case OP_GE:
		return pep_cmp(p, v) >= 0;
	case OP_LE:
		return pep_cmp(p, v) <= 0 || local_family(p, v);
	case OP_LT: {
		/* <V excludes V's own pre-releases unless V is one: V.dev0 bounds. */
		if (is_prerelease(v))
			return pep_cmp(p, v) < 0;
		struct pep440 b = *v;
		b.has_dev = true;
		b.dev_n = SLICE_LIT("0");
		return pep_cmp(p, &b) < 0;
	}
	case OP_GT: {
		struct pep440 b = *v;
		if (v->has_dev) { /* >V.devN: from V.dev(N+1) on */
			b.dev_n = num_incr(v->dev_n, buf, sizeof buf);
			return pep_cmp(p, &b) >= 0;
		}
		if (v->has_post) { /* >V.postN: from V.post(N+1).dev0 on */
			b.post_n = num_incr(v->post_n, buf, sizeof buf);
			b.has_dev = true;
			b.dev_n = SLICE_LIT("0");
			return pep_cmp(p, &b) >= 0;
		}
		return pep_cmp(p, v) > 0 && !post_family(p, v);
	}
	case OP_COMPAT: {
		/* ~=V: [V, next prefix .dev0), the prefix dropping V's last component. */
		size_t k = release_count(v->release);
		struct slice up = release_bump(v->release, k - 1, buf, sizeof buf);
		return pep_cmp(p, v) >= 0 && cmp_dev0(p, v->epoch, up) < 0;
	}
	case OP_EQ:
	case OP_NE: {
		bool eq;
		if (sp->wildcard) {
			/* ==V.*: [V.dev0, V with last component + 1 .dev0). */
			struct slice up = release_bump(v->release, release_count(v->release), buf, sizeof buf);
			eq = cmp_dev0(p, v->epoch, v->release) >= 0 && cmp_dev0(p, v->epoch, up) < 0;
		} else if (v->has_local) {
			eq = pep_cmp(p, v) == 0;
		} else {
			eq = cmp_public(p, v) == 0;
		}
		return sp->op == OP_EQ ? eq : !eq;
	}
	}
	return false;
}

/* SpecifierSet(text).contains(version): comma-separated, blanks skipped,
 * every specifier must hold. A pre-release is matched like any version:
 * packaging's contains() does so for a lone candidate unless told
 * prereleases=False, so VERSION_INCLUDE_PRERELEASE changes nothing here. */
static int pep_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	*out = false;
	if (!version || !constraint || strlen(constraint) > PEP_MAX_LEN)
		return BOSUN_EFORMAT;
	struct slice raw = slice_cstr(version);
	struct pep440 p;
	bool v_ok = pep_parse(raw, &p);
	bool all = true, only_arb = true;
	unsigned nspecs = 0;
	struct slice rest = slice_cstr(constraint);
	for (;;) {
		const char *comma = memchr(rest.p, ',', rest.n);
		struct slice item = py_strip(slice_make(rest.p, comma ? (size_t)(comma - rest.p) : rest.n));
		if (item.n) {
			struct spec sp;
			if (!spec_parse(item, &sp))
				return BOSUN_EFORMAT;
			nspecs++;
			only_arb = only_arb && sp.op == OP_ARB;
			if (v_ok || sp.op == OP_ARB)
				all = all && spec_match(&sp, &p, raw);
		}
		if (!comma)
			break;
		rest = slice_make(comma + 1, rest.n - (size_t)(comma + 1 - rest.p));
	}
	/* `===` compares raw strings, so only it can accept a non-PEP 440 one. */
	if (!v_ok && (!nspecs || !only_arb))
		return BOSUN_EFORMAT;
	*out = all;
	return BOSUN_OK;
}

static int pep_compare(const char *a, const char *b, int *cmp)
{
	struct pep440 va, vb;
	if (!a || !b || !pep_parse(slice_cstr(a), &va) || !pep_parse(slice_cstr(b), &vb))
		return BOSUN_EFORMAT;
	*cmp = pep_cmp(&va, &vb);
	return BOSUN_OK;
}

static bool pep_valid(const char *v)
{
	struct pep440 p;
	return v && pep_parse(slice_cstr(v), &p);
}

const struct version_scheme version_scheme_pypi = {
	.name = "pypi",
	.compare = pep_compare,
	.valid = pep_valid,
	.satisfies = pep_satisfies,
};
