/*
 * manifest.h - parse a jar's META-INF/MANIFEST.MF: the main section's
 * attributes, with 72-byte continuation lines joined, and the Class-Path list.
 */
#ifndef WRENCH_MANIFEST_H
#define WRENCH_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

struct manifest {
    char *main_class;
    char *class_path; /* raw Class-Path value, continuations joined; NULL when absent */
    bool multi_release;
    char *bundle_symbolic_name; /* without ";singleton:=true" style directives */
    char *bundle_version;
    char *implementation_title;
    char *implementation_version;
    char *implementation_vendor_id;
    char *automatic_module_name;
    char *start_class;                 /* Spring Boot */
    char *spring_boot_classes;         /* e.g. "BOOT-INF/classes/" */
    char *spring_boot_lib;             /* e.g. "BOOT-INF/lib/" */
    char *spring_boot_classpath_index; /* e.g. "BOOT-INF/classpath.idx" */
};

/* Parse `len` bytes of manifest text (CRLF, LF or CR line ends; only the main
 * section, up to the first blank line, is read). Header names match in any
 * case; continuation lines (a leading space) are joined; a leading UTF-8 BOM
 * is skipped and a NUL byte ends the text. Values are trimmed of surrounding
 * blanks and an empty value counts as absent (NULL); a repeated attribute
 * keeps its last value, as in Java. Never fails: unknown or malformed lines
 * (no ": " separator) are skipped. *m is overwritten; release with
 * manifest_clear(). */
void manifest_parse(struct manifest *m, const char *text, size_t len);
void manifest_clear(struct manifest *m);

/* Split a Class-Path value into URLs (separated by runs of blanks) and decode
 * each as a relative URL path: percent-decoding (an invalid escape or "%00" is
 * kept as written), "file:" prefix dropped ("file:/a" and "file:///a" and
 * "file://localhost/a" give "/a"). A directory keeps its trailing '/'. Items
 * that are URLs of other schemes (http:, jar:) or of a remote file: host are
 * skipped. Returns the number of items; *out is a new array of new strings
 * (free each and the array), NULL when there are none. `class_path` may be
 * NULL. */
size_t manifest_class_path_items(const char *class_path, char ***out);

#endif
