/*
 * reader.c - reads the entries of each classpath view (see reader.h). A jar's
 * central directory is walked once; its classes are collected first and only
 * committed to the index when the whole directory was valid, because the JVM
 * cannot open a jar whose central directory is broken and so loads none of it.
 */
#include "reader.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "artifact.h"
#include "budget.h"
#include "classindex.h"
#include "classpath.h"
#include "jar.h"
#include "manifest.h"
#include "strmap.h"
#include "util.h"

#define MANIFEST_NAME "META-INF/MANIFEST.MF"
#define VERSIONS_PREFIX "META-INF/versions/"
#define MAVEN_PREFIX "META-INF/maven/"
#define POM_SUFFIX "/pom.properties"
#define MAX_POMS 64      /* shaded uber-jars hold dozens; more is hostile */
#define MAX_DIR_DEPTH 64 /* class roots deeper than this are hostile or looping */
#define MAX_CLASS_FILE (64u << 20)
#define INDEX_INITIAL_CLASSES 4096

struct pending_class {
    const char *name; /* into the archive's bytes, without ".class" */
    size_t len;
    uint32_t crc;
    uint64_t size;
    bool versioned; /* from META-INF/versions/N/ */
};

/* What one walk over an archive's central directory collects. */
struct walk_state {
    struct cp_view *view;
    size_t entry;
    const char *prefix; /* ARCHIVE_DIR: only names under it, with it stripped */
    size_t prefix_len;
    const char *const *watched;
    size_t *watched_lens;
    size_t n_watched;
    size_t *watched_by_len;                /* indexes into watched, sorted by name length */
    size_t len_first[256], len_count[256]; /* the run of watched_by_len for each length */
    struct pending_class *classes;
    size_t n_classes, classes_cap;
    struct zipdir_entry manifest;
    bool has_manifest;
    struct zipdir_entry poms[MAX_POMS];
    size_t n_poms;
    size_t zip_entries;
    size_t bad_names;
    bool watched_len[256]; /* lengths of watched names: a cheap filter for every entry */
};

/* A name that could escape a directory or confuse a terminal is never used as a class. */
static bool name_is_hostile(const char *name, size_t len)
{
    if (len == 0 || name[0] == '/' || !utf8_valid(name, len))
        return true;
    for (size_t i = 0; i + 1 < len; i++)
        if (name[i] == '.' && name[i + 1] == '.' && (i == 0 || name[i - 1] == '/') &&
            (i + 2 == len || name[i + 2] == '/'))
            return true;
    return false;
}

static bool is_info_class(const char *name, size_t len)
{
    static const char *const skipped[] = {"module-info", "package-info"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(skipped[i]);
        if (len >= n && memcmp(name + len - n, skipped[i], n) == 0 &&
            (len == n || name[len - n - 1] == '/'))
            return true;
    }
    return false;
}

static void init_watched(struct walk_state *st, const char *const *watched, size_t n_watched)
{
    st->watched = watched;
    st->n_watched = n_watched;
    st->watched_lens = xcalloc(n_watched ? n_watched : 1, sizeof(size_t));
    st->watched_by_len = xcalloc(n_watched ? n_watched : 1, sizeof(size_t));
    for (size_t i = 0; i < n_watched; i++) {
        size_t len = strlen(watched[i]);
        st->watched_lens[i] = len;
        if (len < sizeof(st->watched_len))
            st->len_count[len]++;
    }
    size_t pos = 0;
    for (size_t len = 0; len < sizeof(st->watched_len); len++) {
        st->len_first[len] = pos;
        st->watched_len[len] = st->len_count[len] > 0;
        for (size_t i = 0; i < n_watched; i++)
            if (st->watched_lens[i] == len)
                st->watched_by_len[pos++] = i;
    }
}

