/* Constraint strings -> version sets -> OSV-style ranges. See the header for
 * the model and docs/feeds-lang.md for each syntax's semantics. */
#include "vulndb/constraint_ranges.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* One parse: the context, the text (for messages) and the error. */
struct parse {
	const struct cr_ctx *c;
	const char *text;
	struct berr *e;
	size_t terms; /* comparators seen so far, against CR_MAX_TERMS */
};

/* Messages quote the constraint, cut short so that the reason still fits. */
#define SHOWN 100
#define CTX_FMT "constraint \"%.*s%s\""
#define CTX_ARGS(ps) (int)strnlen((ps)->text, SHOWN), (ps)->text, strnlen((ps)->text, SHOWN + 1) > SHOWN ? "..." : ""

/* ======================================================================
 * Comparing bounds
 * ==================================================================== */

static int cmpv(const struct cr_ctx *c, const char *a, const char *b, int *out, struct berr *e)
{
	if (strcmp(a, b) == 0) {
		*out = 0;
		return BOSUN_OK;
	}
	if (!c->compare)
		return berr_set(e, BOSUN_EUNSUPPORTED, "cannot order \"%s\" and \"%s\": no version scheme", a, b);
	int r = 0;
	if (c->compare(a, b, &r) != BOSUN_OK)
		return berr_set(e, BOSUN_EFORMAT, "cannot compare versions \"%s\" and \"%s\"", a, b);
	*out = (r > 0) - (r < 0);
	return BOSUN_OK;
}

/* Lower bounds in the order their intervals start: unbounded first; at one
 * version an inclusive bound starts before an exclusive one. */
static int lo_cmp(const struct cr_ctx *c, const struct cr_bound *a, const struct cr_bound *b, int *out,
		  struct berr *e)
{
	if (!a->v || !b->v) {
		*out = (a->v != NULL) - (b->v != NULL);
		return BOSUN_OK;
	}
	TRY(cmpv(c, a->v, b->v, out, e));
	if (*out == 0)
		*out = (int)b->incl - (int)a->incl;
	return BOSUN_OK;
}

/* Upper bounds in the order their intervals end: unbounded last; at one
 * version an exclusive bound ends before an inclusive one. */
static int hi_cmp(const struct cr_ctx *c, const struct cr_bound *a, const struct cr_bound *b, int *out,
		  struct berr *e)
{
	if (!a->v || !b->v) {
		*out = (a->v == NULL) - (b->v == NULL);
		return BOSUN_OK;
	}
	TRY(cmpv(c, a->v, b->v, out, e));
	if (*out == 0)
		*out = (int)a->incl - (int)b->incl;
	return BOSUN_OK;
}

/* Whether an interval ending at hi and one starting at lo overlap or touch
 * (so that their union is one interval). With lo == hi == the interval's own
 * bounds this is also "the interval is not empty" when `touch` is false. */
static int bounds_meet(const struct cr_ctx *c, const struct cr_bound *lo, const struct cr_bound *hi, bool touch,
		       bool *out, struct berr *e)
{
	if (!lo->v || !hi->v) {
		*out = true;
		return BOSUN_OK;
	}
	/* Without an order, distinct versions cannot be compared: assume the
	 * feed's interval is not empty (Composer branches are written that way). */
	if (!c->compare && strcmp(lo->v, hi->v) != 0 && !touch) {
		*out = true;
		return BOSUN_OK;
	}
	int r;
	TRY(cmpv(c, lo->v, hi->v, &r, e));
	if (r != 0)
		*out = r < 0;
	else
		*out = touch ? (lo->incl || hi->incl) : (lo->incl && hi->incl);
	return BOSUN_OK;
}

static int interval_nonempty(const struct cr_ctx *c, const struct cr_interval *iv, bool *out, struct berr *e)
{
	return bounds_meet(c, &iv->lo, &iv->hi, false, out, e);
}

/* ======================================================================
 * Sets
 * ==================================================================== */

static int set_alloc(const struct cr_ctx *c, size_t n, struct cr_set *s, struct berr *e)
{
	if (n > CR_MAX_INTERVALS)
		return berr_set(e, BOSUN_ELIMIT, "more than %d version intervals", CR_MAX_INTERVALS);
	s->iv = arena_alloc(c->arena, (n ? n : 1) * sizeof *s->iv);
	s->n = 0;
	return s->iv ? BOSUN_OK : berr_set(e, BOSUN_ENOMEM, "out of memory");
}

/* Merges overlapping or touching neighbours of a list sorted by lower bound,
 * in place. */
static int coalesce(const struct cr_ctx *c, struct cr_set *s, struct berr *e)
{
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (w > 0) {
			struct cr_interval *last = &s->iv[w - 1];
			bool meet;
			TRY(bounds_meet(c, &s->iv[i].lo, &last->hi, true, &meet, e));
			if (meet) {
				int r;
				TRY(hi_cmp(c, &s->iv[i].hi, &last->hi, &r, e));
				if (r > 0)
					last->hi = s->iv[i].hi;
				continue;
			}
		}
		s->iv[w++] = s->iv[i];
	}
	s->n = w;
	return BOSUN_OK;
}

