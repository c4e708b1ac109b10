package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.replay.Cluster;

/**
 * A scratch copy of the free capacity of the cluster's live nodes, on which an autoscaler tries
 * "what if" placements (first fit) without touching the cluster: which pending pods the existing
 * and upcoming nodes will absorb, whether a node's pods could move elsewhere.
 */
final class Headroom {
    private static final int D = DemandTable.D;

    private final Cluster cluster;
    private final int[] nodes;
    private final long[] free;
    private final boolean[] closed;
    private final int count;
    // GPU devices of each slot, as the cluster has them (stride 0 without GPU pods).
    private final int stride;
    private final int[] deviceLoad;
    private final java.util.Map<Integer, Long> devicesOf = new java.util.HashMap<>();
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    /** Ready nodes, and provisioning ones when {@code upcoming}. */
    Headroom(Cluster cluster, boolean upcoming) {
        this.cluster = cluster;
        int n = 0;
        int[] list = new int[Math.max(1, cluster.liveCount())];
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            byte s = cluster.state(node);
            if (s == Cluster.READY || (upcoming && s == Cluster.PROVISIONING)) {
                list[n++] = node;
            }
        }
        this.count = n;
        this.nodes = list;
        this.free = new long[n * D];
        this.closed = new boolean[n];
        this.received = new int[n];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < D; r++) {
                free[i * D + r] = cluster.free(list[i], r);
            }
        }
        this.stride = cluster.deviceStride();
        this.movedIn = new io.nodesizer.engine.ConflictCounts(cluster.conflicts(), cluster.caps());
        this.coLocation = cluster.coLocation();
        this.coMovedIn = coLocation == null ? null : new io.nodesizer.engine.GroupCounts(coLocation.tracked(), 1);
        this.zoneMoves = cluster.newZoneMoves();
        this.deviceLoad = new int[n * stride];
        for (int i = 0; i < n && stride > 0; i++) {
            cluster.copyDeviceLoads(list[i], deviceLoad, i * stride);
        }
    }

    /** The slot of {@code node}, or -1 (slots are in node order). */
    int slotOf(int node) {
        int i = java.util.Arrays.binarySearch(nodes, 0, count, node);
        return i >= 0 ? i : -1;
    }

    /** No more pods go to this slot. */
    void close(int slot) {
        closed[slot] = true;
    }

    /** Whether this simulation moved other nodes' pods onto the slot. */
    boolean received(int slot) {
        return received[slot] > 0;
    }

    /** Per slot, the pods this simulation moved onto it. */
    private int[] received;

    /** First fit of {@code pod} on an open slot other than {@code except}; takes the capacity and returns the slot, or -1. */
    int place(int pod, int except) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        for (int i = 0; i < count; i++) {
            if (closed[i] || i == except) {
                continue;
            }
            int b = i * D;
            boolean fits = true;
            for (int r = 0; r < D; r++) {
                if (demand[o + r] > free[b + r]) {
                    fits = false;
                    break;
                }
            }
            long g = demand[o + GPU];
            int devices = stride == 0 ? 0 : cluster.gpuDevices(nodes[i]);
            // The zone spread counts the what-if moves too: a pod that the wrong zone's new node
            // cannot take must not count as helped by it (it would stay pending with no scale-up),
            // and a node whose pods could not legally move must not be removed (evict, scale up, repeat).
            if (fits && (!cluster.allowedOn(pod, cluster.pool(nodes[i]))
                    || (g > 0 && stride > 0 && !GpuDevices.fits(deviceLoad, i * stride, devices, g)) || repelled(o / D, i)
                    || !cluster.zoneAdmits(nodes[i], pod, zoneMoves) || !coLocated(o / D, i))) {
                fits = false;
            }
            if (fits) {
                for (int r = 0; r < D; r++) {
                    free[b + r] -= demand[o + r];
                }
                moved(o / D, i, 1);
                received[i]++;
                if (zoneMoves != null) {
                    cluster.zoneMove(zoneMoves, pod, nodes[i], 1);
                }
                if (g > 0 && stride > 0) {
                    devicesOf.put(pod, GpuDevices.take(deviceLoad, i * stride, devices, g));
                }
                return i;
            }
        }
        return -1;
    }

    /** Required pod affinity on the hostname (null when no group has it), and the target pods this simulation moved per slot. */
    private final io.nodesizer.engine.CoLocation coLocation;
    private final io.nodesizer.engine.GroupCounts coMovedIn;

    /** Whether a pod of {@code group} on {@code slot} would have a target pod beside it, running or moved there (or needs none). */
    private boolean coLocated(int group, int slot) {
        if (coLocation == null || !coLocation.constrains(group)) {
            return true;
        }
        return coLocation.admits(group, cluster.coTargetsOn(group, nodes[slot]) + coLocation.targetsOn(group, slot, coMovedIn),
                cluster.coTargetsAnywhere(group) + coLocation.targetsAnywhere(group, coMovedIn));
    }

    /** Pods moved per (group, zone) in this simulation, for the zone spreads; null without them. */
    private final int[] zoneMoves;

    /** Pods moved onto each slot in this simulation, for groups in a conflict. */
    private final io.nodesizer.engine.ConflictCounts movedIn;

    private void moved(int group, int slot, int delta) {
        movedIn.add(slot, group, delta);
        if (coMovedIn != null) {
            coMovedIn.add(slot, 0, group, delta);
        }
    }

    /** Whether a pod of {@code group} on {@code slot} would sit beside a pod that repels it (required anti-affinity). */
    private boolean repelled(int group, int slot) {
        int[][] conflicts = cluster.conflicts();
        if (!movedIn.tracks(group)) {
            return false;
        }
        for (int h : conflicts[group]) {
            if (cluster.presentOn(nodes[slot], h) + movedIn.count(slot, h) >= (h == group ? movedIn.cap(group) : 1)) {
                return true;
            }
        }
        return false;
    }

    /** Undoes a {@link #place}. */
    void unplace(int pod, int slot) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        moved(o / D, slot, -1);
        received[slot]--;
        if (zoneMoves != null) {
            cluster.zoneMove(zoneMoves, pod, nodes[slot], -1);
        }
        for (int r = 0; r < D; r++) {
            free[slot * D + r] += demand[o + r];
        }
        Long mask = devicesOf.remove(pod);
        if (mask != null) {
            GpuDevices.release(deviceLoad, slot * stride, mask, demand[o + GPU]);
        }
    }

    /** The first {@code n} of {@code pods}, on the node in {@code slot}, leave ({@code delta} -1) or rejoin (1) its zone's counts. */
    private void leaveZone(int[] pods, int n, int slot, int delta) {
        for (int i = 0; i < n && zoneMoves != null; i++) {
            cluster.zoneMove(zoneMoves, pods[i], nodes[slot], delta);
        }
    }

    /**
     * Whether all pods of the node in {@code slot} fit on the other open slots; if so the moves
     * are kept and the slot is closed, otherwise nothing changes.
     */
    boolean moveAllFrom(int slot, int[][] scratch) {
        int n = cluster.podsOnNode(nodes[slot], scratch);
        int[] pods = scratch[0];
        int[] to = new int[n];
        leaveZone(pods, n, slot, -1); // the spreads see the node's pods gone before they land elsewhere
        for (int i = 0; i < n; i++) {
            to[i] = place(pods[i], slot);
            if (to[i] < 0) {
                for (int j = 0; j < i; j++) {
                    unplace(pods[j], to[j]);
                }
                leaveZone(pods, n, slot, 1);
                return false;
            }
        }
        close(slot);
        return true;
    }
}
