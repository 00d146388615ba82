/*
 * classpath.c - discovery of classpath views from the targets of `wrench scan`
 * (see classpath.h). Order matters: the first entry holding a class is the one
 * the loader uses, so every entry records its order group, and entries whose
 * relative order no specification defines (a wildcard, WEB-INF/lib) share one.
 */
#include "classpath.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jar.h"
#include "messages.h"
#include "strmap.h"
#include "util.h"

#define BOOT_CLASSES "BOOT-INF/classes/"
#define BOOT_LIB "BOOT-INF/lib/"
#define BOOT_INDEX "BOOT-INF/classpath.idx"
#define WAR_CLASSES "WEB-INF/classes/"
#define WAR_LIB "WEB-INF/lib/"
#define WAR_LIB_PROVIDED "WEB-INF/lib-provided/"

char *classpath_absolute(const char *path)
{
    char cwd[PATH_MAX];
    if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
        return path_normalize(path);
    char *joined = path_join(cwd, path);
    char *abs = path_normalize(joined);
    free(joined);
    return abs;
}

/* Fill path-derived fields of a file entry: absolute path, realpath, status. */
static void set_file_entry(struct cp_entry *e, const char *listed_as, const char *origin)
{
    e->listed_as = xstrdup(listed_as);
    e->origin = xstrdup(origin);
    char resolved[PATH_MAX];
    if (realpath(e->path, resolved)) {
        e->real_path = xstrdup(resolved);
        return;
    }
    e->real_path = xstrdup(e->path);
    if (errno == ENOENT || errno == ENOTDIR) {
        e->status = STATUS_MISSING;
        e->problem = xstrdup("no such file or directory");
    } else {
        e->status = STATUS_UNREADABLE;
        e->problem = xasprintf("cannot resolve path: %s", strerror(errno));
    }
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether a listed file is a jar, as the JVM takes them for a dir wildcard: *.jar and *.JAR
 * files, and directories named *.jar (lower case only). `dir` (ud) is where it is listed. */
static bool is_jar_name(const char *name, unsigned char type, void *dir)
{
    if (str_has_suffix(name, ".jar"))
        return true; /* a file or a directory: no need to ask which */
    if (!str_has_suffix(name, ".JAR"))
        return false;
    if (type == DT_REG)
        return true;
    if (type == DT_DIR)
        return false;
    char *full = path_join(dir, name);
    bool dir_entry = is_directory(full);
    free(full);
    return !dir_entry;
}

/* The jars directly in `dir`, sorted by name; -1 with errno when unreadable. Sorting makes
 * reports reproducible; the loader's own order is still undefined. */
static int list_jars(const char *dir, struct dir_item **out, size_t *n_out)
{
    return dir_list_items(dir, SIZE_MAX, is_jar_name, (void *)dir, out, n_out, NULL);
}

/* The real path of `path`, which is the jar `j` in a directory whose real path is
 * `real_dir`, when it follows from the directory's: a file that is no symbolic link, or a
 * link to a file of the same directory that is none (Debian's /usr/share/java/foo.jar ->
 * foo-1.2.jar). NULL otherwise: then realpath() walks it. */
static char *real_path_in(const char *real_dir, const char *path, const struct dir_item *j)
{
    struct stat st;
    unsigned char type = j->type;
    if (type == DT_UNKNOWN) {
        if (lstat(path, &st) != 0)
            return NULL;
        type = S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
    }
    if (type != DT_LNK)
        return path_join(real_dir, j->name);
    char *target = read_link(path);
    bool beside = target && *target && !strchr(target, '/') && strcmp(target, ".") != 0 &&
                  strcmp(target, "..") != 0;
    char *real = beside ? path_join(real_dir, target) : NULL;
    free(target);
    if (real && (lstat(real, &st) != 0 || S_ISLNK(st.st_mode))) {
        free(real);
        real = NULL;
    }
    return real;
}

/* Add every jar of a directory as one unordered group. Returns the number added, -1 if the
 * directory cannot be listed (an entry then says why). */
static int add_jar_directory(struct cp_view *view, const char *dir, const char *listed_as,
                             const char *origin)
{
    struct dir_item *jars;
    size_t n;
    if (list_jars(dir, &jars, &n) < 0) {
        int why = errno; /* set_file_entry's realpath may change errno */
        struct cp_entry *e = view_add_entry(view, dir, ENTRY_DIR);
        set_file_entry(e, listed_as, origin);
        if (e->status == STATUS_OK) {
            e->status = STATUS_UNREADABLE;
            e->problem = xasprintf("cannot list directory: %s", strerror(why));
        }
        return -1;
    }
    int group = view_new_group(view);
    /* The directory is resolved once: a jar in it that is no symbolic link (or a link to a
     * file beside it) resolves to the resolved directory and its name, which spares
     * realpath() a walk of every component for each of hundreds of jars. */
    char real_dir[PATH_MAX];
    bool have_real_dir = realpath(dir, real_dir) != NULL;
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(dir, jars[i].name);
        struct cp_entry *e = view_add_entry(view, path, ENTRY_JAR);
        char *real = have_real_dir ? real_path_in(real_dir, path, &jars[i]) : NULL;
        if (real) {
            e->listed_as = xstrdup(listed_as);
            e->origin = xstrdup(origin);
            e->real_path = real;
        } else {
            set_file_entry(e, listed_as, origin);
        }
        e->order_group = group;
        e->order_defined = n < 2;
        free(path);
    }
    dir_items_free(jars, n);
    return (int)n;
}

