/* Error codes and error messages shared by every module.
 *
 * One idiom everywhere (after YARA and curl): a function that can fail returns
 * an int, BOSUN_OK (0) or one of the codes below, and, when the caller passed a
 * struct berr, fills it with a message that names the thing that failed
 * ("layer sha256:ab12...: truncated gzip stream"). Callers propagate with
 * TRY(expr). */
#ifndef BOSUN_UTIL_ERR_H
#define BOSUN_UTIL_ERR_H

#include <stddef.h>

enum {
	BOSUN_OK = 0,
	BOSUN_ENOMEM,      /* allocation failed */
	BOSUN_EIO,         /* read/write/open failed (errno-level) */
	BOSUN_EFORMAT,     /* input is malformed or not what it claims to be */
	BOSUN_ELIMIT,      /* a configured safety limit was exceeded */
	BOSUN_EDIGEST,     /* content does not match its digest or size */
	BOSUN_ENOTFOUND,   /* a named thing (image, platform, file) is absent */
	BOSUN_EUSAGE,      /* bad command line */
	BOSUN_EUNSUPPORTED /* valid input we do not handle */
};

struct berr {
	int code;
	char msg[1024];
};

/* Record code and a printf-style message in e (which may be NULL); returns
 * code so that `return berr_set(e, BOSUN_EFORMAT, "...")` reads naturally.
 * If e already holds an error, the new message is prefixed to it
 * ("layer 2: tar: bad checksum"), so context can be added on the way up. */
int berr_set(struct berr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add context in front of an existing message: "ctx: old message". */
int berr_wrap(struct berr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void berr_clear(struct berr *e);

/* Short fixed name of a code ("malformed input"). */
const char *bosun_strerror(int code);

/* Process exit code for an error code (see docs/exit-codes.md). */
int bosun_exit_code(int code);

#define TRY(expr)                                                              \
	do {                                                                   \
		int try_rc_ = (expr);                                          \
		if (try_rc_ != BOSUN_OK)                                       \
			return try_rc_;                                        \
	} while (0)

#endif
