/* Dockerfile parser; see dockerfile_parse.h. The structure follows
 * BuildKit's frontend/dockerfile/parser (read as a specification, not
 * copied): directives, then logical lines built from continuations, then
 * the heredoc bodies that follow a logical line. */
#include "misconfig/dockerfile_parse.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/rules.h"
#include "util/json.h"

static const char *const cmd_names[DF_CMD_COUNT] = {
	[DF_ADD] = "ADD",		[DF_ARG] = "ARG",	  [DF_CMD] = "CMD",	  [DF_COPY] = "COPY",
	[DF_ENTRYPOINT] = "ENTRYPOINT", [DF_ENV] = "ENV",	  [DF_EXPOSE] = "EXPOSE", [DF_FROM] = "FROM",
	[DF_HEALTHCHECK] = "HEALTHCHECK", [DF_LABEL] = "LABEL", [DF_MAINTAINER] = "MAINTAINER",
	[DF_ONBUILD] = "ONBUILD",	[DF_RUN] = "RUN",	  [DF_SHELL] = "SHELL",	  [DF_STOPSIGNAL] = "STOPSIGNAL",
	[DF_USER] = "USER",		[DF_VOLUME] = "VOLUME",	  [DF_WORKDIR] = "WORKDIR",
};

const char *df_cmd_name(enum df_cmd c) { return (unsigned)c < DF_CMD_COUNT ? cmd_names[c] : "?"; }

/* Total work df_expand may do for one Dockerfile (instructions scanned
 * while looking variables up), so hostile files stay linear. */
#define EXPAND_BUDGET (4u << 20)
#define EXPAND_MAX_OUT (64u << 10)
#define EXPAND_MAX_DEPTH 8

/* ---- lines ---- */

struct lines {
	const char *p, *end;
	unsigned no; /* number of the line last returned */
};

static bool next_line(struct lines *L, struct slice *line)
{
	if (L->p >= L->end)
		return false;
	const char *nl = memchr(L->p, '\n', (size_t)(L->end - L->p));
	const char *stop = nl ? nl : L->end;
	size_t n = (size_t)(stop - L->p);
	if (n && L->p[n - 1] == '\r')
		n--;
	*line = slice_make(L->p, n);
	L->p = nl ? nl + 1 : L->end;
	L->no++;
	return true;
}

static bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static struct slice ltrim(struct slice s)
{
	while (s.n && is_blank_char(*s.p))
		s.p++, s.n--;
	return s;
}

static struct slice rtrim(struct slice s)
{
	while (s.n && is_blank_char(s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool is_comment(struct slice line)
{
	line = ltrim(line);
	return line.n && line.p[0] == '#';
}

static bool is_blank(struct slice line) { return ltrim(line).n == 0; }

/* Strips a trailing escape character (and blanks after it); true when the
 * line continues on the next one. */
static bool strip_continuation(struct slice *line, char escape)
{
	struct slice t = rtrim(*line);
	if (t.n && t.p[t.n - 1] == escape) {
		line->n = t.n - 1;
		return true;
	}
	return false;
}

/* ---- small helpers ---- */

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return BOSUN_OK;
	size_t nc = *cap ? *cap * 2 : 8;
	while (nc < need)
		nc *= 2;
	void *p = realloc(*v, nc * size);
	if (!p)
		return BOSUN_ENOMEM;
	*v = p;
	*cap = nc;
	return BOSUN_OK;
}

static void clean(char *dst, size_t cap, struct slice s) { dkr_clean_text(dst, cap, s.p, s.n); }

/* Splits s into words at blanks outside quotes; quotes and escapes stay in
 * the words (BuildKit's parseWords). */
static int split_words(struct arena *a, struct slice s, char escape, bool quotes, const char ***out, size_t *n)
{
	size_t cap = 0, count = 0;
	const char **v = NULL;
	size_t i = 0;
	while (i < s.n) {
		while (i < s.n && (is_blank_char(s.p[i]) || s.p[i] == '\n'))
			i++;
		if (i >= s.n)
			break;
		size_t start = i;
		char q = 0;
		while (i < s.n) {
			char c = s.p[i];
			if (q) {
				if (c == escape && q == '"' && i + 1 < s.n)
					i++;
				else if (c == q)
					q = 0;
			} else if (c == escape && i + 1 < s.n) {
				i++;
			} else if (quotes && (c == '"' || c == '\'')) {
				q = c;
			} else if (is_blank_char(c) || c == '\n') {
				break;
			}
			i++;
		}
		if (i > s.n)
			i = s.n;
		if (count == cap) {
			/* arena arrays: copy to a larger block (rarely more than a few words) */
			size_t nc = cap ? cap * 2 : 8;
			const char **nv = arena_alloc(a, nc * sizeof *nv);
			if (!nv)
				return BOSUN_ENOMEM;
			if (count)
				memcpy(nv, v, count * sizeof *nv);
			v = nv;
			cap = nc;
		}
		if (!(v[count++] = arena_strndup(a, s.p + start, i - start)))
			return BOSUN_ENOMEM;
	}
	*out = v;
	*n = count;
	return BOSUN_OK;
}

/* Removes one level of quotes and escapes (no variable expansion). */
static char *unquote(struct arena *a, const char *s, size_t n, char escape)
{
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				o[k++] = c;
		} else if (c == escape && i + 1 < n) {
			char d = s[i + 1];
			if (q == '"' && d != '"' && d != '$' && d != escape && d != '`')
				o[k++] = c;
			o[k++] = d;
			i++;
		} else if (q == '"' && c == '"') {
			q = 0;
		} else if (!q && (c == '"' || c == '\'')) {
			q = c;
		} else {
			o[k++] = c;
		}
	}
	o[k] = '\0';
	return o;
}