int cr_union(const struct cr_ctx *c, const struct cr_set *a, const struct cr_set *b, struct cr_set *out,
	     struct berr *e)
{
	struct cr_set s;
	TRY(set_alloc(c, a->n + b->n, &s, e));
	size_t i = 0, j = 0;
	/* Both inputs are sorted: merge them, then join what overlaps. */
	while (i < a->n || j < b->n) {
		int r = 1;
		if (i < a->n && j < b->n)
			TRY(lo_cmp(c, &a->iv[i].lo, &b->iv[j].lo, &r, e));
		else if (i < a->n)
			r = -1;
		s.iv[s.n++] = r <= 0 ? a->iv[i++] : b->iv[j++];
	}
	TRY(coalesce(c, &s, e));
	*out = s;
	return BOSUN_OK;
}

int cr_intersect(const struct cr_ctx *c, const struct cr_set *a, const struct cr_set *b, struct cr_set *out,
		 struct berr *e)
{
	struct cr_set s;
	TRY(set_alloc(c, a->n + b->n, &s, e));
	size_t i = 0, j = 0;
	/* Sweep: the overlap of the current pair, then drop whichever of the
	 * two ends first (it cannot overlap anything further on). */
	while (i < a->n && j < b->n) {
		const struct cr_interval *x = &a->iv[i], *y = &b->iv[j];
		struct cr_interval o;
		int r;
		TRY(lo_cmp(c, &x->lo, &y->lo, &r, e));
		o.lo = r >= 0 ? x->lo : y->lo;
		TRY(hi_cmp(c, &x->hi, &y->hi, &r, e));
		o.hi = r <= 0 ? x->hi : y->hi;
		bool keep;
		TRY(interval_nonempty(c, &o, &keep, e));
		if (keep)
			s.iv[s.n++] = o;
		if (r <= 0)
			i++;
		else
			j++;
	}
	TRY(coalesce(c, &s, e));
	*out = s;
	return BOSUN_OK;
}

int cr_complement(const struct cr_ctx *c, const struct cr_set *a, struct cr_set *out, struct berr *e)
{
	struct cr_set s;
	TRY(set_alloc(c, a->n + 1, &s, e));
	struct cr_bound from = { NULL, false }; /* start of the current gap */
	for (size_t i = 0; i < a->n; i++) {
		const struct cr_interval *iv = &a->iv[i];
		if (iv->lo.v) {
			struct cr_interval gap = { from, { iv->lo.v, !iv->lo.incl } };
			bool keep;
			TRY(interval_nonempty(c, &gap, &keep, e));
			if (keep)
				s.iv[s.n++] = gap;
		}
		if (!iv->hi.v) {
			*out = s;
			return BOSUN_OK;
		}
		from = (struct cr_bound){ iv->hi.v, !iv->hi.incl };
	}
	s.iv[s.n++] = (struct cr_interval){ from, { NULL, false } };
	*out = s;
	return BOSUN_OK;
}

/* A set of up to two intervals, from one comparator. */
static int set_of(struct parse *ps, const struct cr_interval *iv, size_t n, struct cr_set *out)
{
	struct cr_set s;
	TRY(set_alloc(ps->c, n, &s, ps->e));
	for (size_t i = 0; i < n; i++) {
		bool keep;
		TRY(interval_nonempty(ps->c, &iv[i], &keep, ps->e));
		if (keep)
			s.iv[s.n++] = iv[i];
	}
	*out = s;
	return BOSUN_OK;
}

/* ======================================================================
 * Text helpers
 * ==================================================================== */

enum op { OP_NONE, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_TILDE, OP_CARET, OP_PESSIMISTIC };

static bool is_ws(char ch) { return ch == ' ' || ch == '\t'; }
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static bool is_alnum(char ch) { return is_digit(ch) || is_alpha(ch); }
static bool is_op_char(char ch) { return ch == '<' || ch == '>' || ch == '=' || ch == '!' || ch == '~' || ch == '^'; }
static bool is_ver_char(char ch)
{
	return is_alnum(ch) || ch == '.' || ch == '-' || ch == '+' || ch == '_' || ch == '*';
}

static int bad(struct parse *ps, const char *what, struct slice s)
{
	return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": %s \"%.*s\"", CTX_ARGS(ps), what, (int)(s.n > SHOWN ? SHOWN : s.n), s.p);
}

static int oom(struct parse *ps) { return berr_set(ps->e, BOSUN_ENOMEM, "out of memory"); }

