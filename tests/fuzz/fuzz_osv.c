/* libFuzzer target: one OSV document, read as JSON and as YAML, written into
 * an in-memory advisory database inside a source that is then rolled back
 * (so the store's validation and encoding run too); the same bytes also go
 * to the CVSS vector parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "vulndb/cvss.h"
#include "vulndb/osv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One database for the whole run: opening SQLite per input would dominate. */
static struct vulndb *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	if (vulndb_open(":memory:", true, &db, NULL) != BOSUN_OK)
		abort();
	return 0;
}

static void one(const char *text, size_t size, bool yaml)
{
	struct vulndb_source src = { .name = "fuzz" };
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	char newest[64] = "";
	if (vulndb_source_begin(db, &src, &e) != BOSUN_OK)
		abort();
	osv_import_document(db, text, size, yaml, "fuzz", &st, newest, &e);
	if (strlen(newest) >= sizeof newest || strlen(e.msg) >= sizeof e.msg)
		abort();
	vulndb_source_abort(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one((const char *)data, size, false);
	one((const char *)data, size, true);
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	double score;
	if (cvss_score(s, &score) == BOSUN_OK && !(score >= 0 && score <= 10))
		abort();
	free(s);
	return 0;
}
