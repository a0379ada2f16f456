/* The rule table and what a check needs to report (internal to src/compose). */
#ifndef BOSUN_COMPOSE_RULES_H
#define BOSUN_COMPOSE_RULES_H

#include <jansson.h>

#include "compose/compose.h"
#include "compose/compose_internal.h"

enum compose_rule_id {
	CMP_PRIVILEGED,
	CMP_CAP_ADD,
	CMP_CAP_DROP,
	CMP_HOST_NETWORK,
	CMP_HOST_PID,
	CMP_HOST_IPC,
	CMP_HOST_UTS,
	CMP_HOST_USERNS,
	CMP_RUNTIME_SOCKET,
	CMP_SENSITIVE_MOUNT,
	CMP_SHARED_PROPAGATION,
	CMP_DEVICES,
	CMP_SECCOMP_UNCONFINED,
	CMP_APPARMOR_UNCONFINED,
	CMP_SELINUX_DISABLED,
	CMP_SYSTEMPATHS,
	CMP_NO_NEW_PRIVS,
	CMP_USER_ROOT,
	CMP_USER_UNSET,
	CMP_READ_ONLY,
	CMP_EXPOSED_PORT,
	CMP_PRIVILEGED_PORT,
	CMP_IMAGE_TAG,
	CMP_ENV_SECRET,
	CMP_MEMORY_LIMIT,
	CMP_PIDS_LIMIT,
	CMP_COUNT
};

/* One service being checked. */
struct compose_ctx {
	const char *path;                  /* the file */
	const struct compose_lines *lines;
	const json_t *root;                /* the whole file (top-level volumes) */
	const char *svc;                   /* service name */
	const json_t *s;                   /* its settings */
	unsigned svc_line;
	struct arena *tmp;                 /* scratch strings for this file */
	struct finding_list *out;
	size_t *budget;                    /* findings left for this file (COMPOSE_MAX_FINDINGS) */
};

/* Adds one finding of rule r; sev 0 = the rule's severity; line 0 = the
 * service's line; match may be NULL. BOSUN_ELIMIT when the file's budget
 * is spent. */
int compose_emit(struct compose_ctx *c, enum compose_rule_id r, enum vuln_severity sev, unsigned line,
		 const char *match, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Runs every rule over c->s (compose_checks.c). */
int compose_check_service(struct compose_ctx *c);

#endif
