/* The Pod Security Standards, control by control, with exactly the allowed
 * values the standard lists (https://kubernetes.io/docs/concepts/security/
 * pod-security-standards/, as of Kubernetes 1.34).
 *
 * Each violation is reported once, by the most basic control it breaks:
 * an added SYS_ADMIN is a Baseline Capabilities finding, not also a
 * Restricted one; a seccomp profile set to Unconfined is a Baseline Seccomp
 * finding, while the Restricted Seccomp control reports containers that
 * have no profile at all; a hostPath volume is a HostPath finding, not
 * also a Volume Types one. Restricted therefore adds findings to Baseline
 * and never repeats them.
 *
 * Container fields are read for containers, init containers and ephemeral
 * containers alike; the container value overrides the pod's where the
 * standard says so (runAsNonRoot, seccompProfile). Privilege Escalation,
 * Seccomp (restricted) and Capabilities (restricted) do not apply to
 * Windows pods (spec.os.name: windows), as the standard says. */
#include "k8s/k8s_internal.h"

#include <stdio.h>
#include <string.h>

static const json_t *get(const json_t *o, const char *k) { return json_object_get(o, k); }

static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* A set field: present and not null (the standard's "undefined/nil"). */
static bool set(const json_t *v) { return v && !json_is_null(v); }

/* Text of a scalar for messages. */
static const char *show(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, n, "%s", json_is_null(v) ? "null" : "(a structure)");
	return buf;
}

/* ---- Baseline ----------------------------------------------------------------- */

static void host_process(struct k8s_ctx *c)
{
	const json_t *w = get(c->psc, "windowsOptions");
	if (json_is_true(get(w, "hostProcess")))
		k8s_emit(c, K8S_R_HOST_PROCESS, NULL, k8s_line(c, w, "hostProcess"),
			 "spec.securityContext.windowsOptions.hostProcess is true");
	for (size_t i = 0; i < c->nct; i++) {
		w = get(c->ct[i].sc, "windowsOptions");
		if (json_is_true(get(w, "hostProcess")))
			k8s_emit(c, K8S_R_HOST_PROCESS, &c->ct[i], k8s_line(c, w, "hostProcess"),
				 "%s %s sets windowsOptions.hostProcess: true", c->ct[i].role, c->ct[i].name);
	}
}

static void host_namespaces(struct k8s_ctx *c)
{
	static const char *const keys[] = { "hostNetwork", "hostPID", "hostIPC" };
	for (size_t i = 0; i < 3; i++)
		if (json_is_true(get(c->spec, keys[i])))
			k8s_emit(c, K8S_R_HOST_NAMESPACES, NULL, k8s_line(c, c->spec, keys[i]),
				 "spec.%s is true: the pod shares the node's %s namespace", keys[i],
				 i == 0 ? "network" : i == 1 ? "process" : "IPC");
}

static void privileged(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++)
		if (json_is_true(get(c->ct[i].sc, "privileged")))
			k8s_emit(c, K8S_R_PRIVILEGED, &c->ct[i], k8s_line(c, c->ct[i].sc, "privileged"),
				 "%s %s is privileged (securityContext.privileged: true)", c->ct[i].role,
				 c->ct[i].name);
}

static const char *const baseline_caps[] = {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT", NULL,
};

/* Lists the capabilities of `add` for which keep(cap) holds; returns how
 * many, and the line of the first. */
