/* OCI image layouts, as a directory or packed in a tar: oci-layout,
 * index.json, and content-addressed blobs. Every blob we read is checked
 * against its descriptor's digest and size; layers are checked while they
 * stream. Nested indexes are followed to a bounded depth with cycle
 * detection, choosing the manifest by --image (ref name) and --platform. */
#include "image/source.h"
#include "util/json.h"
#include "util/log.h"
#include "util/sha256.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define OCI_MAX_INDEX_DEPTH 4
/* Nested indexes read in all, whatever their depth: an index may list the
 * same sub-index thousands of times, and each of those the next one. */
#define OCI_MAX_INDEXES 64

struct platform {
	char os[32], arch[32], variant[32];
};

static bool is_manifest_type(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.manifest.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json"));
}

static bool is_index_type(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

static void host_platform(struct platform *p)
{
	struct utsname u;
	const char *arch = "amd64", *variant = "";
	if (uname(&u) == 0) {
		if (!strcmp(u.machine, "aarch64")) {
			arch = "arm64";
			variant = "v8";
		} else if (!strncmp(u.machine, "armv7", 5)) {
			arch = "arm";
			variant = "v7";
		} else if (!strcmp(u.machine, "i686") || !strcmp(u.machine, "i386")) {
			arch = "386";
		} else if (!strcmp(u.machine, "ppc64le") || !strcmp(u.machine, "s390x") ||
			   !strcmp(u.machine, "riscv64")) {
			arch = u.machine;
		}
	}
	snprintf(p->os, sizeof p->os, "linux");
	snprintf(p->arch, sizeof p->arch, "%.31s", arch);
	snprintf(p->variant, sizeof p->variant, "%.31s", variant);
}

static int parse_platform(const char *s, struct platform *p, struct berr *e)
{
	memset(p, 0, sizeof *p);
	char tmp[128];
	snprintf(tmp, sizeof tmp, "%s", s);
	char *os = strtok(tmp, "/"), *arch = strtok(NULL, "/"), *variant = strtok(NULL, "/");
	if (!os || !arch || strtok(NULL, "/"))
		return berr_set(e, BOSUN_EUSAGE, "--platform must be os/arch[/variant], not '%s'", s);
	snprintf(p->os, sizeof p->os, "%.31s", os);
	snprintf(p->arch, sizeof p->arch, "%.31s", arch);
	snprintf(p->variant, sizeof p->variant, "%.31s", variant ? variant : "");
	return BOSUN_OK;
}

/* arm64 without a variant means v8; an unspecified wanted variant matches any. */
static bool platform_matches(const struct platform *want, json_t *plat, bool variant_explicit)
{
	const char *os = json_str(plat, "os"), *arch = json_str(plat, "architecture"), *var = json_str(plat, "variant");
	if (!os || !arch || strcmp(os, want->os) || strcmp(arch, want->arch))
		return false;
	if (!variant_explicit || !want->variant[0])
		return true;
	if (!var)
		var = !strcmp(arch, "arm64") ? "v8" : "";
	return !strcmp(var, want->variant);
}

struct oci_ctx {
	struct image *img;
	const struct archive_index *ix;
	const struct image_options *opt;
	struct platform want;
	bool variant_explicit;
	/* path[i]: digest of the nested index at depth i + 1 on the way from
	 * index.json (depth 0) to the one being read, for cycle detection. */
	char path[OCI_MAX_INDEX_DEPTH][72];
	int nread; /* nested indexes read so far */
	char platforms[1024]; /* seen, for the error message */
};

static int blob_path(const char *digest, char *out, size_t cap, struct berr *e)
{
	if (!digest_valid(digest))
		return berr_set(e, BOSUN_EUNSUPPORTED, "unsupported or malformed digest '%s'", digest ? digest : "(none)");
	snprintf(out, cap, "blobs/sha256/%s", digest + 7);
	return BOSUN_OK;
}

static int read_blob_json(struct oci_ctx *c, json_t *desc, const char *what, json_t **out, struct berr *e)
{
	const char *digest = json_str(desc, "digest");
	json_t *size = json_object_get(desc, "size");
	char path[128];
	TRY(blob_path(digest, path, sizeof path, e));
	struct buf b = { 0 };
	struct blob_ref ref;
	int rc = image_member(c->img, c->ix, path, &ref, e);
	if (!rc) {
		rc = blob_read_all(&ref, c->opt->limits.max_json_bytes, digest, &b, e);
		if (!c->ix)
			close(ref.fd);
	}
	if (!rc && size && (!json_is_integer(size) || (json_int_t)b.len != json_integer_value(size)))
		rc = berr_set(e, BOSUN_EDIGEST, "has %zu bytes, descriptor says %lld", b.len,
			      (long long)json_integer_value(size));
	if (rc)
		berr_wrap(e, rc, "%s %s", what, digest);
	else
		rc = json_parse_bounded(b.data, b.len, IMAGE_JSON_MAX_DEPTH, what, out, e);
	buf_free(&b);
	return rc;
}

static bool ref_matches(json_t *desc, const char *want)
{
	json_t *ann = json_object_get(desc, "annotations");
	const char *ref = json_str(ann, "org.opencontainers.image.ref.name");
	const char *cname = json_str(ann, "io.containerd.image.name");
	if (ref && !strcmp(ref, want))
		return true;
	if (cname && !strcmp(cname, want))
		return true;
	/* "repo:tag" given, layout stores only the tag, or the reverse. */
	const char *colon = strrchr(want, ':');
	if (ref && colon && !strchr(colon, '/') && !strcmp(ref, colon + 1))
		return true;
	if (cname) {
		size_t n = strlen(cname), m = strlen(want);
		if (n > m && cname[n - m - 1] == '/' && !strcmp(cname + n - m, want))
			return true;
	}
	return false;
}

static void note_platform(struct oci_ctx *c, json_t *plat)
{
	const char *os = json_str(plat, "os"), *arch = json_str(plat, "architecture"), *var = json_str(plat, "variant");
	if (!os || !arch || !strcmp(os, "unknown"))
		return;
	size_t used = strlen(c->platforms);
	if (used < sizeof c->platforms - 80)
		snprintf(c->platforms + used, sizeof c->platforms - used, "%s%s/%s%s%s", used ? ", " : "", os, arch,
			 var ? "/" : "", var ? var : "");
}

static int choose(struct oci_ctx *c, json_t *index, int depth, bool top, json_t **manifest_desc, json_t **holder,
		  struct berr *e);

static int follow_index(struct oci_ctx *c, json_t *desc, int depth, json_t **manifest_desc, json_t **holder,
			struct berr *e)
{
	const char *digest = json_str(desc, "digest");
	if (depth >= OCI_MAX_INDEX_DEPTH)
		return berr_set(e, BOSUN_ELIMIT, "image indexes nested deeper than %d levels", OCI_MAX_INDEX_DEPTH);
	if (++c->nread > OCI_MAX_INDEXES)
		return berr_set(e, BOSUN_ELIMIT, "more than %d nested image indexes to read", OCI_MAX_INDEXES);
	/* With verified digests a real cycle cannot be built (a blob cannot
	 * hold its own hash): the digest check fails first. This guard keeps
	 * recursion bounded whatever the input. The same digest on two
	 * branches (a diamond) is not a cycle; the read budget bounds those. */
	for (int i = 0; i < depth; i++)
		if (digest && !strcmp(c->path[i], digest))
			return berr_set(e, BOSUN_EFORMAT, "image index %s refers to itself (index cycle)", digest);
	json_t *sub = NULL;
	TRY(read_blob_json(c, desc, "image index", &sub, e));
	snprintf(c->path[depth], sizeof c->path[0], "%s", digest);
	int rc = choose(c, sub, depth + 1, false, manifest_desc, holder, e);
	if (rc || *holder != sub)
		json_decref(sub);
	return rc;
}

/* Finds the image manifest descriptor to use. *holder is the JSON document
 * that owns *manifest_desc (the caller frees it if it is not the top index). */
static int choose(struct oci_ctx *c, json_t *index, int depth, bool top, json_t **manifest_desc, json_t **holder,
		  struct berr *e)
{
	json_t *mans = json_object_get(index, "manifests");
	if (!json_is_array(mans) || json_array_size(mans) == 0)
		return berr_set(e, BOSUN_EFORMAT, "image index has no manifests");
	if (json_array_size(mans) > 4096)
		return berr_set(e, BOSUN_ELIMIT, "image index lists %zu manifests", json_array_size(mans));
	size_t i;
	json_t *d;
	json_t *first_plain = NULL;
	json_array_foreach(mans, i, d)
	{
		if (top && c->opt->image_ref && !ref_matches(d, c->opt->image_ref))
			continue;
		const char *mt = json_str(d, "mediaType");
		json_t *plat = json_object_get(d, "platform");
		if (plat) {
			note_platform(c, plat);
			if (!platform_matches(&c->want, plat, c->variant_explicit))
				continue;
		}
		if (is_index_type(mt)) {
			int rc = follow_index(c, d, depth, manifest_desc, holder, e);
			if (rc != BOSUN_ENOTFOUND)
				return rc;
			continue;
		}
		if (!is_manifest_type(mt))
			continue;
		if (plat) {
			*manifest_desc = d;
			*holder = index;
			return BOSUN_OK;
		}
		if (!first_plain)
			first_plain = d;
	}
	if (first_plain) {
		*manifest_desc = first_plain;
		*holder = index;
		return BOSUN_OK;
	}
	if (top && c->opt->image_ref) {
		char names[1024] = "";
		size_t used = 0;
		json_array_foreach(mans, i, d)
		{
			json_t *ann = json_object_get(d, "annotations");
			const char *r = json_str(ann, "org.opencontainers.image.ref.name");
			if (r && used < sizeof names - 80)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", r);
		}
		return berr_set(e, BOSUN_ENOTFOUND, "no image named %s in the layout (it has: %s)", c->opt->image_ref,
				used ? names : "no ref names");
	}
	if (!top)
		return BOSUN_ENOTFOUND;
	return berr_set(e, BOSUN_ENOTFOUND, "no manifest for platform %s/%s%s%s (available: %s)", c->want.os,
			c->want.arch, c->want.variant[0] ? "/" : "", c->want.variant,
			c->platforms[0] ? c->platforms : "none");
}

static int load_layers(struct oci_ctx *c, json_t *manifest, struct berr *e)
{
	struct image *img = c->img;
	json_t *layers = json_object_get(manifest, "layers");
	json_t *config = json_object_get(manifest, "config");
	if (!json_is_array(layers) || !json_is_object(config))
		return berr_set(e, BOSUN_EFORMAT, "image manifest lacks config or layers");
	size_t nl = json_array_size(layers);
	if (nl > c->opt->limits.max_layers)
		return berr_set(e, BOSUN_ELIMIT, "image has %zu layers (limit %u)", nl, c->opt->limits.max_layers);
	img->layers = arena_alloc(&img->arena, (nl + 1) * sizeof *img->layers);
	if (!img->layers)
		return BOSUN_ENOMEM;
	memset(img->layers, 0, (nl + 1) * sizeof *img->layers);
	for (size_t i = 0; i < nl; i++)
		img->layers[i].blob.fd = -1;
	img->nlayers = nl;
	for (size_t i = 0; i < nl; i++) {
		json_t *d = json_array_get(layers, i);
		struct image_layer *L = &img->layers[i];
		const char *digest = json_str(d, "digest");
		char path[128];
		int rc = blob_path(digest, path, sizeof path, e);
		if (rc)
			return berr_wrap(e, rc, "layer %zu", i);
		L->digest = arena_strdup(&img->arena, digest);
		L->path = arena_strdup(&img->arena, path);
		L->media_type = arena_strdup(&img->arena, json_str(d, "mediaType"));
		json_t *sz = json_object_get(d, "size");
		if (!json_is_integer(sz) || json_integer_value(sz) < 0)
			return berr_set(e, BOSUN_EFORMAT, "layer %s: descriptor has no valid size", digest);
		L->size = (uint64_t)json_integer_value(sz);
		rc = image_member(img, c->ix, path, &L->blob, e);
		if (rc)
			return berr_wrap(e, rc, "layer %s", digest);
		if (L->blob.len != L->size)
			return berr_set(e, BOSUN_EDIGEST, "layer %s: blob has %llu bytes, descriptor says %llu", digest,
					(unsigned long long)L->blob.len, (unsigned long long)L->size);
	}
	const char *cdigest = json_str(config, "digest");
	char cpath[128];
	TRY(blob_path(cdigest, cpath, sizeof cpath, e));
	json_t *csize = json_object_get(config, "size");
	if (!json_is_integer(csize) || json_integer_value(csize) < 0)
		return berr_set(e, BOSUN_EFORMAT, "image config %s: descriptor has no valid size", cdigest);
	struct blob_ref cref;
	int rc = image_member(img, c->ix, cpath, &cref, e);
	if (rc)
		return berr_wrap(e, rc, "image config %s", cdigest);
	if (cref.len != (uint64_t)json_integer_value(csize))
		rc = berr_set(e, BOSUN_EDIGEST, "image config %s: blob has %llu bytes, descriptor says %lld", cdigest,
			      (unsigned long long)cref.len, (long long)json_integer_value(csize));
	else
		rc = image_apply_config(img, &cref, cdigest, c->opt, e);
	if (!c->ix)
		close(cref.fd);
	return rc;
}

int oci_layout_open(struct image *img, const struct archive_index *ix, const struct image_options *opt,
		    struct berr *e)
{
	struct oci_ctx c = { .img = img, .ix = ix, .opt = opt };
	if (opt->platform) {
		TRY(parse_platform(opt->platform, &c.want, e));
		c.variant_explicit = c.want.variant[0] != '\0';
	} else {
		host_platform(&c.want);
	}
	struct buf b = { 0 };
	int rc = image_read_member(img, ix, "oci-layout", NULL, 4096, &b, e);
	if (rc == BOSUN_ENOTFOUND)
		log_warn("%s: no oci-layout file; reading index.json anyway", img->target);
	else if (rc) {
		buf_free(&b);
		return rc;
	}
	berr_clear(e);
	json_t *index = NULL;
	rc = image_read_member(img, ix, "index.json", NULL, opt->limits.max_json_bytes, &b, e);
	if (!rc)
		rc = json_parse_bounded(b.data, b.len, IMAGE_JSON_MAX_DEPTH, "index.json", &index, e);
	buf_free(&b);
	if (rc)
		return rc;
	json_t *mdesc = NULL, *holder = NULL;
	rc = choose(&c, index, 0, true, &mdesc, &holder, e);
	json_t *manifest = NULL;
	if (!rc) {
		const char *ref = json_str(json_object_get(mdesc, "annotations"), "org.opencontainers.image.ref.name");
		const char *cname = json_str(json_object_get(mdesc, "annotations"), "io.containerd.image.name");
		if (!ref)
			ref = json_str(json_object_get(json_array_get(json_object_get(index, "manifests"), 0), "annotations"),
				       "org.opencontainers.image.ref.name");
		/* A bare tag ("latest") says little: qualify it with the layout's
		 * directory name, as skopeo's oci:DIR:TAG reference would. */
		if (!cname && ref && !strchr(ref, ':') && !strchr(ref, '/')) {
			const char *base = strrchr(img->target, '/');
			base = base && base[1] ? base + 1 : img->target;
			img->name = arena_printf(&img->arena, "%s:%s", base, ref);
		} else {
			img->name = arena_strdup(&img->arena, cname ? cname : ref);
		}
		img->manifest_digest = arena_strdup(&img->arena, json_str(mdesc, "digest"));
		rc = read_blob_json(&c, mdesc, "image manifest", &manifest, e);
	}
	if (holder && holder != index)
		json_decref(holder);
	if (!rc) {
		rc = load_layers(&c, manifest, e);
		json_decref(manifest);
	}
	json_decref(index);
	return rc;
}
