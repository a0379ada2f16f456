/* libFuzzer target: the Dockerfile parser and every Dockerfile rule on the
 * result (variable expansion, the shell splitter, heredocs). A parse error
 * must leave the finding list untouched; every finding must carry its rule
 * metadata and a line inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "misconfig/dockerfile.h"
#include "misconfig/dockerfile_parse.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unsigned lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	struct dockerfile df;
	struct berr e = { 0 };
	if (dockerfile_parse(text, size, &df, &e) == BOSUN_OK) {
		for (size_t i = 0; i < df.nins; i++) {
			const struct df_instruction *ins = &df.ins[i];
			if (ins->line == 0 || ins->end_line < ins->line || ins->end_line > lines)
				abort();
			bool unknown;
			if (ins->argc && !df_expand(&df, i, ins->argv[0], &unknown, NULL))
				abort();
		}
	} else if (e.msg[0] == '\0') {
		abort(); /* an error always says what went wrong */
	}
	dockerfile_free(&df);

	struct finding_list l;
	finding_list_init(&l);
	memset(&e, 0, sizeof e);
	int rc = dockerfile_check("Dockerfile", text, size, &l, &e);
	if (rc != BOSUN_OK && l.n)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *f = &l.v[i];
		if (!f->rule_id || !f->message || !f->remediation || !f->control || f->line == 0 || f->line > lines)
			abort();
	}
	finding_list_free(&l);
	return 0;
}
