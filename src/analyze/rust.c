/* Rust: Cargo.lock in project trees; cargo-auditable's .dep-v0 section in
 * binaries, read while they stream by.
 *
 * In PE and Mach-O files .dep-v0 is an ordinary section listed in the
 * headers at the start. In ELF it is a non-alloc section: linkers place it
 * after everything loaded, among debug info and symbol tables whose
 * section headers only come at the end of the file, too late to plan by.
 * So the ELF tail (from the end of the last loaded segment on) is watched
 * for zlib stream headers; each is probed by inflating its first bytes,
 * and the one whose output starts with cargo-auditable's JSON
 * ({"packages":) is inflated as it streams by. Memory stays bounded: a few
 * probe windows and one inflater, whatever the size of the tail. */
#include "analyze/rust.h"

#include <isa-l/igzip_lib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyzer.h"
#include "analyze/elfstream.h"
#include "analyze/langpkg.h"
#include "analyze/toml_lock.h"
#include "util/json.h"
#include "util/strmap.h"

#define RUST_FILE_MAX (2ull << 30)
#define RUST_TABLE_BUDGET ((size_t)128 << 10)
/* Inflated JSON kept per binary; real ones are a few KiB to a few 100 KiB. */
#define RUST_JSON_MAX ((size_t)8 << 20)
#define RUST_JSON_DEPTH 16
#define PROBE_LEN 512
#define MAX_PROBES 8

extern const struct analyzer analyzer_rust;

static const char JSON_PREFIX[] = "{\"packages\":";
#define JSON_PREFIX_LEN (sizeof JSON_PREFIX - 1)

/* ---- relationships ---- */

/* Who depends on whom, by index, as both formats give it. */
struct rgraph {
	size_t n;
	bool *root, *direct;
};

static const char *relationship(const struct rgraph *g, size_t i)
{
	return g->root[i] ? "root" : g->direct[i] ? "direct" : "indirect";
}

static int rgraph_init(struct rgraph *g, size_t n)
{
	g->n = n;
	g->root = calloc(n ? n : 1, sizeof *g->root);
	g->direct = calloc(n ? n : 1, sizeof *g->direct);
	return g->root && g->direct ? BOSUN_OK : BOSUN_ENOMEM;
}

static void rgraph_free(struct rgraph *g)
{
	free(g->root);
	free(g->direct);
}

static struct slice jslice(const json_t *o, const char *key)
{
	const char *s = json_str(o, key);
	return slice_make(s ? s : "", s ? strlen(s) : 0);
}

/* ---- Cargo.lock ---- */

/* Index of packages by "name" and "name version", for dependency strings
 * ("name", "name version" or v1's "name version (source)"). Keys live in
 * the arena; a name with several versions maps to none (ambiguous). */
struct lockidx {
	struct strmap map;
	struct arena ar;
};

static int idx_put(struct lockidx *x, const char *key, size_t i, bool unique_only)
{
	void *old = strmap_get(&x->map, key);
	if (old && unique_only)
		return strmap_put(&x->map, key, (void *)(uintptr_t)0); /* seen twice: ambiguous */
	if (old)
		return BOSUN_OK;
	char *k = arena_strdup(&x->ar, key);
	return k ? strmap_put(&x->map, k, (void *)(uintptr_t)(i + 1)) : BOSUN_ENOMEM;
}

static int lock_index(struct lockidx *x, json_t *pkgs)
{
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p) {
		const char *name = json_str(p, "name"), *ver = json_str(p, "version");
		if (!name || !ver || strlen(name) > LANGPKG_NAME_MAX || strlen(ver) > LANGPKG_VERSION_MAX)
			continue;
		char key[LANGPKG_NAME_MAX + LANGPKG_VERSION_MAX + 2];
		snprintf(key, sizeof key, "%s %s", name, ver);
		TRY(idx_put(x, key, i, false));
		TRY(idx_put(x, name, i, true));
	}
	return BOSUN_OK;
}

