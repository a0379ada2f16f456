/* Invariants of what the npm-family parsers add to an artifact, checked by
 * their fuzzers: a violation traps, so libFuzzer reports it like a crash. */
#ifndef BOSUN_FUZZ_NPM_CHECK_H
#define BOSUN_FUZZ_NPM_CHECK_H

#include <string.h>

#include "analyze/npm_common.h"
#include "sbom/artifact.h"

static void npm_check_text(const char *s, size_t max, bool blanks)
{
	if (!s || strnlen(s, max + 1) > max)
		__builtin_trap();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || (!blanks && *p == ' '))
			__builtin_trap();
}

static void npm_check(const struct artifact *a, const char *found_in)
{
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (p->type != PKG_NPM || !npm_name_valid(slice_cstr(p->name)) || strcmp(p->found_in, found_in) != 0)
			__builtin_trap();
		if (p->version)
			npm_check_text(p->version, NPM_VERSION_MAX, false);
		if (p->license)
			npm_check_text(p->license, NPM_LICENSE_MAX, true);
		if (p->relationship && strcmp(p->relationship, "direct") != 0 && strcmp(p->relationship, "indirect") != 0)
			__builtin_trap();
		/* One package per name@version and file. */
		for (size_t k = 0; k < i; k++)
			if (strcmp(a->pkgs[k].name, p->name) == 0 && a->pkgs[k].version && p->version &&
			    strcmp(a->pkgs[k].version, p->version) == 0)
				__builtin_trap();
	}
}

#endif
