/* The layer pipeline. Two threads per layer so that decompression overlaps
 * hashing and parsing (gzip inflation of one big layer otherwise dominates):
 *
 *   producer: pread blob -> sha256(blob) -> inflate/zstd -> chunk queue
 *   consumer: chunk queue -> sha256(diff_id) -> tar reader -> entries
 *
 * Memory is bounded by the chunk pool (LW_NBUF x LW_CHUNK), whatever the
 * layer size. Nothing is written to disk. */
#include "image/archive.h"
#include "image/decompress.h"
#include "image/layer.h"
#include "image/path.h"
#include "image/tar.h"
#include "util/sha256.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LW_CHUNK (1u << 20)
#define LW_NBUF 4
#define LW_INBUF (256u << 10)

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *bufs[LW_NBUF];
	size_t lens[LW_NBUF];
	int queue[LW_NBUF]; /* FIFO of filled buffer indexes */
	int qhead, qlen;
	int free_list[LW_NBUF];
	int nfree;
	bool done;          /* producer finished (successfully or not) */
	bool abort;         /* consumer gave up */
	int rc;             /* producer's result */
	struct berr err;
	/* producer inputs/outputs */
	const struct image_layer *layer;
	struct walk_shared *sh;
	char blob_digest[72];
	enum compression comp;
	uint64_t out_bytes;
	/* consumer side */
	int held;           /* buffer currently lent to the tar reader, -1 none */
	struct sha256 diff_hash;
	uint64_t consumed;
};

static int take_free(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0 && !p->abort)
		pthread_cond_wait(&p->cv, &p->mu);
	int b = p->abort ? -1 : p->free_list[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return b;
}

static void push_full(struct pipe *p, int b, size_t len)
{
	pthread_mutex_lock(&p->mu);
	p->lens[b] = len;
	p->queue[(p->qhead + p->qlen) % LW_NBUF] = b;
	p->qlen++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static int check_limits(struct pipe *p, uint64_t add, uint64_t in_bytes, struct berr *e)
{
	const struct scan_limits *lim = p->sh->limits;
	p->out_bytes += add;
	uint64_t total = atomic_fetch_add(&p->sh->image_bytes, add) + add;
	if (total > lim->max_image_bytes)
		return berr_set(e, BOSUN_ELIMIT,
				"image exceeds %llu uncompressed bytes (decompression bomb? raise --max-image-size)",
				(unsigned long long)lim->max_image_bytes);
	if (p->out_bytes > (1ull << 30) && in_bytes && p->out_bytes / in_bytes > lim->max_ratio)
		return berr_set(e, BOSUN_ELIMIT, "layer expands more than %u:1 (decompression bomb)", lim->max_ratio);
	return BOSUN_OK;
}

static int produce(struct pipe *p, struct berr *e)
{
	const struct blob_ref *b = &p->layer->blob;
	struct sha256 blob_hash;
	TRY(sha256_init(&blob_hash));
	unsigned char *in = malloc(LW_INBUF);
	struct decoder *dec = NULL;
	int rc = in ? BOSUN_OK : BOSUN_ENOMEM;
	uint64_t pos = 0;
	size_t in_len = 0, in_pos = 0;
	bool finished = false;
	int cur = -1;
	size_t cur_len = 0;
	bool first = true;

	while (!rc) {
		if (atomic_load(&p->sh->abort)) {
			rc = berr_set(e, BOSUN_EIO, "cancelled");
			break;
		}
		if (in_pos == in_len && pos < b->len) {
			size_t want = b->len - pos < LW_INBUF ? (size_t)(b->len - pos) : LW_INBUF;
			ssize_t n = pread(b->fd, in, want, (off_t)(b->off + pos));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				rc = n < 0 ? berr_set(e, BOSUN_EIO, "read failed: %s", strerror(errno))
					   : berr_set(e, BOSUN_EFORMAT, "blob is truncated");
				break;
			}
			sha256_update(&blob_hash, in, (size_t)n);
			pos += (uint64_t)n;
			in_len = (size_t)n;
			in_pos = 0;
			if (first) {
				first = false;
				p->comp = compression_detect(in, in_len);
				if (p->comp != COMP_NONE && (rc = decoder_new(&dec, p->comp, e)))
					break;
			}
		}
		if (in_pos == in_len && pos >= b->len)
			break; /* all input consumed */
		if (cur < 0) {
			cur = take_free(p);
			cur_len = 0;
			if (cur < 0)
				break; /* consumer aborted */
		}
		size_t used = 0, made = 0;
		if (p->comp == COMP_NONE) {
			made = in_len - in_pos < LW_CHUNK - cur_len ? in_len - in_pos : LW_CHUNK - cur_len;
			memcpy(p->bufs[cur] + cur_len, in + in_pos, made);
			used = made;
		} else {
			/* After the end of a stream the decoder still runs: it
			 * accepts further gzip members or zero padding only. */
			rc = decoder_run(dec, in + in_pos, in_len - in_pos, &used, p->bufs[cur] + cur_len,
					 LW_CHUNK - cur_len, &made, &finished, e);
			if (rc)
				break;
		}
		in_pos += used;
		cur_len += made;
		if (made && (rc = check_limits(p, made, pos, e)))
			break;
		if (cur_len == LW_CHUNK) {
			push_full(p, cur, cur_len);
			cur = -1;
		}
	}
	if (!rc && p->comp != COMP_NONE && !first && !finished)
		rc = berr_set(e, BOSUN_EFORMAT, "%s stream is truncated", compression_name(p->comp));
	if (!rc && cur >= 0 && cur_len)
		push_full(p, cur, cur_len);
	else if (cur >= 0) {
		pthread_mutex_lock(&p->mu);
		p->free_list[p->nfree++] = cur;
		pthread_mutex_unlock(&p->mu);
	}
	sha256_final_digest(&blob_hash, p->blob_digest);
	decoder_free(dec);
	free(in);
	return rc;
}

