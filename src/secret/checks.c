/* Checks on candidate secrets and on file contents: Shannon entropy,
 * placeholders ("changeme", "${VAR}", "<password>"), per-rule validators,
 * binary detection, secret-looking variable names, and masking. All pure
 * functions of their arguments, so the engine stays thread-safe. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "secret/secret_impl.h"

double secret_entropy(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	size_t count[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (size_t c = 0; c < 256; c++) {
		if (!count[c])
			continue;
		double p = (double)count[c] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static size_t longest_run(const char *s, size_t n)
{
	size_t best = n ? 1 : 0, run = 1;
	for (size_t i = 1; i < n; i++) {
		run = s[i] == s[i - 1] ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	return best;
}

static bool contains_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return true;
	return false;
}

static bool equals_ci(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_ident(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* "self.password", "os.environ", "config.db.pass": a reference in code. */
static bool is_dotted_reference(const char *s, size_t n)
{
	size_t dots = 0;
	bool start = true;
	for (size_t i = 0; i < n; i++) {
		if (start) {
			if (!is_ident_start(s[i]))
				return false;
			start = false;
		} else if (s[i] == '.') {
			dots++;
			start = true;
		} else if (!is_ident(s[i])) {
			return false;
		}
	}
	return dots > 0 && !start;
}

/* "DB_PASSWORD", "MY_SECRET_VALUE": an environment variable's name. */
static bool is_env_name(const char *s, size_t n)
{
	bool underscore = false;
	if (n == 0 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			underscore = true;
		else if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	}
	return underscore;
}

