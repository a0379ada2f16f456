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

#endif
