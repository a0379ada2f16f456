/* Scanning with a compiled secret engine (engine.c), from any number of
 * threads at once.
 *
 * A scan is one Hyperscan pass that records which keywords occur and where
 * rule regexes may end a match. For each rule whose keywords occurred,
 * PCRE2 (JIT) then confirms each reported end in a window before it and
 * pulls out the secret group; rules Hyperscan refused run on PCRE2 over the
 * whole buffer. Text with no keyword and no candidate match costs the one
 * Hyperscan pass only. Candidates then go through the rule's checks and the
 * allow-rules, and become masked findings. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret/secret_impl.h"

/* Spans recorded per scan before a rule falls back to a PCRE2 pass over
 * the whole buffer (a file of a million "AKIA..." strings). */
#define MAX_SPANS 65536
/* PCRE2 looks for a match ending at a Hyperscan end at most this far back
 * (and this far ahead, for the greedy rest of a token). Longer matches are
 * still found, from a later start. */
#define WINDOW_BYTES (64u * 1024)
/* PCRE2 confirmations per rule per buffer, bounding work on hostile input
 * that makes the prefilter fire everywhere. */
#define MAX_CONFIRMS 4096
/* PCRE2 work per match attempt: bounded so a hostile file cannot stall a
 * thread on backtracking. */
#define PCRE_MATCH_LIMIT 5000000u
#define PCRE_DEPTH_LIMIT 100000u

#define DEFAULT_REMEDIATION                                                                                        \
	"Revoke and rotate the credential, remove it from the image (every layer that holds it, not only the top) " \
	"and provide it at run time instead (secret store, orchestrator secrets, BuildKit secret mounts)."

/* ---- scratch pool ---- */

