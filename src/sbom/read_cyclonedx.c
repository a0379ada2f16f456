/* CycloneDX JSON in: metadata.component is the target, an
 * "operating-system" component the OS, and every other component with a
 * purl a package, nested components (components[].components[]) included.
 * Layouts differ by producer (bosun and Trivy: flat; older Trivy and
 * others: nested; Syft: the OS after the packages) and none of that
 * matters here: the walk visits everything once. */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"

enum scope { SCOPE_TARGET, SCOPE_OS, SCOPE_ITEM };

/* "1.2" to "1.7": the component model read here is the same in all of
 * them (bomFormat, specVersion and purl appeared in 1.2's JSON form). */
static int check_spec(struct sbom_reader *r, const json_t *doc)
{
	const char *v;
	TRY(sbom_read_str(r, doc, "specVersion", "document", &v));
	if (!v)
		return berr_set(r->e, BOSUN_EFORMAT, "%s: CycloneDX document without specVersion", r->what);
	if (strlen(v) != 3 || v[0] != '1' || v[1] != '.' || v[2] < '2' || v[2] > '7')
		return berr_set(r->e, BOSUN_EUNSUPPORTED, "%s: CycloneDX specVersion \"%.16s\" is not supported (1.2 to 1.7)",
				r->what, v);
	return BOSUN_OK;
}

/* "parent.key[i]" for messages; a deep path keeps its start and its end. */
static void where_child(char *out, size_t cap, const char *parent, const char *key, size_t i)
{
	int n = snprintf(out, cap, "%s%s%s[%zu]", parent, parent[0] ? "." : "", key, i);
	if (n < 0 || (size_t)n >= cap)
		n = snprintf(out, cap, "%.32s...%s[%zu]", parent, key, i);
	(void)n;
}

static int one_property(struct sbom_reader *r, const json_t *prop, const char *where, enum scope sc,
			struct sbom_item *it)
{
	if (!json_is_object(prop))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s: expected an object", r->what, where);
	/* Only the names bosun reads are length-checked: others (Syft's image
	 * labels) may be long and are none of our business. */
	json_t *jn = json_object_get(prop, "name"), *jv = json_object_get(prop, "value");
	if (!json_is_string(jn) || !json_is_string(jv))
		return jn && !json_is_string(jn) ? berr_set(r->e, BOSUN_EFORMAT, "%s: %s.name: expected a string",
							    r->what, where)
						   : BOSUN_OK;
	const char *name = json_string_value(jn), *value = json_string_value(jv);
	if (strlen(value) != json_string_length(jv))
		return BOSUN_OK; /* an embedded NUL: not a value we could use */
	if (sc == SCOPE_TARGET)
		return sbom_read_target_prop(r, name, value);
	if (sc == SCOPE_OS)
		return sbom_read_os_prop(r, name, value);
	return sbom_read_item_prop(r, it, name, value);
}

static int properties(struct sbom_reader *r, const json_t *obj, const char *where, enum scope sc,
		      struct sbom_item *it)
{
	json_t *arr;
	TRY(sbom_read_array(r, obj, "properties", where, &arr));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[128];
		where_child(w, sizeof w, where, "properties", i);
		TRY(one_property(r, json_array_get(arr, i), w, sc, it));
	}
	return BOSUN_OK;
}

/* The first license: an SPDX expression, an id or a name. A license is
 * not needed for matching, so one that is too long is left out. */
static void first_license(const json_t *comp, const char **out)
{
	const json_t *first = json_array_get(json_object_get(comp, "licenses"), 0);
	const char *v = json_str(first, "expression");
	const json_t *lic = json_object_get(first, "license");
	if (!v)
		v = json_str(lic, "id");
	if (!v)
		v = json_str(lic, "name");
	*out = v && strlen(v) <= SBOM_READ_MAX_FIELD ? v : NULL;
}