/* The view's note (why its order is undefined...), in both languages; replaces any earlier. */
static void set_note_args(struct cp_view *view, enum msg_id id, const struct msg_arg *args)
{
    free(view->note);
    free(view->note_zh);
    view->note = msg_render(id, LANG_EN, args);
    view->note_zh = msg_render(id, LANG_ZH, args);
}
#define set_note(view, id, ...) set_note_args((view), (id), MSG_ARGS(__VA_ARGS__))

static bool is_wildcard(const char *item)
{
    return strcmp(item, "*") == 0 || str_has_suffix(item, "/*");
}

static void add_classpath_item(struct cp_view *view, const char *item)
{
    char *abs = classpath_absolute(item);
    if (is_wildcard(item)) {
        abs[strlen(abs) - 1] = '\0'; /* drop the '*' */
        if (add_jar_directory(view, abs, item, "classpath wildcard") > 1 && !view->note)
            set_note(view, MSG_VIEW_NOTE_WILDCARD, MSG_S("item", item));
    } else {
        struct cp_entry *e = view_add_entry(view, abs, is_directory(abs) ? ENTRY_DIR : ENTRY_JAR);
        set_file_entry(e, item, "classpath");
    }
    free(abs);
}

static void append_classpath(struct cp_view *view, const char *cp)
{
    const char *p = cp;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len) {
            char *item = xstrndup(p, len);
            add_classpath_item(view, item);
            free(item);
        }
        p += len;
        if (*p == ':')
            p++;
    }
}

void classpath_add_string(struct scan *scan, const char *cp)
{
    struct cp_view *view = scan_add_view(scan, "classpath", "classpath", cp);
    view->follow_class_path = true;
    append_classpath(view, cp);
}

/* State for collecting the nested jars of an archive folder such as BOOT-INF/lib/. */
struct nested_list {
    const char *prefix;
    char **names;
    size_t n, cap;
    bool has_prefix; /* some entry starts with the prefix */
};

static int collect_nested(const struct zipdir_entry *ze, void *ud)
{
    struct nested_list *list = ud;
    size_t plen = strlen(list->prefix);
    if (ze->name_len <= plen || memcmp(ze->name, list->prefix, plen) != 0)
        return 0;
    list->has_prefix = true;
    const char *rest = ze->name + plen;
    size_t rest_len = ze->name_len - plen;
    if (memchr(rest, '/', rest_len) || memchr(rest, '\0', rest_len) || rest_len < 5)
        return 0; /* only direct children that are jars */
    if (strncasecmp(rest + rest_len - 4, ".jar", 4) != 0)
        return 0;
    list->names = xgrow(list->names, &list->cap, list->n + 1, sizeof(char *));
    list->names[list->n++] = xstrndup(ze->name, ze->name_len);
    return 0;
}