static void add_resource_hit(struct cp_view *view, const char *name, size_t entry)
{
    /* Entries are read in order, so this entry's hits are the last ones: a backward look
     * stops at the first hit of another entry, which keeps 100,000 jars holding one
     * watched file linear. */
    for (size_t i = view->n_resources; i-- > 0 && view->resources[i].entry == entry;)
        if (strcmp(view->resources[i].name, name) == 0)
            return;
    view->resources = xgrow(view->resources, &view->resources_cap, view->n_resources + 1,
                            sizeof(*view->resources));
    view->resources[view->n_resources].name = xstrdup(name);
    view->resources[view->n_resources].entry = entry;
    view->n_resources++;
}

static void check_watched(struct walk_state *st, const char *name, size_t len)
{
    if (len >= sizeof(st->watched_len))
        return; /* no watched name is that long */
    for (size_t k = 0; k < st->len_count[len]; k++) {
        const char *w = st->watched[st->watched_by_len[st->len_first[len] + k]];
        if (memcmp(w, name, len) == 0)
            add_resource_hit(st->view, w, st->entry);
    }
}

static void push_class(struct walk_state *st, const char *name, size_t len,
                       const struct zipdir_entry *ze, bool versioned)
{
    st->classes = xgrow(st->classes, &st->classes_cap, st->n_classes + 1, sizeof(*st->classes));
    struct pending_class *pc = &st->classes[st->n_classes++];
    pc->name = name;
    pc->len = len;
    pc->crc = ze->crc;
    pc->size = ze->size;
    pc->versioned = versioned;
}

/* META-INF/versions/<N>/<rest>: returns the offset of <rest>, or 0 when not versioned. */
static size_t versioned_offset(const char *name, size_t len)
{
    size_t plen = strlen(VERSIONS_PREFIX);
    if (len <= plen || memcmp(name, VERSIONS_PREFIX, plen) != 0)
        return 0;
    size_t i = plen;
    while (i < len && name[i] >= '0' && name[i] <= '9')
        i++;
    if (i == plen || i >= len || name[i] != '/')
        return 0;
    return i + 1;
}

static bool is_pom_properties(const char *name, size_t len)
{
    size_t plen = strlen(MAVEN_PREFIX), slen = strlen(POM_SUFFIX);
    return len > plen + slen && memcmp(name, MAVEN_PREFIX, plen) == 0 &&
           memcmp(name + len - slen, POM_SUFFIX, slen) == 0;
}

static int visit_entry(const struct zipdir_entry *ze, void *ud)
{
    struct walk_state *st = ud;
    const char *name = ze->name;
    size_t len = ze->name_len;
    if (st->prefix) {
        if (len <= st->prefix_len || memcmp(name, st->prefix, st->prefix_len) != 0)
            return 0;
        name += st->prefix_len;
        len -= st->prefix_len;
    }
    st->zip_entries++;
    if (len && name[len - 1] == '/')
        return 0; /* a directory record */
    if (name_is_hostile(name, len)) {
        st->bad_names++;
        return 0;
    }
    if (len < sizeof(st->watched_len) && st->watched_len[len])
        check_watched(st, name, len);
    static const size_t class_len = 6; /* ".class" */
    if (len > class_len && memcmp(name + len - class_len, ".class", class_len) == 0) {
        size_t stem = len - class_len;
        size_t off = st->prefix ? 0 : versioned_offset(name, stem);
        if (off && !is_info_class(name + off, stem - off))
            push_class(st, name + off, stem - off, ze, true);
        else if (!off && !str_has_prefix(name, "META-INF/") && !is_info_class(name, stem))
            push_class(st, name, stem, ze, false);
        return 0;
    }
    if (!st->prefix && len == strlen(MANIFEST_NAME) && memcmp(name, MANIFEST_NAME, len) == 0) {
        st->manifest = *ze;
        st->has_manifest = true;
    } else if (!st->prefix && is_pom_properties(name, len) && st->n_poms < MAX_POMS) {
        st->poms[st->n_poms++] = *ze;
    }
    return 0;
}

