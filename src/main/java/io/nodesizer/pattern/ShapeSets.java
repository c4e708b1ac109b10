package io.nodesizer.pattern;

import java.util.Arrays;

/**
 * Sets of shapes (indices 0 … n−1), each packed as fields of (index + 1), just wide enough for n,
 * as many whole fields per long as fit and as many longs per set as the largest set needs. The set
 * bound scans up to millions of sets every round, so they stay one primitive array (one long a set
 * where they fit one, as they always did); and a set of any size fits, where one long per set held
 * at most 63 bits of fields (16 shapes and a set of 13 of them did not fit, so the bound for
 * {@code --max-pools 13} and up over them was lost).
 */
final class ShapeSets {
    private final int bits;
    private final long mask;
    private final int perWord;
    private final int stride;
    private long[] data;
    private int size;

    /**
     * @param shapes     n, the shapes the sets are drawn from
     * @param maxMembers the most shapes in one set
     * @param expected   how many sets to make room for at first
     */
    ShapeSets(int shapes, int maxMembers, int expected) {
        if (shapes < 1 || maxMembers < 1 || maxMembers > shapes) {
            throw new IllegalArgumentException("sets of at most " + maxMembers + " of " + shapes + " shapes");
        }
        this.bits = 64 - Long.numberOfLeadingZeros(shapes); // index + 1 ≤ n
        this.mask = (1L << bits) - 1;
        this.perWord = 64 / bits;
        this.stride = (maxMembers + perWord - 1) / perWord;
        this.data = new long[Math.max(1, expected) * stride];
    }

    /** Adds the set of the first {@code count} of {@code members} (each in 0 … n−1, in any order). */
    void add(int[] members, int count) {
        if ((size + 1) * (long) stride > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, (size + 1) * stride));
        }
        int base = size * stride;
        for (int i = 0; i < count; i++) {
            data[base + i / perWord] |= (long) (members[i] + 1) << (bits * (i % perWord));
        }
        size++;
    }

    int size() {
        return size;
    }

    /** The members of set {@code j} into {@code into} (room for the largest set), in the order added; returns how many. */
    int members(int j, int[] into) {
        int n = 0;
        for (int w = j * stride, end = w + stride; w < end; w++) {
            for (long rest = data[w]; rest != 0; rest >>>= bits) {
                into[n++] = (int) (rest & mask) - 1;
            }
        }
        return n;
    }

    /** The members of set {@code j}, in the order added. */
    int[] members(int j) {
        int[] into = new int[stride * perWord];
        return Arrays.copyOf(into, members(j, into));
    }

    /** Room enough for the members of any set, for {@link #members(int, int[])}. */
    int[] buffer() {
        return new int[stride * perWord];
    }
}
