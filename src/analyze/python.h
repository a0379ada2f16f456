/* Python packages: installed metadata (wheel *.dist-info/METADATA, egg
 * *.egg-info/PKG-INFO, *.egg-info files, EGG-INFO/PKG-INFO) in
 * site-packages and dist-packages, and in project trees requirements*.txt,
 * poetry.lock, Pipfile.lock and uv.lock. The parsers are pure (bytes in,
 * PKG_PYPI packages out, found_in as given) for tests and fuzzing; the
 * analyzer (analyzer_python, python.c) feeds them from the view.
 *
 * Names are kept as the file spells them ("PyYAML"); the purl and the
 * matcher apply PEP 503 (python_normalize_name()). Every parser returns
 * BOSUN_OK or BOSUN_ENOMEM: a malformed file is a warning
 * (artifact_warn) and a best-effort result. */
#ifndef BOSUN_ANALYZE_PYTHON_H
#define BOSUN_ANALYZE_PYTHON_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/buf.h"

/* PEP 503: lower-case, every run of '-', '_' and '.' becomes one '-'.
 * False when it does not fit in cap (with its NUL). */
bool python_normalize_name(struct slice name, char *out, size_t cap);

/* Core metadata (METADATA, PKG-INFO): the RFC 822 header up to the first
 * empty line. Name and Version make the package; without them nothing is
 * added (warning). The license, as Trivy reads it: License-Expression;
 * else the last part of every "License :: ..." classifier except the bare
 * "License :: OSI Approved", joined with ", "; else License; else
 * "file://" + License-File (the license is in that file). */
int python_parse_metadata(const char *data, size_t len, const char *found_in, struct artifact *a);

/* `-r FILE` / `--requirement FILE` in a requirements file: ref is FILE as
 * written (relative to the including file's directory). */
typedef int (*python_include_fn)(void *ctx, struct slice ref);

/* pip requirements: one package per pinned requirement, `name==version`
 * or `name===version` (extras, environment markers, --hash options,
 * comments and line continuations allowed); ranges, wildcards, URLs,
 * paths and editables pin nothing and are skipped; options other than
 * -r are ignored (constraint files install nothing). include may be NULL. */
int python_parse_requirements(const char *data, size_t len, const char *found_in, python_include_fn include,
			      void *ctx, struct artifact *a);

/* poetry.lock ([[package]] name/version). dev: `category = "dev"` (Poetry
 * < 2) or `groups` without "main" (Poetry 2). pyproject (may be NULL) is
 * the pyproject.toml next to the lock: packages it names
 * ([tool.poetry.dependencies], [tool.poetry.group.*.dependencies],
 * [tool.poetry.dev-dependencies], [project] dependencies and
 * optional-dependencies, [dependency-groups]) are "direct", the rest
 * "indirect"; without it relationship stays NULL. */
int python_parse_poetry_lock(const char *data, size_t len, const char *found_in, const char *pyproject,
			     size_t pplen, struct artifact *a);

/* Pipfile.lock: "default" and "develop" (dev) entries with a "==" version;
 * VCS and path entries have none and are skipped. pipfile (may be NULL):
 * [packages] and [dev-packages] give the direct ones. */
int python_parse_pipfile_lock(const char *data, size_t len, const char *found_in, const char *pipfile,
			      size_t pflen, struct artifact *a);

/* uv.lock: [[package]] entries except the project's own (source
 * editable/virtual: workspace members). Direct: what a member depends on
 * (dependencies, optional-dependencies, dev-dependencies); dev: reachable
 * from members only through dev-dependencies. */
int python_parse_uv_lock(const char *data, size_t len, const char *found_in, struct artifact *a);

#endif