static size_t pick_caps(struct k8s_ctx *c, const json_t *add, bool (*keep)(const char *), char *out, size_t n,
			unsigned *line)
{
	size_t cnt = 0, used = 0;
	size_t i;
	const json_t *v;
	out[0] = '\0';
	*line = 0;
	json_array_foreach(add, i, v) {
		char tmp[128];
		const char *cap = json_is_string(v) ? json_string_value(v) : show(v, tmp, sizeof tmp);
		if (!keep(cap))
			continue;
		if (!cnt++)
			*line = k8s_line_of(c->s, v);
		if (used < n) {
			int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", cap);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return cnt;
}

static bool not_baseline_cap(const char *cap) { return !in_list(cap, baseline_caps); }

static bool baseline_not_nbs(const char *cap)
{
	return in_list(cap, baseline_caps) && strcmp(cap, "NET_BIND_SERVICE") != 0;
}

static void capabilities_baseline(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		const json_t *caps = get(c->ct[i].sc, "capabilities");
		char list[512];
		unsigned line;
		if (pick_caps(c, get(caps, "add"), not_baseline_cap, list, sizeof list, &line))
			k8s_emit(c, K8S_R_CAPABILITIES_BASELINE, &c->ct[i], line ? line : k8s_line(c, caps, "add"),
				 "%s %s adds capabilities outside the baseline set: %s", c->ct[i].role, c->ct[i].name,
				 list);
	}
}

static void host_path(struct k8s_ctx *c)
{
	size_t i;
	const json_t *v;
	json_array_foreach(get(c->spec, "volumes"), i, v) {
		const json_t *hp = get(v, "hostPath");
		if (!set(hp))
			continue;
		const char *path = json_string_value(get(hp, "path"));
		k8s_emit(c, K8S_R_HOST_PATH, NULL, k8s_line(c, v, "hostPath"), "volume %s mounts the node's %s",
			 json_string_value(get(v, "name")) ? json_string_value(get(v, "name")) : "(unnamed)",
			 path ? path : "(no path)");
	}
}

static void host_ports(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		size_t j;
		const json_t *p;
		json_array_foreach(get(c->ct[i].c, "ports"), j, p) {
			const json_t *hp = get(p, "hostPort");
			if (!set(hp) || (json_is_integer(hp) && json_integer_value(hp) == 0) ||
			    (json_is_string(hp) && !strcmp(json_string_value(hp), "0")))
				continue;
			char tmp[64];
			k8s_emit(c, K8S_R_HOST_PORTS, &c->ct[i], k8s_line(c, p, "hostPort"),
				 "%s %s binds host port %s", c->ct[i].role, c->ct[i].name, show(hp, tmp, sizeof tmp));
		}
	}
}

static void probe_host(struct k8s_ctx *c, const struct k8s_container *ct, const json_t *handler_parent,
		       const char *what)
{
	static const char *const handlers[] = { "httpGet", "tcpSocket" };
	for (size_t h = 0; h < 2; h++) {
		const json_t *hd = get(handler_parent, handlers[h]);
		const json_t *host = get(hd, "host");
		if (!set(host) || (json_is_string(host) && !json_string_length(host)))
			continue;
		char tmp[256];
		k8s_emit(c, K8S_R_HOST_PROBES, ct, k8s_line(c, hd, "host"), "%s %s: %s.%s.host is %s", ct->role,
			 ct->name, what, handlers[h], show(host, tmp, sizeof tmp));
	}
}

static void host_probes(struct k8s_ctx *c)
{
	static const char *const probes[] = { "livenessProbe", "readinessProbe", "startupProbe" };
	static const char *const hooks[] = { "postStart", "preStop" };
	for (size_t i = 0; i < c->nct; i++) {
		for (size_t p = 0; p < 3; p++)
			probe_host(c, &c->ct[i], get(c->ct[i].c, probes[p]), probes[p]);
		const json_t *lc = get(c->ct[i].c, "lifecycle");
		for (size_t h = 0; h < 2; h++) {
			char what[32];
			snprintf(what, sizeof what, "lifecycle.%s", hooks[h]);
			probe_host(c, &c->ct[i], get(lc, hooks[h]), what);
		}
	}
}

/* appArmorProfile / seccompProfile: an object whose type must be one of
 * RuntimeDefault and Localhost when the object is set. */
static bool profile_type_ok(const json_t *profile)
{
	if (!set(profile))
		return true;
	const char *t = json_string_value(get(profile, "type"));
	return t && (!strcmp(t, "RuntimeDefault") || !strcmp(t, "Localhost"));
}

static const char *profile_type(const json_t *profile)
{
	const char *t = json_string_value(get(profile, "type"));
	return t ? t : "(no type)";
}

