package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The index finds exactly what a linear scan over the positions finds, through updates. */
class ReadyIndexTest {
    private static final int D = DemandTable.D;

    @Test
    void firstFitMatchesALinearScan() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            int n = 1 + r.nextInt(300);
            long[] free = new long[n * D];
            ReadyIndex index = new ReadyIndex();
            for (int p = 0; p < n; p++) {
                for (int k = 0; k < D; k++) {
                    free[p * D + k] = r.nextInt(10);
                }
                index.set(p, free, p * D);
            }
            for (int q = 0; q < 500; q++) {
                if (r.nextInt(3) == 0) {
                    int p = r.nextInt(n);
                    for (int k = 0; k < D; k++) {
                        free[p * D + k] = r.nextInt(10);
                    }
                    index.set(p, free, p * D);
                }
                long[] demand = new long[D];
                for (int k = 0; k < D; k++) {
                    demand[k] = r.nextInt(10);
                }
                int from = r.nextInt(n + 1);
                int to = from + r.nextInt(n + 1 - from);
                int expected = -1;
                for (int p = from; p < to && expected < 0; p++) {
                    boolean fits = true;
                    for (int k = 0; k < D; k++) {
                        fits &= demand[k] <= free[p * D + k];
                    }
                    if (fits) {
                        expected = p;
                    }
                }
                assertThat(index.first(from, to, demand, 0)).as("round %d query %d", round, q).isEqualTo(expected);
            }
            index.clear(n - 1);
            assertThat(index.leaf(n - 1, 0)).isEqualTo(-1);
        }
    }

    /**
     * Loose writes (a what-if's): first fit stays that of a linear scan while the maxima only cover
     * their subtrees, and a batch of leaves written alone then settled leaves them exact, through
     * growth and exact writes in between.
     */
    @Test
    void looseWritesFindWhatALinearScanFindsAndSettleExact() {
        SplittableRandom r = new SplittableRandom(13);
        for (int round = 0; round < 40; round++) {
            int n = 1 + r.nextInt(200);
            long[] free = new long[4 * n * D];
            ReadyIndex index = new ReadyIndex();
            for (int p = 0; p < n; p++) {
                randomRow(r, free, p);
                index.set(p, free, p * D);
            }
            for (int step = 0; step < 600; step++) {
                int op = r.nextInt(12);
                int p = r.nextInt(n);
                if (op < 5) {
                    // mostly lower, sometimes raise: a move onto the node, or one taken back
                    for (int k = 0; k < D; k++) {
                        free[p * D + k] = r.nextInt(4) == 0 ? r.nextInt(10) : Math.max(-1, free[p * D + k] - r.nextInt(4));
                    }
                    index.setLoose(p, free, p * D);
                } else if (op == 5 && n < free.length / D) {
                    randomRow(r, free, n); // the tree grows under loose maxima
                    index.setLoose(n, free, n * D);
                    n++;
                } else if (op == 6) {
                    // an undo: several leaves written alone, then settled
                    for (int u = r.nextInt(8); u >= 0; u--) {
                        int q = r.nextInt(n);
                        randomRow(r, free, q);
                        index.setLeaf(q, free, q * D);
                    }
                    index.settle();
                    assertThat(index.maximaHold(false)).as("round %d step %d: exact after settle", round, step).isTrue();
                } else if (op == 7) {
                    randomRow(r, free, p);
                    index.set(p, free, p * D);
                } else {
                    long[] demand = new long[D];
                    for (int k = 0; k < D; k++) {
                        demand[k] = r.nextInt(8);
                    }
                    int from = r.nextInt(n + 1);
                    assertThat(index.first(from, n, demand, 0)).as("round %d step %d", round, step).isEqualTo(linearFirst(free, demand, from, n));
                    assertThat(index.maximaHold(true)).as("round %d step %d: maxima cover", round, step).isTrue();
                }
            }
            index.settle();
            assertThat(index.maximaHold(false)).isTrue();
        }
    }

    /** An index over {@code n} positions with random free amounts, written into {@code free} too. */
    private static ReadyIndex filled(SplittableRandom r, long[] free, int n) {
        ReadyIndex index = new ReadyIndex();
        for (int p = 0; p < n; p++) {
            randomRow(r, free, p);
            index.set(p, free, p * D);
        }
        return index;
    }

    /** Up to {@link ReadyIndex#MAX_ROWS} random requests (so each can have a row), amounts below {@code bound}. */
    private static long[][] randomRequests(SplittableRandom r, int bound) {
        long[][] requests = new long[1 + r.nextInt(ReadyIndex.MAX_ROWS)][D];
        for (long[] request : requests) {
            for (int k = 0; k < D; k++) {
                request[k] = r.nextInt(bound);
            }
        }
        return requests;
    }

    /** Every position that fits one of the first {@code count} requests has its bit in the request's row. */
    private static void assertFittingPositionsHaveBits(ReadyIndex index, long[] free, int n, long[][] requests, int[] rows, int count, int round) {
        for (int q = 0; q < count; q++) {
            long[] bits = index.bits(rows[q]);
            for (int p = 0; p < n; p++) {
                if (linearFirst(free, requests[q], p, p + 1) == p) {
                    assertThat(bits[p >> 6] & 1L << p).as("round %d: position %d fits request %d, its bit is set", round, p, q).isNotZero();
                }
            }
        }
    }

    private static void randomRow(SplittableRandom r, long[] free, int p) {
        for (int k = 0; k < D; k++) {
            free[p * D + k] = r.nextInt(10);
        }
    }

    private static int linearFirst(long[] free, long[] demand, int from, int to) {
        for (int p = from; p < to; p++) {
            boolean fits = true;
            for (int k = 0; k < D; k++) {
                fits &= demand[k] <= free[p * D + k];
            }
            if (fits) {
                return p;
            }
        }
        return -1;
    }

    @Test
    void registeredRequestsFindWhatTheTreeFindsThroughUpdatesAndGrowth() {
        SplittableRandom r = new SplittableRandom(9);
        for (int round = 0; round < 20; round++) {
            ReadyIndex index = new ReadyIndex();
            long[][] requests = new long[ReadyIndex.MAX_ROWS + 3][D];
            int[] rows = new int[requests.length];
            for (int q = 0; q < requests.length; q++) {
                for (int k = 0; k < D; k++) {
                    requests[q][k] = r.nextInt(8);
                }
                rows[q] = index.row(requests[q], 0);
                assertThat(index.row(requests[q].clone(), 0)).as("the same request, the same row").isEqualTo(rows[q]);
            }
            assertThat(rows).contains(-1); // more requests than rows
            int n = 0;
            long[] free = new long[0];
            for (int step = 0; step < 2000; step++) {
                int op = r.nextInt(10);
                if (op == 0 || n == 0) {
                    // a new position past the end: the index grows as the ready list does
                    n++;
                    free = java.util.Arrays.copyOf(free, n * D);
                    int p = n - 1;
                    for (int k = 0; k < D; k++) {
                        free[p * D + k] = r.nextInt(10);
                    }
                    index.set(p, free, p * D);
                } else if (op == 1) {
                    // the last position empties, as when a node stops being ready
                    n--;
                    index.clear(n);
                    free = java.util.Arrays.copyOf(free, n * D);
                } else if (op <= 4) {
                    int p = r.nextInt(n);
                    int k = r.nextInt(D);
                    free[p * D + k] = Math.max(0, free[p * D + k] + r.nextInt(-3, 4));
                    index.set(p, free, p * D);
                }
                int q = r.nextInt(requests.length);
                int from = r.nextInt(n + 1);
                int to = from + r.nextInt(n + 1 - from);
                int expected = index.first(from, to, requests[q], 0);
                if (rows[q] >= 0) {
                    assertThat(index.nextFit(rows[q], from, to)).as("round %d step %d", round, step).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A what-if's lowered leaves ({@link ReadyIndex#lower}) leave their row bits as they were: the
     * bits may say a node fits that no longer does, never the reverse, and {@code nextFitting}
     * still finds what a linear scan finds, clearing the stale bits it meets. Exact writes (a pod
     * taken back, an undo) and closed leaves between them, with and without the tree walked (then
     * {@code lower} keeps the maxima too).
     */
    @Test
    void loweredLeavesKeepStaleBitsYetNextFittingFindsWhatALinearScanFinds() {
        SplittableRandom r = new SplittableRandom(21);
        for (int round = 0; round < 40; round++) {
            int n = 1 + r.nextInt(200);
            long[] free = new long[n * D];
            ReadyIndex index = filled(r, free, n);
            long[][] requests = randomRequests(r, 8);
            int[] rows = new int[requests.length];
            for (int q = 0; q < requests.length; q++) {
                rows[q] = index.row(requests[q], 0);
            }
            boolean walk = round % 4 == 3;
            for (int step = 0; step < 600; step++) {
                int op = r.nextInt(10);
                int p = r.nextInt(n);
                if (op < 4) {
                    // a pod moves in: no resource rises
                    for (int k = 0; k < D; k++) {
                        free[p * D + k] = Math.max(0, free[p * D + k] - r.nextInt(4));
                    }
                    index.lower(p, free, p * D);
                } else if (op == 4) {
                    java.util.Arrays.fill(free, p * D, p * D + D, -1); // closed: fits nothing
                    index.lower(p, free, p * D);
                } else if (op == 5) {
                    randomRow(r, free, p); // taken back, or undone: exact
                    if (r.nextBoolean()) {
                        index.setLeaf(p, free, p * D);
                        index.settle();
                    } else {
                        index.setLoose(p, free, p * D);
                    }
                } else {
                    int q = r.nextInt(requests.length);
                    int from = r.nextInt(n + 1);
                    if (walk && op == 6) {
                        assertThat(index.first(from, n, requests[q], 0)).isEqualTo(linearFirst(free, requests[q], from, n));
                    }
                    assertThat(index.nextFitting(rows[q], from, n)).as("round %d step %d", round, step)
                            .isEqualTo(linearFirst(free, requests[q], from, n));
                }
            }
            assertFittingPositionsHaveBits(index, free, n, requests, rows, requests.length, round);
        }
    }

    /**
     * A what-if's pods moved in ({@link ReadyIndex#take}) and out again ({@link ReadyIndex#untake}),
     * in any order, with searches between them that clear the stale bits they meet: {@code
     * nextFitting} finds what a linear scan finds throughout, and at the end every position that
     * fits a request has its bit. The bits a search cleared come back where a pod given back makes
     * the node fit again (without that, a node emptied again by a failed try would be missed), and
     * so do those of a request registered while pods were moved in; with and without the tree walked.
     */
    @Test
    void podsGivenBackBringBackTheBitsSearchesCleared() {
        SplittableRandom r = new SplittableRandom(33);
        for (int round = 0; round < 40; round++) {
            int n = 1 + r.nextInt(200);
            long[] free = new long[n * D];
            ReadyIndex index = filled(r, free, n);
            long[][] requests = randomRequests(r, 5);
            int[] rows = new int[requests.length];
            int registered = 1 + r.nextInt(requests.length); // the others get their rows mid-way, as a what-if meets a new request
            for (int q = 0; q < registered; q++) {
                rows[q] = index.row(requests[q], 0);
            }
            boolean walk = round % 4 == 3;
            if (walk) {
                index.first(0, n, requests[0], 0); // the tree's maxima are kept from now on
            }
            java.util.List<int[]> moves = new java.util.ArrayList<>();
            for (int step = 0; step < 600; step++) {
                int op = r.nextInt(10);
                if (registered < requests.length && r.nextInt(40) == 0) {
                    rows[registered] = index.row(requests[registered], 0);
                    registered++;
                }
                int q = r.nextInt(registered);
                if (op < 4) {
                    int p = r.nextInt(n);
                    if (linearFirst(free, requests[q], p, p + 1) == p) { // a pod moves in where it fits
                        for (int k = 0; k < D; k++) {
                            free[p * D + k] -= requests[q][k];
                        }
                        index.take(p, requests[q], 0);
                        moves.add(new int[]{p, q});
                    }
                } else if (op < 7 && !moves.isEmpty()) {
                    int[] m = moves.remove(r.nextInt(moves.size())); // and out again
                    for (int k = 0; k < D; k++) {
                        free[m[0] * D + k] += requests[m[1]][k];
                    }
                    index.untake(m[0], requests[m[1]], 0);
                } else {
                    int from = r.nextInt(n + 1);
                    if (walk) {
                        assertThat(index.first(from, n, requests[q], 0)).isEqualTo(linearFirst(free, requests[q], from, n));
                    }
                    assertThat(index.nextFitting(rows[q], from, n)).as("round %d step %d", round, step)
                            .isEqualTo(linearFirst(free, requests[q], from, n));
                }
            }
            assertFittingPositionsHaveBits(index, free, n, requests, rows, registered, round);
            assertThat(index.rowsSetHolds()).as("round %d: rowsSet mirrors the bits, stale ones too", round).isTrue();
        }
    }

    /**
     * A leaf's write changes only the bits of the rows in which its fit differs from {@code rowsSet}, so {@code rowsSet}
     * must mirror the bits exactly: every way a row bit goes clear or set keeps it (review 70 #6), else a write would
     * leave a wrong bit. A bit a search cleared as stale, and the bits of a leaf lowered to nothing (a close), come back
     * when the leaf has room again.
     */
    @Test
    void bitsClearedByASearchOrACloseComeBackWhenTheLeafIsRoomyAgain() {
        long[] roomy = filledWith(10);
        for (boolean close : new boolean[] {false, true}) {
            ReadyIndex index = new ReadyIndex();
            index.set(0, roomy, 0);
            int row = index.row(filledWith(5), 0);
            index.set(0, new long[D], 0); // written without room: exact
            index.set(0, roomy, 0);       // roomy: every bit set, the position marked
            if (close) {
                index.lower(0, filledWith(-1), 0); // fits nothing: its bits go at once
            } else {
                index.lower(0, filledWith(1), 0);  // a stale bit, which the search clears
                assertThat(index.nextFitting(row, 0, 1)).isEqualTo(-1);
            }
            index.set(0, roomy, 0);       // roomy again: the bits must be written back
            assertThat(index.bitsExact()).as(close ? "after a close" : "after a stale clear").isTrue();
            assertThat(index.nextFit(row, 0, 1)).isZero();
        }
    }

    private static long[] filledWith(long v) {
        long[] a = new long[D];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
