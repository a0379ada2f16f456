/* SPDX 2.x JSON in. SPDX has no component types: the target is the
 * package the document DESCRIBES, the OS is the package whose purpose is
 * OPERATING_SYSTEM (Trivy and bosun; older Trivy only says so in its
 * SPDXID), and packages are the ones with a purl external reference.
 * Producer-specific data rides in annotations (bosun "name=value", Trivy
 * "Key: value") or, in older Trivy, attributionTexts. Two passes: the
 * target and the OS first, so that packages find the layer list whatever
 * order the document lists them in. */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"

#define MAX_ROOTS 16

struct spdx_doc {
	struct sbom_reader *r;
	const json_t *doc;
	const char *roots[MAX_ROOTS]; /* SPDXIDs the document describes */
	size_t nroots;
};

static int check_version(struct sbom_reader *r, const json_t *doc)
{
	const char *v;
	TRY(sbom_read_str(r, doc, "spdxVersion", "document", &v));
	if (!v || strlen(v) != 8 || strncmp(v, "SPDX-2.", 7) != 0 || v[7] < '0' || v[7] > '3')
		return berr_set(r->e, BOSUN_EUNSUPPORTED, "%s: spdxVersion \"%.16s\" is not supported (SPDX-2.0 to SPDX-2.3)",
				r->what, v ? v : "");
	return BOSUN_OK;
}

static void add_root(struct spdx_doc *d, const char *id)
{
	for (size_t i = 0; i < d->nroots; i++)
		if (strcmp(d->roots[i], id) == 0)
			return;
	if (d->nroots < MAX_ROOTS)
		d->roots[d->nroots++] = id;
}

/* documentDescribes[] and DESCRIBES relationships (old Trivy wrote
 * "DESCRIBE"); DESCRIBED_BY points the other way. */
static int find_roots(struct spdx_doc *d)
{
	struct sbom_reader *r = d->r;
	json_t *arr;
	TRY(sbom_read_array(r, d->doc, "documentDescribes", "document", &arr));
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_is_string(json_array_get(arr, i)))
			add_root(d, json_string_value(json_array_get(arr, i)));
	TRY(sbom_read_array(r, d->doc, "relationships", "document", &arr));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *rel = json_array_get(arr, i);
		const char *from = json_str(rel, "spdxElementId"), *to = json_str(rel, "relatedSpdxElement");
		const char *type = json_str(rel, "relationshipType");
		if (!from || !to || !type)
			continue;
		if (strcmp(from, "SPDXRef-DOCUMENT") == 0 && (!strcmp(type, "DESCRIBES") || !strcmp(type, "DESCRIBE")))
			add_root(d, to);
		else if (strcmp(to, "SPDXRef-DOCUMENT") == 0 && strcmp(type, "DESCRIBED_BY") == 0)
			add_root(d, from);
	}
	return BOSUN_OK;
}

static bool is_root(const struct spdx_doc *d, const char *id)
{
	for (size_t i = 0; id && i < d->nroots; i++)
		if (strcmp(d->roots[i], id) == 0)
			return true;
	return false;
}

enum scope { SCOPE_TARGET, SCOPE_OS, SCOPE_ITEM };

static int dispatch(struct sbom_reader *r, enum scope sc, struct sbom_item *it, const char *name, const char *value)
{
	if (sc == SCOPE_TARGET)
		return sbom_read_target_prop(r, name, value);
	if (sc == SCOPE_OS)
		return sbom_read_os_prop(r, name, value);
	return sbom_read_item_prop(r, it, name, value);
}

/* "bosun:layer:diffID=sha256:..." (bosun) or "LayerDiffID: sha256:..."
 * (Trivy, whose CycloneDX names are these keys under aquasecurity:trivy:). */
