/*
 * manifest.c - a reader for the main section of META-INF/MANIFEST.MF, after
 * the JAR File Specification, and the splitter for its Class-Path attribute.
 * The input is hostile: it may lack a final newline, hold NUL bytes, start
 * with a byte-order mark or carry very long lines, and none of that may crash.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3
#define HEX_ESCAPE_LEN 3 /* "%XX" */

/* A cursor over physical lines. */
struct line_reader {
    const char *text;
    size_t pos;
    size_t end;
};

/* The next physical line without its terminator (CRLF, LF or CR). A final
 * line without a terminator counts; the empty rest after a final terminator
 * does not. Returns false at the end. */
static bool line_next(struct line_reader *r, const char **line, size_t *n)
{
    if (r->pos >= r->end)
        return false;
    size_t start = r->pos;
    size_t i = start;
    while (i < r->end && r->text[i] != '\n' && r->text[i] != '\r')
        i++;
    *line = r->text + start;
    *n = i - start;
    if (i < r->end)
        i += (r->text[i] == '\r' && i + 1 < r->end && r->text[i + 1] == '\n') ? 2 : 1;
    r->pos = i;
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A new copy of the value without surrounding blanks; NULL when that is empty,
 * so that callers need not tell an empty attribute from a missing one. */
static char *value_dup(const char *s, size_t n)
{
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    return n ? xstrndup(s, n) : NULL;
}

static void set_field(char **field, const char *value, size_t n)
{
    /* Java keeps the last of repeated attributes; so do we. */
    free(*field);
    *field = value_dup(value, n);
}

/* Record one "Name: value" attribute of the main section. */
static void manifest_apply(struct manifest *m, const char *name, const char *value, size_t n)
{
    const struct {
        const char *name;
        char **field;
    } fields[] = {
        {"Main-Class", &m->main_class},
        {"Class-Path", &m->class_path},
        {"Bundle-Version", &m->bundle_version},
        {"Implementation-Title", &m->implementation_title},
        {"Implementation-Version", &m->implementation_version},
        {"Implementation-Vendor-Id", &m->implementation_vendor_id},
        {"Automatic-Module-Name", &m->automatic_module_name},
        {"Start-Class", &m->start_class},
        {"Spring-Boot-Classes", &m->spring_boot_classes},
        {"Spring-Boot-Lib", &m->spring_boot_lib},
        {"Spring-Boot-Classpath-Index", &m->spring_boot_classpath_index},
    };

    if (strcasecmp(name, "Bundle-SymbolicName") == 0) {
        /* "com.acme.foo;singleton:=true": the directives are not part of the name. */
        const char *semi = memchr(value, ';', n);
        set_field(&m->bundle_symbolic_name, value, semi ? (size_t)(semi - value) : n);
        return;
    }
    if (strcasecmp(name, "Multi-Release") == 0) {
        char *v = value_dup(value, n);
        m->multi_release = v && strcasecmp(v, "true") == 0;
        free(v);
        return;
    }
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (strcasecmp(name, fields[i].name) == 0) {
            set_field(fields[i].field, value, n);
            return;
        }
    }
}

/* Split a logical line at its ": " separator and apply it; lines without one
 * are malformed (Java rejects them) and skipped. */
static void manifest_apply_line(struct manifest *m, struct strbuf *line)
{
    if (!line->len)
        return;
    char *colon = strchr(line->data, ':');
    if (!colon || colon == line->data || colon[1] != ' ')
        return;
    *colon = '\0';
    const char *value = colon + 2;
    manifest_apply(m, line->data, value, line->len - (size_t)(value - line->data));
}

