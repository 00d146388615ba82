/*
 * attach.c - HotSpot dynamic attach (see attach.h). Facts and their sources:
 * /work/shared/refs/runtime-state.md section 1 and 2 (openjdk attachListener_posix.cpp,
 * VirtualMachineImpl.java; jattach).
 */
#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "jvm.h"
#include "messages.h"
#include "procnet.h"
#include "util.h"

#define STATUS_MAX (64 * 1024)
#define MAPS_MAX (64 * 1024 * 1024)

static int64_t parse_hex64(const char *s)
{
    uint64_t v = 0;
    int k = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    for (; k < 16; k++, s++) {
        int d = hex_digit_value(*s);
        if (d < 0)
            break;
        v = (v << 4) | (uint64_t)d;
    }
    return k ? (int64_t)v : -1;
}

int attach_parse_status(const char *text, size_t len, struct attach_status *out)
{
    memset(out, 0, sizeof(*out));
    bool uid = false, gid = false, cgt = false, ign = false;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        char line[512];
        snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
        unsigned r, e;
        if (sscanf(line, "Uid: %u %u", &r, &e) == 2) {
            out->euid = e;
            uid = true;
        } else if (sscanf(line, "Gid: %u %u", &r, &e) == 2) {
            out->egid = e;
            gid = true;
        } else if (strncmp(line, "NSpid:", 6) == 0) {
            /* the last value is the pid in the process's own namespace */
            char *save = NULL;
            for (char *tok = strtok_r(line + 6, " \t", &save); tok;
                 tok = strtok_r(NULL, " \t", &save)) {
                long v = strtol(tok, NULL, 10);
                if (v > 0 && v <= INT_MAX)
                    out->nspid = (int)v;
            }
        } else if (strncmp(line, "SigCgt:", 7) == 0) {
            int64_t v = parse_hex64(line + 7);
            if (v >= 0 || strstr(line, "ffffffffffffffff")) {
                out->sig_cgt = (uint64_t)v;
                cgt = true;
            }
        } else if (strncmp(line, "SigIgn:", 7) == 0) {
            int64_t v = parse_hex64(line + 7);
            if (v >= 0 || strstr(line, "ffffffffffffffff")) {
                out->sig_ign = (uint64_t)v;
                ign = true;
            }
        }
        p = nl ? nl + 1 : end;
    }
    out->have_sig = cgt && ign;
    return uid && gid ? 0 : -1;
}

bool attach_quit_is_handled(const struct attach_status *st)
{
    uint64_t bit = 1ULL << (SIGQUIT - 1);
    return st->have_sig && (st->sig_cgt & bit) && !(st->sig_ign & bit);
}

int attach_parse_reply(const char *buf, size_t len, int *code, size_t *body)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && buf[i] == '-') {
        neg = true;
        i++;
    }
    long v = 0;
    size_t digits = 0;
    while (i < len && buf[i] >= '0' && buf[i] <= '9' && digits < 9) {
        v = v * 10 + (buf[i] - '0');
        i++;
        digits++;
    }
    if (digits == 0 || i >= len || buf[i] != '\n')
        return -1;
    *code = (int)(neg ? -v : v);
    *body = i + 1;
    return 0;
}

size_t attach_build_request(char *buf, size_t size, const char *cmd, const char *arg0,
                            const char *arg1, const char *arg2)
{
    const char *parts[] = {"1", cmd, arg0 ? arg0 : "", arg1 ? arg1 : "", arg2 ? arg2 : ""};
    if (strlen(cmd) > 16)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < 5; i++) {
        size_t k = strlen(parts[i]);
        if (k > 1024 || n + k + 1 > size)
            return 0;
        memcpy(buf + n, parts[i], k + 1);
        n += k + 1;
    }
    return n;
}

/* --- the checks --- */

static bool live_proc(const char *proc_root)
{
    if (!proc_root)
        return true;
    char *real = realpath(proc_root, NULL);
    bool live = real && strcmp(real, "/proc") == 0;
    free(real);
    return live;
}

