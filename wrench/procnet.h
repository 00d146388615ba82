/*
 * procnet.h - the TCP sockets a process listens on, without netstat or ss:
 * /proc/PID/net/tcp and tcp6 (the process's own network namespace) joined to
 * the socket inodes of /proc/PID/fd. A JVM binds the dual-stack IPv6 wildcard
 * by default, so its ports are often only in tcp6: both files are read.
 *
 * For a LISTEN row the kernel prints the accept queue's length as rx_queue
 * (sk_ack_backlog; tcp_ipv4.c get_tcp4_sock): connections that wait in it over
 * two reads are a server that no longer accepts. (The backlog itself is not in
 * these files.)
 */
#ifndef WRENCH_PROCNET_H
#define WRENCH_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROCNET_FILE_MAX (16 * 1024 * 1024) /* bytes of one net/tcp file read */
#define PROCNET_ROWS_MAX 200000             /* sockets kept from one file */
#define PROCNET_TCP_LISTEN 0x0A             /* include/net/tcp_states.h */

/* One row of /proc/net/tcp or tcp6. */
struct net_socket {
    bool v6;
    uint8_t addr[16]; /* network byte order; IPv4 in the first 4 bytes */
    uint16_t port;
    int state; /* TCP_* number, 0x0A for LISTEN */
    uint32_t tx_queue;
    uint32_t rx_queue; /* LISTEN: connections waiting to be accepted */
    unsigned uid;
    uint64_t inode;
};

/* Parse the text of a net/tcp (v6 false) or net/tcp6 (v6 true) file and append its rows
 * to *out. Malformed lines are skipped and counted in *bad (may be NULL). */
void procnet_parse(const char *text, size_t len, bool v6, struct net_socket **out, size_t *n,
                   size_t *cap, size_t *bad);

/* "0.0.0.0", "127.0.0.1", "::", "::ffff:10.0.0.1"...: the socket's address as text. */
void procnet_format_addr(const struct net_socket *s, char *buf, size_t size);

/* The socket inodes among /proc/PID/fd's links ("socket:[N]"), sorted. Returns 0, or -1
 * with err when the fd directory cannot be listed (another user's process). */
int procnet_socket_inodes(const char *proc_root, int pid, uint64_t **inodes, size_t *n, char *err);

/* The LISTEN sockets process `pid` holds, from its namespace's tcp and tcp6 joined to its
 * fds, sorted by port (a port bound on both families appears once per family). Returns 0,
 * or -1 with err when neither net file nor the fds can be read. *out is a new array. */
int procnet_listening(const char *proc_root, int pid, struct net_socket **out, size_t *n,
                      char *err);

#endif
