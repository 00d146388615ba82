/*
 * artifact.c - work out which library a jar is, offline: from the
 * pom.properties Maven leaves in META-INF/maven/, from MANIFEST.MF, or from
 * the file name, keeping note of which evidence decided.
 */
#include "artifact.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "props.h"
#include "util.h"

#define MANIFEST_SOURCE_PREFIX "MANIFEST.MF "

/* ---- file names ------------------------------------------------------- */

/* Archive extensions stripped from a file name before it is split. */
static const char *const archive_extensions[] = {".jar", ".war"};

/*
 * Words that may follow a version in a Maven file name: qualifiers
 * ("-SNAPSHOT", "-jre", "-Final") and classifiers ("-tests", "-linux-x86_64").
 * Words with a digit need no entry ("alpha1", "x86_64", "jdk8").
 */
static const char *const version_words[] = {
    "alpha",   "beta",    "rc",       "m",       "cr",      "sp",         "ga",
    "final",   "release", "snapshot", "stable",  "preview", "incubating", "jre",
    "android", "jdk",     "tests",    "test",    "sources", "javadoc",    "shaded",
    "all",     "nodeps",  "no_aop",   "uber",    "native",  "natives",    "linux",
    "windows", "osx",     "macos",    "jakarta", "redhat",
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_digit(s[i]))
            return true;
    return false;
}

/* "r06", "v1.2": an old-style version with a letter prefix. The rest must be
 * digits and dots, so that names like "r2dbc" do not qualify. */
static bool is_prefixed_version(const char *s, size_t n)
{
    if (n < 2 || !(s[0] == 'r' || s[0] == 'R' || s[0] == 'v' || s[0] == 'V') || !is_digit(s[1]))
        return false;
    for (size_t i = 2; i < n; i++)
        if (!is_digit(s[i]) && s[i] != '.')
            return false;
    return true;
}

static bool can_start_version(const char *s, size_t n)
{
    return (n && is_digit(s[0])) || is_prefixed_version(s, n);
}

static bool is_version_word(const char *s, size_t n)
{
    if (has_digit(s, n))
        return true;
    for (size_t i = 0; i < sizeof(version_words) / sizeof(version_words[0]); i++)
        if (strlen(version_words[i]) == n && strncasecmp(s, version_words[i], n) == 0)
            return true;
    return false;
}

/* The file name without directories and without a .jar/.war extension;
 * *n is its length. Points into `filename`. */
static const char *filename_stem(const char *filename, size_t *n)
{
    const char *base = path_basename(filename);
    size_t len = strlen(base);
    for (size_t i = 0; i < sizeof(archive_extensions) / sizeof(archive_extensions[0]); i++) {
        if (str_has_suffix_nocase(base, archive_extensions[i])) {
            len -= strlen(archive_extensions[i]);
            break;
        }
    }
    *n = len;
    return base;
}

/*
 * The rule: split the stem on '-'. The version starts at the earliest token
 * i >= 1 that starts with a digit (or is "r06"/"v1.2" style) such that every
 * later token is version-like (has a digit or is a word of version_words, any
 * case). That keeps digits inside names ("log4j-1.2-api-2.17.1") in the name
 * and a whole qualified version ("1.0-20230101.123456-1", "31.1-jre",
 * "4.1.86.Final-linux-x86_64") together. When no token qualifies, the version
 * starts at the last token that starts with a digit
 * ("listenablefuture-9999.0-empty-to-avoid-conflict-with-guava"); when there
 * is none, there is no version. The name before the version must not be
 * empty: "-1.0.jar" is all name.
 */
void artifact_parse_filename(const char *filename, char **name, char **version)
{
    size_t len;
    const char *stem = filename_stem(filename ? filename : "", &len);

    size_t candidate = 0; /* offset of the chosen version token; 0 = none */
    size_t fallback = 0;
    bool tail_ok = true; /* every token after the current one is version-like */
    /* Walk the tokens right to left, so that "all later tokens" is known. */
    size_t end = len;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && stem[start - 1] != '-')
            start--;
        if (start == 0)
            break; /* token 0 is always part of the name */
        const char *tok = stem + start;
        size_t n = end - start;
        if (can_start_version(tok, n) && start > 1) {
            /* start > 1: the name (stem[0 .. start-1)) is not empty */
            if (tail_ok)
                candidate = start;
            if (!fallback && is_digit(tok[0]))
                fallback = start;
        }
        tail_ok = tail_ok && is_version_word(tok, n);
        end = start - 1;
    }
    size_t at = candidate ? candidate : fallback;
    if (!at) {
        *name = xstrndup(stem, len);
        *version = NULL;
        return;
    }
    size_t name_len = at - 1;
    while (name_len > 1 && stem[name_len - 1] == '-')
        name_len--; /* "foo--1.0" */
    *name = xstrndup(stem, name_len);
    *version = xstrndup(stem + at, len - at);
}