/* The package a dependency string names, or SIZE_MAX. */
static size_t dep_target(const struct lockidx *x, const char *dep)
{
	char key[LANGPKG_NAME_MAX + LANGPKG_VERSION_MAX + 2];
	size_t n = strcspn(dep, " ");
	size_t v = n + strspn(dep + n, " ");
	size_t vn = strcspn(dep + v, " ");
	if (n == 0 || n > LANGPKG_NAME_MAX || vn > LANGPKG_VERSION_MAX)
		return SIZE_MAX;
	if (vn)
		snprintf(key, sizeof key, "%.*s %.*s", (int)n, dep, (int)vn, dep + v);
	else
		snprintf(key, sizeof key, "%.*s", (int)n, dep);
	uintptr_t i = (uintptr_t)strmap_get(&x->map, key);
	return i ? (size_t)i - 1 : SIZE_MAX;
}

static int lock_graph(json_t *pkgs, struct rgraph *g)
{
	struct lockidx x = { 0 };
	int rc = lock_index(&x, pkgs);
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
		g->root[i] = json_str(p, "source") == NULL;
	json_array_foreach(pkgs, i, p) {
		json_t *deps = json_object_get(p, "dependencies"), *d;
		size_t k;
		if (rc || !g->root[i] || !json_is_array(deps))
			continue;
		json_array_foreach(deps, k, d) {
			size_t t = json_is_string(d) ? dep_target(&x, json_string_value(d)) : SIZE_MAX;
			if (t != SIZE_MAX)
				g->direct[t] = true;
		}
	}
	strmap_free(&x.map);
	arena_free(&x.ar);
	return rc;
}

static int lock_packages(struct langpkg_file *lf, json_t *pkgs)
{
	struct rgraph g;
	int rc = rgraph_init(&g, json_array_size(pkgs));
	if (!rc)
		rc = lock_graph(pkgs, &g);
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p) {
		struct package *pkg;
		if (rc || !json_is_object(p))
			continue;
		rc = langpkg_add(lf, PKG_CARGO, jslice(p, "name"), jslice(p, "version"), &pkg);
		if (!rc && pkg && !(pkg->relationship = arena_strdup(&lf->a->arena, relationship(&g, i))))
			rc = BOSUN_ENOMEM;
	}
	rgraph_free(&g);
	return rc;
}

int cargo_lock_parse(const char *data, size_t len, const char *path, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "Cargo.lock", path);
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = toml_lock_parse(data, len, path, &doc, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc) {
		langpkg_warn(&lf, "%s", e.msg);
		langpkg_end(&lf);
		return BOSUN_OK;
	}
	json_t *pkgs = json_object_get(doc, "package");
	if (pkgs && !json_is_array(pkgs))
		langpkg_warn(&lf, "package is not an array of tables");
	else if (pkgs)
		rc = lock_packages(&lf, pkgs);
	json_decref(doc);
	langpkg_end(&lf);
	return rc;
}

/* ---- cargo-auditable JSON ---- */

static bool is_build(const json_t *p)
{
	const char *k = json_str(p, "kind");
	return k && strcmp(k, "runtime") != 0;
}

static void audit_graph(json_t *pkgs, struct rgraph *g)
{
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
		g->root[i] = json_is_true(json_object_get(p, "root"));
	json_array_foreach(pkgs, i, p) {
		json_t *deps = json_object_get(p, "dependencies"), *d;
		size_t k;
		if (!g->root[i] || !json_is_array(deps))
			continue;
		json_array_foreach(deps, k, d) {
			json_int_t t = json_is_integer(d) ? json_integer_value(d) : -1;
			if (t >= 0 && (size_t)t < g->n)
				g->direct[t] = true;
		}
	}
}

int cargo_auditable_parse(const char *json, size_t len, const char *path, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "cargo-auditable", path);
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = json_parse_bounded(json, len, RUST_JSON_DEPTH, path, &doc, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	json_t *pkgs = rc ? NULL : json_object_get(doc, "packages");
	if (!json_is_array(pkgs)) {
		langpkg_warn(&lf, "dependency list is not cargo-auditable JSON");
		json_decref(doc);
		langpkg_end(&lf);
		return BOSUN_OK;
	}
	struct rgraph g;
	rc = rgraph_init(&g, json_array_size(pkgs));
	if (!rc)
		audit_graph(pkgs, &g);
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p) {
		struct package *pkg;
		if (rc || !json_is_object(p) || is_build(p))
			continue;
		rc = langpkg_add(&lf, PKG_CARGO, jslice(p, "name"), jslice(p, "version"), &pkg);
		if (!rc && pkg && !(pkg->relationship = arena_strdup(&a->arena, relationship(&g, i))))
			rc = BOSUN_ENOMEM;
	}
	rgraph_free(&g);
	json_decref(doc);
	langpkg_end(&lf);
	return rc;
}