/* ---- instruction arguments ---- */

/* Leading --name[=value] words (BuildKit's extractBuilderFlags); a lone
 * "--" ends them. Returns the rest. */
static int parse_flags(struct arena *a, struct df_instruction *ins, struct slice rest, char escape, struct slice *after)
{
	size_t cap = 0;
	for (;;) {
		rest = ltrim(rest);
		if (rest.n < 2 || rest.p[0] != '-' || rest.p[1] != '-')
			break;
		size_t i = 2;
		char q = 0;
		while (i < rest.n && (q || !(is_blank_char(rest.p[i]) || rest.p[i] == '\n'))) {
			if (q) {
				if (rest.p[i] == q)
					q = 0;
			} else if (rest.p[i] == '"' || rest.p[i] == '\'') {
				q = rest.p[i];
			} else if (rest.p[i] == escape && i + 1 < rest.n) {
				i++;
			}
			i++;
		}
		if (i > rest.n)
			i = rest.n;
		struct slice word = slice_make(rest.p + 2, i - 2);
		rest = slice_make(rest.p + i, rest.n - i);
		if (word.n == 0)
			break; /* "--": end of flags */
		if (ins->nflags == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct df_flag *nf = arena_alloc(a, nc * sizeof *nf);
			if (!nf)
				return BOSUN_ENOMEM;
			if (ins->nflags)
				memcpy(nf, ins->flags, ins->nflags * sizeof *nf);
			ins->flags = nf;
			cap = nc;
		}
		struct df_flag *f = &ins->flags[ins->nflags++];
		struct slice name, value;
		bool has_value = slice_split(word, '=', &name, &value);
		char *lname = arena_slice(a, name);
		if (!lname)
			return BOSUN_ENOMEM;
		for (char *p = lname; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		f->name = lname;
		f->value = NULL;
		if (has_value && !(f->value = unquote(a, value.p, value.n, escape)))
			return BOSUN_ENOMEM;
	}
	*after = rest;
	return BOSUN_OK;
}

/* A JSON array of strings, or false (then the text is shell form). */
static int parse_json_array(struct arena *a, struct slice s, bool *ok, const char ***argv, size_t *argc)
{
	*ok = false;
	s = ltrim(s);
	if (!s.n || s.p[0] != '[')
		return BOSUN_OK;
	json_t *j = NULL;
	struct berr ignored = { 0 };
	if (json_parse_bounded(s.p, s.n, 2, "JSON form", &j, &ignored) != BOSUN_OK)
		return BOSUN_OK;
	int rc = BOSUN_OK;
	if (json_is_array(j)) {
		size_t n = json_array_size(j);
		const char **v = arena_alloc(a, (n + 1) * sizeof *v);
		bool all = v != NULL;
		for (size_t i = 0; all && i < n; i++) {
			json_t *x = json_array_get(j, i);
			all = json_is_string(x) && (v[i] = arena_strndup(a, json_string_value(x), json_string_length(x)));
		}
		if (!v)
			rc = BOSUN_ENOMEM;
		else if (all) {
			v[n] = NULL;
			*argv = v;
			*argc = n;
			*ok = true;
		}
	}
	json_decref(j);
	return rc;
}

/* ENV and LABEL: key=value words, or the legacy "KEY value ..." form.
 * ARG: name or name=value words. */
static int parse_kv(struct arena *a, struct df_instruction *ins, struct slice rest, char escape, bool legacy_ok,
		    unsigned line, struct berr *e)
{
	const char **words;
	size_t n;
	TRY(split_words(a, rest, escape, true, &words, &n));
	if (n == 0)
		return berr_set(e, BOSUN_EFORMAT, "line %u: %s needs arguments", line, df_cmd_name(ins->cmd));
	if (!(ins->kv = arena_alloc(a, n * sizeof *ins->kv)))
		return BOSUN_ENOMEM;
	if (legacy_ok && !strchr(words[0], '=')) {
		/* ENV KEY value with spaces */
		struct slice t = ltrim(rest);
		size_t k = 0;
		while (k < t.n && !is_blank_char(t.p[k]) && t.p[k] != '\n')
			k++;
		struct slice val = rtrim(ltrim(slice_make(t.p + k, t.n - k)));
		if (val.n == 0)
			return berr_set(e, BOSUN_EFORMAT, "line %u: %s must have two arguments", line,
					df_cmd_name(ins->cmd));
		ins->kv[0].key = arena_strndup(a, t.p, k);
		ins->kv[0].value = arena_slice(a, val);
		ins->nkv = 1;
		return ins->kv[0].key && ins->kv[0].value ? BOSUN_OK : BOSUN_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(words[i], '=');
		if (!eq && legacy_ok) {
			char w[64];
			dkr_clean_text(w, sizeof w, words[i], strlen(words[i]));
			return berr_set(e, BOSUN_EFORMAT, "line %u: %s: can't find = in \"%s\"", line,
					df_cmd_name(ins->cmd), w);
		}
		size_t klen = eq ? (size_t)(eq - words[i]) : strlen(words[i]);
		if (klen == 0)
			return berr_set(e, BOSUN_EFORMAT, "line %u: %s names can not be blank", line,
					df_cmd_name(ins->cmd));
		/* keys may be quoted (LABEL "a b"=c) */
		struct df_kv *kv = &ins->kv[ins->nkv++];
		if (!(kv->key = unquote(a, words[i], klen, escape)))
			return BOSUN_ENOMEM;
		kv->value = eq ? eq + 1 : NULL;
	}
	return BOSUN_OK;
}

/* ---- heredocs ---- */

/* BuildKit's rule: a shell word of the form [digits]<<[-]NAME where NAME
 * contains no '<'. Words are split with '\\' as escape and quotes kept. */
static int find_heredocs(struct arena *a, struct slice args, struct df_heredoc **out, size_t *n, unsigned line,
			 struct berr *e)
{
	const char **words;
	size_t nw;
	TRY(split_words(a, args, '\\', true, &words, &nw));
	*n = 0;
	*out = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < nw; i++) {
		const char *w = words[i];
		while (isdigit((unsigned char)*w))
			w++;
		if (w[0] != '<' || w[1] != '<')
			continue;
		w += 2;
		bool chomp = *w == '-';
		if (chomp)
			w++;
		if (!*w || strchr(w, '<'))
			continue;
		char *name = unquote(a, w, strlen(w), '\\');
		if (!name)
			return BOSUN_ENOMEM;
		if (!*name)
			continue;
		if (*n >= DOCKERFILE_MAX_HEREDOCS)
			return berr_set(e, BOSUN_ELIMIT, "line %u: more than %u heredocs in one instruction", line,
					DOCKERFILE_MAX_HEREDOCS);
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 2;
			struct df_heredoc *nh = arena_alloc(a, nc * sizeof *nh);
			if (!nh)
				return BOSUN_ENOMEM;
			if (*n)
				memcpy(nh, *out, *n * sizeof *nh);
			*out = nh;
			cap = nc;
		}
		struct df_heredoc *h = &(*out)[(*n)++];
		memset(h, 0, sizeof *h);
		h->name = name;
		h->chomp = chomp;
		h->quoted = strpbrk(w, "\"'\\") != NULL;
	}
	return BOSUN_OK;
}