static hs_scratch_t *scratch_get(struct secret_engine *eng)
{
	hs_scratch_t *s = NULL;
	pthread_mutex_lock(&eng->pool_lock);
	if (eng->npool)
		s = eng->pool[--eng->npool];
	pthread_mutex_unlock(&eng->pool_lock);
	if (!s && hs_clone_scratch(eng->scratch_proto, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

static void scratch_put(struct secret_engine *eng, hs_scratch_t *s)
{
	pthread_mutex_lock(&eng->pool_lock);
	if (eng->npool < SECRET_SCRATCH_POOL) {
		eng->pool[eng->npool++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&eng->pool_lock);
	if (s)
		hs_free_scratch(s);
}

/* ---- path tests ---- */

static bool regex_matches(pcre2_code *re, const char *s, size_t n, pcre2_match_data *md)
{
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

/* Path regexes see paths as in an image, without a leading "/", so the
 * same rules apply to host paths (`bosun watch`). NULL never matches. */
static bool path_matches(pcre2_code *re, const char *path, pcre2_match_data *md)
{
	if (!path)
		return false;
	path += strspn(path, "/");
	return regex_matches(re, path, strlen(path), md);
}

bool secret_path_skipped(const struct secret_engine *eng, const char *path)
{
	if (!path)
		return false;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return false;
	bool skip = false;
	for (size_t i = 0; i < eng->nallows && !skip; i++)
		skip = eng->allows[i].path_re && !eng->allows[i].secret_re && path_matches(eng->allows[i].path_re, path, md);
	pcre2_match_data_free(md);
	return skip;
}

/* ---- scanning ---- */

/* Hyperscan reported ends lo..hi (every offset between) for one rule. */
struct span {
	uint32_t rule;
	size_t lo, hi;
};

struct scan_ctx {
	size_t nrules;
	bool *kw_hit;
	bool *overflow;   /* per rule: too many spans, scan it with PCRE2 */
	size_t *last;     /* per rule: index + 1 of its latest span */
	struct span *spans;
	size_t nspans, cap;
	bool nomem;
};

static int on_hs_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *arg)
{
	(void)from; /* 0: no start of match was asked for */
	(void)flags;
	struct scan_ctx *c = arg;
	if (id >= c->nrules) {
		c->kw_hit[id - c->nrules] = true;
		return 0;
	}
	/* "[a-z]{20,}" reports every end along a run: keep one span */
	size_t last = c->last[id];
	if (last && c->spans[last - 1].hi + 1 >= to) {
		if (to > c->spans[last - 1].hi)
			c->spans[last - 1].hi = (size_t)to;
		return 0;
	}
	if (c->overflow[id])
		return 0;
	if (c->nspans == c->cap) {
		if (c->cap >= MAX_SPANS) {
			c->overflow[id] = true;
			return 0;
		}
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct span *v = realloc(c->spans, cap * sizeof *v);
		if (!v) {
			c->nomem = true;
			return 1; /* stops the scan */
		}
		c->spans = v;
		c->cap = cap;
	}
	c->spans[c->nspans++] = (struct span){ id, (size_t)to, (size_t)to };
	c->last[id] = c->nspans;
	return 0;
}

static int cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* What one secret_find call needs for PCRE2: created lazily, since most
 * buffers never get there. */
struct pcre_state {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

static int pcre_state_ready(struct pcre_state *p)
{
	if (p->md)
		return BOSUN_OK;
	p->md = pcre2_match_data_create(64, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	p->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!p->md || !p->mctx || !p->jit)
		return BOSUN_ENOMEM;
	pcre2_set_match_limit(p->mctx, PCRE_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, PCRE_DEPTH_LIMIT);
	pcre2_jit_stack_assign(p->mctx, NULL, p->jit);
	return BOSUN_OK;
}

static void pcre_state_free(struct pcre_state *p)
{
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_jit_stack_free(p->jit);
}

/* The secret part of the last match: the first set group with the rule's
 * secret name (several alternatives may carry it), else the whole match. */
static void secret_span(const struct rule *r, pcre2_code *re, pcre2_match_data *md, size_t *s, size_t *e)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t pairs = pcre2_get_ovector_count(md);
	*s = ov[0];
	*e = ov[1];
	if (!r->def.secret_group)
		return;
	PCRE2_SPTR first, last;
	int size = pcre2_substring_nametable_scan(re, (PCRE2_SPTR)r->def.secret_group, &first, &last);
	if (size <= 0)
		return;
	for (PCRE2_SPTR entry = first; entry <= last; entry += size) {
		uint32_t g = ((uint32_t)entry[0] << 8) | entry[1];
		if (g < pairs && ov[2 * g] != PCRE2_UNSET) {
			*s = ov[2 * g];
			*e = ov[2 * g + 1];
			return;
		}
	}
}

static bool allowed_by(const struct allow_rule *a, size_t na, const char *path, const char *secret, size_t n,
		       pcre2_match_data *md)
{
	for (size_t i = 0; i < na; i++) {
		bool path_ok = !a[i].path_re || path_matches(a[i].path_re, path, md);
		bool secret_ok = !a[i].secret_re || regex_matches(a[i].secret_re, secret, n, md);
		if (path_ok && secret_ok && (a[i].path_re || a[i].secret_re))
			return true;
	}
	return false;
}

struct find_ctx {
	struct secret_engine *eng;
	const char *path;
	const unsigned char *data;
	size_t n;
	struct secret_hits *hits;
	struct pcre_state pcre;
	pcre2_match_data *allow_md;
};

static bool already_found(const struct secret_hits *h, size_t rule, size_t sstart)
{
	for (size_t i = h->n; i-- > 0;)
		if (h->v[i].rule == rule && h->v[i].sstart == sstart)
			return true;
	return false;
}

/* Checks and records the match in f->pcre.md. */
static int consider(struct find_ctx *f, size_t ri, pcre2_code *re)
{
	const struct rule *r = &f->eng->rules[ri];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->pcre.md);
	size_t s, e;
	secret_span(r, re, f->pcre.md, &s, &e);
	const char *sec = (const char *)f->data + s;
	bool quoted = s > 0 && e < f->n && (f->data[s - 1] == '"' || f->data[s - 1] == '\'' || f->data[s - 1] == '`') &&
		      f->data[e] == f->data[s - 1];
	if (!secret_check_passes(&r->def, sec, e - s, quoted))
		return BOSUN_OK;
	if (allowed_by(f->eng->allows, f->eng->nallows, f->path, sec, e - s, f->allow_md) ||
	    allowed_by(r->allows, r->nallows, f->path, sec, e - s, f->allow_md))
		return BOSUN_OK;
	if (already_found(f->hits, ri, s) || f->hits->n >= SECRET_MAX_FINDINGS_PER_BUFFER)
		return BOSUN_OK;
	if (f->hits->n == f->hits->cap) {
		size_t cap = f->hits->cap ? f->hits->cap * 2 : 16;
		struct secret_hit *v = realloc(f->hits->v, cap * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		f->hits->v = v;
		f->hits->cap = cap;
	}
	f->hits->v[f->hits->n++] = (struct secret_hit){ ri, ov[0], ov[1], s, e };
	return BOSUN_OK;
}

/* Every match of re in data[from, to) (to: the subject's end for PCRE2). */
static int pcre_scan_all(struct find_ctx *f, size_t ri, pcre2_code *re, size_t from, size_t to)
{
	TRY(pcre_state_ready(&f->pcre));
	size_t off = from;
	while (off <= to && f->hits->n < SECRET_MAX_FINDINGS_PER_BUFFER) {
		int rc = pcre2_match(re, f->data, to, off, 0, f->pcre.md, f->pcre.mctx);
		if (rc < 0)
			break; /* no more matches, or a limit: stop this rule here */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->pcre.md);
		TRY(consider(f, ri, re));
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return BOSUN_OK;
}

/* Confirms Hyperscan's candidate ends with PCRE2: for each end not inside
 * a match already found, the first match in a window around it. */
static int pcre_at_spans(struct find_ctx *f, size_t ri, const struct span *sp, size_t nsp)
{
	TRY(pcre_state_ready(&f->pcre));
	pcre2_code *re = f->eng->rules[ri].re;
	size_t pos = 0, calls = 0; /* everything before pos is done */
	for (size_t i = 0; i < nsp; i++) {
		for (size_t to = sp[i].lo; to <= sp[i].hi;) {
			if (to <= pos) {
				to = pos + 1;
				continue;
			}
			if (++calls > MAX_CONFIRMS || f->hits->n >= SECRET_MAX_FINDINGS_PER_BUFFER)
				return BOSUN_OK;
			size_t from = to > WINDOW_BYTES ? to - WINDOW_BYTES : 0;
			if (from < pos)
				from = pos;
			size_t end = f->n - to > WINDOW_BYTES ? to + WINDOW_BYTES : f->n;
			int rc = pcre2_match(re, f->data, end, from, 0, f->pcre.md, f->pcre.mctx);
			if (rc < 0) {
				pos = to; /* nothing starts in [from, to] */
				continue;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->pcre.md);
			TRY(consider(f, ri, re));
			pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	return BOSUN_OK;
}

static bool rule_applies(const struct rule *r, const struct scan_ctx *c, const char *path, pcre2_match_data *md)
{
	if (!r->re)
		return false;
	if (r->path_re && !path_matches(r->path_re, path, md))
		return false;
	if (r->nkeywords == 0)
		return true;
	for (size_t k = 0; k < r->nkeywords; k++)
		if (c->kw_hit[r->kw_ids[k]])
			return true;
	return false;
}

/* The near form: the rule's near regex within near_bytes (widened to whole
 * lines) of each match of its anchor rule. */
static int near_pass(struct find_ctx *f, size_t ri)
{
	const struct rule *r = &f->eng->rules[ri];
	size_t nanchors = f->hits->n;
	for (size_t h = 0; h < nanchors; h++) {
		const struct secret_hit a = f->hits->v[h];
		if ((int)a.rule != r->near_anchor)
			continue;
		size_t from = a.start > r->def.near_bytes ? a.start - r->def.near_bytes : 0;
		size_t to = a.end + r->def.near_bytes < f->n ? a.end + r->def.near_bytes : f->n;
		while (from > 0 && f->data[from - 1] != '\n')
			from--;
		while (to < f->n && f->data[to] != '\n')
			to++;
		TRY(pcre_scan_all(f, ri, r->near_re, from, to));
	}
	return BOSUN_OK;
}

/* A generic rule (password assignment, URL credentials, PEM block) yields
 * to a specific one that found an overlapping secret: ".pypirc" says
 * "password = pypi-...", which is a PyPI token, not also a password. */
static void drop_generic_overlaps(const struct secret_engine *eng, struct secret_hits *h)
{
	size_t w = 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct secret_hit *a = &h->v[i];
		bool drop = false;
		if (eng->rules[a->rule].def.flags & RULE_GENERIC)
			for (size_t k = 0; k < h->n && !drop; k++) {
				const struct secret_hit *b = &h->v[k];
				drop = k != i && !(eng->rules[b->rule].def.flags & RULE_GENERIC) && b->sstart < a->send &&
				       a->sstart < b->send;
			}
		if (!drop)
			h->v[w++] = *a;
	}
	h->n = w;
}

int secret_find(struct secret_engine *eng, const char *path, const unsigned char *data, size_t n,
		struct secret_hits *hits, struct berr *e)
{
	if (n == 0 || !eng->db)
		return BOSUN_OK;
	if (n > UINT_MAX)
		return berr_set(e, BOSUN_ELIMIT, "%s: too large to scan for secrets", path ? path : "buffer");
	struct scan_ctx c = { .nrules = eng->nrules };
	c.kw_hit = calloc(eng->nkeywords + 1, sizeof *c.kw_hit);
	c.overflow = calloc(eng->nrules + 1, sizeof *c.overflow);
	c.last = calloc(eng->nrules + 1, sizeof *c.last);
	struct find_ctx f = { .eng = eng, .path = path, .data = data, .n = n, .hits = hits };
	f.allow_md = pcre2_match_data_create(1, NULL);
	int rc = BOSUN_OK;
	hs_scratch_t *scratch = NULL;
	if (!c.kw_hit || !c.overflow || !c.last || !f.allow_md || !(scratch = scratch_get(eng))) {
		rc = BOSUN_ENOMEM;
		goto out;
	}
	hs_error_t hr = hs_scan(eng->db, (const char *)data, (unsigned)n, 0, scratch, on_hs_match, &c);
	scratch_put(eng, scratch);
	if (c.nomem) {
		rc = BOSUN_ENOMEM;
		goto out;
	}
	if (hr != HS_SUCCESS) {
		rc = berr_set(e, BOSUN_EIO, "%s: Hyperscan scan failed (%d)", path ? path : "buffer", (int)hr);
		goto out;
	}
	if (c.nspans > 1)
		qsort(c.spans, c.nspans, sizeof *c.spans, cmp_span);
	size_t si = 0;
	for (size_t ri = 0; ri < eng->nrules && rc == BOSUN_OK; ri++) {
		size_t s0 = si;
		while (si < c.nspans && c.spans[si].rule == ri)
			si++;
		const struct rule *r = &eng->rules[ri];
		if (!rule_applies(r, &c, path, f.allow_md))
			continue;
		if (r->in_hs && !c.overflow[ri])
			rc = pcre_at_spans(&f, ri, c.spans + s0, si - s0);
		else
			rc = pcre_scan_all(&f, ri, r->re, 0, n);
	}
	for (size_t ri = 0; ri < eng->nrules && rc == BOSUN_OK; ri++) {
		const struct rule *r = &eng->rules[ri];
		if (r->near_re && r->near_anchor >= 0 &&
		    !(r->path_re && !path_matches(r->path_re, path, f.allow_md)))
			rc = near_pass(&f, ri);
	}
	if (rc == BOSUN_OK)
		drop_generic_overlaps(eng, hits);
out:
	if (rc == BOSUN_ENOMEM)
		berr_set(e, rc, "%s: out of memory scanning for secrets", path ? path : "buffer");
	pcre_state_free(&f.pcre);
	pcre2_match_data_free(f.allow_md);
	free(c.kw_hit);
	free(c.overflow);
	free(c.last);
	free(c.spans);
	return rc;
}

static int cmp_hit(const void *pa, const void *pb)
{
	const struct secret_hit *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->sstart != b->sstart)
		return a->sstart < b->sstart ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static size_t count_lines(const unsigned char *p, size_t from, size_t to)
{
	size_t k = 0;
	const unsigned char *q = p + from, *end = p + to;
	while (q < end && (q = memchr(q, '\n', (size_t)(end - q)))) {
		k++;
		q++;
	}
	return k;
}

int secret_emit(struct secret_engine *eng, const char *path, const char *location, int layer,
		const unsigned char *data, size_t n, struct secret_hits *hits, struct finding_list *out)
{
	(void)n;
	if (hits->n > 1)
		qsort(hits->v, hits->n, sizeof *hits->v, cmp_hit);
	size_t line = 1, at = 0;
	for (size_t i = 0; i < hits->n; i++) {
		const struct secret_hit *h = &hits->v[i];
		const struct secret_rule_def *d = &eng->rules[h->rule].def;
		line += count_lines(data, at, h->start);
		at = h->start;
		/* the line of the match's last character (a trailing newline it took is not one) */
		size_t end_line = line + count_lines(data, h->start, h->end > h->start ? h->end - 1 : h->end);
		/* key material: mask the body, not the whitespace around it */
		size_t s = h->sstart, e = h->send;
		for (;;) {
			if (s < e && isspace(data[s]))
				s++;
			else if (e - s >= 2 && data[s] == '\\' && data[s + 1] == 'n') /* "\n" in a JSON string */
				s += 2;
			else
				break;
		}
		for (;;) {
			if (e > s && isspace(data[e - 1]))
				e--;
			else if (e - s >= 2 && data[e - 2] == '\\' && data[e - 1] == 'n')
				e -= 2;
			else
				break;
		}
		char masked[64], msg[256];
		secret_mask((const char *)data + s, e - s, masked, sizeof masked);
		snprintf(msg, sizeof msg, "%s: %s", d->title, masked);
		struct finding fd = {
			.kind = FINDING_KIND_SECRET,
			.rule_id = d->id,
			.title = d->title,
			.severity = d->severity,
			.message = msg,
			.path = path,
			.location = location,
			.line = location ? 0 : (unsigned)line,
			.end_line = location ? 0 : (unsigned)end_line,
			.layer = layer,
			.match = masked,
			.category = d->category,
			.remediation = d->remediation ? d->remediation : DEFAULT_REMEDIATION,
			.reference = d->reference,
		};
		TRY(finding_add(out, &fd));
	}
	return BOSUN_OK;
}

int secret_scan_buffer(struct secret_engine *eng, const char *path, int layer, const unsigned char *data,
		       size_t n, struct finding_list *out, struct berr *e)
{
	if (n == 0 || n > eng->max_file_bytes)
		return BOSUN_OK;
	if (!eng->scan_binaries && secret_looks_binary(data, n))
		return BOSUN_OK;
	if (secret_path_skipped(eng, path))
		return BOSUN_OK;
	struct secret_hits hits = { 0 };
	int rc = secret_find(eng, path, data, n, &hits, e);
	if (rc == BOSUN_OK && (rc = secret_emit(eng, path, NULL, layer, data, n, &hits, out)) != BOSUN_OK)
		berr_set(e, rc, "%s: out of memory", path ? path : "buffer");
	free(hits.v);
	return rc;
}
