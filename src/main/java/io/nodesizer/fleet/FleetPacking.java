package io.nodesizer.fleet;

import io.nodesizer.engine.Amounts;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.GpuModels;
import io.nodesizer.model.GpuVendors;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packing onto a given, heterogeneous fleet ({@code pack --fleet}): do these pods fit the nodes
 * we have? Pods go largest first (by their largest share of the largest node on any resource), each
 * to the first node in fleet order that has room on every resource, a GPU device for it and a GPU
 * model and vendor it allows — first-fit decreasing over fixed bins. When that leaves pods out and some groups
 * may use only some of the nodes, the packing is done again with those groups first
 * ({@link FleetOrder#restrictedFirst}), and while pods are still left out smallest first
 * ({@link FleetOrder#smallestFirst}); the packing that places the most pods is kept, then the one on fewer nodes,
 * then the earlier order (largest first, restricted first, smallest first). Nodes may start with a load (the pods
 * already running on them). What fits nowhere is reported with the reason.
 */
public final class FleetPacking {
    private static final int D = DemandTable.D;
    private static final int GPU = Resource.GPU.ordinal();

    /**
     * One node of the fleet.
     *
     * @param shape  a label for its kind (nodes of one kind are counted together)
     * @param loaded what already runs on it (zero to start empty)
     */
    /**
     * @param labels    its labels (a snapshot's node), empty when unknown (an openb node list)
     * @param taints    its taints
     * @param gpuVendor whose device plugins serve its GPUs ({@link GpuVendors}: a snapshot's node's GPU resource names),
     *                  "" when unknown (an openb node list): then any pod's GPUs run there
     */
    public record FleetNode(String name, String shape, Resources allocatable, String gpuModel, Resources loaded,
                            java.util.Map<String, String> labels, List<io.nodesizer.model.Placement.Taint> taints, String gpuVendor) {
        public FleetNode {
            labels = java.util.Map.copyOf(labels);
            taints = List.copyOf(taints);
            java.util.Objects.requireNonNull(gpuVendor, "gpuVendor");
        }

        /** A node whose GPUs' vendor is not known. */
        public FleetNode(String name, String shape, Resources allocatable, String gpuModel, Resources loaded,
                         java.util.Map<String, String> labels, List<io.nodesizer.model.Placement.Taint> taints) {
            this(name, shape, allocatable, gpuModel, loaded, labels, taints, "");
        }

        /** A node without labels or taints. */
        public FleetNode(String name, String shape, Resources allocatable, String gpuModel, Resources loaded) {
            this(name, shape, allocatable, gpuModel, loaded, java.util.Map.of(), List.of());
        }

        /** The same node starting with {@code newLoad} on it. */
        public FleetNode withLoaded(Resources newLoad) {
            return new FleetNode(name, shape, allocatable, gpuModel, newLoad, labels, taints, gpuVendor);
        }

        /** Whether a GPU pod restricted to {@code models} (none: any) and asking for {@code vendor}'s GPUs may use this node's. */
        boolean gpusFor(List<String> models, String vendor) {
            return GpuModels.allows(models, gpuModel) && GpuVendors.allows(vendor, gpuVendor);
        }

        /** Why the group's node selector, affinity or tolerations refuse this node, or null. */
        String refuses(PodGroup group) {
            return refuses(group.placement());
        }

        /** Why {@code placement}'s node selector, required node affinity or tolerations refuse this node, or null. */
        String refuses(Placement placement) {
            return io.nodesizer.kube.NodeMatching.onNode(placement, labels, taints, name);
        }
    }

    /** A node's GPU devices free for new pods: GPUs already in use are taken as whole devices, their arrangement not known. */
    static int freeDevices(FleetNode node) {
        int count = GpuDevices.count(node.allocatable().gpuMillis());
        return count - (int) Math.min(count, (node.loaded().gpuMillis() + GpuDevices.UNIT - 1) / GpuDevices.UNIT);
    }

    /** A group whose pods (some or all) fit nowhere, with how many and why. */
    public record Unplaced(PodGroup group, int pods, String reason) {
    }

    /**
     * @param assignment node index per global pod, -1 when unplaced
     * @param load       per node, what its new pods request (stride {@link DemandTable#D}), existing load excluded
     * @param gpuDevices per pod the mask of its GPU devices on its node (0 without GPUs)
     */
    public record Result(List<FleetNode> nodes, int[] assignment, long[] load, long[] gpuDevices, List<Unplaced> unplaced) {
        /** Per node, whether it received at least one pod. */
        private boolean[] used() {
            boolean[] used = new boolean[nodes.size()];
            for (int n : assignment) {
                if (n >= 0) {
                    used[n] = true;
                }
            }
            return used;
        }

        /** Nodes that received at least one pod. */
        public int nodesUsed() {
            int c = 0;
            for (boolean u : used()) {
                c += u ? 1 : 0;
            }
            return c;
        }

        public int placedPods() {
            return (int) Arrays.stream(assignment).filter(n -> n >= 0).count();
        }

        /**
         * The GPU devices no pod holds any of, over the fleet: per node its devices free at the start (those of the pods
         * already running taken as whole devices, as the packing takes them) less those the new pods' device masks touch.
         * Not the pooled free GPU, which counts a share's leftover slivers (0.07 of a device) as GPU (QA 69a F6).
         */
        public long wholeGpusFree() {
            long[] touched = new long[nodes.size()];
            for (int pod = 0; pod < assignment.length; pod++) {
                if (assignment[pod] >= 0) {
                    touched[assignment[pod]] |= gpuDevices[pod];
                }
            }
            long out = 0;
            for (int i = 0; i < nodes.size(); i++) {
                out += Math.max(0, freeDevices(nodes.get(i)) - Long.bitCount(touched[i]));
            }
            return out;
        }

        /**
         * A lower bound on the nodes any packing needs for the pods this one placed: per resource, the fewest nodes whose room
         * at the start (allocatable less what they run) holds those pods' total request, largest room first; the most over
         * the resources, and 1 for any pod. Fleet nodes differ, so it counts the roomiest ones, and it relaxes GPU devices and
         * every rule to their sums: no packing of the same pods uses fewer (QA 78c F6: pack --fleet gave no bound or gap).
         */
        public int nodesUsedBound() {
            long[] demand = new long[D];
            for (int i = 0; i < nodes.size(); i++) {
                for (int k = 0; k < D; k++) {
                    demand[k] += load[i * D + k];
                }
            }
            int bound = placedPods() > 0 ? 1 : 0;
            long[] room = new long[nodes.size()];
            for (int k = 0; k < D; k++) {
                if (demand[k] <= 0) {
                    continue;
                }
                for (int i = 0; i < room.length; i++) {
                    FleetNode node = nodes.get(i);
                    room[i] = Math.max(0, node.allocatable().toArray()[k] - node.loaded().toArray()[k]);
                }
                Arrays.sort(room);
                long held = 0;
                int count = 0;
                for (int i = room.length - 1; i >= 0 && held < demand[k]; i--) {
                    held += room[i];
                    count++;
                }
                bound = Math.max(bound, count);
            }
            return bound;
        }

        /** The gap of the nodes used to {@link #nodesUsedBound}, in percent of the bound (0 when nothing is placed). */
        public double gapPercent() {
            int bound = nodesUsedBound();
            return bound == 0 ? 0 : 100.0 * (nodesUsed() - bound) / bound;
        }

        /** Per shape label: nodes, nodes used. */
        public Map<String, int[]> byShape() {
            Map<String, int[]> out = new LinkedHashMap<>();
            boolean[] used = used();
            for (int i = 0; i < nodes.size(); i++) {
                int[] c = out.computeIfAbsent(nodes.get(i).shape(), k -> new int[2]);
                c[0]++;
                c[1] += used[i] ? 1 : 0;
            }
            return out;
        }
    }

    private FleetPacking() {
    }

    /**
     * The workload's demand table for this fleet: over the zones its nodes' zone labels name, so
     * that pod affinity and anti-affinity on the zone and spreads over the zones bind there
     * ({@link FleetRules}); one zone when no node carries the label.
     */
    public static DemandTable table(io.nodesizer.model.Workload workload, List<FleetNode> nodes) {
        return table(workload, nodes, null);
    }

    /**
     * As {@link #table(io.nodesizer.model.Workload, List)}; with running pods kept the rules are the
     * scheduler's filters over every pod ({@link RunningPodRules}), which read the nodes' labels
     * themselves: the table then only lists the pods (any number of zones, spreads shared by
     * several workloads counted exactly).
     */
    public static DemandTable table(io.nodesizer.model.Workload workload, List<FleetNode> nodes, RunningPods running) {
        if (running != null) {
            return DemandTable.of(workload);
        }
        List<String> zones = FleetRules.zonesOf(nodes);
        if (zones.size() > 64) {
            // Zones are counted in 64-bit masks, as --zones allows at most 64: without zone rules they do not matter.
            DemandTable plain = DemandTable.of(workload);
            if (!plain.hasZoneRules() && io.nodesizer.kube.PodConflicts.zoneSkew(workload.groups()) == null) {
                return plain;
            }
            throw new IllegalArgumentException("The fleet's nodes name " + zones.size() + " zones (topology.kubernetes.io/zone); "
                    + "at most 64 are modelled for pod rules on the zone.");
        }
        DemandTable table = zones.isEmpty() ? DemandTable.of(workload) : DemandTable.of(workload, zones);
        if (table.sharedSpreads() != null) {
            // On a node list (no snapshot) the fleet packer counts spreads per workload (ConflictCounts'
            // caps, FleetRules' zone counts): refused rather than packed with too few pods counted.
            throw new IllegalArgumentException("--fleet onto a node list does not model a hard topology spread whose selector also "
                    + "selects other workloads' pods (" + String.join("; ", table.sharedSpreads().described().stream().limit(3).toList())
                    + "): kube-scheduler counts every pod the selector matches, and on a node list the fleet packer counts each "
                    + "workload's own. Pack onto fresh nodes (--node) or onto a cluster snapshot, which count them all, or "
                    + "give each workload a selector of its own (e.g. "
                    + "matchLabelKeys: [pod-template-hash]).");
        }
        return table;
    }

    public static Result pack(DemandTable table, List<FleetNode> nodes) {
        return pack(table, nodes, null);
    }

    /**
     * @param running the pods a snapshot's nodes run (kept, not re-packed), or null: with them every
     *                pod rule is checked by the scheduler's filters against all pods ({@link RunningPodRules})
     */
    public static Result pack(DemandTable table, List<FleetNode> nodes, RunningPods running) {
        int[] largestFirst = FleetOrder.largestFirst(table, nodes);
        Attempt best = firstFit(table, nodes, running, largestFirst, largestFirst);
        // The other orders only while pods are left out: a packing that placed everything stays as it was, at no cost
        // (on a 5,000-node fleet each is one more first fit). The earlier order stays on a tie (Attempt.betterThan).
        if (best.result().placedPods() < table.podCount()) {
            int[] restricted = FleetOrder.restrictedFirst(table, nodes, largestFirst);
            if (!Arrays.equals(restricted, largestFirst)) {
                Attempt other = firstFit(table, nodes, running, restricted, largestFirst);
                if (other.betterThan(best)) {
                    best = other;
                }
            }
        }
        if (best.result().placedPods() < table.podCount()) {
            int[] smallest = FleetOrder.smallestFirst(table, nodes);
            if (!Arrays.equals(smallest, largestFirst)) {
                Attempt other = firstFit(table, nodes, running, smallest, largestFirst);
                if (other.betterThan(best)) {
                    best = other;
                }
            }
        }
        Result placed = best.result();
        Result result = new Result(placed.nodes(), placed.assignment(), placed.load(), placed.gpuDevices(), best.unplaced().get());
        verify(table, result, best.devices(), running, best.sequence());
        return result;
    }

    /**
     * One first-fit packing and what the verifier needs of it.
     *
     * @param result    the placements, without the pods left out
     * @param unplaced  the groups left out, with the reasons (asked only of the packing kept)
     * @param devices   per node its free GPU devices at the start
     * @param sequence  the placed pods in the order they were placed
     */
    private record Attempt(Result result, java.util.function.Supplier<List<Unplaced>> unplaced, int[] devices, int[] sequence) {
        /** More pods placed, then fewer nodes used; on a tie the other (the earlier order) stays. */
        boolean betterThan(Attempt other) {
            int c = Integer.compare(result.placedPods(), other.result.placedPods());
            return c != 0 ? c > 0 : result.nodesUsed() < other.result.nodesUsed();
        }
    }

    /**
     * Pods in the given group order, each to the first node in fleet order with room that the rules
     * admit; groups with required pod affinity after the rest whatever the order.
     *
     * @param reportOrder the order the groups left out are reported in (the same whatever the packing order)
     */
    private static Attempt firstFit(DemandTable table, List<FleetNode> nodes, RunningPods running, int[] order, int[] reportOrder) {
        int n = nodes.size();
        long[] free = new long[n * D];
        int[] devices = new int[n];
        int maxDevices = 0;
        for (int i = 0; i < n; i++) {
            long[] alloc = nodes.get(i).allocatable().toArray();
            long[] loaded = nodes.get(i).loaded().toArray();
            for (int r = 0; r < D; r++) {
                free[i * D + r] = Math.max(0, alloc[r] - loaded[r]);
            }
            devices[i] = freeDevices(nodes.get(i));
            maxDevices = Math.max(maxDevices, devices[i]);
        }
        int[] deviceLoad = new int[n * Math.max(1, maxDevices)];
        int stride = Math.max(1, maxDevices);
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        long[] masks = new long[table.podCount()];
        long[] load = new long[n * D];
        RunningPodRules exact = running == null ? null : RunningPodRules.of(table, running);
        // Without running pods the rules count the packing's own pods: per-node caps and FleetRules.
        // The nodes are known, so a hostname spread's cap stands above its fewest over them, as
        // kube-scheduler's minMatchNum (not 0, as for fresh nodes): each node is its own place.
        io.nodesizer.engine.HostnameFloors floors = exact != null ? null
                : io.nodesizer.engine.HostnameFloors.of(table, n, (g, sp) -> domains(g, sp, nodes), table.sharedSpreads());
        io.nodesizer.engine.ConflictCounts present = exact != null ? null
                : new io.nodesizer.engine.ConflictCounts(table.conflicts(), table.caps(), table.sharedSpreads(), floors);
        if (floors != null) {
            floors.bind(present);
            for (int k = 0; k < n; k++) {
                floors.nodeReady(k, k, 1); // every node of the list is there from the start
            }
        }
        FleetRules rules = new FleetRules(table, nodes);
        int[] done = new int[table.groupCount()];
        int[] sequence = new int[table.podCount()];
        int[] placedCount = new int[1];
        // Pods with required pod affinity wait for the rest (their targets among it), then retry
        // while some of them still get placed (a target may itself follow another).
        Pass pass = g -> {
            PodGroup group = table.group(g);
            long gpu = table.demand(g, GPU);
            boolean ruled = exact != null ? exact.ruled(g) : rules.ruled(g);
            int from = 0;
            boolean any = false;
            for (int i = done[g]; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                int node = -1;
                for (int k = from; k < n && node < 0; k++) {
                    if (fits(table, g, free, k, nodes.get(k), deviceLoad, k * stride, devices[k])
                            && (exact != null ? exact.admits(k, g, i) : present.admits(k, g) && rules.admits(k, g))) {
                        node = k;
                    }
                }
                if (node < 0) {
                    return any; // identical pods: none of the rest fits either, as things stand
                }
                // A zone rule can admit an earlier node once other zones caught up: search from the first again.
                from = ruled ? 0 : node;
                assignment[pod] = node;
                sequence[placedCount[0]++] = pod;
                if (exact != null) {
                    exact.add(node, g, i);
                } else {
                    present.add(node, g, 1);
                    if (floors != null) {
                        floors.moved(node, node, true, g, 1);
                        if (floors.takeRose()) {
                            from = 0; // a spread's fewest rose: nodes passed over may admit the next replica
                        }
                    }
                    rules.add(node, g);
                }
                done[g] = i + 1;
                any = true;
                for (int r = 0; r < D; r++) {
                    free[node * D + r] -= table.demand(g, r);
                    load[node * D + r] += table.demand(g, r);
                }
                if (gpu > 0) {
                    masks[pod] = GpuDevices.take(deviceLoad, node * stride, devices[node], gpu);
                }
            }
            return any;
        };
        for (int g : order) {
            if (!(exact != null ? exact.follows(g) : rules.follows(g))) {
                pass.place(g);
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int g : order) {
                // With running pods a spread can be shared by several workloads: a pod its spread refused
                // may fit once other workloads' pods filled the domain with the fewest, as kube-scheduler
                // retries an unschedulable pod when pods are added. So every ruled group is retried.
                if ((exact != null ? exact.ruled(g) : rules.follows(g)) && done[g] < table.replicas(g)) {
                    progress |= pass.place(g);
                }
            }
        }
        // The reasons are built only for the packing kept: asking every node about every group left out costs
        // as much as the packing on a trace.
        java.util.function.Supplier<List<Unplaced>> reasons = () -> unplaced(table, nodes, reportOrder, done, exact, present, rules, floors,
                running, free);
        return new Attempt(new Result(List.copyOf(nodes), assignment, load, masks, List.of()), reasons, devices,
                Arrays.copyOf(sequence, placedCount[0]));
    }

    /** The groups with pods left out ({@code done} of each placed), in {@code reportOrder}, each with why. */
    private static List<Unplaced> unplaced(DemandTable table, List<FleetNode> nodes, int[] reportOrder, int[] done, RunningPodRules exact,
                                           io.nodesizer.engine.ConflictCounts present, FleetRules rules,
                                           io.nodesizer.engine.HostnameFloors floors, RunningPods running, long[] free) {
        List<Unplaced> unplaced = new ArrayList<>();
        for (int g : reportOrder) {
            int left = table.replicas(g) - done[g];
            if (left > 0) {
                String why = reason(table, g, nodes);
                String missing = exact == null ? null : exact.keyNoNodeCarries(g);
                if (missing != null && why.startsWith("no room left")) {
                    why = "its required pod affinity or topology spread needs the node label " + missing + ", which no node of the "
                            + "snapshot carries (kube-scheduler refuses nodes without it)";
                } else if (exact != null && exact.constrains(g) && why.startsWith("no room left")) {
                    why += " (or the required pod affinity, anti-affinity or topology spread of it or of the pods running there "
                            + "admits none of the nodes with room)";
                } else if (exact == null && (present.tracks(g) || rules.ruled(g)) && why.startsWith("no room left")) {
                    why += rules.ruled(g) ? " (or its required pod affinity, anti-affinity or topology spread admits none of the nodes with room)"
                            : floors != null && floors.constrains(g) ? " (or its hostname topology spread admits none of the nodes with room: "
                            + "maxSkew above the fewest of its pods on a node of the list)"
                            : " (or runs a pod its required anti-affinity keeps it apart from)";
                }
                if (running != null && why.startsWith("no room left")) {
                    why += preemption(table, g, nodes, running, free);
                }
                unplaced.add(new Unplaced(table.group(g), left, why));
            }
        }
        return unplaced;
    }

    /**
     * Per node of the list, whether it is a domain of the group's hostname spread: its labels match
     * the pod's node selector and required affinity unless {@code nodeAffinityPolicy: Ignore}, its
     * taints are tolerated when {@code nodeTaintsPolicy: Honor} (kube-scheduler's node inclusion).
     */
    private static boolean[] domains(PodGroup g, io.nodesizer.model.Placement.Spread sp, List<FleetNode> nodes) {
        boolean[] out = new boolean[nodes.size()];
        for (int k = 0; k < out.length; k++) {
            FleetNode node = nodes.get(k);
            out[k] = io.nodesizer.kube.NodeMatching.inSpreadDomain(sp, g.placement(), node.labels(), node.taints(), node.name());
        }
        return out;
    }

    /**
     * Re-sums every node from the pod records: within allocatable with what already runs, devices
     * within 1000 each; each pod on a node its selector, affinity, tolerations, GPU models and vendor admit
     * (the order of the groups depends on them); then the pod rules, over the running pods too when
     * there are some.
     *
     * @param sequence the placed pods in the order they were placed (the scheduler's filters depend on it)
     */
    static void verify(DemandTable table, Result r, int[] devices, RunningPods running, int[] sequence) {
        int n = r.nodes().size();
        long[] sum = new long[n * D];
        int[][] dev = new int[n][];
        for (int i = 0; i < n; i++) {
            long[] loaded = r.nodes().get(i).loaded().toArray();
            System.arraycopy(loaded, 0, sum, i * D, D);
            dev[i] = new int[GpuDevices.MAX];
        }
        int unplaced = 0;
        for (int g = 0; g < table.groupCount(); g++) {
            long[] req = table.group(g).request().toArray();
            long gpu = req[GPU];
            for (int k = 0; k < table.replicas(g); k++) {
                int pod = table.firstPod(g) + k;
                int node = r.assignment()[pod];
                if (node < 0) {
                    unplaced++;
                    continue;
                }
                for (int x = 0; x < D; x++) {
                    sum[node * D + x] += req[x];
                }
                FleetNode on = r.nodes().get(node);
                String refused = on.refuses(table.group(g));
                if (refused == null && gpu > 0 && !on.gpusFor(table.group(g).gpuModels(), table.group(g).gpuVendor())) {
                    refused = GpuModels.allows(table.group(g).gpuModels(), on.gpuModel()) ? GpuVendors.whyNot(table.group(g).gpuVendor(),
                            on.name(), on.gpuVendor()) : "GPU model " + on.gpuModel();
                }
                if (refused != null) {
                    fail("pod " + table.group(g).podName(k) + " is on " + on.name() + ", which it may not use (" + refused + ")");
                }
                if (gpu > 0) {
                    long mask = r.gpuDevices()[pod];
                    if (!GpuDevices.validMask(mask, gpu, devices[node])) {
                        fail("pod " + table.group(g).podName(k) + " has GPU devices " + GpuDevices.describe(mask));
                    }
                    int over = GpuDevices.occupy(dev[node], 0, mask, gpu);
                    if (over >= 0) {
                        fail("GPU device " + over + " of " + r.nodes().get(node).name() + " is over 1000 thousandths");
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            long[] alloc = r.nodes().get(i).allocatable().toArray();
            long[] loaded = r.nodes().get(i).loaded().toArray();
            for (int x = 0; x < D; x++) {
                // A node may start over its allocatable (what runs there is what runs); new pods may not add to that.
                if (sum[i * D + x] > Math.max(alloc[x], loaded[x])) {
                    fail(r.nodes().get(i).name() + " is over its allocatable " + Resource.at(x).fieldName());
                }
            }
        }
        if (sequence.length != r.placedPods()) {
            fail(r.placedPods() + " pods are placed but " + sequence.length + " were recorded in order");
        }
        // On a snapshot the scheduler's filters (none to check when no pod has a rule); on a node list FleetRules.
        String broken = running != null ? RunningPodRules.violation(table, running, r.nodes(), r.assignment(), sequence)
                : FleetRules.violation(table, r.nodes(), r.assignment());
        if (broken != null) {
            fail(broken);
        }
        int reported = r.unplaced().stream().mapToInt(Unplaced::pods).sum();
        if (reported != unplaced) {
            fail(unplaced + " pods are unplaced but " + reported + " are reported");
        }
    }

    /** Places what it can of a group's remaining pods; whether it placed any. */
    @FunctionalInterface
    private interface Pass {
        boolean place(int g);
    }

    private static void fail(String what) {
        throw new io.nodesizer.engine.VerificationException("Fleet packing verification failed: " + what
                + ". This is a bug in nodesizer; please report it with the input.");
    }

    private static boolean fits(DemandTable table, int g, long[] free, int node, FleetNode fleetNode, int[] deviceLoad, int base,
                                int devices) {
        for (int r = 0; r < D; r++) {
            if (table.demand(g, r) > free[node * D + r]) {
                return false;
            }
        }
        long gpu = table.demand(g, GPU);
        return (gpu == 0 || (fleetNode.gpusFor(table.group(g).gpuModels(), table.group(g).gpuVendor())
                && GpuDevices.fits(deviceLoad, base, devices, gpu))) && fleetNode.refuses(table.group(g)) == null;
    }

    /**
     * Where kube-scheduler's DefaultPreemption would make room for group g's pod on a kept snapshot, as a clause for its
     * reason, or "": on every node that admits it and where evicting every running pod of lower priority (not a static
     * one: {@link io.nodesizer.kube.PreemptionVictims#mayEvict}) frees its request, the victims {@code selectVictimsOnNode}
     * keeps ({@link io.nodesizer.kube.PreemptionVictims#select}: reprieved most important first while the pod still fits),
     * and the node {@code pickOneNodeForPreemption} takes (lowest highest-victim priority, then smallest sum, then fewest
     * victims, then fleet order; review 71 #7: it was the first node that fit); its preemptionPolicy must not be Never.
     * PodDisruptionBudgets and the inter-pod filters are not weighed here. The packing does not follow it (QA 70b F4:
     * "every node is full" is the wrong conclusion for a critical pod), as {@code analyze} says of a pending pod.
     */
    private static String preemption(DemandTable table, int g, List<FleetNode> nodes, RunningPods running, long[] free) {
        PodGroup group = table.group(g);
        if (group.template() != null && !group.template().preempts()) {
            return "";
        }
        io.nodesizer.kube.PreemptionVictims best = null;
        int bestNode = -1;
        for (int k = 0; k < nodes.size(); k++) {
            if (nodes.get(k).refuses(group) != null) {
                continue;
            }
            long[] room = Arrays.copyOfRange(free, k * D, (k + 1) * D);
            List<io.nodesizer.model.ClusterSnapshot.Pod> lower = new ArrayList<>();
            for (io.nodesizer.model.ClusterSnapshot.Pod p : running.onNode().get(running.fleetIndex()[k])) {
                if (io.nodesizer.kube.PreemptionVictims.mayEvict(p, group.priority())) {
                    lower.add(p);
                    add(room, p.request().toArray(), 1);
                }
            }
            if (lower.isEmpty() || !fits(table, g, room)) {
                continue;
            }
            lower.sort(io.nodesizer.model.ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST);
            io.nodesizer.kube.PreemptionVictims victims = io.nodesizer.kube.PreemptionVictims.select(lower.size(), null,
                    j -> lower.get(j).priority(), j -> {
                        add(room, lower.get(j).request().toArray(), -1);
                        if (fits(table, g, room)) {
                            return true;
                        }
                        add(room, lower.get(j).request().toArray(), 1);
                        return false;
                    }, j -> { });
            if (victims.count() > 0 && victims.before(best)) { // none: the filters, not the room, refuse it there
                best = victims;
                bestNode = k;
            }
        }
        if (best == null) {
            return "";
        }
        int victims = best.count();
        return "; at its priority " + group.priority() + " kube-scheduler's preemption would make room on " + nodes.get(bestNode).name()
                + " by evicting " + victims + (victims == 1 ? " pod" : " pods") + " of lower priority there (the highest " + best.highest()
                + "), which pack --fleet does not follow";
    }

    private static void add(long[] room, long[] request, int sign) {
        for (int r = 0; r < D; r++) {
            room[r] += sign * request[r];
        }
    }

    private static boolean fits(DemandTable table, int g, long[] room) {
        for (int r = 0; r < D; r++) {
            if (table.demand(g, r) > room[r]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why a pod fits nowhere: no node could ever hold it, or the nodes that could are full. When
     * only the GPU vendor keeps it off the nodes that could hold it, that is the reason, in a
     * candidate shape's words (naming the first such node).
     */
    private static String reason(DemandTable table, int g, List<FleetNode> nodes) {
        long gpu = table.demand(g, GPU);
        String vendor = table.group(g).gpuVendor();
        java.util.Set<String> shapes = new java.util.LinkedHashSet<>();
        java.util.Set<String> unnamed = new java.util.LinkedHashSet<>(); // nodes of no known shape (a snapshot's without labels)
        String otherVendor = null;
        for (FleetNode node : nodes) {
            long[] alloc = node.allocatable().toArray();
            boolean could = true;
            for (int r = 0; r < D; r++) {
                could &= table.demand(g, r) <= alloc[r];
            }
            if (could && (gpu == 0 || (GpuModels.allows(table.group(g).gpuModels(), node.gpuModel())
                    && GpuDevices.fitsEmpty(alloc[GPU], gpu))) && node.refuses(table.group(g)) == null) {
                String refused = gpu == 0 ? null : GpuVendors.whyNot(vendor, node.name(), node.gpuVendor());
                if (refused == null && (node.shape() == null || node.shape().isEmpty() || "(none)".equals(node.shape()))) {
                    unnamed.add(node.name());
                } else if (refused == null) {
                    shapes.add(node.shape());
                } else if (otherVendor == null) {
                    otherVendor = refused;
                }
            }
        }
        if (shapes.isEmpty() && unnamed.isEmpty() && otherVendor != null) {
            return "fits no node of the fleet: " + otherVendor;
        }
        if (!shapes.isEmpty()) {
            List<String> names = new ArrayList<>(shapes);
            return "no room left: it fits an empty node of " + (names.size() == 1 ? "shape " + names.get(0)
                    : names.size() + " shapes (" + firstThree(names) + ")") + ", but every node that could hold it is full";
        }
        if (!unnamed.isEmpty()) {
            // Nodes without an instance-type or node-group label: named, where "shape (none)" said nothing (QA 69a F9).
            List<String> names = new ArrayList<>(unnamed);
            return "no room left: it fits " + (names.size() == 1 ? "node " + names.get(0) : names.size() + " nodes (" + firstThree(names) + ")")
                    + " when empty, but every node that could hold it is full";
        }
        StringBuilder sb = new StringBuilder("fits no node of the fleet: needs");
        for (int r = 0; r < D; r++) {
            long d = table.demand(g, r);
            if (d > 0 && r != Resource.PODS.ordinal()) {
                Resource res = Resource.at(r);
                sb.append(' ').append(Amounts.format(res, d)).append(' ').append(Amounts.unit(res)).append(',');
            }
        }
        sb.setLength(sb.length() - 1);
        if (!table.group(g).gpuModels().isEmpty()) {
            sb.append(" on GPU model ").append(String.join(" or ", table.group(g).gpuModels()));
        }
        // The pod's own rules only where some node's labels or taints refuse it: a GPU pod's implied toleration of its
        // resource's taint (GpuProductSelectors) made every GPU pod's reason say so, with no selector or affinity at all.
        if (!table.group(g).placement().isAny() && nodes.stream().anyMatch(n -> n.refuses(table.group(g)) != null)) {
            String why = nodes.isEmpty() ? null : nodes.get(0).refuses(table.group(g));
            sb.append(why == null ? " on a node its selector, affinity and tolerations admit" : " (on " + nodes.get(0).name() + ", " + why + ")");
        }
        if (gpu > 0) {
            sb.append(gpuFacts(table, g, nodes));
        }
        return sb.toString();
    }

    /**
     * What the fleet's GPUs are, where a GPU pod fits no node: none at all, not of the models the pod allows, or fewer on
     * the largest node than it asks for (QA 69a F9: the reason named the request alone).
     */
    private static String gpuFacts(DemandTable table, int g, List<FleetNode> nodes) {
        long any = 0;
        long most = 0; // on the nodes of a model the pod allows (review 70 #5: any model's largest node hid the fact)
        java.util.Set<String> models = new java.util.TreeSet<>();
        for (FleetNode node : nodes) {
            long gpus = node.allocatable().gpuMillis();
            if (gpus > 0) {
                any = Math.max(any, gpus);
                if (!node.gpuModel().isEmpty()) {
                    models.add(node.gpuModel());
                }
                if (GpuModels.allows(table.group(g).gpuModels(), node.gpuModel())) {
                    most = Math.max(most, gpus);
                }
            }
        }
        if (any == 0) {
            return "; no node of the fleet has GPUs";
        }
        if (most == 0) {
            return "; the fleet's GPUs are " + String.join(", ", models);
        }
        if (!GpuDevices.fitsEmpty(most, table.demand(g, GPU))) {
            return "; the largest node " + (table.group(g).gpuModels().isEmpty() ? "" : "of " + String.join(" or ", table.group(g).gpuModels()) + " ")
                    + "has " + Amounts.format(Resource.GPU, most) + " GPU";
        }
        return "";
    }

    private static String firstThree(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", …" : "");
    }
}
