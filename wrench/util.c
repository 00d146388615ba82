/*
 * util.c - the allocation family, string buffer and small string/path helpers
 * declared in util.h.
 */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "wrench: out of memory (%zu bytes)\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *xgrow(void *ptr, size_t *capacity, size_t need, size_t item_size)
{
    if (need <= *capacity)
        return ptr;
    size_t cap = *capacity ? *capacity : 8;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / item_size)
            out_of_memory(SIZE_MAX);
        cap *= 2;
    }
    ptr = xrealloc(ptr, cap * item_size);
    *capacity = cap;
    return ptr;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
    *v = xgrow(*v, cap, *n + 1, sizeof(**v));
    (*v)[(*n)++] = s;
}

void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void strv_vpushf(char ***v, size_t *n, size_t *cap, const char *fmt, va_list ap)
{
    strv_push(v, n, cap, xvasprintf(fmt, ap));
}

void strv_pushf(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strv_vpushf(v, n, cap, fmt, ap);
    va_end(ap);
}

int strv_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_split_nul(const char *data, size_t len, char ***v, size_t *n, size_t *cap)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len && start == len)
            break;
        if (i == len || data[i] == '\0') {
            strv_push(v, n, cap, xstrndup(data + start, i - start));
            start = i + 1;
        }
    }
}

void err_set(char *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, WR_ERR_MAX, fmt, ap);
    va_end(ap);
}

void strbuf_append(struct strbuf *sb, const char *s, size_t n)
{
    size_t old_cap = sb->cap;
    sb->data = xgrow(sb->data, &sb->cap, sb->len + n + 1, 1);
    /* The spare capacity is zeroed once, when it grows: PCRE2's JIT scans a subject (a log
     * event held here) in aligned blocks that may pass its end, and bytes never written
     * there would make every valgrind run report uninitialised reads. */
    if (sb->cap > old_cap)
        memset(sb->data + old_cap, 0, sb->cap - old_cap);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
    strbuf_append(sb, s, strlen(s));
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    sb->data = xgrow(sb->data, &sb->cap, sb->len + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *strbuf_take(struct strbuf *sb)
{
    char *s = sb->data ? sb->data : xstrdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

bool str_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool str_has_suffix_nocase(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool digits_at(const char *s, size_t len, size_t pos, size_t n)
{
    if (pos + n > len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[pos + i] < '0' || s[pos + i] > '9')
            return false;
    return true;
}

int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int parse_u64(const char *s, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

const char *path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

const char *path_under_root(const char *root, const char *path)
{
    size_t n = root && strcmp(root, "/") != 0 ? strlen(root) : 0;
    while (n && root[n - 1] == '/')
        n--;
    return n && strncmp(path, root, n) == 0 && path[n] == '/' ? path + n : path;
}

char *path_normalize(const char *path)
{
    size_t len = strlen(path);
    bool absolute = path[0] == '/';
    bool trailing = len > 1 && path[len - 1] == '/';
    char **parts = xcalloc(len + 1, sizeof(char *));
    size_t n = 0;
    char *copy = xstrdup(path);
    for (char *save = NULL, *tok = strtok_r(copy, "/", &save); tok;
         tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0) {
            n--;
            continue;
        }
        if (strcmp(tok, "..") == 0 && absolute)
            continue; /* "/.." is "/" */
        parts[n++] = tok;
    }
    struct strbuf sb = {0};
    if (absolute)
        strbuf_puts(&sb, "/");
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&sb, "%s%s", i ? "/" : "", parts[i]);
    if (trailing && n)
        strbuf_puts(&sb, "/");
    if (!sb.len)
        strbuf_puts(&sb, ".");
    free(parts);
    free(copy);
    return strbuf_take(&sb);
}

/* Two copies, not a printf: discovery joins a path for every jar of a directory. */
char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    bool slash = n && dir[n - 1] == '/';
    char *p = xmalloc(n + !slash + m + 1);
    memcpy(p, dir, n);
    if (!slash)
        p[n++] = '/';
    memcpy(p + n, name, m + 1);
    return p;
}

void time_now_iso(char *buf, size_t size)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

uint64_t time_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;
    uint32_t min, c;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2, min = 0x80, c = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3, min = 0x800, c = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4, min = 0x10000, c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    if (cp)
        *cp = c;
    return n;
}

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    /* Nearly every name is ASCII: check eight bytes at a time for a high bit or a NUL. */
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, sizeof(w));
        bool has_zero = ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
        if ((w & 0x8080808080808080ull) || has_zero)
            break;
        p += 8;
    }
    while (p < end) {
        if (*p == 0)
            return false;
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t n = utf8_sequence(p, (size_t)(end - p), NULL);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

void strbuf_append_utf8(struct strbuf *sb, unsigned cp)
{
    char b[3];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    strbuf_append(sb, b, n);
}

int read_file_capped(const char *path, size_t max, char **out, size_t *len, bool *truncated)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t cap = max < 4096 ? max : 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    bool more = false;
    for (;;) {
        if (n == max) {
            char probe;
            ssize_t r = read(fd, &probe, 1);
            more = r > 0;
            break;
        }
        if (n == cap) {
            cap = cap * 2 > max ? max : cap * 2;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    if (truncated)
        *truncated = more;
    return 0;
}

char *read_text_capped(const char *path, size_t max)
{
    char *text;
    size_t len;
    return read_file_capped(path, max, &text, &len, NULL) == 0 ? text : NULL;
}

char *read_link(const char *path)
{
    char buf[READ_LINK_MAX];
    ssize_t n = readlink(path, buf, sizeof(buf) - 1);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(buf);
}

static int compare_dir_items(const void *a, const void *b)
{
    return strcmp(((const struct dir_item *)a)->name, ((const struct dir_item *)b)->name);
}

int dir_list_items(const char *dir, size_t max,
                   bool (*keep)(const char *name, unsigned char type, void *ud), void *ud,
                   struct dir_item **items, size_t *n, bool *more)
{
    *items = NULL;
    *n = 0;
    if (more)
        *more = false;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (keep && !keep(de->d_name, de->d_type, ud)))
            continue;
        if (*n >= max) {
            if (more)
                *more = true;
            break;
        }
        *items = xgrow(*items, &cap, *n + 1, sizeof(**items));
        (*items)[(*n)++] = (struct dir_item){xstrdup(de->d_name), de->d_type};
    }
    closedir(d);
    if (*n > 1)
        qsort(*items, *n, sizeof(**items), compare_dir_items);
    return 0;
}

void dir_items_free(struct dir_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

struct keep_by_name {
    bool (*keep)(const char *name, void *ud);
    void *ud;
};

static bool keep_name(const char *name, unsigned char type, void *ud)
{
    const struct keep_by_name *k = ud;
    (void)type;
    return !k->keep || k->keep(name, k->ud);
}

int dir_list_sorted(const char *dir, size_t max, bool (*keep)(const char *name, void *ud), void *ud,
                    char ***names, size_t *n, bool *more)
{
    struct keep_by_name k = {keep, ud};
    struct dir_item *items;
    *names = NULL;
    if (dir_list_items(dir, max, keep_name, &k, &items, n, more) != 0)
        return -1;
    if (*n)
        *names = xcalloc(*n, sizeof(char *));
    for (size_t i = 0; i < *n; i++)
        (*names)[i] = items[i].name; /* the names move over */
    free(items);
    return 0;
}
