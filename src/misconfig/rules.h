/* The catalogue of container-build rules (docs/rules-docker.md). One table
 * for Dockerfile and image checks, so that a control checked on both gets
 * the same id, title, remediation and reference wherever it is found. */
#ifndef BOSUN_MISCONFIG_RULES_H
#define BOSUN_MISCONFIG_RULES_H

#include <stdbool.h>

#include "finding/finding.h"

enum dkr_rule {
	DKR_ROOT_USER,          /* DKR-001 */
	DKR_SECRET_VALUE,       /* DKR-002 */
	DKR_LATEST_TAG,         /* DKR-003 */
	DKR_NO_HEALTHCHECK,     /* DKR-004 */
	DKR_SUDO,               /* DKR-005 */
	DKR_SSH_SERVER,         /* DKR-006 */
	DKR_PORT_22,            /* DKR-007 */
	DKR_UPGRADE,            /* DKR-008 */
	DKR_PIPE_TO_SHELL,      /* DKR-009 */
	DKR_PKG_CACHE,          /* DKR-010 */
	DKR_SETUID,             /* DKR-011 */
	DKR_WORLD_WRITABLE,     /* DKR-012 */
	DKR_ADD_REMOTE,         /* DKR-013 */
	DKR_ADD_LOCAL,          /* DKR-014 */
	DKR_UPDATE_ALONE,       /* DKR-015 */
	DKR_MULTIPLE_CMD,       /* DKR-016 */
	DKR_APT_NO_YES,         /* DKR-017 */
	DKR_APT_RECOMMENDS,     /* DKR-018 */
	DKR_SHELL_FORM_CMD,     /* DKR-019 */
	DKR_MAINTAINER,         /* DKR-020 */
	DKR_SECRET_BUILD_ARG,   /* DKR-021 */
	DKR_RULE_COUNT
};

struct dkr_rule_info {
	const char *id;           /* "DKR-001": stable, never reused */
	const char *title;
	enum vuln_severity severity;
	const char *control;      /* "CIS Docker 4.1", "hadolint DL3007" */
	const char *reference;    /* URL of the control or rule */
	const char *remediation;
};

const struct dkr_rule_info *dkr_rule(enum dkr_rule r);

/* Fills a finding with the rule's id, title, severity, control, reference
 * and remediation; the caller adds what is specific to the occurrence. */
void dkr_finding_init(struct finding *f, enum dkr_rule r, const char *category);

/* Copies text into dst (size cap) for use in a message: invalid UTF-8 and
 * control characters become '?', and a long text is cut with "...", so
 * hostile input never reaches a report writer as broken UTF-8. */
void dkr_clean_text(char *dst, size_t cap, const char *src, size_t n);

/* Whether an environment/label/argument name looks like it holds a secret
 * (PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY, ... as whole name parts),
 * and not like a reference to one (..._FILE, ..._PATH, ..._URL). */
bool dkr_secret_name(const char *name, size_t n);
/* Whether a value is a literal that could be a real secret: not empty, not
 * a variable reference, not a placeholder ("<token>", "xxxx", "changeit"
 * is kept: a weak literal is still a literal), not a path or a boolean. */
bool dkr_secret_literal(const char *value, size_t n);
/* "bosu****************" (at most cap-1 bytes). */
void dkr_mask_secret(char *dst, size_t cap, const char *value, size_t n);

#endif