/* ---- pom.properties --------------------------------------------------- */

/* A coordinate from pom.properties, trimmed of trailing blanks; NULL when absent or empty
 * (the value is taken, or freed). */
static char *pom_value(char *value)
{
    if (!value)
        return NULL;
    size_t n = strlen(value);
    while (n && strchr(" \t\f\r\n", value[n - 1]))
        value[--n] = '\0';
    if (n)
        return value;
    free(value);
    return NULL;
}

int artifact_parse_pom_properties(const char *text, size_t len, struct artifact *out)
{
    static const char *const keys[] = {"artifactId", "groupId", "version"};
    char *values[3];
    props_get_many(text, len, keys, 3, values);
    char *name = pom_value(values[0]);
    if (!name) {
        free(values[1]);
        free(values[2]);
        return -1;
    }
    out->group = pom_value(values[1]);
    out->name = name;
    out->version = pom_value(values[2]);
    out->evidence = EVIDENCE_POM;
    return 0;
}

/* ---- identity --------------------------------------------------------- */

/* How well a pom's artifactId names the jar file: 0 not at all, 1 the stem
 * starts with "artifactId-", 2 the artifactId is the parsed name or the stem. */
static int pom_match_rank(const struct artifact *pom, const char *stem, size_t stem_len,
                          const char *file_name)
{
    if (!pom->name || !*pom->name)
        return 0;
    size_t n = strlen(pom->name);
    if ((file_name && strcasecmp(pom->name, file_name) == 0) ||
        (n == stem_len && strncasecmp(pom->name, stem, n) == 0))
        return 2;
    if (n < stem_len && strncasecmp(pom->name, stem, n) == 0 && stem[n] == '-')
        return 1;
    return 0;
}

/* Index of the pom that names the jar itself, or -1. Ties go to the longer
 * artifactId ("foo-core" over "foo" for foo-core-1.0.jar), then to the pom
 * whose version is the file name's, then to the first. */
static int pom_find_self(const struct pom_found *poms, size_t n_poms, const char *filename,
                         const char *file_name, const char *file_version)
{
    size_t stem_len;
    const char *stem = filename_stem(filename, &stem_len);
    int best = -1;
    int best_rank = 0;
    size_t best_len = 0;
    bool best_version = false;
    for (size_t i = 0; i < n_poms; i++) {
        const struct artifact *a = &poms[i].artifact;
        int rank = pom_match_rank(a, stem, stem_len, file_name);
        if (!rank)
            continue;
        size_t len = strlen(a->name);
        bool version = file_version && a->version && strcmp(a->version, file_version) == 0;
        bool better = rank > best_rank || (rank == best_rank && len > best_len) ||
                      (rank == best_rank && len == best_len && version && !best_version);
        if (better) {
            best = (int)i;
            best_rank = rank;
            best_len = len;
            best_version = version;
        }
    }
    return best;
}

/*
 * Identity without a pom that names the jar:
 * - The version comes from Implementation-Version, else Bundle-Version
 *   (evidence manifest, source "MANIFEST.MF <attribute>"): it is written by
 *   the build, while a file name can be renamed. Bundle-Version comes second
 *   because OSGi normalises it ("1.2" becomes "1.2.0", "31.1-jre" "31.1.0.jre").
 * - The name is still the file name's when it has one: Bundle-SymbolicName
 *   and Automatic-Module-Name are module names ("com.google.guava"), not
 *   artifactIds, and would not match the same library identified by its pom
 *   elsewhere. Without one: Bundle-SymbolicName, Automatic-Module-Name,
 *   Implementation-Title, in that order.
 * - The group is Implementation-Vendor-Id when present.
 * - A manifest without a version attribute adds nothing: name and version come
 *   from the file name (evidence file-name, source the file name).
 */
