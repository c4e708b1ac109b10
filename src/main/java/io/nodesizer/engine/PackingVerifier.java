package io.nodesizer.engine;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks a {@link PackingResult} from scratch, independently of the strategy and of the engine's
 * flattened arrays: it re-sums every node from the pods' {@link PodGroup#request()} records and
 * the shape's allocatable, and confirms that
 * <ul>
 *   <li>every node's DaemonSet pods plus workload pods fit its allocatable on every resource;</li>
 *   <li>every pod is placed on exactly one existing node, or reported unschedulable exactly once
 *       and then truly does not fit an empty node;</li>
 *   <li>no GPU pod is placed on a shape whose GPUs are another vendor's ({@link io.nodesizer.model.GpuVendors}) or
 *       another model than it asks, and no pod on a shape its node selector, required node affinity or tolerations refuse;</li>
 *   <li>no node is empty (a strategy that opens nodes it does not use wastes money);</li>
 *   <li>the reported node loads equal the re-summed ones, and the node count is at least the bound;</li>
 *   <li>GPU devices ({@link GpuDevices}): every GPU pod has devices of its node — one for a share,
 *       as many as it asks for whole ones — no device is over 1000 thousandths, and a device
 *       taken whole is nobody else's;</li>
 *   <li>pods that repel each other share no node, and zone spread stays within maxSkew;</li>
 *   <li>a hard spread whose selector also selects other workloads' pods holds on the count of every
 *       pod it selects, recounted here from the pods' labels.</li>
 * </ul>
 * A failure throws {@link VerificationException}: it is a bug, reported loudly.
 */
public final class PackingVerifier {
    private PackingVerifier() {
    }

