/* Streaming during the walk: a regular file is offered once, with its
 * first bytes, to every streaming analyzer and every content scanner;
 * those that take it see all of its bytes in order while the walk reads
 * them, so large archives and binaries are analysed (and every file
 * scanned for secrets and malware) without being held in memory or read
 * twice. */
#include "image/layer.h"

#include <string.h>

#define MAX_CONSUMERS 48

bool layer_any_streaming(const struct walk_shared *sh)
{
	if (sh->nscanners)
		return true;
	for (int i = 0; sh->analyzers[i]; i++)
		if (sh->analyzers[i]->stream_begin)
			return true;
	return false;
}

/* One taker of the file: a streaming analyzer or a content scanner. */
struct consumer {
	const struct analyzer *an;       /* exactly one of an, sc */
	const struct content_scanner *sc;
	void *state;
	bool done; /* asked for no more data */
};

static const char *consumer_name(const struct consumer *c) { return c->an ? c->an->name : c->sc->name; }

static int feed(struct consumer *c, int n, const unsigned char *p, size_t len, int *live, struct berr *e)
{
	if (!len) /* an empty file: takers see no data call at all */
		return BOSUN_OK;
	for (int i = 0; i < n; i++) {
		if (c[i].done)
			continue;
		int rc = c[i].an ? c[i].an->stream_data(c[i].state, p, len) : c[i].sc->data(c[i].state, p, len);
		if (rc == STREAM_DONE) {
			c[i].done = true;
			(*live)--;
		} else if (rc) {
			return berr_set(e, rc, "%s %s failed", consumer_name(&c[i]), c[i].an ? "analyzer" : "scanner");
		}
	}
	return BOSUN_OK;
}

/* Every state is ended exactly once, also after an error. */
static int finish(struct consumer *c, int n, bool complete, struct layer_result *r, struct berr *e)
{
	int rc = BOSUN_OK;
	r->streamed.silent = true; /* warnings are printed once, when the scan copies them */
	for (int i = 0; i < n; i++) {
		struct berr ie = { 0 };
		int rc2 = c[i].an ? c[i].an->stream_end(c[i].state, complete, &r->streamed, &ie)
				  : c[i].sc->end(c[i].state, complete, &r->findings, &ie);
		if (rc2 && !rc) {
			rc = rc2;
			*e = ie;
		}
	}
	return rc;
}

static bool analyzer_wants(const struct analyzer *an, const struct stream_file *f)
{
	return an->stream_begin && (!an->stream_wants || an->stream_wants(f));
}

static bool scanner_wants(const struct content_scanner *sc, const struct stream_file *f)
{
	return !sc->wants || sc->wants(sc->ctx, f);
}

bool layer_stream_wanted(const struct walk_shared *sh, const struct stream_file *f)
{
	for (int i = 0; sh->analyzers[i]; i++)
		if (analyzer_wants(sh->analyzers[i], f))
			return true;
	for (size_t i = 0; i < sh->nscanners; i++)
		if (scanner_wants(&sh->scanners[i], f))
			return true;
	return false;
}

/* Asks everyone who wants f whether they take it, given its first bytes. */
static int begin_all(const struct walk_shared *sh, const struct stream_file *f, bool with_analyzers,
		     const unsigned char *head, size_t hl, struct consumer *c)
{
	int n = 0;
	for (int i = 0; with_analyzers && sh->analyzers[i] && n < MAX_CONSUMERS; i++) {
		const struct analyzer *an = sh->analyzers[i];
		if (!analyzer_wants(an, f))
			continue;
		void *st = an->stream_begin(f, head, hl);
		if (st)
			c[n++] = (struct consumer){ .an = an, .state = st };
	}
	for (size_t i = 0; i < sh->nscanners && n < MAX_CONSUMERS; i++) {
		const struct content_scanner *sc = &sh->scanners[i];
		if (!scanner_wants(sc, f))
			continue;
		void *st = sc->begin(sc->ctx, f, head, hl);
		if (st)
			c[n++] = (struct consumer){ .sc = sc, .state = st };
	}
	return n;
}

int layer_scan_captured(struct layer_result *r, struct walk_shared *sh, const struct stream_file *f,
			const unsigned char *data, size_t n, struct berr *e)
{
	if (!sh->nscanners)
		return BOSUN_OK;
	struct consumer c[MAX_CONSUMERS];
	size_t hl = n < STREAM_HEAD_BYTES ? n : STREAM_HEAD_BYTES;
	int nc = begin_all(sh, f, false, data, hl, c);
	if (!nc)
		return BOSUN_OK;
	int live = nc;
	int rc = n ? feed(c, nc, data, n, &live, e) : BOSUN_OK;
	struct berr fe = { 0 };
	int frc = finish(c, nc, rc == BOSUN_OK, r, &fe);
	if (!rc && frc) {
		*e = fe;
		rc = frc;
	}
	return rc;
}

int layer_stream_file(struct layer_result *r, struct walk_shared *sh, const struct stream_file *f,
		      file_reader_fn read, void *ctx, struct berr *e)
{
	if (!layer_stream_wanted(sh, f))
		return BOSUN_OK;
	unsigned char head[STREAM_HEAD_BYTES];
	size_t hl = 0;
	const unsigned char *rest = NULL;
	size_t restlen = 0;
	bool eof = false;
	while (hl < sizeof head) {
		const unsigned char *p;
		size_t n;
		TRY(read(ctx, &p, &n, e));
		if (!n) {
			eof = true;
			break;
		}
		size_t take = n < sizeof head - hl ? n : sizeof head - hl;
		memcpy(head + hl, p, take);
		hl += take;
		if (take < n) {
			rest = p + take; /* valid until the next read() */
			restlen = n - take;
		}
	}
	struct consumer c[MAX_CONSUMERS];
	int nc = begin_all(sh, f, true, head, hl, c);
	if (!nc)
		return BOSUN_OK;
	int live = nc;
	int rc = feed(c, nc, head, hl, &live, e);
	if (!rc && restlen)
		rc = feed(c, nc, rest, restlen, &live, e);
	while (!rc && !eof && live > 0) {
		const unsigned char *p;
		size_t n;
		rc = read(ctx, &p, &n, e);
		if (rc)
			break;
		if (!n) {
			eof = true;
			break;
		}
		rc = feed(c, nc, p, n, &live, e);
	}
	struct berr fe = { 0 };
	int frc = finish(c, nc, eof && !rc, r, &fe);
	if (!rc && frc) {
		*e = fe;
		rc = frc;
	}
	return rc;
}
