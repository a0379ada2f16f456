/* libFuzzer target: Cargo.lock and cargo-auditable JSON. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/rust.h"
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
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	cargo_lock_parse((const char *)data, size, "Cargo.lock", &a);
	cargo_auditable_parse((const char *)data, size, "x", &a);
	artifact_free(&a);
	return 0;
}
