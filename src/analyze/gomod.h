/* go.mod (and go.sum) in project trees. */
#ifndef BOSUN_ANALYZE_GOMOD_H
#define BOSUN_ANALYZE_GOMOD_H

#include <stddef.h>

#include "sbom/artifact.h"

/* Adds the modules a go.mod requires to a (found_in = path), replace
 * directives applied: a replacement with a version takes the module's
 * place, one by a local directory removes it. "// indirect" marks
 * relationship "indirect", the rest are "direct". The toolchain directive
 * (or a "go 1.x.y" line) gives stdlib. Before Go 1.17 go.mod lists only
 * direct requirements: then the modules go.sum (sum, may be NULL) holds
 * full hashes for are added as indirect. A damaged line is a warning;
 * returns non-zero only for ENOMEM. */
int gomod_parse(const char *mod, size_t modlen, const char *sum, size_t sumlen, const char *path,
		struct artifact *a);

#endif
