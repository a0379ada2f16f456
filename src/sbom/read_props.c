/* Producer properties of SBOM elements: bosun's own (the names its
 * writers use, src/sbom/writer.c), Trivy's aquasecurity:trivy:* and
 * Syft's syft:*, gathered into items and the target for read_package.c. A
 * table per scope: adding a producer's property is one line. */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- properties ------------------------------------------------------------------------- */

#define ITEM_FIELD(f) offsetof(struct sbom_item, f)

/* Package properties by producer. bosun's are its own writer's
 * (sbom_pkg_props); Trivy's are the names its CycloneDX writer uses (the
 * SPDX reader maps Trivy's "Key: value" annotations onto them); Syft's are
 * its location and dpkg metadata properties. */
static const struct {
	const char *name;
	size_t off;
} item_props[] = {
	{ "bosun:arch", ITEM_FIELD(arch) },
	{ "bosun:source_name", ITEM_FIELD(src_name) },
	{ "bosun:source_version", ITEM_FIELD(src_version) },
	{ "bosun:maintainer", ITEM_FIELD(maintainer) },
	{ "bosun:vendor", ITEM_FIELD(vendor) },
	{ "bosun:modularity_label", ITEM_FIELD(modularity) },
	{ "bosun:commit", ITEM_FIELD(commit) },
	{ "bosun:found_in", ITEM_FIELD(found_in) },
	{ "bosun:layer:index", ITEM_FIELD(layer_index) },
	{ "bosun:layer:diffID", ITEM_FIELD(layer_diff_id) },
	{ "bosun:layer:digest", ITEM_FIELD(layer_digest) },
	{ "aquasecurity:trivy:SrcName", ITEM_FIELD(t_src_name) },
	{ "aquasecurity:trivy:SrcVersion", ITEM_FIELD(t_src_version) },
	{ "aquasecurity:trivy:SrcRelease", ITEM_FIELD(t_src_release) },
	{ "aquasecurity:trivy:SrcEpoch", ITEM_FIELD(t_src_epoch) },
	{ "aquasecurity:trivy:LayerDiffID", ITEM_FIELD(t_diff_id) },
	{ "aquasecurity:trivy:LayerDigest", ITEM_FIELD(t_digest) },
	{ "aquasecurity:trivy:FilePath", ITEM_FIELD(t_file_path) },
	{ "aquasecurity:trivy:Modularitylabel", ITEM_FIELD(t_modularity) },
	{ "syft:metadata:source", ITEM_FIELD(s_source) },
	{ "syft:metadata:sourceVersion", ITEM_FIELD(s_source_version) },
	{ "syft:location:0:layerID", ITEM_FIELD(s_layer) },
	{ "syft:location:0:path", ITEM_FIELD(s_path) },
};

int sbom_read_item_prop(struct sbom_reader *r, struct sbom_item *it, const char *name, const char *value)
{
	for (size_t i = 0; i < sizeof item_props / sizeof item_props[0]; i++) {
		if (strcmp(name, item_props[i].name) != 0)
			continue;
		TRY(sbom_read_check_value(r, name, value));
		const char **slot = (const char **)((char *)it + item_props[i].off);
		if (!*slot && value[0]) /* the first of a repeated property wins */
			*slot = value;
		return BOSUN_OK;
	}
	return BOSUN_OK;
}

static int push_str(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		const char **nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return BOSUN_ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = s;
	return BOSUN_OK;
}

/* Appends a layer (diff ID, digest) and says its index. */
int sbom_read_add_layer(struct sbom_reader *r, const char *diff_id, const char *digest, int *index)
{
	if (r->nlayers >= SBOM_READ_MAX_LAYERS)
		return berr_set(r->e, BOSUN_ELIMIT, "%s: more than %d layers", r->what, SBOM_READ_MAX_LAYERS);
	if (r->nlayers == r->cap_layers) {
		size_t cap = r->cap_layers ? r->cap_layers * 2 : 16;
		const char **d = realloc(r->diff_ids, cap * sizeof *d);
		if (!d)
			return BOSUN_ENOMEM;
		r->diff_ids = d;
		const char **g = realloc(r->digests, cap * sizeof *g);
		if (!g)
			return BOSUN_ENOMEM;
		r->digests = g;
		r->cap_layers = cap;
	}
	r->diff_ids[r->nlayers] = diff_id;
	r->digests[r->nlayers] = digest;
	*index = (int)r->nlayers++;
	return BOSUN_OK;
}

#define TARGET_FIELD(f) offsetof(struct sbom_target, f)

/* Target properties with one value: bosun's (sbom_target_props) and Trivy's. */
static const struct {
	const char *name;
	size_t off;
} target_props[] = {
	{ "bosun:target_kind", TARGET_FIELD(kind) },
	{ "bosun:image:id", TARGET_FIELD(image_id) },
	{ "aquasecurity:trivy:ImageID", TARGET_FIELD(image_id) },
	{ "bosun:image:manifest_digest", TARGET_FIELD(manifest_digest) },
	{ "bosun:image:architecture", TARGET_FIELD(architecture) },
	{ "bosun:image:variant", TARGET_FIELD(variant) },
	{ "bosun:image:os", TARGET_FIELD(os_name) },
	{ "bosun:image:created", TARGET_FIELD(created) },
};

int sbom_read_target_prop(struct sbom_reader *r, const char *name, const char *value)
{
	if (!value[0])
		return BOSUN_OK;
	for (size_t i = 0; i < sizeof target_props / sizeof target_props[0]; i++) {
		if (strcmp(name, target_props[i].name) == 0) {
			TRY(sbom_read_check_value(r, name, value));
			const char **slot = (const char **)((char *)&r->target + target_props[i].off);
			if (!*slot)
				*slot = value;
			return BOSUN_OK;
		}
	}
	/* One per layer, bottom first (bosun and Trivy both list the image
	 * config's diff_ids in order). */
	if (strcmp(name, "bosun:image:diffID") == 0 || strcmp(name, "aquasecurity:trivy:DiffID") == 0) {
		TRY(sbom_read_check_value(r, name, value));
		int index;
		return sbom_read_add_layer(r, value, NULL, &index);
	}
	if (strcmp(name, "bosun:image:repo_tag") == 0 || strcmp(name, "aquasecurity:trivy:RepoTag") == 0) {
		TRY(sbom_read_check_value(r, name, value));
		if (r->ntags >= 256)
			return BOSUN_OK;
		return push_str(&r->tags, &r->ntags, &r->cap_tags, value);
	}
	return BOSUN_OK;
}

