package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of a workload folded into distinct request vectors (the rows of the pattern LP), as
 * one node shape sees them: the resources that matter on it, its pod capacity per resource, and
 * which types fit it at all. Deployments have replicas and traces repeat sizes, so a workload of
 * 150,000 pods typically has a few hundred types at most. Types are numbered in order of first
 * appearance in the workload, so the numbering (and everything derived from it) is deterministic;
 * {@link #shared} gives several shapes one numbering, for mixed pools.
 */
public final class RequestTypes {
    private final PackingProblem problem;
    private final int[] dims;
    private final long[] size;
    private final long[] count;
    private final int[][] groups;
    private final long[] capacity;
    private final boolean[] fits;
    private final int gpuDim;     // active dimension of GPUs, or -1
    private final int devices;    // GPU devices per node when some type here wants GPUs, else 0
    // Required pod anti-affinity and hostname spread, per type (a type with rules is one group):
    // the most pods of it one node may hold (0: no cap), and the types it may not share a node with.
    // Both null when no type has rules.
    private final int[] cap;
    private final int[][] repels;

    private RequestTypes(PackingProblem problem, Catalogue catalogue) {
        this.problem = problem;
        long[] cap = problem.podCapacity();
        boolean[] schedulable = new boolean[problem.table().groupCount()];
        for (int g : problem.schedulableGroups()) {
            schedulable[g] = true;
        }
        int n = catalogue.vectors.size();
        this.fits = new boolean[n];
        for (int t = 0; t < n; t++) {
            fits[t] = schedulable[catalogue.groups.get(t).get(0)];
        }
        // The resources that constrain this shape: pods always, and every other resource that some
        // type fitting the shape requests (a resource nobody here requests cannot fill a node).
        boolean[] active = new boolean[DemandTable.D];
        active[io.nodesizer.model.Resource.PODS.ordinal()] = true;
        for (int t = 0; t < n; t++) {
            if (fits[t]) {
                for (int r = 0; r < DemandTable.D; r++) {
                    active[r] |= catalogue.vectors.get(t)[r] > 0;
                }
            }
        }
        int[] real = java.util.stream.IntStream.range(0, DemandTable.D).filter(r -> active[r]).toArray();
        int gd = -1;
        for (int k = 0; k < real.length; k++) {
            if (real[k] == io.nodesizer.model.Resource.GPU.ordinal()) {
                gd = k;
            }
        }
        this.gpuDim = gd;
        this.devices = gd < 0 ? 0 : GpuDevices.count(cap[real[gd]]);
        this.dims = real;
        int a = dims.length;
        this.capacity = new long[a];
        for (int k = 0; k < a; k++) {
            capacity[k] = cap[dims[k]];
        }
        this.size = new long[n * a];
        this.count = new long[n];
        this.groups = new int[n][];
        for (int t = 0; t < n; t++) {
            long[] v = catalogue.vectors.get(t);
            for (int k = 0; k < a; k++) {
                size[t * a + k] = v[dims[k]];
            }
            count[t] = catalogue.counts.get(t)[0];
            groups[t] = catalogue.groups.get(t).stream().mapToInt(Integer::intValue).toArray();
        }
        this.cap = catalogue.cap;
        this.repels = catalogue.repels;
    }

    /** A view of {@code base} with other capacity and pod counts (the rest sharing its arrays): {@link #withFloors}. */
    private RequestTypes(RequestTypes base, long[] capacity, long[] count) {
        this(base, capacity, count, base.fits, base.devices);
    }

    /** A view of {@code base} with other capacity, pod counts, types that fit and devices: {@link #deviceBins}. */
    private RequestTypes(RequestTypes base, long[] capacity, long[] count, boolean[] fits, int devices) {
        this.problem = base.problem;
        this.dims = base.dims;
        this.size = base.size;
        this.count = count;
        this.groups = base.groups;
        this.capacity = capacity;
        this.fits = fits;
        this.gpuDim = base.gpuDim;
        this.devices = devices;
        this.cap = base.cap;
        this.repels = base.repels;
    }

    /** Whether type t is a GPU share (a fraction of one device, {@code 0 < gpu < 1000}) that fits this shape. */
    boolean isShare(int t) {
        long g = gpu(t);
        return fits[t] && g > 0 && g < GpuDevices.UNIT;
    }

    /**
     * The shares alone, as one device sees them ({@link DeviceBins}): a "node" of this view is one GPU device of 1,000
     * thousandths that keeps the whole node's CPU, memory, pod slots and the rest, and only the share types fit it (the
     * other types' counts are 0). Its packings are device-bins: each holds shares that fit one device together. Null
     * when this shape has fewer than two devices (its nodes are its device-bins) or no share to place.
     */
    RequestTypes deviceBins() {
        if (devices < 2) {
            return null;
        }
        boolean[] share = new boolean[count.length];
        long[] left = new long[count.length];
        boolean any = false;
        for (int t = 0; t < count.length; t++) {
            share[t] = isShare(t) && count[t] > 0;
            left[t] = share[t] ? count[t] : 0;
            any |= share[t];
        }
        if (!any) {
            return null;
        }
        long[] room = capacity.clone();
        room[gpuDim] = GpuDevices.UNIT;
        return new RequestTypes(this, room, left, share, 1);
    }

    /**
     * What is left to pack once every one of {@code nodes} nodes holds {@code floor[t]} pods of
     * each type t (its floor of a hostname spread, {@link PatternPacking#packFloored}): each node's
     * capacity less those pods, each type's count less {@code floor[t] × nodes}. The caps stay:
     * they then count the pods above the floor. Null when the floors do not fit a node, need more
     * pods than a type has, or leave a type with pods to place that no longer fits a node.
     * Floored types must request no GPUs (the devices are not reduced).
     */
    RequestTypes withFloors(int[] floor, long nodes) {
        long[] room = capacity.clone();
        long[] left = count.clone();
        for (int t = 0; t < floor.length; t++) {
            if (floor[t] == 0) {
                continue;
            }
            if (gpu(t) > 0) {
                throw new IllegalArgumentException("a floored type requests GPUs");
            }
            left[t] -= floor[t] * nodes;
            for (int k = 0; k < dims.length; k++) {
                room[k] -= floor[t] * size(t, k);
            }
        }
        for (int k = 0; k < dims.length; k++) {
            if (room[k] < 0) {
                return null;
            }
        }
        RequestTypes view = new RequestTypes(this, room, left);
        for (int t = 0; t < left.length; t++) {
            if (left[t] < 0 || left[t] > 0 && fits[t] && view.alone(t) == 0) {
                return null;
            }
        }
        return view;
    }

    /** The schedulable pods of one problem (pods that fit no node of its shape are not rows). */
    public static RequestTypes of(PackingProblem problem) {
        return new RequestTypes(problem, new Catalogue(problem.table(), problem.schedulableGroups(), false));
    }

    /**
     * As {@link #of(PackingProblem)}, with no cap per node for the hostname spreads that
     * kube-scheduler lets exceed maxSkew on a node ({@link io.nodesizer.engine.HostnameSpreads}):
     * a relaxation of the packings that keep the scheduler's rule, for a bound on them (its
     * patterns may break the rule).
     */
    public static RequestTypes withoutSpreadCaps(PackingProblem problem) {
        return new RequestTypes(problem, new Catalogue(problem.table(), problem.schedulableGroups(), true));
    }

    /**
     * One numbering for several shapes of the same workload: the rows are the pods that fit at
     * least one of the shapes; each view marks which of them fit its own shape.
     */
    public static List<RequestTypes> shared(List<PackingProblem> problems) {
        DemandTable table = problems.get(0).table();
        boolean[] any = new boolean[table.groupCount()];
        for (PackingProblem p : problems) {
            if (p.table() != table) {
                throw new IllegalArgumentException("The problems must share one demand table");
            }
            for (int g : p.schedulableGroups()) {
                any[g] = true;
            }
        }
        int[] groups = java.util.stream.IntStream.range(0, any.length).filter(g -> any[g]).toArray();
        Catalogue catalogue = new Catalogue(table, groups, false);
        List<RequestTypes> views = new ArrayList<>();
        for (PackingProblem p : problems) {
            views.add(new RequestTypes(p, catalogue));
        }
        return views;
    }

    /** Distinct vectors over every resource, with pod counts and member groups, in first-seen order. */
    private static final class Catalogue {
        final List<long[]> vectors = new ArrayList<>();
        final List<long[]> counts = new ArrayList<>();
        final List<List<Integer>> groups = new ArrayList<>();
        int[] cap;
        int[][] repels;

        /** @param liftSpreads no cap per node for the groups whose cap the scheduler's spread rule may exceed */
        Catalogue(DemandTable table, int[] groupIndices, boolean liftSpreads) {
            Map<Key, Integer> index = new HashMap<>();
            int[][] conflicts = table.conflicts();
            for (int g : groupIndices) {
                Key key = Key.of(table, conflicts, g);
                Integer t = index.putIfAbsent(key, vectors.size());
                if (t == null) {
                    t = vectors.size();
                    vectors.add(key.v());
                    counts.add(new long[1]);
                    groups.add(new ArrayList<>());
                }
                counts.get(t)[0] += table.replicas(g);
                groups.get(t).add(g);
            }
            if (conflicts != null) {
                rules(table, conflicts, liftSpreads ? io.nodesizer.engine.HostnameSpreads.of(table) : null);
            }
        }

        /** Each type's cap and the other types it repels, from its group's (types with rules have one group). */
        private void rules(DemandTable table, int[][] conflicts, io.nodesizer.engine.HostnameSpreads lifted) {
            int n = vectors.size();
            int[] typeOf = new int[table.groupCount()];
            Arrays.fill(typeOf, -1);
            for (int t = 0; t < n; t++) {
                for (int g : groups.get(t)) {
                    typeOf[g] = t;
                }
            }
            cap = new int[n];
            repels = new int[n][];
            for (int t = 0; t < n; t++) {
                int g = groups.get(t).get(0);
                if (conflicts[g] == null) {
                    continue;
                }
                java.util.TreeSet<Integer> others = new java.util.TreeSet<>();
                for (int h : conflicts[g]) {
                    if (h == g) {
                        cap[t] = lifted != null && lifted.decides(g) ? 0 : table.caps()[g];
                    } else if (typeOf[h] >= 0) {
                        others.add(typeOf[h]);
                    }
                }
                repels[t] = others.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    public PackingProblem problem() {
        return problem;
    }

    /** Number of distinct request vectors. */
    public int count() {
        return count.length;
    }

    /** Number of active resources (the length of a request vector). */
    public int dimensions() {
        return dims.length;
    }

    /** The resource index ({@link io.nodesizer.model.Resource} ordinal) of active dimension {@code k}. */
    public int resource(int k) {
        return dims[k];
    }

    /** Demand of one pod of type {@code t} on active dimension {@code k}. */
    public long size(int t, int k) {
        return size[t * dims.length + k];
    }

    /** Pods of type {@code t} in the workload. */
    public long pods(int t) {
        return count[t];
    }

    /** Whether a pod of type {@code t} fits an empty node of this shape. */
    public boolean fits(int t) {
        return fits[t];
    }

    /** The groups (indices into the demand table) whose pods are of type {@code t}, in input order. */
    public int[] groups(int t) {
        return groups[t];
    }

    /** Pod capacity of a node on active dimension {@code k} (allocatable minus DaemonSets). */
    public long capacity(int k) {
        return capacity[k];
    }

    /** How many pods of type {@code t} fit an empty node: 0 when the type does not fit this shape. */
    public long alone(int t) {
        if (!fits[t]) {
            return 0;
        }
        long k = cap != null && cap[t] > 0 ? cap[t] : Long.MAX_VALUE;
        for (int d = 0; d < dims.length; d++) {
            long s = size(t, d);
            if (s > 0) {
                k = Math.min(k, capacity[d] / s);
            }
        }
        long g = gpu(t);
        if (devices > 0 && g > 0 && g < GpuDevices.UNIT) {
            k = Math.min(k, (long) devices * (GpuDevices.UNIT / g)); // shares do not span devices
        } else if (devices > 0 && g > 0) {
            k = Math.min(k, devices / GpuDevices.whole(g)); // whole devices, rounded up
        }
        return k;
    }

    /**
     * The most pods of type {@code t} that fit the free room {@code free} (per active dimension)
     * and, when {@code deviceLoad} is not empty, the GPU devices with those loads; at most {@code limit}.
     */
    public long fitCount(int t, long[] free, int[] deviceLoad, long limit) {
        long c = limit;
        for (int k = 0; k < dims.length; k++) {
            long s = size(t, k);
            if (s > 0) {
                c = Math.min(c, free[k] / s);
            }
        }
        long g = gpu(t);
        if (g > 0 && c > 0 && deviceLoad.length > 0) {
            c = GpuDevices.fitCount(deviceLoad, 0, deviceLoad.length, g, (int) Math.min(c, Integer.MAX_VALUE));
        }
        return c;
    }

    /** Whether some type repels pods or is capped per node (required pod anti-affinity, hostname spread). */
    public boolean hasRules() {
        return repels != null;
    }

    /** The types a pod of type {@code t} may not share a node with (never itself: see {@link #ruleRoom}). */
    public int[] repels(int t) {
        return repels == null || repels[t] == null ? NONE : repels[t];
    }

    private static final int[] NONE = new int[0];

    /**
     * How many more pods of type {@code t} a node holding {@code counts} may take by the rules:
     * none while it holds a type that t repels (or that repels t), else up to t's cap per node.
     */
    public long ruleRoom(int t, int[] counts) {
        if (repels == null || repels[t] == null) {
            return Long.MAX_VALUE;
        }
        for (int u : repels[t]) {
            if (counts[u] > 0) {
                return 0;
            }
        }
        return cap[t] > 0 ? Math.max(0, cap[t] - counts[t]) : Long.MAX_VALUE;
    }

    /** Whether pods {@code counts} may share one node by the rules. */
    public boolean admitsRules(int[] counts) {
        if (repels == null) {
            return true;
        }
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] > 0 && repels[t] != null) {
                if (cap[t] > 0 && counts[t] > cap[t]) {
                    return false;
                }
                for (int u : repels[t]) {
                    if (counts[u] > 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** GPU devices per node this view tracks (0 when no type here requests GPUs). */
    public int devices() {
        return devices;
    }

    /** The active dimension of GPUs, or -1 when the types track none. */
    int gpuDimension() {
        return gpuDim;
    }

    /** GPU request of one pod of type {@code t}, thousandths (0 without GPUs). */
    public long gpu(int t) {
        return gpuDim < 0 ? 0 : size(t, gpuDim);
    }

    /**
     * Whether one node can give the pods {@code counts} (per type) GPU devices, by
     * {@link io.nodesizer.engine.GpuDevices#assign} — the order the engine uses to give a finished
     * node its devices, so a pattern that passes here is one the engine can build. Pooled
     * resources are not checked here.
     */
    public boolean holdsOnDevices(int[] counts) {
        if (devices == 0) {
            return true;
        }
        int items = 0;
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] > 0 && gpu(t) > 0) {
                items += counts[t];
            }
        }
        if (items == 0) {
            return true;
        }
        long[] requests = new long[items];
        int i = 0;
        for (int t = 0; t < counts.length; t++) {
            long g = gpu(t);
            if (g > 0) {
                for (int c = 0; c < counts[t]; c++) {
                    requests[i++] = g;
                }
            }
        }
        // A pattern the pricing records again and again, and one search budget for the run (QA 38b finding 5: shares that fill
        // devices exactly made each record an exact search of 200,000 nodes; 15 CPU-minutes without an answer).
        if (deviceChecks.size() > 100_000) {
            deviceChecks.clear(); // a bound on the memo, not on the answers: the budget below still holds
        }
        // LongBuffer compares and hashes by content: the array is the key, made here and not changed after.
        return deviceChecks.computeIfAbsent(java.nio.LongBuffer.wrap(requests), r -> GpuDevices.assign(requests, devices, exactBudget) != null);
    }

    /** Search nodes left for the exact device checks of this run (GpuDevices.EXACT_NODES each, 20 of them in all). */
    private final long[] exactBudget = {20L * 200_000};
    private final java.util.Map<java.nio.LongBuffer, Boolean> deviceChecks = new java.util.HashMap<>();

    /**
     * Pods with the same request but other GPU models or vendors or node constraints (selector,
     * required node affinity, tolerations) may fit other shapes: other types; so is a group with pod rules.
     */
    /**
     * How many request types (rows of the pattern LP) {@code table}'s pods make on a shape that admits them all, counted up
     * to {@code atMost + 1}: any one shape's are at most that many. For {@code auto}'s choice of the optimizer on workloads
     * past its pod count (a trace of 210,000 rows repeats ~150 sizes: QA 65a F2).
     */
    public static int countTypes(DemandTable table, int atMost) {
        int[][] conflicts = table.conflicts();
        java.util.Set<Key> seen = new java.util.HashSet<>();
        for (int g = 0; g < table.groupCount() && seen.size() <= atMost; g++) {
            seen.add(Key.of(table, conflicts, g));
        }
        return seen.size();
    }

    private record Key(long[] v, List<String> gpuModels, String gpuVendor, io.nodesizer.model.Placement placement, int ownGroup) {
        static Key of(DemandTable table, int[][] conflicts, int g) {
            long[] v = new long[DemandTable.D];
            for (int r = 0; r < DemandTable.D; r++) {
                v[r] = table.demand(g, r);
            }
            // Pods with the same request but other GPU models or vendors fit other shapes: other types.
            // A group that repels pods (or is repelled, or capped per node) is a type of its own.
            // Otherwise only what decides which nodes admit the pod splits types: pod labels
            // differ in every Deployment, and a type per label set would make the LP as large
            // as the number of workloads (1,500 rows instead of 42 in a measured case).
            int own = conflicts != null && conflicts[g] != null ? g : -1;
            io.nodesizer.model.Placement p = table.group(g).placement();
            io.nodesizer.model.Placement nodeSide = new io.nodesizer.model.Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations());
            return new Key(v, table.group(g).gpuModels(), table.group(g).gpuVendor(), nodeSide, own);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v) && gpuModels.equals(k.gpuModels) && gpuVendor.equals(k.gpuVendor)
                    && placement.equals(k.placement) && ownGroup == k.ownGroup;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * (31 * Arrays.hashCode(v) + gpuModels.hashCode()) + gpuVendor.hashCode()) + placement.hashCode())
                    + ownGroup;
        }
    }
}
