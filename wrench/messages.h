/*
 * messages.h - the sentences wrench writes itself (verdict, incidents, the titles of class
 * conflicts and duplicate libraries, what the classpath holds for a class a log names, the
 * container's findings), each in English and Simplified Chinese.
 *
 * A message is an id with one template per language. A template names its arguments in
 * braces, so a language can put them in its own order:
 *   "{failed} of {total} webapps failed to start: {list}"
 *   "{total} 个 webapp 中有 {failed} 个启动失败：{list}"
 * "{n|one|other}" writes "one" when the number n is 1, else "other" (English plurals). Both
 * templates of a message name the same arguments (tests/unit/test_messages.c checks every
 * message).
 *
 * The analyses render a message in both languages when they build a text (title and
 * title_zh, like the rules' texts), so a report, the store and the web page only pick a
 * language and never know a message's id. A sentence made of several messages (a list, a
 * clause added when a copy is stale) is built once with a `struct bibuf`, which appends each
 * piece in both languages.
 */
#ifndef WRENCH_MESSAGES_H
#define WRENCH_MESSAGES_H

#include <stddef.h>

#include "util.h"

enum lang {
    LANG_EN,
    LANG_ZH,
};
#define LANG_COUNT 2

enum msg_id {
    /* Pieces of lists and sentences. */
    MSG_LIST_SEP,        /* between two items of a list: ", " */
    MSG_LIST_LAST,       /* before the last item: " and " */
    MSG_CLAUSE_SEP,      /* between two clauses: "; " */
    MSG_SENTENCE_END,    /* the full stop */
    MSG_WITH_DETAIL,     /* "{text}: {detail}" */
    MSG_MORE_ENTRIES,    /* " and {n} other entries" */
    MSG_MORE_VERSIONS,   /* " and {n} more" */
    MSG_UNKNOWN_VERSION, /* "unknown version" */

    /* What an incident is about (incident.c). */
    MSG_WHAT_WEBAPP,
    MSG_WHAT_WEBAPP_ROOT,
    MSG_WHAT_A_WEBAPP,
    MSG_WHAT_CONNECTOR,
    MSG_WHAT_A_CONNECTOR,
    MSG_WHAT_APPLICATION,
    MSG_WHAT_THE_APPLICATION,
    MSG_WHAT_SERVICE,
    MSG_WHAT_THE_SERVICE,
    MSG_WHAT_RUNTIME,
    MSG_WHAT_CONTAINER,
    MSG_WHAT_CLASSPATH,
    MSG_WHAT_INPUT,

    /* An incident's root cause in one line (incident.c). */
    MSG_CAUSE_CONFLICT,
    MSG_CAUSE_CONTAINER,
    MSG_CAUSE_DUPLICATE,
    MSG_CAUSE_UNREADABLE_LOG,
    MSG_CAUSE_UNREADABLE_INPUT,

    /* A running JVM's command line, as jvm.c reads it. */
    MSG_JVM_TOO_MANY_ARGS,
    MSG_JVM_ARGFILES_CAPPED,
    MSG_JVM_ARGFILE_RELATIVE,
    MSG_JVM_ARGFILE_UNREADABLE,
    MSG_JVM_ARGFILE_TOO_BIG,
    MSG_JVM_JDK_OPTIONS_QUOTE,
    MSG_JVM_JDK_OPTIONS_REFUSED,
    MSG_JVM_BAD_VALUE,
    MSG_JVM_OPTIONS_QUOTE,
    MSG_JVM_ENV_UNKNOWN,
    MSG_JVM_JAR_IGNORES,
    MSG_JVM_NO_MAIN,
    MSG_JVM_UNREADABLE,
    MSG_JVM_CMDLINE_LONG,
    MSG_JVM_CWD_UNREADABLE,
    MSG_JVM_TOO_MANY_PROCS,
    MSG_JVM_PROCESS_UNREADABLE,
    MSG_JVM_NS_UNREADABLE,
    MSG_JVM_ENVIRON_UNREADABLE,
    MSG_JVM_ENVIRON_LONG,

