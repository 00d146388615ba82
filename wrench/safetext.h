/*
 * safetext.h - the one writer for untrusted text on a terminal. Log lines, file
 * names, manifest values and jar entry names can hold control characters and
 * escape sequences (ESC ] 0 ; title BEL retitles a terminal, ESC [ 2 J clears it);
 * every CLI output that shows such text goes through here, so they are shown
 * escaped ("\x1b", "\u009b") and never sent raw.
 */
#ifndef WRENCH_SAFETEXT_H
#define WRENCH_SAFETEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "messages.h"
#include "util.h"

/* Append `len` bytes of `s` to `out` with every control character except newline and tab
 * escaped: C0 and DEL as \xNN, C1 (U+0080-U+009F, and stray bytes 0x80-0x9F that are not
 * valid UTF-8) as \u00NN or \xNN. Other bytes, valid UTF-8 or not, pass (GBK and Latin-1
 * logs stay readable). */
void safetext_escape(struct strbuf *out, const char *s, size_t len);

/* fputs of untrusted text, escaped as above. */
void safe_fputs(const char *s, FILE *out);

/* fprintf where the format is trusted and every %s argument is not: each string is
 * formatted with its width and precision, then escaped. Other conversions (d, i, u, x, o,
 * c, f, g, e, p with the usual length modifiers) print as fprintf prints them. */
void safe_fprintf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void safe_vfprintf(FILE *out, const char *fmt, va_list ap);

/* Message `id` (messages.h) in `lang` with `args`, after `before` and then a newline,
 * escaped as above: the one way a catalogue message reaches the terminal, since its
 * arguments may quote a log, a thread dump or an hs_err file. */
void safe_msg_line(FILE *out, const char *before, enum msg_id id, enum lang lang,
                   const struct msg_arg *args);
#define safe_msg(out, before, id, lang, ...)                                                       \
    safe_msg_line((out), (before), (id), (lang), MSG_ARGS(__VA_ARGS__))

#endif