static bool entry_has_class(const struct class_index *index, const char *name, size_t len,
                            uint32_t entry)
{
    char *key = xstrndup(name, len);
    const struct class_record *rec = class_index_find(index, key);
    free(key);
    if (!rec)
        return false;
    for (uint32_t i = 0; i < rec->n_copies; i++)
        if (class_record_copy(rec, i)->entry == entry)
            return true;
    return false;
}

/* Commit the collected classes. Versioned copies overlay base ones in a multi-release jar, so
 * they only add classes the base lacks; in any other jar the loader ignores them. */
static void commit_classes(struct walk_state *st, struct cp_entry *e, bool multi_release)
{
    class_index_reserve(st->view->index, st->n_classes);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < st->n_classes; i++) {
            struct pending_class *pc = &st->classes[i];
            if (pc->versioned != (pass == 1))
                continue;
            if (pc->versioned && (!multi_release || entry_has_class(st->view->index, pc->name,
                                                                    pc->len, (uint32_t)st->entry)))
                continue;
            struct class_copy copy = {(uint32_t)st->entry, pc->crc, pc->size, true};
            if (class_index_add(st->view->index, pc->name, pc->len, &copy))
                e->class_count++;
            else if (!pc->versioned)
                e->duplicate_zip_entries++;
        }
    }
}

static void set_status(struct cp_entry *e, enum entry_status status, const char *problem)
{
    e->status = status;
    free(e->problem);
    e->problem = xstrdup(problem);
}

/* The class index is the scan's largest structure: each entry's classes are taken from
 * the memory budget (budget.h) before they are added, and kept until the scan ends. */
static bool charge_classes(struct walk_state *st, struct cp_entry *e)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < st->n_classes; i++)
        bytes += st->classes[i].len + 1 + sizeof(struct class_record) + 2 * sizeof(uint64_t);
    if (budget_take(bytes))
        return true;
    char need[32], max[32];
    budget_format(bytes, need, sizeof need);
    budget_format(budget_max(), max, sizeof max);
    char *msg = xasprintf("its %zu classes not indexed: they (%s) would take wrench past its "
                          "memory budget of %s (--max-memory)",
                          st->n_classes, need, max);
    set_status(e, STATUS_TOO_LARGE, msg);
    free(msg);
    return false;
}

static enum entry_status status_of_jar_error(int rc)
{
    switch (rc) {
    case JAR_ERR_MISSING:
        return STATUS_MISSING;
    case JAR_ERR_UNREADABLE:
        return STATUS_UNREADABLE;
    case JAR_ERR_TOO_LARGE:
        return STATUS_TOO_LARGE;
    default:
        return STATUS_CORRUPT;
    }
}

/* Read manifest and pom.properties, decide the identity; returns the manifest Class-Path. */
static char *identify_jar(const struct jar *jar, struct walk_state *st, struct cp_entry *e,
                          const char *filename, bool *multi_release)
{
    char err[WR_ERR_MAX];
    struct manifest mf = {0};
    bool have_mf = false;
    unsigned char *text;
    size_t len;
    if (st->has_manifest) {
        if (jar_read_entry(jar, &st->manifest, JAR_MAX_SMALL_ENTRY, &text, &len, err) == JAR_OK) {
            manifest_parse(&mf, (const char *)text, len);
            have_mf = true;
            free(text);
        } else {
            e->problem = xstrdup(err);
        }
    }
    struct pom_found *poms = xcalloc(st->n_poms ? st->n_poms : 1, sizeof(*poms));
    size_t n_poms = 0;
    for (size_t i = 0; i < st->n_poms; i++) {
        if (jar_read_entry(jar, &st->poms[i], JAR_MAX_SMALL_ENTRY, &text, &len, err) != JAR_OK)
            continue;
        struct artifact *a = &poms[n_poms].artifact;
        if (artifact_parse_pom_properties((const char *)text, len, a) == 0) {
            a->evidence = EVIDENCE_POM;
            a->source = xstrndup(st->poms[i].name, st->poms[i].name_len);
            n_poms++;
        }
        free(text);
    }
    artifact_identify(poms, n_poms, have_mf ? &mf : NULL, filename, &e->artifact, &e->embedded,
                      &e->n_embedded, &e->embedded_cap);
    for (size_t i = 0; i < n_poms; i++)
        artifact_clear(&poms[i].artifact);
    free(poms);
    *multi_release = have_mf && mf.multi_release;
    e->multi_release = *multi_release;
    if (have_mf && mf.main_class)
        e->main_class = xstrdup(mf.main_class);
    char *class_path = have_mf && mf.class_path ? xstrdup(mf.class_path) : NULL;
    manifest_clear(&mf);
    return class_path;
}

