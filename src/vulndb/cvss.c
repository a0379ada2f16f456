#include "vulndb/cvss.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* ---- vector parsing, shared by both versions --------------------------- */

/* One metric: its abbreviation and its allowed values, '|'-separated; a
 * parsed value is its index in that list. */
struct metric_def {
	const char *name;
	const char *values;
};

#define MAX_METRICS 32

struct vector {
	int v[MAX_METRICS]; /* value index, -1 when absent */
};

/* Index of `val` (length n) in the '|'-separated list, or -1. */
static int value_index(const char *list, const char *val, size_t n)
{
	int idx = 0;
	for (const char *p = list;; idx++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, val, n))
			return idx;
		if (!bar)
			return -1;
		p = bar + 1;
	}
}

static int metric_index(const struct metric_def *defs, size_t ndefs, const char *name, size_t n)
{
	for (size_t i = 0; i < ndefs; i++)
		if (strlen(defs[i].name) == n && !memcmp(defs[i].name, name, n))
			return (int)i;
	return -1;
}

/* Parses "METRIC:VALUE/..." (after the version prefix). The first `nrequired`
 * metrics of defs must be present; none may repeat. */
static int parse_metrics(const char *s, const struct metric_def *defs, size_t ndefs, size_t nrequired,
			 struct vector *out)
{
	for (size_t i = 0; i < MAX_METRICS; i++)
		out->v[i] = -1;
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		const char *colon = memchr(s, ':', len);
		if (!colon || colon == s || colon + 1 == s + len)
			return BOSUN_EFORMAT;
		int m = metric_index(defs, ndefs, s, (size_t)(colon - s));
		if (m < 0 || out->v[m] >= 0)
			return BOSUN_EFORMAT;
		int val = value_index(defs[m].values, colon + 1, (size_t)(s + len - colon - 1));
		if (val < 0)
			return BOSUN_EFORMAT;
		out->v[m] = val;
		if (!slash)
			break;
		s = slash + 1;
		if (!*s)
			return BOSUN_EFORMAT; /* trailing '/' */
	}
	for (size_t i = 0; i < nrequired; i++)
		if (out->v[i] < 0)
			return BOSUN_EFORMAT;
	return BOSUN_OK;
}

/* ---- CVSS v3.x ---------------------------------------------------------- */

enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_NBASE };

static const struct metric_def v3_defs[] = {
	{ "AV", "N|A|L|P" }, { "AC", "L|H" }, { "PR", "N|L|H" }, { "UI", "N|R" }, { "S", "U|C" },
	{ "C", "H|L|N" },    { "I", "H|L|N" }, { "A", "H|L|N" },
	/* temporal and environmental: validated, not scored */
	{ "E", "X|H|F|P|U" }, { "RL", "X|U|W|T|O" }, { "RC", "X|C|R|U" }, { "CR", "X|H|M|L" },
	{ "IR", "X|H|M|L" }, { "AR", "X|H|M|L" }, { "MAV", "X|N|A|L|P" }, { "MAC", "X|L|H" },
	{ "MPR", "X|N|L|H" }, { "MUI", "X|N|R" }, { "MS", "X|U|C" }, { "MC", "X|H|L|N" },
	{ "MI", "X|H|L|N" }, { "MA", "X|H|L|N" },
};

/* 3.1 Roundup (specification appendix A): works on an integer so that
 * 4.000000000000001 rounds to 4.0, not 4.1. Returns tenths. */
static int roundup31(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (int)(i / 10000);
	return (int)(i / 10000 + 1);
}

/* 3.0 Roundup as 3.0 defines it: the smallest tenth >= x. Returns tenths. */
static int roundup30(double x) { return (int)ceil(x * 10.0); }

