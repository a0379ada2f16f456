/* Compose files: recognise them, parse them (bounded), apply merge keys,
 * map lines, and run the rules over every service. */
#include "compose/compose.h"
#include "compose/compose_rules.h"
#include "util/yaml_json.h"

#include <string.h>

/* Compose files are small; these bounds leave room for generated ones and
 * still stop alias bombs early. */
static const struct yaml_json_limits compose_limits = {
	.max_bytes = COMPOSE_MAX_BYTES,
	.max_depth = 64,
	.max_nodes = 500000,
	.max_alias_nodes = 100000,
};

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

bool compose_name_matches(const char *basename)
{
	if (!basename)
		return false;
	size_t n = strlen(basename);
	const char *rest;
	if (!strncmp(basename, "docker-compose", 14))
		rest = basename + 14;
	else if (!strncmp(basename, "compose", 7))
		rest = basename + 7;
	else
		return false;
	size_t rn = n - (size_t)(rest - basename);
	if (!has_suffix(rest, rn, ".yml") && !has_suffix(rest, rn, ".yaml"))
		return false;
	/* "compose.yml", "docker-compose.prod.yml", "compose-dev.yaml"; not "composer.yml" */
	return rest[0] == '.' || rest[0] == '-' || rest[0] == '_';
}

/* libyaml reports invalid UTF-8 without a useful position; find it first
 * so the error names the line. 0 when the text is valid. */
static size_t invalid_utf8_line(const unsigned char *s, size_t n)
{
	size_t line = 1;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || (len == 2 && c < 0xc2) || (len == 4 && c > 0xf4) || i + len > n)
			return line;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return line;
		if ((len == 3 && c == 0xe0 && s[i + 1] < 0xa0) || (len == 3 && c == 0xed && s[i + 1] >= 0xa0) ||
		    (len == 4 && c == 0xf0 && s[i + 1] < 0x90) || (len == 4 && c == 0xf4 && s[i + 1] >= 0x90))
			return line; /* overlong forms and surrogates */
		if (c == '\n')
			line++;
		i += len;
	}
	return 0;
}

static bool runnable_service(const json_t *s)
{
	return json_is_object(s) && (json_object_get(s, "image") || json_object_get(s, "build") ||
				     json_object_get(s, "extends"));
}

bool compose_looks_like(const char *data, size_t n)
{
	if (!data || n == 0 || n > COMPOSE_MAX_BYTES || !memmem(data, n, "services", 8))
		return false;
	json_t *root = NULL;
	if (yaml_json_parse(data, n, &compose_limits, "compose", &root, NULL) != BOSUN_OK)
		return false;
	bool yes = false;
	const json_t *services = json_object_get(root, "services");
	if (json_is_object(root) && json_is_object(services) &&
	    !(json_object_get(root, "apiVersion") && json_object_get(root, "kind"))) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)services, k, v) {
			if (runnable_service(v)) {
				yes = true;
				break;
			}
		}
	}
	json_decref(root);
	return yes;
}

/* `extends` within the same file (`extends: base` or `extends: {service:
 * base}`): the service's settings over its base's, so that a hardened base
 * is credited to the services extending it. Keys written in the service win
 * (compose also concatenates some sequences; for these checks the service's
 * own list is what matters most). Bases in other files are not read: the
 * service is checked as written. Returns a new reference. */
#define MAX_EXTENDS 8
static json_t *effective_service(const json_t *services, json_t *s, int depth)
{
	const json_t *ext = json_object_get(s, "extends");
	const json_t *base_name = json_is_string(ext) ? ext : json_object_get(ext, "service");
	json_t *base = json_is_string(base_name) ? json_object_get(services, json_string_value(base_name)) : NULL;
	if (!json_is_object(base) || base == s || depth >= MAX_EXTENDS ||
	    (json_is_object(ext) && json_object_get(ext, "file")))
		return json_incref(s);
	json_t *eff = json_copy(s);
	json_t *b = effective_service(services, base, depth + 1);
	if (!eff || !b) {
		json_decref(eff);
		json_decref(b);
		return NULL;
	}
	json_object_update_missing(eff, b);
	json_decref(b);
	return eff;
}

static int check_services(const char *path, const json_t *root, const struct compose_lines *lines,
			  struct finding_list *out, struct arena *tmp)
{
	size_t budget = COMPOSE_MAX_FINDINGS;
	const json_t *services = json_object_get(root, "services");
	const char *name;
	json_t *s;
	json_object_foreach((json_t *)services, name, s) {
		if (!json_is_object(s))
			continue; /* `web:` with no settings has nothing to check */
		json_t *eff = effective_service(services, s, 0);
		if (!eff)
			return BOSUN_ENOMEM;
		struct compose_ctx c = {
			.path = path,
			.lines = lines,
			.root = root,
			.svc = name,
			.s = eff,
			.svc_line = compose_line(lines, name, NULL, NULL, NULL),
			.tmp = tmp,
			.out = out,
			.budget = &budget,
		};
		int rc = compose_check_service(&c);
		json_decref(eff);
		if (rc)
			return rc;
	}
	return BOSUN_OK;
}

int compose_check(const char *path, const char *data, size_t n, struct finding_list *out, struct berr *e)
{
	if (!path)
		path = "-";
	if (n > COMPOSE_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: compose file of %zu bytes exceeds the limit of %u", path, n,
				COMPOSE_MAX_BYTES);
	size_t bad = invalid_utf8_line((const unsigned char *)data, n);
	if (bad)
		return berr_set(e, BOSUN_EFORMAT, "%s: line %zu: invalid UTF-8", path, bad);
	json_t *root = NULL;
	TRY(yaml_json_parse(data, n, &compose_limits, path, &root, e));
	if (!json_is_object(root) || !json_is_object(json_object_get(root, "services"))) {
		json_decref(root);
		return berr_set(e, BOSUN_EFORMAT, "%s: not a compose file: no top-level services mapping", path);
	}
	compose_resolve_merges(root);
	struct compose_lines *lines = NULL;
	int rc = compose_lines_build(data, n, &lines, e);
	if (rc) {
		json_decref(root);
		return berr_wrap(e, rc, "%s", path);
	}
	struct arena tmp = { 0 };
	size_t before = out->n;
	rc = check_services(path, root, lines, out, &tmp);
	if (rc) {
		out->n = before; /* no half-checked file (the arena keeps the strings until the list is freed) */
		rc = rc == BOSUN_ELIMIT ? berr_set(e, rc, "%s: more than %u findings in one compose file", path,
						   COMPOSE_MAX_FINDINGS)
					: berr_set(e, rc, "%s: %s", path, bosun_strerror(rc));
	}
	arena_free(&tmp);
	compose_lines_free(lines);
	json_decref(root);
	return rc;
}