    /* The names and values of the environment's facts (facttext.c), and container.c's notes. */
    MSG_FACT_SEP,
    MSG_FACT_MEMORY_LIMIT,
    MSG_FACT_MEMORY_USED,
    MSG_FACT_OOM_KILLS,
    MSG_FACT_OPEN_FILES,
    MSG_FACT_NOTE,
    MSG_FACT_MAX_HEAP,
    MSG_FACT_BUDGET,
    MSG_FACT_PRIORITY,
    MSG_FACT_NO_LIMIT,
    MSG_FACT_UNLIMITED,
    MSG_FACT_NO_QUOTA,
    MSG_FACT_NONE,
    MSG_FACT_CORES,
    MSG_FACT_WITH_BASIS,
    MSG_FACT_BUDGET_QUARTER_CAPPED,
    MSG_FACT_BUDGET_QUARTER,
    MSG_FACT_BUDGET_DEFAULT,
    MSG_FACT_PRIORITY_NORMAL,
    MSG_FACT_PRIORITY_BOTH,
    MSG_FACT_PRIORITY_NICE,
    MSG_FACT_PRIORITY_IDLE,
    MSG_FACT_PRIORITY_NONE,
    MSG_CGROUP_NOT_UNDER,
    MSG_CGROUP_NOT_A_NUMBER,
    MSG_CGROUP_ROOT,
    MSG_CGROUP_UNEXPECTED,
    MSG_CGROUP_NO_MEMORY,
    MSG_CGROUP_NO_FILESYSTEM,
    MSG_NOFILE_UNKNOWN,

    /* Why a thread dump could not be taken (attach.c). */
    MSG_ATTACH_NOT_LIVE_PROC,
    MSG_ATTACH_GONE,
    MSG_ATTACH_NO_UID,
    MSG_ATTACH_DISABLED,
    MSG_ATTACH_OTHER_USER,
    MSG_ATTACH_OTHER_GROUP,
    MSG_ATTACH_XRS,
    MSG_ATTACH_NO_LIBJVM,
    MSG_ATTACH_QUIT_UNHANDLED,
    MSG_ATTACH_NO_TRIGGER,
    MSG_ATTACH_NO_SIGNAL,
    MSG_ATTACH_EXITED,
    MSG_ATTACH_NO_LISTENER,
    MSG_ATTACH_NO_REPLY,
    MSG_ATTACH_POLL,
    MSG_ATTACH_READ,
    MSG_ATTACH_WONT_START,
    MSG_ATTACH_NO_SEND,
    MSG_ATTACH_TOO_LONG,
    MSG_ATTACH_BAD_REPLY,
    MSG_ATTACH_EMPTY_REPLY,

    /* What a declared port is (svcports.c). */
    MSG_PORT_SHUTDOWN,
    MSG_PORT_HTTP_CONNECTOR,
    MSG_PORT_AJP_CONNECTOR,
    MSG_PORT_CONNECTOR,

    /* The verdict (verdict.c). */
    MSG_VERDICT_FAILED_TO_START,
    MSG_VERDICT_CRASHED,
    MSG_VERDICT_HUNG,
    MSG_VERDICT_DOWN,
    MSG_VERDICT_WEBAPPS_OF,
    MSG_VERDICT_WEBAPPS,
    MSG_VERDICT_FAILURES,
    MSG_VERDICT_ITEM,
    MSG_VERDICT_BEFORE_LAST_START,
    MSG_VERDICT_NO_PROBLEM,
    MSG_VERDICT_NO_PROBLEM_LOGS,

    /* Class conflicts and duplicate libraries (analysis.c). */
    MSG_CONFLICT_DIFFER,
    MSG_CONFLICT_UNCOMPARED,
    MSG_CONFLICT_IDENTICAL,
    MSG_WHICH_COPY_UNDEFINED,
    MSG_CONFLICT_WINS,
    MSG_CONFLICT_STALE_ALL,
    MSG_CONFLICT_STALE_SOME,
    MSG_DUPLICATE_VERSIONS,
    MSG_DUPLICATE_TIMES,

    /* What the classpath holds for a class a log names (correlate.c). */
    MSG_CLASS_ONLY_IN,
    MSG_CLASS_IN_DIFFERING,
    MSG_CLASS_IN_IDENTICAL,
    MSG_CLASS_LOADS_FIRST,
    MSG_CLASS_STALE_COPY,
    MSG_CLASS_ABSENT,
    MSG_CLASS_PACKAGE_IN,
    MSG_DID_YOU_MEAN,