/* Walk an open archive into the index. `prefix` non-NULL reads a folder of it (an
 * ARCHIVE_DIR); otherwise it is a jar whose identity is read too. Returns Class-Path. */
static char *read_archive(struct cp_view *view, size_t idx, const struct jar *jar,
                          const char *prefix, const char *filename, const char *const *watched,
                          size_t n_watched)
{
    struct cp_entry *e = &view->entries[idx];
    struct walk_state st = {
        .view = view, .entry = idx, .prefix = prefix, .prefix_len = prefix ? strlen(prefix) : 0};
    init_watched(&st, watched, n_watched);
    char err[WR_ERR_MAX];
    char *class_path = NULL;
    if (jar_walk(jar, visit_entry, &st, err) != 0) {
        set_status(e, STATUS_CORRUPT, err);
        goto out;
    }
    bool multi_release = false;
    if (!prefix)
        class_path = identify_jar(jar, &st, e, filename, &multi_release);
    if (!charge_classes(&st, e))
        goto out;
    commit_classes(&st, e, multi_release);
    e->entry_count = st.zip_entries;
    e->bad_entry_names = st.bad_names;
out:
    free(st.classes);
    free(st.watched_lens);
    free(st.watched_by_len);
    return class_path;
}

/* Outer archives stay open across consecutive nested entries of one Boot jar or war. */
struct outer_cache {
    char *path;
    struct jar *jar;
    int rc;
    char err[WR_ERR_MAX];
};

static const struct jar *outer_open(struct outer_cache *cache, const char *path)
{
    if (!cache->path || strcmp(cache->path, path) != 0) {
        jar_free(cache->jar);
        free(cache->path);
        cache->jar = NULL;
        cache->path = xstrdup(path);
        cache->rc = jar_open_file(&cache->jar, path, cache->err);
    }
    return cache->rc == JAR_OK ? cache->jar : NULL;
}

static void outer_close(struct outer_cache *cache)
{
    jar_free(cache->jar);
    free(cache->path);
    memset(cache, 0, sizeof(*cache));
}

static char *read_jar_file(struct cp_view *view, size_t idx, const char *const *watched,
                           size_t n_watched)
{
    struct cp_entry *e = &view->entries[idx];
    struct jar *jar;
    char err[WR_ERR_MAX];
    int rc = jar_open_file(&jar, e->path, err);
    if (rc != JAR_OK) {
        set_status(e, status_of_jar_error(rc), err);
        return NULL;
    }
    char *class_path =
        read_archive(view, idx, jar, NULL, path_basename(e->path), watched, n_watched);
    jar_free(jar);
    return class_path;
}

