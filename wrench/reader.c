/*
 * reader.c - reads the entries of each classpath view (see reader.h). A jar's
 * central directory is walked once; its classes are collected first and only
 * committed to the index when the whole directory was valid, because the JVM
 * cannot open a jar whose central directory is broken and so loads none of it.
 *
 * Reading a jar (collect_*: its directory, identity, class names and watched
 * resources, into a struct archive_read) touches nothing of the view, so it may
 * run on another thread and ahead of time (the read-ahead below); applying a read
 * (apply_archive: status, identity, budget, index) happens on the reading thread
 * in loader order, which keeps the scan the same with one thread or two.
 */
#include "reader.h"

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "artifact.h"
#include "budget.h"
#include "classindex.h"
#include "classpath.h"
#include "jar.h"
#include "manifest.h"
#include "messages.h"
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
#define INDEX_CLASSES_PER_ENTRY 256
#define PREFETCH_AHEAD 8             /* names ahead whose index slot is loaded early */
#define INDEX_MAX_PRESIZE (1u << 20) /* 16 MiB of slots and records, mapped lazily */

/* The watched resource names, bucketed by length once per scan: most entries are classes
 * whose length no watched name has, so the check costs one table look-up. */
#define WATCH_FILTER_BITS 4096
struct watch_set {
    const char *const *names;
    size_t n;
    size_t *by_len;                          /* indexes into names, sorted by name length */
    size_t len_first[256], len_count[256];   /* the run of by_len for each length */
    uint64_t filter[WATCH_FILTER_BITS / 64]; /* watch_key's bit of each name of 8+ bytes */
};

/* A class of an archive, as its central directory lists it. */
struct found_class {
    uint32_t name; /* offset into the read's names (NUL-terminated there), without ".class" */
    uint32_t len;
    uint32_t hash; /* class_index_hash of the name */
    uint32_t crc;
    uint64_t size;
    bool versioned; /* from META-INF/versions/N/ */
};

/*
 * What reading one archive yields, before any of it touches the view: reading is done on
 * any thread, in any order (collect_archive), and applied to the view in loader order on
 * the reading thread (apply_archive), so that one thread or two give the same scan.
 */
struct archive_read {
    enum entry_status status; /* STATUS_OK, or why the archive could not be read */
    char *problem;            /* with a status; or a manifest that could not be read */
    bool walked;              /* the central directory was walked (hits are valid) */
    bool identified;          /* manifest and poms were read (identity is valid) */
    char *names;              /* the classes' names, each NUL-terminated (in a name_arena) */
    struct found_class *classes;
    size_t n_classes, classes_cap;
    size_t n_versioned; /* of the classes, those under META-INF/versions/ */
    size_t zip_entries, bad_names;
    uint16_t *hits; /* watched names found, as indexes into the watch set, in order */
    size_t n_hits, hits_cap;
    struct artifact artifact;
    struct artifact *embedded;
    size_t n_embedded, embedded_cap;
    bool multi_release;
    char *main_class, *class_path;
    uint64_t budget_peak; /* the most budget the read held at once (jar.h) */
    bool budget_refused;
};

/* A class while the directory is walked: its name still points into the directory. */
/* Room for the classes of a directory walk at first: most jars hold fewer, so the list
 * rarely grows (from xgrow's 8 it was reallocated seven times for a jar of 500). */
#define PENDING_CLASSES_FIRST 512

struct pending_class {
    const char *name;
    size_t len;
    uint32_t crc;
    uint64_t size;
    bool versioned;
};

/*
 * Where the names of the classes read live: large blocks, one chain per reading thread, each
 * mapped with transparent huge pages where allowed (filling 7 MB of names 4 KiB page by page
 * cost a page fault each), handed to the view's index when the view is read.
 */
#define NAME_CHUNK_BYTES (2u << 20)

struct name_arena {
    char *chunk; /* the block names are carved from now */
    size_t used, size;
    struct name_chunk {
        void *at;
        size_t size;
    } * chunks;
    size_t n_chunks, chunks_cap;
};

static char *arena_take(struct name_arena *a, size_t bytes)
{
    if (!a->chunk || a->size - a->used < bytes) {
        size_t size = bytes > NAME_CHUNK_BYTES ? bytes : NAME_CHUNK_BYTES;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return xmalloc(SIZE_MAX); /* out of memory, said the usual way */
#ifdef MADV_HUGEPAGE
        madvise(p, size, MADV_HUGEPAGE);
#endif
        a->chunks = xgrow(a->chunks, &a->chunks_cap, a->n_chunks + 1, sizeof(*a->chunks));
        a->chunks[a->n_chunks++] = (struct name_chunk){p, size};
        a->chunk = p;
        a->used = 0;
        a->size = size;
    }
    char *at = a->chunk + a->used;
    a->used += bytes;
    return at;
}

/* The index keeps the names: its records point into them. */
static void arena_hand_over(struct name_arena *a, struct class_index *index)
{
    for (size_t i = 0; i < a->n_chunks; i++)
        class_index_adopt_mapped(index, a->chunks[i].at, a->chunks[i].size);
    free(a->chunks);
    memset(a, 0, sizeof(*a));
}

/* What one walk over an archive's central directory collects. */
struct walk_state {
    struct archive_read *out;
    const char *prefix; /* ARCHIVE_DIR: only names under it, with it stripped */
    size_t prefix_len;
    const struct watch_set *watch;
    struct name_arena *arena;
    struct pending_class *classes;
    size_t n_classes, classes_cap;
    struct zipdir_entry manifest;
    bool has_manifest;
    struct zipdir_entry poms[MAX_POMS];
    size_t n_poms;
};

/* A ".." part: what name_is_hostile refuses besides the rest. */
static bool has_dot_dot_part(const char *name, size_t len)
{
    /* a dot is rare in a name (".class" holds the only one), so memchr finds them fast */
    for (const char *p = name, *end = name + len; (p = memchr(p, '.', (size_t)(end - p))); p++) {
        size_t i = (size_t)(p - name);
        if (i + 1 < len && name[i + 1] == '.' && (i == 0 || name[i - 1] == '/') &&
            (i + 2 == len || name[i + 2] == '/'))
            return true;
    }
    return false;
}

