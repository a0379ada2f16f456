/* Rules beyond the Pod Security Standards: read-only root filesystems,
 * resources, image references, service account tokens, secrets in the
 * environment, container runtime sockets, cluster-admin bindings and the
 * default namespace. The set is one cluster: a workload's ServiceAccount
 * and the bindings naming it may come from other files. */
#include "k8s/k8s_internal.h"
#include "policy/rule_policy.h"
#include "util/strmap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const json_t *get(const json_t *o, const char *k) { return json_object_get(o, k); }

/* ---- the cluster context --------------------------------------------------------- */

struct k8s_cluster {
	struct arena arena;
	struct strmap sa_no_automount; /* "ns/name" of ServiceAccounts with automountServiceAccountToken: false */
	struct strmap admin_sa;        /* "ns/name" -> the binding's "Kind/name" */
	struct strmap admin_ns;        /* "ns" (all service accounts of ns) -> binding */
	const char *admin_all;         /* binding granting every service account, or NULL */
};

static bool admin_role(const json_t *binding)
{
	const json_t *ref = get(binding, "roleRef");
	const char *kind = json_string_value(get(ref, "kind"));
	const char *name = json_string_value(get(ref, "name"));
	return kind && name && !strcmp(kind, "ClusterRole") && !strcmp(name, "cluster-admin");
}

static bool is_binding(const struct k8s_object *o)
{
	return !strcmp(o->kind, "ClusterRoleBinding") || !strcmp(o->kind, "RoleBinding");
}

/* The namespace of a ServiceAccount subject: its own, else (RoleBinding)
 * the binding's. */
static const char *subject_ns(const struct k8s_object *o, const json_t *subj)
{
	const char *ns = json_string_value(get(subj, "namespace"));
	if (ns && *ns)
		return ns;
	return !strcmp(o->kind, "RoleBinding") ? o->ns : NULL;
}

