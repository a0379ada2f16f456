/* docker-compose files (v2, v3 and the Compose Specification): checks of
 * every service for settings that weaken container isolation (privileged,
 * host namespaces, dangerous capabilities, the Docker socket or host system
 * directories mounted, databases published on all interfaces, secrets in
 * the environment...). Each rule has a stable id (CMP-001...), a severity,
 * a remediation and the CIS Docker Benchmark v1.6.0 control it implements;
 * docs/rules-compose.md lists them.
 *
 * Findings carry the file and the line of the offending key (the service's
 * line when the key came from a YAML merge key or an alias), category
 * "compose", location "service NAME" and object = the service name.
 *
 * The input is untrusted: size, nesting and alias expansion are bounded
 * (src/util/yaml_json.h), invalid UTF-8 and malformed YAML are clear
 * BOSUN_EFORMAT errors naming the file and line. */
#ifndef BOSUN_COMPOSE_COMPOSE_H
#define BOSUN_COMPOSE_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/err.h"

/* Largest compose file checked (bigger is BOSUN_ELIMIT). */
#define COMPOSE_MAX_BYTES (8u << 20)
/* Most findings one file may produce: a generated file with thousands of
 * services (or a port range crossing every sensitive port, thousands of
 * times) is refused with BOSUN_ELIMIT rather than filling memory. */
#define COMPOSE_MAX_FINDINGS 20000

/* docker-compose*.yml / *.yaml and compose*.yml / *.yaml (the names
 * `docker compose` looks for, plus overrides like docker-compose.prod.yml). */
bool compose_name_matches(const char *basename);

/* Whether a buffer is a compose file: one YAML (or JSON) document whose
 * top level has a `services:` mapping of service mappings, at least one with
 * `image` or `build` (so Helm values or other YAML that happen to have a
 * `services:` key are not taken for compose), and no Kubernetes
 * apiVersion+kind. Cheap for files that never mention "services". */
bool compose_looks_like(const char *data, size_t n);

/* Checks every service of one compose file and appends the findings to
 * out. path names the file in findings and errors. BOSUN_EFORMAT for
 * malformed YAML, invalid UTF-8 or a file without a `services` mapping,
 * BOSUN_ELIMIT over COMPOSE_MAX_BYTES, COMPOSE_MAX_FINDINGS or the YAML
 * limits, BOSUN_ENOMEM. On error nothing is appended. */
int compose_check(const char *path, const char *data, size_t n, struct finding_list *out, struct berr *e);

/* The rules, for documentation and tests. */
struct compose_rule {
	const char *id;          /* "CMP-001" */
	enum vuln_severity severity; /* default; some occurrences are rated higher or lower (docs) */
	const char *title;
	const char *remediation;
	const char *control;     /* "CIS Docker 5.5", NULL when no benchmark control covers it */
	const char *reference;   /* URL */
};
const struct compose_rule *compose_rules(size_t *n);

#endif