#ifdef __SSE2__
#define CHUNK 16
/* Whether name[i, i + CHUNK) holds a NUL or a byte >= 0x80 (`odd`), and which bytes are
 * dots (`dots`, a bit per byte, the first byte lowest). Every x86-64 CPU has SSE2. */
static void chunk_marks(const char *p, uint64_t *odd, uint64_t *dots)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    *odd = (uint64_t)(_mm_movemask_epi8(v) |
                      _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
    *dots = (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
}
#else
#define CHUNK 8
#define ONES 0x0101010101010101ull
#define LOWS 0x7f7f7f7f7f7f7f7full
#define HIGHS 0x8080808080808080ull

/* The high bit of each byte of w that is zero (exactly: no false alarm). */
static uint64_t zero_bytes(uint64_t w)
{
    return ~(((w & LOWS) + LOWS) | w) & HIGHS;
}

static void chunk_marks(const char *p, uint64_t *odd, uint64_t *dots)
{
    uint64_t w;
    memcpy(&w, p, 8);
    *odd = (w | zero_bytes(w)) & HIGHS; /* a high bit: a byte >= 0x80, or a NUL */
    /* the bit of each dot moved down to its byte's lowest, so that neighbours are 8 apart */
    *dots = zero_bytes(w ^ (ONES * '.')) >> 7;
}
#endif
#define CHUNK_NEIGHBOUR (CHUNK == 16 ? 1 : 8) /* bits between two neighbouring bytes' marks */

static bool name_is_hostile(const char *name, size_t len)
{
    if (len == 0 || name[0] == '/')
        return true;
    /* Nearly every name is ASCII without NUL (so UTF-8) and has no two dots in a row (so no
     * ".." part): one pass, a chunk at a time, says so; the rest is checked in full. Chunks
     * overlap by a byte, so every pair of neighbours lies in one, and the last one ends at
     * the name's end. */
    uint64_t odd = 0, pairs = 0;
    size_t i = 0;
    if (len >= CHUNK) {
        for (;; i += CHUNK - 1) {
            if (len - i < CHUNK)
                i = len - CHUNK;
            uint64_t o, dots;
            chunk_marks(name + i, &o, &dots);
            odd |= o;
            pairs |= dots & (dots >> CHUNK_NEIGHBOUR);
            if (i + CHUNK == len)
                break;
        }
        i = len;
    }
    bool plain = odd == 0, dot_pair = pairs != 0;
    for (; i < len; i++) { /* a name shorter than a chunk */
        unsigned char c = (unsigned char)name[i];
        plain &= c != 0 && c < 0x80;
        dot_pair |= c == '.' && i > 0 && name[i - 1] == '.';
    }
    if (!plain)
        return !utf8_valid(name, len) || has_dot_dot_part(name, len);
    return dot_pair && has_dot_dot_part(name, len);
}

/* META-INF/...: a length and two loads (str_has_prefix's strlen and strncmp, then a memcmp
 * call, showed in the profile: this runs for every class entry). */
static bool in_meta_inf(const char *name, size_t len)
{
    static const char prefix[] = "META-INF/";
    uint64_t a, b;
    if (len < sizeof(prefix) - 1)
        return false;
    memcpy(&a, name, 8);
    memcpy(&b, prefix, 8);
    return a == b && name[8] == '/';
}

/* Whether a name ends in ".class": two loads, where memcmp was a call for every entry. */
static bool ends_in_class(const char *name, size_t len)
{
    static const char suffix[] = ".class";
    uint32_t a, b;
    uint16_t c, d;
    if (len <= sizeof(suffix) - 1)
        return false;
    memcpy(&a, name + len - 6, 4);
    memcpy(&b, suffix, 4);
    memcpy(&c, name + len - 2, 2);
    memcpy(&d, suffix + 4, 2);
    return a == b && c == d;
}

static bool is_info_class(const char *name, size_t len)
{
    /* both end in "-info": one look at that byte turns nearly every class away */
    if (len < sizeof("module-info") - 1 || name[len - 5] != '-')
        return false;
    static const char *const skipped[] = {"module-info", "package-info"};
    static const size_t lens[] = {sizeof("module-info") - 1, sizeof("package-info") - 1};
    for (size_t i = 0; i < 2; i++) {
        size_t n = lens[i];
        if (len >= n && memcmp(name + len - n, skipped[i], n) == 0 &&
            (len == n || name[len - n - 1] == '/'))
            return true;
    }
    return false;
}

/* A name of eight bytes or more, by its length and its first and last eight bytes: what
 * tells nearly every entry from every watched name in a few instructions (nine entries in ten
 * have the length of some watched name). */
static unsigned watch_key(const char *name, size_t len)
{
    uint64_t a, b;
    memcpy(&a, name, 8);
    memcpy(&b, name + len - 8, 8);
    uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ len) * 0xbf58476d1ce4e5b9ull;
    return (unsigned)(h >> 52); /* 12 bits: WATCH_FILTER_BITS */
}

/* False when name[0, len) is surely no watched name; true when it may be one. */
static bool may_be_watched(const struct watch_set *ws, const char *name, size_t len)
{
    if (len >= 256 || !ws->len_count[len])
        return false;
    if (len < 8)
        return true;
    unsigned k = watch_key(name, len);
    return ws->filter[k / 64] >> (k % 64) & 1;
}

