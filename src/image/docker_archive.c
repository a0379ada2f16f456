/* docker save / skopeo docker-archive tarballs: manifest.json lists, per
 * image, its config file, its repo tags and its layer tar paths (legacy
 * "<id>/layer.tar", skopeo's "<diffid>.tar", or Docker 25's OCI
 * "blobs/sha256/<hex>"). Layers are uncompressed by convention but we
 * detect compression anyway. */
#include "image/source.h"
#include "util/json.h"
#include "util/sha256.h"

#include <string.h>

/* "bosun/x:latest" should select "docker.io/bosun/x:latest", and "x" should
 * select "docker.io/library/x:latest", as the docker CLI would. */
static bool tag_matches(const char *want, const char *have)
{
	if (!strcmp(want, have))
		return true;
	char norm[1024];
	const char *w = want;
	bool has_tag = strrchr(w, ':') > strrchr(w, '/');
	const char *slash = strchr(w, '/');
	bool has_registry = slash && (memchr(w, '.', (size_t)(slash - w)) || memchr(w, ':', (size_t)(slash - w)) ||
				      !strncmp(w, "localhost/", 10));
	snprintf(norm, sizeof norm, "%s%s%s%s", has_registry ? "" : "docker.io/",
		 (!has_registry && !slash) ? "library/" : "", w, has_tag ? "" : ":latest");
	return !strcmp(norm, have);
}

static int pick_manifest(json_t *arr, const char *want, size_t *idx, struct berr *e)
{
	size_t n = json_array_size(arr);
	if (!want) {
		*idx = 0;
		return BOSUN_OK;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *tags = json_object_get(json_array_get(arr, i), "RepoTags");
		size_t j;
		json_t *t;
		json_array_foreach(tags, j, t)
		{
			if (json_is_string(t) && tag_matches(want, json_string_value(t))) {
				*idx = i;
				return BOSUN_OK;
			}
		}
	}
	char list[2048] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof list - 64; i++) {
		json_t *tags = json_object_get(json_array_get(arr, i), "RepoTags");
		size_t j;
		json_t *t;
		json_array_foreach(tags, j, t)
		{
			if (json_is_string(t) && used < sizeof list - 64)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
							 json_string_value(t));
		}
	}
	return berr_set(e, BOSUN_ENOTFOUND, "image %s is not in the archive (it has: %s)", want, used ? list : "no tags");
}

int docker_archive_open(struct image *img, const struct archive_index *ix, const struct image_options *opt,
			struct berr *e)
{
	struct buf b = { 0 };
	json_t *root = NULL;
	int rc = image_read_member(img, ix, "manifest.json", NULL, opt->limits.max_json_bytes, &b, e);
	if (!rc)
		rc = json_parse_bounded(b.data, b.len, IMAGE_JSON_MAX_DEPTH, "manifest.json", &root, e);
	buf_free(&b);
	if (rc)
		return rc;
	if (!json_is_array(root) || json_array_size(root) == 0) {
		json_decref(root);
		return berr_set(e, BOSUN_EFORMAT, "manifest.json is not a non-empty array");
	}
	size_t idx;
	if ((rc = pick_manifest(root, opt->image_ref, &idx, e))) {
		json_decref(root);
		return rc;
	}
	json_t *m = json_array_get(root, idx);
	const char *config = json_str(m, "Config");
	json_t *layers = json_object_get(m, "Layers");
	json_t *tags = json_object_get(m, "RepoTags");
	if (!config || !json_is_array(layers)) {
		json_decref(root);
		return berr_set(e, BOSUN_EFORMAT, "manifest.json entry %zu lacks Config or Layers", idx);
	}
	size_t nl = json_array_size(layers);
	if (nl > opt->limits.max_layers) {
		json_decref(root);
		return berr_set(e, BOSUN_ELIMIT, "image has %zu layers (limit %u)", nl, opt->limits.max_layers);
	}
	img->nrepo_tags = json_is_array(tags) ? json_array_size(tags) : 0;
	img->repo_tags = arena_alloc(&img->arena, (img->nrepo_tags + 1) * sizeof(char *));
	img->layers = arena_alloc(&img->arena, (nl + 1) * sizeof *img->layers);
	if (!img->repo_tags || !img->layers) {
		json_decref(root);
		return BOSUN_ENOMEM;
	}
	size_t ntags = 0;
	for (size_t i = 0; i < img->nrepo_tags; i++) {
		const char *t = json_string_value(json_array_get(tags, i));
		if (t)
			img->repo_tags[ntags++] = arena_strdup(&img->arena, t);
	}
	img->nrepo_tags = ntags;
	img->name = ntags ? img->repo_tags[0] : NULL;
	if (opt->image_ref) {
		for (size_t i = 0; i < ntags; i++)
			if (tag_matches(opt->image_ref, img->repo_tags[i]))
				img->name = img->repo_tags[i];
	}
	memset(img->layers, 0, (nl + 1) * sizeof *img->layers);
	/* image_close() closes every layer fd that is not the archive's: one
	 * left at 0 after an error below would close stdin. */
	for (size_t i = 0; i < nl; i++)
		img->layers[i].blob.fd = -1;
	img->nlayers = nl;
	for (size_t i = 0; i < nl && !rc; i++) {
		const char *lp = json_string_value(json_array_get(layers, i));
		struct image_layer *L = &img->layers[i];
		if (!lp) {
			rc = berr_set(e, BOSUN_EFORMAT, "manifest.json: layer %zu is not a string", i);
			break;
		}
		L->path = arena_strdup(&img->arena, lp);
		rc = archive_lookup(ix, lp, &L->blob, img->fd, e);
		if (rc)
			rc = berr_wrap(e, rc, "manifest.json names layer %zu", i);
		/* Docker 25 stores OCI blobs: their names carry the digest to verify. */
		if (!rc && !strncmp(lp, "blobs/sha256/", 13) && strlen(lp) == 13 + 64) {
			L->digest = arena_printf(&img->arena, "sha256:%s", lp + 13);
			if (!digest_valid(L->digest))
				L->digest = NULL;
		}
	}
	struct blob_ref cref;
	if (!rc)
		rc = archive_lookup(ix, config, &cref, img->fd, e);
	if (!rc) {
		const char *digest = NULL;
		char *d = NULL;
		if (!strncmp(config, "blobs/sha256/", 13) && strlen(config) == 13 + 64)
			d = arena_printf(&img->arena, "sha256:%s", config + 13);
		if (d && digest_valid(d))
			digest = d;
		rc = image_apply_config(img, &cref, digest, opt, e);
	}
	json_decref(root);
	return rc;
}