static void nested_list_free(struct nested_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->names[i]);
    free(list->names);
}

static struct cp_entry *add_archive_entry(struct cp_view *view, const char *archive,
                                          const char *inner, enum entry_kind kind,
                                          const char *origin)
{
    char *display = xasprintf("%s!/%s", archive, inner);
    struct cp_entry *e = view_add_entry(view, display, kind);
    e->archive = xstrdup(archive);
    e->inner = xstrdup(inner);
    e->listed_as = xstrdup(inner);
    e->origin = xstrdup(origin);
    char resolved[PATH_MAX];
    if (realpath(archive, resolved)) {
        e->real_path = xasprintf("%s!/%s", resolved, inner);
    } else {
        e->real_path = xstrdup(display);
    }
    free(display);
    return e;
}

/* Parse BOOT-INF/classpath.idx lines of the form `- "BOOT-INF/lib/x.jar"`. */
static size_t parse_classpath_idx(const char *text, char ***out)
{
    char **items = NULL;
    size_t n = 0, cap = 0;
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *open = memchr(line, '"', len);
        if (open) {
            const char *close = memchr(open + 1, '"', len - (size_t)(open + 1 - line));
            if (close && close > open + 1) {
                items = xgrow(items, &cap, n + 1, sizeof(char *));
                items[n++] = xstrndup(open + 1, (size_t)(close - open - 1));
            }
        }
        line += len;
        if (*line == '\n')
            line++;
    }
    *out = items;
    return n;
}

/* Order the nested jars of a Boot jar: classpath.idx order first, then the rest in archive order.
 */
static void add_boot_libs(struct cp_view *view, struct jar *jar, const char *abs,
                          struct nested_list *libs)
{
    char **idx_items = NULL;
    size_t n_idx = 0;
    struct zipdir_entry ze;
    char err[WR_ERR_MAX];
    if (jar_find(jar, BOOT_INDEX, &ze, err) == 1) {
        unsigned char *text;
        size_t len;
        if (jar_read_entry(jar, &ze, JAR_MAX_SMALL_ENTRY, &text, &len, err) == JAR_OK) {
            n_idx = parse_classpath_idx((const char *)text, &idx_items);
            free(text);
        }
    }
    bool *used = xcalloc(libs->n ? libs->n : 1, sizeof(bool));
    /* by name, so that an index of 20,000 lines against as many jars stays linear */
    struct strmap *by_name = strmap_new();
    for (size_t j = 0; j < libs->n; j++)
        strmap_add(by_name, libs->names[j], j);
    for (size_t i = 0; i < n_idx; i++) {
        size_t j;
        if (strmap_get(by_name, idx_items[i], &j) && !used[j]) {
            used[j] = true;
            add_archive_entry(view, abs, libs->names[j], ENTRY_NESTED_JAR, "BOOT-INF/lib");
        }
        free(idx_items[i]);
    }
    strmap_free(by_name);
    free(idx_items);
    if (n_idx == 0 && libs->n > 1)
        set_note(view, MSG_VIEW_NOTE_BOOT_NO_INDEX, MSG_END);
    for (size_t j = 0; j < libs->n; j++)
        if (!used[j])
            add_archive_entry(view, abs, libs->names[j], ENTRY_NESTED_JAR, "BOOT-INF/lib");
    free(used);
}

