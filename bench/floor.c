/* The floor for `bosun sbom`: only read, decompress and hash each layer, in
 * one thread, with the same libraries bosun uses (ISA-L igzip, libzstd,
 * OpenSSL SHA-256). Arguments: FILE[@OFFSET+LENGTH] per layer blob.
 * Prints the seconds it took. */
#include "image/decompress.h"
#include "util/sha256.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define IN_CHUNK (256u << 10)
#define OUT_CHUNK (1u << 20)

static int floor_blob(const char *spec, unsigned char *in, unsigned char *out)
{
	char path[4096];
	unsigned long long off = 0, len = 0;
	snprintf(path, sizeof path, "%s", spec);
	char *at = strrchr(path, '@');
	if (at) {
		*at = '\0';
		if (sscanf(at + 1, "%llu+%llu", &off, &len) != 2)
			return -1;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (!at)
		len = (unsigned long long)lseek(fd, 0, SEEK_END);
	struct sha256 hc, hu;
	sha256_init(&hc);
	sha256_init(&hu);
	struct decoder *d = NULL;
	enum compression comp = COMP_NONE;
	struct berr e = { 0 };
	unsigned long long pos = 0, total = 0;
	bool first = true, fin = false;
	while (pos < len) {
		size_t want = len - pos < IN_CHUNK ? (size_t)(len - pos) : IN_CHUNK;
		ssize_t n = pread(fd, in, want, (off_t)(off + pos));
		if (n <= 0)
			break;
		pos += (unsigned long long)n;
		sha256_update(&hc, in, (size_t)n);
		if (first) {
			first = false;
			comp = compression_detect(in, (size_t)n);
			if (comp != COMP_NONE && decoder_new(&d, comp, &e))
				return -1;
		}
		if (comp == COMP_NONE) {
			sha256_update(&hu, in, (size_t)n);
			total += (unsigned long long)n;
			continue;
		}
		size_t ip = 0;
		while (ip < (size_t)n) {
			size_t used = 0, made = 0;
			if (decoder_run(d, in + ip, (size_t)n - ip, &used, out, OUT_CHUNK, &made, &fin, &e)) {
				fprintf(stderr, "%s: %s\n", path, e.msg);
				return -1;
			}
			ip += used;
			sha256_update(&hu, out, made);
			total += made;
			if (!used && !made)
				break;
		}
	}
	char dc[72], du[72];
	sha256_final_digest(&hc, dc);
	sha256_final_digest(&hu, du);
	decoder_free(d);
	close(fd);
	fprintf(stderr, "  %s: %s, %llu bytes -> %llu, diff_id %.19s...\n", path, compression_name(comp), len, total, du);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char *in = malloc(IN_CHUNK), *out = malloc(OUT_CHUNK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc; i++)
		if (floor_blob(argv[i], in, out)) {
			fprintf(stderr, "floor: cannot process %s\n", argv[i]);
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(in);
	free(out);
	return 0;
}
