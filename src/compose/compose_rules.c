/* The compose rules: one table (ids, severities, remediations, controls)
 * and one check per rule over a service's settings. Control numbers are
 * those of the CIS Docker Benchmark v1.6.0 (section 5, container runtime;
 * 4.1 for the container user). */
#include "compose/compose_rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define REF "https://docs.docker.com/reference/compose-file/services/"

static const struct compose_rule rules[CMP_COUNT] = {
	[CMP_PRIVILEGED] = { "CMP-001", SEV_CRITICAL, "Privileged container",
			     "Remove `privileged: true`; grant only the capabilities (cap_add) or devices the service needs.",
			     "CIS Docker 5.5", REF "#privileged" },
	[CMP_CAP_ADD] = { "CMP-002", SEV_HIGH, "Dangerous capability added",
			  "Remove the capability from cap_add; most services need none beyond Docker's default set.",
			  "CIS Docker 5.4", REF "#cap_add" },
	[CMP_CAP_DROP] = { "CMP-003", SEV_LOW, "Capabilities not dropped",
			   "Add `cap_drop: [ALL]` and add back (cap_add) only the capabilities the service needs.",
			   "CIS Docker 5.4", REF "#cap_drop" },
	[CMP_HOST_NETWORK] = { "CMP-004", SEV_HIGH, "Host network namespace shared",
			       "Remove `network_mode: host`; publish the ports the service needs instead.",
			       "CIS Docker 5.10", REF "#network_mode" },
	[CMP_HOST_PID] = { "CMP-005", SEV_HIGH, "Host process namespace shared",
			   "Remove `pid: host`.", "CIS Docker 5.16", REF "#pid" },
	[CMP_HOST_IPC] = { "CMP-006", SEV_MEDIUM, "Host IPC namespace shared",
			   "Remove `ipc: host`; use `ipc: shareable` / `service:NAME` to share between services.",
			   "CIS Docker 5.17", REF "#ipc" },
	[CMP_HOST_UTS] = { "CMP-007", SEV_MEDIUM, "Host UTS namespace shared", "Remove `uts: host`.",
			   "CIS Docker 5.21", REF "#uts" },
	[CMP_HOST_USERNS] = { "CMP-008", SEV_MEDIUM, "Host user namespace shared",
			      "Remove `userns_mode: host` so the daemon's user-namespace remapping applies.",
			      "CIS Docker 5.31", REF "#userns_mode" },
	[CMP_RUNTIME_SOCKET] = { "CMP-009", SEV_CRITICAL, "Container runtime socket mounted",
				 "Do not mount the Docker, containerd, CRI-O or Podman socket: it gives root on the host. "
				 "Use a socket proxy that allows only the API calls needed.",
				 "CIS Docker 5.32", REF "#volumes" },
	[CMP_SENSITIVE_MOUNT] = { "CMP-010", SEV_HIGH, "Sensitive host path mounted",
				  "Mount only the application's own data directories, read-only where possible; never "
				  "host system directories or credential stores.",
				  "CIS Docker 5.6", REF "#volumes" },
	[CMP_SHARED_PROPAGATION] = { "CMP-011", SEV_MEDIUM, "Mount propagation set to shared",
				     "Use the default (rprivate) propagation; remove `shared`/`rshared`.",
				     "CIS Docker 5.20", REF "#volumes" },
	[CMP_DEVICES] = { "CMP-012", SEV_MEDIUM, "Host device exposed",
			  "Remove the device mapping, or map it read-only with the least permissions (`:r`).",
			  "CIS Docker 5.18", REF "#devices" },
	[CMP_SECCOMP_UNCONFINED] = { "CMP-013", SEV_HIGH, "Seccomp profile disabled",
				     "Remove `seccomp:unconfined` from security_opt; if a syscall is missing, use a "
				     "custom profile that adds only it.",
				     "CIS Docker 5.22", REF "#security_opt" },
	[CMP_APPARMOR_UNCONFINED] = { "CMP-014", SEV_MEDIUM, "AppArmor profile disabled",
				      "Remove `apparmor:unconfined` from security_opt.", "CIS Docker 5.2",
				      REF "#security_opt" },
	[CMP_SELINUX_DISABLED] = { "CMP-015", SEV_MEDIUM, "SELinux labeling disabled",
				   "Remove `label:disable` from security_opt.", "CIS Docker 5.3", REF "#security_opt" },
	[CMP_SYSTEMPATHS] = { "CMP-016", SEV_HIGH, "Kernel paths unmasked",
			      "Remove `systempaths=unconfined`: it exposes /proc and /sys paths Docker masks.", NULL,
			      REF "#security_opt" },
	[CMP_NO_NEW_PRIVS] = { "CMP-017", SEV_LOW, "no-new-privileges not set",
			       "Add `security_opt: [\"no-new-privileges:true\"]` so setuid binaries cannot gain privileges.",
			       "CIS Docker 5.26", REF "#security_opt" },
	[CMP_USER_ROOT] = { "CMP-018", SEV_MEDIUM, "Runs as root",
			    "Set `user:` to an unprivileged UID:GID (and make the image work as that user).",
			    "CIS Docker 4.1", REF "#user" },
	[CMP_USER_UNSET] = { "CMP-019", SEV_LOW, "User not set",
			     "Set `user:` to an unprivileged UID:GID; without it the image's USER applies, root "
			     "unless the image sets one.",
			     "CIS Docker 4.1", REF "#user" },
	[CMP_READ_ONLY] = { "CMP-020", SEV_LOW, "Root filesystem writable",
			    "Set `read_only: true` and give writable paths as volumes or tmpfs.", "CIS Docker 5.13",
			    REF "#read_only" },
	[CMP_EXPOSED_PORT] = { "CMP-021", SEV_HIGH, "Sensitive port published on all interfaces",
			       "Bind the port to 127.0.0.1 (\"127.0.0.1:5432:5432\") or drop it and reach the service "
			       "over a compose network.",
			       "CIS Docker 5.14", REF "#ports" },
	[CMP_PRIVILEGED_PORT] = { "CMP-022", SEV_LOW, "Privileged host port mapped",
				  "Publish on a host port above 1023, or document why the service needs a privileged one.",
				  "CIS Docker 5.8", REF "#ports" },
	[CMP_IMAGE_TAG] = { "CMP-023", SEV_MEDIUM, "Image not pinned",
			    "Pin the image to a version tag, or better to a digest (image@sha256:...).", NULL,
			    REF "#image" },
	[CMP_ENV_SECRET] = { "CMP-024", SEV_HIGH, "Secret in environment",
			     "Do not write secrets into the compose file: use `secrets:` (or the image's *_FILE "
			     "variables), an env_file kept out of version control, or ${VAR} from the shell.",
			     NULL, REF "#environment" },
	[CMP_MEMORY_LIMIT] = { "CMP-025", SEV_LOW, "Memory not limited",
			       "Set `mem_limit` or `deploy.resources.limits.memory`.", "CIS Docker 5.11",
			       REF "#mem_limit" },
	[CMP_PIDS_LIMIT] = { "CMP-026", SEV_LOW, "PIDs not limited",
			     "Set `pids_limit` or `deploy.resources.limits.pids`.", "CIS Docker 5.29",
			     REF "#pids_limit" },
};

const struct compose_rule *compose_rules(size_t *n)
{
	*n = CMP_COUNT;
	return rules;
}

int compose_emit(struct compose_ctx *c, enum compose_rule_id r, enum vuln_severity sev, unsigned line,
		 const char *match, const char *fmt, ...)
{
	char msg[512], loc[300];
	if (*c->budget == 0)
		return BOSUN_ELIMIT;
	(*c->budget)--;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(loc, sizeof loc, "service %s", c->svc);
	const struct compose_rule *rule = &rules[r];
	struct finding f = {
		.kind = FINDING_KIND_MISCONFIG,
		.rule_id = rule->id,
		.title = rule->title,
		.severity = sev ? sev : rule->severity,
		.message = msg,
		.path = c->path,
		.location = loc,
		.line = line ? line : c->svc_line,
		.end_line = 0,
		.layer = -1,
		.match = match,
		.category = "compose",
		.remediation = rule->remediation,
		.control = rule->control,
		.reference = rule->reference,
		.object = c->svc,
	};
	if (f.line)
		f.end_line = f.line;
	return finding_add(c->out, &f);
}
