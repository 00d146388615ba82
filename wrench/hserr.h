/*
 * hserr.h - what a JVM that died of a fatal error left: the banner it prints
 * on its output and the hs_err_pid<pid>.log it writes (openjdk vmError.cpp):
 * the signal or internal error, the problematic frame, the JRE and VM
 * versions, a native out-of-memory ("There is insufficient memory for the Java
 * Runtime Environment to continue", "Native memory allocation (mmap) failed
 * ...", "pthread_create failed (EPERM)"), where the error report was saved,
 * and the command line.
 */
#ifndef WRENCH_HSERR_H
#define WRENCH_HSERR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "messages.h"

#define HSERR_READ_MAX (256 * 1024) /* bytes of an hs_err file read: the facts are at the top */

struct hs_err {
    char *error;        /* "SIGSEGV (0xb) at pc=0x..., pid=1, tid=16", "Internal Error (...)" */
    char *signal;       /* "SIGSEGV"; NULL for an internal error or an OOM */
    int pid;            /* the JVM's pid (in its namespace); 0 unknown */
    char *frame;        /* "V  [libjvm.so+0xab7c31]  PhaseIdealLoop::...+0x171" */
    char *jre_version;  /* "OpenJDK Runtime Environment (11.0.7+10) (build 11.0.7+10)" */
    char *java_vm;      /* "OpenJDK 64-Bit Server VM (11.0.7+10, mixed mode, ...)" */
    bool native_oom;    /* "There is insufficient memory for the Java Runtime Environment" */
    char *oom_detail;   /* "Native memory allocation (mmap) failed to map 262144 bytes ..." */
    char *report_path;  /* "An error report file ... is saved as:" the next line */
    char *command_line; /* "Command Line: ..." of the hs_err file */
};

/* Parse a banner or an hs_err file. Returns 0 with *out set (hserr_free) when the text
 * holds a fatal error or native OOM banner, -1 otherwise. */
int hserr_parse(const char *text, size_t len, struct hs_err **out);
void hserr_free(struct hs_err *e);

/* True when `line` starts the banner ("# A fatal error has been detected by the Java
 * Runtime Environment:" or "# There is insufficient memory for the Java Runtime...")
 * or a native thread OOM without the banner. */
bool hserr_is_start(const char *line, size_t len);

/* "SIGSEGV at V [libjvm.so+0x...] Unsafe_PutLong+0x124 (JRE 17.0.2+8)": one line. New. */
char *hserr_summary(const struct hs_err *e);
/* The same in `lang` (messages.h): the JVM's words (error, signal, frame) as they are. */
char *hserr_summary_lang(const struct hs_err *e, enum lang lang);

/* The report's facts for a terminal, one a line after `indent`, in `lang`; the JVM's words
 * escaped (safetext.h): an hs_err file is untrusted text. */
void hserr_write_text(const struct hs_err *e, FILE *out, const char *indent, enum lang lang);
json_t *hserr_json(const struct hs_err *e);

#endif