/* The operator in s, as each syntax spells it. */
static int op_parse(struct parse *ps, struct slice s, enum op *out)
{
	static const struct {
		const char *text;
		enum op op;
		unsigned syntaxes; /* bit per enum cr_syntax */
	} ops[] = {
		{ "", OP_NONE, 0xf },
		{ "=", OP_EQ, 0xf },
		{ "==", OP_EQ, 1u << CR_COMPOSER },
		{ "!=", OP_NE, 1u << CR_GEM | 1u << CR_COMPOSER },
		{ "<>", OP_NE, 1u << CR_COMPOSER },
		{ "<", OP_LT, 0xf },
		{ "<=", OP_LE, 0xf },
		{ ">", OP_GT, 0xf },
		{ ">=", OP_GE, 0xf },
		{ "~", OP_TILDE, 1u << CR_NPM | 1u << CR_CARGO },
		{ "~>", OP_TILDE, 1u << CR_NPM }, /* node-semver reads ~> as ~ */
		{ "~>", OP_PESSIMISTIC, 1u << CR_GEM },
		{ "^", OP_CARET, 1u << CR_NPM | 1u << CR_CARGO },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if ((ops[i].syntaxes >> ps->c->syntax & 1) && slice_eq_cstr(s, ops[i].text)) {
			*out = ops[i].op;
			return BOSUN_OK;
		}
	return bad(ps, "unknown operator", s);
}

/* Decimal digits of s as a number no larger than max; no leading zeros
 * (SemVer forbids them and they would make "01" and "1" distinct strings of
 * one version). */
static bool parse_num(struct slice s, uint64_t max, uint64_t *out)
{
	if (s.n == 0 || s.n > 20 || (s.n > 1 && s.p[0] == '0'))
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return false;
		unsigned d = (unsigned)(s.p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* ======================================================================
 * SemVer family (npm, Cargo): partial versions
 * ==================================================================== */

/* "1", "1.2", "1.2.x", "1.2.3-rc.1+b5", "*". */
struct pver {
	uint64_t num[3];
	int parts;        /* leading numeric parts given (0..3); the rest are absent or wildcards */
	bool wild;        /* a part was x, X or * */
	struct slice pre; /* only with all three parts */
};

static bool is_wild(struct slice s) { return s.n == 1 && (s.p[0] == 'x' || s.p[0] == 'X' || s.p[0] == '*'); }

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]. */
static bool ident_list_ok(struct slice s)
{
	if (s.n == 0)
		return false;
	size_t run = 0;
	for (size_t i = 0; i < s.n; i++) {
		char ch = s.p[i];
		if (ch == '.') {
			if (run == 0)
				return false;
			run = 0;
		} else if (is_alnum(ch) || ch == '-') {
			run++;
		} else {
			return false;
		}
	}
	return run > 0;
}

static int pver_parse(struct parse *ps, struct slice s, struct pver *out)
{
	/* SemVer caps numbers at 2^53 - 1 for npm; Cargo allows u64, less one so
	 * that bumping a part cannot overflow. */
	uint64_t max = ps->c->syntax == CR_NPM ? 9007199254740991ULL : UINT64_MAX - 1;
	struct slice v = s;
	if (ps->c->syntax == CR_NPM && v.n > 0 && (v.p[0] == 'v' || v.p[0] == 'V'))
		v = slice_make(v.p + 1, v.n - 1);
	struct slice core = v, build = { NULL, 0 }, pre = { NULL, 0 };
	bool has_build = slice_split(v, '+', &core, &build);
	bool has_pre = slice_split(core, '-', &core, &pre);
	*out = (struct pver){ { 0, 0, 0 }, 0, false, { NULL, 0 } };
	bool wild = false;
	int nfields = 0;
	struct slice rest = core, field;
	while (rest.n > 0 || nfields == 0) {
		if (nfields == 3)
			return bad(ps, "too many version parts in", s);
		bool more = slice_split(rest, '.', &field, &rest);
		if (!more)
			rest = (struct slice){ NULL, 0 };
		if (is_wild(field)) {
			wild = true; /* 1.x.3 reads as 1.x, as node-semver reads it */
		} else if (wild || !parse_num(field, max, &out->num[nfields])) {
			return bad(ps, "bad version", s);
		} else {
			out->parts++;
		}
		nfields++;
		if (more && rest.n == 0)
			return bad(ps, "bad version", s);
	}
	if ((has_pre || has_build) && out->parts != 3)
		return bad(ps, "pre-release or build on a partial version", s);
	if ((has_pre && !ident_list_ok(pre)) || (has_build && !ident_list_ok(build)))
		return bad(ps, "bad pre-release or build in", s);
	if (has_pre)
		out->pre = pre;
	out->wild = wild;
	return BOSUN_OK;
}

/* "M.m.p" from the parts, missing ones 0, with an optional pre-release
 * (pre_zero: the lowest one, "-0"). */
static const char *pver_fmt(struct parse *ps, uint64_t M, uint64_t m, uint64_t p, struct slice pre, bool pre_zero)
{
	const char *s;
	if (pre_zero)
		s = arena_printf(ps->c->arena, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "-0", M, m, p);
	else if (pre.n)
		s = arena_printf(ps->c->arena, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "-%.*s", M, m, p, (int)pre.n, pre.p);
	else
		s = arena_printf(ps->c->arena, "%" PRIu64 ".%" PRIu64 ".%" PRIu64, M, m, p);
	return s;
}

/* The version itself, missing parts 0. */
static const char *pver_floor(struct parse *ps, const struct pver *v)
{
	return pver_fmt(ps, v->num[0], v->num[1], v->num[2], v->pre, false);
}

/* The first version past the partial: 1 -> 2.0.0-0, 1.2 -> 1.3.0-0
 * (parts 1 or 2 only). */
static const char *pver_past(struct parse *ps, const struct pver *v)
{
	struct slice none = { NULL, 0 };
	if (v->parts == 1)
		return pver_fmt(ps, v->num[0] + 1, 0, 0, none, true);
	return pver_fmt(ps, v->num[0], v->num[1] + 1, 0, none, true);
}

/* The exclusive end of a caret range: the next version that changes the
 * leftmost non-zero part given. */
static const char *caret_end(struct parse *ps, const struct pver *v)
{
	struct slice none = { NULL, 0 };
	if (v->num[0] > 0 || v->parts == 1)
		return pver_fmt(ps, v->num[0] + 1, 0, 0, none, true);
	if (v->num[1] > 0 || v->parts == 2)
		return pver_fmt(ps, 0, v->num[1] + 1, 0, none, true);
	return pver_fmt(ps, 0, 0, v->num[2] + 1, none, true);
}

/* The exclusive end of a tilde range: the next minor, or the next major when
 * only the major is given. */
static const char *tilde_end(struct parse *ps, const struct pver *v)
{
	struct slice none = { NULL, 0 };
	if (v->parts == 1)
		return pver_fmt(ps, v->num[0] + 1, 0, 0, none, true);
	return pver_fmt(ps, v->num[0], v->num[1] + 1, 0, none, true);
}

#define LO(v_, i_) ((struct cr_bound){ (v_), (i_) })
#define HI(v_, i_) ((struct cr_bound){ (v_), (i_) })
#define NOB ((struct cr_bound){ NULL, false })

/* node-semver's desugaring (Range#range without includePrerelease), read in
 * the version order. */
static int npm_term(struct parse *ps, enum op op, const struct pver *v, struct cr_interval *iv, size_t *n)
{
	*n = 1;
	if (v->parts == 0) { /* "*", "x": every version, and none for > and < */
		if (op == OP_GT || op == OP_LT)
			*n = 0;
		else
			iv[0] = (struct cr_interval){ NOB, NOB };
		return BOSUN_OK;
	}
	bool full = v->parts == 3;
	struct slice none = { NULL, 0 };
	const char *floor = pver_floor(ps, v);
	/* A partial version stands for all of its versions: it starts at its
	 * lowest pre-release (1.2 -> 1.2.0-0) when it is an upper bound, and the
	 * next one starts at `past` (1.2 -> 1.3.0-0), or at `next` (1.3.0) for
	 * `>1.2`, which node-semver writes as `>=1.3.0`. */
	const char *past = full ? "" : pver_past(ps, v);
	const char *next = full ? "" : v->parts == 1 ? pver_fmt(ps, v->num[0] + 1, 0, 0, none, false)
						  : pver_fmt(ps, v->num[0], v->num[1] + 1, 0, none, false);
	const char *below = full ? "" : pver_fmt(ps, v->num[0], v->num[1], 0, none, true);
	const char *end = op == OP_TILDE ? tilde_end(ps, v) : op == OP_CARET ? caret_end(ps, v) : "";
	if (!floor || !past || !next || !below || !end)
		return oom(ps);
	switch (op) {
	case OP_NONE:
	case OP_EQ:
		iv[0] = full ? (struct cr_interval){ LO(floor, true), HI(floor, true) }
			     : (struct cr_interval){ LO(floor, true), HI(past, false) };
		break;
	case OP_GT:
		iv[0] = full ? (struct cr_interval){ LO(floor, false), NOB } : (struct cr_interval){ LO(next, true), NOB };
		break;
	case OP_GE: iv[0] = (struct cr_interval){ LO(floor, true), NOB }; break;
	case OP_LT:
		iv[0] = (struct cr_interval){ NOB, full ? HI(floor, false) : HI(below, false) };
		break;
	case OP_LE:
		iv[0] = (struct cr_interval){ NOB, full ? HI(floor, true) : HI(past, false) };
		break;
	case OP_TILDE:
	case OP_CARET: iv[0] = (struct cr_interval){ LO(floor, true), HI(end, false) }; break;
	default: return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": operator not valid for npm", CTX_ARGS(ps));
	}
	/* node-semver replaces the comparator >=0.0.0 by "any version", so it
	 * also admits the pre-releases 0.0.0-x below it. */
	if (iv[0].lo.v && iv[0].lo.incl && strcmp(iv[0].lo.v, "0.0.0") == 0 && !(full && (op == OP_NONE || op == OP_EQ)))
		iv[0].lo = NOB;
	return BOSUN_OK;
}

/* Cargo as RustSec reads it (rustsec's OSV range conversion, which
 * cargo-audit matches with): missing parts are 0 for = < <= > >=; caret and
 * tilde end before the lowest pre-release of the next incompatible version. */
static int cargo_term(struct parse *ps, enum op op, const struct pver *v, struct cr_interval *iv, size_t *n)
{
	*n = 1;
	if (v->parts == 0) { /* "*" alone */
		if (op != OP_NONE)
			return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": operator before *", CTX_ARGS(ps));
		iv[0] = (struct cr_interval){ NOB, NOB };
		return BOSUN_OK;
	}
	const char *floor = pver_floor(ps, v);
	const char *end = op == OP_TILDE ? tilde_end(ps, v) : op == OP_NONE || op == OP_CARET ? caret_end(ps, v) : "";
	if (!floor || !end)
		return oom(ps);
	switch (op) {
	case OP_EQ: iv[0] = (struct cr_interval){ LO(floor, true), HI(floor, true) }; break;
	case OP_GT: iv[0] = (struct cr_interval){ LO(floor, false), NOB }; break;
	case OP_GE: iv[0] = (struct cr_interval){ LO(floor, true), NOB }; break;
	case OP_LT: iv[0] = (struct cr_interval){ NOB, HI(floor, false) }; break;
	case OP_LE: iv[0] = (struct cr_interval){ NOB, HI(floor, true) }; break;
	case OP_TILDE:
	case OP_NONE:
	case OP_CARET: iv[0] = (struct cr_interval){ LO(floor, true), HI(end, false) }; break;
	default: return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": operator not valid for Cargo", CTX_ARGS(ps));
	}
	return BOSUN_OK;
}

