/* The bridge from a loaded manifest set (src/k8s/k8s.h) to the
 * network-policy model: every object with the file and line it came from. */
#include "k8s/k8s.h"
#include "k8s/netpol.h"

int netpol_model_add_set(struct netpol_model *m, const struct k8s_set *s, struct berr *e)
{
	for (size_t i = 0; i < k8s_set_count(s); i++) {
		const struct k8s_object *o = k8s_set_get(s, i);
		TRY(netpol_model_add(m, o->obj, o->file, o->line, e));
	}
	return BOSUN_OK;
}
