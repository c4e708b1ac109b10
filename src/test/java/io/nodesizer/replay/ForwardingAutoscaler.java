package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.Autoscaler;

/** An autoscaler that forwards everything to another; tests override a method to look at the cluster on the way. */
public abstract class ForwardingAutoscaler implements Autoscaler {
    protected final Autoscaler inner;

    protected ForwardingAutoscaler(Autoscaler inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void start(Cluster cluster) {
        inner.start(cluster);
    }

    @Override
    public void tick(Cluster cluster) {
        inner.tick(cluster);
    }

    @Override
    public void warmStartSettled(Cluster cluster) {
        inner.warmStartSettled(cluster);
    }

    @Override
    public long nextTick(Cluster cluster, long lastTick, boolean changed) {
        return inner.nextTick(cluster, lastTick, changed);
    }

    @Override
    public long period() {
        return inner.period();
    }

    @Override
    public int expendableCutoff() {
        return inner.expendableCutoff();
    }

    @Override
    public String keepsNode(io.nodesizer.model.PodGroup group) {
        return inner.keepsNode(group);
    }

    @Override
    public boolean[] zoneCounted(java.util.List<io.nodesizer.model.PodGroup> groups) {
        return inner.zoneCounted(groups);
    }
}