/* Returns true when the jar is a Boot fat jar and its view was filled. */
static bool add_boot_jar(struct cp_view *view, const char *abs)
{
    struct jar *jar;
    char err[WR_ERR_MAX];
    if (jar_open_file(&jar, abs, err) != JAR_OK)
        return false;
    struct nested_list libs = {.prefix = BOOT_LIB};
    struct nested_list classes = {.prefix = BOOT_CLASSES};
    bool boot = false;
    if (jar_walk(jar, collect_nested, &libs, err) == 0 &&
        jar_walk(jar, collect_nested, &classes, err) == 0 &&
        (libs.has_prefix || classes.has_prefix)) {
        boot = true;
        free(view->target_kind);
        view->target_kind = xstrdup("boot-jar");
        if (classes.has_prefix)
            add_archive_entry(view, abs, BOOT_CLASSES, ENTRY_ARCHIVE_DIR, "BOOT-INF/classes");
        add_boot_libs(view, jar, abs, &libs);
    }
    nested_list_free(&libs);
    nested_list_free(&classes);
    jar_free(jar);
    return boot;
}

void classpath_add_jar(struct scan *scan, const char *path)
{
    struct cp_view *view = scan_add_view(scan, path_basename(path), "jar", path);
    char *abs = classpath_absolute(path);
    if (!add_boot_jar(view, abs)) {
        view->follow_class_path = true;
        struct cp_entry *e = view_add_entry(view, abs, ENTRY_JAR);
        set_file_entry(e, path, "executable jar");
    }
    free(abs);
}

/* Mark a run of entries [from, n_entries) as one unordered group. */
static void make_unordered(struct cp_view *view, size_t from)
{
    int group = view_new_group(view);
    size_t count = view->n_entries - from;
    for (size_t i = from; i < view->n_entries; i++) {
        view->entries[i].order_group = group;
        view->entries[i].order_defined = count < 2;
    }
}

/* Spring Boot wars keep provided-scope jars apart; a servlet container ignores them. */
static void note_lib_provided(struct cp_view *view, size_t n)
{
    if (n == 0)
        return;
    struct bibuf b = {0};
    if (view->note) {
        bibuf_puts(&b, view->note, view->note_zh);
        bibuf_msg(&b, MSG_CLAUSE_SEP, MSG_END);
    }
    bibuf_msg(&b, MSG_VIEW_NOTE_LIB_PROVIDED, MSG_N("n", n));
    free(view->note);
    free(view->note_zh);
    bibuf_take(&b, &view->note, &view->note_zh);
    bibuf_free(&b);
}

static void add_war_file(struct cp_view *view, const char *abs)
{
    struct jar *jar;
    char err[WR_ERR_MAX];
    int rc = jar_open_file(&jar, abs, err);
    if (rc != JAR_OK) {
        struct cp_entry *e = view_add_entry(view, abs, ENTRY_JAR);
        set_file_entry(e, view->target, "war");
        if (e->status == STATUS_OK) {
            e->status = rc == JAR_ERR_CORRUPT     ? STATUS_CORRUPT
                        : rc == JAR_ERR_TOO_LARGE ? STATUS_TOO_LARGE
                                                  : STATUS_UNREADABLE;
            e->problem = xstrdup(err);
        }
        return;
    }
    struct nested_list classes = {.prefix = WAR_CLASSES};
    struct nested_list libs = {.prefix = WAR_LIB};
    struct nested_list provided = {.prefix = WAR_LIB_PROVIDED};
    jar_walk(jar, collect_nested, &classes, err);
    jar_walk(jar, collect_nested, &libs, err);
    jar_walk(jar, collect_nested, &provided, err);
    if (classes.has_prefix)
        add_archive_entry(view, abs, WAR_CLASSES, ENTRY_ARCHIVE_DIR, "WEB-INF/classes");
    size_t first_lib = view->n_entries;
    if (libs.n)
        qsort(libs.names, libs.n, sizeof(char *), strv_compare);
    for (size_t i = 0; i < libs.n; i++)
        add_archive_entry(view, abs, libs.names[i], ENTRY_NESTED_JAR, "WEB-INF/lib");
    make_unordered(view, first_lib);
    if (libs.n > 1)
        set_note(view, MSG_VIEW_NOTE_WEBAPP_LIB, MSG_END);
    note_lib_provided(view, provided.n);
    nested_list_free(&classes);
    nested_list_free(&libs);
    nested_list_free(&provided);
    jar_free(jar);
}

