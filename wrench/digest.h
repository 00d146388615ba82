/*
 * digest.h - the SHA-256 of every jar a scan read: the file's bytes, or a
 * nested jar's bytes inside its archive. Asked for by the SBOM (sbom.c), where
 * a digest is what Dependency-Track and scanners match on; a plain scan does
 * not pay for it.
 */
#ifndef WRENCH_DIGEST_H
#define WRENCH_DIGEST_H

#include "model.h"

/* Fill cp_entry.sha256 of every readable jar (ENTRY_JAR, ENTRY_NESTED_JAR) of every view.
 * A file on several views (Tomcat's common loader under each webapp) is hashed once. A jar
 * that cannot be read again keeps "" and a problem naming it is added to the scan. */
void digest_scan(struct scan *scan);

#endif
