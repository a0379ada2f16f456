/* Alpine package versions: digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#},
 * as apk-tools 3 orders and validates them (src/version.c). The scheme is
 * version_scheme_apk; its compare() refuses invalid versions, while
 * apk_version_order() below orders anything the way apk itself does. */
#ifndef BOSUN_VERSION_APK_H
#define BOSUN_VERSION_APK_H

#include <stdbool.h>

/* apk_version_validate(). */
bool apk_version_valid(const char *v);

/* apk's comparison of any two strings, valid or not: token by token until
 * one side runs out or turns invalid (so "23_foo" > "4_beta" on the 23).
 * With fuzzy, a equals b when b's tokens are a prefix of a's, as in the
 * dependency "~3.6". Returns -1, 0 or 1.
 *
 * One deliberate difference: apk reads each number into a uint64_t that
 * wraps; this compares numbers of any length exactly. */
int apk_version_order(const char *a, const char *b, bool fuzzy);

#endif