static bool maps_libjvm(int pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/maps", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    size_t read = 0;
    while (!found && read < MAPS_MAX && fgets(line, sizeof(line), f)) {
        read += strlen(line);
        found = strstr(line, "/libjvm.so") != NULL;
    }
    fclose(f);
    return found;
}

/* -XX:+DisableAttachMechanism and -Xrs, wherever the JVM reads flags from. */
static bool jvm_flag(const struct jvm_process *p, const char *flag)
{
    bool on = false;
    const char *sources[] = {p->java_tool_options, p->java_options};
    for (size_t i = 0; i < p->n_args && i < p->first_app_arg; i++)
        if (strcmp(p->args[i], flag) == 0)
            on = true;
    for (size_t i = 0; i < 2; i++)
        if (sources[i] && strstr(sources[i], flag))
            on = true;
    return on;
}

struct target {
    int pid;
    struct attach_status st;
    char *tmp;    /* the JVM's /tmp as wrench opens it */
    char *cwd;    /* its working directory as wrench opens it */
    char *socket; /* <tmp>/.java_pid<nspid> */
};

static void target_clear(struct target *t)
{
    free(t->tmp);
    free(t->cwd);
    free(t->socket);
}

/* An error text in both languages: two buffers of WR_ERR_MAX bytes. */
struct errs {
    char *en, *zh;
};

static void fail_args(struct errs e, enum msg_id id, const struct msg_arg *args)
{
    char *en = msg_render(id, LANG_EN, args), *zh = msg_render(id, LANG_ZH, args);
    snprintf(e.en, WR_ERR_MAX, "%s", en);
    snprintf(e.zh, WR_ERR_MAX, "%s", zh);
    free(en);
    free(zh);
}
#define fail(e, id, ...) fail_args((e), (id), MSG_ARGS(__VA_ARGS__))

