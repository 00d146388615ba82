/*
 * classpath.h - discovery: turn what the user named into classpath views,
 * one per class loader, listing entries in the loader's search order. It says
 * where classes come from; reader.c reads them.
 *
 * Each function appends one view to the scan and never fails as a whole: a
 * missing or unreadable target becomes an entry with that status, so the
 * report says what was asked for and why it could not be read.
 */
#ifndef WRENCH_CLASSPATH_H
#define WRENCH_CLASSPATH_H

#include "model.h"

/* A Java classpath string (':'-separated), with Java's rules: "dir/" + "*"
 * expands to the directory's .jar/.JAR files (one unordered group), directories
 * are class roots, empty items are ignored. Manifest Class-Path is followed. */
void classpath_add_string(struct scan *scan, const char *cp);

/* An executable jar (Class-Path followed) or a Spring Boot fat jar
 * (BOOT-INF/classes, then BOOT-INF/lib in classpath.idx order). */
void classpath_add_jar(struct scan *scan, const char *path);

/* A war file or an exploded webapp: WEB-INF/classes, then WEB-INF/lib (unordered). */
void classpath_add_war(struct scan *scan, const char *path);

/* A Tomcat webapp (war file or directory) as its class loader sees it: the webapp's own
 * classes and jars first, then the common loader's classpath `common_cp` (may be NULL).
 * `name` names the view ("webapp ROOT"). */
void classpath_add_webapp(struct scan *scan, const char *name, const char *path,
                          const char *common_cp);

/* Spring Boot's PropertiesLauncher: the comma-separated -Dloader.path items (absolute
 * paths: jars, or directories whose jars are added) go in front of the view's entries,
 * since "earlier entries take precedence" over the jar's own BOOT-INF/lib. */
void classpath_add_loader_path(struct cp_view *view, const char *loader_path);

/* A directory of jars, such as Tomcat's lib/ (unordered). */
void classpath_add_dir(struct scan *scan, const char *path);

/* An absolute version of `path` (against the working directory), without
 * resolving symbolic links; new string. */
char *classpath_absolute(const char *path);

#endif
