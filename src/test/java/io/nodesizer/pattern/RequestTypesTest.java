package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** Which pods share a request type: the pattern LP has a row per type, so types must be as few as the rules allow. */
final class RequestTypesTest {
    private static final NodeShape NODE = Fixtures.priced("n", 8000, 32 * GIB, 0, 1.0);

    private static PodGroup group(String name, Placement p) {
        return new PodGroup(name, "test", new Resources(500, GIB, 1, 0, 0), 3, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static Placement labelled(String app, Map<String, String> selector, Placement.PodAffinityTerm... anti) {
        return new Placement(selector, null, List.of(), "shop", Map.of("app", app), List.of(anti), List.of());
    }

    private static RequestTypes types(PodGroup... groups) {
        return RequestTypes.of(new PackingProblem(DemandTable.of(List.of(groups)), NODE, Resources.ZERO));
    }

    /** Every Deployment has labels of its own; equal requests still make one row (1,500 workloads of 42 sizes: 42 rows). */
    @Test
    void podLabelsAndNamespacesDoNotSplitTypes() {
        RequestTypes t = types(group("a", labelled("a", Map.of())), group("b", labelled("b", Map.of())),
                group("c", new Placement(Map.of(), null, List.of(), "other", Map.of("x", "y"), List.of(), List.of())));
        assertThat(t.count()).isEqualTo(1);
        assertThat(t.pods(0)).isEqualTo(9);
        assertThat(t.hasRules()).isFalse();
    }

    /** Tolerations (like a node selector) decide which shapes admit the pod: its own type, though both fit this node. */
    @Test
    void nodeConstraintsSplitTypes() {
        Placement tolerant = new Placement(Map.of(), null, List.of(new Placement.Toleration("dedicated", "Exists", null, "NoSchedule")),
                "shop", Map.of("app", "b"), List.of(), List.of());
        RequestTypes t = types(group("a", labelled("a", Map.of())), group("b", tolerant));
        assertThat(t.count()).isEqualTo(2);
    }

    /**
     * A workload with required anti-affinity on itself is a type of its own with a cap of 1; one it
     * repels is a type of its own too; the rest share a type.
     */
    @Test
    void groupsWithRulesAreTypesOfTheirOwnWithCapsAndRepels() {
        Placement.PodAffinityTerm webTerm = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        RequestTypes t = types(group("web", labelled("web", Map.of(), webTerm)), group("cache", labelled("cache", Map.of(), webTerm)),
                group("x", labelled("x", Map.of())), group("y", labelled("y", Map.of())));
        assertThat(t.count()).isEqualTo(3); // web, cache, and x + y
        assertThat(t.hasRules()).isTrue();
        assertThat(t.alone(0)).isEqualTo(1);               // one web per node
        assertThat(t.repels(0)).containsExactly(1);         // web keeps off cache
        assertThat(t.repels(1)).containsExactly(0);
        assertThat(t.repels(2)).isEmpty();
        assertThat(t.ruleRoom(1, new int[] {1, 0, 0})).isZero();
        assertThat(t.ruleRoom(0, new int[] {0, 0, 5})).isEqualTo(1);
        assertThat(t.ruleRoom(0, new int[] {1, 0, 5})).isZero();
        assertThat(t.admitsRules(new int[] {1, 0, 6})).isTrue();
        assertThat(t.admitsRules(new int[] {2, 0, 0})).isFalse();
        assertThat(t.admitsRules(new int[] {1, 1, 0})).isFalse();
    }
}
