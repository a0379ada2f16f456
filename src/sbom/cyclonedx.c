/* CycloneDX 1.6 JSON. Laid out as Trivy writes images: metadata.component
 * is the target, components is flat (the OS as an operating-system
 * component, then every package as a library), and dependencies say
 * target -> OS -> packages. Package entries get no dependency record of their
 * own: we do not know their dependencies, and CycloneDX reads an empty
 * dependsOn as "has none". */
#define SBOM_WRITER_INTERNAL
#include "sbom/writer.h"

#include <string.h>

#include "sbom/purl.h"
#include "util/version.h"

struct cdx_doc {
	const struct sbom_ctx *c;
	struct sbom_idset refs;
	const char *root_ref, *os_ref;
	json_t *root_deps, *os_deps; /* dependsOn arrays */
};

static int set_properties(json_t *obj, int rc, struct sbom_props *ps)
{
	json_t *arr = NULL;
	if (rc == BOSUN_OK && ps->n > 0) {
		arr = json_array();
		rc = sbom_jset(obj, "properties", arr);
	}
	for (size_t i = 0; rc == BOSUN_OK && i < ps->n; i++) {
		json_t *prop = json_object();
		rc = sbom_jappend(arr, prop);
		if (rc == BOSUN_OK)
			rc = sbom_jset_str(prop, "name", ps->v[i].name);
		if (rc == BOSUN_OK)
			rc = sbom_jset_str(prop, "value", ps->v[i].value);
	}
	sbom_props_free(ps);
	return rc;
}

static const char *claim(struct cdx_doc *d, const char *base)
{
	return base ? sbom_idset_claim(&d->refs, d->c->ar, base, "#") : NULL;
}

static int metadata(struct cdx_doc *d, json_t *doc)
{
	const struct sbom_ctx *c = d->c;
	json_t *md = json_object();
	TRY(sbom_jset(doc, "metadata", md));
	TRY(sbom_jset_str(md, "timestamp", c->created));
	/* Each new object is linked in at once, so an ENOMEM leaks nothing. */
	json_t *tools = json_object();
	TRY(sbom_jset(md, "tools", tools));
	json_t *list = json_array();
	TRY(sbom_jset(tools, "components", list));
	json_t *bosun = json_object();
	TRY(sbom_jappend(list, bosun));
	TRY(sbom_jset_str(bosun, "type", "application"));
	TRY(sbom_jset_str(bosun, "name", "bosun"));
	TRY(sbom_jset_str(bosun, "version", BOSUN_VERSION));

	/* The image config digest names an image everywhere; a directory has
	 * no such name. */
	const char *ref = c->is_image && c->a->image_id ? c->a->image_id
							: arena_printf(c->ar, "bosun:target:%s", sbom_target_name(c));
	if (!(d->root_ref = claim(d, ref)))
		return BOSUN_ENOMEM;
	json_t *comp = json_object();
	TRY(sbom_jset(md, "component", comp));
	TRY(sbom_jset_str(comp, "bom-ref", d->root_ref));
	TRY(sbom_jset_str(comp, "type", c->is_image ? "container" : "file"));
	TRY(sbom_jset_str(comp, "name", sbom_target_name(c)));
	struct sbom_props ps = { 0 };
	return set_properties(comp, sbom_target_props(c, &ps), &ps);
}

static int os_component(struct cdx_doc *d, json_t *components)
{
	const struct sbom_ctx *c = d->c;
	const struct os_info *os = &c->a->os;
	if (!os->found || !os->id)
		return BOSUN_OK;
	const char *v = os->version_id ? os->version_id : "";
	if (!(d->os_ref = claim(d, arena_printf(c->ar, "bosun:os:%s%s%s", os->id, v[0] ? "-" : "", v))))
		return BOSUN_ENOMEM;
	json_t *comp = json_object();
	TRY(sbom_jappend(components, comp));
	TRY(sbom_jset_str(comp, "bom-ref", d->os_ref));
	TRY(sbom_jset_str(comp, "type", "operating-system"));
	TRY(sbom_jset_str(comp, "name", os->id));
	TRY(sbom_jset_opt(comp, "version", os->version_id));
	TRY(sbom_jset_opt(comp, "description", os->pretty_name));
	TRY(sbom_jappend(d->root_deps, json_string(d->os_ref)));
	struct sbom_props ps = { 0 };
	return set_properties(comp, sbom_os_props(c, &ps), &ps);
}

/* A listed id goes in license.id, a valid expression in expression, and
 * anything else in license.name: the schema takes ids only from the list,
 * and an invalid expression would be a lie. */
static int set_licenses(const struct sbom_ctx *c, json_t *comp, const char *raw)
{
	struct spdx_license l;
	TRY(spdx_license_classify(c->ar, raw, &l));
	if (l.kind == SPDX_LICENSE_NONE)
		return BOSUN_OK;
	json_t *arr = json_array();
	TRY(sbom_jset(comp, "licenses", arr));
	json_t *choice = json_object();
	TRY(sbom_jappend(arr, choice));
	json_t *lic = choice;
	if (l.kind == SPDX_LICENSE_EXPRESSION) {
		TRY(sbom_jset_str(lic, "expression", l.value));
	} else {
		lic = json_object();
		TRY(sbom_jset(choice, "license", lic));
		TRY(sbom_jset_str(lic, l.kind == SPDX_LICENSE_ID ? "id" : "name", l.value));
	}
	return sbom_jset_str(lic, "acknowledgement", "declared");
}