static enum attach_result check_target(const struct attach_request *req, struct target *t,
                                       bool *may_signal, struct errs signal_refusal,
                                       struct errs err)
{
    int pid = req->pid;
    if (!live_proc(req->proc_root)) {
        fail(err, MSG_ATTACH_NOT_LIVE_PROC, MSG_S("proc", req->proc_root));
        return ATTACH_REFUSED;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    char *text;
    size_t len;
    if (read_file_capped(path, STATUS_MAX, &text, &len, NULL) != 0) {
        fail(err, MSG_ATTACH_GONE, MSG_N("pid", pid), MSG_S("error", strerror(errno)));
        return ATTACH_FAILED;
    }
    int rc = attach_parse_status(text, len, &t->st);
    free(text);
    if (rc != 0) {
        fail(err, MSG_ATTACH_NO_UID, MSG_S("path", path));
        return ATTACH_FAILED;
    }
    if (t->st.nspid == 0)
        t->st.nspid = pid; /* a kernel without NSpid: one namespace */
    struct jvm_process p = {0};
    if (jvm_read_process(NULL, pid, &p, err.en) != 0) {
        snprintf(err.zh, WR_ERR_MAX, "%s", err.en); /* jvm.c's error, quoted */
        return ATTACH_FAILED;
    }
    bool disabled = jvm_flag(&p, "-XX:+DisableAttachMechanism");
    bool xrs = jvm_flag(&p, "-Xrs");
    jvm_process_clear(&p);
    if (disabled) {
        fail(err, MSG_ATTACH_DISABLED, MSG_N("pid", pid));
        return ATTACH_REFUSED;
    }
    uid_t me = geteuid();
    if (me != 0 && me != t->st.euid) {
        fail(err, MSG_ATTACH_OTHER_USER, MSG_N("jvm", t->st.euid), MSG_N("me", me));
        return ATTACH_REFUSED;
    }
    if (me != 0 && getegid() != t->st.egid) {
        fail(err, MSG_ATTACH_OTHER_GROUP, MSG_N("jvm", t->st.egid), MSG_N("me", getegid()));
        return ATTACH_REFUSED;
    }
    *may_signal = true;
    if (xrs) {
        *may_signal = false;
        fail(signal_refusal, MSG_ATTACH_XRS, MSG_END);
    } else if (!maps_libjvm(pid)) {
        *may_signal = false;
        fail(signal_refusal, MSG_ATTACH_NO_LIBJVM, MSG_N("pid", pid));
    } else if (!attach_quit_is_handled(&t->st)) {
        *may_signal = false;
        fail(signal_refusal, MSG_ATTACH_QUIT_UNHANDLED, MSG_N("pid", pid));
    }
    char root_tmp[64], cwd[64];
    snprintf(root_tmp, sizeof(root_tmp), "/proc/%d/root/tmp", pid);
    snprintf(cwd, sizeof(cwd), "/proc/%d/cwd", pid);
    t->tmp = xstrdup(access(root_tmp, X_OK) == 0 ? root_tmp : "/tmp");
    t->cwd = xstrdup(cwd);
    t->socket = xasprintf("%s/.java_pid%d", t->tmp, t->st.nspid);
    t->pid = pid;
    return ATTACH_OK;
}

/* --- the socket --- */

static int connect_socket(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int pidfd_open_compat(int pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static int send_quit(int pidfd, int pid)
{
#ifdef SYS_pidfd_send_signal
    if (pidfd >= 0)
        return (int)syscall(SYS_pidfd_send_signal, pidfd, SIGQUIT, NULL, 0);
#endif
    (void)pidfd;
    return kill(pid, SIGQUIT);
}

/* The trigger file in the JVM's cwd, else its tmp (AttachListener::is_init_trigger looks
 * in both). Returns the path created (new string) or NULL. */
static char *create_trigger(const struct target *t)
{
    const char *dirs[] = {t->cwd, t->tmp};
    for (size_t i = 0; i < 2; i++) {
        char *path = xasprintf("%s/.attach_pid%d", dirs[i], t->st.nspid);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
        if (fd >= 0) {
            struct stat st;
            bool ours = fstat(fd, &st) == 0 && st.st_uid == geteuid();
            close(fd);
            if (ours)
                return path;
            unlink(path); /* a mount that changes owners: the JVM would not trust it */
        }
        free(path);
    }
    return NULL;
}

static enum attach_result start_listener(const struct target *t, int pidfd, int *fd,
                                         struct errs err)
{
    char *trigger = create_trigger(t);
    if (!trigger) {
        fail(err, MSG_ATTACH_NO_TRIGGER, MSG_N("nspid", t->st.nspid), MSG_S("tmp", t->tmp),
             MSG_S("error", strerror(errno)));
        return ATTACH_FAILED;
    }
    enum attach_result rc = ATTACH_FAILED;
    if (send_quit(pidfd, t->pid) != 0) {
        fail(err, MSG_ATTACH_NO_SIGNAL, MSG_N("pid", t->pid), MSG_S("error", strerror(errno)));
        goto out;
    }
    long waited = 0;
    for (long step = 20; waited < ATTACH_SOCKET_WAIT_MS; step = step < 480 ? step * 2 : 480) {
        sleep_ms(step);
        waited += step;
        *fd = connect_socket(t->socket);
        if (*fd >= 0) {
            rc = ATTACH_OK;
            goto out;
        }
        if (kill(t->pid, 0) != 0 && errno == ESRCH) {
            fail(err, MSG_ATTACH_EXITED, MSG_N("pid", t->pid));
            goto out;
        }
    }
    fail(err, MSG_ATTACH_NO_LISTENER, MSG_N("pid", t->pid), MSG_S("socket", t->socket),
         MSG_N("ms", ATTACH_SOCKET_WAIT_MS));
out:
    unlink(trigger);
    free(trigger);
    return rc;
}

static uint64_t now_ms(void)
{
    return time_monotonic_ms();
}

/* Read to EOF with a deadline over the whole reply. */
static enum attach_result read_reply(int fd, int timeout_s, struct strbuf *sb, struct errs err)
{
    uint64_t deadline = now_ms() + (uint64_t)timeout_s * 1000;
    char buf[65536];
    for (;;) {
        uint64_t now = now_ms();
        if (now >= deadline) {
            fail(err, MSG_ATTACH_NO_REPLY, MSG_N("s", timeout_s), MSG_N("bytes", sb->len));
            return ATTACH_NO_REPLY;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, (int)(deadline - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fail(err, MSG_ATTACH_POLL, MSG_S("error", strerror(errno)));
            return ATTACH_FAILED;
        }
        if (r == 0)
            continue;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fail(err, MSG_ATTACH_READ, MSG_S("error", strerror(errno)));
            return ATTACH_FAILED;
        }
        if (n == 0)
            return ATTACH_OK;
        if (sb->len < ATTACH_REPLY_MAX)
            strbuf_append(sb, buf, (size_t)n);
    }
}

enum attach_result attach_run(const struct attach_request *req, char **out, size_t *len, int *code,
                              char *err, char *err_zh)
{
    struct errs errs = {err, err_zh};
    *out = NULL;
    *len = 0;
    *code = -1;
    /* The pidfd first: every check below is about the process it names. */
    int pidfd = live_proc(req->proc_root) ? pidfd_open_compat(req->pid) : -1;
    struct target t = {0};
    bool may_signal = false;
    char refusal[WR_ERR_MAX] = "", refusal_zh[WR_ERR_MAX] = "";
    enum attach_result rc =
        check_target(req, &t, &may_signal, (struct errs){refusal, refusal_zh}, errs);
    int fd = -1;
    if (rc != ATTACH_OK)
        goto out;
    /* A listener already up (a previous attach, or -Xrs which starts it at startup) needs
     * no signal at all. */
    fd = connect_socket(t.socket);
    if (fd < 0) {
        if (!may_signal) {
            fail(errs, MSG_ATTACH_WONT_START, MSG_B("why", refusal, refusal_zh));
            rc = ATTACH_REFUSED;
            goto out;
        }
        rc = start_listener(&t, pidfd, &fd, errs);
        if (rc != ATTACH_OK)
            goto out;
    }
    char request[2200];
    size_t n = attach_build_request(request, sizeof(request), req->command, req->arg0, NULL, NULL);
    if (n == 0 || write(fd, request, n) != (ssize_t)n) {
        const char *why = n ? strerror(errno) : NULL;
        fail(errs, MSG_ATTACH_NO_SEND, MSG_S("socket", t.socket),
             MSG_B("error", why ? why : msg_template(MSG_ATTACH_TOO_LONG, LANG_EN),
                   why ? why : msg_template(MSG_ATTACH_TOO_LONG, LANG_ZH)));
        rc = ATTACH_FAILED;
        goto out;
    }
    struct strbuf sb = {0};
    int timeout = req->timeout_s > 0 ? req->timeout_s : ATTACH_REPLY_TIMEOUT_S;
    rc = read_reply(fd, timeout, &sb, errs);
    size_t body;
    if (rc == ATTACH_OK && attach_parse_reply(sb.data ? sb.data : "", sb.len, code, &body) != 0) {
        fail(errs, sb.len ? MSG_ATTACH_BAD_REPLY : MSG_ATTACH_EMPTY_REPLY, MSG_END);
        rc = ATTACH_FAILED;
    }
    if (rc == ATTACH_OK) {
        *len = sb.len - body;
        *out = xstrndup(sb.data + body, *len);
    }
    strbuf_free(&sb);
out:
    if (fd >= 0)
        close(fd);
    if (pidfd >= 0)
        close(pidfd);
    target_clear(&t);
    return rc;
}
