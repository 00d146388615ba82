/*
 * A tiny server that listens on 127.0.0.1:PORT; when the port is taken it logs
 * the BindException with an ISO-8601 timestamp (log4j2's pattern) and exits 2.
 * Usage: Server PORT
 */
package com.example.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;

public final class Server {
    private Server() {
    }

    private static void log(String level, String message) {
        System.out.printf("%s %-5s [main] com.example.net.Server - %s%n", Instant.now(), level, message);
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        log("INFO", "binding 127.0.0.1:" + port);
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            log("INFO", "listening on " + socket.getLocalSocketAddress());
        } catch (IOException e) {
            log("ERROR", "cannot listen on 127.0.0.1:" + port);
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
    }
}
