#include "image/path.h"

#include <string.h>

enum path_result path_normalize(const char *src, size_t n, char *dst, size_t cap)
{
	size_t out = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && src[i] == '/')
			i++;
		size_t start = i;
		while (i < n && src[i] != '/')
			i++;
		size_t len = i - start;
		if (len == 0 || (len == 1 && src[start] == '.'))
			continue;
		if (len == 2 && src[start] == '.' && src[start + 1] == '.')
			return PATH_DOTDOT;
		if (memchr(src + start, '\0', len))
			return PATH_EMPTY; /* embedded NUL: treat as unusable */
		if (out + (out ? 1 : 0) + len + 1 > cap)
			return PATH_TOO_LONG;
		if (out)
			dst[out++] = '/';
		memcpy(dst + out, src + start, len);
		out += len;
	}
	if (cap)
		dst[out < cap ? out : cap - 1] = '\0';
	return out ? PATH_OK : PATH_EMPTY;
}

enum path_result path_resolve_link(const char *dir, const char *target, bool clamp_root, char *dst, size_t cap)
{
	size_t out = 0;
	const char *parts[2] = { target[0] == '/' ? "" : dir, target };
	for (int p = 0; p < 2; p++) {
		const char *s = parts[p];
		size_t n = strlen(s), i = 0;
		while (i < n) {
			while (i < n && s[i] == '/')
				i++;
			size_t start = i;
			while (i < n && s[i] != '/')
				i++;
			size_t len = i - start;
			if (len == 0 || (len == 1 && s[start] == '.'))
				continue;
			if (len == 2 && s[start] == '.' && s[start + 1] == '.') {
				if (out == 0 && !clamp_root)
					return PATH_DOTDOT;
				while (out > 0 && dst[out - 1] != '/')
					out--;
				if (out > 0)
					out--;
				continue;
			}
			if (out + (out ? 1 : 0) + len + 1 > cap)
				return PATH_TOO_LONG;
			if (out)
				dst[out++] = '/';
			memcpy(dst + out, s + start, len);
			out += len;
		}
	}
	if (cap)
		dst[out] = '\0';
	return out ? PATH_OK : PATH_EMPTY;
}
