package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

/**
 * A node group the autoscaler can grow: one shape, its pod-allocatable (allocatable minus the
 * DaemonSet pods every node of it runs) and price.
 *
 * @param index         position in the cluster's pool list
 * @param shape         the node shape
 * @param daemonSetLoad what the DaemonSets take on every node of this shape
 * @param daemonSetScoring what kube-scheduler's scoring counts of those DaemonSet pods (the defaults of containers
 *                      without requests: {@link io.nodesizer.kube.DaemonSetPlacement.Load#scoring()})
 * @param podCapacity   allocatable minus DaemonSets, per {@link Resource} (not to be mutated)
 * @param labels        the labels its nodes carry ({@link io.nodesizer.kube.NodeLabels})
 * @param cloud         the cloud whose node group it is ("aws", "gce", "azure"), whose scale-in order a scheduled replay
 *                      follows: the shape's ({@link NodeShape#cloud}), else {@link #ASSUMED_CLOUD} or what an export says
 */
public record Pool(int index, NodeShape shape, Resources daemonSetLoad, Resources daemonSetScoring, long[] podCapacity,
                   java.util.Map<String, String> labels, String cloud) {
    /**
     * The cloud a node group of a shape naming none (an inline shape without --overhead eks, gke or aks) is taken to be in:
     * AWS, as the schedule exports take it (windows --export cronjob runs the AWS CLI for it, aws-asg writes its actions),
     * so that the plan replayed is the one exported (fix 76f: it was replayed in GCE's random order).
     */
    public static final String ASSUMED_CLOUD = "aws";

    /** A pool whose DaemonSets' containers are not known: scoring counts their requests as they are. */
    public static Pool of(int index, NodeShape shape, Resources daemonSetLoad) {
        return of(index, shape, daemonSetLoad, daemonSetLoad);
    }

    /** A pool of the DaemonSet pods {@code load} places on its nodes. */
    public static Pool of(int index, NodeShape shape, io.nodesizer.kube.DaemonSetPlacement.Load load) {
        return of(index, shape, load.requests(), load.scoring());
    }

    private static Pool of(int index, NodeShape shape, Resources daemonSetLoad, Resources daemonSetScoring) {
        return new Pool(index, shape, daemonSetLoad, daemonSetScoring, podCapacity(shape.allocatable(), daemonSetLoad),
                io.nodesizer.kube.NodeLabels.of(shape), shape.cloud() != null ? shape.cloud() : ASSUMED_CLOUD);
    }

    /**
     * This pool in {@code assumed} ("aws", "gce", "azure") when its shape names no cloud (windows --export azure-vmss: an
     * Azure scale set's); a shape's own cloud stands.
     */
    public Pool assumingCloud(String assumed) {
        return shape.cloud() != null ? this : new Pool(index, shape, daemonSetLoad, daemonSetScoring, podCapacity, labels, assumed);
    }

    /** {@code allocatable} less the DaemonSets' {@code daemonSetLoad} per {@link Resource}; all 0 when the DaemonSets do not fit. */
    public static long[] podCapacity(Resources allocatable, Resources daemonSetLoad) {
        long[] alloc = allocatable.toArray();
        long[] ds = daemonSetLoad.toArray();
        long[] cap = new long[DemandTable.D];
        for (int r = 0; r < cap.length; r++) {
            cap[r] = Math.max(0, alloc[r] - ds[r]);
        }
        boolean dsFit = true;
        for (int r = 0; r < cap.length; r++) {
            dsFit &= ds[r] <= alloc[r];
        }
        if (!dsFit) {
            java.util.Arrays.fill(cap, 0);
        }
        return cap;
    }

    public String name() {
        return shape.name();
    }

    /** Price per hour, or NaN when the shape has none. */
    public double pricePerHour() {
        return shape.pricePerHourUsd() == null ? Double.NaN : shape.pricePerHourUsd();
    }

    /** Whether one pod with this demand row fits an empty node of this pool (GPU devices included). */
    public boolean fitsEmpty(long[] demand, int offset) {
        for (int r = 0; r < DemandTable.D; r++) {
            if (demand[offset + r] > podCapacity[r]) {
                return false;
            }
        }
        return GpuDevices.fitsEmpty(podCapacity[Resource.GPU.ordinal()], demand[offset + Resource.GPU.ordinal()]);
    }

    /** Whether one pod of the group fits an empty node of this pool: resources, GPU devices and GPU model. */
    public boolean fitsEmpty(io.nodesizer.model.PodGroup group) {
        long[] row = group.request().toArray();
        return fitsEmpty(row, 0) && allows(group);
    }

    /**
     * Whether the group may use the pool's nodes: its GPU model and vendor (always, for pods without GPUs),
     * and its node selector, required node affinity and tolerations against the pool's labels and taints.
     */
    public boolean allows(io.nodesizer.model.PodGroup group) {
        return group.gpusServedBy(shape) && io.nodesizer.kube.NodeMatching.onShape(group.placement(), shape, labels) == null;
    }

    /** GPU devices a node of this pool has for pods ({@link GpuDevices}). */
    public int gpuDevices() {
        return GpuDevices.count(podCapacity[Resource.GPU.ordinal()]);
    }

    public long allocatable(Resource r) {
        return shape.allocatable().get(r);
    }
}