/* ---- streaming: finding and inflating .dep-v0 ---- */

struct probe {
	uint64_t off;
	size_t have;
	unsigned char buf[PROBE_LEN];
};

struct ruststate {
	struct es_stream es;
	char *path;
	bool planned;            /* the region to watch is known */
	uint64_t from, to;       /* file range that may hold the section */
	bool exact;              /* PE/Mach-O: [from, to) is the section itself */
	struct probe probes[MAX_PROBES];
	size_t nprobes;
	struct inflate_state *inf; /* allocated on the first probe */
	bool inflating, done;
	bool last78;             /* the previous piece ended with 0x78 in the region */
	unsigned char *json;
	size_t jlen, jcap;
};

static bool zlib_header(unsigned char cmf, unsigned char flg)
{
	return cmf == 0x78 && ((cmf << 8) | flg) % 31 == 0 && !(flg & 0x20);
}

static int need_inflater(struct ruststate *st)
{
	if (!st->inf && !(st->inf = malloc(sizeof *st->inf)))
		return BOSUN_ENOMEM;
	isal_inflate_init(st->inf);
	st->inf->crc_flag = ISAL_ZLIB;
	return BOSUN_OK;
}

/* Room for more output; false when the JSON would pass RUST_JSON_MAX. */
static int grow_json(struct ruststate *st, bool *room)
{
	*room = st->jlen < st->jcap;
	if (*room || st->jcap > RUST_JSON_MAX)
		return BOSUN_OK;
	size_t nc = st->jcap ? st->jcap * 2 : 16384;
	if (nc > RUST_JSON_MAX + 1)
		nc = RUST_JSON_MAX + 1;
	unsigned char *nb = realloc(st->json, nc);
	if (!nb)
		return BOSUN_ENOMEM;
	st->json = nb;
	st->jcap = nc;
	*room = true;
	return BOSUN_OK;
}

/* Feeds bytes to the inflater; a decoding error or output beyond
 * RUST_JSON_MAX abandons this stream. Sets st->done at its end. */
static int inflate_more(struct ruststate *st, const unsigned char *p, size_t n)
{
	struct inflate_state *z = st->inf;
	z->next_in = (uint8_t *)p;
	z->avail_in = (uint32_t)n;
	for (;;) {
		bool room;
		TRY(grow_json(st, &room));
		if (!room) {
			st->inflating = false;
			st->jlen = 0;
			return BOSUN_OK;
		}
		z->next_out = st->json + st->jlen;
		z->avail_out = (uint32_t)(st->jcap - st->jlen);
		uint32_t in0 = z->avail_in, out0 = z->avail_out;
		int rc = isal_inflate(z);
		st->jlen += out0 - z->avail_out;
		if (rc < 0) {
			st->inflating = false;
			st->jlen = 0;
			return BOSUN_OK;
		}
		if (z->block_state == ISAL_BLOCK_FINISH) {
			st->done = true;
			st->inflating = false;
			return BOSUN_OK;
		}
		if (in0 == z->avail_in && out0 == z->avail_out)
			return BOSUN_OK; /* needs more input */
	}
}

/* Inflates a probe's bytes on their own: does the output start like
 * cargo-auditable's JSON? */
static int probe_ok(struct ruststate *st, const struct probe *pr, bool *ok)
{
	TRY(need_inflater(st));
	unsigned char out[64];
	struct inflate_state *z = st->inf;
	z->next_in = (uint8_t *)pr->buf;
	z->avail_in = (uint32_t)pr->have;
	z->next_out = out;
	z->avail_out = sizeof out;
	int rc = isal_inflate(z);
	size_t got = sizeof out - z->avail_out;
	*ok = rc >= 0 && got >= JSON_PREFIX_LEN && memcmp(out, JSON_PREFIX, JSON_PREFIX_LEN) == 0;
	return BOSUN_OK;
}

/* Starts inflating the stream a probe begins: its bytes, then the rest of
 * the current piece after it. */