/* ======================================================================
 * RubyGems
 * ==================================================================== */

/* Gem::Version's pattern: digits, then .segments, then an optional
 * -prerelease (which RubyGems reads as ".pre."). */
static bool gem_version_ok(struct slice s)
{
	size_t i = 0;
	if (s.n == 0 || !is_digit(s.p[0]))
		return false;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	while (i < s.n && s.p[i] == '.') {
		size_t st = ++i;
		while (i < s.n && is_alnum(s.p[i]))
			i++;
		if (i == st)
			return false;
	}
	if (i < s.n && s.p[i] == '-') {
		struct slice pre = slice_make(s.p + i + 1, s.n - i - 1);
		return ident_list_ok(pre);
	}
	return i == s.n;
}

/* Gem::Version#bump, then the lowest version with that release:
 * the numeric segments before the first letter or '-', the last one dropped
 * when there are several, the new last one plus one, and ".A" (an uppercase
 * letter segment sorts below every other version of that release, so
 * `< bump.A` is exactly RubyGems' `v.release < bump`). */
static const char *gem_pessimistic_end(struct parse *ps, struct slice v)
{
	struct slice seg[CR_MAX_VERSION / 2 + 1];
	size_t nseg = 0, i = 0;
	while (i < v.n && v.p[i] != '-' && nseg < sizeof seg / sizeof seg[0]) {
		if (v.p[i] == '.') {
			i++;
			continue;
		}
		if (!is_digit(v.p[i]))
			break; /* a letter starts the pre-release part */
		size_t st = i;
		while (i < v.n && is_digit(v.p[i]))
			i++;
		seg[nseg++] = slice_make(v.p + st, i - st);
		if (i < v.n && is_alpha(v.p[i]))
			break;
	}
	if (nseg > 1)
		nseg--;
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t k = 0; k < nseg && rc == BOSUN_OK; k++) {
		struct slice d = seg[k];
		while (d.n > 1 && d.p[0] == '0') /* Integer segments: 007 is 7 */
			d = slice_make(d.p + 1, d.n - 1);
		if (k)
			rc = buf_append(&b, ".", 1);
		if (rc == BOSUN_OK)
			rc = buf_append(&b, d.p, d.n);
	}
	/* Decimal increment of the last segment, any length. */
	size_t j = b.len;
	while (rc == BOSUN_OK && j > 0 && b.data[j - 1] == '9')
		b.data[--j] = '0';
	if (rc == BOSUN_OK && j > 0 && b.data[j - 1] != '.') {
		b.data[j - 1]++;
	} else if (rc == BOSUN_OK) {
		/* all nines: insert a 1 in front of the segment */
		rc = buf_append(&b, "0", 1);
		if (rc == BOSUN_OK) {
			memmove(b.data + j + 1, b.data + j, b.len - j - 1);
			b.data[j] = '1';
		}
	}
	const char *out = rc == BOSUN_OK ? arena_printf(ps->c->arena, "%s.A", b.data) : NULL;
	buf_free(&b);
	return out;
}

