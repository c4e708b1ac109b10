package io.nodesizer.fleet;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

final class FleetPackingTest {

    private static FleetPacking.FleetNode node(String name, long cpu, long mem, long gpu, String model) {
        return new FleetPacking.FleetNode(name, cpu / 1000 + "c" + (gpu > 0 ? "-" + gpu / 1000 + "gpu-" + model : ""),
                new Resources(cpu, mem, 110, gpu, 0), model, Resources.ZERO);
    }

    @Test
    void largestFirstOntoTheGivenNodesWithDevicesModelsAndReasons() {
        PodGroup t4Only = new PodGroup("t4-only", "openb", new Resources(1000, GIB, 1, 1000, 0), 1, true, null, new SourceRef("t", 5),
                List.of("T4"));
        Workload w = Workload.of(List.of(
                group("big", 6000, 8 * GIB, 1),                                   // only the 8-CPU node holds it
                group("web", 1000, GIB, 4),
                group("share", new Resources(500, GIB, 1, 600, 0), 3),            // 0.6-GPU shares: one per device
                t4Only,                                                            // no T4 in the fleet
                group("huge", 64000, GIB, 1)));                                   // no node is that large
        List<FleetPacking.FleetNode> fleet = List.of(node("a", 8000, 16 * GIB, 0, ""), node("b", 4000, 16 * GIB, 2000, "A10"));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(w), fleet); // verifies loads and devices
        int[] a = r.assignment();
        assertThat(a[0]).isEqualTo(0);                       // big on a
        assertThat(r.placedPods()).isEqualTo(1 + 4 + 2);     // two shares fit b's two devices, the third does not
        assertThat(r.unplaced()).extracting(u -> u.group().name() + ":" + u.pods())
                .containsExactlyInAnyOrder("huge:1", "share:1", "t4-only:1");
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("huge")).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("fits no node of the fleet: needs 64 CPU, 1 GiB memory"));
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("t4-only")).singleElement()
                .satisfies(u -> assertThat(u.reason()).endsWith("on GPU model T4; the fleet's GPUs are A10"));
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("share")).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no room left: it fits an empty node of shape 4c-2gpu-A10, but every node that could hold it is full"));
        assertThat(r.byShape().get("4c-2gpu-A10")).containsExactly(1, 1);
    }

    /**
     * QA 78c F6: a fleet packing gives a lower bound on the nodes it uses, and its gap: the fewest of the roomiest nodes
     * whose room at the start (what runs there taken off) holds the placed pods' requests, per resource, the most of them.
     * Nodes of 8, 4 and 4 CPU, the first running 6 CPU already: 5 pods of 1.5 CPU (7.5 CPU) need at least the two 4-CPU
     * nodes' room (8 CPU); the 8-CPU node's 2 free do not count first.
     */
    @Test
    void aFleetPackingGivesItsLowerBoundAndGap() {
        Workload w = Workload.of(List.of(group("web", 1500, GIB, 5)));
        List<FleetPacking.FleetNode> fleet = List.of(
                new FleetPacking.FleetNode("busy", "8c", new Resources(8000, 32 * GIB, 110, 0, 0), "", new Resources(6000, GIB, 3, 0, 0)),
                node("b", 4000, 16 * GIB, 0, ""), node("c", 4000, 16 * GIB, 0, ""));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(w), fleet);
        assertThat(r.placedPods()).isEqualTo(5);
        // 7.5 CPU: the roomiest are b and c (4 each; busy has 2 free), 8 >= 7.5, so 2; memory 5 GiB fits one node.
        assertThat(r.nodesUsedBound()).isEqualTo(2);
        assertThat(r.nodesUsed()).isGreaterThanOrEqualTo(2);
        assertThat(r.gapPercent()).isEqualTo(100.0 * (r.nodesUsed() - 2) / 2);
        // Nothing placed: bound 0, gap 0.
        FleetPacking.Result none = FleetPacking.pack(DemandTable.of(Workload.of(List.of(group("huge", 64000, GIB, 1)))), fleet);
        assertThat(none.nodesUsedBound()).isZero();
        assertThat(none.gapPercent()).isZero();
    }

    /**
     * QA 69a F9: a GPU pod's reason says what the fleet's GPUs are, not that its (implied, GPU-taint) tolerations must admit
     * a node; a node of no known shape is named, not called "shape (none)".
     */
    @Test
    void gpuReasonsSayWhatTheFleetHasAndUnlabelledNodesAreNamed() {
        Workload w = io.nodesizer.input.manifest.GpuProductSelectors.apply(Workload.of(List.of(
                group("eight", new Resources(1000, GIB, 1, 8000, 0), 1),
                group("half", new Resources(1000, GIB, 1, 500, 0), 1))));
        assertThat(w.groups().get(0).placement().isAny()).as("a GPU pod tolerates its resource's taint").isFalse();
        FleetPacking.Result onT4 = FleetPacking.pack(DemandTable.of(w), List.of(node("t", 32000, 64 * GIB, 4000, "T4")));
        assertThat(onT4.unplaced()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("fits no node of the fleet: needs 1 CPU, 1 GiB memory, 8 GPU; the largest node has 4 GPU"));
        FleetPacking.Result onCpu = FleetPacking.pack(DemandTable.of(w), List.of(node("c", 32000, 64 * GIB, 0, "")));
        assertThat(onCpu.unplaced()).extracting(FleetPacking.Unplaced::reason).containsOnly(
                "fits no node of the fleet: needs 1 CPU, 1 GiB memory, 8 GPU; no node of the fleet has GPUs",
                "fits no node of the fleet: needs 1 CPU, 1 GiB memory, 0.5 GPU; no node of the fleet has GPUs");
        // The largest node of a model the pod allows: 8 T4 GPUs beside 4 A10 ones do not hold 8 A10 (review 70 #5).
        PodGroup eightA10 = new PodGroup("eight-a10", "openb", new Resources(1000, GIB, 1, 8000, 0), 1, true, null, new SourceRef("t", 6),
                List.of("A10"));
        FleetPacking.Result mixed = FleetPacking.pack(DemandTable.of(Workload.of(List.of(eightA10))),
                List.of(node("t", 32000, 64 * GIB, 8000, "T4"), node("a", 32000, 64 * GIB, 4000, "A10")));
        assertThat(mixed.unplaced()).singleElement().satisfies(u -> assertThat(u.reason())
                .endsWith("8 GPU on GPU model A10; the largest node of A10 has 4 GPU"));
        FleetPacking.FleetNode unlabelled = new FleetPacking.FleetNode("n1", "(none)", new Resources(4000, 8 * GIB, 110, 0, 0), "",
                Resources.ZERO);
        FleetPacking.Result full = FleetPacking.pack(DemandTable.of(Workload.of(List.of(group("web", 3000, GIB, 2)))), List.of(unlabelled));
        assertThat(full.unplaced()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("no room left: it fits node n1 when empty, but every node that could hold it is full"));
    }

    @Test
    void daemonSetsTakeTheirShareOfEveryFleetNodeFirst(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // Two 4-CPU nodes and a 1-CPU DaemonSet: pods of 4 CPU fit no node, as on fresh nodes of that shape.
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,4000,16384,0,\nn1,4000,16384,0,\n");
        var ds = List.of(new io.nodesizer.model.DaemonSetSpec("agent", new Resources(1000, GIB, 1, 0, 0), java.util.Map.of(),
                new SourceRef("t", 1)));
        List<FleetPacking.FleetNode> nodes = FleetInput.read(csv.toString(), null, false, ds);
        assertThat(nodes.get(0).loaded().cpuMillis()).isEqualTo(1000);
        // A DaemonSet the node's room left cannot hold stays Pending there and takes nothing (it was charged 5 CPU of 4):
        // the 3-CPU one (higher priority, placed first) fits, the 2-CPU one does not.
        var big = List.of(new io.nodesizer.model.DaemonSetSpec("logs", new Resources(2000, GIB, 1, 0, 0), java.util.Map.of(),
                new SourceRef("t", 1)), new io.nodesizer.model.DaemonSetSpec("agent", new Resources(3000, GIB, 1, 0, 0), java.util.Map.of(),
                new SourceRef("t", 2)).withTemplate(new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container("c",
                io.nodesizer.model.PodTemplate.Role.APP, new Resources(3000, GIB, 0, 0, 0), Resources.ZERO, true, true)), Resources.ZERO)
                .withPriority(2_000_001_000)));
        FleetInput.Fleet crowded = FleetInput.readFleet(csv.toString(), null, false, big);
        assertThat(crowded.nodes()).allSatisfy(n -> assertThat(n.loaded().cpuMillis()).isEqualTo(3000));
        assertThat(crowded.pendingDaemonPods()).extracting(FleetInput.PendingDaemonPod::daemonSet, FleetInput.PendingDaemonPod::node,
                FleetInput.PendingDaemonPod::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("logs", "n0", "Insufficient cpu: needs 2 CPU, 1 CPU free"),
                org.assertj.core.groups.Tuple.tuple("logs", "n1", "Insufficient cpu: needs 2 CPU, 1 CPU free"));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(Workload.of(List.of(group("app", 4000, GIB, 2)))), nodes);
        assertThat(r.placedPods()).isZero();
        // A snapshot keeps what runs (its DaemonSet pods included): kube-proxy, which runs there at 100m, is not added twice;
        // agent, which does not run there, is a new DaemonSet the controller will start on every node, so it is added.
        var proxy = List.of(new io.nodesizer.model.DaemonSetSpec("kube-system/kube-proxy", new Resources(100, 128L << 20, 1, 0, 0),
                java.util.Map.of(), new SourceRef("t", 1)));
        assertThat(FleetInput.read("workloads/snapshot/cluster.json", null, false, proxy).get(1).loaded().cpuMillis()).isEqualTo(2625);
        assertThat(FleetInput.read("workloads/snapshot/cluster.json", null, false, ds).get(1).loaded().cpuMillis()).isEqualTo(3625);
        // From empty the node keeps its DaemonSet pods (25m + 100m: they come with every node), and agent is added.
        assertThat(FleetInput.read("workloads/snapshot/cluster.json", null, true, ds).get(1).loaded().cpuMillis()).isEqualTo(1125);
    }

    /** The board, not the chip alone: the memory and form factor tell a 40 GB A100 from an 80 GB one (QA 69a F2). */
    @Test
    void gpuProductLabelsNameTheBoard() {
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("Tesla-T4")).isEqualTo("T4");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("NVIDIA-A100-SXM4-40GB")).isEqualTo("A100-SXM4-40GB");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("NVIDIA-A10G")).isEqualTo("A10G");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel(null)).isEmpty();
        assertThat(io.nodesizer.model.GpuModels.allows(List.of("V100M16"),
                io.nodesizer.model.GpuModels.fromProductLabel("Tesla-V100-SXM2-16GB"))).isTrue();
        assertThat(io.nodesizer.model.GpuModels.allows(List.of("V100M32"),
                io.nodesizer.model.GpuModels.fromProductLabel("Tesla-V100-SXM2-16GB"))).isFalse();
    }

    @Test
    void theOpenbNodeListAndASnapshotWithItsRunningPodsAreFleets(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,96000,393216,8,G2\nn1,32000,131072,0,\n");
        List<FleetPacking.FleetNode> nodes = FleetInput.read(csv.toString(), null, false);
        assertThat(nodes).extracting(FleetPacking.FleetNode::shape).containsExactly("96c-384g-8gpu-G2", "32c-128g");
        assertThat(nodes.get(0).allocatable().pods()).isEqualTo(FleetInput.DEFAULT_MAX_PODS);
        assertThat(nodes.get(0).gpuModel()).isEqualTo("G2");
        List<FleetPacking.FleetNode> kept = FleetInput.read("workloads/snapshot/cluster.json", null, false);
        List<FleetPacking.FleetNode> empty = FleetInput.read("workloads/snapshot/cluster.json", null, true);
        assertThat(kept).hasSize(3);
        assertThat(kept.get(1).loaded().cpuMillis()).isEqualTo(2625); // what runs there stays
        assertThat(empty.get(1).loaded().cpuMillis()).isEqualTo(125); // from empty: its DaemonSet pods only (QA 47)
    }

    /** QA c F2: as a cordoned node, one an autoscaler is deleting is no node to pack onto; a mere deletion candidate is. */
    @Test
    void aSnapshotNodeBeingDeletedIsNoFleetNode(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("s.yaml");
        String node = "- {apiVersion: v1, kind: Node, metadata: {name: %s}, spec: {taints: [%s]}, "
                + "status: {allocatable: {cpu: \"4\", memory: 16Gi, pods: \"58\"}}}\n";
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node.formatted("open", "")
                + node.formatted("going", "{key: ToBeDeletedByClusterAutoscaler, value: \"1764547200\", effect: NoSchedule}")
                + node.formatted("candidate", "{key: DeletionCandidateOfClusterAutoscaler, value: \"1764547200\", effect: PreferNoSchedule}"));
        assertThat(FleetInput.read(snapshot.toString(), null, false)).extracting(FleetPacking.FleetNode::name)
                .containsExactly("open", "candidate");
    }

    /**
     * QA 74 F2: a node the node lifecycle controller taints unreachable or not-ready (or whose Ready condition says so, the
     * taint due) is no room, as analyze calls it closed: left out as a cordoned node is, and named in a note. A node under
     * memory pressure is not closed (its taint is one a DaemonSet tolerates and the others' requests still fit).
     */
    @Test
    void aNotReadyOrUnreachableSnapshotNodeIsNoFleetNode(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("s.yaml");
        String node = "- {apiVersion: v1, kind: Node, metadata: {name: %s}, spec: {taints: [%s]}, "
                + "status: {allocatable: {cpu: \"4\", memory: 16Gi, pods: \"58\"}, conditions: [%s]}}\n";
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node.formatted("open", "", "{type: Ready, status: \"True\"}")
                + node.formatted("lost", "{key: node.kubernetes.io/unreachable, effect: NoSchedule}, "
                        + "{key: node.kubernetes.io/unreachable, effect: NoExecute}", "{type: Ready, status: Unknown}")
                + node.formatted("down", "", "{type: Ready, status: \"False\"}")
                + node.formatted("pressed", "", "{type: Ready, status: \"True\"}, {type: MemoryPressure, status: \"True\"}"));
        FleetInput.Fleet fleet = FleetInput.readFleet(snapshot.toString(), null, false, List.of());
        assertThat(fleet.nodes()).extracting(FleetPacking.FleetNode::name).containsExactly("open", "pressed");
        assertThat(fleet.notes()).anyMatch(n -> n.startsWith("2 nodes of the snapshot not ready or unreachable") && n.endsWith("lost, down"));
        // None open: the error says why (review 74b #6).
        Files.writeString(snapshot, "apiVersion: v1\nkind: List\nitems:\n" + node.formatted("down", "", "{type: Ready, status: \"False\"}")
                + node.formatted("lost", "", "{type: Ready, status: Unknown}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetInput.readFleet(snapshot.toString(), null, false, List.of()))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageContaining("no schedulable worker node to pack onto: of its 2 worker nodes, 2 not ready or unreachable.");
    }

    /** Two nodes of one name in an openb node list cannot be told apart in the assignments: exit 2 at the second (QA 51b). */
    @Test
    void aNodeNameUsedTwiceIsAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,4000,16384,0,\nn1,4000,16384,0,\nn0,8000,16384,0,\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetInput.read(csv.toString(), null, false))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageContaining(":4").hasMessageContaining("The node name 'n0' is used twice; first at line 2");
    }

    /** QA 68c F9: an empty node name reads as no node in the assignments: exit 2 at its row, the first one too. */
    @Test
    void anEmptyNodeNameIsAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\n,32000,262144,0,\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetInput.read(csv.toString(), null, false))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageContaining(":2").hasMessageContaining("The node name (sn) must not be empty.");
    }

    /**
     * QA 62 item 3: a row may have up to 2^40 MiB (1Ei), but five of them wrapped the fleet's memory negative ("left over
     * -6442451191.207 GiB"); their total is capped at 2^60 bytes as a snapshot's nodes' is, at the largest row.
     */
    @Test
    void aNodeListWhoseMemoryAddsUpPastTheCapIsAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,4000,16384,0,\nn1,4000,1099511627776,0,\nn2,4000,1099511627776,0,\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetInput.read(csv.toString(), null, false))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageStartingWith(csv + ":3: The nodes' allocatable memory must add up to at most 1Ei")
                .hasMessageContaining("of which node n1 has 1Ei");
        // One such row alone is within the cap.
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn1,4000,1099511627776,0,\n");
        assertThat(FleetInput.read(csv.toString(), null, false)).hasSize(1);
    }

    private static FleetPacking.FleetNode zoned(String name, long cpu, String zone) {
        return new FleetPacking.FleetNode(name, cpu / 1000 + "c", new Resources(cpu, 64 * GIB, 110, 0, 0), "", Resources.ZERO,
                java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, zone), List.of());
    }

    private static PodGroup ruled(String app, long cpu, int replicas, List<io.nodesizer.model.Placement.PodAffinityTerm> anti,
                                  List<io.nodesizer.model.Placement.PodAffinityTerm> aff, List<io.nodesizer.model.Placement.Spread> spread) {
        return ruled(app, cpu, replicas, java.util.Map.of(), anti, aff, spread);
    }

    private static PodGroup ruled(String app, long cpu, int replicas, java.util.Map<String, String> nodeSelector,
                                  List<io.nodesizer.model.Placement.PodAffinityTerm> anti,
                                  List<io.nodesizer.model.Placement.PodAffinityTerm> aff, List<io.nodesizer.model.Placement.Spread> spread) {
        return new PodGroup(app, "test", new Resources(cpu, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null,
                new io.nodesizer.model.Placement(nodeSelector, null, List.of(), "shop", java.util.Map.of("app", app), anti, aff, spread));
    }

    private static io.nodesizer.model.Placement.PodAffinityTerm term(String app, String key) {
        return new io.nodesizer.model.Placement.PodAffinityTerm(java.util.Map.of("app", app), List.of(), List.of(), false, false, key);
    }

    /**
     * A snapshot's nodes carry their zones: a spread over them (maxSkew 1) balances 6 api pods
     * 2/2/2 although zone a has the most room first in fleet order; one etcd member per zone, a
     * fourth left out with the rule named; reporting follows the database's zone; the cache goes
     * beside its api pod (hostname affinity), after the rest.
     */
    @Test
    void zoneRulesHoldOnTheZonesTheFleetsNodesCarry() {
        List<FleetPacking.FleetNode> fleet = List.of(zoned("a0", 16000, "a"), zoned("a1", 16000, "a"), zoned("b0", 16000, "b"),
                zoned("c0", 16000, "c"));
        Workload w = Workload.of(List.of(
                ruled("api", 1000, 6, List.of(), List.of(), List.of(new io.nodesizer.model.Placement.Spread(1, true,
                        term("api", io.nodesizer.kube.PodConflicts.ZONE)))),
                ruled("etcd", 500, 4, List.of(term("etcd", io.nodesizer.kube.PodConflicts.ZONE)), List.of(), List.of()),
                ruled("db", 2000, 1, List.of(), List.of(), List.of()),
                ruled("reporting", 100, 3, List.of(), List.of(term("db", io.nodesizer.kube.PodConflicts.ZONE)), List.of()),
                ruled("cache", 50, 1, List.of(), List.of(term("db", io.nodesizer.kube.PodConflicts.HOSTNAME)), List.of())));
        DemandTable table = FleetPacking.table(w, fleet);
        assertThat(table.zoneNames()).containsExactly("a", "b", "c");
        FleetPacking.Result r = FleetPacking.pack(table, fleet); // verified, rules included
        String[] zoneOfNode = {"a", "a", "b", "c"};
        java.util.Map<String, java.util.Map<String, Integer>> perZone = new java.util.HashMap<>();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = r.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    perZone.computeIfAbsent(table.group(g).name(), k -> new java.util.TreeMap<>()).merge(zoneOfNode[node], 1, Integer::sum);
                }
            }
        }
        assertThat(perZone.get("api")).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 2, "b", 2, "c", 2));
        assertThat(perZone.get("etcd")).containsOnlyKeys("a", "b", "c").allSatisfy((z, k) -> assertThat(k).isEqualTo(1));
        assertThat(r.unplaced()).singleElement().satisfies(u -> {
            assertThat(u.group().name()).isEqualTo("etcd");
            assertThat(u.reason()).contains("anti-affinity");
        });
        String dbZone = perZone.get("db").keySet().iterator().next();
        assertThat(perZone.get("reporting")).containsOnlyKeys(dbZone);
        int db = table.firstPod(2);
        assertThat(r.assignment()[table.firstPod(4)]).as("cache beside the database").isEqualTo(r.assignment()[db]);
        // Nodes without zone labels (an openb list): one domain, as pack without --zones.
        List<FleetPacking.FleetNode> plain = List.of(node("n0", 16000, 64 * GIB, 0, ""), node("n1", 16000, 64 * GIB, 0, ""));
        FleetPacking.Result one = FleetPacking.pack(FleetPacking.table(w, plain), plain);
        assertThat(one.unplaced()).filteredOn(u -> u.group().name().equals("etcd")).singleElement()
                .satisfies(u -> assertThat(u.pods()).isEqualTo(3));
    }

    /**
     * A zone whose only node is tainted (the pods do not tolerate it) still counts as a domain under
     * the default nodeTaintsPolicy Ignore: its 0 pods hold the other zones to maxSkew (1) each, so 2
     * of 6 run — the scheduler's well-known trap; with nodeTaintsPolicy Honor all 6 run, 3/3.
     */
    @Test
    void aTaintedZoneCountsAsASpreadDomainUnlessTheConstraintHonorsTaints() {
        FleetPacking.FleetNode tainted = new FleetPacking.FleetNode("c0", "16c", new Resources(16000, 64 * GIB, 110, 0, 0), "",
                Resources.ZERO, java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, "c"),
                List.of(new io.nodesizer.model.Placement.Taint("dedicated", "gpu", "NoSchedule")));
        List<FleetPacking.FleetNode> fleet = List.of(zoned("a0", 16000, "a"), zoned("b0", 16000, "b"), tainted);
        for (boolean honor : new boolean[] {false, true}) {
            Workload w = Workload.of(List.of(ruled("api", 1000, 6, List.of(), List.of(), List.of(new io.nodesizer.model.Placement.Spread(1,
                    true, term("api", io.nodesizer.kube.PodConflicts.ZONE), 1, true, honor)))));
            FleetPacking.Result r = FleetPacking.pack(FleetPacking.table(w, fleet), fleet);
            assertThat(r.placedPods()).as("nodeTaintsPolicy Honor: %s", honor).isEqualTo(honor ? 6 : 2);
        }
    }

    /**
     * nodeTaintsPolicy is Ignore by default: a zone whose only node carries a taint the pods do not
     * tolerate still counts as a domain of the spread (with 0 pods), so maxSkew 1 lets one api pod
     * into zone a, as kube-scheduler does; with nodeTaintsPolicy Honor zone b does not count.
     */
    @Test
    void aSpreadCountsTaintedZonesUnlessItsPolicyHonorsTaints() {
        List<FleetPacking.FleetNode> fleet = List.of(zoned("a0", 16000, "a"), new FleetPacking.FleetNode("b0", "16c",
                new Resources(16000, 64 * GIB, 110, 0, 0), "", Resources.ZERO, java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, "b"),
                List.of(new io.nodesizer.model.Placement.Taint("dedicated", "gpu", "NoSchedule"))));
        java.util.function.BiFunction<Boolean, Boolean, Integer> placed = (affinity, taints) -> {
            Workload w = Workload.of(List.of(ruled("api", 1000, 4, List.of(), List.of(), List.of(new io.nodesizer.model.Placement.Spread(1, true,
                    term("api", io.nodesizer.kube.PodConflicts.ZONE), 1, affinity, taints)))));
            FleetPacking.Result r = FleetPacking.pack(FleetPacking.table(w, fleet), fleet);
            return (int) java.util.Arrays.stream(r.assignment()).filter(k -> k >= 0).count();
        };
        assertThat(placed.apply(true, false)).as("taints ignored (default): zone b counts").isEqualTo(1);
        assertThat(placed.apply(true, true)).as("taints honored: zone b does not count").isEqualTo(4);
    }

    /**
     * The fleet's nodes are known, so a hostname spread's fewest is kube-scheduler's over them (not
     * 0, as for fresh nodes): ten replicas with maxSkew 1 on three nodes run 4/3/3. With a fourth,
     * tainted node the pods cannot use, nodeTaintsPolicy Ignore (the default) counts it with none
     * of them, so each of the three holds one; Honor leaves it out.
     */
    @Test
    void aHostnameSpreadOnAFleetTakesTheFewestOverItsNodes() {
        FleetPacking.FleetNode tainted = new FleetPacking.FleetNode("gpu0", "16c", new Resources(16000, 64 * GIB, 110, 0, 0), "",
                Resources.ZERO, java.util.Map.of(), List.of(new io.nodesizer.model.Placement.Taint("dedicated", "gpu", "NoSchedule")));
        List<FleetPacking.FleetNode> three = List.of(node("n0", 16000, 64 * GIB, 0, ""), node("n1", 16000, 64 * GIB, 0, ""),
                node("n2", 16000, 64 * GIB, 0, ""));
        List<FleetPacking.FleetNode> four = new java.util.ArrayList<>(three);
        four.add(tainted);
        java.util.function.BiFunction<List<FleetPacking.FleetNode>, Boolean, int[]> perNode = (fleet, honorTaints) -> {
            Workload w = Workload.of(List.of(ruled("web", 1000, 10, List.of(), List.of(), List.of(new io.nodesizer.model.Placement.Spread(1,
                    true, term("web", io.nodesizer.kube.PodConflicts.HOSTNAME), 1, true, honorTaints)))));
            FleetPacking.Result r = FleetPacking.pack(FleetPacking.table(w, fleet), fleet); // verifies loads
            int[] out = new int[fleet.size()];
            for (int k : r.assignment()) {
                if (k >= 0) {
                    out[k]++;
                }
            }
            return out;
        };
        assertThat(perNode.apply(three, false)).containsExactly(4, 3, 3);
        assertThat(perNode.apply(four, false)).containsExactly(1, 1, 1, 0);
        assertThat(perNode.apply(four, true)).containsExactly(4, 3, 3, 0);
    }

    /** Zones are counted in 64-bit masks: with zone rules a fleet naming more than 64 is refused with the reason (the CLI exits 2). */
    @Test
    void moreThanSixtyFourZonesAreRefused() {
        List<FleetPacking.FleetNode> fleet = new java.util.ArrayList<>();
        for (int z = 0; z < 65; z++) {
            fleet.add(zoned("n" + z, 4000, "z" + z));
        }
        Workload w = Workload.of(List.of(ruled("etcd", 500, 3, List.of(term("etcd", io.nodesizer.kube.PodConflicts.ZONE)), List.of(),
                List.of())));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetPacking.table(w, fleet))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65 zones");
        assertThat(FleetPacking.table(w, fleet.subList(0, 64)).zones()).isEqualTo(64);
        Workload plain = Workload.of(List.of(group("app", 1000, GIB, 1)));
        assertThat(FleetPacking.table(plain, fleet).zones()).as("no zone rule: the zones do not matter").isEqualTo(1);
    }

    /**
     * Pods that need a T4 came after the larger pods that may use any GPU, which took the A10 node
     * and a device of the T4 node: one T4 pod was left out although the P100 node had room for the
     * others. With the pods only some nodes can take first, all five run.
     */
    @Test
    void podsThatNeedAGpuModelGoBeforePodsThatTakeAnyGpu() {
        PodGroup any = new PodGroup("any", "openb", new Resources(4000, GIB, 1, 1000, 0), 3, false, null, new SourceRef("t", 1), List.of());
        PodGroup t4 = new PodGroup("t4", "openb", new Resources(1000, GIB, 1, 1000, 0), 2, false, null, new SourceRef("t", 2), List.of("T4"));
        List<FleetPacking.FleetNode> fleet = List.of(node("g0", 16000, 64 * GIB, 2000, "A10"), node("g1", 16000, 64 * GIB, 2000, "T4"),
                node("g2", 16000, 64 * GIB, 2000, "P100"));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(Workload.of(List.of(any, t4))), fleet);
        assertThat(r.placedPods()).isEqualTo(5);
        assertThat(r.assignment()).containsExactly(0, 0, 2, 1, 1);
    }

    /** A snapshot's node with GPUs of {@code vendor}'s device plugin (16 CPU, 64 GiB). */
    private static FleetPacking.FleetNode vendorNode(String name, long cpu, long gpu, String vendor) {
        return new FleetPacking.FleetNode(name, cpu / 1000 + "c-" + gpu / 1000 + "gpu-" + vendor, new Resources(cpu, 64 * GIB, 110, gpu, 0), "",
                Resources.ZERO, java.util.Map.of(), List.of(), vendor);
    }

    /**
     * A pod asking for amd.com/gpu runs only where AMD's device plugin advertises GPUs: the NVIDIA
     * node's free GPUs are not its, however many. A pod of a vendor no node has is refused in a
     * candidate shape's words; a plain GPU count (no vendor) takes any.
     */
    @Test
    void aGpuPodGoesOnlyToANodeOfItsVendor() {
        List<FleetPacking.FleetNode> fleet = List.of(vendorNode("nv0", 16000, 4000, "nvidia"), vendorNode("amd0", 16000, 1000, "amd"));
        Workload w = Workload.of(List.of(io.nodesizer.testkit.Fixtures.gpuGroup("render", 1, "amd", 2),
                io.nodesizer.testkit.Fixtures.gpuGroup("arc", 1, "intel", 1), io.nodesizer.testkit.Fixtures.gpuGroup("count", 1, "", 1)));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(w), fleet); // verifies each pod's node
        // render-0 on amd0, render-1 nowhere (amd0's one GPU is taken); arc nowhere; count on nv0, the first with a free GPU.
        assertThat(r.assignment()).containsExactly(1, -1, -1, 0);
        assertThat(r.unplaced()).extracting(FleetPacking.Unplaced::reason).containsExactly(
                "no room left: it fits an empty node of shape 16c-1gpu-amd, but every node that could hold it is full",
                "fits no node of the fleet: needs gpu.intel.com/i915 or gpu.intel.com/xe; nv0 has NVIDIA GPUs (nvidia.com/gpu, another vendor's device plugin)");
    }

    /**
     * The AMD pods may use one node of the two: largest first, the 15.5-CPU pod took the AMD node
     * first in fleet order and left the AMD pod no CPU, though the NVIDIA node had room for the big
     * pod. Restricted first (the vendor restricts as a model does) runs both.
     */
    @Test
    void podsOfAVendorGoBeforePodsThatTakeAnyNode() {
        List<FleetPacking.FleetNode> fleet = List.of(vendorNode("amd0", 16000, 2000, "amd"), vendorNode("nv0", 16000, 2000, "nvidia"));
        Workload w = Workload.of(List.of(group("big", 15500, GIB, 1), io.nodesizer.testkit.Fixtures.gpuGroup("render", 1, "amd", 1)));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(w), fleet);
        assertThat(r.placedPods()).isEqualTo(2);
        assertThat(r.assignment()).containsExactly(1, 0);
    }

    @Test
    void theVerifierRefusesAGpuPodOnAnotherVendorsNode() {
        List<FleetPacking.FleetNode> fleet = List.of(vendorNode("nv0", 16000, 4000, "nvidia"));
        DemandTable table = DemandTable.of(Workload.of(List.of(io.nodesizer.testkit.Fixtures.gpuGroup("render", 1, "amd", 1))));
        FleetPacking.Result onNvidia = new FleetPacking.Result(fleet, new int[] {0}, new long[DemandTable.D], new long[] {1}, List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetPacking.verify(table, onNvidia, new int[] {4}, null, new int[] {0}))
                .isInstanceOf(io.nodesizer.engine.VerificationException.class).hasMessageContaining("is on nv0, which it may not use "
                        + "(needs amd.com/gpu; nv0 has NVIDIA GPUs (nvidia.com/gpu, another vendor's device plugin))");
    }

    private static PodGroup pinned(String app, long cpu, int replicas, String zone) {
        return ruled(app, cpu, replicas, java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, zone), List.of(), List.of(), List.of());
    }

    /**
     * Restricted first is tried only as a second packing, and kept only when it places more: here
     * the four pinned pods would take the 8-CPU node first in fleet order and leave no node for the
     * 8-CPU pod, so largest first (the big pod there, the pinned ones on the 4-CPU node) stays.
     */
    @Test
    void theLargestFirstPackingStaysWhenRestrictedFirstPlacesFewer() {
        List<FleetPacking.FleetNode> fleet = List.of(zoned("a1", 8000, "a"), zoned("a0", 4000, "a"), zoned("b0", 2000, "b"));
        Workload w = Workload.of(List.of(group("big", 8000, GIB, 1), pinned("small", 1000, 4, "a"),
                group("huge", 100_000, GIB, 1))); // fits nowhere: some pod is left out either way, so both orders are tried
        DemandTable table = FleetPacking.table(w, fleet);
        int[] largestFirst = FleetOrder.largestFirst(table, fleet);
        assertThat(largestFirst).containsExactly(2, 0, 1);
        assertThat(FleetOrder.restrictedFirst(table, fleet, largestFirst)).containsExactly(1, 2, 0);
        FleetPacking.Result r = FleetPacking.pack(table, fleet);
        assertThat(r.placedPods()).isEqualTo(5);
        assertThat(r.assignment()).containsExactly(0, 1, 1, 1, 1, -1);
    }

    /**
     * QA 73 F2: a fleet too small for the workload. Largest first, the 4-CPU pod takes the only node and the four 1-CPU
     * pods are left out; smallest first places those four, and more pods placed is kept.
     */
    @Test
    void smallestFirstIsKeptWhenItPlacesMorePods() {
        List<FleetPacking.FleetNode> fleet = List.of(node("a", 4000, 16 * GIB, 0, ""));
        DemandTable table = DemandTable.of(Workload.of(List.of(group("big", 4000, GIB, 1), group("small", 1000, GIB, 4))));
        assertThat(FleetOrder.largestFirst(table, fleet)).containsExactly(0, 1);
        assertThat(FleetOrder.smallestFirst(table, fleet)).containsExactly(1, 0);
        FleetPacking.Result r = FleetPacking.pack(table, fleet);
        assertThat(r.placedPods()).isEqualTo(4);
        assertThat(r.assignment()).containsExactly(-1, 0, 0, 0, 0);
        // The pod left out is reported, with the room the small ones took.
        assertThat(r.unplaced()).extracting(u -> u.group().name() + ":" + u.pods()).containsExactly("big:1");
    }

    /**
     * Smallest first is tried when pods are left out and dropped when it places fewer: here the three 1-CPU pods fill
     * the 4-CPU node first in fleet order and the 3-CPU pod fits the 2-CPU node no more (3 placed), where largest first
     * puts it beside one of them and the other two on the 2-CPU node (4 placed; the 100-CPU pod fits nowhere either way).
     */
    @Test
    void theLargestFirstPackingStaysWhenSmallestFirstPlacesFewer() {
        List<FleetPacking.FleetNode> fleet = List.of(node("a", 4000, 16 * GIB, 0, ""), node("b", 2000, 16 * GIB, 0, ""));
        DemandTable table = DemandTable.of(Workload.of(List.of(group("mid", 3000, GIB, 1), group("small", 1000, GIB, 3),
                group("huge", 100_000, GIB, 1))));
        assertThat(FleetOrder.smallestFirst(table, fleet)).containsExactly(1, 0, 2);
        FleetPacking.Result r = FleetPacking.pack(table, fleet);
        assertThat(r.placedPods()).isEqualTo(4);
        assertThat(r.assignment()).containsExactly(0, 0, 1, 1, -1);
    }

    /**
     * As many pods either way: the packing on fewer nodes is kept. Largest first, the 4-CPU pod goes on the 6-CPU node
     * and the 2-CPU pods on it, the 2-CPU node and the 5-CPU node (3 nodes); smallest first puts the three 2-CPU pods
     * on the 6-CPU node and the 4-CPU pod on the 5-CPU node (2 nodes). The 100-CPU pod fits nowhere either way.
     */
    @Test
    void onAsManyPodsPlacedTheOrderOnFewerNodesIsKept() {
        List<FleetPacking.FleetNode> fleet = List.of(node("a", 6000, 16 * GIB, 0, ""), node("b", 2000, 16 * GIB, 0, ""),
                node("c", 5000, 16 * GIB, 0, ""));
        DemandTable table = DemandTable.of(Workload.of(List.of(group("two", 2000, GIB, 3), group("four", 4000, GIB, 1),
                group("huge", 100_000, GIB, 1))));
        FleetPacking.Result r = FleetPacking.pack(table, fleet);
        assertThat(r.placedPods()).isEqualTo(4);
        assertThat(r.nodesUsed()).isEqualTo(2);
        assertThat(r.assignment()).containsExactly(0, 0, 0, 2, -1);
    }

    /** The verifier checks each pod's node against its selector too, since the packing order now depends on it. */
    @Test
    void theVerifierRefusesAPodOnANodeItsSelectorRefuses() {
        List<FleetPacking.FleetNode> fleet = List.of(zoned("a0", 8000, "a"), zoned("b0", 8000, "b"));
        DemandTable table = FleetPacking.table(Workload.of(List.of(pinned("small", 1000, 1, "a"))), fleet);
        FleetPacking.Result offZone = new FleetPacking.Result(fleet, new int[] {1}, new long[2 * DemandTable.D], new long[1], List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetPacking.verify(table, offZone, new int[2], null, new int[] {0}))
                .isInstanceOf(io.nodesizer.engine.VerificationException.class).hasMessageContaining("is on b0, which it may not use");
    }

    /**
     * Random workloads with every rule, some pinned to a zone, on random zoned fleets: each packing verifies (zone rules
     * included) and places some pods.
     */
    @Test
    void randomZoneRulesOnFleetsVerify() {
        for (long seed = 1; seed <= 40; seed++) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            List<FleetPacking.FleetNode> fleet = new java.util.ArrayList<>();
            int zones = 1 + random.nextInt(3);
            for (int k = 0; k < 2 + random.nextInt(8); k++) {
                fleet.add(zoned("n" + k, 2000 + 2000L * random.nextInt(4), "z" + random.nextInt(zones)));
            }
            List<PodGroup> groups = new java.util.ArrayList<>();
            int n = 2 + random.nextInt(6);
            for (int g = 0; g < n; g++) {
                String other = "g" + random.nextInt(n);
                String key = random.nextBoolean() ? io.nodesizer.kube.PodConflicts.ZONE : io.nodesizer.kube.PodConflicts.HOSTNAME;
                int kind = random.nextInt(5);
                // Some pinned to a zone: then the packing is also done with them first (and verified if kept).
                java.util.Map<String, String> pin = random.nextInt(3) == 0
                        ? java.util.Map.of(io.nodesizer.kube.PodConflicts.ZONE, "z" + random.nextInt(zones)) : java.util.Map.of();
                groups.add(ruled("g" + g, 100 + random.nextInt(2000), 1 + random.nextInt(8), pin,
                        kind == 0 ? List.of(term(other, key)) : List.of(), kind == 1 ? List.of(term(other, key)) : List.of(),
                        kind == 2 ? List.of(new io.nodesizer.model.Placement.Spread(1 + random.nextInt(2), true,
                                term("g" + g, io.nodesizer.kube.PodConflicts.ZONE))) : List.of()));
            }
            Workload w = Workload.of(groups);
            FleetPacking.Result r = FleetPacking.pack(FleetPacking.table(w, fleet), fleet); // throws on a broken rule
            assertThat(r.placedPods()).as("seed %d", seed).isPositive();
        }
    }
}
