package io.nodesizer.engine;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * One workload against one node shape, ready for any strategy: the pod-allocatable each node
 * offers (allocatable minus the DaemonSet pods every node runs), the resources that matter
 * (those some pod requests), and the split of groups into those that fit an empty node and those
 * that never can, with the reason. Built once per (workload, shape) and shared by strategies.
 */
public final class PackingProblem {
    private static final int D = DemandTable.D;

    private final DemandTable table;
    private final NodeShape shape;
    private final Resources daemonSetLoad;
    /** What kube-scheduler's scoring counts of the DaemonSet pods ({@link io.nodesizer.kube.DaemonSetPlacement.Load#scoring()}). */
    private final Resources daemonSetScoring;
    private final int daemonSetPods;
    private final long[] podCapacity;
    private final int[] activeDims;
    private final int[] schedulableGroups;
    private final List<Unschedulable> unschedulable;
    private final java.util.Map<String, String> labels;
    private final boolean daemonSetsFit;
    private final long[] flatDemand;
    /**
     * Per zone of the table (in its order), the DaemonSet pods on each of its nodes and what scoring counts of them, and the
     * pod-allocatable left (stride {@link DemandTable#D}); null when every node carries the same ({@code daemonSetLoad}).
     */
    private final Resources[] zoneLoads;
    private final Resources[] zoneScorings;
    private final long[] zoneCapacity;

    /**
     * @param daemonSetLoad the summed requests of the DaemonSet pods placed on every node of this
     *                      shape (its {@code pods} component counts them)
     */
    public PackingProblem(DemandTable table, NodeShape shape, Resources daemonSetLoad) {
        this(table, shape, daemonSetLoad, daemonSetLoad);
    }

    /**
     * As {@link #PackingProblem(DemandTable, NodeShape, Resources)}, with what kube-scheduler's scoring counts of the
     * DaemonSet pods, {@code daemonSetScoring} (the defaults of their containers without requests; where the caller knows
     * no containers, their requests as they are).
     */
    public PackingProblem(DemandTable table, NodeShape shape, Resources daemonSetLoad, Resources daemonSetScoring) {
        this(table, shape, daemonSetLoad, daemonSetScoring, List.of(), List.of());
    }

    /**
     * The workload on {@code shape} with the DaemonSets {@code load} places there: one load per zone where the nodes of
     * some zones run other DaemonSets than others ({@link io.nodesizer.kube.DaemonSetPlacement.Load#byZone()}) and the
     * table's zones are those zones; else its load on every node.
     */
    public PackingProblem(DemandTable table, NodeShape shape, io.nodesizer.kube.DaemonSetPlacement.Load load) {
        this(table, shape, load.requests(), load.scoring(), load.zoneRequests(), load.zoneScoring());
    }

