/*
 * sbom.c - CycloneDX 1.5 JSON of a scan's classpaths (see sbom.h). The field
 * names and shapes follow the CycloneDX 1.5 JSON schema (bom-1.5.schema.json):
 * components of type "library", hashes {alg: "SHA-256", content},
 * evidence.occurrences[].location, properties {name, value}; wrench's own
 * facts are properties named "wrench:...".
 */
#include "sbom.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_json.h"
#include "util.h"

struct strbuf_purl {
    char *text;
    size_t len, cap;
};

static void purl_push(struct strbuf_purl *out, char c)
{
    out->text = xgrow(out->text, &out->cap, out->len + 2, 1);
    out->text[out->len++] = c;
    out->text[out->len] = '\0';
}

/* purl: every character but ALPHA / DIGIT / "." / "-" / "_" / "~" is percent-encoded. */
static void purl_append(struct strbuf_purl *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_' || *p == '~') {
            purl_push(out, (char)*p);
        } else {
            purl_push(out, '%');
            purl_push(out, hex[*p >> 4]);
            purl_push(out, hex[*p & 15]);
        }
    }
}

char *sbom_maven_purl(const struct artifact *a)
{
    if (!a->group || !*a->group || !a->name || !*a->name || !a->version || !*a->version)
        return NULL;
    struct strbuf_purl out = {0};
    for (const char *p = "pkg:maven/"; *p; p++)
        purl_push(&out, *p);
    purl_append(&out, a->group);
    purl_push(&out, '/');
    purl_append(&out, a->name);
    purl_push(&out, '@');
    purl_append(&out, a->version);
    return out.text;
}

static json_t *property(const char *name, const char *value)
{
    return json_pack("{s:o, s:o}", "name", report_json_text(name), "value",
                     report_json_text(value));
}

/* The identity fields of a component: group, name, version, purl. */
static void set_identity(json_t *c, const struct artifact *a, const char *fallback_name)
{
    if (a->group)
        json_object_set_new(c, "group", report_json_text(a->group));
    json_object_set_new(c, "name", report_json_text(a->name ? a->name : fallback_name));
    if (a->version)
        json_object_set_new(c, "version", report_json_text(a->version));
    char *purl = sbom_maven_purl(a);
    if (purl)
        json_object_set_new(c, "purl", json_string(purl));
    free(purl);
}

static json_t *shaded_component(const struct artifact *a)
{
    json_t *c = json_pack("{s:s}", "type", "library");
    set_identity(c, a, "unknown");
    json_t *props = json_array();
    json_array_append_new(props, property("wrench:shaded", "true"));
    if (a->source)
        json_array_append_new(props, property("wrench:identity-source", a->source));
    json_object_set_new(c, "properties", props);
    return c;
}

static json_t *jar_component(const struct cp_entry *e)
{
    json_t *c = json_pack("{s:s}", "type", "library");
    char *short_name = cp_entry_short_name(e);
    set_identity(c, &e->artifact, short_name);
    free(short_name);
    if (e->sha256[0])
        json_object_set_new(c, "hashes",
                            json_pack("[{s:s, s:s}]", "alg", "SHA-256", "content", e->sha256));
    json_object_set_new(
        c, "evidence",
        json_pack("{s:[{s:o}]}", "occurrences", "location", report_json_text(e->path)));
    json_t *props = json_array();
    json_array_append_new(props,
                          property("wrench:identity-from", evidence_name(e->artifact.evidence)));
    json_array_append_new(props, property("wrench:kind", entry_kind_name(e->kind)));
    json_object_set_new(c, "properties", props);
    if (e->n_embedded) {
        json_t *inner = json_array();
        for (size_t k = 0; k < e->n_embedded; k++)
            json_array_append_new(inner, shaded_component(&e->embedded[k]));
        json_object_set_new(c, "components", inner);
    }
    return c;
}

static bool in_bom(const struct cp_entry *e)
{
    return (e->kind == ENTRY_JAR || e->kind == ENTRY_NESTED_JAR) &&
           (e->status == STATUS_OK || e->status == STATUS_TOO_LARGE);
}

/* The key under which one file is one component, whatever the views that load it. */
static char *component_key(const struct cp_entry *e)
{
    if (e->kind == ENTRY_NESTED_JAR)
        return xasprintf("%s!/%s", e->archive, e->inner);
    return xstrdup(e->real_path ? e->real_path : e->path);
}