void manifest_parse(struct manifest *m, const char *text, size_t len)
{
    memset(m, 0, sizeof(*m));
    if (!text)
        return;
    /* A NUL cannot be part of a manifest: read as if the text ended there. */
    const char *nul = memchr(text, '\0', len);
    if (nul)
        len = (size_t)(nul - text);
    struct line_reader r = {text, 0, len};
    if (len >= UTF8_BOM_LEN && memcmp(text, UTF8_BOM, UTF8_BOM_LEN) == 0)
        r.pos = UTF8_BOM_LEN;

    struct strbuf logical = {0};
    bool have = false; /* a header line is being collected in `logical` */
    const char *line;
    size_t n;
    while (line_next(&r, &line, &n)) {
        if (n == 0)
            break; /* the blank line that ends the main section */
        if (line[0] == ' ') {
            /* A continuation: the space is dropped and the rest joined byte
             * for byte, since writers wrap at 72 bytes, even inside a word or
             * a UTF-8 sequence. A continuation with nothing to continue is
             * skipped. */
            if (have)
                strbuf_append(&logical, line + 1, n - 1);
            continue;
        }
        if (have)
            manifest_apply_line(m, &logical);
        logical.len = 0;
        strbuf_append(&logical, line, n);
        have = true;
    }
    if (have)
        manifest_apply_line(m, &logical);
    strbuf_free(&logical);
}

void manifest_clear(struct manifest *m)
{
    free(m->main_class);
    free(m->class_path);
    free(m->bundle_symbolic_name);
    free(m->bundle_version);
    free(m->implementation_title);
    free(m->implementation_version);
    free(m->implementation_vendor_id);
    free(m->automatic_module_name);
    free(m->start_class);
    free(m->spring_boot_classes);
    free(m->spring_boot_lib);
    free(m->spring_boot_classpath_index);
    memset(m, 0, sizeof(*m));
}

static bool is_class_path_space(char c)
{
    /* java.util.StringTokenizer's default delimiters, which the JDK's
     * URLClassPath uses to split Class-Path. */
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Percent-decode n bytes. An invalid escape and "%00" (a NUL would silently
 * cut the path short) are kept as written. */
static char *percent_decode(const char *s, size_t n)
{
    struct strbuf sb = {0};
    size_t i = 0;
    while (i < n) {
        if (s[i] == '%' && n - i >= HEX_ESCAPE_LEN) {
            int hi = hex_digit_value(s[i + 1]);
            int lo = hex_digit_value(s[i + 2]);
            if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
                char c = (char)(hi * 16 + lo);
                strbuf_append(&sb, &c, 1);
                i += HEX_ESCAPE_LEN;
                continue;
            }
        }
        strbuf_append(&sb, s + i, 1);
        i++;
    }
    return strbuf_take(&sb);
}

/* Length of the URL scheme at the start of s (RFC 3986: ALPHA *( ALPHA /
 * DIGIT / "+" / "-" / "." ) ":"), 0 when the item has none. */
static size_t scheme_length(const char *s, size_t n)
{
    if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (c == ':')
            return i;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.';
        if (!ok)
            return 0;
    }
    return 0;
}

/* The local path a Class-Path item names, newly allocated, or NULL when it is
 * not a local file (another scheme, a remote file: host) or is empty. */
static char *class_path_item(const char *s, size_t n)
{
    static const char file_scheme[] = "file";
    size_t scheme = scheme_length(s, n);
    if (scheme) {
        if (scheme != strlen(file_scheme) || strncasecmp(s, file_scheme, scheme) != 0)
            return NULL;
        s += scheme + 1;
        n -= scheme + 1;
        if (n >= 2 && s[0] == '/' && s[1] == '/') {
            /* "file://host/path": only an empty host or localhost is local. */
            static const char localhost[] = "localhost";
            const char *path = memchr(s + 2, '/', n - 2);
            size_t host = path ? (size_t)(path - (s + 2)) : n - 2;
            if (host && !(host == strlen(localhost) && strncasecmp(s + 2, localhost, host) == 0))
                return NULL;
            if (!path)
                return NULL;
            n -= (size_t)(path - s);
            s = path;
        }
    }
    if (!n)
        return NULL;
    return percent_decode(s, n);
}

size_t manifest_class_path_items(const char *class_path, char ***out)
{
    char **items = NULL;
    size_t count = 0, cap = 0;
    const char *p = class_path ? class_path : "";
    while (*p) {
        while (*p && is_class_path_space(*p))
            p++;
        const char *start = p;
        while (*p && !is_class_path_space(*p))
            p++;
        if (p == start)
            break;
        char *item = class_path_item(start, (size_t)(p - start));
        if (!item)
            continue;
        items = xgrow(items, &cap, count + 1, sizeof(*items));
        items[count++] = item;
    }
    *out = items;
    return count;
}