    /**
     * @param zoneLoads per zone of the table, its nodes' DaemonSet load (empty: {@code daemonSetLoad} on every node); a
     *                  list for other zones than the table's (the optimizer's one-zone view) is not used, and every node
     *                  carries {@code daemonSetLoad}, the most any node runs
     */
    public PackingProblem(DemandTable table, NodeShape shape, Resources daemonSetLoad, Resources daemonSetScoring,
                          List<Resources> zoneLoads, List<Resources> zoneScorings) {
        this.table = table;
        this.shape = shape;
        this.daemonSetLoad = daemonSetLoad;
        this.daemonSetScoring = daemonSetScoring;
        this.daemonSetPods = (int) daemonSetLoad.pods();
        long[] alloc = shape.allocatable().toArray();
        boolean byZone = !zoneLoads.isEmpty() && zoneLoads.size() == table.zones() && chargesByZone(table);
        this.zoneLoads = byZone ? zoneLoads.toArray(Resources[]::new) : null;
        this.zoneScorings = byZone ? zoneScorings.toArray(Resources[]::new) : null;
        this.zoneCapacity = byZone ? new long[zoneLoads.size() * D] : null;
        this.podCapacity = new long[D];
        boolean daemonSetsFit = true;
        if (byZone) {
            // A pod fits the shape when it fits the nodes of some zone: the capacity the fit, the reasons and the bounds
            // read is the most any node has, resource by resource (a relaxation: no node may have more).
            java.util.Arrays.fill(podCapacity, Long.MIN_VALUE);
            for (int z = 0; z < this.zoneLoads.length; z++) {
                long[] ds = this.zoneLoads[z].toArray();
                for (int r = 0; r < D; r++) {
                    long left = alloc[r] - ds[r];
                    daemonSetsFit &= left >= 0;
                    zoneCapacity[z * D + r] = Math.max(0, left);
                    podCapacity[r] = Math.max(podCapacity[r], zoneCapacity[z * D + r]);
                }
            }
        } else {
            long[] ds = daemonSetLoad.toArray();
            for (int r = 0; r < D; r++) {
                podCapacity[r] = alloc[r] - ds[r];
                if (podCapacity[r] < 0) {
                    daemonSetsFit = false;
                    podCapacity[r] = 0;
                }
            }
        }
        int groups = table.groupCount();
        java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(shape);
        this.flatDemand = new long[groups * D];
        boolean[] active = new boolean[D];
        active[Resource.PODS.ordinal()] = true;
        int[] never = new int[groups];
        int neverCount = 0;
        int[] fit = new int[groups];
        int fitCount = 0;
        this.labels = labels;
        this.daemonSetsFit = daemonSetsFit;
        // Per placement, not per group: a trace's 150,000 groups have a handful.
        boolean[] refusedClass = table.placementClasses().refusedOn(shape, labels);
        int[] placementOf = table.placementClasses().ofGroup();
        boolean[] served = table.gpuKinds().servedBy(shape);
        boolean[] pinned = zoneCapacity == null ? null : table.zonePinned();
        for (int g = 0; g < groups; g++) {
            // The reason is worded only when read: a sweep decides fit for every group on every shape
            // and reads few reasons (building them all took ~100 ms per shape for 150,000 groups).
            if (!daemonSetsFit || !fitsEmptyNode(g, table.gpuKinds().served(served, g), pinned) || refusedClass[placementOf[g]]) {
                never[neverCount++] = g;
                continue;
            }
            fit[fitCount++] = g;
            for (int r = 0; r < D; r++) {
                long d = table.demand(g, r);
                flatDemand[g * D + r] = d;
                if (d > 0) {
                    active[r] = true;
                }
            }
        }
        this.schedulableGroups = java.util.Arrays.copyOf(fit, fitCount);
        // An array of the exact size, not a growing list copied once more: a GPU trace leaves 130,000 groups out of each
        // shape without GPUs, and a whole-catalog sweep builds a problem for each of ~900 shapes.
        Unschedulable[] left = new Unschedulable[neverCount];
        for (int i = 0; i < neverCount; i++) {
            left[i] = new Unschedulable(never[i], this);
        }
        this.unschedulable = java.util.Collections.unmodifiableList(java.util.Arrays.asList(left));
        int n = 0;
        for (boolean a : active) {
            n += a ? 1 : 0;
        }
        this.activeDims = new int[n];
        int i = 0;
        for (int r = 0; r < D; r++) {
            if (active[r]) {
                activeDims[i++] = r;
            }
        }
    }

