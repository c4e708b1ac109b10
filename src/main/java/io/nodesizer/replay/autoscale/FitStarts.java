package io.nodesizer.replay.autoscale;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Where a group's next first fit may start in a what-if, for groups whose pods' admission only
 * narrows while nothing is taken back (free room only shrinks, slots only close): no slot before
 * the one its last pod landed on takes it, bar the slot that search skipped (the node being
 * emptied). CA's unneeded pass moves every node's pods first fit from the first slot, and the pods
 * of a group then start where the last one landed, not from slot 0. {@link #forget} (room came
 * back) drops every remembered start. Used by {@link Headroom} and {@link PlainMoves}.
 */
final class FitStarts {
    /** Per group: while {@code stamp} is {@link #current}, the slot its last search landed on (MAX_VALUE: none) and the slot it skipped before that (-1: none). */
    private int[] from = new int[0];
    private int[] skipped = new int[0];
    private int[] stamp = new int[0];
    private int current = 1;

    /**
     * The slot a first fit of a pod of {@code group}, other than on {@code except} (-1: none), may
     * start from (0: nothing remembered); {@code closed} says which slots take no pod any more.
     */
    int start(int group, int except, IntPredicate closed) {
        if (group < stamp.length && stamp[group] == current) {
            int s = skipped[group];
            // The slot the last search skipped may take this pod unless it is skipped again or closed.
            if (s < 0 || s == except || closed.test(s)) {
                return from[group];
            }
        }
        return 0;
    }

    /** The first fit of a pod of {@code group}, other than on {@code except}, landed on {@code slot} (-1: none fits). */
    void landed(int group, int slot, int except) {
        if (group >= stamp.length) {
            int c = Math.max(group + 1, stamp.length * 2);
            from = Arrays.copyOf(from, c);
            skipped = Arrays.copyOf(skipped, c);
            stamp = Arrays.copyOf(stamp, c);
        }
        stamp[group] = current;
        from[group] = slot >= 0 ? slot : Integer.MAX_VALUE;
        skipped[group] = except >= 0 && except < from[group] ? except : -1;
    }

    /** Room came back somewhere: a group's pods may fit before where the last one landed. */
    void forget() {
        if (++current == 0) { // wrapped: no group may look remembered
            Arrays.fill(stamp, 0);
            current = 1;
        }
    }
}
