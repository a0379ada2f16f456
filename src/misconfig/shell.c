/* Shell command splitter; see shell.h. */
#include "misconfig/shell.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

struct splitter {
	struct arena *a;
	const char *s;
	size_t n, i;
	struct buf word;
	bool in_word;         /* a word is started (possibly empty: "") */
	bool skip_next;       /* the next word is a redirection target */
	const char **words;   /* words of the command being built */
	size_t nwords, cap_words;
	struct sh_cmd *cmds;
	size_t ncmds, cap_cmds;
	unsigned pipeline;
	int rc;
};

static void end_word(struct splitter *sp)
{
	if (!sp->in_word)
		return;
	sp->in_word = false;
	if (sp->skip_next) {
		sp->skip_next = false;
		buf_reset(&sp->word);
		return;
	}
	if (sp->nwords == sp->cap_words) {
		size_t nc = sp->cap_words ? sp->cap_words * 2 : 16;
		const char **nw = realloc(sp->words, nc * sizeof *nw);
		if (!nw) {
			sp->rc = BOSUN_ENOMEM;
			return;
		}
		sp->words = nw;
		sp->cap_words = nc;
	}
	const char *w = arena_strndup(sp->a, sp->word.data ? sp->word.data : "", sp->word.len);
	if (!w)
		sp->rc = BOSUN_ENOMEM;
	else
		sp->words[sp->nwords++] = w;
	buf_reset(&sp->word);
}

static bool is_assignment(const char *w)
{
	if (!(isalpha((unsigned char)*w) || *w == '_'))
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

static bool is_reserved(const char *w)
{
	static const char *const words[] = { "if", "then", "else", "elif", "fi", "do", "done", "while", "until",
					     "!",  "{",    "}",    "time", "case", "esac", NULL };
	for (const char *const *p = words; *p; p++)
		if (strcmp(w, *p) == 0)
			return true;
	return false;
}

/* sudo options that take a value */
static bool sudo_opt_has_arg(const char *o)
{
	return o[1] && !o[2] && strchr("ugCDhprtTU", o[1]) != NULL;
}

static void end_command(struct splitter *sp, bool piped)
{
	end_word(sp);
	sp->skip_next = false;
	size_t k = 0;
	bool sudo = false;
	for (;;) {
		while (k < sp->nwords && (is_assignment(sp->words[k]) || is_reserved(sp->words[k])))
			k++;
		if (k >= sp->nwords)
			break;
		const char *w = sp->words[k];
		const char *base = strrchr(w, '/');
		base = base ? base + 1 : w;
		if (strcmp(base, "sudo") == 0) {
			sudo = true;
			for (k++; k < sp->nwords && sp->words[k][0] == '-'; k++)
				if (sudo_opt_has_arg(sp->words[k]) && k + 1 < sp->nwords)
					k++;
		} else if (strcmp(base, "env") == 0) {
			for (k++; k < sp->nwords && sp->words[k][0] == '-'; k++)
				;
		} else if (strcmp(base, "nohup") == 0 || strcmp(base, "exec") == 0 || strcmp(base, "command") == 0 ||
			   strcmp(base, "time") == 0) {
			k++;
		} else {
			break;
		}
	}
	if (k < sp->nwords && sp->ncmds < SH_MAX_COMMANDS && !sp->rc) {
		if (sp->ncmds == sp->cap_cmds) {
			size_t nc = sp->cap_cmds ? sp->cap_cmds * 2 : 8;
			struct sh_cmd *c = realloc(sp->cmds, nc * sizeof *c);
			if (!c) {
				sp->rc = BOSUN_ENOMEM;
				return;
			}
			sp->cmds = c;
			sp->cap_cmds = nc;
		}
		struct sh_cmd *c = &sp->cmds[sp->ncmds];
		c->argc = sp->nwords - k;
		c->argv = arena_alloc(sp->a, (c->argc + 1) * sizeof *c->argv);
		if (!c->argv) {
			sp->rc = BOSUN_ENOMEM;
			return;
		}
		memcpy(c->argv, sp->words + k, c->argc * sizeof *c->argv);
		c->argv[c->argc] = NULL;
		const char *base = strrchr(c->argv[0], '/');
		c->name = base ? base + 1 : c->argv[0];
		c->pipeline = sp->pipeline;
		c->sudo = sudo;
		sp->ncmds++;
	}
	sp->nwords = 0;
	if (!piped)
		sp->pipeline++;
}

static void put(struct splitter *sp, const char *p, size_t n)
{
	sp->in_word = true;
	if (!sp->rc && buf_append(&sp->word, p, n))
		sp->rc = BOSUN_ENOMEM;
}

/* Copies a balanced $( ... ) / <( ... ) starting at sp->i (at the opening
 * parenthesis) into the word. */
static void copy_balanced(struct splitter *sp)
{
	int depth = 0;
	char q = 0;
	size_t start = sp->i;
	for (; sp->i < sp->n; sp->i++) {
		char c = sp->s[sp->i];
		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"')
				sp->i++;
			continue;
		}
		if (c == '\'' || c == '"')
			q = c;
		else if (c == '\\')
			sp->i++;
		else if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			break;
	}
	size_t end = sp->i < sp->n ? sp->i + 1 : sp->n;
	put(sp, sp->s + start, end - start);
	sp->i = end - 1;
}