static int read_heredoc_bodies(struct arena *a, struct lines *L, struct df_instruction *ins, struct berr *e)
{
	struct buf body = { 0 };
	int rc = BOSUN_OK;
	for (size_t k = 0; k < ins->nheredocs && !rc; k++) {
		struct df_heredoc *h = &ins->heredocs[k];
		size_t nlen = strlen(h->name);
		bool done = false;
		struct slice line;
		buf_reset(&body);
		h->line = L->no + 1;
		while (!rc && next_line(L, &line)) {
			struct slice cmp = line;
			if (h->chomp)
				while (cmp.n && cmp.p[0] == '\t')
					cmp.p++, cmp.n--;
			if (cmp.n == nlen && memcmp(cmp.p, h->name, nlen) == 0) {
				done = true;
				break;
			}
			struct slice keep = h->chomp ? cmp : line;
			if ((rc = buf_append(&body, keep.p, keep.n)) || (rc = buf_append(&body, "\n", 1)))
				break;
		}
		if (!rc && !done) {
			char name[64];
			dkr_clean_text(name, sizeof name, h->name, nlen);
			rc = berr_set(e, BOSUN_EFORMAT, "line %u: unterminated heredoc <<%s (no line \"%s\" before the end)",
				      ins->line, name, name);
		}
		if (!rc && !(h->body = arena_strndup(a, body.data ? body.data : "", body.len)))
			rc = BOSUN_ENOMEM;
	}
	buf_free(&body);
	return rc;
}

