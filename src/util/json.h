/* jansson glue: bounded parsing of untrusted documents and typed getters. */
#ifndef BOSUN_UTIL_JSON_H
#define BOSUN_UTIL_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

/* Parses data as JSON after checking its nesting depth (outside strings)
 * against max_depth, so a nesting bomb is refused before the recursive
 * parser sees it. `what` names the document in error messages. */
int json_parse_bounded(const char *data, size_t n, size_t max_depth, const char *what, json_t **out, struct berr *e);

/* String member or NULL when absent / not a string. */
const char *json_str(const json_t *obj, const char *key);

#endif
