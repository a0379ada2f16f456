/* Manifests as text -> the network-policy model: every document of a YAML
 * (or JSON) stream, List items expanded. Used to verify generated policies
 * and by tests; the CLI reads files through src/k8s/k8s.h. */
#include "k8s/netpol.h"

#include <string.h>

#include "util/json.h"
#include "util/yaml_json.h"

struct stream_ctx {
	struct netpol_model *m;
	const char *what;
	struct yaml_json_lines *lines;
};

static int on_doc(void *arg, json_t *doc, unsigned line, struct berr *e)
{
	struct stream_ctx *c = arg;
	int rc = BOSUN_OK;
	const char *kind = json_str(doc, "kind");
	const json_t *items = json_object_get(doc, "items");
	if (kind && !strcmp(kind, "List") && json_is_array(items)) {
		for (size_t i = 0; i < json_array_size(items) && rc == BOSUN_OK; i++) {
			const json_t *it = json_array_get(items, i);
			unsigned l = yaml_json_line(c->lines, it);
			rc = netpol_model_add(c->m, it, c->what, l ? l : line, e);
		}
	} else {
		rc = netpol_model_add(c->m, doc, c->what, line, e);
	}
	json_decref(doc);
	return rc;
}

int netpol_model_add_yaml(struct netpol_model *m, const char *what, const char *data, size_t n, struct berr *e)
{
	struct stream_ctx c = { m, what, yaml_json_lines_new() };
	if (!c.lines)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = yaml_json_parse_stream(data, n, NULL, what, c.lines, on_doc, &c, e);
	yaml_json_lines_free(c.lines);
	return rc;
}
