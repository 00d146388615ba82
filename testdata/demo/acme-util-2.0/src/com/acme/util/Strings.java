package com.acme.util;

/** acme-util 2.0: string helpers; adds whisper(), which 1.0 lacks. */
public final class Strings {
    private Strings() {
    }

    public static String shout(String s) {
        return s.toUpperCase() + "!";
    }

    public static String whisper(String s) {
        return s.toLowerCase() + "...";
    }
}