    /* What a classpath entry is to a finding (finding.c's evidence). */
    MSG_ROLE_HOLDS_CLASS,
    MSG_ROLE_HOLDS_CLASS_FIRST,
    MSG_ROLE_HOLDS_PACKAGE,
    MSG_ROLE_LOADS_FIRST,
    MSG_ROLE_SHADED,

    /* The container's and the JVMs' limits (container.c). */
    MSG_ENV_OOM_KILLS,
    MSG_ENV_OOM_KILLS_DETAIL,
    MSG_ENV_CPU_QUOTA,
    MSG_ENV_CPU_QUOTA_DETAIL,
    MSG_ENV_OPEN_FILES,
    MSG_ENV_OPEN_FILES_DETAIL,
    MSG_ENV_DISK,
    MSG_ENV_DISK_DETAIL,
    MSG_ENV_CONTAINER_SUPPORT,
    MSG_ENV_CONTAINER_SUPPORT_DETAIL,
    MSG_ENV_HEAP_EXCEEDS,
    MSG_ENV_HEAP_EXCEEDS_DETAIL,
    MSG_ENV_HEAP_HEADROOM,
    MSG_ENV_HEAP_HEADROOM_DETAIL,
    MSG_HEAP_BASIS_MAX_RAM, /* how the JVM's max heap was found (container.c) */
    MSG_HEAP_BASIS_LIMIT,
    MSG_HEAP_BASIS_HOST,
    MSG_HEAP_BASIS_SMALL,

    /* A thread dump or a fatal error banner found in a log (logdumps.c). */
    MSG_DUMP_DEADLOCK,
    MSG_DUMP_THREADS,
    MSG_DUMP_WHERE,
    MSG_DUMP_WHERE_LAST,
    MSG_BANNER_FATAL,
    MSG_BANNER_NATIVE_OOM,
    MSG_BANNER_WHERE,
    MSG_BANNER_WHERE_REPORT,

    /* A service that is not up (svcstate.c), with its reason. */
    MSG_STATE_HUNG,
    MSG_STATE_DOWN,
    MSG_STATE_CRASHED,

    /* Why a service is in its state (svcstate.c). */
    MSG_REASON_QUEUE_STUCK,
    MSG_REASON_PORT_FAILED,
    MSG_REASON_PORT_MISSING,
    MSG_REASON_LISTENING,
    MSG_REASON_DECLARED_PORTS,
    MSG_REASON_UP_BY_LOG,
    MSG_REASON_NO_EVIDENCE,
    MSG_REASON_NO_FINISHED_START,
    MSG_REASON_NO_DUMP_REPLY,
    MSG_REASON_WITH_DUMP,
    MSG_REASON_FATAL_ERROR,
    MSG_REASON_FATAL_BANNER,
    MSG_REASON_KILLED_NO_HSERR,
    MSG_REASON_SIGNALLED,
    MSG_REASON_EXIT_ON_OOM,
    MSG_REASON_OOM_DUMP,
    MSG_REASON_NORMALLY_DOWN,
    MSG_REASON_LAST_RUN,
    MSG_REASON_NOT_RUNNING,
    MSG_AGE_SECONDS,
    MSG_AGE_UNKNOWN,
    MSG_SUFFIX_START_FINISHED, /* clauses some reasons end with */
    MSG_SUFFIX_TIMEOUT,
    MSG_SUFFIX_DUMP_HINT,
    MSG_SUFFIX_MAY_WAIT,
    MSG_SUFFIX_OOM_COUNTED,
    MSG_SUFFIX_NO_HSERR,
    MSG_SUFFIX_FAILED_START,

