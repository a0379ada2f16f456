/* libFuzzer target: compose_check on arbitrary bytes (the YAML limits,
 * merge keys, extends, the line map and every rule's parsing of short and
 * long syntaxes), compose_looks_like, and the short-syntax parsers on the
 * input as one string. Invariants: an error appends nothing; findings are
 * complete. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/compose_internal.h"
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

static void short_syntaxes(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	struct arena a = { 0 };
	struct compose_port p;
	struct compose_mount m;
	unsigned lo, hi;
	if (compose_parse_port(s, &p) && (p.target_lo > p.target_hi || p.target_hi > 65535))
		abort();
	if (compose_parse_port_range(s, &lo, &hi) && lo > hi)
		abort();
	if (compose_parse_volume(&a, s, &m) && (!m.type || !m.target))
		abort();
	char *n = compose_normalize_path(&a, s);
	if (n && (n[0] != '/' || strstr(n, "//") || strstr(n, "/../") || strstr(n, "/./")))
		abort();
	(void)compose_interpolate(&a, s);
	(void)compose_ip_is_loopback(s);
	arena_free(&a);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	(void)compose_looks_like((const char *)data, size);
	int rc = compose_check("fuzz.yml", (const char *)data, size, &l, &e);
	if (rc != BOSUN_OK && (l.n != 0 || !e.msg[0]))
		abort(); /* an error appends nothing and says why */
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *f = &l.v[i];
		if (!f->rule_id || !f->message || !f->location || !f->object || strcmp(f->category, "compose"))
			abort();
	}
	finding_list_free(&l);
	if (size < 4096)
		short_syntaxes(data, size);
	return 0;
}