static int one_annotation(struct sbom_reader *r, enum scope sc, struct sbom_item *it, const char *text)
{
	char name[96];
	const char *eq = strchr(text, '='), *colon = strstr(text, ": ");
	if (eq && strncmp(text, "bosun:", 6) == 0) {
		size_t n = (size_t)(eq - text);
		if (n >= sizeof name)
			return BOSUN_OK;
		memcpy(name, text, n);
		name[n] = '\0';
		return dispatch(r, sc, it, name, eq + 1);
	}
	if (!colon || colon == text || (size_t)(colon - text) > 40)
		return BOSUN_OK;
	for (const char *c = text; c < colon; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
			return BOSUN_OK;
	snprintf(name, sizeof name, "aquasecurity:trivy:%.*s", (int)(colon - text), text);
	return dispatch(r, sc, it, name, colon + 2);
}

static int annotations(struct sbom_reader *r, const json_t *pkg, const char *where, enum scope sc,
		       struct sbom_item *it)
{
	json_t *arr;
	TRY(sbom_read_array(r, pkg, "annotations", where, &arr));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *an = json_array_get(arr, i);
		if (!json_is_object(an))
			return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.annotations[%zu]: expected an object", r->what, where, i);
		json_t *c = json_object_get(an, "comment");
		if (json_is_string(c) && strlen(json_string_value(c)) == json_string_length(c))
			TRY(one_annotation(r, sc, it, json_string_value(c)));
	}
	TRY(sbom_read_array(r, pkg, "attributionTexts", where, &arr));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *t = json_array_get(arr, i);
		if (json_is_string(t) && strlen(json_string_value(t)) == json_string_length(t))
			TRY(one_annotation(r, sc, it, json_string_value(t)));
	}
	return BOSUN_OK;
}

static int purl_ref(struct sbom_reader *r, const json_t *pkg, const char *where, const char **out)
{
	json_t *arr;
	*out = NULL;
	TRY(sbom_read_array(r, pkg, "externalRefs", where, &arr));
	for (size_t i = 0; i < json_array_size(arr) && !*out; i++) {
		const json_t *ref = json_array_get(arr, i);
		if (!json_is_object(ref))
			return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.externalRefs[%zu]: expected an object", r->what, where, i);
		const char *type = json_str(ref, "referenceType");
		if (type && strcmp(type, "purl") == 0)
			TRY(sbom_read_str(r, ref, "referenceLocator", where, out));
	}
	return BOSUN_OK;
}

static const char *assertion(const char *s)
{
	return s && strcmp(s, "NOASSERTION") != 0 && strcmp(s, "NONE") != 0 ? s : NULL;
}

/* "Organization: Debian Adduser Developers (adduser@...)" -> the name. */
static const char *agent(const char *s)
{
	static const char *const kinds[] = { "Organization: ", "Person: ", "Tool: " };
	s = assertion(s);
	for (size_t i = 0; s && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strncmp(s, kinds[i], strlen(kinds[i])) == 0)
			return s + strlen(kinds[i]);
	return s;
}

static bool is_os(const char *id, const char *purpose)
{
	return (purpose && (!strcmp(purpose, "OPERATING_SYSTEM") || !strcmp(purpose, "OPERATING-SYSTEM"))) ||
	       (id && strncmp(id, "SPDXRef-OperatingSystem", 23) == 0);
}

/* The root is the scanned thing (image, directory) unless it is itself a
 * package with a purl of its own (an SBOM of one package, as melange writes). */
static bool root_is_target(const char *id, const char *purpose)
{
	return (purpose && (!strcmp(purpose, "CONTAINER") || !strcmp(purpose, "FILE") || !strcmp(purpose, "SOURCE"))) ||
	       (id && (strstr(id, "DocumentRoot") || strstr(id, "ContainerImage") || strstr(id, "Filesystem")));
}

static int read_target(struct spdx_doc *d, const json_t *pkg, const char *where, const char *id, const char *purpose)
{
	struct sbom_reader *r = d->r;
	if (r->have_target)
		return BOSUN_OK;
	r->have_target = true;
	TRY(sbom_read_str(r, pkg, "name", where, &r->target.name));
	r->target.directory = (purpose && strcmp(purpose, "CONTAINER") != 0) ||
			      (id && (strstr(id, "-Directory") || strstr(id, "Filesystem")));
	return annotations(r, pkg, where, SCOPE_TARGET, NULL);
}