    /* The facts a service's state rests on, its evidence (svcstate.c, crashfiles.c,
     * logdumps.c). */
    MSG_EV_START_TIMEOUT,
    MSG_EV_PID_RUNNING,
    MSG_EV_PORT,
    MSG_EV_LISTENING,
    MSG_EV_NOT_LISTENING,
    MSG_EV_LOG_START_FINISHED,
    MSG_EV_RUNSV_SAYS,
    MSG_EV_RUNSV_NEVER,
    MSG_EV_WANT_DOWN,
    MSG_EV_FINISH_RECORDED,
    MSG_EV_HSERR_UNREADABLE,
    MSG_EV_LAST_SEEN,
    MSG_EV_SEEN_CWD,
    MSG_EV_OOM_KILLS,
    MSG_EV_RUNIT_SINCE,
    MSG_EV_PROBE_STATUS,
    MSG_EV_PROBE_ERROR,
    MSG_EV_HSERR_FILES,
    MSG_EV_LOG_BANNER,
    MSG_EV_EARLIER_BANNER,
    MSG_EV_EARLIER_HSERR,
    MSG_EV_EARLIER_DUMP,
    MSG_EV_DOWN_FILE,
    MSG_TIME_UNKNOWN,
    MSG_HEAP_DUMP_FILE,
    MSG_NOTE_SOCKETS_UNKNOWN, /* notes of a service's state (svcstate.c, svcports.c) */
    MSG_NOTE_CMDLINE_UNREADABLE,
    MSG_NOTE_XML_PORT_UNRESOLVED,
    MSG_NOTE_PORT_UNRESOLVED,
    MSG_NOTE_PORT_RANDOM,
    MSG_PROBLEM_MISSING, /* problems reading a classpath entry (reader.c) */
    MSG_PROBLEM_MISSING_CLASS_PATH,
    MSG_PROBLEM_UNREADABLE,
    MSG_PROBLEM_CORRUPT,
    MSG_PROBLEM_TOO_LARGE,
    MSG_PROBLEM_PARTLY,
    MSG_PROBLEM_LISTED_TWICE,
    MSG_PROBLEM_BAD_NAMES,
    MSG_PROBLEM_DUPLICATE_ZIP_ENTRIES,
    MSG_PROBLEM_CLASS_PATH_LOOP,
    MSG_PROBLEM_VIEW_CAP,
    MSG_PROBLEM_CLASS_PATH_DROPPED,
    MSG_VIEW_NOTE_WILDCARD, /* a classpath view's note: why its order is undefined (classpath.c) */
    MSG_VIEW_NOTE_BOOT_NO_INDEX,
    MSG_VIEW_NOTE_WEBAPP_LIB,
    MSG_VIEW_NOTE_LIB_PROVIDED,
    MSG_VIEW_NOTE_DIR,
    MSG_LOG_PROBLEM_SYSTEM, /* problems reading logs (logread.c, logmatch.c) */
    MSG_LOG_PROBLEM_NOT_REGULAR,
    MSG_LOG_PROBLEM_CANNOT_OPEN,
    MSG_LOG_PROBLEM_READ_ERROR,
    MSG_LOG_PROBLEM_GZIP_SHORT,
    MSG_LOG_PROBLEM_ROTATED,
    MSG_LOG_PROBLEM_BINARY,
    MSG_LOG_PROBLEM_NUL_BYTES,
    MSG_LOG_PROBLEM_CANNOT_LIST,
    MSG_LOG_PROBLEM_SKIPPED,
    MSG_LOG_PROBLEM_BAD_PATTERN,
    MSG_LOG_PROBLEM_NONE_READABLE,
    MSG_LOG_PROBLEM_RULE_LIMIT,
    MSG_LOG_UNCATEGORIZED_HINT, /* the hint of an error no rule knows (logmatch.c) */
    MSG_DISC_NO_CONFIG_FILE,    /* discovery's notes and places looked at in vain (svcconfig.c,
                                 * svcplaces.c, tomcatlayout.c, discover.c) */
    MSG_DISC_CONFIG_NO_SERVICES,
    MSG_DISC_PATH_MISSING,
    MSG_DISC_UNREADABLE_JAR,
    MSG_DISC_NO_MAIN_CLASS,
    MSG_DISC_NO_DIRECTORY,
    MSG_DISC_NOTHING_TO_RUN,
    MSG_DISC_SEVERAL_JARS,
    MSG_DISC_APP_NOT_EXECUTABLE,
    MSG_DISC_APP_MISSING,
    MSG_DISC_NOTHING_THERE,
    MSG_DISC_CATALINA_HOME_ONLY,
    MSG_DISC_NO_SERVER_XML,
    MSG_DISC_CANNOT_LIST_APP_BASE,
    MSG_DISC_TOO_MANY_WEBAPPS,
    MSG_DISC_NO_HOST,
    MSG_DISC_SEVERAL_HOSTS,
    MSG_DISC_APP_BASE_ENTITIES,
    MSG_DISC_CANNOT_READ_SERVER_XML,
    MSG_DISC_NO_COMMON_LOADER,
    MSG_DISC_CANNOT_READ_CATALINA_PROPERTIES,
    MSG_DISC_UNKNOWN_PROPERTY,
    MSG_DISC_PROCESSES_NONE,
    MSG_DISC_PROCESSES_NOT_LOOKED,
    MSG_DISC_NO_WEBAPP,
    MSG_EVD_FOUND_JAR, /* why a declared service is one (svcplaces.c, svcconfig.c, runit.c) */
    MSG_EVD_SPRING_BOOT_JAR,
    MSG_EVD_MAIN_CLASS_JAR,
    MSG_EVD_FOUND,
    MSG_EVD_MISSING,
    MSG_EVD_EXPLODED_WEBAPP,
    MSG_EVD_JIB_IMAGE,
    MSG_EVD_WRENCH_APP,
    MSG_EVD_DECLARED,
    MSG_EVD_RUNIT_RUNS,
    MSG_EVD_MAIN_CLASS,
    MSG_EVD_SHELL_VARIABLES,
    MSG_ORIGIN_PROCESS, /* how a service was found (discover.c) */
    MSG_ORIGIN_CONFIG,
    MSG_ORIGIN_CONVENTIONAL,
    MSG_ORIGIN_WORKING_DIRECTORY,
    MSG_ORIGIN_ENVIRONMENT,
    MSG_ORIGIN_RUNIT,
    MSG_EXIT_RUN_FAILED, /* how a run ended (runit_describe_exit() is the English) */
    MSG_EXIT_CODE,
    MSG_EXIT_SIGNAL,
    MSG_EXIT_SIGNAL_NAME,
    MSG_EXIT_CORE,