static void watch_set_init(struct watch_set *ws, const char *const *names, size_t n)
{
    memset(ws, 0, sizeof(*ws));
    ws->names = names;
    ws->n = n;
    ws->by_len = xcalloc(n ? n : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len < 256)
            ws->len_count[len]++;
        if (len >= 8 && len < 256) {
            unsigned k = watch_key(names[i], len);
            ws->filter[k / 64] |= UINT64_C(1) << (k % 64);
        }
    }
    size_t pos = 0;
    for (size_t len = 0; len < 256; len++) {
        ws->len_first[len] = pos;
        for (size_t i = 0; i < n && ws->len_count[len]; i++)
            if (strlen(names[i]) == len)
                ws->by_len[pos++] = i;
    }
}

static void watch_set_clear(struct watch_set *ws)
{
    free(ws->by_len);
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

/* Call found for each watched name equal to name[0, len), with its index in the set. */
static void find_watched(const struct watch_set *ws, const char *name, size_t len,
                         void (*found)(size_t i, void *ud), void *ud)
{
    if (len >= 256)
        return; /* no watched name is that long */
    for (size_t k = 0; k < ws->len_count[len]; k++) {
        size_t i = ws->by_len[ws->len_first[len] + k];
        if (memcmp(ws->names[i], name, len) == 0)
            found(i, ud);
    }
}

static void note_hit(size_t i, void *ud)
{
    struct archive_read *out = ud;
    out->hits = xgrow(out->hits, &out->hits_cap, out->n_hits + 1, sizeof(*out->hits));
    out->hits[out->n_hits++] = (uint16_t)i;
}

struct dir_hit {
    struct cp_view *view;
    const struct watch_set *watch;
    size_t entry;
};

static void add_dir_hit(size_t i, void *ud)
{
    struct dir_hit *d = ud;
    add_resource_hit(d->view, d->watch->names[i], d->entry);
}

static void push_class(struct walk_state *st, const char *name, size_t len,
                       const struct zipdir_entry *ze, bool versioned)
{
    if (st->n_classes == st->classes_cap)
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
    if (len <= plen || !in_meta_inf(name, len) || memcmp(name, VERSIONS_PREFIX, plen) != 0)
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
    st->out->zip_entries++;
    if (len && name[len - 1] == '/')
        return 0; /* a directory record */
    if (name_is_hostile(name, len)) {
        st->out->bad_names++;
        return 0;
    }
    if (may_be_watched(st->watch, name, len))
        find_watched(st->watch, name, len, note_hit, st->out);
    static const size_t class_len = 6; /* ".class" */
    if (ends_in_class(name, len)) {
        size_t stem = len - class_len;
        size_t off = st->prefix ? 0 : versioned_offset(name, stem);
        if (off && !is_info_class(name + off, stem - off))
            push_class(st, name + off, stem - off, ze, true);
        else if (!off && !in_meta_inf(name, len) && !is_info_class(name, stem))
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

/* Copy the names of the classes found out of the directory (which is freed with the jar)
 * into the thread's name arena, and hash them there. */
static void keep_classes(struct walk_state *st)
{
    struct archive_read *out = st->out;
    size_t bytes = 0;
    for (size_t i = 0; i < st->n_classes; i++)
        bytes += st->classes[i].len + 1;
    if (bytes > UINT32_MAX) /* a directory is at most JAR_MAX_CD_BYTES */
        return;
    out->names = arena_take(st->arena, bytes ? bytes : 1);
    out->classes =
        xmalloc((st->n_classes ? st->n_classes : 1) * sizeof(*out->classes)); /* all set below */
    out->n_classes = out->classes_cap = st->n_classes;
    size_t at = 0;
    for (size_t i = 0; i < st->n_classes; i++) {
        const struct pending_class *pc = &st->classes[i];
        memcpy(out->names + at, pc->name, pc->len);
        out->names[at + pc->len] = '\0';
        out->classes[i] = (struct found_class){
            (uint32_t)at, (uint32_t)pc->len, class_index_hash(pc->name, pc->len),
            pc->crc,      pc->size,          pc->versioned};
        out->n_versioned += pc->versioned;
        at += pc->len + 1;
    }
}

static void set_status(struct cp_entry *e, enum entry_status status, const char *problem)
{
    e->status = status;
    free(e->problem);
    e->problem = xstrdup(problem);
}

static void read_fail(struct archive_read *out, enum entry_status status, const char *problem)
{
    out->status = status;
    free(out->problem);
    out->problem = xstrdup(problem);
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

/* The manifest and the pom.properties files, read ahead together when they lie close. */
static void read_identity_ahead(struct jar *jar, const struct walk_state *st)
{
    struct zipdir_entry wanted[MAX_POMS + 1];
    size_t n = 0;
    if (st->has_manifest)
        wanted[n++] = st->manifest;
    for (size_t i = 0; i < st->n_poms; i++)
        wanted[n++] = st->poms[i];
    jar_read_ahead(jar, wanted, n);
}

/* Read manifest and pom.properties and decide the identity. */
static void identify_jar(struct jar *jar, struct walk_state *st, const char *filename)
{
    struct archive_read *out = st->out;
    char err[WR_ERR_MAX];
    struct manifest mf = {0};
    bool have_mf = false;
    unsigned char *text;
    size_t len;
    read_identity_ahead(jar, st);
    if (st->has_manifest) {
        if (jar_read_entry(jar, &st->manifest, JAR_MAX_SMALL_ENTRY, &text, &len, err) == JAR_OK) {
            manifest_parse(&mf, (const char *)text, len);
            have_mf = true;
            free(text);
        } else {
            out->problem = xstrdup(err);
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
    artifact_identify(poms, n_poms, have_mf ? &mf : NULL, filename, &out->artifact, &out->embedded,
                      &out->n_embedded, &out->embedded_cap);
    for (size_t i = 0; i < n_poms; i++)
        artifact_clear(&poms[i].artifact);
    free(poms);
    out->identified = true;
    out->multi_release = have_mf && mf.multi_release;
    if (have_mf && mf.main_class)
        out->main_class = xstrdup(mf.main_class);
    if (have_mf && mf.class_path)
        out->class_path = xstrdup(mf.class_path);
    manifest_clear(&mf);
}

/* Walk an open archive into `out`. `prefix` non-NULL reads a folder of it (an ARCHIVE_DIR);
 * otherwise it is a jar whose identity is read too. Touches nothing but `out`. */
static void collect_archive(struct jar *jar, const char *prefix, const char *filename,
                            const struct watch_set *watch, struct name_arena *arena,
                            struct archive_read *out)
{
    struct walk_state st = {.out = out,
                            .classes =
                                xmalloc(PENDING_CLASSES_FIRST * sizeof(struct pending_class)),
                            .classes_cap = PENDING_CLASSES_FIRST,
                            .prefix = prefix,
                            .prefix_len = prefix ? strlen(prefix) : 0,
                            .watch = watch,
                            .arena = arena};
    char err[WR_ERR_MAX];
    out->walked = true;
    if (jar_walk(jar, visit_entry, &st, err) != 0) {
        read_fail(out, STATUS_CORRUPT, err);
    } else {
        if (!prefix)
            identify_jar(jar, &st, filename);
        keep_classes(&st);
    }
    free(st.classes);
}

/* Open the jar file at `path` and collect it; the budget it took is recorded in `out`. */
static void collect_jar_file(const char *path, const struct watch_set *watch,
                             struct name_arena *arena, struct archive_read *out)
{
    jar_budget_track_begin();
    struct jar *jar;
    char err[WR_ERR_MAX];
    int rc = jar_open_file(&jar, path, err);
    if (rc != JAR_OK) {
        read_fail(out, status_of_jar_error(rc), err);
    } else {
        collect_archive(jar, NULL, path_basename(path), watch, arena, out);
        jar_free(jar);
    }
    jar_budget_track_end(&out->budget_peak, &out->budget_refused);
}

static void archive_read_clear(struct archive_read *r)
{
    free(r->problem);
    free(r->classes);
    free(r->hits);
    artifact_clear(&r->artifact);
    for (size_t i = 0; i < r->n_embedded; i++)
        artifact_clear(&r->embedded[i]);
    free(r->embedded);
    free(r->main_class);
    free(r->class_path);
    memset(r, 0, sizeof(*r));
}

/* The class index is the scan's largest structure: each entry's classes are taken from
 * the memory budget (budget.h) before they are added, and kept until the scan ends. */
static uint64_t classes_bytes(const struct archive_read *r)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < r->n_classes; i++)
        bytes += r->classes[i].len + 1 + sizeof(struct class_record) + 2 * sizeof(uint64_t);
    return bytes;
}

static void refuse_classes(struct cp_entry *e, const struct archive_read *r, uint64_t bytes)
{
    char need[32], max[32];
    budget_format(bytes, need, sizeof need);
    budget_format(budget_max(), max, sizeof max);
    char *msg = xasprintf("its %zu classes not indexed: they (%s) would take wrench past its "
                          "memory budget of %s (--max-memory)",
                          r->n_classes, need, max);
    set_status(e, STATUS_TOO_LARGE, msg);
    free(msg);
}

/* Commit the collected classes. Versioned copies overlay base ones in a multi-release jar, so
 * they only add classes the base lacks; in any other jar the loader ignores them. */
static void commit_classes(struct cp_view *view, size_t idx, struct archive_read *r)
{
    struct cp_entry *e = &view->entries[idx];
    class_index_reserve(view->index, r->n_classes);
    /* the versioned pass only when there is something for it to add */
    int passes = r->n_versioned && r->multi_release ? 2 : 1;
    for (int pass = 0; pass < passes; pass++) {
        for (size_t i = 0; i < r->n_classes; i++) {
            if (i + PREFETCH_AHEAD < r->n_classes)
                class_index_prefetch(view->index, r->classes[i + PREFETCH_AHEAD].hash);
            const struct found_class *fc = &r->classes[i];
            if (fc->versioned != (pass == 1))
                continue;
            const char *name = r->names + fc->name;
            if (fc->versioned && !r->multi_release)
                continue;
            if (fc->versioned) {
                const struct class_record *rec =
                    class_index_find_n(view->index, name, fc->len, fc->hash);
                bool have = false;
                for (uint32_t k = 0; rec && k < rec->n_copies && !have; k++)
                    have = class_record_copy(rec, k)->entry == (uint32_t)idx;
                if (have)
                    continue;
            }
            struct class_copy copy = {
                (uint32_t)idx, fc->crc,
                fc->size < CLASS_COPY_MAX_SIZE ? fc->size : CLASS_COPY_MAX_SIZE, 1};
            if (class_index_add_kept(view->index, name, fc->len, fc->hash, &copy))
                e->class_count++;
            else if (!fc->versioned)
                e->duplicate_zip_entries++;
        }
    }
}

/* Apply a read to entry idx, in loader order: its status, the watched names it holds, its
 * identity and its classes. Returns its Class-Path (the caller frees it), or NULL. The
 * classes are charged to the budget here; charge_ok false means they did not fit. */
static char *apply_archive(struct cp_view *view, size_t idx, const struct watch_set *watch,
                           struct archive_read *r, bool charge_ok, uint64_t bytes)
{
    struct cp_entry *e = &view->entries[idx];
    for (size_t i = 0; i < r->n_hits; i++)
        add_resource_hit(view, watch->names[r->hits[i]], idx);
    if (r->status != STATUS_OK) {
        set_status(e, r->status, r->problem);
        return NULL;
    }
    if (!r->walked)
        return NULL;
    if (r->problem) { /* readable, but its manifest was not */
        free(e->problem);
        e->problem = r->problem;
        r->problem = NULL;
    }
    if (r->identified) {
        artifact_clear(&e->artifact);
        e->artifact = r->artifact;
        memset(&r->artifact, 0, sizeof(r->artifact));
        e->embedded = r->embedded;
        e->n_embedded = r->n_embedded;
        e->embedded_cap = r->embedded_cap;
        r->embedded = NULL;
        r->n_embedded = r->embedded_cap = 0;
        e->multi_release = r->multi_release;
        e->main_class = r->main_class;
        r->main_class = NULL;
    }
    char *class_path = r->class_path;
    r->class_path = NULL;
    if (!charge_ok) {
        refuse_classes(e, r, bytes);
        return class_path;
    }
    commit_classes(view, idx, r);
    e->entry_count = r->zip_entries;
    e->bad_entry_names = r->bad_names;
    return class_path;
}

/* Outer archives stay open across consecutive nested entries of one Boot jar or war. */
struct outer_cache {
    char *path;
    struct jar *jar;
    int rc;
    char err[WR_ERR_MAX];
};

static struct jar *outer_open(struct outer_cache *cache, const char *path)
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

/* ---- reading jars ahead on other threads ----
 *
 * The plain jar files discovery listed are read (collect_jar_file) by worker threads in
 * listed order while the reading thread applies reads in loader order; it takes a jar
 * that no worker has started itself, and helps with later ones while it waits. Reads never
 * touch the view, so the order they ran in cannot show.
 *
 * The memory budget is the one thing two threads could see differently: a read on another
 * thread may have been refused (or have fitted) only because of what was held at the time.
 * So a read done while workers run is used only when it fitted with room to spare as the
 * budget stands when it is applied (its peak on top of everything held then); otherwise the
 * workers are paused and the jar is read again, as one thread would have read it. A charge
 * of the reading thread that fails while workers run is retried with them paused. */

/* Fewer jars are read on one thread. A second thread costs CPU (its start, the hand-overs,
 * and two vCPUs that slow each other) and pays back in wall time only on a long classpath:
 * on the bench's jars, 100 jars took 9.7 ms on one thread and 11.5 ms on two (CPU 8.9 ->
 * 9.5 ms), 200 jars 17.6 -> 16.3 ms (CPU +19%), 300 jars 23.3 -> 20.6 ms (CPU +26%). */
#define PREFETCH_MIN_JARS 160
/* Reads held ahead of the one applied, at most: what they hold (names, classes) is taken
 * from the budget only when applied, so it must stay small. */
#define READ_AHEAD_MAX 32

enum item_state { ITEM_WAITING, ITEM_TAKEN, ITEM_DONE };

struct prefetch_item {
    const char *path; /* borrowed from the entry discovery listed */
    enum item_state state;
    bool exact; /* read with no other thread running: no budget check needed */
    struct archive_read read;
};

struct prefetch_worker {
    struct prefetch *pf;
    struct name_arena arena; /* the names this worker read */
};

struct prefetch {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* an item is done, or a worker stopped */
    pthread_cond_t resume;
    struct prefetch_item *items;
    size_t n_items, next; /* the next item to take, in listed order */
    size_t window_end;    /* items from here on wait: the reading thread is too far behind */
    struct strmap *by_path;
    const struct watch_set *watch;
    pthread_t threads[READER_MAX_THREADS];
    struct prefetch_worker workers[READER_MAX_THREADS];
    unsigned n_threads;
    unsigned busy; /* workers reading now */
    bool paused, stop;
};

static unsigned configured_threads; /* 0: as many as the CPUs allow, at most two */

void reader_set_threads(unsigned n)
{
    configured_threads = n > READER_MAX_THREADS ? READER_MAX_THREADS : n;
}

/* CPUs this process may use: its affinity mask, and its cgroup's cpu.max quota (cgroup v2,
 * as a container sees it: "max 100000" or "150000 100000", one CPU then). */
static unsigned cpus_available(void)
{
    unsigned n = 1;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        n = (unsigned)CPU_COUNT(&set);
    else
        n = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    char *self = read_text_capped("/proc/self/cgroup", 4096);
    char *rel = self ? strstr(self, "0::") : NULL;
    char path[PATH_MAX] = "/sys/fs/cgroup/cpu.max";
    if (rel) {
        rel += 3;
        rel[strcspn(rel, "\n")] = '\0';
        snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cpu.max", strcmp(rel, "/") ? rel : "");
    }
    free(self);
    char *max = read_text_capped(path, 4096);
    if (!max)
        max = read_text_capped("/sys/fs/cgroup/cpu.max", 4096);
    unsigned long long quota, period;
    bool limited = max && sscanf(max, "%llu %llu", &quota, &period) == 2;
    free(max);
    if (!limited) { /* cgroup v1: cpu.cfs_quota_us is -1 without a quota */
        char *q = read_text_capped("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", 4096);
        char *p = read_text_capped("/sys/fs/cgroup/cpu/cpu.cfs_period_us", 4096);
        limited = q && p && q[0] != '-' && sscanf(q, "%llu", &quota) == 1 &&
                  sscanf(p, "%llu", &period) == 1;
        free(q);
        free(p);
    }
    if (limited && period > 0) {
        unsigned long long cpus = quota / period;
        if (cpus < n)
            n = cpus ? (unsigned)cpus : 1;
    }
    return n ? n : 1;
}

/* The threads asked for (the environment, else reader_set_threads); 0 when none was. */
static unsigned threads_asked(void)
{
    const char *env = getenv("WRENCH_CP_THREADS");
    unsigned n = configured_threads;
    if (env && *env) {
        char *end;
        unsigned long v = strtoul(env, &end, 10);
        if (*end == '\0' && v >= 1)
            n = v > READER_MAX_THREADS ? READER_MAX_THREADS : (unsigned)v;
    }
    return n;
}

unsigned reader_threads(void)
{
    unsigned n = threads_asked();
    if (n == 0) {
        n = cpus_available();
        if (n > READER_MAX_THREADS)
            n = READER_MAX_THREADS;
    }
    return n;
}

/* Read item i on this thread (the lock is held on entry and exit). */
static void prefetch_read(struct prefetch *pf, size_t i, struct name_arena *arena, bool worker)
{
    struct prefetch_item *it = &pf->items[i];
    it->state = ITEM_TAKEN;
    bool alone = !worker && (pf->paused || pf->n_threads == 0) && pf->busy == 0;
    if (worker)
        pf->busy++;
    pthread_mutex_unlock(&pf->lock);
    collect_jar_file(it->path, pf->watch, arena, &it->read);
    pthread_mutex_lock(&pf->lock);
    it->exact = alone;
    it->state = ITEM_DONE;
    if (worker)
        pf->busy--;
    pthread_cond_broadcast(&pf->changed);
}

/* The next item no thread has taken, or n_items. */
static size_t prefetch_next_waiting(struct prefetch *pf)
{
    while (pf->next < pf->n_items && pf->items[pf->next].state != ITEM_WAITING)
        pf->next++;
    return pf->next;
}

static void *prefetch_worker(void *arg)
{
    struct prefetch_worker *w = arg;
    struct prefetch *pf = w->pf;
    pthread_mutex_lock(&pf->lock);
    for (;;) {
        size_t i = prefetch_next_waiting(pf);
        if (pf->stop || i == pf->n_items)
            break;
        if (pf->paused || i >= pf->window_end) {
            pthread_cond_wait(&pf->resume, &pf->lock);
            continue;
        }
        prefetch_read(pf, i, &w->arena, true);
    }
    pthread_mutex_unlock(&pf->lock);
    return NULL;
}

/* Workers stop taking jars; returns once none is reading. */
static void prefetch_pause(struct prefetch *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->lock);
    pf->paused = true;
    while (pf->busy > 0)
        pthread_cond_wait(&pf->changed, &pf->lock);
    pthread_mutex_unlock(&pf->lock);
}

static void prefetch_resume(struct prefetch *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->lock);
    pf->paused = false;
    pthread_cond_broadcast(&pf->resume);
    pthread_mutex_unlock(&pf->lock);
}

/* Whether other threads may be taking budget now. */
static bool prefetch_running(const struct prefetch *pf)
{
    return pf && pf->n_threads > 0 && !pf->paused;
}

/* The read of the jar at `path`, when it is one of the items: done by a worker, or now by
 * this thread; NULL otherwise. *exact says whether it ran with no other thread reading. */
static struct archive_read *prefetch_take(struct prefetch *pf, const char *path,
                                          struct name_arena *arena, bool *exact)
{
    size_t i;
    if (!pf || !strmap_get(pf->by_path, path, &i) || i >= pf->n_items)
        return NULL;
    pthread_mutex_lock(&pf->lock);
    /* The window moves on by half its length at a time: a worker waiting at its end is
     * woken once for READ_AHEAD_MAX / 2 jars, not once for each (every wake-up costs a
     * system call and an interrupt to the other CPU, ~10 us on a VM). */
    if (i + 1 + READ_AHEAD_MAX / 2 > pf->window_end) {
        pf->window_end = i + 1 + READ_AHEAD_MAX;
        pthread_cond_broadcast(&pf->resume);
    }
    while (pf->items[i].state != ITEM_DONE) {
        if (pf->items[i].state == ITEM_WAITING) {
            prefetch_read(pf, i, arena, false);
        } else if (!pf->paused && prefetch_next_waiting(pf) < pf->n_items &&
                   pf->next < pf->window_end) {
            prefetch_read(pf, pf->next, arena, false); /* help while a worker reads this one */
        } else {
            pthread_cond_wait(&pf->changed, &pf->lock);
        }
    }
    pthread_mutex_unlock(&pf->lock);
    strmap_set(pf->by_path, path, pf->n_items); /* used once: a second entry reads again */
    *exact = pf->items[i].exact;
    return &pf->items[i].read;
}

static struct prefetch *prefetch_start(const struct cp_entry *entries, size_t n,
                                       const struct watch_set *watch)
{
    unsigned threads = reader_threads();
    if (threads < 2)
        return NULL;
    struct prefetch *pf = xcalloc(1, sizeof(*pf));
    pf->by_path = strmap_new();
    pf->items = xcalloc(n ? n : 1, sizeof(*pf->items));
    /* one item per file: a second path to it (a symbolic link) is listed twice, not read */
    struct strmap *reals = strmap_new();
    for (size_t i = 0; i < n; i++) {
        const struct cp_entry *e = &entries[i];
        if (e->kind == ENTRY_JAR && e->status == STATUS_OK &&
            strmap_add(reals, e->real_path ? e->real_path : e->path, i) &&
            strmap_add(pf->by_path, e->path, pf->n_items))
            pf->items[pf->n_items++].path = e->path;
    }
    strmap_free(reals);
    /* a few jars are not worth a thread, unless threads were asked for (tests do) */
    if (pf->n_items < (threads_asked() ? 2 : PREFETCH_MIN_JARS)) {
        strmap_free(pf->by_path);
        free(pf->items);
        free(pf);
        return NULL;
    }
    pf->watch = watch;
    pf->window_end = READ_AHEAD_MAX;
    pthread_mutex_init(&pf->lock, NULL);
    pthread_cond_init(&pf->changed, NULL);
    pthread_cond_init(&pf->resume, NULL);
    /* The reading thread reads too: threads - 1 workers. */
    for (unsigned t = 0; t + 1 < threads; t++) {
        struct prefetch_worker *w = &pf->workers[pf->n_threads];
        w->pf = pf;
        if (pthread_create(&pf->threads[pf->n_threads], NULL, prefetch_worker, w) == 0)
            pf->n_threads++;
    }
    return pf;
}

/* Stop the workers; the index keeps the names they read. */
static void prefetch_finish(struct prefetch *pf, struct class_index *index)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->lock);
    pf->stop = true;
    pthread_cond_broadcast(&pf->resume);
    pthread_mutex_unlock(&pf->lock);
    for (unsigned t = 0; t < pf->n_threads; t++) {
        pthread_join(pf->threads[t], NULL);
        arena_hand_over(&pf->workers[t].arena, index);
    }
    for (size_t i = 0; i < pf->n_items; i++)
        archive_read_clear(&pf->items[i].read);
    free(pf->items);
    strmap_free(pf->by_path);
    pthread_mutex_destroy(&pf->lock);
    pthread_cond_destroy(&pf->changed);
    pthread_cond_destroy(&pf->resume);
    free(pf);
}

