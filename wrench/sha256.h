/*
 * sha256.h - SHA-256 (FIPS 180-4), for the digests of jars in the SBOM
 * (sbom.c): the one hash that Dependency-Track and the CycloneDX tools match
 * on. Small and incremental, so a jar is hashed while it is read.
 */
#ifndef WRENCH_SHA256_H
#define WRENCH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

struct sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[64];
    size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
void sha256_final(struct sha256 *ctx, unsigned char digest[SHA256_DIGEST_SIZE]);
/* The digest of data[0..len) as lower-case hex in hex (SHA256_HEX_SIZE bytes). */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_SIZE]);
/* The digest in ctx, finalised, as lower-case hex. */
void sha256_final_hex(struct sha256 *ctx, char hex[SHA256_HEX_SIZE]);

#endif