    /* What a thread dump shows in one line (threaddump.c) and a fatal error report's
     * summary (hserr.c); the JVM's own words (thread states, frames, signals) stay. */
    MSG_DUMP_STATUS_REFUSED, /* whether a thread dump was taken (svcstate.c, logdumps.c) */
    MSG_DUMP_STATUS_NOT_TAKEN,
    MSG_DUMP_STATUS_ANSWERED,
    MSG_DUMP_STATUS_UNREADABLE,
    MSG_DUMP_STATUS_TAKEN,
    MSG_DUMP_STATUS_IN_LOG,
    MSG_TD_DEADLOCK,
    MSG_TD_DEADLOCK_LINK,
    MSG_TD_NO_MAIN,
    MSG_TD_WAITS,
    MSG_TD_RUNS,
    MSG_TD_BLOCKED,
    MSG_TD_VIA,
    MSG_TD_UNDER,
    MSG_TD_ON_MONITOR,
    MSG_TD_ON,
    MSG_TD_STATE,
    MSG_TD_NO_FRAME,
    MSG_TD_NO_STATE,
    MSG_HSERR_NATIVE_OOM,
    MSG_HSERR_FATAL,
    MSG_HSERR_IN_FRAME,
    MSG_HSERR_JRE,
    MSG_TD_TEXT_DEADLOCK, /* the lines of a thread dump in the text report */
    MSG_TD_TEXT_BLOCKED,
    MSG_TD_TEXT_HOLDER_UNKNOWN,
    MSG_TD_TEXT_STACK,
    MSG_TD_TEXT_THREADS,
    MSG_TD_TEXT_TRUNCATED,
    MSG_HSERR_TEXT_ERROR, /* the lines of a fatal error report in the text report */
    MSG_HSERR_TEXT_NATIVE_OOM,
    MSG_HSERR_TEXT_NO_DETAIL,
    MSG_HSERR_TEXT_FRAME,
    MSG_HSERR_TEXT_JRE,

