package io.nodesizer.engine;

import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementClassesTest {
    private static final Placement SSD = new Placement(Map.of("disk", "ssd"), null, List.of());

    private static PodGroup group(String name, Placement p) {
        return new PodGroup(name, "test", new Resources(500, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    @Test
    void equalPlacementsShareAClassInOrderOfFirstAppearance() {
        // Equal, not the same instance: readers build one placement per pod.
        DemandTable table = DemandTable.of(Workload.of(List.of(group("a", SSD), group("b", Placement.ANY),
                group("c", new Placement(Map.of("disk", "ssd"), null, List.of())), group("d", Placement.ANY))));
        PlacementClasses classes = table.placementClasses();
        assertThat(classes.ofGroup()).containsExactly(0, 1, 0, 1);
        assertThat(classes.placements()).containsExactly(SSD, Placement.ANY);
        assertThat(classes.refusedOn(shape("plain", 4000, 16 * GIB, 110, 1.0), Map.of())).containsExactly(true, false);
        assertThat(table.placementClasses()).isSameAs(classes);
    }

    @Test
    void aShapesRefusalIsDecidedPerClassForEveryGroupOfIt() {
        DemandTable table = DemandTable.of(Workload.of(List.of(group("a", SSD), group("b", Placement.ANY), group("c", SSD))));
        PackingProblem problem = new PackingProblem(table, shape("plain", 4000, 16 * GIB, 110, 1.0), Resources.ZERO);
        assertThat(problem.schedulableGroups()).containsExactly(1);
        assertThat(problem.unschedulable()).extracting(PackingProblem.Unschedulable::group).containsExactly(0, 2);
        assertThat(problem.unschedulable().get(1).reason()).contains("nodeSelector needs disk=ssd");
    }

    /** The verifier takes a pod left out by its selector, and refuses one left out that an empty node takes. */
    @Test
    void theVerifierChecksPodsLeftOutAgainstTheirPlacement() {
        DemandTable table = DemandTable.of(Workload.of(List.of(group("db", SSD), group("web", Placement.ANY))));
        PackingProblem problem = new PackingProblem(table, shape("plain", 4000, 16 * GIB, 110, 1.0), Resources.ZERO);
        long[] load = new long[Resources.ZERO.toArray().length];
        load[0] = 500;
        load[1] = GIB;
        load[2] = 1;
        PackingResult honest = new PackingResult(problem, "forged", 1, new int[] {-1, 0}, load, problem.unschedulable(),
                new io.nodesizer.bound.LowerBound(1, "L1(cpu)", List.of()), 0, null);
        assertThatCode(() -> PackingVerifier.verify(honest)).doesNotThrowAnyException();
        PackingResult lying = new PackingResult(problem, "forged", 1, new int[] {-1, -1}, load,
                List.of(problem.unschedulable().get(0), new PackingProblem.Unschedulable(1, problem)),
                new io.nodesizer.bound.LowerBound(1, "L1(cpu)", List.of()), 0, null);
        assertThatThrownBy(() -> PackingVerifier.verify(lying)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("pod group web is reported unschedulable but fits an empty node");
        // The verifier decides admission itself: a pod placed where its selector refuses it fails (review 76b #1).
        long[] both = {1000, 2 * GIB, 2, 0, 0};
        PackingResult refused = new PackingResult(problem, "forged", 1, new int[] {0, 0}, both, List.of(),
                new io.nodesizer.bound.LowerBound(1, "L1(cpu)", List.of()), 0, null);
        assertThatThrownBy(() -> PackingVerifier.verify(refused)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("pod db-0 is placed, but cannot run on plain: its nodeSelector needs disk=ssd");
    }
}
