/*
 * artifact.h - who a jar is: groupId, artifactId and version, found offline
 * from pom.properties, the manifest, or the file name, with the evidence kept.
 */
#ifndef WRENCH_ARTIFACT_H
#define WRENCH_ARTIFACT_H

#include <stddef.h>

#include "manifest.h"
#include "model.h"

/* Split a jar file name (with or without directory, ".jar"/".war" any case)
 * into artifact name and version, Maven style: "guava-31.1-jre.jar" -> guava,
 * 31.1-jre; "log4j-1.2-api-2.17.1.jar" -> log4j-1.2-api, 2.17.1;
 * "commons-lang3.jar" -> commons-lang3, no version. *name and *version are
 * new strings (version NULL when none; name never NULL, "" for an empty file
 * name; `filename` NULL counts as ""). The rule is documented in artifact.c. */
void artifact_parse_filename(const char *filename, char **name, char **version);

/* Parse a pom.properties text (Java properties syntax; a NUL byte ends it):
 * fills group, name (artifactId), version with new strings (NULL when absent
 * or empty) and sets evidence to EVIDENCE_POM; source is left alone. The
 * fields are overwritten, not freed: pass a cleared struct. Returns 0 when
 * artifactId was present, -1 otherwise (nothing set). */
int artifact_parse_pom_properties(const char *text, size_t len, struct artifact *out);

/* One pom.properties found in a jar, with the path it was read from. */
struct pom_found {
    struct artifact artifact; /* evidence EVIDENCE_POM, source = the entry path */
};

/*
 * Decide a jar's identity. `poms` are the pom.properties the jar holds
 * (may be 0), `mf` its manifest (may be NULL), `filename` its file name.
 * When several poms are present, the one whose artifactId matches the file
 * name is the jar itself and the others are embedded (shaded) artifacts; a
 * single pom is the jar itself. Without a matching pom, every pom is embedded
 * and the jar is named by its manifest (version from Bundle-Version or
 * Implementation-Version, name from the file name, group from
 * Implementation-Vendor-Id), then by the file name alone; evidence
 * EVIDENCE_NONE when there is nothing at all. The rules are detailed in
 * artifact.c. *self is overwritten (not freed) with new strings; embedded
 * ones are appended to *embedded, *n_embedded and *embedded_cap (copies).
 */
void artifact_identify(const struct pom_found *poms, size_t n_poms, const struct manifest *mf,
                       const char *filename, struct artifact *self, struct artifact **embedded,
                       size_t *n_embedded, size_t *embedded_cap);

/* "group:name" when the group is known, else "name"; new string, NULL when no name. */
char *artifact_key(const struct artifact *a);

#endif