static int put_key(struct k8s_cluster *c, struct strmap *m, const char *a, const char *b, const char *value)
{
	char *key = b ? arena_printf(&c->arena, "%s/%s", a, b) : arena_strdup(&c->arena, a);
	if (!key || strmap_put(m, key, (void *)value))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static int add_binding(struct k8s_cluster *c, const struct k8s_object *o)
{
	const char *label = arena_printf(&c->arena, "%s/%s", o->kind, o->name);
	if (!label)
		return BOSUN_ENOMEM;
	size_t i;
	const json_t *subj;
	json_array_foreach(get(o->obj, "subjects"), i, subj) {
		const char *kind = json_string_value(get(subj, "kind"));
		const char *name = json_string_value(get(subj, "name"));
		if (!kind || !name)
			continue;
		if (!strcmp(kind, "ServiceAccount")) {
			const char *ns = subject_ns(o, subj);
			if (ns)
				TRY(put_key(c, &c->admin_sa, ns, name, label));
		} else if (!strcmp(kind, "Group") && !strcmp(name, "system:serviceaccounts")) {
			c->admin_all = label;
		} else if (!strcmp(kind, "Group") && !strncmp(name, "system:serviceaccounts:", 23)) {
			TRY(put_key(c, &c->admin_ns, name + 23, NULL, label));
		}
	}
	return BOSUN_OK;
}

int k8s_cluster_build(const struct k8s_set *s, struct k8s_cluster **out, struct berr *e)
{
	struct k8s_cluster *c = calloc(1, sizeof *c);
	if (!c)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = BOSUN_OK;
	for (size_t i = 0; i < k8s_set_count(s) && rc == BOSUN_OK; i++) {
		const struct k8s_object *o = k8s_set_get(s, i);
		if (!strcmp(o->kind, "ServiceAccount") && json_is_false(get(o->obj, "automountServiceAccountToken")))
			rc = put_key(c, &c->sa_no_automount, o->ns, o->name, "");
		else if (is_binding(o) && admin_role(o->obj))
			rc = add_binding(c, o);
	}
	if (rc) {
		k8s_cluster_free(c);
		return berr_set(e, rc, "out of memory");
	}
	*out = c;
	return BOSUN_OK;
}

void k8s_cluster_free(struct k8s_cluster *c)
{
	if (!c)
		return;
	strmap_free(&c->sa_no_automount);
	strmap_free(&c->admin_sa);
	strmap_free(&c->admin_ns);
	arena_free(&c->arena);
	free(c);
}

static const void *lookup(const struct strmap *m, const char *a, const char *b)
{
	char key[1024];
	snprintf(key, sizeof key, "%s/%s", a, b);
	return strmap_get(m, key);
}

/* ---- RBAC: the bindings themselves ---------------------------------------------------- */

void k8s_check_rbac(struct k8s_ctx *c)
{
	const struct k8s_object *o = c->obj;
	if (!is_binding(o) || !admin_role(o->obj))
		return;
	size_t i;
	const json_t *subj;
	json_array_foreach(get(o->obj, "subjects"), i, subj) {
		const char *kind = json_string_value(get(subj, "kind"));
		const char *name = json_string_value(get(subj, "name"));
		if (!kind || !name)
			continue;
		if (!strcmp(kind, "ServiceAccount")) {
			const char *ns = subject_ns(o, subj);
			k8s_emit(c, K8S_R_CLUSTER_ADMIN_BINDING, NULL, k8s_line_of(c->s, subj),
				 "%s binds service account %s/%s to cluster-admin%s", o->kind, ns ? ns : "?", name,
				 !strcmp(o->kind, "RoleBinding") ? " (within its namespace)" : "");
		} else if (!strcmp(kind, "Group") && !strncmp(name, "system:serviceaccounts", 22)) {
			k8s_emit(c, K8S_R_CLUSTER_ADMIN_BINDING, NULL, k8s_line_of(c->s, subj),
				 "%s binds group %s (service accounts) to cluster-admin", o->kind, name);
		}
	}
}

/* ---- containers ------------------------------------------------------------------------ */

static void readonly_rootfs(struct k8s_ctx *c)
{
	if (c->windows)
		return; /* not supported on Windows */
	for (size_t i = 0; i < c->nct; i++) {
		const struct k8s_container *ct = &c->ct[i];
		if (ct->ephemeral || json_is_true(get(ct->sc, "readOnlyRootFilesystem")))
			continue;
		const json_t *v = get(ct->sc, "readOnlyRootFilesystem");
		k8s_emit(c, K8S_R_READONLY_ROOTFS, ct, v ? k8s_line(c, ct->sc, "readOnlyRootFilesystem") : k8s_line_of(c->s, ct->c),
			 "%s %s does not set readOnlyRootFilesystem: true", ct->role, ct->name);
	}
}

static void resources(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		const struct k8s_container *ct = &c->ct[i];
		if (ct->ephemeral)
			continue; /* ephemeral containers have no resources */
		const json_t *res = get(ct->c, "resources");
		static const char *const kinds[] = { "limits", "requests" };
		for (size_t k = 0; k < 2; k++) {
			const json_t *m = get(res, kinds[k]);
			bool cpu = json_object_get(m, "cpu") != NULL, mem = json_object_get(m, "memory") != NULL;
			if (cpu && mem)
				continue;
			k8s_emit(c, k ? K8S_R_RESOURCE_REQUESTS : K8S_R_RESOURCE_LIMITS, ct,
				 m ? k8s_line_of(c->s, m) : res ? k8s_line_of(c->s, res) : k8s_line_of(c->s, ct->c),
				 "%s %s has no %s%s%s %s", ct->role, ct->name, cpu ? "" : "cpu",
				 !cpu && !mem ? " or " : "", mem ? "" : "memory", k ? "request" : "limit");
		}
	}
}

struct image_ref {
	bool digest;
	char tag[128]; /* "" when none */
};

static void parse_image(const char *image, struct image_ref *r)
{
	const char *at = strchr(image, '@');
	size_t len = at ? (size_t)(at - image) : strlen(image);
	r->digest = at != NULL;
	const char *slash = memrchr(image, '/', len);
	const char *start = slash ? slash + 1 : image;
	const char *colon = memchr(start, ':', len - (size_t)(start - image));
	r->tag[0] = '\0';
	if (colon)
		snprintf(r->tag, sizeof r->tag, "%.*s", (int)(len - (size_t)(colon + 1 - image)), colon + 1);
}

