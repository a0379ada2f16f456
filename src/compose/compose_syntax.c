/* The short syntaxes of compose: variable interpolation defaults, volume
 * specs ("SRC:DST[:MODE]") and port specs ("[IP:][HOST:]CONTAINER[/PROTO]").
 * Everything here reads untrusted text and never trusts a length. */
#include "compose/compose_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- interpolation ------------------------------------------------------- */

char *compose_interpolate(struct arena *a, const char *s)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (const char *p = s; *p && rc == BOSUN_OK;) {
		if (p[0] == '$' && p[1] == '$') {
			rc = buf_append(&b, "$", 1);
			p += 2;
			continue;
		}
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p + 2, '}');
			const char *name_end = p + 2;
			while (name_end < (close ? close : p + 2) && (isalnum((unsigned char)*name_end) || *name_end == '_'))
				name_end++;
			/* ${VAR:-default} and ${VAR-default}: the default is what runs when VAR is unset */
			if (close && name_end > p + 2 && (name_end[0] == '-' || (name_end[0] == ':' && name_end[1] == '-'))) {
				const char *def = name_end + (name_end[0] == ':' ? 2 : 1);
				if (def <= close) {
					rc = buf_append(&b, def, (size_t)(close - def));
					p = close + 1;
					continue;
				}
			}
		}
		rc = buf_append(&b, p, 1);
		p++;
	}
	char *out = rc == BOSUN_OK ? arena_strndup(a, b.data ? b.data : "", b.len) : NULL;
	buf_free(&b);
	return out;
}

/* ---- paths and volumes ------------------------------------------------------ */