static void read_nested(struct cp_view *view, size_t idx, struct outer_cache *cache,
                        const char *const *watched, size_t n_watched)
{
    struct cp_entry *e = &view->entries[idx];
    const struct jar *outer = outer_open(cache, e->archive);
    if (!outer) {
        set_status(e, status_of_jar_error(cache->rc), cache->err);
        return;
    }
    if (e->kind == ENTRY_ARCHIVE_DIR) {
        free(read_archive(view, idx, outer, e->inner, NULL, watched, n_watched));
        return;
    }
    char err[WR_ERR_MAX];
    struct zipdir_entry ze;
    int found = jar_find(outer, e->inner, &ze, err);
    if (found != 1) {
        set_status(e, found == 0 ? STATUS_MISSING : STATUS_CORRUPT,
                   found == 0 ? "no such entry in the archive" : err);
        return;
    }
    struct jar *jar;
    int rc = jar_open_nested(&jar, outer, &ze, e->path, err);
    if (rc != JAR_OK) {
        set_status(e, status_of_jar_error(rc), err);
        return;
    }
    /* Nested loaders (Spring Boot, Tomcat) do not follow Class-Path. */
    free(read_archive(view, idx, jar, NULL, path_basename(e->inner), watched, n_watched));
    jar_free(jar);
}

/* Directory class roots: a stack-free recursion bounded by depth; symbolic links to
 * directories are not followed, so a link loop cannot trap the walk. */
static void read_dir_tree(struct cp_view *view, size_t idx, const char *root, const char *rel,
                          int depth, const char *const *watched, size_t n_watched)
{
    struct cp_entry *e = &view->entries[idx];
    char *dir = rel[0] ? path_join(root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    if (!d) {
        if (depth == 0)
            set_status(e, STATUS_UNREADABLE, strerror(errno));
        else if (!e->problem) /* the entry stays usable; say what of it was not read */
            e->problem =
                xasprintf("%s: cannot read this folder of classes: %s", dir, strerror(errno));
        free(dir);
        return;
    }
    struct walk_state st = {.view = view, .entry = idx};
    init_watched(&st, watched, n_watched);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child_rel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        char *child = path_join(root, child_rel);
        struct stat lst, st_buf;
        if (lstat(child, &lst) == 0 && S_ISDIR(lst.st_mode)) {
            if (depth < MAX_DIR_DEPTH)
                read_dir_tree(view, idx, root, child_rel, depth + 1, watched, n_watched);
            else
                e->bad_entry_names++;
        } else if (stat(child, &st_buf) == 0 && S_ISREG(st_buf.st_mode)) {
            e->entry_count++;
            size_t len = strlen(child_rel);
            check_watched(&st, child_rel, len);
            if (str_has_suffix(child_rel, ".class") && !str_has_prefix(child_rel, "META-INF/") &&
                !is_info_class(child_rel, len - 6) && utf8_valid(child_rel, len)) {
                struct class_copy copy = {(uint32_t)idx, 0, (uint64_t)st_buf.st_size, false};
                FILE *f = st_buf.st_size <= MAX_CLASS_FILE ? fopen(child, "rb") : NULL;
                if (f) {
                    unsigned char buf[65536];
                    size_t n;
                    uLong crc = crc32(0L, Z_NULL, 0);
                    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                        crc = crc32(crc, buf, (uInt)n);
                    copy.crc_known = !ferror(f);
                    copy.crc = (uint32_t)crc;
                    fclose(f);
                }
                if (class_index_add(view->index, child_rel, len - 6, &copy))
                    e->class_count++;
            }
        }
        free(child);
        free(child_rel);
    }
    closedir(d);
    free(st.watched_lens);
    free(st.watched_by_len);
    free(dir);
}

static enum severity severity_of_status(enum entry_status status)
{
    switch (status) {
    case STATUS_CORRUPT:
        return SEV_ERROR;
    case STATUS_LISTED_TWICE:
        return SEV_INFO;
    default:
        return SEV_WARNING;
    }
}

