/* libFuzzer target: SBOMs read back (CycloneDX and SPDX, src/sbom/read.h)
 * and the purl parser. Whatever the reader accepts must be a usable
 * artifact: every package named, with a purl, a layer index inside the
 * layer list, and writable as CycloneDX again. Whatever purl_parse accepts
 * must survive purl_build: built again from its parts and parsed, it gives
 * the same parts. Seeds: tests/fuzz/corpus/sbom_read/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom/purl.h"
#include "sbom/read.h"
#include "sbom/writer.h"
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

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_artifact(const struct artifact *a)
{
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (!p->name || !p->purl || p->layer < -1 || (p->layer >= 0 && (size_t)p->layer >= a->nlayers))
			__builtin_trap();
	}
	char *out = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&out, &n);
	struct sbom_options o = { .created = 1, .uuid = "00000000-0000-4000-8000-000000000000" };
	struct berr e = { 0 };
	if (m && sbom_write_opts(a, SBOM_CYCLONEDX, &o, m, &e) != BOSUN_OK && e.code != BOSUN_ENOMEM)
		__builtin_trap();
	if (m)
		fclose(m);
	free(out);
}

/* parse(build(parse(s))) == parse(s), for what the builder can express. */
static void check_purl(const char *s)
{
	struct arena ar = { 0 };
	struct purl p, q;
	if (purl_parse(&ar, s, &p, NULL) == BOSUN_OK && p.nq <= 16) {
		char *built = purl_build(&ar, p.type, p.ns, p.name, p.version, p.q, p.nq);
		if (built && strlen(built) <= PURL_MAX_LEN) {
			if (purl_parse(&ar, built, &q, NULL) != BOSUN_OK)
				__builtin_trap();
			if (!same(p.type, q.type) || !same(p.ns, q.ns) || !same(p.name, q.name) ||
			    !same(p.version, q.version) || p.nq != q.nq)
				__builtin_trap();
			for (size_t i = 0; i < p.nq; i++)
				if (!same(purl_qualifier(&q, p.q[i].key), p.q[i].value))
					__builtin_trap();
		}
	}
	arena_free(&ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	struct berr e = { 0 };
	if (sbom_read_mem((const char *)data, size, SBOM_INPUT_AUTO, "fuzz.json", &a, &e) == BOSUN_OK)
		check_artifact(&a);
	else if (!e.msg[0])
		__builtin_trap(); /* every failure says why */
	artifact_free(&a);

	if (size <= PURL_MAX_LEN + 16) {
		char *s = malloc(size + 1);
		if (s) {
			memcpy(s, data, size);
			s[size] = '\0';
			check_purl(s);
			free(s);
		}
	}
	return 0;
}
