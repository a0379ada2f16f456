#include "scan/scan.h"
#include "analyze/analyzer.h"
#include "image/layer.h"
#include "image/view.h"
#include "util/log.h"
#include "util/strmap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void scan_options_default(struct scan_options *o)
{
	memset(o, 0, sizeof *o);
	o->image.limits = scan_limits_default();
	o->progress = true;
}

struct layer_slot {
	struct layer_result result;
	struct berr err;
	int rc;
	bool done;
	bool cancelled; /* failed after another layer had already failed */
};

struct pool {
	const struct image *img;
	struct walk_shared *sh;
	struct layer_slot *slots;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;
	size_t finished;
};

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next < p->img->nlayers && !atomic_load(&p->sh->abort) ? p->next++ : SIZE_MAX;
		pthread_mutex_unlock(&p->mu);
		if (i == SIZE_MAX)
			return NULL;
		struct layer_slot *s = &p->slots[i];
		s->rc = layer_walk(&p->img->layers[i], (int)i, p->sh, &s->result, &s->err);
		if (s->rc) {
			/* The first failure stops the other walks; theirs ("cancelled")
			 * must not be what the user sees. */
			int expected = 0;
			s->cancelled = !atomic_compare_exchange_strong(&p->sh->abort, &expected, 1);
		}
		pthread_mutex_lock(&p->mu);
		s->done = true;
		p->finished++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static void copy_layer_warnings(struct artifact *a, const struct layer_result *r, int index)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (index >= 0)
			artifact_warn(a, "layer %d: %s", index, r->warnings[i]);
		else
			artifact_warn(a, "%s", r->warnings[i]);
	if (r->dropped_warnings)
		artifact_warn(a, "layer %d: %zu more warnings not shown", index, r->dropped_warnings);
}

static void record_layer(struct artifact *a, const struct image_layer *L, const struct layer_result *r, size_t i)
{
	struct layer_info *li = &a->layers[i];
	li->digest = arena_strdup(&a->arena, L->digest);
	li->diff_id = arena_strdup(&a->arena, r->diff_id[0] ? r->diff_id : L->diff_id);
	li->media_type = arena_strdup(&a->arena, L->media_type);
	li->size = L->blob.len;
	li->created_by = arena_strdup(&a->arena, L->created_by);
	li->entries = r->tar_entries;
	li->whiteouts = r->nwhiteouts + r->nopaques;
}

/* Content-scanner findings of layer `index` (-1 for a root filesystem),
 * before the view takes the layer over. */
static int take_findings(struct artifact *a, const struct layer_result *r, int index)
{
	size_t first = a->findings.n;
	TRY(finding_list_append(&a->findings, &r->findings));
	for (size_t i = first; i < a->findings.n; i++)
		a->findings.v[i].layer = index;
	return BOSUN_OK;
}

/* A finding in a file that an upper layer deleted or replaced is still in
 * the image (anyone who pulls it gets the layer), but says so. */
static void mark_hidden_findings(const struct scan_view *view, struct artifact *a)
{
	for (size_t i = 0; i < a->findings.n; i++) {
		struct finding *f = &a->findings.v[i];
		if (f->path && f->layer >= 0)
			f->deleted = view_path_layer(view, f->path) != f->layer;
	}
}

/* Walks the layers with `jobs` workers and merges them in order as soon as
 * each is ready, so finished layers do not wait for the slowest one. */