static int gem_term(struct parse *ps, enum op op, struct slice vs, struct cr_interval *iv, size_t *n)
{
	if (!gem_version_ok(vs))
		return bad(ps, "bad version", vs);
	const char *v = arena_slice(ps->c->arena, vs);
	if (!v)
		return oom(ps);
	*n = 1;
	switch (op) {
	case OP_NONE:
	case OP_EQ: iv[0] = (struct cr_interval){ LO(v, true), HI(v, true) }; break;
	case OP_NE:
		iv[0] = (struct cr_interval){ NOB, HI(v, false) };
		iv[1] = (struct cr_interval){ LO(v, false), NOB };
		*n = 2;
		break;
	case OP_GT: iv[0] = (struct cr_interval){ LO(v, false), NOB }; break;
	case OP_GE: iv[0] = (struct cr_interval){ LO(v, true), NOB }; break;
	case OP_LT: iv[0] = (struct cr_interval){ NOB, HI(v, false) }; break;
	case OP_LE: iv[0] = (struct cr_interval){ NOB, HI(v, true) }; break;
	case OP_PESSIMISTIC: {
		const char *end = gem_pessimistic_end(ps, vs);
		if (!end)
			return oom(ps);
		iv[0] = (struct cr_interval){ LO(v, true), HI(end, false) };
		break;
	}
	default: return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": operator not valid for RubyGems", CTX_ARGS(ps));
	}
	return BOSUN_OK;
}