static int start_inflate(struct ruststate *st, const struct probe *pr, const unsigned char *p, size_t n, uint64_t pos)
{
	TRY(need_inflater(st));
	st->inflating = true;
	st->jlen = 0;
	TRY(inflate_more(st, pr->buf, pr->have));
	uint64_t next = pr->off + pr->have;
	if (st->inflating && next >= pos && next < pos + n)
		TRY(inflate_more(st, p + (next - pos), (size_t)(pos + n - next)));
	st->nprobes = 0;
	return BOSUN_OK;
}

/* Copies what the piece holds of a probe's window. */
static void probe_fill(const struct ruststate *st, struct probe *pr, const unsigned char *p, size_t n, uint64_t pos)
{
	uint64_t want = pr->off + pr->have;
	if (!p || want < pos || want >= pos + n)
		return;
	size_t take = (size_t)(pos + n - want);
	if (take > PROBE_LEN - pr->have)
		take = PROBE_LEN - pr->have;
	if (want + take > st->to)
		take = (size_t)(st->to - want);
	memcpy(pr->buf + pr->have, p + (want - pos), take);
	pr->have += take;
}

/* Fills a probe and, once its window is complete (or cut by the end of
 * the region or file), tests it; a good one starts the inflater. *keep
 * says whether it is still waiting for bytes. */
static int probe_step(struct ruststate *st, struct probe *pr, const unsigned char *p, size_t n, uint64_t pos,
		      bool at_end, bool *keep)
{
	probe_fill(st, pr, p, n, pos);
	*keep = !(pr->have == PROBE_LEN || pr->off + pr->have >= st->to || at_end);
	if (*keep)
		return BOSUN_OK;
	bool ok = false;
	TRY(probe_ok(st, pr, &ok));
	return ok ? start_inflate(st, pr, p, n, pos) : BOSUN_OK;
}

/* Pending probes, oldest first, with this piece. */
static int feed_probes(struct ruststate *st, const unsigned char *p, size_t n, uint64_t pos, bool at_end)
{
	size_t k = 0;
	for (size_t i = 0; i < st->nprobes && !st->inflating && !st->done; i++) {
		struct probe pr = st->probes[i];
		bool keep;
		TRY(probe_step(st, &pr, p, n, pos, at_end, &keep));
		if (keep)
			st->probes[k++] = pr;
	}
	if (!st->inflating && !st->done)
		st->nprobes = k;
	return BOSUN_OK;
}

/* A new candidate at off: probed right away when the piece holds its
 * window, kept pending otherwise (while there is room). */
static int candidate(struct ruststate *st, uint64_t off, const unsigned char *p, size_t n, uint64_t pos,
		     unsigned char first)
{
	struct probe pr = { .off = off };
	if (off < pos) { /* its first byte ended the previous piece */
		pr.buf[0] = first;
		pr.have = 1;
	}
	bool keep;
	TRY(probe_step(st, &pr, p, n, pos, false, &keep));
	if (keep && st->nprobes < MAX_PROBES)
		st->probes[st->nprobes++] = pr;
	return BOSUN_OK;
}

/* New zlib headers in the piece's part of the region, including one whose
 * first byte ended the previous piece. Stops when one is accepted. */
static int find_headers(struct ruststate *st, const unsigned char *p, size_t n, uint64_t pos)
{
	uint64_t a = st->from > pos ? st->from : pos, b = st->to < pos + n ? st->to : pos + n;
	bool split = st->last78 && a == pos && a < b && zlib_header(0x78, p[0]);
	st->last78 = false;
	if (split)
		TRY(candidate(st, pos - 1, p, n, pos, 0x78));
	for (uint64_t o = a; o < b && !st->inflating && !st->done; o++) {
		const unsigned char *q = memchr(p + (o - pos), 0x78, (size_t)(b - o));
		if (!q)
			break;
		o = pos + (uint64_t)(q - p);
		if (o + 1 == b)
			st->last78 = b == pos + n; /* its second byte comes with the next piece */
		else if (zlib_header(q[0], q[1]))
			TRY(candidate(st, o, p, n, pos, 0));
	}
	return BOSUN_OK;
}

/* PE/Mach-O: the section itself starts the stream. */
static int exact_header(struct ruststate *st, const unsigned char *p, size_t n, uint64_t pos)
{
	if (pos <= st->from && st->from < pos + n)
		return candidate(st, st->from, p, n, pos, 0);
	return BOSUN_OK;
}

