/* Findings other than vulnerabilities: secrets, malware and
 * misconfigurations. One flat model shared by every scanner (file contents
 * of image layers and trees, the image config, Dockerfiles, Kubernetes
 * manifests, compose files, `bosun watch`) and by every report writer, so a
 * new scanner needs no new output code.
 *
 * A finding owns nothing: its strings live in the arena of the list that
 * holds it (finding_add copies them in). */
#ifndef BOSUN_FINDING_FINDING_H
#define BOSUN_FINDING_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "vulndb/vulndb.h" /* enum vuln_severity: one severity scale for every finding */

enum finding_kind {
	FINDING_KIND_SECRET,
	FINDING_KIND_MALWARE,
	FINDING_KIND_MISCONFIG,
	FINDING_KIND_COUNT
};

struct finding {
	enum finding_kind kind;
	/* Stable rule id: "aws-access-key-id", "yara:EICAR_Test_File",
	 * "clamav:Eicar-Test-Signature", "DF001", "KSV-PSS-PRIVILEGED"... */
	const char *rule_id;
	const char *title;          /* the rule's short title */
	enum vuln_severity severity;
	/* This occurrence in one sentence ("USER is root", "AWS access key id
	 * AKIA************MPLE"); never the full secret. */
	const char *message;
	/* File inside the target (normalized: no leading "/") or on the host
	 * (watch, bosun config); NULL when the finding is not in a file. */
	const char *path;
	/* Where inside it, when not a line of a file: "config.Env[2]",
	 * "history[4].created_by", "Deployment/prod/web: container app". */
	const char *location;
	unsigned line, end_line;    /* 1-based; 0 when unknown */
	int layer;                  /* image layer index, -1 for none */
	const char *match;          /* masked secret or matched text, NULL for none */
	/* secret: the provider ("AWS"); malware: the engine ("yara", "hash");
	 * misconfig: the input kind ("dockerfile", "image", "kubernetes", "compose"). */
	const char *category;
	const char *remediation;    /* what to do, one or two sentences */
	const char *control;        /* the public control implemented ("CIS Docker 4.1") */
	const char *reference;      /* URL describing the rule or control */
	/* Kubernetes: namespace and name of the object, for exceptions. */
	const char *ns, *object;
	bool deleted;               /* the file is not in the final image (an upper layer removed it) */
};

struct finding_list {
	struct arena arena;
	struct finding *v;
	size_t n, cap;
};

void finding_list_init(struct finding_list *l);
void finding_list_free(struct finding_list *l);

/* Appends a deep copy of f (strings copied into l's arena); layer -1 and
 * line 0 mean unknown. BOSUN_OK or BOSUN_ENOMEM. */
int finding_add(struct finding_list *l, const struct finding *f);
/* Appends copies of all of src's findings. */
int finding_list_append(struct finding_list *dst, const struct finding_list *src);
/* Orders by kind, path, line, layer, rule id, message; drops exact repeats
 * (the same rule at the same place of the same layer). */
void finding_list_sort(struct finding_list *l);

/* "secret", "malware", "misconfiguration" */
const char *finding_kind_name(enum finding_kind k);
/* Parses one of the names above (also "misconfig", "config"). */
int finding_kind_parse(const char *s, enum finding_kind *out);

#endif
