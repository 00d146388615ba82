/*
 * jvm.h - find the running Java processes through /proc and work out, from
 * their command lines and environments, what the launcher was told: the
 * classpath or jar, the main class, Tomcat's and Spring Boot's directories,
 * the memory flags and the -D properties. The proc root is a parameter so
 * that tests run on fixture trees.
 *
 * Nothing here fails a scan: a process that exits while it is read, an entry
 * another user owns, an argument file that cannot be read or an absurd
 * command line each become a note on the process (or on the list).
 */
#ifndef WRENCH_JVM_H
#define WRENCH_JVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JVM_PROC_ROOT "/proc"
#define JVM_CMDLINE_MAX (1024 * 1024)             /* bytes of /proc/PID/cmdline or environ read */
#define JVM_ARGFILE_MAX (1024 * 1024)             /* bytes of one @argfile read */
#define JVM_ARGS_MAX 65536                        /* arguments kept after expansion */
#define JVM_ARGFILES_TOTAL_MAX (16 * 1024 * 1024) /* bytes of all @argfiles of one process */
#define JVM_PROCS_MAX 4096                        /* Java processes listed */

enum jvm_launcher {
    JVM_LAUNCHER_JAVA, /* the `java` launcher: @argfiles and JDK_JAVA_OPTIONS apply */
    JVM_LAUNCHER_JSVC, /* Apache Commons Daemon: its own options, JNI start */
};
const char *jvm_launcher_name(enum jvm_launcher l);

/* Memory flags, the effective (last) value of each; 0 / false when not given. */
struct jvm_memory {
    uint64_t max_heap;      /* -Xmx, -XX:MaxHeapSize */
    uint64_t initial_heap;  /* -Xms, -XX:InitialHeapSize */
    uint64_t thread_stack;  /* -Xss, -XX:ThreadStackSize (KiB in the flag) */
    uint64_t max_ram;       /* -XX:MaxRAM */
    uint64_t max_metaspace; /* -XX:MaxMetaspaceSize */
    uint64_t max_direct;    /* -XX:MaxDirectMemorySize (0 given means "as the heap") */
    bool has_max_direct;
    bool has_max_ram_percentage;
    double max_ram_percentage; /* -XX:MaxRAMPercentage */
    bool has_min_ram_percentage;
    double min_ram_percentage; /* -XX:MinRAMPercentage */
    int container_support;     /* -XX:+/-UseContainerSupport: 1, 0, or -1 when not given */
};

/* One -D property; the last definition wins, earlier ones are dropped. */
struct jvm_property {
    char *key;
    char *value;  /* "" for a bare -Dkey */
    char *source; /* "command line", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "@file ..." */
};

struct jvm_process {
    int pid;
    char *exe;  /* readlink of /proc/PID/exe; NULL when unreadable */
    char *comm; /* /proc/PID/comm without the newline; NULL when unreadable */
    enum jvm_launcher launcher;
    char **argv; /* /proc/PID/cmdline as it is (@argfiles unexpanded) */
    size_t argc;
    char **args; /* what the launcher acted on: JDK_JAVA_OPTIONS and @argfiles expanded */
    size_t n_args;
    size_t first_app_arg; /* index in args of the first application argument (n_args if none) */
    char *cwd;            /* the process's working directory as it sees it; NULL unknown */
    char *root;           /* "<proc>/PID/root" when the process lives in another mount namespace */
    char *classpath;      /* as given; "." when nothing was given; NULL with -jar or -m */
    char *classpath_source; /* "-cp", "-classpath", "--class-path", "CLASSPATH", "default" */
    char *jar;              /* -jar FILE, as given */
    char *main_class;       /* the main class, NULL with -jar or -m */
    char *module;           /* -m / --module MODULE[/CLASS] */
    char *catalina_base;    /* -Dcatalina.base */
    char *catalina_home;    /* -Dcatalina.home */
    char *loader_path;      /* -Dloader.path (Spring Boot PropertiesLauncher) */
    struct jvm_memory mem;
    struct jvm_property *props;
    size_t n_props;
    size_t props_cap;
    char *jdk_java_options;  /* environment values, NULL when unset or unknown */
    char *java_tool_options; /* read by the JVM itself, lowest precedence */
    char *java_options;      /* _JAVA_OPTIONS: read by the JVM, overrides the command line */
    bool environ_read;       /* false: environ was unreadable, env-derived facts unknown */
    char **notes;            /* what the command line holds that the JVM or launcher would refuse */
    size_t n_notes;
    size_t notes_cap;
    char **notes_zh; /* the same notes in Simplified Chinese, one for each */
    size_t n_notes_zh;
    size_t notes_zh_cap;
};

