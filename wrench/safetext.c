/*
 * safetext.c - untrusted text shown on a terminal without letting it drive the
 * terminal (see safetext.h).
 */
#include "safetext.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEL_CHAR 0x7f

void safetext_escape(struct strbuf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t plain = 0; /* bytes before p[i] not yet appended */
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t step = 1;
        char esc[8] = "";
        if ((c < ' ' && c != '\n' && c != '\t') || c == DEL_CHAR) {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
        } else if (c >= 0x80) {
            uint32_t cp;
            size_t n = utf8_sequence(p + i, len - i, &cp);
            if (n && cp <= 0x9f)
                snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
            else if (!n && c <= 0x9f)
                snprintf(esc, sizeof(esc), "\\x%02x", c);
            step = n ? n : 1;
        }
        if (esc[0]) {
            strbuf_append(out, s + plain, i - plain);
            strbuf_puts(out, esc);
            plain = i + step;
        }
        i += step;
    }
    strbuf_append(out, s + plain, len - plain);
}

void safe_fputs(const char *s, FILE *out)
{
    struct strbuf sb = {0};
    safetext_escape(&sb, s, strlen(s));
    if (sb.data)
        fputs(sb.data, out);
    strbuf_free(&sb);
}

/* One conversion of a printf format, as found by parse_conversion(). */
struct conversion {
    char spec[32];   /* "%-8.*s": the conversion alone */
    int stars;       /* '*' widths and precisions to take from the arguments */
    char length[3];  /* "", "hh", "h", "l", "ll", "z", "j", "t", "L" */
    char conversion; /* 's', 'd', ... */
};

/* Parse the conversion at fmt (which points at '%'); returns the bytes it spans, 0 when it
 * is not one this writer knows (it is then printed as text). */
static size_t parse_conversion(const char *fmt, struct conversion *cv)
{
    const char *p = fmt + 1;
    memset(cv, 0, sizeof(*cv));
    p += strspn(p, "-+ #0");
    for (int part = 0; part < 2; part++) { /* width, then precision */
        if (part == 1) {
            if (*p != '.')
                break;
            p++;
        }
        if (*p == '*') {
            cv->stars++;
            p++;
        } else {
            p += strspn(p, "0123456789");
        }
    }
    size_t lenmod = strspn(p, "hlzjtL");
    if (lenmod > 2)
        return 0;
    memcpy(cv->length, p, lenmod);
    p += lenmod;
    if (!*p || !strchr("sdiuxXocfFgGeEpm", *p))
        return 0;
    cv->conversion = *p++;
    size_t n = (size_t)(p - fmt);
    if (n >= sizeof(cv->spec))
        return 0;
    memcpy(cv->spec, fmt, n);
    return n;
}

/* Format one value with the conversion's own spec (and its '*' arguments) into sb. */
#define FORMAT_ONE(sb, cv, star, value)                                                            \
    ((cv)->stars == 2   ? strbuf_printf((sb), (cv)->spec, (star)[0], (star)[1], (value))           \
     : (cv)->stars == 1 ? strbuf_printf((sb), (cv)->spec, (star)[0], (value))                      \
                        : strbuf_printf((sb), (cv)->spec, (value)))

/* Take an integer argument of the type the length modifier names and format it. */
static void format_integer(struct strbuf *sb, const struct conversion *cv, const int *star,
                           va_list *ap)
{
    bool is_signed = cv->conversion == 'd' || cv->conversion == 'i';
    const char *len = cv->length;
    if (strcmp(len, "ll") == 0) {
        if (is_signed)
            FORMAT_ONE(sb, cv, star, va_arg(*ap, long long));
        else
            FORMAT_ONE(sb, cv, star, va_arg(*ap, unsigned long long));
    } else if (strcmp(len, "l") == 0) {
        if (is_signed)
            FORMAT_ONE(sb, cv, star, va_arg(*ap, long));
        else
            FORMAT_ONE(sb, cv, star, va_arg(*ap, unsigned long));
    } else if (strcmp(len, "z") == 0) {
        FORMAT_ONE(sb, cv, star, va_arg(*ap, size_t));
    } else if (strcmp(len, "j") == 0) {
        if (is_signed)
            FORMAT_ONE(sb, cv, star, va_arg(*ap, intmax_t));
        else
            FORMAT_ONE(sb, cv, star, va_arg(*ap, uintmax_t));
    } else if (strcmp(len, "t") == 0) {
        FORMAT_ONE(sb, cv, star, va_arg(*ap, ptrdiff_t));
    } else if (is_signed) {
        FORMAT_ONE(sb, cv, star, va_arg(*ap, int)); /* "", "h", "hh": promoted to int */
    } else {
        FORMAT_ONE(sb, cv, star, va_arg(*ap, unsigned));
    }
}

/* Print one conversion to out; a string argument is escaped after it is formatted. */
static void print_conversion(FILE *out, const struct conversion *cv, const int *star, va_list *ap,
                             struct strbuf *text, int saved_errno)
{
    text->len = 0;
    if (text->data)
        text->data[0] = '\0';
    switch (cv->conversion) {
    case 's': {
        const char *arg = va_arg(*ap, const char *);
        FORMAT_ONE(text, cv, star, arg ? arg : "(null)");
        struct strbuf shown = {0};
        safetext_escape(&shown, text->data ? text->data : "", text->len);
        if (shown.data)
            fputs(shown.data, out);
        strbuf_free(&shown);
        return;
    }
    case 'm': /* glibc's strerror(errno); the caller's errno, saved before any output */
        safe_fputs(strerror(saved_errno), out);
        return;
    case 'c':
        FORMAT_ONE(text, cv, star, va_arg(*ap, int));
        break;
    case 'p':
        FORMAT_ONE(text, cv, star, va_arg(*ap, void *));
        break;
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'e':
    case 'E':
        if (strcmp(cv->length, "L") == 0)
            FORMAT_ONE(text, cv, star, va_arg(*ap, long double));
        else
            FORMAT_ONE(text, cv, star, va_arg(*ap, double));
        break;
    default:
        format_integer(text, cv, star, ap);
        break;
    }
    if (text->data)
        fputs(text->data, out);
}

void safe_vfprintf(FILE *out, const char *fmt, va_list ap_in)
{
    int saved_errno = errno;
    va_list ap;
    va_copy(ap, ap_in);
    struct strbuf text = {0};
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(pct - p), out);
        if (pct[1] == '%') {
            fputc('%', out);
            p = pct + 2;
            continue;
        }
        struct conversion cv;
        size_t n = parse_conversion(pct, &cv);
        if (!n) {
            fputc('%', out);
            p = pct + 1;
            continue;
        }
        int star[2] = {0, 0};
        for (int i = 0; i < cv.stars; i++)
            star[i] = va_arg(ap, int);
        print_conversion(out, &cv, star, &ap, &text, saved_errno);
        p = pct + n;
    }
    strbuf_free(&text);
    va_end(ap);
}

void safe_fprintf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    safe_vfprintf(out, fmt, ap);
    va_end(ap);
}

void safe_msg_line(FILE *out, const char *before, enum msg_id id, enum lang lang,
                   const struct msg_arg *args)
{
    char *s = msg_render(id, lang, args);
    safe_fprintf(out, "%s%s\n", before, s);
    free(s);
}