/* ---- one instruction ---- */

static int lookup_cmd(struct slice kw, enum df_cmd *out)
{
	for (int c = 0; c < DF_CMD_COUNT; c++)
		if (strlen(cmd_names[c]) == kw.n && strncasecmp(cmd_names[c], kw.p, kw.n) == 0) {
			*out = (enum df_cmd)c;
			return BOSUN_OK;
		}
	return BOSUN_ENOTFOUND;
}

static bool has_json_form(enum df_cmd c)
{
	return c == DF_RUN || c == DF_CMD || c == DF_ENTRYPOINT || c == DF_COPY || c == DF_ADD || c == DF_VOLUME ||
	       c == DF_SHELL;
}

static int parse_args(struct dockerfile *df, struct df_instruction *ins, struct slice rest, struct berr *e)
{
	struct arena *a = &df->arena;
	rest = rtrim(ltrim(rest));
	if (!(ins->args = arena_slice(a, rest)))
		return BOSUN_ENOMEM;
	switch (ins->cmd) {
	case DF_ENV:
	case DF_LABEL:
		return parse_kv(a, ins, rest, df->escape, true, ins->line, e);
	case DF_ARG:
		return parse_kv(a, ins, rest, df->escape, false, ins->line, e);
	case DF_HEALTHCHECK: {
		/* HEALTHCHECK NONE | HEALTHCHECK CMD command (JSON or shell) */
		struct slice t = rest, kw = rest;
		size_t k = 0;
		while (k < t.n && !is_blank_char(t.p[k]) && t.p[k] != '\n')
			k++;
		kw.n = k;
		if (kw.n == 3 && strncasecmp(kw.p, "CMD", 3) == 0) {
			struct slice cmd = ltrim(slice_make(t.p + k, t.n - k));
			TRY(parse_json_array(a, cmd, &ins->json, &ins->argv, &ins->argc));
		}
		if (!ins->json)
			TRY(split_words(a, rest, df->escape, false, &ins->argv, &ins->argc));
		return BOSUN_OK;
	}
	default:
		break;
	}
	if (has_json_form(ins->cmd))
		TRY(parse_json_array(a, rest, &ins->json, &ins->argv, &ins->argc));
	if (!ins->json)
		TRY(split_words(a, rest, df->escape, false, &ins->argv, &ins->argc));
	return BOSUN_OK;
}

/* ---- stages ---- */