struct jvm_list {
    struct jvm_process *procs;
    size_t n;
    size_t cap;
    char **notes; /* about the listing itself (unreadable proc root, too many processes) */
    size_t n_notes;
    size_t notes_cap;
    char **notes_zh; /* the same notes in Simplified Chinese, one for each */
    size_t n_notes_zh;
    size_t notes_zh_cap;
};

/* List the Java processes under `proc_root` (NULL: "/proc"): those whose exe
 * basename or comm is "java" or "jsvc", in pid order, each read as by
 * jvm_read_process(). Processes that vanish between listing and reading are
 * skipped silently. Returns 0, or -1 with err set when proc_root itself cannot
 * be opened (then *out is left empty). *out is overwritten; free with
 * jvm_list_free(). */
int jvm_list_processes(const char *proc_root, struct jvm_list *out, char *err);
void jvm_list_free(struct jvm_list *list);

/* Read one process. Returns 0 (possibly with notes on *out), or -1 with err set
 * when the process is gone or its cmdline unreadable (then *out is untouched).
 * Release with jvm_process_clear(). */
int jvm_read_process(const char *proc_root, int pid, struct jvm_process *out, char *err);
void jvm_process_clear(struct jvm_process *p);

/* Interpret a command line and environment (the core of jvm_read_process, for
 * callers that have them already). `p` must be zeroed or have pid, cwd and root
 * set: they are used to read @argfiles. `env` holds "NAME=value" strings; a
 * NULL env means the environment is unknown. Copies what it keeps. */
void jvm_interpret(struct jvm_process *p, char *const *argv, size_t argc, char *const *env,
                   size_t n_env);

/* Split one argument file's text the way the JDK launcher does: tokens
 * separated by white space, single or double quotes (backslash escapes only
 * inside quotes, a backslash before a line end joins lines), '#' comments to
 * the end of the line. Appends copies to *items (grown with xgrow). */
void jvm_split_argfile(const char *text, size_t len, char ***items, size_t *n, size_t *cap);

/* Parse a JVM size such as "512m", "2G", "1048576" into bytes; -1 on junk or overflow. */
int jvm_parse_size(const char *s, uint64_t *out);

/* A path the process named, as wrench can open it: made absolute against the
 * process's cwd and prefixed with its root when it lives in another mount
 * namespace. New string; NULL when relative and the cwd is unknown. */
char *jvm_host_path(const struct jvm_process *p, const char *path);

/* The classpath with every item made openable by jvm_host_path() (':'-separated,
 * wildcards and empty items kept as they are). New string; NULL without a classpath. */
char *jvm_host_classpath(const struct jvm_process *p);

/* The value of -Dkey, or NULL. */
const char *jvm_property(const struct jvm_process *p, const char *key);

/* True when a property or variable name looks like it holds a secret
 * (password, secret, token, credential, private key...): reports show such
 * values as JVM_REDACTED. */
bool jvm_is_secret_key(const char *key);
#define JVM_REDACTED "***"
/* An argument fit for a report: "-Dx.password=..." becomes "-Dx.password=***",
 * anything else is copied. New string. */
char *jvm_redact_arg(const char *arg);

#define JVM_FDS_MAX 65536 /* file descriptors looked at for log files */

/* The log files process `pid` has open (/proc/PID/fd): regular files named
 * like logs (*.log, *.out, *.err, rotated "x.log.1", "catalina.2026-01-01.log")
 * or lying in a log/ or logs/ directory, as the process names them, sorted and
 * without duplicates. Appends to *files; returns how many were added, or -1
 * with err when the fd directory cannot be listed (another user's process). */
int jvm_open_logs(const char *proc_root, int pid, char ***files, size_t *n, size_t *cap, char *err);

#endif
