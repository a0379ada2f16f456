/* chmod modes; see chmod_mode.h. */
#include "misconfig/chmod_mode.h"

#include <string.h>

#define MODE_BITS 07777u
#define ASSUMED_UMASK 0022u
#define OCTAL_MAX_DIGITS 6 /* GNU chmod takes leading zeros ("00755") */

static bool octal(const char *s, size_t n, unsigned *v)
{
	if (n == 0 || n > OCTAL_MAX_DIGITS)
		return false;
	unsigned x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return false;
		x = x * 8 + (unsigned)(s[i] - '0');
	}
	if (x > MODE_BITS)
		return false;
	*v = x;
	return true;
}

static unsigned who_bits(char c)
{
	switch (c) {
	case 'u': return 04700u;
	case 'g': return 02070u;
	case 'o': return 01007u;
	default: return MODE_BITS; /* 'a' */
	}
}

static unsigned perm_bits(char c)
{
	switch (c) {
	case 'r': return 0444u;
	case 'w': return 0222u;
	case 'x': return 0111u;
	case 's': return CHMOD_SETUID | CHMOD_SETGID;
	case 't': return CHMOD_STICKY;
	default: return 0; /* 'X': execute only for directories or executables, never a bit we track */
	}
}

bool chmod_mode_effect(const char *mode, unsigned *set_out, unsigned *clr_out)
{
	unsigned set = 0, clr = 0, v;
	size_t n = strlen(mode);
	if (octal(mode, n, &v)) { /* the whole mode: every bit is known */
		*set_out = v;
		*clr_out = ~v & MODE_BITS;
		return true;
	}
	const char *p = mode;
	for (;;) { /* one clause */
		unsigned who = 0;
		for (; *p && strchr("ugoa", *p); p++)
			who |= who_bits(*p);
		if (!*p || !strchr("+-=", *p))
			return false;
		while (*p && strchr("+-=", *p)) {
			char op = *p++;
			/* without who letters the umask protects the permission bits */
			unsigned affected = who ? who : MODE_BITS & ~ASSUMED_UMASK, value = 0;
			bool copy = false;
			if (*p >= '0' && *p <= '7') { /* "+4000": only without who letters */
				size_t k = strspn(p, "01234567");
				if (who || !octal(p, k, &value))
					return false;
				p += k;
				affected = MODE_BITS;
			} else if (*p && strchr("ugo", *p)) { /* "g=u": copies bits we do not know */
				copy = true;
				p++;
			} else {
				for (; *p && strchr("rwxXst", *p); p++)
					value |= perm_bits(*p);
			}
			value &= affected;
			if (copy) {
				if (op != '-')
					clr &= ~affected;
				if (op != '+')
					set &= ~affected;
			} else if (op == '+') {
				set |= value;
				clr &= ~value;
			} else if (op == '-') {
				clr |= value;
				set &= ~value;
			} else {
				set = (set & ~affected) | value;
				clr = (clr & ~affected) | (affected & ~value);
			}
		}
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return false;
	}
	*set_out = set;
	*clr_out = clr;
	return true;
}

bool chmod_scratch_path(const char *path)
{
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/dev/shm", NULL };
	for (const char *const *d = dirs; *d; d++) {
		size_t n = strlen(*d);
		if (strncmp(path, *d, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}