/* The annotations of the pod template whose key starts with prefix (or
 * equals it when exact), checked by ok(value). */
static void annotations(struct k8s_ctx *c, enum k8s_rule_idx r, const char *prefix, bool exact,
			bool (*ok)(const char *))
{
	const json_t *ann = get(c->meta, "annotations");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)ann, k, v) {
		if (exact ? strcmp(k, prefix) != 0 : strncmp(k, prefix, strlen(prefix)) != 0)
			continue;
		char tmp[256];
		const char *val = json_is_string(v) ? json_string_value(v) : show(v, tmp, sizeof tmp);
		if (!ok(val))
			k8s_emit(c, r, NULL, k8s_line(c, ann, k), "annotation %s is \"%s\"", k, val);
	}
}

static bool apparmor_annotation_ok(const char *v) { return !strcmp(v, "runtime/default") || !strncmp(v, "localhost/", 10); }

static void apparmor(struct k8s_ctx *c)
{
	const json_t *p = get(c->psc, "appArmorProfile");
	if (!profile_type_ok(p))
		k8s_emit(c, K8S_R_APPARMOR, NULL, k8s_line(c, p, "type"),
			 "spec.securityContext.appArmorProfile.type is %s", profile_type(p));
	for (size_t i = 0; i < c->nct; i++) {
		p = get(c->ct[i].sc, "appArmorProfile");
		if (!profile_type_ok(p))
			k8s_emit(c, K8S_R_APPARMOR, &c->ct[i], k8s_line(c, p, "type"),
				 "%s %s sets appArmorProfile.type %s", c->ct[i].role, c->ct[i].name, profile_type(p));
	}
	annotations(c, K8S_R_APPARMOR, "container.apparmor.security.beta.kubernetes.io/", false,
		    apparmor_annotation_ok);
}

static void selinux_options(struct k8s_ctx *c, const struct k8s_container *ct, const json_t *o)
{
	static const char *const types[] = { "", "container_t", "container_init_t", "container_kvm_t",
					     "container_engine_t", NULL };
	const char *who = ct ? ct->role : "pod";
	const char *name = ct ? ct->name : "";
	const json_t *t = get(o, "type");
	char tmp[256];
	if (set(t) && !(json_is_string(t) && in_list(json_string_value(t), types)))
		k8s_emit(c, K8S_R_SELINUX, ct, k8s_line(c, o, "type"), "%s%s%s sets seLinuxOptions.type %s", who,
			 *name ? " " : "", name, show(t, tmp, sizeof tmp));
	static const char *const fields[] = { "user", "role" };
	for (size_t f = 0; f < 2; f++) {
		const json_t *v = get(o, fields[f]);
		if (set(v) && !(json_is_string(v) && !json_string_length(v)))
			k8s_emit(c, K8S_R_SELINUX, ct, k8s_line(c, o, fields[f]), "%s%s%s sets seLinuxOptions.%s %s",
				 who, *name ? " " : "", name, fields[f], show(v, tmp, sizeof tmp));
	}
}

static void selinux(struct k8s_ctx *c)
{
	selinux_options(c, NULL, get(c->psc, "seLinuxOptions"));
	for (size_t i = 0; i < c->nct; i++)
		selinux_options(c, &c->ct[i], get(c->ct[i].sc, "seLinuxOptions"));
}

static void proc_mount(struct k8s_ctx *c)
{
	for (size_t i = 0; i < c->nct; i++) {
		const json_t *pm = get(c->ct[i].sc, "procMount");
		if (!set(pm) || (json_is_string(pm) && !strcmp(json_string_value(pm), "Default")))
			continue;
		char tmp[128];
		k8s_emit(c, K8S_R_PROC_MOUNT, &c->ct[i], k8s_line(c, c->ct[i].sc, "procMount"),
			 "%s %s sets procMount %s", c->ct[i].role, c->ct[i].name, show(pm, tmp, sizeof tmp));
	}
}

/* The seccomp annotations, deprecated since 1.19: docker/default is the
 * old spelling of runtime/default. */