static void identify_without_pom(const struct manifest *mf, const char *filename,
                                 const char *file_name, const char *file_version,
                                 struct artifact *self)
{
    const char *mf_version = NULL, *attribute = NULL;
    if (mf && mf->implementation_version) {
        mf_version = mf->implementation_version;
        attribute = "Implementation-Version";
    } else if (mf && mf->bundle_version) {
        mf_version = mf->bundle_version;
        attribute = "Bundle-Version";
    }

    if (mf_version) {
        const char *name = file_name;
        if (!name)
            name = mf->bundle_symbolic_name;
        if (!name)
            name = mf->automatic_module_name;
        if (!name)
            name = mf->implementation_title;
        self->group = mf->implementation_vendor_id ? xstrdup(mf->implementation_vendor_id) : NULL;
        self->name = name ? xstrdup(name) : NULL;
        self->version = xstrdup(mf_version);
        self->evidence = EVIDENCE_MANIFEST;
        self->source = xasprintf(MANIFEST_SOURCE_PREFIX "%s", attribute);
        return;
    }
    if (!file_name)
        return; /* nothing to go on: evidence none */
    self->name = xstrdup(file_name);
    self->version = file_version ? xstrdup(file_version) : NULL;
    self->evidence = EVIDENCE_FILENAME;
    self->source = xstrdup(path_basename(filename));
}

static bool ends_with_word(const char *s, const char *word)
{
    size_t n = strlen(s), m = strlen(word);
    return n >= m && strcasecmp(s + n - m, word) == 0 &&
           (n == m || s[n - m - 1] == '.' || s[n - m - 1] == '-');
}

/* True when the manifest identifies the jar as a library other than the pom's: Debian's
 * guice jar holds only cglib's pom.properties (shaded) but says Bundle-SymbolicName
 * com.google.inject. A renamed application jar whose manifest says nothing, or agrees
 * with its pom, keeps the pom as its identity. */
static bool manifest_names_other(const struct manifest *mf, const struct artifact *pom)
{
    if (!mf || !pom->name)
        return false;
    /* Implementation-Title is often a project's display name; only the bundle and module
     * names reliably describe the jar's own code. */
    const char *names[] = {mf->bundle_symbolic_name, mf->automatic_module_name};
    bool any = false;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!names[i])
            continue;
        any = true;
        if (ends_with_word(names[i], pom->name))
            return false;
    }
    return any;
}

static void append_embedded(const struct artifact *a, struct artifact **embedded,
                            size_t *n_embedded, size_t *embedded_cap)
{
    *embedded = xgrow(*embedded, embedded_cap, *n_embedded + 1, sizeof(**embedded));
    artifact_copy(&(*embedded)[(*n_embedded)++], a);
}

/*
 * Decision rules:
 * 1. One pom: it is the jar itself, even when the file was renamed, unless it does
 *    not match the file name and the manifest names another library
 *    (manifest_names_other): then it is embedded.
 * 2. Several poms: the best match for the file name (pom_find_self) is the jar
 *    itself and the others are embedded (shaded) artifacts; when none matches,
 *    every pom is embedded and the jar is identified as in 3.
 * 3. No pom naming the jar: identify_without_pom (manifest, then file name).
 */
void artifact_identify(const struct pom_found *poms, size_t n_poms, const struct manifest *mf,
                       const char *filename, struct artifact *self, struct artifact **embedded,
                       size_t *n_embedded, size_t *embedded_cap)
{
    if (!filename)
        filename = "";
    memset(self, 0, sizeof(*self));
    char *file_name, *file_version;
    artifact_parse_filename(filename, &file_name, &file_version);
    if (!*file_name) {
        free(file_name);
        file_name = NULL;
    }

    int own = -1;
    if (n_poms > 0)
        own = pom_find_self(poms, n_poms, filename, file_name, file_version);
    if (own < 0 && n_poms == 1 && !manifest_names_other(mf, &poms[0].artifact))
        own = 0;

    if (own >= 0)
        artifact_copy(self, &poms[own].artifact);
    else
        identify_without_pom(mf, filename, file_name, file_version, self);
    for (size_t i = 0; i < n_poms; i++)
        if ((int)i != own)
            append_embedded(&poms[i].artifact, embedded, n_embedded, embedded_cap);

    free(file_name);
    free(file_version);
}

char *artifact_key(const struct artifact *a)
{
    if (!a->name || !*a->name)
        return NULL;
    if (a->group && *a->group)
        return xasprintf("%s:%s", a->group, a->name);
    return xstrdup(a->name);
}
