/* YAML -> jansson, for feeds written as YAML (PyPA's OSV, RustSec, RubySec,
 * FriendsOfPHP, Alpine secdb). One document in, one json_t out, so every
 * importer walks the same tree whether its feed is JSON or YAML.
 *
 * The input is untrusted: the document size, the nesting depth and the
 * number of nodes are bounded, and aliases count as the nodes they stand for,
 * so a "billion laughs" (anchors referring to anchors) is refused after a
 * bounded amount of work instead of exhausting memory in a consumer.
 * Aliases share the anchored value (json_incref), never copy it.
 *
 * Scalars follow the YAML 1.2 core schema: plain null/~ -> null, true/false
 * -> boolean, decimal/0o/0x integers -> integer (text kept when it does not
 * fit in 64 bits), decimal floats -> real; everything else, and every quoted
 * or block scalar, is a string. Mapping keys are always strings. */
#ifndef BOSUN_UTIL_YAML_JSON_H
#define BOSUN_UTIL_YAML_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

struct yaml_json_limits {
	size_t max_bytes;        /* document size */
	size_t max_depth;        /* nesting of sequences/mappings */
	size_t max_nodes;        /* nodes, counting each alias as the size of its target */
	size_t max_alias_nodes;  /* of which reached through aliases */
};

/* 16 MiB, depth 64, 1,000,000 nodes, 100,000 through aliases. */
extern const struct yaml_json_limits yaml_json_default_limits;

/* Parses exactly one YAML document. `what` names the input in error
 * messages, which carry the line (and column) where libyaml gives one:
 * "FILE: YAML line 3 column 5: mapping values are not allowed in this
 * context". BOSUN_EFORMAT for malformed YAML (and duplicate keys, unknown
 * aliases, complex keys, several documents), BOSUN_ELIMIT for a limit,
 * BOSUN_ENOMEM. limits NULL = the defaults. */
int yaml_json_parse(const char *data, size_t n, const struct yaml_json_limits *limits, const char *what,
		    json_t **out, struct berr *e);

/* ---- several documents, with source lines ------------------------------------
 * Kubernetes manifests are streams of documents ("---"), and a finding must
 * name the line of the offending field. */

/* Where the nodes of parsed documents came from: the 1-based line of every
 * sequence, mapping, string and number node, and of every mapping member
 * (the line of its key), so that `privileged: true` has a line although
 * jansson's true is a shared singleton. Keyed by node address: valid while
 * the documents it describes are alive (the caller keeps them). */
struct yaml_json_lines;
struct yaml_json_lines *yaml_json_lines_new(void);
void yaml_json_lines_free(struct yaml_json_lines *l);
/* Line of a node; 0 when unknown (booleans and null have none: ask for the
 * member instead). A node shared through an alias has its anchor's line. */
unsigned yaml_json_line(const struct yaml_json_lines *l, const json_t *node);
/* Line of obj's member key; 0 when unknown. */
unsigned yaml_json_member_line(const struct yaml_json_lines *l, const json_t *obj, const char *key);

/* Called once per document of a stream, in order; doc is a new reference
 * the callee owns (json_null() for an empty document), line the line of its
 * root node (or of the document start when empty). A non-zero return stops
 * the parse and is returned. */
typedef int (*yaml_json_doc_fn)(void *ctx, json_t *doc, unsigned line, struct berr *e);

/* Parses every document of a stream. The limits apply to the whole stream
 * (bytes, nodes, alias expansion) and to each document's depth; anchors are
 * scoped to their document. lines may be NULL. Errors as yaml_json_parse;
 * documents delivered before an error stay with the callee. */
int yaml_json_parse_stream(const char *data, size_t n, const struct yaml_json_limits *limits, const char *what,
			   struct yaml_json_lines *lines, yaml_json_doc_fn fn, void *ctx, struct berr *e);

#endif
