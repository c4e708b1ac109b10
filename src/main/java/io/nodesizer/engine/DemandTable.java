package io.nodesizer.engine;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

import java.util.List;

/**
 * The workload's pod groups as primitive arrays, built once per workload and shared by every
 * shape and strategy of a sweep. Pods are numbered globally in input order: group {@code g} owns
 * pods {@code firstPod[g] .. firstPod[g] + replicas[g] - 1}.
 */
public final class DemandTable {
    /** Stride of {@link #demand}: one slot per {@link Resource}. */
    public static final int D = Resource.COUNT;

    private final List<PodGroup> groups;
    private final long[] demand;
    private final int[] replicas;
    private final int[] firstPod;
    private final int podCount;
    private final int[][] conflicts;
    private final int[] caps;

    private DemandTable(List<PodGroup> groups) {
        this.groups = List.copyOf(groups);
        int n = groups.size();
        this.demand = new long[n * D];
        this.replicas = new int[n];
        this.firstPod = new int[n];
        long pods = 0;
        for (int g = 0; g < n; g++) {
            PodGroup group = groups.get(g);
            Resources r = group.request();
            for (Resource resource : Resource.values()) {
                demand[g * D + resource.ordinal()] = r.get(resource);
            }
            replicas[g] = group.replicas();
            firstPod[g] = (int) pods;
            pods += group.replicas();
            if (pods > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("The workload has more than " + (Integer.MAX_VALUE - 8)
                        + " pods; nodesizer packs at most that many at once.");
            }
        }
        this.podCount = (int) pods;
        this.conflicts = io.nodesizer.kube.PodConflicts.of(this.groups);
        this.caps = io.nodesizer.kube.PodConflicts.caps(this.groups, conflicts);
    }

    /**
     * Per group, the groups whose pods may not share a node with it (required pod anti-affinity on
     * the hostname; {@link io.nodesizer.kube.PodConflicts}), null for a group without; null when no
     * group has any. Not to be mutated.
     */
    public int[][] conflicts() {
        return conflicts;
    }

    /**
     * For a group in its own conflict list, how many of its pods one node may hold: 1 for required
     * anti-affinity among its replicas, maxSkew for a hostname topology spread
     * ({@link io.nodesizer.kube.PodConflicts#caps}). Null when no group has conflicts; not to be mutated.
     */
    public int[] caps() {
        return caps;
    }

    public static DemandTable of(Workload workload) {
        return new DemandTable(workload.groups());
    }

    public static DemandTable of(List<PodGroup> groups) {
        return new DemandTable(groups);
    }

    public int groupCount() {
        return replicas.length;
    }

    public int podCount() {
        return podCount;
    }

    public PodGroup group(int g) {
        return groups.get(g);
    }

    public List<PodGroup> groups() {
        return groups;
    }

    /** Demand of one replica of group {@code g} on resource index {@code r}. */
    public long demand(int g, int r) {
        return demand[g * D + r];
    }

    public int replicas(int g) {
        return replicas[g];
    }

    public int firstPod(int g) {
        return firstPod[g];
    }

    /** The group a global pod index belongs to (binary search over {@code firstPod}). */
    public int groupOfPod(int pod) {
        int lo = 0;
        int hi = replicas.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstPod[mid] <= pod) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The name of a global pod index as assignments report it ({@code name-i} for replicas). */
    public String podName(int pod) {
        int g = groupOfPod(pod);
        return groups.get(g).podName(pod - firstPod[g]);
    }
}
