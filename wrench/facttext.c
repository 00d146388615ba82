/*
 * facttext.c - the environment's facts in a report's language: each English name or value
 * that is a message of the catalogue is matched against the message's English template and
 * rendered in the other language with the same arguments (see facttext.h).
 */
#include "facttext.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FACT_ARGS_MAX 4

struct capture {
    char name[32];
    const char *at;
    size_t len;
};

/* Whether `text` is `tpl` with each "{name}" filled by a non-empty text; the fillings go to
 * caps[*n...]. A filling ends only where the template's next literal character is. */
static bool match(const char *tpl, const char *text, struct capture *caps, size_t *n)
{
    if (!*tpl)
        return !*text;
    if (*tpl != '{')
        return *tpl == *text && match(tpl + 1, text + 1, caps, n);
    const char *close = strchr(tpl, '}');
    size_t name_len = close ? (size_t)(close - tpl - 1) : 0;
    if (!close || *n >= FACT_ARGS_MAX || name_len >= sizeof(caps[0].name) ||
        memchr(tpl + 1, '|', name_len))
        return false;
    struct capture *c = &caps[(*n)++];
    memcpy(c->name, tpl + 1, name_len);
    c->name[name_len] = '\0';
    c->at = text;
    size_t saved = *n, avail = strlen(text);
    char next = close[1]; /* the literal after the placeholder: only try where it is */
    for (c->len = next ? 1 : avail; c->len <= avail && c->len > 0; c->len++) {
        if (next && next != '{' && text[c->len] != next)
            continue;
        if (match(close + 1, text + c->len, caps, n))
            return true;
        *n = saved;
    }
    (*n)--;
    return false;
}

/* `text` in `lang` when it is one of messages `ids`, its arguments worded by `arg_text`;
 * NULL when it is none of them. */
static char *translate(const enum msg_id *ids, size_t n_ids, const char *text, enum lang lang,
                       char *(*arg_text)(const char *, enum lang))
{
    for (size_t i = 0; i < n_ids; i++) {
        struct capture caps[FACT_ARGS_MAX];
        size_t n = 0;
        const char *tpl = msg_template(ids[i], LANG_EN);
        if (!tpl || !match(tpl, text, caps, &n))
            continue;
        char *en[FACT_ARGS_MAX], *worded[FACT_ARGS_MAX];
        struct msg_arg args[FACT_ARGS_MAX + 1];
        for (size_t k = 0; k < n; k++) {
            en[k] = xstrndup(caps[k].at, caps[k].len);
            worded[k] = arg_text(en[k], lang);
            args[k] = MSG_B(caps[k].name, en[k], worded[k]);
        }
        args[n] = MSG_END;
        char *out = msg_render(ids[i], lang, args);
        for (size_t k = 0; k < n; k++) {
            free(en[k]);
            free(worded[k]);
        }
        return out;
    }
    return NULL;
}

static char *as_is(const char *text, enum lang lang)
{
    (void)lang;
    return xstrdup(text);
}

char *fact_name_text(const char *name, enum lang lang)
{
    static const enum msg_id names[] = {
        MSG_FACT_MEMORY_LIMIT, MSG_FACT_MEMORY_USED, MSG_FACT_OOM_KILLS, MSG_FACT_OPEN_FILES,
        MSG_FACT_NOTE,         MSG_FACT_MAX_HEAP,    MSG_FACT_BUDGET,    MSG_FACT_PRIORITY,
    };
    char *out = lang == LANG_EN
                    ? NULL
                    : translate(names, sizeof(names) / sizeof(names[0]), name, lang, as_is);
    return out ? out : xstrdup(name);
}

char *fact_value_text(const char *value, enum lang lang)
{
    /* The more specific first: a quarter "at most 1 GiB" before a plain quarter. */
    static const enum msg_id values[] = {
        MSG_FACT_NO_LIMIT,       MSG_FACT_UNLIMITED,      MSG_FACT_NO_QUOTA,
        MSG_FACT_NONE,           MSG_HEAP_BASIS_MAX_RAM,  MSG_HEAP_BASIS_LIMIT,
        MSG_HEAP_BASIS_HOST,     MSG_HEAP_BASIS_SMALL,    MSG_FACT_BUDGET_QUARTER_CAPPED,
        MSG_FACT_BUDGET_QUARTER, MSG_FACT_BUDGET_DEFAULT, MSG_FACT_PRIORITY_NORMAL,
        MSG_FACT_PRIORITY_BOTH,  MSG_FACT_PRIORITY_NICE,  MSG_FACT_PRIORITY_IDLE,
        MSG_FACT_PRIORITY_NONE,  MSG_CGROUP_NOT_UNDER,    MSG_CGROUP_NOT_A_NUMBER,
        MSG_CGROUP_ROOT,         MSG_CGROUP_UNEXPECTED,   MSG_CGROUP_NO_MEMORY,
        MSG_FACT_CORES,          MSG_FACT_WITH_BASIS,
    };
    char *out = lang == LANG_EN ? NULL
                                : translate(values, sizeof(values) / sizeof(values[0]), value, lang,
                                            fact_value_text);
    return out ? out : xstrdup(value);
}