/* Whether a read done next to other threads is the one a single thread would have done now:
 * no charge was refused, and its peak fits on top of what is held. */
static bool read_fits_now(const struct archive_read *r)
{
    uint64_t used = budget_used(), max = budget_max();
    return !r->budget_refused && r->budget_peak <= max && used <= max - r->budget_peak;
}

/* Take the classes' bytes from the budget; a refusal while workers hold some of it is
 * retried with them paused (*paused then true). */
static bool charge_classes(struct prefetch *pf, uint64_t bytes, bool *paused)
{
    if (budget_take(bytes))
        return true;
    if (!prefetch_running(pf))
        return false;
    prefetch_pause(pf);
    *paused = true;
    return budget_take(bytes);
}

static char *read_jar_file(struct cp_view *view, size_t idx, const struct watch_set *watch,
                           struct prefetch *pf, struct name_arena *arena)
{
    struct cp_entry *e = &view->entries[idx];
    struct archive_read own = {0};
    bool exact = !prefetch_running(pf);
    struct archive_read *r = prefetch_take(pf, e->path, arena, &exact);
    bool paused = false;
    if (r && !exact && !read_fits_now(r)) {
        prefetch_pause(pf);
        paused = true;
        if (!read_fits_now(r)) {
            archive_read_clear(r);
            collect_jar_file(e->path, watch, arena, r);
        }
    }
    if (!r) {
        r = &own;
        collect_jar_file(e->path, watch, arena, r);
        if (!exact && r->budget_refused) { /* maybe only because a worker held the rest */
            prefetch_pause(pf);
            paused = true;
            archive_read_clear(r);
            collect_jar_file(e->path, watch, arena, r);
        }
    }
    bool readable = r->status == STATUS_OK && r->walked;
    uint64_t bytes = readable ? classes_bytes(r) : 0;
    bool charged = !readable || charge_classes(pf, bytes, &paused);
    char *class_path = apply_archive(view, idx, watch, r, charged, bytes);
    archive_read_clear(r);
    if (paused)
        prefetch_resume(pf);
    return class_path;
}