static void *producer_main(void *arg)
{
	struct pipe *p = arg;
	struct berr e = { 0 };
	int rc = produce(p, &e);
	pthread_mutex_lock(&p->mu);
	p->rc = rc;
	p->err = e;
	p->done = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* chunk_source for the tar reader: returns the held buffer to the pool and
 * takes the next filled one, hashing it for the diff_id on the way. */
static int consumer_next(void *ctx, const unsigned char **out, size_t *len, struct berr *e)
{
	struct pipe *p = ctx;
	pthread_mutex_lock(&p->mu);
	if (p->held >= 0) {
		p->free_list[p->nfree++] = p->held;
		p->held = -1;
		pthread_cond_broadcast(&p->cv);
	}
	while (p->qlen == 0 && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->qlen == 0) {
		int rc = p->rc;
		if (rc)
			berr_set(e, rc, "%s", p->err.msg);
		pthread_mutex_unlock(&p->mu);
		*len = 0;
		return rc;
	}
	int b = p->queue[p->qhead];
	p->qhead = (p->qhead + 1) % LW_NBUF;
	p->qlen--;
	p->held = b;
	size_t n = p->lens[b];
	pthread_mutex_unlock(&p->mu);
	sha256_update(&p->diff_hash, p->bufs[b], n);
	p->consumed += n;
	*out = p->bufs[b];
	*len = n;
	return BOSUN_OK;
}

static uint32_t tar_mode(const struct tar_entry *t)
{
	switch (t->type) {
	case TAR_REG: return S_IFREG | t->mode;
	case TAR_HARDLINK: return S_IFREG | t->mode;
	case TAR_SYMLINK: return S_IFLNK | t->mode;
	case TAR_DIR: return S_IFDIR | t->mode;
	case TAR_CHAR: return S_IFCHR | t->mode;
	case TAR_BLOCK: return S_IFBLK | t->mode;
	case TAR_FIFO: return S_IFIFO | t->mode;
	case TAR_OTHER: break;
	}
	return S_IFREG | t->mode;
}

static int capture(struct tar_reader *t, struct layer_result *r, struct layer_entry *ent, const struct tar_entry *te,
		   struct walk_shared *sh, struct berr *e)
{
	const struct scan_limits *lim = sh->limits;
	if (te->sparse) {
		layer_result_warn(r, "%s: sparse file, content not analysed", ent->path);
		ent->too_large = true;
		return BOSUN_OK;
	}
	if (te->size > lim->max_capture_bytes) {
		layer_result_warn(r, "%s: %llu bytes is above the analysis limit, skipped", ent->path,
				  (unsigned long long)te->size);
		ent->too_large = true;
		return BOSUN_OK;
	}
	TRY(layer_capture_reserve(sh, ent->path, te->size, e));
	unsigned char *data = arena_alloc(&r->arena, (size_t)te->size + 1);
	if (!data)
		return BOSUN_ENOMEM;
	size_t got = 0;
	for (;;) {
		const unsigned char *p;
		size_t n;
		TRY(tar_data(t, &p, &n, e));
		if (!n)
			break;
		memcpy(data + got, p, n);
		got += n;
	}
	data[got] = '\0'; /* convenience for text parsers; not counted in data_len */
	ent->data = data;
	ent->data_len = got;
	return BOSUN_OK;
}

/* Hard links refer to an earlier entry of the same layer. */
static void resolve_hardlink(struct layer_result *r, struct layer_entry *ent, const char *target)
{
	char norm[4096];
	if (path_normalize(target, strlen(target), norm, sizeof norm) != PATH_OK) {
		layer_result_warn(r, "%s: hard link to invalid name '%s' ignored", ent->path, target);
		return;
	}
	uintptr_t idx = (uintptr_t)strmap_get(&r->index, norm);
	if (!idx || idx - 1 >= r->nentries || &r->entries[idx - 1] == ent) {
		layer_result_warn(r, "%s: hard link to missing target %s", ent->path, norm);
		return;
	}
	const struct layer_entry *tgt = &r->entries[idx - 1];
	ent->mode = tgt->mode;
	ent->size = tgt->size;
	ent->data = tgt->data;
	ent->data_len = tgt->data_len;
	ent->too_large = tgt->too_large;
	if (ent->wanted && !tgt->data && !tgt->too_large && S_ISREG(tgt->mode))
		layer_result_warn(r, "%s: hard link target %s was not captured", ent->path, norm);
}

static int tar_reader_data(void *ctx, const unsigned char **p, size_t *n, struct berr *e)
{
	return tar_data(ctx, p, n, e);
}

static int walk_entries(struct tar_reader *t, struct walk_shared *sh, struct layer_result *r, struct berr *e)
{
	char norm[4096];
	bool streaming = layer_any_streaming(sh);
	for (;;) {
		struct tar_entry te;
		bool end;
		TRY(tar_next(t, &te, &end, e));
		if (end)
			return BOSUN_OK;
		if (atomic_load(&sh->abort))
			return berr_set(e, BOSUN_EIO, "cancelled");
		r->tar_entries++;
		if (te.name[0] == '/')
			layer_result_warn(r, "entry '%s' has an absolute name: taken relative to the image root", te.name);
		enum path_result pr = path_normalize(te.name, strlen(te.name), norm, sizeof norm);
		if (pr == PATH_DOTDOT) {
			layer_result_warn(r, "entry '%s' has a '..' component: ignored", te.name);
			continue;
		}
		if (pr == PATH_TOO_LONG) {
			layer_result_warn(r, "entry name of %zu bytes is too long: ignored", strlen(te.name));
			continue;
		}
		if (pr != PATH_OK)
			continue; /* the root directory itself */
		if (te.type == TAR_OTHER)
			continue;
		bool too_large = te.size > sh->limits->max_file_bytes;
		if (too_large)
			layer_result_warn(r, "%s: %llu bytes exceeds --max-file-size, content skipped", norm,
					  (unsigned long long)te.size);
		struct layer_entry *ent;
		TRY(layer_result_add(r, sh, norm, tar_mode(&te), te.size,
				     te.type == TAR_SYMLINK ? te.link : NULL, &ent, e));
		if (!ent)
			continue; /* whiteout */
		/* Analyzers tell "skipped for size" from "absent" by this flag. */
		ent->too_large = too_large && te.type == TAR_REG;
		if (te.type == TAR_HARDLINK)
			resolve_hardlink(r, ent, te.link);
		else if (ent->wanted && te.type == TAR_REG && !too_large) {
			TRY(capture(t, r, ent, &te, sh, e));
			if (ent->data) {
				struct stream_file sf = { ent->path, te.size, ent->mode, r->layer_index };
				TRY(layer_scan_captured(r, sh, &sf, ent->data, ent->data_len, e));
			}
		} else if (streaming && te.type == TAR_REG && !too_large && !te.sparse) {
			struct stream_file sf = { ent->path, te.size, ent->mode, r->layer_index };
			TRY(layer_stream_file(r, sh, &sf, tar_reader_data, t, e));
		}
	}
}

static int consume(struct pipe *p, struct layer_result *r, struct berr *e)
{
	struct tar_reader t;
	tar_init(&t, (struct chunk_source){ consumer_next, NULL, NULL, p });
	int rc = walk_entries(&t, p->sh, r, e);
	/* The diff_id covers the whole stream, including the zero blocks and
	 * padding after the end-of-archive marker. */
	while (!rc) {
		const unsigned char *c;
		size_t n;
		rc = consumer_next(p, &c, &n, e);
		if (!rc && n == 0)
			break;
	}
	tar_free(&t);
	return rc;
}

int layer_walk(const struct image_layer *layer, int index, struct walk_shared *sh, struct layer_result *r,
	       struct berr *e)
{
	memset(r, 0, sizeof *r);
	r->layer_index = index;
	struct pipe p;
	memset(&p, 0, sizeof p);
	p.layer = layer;
	p.sh = sh;
	p.held = -1;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	int rc = sha256_init(&p.diff_hash);
	for (int i = 0; i < LW_NBUF && !rc; i++) {
		p.bufs[i] = malloc(LW_CHUNK);
		if (!p.bufs[i])
			rc = BOSUN_ENOMEM;
		else
			p.free_list[p.nfree++] = i;
	}
	pthread_t th;
	bool started = false;
	if (!rc) {
		if (pthread_create(&th, NULL, producer_main, &p) != 0)
			rc = berr_set(e, BOSUN_ENOMEM, "cannot start a thread");
		else
			started = true;
	}
	if (!rc)
		rc = consume(&p, r, e);
	if (started) {
		pthread_mutex_lock(&p.mu);
		p.abort = true;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		pthread_join(th, NULL);
		if (!rc && p.rc)
			rc = berr_set(e, p.rc, "%s", p.err.msg);
	}
	if (p.diff_hash.md_ctx)
		sha256_final_digest(&p.diff_hash, r->diff_id);
	r->bytes = p.consumed;
	const char *name = layer->digest ? layer->digest : layer->path;
	if (!rc && layer->digest && strcmp(layer->digest, p.blob_digest) != 0) {
		/* Docker 25 archives name uncompressed blobs by their digest too. */
		rc = berr_set(e, BOSUN_EDIGEST, "layer %d (%s): blob content has digest %s", index, name, p.blob_digest);
	}
	if (!rc && layer->diff_id && strcmp(layer->diff_id, r->diff_id) != 0)
		rc = berr_set(e, BOSUN_EDIGEST,
			      "layer %d (%s): uncompressed content has digest %s but the config's diff_id is %s "
			      "(tampered or corrupt layer)",
			      index, name, r->diff_id, layer->diff_id);
	else if (rc && rc != BOSUN_EDIGEST)
		berr_wrap(e, rc, "layer %d (%s)", index, name);
	for (int i = 0; i < LW_NBUF; i++)
		free(p.bufs[i]);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return rc;
}
