package com.acme.app;

import com.acme.common.Ids;
import com.acme.util.Strings;

/**
 * The demo application. It calls Strings.whisper(), which only acme-util 2.0
 * has; with acme-util 1.0 first on the classpath it fails with NoSuchMethodError,
 * the kind of surprise wrench reports before the service starts.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println(Ids.next() + " " + Strings.whisper("Hello"));
    }
}