    /* Lines of the text report (report_text.c). */
    MSG_TEXT_VERDICT,
    MSG_TEXT_INCIDENTS,
    MSG_TEXT_INCIDENT,
    MSG_TEXT_SEEN_IN,
    MSG_TEXT_FIX,
    MSG_SEVERITY_INFO, /* a severity's name, in the order of enum severity */
    MSG_SEVERITY_WARNING,
    MSG_SEVERITY_ERROR,
    MSG_SEVERITY_CRITICAL,
    MSG_TEXT_HEADLINE,
    MSG_KIND_CONFLICT, /* what a finding is, in its headline */
    MSG_KIND_DUPLICATE,
    MSG_KIND_HINT,
    MSG_KIND_LOG,
    MSG_KIND_CONTAINER,
    MSG_KIND_PROBLEM,
    MSG_KIND_LOG_PROBLEM,
    MSG_KIND_LOG_FINDING,
    MSG_KIND_ENVIRONMENT,
    MSG_TEXT_ARTIFACT,
    MSG_TEXT_LOADED_FIRST,
    MSG_TEXT_UNDEFINED_ORDER,
    MSG_TEXT_NO_DEFINED_ORDER,
    MSG_TEXT_DIFFERING,
    MSG_TEXT_SHADED_COPY,
    MSG_TEXT_LOG_TITLE,
    MSG_TEXT_FIRST_LAST,
    MSG_TEXT_ALSO,
    MSG_TEXT_CAUSE,
    MSG_TEXT_CLASSPATH,
    MSG_TEXT_ACCEPTED,
    MSG_TEXT_ACCEPTED_COUNT,
    MSG_TEXT_ACCEPT_FILE,
    MSG_TEXT_BASELINE_COUNT,
    MSG_TEXT_SUMMARY,
    MSG_TEXT_FOUND_RUNNING,
    MSG_TEXT_FOUND_STOPPED,
    MSG_TEXT_NOT_FOUND,
    MSG_TEXT_CONTAINER,
    MSG_TEXT_READ_AS,
    MSG_TEXT_LAST_START,
    MSG_TEXT_SKIPPED_EVENTS,
    MSG_TEXT_READ_FROM,
    MSG_TEXT_LAST_LINES,
    MSG_TEXT_SCANNED,
    MSG_TEXT_NOTE,
    MSG_TEXT_READ_LOGS,

    /* The services' lines of the text report (report_state.c). */
    MSG_STATE_NAME_UNKNOWN, /* a state's name, in the order of enum run_state */
    MSG_STATE_NAME_UP,
    MSG_STATE_NAME_STARTING,
    MSG_STATE_NAME_HUNG,
    MSG_STATE_NAME_DOWN,
    MSG_STATE_NAME_CRASHED,
    MSG_SVC_LINE,
    MSG_SVC_PROCESS,
    MSG_SVC_UPTIME,
    MSG_SVC_THREADS,
    MSG_SVC_RSS,
    MSG_SVC_RSS_LIMIT,
    MSG_SVC_OPEN_FILES,
    MSG_SVC_OPEN_FILES_LIMIT,
    MSG_SVC_PORT,
    MSG_SVC_PORT_LISTENING,
    MSG_SVC_PORT_NOT_LISTENING,
    MSG_SVC_PORT_LOG,
    MSG_SVC_LISTENING,
    MSG_SVC_QUEUE_STUCK,
    MSG_SVC_NO_TCP_PORT,
    MSG_SVC_DUMP,
    MSG_SVC_RUNIT,
    MSG_SVC_NEVER_RUN,
    MSG_SVC_RUNIT_FOR,
    MSG_SVC_LAST_EXIT,
    MSG_SVC_CRASH_LOG,
    MSG_SVC_HEAP_DUMP,
    MSG_SVC_PROBE_STATUS,
    MSG_SVC_PROBE_ERROR,
    MSG_SVC_NO_ANSWER,
    MSG_SVC_LAST_SEEN,
    MSG_SVC_STARTS,
    MSG_SVC_STARTS_AGO,
    MSG_SVC_STARTS_AT,
    MSG_SVC_STARTS_TOOK,
    MSG_SVC_STARTS_FINISHED,
    MSG_SVC_STARTS_NOT_FINISHED,
    MSG_SVC_EVIDENCE,
    MSG_SVC_NOTE,
    MSG_SPAN_S,
    MSG_SPAN_MIN,
    MSG_SPAN_H,
    MSG_SPAN_DAYS,

