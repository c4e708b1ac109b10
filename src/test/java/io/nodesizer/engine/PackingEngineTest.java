package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class PackingEngineTest {

    static List<String> strategies() {
        return PackingStrategies.names();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void fourHalfNodePodsNeedTwoNodes(String strategy) {
        // 4 pods of 2 CPU / 4 GiB on 4 CPU / 16 GiB nodes: CPU allows 2 per node → 2 nodes, bound 2.
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 4)));
        PackingResult r = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), strategy);
        assertThat(r.nodeCount()).isEqualTo(2);
        assertThat(r.lowerBound().value()).isEqualTo(2);
        assertThat(r.gapPercent()).isZero();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void podSlotsAreAResource(String strategy) {
        // 30 tiny pods, max 10 pods per node → 3 nodes although CPU and memory would fit 1.
        Workload w = Workload.of(List.of(group("tiny", 10, 1024 * 1024, 30)));
        PackingResult r = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 10, 1.0), strategy);
        assertThat(r.nodeCount()).isEqualTo(3);
        assertThat(r.lowerBound().method()).isEqualTo("L1(pods)");
    }

    /** A pod a byte over the memory: both amounts also in bytes, where the rounded GiB read alike (QA 59c F3). */
    @org.junit.jupiter.api.Test
    void aPodJustOverTheAllocatableSaysByHowMuch() {
        Workload w = Workload.of(List.of(group("over", 100, 14 * GIB + 1, 1)));
        PackingResult r = PackingTestSupport.pack(w, shape("m5.xlarge", 3920, 14 * GIB, 58, 0.192), "ffd");
        assertThat(r.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("needs 14 GiB memory (15,032,385,537 bytes); m5.xlarge allocatable is 14 GiB memory (15,032,385,536 bytes)"));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void podTooBigForTheShapeIsUnschedulableWithTheReason(String strategy) {
        Workload w = Workload.of(List.of(group("big", 48000, 64 * GIB, 2), group("small", 500, GIB, 3)));
        PackingResult r = PackingTestSupport.pack(w, shape("m5.xlarge", 3920, 14 * GIB, 58, 0.192), strategy);
        assertThat(r.unschedulablePodCount()).isEqualTo(2);
        assertThat(r.unschedulable()).singleElement().satisfies(u -> assertThat(u.reason())
                .isEqualTo("needs 48 CPU; m5.xlarge allocatable is 3.92 CPU; needs 64 GiB memory; m5.xlarge allocatable is 14 GiB memory"));
        assertThat(r.assignment()).containsExactly(-1, -1, 0, 0, 0);
        assertThat(r.nodeCount()).isEqualTo(1);
    }

    @Test
    void daemonSetsCostEveryNodeAndReduceWhatPodsGet() {
        // 4 CPU nodes with a 1 CPU DaemonSet leave 3 CPU for pods: 8 pods of 1 CPU need ceil(8/3) = 3 nodes;
        // without the DaemonSet 4 fit per node → 2 nodes.
        Workload w = Workload.of(List.of(group("p", 1000, GIB, 8)));
        Resources ds = new Resources(1000, GIB, 1, 0, 0);
        PackingResult with = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), ds, "ffd", 1);
        PackingResult without = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), Resources.ZERO, "ffd", 1);
        assertThat(with.nodeCount()).isEqualTo(3);
        assertThat(without.nodeCount()).isEqualTo(2);
        // Utilisation counts DaemonSet pods: (8 + 3×1) CPU of 3×4 CPU.
        assertThat(with.utilization(io.nodesizer.model.Resource.CPU)).isEqualTo(11.0 / 12.0);
    }

    @Test
    void daemonSetsLargerThanTheNodeMakeEveryPodUnschedulable() {
        Workload w = Workload.of(List.of(group("p", 100, GIB, 2)));
        Resources ds = new Resources(5000, GIB, 1, 0, 0);
        PackingResult r = PackingTestSupport.pack(w, shape("small", 4000, 16 * GIB, 110, 1.0), ds, "bfd", 1);
        assertThat(r.nodeCount()).isZero();
        assertThat(r.unschedulable()).singleElement().satisfies(u ->
                assertThat(u.reason()).isEqualTo("small is not used for the workload: it cannot run its DaemonSets together (5 of 4 CPU), "
                        + "so some of their pods would stay Pending on every small node (the DaemonSet controller creates them whatever the fit)"));
    }

    @Test
    void firstFitDecreasingPlacesLargestFirstOnLowestNode() {
        // Capacity 10 CPU; pods 6,5,4,3,2 (one each) in that input order scrambled.
        // FFD order 6,5,4,3,2: 6→n0, 5→n1, 4→n0 (10), 3→n1 (8), 2→n1 (10). Two nodes.
        Workload w = Workload.of(List.of(group("c", 4000, 1, 1), group("a", 6000, 1, 1), group("e", 2000, 1, 1),
                group("b", 5000, 1, 1), group("d", 3000, 1, 1)));
        PackingResult r = PackingTestSupport.pack(w, shape("n", 10000, GIB, 110, 1.0), "ffd");
        assertThat(r.assignment()).containsExactly(0, 0, 1, 1, 1);
    }

    @Test
    void bestFitDecreasingPicksTheTightestNode() {
        // Capacity 10 CPU; pods 7, 5, 2, 2: 7→n0 (3 left), 5→n1 (5 left); the first 2 fits both and best fit
        // takes n0 (1 left) over n1 (3 left); the second 2 no longer fits n0 → n1.
        Workload w = Workload.of(List.of(group("a", 7000, 1, 1), group("b", 5000, 1, 1), group("c", 2000, 1, 2)));
        PackingResult r = PackingTestSupport.pack(w, shape("n", 10000, GIB, 110, 1.0), "bfd");
        assertThat(r.assignment()).containsExactly(0, 1, 0, 1);
    }

    @Test
    void kubeLeastAllocatedSpreadsAcrossOpenNodes() {
        // 4 CPU nodes; arrival order 2 CPU (opens n0), 3 CPU (does not fit n0, opens n1), then 1 CPU:
        // LeastAllocated prefers n0 (2 CPU free → emptier), MostAllocated prefers n1 (1 CPU free → fuller).
        Workload w = Workload.of(List.of(group("a", 2000, GIB, 1), group("b", 3000, GIB, 1), group("c", 1000, GIB, 1)));
        var shape = shape("n", 4000, 16 * GIB, 110, 1.0);
        assertThat(PackingTestSupport.pack(w, shape, "kube-least-allocated").assignment()).containsExactly(0, 1, 0);
        assertThat(PackingTestSupport.pack(w, shape, "kube-most-allocated").assignment()).containsExactly(0, 1, 1);
    }

    @Test
    void emptyWorkloadNeedsNoNodes() {
        Workload w = Workload.of(List.of(group("big", 99000, GIB, 1)));
        PackingResult r = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), "dot-product");
        assertThat(r.nodeCount()).isZero();
        assertThat(r.lowerBound().value()).isZero();
        assertThat(r.gapPercent()).isZero();
    }

    @Test
    void verifierRejectsAnOverfullNode() {
        Workload w = Workload.of(List.of(group("p", 3000, GIB, 2)));
        PackingResult good = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), "ffd");
        int[] bad = {0, 0};
        long[] load = {6000, 2 * GIB, 2, 0, 0};
        PackingResult forged = new PackingResult(good.problem(), "forged", 1, bad, load, List.of(), good.lowerBound(), 0, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PackingVerifier.verify(forged))
                .isInstanceOf(VerificationException.class).hasMessageContaining("over its allocatable");
    }

    @Test
    void verifierRejectsALostPod() {
        Workload w = Workload.of(List.of(group("p", 1000, GIB, 2)));
        PackingResult good = PackingTestSupport.pack(w, shape("n", 4000, 16 * GIB, 110, 1.0), "ffd");
        PackingResult forged = new PackingResult(good.problem(), "forged", 1, new int[] {0, -1},
                new long[] {1000, GIB, 1, 0, 0}, List.of(), good.lowerBound(), 0, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PackingVerifier.verify(forged))
                .isInstanceOf(VerificationException.class).hasMessageContaining("neither placed nor reported");
    }
}
