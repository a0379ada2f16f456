/* Streaming analyzers during the walk: a file is offered once, with its
 * first bytes, to every analyzer that has stream hooks; those that take it
 * see all of its bytes in order while the walk reads them, so large
 * archives and binaries are analysed without being held in memory. */
#include "image/layer.h"

#include <string.h>

#define MAX_ANALYZERS 32

bool layer_any_streaming(const struct walk_shared *sh)
{
	for (int i = 0; sh->analyzers[i]; i++)
		if (sh->analyzers[i]->stream_begin)
			return true;
	return false;
}

struct active {
	const struct analyzer *an;
	void *state;
	bool done; /* asked for no more data */
};

static int feed(struct active *act, int n, const unsigned char *p, size_t len, int *live, struct berr *e)
{
	for (int i = 0; i < n; i++) {
		if (act[i].done)
			continue;
		int rc = act[i].an->stream_data(act[i].state, p, len);
		if (rc == STREAM_DONE) {
			act[i].done = true;
			(*live)--;
		} else if (rc) {
			return berr_set(e, rc, "%s analyzer failed", act[i].an->name);
		}
	}
	return BOSUN_OK;
}

static int finish(struct active *act, int n, bool complete, struct layer_result *r, struct berr *e)
{
	int rc = BOSUN_OK;
	r->streamed.silent = true; /* warnings are printed once, when the scan copies them */
	for (int i = 0; i < n; i++) {
		struct berr ie = { 0 };
		int rc2 = act[i].an->stream_end(act[i].state, complete, &r->streamed, &ie);
		if (rc2 && !rc) {
			rc = rc2;
			*e = ie;
		}
	}
	return rc;
}

bool layer_stream_wanted(const struct walk_shared *sh, const struct stream_file *f)
{
	for (int i = 0; sh->analyzers[i]; i++) {
		const struct analyzer *an = sh->analyzers[i];
		if (an->stream_begin && (!an->stream_wants || an->stream_wants(f)))
			return true;
	}
	return false;
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
	struct active act[MAX_ANALYZERS];
	int nact = 0;
	for (int i = 0; sh->analyzers[i] && nact < MAX_ANALYZERS; i++) {
		const struct analyzer *an = sh->analyzers[i];
		if (!an->stream_begin || (an->stream_wants && !an->stream_wants(f)))
			continue;
		void *st = an->stream_begin(f, head, hl);
		if (st)
			act[nact++] = (struct active){ an, st, false };
	}
	if (!nact)
		return BOSUN_OK;
	int live = nact;
	int rc = feed(act, nact, head, hl, &live, e);
	if (!rc && restlen)
		rc = feed(act, nact, rest, restlen, &live, e);
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
		rc = feed(act, nact, p, n, &live, e);
	}
	struct berr fe = { 0 };
	int frc = finish(act, nact, eof && !rc, r, &fe);
	if (!rc && frc) {
		*e = fe;
		rc = frc;
	}
	return rc;
}
