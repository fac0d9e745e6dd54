/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl.cfg syntax: text to a list of raw settings (key, value tree, line).
 * Meaning is given to them in xl_cfg.c.  The lexer works on a length-counted
 * buffer, so a NUL byte in a file is just an invalid character.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xl_cfg_internal.h"

/* Deep nesting has no use in a config and would let a file run us out of stack. */
#define MAX_LIST_DEPTH 8

enum tok {
    T_EOF, T_NEWLINE, T_SEMI, T_ID, T_NUMBER, T_STRING, T_EQ, T_PLUSEQ,
    T_LBRACK, T_RBRACK, T_COMMA, T_BAD,
};

struct lexer {
    const char *p, *end;
    unsigned int line;
    const char *source;
    FILE *report;
    unsigned int *errors;
    /* The current token. */
    enum tok tok;
    unsigned int tok_line;
    char *text;                        /* ID, NUMBER, STRING: malloc'd */
    bool oom;
};

void cfg_report(FILE *report, const char *source, unsigned int line,
                const char *key, const char *fmt, ...)
{
    va_list ap;

    if ( !report )
        return;
    if ( line )
        fprintf(report, "%s:%u: ", source, line);
    else
        fprintf(report, "%s: ", source);
    if ( key )
        fprintf(report, "%s: ", key);
    va_start(ap, fmt);
    vfprintf(report, fmt, ap);
    va_end(ap);
    fputc('\n', report);
}

static void lex_error(struct lexer *lx, const char *fmt, const char *arg)
{
    cfg_report(lx->report, lx->source, lx->tok_line, NULL, fmt, arg);
    (*lx->errors)++;
}

