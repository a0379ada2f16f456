/* bosun's own JSON (--format json), specified by docs/bosun-sbom.schema.json
 * and described in docs/json-schema.md. One rule keeps it easy to consume:
 * every key the schema lists is always present, unknown values are null,
 * and lists are arrays (empty when there is nothing). */
#define SBOM_WRITER_INTERNAL
#include "sbom/writer.h"

#include <string.h>

#include "util/version.h"

#define JSON_SCHEMA_VERSION 1

static json_t *int_or_null(long long v, bool known)
{
	return known ? json_integer(v) : json_null();
}

static int target(const struct sbom_ctx *c, json_t *doc)
{
	json_t *t = json_object();
	TRY(sbom_jset(doc, "target", t));
	TRY(sbom_jset_str(t, "input", c->a->target));
	TRY(sbom_jset_str(t, "kind", c->a->target_kind));
	return sbom_jset_str(t, "name", sbom_target_name(c));
}

static int layer(json_t *layers, const struct layer_info *l, size_t index)
{
	json_t *o = json_object();
	TRY(sbom_jappend(layers, o));
	TRY(sbom_jset(o, "index", json_integer((json_int_t)index)));
	TRY(sbom_jset_str(o, "digest", l->digest));
	TRY(sbom_jset_str(o, "diffID", l->diff_id));
	TRY(sbom_jset_str(o, "mediaType", l->media_type));
	TRY(sbom_jset(o, "size", json_integer((json_int_t)l->size)));
	return sbom_jset_str(o, "createdBy", l->created_by);
}

static int string_array(json_t *obj, const char *key, char *const *v, size_t n)
{
	json_t *arr = json_array();
	TRY(sbom_jset(obj, key, arr));
	for (size_t i = 0; i < n; i++)
		TRY(sbom_jappend(arr, sbom_jstr(v[i])));
	return BOSUN_OK;
}

static int image(const struct sbom_ctx *c, json_t *doc)
{
	const struct artifact *a = c->a;
	if (!c->is_image)
		return sbom_jset(doc, "image", json_null());
	json_t *im = json_object();
	TRY(sbom_jset(doc, "image", im));
	TRY(sbom_jset_str(im, "id", a->image_id));
	TRY(sbom_jset_str(im, "manifestDigest", a->manifest_digest));
	TRY(string_array(im, "repoTags", a->repo_tags, a->nrepo_tags));
	TRY(sbom_jset_str(im, "architecture", a->architecture));
	TRY(sbom_jset_str(im, "variant", a->variant));
	TRY(sbom_jset_str(im, "os", a->os_name));
	TRY(sbom_jset_str(im, "created", a->created));
	json_t *layers = json_array();
	TRY(sbom_jset(im, "layers", layers));
	for (size_t i = 0; i < a->nlayers; i++)
		TRY(layer(layers, &a->layers[i], i));
	return BOSUN_OK;
}

/* ID_LIKE is a space-separated list in os-release; JSON gets an array. */
static int id_like(json_t *o, const char *s)
{
	if (!s)
		return sbom_jset(o, "idLike", json_null());
	json_t *arr = json_array();
	TRY(sbom_jset(o, "idLike", arr));
	while (*s) {
		size_t skip = strspn(s, " \t"), n = strcspn(s + skip, " \t");
		if (n > 0) {
			char word[128];
			snprintf(word, sizeof word, "%.*s", (int)n, s + skip);
			TRY(sbom_jappend(arr, sbom_jstr(word)));
		}
		s += skip + n;
	}
	return BOSUN_OK;
}

static int os(const struct sbom_ctx *c, json_t *doc)
{
	const struct os_info *os = &c->a->os;
	if (!os->found)
		return sbom_jset(doc, "os", json_null());
	json_t *o = json_object();
	TRY(sbom_jset(doc, "os", o));
	TRY(sbom_jset_str(o, "id", os->id));
	TRY(sbom_jset_str(o, "versionID", os->version_id));
	TRY(sbom_jset_str(o, "version", os->version));
	TRY(sbom_jset_str(o, "prettyName", os->pretty_name));
	TRY(sbom_jset_str(o, "codename", os->codename));
	TRY(id_like(o, os->id_like));
	TRY(sbom_jset_str(o, "family", os->family));
	TRY(sbom_jset_str(o, "source", os->source));
	return sbom_jset(o, "distroless", json_boolean(os->distroless));
}