/* ======================================================================
 * Composer
 * ==================================================================== */

/* Composer versions: digits first (or v and digits), then what Composer's
 * stability suffixes use. */
static bool composer_version_ok(struct slice s)
{
	if (s.n == 0 || !(is_digit(s.p[0]) || ((s.p[0] == 'v' || s.p[0] == 'V') && s.n > 1 && is_digit(s.p[1]))))
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!(is_alnum(s.p[i]) || s.p[i] == '.' || s.p[i] == '-' || s.p[i] == '_' || s.p[i] == '+'))
			return false;
	return true;
}

/* Composer reads a missing minor or patch as 0 (1.0 is 1.0.0.0), so padding
 * 1 and 1.0 to three parts changes nothing for Composer and lets SemVer-shaped
 * comparators parse them; a leading v is dropped as Composer drops it. Four
 * parts (5.3.12.2) and suffixes stay as written. */
static const char *composer_normalize(struct parse *ps, struct slice vs)
{
	if (vs.p[0] == 'v' || vs.p[0] == 'V')
		vs = slice_make(vs.p + 1, vs.n - 1);
	size_t i = 0, dots = 0;
	while (i < vs.n && (is_digit(vs.p[i]) || (vs.p[i] == '.' && i + 1 < vs.n && is_digit(vs.p[i + 1]))))
		dots += vs.p[i++] == '.';
	const char *pad = dots == 0 ? ".0.0" : dots == 1 ? ".0" : "";
	return arena_printf(ps->c->arena, "%.*s%s%.*s", (int)i, vs.p, pad, (int)(vs.n - i), vs.p + i);
}

static int composer_term(struct parse *ps, enum op op, struct slice vs, struct cr_interval *iv, size_t *n)
{
	if (!composer_version_ok(vs))
		return bad(ps, "unsupported Composer version", vs);
	const char *v = composer_normalize(ps, vs);
	if (!v)
		return oom(ps);
	*n = 1;
	switch (op) {
	case OP_NONE:
	case OP_EQ: iv[0] = (struct cr_interval){ LO(v, true), HI(v, true) }; break;
	case OP_NE:
		iv[0] = (struct cr_interval){ NOB, HI(v, false) };
		iv[1] = (struct cr_interval){ LO(v, false), NOB };
		*n = 2;
		break;
	case OP_GT: iv[0] = (struct cr_interval){ LO(v, false), NOB }; break;
	case OP_GE: iv[0] = (struct cr_interval){ LO(v, true), NOB }; break;
	case OP_LT: iv[0] = (struct cr_interval){ NOB, HI(v, false) }; break;
	case OP_LE: iv[0] = (struct cr_interval){ NOB, HI(v, true) }; break;
	default: return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": operator not valid for Composer", CTX_ARGS(ps));
	}
	return BOSUN_OK;
}

/* ======================================================================
 * Terms and groups
 * ==================================================================== */

/* Checks that every bound the scheme will see is a version it accepts, so
 * that a bad operand fails here, naming itself. */
static int check_versions(struct parse *ps, const struct cr_interval *iv, size_t n)
{
	if (!ps->c->compare)
		return BOSUN_OK;
	for (size_t i = 0; i < n; i++) {
		const char *v[2] = { iv[i].lo.v, iv[i].hi.v };
		for (int k = 0; k < 2; k++) {
			int r;
			if (v[k] && ps->c->compare(v[k], v[k], &r) != BOSUN_OK)
				return bad(ps, "invalid version", slice_cstr(v[k]));
		}
	}
	return BOSUN_OK;
}