/* Which bytes to watch, once the headers are parsed. */
static void plan(struct ruststate *st)
{
	const struct es_info *in = &st->es.info;
	st->planned = true;
	st->from = st->to = 0;
	if (in->fmt == EXE_ELF) {
		st->from = in->load_end;
		st->to = st->es.size;
		return;
	}
	for (size_t i = 0; i < in->nsegs; i++) {
		if (strcmp(in->segs[i].name, ".dep-v0") == 0) {
			st->from = in->segs[i].off;
			st->to = in->segs[i].off + in->segs[i].filesz;
			st->exact = true;
			return;
		}
	}
}

static int watch(struct ruststate *st, const unsigned char *p, size_t n, uint64_t pos)
{
	if (st->inflating)
		return inflate_more(st, p, n);
	TRY(feed_probes(st, p, n, pos, false));
	if (st->inflating || st->done)
		return BOSUN_OK;
	return st->exact ? exact_header(st, p, n, pos) : find_headers(st, p, n, pos);
}

static bool rust_stream_wants(const struct stream_file *f)
{
	size_t n = strlen(f->path);
	return S_ISREG(f->mode) && f->size >= 64 && f->size <= RUST_FILE_MAX &&
	       ((f->mode & 0111) || langpkg_has_suffix(f->path, n, ".exe"));
}

static void *rust_stream_begin(const struct stream_file *f, const unsigned char *head, size_t headlen)
{
	if (es_sniff(head, headlen) == EXE_NONE)
		return NULL;
	struct ruststate *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->path = strdup(f->path);
	if (!st->path || es_init(&st->es, head, headlen, f->size, RUST_TABLE_BUDGET) != BOSUN_OK) {
		free(st->path);
		free(st);
		return NULL;
	}
	return st;
}

static int rust_stream_data(void *state, const unsigned char *p, size_t n)
{
	struct ruststate *st = state;
	TRY(es_feed(&st->es, p, n));
	uint64_t pos = st->es.pos;
	int rc = BOSUN_OK;
	if (st->es.ready && !st->es.bad && !st->planned)
		plan(st);
	if (st->planned && st->to > st->from && !st->done)
		rc = watch(st, p, n, pos);
	es_advance(&st->es);
	if (rc)
		return rc;
	bool nothing = st->es.bad || (st->planned && st->to <= st->from) ||
		       (st->planned && st->exact && !st->inflating && st->nprobes == 0 && pos + n > st->from);
	return st->done || nothing ? STREAM_DONE : BOSUN_OK;
}

static int rust_stream_end(void *state, bool complete, struct artifact *out, struct berr *e)
{
	(void)complete;
	(void)e;
	struct ruststate *st = state;
	int rc = BOSUN_OK;
	if (!st->done && st->nprobes && !st->inflating)
		rc = feed_probes(st, NULL, 0, st->es.pos, true);
	if (!rc && st->done && st->jlen)
		rc = cargo_auditable_parse((const char *)st->json, st->jlen, st->path, out);
	else if (!rc && st->inflating)
		artifact_warn(out, "cargo-auditable: %s: the dependency list is cut short", st->path);
	es_free(&st->es);
	free(st->inf);
	free(st->json);
	free(st->path);
	free(st);
	return rc;
}

/* ---- Cargo.lock in project trees ---- */

static bool rust_wants(const char *path, size_t len)
{
	return strcmp(langpkg_basename(path), "Cargo.lock") == 0 && len;
}

struct rctx {
	struct artifact *a;
};

static int each_lock(const struct scan_file *f, void *ctx)
{
	struct rctx *c = ctx;
	if (!f->data) {
		if (f->too_large)
			artifact_warn(c->a, "Cargo.lock: %s: too large, skipped", f->path);
		return BOSUN_OK;
	}
	return cargo_lock_parse((const char *)f->data, f->size, f->path, c->a);
}

static int rust_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	if (!view_is_project(v))
		return BOSUN_OK;
	struct rctx c = { a };
	int rc = view_each_wanted(v, &analyzer_rust, each_lock, &c);
	return rc ? berr_set(e, rc, "rust: %s", bosun_strerror(rc)) : BOSUN_OK;
}

const struct analyzer analyzer_rust = {
	.name = "rust",
	.version = 1,
	.wants = rust_wants,
	.analyze = rust_analyze,
	.stream_wants = rust_stream_wants,
	.stream_begin = rust_stream_begin,
	.stream_data = rust_stream_data,
	.stream_end = rust_stream_end,
};
