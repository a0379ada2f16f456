#include "util/json.h"

int json_parse_bounded(const char *data, size_t n, size_t max_depth, const char *what, json_t **out, struct berr *e)
{
	size_t depth = 0;
	int in_str = 0, esc = 0;
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return berr_set(e, BOSUN_ELIMIT, "%s: JSON nested deeper than %zu levels", what, max_depth);
		} else if ((c == ']' || c == '}') && depth)
			depth--;
	}
	json_error_t jerr;
	json_t *j = json_loadb(data, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return berr_set(e, BOSUN_EFORMAT, "%s: invalid JSON at line %d: %s", what, jerr.line, jerr.text);
	*out = j;
	return BOSUN_OK;
}

const char *json_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}