int sh_parse(struct arena *a, const char *script, size_t n, struct sh_cmd **out, size_t *count)
{
	struct splitter sp = { .a = a, .s = script, .n = n };
	for (sp.i = 0; sp.i < n && !sp.rc; sp.i++) {
		char c = script[sp.i], d = sp.i + 1 < n ? script[sp.i + 1] : '\0';
		switch (c) {
		case ' ':
		case '\t':
		case '\r':
			end_word(&sp);
			break;
		case '\n':
			end_command(&sp, false);
			break;
		case '\\':
			if (d == '\n')
				sp.i++;
			else if (d)
				put(&sp, &script[++sp.i], 1);
			break;
		case '\'': {
			const char *q = memchr(script + sp.i + 1, '\'', n - sp.i - 1);
			size_t end = q ? (size_t)(q - script) : n;
			put(&sp, script + sp.i + 1, end - sp.i - 1);
			sp.i = end;
			break;
		}
		case '"':
			sp.in_word = true;
			for (sp.i++; sp.i < n && script[sp.i] != '"'; sp.i++) {
				if (script[sp.i] == '\\' && sp.i + 1 < n && strchr("\"\\$`\n", script[sp.i + 1])) {
					if (script[++sp.i] != '\n')
						put(&sp, &script[sp.i], 1);
				} else if (script[sp.i] == '$' && sp.i + 1 < n && script[sp.i + 1] == '(') {
					put(&sp, "$", 1);
					sp.i++;
					copy_balanced(&sp);
				} else {
					put(&sp, &script[sp.i], 1);
				}
			}
			break;
		case '`': {
			const char *q = memchr(script + sp.i + 1, '`', n - sp.i - 1);
			size_t end = q ? (size_t)(q - script) : n - 1;
			put(&sp, script + sp.i, end - sp.i + 1);
			sp.i = end;
			break;
		}
		case '$':
			if (d == '(') {
				put(&sp, "$", 1);
				sp.i++;
				copy_balanced(&sp);
			} else {
				put(&sp, &c, 1);
			}
			break;
		case '#':
			if (!sp.in_word) {
				const char *nl = memchr(script + sp.i, '\n', n - sp.i);
				sp.i = nl ? (size_t)(nl - script) - 1 : n;
			} else {
				put(&sp, &c, 1);
			}
			break;
		case ';':
			end_command(&sp, false);
			if (d == ';')
				sp.i++;
			break;
		case '&':
			if (d == '>') { /* &> file */
				end_word(&sp);
				sp.i++;
				if (sp.i + 1 < n && script[sp.i + 1] == '>')
					sp.i++;
				sp.skip_next = true;
			} else {
				end_command(&sp, false);
				if (d == '&')
					sp.i++;
			}
			break;
		case '|':
			if (d == '|') {
				end_command(&sp, false);
				sp.i++;
			} else {
				end_command(&sp, true);
				if (d == '&')
					sp.i++;
			}
			break;
		case '(':
		case ')':
			end_command(&sp, false);
			break;
		case '<':
		case '>':
			if (d == '(') { /* process substitution */
				put(&sp, &c, 1);
				sp.i++;
				copy_balanced(&sp);
				break;
			}
			/* "2>" : the digits were a file descriptor, not a word */
			if (sp.in_word && sp.word.len) {
				bool digits = true;
				for (size_t k = 0; k < sp.word.len; k++)
					digits &= isdigit((unsigned char)sp.word.data[k]) != 0;
				if (digits) {
					buf_reset(&sp.word);
					sp.in_word = false;
				}
			}
			end_word(&sp);
			while (sp.i + 1 < n && strchr("<>&|", script[sp.i + 1]))
				sp.i++;
			if (sp.i + 1 < n && script[sp.i + 1] == '-')
				sp.i++; /* <<-EOF */
			sp.skip_next = true;
			break;
		default:
			put(&sp, &c, 1);
		}
	}
	if (!sp.rc)
		end_command(&sp, false);
	buf_free(&sp.word);
	free(sp.words);
	if (sp.rc) {
		free(sp.cmds);
		return sp.rc;
	}
	/* hand the commands over in the arena so the caller frees nothing */
	*out = NULL;
	*count = sp.ncmds;
	if (sp.ncmds) {
		*out = arena_alloc(a, sp.ncmds * sizeof **out);
		if (!*out) {
			free(sp.cmds);
			return BOSUN_ENOMEM;
		}
		memcpy(*out, sp.cmds, sp.ncmds * sizeof **out);
	}
	free(sp.cmds);
	return BOSUN_OK;
}

bool sh_is_interpreter(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "fish",
					      "perl", "ruby", "node", "php", NULL };
	for (const char *const *p = shells; *p; p++)
		if (strcmp(name, *p) == 0)
			return true;
	return strncmp(name, "python", 6) == 0 && (name[6] == '\0' || isdigit((unsigned char)name[6]));
}
