/* Allocates until the heap is exhausted: run with a small -Xmx to die of OutOfMemoryError. */
package com.example.hog;

import java.util.ArrayList;
import java.util.List;

public final class Hog {
    private static final int BLOCK = 1 << 20;

    private Hog() {
    }

    public static void main(String[] args) {
        System.out.println("hog: allocating " + BLOCK + "-byte blocks");
        List<byte[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new byte[BLOCK]);
        }
    }
}