static void add_exploded_webapp(struct cp_view *view, const char *abs)
{
    char *classes = path_join(abs, "WEB-INF/classes");
    if (is_directory(classes)) {
        struct cp_entry *e = view_add_entry(view, classes, ENTRY_DIR);
        set_file_entry(e, "WEB-INF/classes", "WEB-INF/classes");
    }
    free(classes);
    char *lib = path_join(abs, "WEB-INF/lib");
    if (is_directory(lib) && add_jar_directory(view, lib, "WEB-INF/lib", "WEB-INF/lib") > 1)
        set_note(view, MSG_VIEW_NOTE_WEBAPP_LIB, MSG_END);
    free(lib);
    char *provided = path_join(abs, "WEB-INF/lib-provided");
    struct dir_item *jars;
    size_t n;
    if (list_jars(provided, &jars, &n) == 0) {
        note_lib_provided(view, n);
        dir_items_free(jars, n);
    }
    free(provided);
}

void classpath_add_war(struct scan *scan, const char *path)
{
    struct cp_view *view = scan_add_view(scan, path_basename(path), "war", path);
    view->is_webapp = true;
    char *abs = classpath_absolute(path);
    if (is_directory(abs))
        add_exploded_webapp(view, abs);
    else
        add_war_file(view, abs);
    free(abs);
}

void classpath_add_webapp(struct scan *scan, const char *name, const char *path,
                          const char *common_cp)
{
    classpath_add_war(scan, path);
    struct cp_view *view = &scan->views[scan->n_views - 1];
    free(view->name);
    view->name = xstrdup(name);
    if (!common_cp)
        return;
    size_t first = view->n_entries;
    append_classpath(view, common_cp);
    /* Tomcat's ClassLoaderFactory keeps each URL once: with CATALINA_BASE equal to
     * CATALINA_HOME the default common.loader names every directory twice. The repeats are
     * dropped in one pass (a hash of the paths kept), not one removal at a time. */
    struct strmap *kept = strmap_new();
    size_t n = view->n_entries, out = first, n_repeats = 0;
    struct cp_entry *repeats = xcalloc(n - first + 1, sizeof(*repeats));
    for (size_t i = first; i < n; i++) {
        struct cp_entry e = view->entries[i];
        if (!strmap_add(kept, e.path, i)) {
            repeats[n_repeats++] = e;
            continue;
        }
        free(e.origin);
        e.origin = xstrdup("Tomcat common loader");
        e.parent_loader = true;
        view->entries[out++] = e;
    }
    /* the repeats go last, where removing them moves nothing */
    memcpy(view->entries + out, repeats, n_repeats * sizeof(*repeats));
    free(repeats);
    while (view->n_entries > out)
        view_remove_entry(view, view->n_entries - 1);
    strmap_free(kept);
}

void classpath_add_loader_path(struct cp_view *view, const char *loader_path)
{
    size_t before = view->n_entries;
    char *items = xstrdup(loader_path);
    for (char *save = NULL, *item = strtok_r(items, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        if (!*item)
            continue;
        if (is_directory(item)) {
            add_jar_directory(view, item, item, "loader.path");
        } else {
            struct cp_entry *e = view_add_entry(view, item, ENTRY_JAR);
            set_file_entry(e, item, "loader.path");
        }
    }
    free(items);
    /* rotate the new entries to the front in one go: nothing has been read yet, so no
     * index moved */
    size_t added = view->n_entries - before;
    if (added && before) {
        struct cp_entry *front = xcalloc(added, sizeof(*front));
        memcpy(front, view->entries + before, added * sizeof(*front));
        memmove(view->entries + added, view->entries, before * sizeof(*front));
        memcpy(view->entries, front, added * sizeof(*front));
        free(front);
    }
}

void classpath_add_dir(struct scan *scan, const char *path)
{
    struct cp_view *view = scan_add_view(scan, path, "dir", path);
    char *abs = classpath_absolute(path);
    if (add_jar_directory(view, abs, path, "directory") > 1)
        set_note(view, MSG_VIEW_NOTE_DIR, MSG_S("path", path));
    free(abs);
}
