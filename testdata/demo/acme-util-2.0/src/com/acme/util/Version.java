package com.acme.util;

/** The library's own idea of its version; differs between 1.0 and 2.0. */
public final class Version {
    public static final String VALUE = "2.0";

    private Version() {
    }
}