static bool seccomp_annotation_ok(const char *v)
{
	return !strcmp(v, "runtime/default") || !strcmp(v, "docker/default") || !strncmp(v, "localhost/", 10);
}

static void seccomp_baseline(struct k8s_ctx *c)
{
	const json_t *p = get(c->psc, "seccompProfile");
	if (!profile_type_ok(p))
		k8s_emit(c, K8S_R_SECCOMP_BASELINE, NULL, k8s_line(c, p, "type"),
			 "spec.securityContext.seccompProfile.type is %s", profile_type(p));
	for (size_t i = 0; i < c->nct; i++) {
		p = get(c->ct[i].sc, "seccompProfile");
		if (!profile_type_ok(p))
			k8s_emit(c, K8S_R_SECCOMP_BASELINE, &c->ct[i], k8s_line(c, p, "type"),
				 "%s %s sets seccompProfile.type %s", c->ct[i].role, c->ct[i].name, profile_type(p));
	}
	annotations(c, K8S_R_SECCOMP_BASELINE, "seccomp.security.alpha.kubernetes.io/pod", true,
		    seccomp_annotation_ok);
	annotations(c, K8S_R_SECCOMP_BASELINE, "container.seccomp.security.alpha.kubernetes.io/", false,
		    seccomp_annotation_ok);
}

static void sysctls(struct k8s_ctx *c)
{
	static const char *const safe[] = {
		"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
		"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
		"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
		"net.ipv4.tcp_keepalive_probes", NULL,
	};
	size_t i;
	const json_t *v;
	json_array_foreach(get(c->psc, "sysctls"), i, v) {
		const json_t *name = get(v, "name");
		if (json_is_string(name) && in_list(json_string_value(name), safe))
			continue;
		char tmp[256];
		k8s_emit(c, K8S_R_SYSCTLS, NULL, k8s_line(c, v, "name"), "spec.securityContext.sysctls sets %s",
			 show(name, tmp, sizeof tmp));
	}
}

/* ---- Restricted ----------------------------------------------------------------- */

static void volume_types(struct k8s_ctx *c)
{
	static const char *const allowed[] = { "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
					       "persistentVolumeClaim", "projected", "secret", NULL };
	size_t i;
	const json_t *v;
	json_array_foreach(get(c->spec, "volumes"), i, v) {
		bool ok = false;
		const char *other = NULL, *k;
		const json_t *val;
		json_object_foreach((json_t *)v, k, val) {
			if (!strcmp(k, "name") || !set(val))
				continue;
			if (in_list(k, allowed))
				ok = true;
			else if (!other)
				other = k;
		}
		if (ok || (other && !strcmp(other, "hostPath")))
			continue; /* hostPath: the Baseline HostPath finding */
		const char *name = json_string_value(get(v, "name"));
		k8s_emit(c, K8S_R_VOLUME_TYPES, NULL, other ? k8s_line(c, v, other) : k8s_line_of(c->s, v),
			 "volume %s is of type %s", name ? name : "(unnamed)", other ? other : "(none)");
	}
}

static void privilege_escalation(struct k8s_ctx *c)
{
	if (c->windows)
		return;
	for (size_t i = 0; i < c->nct; i++) {
		const json_t *ape = get(c->ct[i].sc, "allowPrivilegeEscalation");
		if (json_is_false(ape))
			continue;
		if (set(ape))
			k8s_emit(c, K8S_R_PRIVILEGE_ESCALATION, &c->ct[i],
				 k8s_line(c, c->ct[i].sc, "allowPrivilegeEscalation"),
				 "%s %s sets allowPrivilegeEscalation: true", c->ct[i].role, c->ct[i].name);
		else
			k8s_emit(c, K8S_R_PRIVILEGE_ESCALATION, &c->ct[i], k8s_line_of(c->s, c->ct[i].c),
				 "%s %s does not set allowPrivilegeEscalation: false", c->ct[i].role, c->ct[i].name);
	}
}

