/* YAML merge keys (https://yaml.org/type/merge.html), which compose files
 * use for shared service defaults (`<<: *default`). src/util/yaml_json.c
 * keeps `<<` as an ordinary key (merge keys are YAML 1.1, not 1.2 core), so
 * the compose checker applies them itself.
 *
 * Trees from yaml_json share aliased nodes (a DAG), so resolving in place
 * may visit a shared node more than once: resolution is idempotent (the
 * `<<` key is gone after the first visit) and the total work is bounded by
 * the expanded node count yaml_json already limits. */
#include "compose/compose_internal.h"

#include <string.h>

#define MERGE_KEY "<<"
#define MAX_DEPTH 128 /* yaml_json stops at 64; a guard only */

static void resolve(json_t *node, int depth);

/* Copies into dst the keys of src it does not have yet. */
static void merge_from(json_t *dst, json_t *src, int depth)
{
	if (!json_is_object(src) || src == dst)
		return;
	resolve(src, depth + 1); /* an anchor may use merge keys itself */
	const char *k;
	json_t *v;
	json_object_foreach(src, k, v) {
		if (strcmp(k, MERGE_KEY) && !json_object_get(dst, k))
			json_object_set(dst, k, v);
	}
}

static void resolve_object(json_t *obj, int depth)
{
	json_t *m = json_object_get(obj, MERGE_KEY);
	if (m && (json_is_object(m) || json_is_array(m))) {
		json_incref(m);
		json_object_del(obj, MERGE_KEY); /* before merging, so a source never sees it */
		if (json_is_object(m)) {
			merge_from(obj, m, depth);
		} else {
			size_t i;
			json_t *src;
			json_array_foreach(m, i, src)
				merge_from(obj, src, depth);
		}
		json_decref(m);
	}
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
		resolve(v, depth + 1);
}

static void resolve(json_t *node, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	if (json_is_object(node)) {
		resolve_object(node, depth);
	} else if (json_is_array(node)) {
		size_t i;
		json_t *v;
		json_array_foreach(node, i, v)
			resolve(v, depth + 1);
	}
}

void compose_resolve_merges(json_t *root) { resolve(root, 0); }