char *compose_normalize_path(struct arena *a, const char *p)
{
	if (!p || p[0] != '/')
		return NULL;
	size_t n = strlen(p);
	char *out = arena_alloc(a, n + 2);
	if (!out)
		return NULL;
	size_t len = 0;
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *end = s;
		while (*end && *end != '/')
			end++;
		size_t cl = (size_t)(end - s);
		if (cl == 0 || (cl == 1 && s[0] == '.')) {
			/* nothing */
		} else if (cl == 2 && s[0] == '.' && s[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--; /* the slash before the dropped component */
		} else {
			out[len++] = '/';
			memcpy(out + len, s, cl);
			len += cl;
		}
		s = end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

static bool is_host_path(const char *s)
{
	return s[0] == '/' || s[0] == '.' || s[0] == '~' || s[0] == '$';
}

/* "C:\..." or "C:/...": a Windows host path, whose drive colon is not a separator. */
static bool windows_drive(const char *s)
{
	return isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/');
}

static void apply_modes(struct arena *a, const char *modes, struct compose_mount *m)
{
	const char *p = modes;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if ((n == 2 && !memcmp(p, "ro", 2)) || (n == 8 && !memcmp(p, "readonly", 8)))
			m->read_only = true;
		else if ((n == 6 && !memcmp(p, "shared", 6)) || (n == 7 && !memcmp(p, "rshared", 7)) ||
			 (n == 5 && !memcmp(p, "slave", 5)) || (n == 6 && !memcmp(p, "rslave", 6)) ||
			 (n == 7 && !memcmp(p, "private", 7)) || (n == 8 && !memcmp(p, "rprivate", 8)))
			m->propagation = arena_strndup(a, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
}

bool compose_parse_volume(struct arena *a, const char *spec, struct compose_mount *m)
{
	memset(m, 0, sizeof *m);
	if (!spec || !*spec)
		return false;
	/* split on ':' but not on a Windows drive colon at the start of a part */
	const char *parts[3];
	size_t lens[3], np = 0;
	const char *p = spec;
	while (np < 3) {
		const char *from = windows_drive(p) ? p + 2 : p;
		const char *colon = strchr(from, ':');
		parts[np] = p;
		lens[np] = colon ? (size_t)(colon - p) : strlen(p);
		np++;
		if (!colon)
			break;
		p = colon + 1;
	}
	if (np == 3 && strchr(parts[2], ':'))
		return false; /* more parts than SRC:DST:MODE */
	for (size_t i = 0; i < np; i++)
		if (lens[i] == 0)
			return false;
	if (np == 1) { /* an anonymous volume at DST */
		m->type = "volume";
		m->target = arena_strndup(a, parts[0], lens[0]);
		return m->target != NULL;
	}
	m->source = arena_strndup(a, parts[0], lens[0]);
	m->target = arena_strndup(a, parts[1], lens[1]);
	if (!m->source || !m->target)
		return false;
	m->type = is_host_path(m->source) || windows_drive(m->source) ? "bind" : "volume";
	if (np == 3) {
		char *modes = arena_strndup(a, parts[2], lens[2]);
		if (!modes)
			return false;
		apply_modes(a, modes, m);
	}
	return true;
}

/* ---- ports ---------------------------------------------------------------------- */

static bool parse_uint(const char *s, size_t n, unsigned *out)
{
	if (n == 0 || n > 5)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return false;
	*out = v;
	return true;
}

static bool parse_range(const char *s, size_t n, unsigned *lo, unsigned *hi)
{
	const char *dash = memchr(s, '-', n);
	if (!dash) {
		if (!parse_uint(s, n, lo))
			return false;
		*hi = *lo;
		return true;
	}
	size_t ln = (size_t)(dash - s);
	return parse_uint(s, ln, lo) && parse_uint(dash + 1, n - ln - 1, hi) && *lo <= *hi;
}

bool compose_parse_port_range(const char *s, unsigned *lo, unsigned *hi)
{
	return s && parse_range(s, strlen(s), lo, hi);
}

bool compose_parse_port(const char *spec, struct compose_port *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->protocol, "tcp");
	if (!spec)
		return false;
	size_t n = strlen(spec);
	const char *slash = memchr(spec, '/', n);
	if (slash) {
		size_t pl = n - (size_t)(slash - spec) - 1;
		if (pl == 0 || pl >= sizeof p->protocol)
			return false;
		memcpy(p->protocol, slash + 1, pl);
		p->protocol[pl] = '\0';
		n = (size_t)(slash - spec);
	}
	const char *s = spec;
	if (n && s[0] == '[') { /* [IPv6]:HOST:CONTAINER */
		const char *close = memchr(s, ']', n);
		if (!close || (size_t)(close - s) - 1 >= sizeof p->host_ip || close + 1 >= s + n || close[1] != ':')
			return false;
		memcpy(p->host_ip, s + 1, (size_t)(close - s) - 1);
		p->host_ip[close - s - 1] = '\0';
		n -= (size_t)(close + 2 - s);
		s = close + 2;
	}
	/* from the right: CONTAINER, then HOST, then an IP (which may hold colons: ::1) */
	const char *last = NULL;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == ':') {
			last = s + i - 1;
			break;
		}
	if (!last)
		return parse_range(s, n, &p->target_lo, &p->target_hi);
	if (!parse_range(last + 1, n - (size_t)(last + 1 - s), &p->target_lo, &p->target_hi))
		return false;
	size_t hn = (size_t)(last - s);
	const char *host_colon = NULL;
	for (size_t i = hn; i > 0; i--)
		if (s[i - 1] == ':') {
			host_colon = s + i - 1;
			break;
		}
	const char *hp = host_colon ? host_colon + 1 : s;
	size_t hpn = hn - (size_t)(hp - s);
	if (host_colon) {
		if (p->host_ip[0])
			return false; /* [ip]:ip:... */
		size_t ipn = (size_t)(host_colon - s);
		if (ipn == 0 || ipn >= sizeof p->host_ip)
			return false;
		memcpy(p->host_ip, s, ipn);
		p->host_ip[ipn] = '\0';
	}
	if (hpn == 0) /* "127.0.0.1::80": a random port on that address */
		return host_colon != NULL || p->host_ip[0];
	return parse_range(hp, hpn, &p->published_lo, &p->published_hi);
}

bool compose_ip_is_loopback(const char *ip)
{
	if (!ip || !*ip)
		return false;
	if (!strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strcmp(ip, "localhost") ||
	    !strcmp(ip, "0:0:0:0:0:0:0:1"))
		return true;
	return !strncmp(ip, "::ffff:127.", 11);
}