static char *dup_range(struct lexer *lx, const char *s, size_t n)
{
    char *r = malloc(n + 1);

    if ( !r )
    {
        lx->oom = true;
        return NULL;
    }
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

static bool is_id_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_id_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int hex_digit(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    return -1;
}

/*
 * One escape after a backslash (p points past the backslash).  Returns the
 * byte, or -1 after reporting.  \0 is refused: the value becomes a C string.
 */
static int lex_escape(struct lexer *lx, const char **pp)
{
    const char *p = *pp;
    int v = 0, n;

    switch ( *p )
    {
    case '"': case '\'': case '\\': *pp = p + 1; return *p;
    case 'a': *pp = p + 1; return '\a';
    case 'b': *pp = p + 1; return '\b';
    case 'f': *pp = p + 1; return '\f';
    case 'n': *pp = p + 1; return '\n';
    case 'r': *pp = p + 1; return '\r';
    case 't': *pp = p + 1; return '\t';
    case 'v': *pp = p + 1; return '\v';
    case 'x':
        /* Exactly two hex digits, as libxlu requires. */
        if ( p + 2 >= lx->end || hex_digit(p[1]) < 0 || hex_digit(p[2]) < 0 )
        {
            lex_error(lx, "\\x needs two hex digits%s", "");
            return -1;
        }
        v = hex_digit(p[1]) * 16 + hex_digit(p[2]);
        p += 3;
        break;
    default:
        if ( *p < '0' || *p > '7' )
        {
            char c[2] = { *p, 0 };
            lex_error(lx, "invalid escape \\%s in string", c);
            return -1;
        }
        for ( n = 0; n < 3 && p < lx->end && *p >= '0' && *p <= '7'; n++ )
            v = v * 8 + (*p++ - '0');
        if ( v > 255 )
        {
            lex_error(lx, "octal escape out of range%s", "");
            return -1;
        }
        break;
    }
    if ( v == 0 )
    {
        lex_error(lx, "NUL character in string%s", "");
        return -1;
    }
    *pp = p;
    return v;
}

/* A quoted string; lx->p is on the opening quote. */
static enum tok lex_string(struct lexer *lx)
{
    char quote = *lx->p++;
    const char *p = lx->p;
    char *out;
    size_t n = 0;
    bool bad = false;

    /* The decoded string is never longer than the source text. */
    out = malloc((size_t)(lx->end - p) + 1);
    if ( !out )
    {
        lx->oom = true;
        return T_BAD;
    }
    for ( ;; )
    {
        if ( p >= lx->end || *p == '\n' )
        {
            lex_error(lx, "unterminated string%s", "");
            free(out);
            lx->p = p;
            return T_BAD;
        }
        if ( *p == quote )
            break;
        if ( *p == '\\' && p + 1 < lx->end )
        {
            int c;

            p++;
            c = lex_escape(lx, &p);
            if ( c < 0 )
            {
                /* Step over the bad escape and keep looking for the end. */
                bad = true;
                if ( *p != '\n' )
                    p++;
                continue;
            }
            out[n++] = (char)c;
            continue;
        }
        out[n++] = *p++;
    }
    lx->p = p + 1;
    out[n] = '\0';
    if ( bad )
    {
        free(out);
        return T_BAD;
    }
    lx->text = out;
    return T_STRING;
}

static void skip_blanks_and_comments(struct lexer *lx)
{
    while ( lx->p < lx->end )
    {
        char c = *lx->p;

        if ( c == ' ' || c == '\t' || c == '\r' )
            lx->p++;
        else if ( c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n' )
        {
            /* A line continuation, as in Python config files. */
            lx->p += 2;
            lx->line++;
        }
        else if ( c == '#' )
        {
            while ( lx->p < lx->end && *lx->p != '\n' )
                lx->p++;
        }
        else
            break;
    }
}

static void lex_next(struct lexer *lx)
{
    const char *start;
    char c;

    free(lx->text);
    lx->text = NULL;
    skip_blanks_and_comments(lx);
    lx->tok_line = lx->line;
    if ( lx->p >= lx->end )
    {
        lx->tok = T_EOF;
        return;
    }
    start = lx->p;
    c = *lx->p;
    switch ( c )
    {
    case '\n': lx->p++; lx->line++; lx->tok = T_NEWLINE; return;
    case ';': lx->p++; lx->tok = T_SEMI; return;
    case '=': lx->p++; lx->tok = T_EQ; return;
    case '[': lx->p++; lx->tok = T_LBRACK; return;
    case ']': lx->p++; lx->tok = T_RBRACK; return;
    case ',': lx->p++; lx->tok = T_COMMA; return;
    case '"': case '\'': lx->tok = lex_string(lx); return;
    case '+':
        if ( lx->p + 1 < lx->end && lx->p[1] == '=' )
        {
            lx->p += 2;
            lx->tok = T_PLUSEQ;
            return;
        }
        break;
    }
    if ( is_id_start(c) )
    {
        while ( lx->p < lx->end && is_id_char(*lx->p) )
            lx->p++;
        lx->text = dup_range(lx, start, (size_t)(lx->p - start));
        lx->tok = lx->text ? T_ID : T_BAD;
        return;
    }
    if ( isdigit((unsigned char)c) )
    {
        /* Take the whole word; its digits are checked when it is used. */
        while ( lx->p < lx->end && (is_id_char(*lx->p) || *lx->p == '.') )
            lx->p++;
        lx->text = dup_range(lx, start, (size_t)(lx->p - start));
        lx->tok = lx->text ? T_NUMBER : T_BAD;
        return;
    }
    if ( isprint((unsigned char)c) )
    {
        char s[2] = { c, 0 };
        lex_error(lx, "syntax error: unexpected '%s'", s);
    }
    else
        lex_error(lx, "syntax error: invalid byte%s", "");
    lx->p++;
    lx->tok = T_BAD;
}

void cfg_value_free(struct cfg_value *v)
{
    unsigned int i;

    if ( v->kind == CFG_LIST )
    {
        for ( i = 0; i < v->nr_items; i++ )
            cfg_value_free(&v->items[i]);
        free(v->items);
    }
    else
        free(v->atom);
    memset(v, 0, sizeof(*v));
}

static int list_append(struct cfg_value *list, struct cfg_value *item)
{
    struct cfg_value *n;

    n = realloc(list->items, (list->nr_items + 1) * sizeof(*n));
    if ( !n )
        return -ENOMEM;
    list->items = n;
    list->items[list->nr_items++] = *item;
    memset(item, 0, sizeof(*item));
    return 0;
}

static void skip_newlines(struct lexer *lx)
{
    while ( lx->tok == T_NEWLINE )
        lex_next(lx);
}

static int parse_value(struct lexer *lx, struct cfg_value *v, unsigned int depth);

/* After '[': items separated by commas, newlines anywhere, a trailing comma. */
static int parse_list(struct lexer *lx, struct cfg_value *v, unsigned int depth)
{
    struct cfg_value item;

    v->kind = CFG_LIST;
    v->line = lx->tok_line;
    if ( depth >= MAX_LIST_DEPTH )
    {
        lex_error(lx, "syntax error: lists nested too deeply%s", "");
        return -EINVAL;
    }
    lex_next(lx);
    for ( ;; )
    {
        skip_newlines(lx);
        if ( lx->tok == T_RBRACK )
            break;
        if ( parse_value(lx, &item, depth + 1) )
        {
            /*
             * A nested list that failed part-way holds the items it had
             * already read, and it is not in v yet: free them here.
             */
            cfg_value_free(&item);
            return -EINVAL;
        }
        if ( list_append(v, &item) )
        {
            cfg_value_free(&item);
            lx->oom = true;
            return -ENOMEM;
        }
        skip_newlines(lx);
        if ( lx->tok == T_COMMA )
            lex_next(lx);
        else if ( lx->tok != T_RBRACK )
        {
            if ( lx->tok != T_BAD )
                lex_error(lx, "syntax error: expected ',' or ']' in list%s", "");
            return -EINVAL;
        }
    }
    lex_next(lx);
    return 0;
}

static int parse_value(struct lexer *lx, struct cfg_value *v, unsigned int depth)
{
    memset(v, 0, sizeof(*v));
    switch ( lx->tok )
    {
    case T_STRING:
    case T_NUMBER:
        v->kind = lx->tok == T_STRING ? CFG_STRING : CFG_NUMBER;
        v->line = lx->tok_line;
        v->atom = lx->text;
        lx->text = NULL;
        lex_next(lx);
        return 0;
    case T_LBRACK:
        return parse_list(lx, v, depth);
    case T_BAD:
        return -EINVAL;
    default:
        lex_error(lx, "syntax error: expected a \"string\", a number or a [list]%s",
                  "");
        return -EINVAL;
    }
}

static void skip_to_line_end(struct lexer *lx)
{
    while ( lx->tok != T_NEWLINE && lx->tok != T_EOF && !lx->oom )
        lex_next(lx);
}

/* KEY (=|+=) VALUE, then a separator. */
static int parse_setting(struct lexer *lx, struct cfg_setting *s)
{
    memset(s, 0, sizeof(*s));
    if ( lx->tok != T_ID )
    {
        if ( lx->tok != T_BAD )
            lex_error(lx, "syntax error: expected KEY = VALUE%s", "");
        return -EINVAL;
    }
    s->key = lx->text;
    lx->text = NULL;
    s->line = lx->tok_line;
    lex_next(lx);
    if ( lx->tok != T_EQ && lx->tok != T_PLUSEQ )
    {
        if ( lx->tok != T_BAD )
            lex_error(lx, "syntax error: expected '=' after %s", s->key);
        goto bad;
    }
    s->append = lx->tok == T_PLUSEQ;
    lex_next(lx);
    if ( parse_value(lx, &s->value, 0) )
        goto bad;
    if ( lx->tok != T_NEWLINE && lx->tok != T_SEMI && lx->tok != T_EOF )
    {
        if ( lx->tok != T_BAD )
            lex_error(lx, "syntax error: expected a newline or ';' after the value%s",
                      "");
        goto bad;
    }
    return 0;

 bad:
    free(s->key);
    cfg_value_free(&s->value);
    memset(s, 0, sizeof(*s));
    return -EINVAL;
}

int cfg_parse_settings(const char *source, const char *text, size_t len,
                       FILE *report, unsigned int *errors,
                       struct cfg_setting **out, unsigned int *nr_out)
{
    struct lexer lx = {
        .p = text, .end = text + len, .line = 1, .source = source,
        .report = report, .errors = errors,
    };
    struct cfg_setting *list = NULL, s, *n;
    unsigned int nr = 0;

    lex_next(&lx);
    while ( lx.tok != T_EOF && !lx.oom )
    {
        if ( lx.tok == T_NEWLINE || lx.tok == T_SEMI )
        {
            lex_next(&lx);
            continue;
        }
        if ( parse_setting(&lx, &s) )
        {
            /* Resynchronise at the next line and look for more errors. */
            skip_to_line_end(&lx);
            continue;
        }
        s.source = source;
        n = realloc(list, (nr + 1) * sizeof(*n));
        if ( !n )
        {
            free(s.key);
            cfg_value_free(&s.value);
            lx.oom = true;
            break;
        }
        list = n;
        list[nr++] = s;
    }
    free(lx.text);
    *out = list;
    *nr_out = nr;
    return lx.oom ? -ENOMEM : 0;
}

void cfg_settings_free(struct cfg_setting *s, unsigned int nr)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        free(s[i].key);
        cfg_value_free(&s[i].value);
    }
    free(s);
}
