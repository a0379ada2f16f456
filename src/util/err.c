#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int berr_set(struct berr *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

int berr_wrap(struct berr *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	char prefix[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	char old[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	/* Truncation of an overlong chain is fine: the innermost context is
	 * at the end, the outermost at the start. */
	size_t n = strlen(prefix);
	memcpy(e->msg, prefix, n + 1);
	if (e->code != BOSUN_OK && old[0] && n + 2 < sizeof e->msg) {
		memcpy(e->msg + n, ": ", 2);
		size_t room = sizeof e->msg - n - 3;
		size_t m = strnlen(old, room);
		memcpy(e->msg + n + 2, old, m);
		e->msg[n + 2 + m] = '\0';
	}
	e->code = code;
	return code;
}

void berr_clear(struct berr *e)
{
	if (e) {
		e->code = BOSUN_OK;
		e->msg[0] = '\0';
	}
}

const char *bosun_strerror(int code)
{
	switch (code) {
	case BOSUN_OK: return "success";
	case BOSUN_ENOMEM: return "out of memory";
	case BOSUN_EIO: return "I/O error";
	case BOSUN_EFORMAT: return "malformed input";
	case BOSUN_ELIMIT: return "safety limit exceeded";
	case BOSUN_EDIGEST: return "digest mismatch";
	case BOSUN_ENOTFOUND: return "not found";
	case BOSUN_EUSAGE: return "usage error";
	case BOSUN_EUNSUPPORTED: return "unsupported";
	}
	return "unknown error";
}

int bosun_exit_code(int code)
{
	switch (code) {
	case BOSUN_OK: return 0;
	case BOSUN_EUSAGE: return 2;
	case BOSUN_EFORMAT:
	case BOSUN_EDIGEST:
	case BOSUN_ENOTFOUND:
	case BOSUN_EUNSUPPORTED: return 3;
	case BOSUN_ELIMIT: return 4;
	default: return 5;
	}
}
