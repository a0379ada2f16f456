/* Maven: ComparableVersion order and VersionRange specs.
 *
 * ComparableVersion (apache/maven compat/maven-artifact) works on a Java
 * String: lower-cased with Locale.ENGLISH, walked char by char (UTF-16
 * units), ASCII digits only for splitting but Character.isDigit() in two
 * places. To get the same answers for non-ASCII input, the version is
 * decoded into UTF-16 units and the Java algorithm runs on those.
 *
 * Its item tree is always a chain: a list's only sub-list is its last
 * element (parsing only ever descends). So a parsed version is an array of
 * levels, each a run of scalar items plus "the next level follows". All of
 * it lives in fixed arrays on the caller's stack. */
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

/* ComparableVersion.MAX_VERSION_LENGTH, in UTF-16 units. */
#define MVN_MAX_UNITS 256
/* Lower-casing can lengthen a string (U+0130 becomes two units). */
#define MVN_MAX_LOWER (2 * MVN_MAX_UNITS + 2)
/* Every item, and every level, begins at a distinct unit. */
#define MVN_MAX_ITEMS (MVN_MAX_LOWER + 2)

enum mkind { MK_INT, MK_LONG, MK_BIG, MK_STR, MK_COMB, MK_LIST };

/* Qualifier ranks: QUALIFIERS' indexes, "" = ga = final = release at 5,
 * and 7 for any other word (then ordered by its text). */
enum { Q_RELEASE = 5, Q_UNKNOWN = 7 };

struct mitem {
	uint8_t kind;
	uint8_t rank;       /* MK_STR, and MK_COMB's string part */
	uint8_t dkind;      /* MK_COMB: kind of the digit part */
	uint16_t s, n;      /* MK_STR / MK_COMB string text (unknown words) */
	uint16_t ds, dn;    /* digits of a number or of MK_COMB's digit part */
};

struct mlevel {
	uint16_t first, count; /* scalar items items[first .. first+count) */
	bool child;            /* the next level is this list's last element */
};

struct mver {
	uint16_t u[MVN_MAX_LOWER];
	size_t nu;
	struct mitem items[MVN_MAX_ITEMS];
	size_t nitems;
	struct mlevel lv[MVN_MAX_ITEMS];
	size_t nlv;
};

/* ---- text: UTF-8 in, Java's toLowerCase(Locale.ENGLISH) UTF-16 out ---- */

/* Next code point; a byte that does not start valid UTF-8 becomes one
 * unit 0xDC00+byte, a lone surrogate, as a lenient decoder would leave it. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	uint32_t cp;
	size_t len;
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		len = 3;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		len = 4;
	} else {
		(*i)++;
		return 0xDC00u + c;
	}
	if (*i + len > n)
		goto bad;
	for (size_t k = 1; k < len; k++) {
		if ((s[*i + k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		goto bad;
	*i += len;
	return cp;
bad:
	(*i)++;
	return 0xDC00u + c;
}

/* Simple lower-case mapping for the scripts with case that versions could
 * plausibly use; U+0130 is the one mapping to two chars ("i" + U+0307).
 * Java also turns a word-final capital sigma into U+03C2; this does not. */
static uint32_t lower_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c >= 0x100 && c <= 0x17F) {
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return c;
		if (c == 0x178)
			return 0xFF;
		bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
		if (odd_upper)
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) && !(c & 1))
		return c + 1;
	if (c == 0x4C0)
		return 0x4CF;
	if (c >= 0x4C1 && c <= 0x4CE && (c & 1))
		return c + 1;
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	if ((c >= 0x10A0 && c <= 0x10C5) || c == 0x10C7 || c == 0x10CD)
		return c + 0x1C60;
	if (((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) && !(c & 1))
		return c + 1;
	if (c == 0x1E9E)
		return 0xDF;
	if (c >= 0x2160 && c <= 0x216F)
		return c + 16;
	if (c >= 0x24B6 && c <= 0x24CF)
		return c + 26;
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c + 32;
	if (c >= 0x10400 && c <= 0x10427)
		return c + 40;
	return c;
}

static bool put_unit(struct mver *v, uint32_t u)
{
	if (v->nu >= MVN_MAX_LOWER)
		return false;
	v->u[v->nu++] = (uint16_t)u;
	return true;
}

static bool put_cp(struct mver *v, uint32_t cp)
{
	if (cp < 0x10000)
		return put_unit(v, cp);
	cp -= 0x10000;
	return put_unit(v, 0xD800 + (cp >> 10)) && put_unit(v, 0xDC00 + (cp & 0x3FF));
}