static void run_as_non_root(struct k8s_ctx *c)
{
	const json_t *pod = get(c->psc, "runAsNonRoot");
	if (json_is_false(pod))
		k8s_emit(c, K8S_R_RUN_AS_NON_ROOT, NULL, k8s_line(c, c->psc, "runAsNonRoot"),
			 "spec.securityContext.runAsNonRoot is false");
	bool pod_true = json_is_true(pod);
	for (size_t i = 0; i < c->nct; i++) {
		const json_t *v = get(c->ct[i].sc, "runAsNonRoot");
		if (set(v) && !json_is_true(v))
			k8s_emit(c, K8S_R_RUN_AS_NON_ROOT, &c->ct[i], k8s_line(c, c->ct[i].sc, "runAsNonRoot"),
				 "%s %s sets runAsNonRoot: false", c->ct[i].role, c->ct[i].name);
		else if (!set(v) && !pod_true)
			k8s_emit(c, K8S_R_RUN_AS_NON_ROOT, &c->ct[i], k8s_line_of(c->s, c->ct[i].c),
				 "neither %s %s nor the pod sets runAsNonRoot: true", c->ct[i].role, c->ct[i].name);
	}
}

static bool is_zero(const json_t *v) { return json_is_integer(v) && json_integer_value(v) == 0; }

static void run_as_user(struct k8s_ctx *c)
{
	if (is_zero(get(c->psc, "runAsUser")))
		k8s_emit(c, K8S_R_RUN_AS_USER, NULL, k8s_line(c, c->psc, "runAsUser"),
			 "spec.securityContext.runAsUser is 0 (root)");
	for (size_t i = 0; i < c->nct; i++)
		if (is_zero(get(c->ct[i].sc, "runAsUser")))
			k8s_emit(c, K8S_R_RUN_AS_USER, &c->ct[i], k8s_line(c, c->ct[i].sc, "runAsUser"),
				 "%s %s sets runAsUser: 0 (root)", c->ct[i].role, c->ct[i].name);
}

static void seccomp_restricted(struct k8s_ctx *c)
{
	if (c->windows || set(get(c->psc, "seccompProfile")))
		return; /* an invalid pod-level profile is the Baseline finding */
	for (size_t i = 0; i < c->nct; i++)
		if (!set(get(c->ct[i].sc, "seccompProfile")))
			k8s_emit(c, K8S_R_SECCOMP_RESTRICTED, &c->ct[i], k8s_line_of(c->s, c->ct[i].c),
				 "neither %s %s nor the pod sets seccompProfile.type (RuntimeDefault or Localhost)",
				 c->ct[i].role, c->ct[i].name);
}

static bool drops_all(const json_t *drop)
{
	size_t i;
	const json_t *v;
	json_array_foreach(drop, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), "ALL")) return true;
	return false;
}

static void capabilities_restricted(struct k8s_ctx *c)
{
	if (c->windows)
		return;
	for (size_t i = 0; i < c->nct; i++) {
		const struct k8s_container *ct = &c->ct[i];
		const json_t *caps = get(ct->sc, "capabilities");
		if (!drops_all(get(caps, "drop")))
			k8s_emit(c, K8S_R_CAPABILITIES_RESTRICTED, ct,
				 caps ? k8s_line(c, caps, "drop") : k8s_line_of(c->s, ct->c),
				 "%s %s does not drop ALL capabilities", ct->role, ct->name);
		char list[512];
		unsigned line;
		if (pick_caps(c, get(caps, "add"), baseline_not_nbs, list, sizeof list, &line))
			k8s_emit(c, K8S_R_CAPABILITIES_RESTRICTED, ct, line,
				 "%s %s adds %s (only NET_BIND_SERVICE may be added)", ct->role, ct->name, list);
	}
}

void k8s_check_pss(struct k8s_ctx *c)
{
	host_process(c);
	host_namespaces(c);
	privileged(c);
	capabilities_baseline(c);
	host_path(c);
	host_ports(c);
	host_probes(c);
	apparmor(c);
	selinux(c);
	proc_mount(c);
	seccomp_baseline(c);
	sysctls(c);
	volume_types(c);
	privilege_escalation(c);
	run_as_non_root(c);
	run_as_user(c);
	seccomp_restricted(c);
	capabilities_restricted(c);
}
