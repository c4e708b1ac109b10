package io.nodesizer.catalog;

import io.nodesizer.kube.provider.ReservationPolicy;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

/** Turns an instance type into a node shape with the allocatable its provider leaves for pods. */
public final class NodeShapes {
    private static final long MIB = 1024L * 1024;

    private NodeShapes() {
    }

    public static NodeShape toShape(InstanceType t, ReservationPolicy provider, Integer maxPodsOverride, Long diskBytesOverride) {
        ReservationPolicy policy = provider.forArch(t.arch());
        int defaultMaxPods = policy.defaultMaxPods(t.maxPods());
        int maxPods = maxPodsOverride != null ? maxPodsOverride : defaultMaxPods;
        long disk = diskBytesOverride != null ? diskBytesOverride : policy.defaultDiskBytes();
        Resources capacity = new Resources(t.vcpu() * 1000L, t.memoryMib() * MIB, maxPods, t.gpuCount() * 1000L, disk);
        return new NodeShape(t.name(), t.provider(), t.family(), t.arch(), capacity, policy.allocatable(capacity, defaultMaxPods), policy.name(),
                t.pricePerHourUsd(), t.gpuCount() > 0 ? t.gpuModel() : "", java.util.Map.of(), java.util.List.of(),
                t.gpuCount() > 0 ? t.gpuVendor() : "", policy.kubeletCapacity(capacity));
    }
}
