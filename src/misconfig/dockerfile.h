/* Dockerfile checks: parses a Dockerfile (dockerfile_parse.h) and reports
 * the rules of docs/rules-docker.md as MISCONFIG findings. */
#ifndef BOSUN_MISCONFIG_DOCKERFILE_H
#define BOSUN_MISCONFIG_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/err.h"

/* Parse + check a Dockerfile; findings: kind MISCONFIG, category "dockerfile", path = path as given,
 * line/end_line of the instruction, rule_id, title, severity, message, remediation, control, reference.
 * A file the builder would refuse (unknown instruction, unterminated heredoc, binary data, no FROM) is
 * BOSUN_EFORMAT with the line in e; BOSUN_ELIMIT beyond the parser's limits. Findings are appended only
 * when the whole file parsed. */
int dockerfile_check(const char *path, const char *data, size_t n, struct finding_list *out, struct berr *e);

/* Whether a file name is a Dockerfile (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile...). */
bool dockerfile_name_matches(const char *basename);

#endif