static void images(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		const struct k8s_container *ct = &c->ct[i];
		const json_t *img = get(ct->c, "image");
		if (!json_is_string(img))
			continue;
		const char *image = json_string_value(img);
		unsigned line = k8s_line(c, ct->c, "image");
		struct image_ref r;
		parse_image(image, &r);
		if (!r.digest && (!r.tag[0] || !strcmp(r.tag, "latest")))
			k8s_emit(c, K8S_R_IMAGE_LATEST, ct, line, "%s %s uses image %s (%s)", ct->role, ct->name, image,
				 r.tag[0] ? "tag latest" : "no tag: latest");
		if (!r.digest)
			k8s_emit(c, K8S_R_IMAGE_DIGEST, ct, line, "%s %s uses image %s without a digest", ct->role,
				 ct->name, image);
		if (!rule_policy_image_allowed(c->o->policy, image))
			k8s_emit(c, K8S_R_IMAGE_REGISTRY, ct, line,
				 "%s %s uses image %s from a registry the policy does not allow", ct->role, ct->name,
				 image);
	}
}

/* An environment variable name that says it holds a secret, and is not the
 * path, name or switch of one (PASSWORD_FILE, SECRET_NAME, TOKEN_URL). */
static bool secret_name(const char *name)
{
	char up[256];
	size_t n = 0;
	for (; name[n] && n < sizeof up - 1; n++)
		up[n] = (char)toupper((unsigned char)name[n]);
	up[n] = '\0';
	static const char *const words[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "API_KEY",
					     "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH_KEY", "_PASS",
					     "CONN_STR", "CONNECTION_STRING", NULL };
	static const char *const not_secret[] = { "_FILE", "_PATH", "_DIR", "_NAME", "_URL", "_URI", "_ENDPOINT",
						  "_ENABLED", "_ENABLE", "_LENGTH", "_TTL", "_EXPIRY", "_TIMEOUT",
						  "_KEY_ID", "_HEADER", "_TYPE", "_REF", NULL };
	bool hit = false;
	for (size_t i = 0; words[i] && !hit; i++)
		hit = strstr(up, words[i]) != NULL;
	if (!hit)
		return false;
	for (size_t i = 0; not_secret[i]; i++) {
		size_t l = strlen(not_secret[i]);
		if (n >= l && !strcmp(up + n - l, not_secret[i]))
			return false;
	}
	return true;
}

/* A literal worth reporting: not empty, not a $(VAR) reference, not a
 * placeholder a template left. */
static bool literal_value(const char *v)
{
	if (strlen(v) < 4)
		return false;
	if (strstr(v, "$(") || strstr(v, "${") || strstr(v, "{{"))
		return false;
	return strcasecmp(v, "changeme") != 0 && strcasecmp(v, "true") != 0 && strcasecmp(v, "false") != 0;
}

static void mask(const char *v, char *out, size_t n)
{
	size_t len = strlen(v), show = len >= 12 ? 3 : 1;
	snprintf(out, n, "%.*s%s", (int)show, v, "********");
}

static void secret_env(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		const struct k8s_container *ct = &c->ct[i];
		size_t j;
		const json_t *ev;
		json_array_foreach(get(ct->c, "env"), j, ev) {
			const char *name = json_string_value(get(ev, "name"));
			const char *value = json_string_value(get(ev, "value"));
			if (!name || !value || !secret_name(name) || !literal_value(value))
				continue;
			char masked[32];
			mask(value, masked, sizeof masked);
			k8s_emit_match(c, K8S_R_SECRET_ENV, ct, k8s_line(c, ev, "value"), masked,
				       "%s %s sets %s to a literal value (%s)", ct->role, ct->name, name, masked);
		}
	}
}

/* The node paths that expose a container runtime's API: the sockets and
 * the directories that hold them (mounting /var/run exposes docker.sock). */