static void report_entry_problems(struct scan *scan, const struct cp_entry *e)
{
    if (e->status != STATUS_OK)
        scan_add_problem(scan, severity_of_status(e->status), e->path, e->problem);
    else if (e->problem) /* readable, but its manifest was not */
        scan_add_problem(scan, SEV_WARNING, e->path, e->problem);
    if (e->bad_entry_names) {
        char *msg = xasprintf("%zu entry name(s) skipped as unsafe (absolute, '..', NUL, invalid "
                              "UTF-8 or too deep)",
                              e->bad_entry_names);
        scan_add_problem(scan, SEV_WARNING, e->path, msg);
        free(msg);
    }
    if (e->duplicate_zip_entries) {
        char *msg = xasprintf("the archive holds %zu class name(s) twice; which copy loads "
                              "depends on the zip implementation",
                              e->duplicate_zip_entries);
        scan_add_problem(scan, SEV_WARNING, e->path, msg);
        free(msg);
    }
}

/*
 * Reading a view in loader order. URLClassPath searches a jar's manifest Class-Path right
 * after the jar, so the order is a depth-first walk: a stack of entries still to read (top
 * = next), onto which each jar pushes its Class-Path items. An entry is "placed" (appended
 * to view->entries, its index final) when popped, so indexes never shift, and every lookup
 * goes through a hash map: the whole walk is linear in the number of entries and items.
 */

/* A slot of the stack of entries still to read. */
struct pending {
    struct cp_entry entry; /* moved out when placed, or when a Class-Path moves it up */
    int closes;            /* >= 0: no entry; the end of that placed entry's Class-Path items */
    bool gone;             /* moved up to a newer slot: nothing to read here */
};

/* Where a path of the view is: placed (its index), pending (a stack slot) or in the batch
 * of Class-Path items being built. */
enum where { AT_PLACED = 0, AT_PENDING = 1, AT_BATCH = 2 };
#define WHERE_BITS 2
#define WHERE_MASK 3u

struct view_reader {
    struct scan *scan;
    struct cp_view *view;
    struct pending *stack;
    size_t n_stack, stack_cap;
    size_t live;          /* pending entries that are not gone: they count against the cap */
    struct strmap *paths; /* path -> (position << WHERE_BITS) | where */
    struct strmap *reals; /* real path -> first placed entry with it */
    bool *open;           /* placed entries whose Class-Path items are still being read */
    size_t *chain_root;   /* the entry at the top of each placed entry's Class-Path chain */
    size_t placed_cap;
    struct cp_entry *batch; /* the Class-Path items of one jar, in order */
    size_t n_batch, batch_cap;
    size_t dropped; /* Class-Path items not followed: the view was full */
};

static size_t where_value(size_t pos, enum where w)
{
    return (pos << WHERE_BITS) | (size_t)w;
}

static void push_pending(struct view_reader *r, struct cp_entry *e, int closes)
{
    r->stack = xgrow(r->stack, &r->stack_cap, r->n_stack + 1, sizeof(*r->stack));
    struct pending *p = &r->stack[r->n_stack];
    memset(p, 0, sizeof(*p));
    p->closes = closes;
    if (e) {
        p->entry = *e;
        r->live++;
        strmap_set(r->paths, e->path, where_value(r->n_stack, AT_PENDING));
    }
    r->n_stack++;
}

/* Move a pending entry to view->entries; returns its index. */
static size_t place(struct view_reader *r, struct cp_entry *e)
{
    struct cp_view *view = r->view;
    view->entries =
        xgrow(view->entries, &view->entries_cap, view->n_entries + 1, sizeof(*view->entries));
    size_t idx = view->n_entries++;
    view->entries[idx] = *e;
    size_t cap = r->placed_cap;
    r->open = xgrow(r->open, &cap, idx + 1, sizeof(*r->open));
    cap = r->placed_cap;
    r->chain_root = xgrow(r->chain_root, &cap, idx + 1, sizeof(*r->chain_root));
    r->placed_cap = cap;
    r->open[idx] = false;
    int via = view->entries[idx].via;
    r->chain_root[idx] = via < 0 ? idx : r->chain_root[via];
    size_t where;
    /* the first placed entry of a path is the one the loader opened */
    if (!strmap_get(r->paths, e->path, &where) || (where & WHERE_MASK) != AT_PLACED)
        strmap_set(r->paths, e->path, where_value(idx, AT_PLACED));
    return idx;
}

