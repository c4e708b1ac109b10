package io.nodesizer.engine.strategy;

import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingTestSupport;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler profiles' preference plugins in the engine's kube strategies. Three "big" pods
 * open three nodes (two do not fit one node), then three "small" pods choose among them: the
 * bin-packing profile alone stacks them on the fullest node; the system default spreading (a
 * controller's pods) and a preferred anti-affinity on the hostname spread them one per node; and
 * a preferred pod affinity draws a third workload onto the nodes of the pods it names.
 */
final class PreferencePackingTest {
    private static final long GIB = 1L << 30;
    private static final NodeShape SHAPE = new NodeShape("n8", "inline", "inline", "amd64", new Resources(8000, 32 * GIB, 110, 0, 0),
            new Resources(8000, 32 * GIB, 110, 0, 0), "none", null);

    private static PodGroup group(String name, long cpuMillis, int replicas, Placement placement) {
        return new PodGroup(name, "csv", new Resources(cpuMillis, GIB, 1, 0, 0), replicas, false, null, new SourceRef("test.csv", 1),
                List.of(), null, placement);
    }

    private static Placement labelled(String app, Placement.Preferences preferences) {
        return new Placement(Map.of(), null, List.of(), "default", Map.of("app", app), List.of(), List.of(), List.of(), preferences);
    }

    private static Placement.PodAffinityTerm selects(String app) {
        return new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, PodConflicts.HOSTNAME);
    }

    /** The distinct nodes the pods of group {@code g} landed on. */
    private static int nodesOf(PackingResult r, int firstPod, int replicas) {
        TreeSet<Integer> nodes = new TreeSet<>();
        for (int p = firstPod; p < firstPod + replicas; p++) {
            nodes.add(r.assignment()[p]);
        }
        return nodes.size();
    }

    private static PackingResult pack(Placement.Preferences small, String strategy) {
        Workload w = Workload.of(List.of(group("big", 5000, 3, labelled("big", Placement.Preferences.NONE)),
                group("small", 500, 3, labelled("small", small))));
        return PackingTestSupport.pack(w, SHAPE, strategy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kube-bin-packing", "kube-most-allocated"})
    void withoutPreferencesTheFullestNodeTakesEverySmallPod(String strategy) {
        PackingResult r = pack(Placement.Preferences.NONE, strategy);
        assertThat(r.nodeCount()).isEqualTo(3);
        assertThat(nodesOf(r, 3, 3)).isEqualTo(1);
    }

    @Test
    void systemDefaultSpreadingSpreadsAControllersPodsOverTheNodes() {
        PackingResult r = pack(Placement.Preferences.SYSTEM_SPREAD, "kube-bin-packing");
        assertThat(r.nodeCount()).isEqualTo(3);
        assertThat(nodesOf(r, 3, 3)).isEqualTo(3);
        // NodeResourcesFit alone has no spread plugin: the preference is not scored there.
        assertThat(nodesOf(pack(Placement.Preferences.SYSTEM_SPREAD, "kube-most-allocated"), 3, 3)).isEqualTo(1);
    }

    @Test
    void preferredAntiAffinityOnTheHostnameSpreadsTheReplicas() {
        Placement.Preferences soft = new Placement.Preferences(List.of(), List.of(),
                List.of(new Placement.WeightedPodTerm(100, selects("small"))), false);
        PackingResult r = pack(soft, "kube-bin-packing");
        assertThat(nodesOf(r, 3, 3)).isEqualTo(3);
    }

    @Test
    void preferredAffinityDrawsPodsToTheNodesOfThePodsItNames() {
        // "small" stacks on one node (no preferences); "near" prefers that node; "far" is indifferent and
        // goes where LeastAllocated sends it under the default profile: an emptier node.
        Placement.Preferences near = new Placement.Preferences(List.of(), List.of(new Placement.WeightedPodTerm(100, selects("small"))),
                List.of(), false);
        Workload w = Workload.of(List.of(group("big", 5000, 3, labelled("big", Placement.Preferences.NONE)),
                group("small", 500, 3, labelled("small", Placement.Preferences.NONE)),
                group("near", 500, 1, labelled("near", near)),
                group("far", 500, 1, labelled("far", Placement.Preferences.NONE))));
        PackingResult bin = PackingTestSupport.pack(w, SHAPE, "kube-bin-packing");
        int smallNode = bin.assignment()[3];
        assertThat(bin.assignment()[6]).isEqualTo(smallNode);
        PackingResult spread = PackingTestSupport.pack(w, SHAPE, "kube-default");
        // The default profile (LeastAllocated) spreads the small pods; "near" then goes to a node holding the most of them.
        int[] smallOn = new int[3];
        for (int p = 3; p < 6; p++) {
            smallOn[spread.assignment()[p]]++;
        }
        int nearNode = spread.assignment()[6];
        assertThat(smallOn[nearNode]).isEqualTo(java.util.Arrays.stream(smallOn).max().orElseThrow());
    }

    /**
     * One zone still counts: every node of a single-zone cloud cluster carries the zone label, so
     * the system default's zone constraint adds count·ln(3) + 4 to every node, which upstream's
     * normalization 100·(max + min − s)/max feels. Four nodes holding 0/1/2/3 of the workload's 6
     * pods: raw round(c·ln 6 + 2 + 6·ln 3 + 4) = 13/14/16/18, normalized 100/94/83/72 (without the
     * zone it would be 100/71/42/28).
     */
    @Test
    void aSingleZoneStillWeighsInTheSpreadScore() {
        io.nodesizer.engine.DemandTable table = io.nodesizer.engine.DemandTable.of(List.of(group("web", 100, 6,
                labelled("web", Placement.Preferences.SYSTEM_SPREAD))));
        PreferenceScoring scoring = PreferenceScoring.build(table, List.of(SHAPE, SHAPE, SHAPE, SHAPE), 1);
        io.nodesizer.engine.GroupCounts counts = new io.nodesizer.engine.GroupCounts(scoring.counted(), 1);
        for (int node = 0; node < 4; node++) {
            counts.add(node, 0, 0, node);
        }
        PreferenceScoring.NodePlaces places = PreferenceScoring.NodePlaces.of(node -> node, node -> 0);
        assertThat(scoring.normalized(PreferenceScoring.Plugin.POD_TOPOLOGY_SPREAD, 0, new int[]{0, 1, 2, 3}, 4, places, counts))
                .containsExactly(100, 94, 83, 72);
    }

    @Test
    void aPreferredTermOnANamedZoneScoresTheNodesOfThatZone() {
        // Three batch pods of 6 CPU open three nodes, one per zone; app (1 CPU) prefers us-east-1c.
        Placement.Term zoneC = new Placement.Term(List.of(new Placement.Requirement("topology.kubernetes.io/zone", Placement.Operator.IN,
                List.of("us-east-1c"))), List.of());
        Placement prefersC = Placement.ANY.withPreferences(new Placement.Preferences(List.of(new Placement.WeightedTerm(100, zoneC)),
                List.of(), List.of(), false));
        Workload w = Workload.of(List.of(group("batch", 6000, 3, Placement.ANY), group("app", 1000, 1, prefersC)));
        List<String> zones = List.of("us-east-1a", "us-east-1b", "us-east-1c");
        io.nodesizer.engine.PackingProblem named = new io.nodesizer.engine.PackingProblem(io.nodesizer.engine.DemandTable.of(w, zones),
                SHAPE, Resources.ZERO);
        // Counted zones have no names: the term counts as met everywhere, and ties go by the seed.
        io.nodesizer.engine.PackingProblem counted = new io.nodesizer.engine.PackingProblem(io.nodesizer.engine.DemandTable.of(w, 3),
                SHAPE, Resources.ZERO);
        TreeSet<Integer> countedZones = new TreeSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            for (PackingStrategies s : List.of(PackingStrategies.KUBE_DEFAULT, PackingStrategies.KUBE_BIN_PACKING)) {
                PackingResult r = io.nodesizer.engine.PackingEngine.pack(named, s.create(), seed);
                assertThat(r.nodeCount()).isEqualTo(3);
                assertThat(r.zoneOf(r.assignment()[3], 3)).as("%s seed %d", s.strategyName(), seed).isEqualTo(2);
                PackingResult c = io.nodesizer.engine.PackingEngine.pack(counted, s.create(), seed);
                countedZones.add(c.zoneOf(c.assignment()[3], 3));
            }
        }
        assertThat(countedZones).hasSizeGreaterThan(1);
    }

    /**
     * The spread score computes each (pods on the node, zone) pair once per pod and normalizes per
     * distinct raw score: the same numbers as the formula node by node, with counts past what it
     * memoises, several zones, repeated pods and both normalization paths (few and many distinct raw scores).
     */
    @Test
    void spreadScoresEqualTheFormulaNodeByNode() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int zones = 1; zones <= 3; zones++) {
            io.nodesizer.engine.DemandTable table = io.nodesizer.engine.DemandTable.of(List.of(group("web", 100, 6,
                    labelled("web", Placement.Preferences.SYSTEM_SPREAD))));
            PreferenceScoring scoring = PreferenceScoring.build(table, List.of(SHAPE), zones);
            for (int round = 0; round < 30; round++) {
                int n = 1 + r.nextInt(200);
                int spread = round % 3 == 0 ? 80 : 4; // many distinct counts, or a few
                io.nodesizer.engine.GroupCounts counts = new io.nodesizer.engine.GroupCounts(scoring.counted(), zones);
                int[] zoneOf = new int[n];
                int[] onNode = new int[n];
                for (int node = 0; node < n; node++) {
                    zoneOf[node] = r.nextInt(zones);
                    onNode[node] = r.nextInt(spread);
                    counts.add(node, zoneOf[node], 0, onNode[node]);
                }
                int[] nodes = new int[n];
                for (int i = 0; i < n; i++) {
                    nodes[i] = r.nextInt(n);
                }
                PreferenceScoring.NodePlaces places = PreferenceScoring.NodePlaces.of(node -> 0, node -> zoneOf[node]);
                long[] raw = new long[n];
                long seen = 0;
                for (int i = 0; i < n; i++) {
                    seen |= 1L << zoneOf[nodes[i]];
                }
                double hostWeight = Math.log(n + 2);
                double zoneWeight = Math.log((zones <= 1 ? 1 : Long.bitCount(seen)) + 2);
                long min = Long.MAX_VALUE;
                long max = 0;
                for (int i = 0; i < n; i++) {
                    // the system default: hostname maxSkew 3, then zone maxSkew 5
                    double v = onNode[nodes[i]] * hostWeight + 2;
                    v += counts.inZone(zoneOf[nodes[i]], 0) * zoneWeight + 4;
                    raw[i] = Math.round(v);
                    min = Math.min(min, raw[i]);
                    max = Math.max(max, raw[i]);
                }
                long[] expected = new long[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = max == 0 ? 100 : 100 * (max + min - raw[i]) / max;
                }
                assertThat(scoring.normalized(PreferenceScoring.Plugin.POD_TOPOLOGY_SPREAD, 0, nodes, n, places, counts))
                        .as("zones %d round %d", zones, round).containsExactly(expected);
            }
        }
    }
}