static int add_stage(struct dockerfile *df, size_t at, struct berr *e)
{
	struct df_instruction *ins = &df->ins[at];
	if (ins->argc == 0)
		return berr_set(e, BOSUN_EFORMAT, "line %u: FROM requires the name of an image", ins->line);
	if (ins->argc != 1 && !(ins->argc == 3 && strcasecmp(ins->argv[1], "AS") == 0))
		return berr_set(e, BOSUN_EFORMAT, "line %u: FROM takes an image and an optional AS name", ins->line);
	TRY(grow((void **)&df->stages, &df->cap_stages, df->nstages + 1, sizeof *df->stages));
	if (df->nstages)
		df->stages[df->nstages - 1].end = at;
	struct df_stage *s = &df->stages[df->nstages];
	memset(s, 0, sizeof *s);
	s->from = at;
	s->end = at + 1;
	s->parent = -1;
	s->image = ins->argv[0];
	s->platform = df_flag(ins, "platform", 0, NULL);
	if (ins->argc == 3) {
		char *name = arena_strdup(&df->arena, ins->argv[2]);
		if (!name)
			return BOSUN_ENOMEM;
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		s->name = name;
	}
	ins->stage = (int)df->nstages;
	df->nstages++;
	bool unknown = false, has_ref = false;
	const char *r = df_expand(df, at, s->image, &unknown, &has_ref);
	if (!r)
		return BOSUN_ENOMEM;
	s = &df->stages[df->nstages - 1];
	s->resolved = unknown ? NULL : r;
	if (s->resolved)
		for (size_t k = 0; k + 1 < df->nstages; k++)
			if (df->stages[k].name && strcasecmp(df->stages[k].name, s->resolved) == 0)
				s->parent = (int)k;
	return BOSUN_OK;
}

/* ---- directives ---- */

/* "# key = value" at the top of the file; false for anything else. */
static bool directive(struct slice line, struct slice *key, struct slice *value)
{
	line = ltrim(line);
	if (!line.n || line.p[0] != '#')
		return false;
	line = ltrim(slice_make(line.p + 1, line.n - 1));
	size_t k = 0;
	while (k < line.n && isalnum((unsigned char)line.p[k]))
		k++;
	if (k == 0 || !isalpha((unsigned char)line.p[0]))
		return false;
	*key = slice_make(line.p, k);
	struct slice rest = ltrim(slice_make(line.p + k, line.n - k));
	if (!rest.n || rest.p[0] != '=')
		return false;
	*value = rtrim(ltrim(slice_make(rest.p + 1, rest.n - 1)));
	return value->n > 0;
}

static int parse_directives(struct dockerfile *df, struct lines *L, struct berr *e)
{
	struct slice line, key, value;
	for (;;) {
		struct lines save = *L;
		if (!next_line(L, &line) || !directive(line, &key, &value)) {
			*L = save;
			return BOSUN_OK;
		}
		const char **slot = NULL;
		if (key.n == 6 && strncasecmp(key.p, "escape", 6) == 0) {
			if (value.n != 1 || (value.p[0] != '\\' && value.p[0] != '`')) {
				char v[32];
				clean(v, sizeof v, value);
				return berr_set(e, BOSUN_EFORMAT, "line %u: invalid escape directive \"%s\" (must be \\ or `)",
						L->no, v);
			}
			df->escape = value.p[0];
			continue;
		} else if (key.n == 6 && strncasecmp(key.p, "syntax", 6) == 0) {
			slot = &df->syntax;
		} else if (key.n == 5 && strncasecmp(key.p, "check", 5) == 0) {
			slot = &df->check;
		} else {
			*L = save; /* an unknown directive is a comment and ends the directives */
			return BOSUN_OK;
		}
		if (!*slot && !(*slot = arena_slice(&df->arena, value)))
			return BOSUN_ENOMEM;
	}
}

/* ---- the parser ---- */

