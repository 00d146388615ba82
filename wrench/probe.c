/*
 * probe.c - one HTTP GET to a loopback health endpoint (see probe.h).
 */
#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

/* "http://host[:port][/path]" -> host, port, path. */
static int parse_url(const char *url, char *host, size_t host_size, char *port, char *path,
                     size_t path_size)
{
    if (strncmp(url, "http://", 7) != 0)
        return -1;
    const char *h = url + 7;
    const char *slash = strchr(h, '/');
    size_t hp_len = slash ? (size_t)(slash - h) : strlen(h);
    snprintf(path, path_size, "%s", slash ? slash : "/");
    char hp[300];
    if (hp_len == 0 || hp_len >= sizeof(hp))
        return -1;
    memcpy(hp, h, hp_len);
    hp[hp_len] = '\0';
    char *colon = NULL;
    if (hp[0] == '[') { /* [::1]:8080 */
        char *close = strchr(hp, ']');
        if (!close)
            return -1;
        *close = '\0';
        snprintf(host, host_size, "%s", hp + 1);
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = strrchr(hp, ':');
        if (colon)
            *colon = '\0';
        snprintf(host, host_size, "%s", hp);
    }
    snprintf(port, 8, "%s", colon && colon[1] ? colon + 1 : "80");
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return 0;
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}

static long remaining(uint64_t deadline)
{
    uint64_t now = time_monotonic_ms();
    return now >= deadline ? 0 : (long)(deadline - now);
}

static int fail(struct probe_result *out, uint64_t t0, char *error)
{
    out->error = error;
    out->latency_ms = (long)(time_monotonic_ms() - t0);
    return -1;
}

int probe_get(const char *url, int timeout_ms, struct probe_result *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t t0 = time_monotonic_ms(), deadline = t0 + (uint64_t)timeout_ms;
    char host[300], port[8], path[1024];
    if (parse_url(url, host, sizeof(host), port, path, sizeof(path)) != 0)
        return fail(out, t0, xstrdup("not an http://host[:port]/path URL"));
    /* numeric addresses and "localhost" only: no resolver (nor NSS in the static build) */
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t ss_len;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    uint16_t port_n = (uint16_t)atoi(port);
    if (strcmp(host, "localhost") == 0) {
        v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port_n);
        ss_len = sizeof(*v4);
    } else if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port_n);
        ss_len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port_n);
        ss_len = sizeof(*v6);
    } else {
        return fail(out, t0,
                    xasprintf("%s is not a loopback address: wrench probes only the "
                              "service's own container (127.0.0.1, ::1, localhost)",
                              host));
    }
    if (!is_loopback((struct sockaddr *)&ss))
        return fail(out, t0,
                    xasprintf("%s is not a loopback address: wrench probes only the "
                              "service's own container",
                              host));
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail(out, t0, xasprintf("socket: %s", strerror(errno)));
    int rc = connect(fd, (struct sockaddr *)&ss, ss_len);
    struct pollfd pfd = {fd, POLLOUT, 0};
    if (rc != 0 && errno == EINPROGRESS && poll(&pfd, 1, (int)remaining(deadline)) == 1) {
        int so = 0;
        socklen_t len = sizeof(so);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
        rc = so ? (errno = so, -1) : 0;
    } else if (rc != 0 && errno == EINPROGRESS) {
        errno = ETIMEDOUT;
    }
    if (rc != 0) {
        int e = errno;
        close(fd);
        return fail(out, t0, xasprintf("cannot connect: %s", strerror(e)));
    }
    char *req = xasprintf("GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: wrench-probe\r\n"
                          "Connection: close\r\n\r\n",
                          path, host);
    ssize_t sent = send(fd, req, strlen(req), MSG_NOSIGNAL);
    bool ok = sent == (ssize_t)strlen(req);
    free(req);
    if (!ok) {
        close(fd);
        return fail(out, t0, xstrdup("the request could not be sent"));
    }
    char buf[512];
    size_t got = 0;
    while (got < sizeof(buf) - 1 && !memchr(buf, '\n', got)) {
        pfd = (struct pollfd){fd, POLLIN, 0};
        long left = remaining(deadline);
        if (left == 0 || poll(&pfd, 1, (int)left) != 1)
            break;
        ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    int major, minor, status;
    if (sscanf(buf, "HTTP/%d.%d %d", &major, &minor, &status) != 3 || status < 100 || status > 999)
        return fail(out, t0,
                    xasprintf(got ? "no HTTP status line in the answer" : "no answer within %d ms",
                              timeout_ms));
    out->status = status;
    out->latency_ms = (long)(time_monotonic_ms() - t0);
    return 0;
}
