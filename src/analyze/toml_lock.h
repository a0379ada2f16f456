/* TOML as lockfiles and project manifests write it (poetry.lock, uv.lock,
 * Pipfile, pyproject.toml), into a jansson tree.
 *
 * src/vulndb/toml_subset.h reads the few constructs of RustSec front
 * matter and refuses the rest; lockfiles need more: [[arrays.of.tables]],
 * multi-line strings (package descriptions), inline tables across lines
 * and nested arrays (uv's wheels and dependency lists). This reader takes
 * all of TOML 1.0's syntax, with two simplifications that cannot change
 * what a lockfile says about packages: dates, times and floats are kept as
 * strings (only their text is ever looked at), and a key defined twice is
 * refused (TOML forbids it, so such a file is damaged or hostile).
 *
 * The input is untrusted: size, nesting and the number of values are
 * bounded, and every error names the line. */
#ifndef BOSUN_ANALYZE_TOML_LOCK_H
#define BOSUN_ANALYZE_TOML_LOCK_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

#define TOML_LOCK_MAX_BYTES ((size_t)32 << 20)
#define TOML_LOCK_MAX_DEPTH 32
#define TOML_LOCK_MAX_VALUES 1000000

/* Parses data[0..n). `what` names the input in messages ("poetry.lock:
 * TOML line 7: ..."). BOSUN_EFORMAT for malformed TOML, BOSUN_ELIMIT for a
 * limit, BOSUN_ENOMEM. */
int toml_lock_parse(const char *data, size_t n, const char *what, json_t **out, struct berr *e);

#endif
