/* Rule policy files (--policy FILE): a team's decisions about the
 * misconfiguration rules (Kubernetes, Dockerfile, compose...): which rules
 * run, at what severity, which image registries are allowed, and which
 * objects are excepted from which rules, with a reason and an expiry date.
 *
 *   profile: restricted            # optional default for --profile
 *   rules:
 *     K8S-IMAGE-DIGEST: off        # off/false, on/true, or a mapping:
 *     K8S-PSS-HOST-PATH: { severity: CRITICAL }
 *     "K8S-RESOURCE-*": { enabled: false }
 *   registries: [registry.example.com, ghcr.io/acme]
 *   exceptions:
 *     - rule: K8S-PSS-HOST-PATH    # or rules: [..]; globs
 *       namespace: monitoring      # globs; all optional
 *       name: node-exporter*
 *       kind: DaemonSet
 *       path: deploy/node-exporter.yaml
 *       reason: reads the node's /proc and /sys
 *       expires: 2026-06-30
 *
 * Read strictly (unknown keys, bad severities and dates are errors naming
 * the file and line) so that a typo never silently turns a rule off.
 * Format and semantics: docs/policy-file.md. */
#ifndef BOSUN_POLICY_RULE_POLICY_H
#define BOSUN_POLICY_RULE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/err.h"

#define RULE_POLICY_MAX_BYTES ((size_t)4 << 20)
#define RULE_POLICY_MAX_ENTRIES 10000

struct rule_policy;

/* Loads FILE. today is "YYYY-MM-DD" (UTC) to decide expiry; NULL = now.
 * BOSUN_EFORMAT naming file and line for a malformed policy, BOSUN_ELIMIT
 * past the size limits, BOSUN_ENOTFOUND / BOSUN_EIO. */
int rule_policy_load(const char *path, const char *today, struct rule_policy **out, struct berr *e);
/* The same on a buffer; `what` names it in messages. */
int rule_policy_parse(const char *data, size_t n, const char *what, const char *today, struct rule_policy **out,
		      struct berr *e);
void rule_policy_free(struct rule_policy *p);

/* Every function below accepts p == NULL: no policy (everything enabled,
 * default severities, every registry allowed, no exceptions). */

/* Whether the rule runs: the exact rule entry if any, else the longest
 * matching glob entry, else true. */
bool rule_policy_enabled(const struct rule_policy *p, const char *rule_id);
/* The rule's severity: the override chosen as for rule_policy_enabled, else dflt. */
enum vuln_severity rule_policy_severity(const struct rule_policy *p, const char *rule_id, enum vuln_severity dflt);
/* "baseline", "restricted" or NULL when the policy names no profile. */
const char *rule_policy_profile(const struct rule_policy *p);

/* The registry allow-list; *n = 0 (and any registry allowed) when empty. */
const char *const *rule_policy_registries(const struct rule_policy *p, size_t *n);
/* Whether an image reference's registry and repository are allowed:
 * an entry "host" allows every image of host, "host/path" those under
 * path (at a '/' boundary); globs allowed ("*.example.com"). Docker Hub
 * short names are normalized first ("nginx" = docker.io/library/nginx). */
bool rule_policy_image_allowed(const struct rule_policy *p, const char *image);

/* What rule_policy_apply did. */
struct rule_policy_outcome {
	size_t disabled;   /* findings of disabled rules, dropped */
	size_t excepted;   /* findings matched by a live exception, dropped */
	size_t overridden; /* findings whose severity the policy changed */
	char **warnings;   /* expired exceptions, one line each */
	size_t nwarnings;
};

/* Applies the policy to a finding list, in place: drops the findings of
 * disabled rules, sets severity overrides and drops the findings a live
 * exception covers (they are counted, not kept: the policy is where the
 * team documents them). Every expired exception produces a warning ("FILE
 * line N: exception for RULE (ns/name) expired on DATE; its K findings are
 * reported again"). Idempotent, so running it over findings already
 * filtered by a scanner that read the same policy changes nothing. */
int rule_policy_apply(const struct rule_policy *p, struct finding_list *l, struct rule_policy_outcome *out,
		      struct berr *e);
void rule_policy_outcome_free(struct rule_policy_outcome *o);

/* '*' any run of characters, '?' one; everything else literal. O(n*m). */
bool rule_policy_glob(const char *pattern, const char *s);

#endif