/* supplier.name (bosun, Trivy), else publisher or author (Syft). */
static int supplier(struct sbom_reader *r, const json_t *comp, const char *where, const char **out)
{
	const json_t *sup = json_object_get(comp, "supplier");
	if (sup && !json_is_object(sup))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.supplier: expected an object", r->what, where);
	TRY(sbom_read_str(r, sup, "name", where, out));
	if (!*out)
		TRY(sbom_read_str(r, comp, "publisher", where, out));
	if (!*out)
		TRY(sbom_read_str(r, comp, "author", where, out));
	return BOSUN_OK;
}

static int os_component(struct sbom_reader *r, const json_t *comp, const char *where)
{
	const char *name, *version, *desc;
	TRY(sbom_read_str(r, comp, "name", where, &name));
	TRY(sbom_read_str(r, comp, "version", where, &version));
	TRY(sbom_read_str(r, comp, "description", where, &desc));
	if (!sbom_read_os(r, name, version, desc))
		return BOSUN_OK;
	return properties(r, comp, where, SCOPE_OS, NULL);
}

static int package_component(struct sbom_reader *r, const json_t *comp, const char *where, const char *type)
{
	struct sbom_item it;
	memset(&it, 0, sizeof it);
	snprintf(it.where, sizeof it.where, "%s", where);
	TRY(sbom_read_str(r, comp, "purl", where, &it.purl));
	TRY(sbom_read_str(r, comp, "name", where, &it.name));
	TRY(sbom_read_str(r, comp, "version", where, &it.version));
	TRY(supplier(r, comp, where, &it.supplier));
	first_license(comp, &it.license);
	TRY(properties(r, comp, where, SCOPE_ITEM, &it));
	/* Files, applications (Trivy's lock files) and the like without a
	 * purl are structure, not packages: only libraries are counted. */
	if (!it.purl && (!type || strcmp(type, "library") != 0))
		return BOSUN_OK;
	return sbom_read_package(r, &it);
}

static int components(struct sbom_reader *r, const json_t *obj, const char *where);

static int component(struct sbom_reader *r, const json_t *comp, const char *where)
{
	TRY(sbom_read_count(r));
	if (!json_is_object(comp))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s: expected an object", r->what, where);
	const char *type;
	TRY(sbom_read_str(r, comp, "type", where, &type));
	if (type && strcmp(type, "operating-system") == 0)
		TRY(os_component(r, comp, where));
	else
		TRY(package_component(r, comp, where, type));
	return components(r, comp, where);
}

static int components(struct sbom_reader *r, const json_t *obj, const char *where)
{
	json_t *arr;
	TRY(sbom_read_array(r, obj, "components", where[0] ? where : "document", &arr));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[sizeof ((struct sbom_item *)0)->where];
		where_child(w, sizeof w, where, "components", i);
		TRY(component(r, json_array_get(arr, i), w));
	}
	return BOSUN_OK;
}

/* metadata.component: the target. bosun names an image by its config
 * digest (bom-ref), Syft by its version ("sha256:..."); "file" is how
 * bosun and Syft describe a directory. */
static int target(struct sbom_reader *r, const json_t *doc)
{
	const json_t *md = json_object_get(doc, "metadata");
	if (md && !json_is_object(md))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: metadata: expected an object", r->what);
	const json_t *comp = json_object_get(md, "component");
	if (!comp)
		return BOSUN_OK;
	if (!json_is_object(comp))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: metadata.component: expected an object", r->what);
	const char *w = "metadata.component", *type, *version;
	struct sbom_target *t = &r->target;
	TRY(sbom_read_str(r, comp, "name", w, &t->name));
	TRY(sbom_read_str(r, comp, "type", w, &type));
	TRY(sbom_read_str(r, comp, "version", w, &version));
	t->directory = type && (strcmp(type, "file") == 0 || strcmp(type, "application") == 0);
	TRY(properties(r, comp, w, SCOPE_TARGET, NULL));
	if (!t->directory && !t->image_id && version && strncmp(version, "sha256:", 7) == 0)
		t->image_id = version;
	r->have_target = true;
	return components(r, comp, w);
}

int sbom_read_cyclonedx(struct sbom_reader *r, const json_t *doc)
{
	TRY(check_spec(r, doc));
	TRY(target(r, doc));
	return components(r, doc, "");
}
