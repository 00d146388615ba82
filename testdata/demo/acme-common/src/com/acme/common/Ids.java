package com.acme.common;

import java.util.concurrent.atomic.AtomicLong;

/** acme-common: copied twice onto the demo classpath, byte for byte. */
public final class Ids {
    private static final AtomicLong NEXT = new AtomicLong();

    private Ids() {
    }

    public static long next() {
        return NEXT.incrementAndGet();
    }
}