static int read_os(struct spdx_doc *d, const json_t *pkg, const char *where)
{
	struct sbom_reader *r = d->r;
	const char *name, *version, *desc;
	TRY(sbom_read_str(r, pkg, "name", where, &name));
	TRY(sbom_read_str(r, pkg, "versionInfo", where, &version));
	TRY(sbom_read_str(r, pkg, "description", where, &desc));
	if (!sbom_read_os(r, name, version, desc))
		return BOSUN_OK;
	return annotations(r, pkg, where, SCOPE_OS, NULL);
}

/* Packages without a purl that are not the tool's own structure (Trivy's
 * SPDXRef-Application-* lock files) are counted for a warning. */
static bool counts_without_purl(const char *id, const char *purpose, const char *version)
{
	if (!version || (id && strncmp(id, "SPDXRef-Application", 19) == 0))
		return false;
	return !purpose || strcmp(purpose, "LIBRARY") == 0;
}

static int read_package(struct spdx_doc *d, const json_t *pkg, const char *where, const char *id, const char *purpose)
{
	struct sbom_reader *r = d->r;
	struct sbom_item it;
	memset(&it, 0, sizeof it);
	snprintf(it.where, sizeof it.where, "%s", where);
	const char *sup, *lic;
	TRY(purl_ref(r, pkg, where, &it.purl));
	TRY(sbom_read_str(r, pkg, "name", where, &it.name));
	TRY(sbom_read_str(r, pkg, "versionInfo", where, &it.version));
	TRY(sbom_read_str(r, pkg, "supplier", where, &sup));
	TRY(sbom_read_str(r, pkg, "sourceInfo", where, &it.source_info));
	TRY(sbom_read_str(r, pkg, "licenseDeclared", where, &lic));
	it.supplier = agent(sup);
	it.license = assertion(lic);
	TRY(annotations(r, pkg, where, SCOPE_ITEM, &it));
	if (!it.purl && !counts_without_purl(id, purpose, it.version))
		return BOSUN_OK;
	return sbom_read_package(r, &it);
}

/* Pass 0: the target and the OS; pass 1: the packages. */
static int one_package(struct spdx_doc *d, const json_t *pkg, size_t i, int pass)
{
	struct sbom_reader *r = d->r;
	char where[32];
	snprintf(where, sizeof where, "packages[%zu]", i);
	if (!json_is_object(pkg))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s: expected an object", r->what, where);
	const char *id, *purpose, *purl;
	TRY(sbom_read_str(r, pkg, "SPDXID", where, &id));
	TRY(sbom_read_str(r, pkg, "primaryPackagePurpose", where, &purpose));
	bool root = is_root(d, id), target = root && root_is_target(id, purpose);
	if (pass == 0) {
		TRY(sbom_read_count(r));
		if (root)
			TRY(read_target(d, pkg, where, id, purpose));
		TRY(purl_ref(r, pkg, where, &purl));
		return !purl && is_os(id, purpose) ? read_os(d, pkg, where) : BOSUN_OK;
	}
	TRY(purl_ref(r, pkg, where, &purl));
	if (target || (!purl && is_os(id, purpose)))
		return BOSUN_OK;
	return read_package(d, pkg, where, id, purpose);
}

int sbom_read_spdx(struct sbom_reader *r, const json_t *doc)
{
	TRY(check_version(r, doc));
	struct spdx_doc d = { .r = r, .doc = doc };
	TRY(find_roots(&d));
	json_t *pkgs;
	TRY(sbom_read_array(r, doc, "packages", "document", &pkgs));
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < json_array_size(pkgs); i++)
			TRY(one_package(&d, json_array_get(pkgs, i), i, pass));
	return BOSUN_OK;
}
