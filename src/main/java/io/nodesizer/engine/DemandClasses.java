package io.nodesizer.engine;

import java.util.Arrays;

/**
 * The table's groups by demand row: groups whose requests are equal on every resource share a
 * class, numbered 0..count-1 in order of first appearance. A trace of 150,000 single pods has
 * ~120 distinct requests, so what reads only sizes (the lower bounds, the decreasing order) can
 * work per class instead of per group. Built once per table ({@link DemandTable#demandClasses()}).
 *
 * @param ofGroup the class of each group; not to be mutated
 * @param count   the number of classes
 */
public record DemandClasses(int[] ofGroup, int count) {
    private static final int D = DemandTable.D;

    /** Classes of the rows of {@code demand} (stride {@link DemandTable#D}), {@code groups} of them. */
    static DemandClasses of(long[] demand, int groups) {
        // Open addressing over the rows, no boxing: a large trace is many groups.
        int size = Integer.highestOneBit(Math.max(1, groups)) << 2; // a power of two, at least twice the groups: short probes
        int mask = size - 1;
        int[] slots = new int[size];
        Arrays.fill(slots, -1);
        int[] first = new int[groups]; // per class, its first group
        int[] ofGroup = new int[groups];
        int count = 0;
        for (int g = 0; g < groups; g++) {
            int row = g * D;
            long h = 0;
            for (int r = 0; r < D; r++) {
                h = (h + demand[row + r]) * 0x9E3779B97F4A7C15L;
            }
            int slot = (int) (h ^ (h >>> 32)) & mask;
            while (true) {
                int c = slots[slot];
                if (c < 0) {
                    slots[slot] = count;
                    first[count] = g;
                    ofGroup[g] = count++;
                    break;
                }
                if (Arrays.equals(demand, first[c] * D, first[c] * D + D, demand, row, row + D)) {
                    ofGroup[g] = c;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return new DemandClasses(ofGroup, count);
    }
}
