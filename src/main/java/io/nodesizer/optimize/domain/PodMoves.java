package io.nodesizer.optimize.domain;

import java.util.Arrays;

/**
 * The pods of one working solution whose node was set since each reader last asked: {@link Pod#setNode}
 * reports here, every reader keeps its own list (each pod at most once), so a reader learns which pods
 * to look at instead of reading all of them every step. Reports include moves Timefold tried and
 * undid: a reader still compares each pod's node with the one it saw.
 */
public final class PodMoves {
    /** One reader's pods since it last drained them, in the order first reported, and which are listed. */
    public static final class Reader {
        private int[] listed;
        private int count;
        private final boolean[] in;

        private Reader(int pods) {
            this.listed = new int[Math.min(pods, 64)];
            this.in = new boolean[pods];
        }

        private void add(int pod) {
            if (!in[pod]) {
                in[pod] = true;
                if (count == listed.length) {
                    listed = Arrays.copyOf(listed, Math.min(in.length, count * 2));
                }
                listed[count++] = pod;
            }
        }

        /**
         * The pods reported since the last call, ascending by index (the order a scan of every pod
         * visits them), into {@code into}; returns how many. Forgets them.
         */
        public int drain(int[] into) {
            int n = count;
            System.arraycopy(listed, 0, into, 0, n);
            Arrays.sort(into, 0, n);
            for (int i = 0; i < n; i++) {
                in[into[i]] = false;
            }
            count = 0;
            return n;
        }
    }

    private final int pods;
    private Reader[] readers = new Reader[0];

    PodMoves(int pods) {
        this.pods = pods;
    }

    /** A new reader, which sees the moves from now on. */
    public Reader reader() {
        Reader r = new Reader(pods);
        readers = Arrays.copyOf(readers, readers.length + 1);
        readers[readers.length - 1] = r;
        return r;
    }

    void moved(int pod) {
        for (Reader r : readers) {
            r.add(pod);
        }
    }
}
