/*
 * A service compiled against greeter 2.0 but started with greeter 1.0 first on
 * its classpath: every request fails with a NoSuchMethodError, logged the way
 * Spring Boot's default logback pattern does, then the service gives up.
 * Usage: ShopApp REQUESTS
 */
package com.example.shop;

import com.example.greeter.Greeter;
import java.text.SimpleDateFormat;
import java.util.Date;

public final class ShopApp {
    private ShopApp() {
    }

    private static void log(String level, String message) {
        String ts = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS").format(new Date());
        System.out.printf("%s %5s %d --- [           main] com.example.shop.ShopApp         : %s%n",
                ts, level, ProcessHandle.current().pid(), message);
    }

    static String handle(int request) {
        return Greeter.greet("customer " + request, 2);
    }

    public static void main(String[] args) {
        int requests = Integer.parseInt(args[0]);
        log("INFO", "Starting ShopApp using Java " + System.getProperty("java.version"));
        int failed = 0;
        for (int i = 1; i <= requests; i++) {
            try {
                System.out.print(handle(i));
            } catch (Throwable t) {
                failed++;
                log("ERROR", "request " + i + " failed");
                new IllegalStateException("request " + i + " failed", t).printStackTrace(System.out);
            }
        }
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }
}