/* An archive already open (a nested jar, a folder of one): read and applied at once, with
 * the workers paused, so that its charges are the ones a single thread takes. */
static void read_open_archive(struct cp_view *view, size_t idx, struct jar *jar, const char *prefix,
                              const char *filename, const struct watch_set *watch,
                              struct name_arena *arena)
{
    struct archive_read r = {0};
    collect_archive(jar, prefix, filename, watch, arena, &r);
    bool readable = r.status == STATUS_OK && r.walked;
    uint64_t bytes = readable ? classes_bytes(&r) : 0;
    bool charged = !readable || budget_take(bytes);
    /* Nested loaders (Spring Boot, Tomcat) do not follow Class-Path. */
    free(apply_archive(view, idx, watch, &r, charged, bytes));
    archive_read_clear(&r);
}

static void read_nested(struct cp_view *view, size_t idx, struct outer_cache *cache,
                        const struct watch_set *watch, struct name_arena *arena)
{
    struct cp_entry *e = &view->entries[idx];
    struct jar *outer = outer_open(cache, e->archive);
    if (!outer) {
        set_status(e, status_of_jar_error(cache->rc), cache->err);
        return;
    }
    if (e->kind == ENTRY_ARCHIVE_DIR) {
        read_open_archive(view, idx, outer, e->inner, NULL, watch, arena);
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
    read_open_archive(view, idx, jar, NULL, path_basename(e->inner), watch, arena);
    jar_free(jar);
}

/* Directory class roots: a stack-free recursion bounded by depth; symbolic links to
 * directories are not followed, so a link loop cannot trap the walk. */
static void read_dir_tree(struct cp_view *view, size_t idx, const char *root, const char *rel,
                          int depth, const struct watch_set *watch)
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
    struct dir_hit hit = {view, watch, idx};
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child_rel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        char *child = path_join(root, child_rel);
        struct stat lst, st_buf;
        if (lstat(child, &lst) == 0 && S_ISDIR(lst.st_mode)) {
            if (depth < MAX_DIR_DEPTH)
                read_dir_tree(view, idx, root, child_rel, depth + 1, watch);
            else
                e->bad_entry_names++;
        } else if (stat(child, &st_buf) == 0 && S_ISREG(st_buf.st_mode)) {
            e->entry_count++;
            size_t len = strlen(child_rel);
            find_watched(watch, child_rel, len, add_dir_hit, &hit);
            if (str_has_suffix(child_rel, ".class") && !str_has_prefix(child_rel, "META-INF/") &&
                !is_info_class(child_rel, len - 6) && utf8_valid(child_rel, len)) {
                struct class_copy copy = {(uint32_t)idx, 0, (uint64_t)st_buf.st_size, 0};
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

/* A problem wrench words itself (messages.h), in both languages. */
static void add_problem_msg(struct scan *scan, enum severity sev, const char *path, enum msg_id id,
                            const struct msg_arg *args)
{
    char *en = msg_render(id, LANG_EN, args), *zh = msg_render(id, LANG_ZH, args);
    scan_add_problem_zh(scan, sev, path, en, zh);
    free(en);
    free(zh);
}

/* An entry's problem in Chinese: what the status means, then the error as the reader had it
 * (jar.c's, libzip's, the system's: quoted, without the path the problem names already). */
static char *entry_problem_zh(const struct cp_view *view, const struct cp_entry *e)
{
    const char *detail = e->problem ? e->problem : "";
    size_t len = strlen(e->path);
    if (strncmp(detail, e->path, len) == 0 && strncmp(detail + len, ": ", 2) == 0)
        detail += len + 2;
    bool via = e->via >= 0 && (size_t)e->via < view->n_entries;
    switch (e->status) {
    case STATUS_MISSING:
        if (via)
            return msg_text(MSG_PROBLEM_MISSING_CLASS_PATH, LANG_ZH,
                            MSG_S("jar", view->entries[e->via].path));
        return msg_text(MSG_PROBLEM_MISSING, LANG_ZH, MSG_END);
    case STATUS_LISTED_TWICE:
        if (e->duplicate_of < 0 || (size_t)e->duplicate_of >= view->n_entries)
            return NULL;
        return msg_text(MSG_PROBLEM_LISTED_TWICE, LANG_ZH, MSG_N("n", e->duplicate_of),
                        MSG_S("path", view->entries[e->duplicate_of].path));
    case STATUS_UNREADABLE:
        return msg_text(MSG_PROBLEM_UNREADABLE, LANG_ZH, MSG_S("detail", detail));
    case STATUS_CORRUPT:
        return msg_text(MSG_PROBLEM_CORRUPT, LANG_ZH, MSG_S("detail", detail));
    case STATUS_TOO_LARGE:
        return msg_text(MSG_PROBLEM_TOO_LARGE, LANG_ZH, MSG_S("detail", detail));
    case STATUS_OK:
        return msg_text(MSG_PROBLEM_PARTLY, LANG_ZH, MSG_S("detail", detail));
    }
    return NULL;
}

static void report_entry_problems(struct scan *scan, const struct cp_view *view,
                                  const struct cp_entry *e)
{
    if (e->status != STATUS_OK || e->problem) { /* an OK one: its manifest was not readable */
        char *zh = entry_problem_zh(view, e);
        scan_add_problem_zh(scan,
                            e->status != STATUS_OK ? severity_of_status(e->status) : SEV_WARNING,
                            e->path, e->problem, zh);
        free(zh);
    }
    if (e->bad_entry_names)
        add_problem_msg(scan, SEV_WARNING, e->path, MSG_PROBLEM_BAD_NAMES,
                        MSG_ARGS(MSG_N("n", e->bad_entry_names)));
    if (e->duplicate_zip_entries)
        add_problem_msg(scan, SEV_WARNING, e->path, MSG_PROBLEM_DUPLICATE_ZIP_ENTRIES,
                        MSG_ARGS(MSG_N("n", e->duplicate_zip_entries)));
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
    const struct watch_set *watch;
    struct prefetch *prefetch; /* NULL: one thread */
    struct name_arena arena;   /* the names this thread read */
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
                add_problem_msg(r->scan, SEV_INFO, view->entries[idx].path,
                                MSG_PROBLEM_CLASS_PATH_LOOP,
                                MSG_ARGS(MSG_S("jar", view->entries[idx].path),
                                         MSG_S("to", view->entries[q].path)));
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

static void read_entry(struct view_reader *r, size_t i, struct outer_cache *cache)
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
        char *class_path = read_jar_file(view, i, r->watch, r->prefetch, &r->arena);
        if (class_path && view->follow_class_path)
            expand_class_path(r, i, class_path);
        free(class_path);
        break;
    }
    case ENTRY_DIR:
        read_dir_tree(view, i, e->path, "", 0, r->watch);
        break;
    case ENTRY_NESTED_JAR:
    case ENTRY_ARCHIVE_DIR: {
        /* the outer archive and the nested jar take budget: alone, as one thread would */
        bool pause = prefetch_running(r->prefetch);
        if (pause)
            prefetch_pause(r->prefetch);
        read_nested(view, i, cache, r->watch, &r->arena);
        if (pause)
            prefetch_resume(r->prefetch);
        break;
    }
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
    add_problem_msg(scan, SEV_WARNING, view->target, MSG_PROBLEM_VIEW_CAP,
                    MSG_ARGS(MSG_N("n", listed), MSG_N("max", READER_MAX_VIEW_ENTRIES)));
}

static void read_view(struct scan *scan, struct cp_view *view, const struct watch_set *watch)
{
    cap_listed_entries(scan, view);
    /* Sized once for a few hundred classes per listed entry: a large classpath then grows
     * its table once or not at all, instead of doubling and rehashing seven times. */
    size_t expected = view->n_entries * INDEX_CLASSES_PER_ENTRY;
    if (expected > INDEX_MAX_PRESIZE)
        expected = INDEX_MAX_PRESIZE;
    view->index =
        class_index_new(expected > INDEX_INITIAL_CLASSES ? expected : INDEX_INITIAL_CLASSES);
    struct view_reader r = {
        .scan = scan, .view = view, .paths = strmap_new(), .reals = strmap_new(), .watch = watch};
    /* discovery's entries, first on top */
    for (size_t i = view->n_entries; i-- > 0;)
        push_pending(&r, &view->entries[i], -1);
    r.prefetch = prefetch_start(view->entries, view->n_entries, watch);
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
        read_entry(&r, idx, &cache);
    }
    prefetch_finish(r.prefetch, view->index);
    arena_hand_over(&r.arena, view->index);
    outer_close(&cache);
    if (r.dropped) {
        add_problem_msg(scan, SEV_WARNING, view->target, MSG_PROBLEM_CLASS_PATH_DROPPED,
                        MSG_ARGS(MSG_N("n", r.dropped), MSG_N("max", READER_MAX_VIEW_ENTRIES)));
    }
    free(r.stack);
    free(r.batch);
    free(r.open);
    free(r.chain_root);
    strmap_free(r.paths);
    strmap_free(r.reals);
    for (size_t i = 0; i < view->n_entries; i++)
        report_entry_problems(scan, view, &view->entries[i]);
}

void reader_read_scan(struct scan *scan, const char *const *watched, size_t n_watched)
{
    struct watch_set watch;
    watch_set_init(&watch, watched, n_watched);
    for (size_t v = 0; v < scan->n_views; v++)
        read_view(scan, &scan->views[v], &watch);
    watch_set_clear(&watch);
}