static int parse_lines(struct dockerfile *df, struct lines *L, struct berr *e)
{
	struct buf logical = { 0 };
	struct slice line;
	int rc = BOSUN_OK;
	while (!rc && next_line(L, &line)) {
		if (is_comment(line) || is_blank(line))
			continue;
		unsigned start = L->no;
		buf_reset(&logical);
		line = ltrim(line);
		bool cont = strip_continuation(&line, df->escape);
		if (line.n > DOCKERFILE_MAX_LOGICAL_LINE) {
			rc = berr_set(e, BOSUN_ELIMIT, "line %u: instruction longer than %u bytes", start,
				      DOCKERFILE_MAX_LOGICAL_LINE);
			break;
		}
		if ((rc = buf_append(&logical, line.p, line.n)))
			break;
		while (cont && next_line(L, &line)) {
			if (is_comment(line) || is_blank(line))
				continue;
			cont = strip_continuation(&line, df->escape);
			if (logical.len + line.n > DOCKERFILE_MAX_LOGICAL_LINE) {
				rc = berr_set(e, BOSUN_ELIMIT, "line %u: instruction longer than %u bytes", start,
					      DOCKERFILE_MAX_LOGICAL_LINE);
				break;
			}
			if ((rc = buf_append(&logical, line.p, line.n)))
				break;
		}
		if (rc)
			break;
		struct slice text = rtrim(slice_make(logical.data, logical.len));
		if (text.n == 0)
			continue; /* only an escape character */
		if (df->nins >= DOCKERFILE_MAX_INSTRUCTIONS) {
			rc = berr_set(e, BOSUN_ELIMIT, "more than %u instructions", DOCKERFILE_MAX_INSTRUCTIONS);
			break;
		}
		size_t k = 0;
		while (k < text.n && !is_blank_char(text.p[k]))
			k++;
		struct slice kw = slice_make(text.p, k);
		enum df_cmd cmd;
		if (lookup_cmd(kw, &cmd) != BOSUN_OK) {
			char w[48];
			clean(w, sizeof w, kw);
			rc = berr_set(e, BOSUN_EFORMAT, "line %u: unknown instruction \"%s\"", start, w);
			break;
		}
		if ((rc = grow((void **)&df->ins, &df->cap_ins, df->nins + 1, sizeof *df->ins)))
			break;
		struct df_instruction *ins = &df->ins[df->nins];
		memset(ins, 0, sizeof *ins);
		ins->cmd = cmd;
		ins->line = start;
		ins->stage = df->nstages ? (int)df->nstages - 1 : -1;
		if (!(ins->keyword = arena_slice(&df->arena, kw))) {
			rc = BOSUN_ENOMEM;
			break;
		}
		struct slice rest = slice_make(text.p + k, text.n - k), after;
		if ((rc = parse_flags(&df->arena, ins, rest, df->escape, &after)) || (rc = parse_args(df, ins, after, e)))
			break;
		if ((cmd == DF_RUN || cmd == DF_COPY || cmd == DF_ADD) && !ins->json) {
			if ((rc = find_heredocs(&df->arena, after, &ins->heredocs, &ins->nheredocs, start, e)) ||
			    (rc = read_heredoc_bodies(&df->arena, L, ins, e)))
				break;
		}
		ins->end_line = L->no;
		df->nins++;
		if (cmd != DF_ARG && df->nstages == 0 && cmd != DF_FROM) {
			rc = berr_set(e, BOSUN_EFORMAT, "line %u: %s before the first FROM", start, df_cmd_name(cmd));
			break;
		}
		if (cmd == DF_FROM)
			rc = add_stage(df, df->nins - 1, e);
		else if (df->nstages)
			df->stages[df->nstages - 1].end = df->nins;
	}
	buf_free(&logical);
	return rc;
}

int dockerfile_parse(const char *data, size_t n, struct dockerfile *df, struct berr *e)
{
	memset(df, 0, sizeof *df);
	df->escape = '\\';
	df->expand_budget = EXPAND_BUDGET;
	if (n > DOCKERFILE_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "Dockerfile larger than %u MiB", DOCKERFILE_MAX_BYTES >> 20);
	const char *nul = data ? memchr(data, '\0', n) : NULL;
	if (nul) {
		unsigned line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		return berr_set(e, BOSUN_EFORMAT, "line %u: binary data (NUL byte), not a Dockerfile", line);
	}
	struct lines L = { data ? data : "", data ? data + n : "", 0 };
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		L.p += 3; /* byte order mark */
	TRY(parse_directives(df, &L, e));
	TRY(parse_lines(df, &L, e));
	if (df->nins == 0)
		return berr_set(e, BOSUN_EFORMAT, "no instructions (empty Dockerfile)");
	if (df->nstages == 0)
		return berr_set(e, BOSUN_EFORMAT, "no FROM instruction");
	return BOSUN_OK;
}

void dockerfile_free(struct dockerfile *df)
{
	free(df->ins);
	free(df->stages);
	arena_free(&df->arena);
	memset(df, 0, sizeof *df);
}

const struct df_stage *dockerfile_final_stage(const struct dockerfile *df)
{
	return df->nstages ? &df->stages[df->nstages - 1] : NULL;
}

