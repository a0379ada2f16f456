/* .NET (NuGet) packages: *.deps.json (written next to every built
 * application) and packages.lock.json, both read in images and project
 * trees (the lock as Trivy does; docs/analyzers-lang.md). Pure parsers for tests and fuzzing; the analyzer
 * (analyzer_dotnet, dotnet.c) feeds them from the view. PKG_NUGET
 * packages with the id as written; BOSUN_OK or BOSUN_ENOMEM, malformed
 * input is a warning and a best-effort result. */
#ifndef BOSUN_ANALYZE_DOTNET_H
#define BOSUN_ANALYZE_DOTNET_H

#include <stddef.h>

#include "sbom/artifact.h"

/* "libraries" entries of type "package" ("Id/Version" keys). When the
 * runtime target (runtimeTarget.name) is described under "targets", a
 * package it does not list, or lists without runtime, native or resource
 * assets, is not part of the running application (analyzers, reference
 * assemblies, meta-packages) and is left out, as Trivy does. */
int dotnet_parse_deps_json(const char *data, size_t len, const char *found_in, struct artifact *a);

/* NuGet's lock: "dependencies" per target framework, each "Id" with its
 * "resolved" version; "Direct" entries are "direct", "Transitive" and
 * "CentralTransitive" ones "indirect", "Project" references are the
 * solution's own code and are skipped. A package locked for several
 * frameworks is reported once (direct if any framework says so). */
int dotnet_parse_packages_lock(const char *data, size_t len, const char *found_in, struct artifact *a);

#endif
