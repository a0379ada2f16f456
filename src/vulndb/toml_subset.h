/* A strict reader for the small part of TOML that RustSec advisories use in
 * their front block (```toml ... ``` at the top of RUSTSEC-*.md):
 *
 *   [table] and [table.sub] headers; key = value lines; bare keys
 *   (A-Za-z0-9_-), "quoted" keys and dotted keys; values: "basic" and
 *   'literal' strings on one line, arrays (across lines, trailing comma,
 *   comments inside), { inline = tables } on one line, true/false, decimal
 *   integers; # comments.
 *
 * Everything else TOML has (multi-line strings, floats, dates, arrays of
 * tables, hex integers) is refused with BOSUN_EUNSUPPORTED rather than
 * guessed at, as are duplicate keys and redefined tables (BOSUN_EFORMAT).
 * The result is a jansson object, so the importer walks the same kind of
 * tree as it does for the JSON and YAML feeds.
 *
 * The input is untrusted: its size, nesting, string lengths and the number
 * of values are bounded (TOML_MAX_*), and every error names the line. */
#ifndef BOSUN_VULNDB_TOML_SUBSET_H
#define BOSUN_VULNDB_TOML_SUBSET_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

#define TOML_MAX_BYTES ((size_t)256 << 10)
#define TOML_MAX_DEPTH 16
#define TOML_MAX_VALUES 20000
#define TOML_MAX_STRING ((size_t)64 << 10)

/* Parses data[0..n) (NUL bytes are an error). `what` names the input in
 * messages: "WHAT: TOML line 7: duplicate key \"id\"". line0 is added to
 * line numbers, for a block that starts inside a larger file. */
int toml_subset_parse(const char *data, size_t n, const char *what, size_t line0, json_t **out, struct berr *e);

#endif
