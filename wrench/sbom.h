/*
 * sbom.h - the runtime classpath as a CycloneDX 1.5 SBOM: one component per
 * jar that a scanned class loader reads (with its Maven purl when the identity
 * is known, its SHA-256, its path as evidence, its load position in each
 * view, and the libraries shaded into it as sub-components). The platform
 * feeds it to Dependency-Track and answers "which pods load log4j-core 2.14".
 * Only renders: the digests come from digest_scan().
 */
#ifndef WRENCH_SBOM_H
#define WRENCH_SBOM_H

#include <jansson.h>

#include "model.h"

/* The BOM of `scan` (new reference). Its serial number is random, as the spec asks. */
json_t *sbom_build(const struct scan *scan);

/* "pkg:maven/GROUP/NAME@VERSION" with each part percent-encoded as the purl spec asks; NULL
 * when the group, the name or the version is unknown. New string. */
char *sbom_maven_purl(const struct artifact *a);

#endif
