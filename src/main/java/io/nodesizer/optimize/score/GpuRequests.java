package io.nodesizer.optimize.score;

import io.nodesizer.engine.GpuDevices;

/**
 * The GPU requests (thousandths, ascending) of the GPU pods on one node (not to be mutated).
 */
public record GpuRequests(long[] requests) {

    /**
     * Answers already worked out, per device count and multiset: a local search asks about the
     * same few node contents again and again. Cleared when it grows large.
     */
    private static final java.util.concurrent.ConcurrentHashMap<GpuRequests, Boolean>[] MEMO = newMemo();
    private static final int MEMO_LIMIT = 200_000;
    /**
     * Exact-search nodes per check: a move's score asks about a node's contents, and a local search evaluates hundreds of
     * thousands of moves; contents the greedy order cannot place and no device packing holds (shares that fill devices
     * exactly) spent the whole search each time (GpuDevices.EXACT_NODES): 15 CPU-minutes on 120 shares (QA 38b finding 5).
     * Past this the contents are taken not to fit: the safe side, a move not made.
     */
    static final long LOCAL_SEARCH_NODES = 10_000;

    @SuppressWarnings("unchecked")
    private static java.util.concurrent.ConcurrentHashMap<GpuRequests, Boolean>[] newMemo() {
        java.util.concurrent.ConcurrentHashMap<GpuRequests, Boolean>[] m = new java.util.concurrent.ConcurrentHashMap[GpuDevices.MAX + 1];
        for (int i = 0; i < m.length; i++) {
            m[i] = new java.util.concurrent.ConcurrentHashMap<>();
        }
        return m;
    }

    /** Whether the pods get devices of a node with {@code devices} GPUs, as the engine gives them ({@link GpuDevices#assign}). */
    public boolean fit(int devices) {
        if (devices == 0) {
            return true;
        }
        var memo = MEMO[devices];
        Boolean known = memo.get(this);
        if (known != null) {
            return known;
        }
        boolean fits = GpuDevices.assign(requests, devices, new long[] {LOCAL_SEARCH_NODES}) != null;
        if (memo.size() > MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(this, fits);
        return fits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpuRequests other && java.util.Arrays.equals(requests, other.requests);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(requests);
    }

    @Override
    public String toString() {
        return "GpuRequests" + java.util.Arrays.toString(requests);
    }
}