    /* wrench diff's text (cmd_store.c). */
    MSG_DIFF_COMPARING,
    MSG_DIFF_NONE,
    MSG_DIFF_HEADING,
    MSG_DIFF_NEW,
    MSG_DIFF_RESOLVED,
    MSG_DIFF_JARS_ADDED,
    MSG_DIFF_JARS_REMOVED,
    MSG_DIFF_JARS_CHANGED,
    MSG_DIFF_CHANGE_VERSION,
    MSG_DIFF_CHANGE_MOVED,
    MSG_DIFF_CHANGE_REPLACED,
    MSG_DIFF_SUMMARY,

    MSG_COUNT
};

enum msg_arg_kind {
    MSG_ARG_END,
    MSG_ARG_TEXT,  /* a text per language (the same one for names, paths, classes) */
    MSG_ARG_NUM,   /* a number, written as is ("pid 4242") */
    MSG_ARG_COUNT, /* a count, with thousands separators ("19,990") */
};

struct msg_arg {
    enum msg_arg_kind kind;
    const char *name;
    const char *text[LANG_COUNT]; /* MSG_ARG_TEXT; a NULL one is written as the English one */
    unsigned long long num;       /* MSG_ARG_NUM, MSG_ARG_COUNT */
};

/* Arguments: a text the same in every language (a class, a path, a version), a text per
 * language, a number, a count. */
#define MSG_S(n, s) ((struct msg_arg){MSG_ARG_TEXT, (n), {(s), (s)}, 0})
#define MSG_B(n, en, zh) ((struct msg_arg){MSG_ARG_TEXT, (n), {(en), (zh)}, 0})
#define MSG_N(n, v) ((struct msg_arg){MSG_ARG_NUM, (n), {NULL, NULL}, (unsigned long long)(v)})
#define MSG_C(n, v) ((struct msg_arg){MSG_ARG_COUNT, (n), {NULL, NULL}, (unsigned long long)(v)})
#define MSG_END ((struct msg_arg){MSG_ARG_END, NULL, {NULL, NULL}, 0})
#define MSG_ARGS(...) ((const struct msg_arg[]){__VA_ARGS__, MSG_END})

/* The message's name ("verdict.failed-to-start") and its template in `lang`; NULL when the
 * id is out of range or the catalogue lacks it. */
const char *msg_name(enum msg_id id);
const char *msg_template(enum msg_id id, enum lang lang);

/* The message in `lang` with `args` (ending with MSG_END); a new string, never NULL. An
 * argument the template names but `args` lacks is written as "{name}". */
char *msg_render(enum msg_id id, enum lang lang, const struct msg_arg *args);
#define msg_text(id, lang, ...) msg_render((id), (lang), MSG_ARGS(__VA_ARGS__))

/* Append the message in `lang` with `args` to `sb`. */
void strbuf_msg_args(struct strbuf *sb, enum msg_id id, enum lang lang, const struct msg_arg *args);
#define strbuf_msg(sb, id, lang, ...) strbuf_msg_args((sb), (id), (lang), MSG_ARGS(__VA_ARGS__))

/* The names a template refers to, sorted, each once, as "name1 name2"; a new string. Sets
 * *bad when a brace does not open a well-formed placeholder. */
char *msg_placeholders(const char *template, int *bad);

/* A text built in both languages at once. */
struct bibuf {
    struct strbuf s[LANG_COUNT];
};

/* Append message `id` with `args`, in each language. */
void bibuf_msg_args(struct bibuf *b, enum msg_id id, const struct msg_arg *args);
#define bibuf_msg(b, id, ...) bibuf_msg_args((b), (id), MSG_ARGS(__VA_ARGS__))
/* Append a text; zh NULL appends `en` to both (a name, a path, a class). */
void bibuf_puts(struct bibuf *b, const char *en, const char *zh);
/* Append what goes before item `i` of a list of `n`: nothing, ", " or " and ". */
void bibuf_list_sep(struct bibuf *b, size_t i, size_t n);
/* Hand over both texts (never NULL: "" when empty) and reset the buffer. */
void bibuf_take(struct bibuf *b, char **en, char **zh);
void bibuf_free(struct bibuf *b);

/* `zh` when the language is Chinese and it is set, else `en`. */
const char *msg_pick(enum lang lang, const char *en, const char *zh);

#endif