/* One comparator (operator and operand) as a set. */
static int term_set(struct parse *ps, struct slice ops, struct slice ver, struct cr_set *out)
{
	if (++ps->terms > CR_MAX_TERMS)
		return berr_set(ps->e, BOSUN_ELIMIT, CTX_FMT ": more than %d comparators", CTX_ARGS(ps),
				CR_MAX_TERMS);
	if (ver.n == 0)
		return bad(ps, "operator without a version", ops);
	if (ver.n > CR_MAX_VERSION)
		return berr_set(ps->e, BOSUN_ELIMIT, CTX_FMT ": version longer than %d bytes", CTX_ARGS(ps),
				CR_MAX_VERSION);
	enum op op = OP_NONE;
	TRY(op_parse(ps, ops, &op));
	struct cr_interval iv[2] = { { NOB, NOB }, { NOB, NOB } };
	size_t n = 0;
	struct pver pv;
	switch (ps->c->syntax) {
	case CR_NPM:
		TRY(pver_parse(ps, ver, &pv));
		TRY(npm_term(ps, op, &pv, iv, &n));
		break;
	case CR_CARGO:
		TRY(pver_parse(ps, ver, &pv));
		/* RustSec's conversion rejects wildcards; `*` alone (every version)
		 * is harmless, `1.*` and `1.x` would need a meaning it does not give. */
		if (pv.wild && !slice_eq_cstr(ver, "*"))
			return bad(ps, "unsupported wildcard", ver);
		TRY(cargo_term(ps, op, &pv, iv, &n));
		break;
	case CR_GEM: TRY(gem_term(ps, op, ver, iv, &n)); break;
	case CR_COMPOSER: TRY(composer_term(ps, op, ver, iv, &n)); break;
	}
	TRY(check_versions(ps, iv, n));
	return set_of(ps, iv, n, out);
}

static size_t span(struct slice s, size_t i, bool (*pred)(char))
{
	while (i < s.n && pred(s.p[i]))
		i++;
	return i;
}

static int all_versions(struct parse *ps, struct cr_set *out)
{
	TRY(set_alloc(ps->c, 1, out, ps->e));
	out->iv[0] = (struct cr_interval){ NOB, NOB };
	out->n = 1;
	return BOSUN_OK;
}

/* npm "A - B": >=A (partial: missing parts 0) and <=B (partial: below the
 * next version past it). */
static int npm_hyphen(struct parse *ps, struct slice a, struct slice b, struct cr_set *out)
{
	struct cr_set x, y;
	TRY(term_set(ps, SLICE_LIT(">="), a, &x));
	TRY(term_set(ps, SLICE_LIT("<="), b, &y));
	return cr_intersect(ps->c, &x, &y, out, ps->e);
}

/* Finds node-semver's " - " (blank, hyphen, blank) in a group. */
static bool find_hyphen(struct slice g, struct slice *a, struct slice *b)
{
	for (size_t i = 1; i + 2 < g.n; i++)
		if (g.p[i] == '-' && is_ws(g.p[i - 1]) && is_ws(g.p[i + 1])) {
			*a = slice_trim(slice_make(g.p, i));
			*b = slice_trim(slice_make(g.p + i + 1, g.n - i - 1));
			return true;
		}
	return false;
}

/* An AND-list of comparators: blank-separated (npm), comma-separated (Cargo,
 * RubyGems) or either (Composer). Blanks may separate an operator from its
 * version in every syntax. */
static int parse_group(struct parse *ps, struct slice g, struct cr_set *out)
{
	enum cr_syntax syn = ps->c->syntax;
	g = slice_trim(g);
	if (g.n == 0) {
		if (syn != CR_NPM) /* only node-semver reads "" as "*" */
			return berr_set(ps->e, BOSUN_EFORMAT, CTX_FMT ": empty", CTX_ARGS(ps));
		return all_versions(ps, out);
	}
	struct slice ha, hb;
	if (syn == CR_NPM && find_hyphen(g, &ha, &hb))
		return npm_hyphen(ps, ha, hb, out);
	TRY(all_versions(ps, out));
	size_t i = 0;
	bool first = true;
	while (i < g.n) {
		if (!first) {
			size_t j = span(g, i, is_ws);
			bool comma = j < g.n && g.p[j] == ',';
			if (comma && syn == CR_NPM)
				return bad(ps, "unexpected \",\" in", g);
			if (!comma && (syn == CR_CARGO || syn == CR_GEM))
				return bad(ps, "expected \",\" between comparators in", g);
			if (comma) {
				j = span(g, j + 1, is_ws);
				if (j == g.n)
					return bad(ps, "trailing \",\" in", g);
			}
			i = j;
		}
		first = false;
		size_t o = span(g, i, is_op_char);
		struct slice ops = slice_make(g.p + i, o - i);
		size_t vst = span(g, o, is_ws);
		size_t vend = span(g, vst, is_ver_char);
		if (vend < g.n && !is_ws(g.p[vend]) && g.p[vend] != ',')
			return bad(ps, "unexpected character in", slice_make(g.p + vend, 1));
		struct cr_set t;
		TRY(term_set(ps, ops, slice_make(g.p + vst, vend - vst), &t));
		TRY(cr_intersect(ps->c, out, &t, out, ps->e));
		i = vend;
	}
	return BOSUN_OK;
}