bool dockerfile_stage_in_final(const struct dockerfile *df, int s)
{
	if (!df->nstages)
		return false;
	/* parents always come earlier, so the walk ends */
	for (int k = (int)df->nstages - 1; k >= 0; k = df->stages[k].parent)
		if (k == s)
			return true;
	return false;
}

const char *df_flag(const struct df_instruction *i, const char *name, size_t nth, bool *present)
{
	if (present)
		*present = false;
	for (size_t k = 0; k < i->nflags; k++)
		if (strcmp(i->flags[k].name, name) == 0 && nth-- == 0) {
			if (present)
				*present = true;
			return i->flags[k].value;
		}
	return NULL;
}

/* ---- variable expansion ---- */

struct expander {
	struct dockerfile *df;
	struct buf out;
	bool unknown, has_ref;
	int depth;
	unsigned *budget;
};

static int expand_into(struct expander *x, size_t at, const char *w, size_t n);

/* ARG default declared before the first FROM, expanded; false if none. */
static bool global_arg(struct expander *x, size_t before, const char *name, size_t nlen, bool *found)
{
	struct dockerfile *df = x->df;
	*found = false;
	size_t limit = df->nstages ? df->stages[0].from : df->nins;
	if (before < limit)
		limit = before;
	for (size_t j = limit; j-- > 0;) {
		if (*x->budget == 0)
			return false;
		(*x->budget)--;
		const struct df_instruction *ins = &df->ins[j];
		for (size_t k = ins->nkv; k-- > 0;)
			if (strlen(ins->kv[k].key) == nlen && memcmp(ins->kv[k].key, name, nlen) == 0) {
				*found = true;
				if (!ins->kv[k].value)
					return false;
				expand_into(x, j, ins->kv[k].value, strlen(ins->kv[k].value));
				return true;
			}
	}
	return false;
}

/* Appends the value of name as seen at instruction `at`; false when it has
 * no known value. */
static bool lookup(struct expander *x, size_t at, const char *name, size_t nlen)
{
	struct dockerfile *df = x->df;
	if (x->depth >= EXPAND_MAX_DEPTH || *x->budget == 0)
		return false;
	bool found;
	const struct df_instruction *at_ins = at < df->nins ? &df->ins[at] : NULL;
	int s = at_ins ? at_ins->stage : (int)df->nstages - 1;
	if (!at_ins || at_ins->cmd == DF_FROM || s < 0) {
		x->depth++;
		bool ok = global_arg(x, at, name, nlen, &found);
		x->depth--;
		return ok;
	}
	bool args_visible = true; /* ARGs do not carry over to a child stage */
	size_t j = at;
	while (s >= 0) {
		const struct df_stage *st = &df->stages[s];
		for (; j-- > st->from + 1;) {
			if (*x->budget == 0)
				return false;
			(*x->budget)--;
			const struct df_instruction *ins = &df->ins[j];
			if (ins->cmd != DF_ENV && !(ins->cmd == DF_ARG && args_visible))
				continue;
			for (size_t k = ins->nkv; k-- > 0;) {
				const struct df_kv *kv = &ins->kv[k];
				if (strlen(kv->key) != nlen || memcmp(kv->key, name, nlen) != 0)
					continue;
				x->depth++;
				bool ok = true;
				if (kv->value)
					expand_into(x, j, kv->value, strlen(kv->value));
				else /* ARG NAME inside a stage imports the global default */
					ok = global_arg(x, df->stages[0].from, name, nlen, &found);
				x->depth--;
				return ok;
			}
		}
		args_visible = false;
		s = st->parent;
		if (s >= 0)
			j = df->stages[s].end;
	}
	return false;
}

size_t df_var_origin(struct dockerfile *df, size_t at, const char *name, size_t nlen)
{
	if (at >= df->nins || df->ins[at].stage < 0 || df->ins[at].cmd == DF_FROM)
		return SIZE_MAX;
	size_t arg = SIZE_MAX;
	bool args_visible = true; /* ARGs do not carry over to a child stage */
	int s = df->ins[at].stage;
	size_t j = at;
	while (s >= 0) {
		const struct df_stage *st = &df->stages[s];
		for (; j-- > st->from + 1;) {
			if (df->expand_budget == 0)
				return SIZE_MAX;
			df->expand_budget--;
			const struct df_instruction *ins = &df->ins[j];
			if (ins->cmd != DF_ENV && !(ins->cmd == DF_ARG && args_visible && arg == SIZE_MAX))
				continue;
			for (size_t k = ins->nkv; k-- > 0;) {
				if (strlen(ins->kv[k].key) != nlen || memcmp(ins->kv[k].key, name, nlen) != 0)
					continue;
				if (ins->cmd == DF_ENV)
					return j;
				arg = j; /* unless an ENV of the same name sets it */
				break;
			}
		}
		args_visible = false;
		s = st->parent;
		if (s >= 0)
			j = df->stages[s].end;
	}
	return arg;
}