/* Decode, check the length limit on the original, lower-case. */
static bool load_text(struct mver *v, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), units = 0;
	v->nu = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = utf8_next(s, n, &i);
		units += cp >= 0x10000 ? 2 : 1;
		if (units > MVN_MAX_UNITS)
			return false;
		if (cp == 0x130) {
			if (!put_unit(v, 'i') || !put_unit(v, 0x307))
				return false;
		} else if (!put_cp(v, lower_cp(cp))) {
			return false;
		}
	}
	return true;
}

/* Character.isDigit() for a UTF-16 unit (surrogates never are): the value,
 * or -1. The BMP's decimal digit blocks each start at a code point ending
 * in 0 or 6. */
static int java_digit(uint16_t c)
{
	static const uint16_t zeros[] = {
		0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
		0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
		0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
		0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
	};
	for (size_t k = 0; k < sizeof zeros / sizeof zeros[0]; k++)
		if (c >= zeros[k] && c < zeros[k] + 10)
			return c - zeros[k];
	return -1;
}

static bool ascii_digit(uint16_t c) { return c >= '0' && c <= '9'; }

/* ---- items ---- */

static bool text_eq(const struct mver *v, size_t s, size_t n, const char *w)
{
	size_t wn = strlen(w);
	if (n != wn)
		return false;
	for (size_t k = 0; k < n; k++)
		if (v->u[s + k] != (unsigned char)w[k])
			return false;
	return true;
}