    public static void verify(PackingResult result) {
        PackingProblem problem = result.problem();
        DemandTable table = problem.table();
        int nodes = result.nodeCount();
        int[] assignment = result.assignment();
        if (assignment.length != table.podCount()) {
            fail(result, "the assignment covers " + assignment.length + " pods, the workload has " + table.podCount());
        }
        Set<Integer> unschedulableGroups = new HashSet<>();
        int[] firstUnplaced = new int[table.groupCount()];
        for (int g = 0; g < firstUnplaced.length; g++) {
            firstUnplaced[g] = table.replicas(g);
        }
        java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(problem.shape());
        // Once, not per pod left out: a GPU trace on a shape without GPUs leaves out 130,000 (a whole-catalog sweep, ~900 shapes).
        Resources room = problem.shape().allocatable().minusFloorZero(problem.daemonSetLoad());
        boolean dsFit = problem.daemonSetLoad().fitsIn(problem.shape().allocatable());
        Admission admission = new Admission(problem.shape(), labels);
        for (PackingProblem.Unschedulable u : result.unschedulable()) {
            if (!unschedulableGroups.add(u.group())) {
                fail(result, "group " + table.group(u.group()).name() + " is reported unschedulable twice");
            }
            firstUnplaced[u.group()] = u.firstReplica();
            if (u.byRule()) {
                continue; // it fits an empty node; the rule's own check is below
            }
            Resources request = table.group(u.group()).request();
            if (problem.zoneCapacities() != null) {
                if (dsFit && fitsSomeZone(problem, u.group(), request) && admission.whyNot(table.group(u.group())) == null) {
                    fail(result, "pod group " + table.group(u.group()).name() + " is reported unschedulable but fits an empty node of a zone it admits");
                }
                continue;
            }
            if (dsFit && request.fitsIn(room) && GpuDevices.fitsEmpty(room.gpuMillis(), request.gpuMillis())
                    && admission.whyNot(table.group(u.group())) == null) {
                fail(result, "pod group " + table.group(u.group()).name() + " is reported unschedulable but fits an empty node");
            }
        }
        // A one-domain cluster under a spread's minDomains holds at most maxSkew of the group's pods (PodConflicts.oneDomainCap).
        int[] cap = table.domainCap();
        for (int g = 0; cap != null && g < table.groupCount(); g++) {
            int running = 0;
            for (int i = 0; i < table.replicas(g); i++) {
                running += assignment[table.firstPod(g) + i] >= 0 ? 1 : 0;
            }
            if (cap[g] > 0 && running > cap[g]) {
                fail(result, "pod group " + table.group(g).name() + " runs " + running + " pods in one domain of a topology spread whose "
                        + "minDomains is above it, which admits at most maxSkew (" + cap[g] + ")");
            }
        }
        // Sums per node in plain arrays (one request array per group, not an object per pod): the
        // check runs after every packing of a sweep. Sums are exact; an overflow throws.
        int d = Resource.COUNT;
        long[] load = new long[nodes * d];
        // Per node: where the DaemonSets differ by zone, those of the node's zone.
        int zones = Math.max(1, table.zones());
        long[] daemonSets = new long[nodes * d];
        long[] everyNode = problem.zoneCapacities() == null ? problem.daemonSetLoad().toArray() : null; // no array per node then
        for (int node = 0; node < nodes; node++) {
            System.arraycopy(everyNode != null ? everyNode : problem.daemonSetLoadIn(result.zoneOf(node, zones)).toArray(), 0,
                    daemonSets, node * d, d);
            System.arraycopy(daemonSets, node * d, load, node * d, d);
        }
        int[] podsOnNode = new int[nodes];
        long[] request = new long[d];
        for (int g = 0; g < table.groupCount(); g++) {
            PodGroup group = table.group(g);
            group.request().copyInto(request);
            String vendor = firstUnplaced[g] == 0 || group.request().gpuMillis() == 0 ? null
                    : io.nodesizer.model.GpuVendors.whyNot(group.gpuVendor(), problem.shape().name(), problem.shape().gpuVendor());
            if (vendor != null) {
                fail(result, "pod " + group.podName(0) + " is placed, but " + vendor);
            }
            String refused = firstUnplaced[g] == 0 ? null : admission.whyNot(group);
            if (refused != null) {
                fail(result, "pod " + group.podName(0) + " is placed, but " + refused);
            }
            for (int i = 0; i < group.replicas(); i++) {
                int pod = table.firstPod(g) + i;
                int node = assignment[pod];
                if (i >= firstUnplaced[g]) {
                    if (node != -1) {
                        fail(result, "pod " + group.podName(i) + " is reported unschedulable and also placed on node " + node);
                    }
                    continue;
                }
                if (node < 0 || node >= nodes) {
                    fail(result, "pod " + group.podName(i) + " is neither placed nor reported unschedulable (node " + node + ")");
                }
                for (int r = 0; r < d; r++) {
                    load[node * d + r] = Math.addExact(load[node * d + r], request[r]);
                }
                podsOnNode[node]++;
            }
        }
        long[] allocatable = problem.shape().allocatable().toArray();
        long[] reported = result.nodeLoad();
        for (int node = 0; node < nodes; node++) {
            if (podsOnNode[node] == 0) {
                fail(result, "node " + node + " holds no workload pod");
            }
            for (int r = 0; r < d; r++) {
                long used = load[node * d + r];
                if (used > allocatable[r]) {
                    fail(result, "node " + node + " is over its allocatable " + Resource.at(r).fieldName() + ": load " + used
                            + " > " + allocatable[r]);
                }
                if (reported[node * d + r] != used - daemonSets[node * d + r]) {
                    fail(result, "node " + node + " reports " + Resource.at(r).fieldName() + " load " + reported[node * d + r]
                            + " but its pods sum to " + (used - daemonSets[node * d + r]));
                }
            }
        }
        verifyDevices(result);
        verifyConflicts(result);
        verifyZoneSpread(result);
        verifySharedSpreads(result);
        verifyPodRules(result);
        if (nodes < result.lowerBound().value()) {
            fail(result, "the packing uses " + nodes + " nodes, below its own lower bound " + result.lowerBound());
        }
    }

    /**
     * Whether the shape's nodes admit a group: its node selector, required node affinity and tolerations
     * ({@link io.nodesizer.kube.NodeMatching#onShape}) and its GPUs' model and vendor ({@link PodGroup#gpusServedBy}), decided
     * here and not read from the table's classes that the packing used (a bug in those would be made on both sides), once
     * per placement instance and per GPU models asked: the readers share instances, and a trace has 150,000 groups.
     */
    private static final class Admission {
        private static final String ADMITTED = "";
        private final io.nodesizer.model.NodeShape shape;
        private final java.util.Map<String, String> labels;
        private final java.util.Map<io.nodesizer.model.Placement, String> byPlacement = new java.util.IdentityHashMap<>();
        private final java.util.Map<java.util.List<Object>, Boolean> byGpus = new java.util.HashMap<>();

