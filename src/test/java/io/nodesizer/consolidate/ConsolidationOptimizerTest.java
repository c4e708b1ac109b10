package io.nodesizer.consolidate;

import io.nodesizer.engine.VerificationException;
import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.nodesizer.model.NodeShape;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The optimizer step of consolidate (node groups repacked onto a mix) against the greedy steps alone. */
final class ConsolidationOptimizerTest {
    @TempDir
    Path dir;

    private static String node(String name) {
        return "- {apiVersion: v1, kind: Node, metadata: {name: " + name + ", labels: {node.kubernetes.io/instance-type: m5.xlarge, "
                + "kubernetes.io/arch: amd64, kubernetes.io/hostname: " + name + "}}, status: {allocatable: {cpu: \"4\", memory: 16Gi, "
                + "pods: \"58\"}}}\n";
    }

    private static String pod(String name, String node, String cpu, String spec) {
        return "- {apiVersion: v1, kind: Pod, metadata: {name: " + name + ", namespace: s, labels: {app: " + name.replaceAll("-\\d+$", "")
                + "}, ownerReferences: [{kind: ReplicaSet, name: " + name.replaceAll("-\\d+$", "") + ", controller: true}]}, spec: {"
                + spec + "nodeName: " + node + ", containers: [{name: c, resources: {requests: {cpu: \"" + cpu + "\", memory: 1Gi}}}]}, "
                + "status: {phase: Running}}\n";
    }

