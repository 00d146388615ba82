/* com.example:greeter:2.0 - adds greet(String, int), which the shop is compiled against. */
package com.example.greeter;

public final class Greeter {
    private Greeter() {
    }

    public static String greet(String name) {
        return "Hello, " + name;
    }

    public static String greet(String name, int times) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < times; i++) {
            sb.append(greet(name)).append('\n');
        }
        return sb.toString();
    }
}
