/*
 * A service that fails to start the way a Spring Boot 3 application reports it, in Spring
 * Boot's default console pattern: a class it was compiled against is missing at run time
 * (the test deletes Missing.class), so "Application run failed" carries a real
 * NoClassDefFoundError; then its web server cannot bind a port another process holds, and
 * the failure analyzer's "APPLICATION FAILED TO START" report follows, and main gives up
 * with an exception the JVM prints on stderr.
 * Usage: BootApp PORT [interleave]
 * With "interleave", the stack trace goes to stderr a line at a time while a heartbeat
 * line goes to stdout between its lines (a container runtime then sees both streams mixed).
 */
package com.example.boot;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.text.SimpleDateFormat;
import java.util.Date;

public final class BootApp {
    private BootApp() {
    }

    private static String header(String level, String logger) {
        String ts = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(new Date());
        return String.format("%s %5s %d --- [           main] %-40.40s : ", ts, level,
                ProcessHandle.current().pid(), logger);
    }

    private static void log(String level, String logger, String message) {
        System.out.println(header(level, logger) + message);
    }

    static Object repository() {
        return new Missing();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean interleave = args.length > 1 && args[1].equals("interleave");
        log("INFO", "com.example.boot.BootApp", "Starting BootApp v1.0 using Java "
                + System.getProperty("java.version") + " with PID " + ProcessHandle.current().pid());
        log("INFO", "com.example.boot.BootApp", "No active profile set, falling back to 1 default profile: \"default\"");
        try {
            repository();
        } catch (Throwable t) {
            IllegalStateException e = new IllegalStateException("Failed to create bean 'shopRepository'", t);
            if (interleave) {
                System.err.println(header("ERROR", "o.s.boot.SpringApplication") + "Application run failed");
                for (String line : stackTrace(e).split("\n")) {
                    System.err.println(line);
                    System.err.flush();
                    log("INFO", "com.example.boot.Heartbeat", "still alive");
                    System.out.flush();
                    Thread.sleep(5);
                }
            } else {
                System.out.print(header("ERROR", "o.s.boot.SpringApplication") + "Application run failed\n"
                        + stackTrace(e));
            }
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            log("INFO", "com.example.boot.BootApp", "Tomcat started on port " + port);
        } catch (java.net.BindException e) {
            log("ERROR", "o.s.b.d.LoggingFailureAnalysisReporter", "\n\n"
                    + "***************************\n"
                    + "APPLICATION FAILED TO START\n"
                    + "***************************\n\n"
                    + "Description:\n\n"
                    + "Web server failed to start. Port " + port + " was already in use.\n\n"
                    + "Action:\n\n"
                    + "Identify and stop the process that's listening on port " + port
                    + " or configure this application to listen on another port.\n");
        }
        System.out.flush();
        // What no logger writes: the JVM's report of the exception main lets go.
        throw new IllegalStateException("BootApp stopped: its context failed to start");
    }
}
