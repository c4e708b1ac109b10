package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

/** {@code none}: a fixed cluster of {@code nodes} ready nodes of the first pool, from start to end. */
public record FixedCount(int nodes) implements Autoscaler {
    public FixedCount {
        if (nodes < 0) {
            throw new IllegalArgumentException("nodes " + nodes);
        }
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public void start(Cluster cluster) {
        for (int i = 0; i < nodes; i++) {
            cluster.addInitialNode(0);
        }
    }

    @Override
    public void tick(Cluster cluster) {
    }

    @Override
    public long nextTick(Cluster cluster, long lastTick, boolean changed) {
        return Long.MAX_VALUE;
    }

    @Override
    public long period() {
        return 0;
    }
}
