/* Rust: Cargo.lock in project trees, and the dependency list that
 * cargo-auditable embeds in binaries (section .dep-v0, zlib-compressed
 * JSON), read while the binary streams by. See docs/analyzers-go-rust.md. */
#ifndef BOSUN_ANALYZE_RUST_H
#define BOSUN_ANALYZE_RUST_H

#include <stddef.h>

#include "sbom/artifact.h"

/* Adds the [[package]] entries of a Cargo.lock (versions 1 to 4) to a,
 * found_in = path. Packages without a source (the workspace's own crates)
 * are "root", what they depend on "direct", the rest "indirect". A damaged
 * file is a warning; returns non-zero only for ENOMEM. */
int cargo_lock_parse(const char *data, size_t len, const char *path, struct artifact *a);

/* Adds the crates of a cargo-auditable JSON document (already inflated):
 * runtime crates only (build dependencies are not in the binary); root
 * crates "root", their dependencies "direct", the rest "indirect". */
int cargo_auditable_parse(const char *json, size_t len, const char *path, struct artifact *a);

#endif