/* StringItem(value, followedByDigit): aliases, then the qualifier rank. */
static uint8_t qualifier_rank(const struct mver *v, size_t s, size_t n, bool followed_by_digit)
{
	static const char *const Q[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
	if (followed_by_digit && n == 1) {
		if (v->u[s] == 'a')
			return 0;
		if (v->u[s] == 'b')
			return 1;
		if (v->u[s] == 'm')
			return 2;
	}
	if (text_eq(v, s, n, "cr"))
		return 3;
	if (text_eq(v, s, n, "ga") || text_eq(v, s, n, "final") || text_eq(v, s, n, "release"))
		return Q_RELEASE;
	for (uint8_t k = 0; k < 7; k++)
		if (text_eq(v, s, n, Q[k]))
			return k;
	return Q_UNKNOWN;
}

/* parseItem(true, digits): stripLeadingZeroes (ASCII '0' only), then int,
 * long or BigInteger by length. Every unit must be a digit, as
 * Integer.parseInt (which accepts any script's digits) requires. */
static bool numeric(const struct mver *v, size_t s, size_t n, uint8_t *kind, uint16_t *ds, uint16_t *dn)
{
	for (size_t k = 0; k < n; k++)
		if (java_digit(v->u[s + k]) < 0)
			return false;
	while (n > 0 && v->u[s] == '0') {
		s++;
		n--;
	}
	size_t len = n ? n : 1;
	*kind = len <= 9 ? MK_INT : len <= 18 ? MK_LONG : MK_BIG;
	*ds = (uint16_t)s;
	*dn = (uint16_t)n;
	return true;
}

static struct mitem *new_item(struct mver *v)
{
	if (v->nitems >= MVN_MAX_ITEMS)
		return NULL;
	struct mitem *it = &v->items[v->nitems++];
	memset(it, 0, sizeof *it);
	v->lv[v->nlv - 1].count++;
	return it;
}

/* parseItem(isCombination, isDigit, buf) for units [s, e). */
static bool add_item(struct mver *v, bool comb, bool digit, size_t s, size_t e)
{
	struct mitem *it = new_item(v);
	if (!it)
		return false;
	if (comb) {
		/* CombinationItem(buf.replace("-", "")): the hyphens can only be
		 * there as "X-1", so dropping them compacts the units in place. */
		size_t w = s;
		for (size_t k = s; k < e; k++)
			if (v->u[k] != '-')
				v->u[w++] = v->u[k];
		size_t idx = s;
		while (idx < w && java_digit(v->u[idx]) < 0)
			idx++;
		if (idx == w)
			idx = s; /* no digit: Java's index stays 0, and parsing fails */
		it->kind = MK_COMB;
		it->s = (uint16_t)s;
		it->n = (uint16_t)(idx - s);
		it->rank = qualifier_rank(v, s, idx - s, true);
		return numeric(v, idx, w - idx, &it->dkind, &it->ds, &it->dn);
	}
	if (digit) {
		it->kind = MK_INT;
		return numeric(v, s, e - s, &it->kind, &it->ds, &it->dn);
	}
	it->kind = MK_STR;
	it->s = (uint16_t)s;
	it->n = (uint16_t)(e - s);
	it->rank = qualifier_rank(v, s, e - s, false);
	return true;
}

static bool add_zero(struct mver *v)
{
	struct mitem *it = new_item(v);
	if (!it)
		return false;
	it->kind = MK_INT;
	return true;
}

static size_t level_size(const struct mver *v, size_t k) { return v->lv[k].count + v->lv[k].child; }

/* list.add(list = new ListItem()) */
static bool push_level(struct mver *v)
{
	if (v->nlv >= MVN_MAX_ITEMS)
		return false;
	v->lv[v->nlv - 1].child = true;
	v->lv[v->nlv] = (struct mlevel){ (uint16_t)v->nitems, 0, false };
	v->nlv++;
	return true;
}

static bool cur_nonempty(const struct mver *v) { return level_size(v, v->nlv - 1) > 0; }

/* ---- normalize ---- */

static bool item_is_null(const struct mitem *it)
{
	switch (it->kind) {
	case MK_INT:
	case MK_LONG:
	case MK_BIG:
		return it->dn == 0;
	case MK_STR:
		return it->n == 0;
	default:
		return false;
	}
}

static void remove_scalar(struct mver *v, size_t k, size_t i)
{
	struct mlevel *l = &v->lv[k];
	memmove(&v->items[l->first + i], &v->items[l->first + i + 1], (l->count - i - 1) * sizeof v->items[0]);
	l->count--;
}

/* The first element of level k (which is not empty) is a STRING or
 * COMBINATION item. */
static bool starts_with_word(const struct mver *v, size_t k)
{
	const struct mlevel *l = &v->lv[k];
	if (!l->count)
		return false; /* a list first: normalize flattened any [list] */
	uint8_t kind = v->items[l->first].kind;
	return kind == MK_STR || kind == MK_COMB;
}

/* ListItem.normalize() for level k, whose child (if any) is normalized. */
static void normalize(struct mver *v, size_t k)
{
	struct mlevel *l = &v->lv[k];
	for (size_t i = level_size(v, k); i-- > 0;) {
		if (l->child && i == l->count) {
			/* The sub-list: null when empty; it is always last. */
			if (level_size(v, k + 1) == 0) {
				l->child = false;
				v->nlv = k + 1;
			}
			continue;
		}
		if (!item_is_null(&v->items[l->first + i]))
			continue;
		size_t size = level_size(v, k);
		if (i == size - 1) {
			remove_scalar(v, k, i);
		} else if (i + 1 < l->count) {
			if (v->items[l->first + i + 1].kind == MK_STR)
				remove_scalar(v, k, i);
		} else if (starts_with_word(v, k + 1)) {
			remove_scalar(v, k, i);
		}
	}
	/* A list holding just a list takes over its contents. */
	if (l->count == 0 && l->child) {
		memmove(&v->lv[k], &v->lv[k + 1], (v->nlv - k - 1) * sizeof v->lv[0]);
		v->nlv--;
	}
}

/* ComparableVersion.parseVersion(), on the lower-cased units. */
static bool parse_units(struct mver *v)
{
	v->nitems = 0;
	v->nlv = 1;
	v->lv[0] = (struct mlevel){ 0, 0, false };
	bool is_digit = false, is_comb = false;
	size_t start = 0, n = v->nu;
	for (size_t i = 0; i < n; i++) {
		uint16_t c = v->u[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && v->u[i + 1] >= 0xDC00 && v->u[i + 1] <= 0xDFFF) {
			i++; /* a supplementary character: a letter here */
			c = 0xFFFF;
		}
		if (c == '.') {
			if (!(i == start ? add_zero(v) : add_item(v, is_comb, is_digit, start, i)))
				return false;
			is_comb = false;
			start = i + 1;
		} else if (c == '-') {
			if (i == start) {
				if (!add_zero(v))
					return false;
			} else {
				/* X-1 is treated as X1 */
				if (!is_digit && i != n - 1 && java_digit(v->u[i + 1]) >= 0) {
					is_comb = true;
					continue;
				}
				if (!add_item(v, is_comb, is_digit, start, i))
					return false;
			}
			start = i + 1;
			if (cur_nonempty(v) && !push_level(v))
				return false;
			is_comb = false;
		} else if (ascii_digit(c)) {
			if (!is_digit && i > start) {
				is_comb = true; /* X1 */
				if (cur_nonempty(v) && !push_level(v))
					return false;
			}
			is_digit = true;
		} else {
			if (is_digit && i > start) {
				if (!add_item(v, is_comb, true, start, i) || !push_level(v))
					return false;
				start = i;
				is_comb = false;
			}
			is_digit = false;
		}
	}
	if (n > start) {
		/* 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X */
		if (!is_digit && cur_nonempty(v) && !push_level(v))
			return false;
		if (!add_item(v, is_comb, is_digit, start, n))
			return false;
	}
	for (size_t k = v->nlv; k-- > 0;)
		if (k < v->nlv)
			normalize(v, k);
	return true;
}

static bool mvn_parse(const char *text, struct mver *v)
{
	return text && load_text(v, text) && parse_units(v);
}

/* ---- compare (the Java compareTo methods, one per item kind) ---- */

/* A reference to an element: a scalar item, or the list at a level. */
struct mref {
	const struct mver *v;
	const struct mitem *it; /* NULL: the list at `level` */
	size_t level;
};

static int sgn(int x) { return (x > 0) - (x < 0); }

static int num_value_cmp(const struct mver *va, uint16_t as, uint16_t an, const struct mver *vb, uint16_t bs,
			 uint16_t bn)
{
	while (an && java_digit(va->u[as]) == 0) {
		as++;
		an--;
	}
	while (bn && java_digit(vb->u[bs]) == 0) {
		bs++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	for (size_t k = 0; k < an; k++) {
		int x = java_digit(va->u[as + k]), y = java_digit(vb->u[bs + k]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/* Int, Long and BigInteger items: a different kind means a different
 * magnitude range, so the kind decides. */
static int num_cmp(const struct mver *va, uint8_t ak, uint16_t as, uint16_t an, const struct mver *vb, uint8_t bk,
		   uint16_t bs, uint16_t bn)
{
	static const int order[] = { [MK_INT] = 0, [MK_LONG] = 1, [MK_BIG] = 2 };
	if (ak != bk)
		return order[ak] < order[bk] ? -1 : 1;
	return num_value_cmp(va, as, an, vb, bs, bn);
}

/* String.compareTo on UTF-16 units. */
static int units_cmp(const struct mver *va, size_t as, size_t an, const struct mver *vb, size_t bs, size_t bn)
{
	size_t m = an < bn ? an : bn;
	for (size_t k = 0; k < m; k++)
		if (va->u[as + k] != vb->u[bs + k])
			return va->u[as + k] < vb->u[bs + k] ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* comparableQualifier(a).compareTo(comparableQualifier(b)) */
static int qual_cmp(const struct mver *va, uint8_t ar, size_t as, size_t an, const struct mver *vb, uint8_t br,
		    size_t bs, size_t bn)
{
	if (ar != br)
		return ar < br ? -1 : 1;
	return ar == Q_UNKNOWN ? units_cmp(va, as, an, vb, bs, bn) : 0;
}

static int item_cmp(struct mref a, const struct mref *b);

static enum mkind ref_kind(const struct mref *r) { return r->it ? r->it->kind : MK_LIST; }

/* The string part of a combination, or a string item, vs null. */
static int qual_vs_null(uint8_t rank) { return rank < Q_RELEASE ? -1 : rank > Q_RELEASE; }

static int digits_vs_null(uint16_t dn) { return dn ? 1 : 0; }

/* Element e of the list at level k (scalars first, then the child list). */
static struct mref list_elem(const struct mver *v, size_t k, size_t e)
{
	const struct mlevel *l = &v->lv[k];
	if (e < l->count)
		return (struct mref){ v, &v->items[l->first + e], k };
	return (struct mref){ v, NULL, k + 1 };
}

static int list_cmp(const struct mref *a, const struct mref *b)
{
	const struct mver *v = a->v;
	size_t na = level_size(v, a->level);
	if (!b) {
		/* compare the entire list with null, MNG-6964 */
		for (size_t e = 0; e < na; e++) {
			int r = item_cmp(list_elem(v, a->level, e), NULL);
			if (r)
				return r;
		}
		return 0;
	}
	switch (ref_kind(b)) {
	case MK_INT:
	case MK_LONG:
	case MK_BIG:
		return -1; /* 1-1 < 1.0.x */
	case MK_STR:
	case MK_COMB: {
		int r = na == 0 ? -item_cmp(*b, NULL) : item_cmp(list_elem(v, a->level, 0), b);
		for (size_t e = 1; r == 0 && e < na; e++)
			r = item_cmp(list_elem(v, a->level, e), NULL);
		return r;
	}
	default: {
		size_t nb = level_size(b->v, b->level);
		for (size_t e = 0; e < na || e < nb; e++) {
			int r;
			if (e >= na) {
				struct mref rb = list_elem(b->v, b->level, e);
				r = -item_cmp(rb, NULL);
			} else if (e >= nb) {
				r = item_cmp(list_elem(v, a->level, e), NULL);
			} else {
				struct mref rb = list_elem(b->v, b->level, e);
				r = item_cmp(list_elem(v, a->level, e), &rb);
			}
			if (r)
				return r;
		}
		return 0;
	}
	}
}

static int string_cmp(const struct mref *a, const struct mref *b)
{
	const struct mitem *x = a->it;
	if (!b)
		return qual_vs_null(x->rank); /* 1-rc < 1, 1-ga > 1 */
	switch (ref_kind(b)) {
	case MK_INT:
	case MK_LONG:
	case MK_BIG:
		return -1; /* 1.any < 1.1 ? */
	case MK_STR:
		return qual_cmp(a->v, x->rank, x->s, x->n, b->v, b->it->rank, b->it->s, b->it->n);
	case MK_COMB: {
		const struct mitem *y = b->it;
		int r = qual_cmp(a->v, x->rank, x->s, x->n, b->v, y->rank, y->s, y->n);
		if (r == 0) {
			if (qual_vs_null(x->rank) == 0)
				return -digits_vs_null(y->dn);
			return -1;
		}
		return r;
	}
	default:
		return -item_cmp(*b, a);
	}
}

static int comb_cmp(const struct mref *a, const struct mref *b)
{
	const struct mitem *x = a->it;
	if (!b) {
		/* 1-rc1 < 1, 1-ga1 > 1 */
		int r = qual_vs_null(x->rank);
		return r ? r : digits_vs_null(x->dn);
	}
	switch (ref_kind(b)) {
	case MK_INT:
	case MK_LONG:
	case MK_BIG:
		return -1;
	case MK_STR: {
		const struct mitem *y = b->it;
		int r = qual_cmp(a->v, x->rank, x->s, x->n, b->v, y->rank, y->s, y->n);
		if (r == 0)
			return qual_vs_null(x->rank) == 0 ? digits_vs_null(x->dn) : 1; /* X1 > X */
		return r;
	}
	case MK_LIST:
		return -item_cmp(*b, a);
	case MK_COMB: {
		const struct mitem *y = b->it;
		int r = qual_cmp(a->v, x->rank, x->s, x->n, b->v, y->rank, y->s, y->n);
		return r ? r : num_cmp(a->v, x->dkind, x->ds, x->dn, b->v, y->dkind, y->ds, y->dn);
	}
	}
	return 0;
}

static int item_cmp(struct mref a, const struct mref *b)
{
	switch (ref_kind(&a)) {
	case MK_LIST:
		return list_cmp(&a, b);
	case MK_STR:
		return string_cmp(&a, b);
	case MK_COMB:
		return comb_cmp(&a, b);
	default:
		break;
	}
	const struct mitem *x = a.it;
	if (!b)
		return digits_vs_null(x->dn); /* 1.0 == 1, 1.1 > 1 */
	switch (ref_kind(b)) {
	case MK_INT:
	case MK_LONG:
	case MK_BIG:
		return num_cmp(a.v, x->kind, x->ds, x->dn, b->v, b->it->kind, b->it->ds, b->it->dn);
	default:
		return 1; /* 1.1 > 1-sp, 1.1 > 1-1 */
	}
}

static int mvn_cmp(const struct mver *a, const struct mver *b)
{
	struct mref ra = { a, NULL, 0 }, rb = { b, NULL, 0 };
	return sgn(item_cmp(ra, &rb));
}

static int mvn_compare(const char *a, const char *b, int *cmp)
{
	struct mver va, vb;
	if (!mvn_parse(a, &va) || !mvn_parse(b, &vb))
		return BOSUN_EFORMAT;
	*cmp = mvn_cmp(&va, &vb);
	return BOSUN_OK;
}

static bool mvn_valid(const char *v)
{
	struct mver mv;
	return mvn_parse(v, &mv);
}

/* ---- VersionRange.createFromVersionSpec ---- */

#define MVN_SPEC_MAX 4096

/* Java String.trim(): every char <= U+0020 at either end. */
static struct slice java_trim(struct slice s)
{
	while (s.n && (unsigned char)s.p[0] <= ' ') {
		s.p++;
		s.n--;
	}
	while (s.n && (unsigned char)s.p[s.n - 1] <= ' ')
		s.n--;
	return s;
}

/* A bound's text as a NUL-terminated copy, parsed. */
static bool parse_bound(struct slice s, char *buf, struct mver *out)
{
	memcpy(buf, s.p, s.n);
	buf[s.n] = 0;
	return mvn_parse(buf, out);
}

static bool bound_excludes(int bound_vs_v, bool inclusive, bool lower)
{
	if (bound_vs_v == 0)
		return !inclusive;
	return lower ? bound_vs_v > 0 : bound_vs_v < 0;
}

/* A spec of restrictions "[1,2),[3,4)" or a bare version, checked as Maven's
 * createFromVersionSpec() parses it (the same errors), each restriction
 * tested as it is read. Maven reads a bare version as a soft preference
 * that any version satisfies; as an advisory constraint that would match
 * everything, so bosun reads it as that exact version
 * (docs/version-schemes.md). */
static int mvn_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	*out = false;
	if (!version || !constraint || strlen(constraint) > MVN_SPEC_MAX)
		return BOSUN_EFORMAT;
	struct mver v, lo, hi;
	char buf[MVN_SPEC_MAX + 1];
	if (!mvn_parse(version, &v))
		return BOSUN_EFORMAT;
	struct slice rest = slice_cstr(constraint), prev_hi = { 0 };
	bool any = false, have_prev = false, found = false;
	while (rest.n && (rest.p[0] == '[' || rest.p[0] == '(')) {
		const char *c1 = memchr(rest.p, ')', rest.n), *c2 = memchr(rest.p, ']', rest.n);
		const char *end = c2;
		if (!c2 || (c1 && c1 < c2))
			end = c1;
		if (!end)
			return BOSUN_EFORMAT; /* unbounded range */
		bool lo_inc = rest.p[0] == '[', hi_inc = *end == ']';
		struct slice in = java_trim(slice_make(rest.p + 1, (size_t)(end - rest.p) - 1));
		const char *comma = memchr(in.p, ',', in.n);
		struct slice a = in, b = in;
		if (!comma) {
			if (!lo_inc || !hi_inc)
				return BOSUN_EFORMAT; /* a single version needs [] */
		} else {
			a = java_trim(slice_make(in.p, (size_t)(comma - in.p)));
			b = java_trim(slice_make(comma + 1, (size_t)(in.p + in.n - comma - 1)));
		}
		if (a.n && !parse_bound(a, buf, &lo))
			return BOSUN_EFORMAT;
		/* Restrictions must ascend without overlapping. */
		if (have_prev && (!a.n || !parse_bound(prev_hi, buf, &hi) || mvn_cmp(&lo, &hi) < 0))
			return BOSUN_EFORMAT;
		if (b.n && !parse_bound(b, buf, &hi))
			return BOSUN_EFORMAT;
		if (a.n && b.n) {
			int c = mvn_cmp(&hi, &lo);
			if (c < 0 || (c == 0 && (!lo_inc || !hi_inc)))
				return BOSUN_EFORMAT; /* empty interval */
		}
		bool in_range = !(a.n && bound_excludes(mvn_cmp(&lo, &v), lo_inc, true)) &&
				!(b.n && bound_excludes(mvn_cmp(&hi, &v), hi_inc, false));
		any = any || in_range;
		have_prev = b.n > 0;
		prev_hi = b;
		found = true;
		rest = java_trim(slice_make(end + 1, (size_t)(rest.p + rest.n - end - 1)));
		if (rest.n && rest.p[0] == ',')
			rest = java_trim(slice_make(rest.p + 1, rest.n - 1));
	}
	/* An empty spec has no restriction at all, which Maven's
	 * containsVersion() then never matches. */
	if (rest.n) {
		if (found)
			return BOSUN_EFORMAT; /* only fully-qualified sets in a multiple set */
		if (!parse_bound(rest, buf, &lo))
			return BOSUN_EFORMAT;
		any = mvn_cmp(&lo, &v) == 0;
	}
	*out = any;
	return BOSUN_OK;
}

const struct version_scheme version_scheme_maven = {
	.name = "maven",
	.compare = mvn_compare,
	.valid = mvn_valid,
	.satisfies = mvn_satisfies,
};