    private ClusterSnapshot snapshot(String... items) throws IOException {
        Path p = dir.resolve("s.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + String.join("", items));
        return SnapshotReader.read(List.of(p), List.of("s.yaml"));
    }

    /** Three m5.xlarge with two 1.25-CPU pods each: the greedy steps empty one node into the other two, which then stay. */
    private ClusterSnapshot threeNodes(String spec) throws IOException {
        return snapshot(node("a"), node("b"), node("c"), pod("web-1", "a", "1250m", spec), pod("web-2", "a", "1250m", spec),
                pod("api-1", "b", "1250m", ""), pod("api-2", "b", "1250m", ""), pod("job-1", "c", "1250m", ""),
                pod("job-2", "c", "1250m", ""));
    }

    /** consolidate's progress bar (QA 53b: none, on a plan of minutes): the greedy plan, each repacked group, each plan, the end. */
    @Test
    void progressCountsUpToItsTotal() throws IOException {
        List<int[]> calls = new java.util.ArrayList<>();
        Consolidation.Result r = Consolidation.plan(threeNodes(""), ConsolidationBoundTest.SHAPES, new Consolidation.Settings(null, true),
                (done, total) -> calls.add(new int[] {done, total}));
        assertThat(r.costAfter()).isEqualTo(0.306, offset(1e-9));
        // One group of three nodes: the greedy plan and the group (total 2 + 1 + at most 1 plan), its plan, the end; twice, as
        // these settings (no utilisation threshold) are looser than Cluster Autoscaler's defaults, under which a plan is made too.
        assertThat(calls).hasSizeGreaterThanOrEqualTo(6);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
        }
        assertThat(calls).allSatisfy(c -> assertThat(c[0]).isBetween(1, c[1]));
        int[] last = calls.get(calls.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(8);
    }

    /**
     * QA 55b: pods whose node selector no longer matches their node (its zone, its hostname: labels changed after they
     * were scheduled) passed the shapes' check, which knows no zone or hostname; the optimizer moved them onto the new
     * nodes and the plan failed its own verification (an internal error). They now keep their node.
     */
    @Test
    void podsTheirOwnNodeNoLongerMatchesAreNotRepacked() throws IOException {
        for (String selector : List.of("topology.kubernetes.io/zone: us-east-1a", "kubernetes.io/hostname: a")) {
            Consolidation.Result r = Consolidation.plan(threeNodes("nodeSelector: {" + selector + "}, "), ConsolidationBoundTest.SHAPES,
                    new Consolidation.Settings(null, true));
            assertThat(r.actions()).as(selector).allSatisfy(a -> {
                assertThat(a.node()).isNotEqualTo("a");
                assertThat(a.podTo()).doesNotContainKeys("s/web-1", "s/web-2");
            });
        }
    }

    /**
     * QA 55b follow-up: one node whose pods no longer match it (zone, hostname) cost its whole node group the repack,
     * as did one whose pods need its instance type, which no candidate is. Now only that node is left out, and a note
     * says so: b, c and d (2.5 CPU of pods each) go onto one c6a.2xlarge ($0.306/h) and a stays ($0.192/h), $0.498/h
     * in all against the greedy steps' $0.537/h (one node emptied into two others, the fourth replaced by a c6a.xlarge).
     */
    @Test
    void aNodeWhosePodsNoLongerMatchItIsLeftOutOfItsGroupsRepack() throws IOException {
        for (String selector : List.of("topology.kubernetes.io/zone: us-east-1a", "kubernetes.io/hostname: a",
                "node.kubernetes.io/instance-type: m5.xlarge")) {
            String spec = "nodeSelector: {" + selector + "}, ";
            ClusterSnapshot s = snapshot(node("a"), node("b"), node("c"), node("d"), pod("web-1", "a", "1250m", spec),
                    pod("web-2", "a", "1250m", spec), pod("api-1", "b", "1250m", ""), pod("api-2", "b", "1250m", ""),
                    pod("job-1", "c", "1250m", ""), pod("job-2", "c", "1250m", ""), pod("etl-1", "d", "1250m", ""),
                    pod("etl-2", "d", "1250m", ""));
            Consolidation.Settings settings = new Consolidation.Settings(null, true);
            Consolidation.Result greedy = Consolidation.greedy(s, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
            assertThat(greedy.costAfter()).as(selector).isEqualTo(0.537, offset(1e-9));
            Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings); // verified inside
            assertThat(r.costAfter()).as(selector).isEqualTo(0.498, offset(1e-9));
            assertThat(r.actions()).as(selector).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK);
                assertThat(a.node()).isEqualTo("b");
                assertThat(a.merged()).extracting(Consolidation.Partner::node).containsExactly("c", "d");
                assertThat(a.podTo()).hasSize(6).doesNotContainKeys("s/web-1", "s/web-2");
            });
            assertThat(r.kept()).as(selector).anySatisfy(k -> assertThat(k.node()).isEqualTo("a"));
            assertThat(r.notes()).as(selector).anySatisfy(n -> assertThat(n).contains("left a out of its node group's repack")
                    .contains("s/web-1").contains(selector.substring(0, selector.indexOf(':'))));
        }
    }

    /** QA 55a F2: a pod claiming a device through Dynamic Resource Allocation keeps its node, as one requesting hugepages does. */
    @Test
    void aPodClaimingADeviceKeepsItsNode() throws IOException {
        Consolidation.Result r = Consolidation.plan(threeNodes("resourceClaims: [{name: gpu, resourceClaimName: gpu-a}], "),
                ConsolidationBoundTest.SHAPES, new Consolidation.Settings(null, true));
        assertThat(r.actions()).allSatisfy(a -> assertThat(a.podTo()).doesNotContainKeys("s/web-1", "s/web-2"));
        assertThat(r.kept()).anySatisfy(k -> {
            assertThat(k.node()).isEqualTo("a");
            assertThat(k.reason()).contains("resourceClaim:gpu");
        });
    }

    @Test
    void theOptimizerFindsASavingTheGreedyStepsMiss() throws IOException {
        ClusterSnapshot s = threeNodes("");
        Consolidation.Settings settings = new Consolidation.Settings(null, true);
        Consolidation.Result greedy = Consolidation.greedy(s, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
        assertThat(greedy.costAfter()).isEqualTo(0.384, offset(1e-9)); // one removed, the two that received its pods stay
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings);
        // 7.5 CPU of pods: one c6a.2xlarge ($0.306/h) or two c6a.xlarge, for the three nodes.
        assertThat(r.costAfter()).isEqualTo(0.306, offset(1e-9));
        assertThat(r.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK);
            assertThat(a.pods()).isEqualTo(6);
            assertThat(a.merged()).hasSize(2);
            assertThat(a.podTo()).hasSize(6);
        });
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("the optimizer").contains("saves $0.078/h"));
        assertThat(r.lowerBoundCostPerHour()).isLessThanOrEqualTo(r.costAfter());
        // The cap: six pods may not move; the greedy plan (four) stands.
        Consolidation.Result capped = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, new Consolidation.Settings(4, true));
        assertThat(capped.disruptedPods()).isLessThanOrEqualTo(4);
        assertThat(capped.actions()).noneMatch(a -> a.kind() == Consolidation.Kind.REPACK);
    }

    /** QA 55b F7: a repack's new nodes carry the group's DaemonSet pods, which the JSON's newNodes[].shape.daemonSets showed as 0. */
    @Test
    void aRepackCarriesTheGroupsDaemonSetPods() throws IOException {
        String ds = "- {apiVersion: v1, kind: Pod, metadata: {name: agent-%s, namespace: s, ownerReferences: [{kind: DaemonSet, name: agent, "
                + "controller: true}]}, spec: {nodeName: %s, containers: [{name: c, resources: {requests: {cpu: 100m, memory: 128Mi}}}]}, "
                + "status: {phase: Running}}\n";
        ClusterSnapshot s = snapshot(node("a"), node("b"), node("c"), ds.formatted("a", "a"), ds.formatted("b", "b"), ds.formatted("c", "c"),
                pod("web-1", "a", "1250m", ""), pod("web-2", "a", "1250m", ""), pod("api-1", "b", "1250m", ""),
                pod("api-2", "b", "1250m", ""), pod("job-1", "c", "1250m", ""), pod("job-2", "c", "1250m", ""));
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, new Consolidation.Settings(null, true));
        assertThat(r.actions()).anySatisfy(a -> {
            assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK);
            assertThat(a.carried().cpuMillis()).isEqualTo(100);
            assertThat(a.carried().memoryBytes()).isEqualTo(128L << 20);
        });
    }

    @Test
    void largeShapesCheaperPerCoreDoNotCrowdOutTheOneThatHoldsASmallGroup() throws IOException {
        // Fourteen shapes of 16-192 vCPU, each a little cheaper per core than c6a.2xlarge: by their fluid share of the
        // 7.5 CPU they outranked it for the twelve places, and one of them costs more than the three nodes (QA 47c).
        List<NodeShape> candidates = new ArrayList<>(ConsolidationBoundTest.SHAPES);
        int[] sizes = {16, 32, 48, 64, 96, 128, 192};
        for (String family : new String[] {"c5a", "c7a"}) {
            for (int vcpu : sizes) {
                candidates.add(ConsolidationBoundTest.shape(family + "." + vcpu / 4 + "xlarge", vcpu, vcpu * 2, 737, vcpu * 0.0380));
            }
        }
        Consolidation.Result r = Consolidation.plan(threeNodes(""), candidates, new Consolidation.Settings(null, true));
        assertThat(r.costAfter()).isEqualTo(0.306, offset(1e-9));
        assertThat(r.actions()).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK));
    }

    /**
     * QA 69b F3: one spot node (no price) beside the three m5.xlarge left every plan's cost unknown, and the optimizer did not
     * run at all, without a note. It now repacks the priced nodes and compares what the plans save there: the mix saves
     * $0.078/h more than the greedy steps (which save $0.192/h of the $0.576/h), and the spot node, whose 3.5-CPU pod fits
     * nowhere else, stays in both.
     */
    @Test
    void aSpotNodeLeavesTheOptimizerToRepackThePricedNodes() throws IOException {
        String spot = node("d").replace("kubernetes.io/arch: amd64", "kubernetes.io/arch: amd64, karpenter.sh/capacity-type: spot");
        ClusterSnapshot s = snapshot(node("a"), node("b"), node("c"), spot, pod("web-1", "a", "1250m", ""), pod("web-2", "a", "1250m", ""),
                pod("api-1", "b", "1250m", ""), pod("api-2", "b", "1250m", ""), pod("job-1", "c", "1250m", ""),
                pod("job-2", "c", "1250m", ""), pod("batch-1", "d", "3500m", ""));
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, new Consolidation.Settings(null, true));
        assertThat(r.costAfter()).isNull();
        assertThat(r.actions()).anySatisfy(a -> assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK));
        assertThat(r.actions()).noneMatch(a -> a.node().equals("d"));
        assertThat(Consolidation.pricedSaving(r)).isEqualTo(0.576 - 0.306, offset(1e-9));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("the optimizer (node groups of priced nodes repacked onto a mix "
                + "of shapes, then the greedy steps over the other nodes) saves $0.078/h more on priced nodes than the greedy plan alone "
                + "(which saves $0.192/h there"));
    }

    @Test
    void aRepackThatSavesNothingSaysTheGreedyPlanStands() throws IOException {
        // Only shapes dearer than the three m5.xlarge for the pods: the group is repacked, nothing is cheaper, a note says so.
        List<NodeShape> dear = List.of(ConsolidationBoundTest.shape("m6a.4xlarge", 16, 64, 234, 0.6912));
        Consolidation.Result r = Consolidation.plan(threeNodes(""), dear, new Consolidation.Settings(null, true));
        assertThat(r.costAfter()).isEqualTo(0.384, offset(1e-9));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("repacked 1 node group").contains("the plan is the greedy one"));
    }

    @Test
    void aHardSpreadTheOptimizerCannotModelKeepsTheGreedyPlanWithANote() throws IOException {
        String spread = "topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, "
                + "labelSelector: {matchLabels: {app: web}}}], ";
        ClusterSnapshot s = threeNodes(spread);
        Consolidation.Settings settings = new Consolidation.Settings(null, true);
        Consolidation.Result greedy = Consolidation.greedy(s, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings);
        assertThat(r.actions()).isEqualTo(greedy.actions());
        assertThat(r.costAfter()).isEqualTo(greedy.costAfter());
        assertThat(r.notes()).contains(Consolidation.RULES_NOTE);
    }

    /**
     * Anti-affinity on a's pods: a keeps the greedy steps, b and c (whose pods no rule concerns)
     * may be repacked. Here b and c onto one c6a.2xlarge and a alone cost $0.498/h, more than the
     * greedy $0.384/h, which stands; with a third free node the repack of b, c and d wins.
     */
    @Test
    void affinityRulesLeaveTheirNodesToTheGreedySteps() throws IOException {
        String anti = "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: "
                + "{app: web}}, topologyKey: kubernetes.io/hostname}]}}, ";
        Consolidation.Settings settings = new Consolidation.Settings(null, true);
        ClusterSnapshot s = threeNodes(anti);
        Consolidation.Result greedy = Consolidation.greedy(s, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings);
        assertThat(r.costAfter()).isEqualTo(greedy.costAfter());
        assertThat(r.notes()).contains(Consolidation.AFFINITY_NOTE);
        ClusterSnapshot four = snapshot(node("a"), node("b"), node("c"), node("d"), pod("web-1", "a", "3", anti),
                pod("api-1", "b", "1250m", ""), pod("api-2", "b", "1250m", ""), pod("job-1", "c", "1250m", ""),
                pod("job-2", "c", "1250m", ""), pod("etl-1", "d", "1250m", ""), pod("etl-2", "d", "1250m", ""));
        Consolidation.Result g4 = Consolidation.greedy(four, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
        Consolidation.Result r4 = Consolidation.plan(four, ConsolidationBoundTest.SHAPES, settings);
        assertThat(r4.costAfter()).isLessThan(g4.costAfter());
        assertThat(r4.actions()).anySatisfy(a -> {
            assertThat(a.kind()).isEqualTo(Consolidation.Kind.REPACK);
            assertThat(a.podTo()).doesNotContainKey("s/web-1");
        });
    }

    @Test
    void theOptimizerIsNeverWorseThanTheGreedyStepsOnRandomClusters() throws IOException {
        int repacks = 0;
        for (long seed = 1; seed <= 6; seed++) {
            int nodes = 8 + (int) (seed * 5 % 25);
            Path p = dir.resolve("g" + seed + ".json");
            Files.writeString(p, GeneratedClusters.json(seed, nodes, nodes * 12, seed % 4 == 0 ? 0.3 : 0, seed % 2 == 0 ? 0.15 : 0));
            ClusterSnapshot s = SnapshotReader.read(List.of(p), List.of(p.getFileName().toString()));
            for (Integer cap : new Integer[] {null, 60}) {
                Consolidation.Settings settings = new Consolidation.Settings(cap, true);
                Consolidation.Result greedy = Consolidation.greedy(s, ConsolidationBoundTest.SHAPES, settings, Set.of()).result();
                Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings); // verified inside
                assertThat(r.costAfter()).as("seed %d cap %s", seed, cap).isLessThanOrEqualTo(greedy.costAfter() + 1e-9);
                assertThat(r.lowerBoundCostPerHour()).as("seed %d cap %s", seed, cap).isLessThanOrEqualTo(r.costAfter() + 1e-9);
                if (cap != null) {
                    assertThat(r.disruptedPods()).isLessThanOrEqualTo(cap);
                }
                repacks += (int) r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.REPACK).count();
            }
        }
        assertThat(repacks).as("the optimizer's plan is chosen somewhere").isPositive();
    }

    @Test
    void theVerifierCatchesAPlanThatDoesNotAddUp() throws IOException {
        ClusterSnapshot s = threeNodes("");
        Consolidation.Settings settings = new Consolidation.Settings(null, true);
        Consolidation.Result r = Consolidation.plan(s, ConsolidationBoundTest.SHAPES, settings);
        Consolidation.Action a = r.actions().get(0);
        java.util.Map<String, String> lost = new java.util.LinkedHashMap<>(a.podTo());
        lost.remove(lost.keySet().iterator().next());
        Consolidation.Action broken = new Consolidation.Action(a.kind(), a.node(), a.instanceType(), a.pricePerHour(), a.replacement(),
                a.pods() - 1, a.movedTo(), a.savingPerHour(), a.merged(), a.newNodes(), lost);
        Consolidation.Result bad = new Consolidation.Result(List.of(broken), r.kept(), r.nodesBefore(), r.nodesAfter(), r.costBefore(),
                r.costAfter(), r.disruptedPods() - 1, r.pendingUnplaced(), r.sources(), null, List.of());
        assertThatThrownBy(() -> ConsolidationVerifier.verify(s, bad, settings)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("is left on a");
        // One node too small for what moves there.
        Consolidation.NewNodes small = new Consolidation.NewNodes(ConsolidationBoundTest.SHAPES.get(0), a.newNodes().get(0).names());
        Consolidation.Action tight = new Consolidation.Action(a.kind(), a.node(), a.instanceType(), a.pricePerHour(), null, a.pods(),
                a.movedTo(), a.savingPerHour(), a.merged(), List.of(small), a.podTo());
        Consolidation.Result over = new Consolidation.Result(List.of(tight), r.kept(), r.nodesBefore(), r.nodesAfter(), r.costBefore(),
                r.costAfter(), r.disruptedPods(), r.pendingUnplaced(), r.sources(), null, List.of());
        assertThatThrownBy(() -> ConsolidationVerifier.verify(s, over, settings)).isInstanceOf(VerificationException.class);
    }
}
