package com.acme.util;

/** acme-util 1.0: string helpers. */
public final class Strings {
    private Strings() {
    }

    public static String shout(String s) {
        return s.toUpperCase() + "!";
    }
}