bool secret_is_placeholder(const char *s, size_t n)
{
	/* strip one level of quotes the regex may have kept */
	while (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	if (n == 0)
		return true;
	/* variables, templates, tags, references, file paths */
	static const char starts[] = "$%@&*#{[(<!/~";
	if (strchr(starts, s[0]))
		return true;
	if (n >= 2 && s[0] == '.' && s[1] == '/')
		return true;
	static const char *const inside[] = {
		"${", "{{", "}}", "<", ">", "(", ")", "[", "]", "xxxx", "****", "....", "????", "----", "____", "####",
		"changeme", "change_me", "change-me", "changeit", "password", "passwd", "placeholder",
		"example", "redacted", "your_", "your-", "yourpass", "dummy", "replace_", "replaceme",
		"insert_", "file:", "vault:", "secretref", "getenv", "environ", "process.env",
	};
	for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
		if (contains_ci(s, n, inside[i]))
			return true;
	static const char *const words[] = {
		"secret", "pass", "test", "none", "null", "nil", "true", "false", "yes", "no", "on", "off",
		"undefined", "required", "optional", "string", "str", "empty", "default", "value", "token",
		"unset", "todo", "fixme", "tbd", "n/a", "na", "key", "hidden", "masked", "sample", "foo",
		"foobar", "bar", "abc", "abc123", "123456", "12345678",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (equals_ci(s, n, words[i]))
			return true;
	if (longest_run(s, n) == n || is_dotted_reference(s, n) || is_env_name(s, n))
		return true;
	return false;
}

/* Standard or URL-safe base64, padding optional. Returns the decoded length
 * or (size_t)-1 when s is not base64. */
static size_t b64_decode(const char *s, size_t n, unsigned char *out, size_t outsz)
{
	unsigned acc = 0;
	int bits = 0;
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=')
			break;
		else
			return (size_t)-1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (w == outsz)
				return (size_t)-1;
			out[w++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return w;
}

static bool basic_auth_ok(const char *s, size_t n)
{
	unsigned char dec[512];
	size_t m = b64_decode(s, n, dec, sizeof dec);
	if (m == (size_t)-1 || m < 3)
		return false;
	const unsigned char *colon = memchr(dec, ':', m);
	if (!colon || colon == dec)
		return false;
	for (size_t i = 0; i < m; i++)
		if (dec[i] < 0x20 || dec[i] == 0x7f)
			return false;
	const char *pw = (const char *)colon + 1;
	size_t pwn = m - (size_t)(colon + 1 - dec);
	return pwn >= 1 && !secret_is_placeholder(pw, pwn);
}

static bool jwt_ok(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	if (!dot)
		return false;
	unsigned char dec[1024];
	size_t m = b64_decode(s, (size_t)(dot - s), dec, sizeof dec - 1);
	if (m == (size_t)-1 || m < 2 || dec[0] != '{')
		return false;
	return contains_ci((const char *)dec, m, "\"alg\"");
}

static bool pem_body_ok(const char *s, size_t n)
{
	size_t run = 0, best = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
			   c == '/' || c == '=';
		run = b64 ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best >= 32;
}

static bool aws_secret_ok(const char *s, size_t n)
{
	bool upper = false, lower = false, digit = false;
	for (size_t i = 0; i < n; i++) {
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		lower |= s[i] >= 'a' && s[i] <= 'z';
		digit |= (s[i] >= '0' && s[i] <= '9') || s[i] == '/' || s[i] == '+';
	}
	return upper && lower && digit && secret_entropy(s, n) >= 3.0;
}

/* An unquoted value made of letters only (with _ - . between words) is
 * code, a type or prose ("password = credentials", "passwd: files",
 * "password: BinaryLike", "password = user_pass"), not a password: an
 * unquoted password needs a digit or a symbol. */
static bool is_bare_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

bool secret_check_passes(const struct secret_rule_def *r, const char *s, size_t n, bool quoted)
{
	if (n == 0)
		return false;
	/* "sk_live_00000000000000000000", "ghp_xxxxxxxx...": placeholders in docs */
	if (!(r->flags & RULE_ALLOW_RUNS) && longest_run(s, n) >= 8)
		return false;
	switch (r->check) {
	case CHECK_NONE:
		return true;
	case CHECK_PASSWORD:
		return n >= 6 && !secret_is_placeholder(s, n) && !(!quoted && is_bare_word(s, n)) &&
		       secret_entropy(s, n) >= r->min_entropy;
	case CHECK_ENTROPY:
		return !secret_is_placeholder(s, n) && secret_entropy(s, n) >= r->min_entropy;
	case CHECK_AWS_SECRET:
		return aws_secret_ok(s, n);
	case CHECK_BASIC_AUTH:
		return basic_auth_ok(s, n);
	case CHECK_JWT:
		return jwt_ok(s, n);
	case CHECK_PEM_BODY:
		return pem_body_ok(s, n);
	}
	return true;
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return n == 0 ? 0 : (n < len ? 0 : len);
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

bool secret_looks_binary(const unsigned char *p, size_t n)
{
	if (n > STREAM_HEAD_BYTES)
		n = STREAM_HEAD_BYTES;
	if (memchr(p, 0, n))
		return true;
	size_t odd = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != '\b' &&
			     c != 0x1b) ||
			    c == 0x7f)
				odd++;
			i++;
			continue;
		}
		size_t len = utf8_len(p + i, n - i);
		if (len == 0) {
			/* a sequence cut by the end of the head is not evidence */
			if (n - i < 4 && n == STREAM_HEAD_BYTES)
				break;
			odd++;
			i++;
		} else {
			i += len;
		}
	}
	/* Latin-1 text has a few invalid bytes; compressed or machine code
	 * has many (and almost always a NUL, caught above). */
	return odd * 100 > n * 30;
}

bool secret_env_name_is_secret(const char *name, size_t n)
{
	static const char *const suffixes[] = {
		"PASSWORD", "PASSWD", "PASSPHRASE", "TOKEN", "SECRET", "API_KEY", "APIKEY", "SECRET_KEY",
		"PRIVATE_KEY", "AUTH_KEY", "CREDENTIALS", "ACCESS_TOKEN", "CLIENT_SECRET",
	};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t m = strlen(suffixes[i]);
		if (n < m || strncasecmp(name + n - m, suffixes[i], m) != 0)
			continue;
		if (n == m || name[n - m - 1] == '_' || name[n - m - 1] == '-' || name[n - m - 1] == '.')
			return true;
		/* DBPASSWORD, MYSQL_ROOTPASSWORD */
		if (i < 3)
			return true;
	}
	return false;
}

void secret_mask(const char *s, size_t n, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	size_t show = n >= 16 ? 4 : 0;
	size_t stars = n - 2 * show;
	if (stars > 32)
		stars = 32;
	size_t w = 0;
	for (size_t i = 0; i < show && w + 1 < outsz; i++)
		out[w++] = s[i] > 0x20 && s[i] < 0x7f ? s[i] : '*';
	for (size_t i = 0; i < stars && w + 1 < outsz; i++)
		out[w++] = '*';
	for (size_t i = n - show; i < n && w + 1 < outsz; i++)
		out[w++] = s[i] > 0x20 && s[i] < 0x7f ? s[i] : '*';
	out[w] = 0;
}
