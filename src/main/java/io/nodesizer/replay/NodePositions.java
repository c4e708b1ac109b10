package io.nodesizer.replay;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Dense positions for node numbers, in node order. Node numbers are never reused: over a week of
 * autoscaling ~1,000 live nodes end up spread over ~5,600 numbers, and an index over the numbers
 * carries every removed node as an empty leaf (a tree six times larger than the live nodes need, and
 * more levels to climb and pull). Positions are handed out in number order and the removed nodes'
 * positions dropped now and then ({@link #keepOnly}), so position order is node order: a first fit
 * over positions finds the node a first fit over numbers finds.
 */
final class NodePositions {
    /** Per node number: its position; for a node whose position was dropped, the position of the next node kept. */
    private int[] posOf = new int[16];
    /** Per position, its node number (increasing with the position). */
    private int[] nodeAt = new int[16];
    private int positions;
    /** Node numbers below this have a {@link #posOf}. */
    private int numbered;

    /** Gives the node numbers below {@code count} that have no position one each, in number order after the others. */
    void number(int count) {
        if (count > posOf.length) {
            posOf = Arrays.copyOf(posOf, Math.max(count, posOf.length * 2));
        }
        for (; numbered < count; numbered++) {
            if (positions == nodeAt.length) {
                nodeAt = Arrays.copyOf(nodeAt, positions * 2);
            }
            posOf[numbered] = positions;
            nodeAt[positions++] = numbered;
        }
    }

    /** Positions in use. */
    int count() {
        return positions;
    }

    /** The first position whose node number is {@code node} or more; {@link #count} when there is none. */
    int atLeast(int node) {
        return node >= numbered ? positions : posOf[node];
    }

    /** The position of {@code node}, or -1 when it has none (not numbered yet, or dropped). */
    int of(int node) {
        if (node >= numbered) {
            return -1;
        }
        int p = posOf[node];
        return p < positions && nodeAt[p] == node ? p : -1;
    }

    /** The node at position {@code pos}. */
    int node(int pos) {
        return nodeAt[pos];
    }

    /** Drops the positions of the nodes {@code keep} rejects; the others keep their order. */
    void keepOnly(IntPredicate keep) {
        int kept = 0;
        for (int p = 0; p < positions; p++) {
            if (keep.test(nodeAt[p])) {
                nodeAt[kept++] = nodeAt[p];
            }
        }
        positions = kept;
        // Every number maps to the first kept position at or after it: downwards, one pass.
        int next = kept;
        for (int node = numbered - 1; node >= 0; node--) {
            if (next > 0 && nodeAt[next - 1] == node) {
                next--;
            }
            posOf[node] = next;
        }
    }
}