static void batch_add(struct view_reader *r, const struct cp_entry *e)
{
    r->batch = xgrow(r->batch, &r->batch_cap, r->n_batch + 1, sizeof(*r->batch));
    r->batch[r->n_batch] = *e;
    strmap_set(r->paths, e->path, where_value(r->n_batch, AT_BATCH));
    r->n_batch++;
}

/* A Class-Path item naming no entry of the view yet: a new entry, as the loader opens it. */
static void batch_new_item(struct view_reader *r, size_t idx, const char *path, const char *item)
{
    struct cp_view *view = r->view;
    size_t len = strlen(path);
    bool dir = len && path[len - 1] == '/';
    struct cp_entry e = {0};
    e.path = xstrdup(path);
    e.kind = dir ? ENTRY_DIR : ENTRY_JAR;
    e.duplicate_of = -1;
    e.order_group = view_new_group(view);
    e.order_defined = true;
    e.listed_as = xstrdup(item);
    e.origin = xasprintf("Class-Path of %s", view->entries[idx].path);
    e.via = (int)idx;
    char resolved[PATH_MAX];
    e.real_path = xstrdup(realpath(path, resolved) ? resolved : path);
    /* The loader treats a URL ending in '/' as a directory and anything else as a
     * jar, whatever the file system holds. */
    struct stat st;
    if (stat(path, &st) != 0) {
        e.status = STATUS_MISSING;
        e.problem =
            xasprintf("named by the Class-Path of %s but not there", view->entries[idx].path);
    }
    batch_add(r, &e);
}

/* Queue the manifest Class-Path items of placed entry idx right after it, where the JVM's
 * URLClassPath searches them. A path the loader already opened is skipped as the JVM
 * does (a reference back up the chain is a loop and is reported); one listed further on
 * moves up here. Another path to the same file becomes a listed-twice entry when read. */
static void expand_class_path(struct view_reader *r, size_t idx, const char *class_path)
{
    struct cp_view *view = r->view;
    char **items;
    size_t n = manifest_class_path_items(class_path, &items);
    char *base = path_dirname(view->entries[idx].path);
    r->n_batch = 0;
    r->open[idx] = true; /* a jar naming itself is a loop too */
    for (size_t i = 0; i < n; i++) {
        char *joined = items[i][0] == '/' ? xstrdup(items[i]) : path_join(base, items[i]);
        char *path = path_normalize(joined);
        free(joined);
        size_t where;
        if (!strmap_get(r->paths, path, &where)) {
            if (view->n_entries + r->live + r->n_batch < READER_MAX_VIEW_ENTRIES)
                batch_new_item(r, idx, path, items[i]);
            else
                r->dropped++;
        } else if ((where & WHERE_MASK) == AT_PENDING) {
            /* Listed later too: the loader opens it here, and skips the later listing. */
            struct pending *p = &r->stack[where >> WHERE_BITS];
            p->gone = true;
            r->live--;
            p->entry.order_group = view_new_group(view);
            p->entry.order_defined = true;
            batch_add(r, &p->entry);
        } else if ((where & WHERE_MASK) == AT_PLACED) {
            size_t q = where >> WHERE_BITS;
            /* placed and still open, within this entry's Class-Path chain: a loop */
            if (r->open[q] && q >= r->chain_root[idx]) {
                char *msg = xasprintf("Class-Path of %s refers back to %s (a loop); the loader "
                                      "skips it",
                                      view->entries[idx].path, view->entries[q].path);
                scan_add_problem(r->scan, SEV_INFO, view->entries[idx].path, msg);
                free(msg);
            }
        }
        /* AT_BATCH: named twice by this Class-Path; the loader skips the second */
        free(path);
        free(items[i]);
    }
    free(items);
    free(base);
    push_pending(r, NULL, (int)idx);
    for (size_t i = r->n_batch; i-- > 0;)
        push_pending(r, &r->batch[i], -1);
    r->n_batch = 0;
}