static int pkg_layer(const struct sbom_ctx *c, json_t *o, const struct package *p)
{
	const struct layer_info *l = sbom_pkg_layer(c, p);
	if (!l)
		return sbom_jset(o, "layer", json_null());
	json_t *lo = json_object();
	TRY(sbom_jset(o, "layer", lo));
	TRY(sbom_jset(lo, "index", json_integer(p->layer)));
	return sbom_jset_str(lo, "diffID", l->diff_id);
}

/* The license as a valid SPDX expression in canonical case, when it is one:
 * what CycloneDX and SPDX output carry, so consumers need no parser. */
static int license_expression(const struct sbom_ctx *c, json_t *o, const char *raw)
{
	struct spdx_license l;
	TRY(spdx_license_classify(c->ar, raw, &l));
	bool valid = l.kind == SPDX_LICENSE_ID || l.kind == SPDX_LICENSE_EXPRESSION;
	return sbom_jset_str(o, "licenseExpression", valid ? l.value : NULL);
}

static int package(const struct sbom_ctx *c, json_t *pkgs, const struct package *p)
{
	json_t *o = json_object();
	TRY(sbom_jappend(pkgs, o));
	TRY(sbom_jset_str(o, "type", pkg_type_name(p->type)));
	TRY(sbom_jset_str(o, "name", p->name));
	TRY(sbom_jset_str(o, "version", p->version));
	TRY(sbom_jset(o, "epoch", int_or_null(p->epoch, p->epoch >= 0)));
	TRY(sbom_jset_str(o, "arch", p->arch));
	TRY(sbom_jset_str(o, "sourceName", p->source_name));
	TRY(sbom_jset_str(o, "sourceVersion", p->source_version));
	TRY(sbom_jset_str(o, "license", p->license));
	TRY(license_expression(c, o, p->license));
	TRY(sbom_jset_str(o, "maintainer", p->maintainer));
	TRY(sbom_jset_str(o, "vendor", p->vendor));
	TRY(sbom_jset_str(o, "modularityLabel", p->modularity));
	TRY(sbom_jset_str(o, "commit", p->commit));
	TRY(sbom_jset_str(o, "purl", sbom_pkg_purl(c, p)));
	TRY(sbom_jset_str(o, "foundIn", p->found_in));
	TRY(sbom_jset_str(o, "owner", p->owner));
	TRY(sbom_jset_str(o, "relationship", p->relationship));
	TRY(sbom_jset(o, "dev", json_boolean(p->dev)));
	TRY(pkg_layer(c, o, p));
	if (!p->files)
		return sbom_jset(o, "files", json_null());
	return string_array(o, "files", p->files, p->nfiles);
}

static int build(const struct sbom_ctx *c, json_t *doc)
{
	TRY(sbom_jset(doc, "schemaVersion", json_integer(JSON_SCHEMA_VERSION)));
	json_t *tool = json_object();
	TRY(sbom_jset(doc, "bosun", tool));
	TRY(sbom_jset_str(tool, "version", BOSUN_VERSION));
	TRY(target(c, doc));
	TRY(image(c, doc));
	TRY(os(c, doc));
	json_t *pkgs = json_array();
	TRY(sbom_jset(doc, "packages", pkgs));
	for (size_t i = 0; i < c->a->npkgs; i++)
		TRY(package(c, pkgs, &c->a->pkgs[i]));
	return string_array(doc, "warnings", c->a->warnings, c->a->nwarnings);
}

int sbom_json_build(const struct sbom_ctx *c, json_t *doc, struct berr *e)
{
	int rc = doc ? build(c, doc) : BOSUN_ENOMEM;
	if (rc != BOSUN_OK)
		berr_set(e, rc, "building JSON report: %s", bosun_strerror(rc));
	return rc;
}

int sbom_write_json(const struct sbom_ctx *c, FILE *out, struct berr *e)
{
	json_t *doc = json_object();
	int rc = sbom_json_build(c, doc, e);
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	json_decref(doc);
	return rc;
}