static bool runtime_socket_path(const char *path)
{
	char p[1024];
	snprintf(p, sizeof p, "%s", path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	static const char *const exact[] = { "/", "/run", "/var/run", "/var/run/docker", "/run/docker",
					     "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio",
					     "/run/k3s/containerd", "/var/lib/docker", "/var/lib/containerd", NULL };
	for (size_t i = 0; exact[i]; i++)
		if (!strcmp(p, exact[i]))
			return true;
	static const char *const socks[] = { "/docker.sock", "/containerd.sock", "/crio.sock", "/cri-dockerd.sock",
					     "/podman.sock", NULL };
	for (size_t i = 0; socks[i]; i++) {
		size_t l = strlen(socks[i]);
		if (n >= l && !strcmp(p + n - l, socks[i]))
			return true;
	}
	return false;
}

static void runtime_socket(struct k8s_ctx *c)
{
	size_t i;
	const json_t *v;
	json_array_foreach(get(c->spec, "volumes"), i, v) {
		const json_t *hp = get(v, "hostPath");
		const char *path = json_string_value(get(hp, "path"));
		if (!path || !runtime_socket_path(path))
			continue;
		const char *name = json_string_value(get(v, "name"));
		k8s_emit(c, K8S_R_RUNTIME_SOCKET, NULL, k8s_line(c, hp, "path"),
			 "volume %s mounts %s from the node: the container runtime's API", name ? name : "(unnamed)",
			 path);
	}
}

/* ---- the pod -------------------------------------------------------------------------- */

static const char *service_account(const struct k8s_ctx *c)
{
	const char *sa = json_string_value(get(c->spec, "serviceAccountName"));
	if (!sa || !*sa)
		sa = json_string_value(get(c->spec, "serviceAccount")); /* deprecated alias */
	return sa && *sa ? sa : "default";
}

static void sa_token(struct k8s_ctx *c)
{
	const json_t *v = get(c->spec, "automountServiceAccountToken");
	if (json_is_false(v))
		return;
	const char *sa = service_account(c);
	if (!(v && !json_is_null(v)) && lookup(&c->cluster->sa_no_automount, c->obj->ns, sa))
		return; /* the ServiceAccount turns it off and the pod does not turn it back on */
	if (json_is_true(v))
		k8s_emit(c, K8S_R_SA_TOKEN_AUTOMOUNT, NULL, k8s_line(c, c->spec, "automountServiceAccountToken"),
			 "the pod sets automountServiceAccountToken: true (service account %s)", sa);
	else
		k8s_emit(c, K8S_R_SA_TOKEN_AUTOMOUNT, NULL, k8s_line_of(c->s, c->spec),
			 "the token of service account %s is mounted: neither the pod nor the ServiceAccount sets "
			 "automountServiceAccountToken: false",
			 sa);
}

static void cluster_admin(struct k8s_ctx *c)
{
	const char *sa = service_account(c);
	const char *by = lookup(&c->cluster->admin_sa, c->obj->ns, sa);
	if (!by)
		by = strmap_get(&c->cluster->admin_ns, c->obj->ns);
	if (!by)
		by = c->cluster->admin_all;
	if (!by)
		return;
	const json_t *v = get(c->spec, "serviceAccountName");
	k8s_emit(c, K8S_R_CLUSTER_ADMIN_WORKLOAD, NULL,
		 v ? k8s_line(c, c->spec, "serviceAccountName") : k8s_line_of(c->s, c->spec),
		 "runs as service account %s/%s, bound to cluster-admin by %s", c->obj->ns, sa, by);
}

static void default_namespace(struct k8s_ctx *c)
{
	const json_t *md = get(c->obj->obj, "metadata");
	const char *ns = json_string_value(get(md, "namespace"));
	if (ns && !strcmp(ns, "default"))
		k8s_emit(c, K8S_R_DEFAULT_NAMESPACE, NULL, k8s_line(c, md, "namespace"),
			 "%s is deployed to the default namespace", c->where);
}

void k8s_check_extra(struct k8s_ctx *c)
{
	readonly_rootfs(c);
	resources(c);
	images(c);
	secret_env(c);
	runtime_socket(c);
	sa_token(c);
	cluster_admin(c);
	default_namespace(c);
}