/* One jar as one view loads it. A file that several views load (Tomcat's common loader
 * under each webapp) is one component with a load position per view. */
struct occurrence {
    char *key;  /* the file, or archive + entry of a nested jar */
    size_t seq; /* order of first appearance over all views */
    size_t view;
    size_t position; /* 1-based among the view's jars */
    const struct cp_entry *entry;
};

static int compare_by_key(const void *a, const void *b)
{
    const struct occurrence *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

struct group {
    size_t seq; /* its first occurrence */
    json_t *component;
};

static int compare_by_seq(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* "wrench:load-order:view-N" = position; metadata names view N ("wrench:view-N"). View names
 * need not be unique (two --classpath targets), their numbers are. */
static void add_load_order(json_t *component, const struct occurrence *o)
{
    char *name = xasprintf("wrench:load-order:view-%zu", o->view);
    char order[32];
    snprintf(order, sizeof(order), "%zu%s", o->position, o->entry->order_defined ? "" : "?");
    json_array_append_new(json_object_get(component, "properties"), property(name, order));
    free(name);
}

/* The jars of all views, one component per file, in order of first appearance: sorted by
 * file to group them (n log n), then back into appearance order. */
static json_t *components_of(const struct scan *scan, json_t *depends_on)
{
    size_t total = 0, n = 0;
    for (size_t v = 0; v < scan->n_views; v++)
        total += scan->views[v].n_entries;
    struct occurrence *occ = xcalloc(total + 1, sizeof(*occ));
    for (size_t v = 0; v < scan->n_views; v++) {
        size_t position = 0;
        for (size_t i = 0; i < scan->views[v].n_entries; i++) {
            const struct cp_entry *e = &scan->views[v].entries[i];
            if (!in_bom(e))
                continue;
            occ[n] = (struct occurrence){component_key(e), n, v, ++position, e};
            n++;
        }
    }
    qsort(occ, n, sizeof(*occ), compare_by_key);
    struct group *groups = xcalloc(n + 1, sizeof(*groups));
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(occ[i - 1].key, occ[i].key) != 0)
            groups[n_groups++] = (struct group){occ[i].seq, jar_component(occ[i].entry)};
        add_load_order(groups[n_groups - 1].component, &occ[i]);
    }
    qsort(groups, n_groups, sizeof(*groups), compare_by_seq);
    json_t *components = json_array();
    for (size_t g = 0; g < n_groups; g++) {
        char ref[32];
        snprintf(ref, sizeof(ref), "jar-%zu", g + 1);
        json_object_set_new(groups[g].component, "bom-ref", json_string(ref));
        json_array_append_new(components, groups[g].component);
        json_array_append_new(depends_on, json_string(ref));
    }
    for (size_t i = 0; i < n; i++)
        free(occ[i].key);
    free(occ);
    free(groups);
    return components;
}

static void random_uuid(char out[37])
{
    unsigned char b[16] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof(b)) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof(b)) {
        /* No /dev/urandom (a bare chroot): time and pid still make it unique enough. */
        uint64_t t = time_monotonic_ms() ^ ((uint64_t)getpid() << 32);
        memcpy(b, &t, sizeof(t));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static json_t *metadata(const struct scan *scan)
{
    json_t *views = json_array();
    for (size_t v = 0; v < scan->n_views; v++) {
        char name[48];
        snprintf(name, sizeof(name), "wrench:view-%zu", v);
        json_array_append_new(views, property(name, scan->views[v].name));
    }
    json_t *meta =
        json_pack("{s:{s:[{s:s, s:s, s:s}]}, s:{s:s, s:s, s:o}, s:o}", "tools", "components",
                  "type", "application", "name", "wrench", "version", WR_VERSION, "component",
                  "type", "application", "bom-ref", "scanned-service", "name",
                  report_json_text(scan->host ? scan->host : "java-service"), "properties", views);
    if (scan->finished[0])
        json_object_set_new(meta, "timestamp", json_string(scan->finished));
    return meta;
}

json_t *sbom_build(const struct scan *scan)
{
    json_t *depends_on = json_array();
    json_t *components = components_of(scan, depends_on);
    char uuid[37], serial[48];
    random_uuid(uuid);
    snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
    return json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:[{s:s, s:o}]}", "bomFormat", "CycloneDX",
                     "specVersion", "1.5", "serialNumber", serial, "version", 1, "metadata",
                     metadata(scan), "components", components, "dependencies", "ref",
                     "scanned-service", "dependsOn", depends_on);
}