static void read_entry(struct view_reader *r, size_t i, struct outer_cache *cache,
                       const char *const *watched, size_t n_watched)
{
    struct cp_view *view = r->view;
    struct cp_entry *e = &view->entries[i];
    size_t first;
    if (strmap_get(r->reals, e->real_path, &first)) {
        e->status = STATUS_LISTED_TWICE;
        e->duplicate_of = (int)first;
        free(e->problem);
        e->problem = xasprintf("the same file as entry %zu (%s); read once", first,
                               view->entries[first].path);
        return;
    }
    strmap_add(r->reals, e->real_path, i);
    if (e->status != STATUS_OK)
        return;
    switch (e->kind) {
    case ENTRY_JAR: {
        char *class_path = read_jar_file(view, i, watched, n_watched);
        if (class_path && view->follow_class_path)
            expand_class_path(r, i, class_path);
        free(class_path);
        break;
    }
    case ENTRY_DIR:
        read_dir_tree(view, i, e->path, "", 0, watched, n_watched);
        break;
    case ENTRY_NESTED_JAR:
    case ENTRY_ARCHIVE_DIR:
        read_nested(view, i, cache, watched, n_watched);
        break;
    }
}

/* Keep the first READER_MAX_VIEW_ENTRIES entries that discovery listed; say so. */
static void cap_listed_entries(struct scan *scan, struct cp_view *view)
{
    size_t listed = view->n_entries;
    if (listed <= READER_MAX_VIEW_ENTRIES)
        return;
    while (view->n_entries > READER_MAX_VIEW_ENTRIES)
        view_remove_entry(view, view->n_entries - 1);
    char *msg = xasprintf("the classpath lists %zu entries; only the first %u are read (the limit "
                          "of entries per view)",
                          listed, READER_MAX_VIEW_ENTRIES);
    scan_add_problem(scan, SEV_WARNING, view->target, msg);
    free(msg);
}

static void read_view(struct scan *scan, struct cp_view *view, const char *const *watched,
                      size_t n_watched)
{
    cap_listed_entries(scan, view);
    view->index = class_index_new(INDEX_INITIAL_CLASSES);
    struct view_reader r = {
        .scan = scan, .view = view, .paths = strmap_new(), .reals = strmap_new()};
    /* discovery's entries, first on top */
    for (size_t i = view->n_entries; i-- > 0;)
        push_pending(&r, &view->entries[i], -1);
    view->n_entries = 0;
    struct outer_cache cache = {0};
    while (r.n_stack > 0) {
        struct pending p = r.stack[--r.n_stack];
        if (p.closes >= 0) {
            r.open[p.closes] = false;
            continue;
        }
        if (p.gone)
            continue;
        r.live--;
        size_t idx = place(&r, &p.entry);
        read_entry(&r, idx, &cache, watched, n_watched);
    }
    outer_close(&cache);
    if (r.dropped) {
        char *msg = xasprintf("%zu Class-Path item(s) not followed: the view reached the limit of "
                              "%u entries",
                              r.dropped, READER_MAX_VIEW_ENTRIES);
        scan_add_problem(scan, SEV_WARNING, view->target, msg);
        free(msg);
    }
    free(r.stack);
    free(r.batch);
    free(r.open);
    free(r.chain_root);
    strmap_free(r.paths);
    strmap_free(r.reals);
    for (size_t i = 0; i < view->n_entries; i++)
        report_entry_problems(scan, &view->entries[i]);
}

void reader_read_scan(struct scan *scan, const char *const *watched, size_t n_watched)
{
    for (size_t v = 0; v < scan->n_views; v++)
        read_view(scan, &scan->views[v], watched, n_watched);
}