        Admission(io.nodesizer.model.NodeShape shape, java.util.Map<String, String> labels) {
            this.shape = shape;
            this.labels = labels;
        }

        /** Why the shape's nodes refuse {@code group}'s pods, or null. */
        String whyNot(PodGroup group) {
            String why = byPlacement.computeIfAbsent(group.placement(), p -> {
                String w = io.nodesizer.kube.NodeMatching.onShape(p, shape, labels);
                return w == null ? ADMITTED : w;
            });
            if (!why.isEmpty()) {
                return why;
            }
            if (group.request().gpuMillis() > 0 && !served(group)) {
                return "its GPUs need another model or vendor than " + shape.name() + "'s";
            }
            return null;
        }

        private java.util.List<String> lastModels;
        private String lastVendor;
        private boolean lastServed;

        private boolean served(PodGroup group) {
            if (!group.gpuModels().equals(lastModels) || !group.gpuVendor().equals(lastVendor)) {
                lastModels = group.gpuModels();
                lastVendor = group.gpuVendor();
                lastServed = byGpus.computeIfAbsent(java.util.List.of(lastModels, lastVendor), k -> group.gpusServedBy(shape));
            }
            return lastServed;
        }
    }

    /**
     * Required pod affinity on the hostname and on the zone ({@link CoLocation}): every node (zone)
     * that runs pods of a constrained group also runs a pod of one of its targets, other than
     * those pods themselves — except one node (zone) per group that matches its own terms, where
     * its series started. Required pod anti-affinity on the zone ({@link ZoneConflicts}): no zone
     * runs pods of two groups that repel each other, nor two pods of a group that repels itself.
     */
    private static void verifyPodRules(PackingResult result) {
        DemandTable table = result.problem().table();
        if (!table.placesByRule()) {
            return;
        }
        int zones = Math.max(1, table.zones());
        verifyCoLocation(result, table.coLocation(), node -> node, "node");
        verifyCoLocation(result, table.zoneCoLocation(), node -> result.zoneOf(node, zones), "zone");
        boolean[] pinned = table.zonePinned();
        if (pinned != null) {
            java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(result.problem().shape());
            for (int g = 0; g < table.groupCount(); g++) {
                for (int i = 0; pinned[g] && i < table.replicas(g); i++) {
                    int node = result.assignment()[table.firstPod(g) + i];
                    String zone = node < 0 ? null : table.zoneNames().get(result.zoneOf(node, zones));
                    if (zone != null && io.nodesizer.kube.NodeMatching.inZone(table.group(g).placement(), result.problem().shape(), labels,
                            zone) != null) {
                        fail(result, "pod " + table.group(g).podName(i) + " is in zone " + zone + ", which its node selector or required "
                                + "node affinity does not admit");
                    }
                }
            }
        }
        verifyClusterKeys(result);
        ZoneConflicts zc = table.zoneConflicts();
        if (!zc.any()) {
            return;
        }
        int[] inZone = new int[table.groupCount() * zones];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = result.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    inZone[g * zones + result.zoneOf(node, zones)]++;
                }
            }
        }
        for (int g = 0; g < table.groupCount(); g++) {
            if (zc.repels(g) == null) {
                continue;
            }
            for (int h : zc.repels(g)) {
                for (int z = 0; z < zones; z++) {
                    if (inZone[g * zones + z] > 0 && inZone[h * zones + z] > (h == g ? 1 : 0)) {
                        fail(result, "zone " + z + " runs pods of " + table.group(g).name() + " and " + table.group(h).name()
                                + ", which required pod anti-affinity on the zone keeps apart");
                    }
                }
            }
        }
    }

    /**
     * Pod (anti-)affinity on keys every node carries alike ({@link ClusterKeyRules}): the cluster is
     * one domain, so no two groups that repel each other both have pods placed, a group that repels
     * itself has at most one, an affinity is met somewhere, and nothing is placed whose affinity
     * names a key no node carries.
     */
    private static void verifyClusterKeys(PackingResult result) {
        DemandTable table = result.problem().table();
        ClusterKeyRules rules = ClusterKeyRules.of(table, result.problem().shape());
        if (rules == null) {
            return;
        }
        int[] placed = new int[table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                placed[g] += result.assignment()[table.firstPod(g) + i] >= 0 ? 1 : 0;
            }
        }
        for (int g = 0; g < table.groupCount(); g++) {
            if (placed[g] == 0) {
                continue;
            }
            if (rules.uncarried(g) || rules.conflicts().repelledEverywhere(g)) {
                fail(result, "pods of " + table.group(g).name() + " are placed, though its pod (anti-)affinity on another key admits no node");
            }
            int[] repels = rules.conflicts().repels(g);
            for (int h : repels == null ? new int[0] : repels) {
                if (placed[h] > (h == g ? 1 : 0)) {
                    fail(result, "the cluster runs pods of " + table.group(g).name() + " and " + table.group(h).name()
                            + ", which required pod anti-affinity on a key every node carries alike keeps apart");
                }
            }
        }
        verifyCoLocation(result, rules.coLocation(), node -> 0, "cluster");
    }

    private static void verifyCoLocation(PackingResult result, CoLocation co, java.util.function.IntUnaryOperator domainOf, String domain) {
        String violation = coLocationViolation(result.problem().table(), co, result.assignment(), domainOf, d -> domain + " " + d);
        if (violation != null) {
            fail(result, violation);
        }
    }

    /**
     * The first node (or zone, as {@code domainOf} maps nodes) that runs pods of a group with
     * required pod affinity ({@code co}) but no pod its terms select beside them — beyond the one
     * domain where a group that selects itself may start its series — worded for a failure; null
     * when there is none. For any assignment (a packing, a mix): unplaced pods are -1.
     */
    public static String coLocationViolation(DemandTable table, CoLocation co, int[] assignment, java.util.function.IntUnaryOperator domainOf,
                                             java.util.function.IntFunction<String> nameOf) {
        if (!co.any()) {
            return null;
        }
        java.util.Map<Integer, java.util.BitSet> groupsIn = new java.util.TreeMap<>();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0) {
                    groupsIn.computeIfAbsent(domainOf.applyAsInt(node), n -> new java.util.BitSet()).set(g);
                }
            }
        }
        int[] starts = new int[table.groupCount()];
        for (var e : groupsIn.entrySet()) {
            java.util.BitSet here = e.getValue();
            for (int g = here.nextSetBit(0); g >= 0; g = here.nextSetBit(g + 1)) {
                if (!co.constrains(g)) {
                    continue;
                }
                boolean beside = false;
                for (int h : co.targets(g)) {
                    beside |= h != g && here.get(h);
                }
                if (!beside && (!co.selfMatch(g) || ++starts[g] > 1)) {
                    return nameOf.apply(e.getKey()) + " runs pods of " + table.group(g).name() + " without a pod its required pod "
                            + "affinity selects beside them";
                }
            }
        }
        return seriesCycle(table, co, starts);
    }

    /**
     * Groups that each start a series (a domain with none of their other targets): the first pod
     * of a series needs no target anywhere yet, so a group's start comes before every pod of its
     * targets, and a start of each of two groups that select each other (or of a ring of them)
     * cannot both have happened. Null when the starts have an order.
     */
    private static String seriesCycle(DemandTable table, CoLocation co, int[] starts) {
        int n = starts.length;
        int[] before = new int[n]; // per started group, how many started groups must start before it
        for (int g = 0; g < n; g++) {
            for (int h : starts[g] == 0 ? new int[0] : co.targets(g)) {
                before[h] += h != g && starts[h] > 0 ? 1 : 0;
            }
        }
        java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();
        int left = 0;
        for (int g = 0; g < n; g++) {
            left += starts[g] > 0 ? 1 : 0;
            if (starts[g] > 0 && before[g] == 0) {
                free.add(g);
            }
        }
        while (!free.isEmpty()) {
            int g = free.poll();
            left--;
            for (int h : co.targets(g)) {
                if (h != g && starts[h] > 0 && --before[h] == 0) {
                    free.add(h);
                }
            }
        }
        if (left == 0) {
            return null;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int g = 0; g < n; g++) {
            if (starts[g] > 0 && before[g] > 0) {
                names.add(table.group(g).name());
            }
        }
        return "pods of " + String.join(", ", names) + " each start a series of required pod affinity whose terms select the "
                + "others' pods: only the first pod of them all may go where no pod its terms select runs";
    }

    private static void verifyDevices(PackingResult result) {
        DemandTable table = result.problem().table();
        GpuDevices.loads(result, GpuDevices.count(result.problem().podAllocatable().gpuMillis()), new GpuDevices.DeviceCheck() {
            @Override
            public void pod(int g, int i, long mask, long gpu, int devices) {
                if (!GpuDevices.validMask(mask, gpu, devices)) {
                    fail(result, "pod " + table.group(g).podName(i) + " asks for " + GpuDevices.wanted(gpu) + " GPU device(s) and has "
                            + "devices [" + GpuDevices.describe(mask) + "] of the node's " + devices);
                }
            }

            @Override
            public void over(int node, int device, int load) {
                fail(result, "GPU device " + device + " of node " + node + " is over 1000 thousandths (" + load + ")");
            }
        });
    }

    /** No two pods that repel each other (required pod anti-affinity on the hostname) share a node. */
    private static void verifyConflicts(PackingResult result) {
        DemandTable table = result.problem().table();
        if (table.conflicts() == null) {
            return;
        }
        ConflictCounts counts = new ConflictCounts(table);
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; counts.tracks(g) && i < table.replicas(g); i++) {
                int node = result.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    counts.add(node, g, 1);
                }
            }
        }
        HostnameSpreads spreads = HostnameSpreads.of(result.problem());
        String violation = spreads == null ? counts.violation(g -> table.group(g).name())
                : counts.violation(g -> table.group(g).name(), spreads::decides);
        if (violation == null && spreads != null) {
            int zones = Math.max(1, table.zones());
            violation = spreads.violation(table, result.assignment(), result.nodeCount(), null, node -> result.zoneOf(node, zones));
        }
        if (violation != null) {
            fail(result, violation);
        }
    }

    /**
     * Every group that spreads over zones ends with at most maxSkew more pods in one zone than in
     * the zone with the fewest. The scheduler checks it pod by pod, but the fewest never falls, so
     * every state on the way had it too, and a final state that has it is reachable pod by pod.
     */
    private static void verifyZoneSpread(PackingResult result) {
        DemandTable table = result.problem().table();
        int[] skew = table.zoneSkew();
        if (skew == null) {
            return;
        }
        int zones = table.zones();
        if (result.nodeZones() == null && !placesAny(result, skew)) {
            return; // the spread groups are left to the rules (the optimizer's view of the other groups): nothing to count
        }
        if (result.nodeZones() == null || result.nodeZones().length != result.nodeCount()) {
            fail(result, "the workload spreads over " + zones + " zones but the packing says no node's zone");
        }
        for (int node = 0; node < result.nodeCount(); node++) {
            if (result.nodeZones()[node] < 0 || result.nodeZones()[node] >= zones) {
                fail(result, "node " + node + " is in zone " + result.nodeZones()[node] + " of " + zones);
            }
        }
        long[] counted = SpreadDomains.eligible(result.problem());
        boolean[] floors = SpreadDomains.floor(table, counted);
        for (int g = 0; g < table.groupCount(); g++) {
            if (skew[g] == 0) {
                continue;
            }
            int[] perZone = new int[zones];
            for (int i = 0; i < table.replicas(g); i++) {
                int node = result.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    perZone[result.nodeZones()[node]]++;
                }
            }
            int most = java.util.Arrays.stream(perZone).max().orElse(0);
            // minDomains above the zones it counts: the fewest counts as 0. A workload pinned to some zones
            // counts only those (nodeAffinityPolicy Honor, the default).
            boolean floor = floors != null && floors[g];
            int fewest = floor ? 0 : SpreadDomains.fewest(perZone, 0, zones, counted == null ? 0 : counted[g]);
            if (most - fewest > skew[g]) {
                fail(result, "pod group " + table.group(g).name() + " has " + java.util.Arrays.toString(perZone)
                        + " pods per zone, a skew above its maxSkew " + skew[g]);
            }
        }
    }

    /**
     * Hard topology spreads whose selector also selects other workloads' pods (or only theirs),
     * recounted from the groups' labels (not from {@link SharedSpreads}' tables): every node (on
     * the hostname) or zone that runs a pod of the spreading group holds at most maxSkew more pods
     * the selector matches than the fewest — over the nodes on the hostname (0 below minDomains
     * of them), the fewest zone over the zones (0 with minDomains above them). kube-scheduler
     * admits a pod where {@code matchNum + selfMatchNum − minMatchNum ≤ maxSkew} (podtopologyspread
     * filtering.go, {@code Filter}); a final state where this holds is reached pod by pod when the
     * selected pods without a spread of their own come first, since counts only grow.
     */
    private static void verifySharedSpreads(PackingResult result) {
        DemandTable table = result.problem().table();
        if (table.sharedSpreads() == null) {
            return;
        }
        int zones = Math.max(1, table.zones());
        if (zones > 1 && table.sharesZoneSpread() && result.nodeZones() == null) {
            for (int g = 0; g < table.groupCount(); g++) {
                if (table.sharedSpreads().constrainedOnZone(g) && placed(table, result.assignment(), g)) {
                    fail(result, "pod group " + table.group(g).name() + " spreads over " + zones + " zones but the packing says no node's zone");
                }
            }
            return; // the spreading groups are left to the rules (the optimizer's view of the others)
        }
        String violation = sharedSpreadViolation(table, result.assignment(), result.nodeCount(),
                node -> result.nodeZones() == null ? 0 : result.nodeZones()[node], null, admittedZones(result.problem()));
        if (violation != null) {
            fail(result, violation);
        }
    }

    /**
     * The first node or zone that breaks a hard topology spread whose selector also selects other
     * workloads' pods, counted over every pod it selects as {@link #verifySharedSpreads} says,
     * worded for a failure; null when there is none. For any assignment over {@code nodes} nodes
     * (a packing, a mix), {@code zoneOf} giving each node's zone; unplaced pods are -1.
     */
    public static String sharedSpreadViolation(DemandTable table, int[] assignment, int nodes, java.util.function.IntUnaryOperator zoneOf) {
        return sharedSpreadViolation(table, assignment, nodes, zoneOf, null, null);
    }

    /**
     * Per group the zones its node selector and required affinity admit (bit z: zone z), for the groups the table pins to
     * zones ({@link DemandTable#zonePinned}); null when it pins none.
     */
    public static long[] admittedZones(PackingProblem problem) {
        if (problem.table().zonePinned() == null) {
            return null;
        }
        int[] all = new int[problem.table().groupCount()];
        java.util.Arrays.setAll(all, g -> g);
        return problem.admittedZones(all);
    }

    /**
     * As above, a hostname spread's fewest taken over the nodes {@code counted} marks (null: every
     * node): a sized mix's spare nodes, empty headroom that a rollout would spread the pods onto,
     * are left out.
     */
    public static String sharedSpreadViolation(DemandTable table, int[] assignment, int nodes, java.util.function.IntUnaryOperator zoneOf,
                                               boolean[] counted) {
        return sharedSpreadViolation(table, assignment, nodes, zoneOf, counted, null);
    }

    /**
     * As above; with {@code admitted} ({@link #admittedZones}) a spread that honours the pod's node affinity (its
     * {@code nodeAffinityPolicy}, Honor by default) takes its fewest over the domains of the zones the pod's group may
     * use alone, as kube-scheduler's PodTopologySpread counts only the nodes the incoming pod's selector admits (review 71
     * #11: a pod pinned to zones a and c was held to a zone-b node's 0).
     */
    public static String sharedSpreadViolation(DemandTable table, int[] assignment, int nodes, java.util.function.IntUnaryOperator zoneOf,
                                               boolean[] counted, long[] admitted) {
        boolean[] pinned = admitted == null ? null : table.zonePinned();
        if (table.sharedSpreads() == null) {
            return null;
        }
        int zones = Math.max(1, table.zones());
        java.util.List<PodGroup> groups = table.groups();
        long spreading = 0;
        for (PodGroup group : groups) {
            spreading += group.placement().spread().isEmpty() ? 0 : 1;
        }
        // Every spread, whatever SharedSpreads made of it, unless that is a check of too many pairs
        // (a workload of many groups each spread by its own labels): then the groups it names.
        boolean all = spreading * table.groupCount() <= 20_000_000L;
        for (int g = 0; g < table.groupCount(); g++) {
            if (!all && !table.sharedSpreads().constrained(g)) {
                continue; // its spreads select its own pods only (or none): the caps and the zone skew check those
            }
            io.nodesizer.model.Placement p = groups.get(g).placement();
            for (io.nodesizer.model.Placement.Spread sp : p.spread()) {
                String key = sp.term().topologyKey();
                boolean onZone = io.nodesizer.kube.PodConflicts.isZone(key);
                if (!sp.hard() || sp.perRollout() || !(io.nodesizer.kube.PodConflicts.HOSTNAME.equals(key) || onZone && zones > 1)) {
                    continue;
                }
                int domains = onZone ? zones : nodes;
                int[] count = new int[domains];
                boolean[] runs = new boolean[domains];
                boolean others = false;
                for (int h = 0; h < table.groupCount(); h++) {
                    if (!io.nodesizer.kube.PodConflicts.matches(sp.term(), p.namespace(), groups.get(h).placement())) {
                        continue;
                    }
                    others |= h != g;
                    for (int i = 0; i < table.replicas(h); i++) {
                        int node = assignment[table.firstPod(h) + i];
                        if (node >= 0) {
                            count[onZone ? zoneOf.applyAsInt(node) : node]++;
                        }
                    }
                }
                if (!others) {
                    continue; // its own pods only: the caps and the zone skew
                }
                for (int i = 0; i < table.replicas(g); i++) {
                    int node = assignment[table.firstPod(g) + i];
                    if (node >= 0) {
                        runs[onZone ? zoneOf.applyAsInt(node) : node] = true;
                    }
                }
                // The zones whose domains count for g's spread: those g's selector admits when the spread honours it.
                long zonesCounted = pinned != null && pinned[g] && sp.honorsNodeAffinity() ? admitted[g] : -1L;
                int fewest = 0;
                if (onZone && sp.minDomains() <= Long.bitCount(zonesCounted & (zones == 64 ? -1L : (1L << zones) - 1))) {
                    int least = Integer.MAX_VALUE;
                    for (int z = 0; z < zones; z++) {
                        if ((zonesCounted >>> z & 1) != 0) {
                            least = Math.min(least, count[z]);
                        }
                    }
                    fewest = least == Integer.MAX_VALUE ? 0 : least;
                } else if (!onZone) {
                    // kube-scheduler's fewest over the nodes (0 below minDomains of them): the packing
                    // keeps at most maxSkew per node, or spreads the pods evenly (HostnameSpreads)
                    int eligible = 0;
                    int least = Integer.MAX_VALUE;
                    for (int d = 0; d < nodes; d++) {
                        if ((counted == null || counted[d]) && (zonesCounted >>> zoneOf.applyAsInt(d) & 1) != 0) {
                            eligible++;
                            least = Math.min(least, count[d]);
                        }
                    }
                    fewest = eligible >= sp.minDomains() && eligible > 0 ? least : 0;
                }
                for (int d = 0; d < domains; d++) {
                    if (runs[d] && count[d] - fewest > sp.maxSkew()) {
                        return (onZone ? "zone " : "node ") + d + " runs pods of " + groups.get(g).name() + " and " + count[d]
                                + " pods its topology spread selects (maxSkew " + sp.maxSkew() + ", the fewest " + fewest
                                + "), counted over every workload the selector matches";
                    }
                }
            }
        }
        return null;
    }

    private static boolean placed(DemandTable table, int[] assignment, int g) {
        for (int i = 0; i < table.replicas(g); i++) {
            if (assignment[table.firstPod(g) + i] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the packing places some pod of a group with a zone skew. */
    private static boolean placesAny(PackingResult result, int[] skew) {
        DemandTable table = result.problem().table();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; skew[g] > 0 && i < table.replicas(g); i++) {
                if (result.assignment()[table.firstPod(g) + i] >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void fail(PackingResult result, String what) {
        throw new VerificationException("Packing verification failed (strategy " + result.strategy() + ", shape "
                + result.problem().shape().name() + "): " + what + ". This is a bug in nodesizer; please report it with the input.");
    }

    /** Whether one pod of {@code request} (group g) fits an empty node of some zone its node selector admits. */
    private static boolean fitsSomeZone(PackingProblem problem, int g, Resources request) {
        long admitted = problem.table().zonePinned() != null && problem.table().zonePinned()[g] ? problem.admittedZones(g) : -1L;
        for (int z = 0; z < problem.table().zones(); z++) {
            Resources room = Resources.of(problem.podCapacityIn(z));
            if ((admitted >>> z & 1) != 0 && request.fitsIn(room) && GpuDevices.fitsEmpty(room.gpuMillis(), request.gpuMillis())) {
                return true;
            }
        }
        return false;
    }
}
