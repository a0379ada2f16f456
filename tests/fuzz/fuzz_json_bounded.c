/* libFuzzer target: json_parse_bounded, the gate every manifest, index and
 * config passes (nesting checked before jansson's recursive parser runs).
 * Whatever it accepts must be nested no deeper than the bound.
 * Seeds: tests/fuzz/corpus/json_bounded/. */
#include <stddef.h>
#include <stdint.h>

#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t depth(const json_t *j)
{
	size_t best = 0, i;
	const char *k;
	json_t *v;
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
		{
			size_t d = depth(v);
			best = d > best ? d : best;
		}
		return best + 1;
	}
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v)
		{
			size_t d = depth(v);
			best = d > best ? d : best;
		}
		return best + 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = NULL;
	struct berr e = { 0 };
	if (json_parse_bounded((const char *)data, size, 8, "fuzz", &j, &e) == BOSUN_OK) {
		if (depth(j) > 8)
			__builtin_trap();
		json_decref(j);
	}
	return 0;
}