static int walk_image(const struct image *img, const struct scan_options *opt, struct walk_shared *sh,
		      struct scan_view *view, struct artifact *a, struct berr *e)
{
	size_t n = img->nlayers;
	a->layers = arena_alloc(&a->arena, (n + 1) * sizeof *a->layers);
	if (!a->layers)
		return BOSUN_ENOMEM;
	memset(a->layers, 0, (n + 1) * sizeof *a->layers);
	a->nlayers = n;
	if (n == 0)
		return BOSUN_OK;
	struct pool p = { .img = img, .sh = sh };
	p.slots = calloc(n, sizeof *p.slots);
	if (!p.slots)
		return BOSUN_ENOMEM;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = opt->jobs > 0 ? opt->jobs : (int)(ncpu > 0 ? ncpu : 1);
	if ((size_t)jobs > n)
		jobs = (int)n;
	pthread_t *th = calloc((size_t)jobs, sizeof *th);
	int started = 0, rc = th ? BOSUN_OK : BOSUN_ENOMEM;
	for (int i = 0; i < jobs && !rc; i++) {
		if (pthread_create(&th[i], NULL, worker_main, &p) == 0)
			started++;
		else if (started == 0)
			rc = berr_set(e, BOSUN_ENOMEM, "cannot start worker threads");
	}
	for (size_t i = 0; i < n && !rc; i++) {
		pthread_mutex_lock(&p.mu);
		while (!p.slots[i].done) {
			/* Wake up now and then to show how far the walk has got. */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 250 * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&p.cv, &p.mu, &until);
			if (opt->progress && !p.slots[i].done)
				log_progress("analysing layers: %zu of %zu done, %llu MB uncompressed", p.finished, n,
					     (unsigned long long)(atomic_load(&sh->image_bytes) >> 20));
		}
		pthread_mutex_unlock(&p.mu);
		struct layer_slot *s = &p.slots[i];
		if (s->rc) {
			rc = s->rc;
			*e = s->err;
			break;
		}
		record_layer(a, &img->layers[i], &s->result, i);
		copy_layer_warnings(a, &s->result, (int)i);
		rc = take_findings(a, &s->result, (int)i);
		if (!rc)
			rc = view_apply_layer(view, (int)i, &s->result);
	}
	if (rc)
		atomic_store(&sh->abort, 1);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	/* A layer that failed only because a later one failed first reports
	 * the later one's error instead: the lowest layer that really failed. */
	for (size_t i = 0; rc && i < n; i++) {
		if (p.slots[i].done && p.slots[i].rc && !p.slots[i].cancelled) {
			rc = p.slots[i].rc;
			*e = p.slots[i].err;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		layer_result_free(&p.slots[i].result);
	free(th);
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	log_progress_done();
	return rc;
}

static void fill_metadata(struct artifact *a, const struct image *img, const char *target)
{
	a->target = arena_strdup(&a->arena, target);
	a->target_kind = arena_strdup(&a->arena, target_kind_name(img->kind));
	a->name = arena_strdup(&a->arena, img->name ? img->name : img->target);
	a->image_id = arena_strdup(&a->arena, img->config_digest);
	a->manifest_digest = arena_strdup(&a->arena, img->manifest_digest);
	a->architecture = arena_strdup(&a->arena, img->architecture);
	a->os_name = arena_strdup(&a->arena, img->os);
	a->variant = arena_strdup(&a->arena, img->variant);
	a->created = arena_strdup(&a->arena, img->created);
	a->config_json = arena_strdup(&a->arena, img->config_json);
	if (img->nrepo_tags) {
		a->repo_tags = arena_alloc(&a->arena, img->nrepo_tags * sizeof(char *));
		if (a->repo_tags) {
			for (size_t i = 0; i < img->nrepo_tags; i++)
				a->repo_tags[i] = arena_strdup(&a->arena, img->repo_tags[i]);
			a->nrepo_tags = img->nrepo_tags;
		}
	}
}

/* Packages from streamed files count only when that file, from that
 * layer, is what the final image shows (a jar deleted or replaced in an
 * upper layer is not in the image). */
static int collect_streamed(const struct scan_view *view, struct artifact *a)
{
	for (int i = 0; i < view_layer_count(view); i++) {
		const struct artifact *s = view_layer_streamed(view, i);
		if (!s)
			continue;
		for (size_t w = 0; w < s->nwarnings; w++)
			artifact_warn(a, "%s", s->warnings[w]);
		for (size_t k = 0; k < s->npkgs; k++) {
			const struct package *p = &s->pkgs[k];
			/* found_in may name a file inside an archive ("a.jar!/b.jar"):
			 * the outer file decides. */
			char outer[4096];
			snprintf(outer, sizeof outer, "%s", p->found_in ? p->found_in : "");
			char *bang = strstr(outer, "!/");
			if (bang)
				*bang = '\0';
			if (view_path_layer(view, outer) != i)
				continue;
			struct package *c = artifact_copy_package(a, p);
			if (!c)
				return BOSUN_ENOMEM;
			c->layer = a->nlayers ? i : -1;
		}
	}
	return BOSUN_OK;
}

/* Language packages found in files an OS package installed (Debian's
 * python3-yaml ships PyYAML's metadata) record that owner, so reports can
 * tell them apart and matching need not count the distro's packages twice. */
static int assign_owners(struct artifact *a)
{
	struct strmap owners = { 0 };
	int rc = BOSUN_OK;
	bool any_lang = false;
	for (size_t i = 0; i < a->npkgs; i++)
		any_lang |= !pkg_type_is_os(a->pkgs[i].type) && a->pkgs[i].found_in;
	if (!any_lang)
		return BOSUN_OK;
	for (size_t i = 0; i < a->npkgs && !rc; i++) {
		const struct package *p = &a->pkgs[i];
		if (!pkg_type_is_os(p->type))
			continue;
		for (size_t f = 0; f < p->nfiles && !rc; f++)
			if (!strmap_get(&owners, p->files[f]))
				rc = strmap_put(&owners, p->files[f], p->name);
	}
	for (size_t i = 0; i < a->npkgs && !rc; i++) {
		struct package *p = &a->pkgs[i];
		if (pkg_type_is_os(p->type) || !p->found_in || p->owner)
			continue;
		char outer[4096];
		snprintf(outer, sizeof outer, "%s", p->found_in);
		char *bang = strstr(outer, "!/");
		if (bang)
			*bang = '\0';
		const char *o = strmap_get(&owners, outer);
		if (o)
			p->owner = (char *)o; /* both live in a's arena */
	}
	strmap_free(&owners);
	return rc;
}

int scan_target(const char *target, const struct scan_options *opt, struct artifact *a, struct berr *e)
{
	struct image img;
	int rc = image_open(target, &opt->image, &img, e);
	if (rc) {
		image_close(&img);
		return rc;
	}
	fill_metadata(a, &img, target);
	if (opt->progress)
		log_progress("reading %s", img.target); /* starts the progress clock */
	struct walk_shared sh = { .limits = &opt->image.limits,
				  .analyzers = analyzers,
				  .scanners = opt->scanners,
				  .nscanners = opt->nscanners };
	struct scan_view *view = view_new(analyzers);
	if (!view) {
		image_close(&img);
		return BOSUN_ENOMEM;
	}
	view_set_project(view, img.kind == TARGET_FS);
	if (img.kind == TARGET_ROOTFS || img.kind == TARGET_FS) {
		struct layer_result r;
		if (opt->progress)
			log_progress("walking %s", img.target);
		rc = rootfs_walk(img.dirfd, &sh, &r, e);
		log_progress_done();
		if (!rc) {
			copy_layer_warnings(a, &r, -1);
			rc = take_findings(a, &r, -1);
		}
		if (!rc)
			rc = view_apply_layer(view, 0, &r);
		layer_result_free(&r);
	} else {
		rc = walk_image(&img, opt, &sh, view, a, e);
	}
	if (!rc)
		rc = collect_streamed(view, a);
	for (int i = 0; !rc && analyzers[i]; i++) {
		rc = analyzers[i]->analyze(view, a, e);
		if (rc)
			berr_wrap(e, rc, "%s analyzer", analyzers[i]->name);
	}
	if (!rc)
		rc = assign_owners(a);
	if (!rc)
		mark_hidden_findings(view, a);
	size_t nos = 0;
	for (size_t i = 0; i < a->npkgs; i++)
		nos += pkg_type_is_os(a->pkgs[i].type);
	if (!rc && nos && !a->os.found)
		artifact_warn(a, "the operating system could not be identified; %zu packages are reported without a "
				 "distro in their purls",
			      nos);
	if (!rc)
		rc = artifact_finish(a);
	/* After artifact_finish: checks read the final, de-duplicated packages. */
	if (!rc && opt->post_scan) {
		rc = opt->post_scan(opt->post_ctx, view, a, e);
		finding_list_sort(&a->findings);
	}
	view_free(view);
	image_close(&img);
	return rc;
}
