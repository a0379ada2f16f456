/* Pieces of the compose checker, separate so each can be tested alone:
 * the line map (which source line a key of a service is on), YAML merge
 * keys, and the short syntaxes of volumes and ports. */
#ifndef BOSUN_COMPOSE_INTERNAL_H
#define BOSUN_COMPOSE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* ---- line map (compose_lines.c) ---------------------------------------- */

/* Lines of the keys and sequence items under `services:` (up to
 * services.NAME.KEY.INDEX.SUBKEY), read from libyaml's event marks. */
struct compose_lines;

/* Builds the map for a document that yaml_json_parse already accepted (so
 * its size, depth and syntax are known to be sane). BOSUN_ENOMEM or
 * BOSUN_EFORMAT. */
int compose_lines_build(const char *data, size_t n, struct compose_lines **out, struct berr *e);
void compose_lines_free(struct compose_lines *m);

/* Line of services.<svc>[.<key>[.<item>[.<sub>]]]: key NULL for the
 * service itself, item NULL for the key itself (a sequence item is its
 * index in decimal, a mapping entry its key), sub NULL for the item.
 * Falls back to the nearest enclosing node that has a line, preferring the
 * service's merge key (`<<:`) when the key is not written in the service
 * itself; 0 when the service is unknown. */
unsigned compose_line(const struct compose_lines *m, const char *svc, const char *key, const char *item,
		      const char *sub);

/* ---- merge keys (compose_merge.c) --------------------------------------- */

/* Applies YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) everywhere in the
 * tree, in place: keys written in a mapping win over merged ones, earlier
 * sources over later ones; the `<<` key is removed. A `<<` whose value is not
 * a mapping or a sequence of mappings is left alone. */
void compose_resolve_merges(json_t *root);

/* ---- syntax (compose_syntax.c) ------------------------------------------ */

/* Replaces ${VAR:-default} and ${VAR-default} by their default and $$ by $;
 * other references stay as written (their value is unknown here). Result in
 * the arena; NULL on ENOMEM. */
char *compose_interpolate(struct arena *a, const char *s);

struct compose_mount {
	const char *type;        /* "bind", "volume", "tmpfs", "npipe", ... */
	const char *source;      /* host path (bind) or volume name; NULL for anonymous volumes */
	const char *target;
	bool read_only;
	const char *propagation; /* "shared", "rshared", ...; NULL when not given */
};

/* "SRC:DST[:MODE]" or "DST". false when it cannot be a volume spec. The
 * strings point into the arena. */
bool compose_parse_volume(struct arena *a, const char *spec, struct compose_mount *m);

/* Lexically normalized absolute path ("//etc/./x/../" -> "/etc"); NULL for
 * relative paths. In the arena. */
char *compose_normalize_path(struct arena *a, const char *p);

struct compose_port {
	char host_ip[64];        /* "" when not given: all interfaces */
	unsigned published_lo, published_hi; /* 0 when not given: a random host port */
	unsigned target_lo, target_hi;
	char protocol[8];        /* "tcp" unless given */
};

/* "[IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTO]", IPv6 addresses in
 * brackets. false when malformed. */
bool compose_parse_port(const char *spec, struct compose_port *p);
/* "8000" or "8000-8010" (a long-syntax `published`). */
bool compose_parse_port_range(const char *s, unsigned *lo, unsigned *hi);

/* True for an address bound to the loopback interface only. */
bool compose_ip_is_loopback(const char *ip);

#endif