/* The purl is the bom-ref, as Trivy and Syft do. Two packages can share a
 * purl only when found in different databases; the later ones are told
 * apart by that path (Trivy's file_path idea), and "#N" is the last resort. */
static const char *package_ref(struct cdx_doc *d, const char *purl, const struct package *p)
{
	const char *ref = purl;
	if (!p->found_in || !sbom_idset_has(&d->refs, purl))
		return claim(d, ref);
	char *where = purl_encode(d->c->ar, p->found_in);
	ref = where ? arena_printf(d->c->ar, "%s%sfile_path=%s", purl, strchr(purl, '?') ? "&" : "?", where) : NULL;
	return claim(d, ref);
}

static int package_component(struct cdx_doc *d, json_t *components, const struct package *p, const char **ref_out)
{
	const struct sbom_ctx *c = d->c;
	const char *purl = sbom_pkg_purl(c, p);
	const char *ref = purl ? package_ref(d, purl, p) : NULL;
	if (!ref)
		return BOSUN_ENOMEM;
	if (ref_out)
		*ref_out = ref;
	json_t *comp = json_object();
	TRY(sbom_jappend(components, comp));
	TRY(sbom_jset_str(comp, "bom-ref", ref));
	TRY(sbom_jset_str(comp, "type", "library"));
	const char *supplier = p->vendor && p->vendor[0] ? p->vendor : p->maintainer;
	if (supplier && supplier[0]) {
		json_t *org = json_object();
		TRY(sbom_jset(comp, "supplier", org));
		TRY(sbom_jset_str(org, "name", supplier));
	}
	TRY(sbom_jset_str(comp, "name", p->name ? p->name : ""));
	TRY(sbom_jset_opt(comp, "version", p->version));
	TRY(set_licenses(c, comp, p->license));
	TRY(sbom_jset_str(comp, "purl", purl));
	bool in_os = d->os_ref && purl_os_applies(p, &c->a->os);
	TRY(sbom_jappend(in_os ? d->os_deps : d->root_deps, json_string(ref)));
	struct sbom_props ps = { 0 };
	return set_properties(comp, sbom_pkg_props(c, p, &ps), &ps);
}

static int dependency(json_t *deps, const char *ref, json_t *depends_on)
{
	json_t *dep = json_object();
	TRY(sbom_jappend(deps, dep));
	TRY(sbom_jset_str(dep, "ref", ref));
	return sbom_jset(dep, "dependsOn", json_incref(depends_on));
}

static int build(struct cdx_doc *d, json_t *doc, const char **pkg_refs)
{
	TRY(sbom_jset_str(doc, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json"));
	TRY(sbom_jset_str(doc, "bomFormat", "CycloneDX"));
	TRY(sbom_jset_str(doc, "specVersion", "1.6"));
	char *serial = arena_printf(d->c->ar, "urn:uuid:%s", d->c->uuid);
	TRY(sbom_jset_str(doc, "serialNumber", serial));
	TRY(sbom_jset(doc, "version", json_integer(1)));
	TRY(metadata(d, doc));
	json_t *components = json_array();
	TRY(sbom_jset(doc, "components", components));
	TRY(os_component(d, components));
	for (size_t i = 0; i < d->c->a->npkgs; i++)
		TRY(package_component(d, components, &d->c->a->pkgs[i], pkg_refs ? &pkg_refs[i] : NULL));
	json_t *deps = json_array();
	TRY(sbom_jset(doc, "dependencies", deps));
	TRY(dependency(deps, d->root_ref, d->root_deps));
	if (d->os_ref)
		TRY(dependency(deps, d->os_ref, d->os_deps));
	return BOSUN_OK;
}

/* Builds the document into doc; pkg_refs (NULL or one slot per package)
 * receives each package's bom-ref, allocated in c->ar. */
static int build_document(const struct sbom_ctx *c, json_t *doc, const char **pkg_refs)
{
	struct cdx_doc d = { .c = c, .root_deps = json_array(), .os_deps = json_array() };
	int rc = doc && d.root_deps && d.os_deps ? build(&d, doc, pkg_refs) : BOSUN_ENOMEM;
	json_decref(d.root_deps);
	json_decref(d.os_deps);
	sbom_idset_free(&d.refs);
	return rc;
}

int sbom_cyclonedx_build(const struct sbom_ctx *c, json_t *doc, const char **pkg_refs, struct berr *e)
{
	int rc = build_document(c, doc, pkg_refs);
	if (rc != BOSUN_OK)
		berr_set(e, rc, "building CycloneDX document: %s", bosun_strerror(rc));
	return rc;
}

int sbom_write_cyclonedx(const struct sbom_ctx *c, FILE *out, struct berr *e)
{
	json_t *doc = json_object();
	int rc = sbom_cyclonedx_build(c, doc, NULL, e);
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	json_decref(doc);
	return rc;
}
