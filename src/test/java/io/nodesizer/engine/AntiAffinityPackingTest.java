package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** Required pod anti-affinity on the hostname: every strategy keeps repelling pods apart, and the verifier checks it. */
final class AntiAffinityPackingTest {
    private static final NodeShape SHAPE = Fixtures.shape("mid", new Resources(8000, 32 * GIB, 110, 0, 0));

    private static Placement labelled(String ns, Map<String, String> labels, String... repels) {
        List<Placement.PodAffinityTerm> terms = new ArrayList<>();
        for (String app : repels) {
            terms.add(new Placement.PodAffinityTerm(Map.of("app", app), List.of(), List.of(), false, false, PodConflicts.HOSTNAME));
        }
        return new Placement(Map.of(), null, List.of(), ns, labels, terms, List.of());
    }

    private static PodGroup group(String name, long cpu, int replicas, Placement p) {
        return new PodGroup(name, "test", new Resources(cpu, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    @Test
    void conflictsFollowSelectorsNamespacesAndSymmetry() {
        List<PodGroup> groups = List.of(
                group("web", 500, 4, labelled("shop", Map.of("app", "web"), "web")),          // repels itself
                group("cache", 500, 2, labelled("shop", Map.of("app", "cache"), "web")),     // repels web (and so web repels it)
                group("other-ns-web", 500, 2, labelled("ops", Map.of("app", "web"))),        // same labels, other namespace
                group("plain", 500, 3, labelled("shop", Map.of("app", "batch"))));
        int[][] c = PodConflicts.of(groups);
        assertThat(c[0]).containsExactly(0, 1);
        assertThat(c[1]).containsExactly(0);
        assertThat(c[2]).isNull(); // web's term only looks in its own namespace
        assertThat(c[3]).isNull();
        Placement all = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "x"),
                List.of(new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), true, false, PodConflicts.HOSTNAME)), List.of());
        assertThat(PodConflicts.of(List.of(group("x", 1, 1, all), groups.get(2)))[0]).containsExactly(1);
        Placement zone = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "z"),
                List.of(new Placement.PodAffinityTerm(Map.of("app", "z"), List.of(), List.of(), false, false, "topology.kubernetes.io/zone")),
                List.of());
        assertThat(PodConflicts.of(List.of(group("z", 1, 2, zone)))).isNull();
        assertThat(PodConflicts.notes(List.of(group("z", 1, 2, zone)))).singleElement().asString().contains("topology.kubernetes.io/zone");
    }

    @Test
    void everyStrategyKeepsReplicasApartAndTheBoundCountsThem() {
        Workload w = Workload.of(List.of(
                group("web", 500, 6, labelled("shop", Map.of("app", "web"), "web")),
                group("cache", 1000, 3, labelled("shop", Map.of("app", "cache"), "web")),
                group("batch", 250, 40, labelled("shop", Map.of("app", "batch")))));
        PackingProblem problem = new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
        for (PackingStrategies s : PackingStrategies.values()) {
            PackingResult r = PackingEngine.pack(problem, s.create(), 3); // the verifier checks the conflicts
            // web's 6 replicas a node each, and cache, which repels web, on a node of its own beside them (QA 52b F3).
            assertThat(r.nodeCount()).as(s.strategyName()).isGreaterThanOrEqualTo(7);
            assertThat(r.lowerBound().parts()).anyMatch(p -> p.method().equals("anti-affinity") && p.value() == 7);
        }
    }

    @Test
    void randomInstancesWithConflictsVerifyUnderEveryStrategy() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<PodGroup> groups = new ArrayList<>();
            int n = 2 + random.nextInt(12);
            for (int g = 0; g < n; g++) {
                String app = "a" + random.nextInt(5);
                String[] repels = random.nextInt(3) == 0 ? new String[] {"a" + random.nextInt(5)} : new String[0];
                groups.add(group("g" + g, 100 + random.nextInt(3000), 1 + random.nextInt(8),
                        labelled("ns", Map.of("app", app), repels)));
            }
            PackingProblem problem = new PackingProblem(DemandTable.of(groups), SHAPE, Resources.ZERO);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem, s.create(), seed);
                assertThat(r.nodeCount()).as("seed %d %s", seed, s).isGreaterThanOrEqualTo(r.lowerBound().value());
            }
        }
    }

    @Test
    void theVerifierCatchesPodsThatShouldBeApart() {
        Workload w = Workload.of(List.of(group("web", 500, 2, labelled("shop", Map.of("app", "web"), "web"))));
        PackingProblem problem = new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PackingEngine.fromAssignment(problem, "bad", 1, new int[] {0, 0},
                        io.nodesizer.bound.LowerBounds.compute(problem).with(new io.nodesizer.bound.LowerBound.Part("test", 1)), 0))
                .isInstanceOf(VerificationException.class).hasMessageContaining("required pod anti-affinity");
    }
}
