/*
 * attach.h - the HotSpot dynamic attach protocol, spoken by wrench itself so
 * that a thread dump needs no JDK (jcmd, jstack) in the scanned container:
 * the .attach_pid<nspid> trigger file, one SIGQUIT, the /tmp/.java_pid<nspid>
 * UNIX socket (through /proc/PID/root when the JVM lives in another mount
 * namespace), a protocol-1 request ("1\0threaddump\0\0\0\0") and a reply read
 * with a deadline.
 *
 * Safety first (a wrong SIGQUIT kills a process): no signal is sent unless
 * libjvm.so is mapped in the process, SIGQUIT is caught and not ignored
 * (SigCgt/SigIgn of /proc/PID/status, the JDK attach client's own check), the
 * JVM was not started with -Xrs, and the signal goes through a pidfd opened
 * before the checks (a pid reused meanwhile gets nothing). Refused outright:
 * -XX:+DisableAttachMechanism, a JVM of another user when wrench is not root,
 * a /proc other than the live one.
 */
#ifndef WRENCH_ATTACH_H
#define WRENCH_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACH_REPLY_TIMEOUT_S 10           /* default deadline for the whole reply */
#define ATTACH_SOCKET_WAIT_MS 6000          /* wait for the listener after SIGQUIT */
#define ATTACH_REPLY_MAX (64 * 1024 * 1024) /* bytes of a reply kept */

/* What /proc/PID/status says about a process, for the checks. */
struct attach_status {
    unsigned euid, egid;
    int nspid;        /* the last NSpid value: the pid in its own namespace; 0 unknown */
    uint64_t sig_cgt; /* SigCgt mask */
    uint64_t sig_ign; /* SigIgn mask */
    bool have_sig;    /* both masks were read */
};

/* Parse the text of /proc/PID/status. Returns 0, or -1 when Uid/Gid are missing. */
int attach_parse_status(const char *text, size_t len, struct attach_status *out);

/* True when signal 3 (SIGQUIT) is caught and not ignored: only then may it be sent. */
bool attach_quit_is_handled(const struct attach_status *st);

/* Split a reply: the first line is the decimal result code (0 ok), the rest the output.
 * Returns 0 with *code and *body (offset of the output), -1 when the first line is no
 * number (an incomplete or foreign reply). */
int attach_parse_reply(const char *buf, size_t len, int *code, size_t *body);

/* Build a protocol-1 request: "1\0<cmd>\0<arg0>\0<arg1>\0<arg2>\0". Returns its length,
 * or 0 when the command (max 16 bytes) or an argument (max 1024) is too long. */
size_t attach_build_request(char *buf, size_t size, const char *cmd, const char *arg0,
                            const char *arg1, const char *arg2);

enum attach_result {
    ATTACH_OK,
    ATTACH_REFUSED,  /* a check said no; nothing was sent to the JVM */
    ATTACH_FAILED,   /* the listener did not come up, the socket refused us */
    ATTACH_NO_REPLY, /* connected, no (complete) reply within the deadline: a hang */
};

struct attach_request {
    const char *proc_root; /* NULL or the live /proc; anything else is refused */
    int pid;               /* the host pid */
    const char *command;   /* "threaddump", "jcmd"... */
    const char *arg0;      /* may be NULL */
    int timeout_s;         /* 0: ATTACH_REPLY_TIMEOUT_S */
};

/* Run one attach operation. On ATTACH_OK *out is the JVM's output after the result code
 * line (new string; *code the result code). Otherwise err says why, for the report, and
 * err_zh (WR_ERR_MAX bytes too) the same in Simplified Chinese: ATTACH_REFUSED names the
 * check ("started with -Xrs: a SIGQUIT would kill it..."). */
enum attach_result attach_run(const struct attach_request *req, char **out, size_t *len, int *code,
                              char *err, char *err_zh);

#endif
