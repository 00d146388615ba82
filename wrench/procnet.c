/*
 * procnet.c - listening sockets of a process from /proc (see procnet.h).
 */
#include "procnet.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Parse exactly `digits` hex digits (or up to `digits` when `exact` is false) at *p. */
static bool hex_field(const char **p, const char *end, int digits, bool exact, uint64_t *out)
{
    uint64_t v = 0;
    int k = 0;
    while (*p < end && k < digits) {
        int d = hex_digit_value(**p);
        if (d < 0)
            break;
        v = (v << 4) | (uint64_t)d;
        (*p)++;
        k++;
    }
    *out = v;
    return k > 0 && (!exact || k == digits);
}

static bool dec_field(const char **p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    int k = 0;
    while (*p < end && **p >= '0' && **p <= '9' && k < 20) {
        v = v * 10 + (uint64_t)(**p - '0');
        (*p)++;
        k++;
    }
    *out = v;
    return k > 0 && k < 20;
}

static void skip_spaces(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return false;
    (*p)++;
    return true;
}

/* The kernel prints each 32-bit word of the address as %08X of its value in memory
 * (tcp_ipv4.c get_tcp4_sock, tcp_ipv6.c get_tcp6_sock): the word copied back in host
 * order gives the bytes in network order. */
static bool addr_port(const char **p, const char *end, bool v6, uint8_t addr[16], uint16_t *port)
{
    int words = v6 ? 4 : 1;
    memset(addr, 0, 16);
    for (int w = 0; w < words; w++) {
        uint64_t v;
        if (!hex_field(p, end, 8, true, &v))
            return false;
        uint32_t word = (uint32_t)v;
        memcpy(addr + 4 * w, &word, 4);
    }
    uint64_t pv;
    if (!expect(p, end, ':') || !hex_field(p, end, 4, true, &pv))
        return false;
    *port = (uint16_t)pv;
    return true;
}

/* "  0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 12345 ..." */
static bool parse_row(const char *p, const char *end, bool v6, struct net_socket *s)
{
    uint64_t v, rem_port_unused;
    uint8_t rem[16];
    uint16_t rport;
    (void)rem_port_unused;
    memset(s, 0, sizeof(*s));
    s->v6 = v6;
    skip_spaces(&p, end);
    if (!dec_field(&p, end, &v) || !expect(&p, end, ':'))
        return false;
    skip_spaces(&p, end);
    if (!addr_port(&p, end, v6, s->addr, &s->port))
        return false;
    skip_spaces(&p, end);
    if (!addr_port(&p, end, v6, rem, &rport))
        return false;
    skip_spaces(&p, end);
    if (!hex_field(&p, end, 2, true, &v))
        return false;
    s->state = (int)v;
    skip_spaces(&p, end);
    if (!hex_field(&p, end, 8, false, &v) || !expect(&p, end, ':'))
        return false;
    s->tx_queue = (uint32_t)v;
    if (!hex_field(&p, end, 8, false, &v))
        return false;
    s->rx_queue = (uint32_t)v;
    skip_spaces(&p, end);
    /* tr:tm->when */
    if (!hex_field(&p, end, 2, false, &v) || !expect(&p, end, ':') ||
        !hex_field(&p, end, 16, false, &v))
        return false;
    skip_spaces(&p, end);
    if (!hex_field(&p, end, 8, false, &v)) /* retrnsmt */
        return false;
    skip_spaces(&p, end);
    if (!dec_field(&p, end, &v) || v > UINT32_MAX)
        return false;
    s->uid = (unsigned)v;
    skip_spaces(&p, end);
    if (!dec_field(&p, end, &v)) /* timeout */
        return false;
    skip_spaces(&p, end);
    if (!dec_field(&p, end, &v))
        return false;
    s->inode = v;
    return true;
}

void procnet_parse(const char *text, size_t len, bool v6, struct net_socket **out, size_t *n,
                   size_t *cap, size_t *bad)
{
    const char *p = text, *end = text + len;
    bool header = true;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (header) {
            header = false; /* "  sl  local_address rem_address   st tx_queue ..." */
        } else if (line_end > p) {
            struct net_socket s;
            if (*n < PROCNET_ROWS_MAX && parse_row(p, line_end, v6, &s)) {
                *out = xgrow(*out, cap, *n + 1, sizeof(**out));
                (*out)[(*n)++] = s;
            } else if (bad) {
                (*bad)++;
            }
        }
        p = nl ? nl + 1 : end;
    }
}

void procnet_format_addr(const struct net_socket *s, char *buf, size_t size)
{
    char tmp[INET6_ADDRSTRLEN] = "?";
    inet_ntop(s->v6 ? AF_INET6 : AF_INET, s->addr, tmp, sizeof(tmp));
    snprintf(buf, size, "%s", tmp);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int procnet_socket_inodes(const char *proc_root, int pid, uint64_t **inodes, size_t *n, char *err)
{
    char *dir = xasprintf("%s/%d/fd", proc_root ? proc_root : "/proc", pid);
    DIR *d = opendir(dir);
    *inodes = NULL;
    *n = 0;
    if (!d) {
        err_set(err, "%s: %s", dir, strerror(errno));
        free(dir);
        return -1;
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && *n < PROCNET_ROWS_MAX) {
        if (de->d_name[0] == '.')
            continue;
        char *link = path_join(dir, de->d_name);
        char *target = read_link(link);
        free(link);
        unsigned long long inode;
        char close_bracket;
        if (target && sscanf(target, "socket:[%llu%c", &inode, &close_bracket) == 2 &&
            close_bracket == ']') {
            *inodes = xgrow(*inodes, &cap, *n + 1, sizeof(**inodes));
            (*inodes)[(*n)++] = inode;
        }
        free(target);
    }
    closedir(d);
    free(dir);
    if (*n)
        qsort(*inodes, *n, sizeof(**inodes), cmp_u64);
    return 0;
}

static int cmp_port(const void *a, const void *b)
{
    const struct net_socket *x = a, *y = b;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return (int)x->v6 - (int)y->v6;
}

int procnet_listening(const char *proc_root, int pid, struct net_socket **out, size_t *n, char *err)
{
    const char *root = proc_root ? proc_root : "/proc";
    *out = NULL;
    *n = 0;
    uint64_t *inodes;
    size_t n_inodes;
    if (procnet_socket_inodes(proc_root, pid, &inodes, &n_inodes, err) != 0)
        return -1;
    struct net_socket *all = NULL;
    size_t n_all = 0, cap_all = 0;
    int files = 0;
    for (int v6 = 0; v6 <= 1; v6++) {
        char *path = xasprintf("%s/%d/net/%s", root, pid, v6 ? "tcp6" : "tcp");
        char *text;
        size_t len;
        if (read_file_capped(path, PROCNET_FILE_MAX, &text, &len, NULL) == 0) {
            procnet_parse(text, len, v6, &all, &n_all, &cap_all, NULL);
            free(text);
            files++;
        }
        free(path);
    }
    if (files == 0) {
        err_set(err, "%s/%d/net/tcp and tcp6: %s", root, pid, strerror(errno));
        free(inodes);
        return -1;
    }
    size_t cap = 0;
    for (size_t i = 0; i < n_all; i++) {
        if (all[i].state != PROCNET_TCP_LISTEN || all[i].inode == 0)
            continue;
        if (!n_inodes || !bsearch(&all[i].inode, inodes, n_inodes, sizeof(*inodes), cmp_u64))
            continue;
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        (*out)[(*n)++] = all[i];
    }
    free(all);
    free(inodes);
    if (*n)
        qsort(*out, *n, sizeof(**out), cmp_port);
    return 0;
}
