/* libFuzzer target: the Python readers, all fed the same bytes: core
 * metadata, requirements files (includes recorded, not followed), the
 * TOML reader and the lockfiles on top of it (poetry.lock with the input
 * as pyproject.toml too, uv.lock), and Pipfile.lock. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "analyze/python.h"
#include "analyze/toml_lock.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

static int count_include(void *ctx, struct slice ref)
{
	(void)ref;
	(*(size_t *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	size_t includes = 0;
	python_parse_metadata(text, size, "x.dist-info/METADATA", &a);
	python_parse_requirements(text, size, "requirements.txt", count_include, &includes, &a);
	python_parse_poetry_lock(text, size, "poetry.lock", text, size, &a);
	python_parse_uv_lock(text, size, "uv.lock", &a);
	python_parse_pipfile_lock(text, size, "Pipfile.lock", text, size, &a);
	json_t *doc = NULL;
	struct berr e = { 0 };
	if (toml_lock_parse(text, size, "fuzz", &doc, &e) == 0)
		json_decref(doc);
	char norm[64];
	python_normalize_name(slice_make(text, size), norm, sizeof norm);
	artifact_free(&a);
	return 0;
}