    /**
     * A view of {@code of} whose strategies see only {@code schedulableGroups}; the groups left out
     * are reported as {@code leftOut} (null: not at all, for a view the engine completes itself).
     */
    private PackingProblem(PackingProblem of, int[] schedulableGroups, java.util.BitSet withheld, String leftOut) {
        this.table = of.table;
        this.shape = of.shape;
        this.daemonSetLoad = of.daemonSetLoad;
        this.daemonSetScoring = of.daemonSetScoring;
        this.daemonSetPods = of.daemonSetPods;
        this.podCapacity = of.podCapacity;
        this.activeDims = of.activeDims;
        this.schedulableGroups = schedulableGroups;
        if (leftOut == null) {
            this.unschedulable = of.unschedulable;
        } else {
            List<Unschedulable> all = new ArrayList<>(of.unschedulable);
            for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
                all.add(new Unschedulable(g, this, 0, leftOut));
            }
            all.sort(java.util.Comparator.comparingInt(Unschedulable::group));
            this.unschedulable = List.copyOf(all);
        }
        this.labels = of.labels;
        this.daemonSetsFit = of.daemonSetsFit;
        this.flatDemand = of.flatDemand;
        this.zoneLoads = of.zoneLoads;
        this.zoneScorings = of.zoneScorings;
        this.zoneCapacity = of.zoneCapacity;
    }

    /**
     * The same problem with the schedulable groups of {@code withheld} left out: what a strategy
     * packs when the engine places those groups itself afterwards ({@link RulePacking}).
     */
    /**
     * The named zones (bits) whose nodes group g's node selector and required node affinity admit;
     * 0 when the zones are not named (or more than 64), where zone requirements are taken as met.
     */
    public long admittedZones(int g) {
        return admittedZones(new int[] {g})[0];
    }

    /** As {@link #admittedZones(int)} for each of {@code groups} (the shape's labels read once). */
    public long[] admittedZones(int[] groups) {
        DemandTable t = table();
        long[] out = new long[groups.length];
        if (t.zoneNames() == null || t.zones() > 64) {
            return out;
        }
        java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(shape());
        for (int i = 0; i < groups.length; i++) {
            out[i] = SpreadDomains.admitted(this, labels, groups[i]);
        }
        return out;
    }

    PackingProblem withoutGroups(java.util.BitSet withheld) {
        return new PackingProblem(this, java.util.Arrays.stream(schedulableGroups).filter(g -> !withheld.get(g)).toArray(), withheld, null);
    }

    /**
     * This problem without the groups that the pod rules place ({@link RulePacking}): a problem of
     * its own, which reports those groups as left out, so that the optimizer can work on the rest
     * and {@link PackingEngine#withRuledGroups} can complete its packing. This problem itself when
     * no rule applies.
     */
    public PackingProblem withoutRuledGroups() {
        return withoutRuledGroups(false);
    }

    /**
     * As {@link #withoutRuledGroups()}; with {@code spreads} the groups that spread over the zones
     * are left out too (the optimizer's nodes have no zone), for the rules to place after it.
     */
    public PackingProblem withoutRuledGroups(boolean spreads) {
        java.util.BitSet withheld = RulePacking.withheld(this, spreads);
        if (withheld == null) {
            return this;
        }
        return new PackingProblem(this, java.util.Arrays.stream(schedulableGroups).filter(g -> !withheld.get(g)).toArray(), withheld,
                "placed by its pod rules after the rest");
    }

    /**
     * This problem with only the groups that the pod rules place ({@link RulePacking}), the others
     * reported as left out: what {@link PackingEngine#ruledGroupsAlone} packs on nodes of their own
     * (mixed pools). Null when no rule applies.
     */
    public PackingProblem onlyRuledGroups() {
        java.util.BitSet withheld = RulePacking.withheld(this);
        if (withheld == null) {
            return null;
        }
        java.util.BitSet rest = new java.util.BitSet();
        for (int g : schedulableGroups) {
            rest.set(g, !withheld.get(g));
        }
        return new PackingProblem(this, withheld.stream().toArray(), rest, "placed with the other workloads");
    }

    /**
     * Whether one replica of group {@code g} fits an empty node: the numbers behind {@link #reasonNotFitting}; {@code gpusServed}:
     * whether the shape's GPUs serve the group's ({@link io.nodesizer.model.PodGroup#gpusServedBy}), decided per GPU kind by the caller.
     */
    private boolean fitsEmptyNode(int g, boolean gpusServed, boolean[] pinned) {
        if (zoneCapacity == null) {
            return fitsEmpty(g, gpusServed, podCapacity, 0);
        }
        // The DaemonSets differ by zone: an empty node of some zone the group's node selector admits.
        long admitted = pinned != null && pinned[g] ? admittedZones(g) : -1L;
        for (int z = 0; z < zoneLoads.length; z++) {
            if ((admitted >>> z & 1) != 0 && fitsEmpty(g, gpusServed, zoneCapacity, z * D)) {
                return true;
            }
        }
        return false;
    }

    private boolean fitsEmpty(int g, boolean gpusServed, long[] capacity, int at) {
        for (int r = 0; r < D; r++) {
            if (table.demand(g, r) > capacity[at + r]) {
                return false;
            }
        }
        long gpu = table.demand(g, Resource.GPU.ordinal());
        return gpu == 0 || (gpusServed && GpuDevices.fitsEmpty(capacity[at + Resource.GPU.ordinal()], gpu));
    }

    /** Why group {@code g} can never be placed on this shape, or null when it can. */
    String reason(int g) {
        String reason = io.nodesizer.kube.NodeMatching.onShape(table.group(g).placement(), shape, labels);
        if (reason == null) {
            reason = daemonSetsFit ? reasonNotFitting(g) : daemonSetReason();
        }
        return reason;
    }

    /** " (7,323,869,185 bytes)", " (7,911m)": an amount in the unit it is counted in. */
    private static String exactly(Resource resource, long amount) {
        return switch (resource) {
            case CPU, GPU -> String.format(java.util.Locale.ROOT, " (%,dm)", amount);
            case MEMORY, EPHEMERAL_STORAGE -> String.format(java.util.Locale.ROOT, " (%,d bytes)", amount);
            case PODS -> "";
        };
    }

    /** {@link Amounts#unit}, "GPUs" for other than one GPU (QA 65a F10: "needs 2 GPU"). */
    private static String unit(Resource resource, long amount) {
        return resource == Resource.GPU && amount != 1000 ? "GPUs" : Amounts.unit(resource);
    }

    private String reasonNotFitting(int g) {
        if (zoneCapacity == null) {
            return reasonNotFitting(g, podCapacity, -1L);
        }
        long admitted = table.zonePinned() != null && table.zonePinned()[g] ? admittedZones(g) : -1L;
        long[] most = new long[D];
        for (int z = 0; z < zoneLoads.length; z++) {
            for (int r = 0; (admitted >>> z & 1) != 0 && r < D; r++) {
                most[r] = Math.max(most[r], zoneCapacity[z * D + r]);
            }
        }
        String why = reasonNotFitting(g, most, admitted);
        if (why != null) {
            return why;
        }
        // Each resource fits the nodes of some zone, no zone's nodes all of them at once: zone by zone.
        List<String> byZone = new ArrayList<>();
        for (int z = 0; z < zoneLoads.length; z++) {
            if ((admitted >>> z & 1) != 0) {
                String inZone = reasonNotFitting(g, java.util.Arrays.copyOfRange(zoneCapacity, z * D, z * D + D), 1L << z);
                byZone.add("in zone " + table.zoneNames().get(z) + ", " + (inZone == null ? "its GPUs do not fit" : inZone));
            }
        }
        return String.join("; ", byZone);
    }

    /**
     * Why group g does not fit an empty node of pod-allocatable {@code capacity}, or null when it does; {@code zones}: the
     * zones (bits) whose nodes' DaemonSet loads {@code capacity} stands for where they differ by zone (-1: all).
     */
    private String reasonNotFitting(int g, long[] capacity, long zones) {
        long[] podCapacity = capacity;
        StringBuilder why = null;
        for (int r = 0; r < D; r++) {
            long d = table.demand(g, r);
            if (d > podCapacity[r]) {
                if (why == null) {
                    why = new StringBuilder();
                } else {
                    why.append("; ");
                }
                Resource resource = Resource.at(r);
                // Rounded alike (a byte over 6.821 GiB), both in exact units: "needs 6.821 GiB" beside "allocatable is 6.821 GiB"
                // read as a fit (QA 59c F3).
                boolean exact = Amounts.format(resource, d).equals(Amounts.format(resource, podCapacity[r]));
                why.append("needs ").append(Amounts.format(resource, d)).append(' ').append(unit(resource, d))
                        .append(exact ? exactly(resource, d) : "").append("; ").append(shape.name());
                long allocatable = shape.allocatable().get(resource);
                if (allocatable == 0 && resource == Resource.GPU) {
                    why.append(" has no GPUs");
                } else if (allocatable == 0 && resource == Resource.EPHEMERAL_STORAGE) {
                    why.append(" has no known ephemeral-storage capacity (give the node's disk size: --disk SIZE)");
                } else {
                    why.append(" allocatable is ").append(Amounts.format(resource, allocatable)).append(' ')
                            .append(unit(resource, allocatable));
                    if (zoneCapacity != null && differsByZone(r, zones)) {
                        why.append(afterDaemonSetsByZone(resource, zones));
                    } else if (daemonSetLoadIn(zones, resource) > 0) {
                        why.append(" (").append(Amounts.format(resource, podCapacity[r]))
                                .append(" after DaemonSets").append(exact ? exactly(resource, podCapacity[r]).replaceFirst("^ \\(", ", ") : ")");
                    } else if (exact) {
                        why.append(exactly(resource, allocatable));
                    }
                }
            }
        }
        long gpu = table.demand(g, Resource.GPU.ordinal());
        java.util.List<String> models = table.group(g).gpuModels();
        String model = why == null && gpu > 0 ? io.nodesizer.model.GpuModels.whyNot(models, shape) : null;
        if (model != null) {
            return model;
        }
        String vendor = why == null && gpu > 0
                ? io.nodesizer.model.GpuVendors.whyNot(table.group(g).gpuVendor(), shape.name(), shape.gpuVendor()) : null;
        if (vendor != null) {
            return vendor;
        }
        if (why == null && gpu > 0 && !GpuDevices.fitsEmpty(podCapacity[Resource.GPU.ordinal()], gpu)) {
            int devices = GpuDevices.count(podCapacity[Resource.GPU.ordinal()]);
            // The pooled total has room, the devices do not (a fractional GPU allocatable).
            why = new StringBuilder(gpu < GpuDevices.UNIT
                    ? "needs " + Amounts.format(Resource.GPU, gpu) + " of one GPU device; " + shape.name() + " has no whole GPU device for pods"
                    : "needs " + GpuDevices.whole(gpu) + " whole GPU devices; " + shape.name() + " has " + devices + " for pods");
        }
        return why == null ? null : why.toString();
    }

    /**
     * Whether a problem over {@code table} charges DaemonSets that run in some zones only on those zones' nodes alone
     * ({@link #zoneCapacities()}): no rule of {@link #zoneRulesSpread} and at most 64 zones (a zone set is a long's bits);
     * otherwise every node carries each of them, and the outputs say so.
     */
    public static boolean chargesByZone(DemandTable table) {
        return table.zones() <= 64 && !zoneRulesSpread(table);
    }

    /**
     * Whether the table has pod rules whose placement spreads or groups pods over the nodes or zones by count (topology
     * spreads, pod affinity and anti-affinity on the zone): those place pods on nodes of one capacity, so with them every
     * node carries every DaemonSet that runs in some zone (the safe side, as before DaemonSets were placed zone by zone).
     * Pods kept to some zones by their node selector are placed zone by zone.
     */
    public static boolean zoneRulesSpread(DemandTable table) {
        return table.zoneSkew() != null || table.zoneFloor() != null || table.zoneCoLocation().any() || table.zoneConflicts().any()
                || table.sharedSpreads() != null || HostnameSpreads.of(table) != null;
    }

    /** Whether the nodes of {@code zones} (bits) leave pods different amounts of resource r. */
    private boolean differsByZone(int r, long zones) {
        long seen = -1;
        for (int z = 0; z < zoneLoads.length; z++) {
            if ((zones >>> z & 1) != 0) {
                if (seen >= 0 && zoneCapacity[z * D + r] != seen) {
                    return true;
                }
                seen = zoneCapacity[z * D + r];
            }
        }
        return false;
    }

    /** The DaemonSets' amount of {@code resource} on the nodes of {@code zones} (bits; the same on each: {@link #differsByZone}). */
    private long daemonSetLoadIn(long zones, Resource resource) {
        if (zoneLoads == null) {
            return daemonSetLoad.get(resource);
        }
        for (int z = 0; z < zoneLoads.length; z++) {
            if ((zones >>> z & 1) != 0) {
                return zoneLoads[z].get(resource);
            }
        }
        return 0;
    }

    /** " (3 after DaemonSets in zone a, 4 in zone b)": what the nodes of each of {@code zones} (bits) leave pods. */
    private String afterDaemonSetsByZone(Resource resource, long zones) {
        StringBuilder out = new StringBuilder(" (");
        boolean first = true;
        for (int z = 0; z < zoneLoads.length; z++) {
            if ((zones >>> z & 1) != 0) {
                out.append(first ? "" : ", ").append(Amounts.format(resource, zoneCapacity[z * D + resource.ordinal()]))
                        .append(first ? " after DaemonSets in zone " : " in zone ").append(table.zoneNames().get(z));
                first = false;
            }
        }
        return out.append(')').toString();
    }

    /**
     * How a reason opens when the shape is left unused rather than the pods refused: {@code "m5.large is not used for the
     * workload: …"}. The reports list such pods as not packed on the shape, not as pods that fit no node.
     */
    public static final String NOT_USED = " is not used for the workload: ";

    /**
     * Why no pod goes on this shape when its DaemonSets ask more than it allocates. Kubernetes' DaemonSet controller
     * creates the daemon pod on every node its selector admits whatever the fit (pkg/controller/daemon {@code
     * NodeShouldRunDaemonPod} leaves resources to the scheduler), and it stays Pending there: a node where the DaemonSet
     * does not run is not one to size for, so the shape is refused, naming the DaemonSets rather than the workload's pods.
     */
    private String daemonSetReason() {
        long[] alloc = shape.allocatable().toArray();
        List<String> alone = new ArrayList<>();
        for (io.nodesizer.model.DaemonSetSpec d : daemonSetsHere()) {
            String over = over(d.request().toArray(), alloc);
            if (!over.isEmpty()) {
                alone.add(d.name() + " (" + over + ")");
            }
        }
        String pending = " stay Pending on every " + shape.name() + " node (the DaemonSet controller creates them whatever the fit)";
        if (!alone.isEmpty()) {
            return shape.name() + NOT_USED + "it cannot run DaemonSet" + (alone.size() == 1 ? " " : "s ") + String.join(", ", alone)
                    + ", whose pods would" + pending;
        }
        return shape.name() + NOT_USED + "it cannot run its DaemonSets together (" + over(daemonSetLoad.toArray(), alloc)
                + "), so some of their pods would" + pending;
    }

    /** The DaemonSets of the table that run on this shape, as {@link io.nodesizer.kube.DaemonSetPlacement} places them. */
    private List<io.nodesizer.model.DaemonSetSpec> daemonSetsHere() {
        java.util.Set<String> placed = new java.util.HashSet<>(
                io.nodesizer.kube.DaemonSetPlacement.on(shape, table.daemonSets(), table.zoneNames()).placed());
        return table.daemonSets().stream().filter(d -> placed.contains(d.name())).toList();
    }

    /** "3 of 1.93 CPU": each resource {@code asked} holds more of than {@code allocatable}. */
    private static String over(long[] asked, long[] allocatable) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < D; r++) {
            if (asked[r] > allocatable[r]) {
                Resource resource = Resource.at(r);
                out.add(Amounts.format(resource, asked[r]) + " of " + Amounts.format(resource, allocatable[r]) + " " + Amounts.unit(resource));
            }
        }
        return String.join(", ", out);
    }

    public DemandTable table() {
        return table;
    }

    public NodeShape shape() {
        return shape;
    }

    /**
     * The DaemonSet pods on every node; where they differ by zone ({@link #zoneCapacities()}), every DaemonSet that runs in
     * some zone, the most a node may carry ({@link #daemonSetLoadIn} gives a zone's).
     */
    public Resources daemonSetLoad() {
        return daemonSetLoad;
    }

    /** What kube-scheduler's scoring counts of the DaemonSet pods on every node (NodeResourcesFit's non-zero requests). */
    public Resources daemonSetScoring() {
        return daemonSetScoring;
    }

    public int daemonSetPods() {
        return daemonSetPods;
    }

    /**
     * Pod-allocatable per resource: allocatable minus DaemonSet pods (not to be mutated). Where the DaemonSets differ by
     * zone ({@link #zoneCapacities()}), the most the nodes of any zone leave, resource by resource: what a pod must fit
     * to fit some node, and what a lower bound may count on.
     */
    public long[] podCapacity() {
        return podCapacity;
    }

    /**
     * Per zone of the table, the pod-allocatable of its nodes (stride {@link DemandTable#D}; not to be mutated), where the
     * nodes of some zones run other DaemonSets than those of others; null when every node leaves {@link #podCapacity()}.
     */
    public long[] zoneCapacities() {
        return zoneCapacity;
    }

    /** The pod-allocatable of a node in zone {@code zone} (not to be mutated when shared: {@link #podCapacity()}). */
    public long[] podCapacityIn(int zone) {
        return zoneCapacity == null ? podCapacity : java.util.Arrays.copyOfRange(zoneCapacity, zone * D, zone * D + D);
    }

    /** The DaemonSet pods on a node in zone {@code zone}: {@link #daemonSetLoad()} unless they differ by zone. */
    public Resources daemonSetLoadIn(int zone) {
        return zoneLoads == null ? daemonSetLoad : zoneLoads[zone];
    }

    /** What kube-scheduler's scoring counts of the DaemonSet pods on a node in zone {@code zone}. */
    public Resources daemonSetScoringIn(int zone) {
        return zoneScorings == null ? daemonSetScoring : zoneScorings[zone];
    }

    /** Per zone of the table, the DaemonSet load of its nodes where they differ by zone ({@link #zoneCapacities()}), else empty. */
    public List<Resources> zoneLoads() {
        return zoneLoads == null ? List.of() : List.of(zoneLoads);
    }

    /** As {@link #zoneLoads()}, what scoring counts of them. */
    public List<Resources> zoneScorings() {
        return zoneScorings == null ? List.of() : List.of(zoneScorings);
    }

    /** The same problem over {@code other}, a table of the same groups (the same DaemonSet loads, zone by zone where they differ). */
    public PackingProblem over(DemandTable other) {
        return new PackingProblem(other, shape, daemonSetLoad, daemonSetScoring, zoneLoads(), zoneScorings());
    }

    public Resources podAllocatable() {
        return Resources.of(podCapacity.clone());
    }

    /** Resource indices that some schedulable pod requests (always includes pods). */
    public int[] activeDims() {
        return activeDims;
    }

    /** Groups whose one replica fits an empty node, in input order. */
    public int[] schedulableGroups() {
        return schedulableGroups;
    }

    public List<Unschedulable> unschedulable() {
        return unschedulable;
    }

    /** Demand rows with stride {@link DemandTable#D}, zero for unschedulable groups. */
    public long[] flatDemand() {
        return flatDemand;
    }

    public int schedulablePodCount() {
        int n = 0;
        for (int g : schedulableGroups) {
            n += table.replicas(g);
        }
        return n;
    }

    /**
     * Pods of a group that stay unplaced, with the reason: every replica of a group that can never
     * be placed on this shape (the reason worded when asked for), or — from a rule that the packing
     * applies as it goes, such as required pod affinity — the replicas from {@link #firstReplica()}
     * on, with a reason of the rule's own.
     */
    public static final class Unschedulable {
        private final int group;
        private final PackingProblem problem;
        private final int firstReplica;
        private final String ruleReason;

        Unschedulable(int group, PackingProblem problem) {
            this(group, problem, 0, null);
        }

        Unschedulable(int group, PackingProblem problem, int firstReplica, String ruleReason) {
            this.group = group;
            this.problem = problem;
            this.firstReplica = firstReplica;
            this.ruleReason = ruleReason;
        }

        /** Replicas {@code firstReplica..replicas-1} of a schedulable group that a rule leaves unplaced. */
        public static Unschedulable byRule(PackingProblem problem, int group, int firstReplica, String reason) {
            if (firstReplica < 0 || firstReplica >= problem.table().replicas(group)) {
                throw new IllegalArgumentException("replica " + firstReplica + " of " + problem.table().replicas(group));
            }
            return new Unschedulable(group, problem, firstReplica, java.util.Objects.requireNonNull(reason));
        }

        public int group() {
            return group;
        }

        /** The first unplaced replica (0: the whole group). */
        public int firstReplica() {
            return firstReplica;
        }

        /** The pods left unplaced. */
        public int pods() {
            return problem.table().replicas(group) - firstReplica;
        }

        /** The pods these entries leave unplaced. */
        public static int pods(List<Unschedulable> entries) {
            int n = 0;
            for (Unschedulable u : entries) {
                n += u.pods();
            }
            return n;
        }

        /** Whether a placement rule left these pods out, though they fit an empty node. */
        public boolean byRule() {
            return ruleReason != null;
        }

        public String reason() {
            return ruleReason != null ? ruleReason : problem.reason(group);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unschedulable u && u.group == group && u.firstReplica == firstReplica && u.reason().equals(reason());
        }

        @Override
        public int hashCode() {
            return group * 31 + firstReplica;
        }

        @Override
        public String toString() {
            return "Unschedulable[group=" + group + (firstReplica > 0 ? ", from replica " + firstReplica : "") + ", reason=" + reason() + "]";
        }
    }
}