static void put(struct expander *x, const char *p, size_t n)
{
	if (x->out.len + n > EXPAND_MAX_OUT) {
		x->unknown = true;
		return;
	}
	if (buf_append(&x->out, p, n) != BOSUN_OK)
		x->unknown = true;
}

static bool name_char(char c, bool first) { return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c)); }

static void expand_var(struct expander *x, size_t at, const char *name, size_t nlen)
{
	x->has_ref = true;
	if (!lookup(x, at, name, nlen))
		x->unknown = true;
}

static int expand_into(struct expander *x, size_t at, const char *w, size_t n)
{
	char esc = x->df->escape, q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				put(x, &c, 1);
			continue;
		}
		if (c == esc && i + 1 < n) {
			char d = w[++i];
			if (q == '"' && d != '"' && d != '$' && d != esc)
				put(x, &c, 1);
			put(x, &d, 1);
			continue;
		}
		if (!q && (c == '"' || c == '\'')) {
			q = c;
			continue;
		}
		if (q == '"' && c == '"') {
			q = 0;
			continue;
		}
		if (c != '$' || i + 1 >= n) {
			put(x, &c, 1);
			continue;
		}
		if (w[i + 1] == '{') {
			size_t j = i + 2, s = j;
			while (j < n && name_char(w[j], j == s))
				j++;
			size_t nlen = j - s, close = j;
			int depth = 1;
			while (close < n) {
				if (w[close] == '{')
					depth++;
				else if (w[close] == '}' && --depth == 0)
					break;
				close++;
			}
			if (close >= n || nlen == 0) { /* malformed: keep as text */
				put(x, w + i, n - i);
				x->unknown = true;
				return BOSUN_OK;
			}
			const char *op = w + j;
			size_t oplen = close - j;
			bool colon = oplen && op[0] == ':';
			char kind = oplen > (size_t)colon ? op[colon] : 0;
			if (oplen == 0) {
				expand_var(x, at, w + s, nlen);
			} else if (kind == '-' || kind == '+') {
				/* ${X:-word}: word when X is unset (an ARG without a
				 * default counts as unset: that is what a build without
				 * --build-arg uses) or empty; ${X:+word}: word when set. */
				size_t mark = x->out.len;
				bool outer_unknown = x->unknown;
				x->unknown = false;
				x->has_ref = true;
				bool set = lookup(x, at, w + s, nlen);
				bool value_unknown = x->unknown, empty = x->out.len == mark;
				x->unknown = outer_unknown;
				bool use_word = kind == '-' ? !set || (colon && empty) : set && !(colon && empty);
				if (kind == '+' && !set)
					x->unknown = true;
				if (use_word || kind == '+') {
					x->out.len = mark;
					if (x->out.data)
						x->out.data[mark] = '\0';
				} else {
					x->unknown |= value_unknown;
				}
				if (use_word)
					expand_into(x, at, op + colon + 1, oplen - colon - 1);
			} else {
				x->has_ref = true;
				x->unknown = true; /* ${X#pattern} and friends: not modelled */
			}
			i = close;
			continue;
		}
		if (name_char(w[i + 1], true)) {
			size_t j = i + 1;
			while (j < n && name_char(w[j], j == i + 1))
				j++;
			expand_var(x, at, w + i + 1, j - i - 1);
			i = j - 1;
			continue;
		}
		put(x, &c, 1);
	}
	return BOSUN_OK;
}

const char *df_expand(struct dockerfile *df, size_t at, const char *word, bool *unknown, bool *has_ref)
{
	struct expander x = { .df = df, .budget = &df->expand_budget };
	expand_into(&x, at, word, strlen(word));
	*unknown = x.unknown;
	if (has_ref)
		*has_ref = x.has_ref;
	const char *r = arena_strndup(&df->arena, x.out.data ? x.out.data : "", x.out.len);
	buf_free(&x.out);
	return r;
}