static int v3_tenths(const struct vector *m, bool v31)
{
	static const double av[] = { 0.85, 0.62, 0.55, 0.2 }, ac[] = { 0.77, 0.44 },
			    pr_u[] = { 0.85, 0.62, 0.27 }, pr_c[] = { 0.85, 0.68, 0.5 }, ui[] = { 0.85, 0.62 },
			    cia[] = { 0.56, 0.22, 0 };
	bool changed = m->v[V3_S] == 1;
	double iss = 1 - (1 - cia[m->v[V3_C]]) * (1 - cia[m->v[V3_I]]) * (1 - cia[m->v[V3_A]]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av[m->v[V3_AV]] * ac[m->v[V3_AC]] * (changed ? pr_c : pr_u)[m->v[V3_PR]] *
		      ui[m->v[V3_UI]];
	if (impact <= 0)
		return 0;
	double raw = changed ? fmin(1.08 * (impact + expl), 10) : fmin(impact + expl, 10);
	return v31 ? roundup31(raw) : roundup30(raw);
}

int cvss3_score(const char *vector, double *score)
{
	bool v31;
	if (!vector)
		return BOSUN_EFORMAT;
	if (!strncmp(vector, "CVSS:3.1/", 9))
		v31 = true;
	else if (!strncmp(vector, "CVSS:3.0/", 9))
		v31 = false;
	else
		return BOSUN_EFORMAT;
	struct vector m;
	TRY(parse_metrics(vector + 9, v3_defs, sizeof v3_defs / sizeof v3_defs[0], V3_NBASE, &m));
	*score = v3_tenths(&m, v31) / 10.0;
	return BOSUN_OK;
}

/* ---- CVSS v4.0 ---------------------------------------------------------- */

enum {
	V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA, V4_NBASE,
	V4_E = V4_NBASE, V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI, V4_MVC, V4_MVI,
	V4_MVA, V4_MSC, V4_MSI, V4_MSA,
};

/* Value lists are written so that, for the base and modified metrics, the
 * index is the severity level the scoring uses (0 = most severe) after the
 * modified metrics' leading X. */
static const struct metric_def v4_defs[] = {
	{ "AV", "N|A|L|P" }, { "AC", "L|H" },	{ "AT", "N|P" },   { "PR", "N|L|H" },
	{ "UI", "N|P|A" },   { "VC", "H|L|N" }, { "VI", "H|L|N" }, { "VA", "H|L|N" },
	{ "SC", "H|L|N" },   { "SI", "H|L|N" }, { "SA", "H|L|N" },
	{ "E", "X|A|P|U" },  { "CR", "X|H|M|L" }, { "IR", "X|H|M|L" }, { "AR", "X|H|M|L" },
	{ "MAV", "X|N|A|L|P" }, { "MAC", "X|L|H" }, { "MAT", "X|N|P" }, { "MPR", "X|N|L|H" },
	{ "MUI", "X|N|P|A" },	{ "MVC", "X|H|L|N" }, { "MVI", "X|H|L|N" }, { "MVA", "X|H|L|N" },
	{ "MSC", "X|H|L|N" },	{ "MSI", "X|S|H|L|N" }, { "MSA", "X|S|H|L|N" },
	/* supplemental: no effect on the score */
	{ "S", "X|N|P" }, { "AU", "X|N|Y" }, { "R", "X|A|U|I" }, { "V", "X|D|C" }, { "RE", "X|L|M|H" },
	{ "U", "X|Clear|Green|Amber|Red" },
};

/* Effective levels, 0 = most severe, as the scoring compares them. The
 * subsequent-system levels start at 1 for H because 0 is Safety (MSI/MSA:S). */
struct v4_levels {
	int av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

/* Base value, or the modified one when set (index - 1 skips its X). */
static int eff(const struct vector *m, int base, int modified)
{
	return m->v[modified] > 0 ? m->v[modified] - 1 : m->v[base];
}

static struct v4_levels v4_effective(const struct vector *m)
{
	struct v4_levels l;
	l.av = eff(m, V4_AV, V4_MAV);
	l.ac = eff(m, V4_AC, V4_MAC);
	l.at = eff(m, V4_AT, V4_MAT);
	l.pr = eff(m, V4_PR, V4_MPR);
	l.ui = eff(m, V4_UI, V4_MUI);
	l.vc = eff(m, V4_VC, V4_MVC);
	l.vi = eff(m, V4_VI, V4_MVI);
	l.va = eff(m, V4_VA, V4_MVA);
	l.sc = eff(m, V4_SC, V4_MSC) + 1;
	/* MSI/MSA lists S first, so their index is already the level */
	l.si = m->v[V4_MSI] > 0 ? m->v[V4_MSI] - 1 : m->v[V4_SI] + 1;
	l.sa = m->v[V4_MSA] > 0 ? m->v[V4_MSA] - 1 : m->v[V4_SA] + 1;
	/* unset threat and security requirements default to the worst case */
	l.e = m->v[V4_E] > 0 ? m->v[V4_E] - 1 : 0;
	l.cr = m->v[V4_CR] > 0 ? m->v[V4_CR] - 1 : 0;
	l.ir = m->v[V4_IR] > 0 ? m->v[V4_IR] - 1 : 0;
	l.ar = m->v[V4_AR] > 0 ? m->v[V4_AR] - 1 : 0;
	return l;
}

enum { N4 = 2, L4 = 1, H4 = 0 }; /* VC/VI/VA levels */

/* The six equivalence classes (specification table 24-29). */
static void v4_macro(const struct v4_levels *l, int eq[6])
{
	bool avn = l->av == 0, prn = l->pr == 0, uin = l->ui == 0;
	if (avn && prn && uin)
		eq[0] = 0;
	else if ((avn || prn || uin) && l->av != 3)
		eq[0] = 1;
	else
		eq[0] = 2;
	eq[1] = (l->ac == 0 && l->at == 0) ? 0 : 1;
	if (l->vc == H4 && l->vi == H4)
		eq[2] = 0;
	else if (l->vc == H4 || l->vi == H4 || l->va == H4)
		eq[2] = 1;
	else
		eq[2] = 2;
	if (l->si == 0 || l->sa == 0)
		eq[3] = 0;
	else if (l->sc == 1 || l->si == 1 || l->sa == 1)
		eq[3] = 1;
	else
		eq[3] = 2;
	eq[4] = l->e;
	eq[5] = ((l->cr == 0 && l->vc == H4) || (l->ir == 0 && l->vi == H4) || (l->ar == 0 && l->va == H4)) ? 0 : 1;
}

/* Scores of the 270 MacroVectors in tenths, from the specification's
 * expert-ranked lookup. Flat, in [eq1][eq2][eq3][eq4][eq5][eq6] order, one
 * line per (eq1, eq2, eq3) holding eq4 = 0..2 x eq5 = 0..2 x eq6 = 0..1;
 * -1 where a combination cannot occur (eq3 = 2 implies eq6 = 1). */
static const signed char v4_lookup[3 * 2 * 3 * 3 * 3 * 2] = {
	/* eq1 eq2 eq3 = 000 */ 100, 99, 98, 95, 95, 92, 100, 96, 93, 87, 91, 81, 93, 90, 89, 80, 81, 68,
	/* eq1 eq2 eq3 = 001 */ 98, 95, 95, 92, 90, 84, 93, 92, 89, 81, 81, 65, 88, 80, 78, 70, 69, 48,
	/* eq1 eq2 eq3 = 002 */ -1, 92, -1, 82, -1, 72, -1, 79, -1, 69, -1, 50, -1, 69, -1, 55, -1, 27,
	/* eq1 eq2 eq3 = 010 */ 99, 97, 95, 92, 92, 85, 95, 91, 90, 83, 84, 71, 92, 81, 82, 71, 72, 53,
	/* eq1 eq2 eq3 = 011 */ 95, 93, 92, 85, 85, 73, 92, 82, 80, 72, 70, 59, 84, 70, 71, 52, 50, 30,
	/* eq1 eq2 eq3 = 012 */ -1, 86, -1, 75, -1, 52, -1, 71, -1, 52, -1, 29, -1, 63, -1, 29, -1, 17,
	/* eq1 eq2 eq3 = 100 */ 98, 95, 94, 87, 91, 81, 94, 89, 86, 74, 77, 64, 87, 75, 74, 63, 63, 49,
	/* eq1 eq2 eq3 = 101 */ 94, 89, 88, 77, 76, 67, 86, 76, 74, 58, 59, 50, 72, 57, 57, 52, 52, 25,
	/* eq1 eq2 eq3 = 102 */ -1, 83, -1, 70, -1, 54, -1, 65, -1, 58, -1, 26, -1, 53, -1, 21, -1, 13,
	/* eq1 eq2 eq3 = 110 */ 95, 90, 88, 76, 76, 70, 90, 77, 75, 62, 61, 53, 77, 66, 68, 59, 52, 30,
	/* eq1 eq2 eq3 = 111 */ 89, 78, 76, 67, 62, 58, 74, 59, 57, 57, 47, 23, 61, 52, 57, 29, 24, 16,
	/* eq1 eq2 eq3 = 112 */ -1, 71, -1, 59, -1, 30, -1, 58, -1, 26, -1, 15, -1, 23, -1, 13, -1, 6,
	/* eq1 eq2 eq3 = 200 */ 93, 87, 86, 72, 75, 58, 86, 74, 74, 61, 56, 34, 70, 54, 52, 40, 40, 22,
	/* eq1 eq2 eq3 = 201 */ 85, 75, 74, 55, 62, 51, 72, 57, 55, 41, 46, 19, 53, 36, 34, 19, 19, 8,
	/* eq1 eq2 eq3 = 202 */ -1, 64, -1, 51, -1, 20, -1, 47, -1, 21, -1, 11, -1, 24, -1, 9, -1, 4,
	/* eq1 eq2 eq3 = 210 */ 88, 75, 73, 53, 60, 50, 73, 55, 59, 40, 41, 20, 54, 43, 45, 22, 20, 11,
	/* eq1 eq2 eq3 = 211 */ 75, 55, 58, 45, 40, 21, 61, 51, 48, 18, 20, 9, 46, 18, 17, 7, 8, 2,
	/* eq1 eq2 eq3 = 212 */ -1, 53, -1, 24, -1, 14, -1, 24, -1, 12, -1, 5, -1, 10, -1, 3, -1, 1,
};

static int lookup(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
		return -1;
	return v4_lookup[((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6];
}

/* The highest-severity vectors of each MacroVector (the specification's
 * "max composed" table), as levels. A scored vector is measured from the
 * first combination it does not exceed. */
struct max_eq1 { signed char av, pr, ui; };
struct max_eq2 { signed char ac, at; };
struct max_eq36 { signed char vc, vi, va, cr, ir, ar; };
struct max_eq4 { signed char sc, si, sa; };

static const struct max_eq1 max1_0[] = { { 0, 0, 0 } };
static const struct max_eq1 max1_1[] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
static const struct max_eq1 max1_2[] = { { 3, 0, 0 }, { 1, 1, 1 } };
static const struct max_eq2 max2_0[] = { { 0, 0 } };
static const struct max_eq2 max2_1[] = { { 1, 0 }, { 0, 1 } };
/* VC VI VA CR IR AR; impact H0 L1 N2, requirement H0 M1 L2 */
static const struct max_eq36 max36_00[] = { { 0, 0, 0, 0, 0, 0 } };
static const struct max_eq36 max36_01[] = { { 0, 0, 1, 1, 1, 0 }, { 0, 0, 0, 1, 1, 1 } };
static const struct max_eq36 max36_10[] = { { 1, 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0, 0 } };
static const struct max_eq36 max36_11[] = { { 1, 0, 1, 0, 1, 0 }, { 1, 0, 0, 0, 1, 1 }, { 0, 1, 0, 1, 0, 1 },
					    { 0, 1, 1, 1, 0, 0 }, { 1, 1, 0, 0, 0, 1 } };
static const struct max_eq36 max36_21[] = { { 1, 1, 1, 0, 0, 0 } };
/* SC H1 L2 N3; SI/SA S0 H1 L2 N3 */
static const struct max_eq4 max4_0[] = { { 1, 0, 0 } };
static const struct max_eq4 max4_1[] = { { 1, 1, 1 } };
static const struct max_eq4 max4_2[] = { { 2, 2, 2 } };

#define SPAN(a) { a, sizeof a / sizeof a[0] }
static const struct { const struct max_eq1 *p; size_t n; } max1[] = { SPAN(max1_0), SPAN(max1_1), SPAN(max1_2) };
static const struct { const struct max_eq2 *p; size_t n; } max2[] = { SPAN(max2_0), SPAN(max2_1) };
static const struct { const struct max_eq4 *p; size_t n; } max4[] = { SPAN(max4_0), SPAN(max4_1), SPAN(max4_2) };
#undef SPAN

static void max36(int eq3, int eq6, const struct max_eq36 **p, size_t *n)
{
	switch (eq3 * 2 + eq6) {
	case 0: *p = max36_00, *n = 1; break;
	case 1: *p = max36_01, *n = 2; break;
	case 2: *p = max36_10, *n = 2; break;
	case 3: *p = max36_11, *n = 5; break;
	default: *p = max36_21, *n = 1; break;
	}
}

/* Depth of each MacroVector: the largest severity distance inside it, +1. */
static const int depth1[] = { 1, 4, 5 }, depth2[] = { 1, 2 }, depth4[] = { 6, 5, 4 };
static const int depth36[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } };

/* Severity distances of l from the chosen max vector, per equivalence class. */
struct v4_dist {
	int d1, d2, d36, d4;
};

static bool distances(const struct v4_levels *l, const struct max_eq1 *m1, const struct max_eq2 *m2,
		      const struct max_eq36 *m3, const struct max_eq4 *m4, struct v4_dist *d)
{
	int dv[14] = {
		l->av - m1->av, l->pr - m1->pr, l->ui - m1->ui, l->ac - m2->ac, l->at - m2->at,
		l->vc - m3->vc, l->vi - m3->vi, l->va - m3->va, l->cr - m3->cr, l->ir - m3->ir,
		l->ar - m3->ar, l->sc - m4->sc, l->si - m4->si, l->sa - m4->sa,
	};
	d->d1 = dv[0] + dv[1] + dv[2];
	d->d2 = dv[3] + dv[4];
	d->d36 = dv[5] + dv[6] + dv[7] + dv[8] + dv[9] + dv[10];
	d->d4 = dv[11] + dv[12] + dv[13];
	for (int i = 0; i < 14; i++)
		if (dv[i] < 0)
			return false;
	return true;
}

/* The first max vector (in the specification's order) that l does not
 * exceed; the last one tried if there is none, as the reference does. */
static struct v4_dist v4_distances(const struct v4_levels *l, const int eq[6])
{
	const struct max_eq36 *p36;
	size_t n36;
	max36(eq[2], eq[5], &p36, &n36);
	struct v4_dist d = { 0 };
	for (size_t a = 0; a < max1[eq[0]].n; a++)
		for (size_t b = 0; b < max2[eq[1]].n; b++)
			for (size_t c = 0; c < n36; c++)
				for (size_t k = 0; k < max4[eq[3]].n; k++)
					if (distances(l, &max1[eq[0]].p[a], &max2[eq[1]].p[b], &p36[c],
						      &max4[eq[3]].p[k], &d))
						return d;
	return d;
}

/* Score of the next lower MacroVector for eq3+eq6, which move together. */
static int lower36(const int q[6])
{
	if (q[2] == 0 && q[5] == 0) {
		int left = lookup(q[0], q[1], 0, q[3], q[4], 1), right = lookup(q[0], q[1], 1, q[3], q[4], 0);
		return left > right ? left : right;
	}
	if (q[2] == 1 && q[5] == 0)
		return lookup(q[0], q[1], 1, q[3], q[4], 1);
	return lookup(q[0], q[1], q[2] + 1, q[3], q[4], q[5]); /* 01 -> 11, 11 -> 21, 21 -> none */
}

/* Interpolation (specification section 8.2) in exact arithmetic: every
 * quantity is an integer number of tenths or levels, so the mean distance
 * is a fraction over 840 (the lcm of the depths) times the number of
 * classes that have a lower MacroVector. */
static int v4_tenths(const struct vector *m)
{
	struct v4_levels l = v4_effective(m);
	if (l.vc == N4 && l.vi == N4 && l.va == N4 && l.sc == 3 && l.si == 3 && l.sa == 3)
		return 0;
	int q[6];
	v4_macro(&l, q);
	int value = lookup(q[0], q[1], q[2], q[3], q[4], q[5]);
	if (value < 0)
		return 0; /* unreachable: v4_macro only yields existing MacroVectors */
	struct v4_dist d = v4_distances(&l, q);
	int lower[5] = {
		lookup(q[0] + 1, q[1], q[2], q[3], q[4], q[5]), lookup(q[0], q[1] + 1, q[2], q[3], q[4], q[5]),
		lower36(q), lookup(q[0], q[1], q[2], q[3] + 1, q[4], q[5]),
		lookup(q[0], q[1], q[2], q[3], q[4] + 1, q[5]),
	};
	int dist[5] = { d.d1, d.d2, d.d36, d.d4, 0 }; /* eq5 moves no metric distance */
	int depth[5] = { depth1[q[0]], depth2[q[1]], depth36[q[2]][q[5]], depth4[q[3]], 1 };
	long long num = 0, n = 0;
	for (int i = 0; i < 5; i++) {
		if (lower[i] < 0)
			continue;
		n++;
		num += (long long)(value - lower[i]) * dist[i] * (840 / depth[i]);
	}
	if (n == 0)
		return value;
	long long den = 840 * n;
	long long s = (long long)value * den - num; /* score * den, in tenths */
	if (s <= 0)
		return 0;
	long long t = (2 * s + den) / (2 * den); /* round half up */
	return t > 100 ? 100 : (int)t;
}

int cvss4_score(const char *vector, double *score)
{
	if (!vector || strncmp(vector, "CVSS:4.0/", 9))
		return BOSUN_EFORMAT;
	struct vector m;
	TRY(parse_metrics(vector + 9, v4_defs, sizeof v4_defs / sizeof v4_defs[0], V4_NBASE, &m));
	*score = v4_tenths(&m) / 10.0;
	return BOSUN_OK;
}

int cvss_score(const char *vector, double *score)
{
	if (vector && !strncmp(vector, "CVSS:4.", 7))
		return cvss4_score(vector, score);
	return cvss3_score(vector, score);
}

enum vuln_severity cvss_severity(double score)
{
	if (!(score >= 0)) /* negative or NaN: no score */
		return SEV_UNKNOWN;
	int t = (int)lround(score * 10);
	if (t >= 90)
		return SEV_CRITICAL;
	if (t >= 70)
		return SEV_HIGH;
	if (t >= 40)
		return SEV_MEDIUM;
	if (t >= 1)
		return SEV_LOW;
	return SEV_NEGLIGIBLE;
}