/* The next "||" (or, for Composer, a single "|") in s from i. */
static bool next_or(struct parse *ps, struct slice s, size_t i, size_t *at, size_t *len)
{
	for (; i < s.n; i++)
		if (s.p[i] == '|') {
			*at = i;
			*len = i + 1 < s.n && s.p[i + 1] == '|' ? 2 : 1;
			return *len == 2 || ps->c->syntax == CR_COMPOSER;
		}
	return false;
}

int cr_parse(const struct cr_ctx *c, const char *text, struct cr_set *out, struct berr *e)
{
	size_t n = strnlen(text, CR_MAX_TEXT + 1);
	if (n > CR_MAX_TEXT)
		return berr_set(e, BOSUN_ELIMIT, "constraint longer than %d bytes", CR_MAX_TEXT);
	struct parse ps = { c, text, e, 0 };
	struct slice s = slice_make(text, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\t')
			return berr_set(e, BOSUN_EFORMAT, "constraint: control character");
		else if ((unsigned char)text[i] >= 0x7f)
			return berr_set(e, BOSUN_EFORMAT, CTX_FMT ": non-ASCII character", CTX_ARGS(&ps));
	bool alternatives = c->syntax == CR_NPM || c->syntax == CR_COMPOSER;
	struct cr_set acc = { NULL, 0 };
	TRY(set_alloc(c, 0, &acc, e));
	size_t i = 0;
	for (;;) {
		size_t at = n, len = 0;
		if (alternatives && !next_or(&ps, s, i, &at, &len) && at < n)
			return bad(&ps, "single \"|\" in", s);
		if (!alternatives && memchr(text, '|', n))
			return bad(&ps, "\"|\" not allowed in", s);
		struct cr_set g;
		TRY(parse_group(&ps, slice_make(text + i, at - i), &g));
		TRY(cr_union(c, &acc, &g, &acc, e));
		if (at >= n)
			break;
		i = at + len;
	}
	*out = acc;
	return BOSUN_OK;
}

int cr_parse_any(const struct cr_ctx *c, const char *const *texts, size_t n, struct cr_set *out, struct berr *e)
{
	struct cr_set acc;
	TRY(set_alloc(c, 0, &acc, e));
	for (size_t i = 0; i < n; i++) {
		struct cr_set s;
		TRY(cr_parse(c, texts[i], &s, e));
		TRY(cr_union(c, &acc, &s, &acc, e));
	}
	*out = acc;
	return BOSUN_OK;
}

/* ======================================================================
 * Output
 * ==================================================================== */

/* The lowest SemVer version above v (a canonical "M.m.p[-pre]"): 1.2.3 ->
 * 1.2.4-0, 1.0.0-rc -> 1.0.0-rc.0 (more pre-release identifiers sort
 * higher, and 0 is the lowest identifier). */
static const char *semver_successor(const struct cr_ctx *c, const char *v, struct berr *e)
{
	struct parse ps = { c, v, e, 0 };
	struct pver p;
	if (pver_parse(&ps, slice_cstr(v), &p) != BOSUN_OK || p.parts != 3)
		return NULL;
	if (p.pre.n)
		return arena_printf(c->arena, "%s.0", v);
	struct slice none = { NULL, 0 };
	return pver_fmt(&ps, p.num[0], p.num[1], p.num[2] + 1, none, true);
}

int cr_to_ranges(const struct cr_ctx *c, const struct cr_set *s, struct affect_range **out, size_t *n,
		 bool *exact, struct berr *e)
{
	*exact = true;
	*n = 0;
	*out = arena_alloc(c->arena, (s->n ? s->n : 1) * sizeof **out);
	if (!*out)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	bool semver = c->syntax == CR_NPM || c->syntax == CR_CARGO;
	for (size_t i = 0; i < s->n; i++) {
		const struct cr_interval *iv = &s->iv[i];
		struct affect_range r = { .introduced = "0" };
		if (iv->lo.v && iv->lo.incl) {
			r.introduced = iv->lo.v;
		} else if (iv->lo.v && semver) {
			r.introduced = semver_successor(c, iv->lo.v, e);
			if (!r.introduced)
				return berr_set(e, BOSUN_EFORMAT, "no successor for version \"%s\"", iv->lo.v);
		} else if (iv->lo.v) {
			r.introduced = iv->lo.v; /* includes the excluded version: a superset */
			*exact = false;
		}
		if (iv->hi.v && iv->hi.incl)
			r.last_affected = iv->hi.v;
		else if (iv->hi.v)
			r.fixed = iv->hi.v;
		(*out)[(*n)++] = r;
	}
	return BOSUN_OK;
}

int cr_ranges_format(const struct affect_range *r, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		const char *end = r[i].fixed ? r[i].fixed : r[i].last_affected ? r[i].last_affected : "*";
		char close = r[i].last_affected && !r[i].fixed ? ']' : ')';
		TRY(buf_printf(out, "%s[%s, %s%c", i ? " " : "", r[i].introduced ? r[i].introduced : "0", end, close));
	}
	return BOSUN_OK;
}
