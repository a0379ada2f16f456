/* libFuzzer target: executables streamed through the Go and Rust binary
 * analyzers (shared ELF/PE/Mach-O header and capture code), in pieces
 * whose size the first input byte picks, and the build info text, -ldflags
 * and go.mod readers on the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyzer.h"
#include "analyze/gobinary.h"
#include "analyze/gomod.h"
#include "util/log.h"

extern const struct analyzer analyzer_gobinary, analyzer_rust;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

static void stream(const struct analyzer *an, const uint8_t *d, size_t n, size_t piece)
{
	struct stream_file sf = { "usr/bin/x", n, S_IFREG | 0755, 0 };
	if (!an->stream_wants(&sf))
		return;
	void *st = an->stream_begin(&sf, d, n < STREAM_HEAD_BYTES ? n : STREAM_HEAD_BYTES);
	if (!st)
		return;
	size_t off = 0;
	bool done = false;
	while (off < n && !done) {
		size_t k = n - off < piece ? n - off : piece;
		int rc = an->stream_data(st, d + off, k);
		off += k;
		done = rc != 0;
	}
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	struct berr e = { 0 };
	an->stream_end(st, !done, &a, &e);
	artifact_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* 1..16-byte pieces, 64-byte multiples up to 8 KiB, or whole */
	size_t piece = data[0] < 16 ? (size_t)data[0] + 1 : data[0] < 128 ? (size_t)data[0] * 64 : size;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	stream(&analyzer_gobinary, d, n, piece);
	stream(&analyzer_rust, d, n, piece);
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	go_buildinfo_packages("go1.21.0", (const char *)d, n, "x", &a);
	gomod_parse((const char *)d, n, (const char *)d, n, "go.mod", &a);
	char s[512], v[64];
	size_t m = n < sizeof s - 1 ? n : sizeof s - 1;
	memcpy(s, d, m);
	s[m] = '\0';
	go_ldflags_version("example.com/m", s, v, sizeof v);
	go_semver_valid(s, strlen(s));
	artifact_free(&a);
	return 0;
}
