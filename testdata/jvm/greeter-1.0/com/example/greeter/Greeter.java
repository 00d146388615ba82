/* com.example:greeter:1.0 - the old version a classpath may also hold (test_logs.py). */
package com.example.greeter;

public final class Greeter {
    private Greeter() {
    }

    public static String greet(String name) {
        return "Hello, " + name;
    }
}
