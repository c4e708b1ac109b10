package io.nodesizer.pattern;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.MIB;
import static io.nodesizer.testkit.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

final class MixedPoolsTest {

    private static MixedPools.Settings settings(int k, int min) {
        return new MixedPools.Settings(k, min, 8, PatternPacking.Limits.defaults());
    }

    /**
     * 40 CPU pods (2 CPU, 4 GiB) and 2 GPU pods (4 CPU, 16 GiB, 1 GPU). Only the GPU node ($3/h,
     * 16 CPU, 1 GPU) holds the GPU pods; CPU pods are cheaper on the CPU node ($0.5/h, 8 CPU).
     * GPU shape alone: 2 GPU nodes hold 2×(4 + 6×2) CPU, the rest 28 pods need ⌈28/8⌉ = 4 more
     * GPU nodes: $18/h. Mixed: 2 GPU nodes ($6) with 6 CPU pods each, 28 CPU pods on 7 CPU nodes
     * ($3.5): $9.5/h, which is also the LP optimum (every node full on CPU, no cheaper CPU per $).
     */
    @Test
    void gpuPodsGoToGpuNodesAndTheRestToCheaperOnes() {
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 40),
                group("train", new Resources(4000, 16 * GIB, 1, 1000, 0), 2)));
        List<NodeShape> shapes = List.of(Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5), Fixtures.priced("gpu", 16000, 64 * GIB, 1000, 3.0));
        MixedPools.Result r = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(2, 1));
        assertThat(r.costPerHour()).isCloseTo(9.5, within(1e-9));
        assertThat(r.nodesPerShape(2)).containsExactly(7, 2);
        assertThat(r.lowerBoundCostPerHour()).isCloseTo(9.5, within(1e-6));
        assertThat(r.assignment()).doesNotContain(-1);
    }

    @Test
    void oneShapeAllowedMeansTheCheapestSingleShape() {
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 40),
                group("train", new Resources(4000, 16 * GIB, 1, 1000, 0), 2)));
        List<NodeShape> shapes = List.of(Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5), Fixtures.priced("gpu", 16000, 64 * GIB, 1000, 3.0));
        MixedPools.Result r = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(1, 1));
        assertThat(r.nodesPerShape(2)).containsExactly(0, 6);
        assertThat(r.costPerHour()).isCloseTo(18.0, within(1e-9));
    }

    @Test
    void aPoolBelowTheMinimumSizeIsDroppedFromTheMix() {
        // Mixed optimum uses 7 CPU nodes + 2 GPU nodes; with at least 3 nodes per pool the GPU pool
        // cannot stay at 2, and no mix without it holds the GPU pods, so the GPU pool grows: the
        // answer is the GPU shape alone (6 nodes), never a pool of 2.
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 40),
                group("train", new Resources(4000, 16 * GIB, 1, 1000, 0), 2)));
        List<NodeShape> shapes = List.of(Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5), Fixtures.priced("gpu", 16000, 64 * GIB, 1000, 3.0));
        int[] single = new int[6];
        java.util.Arrays.fill(single, 1);
        MixedPools.Result incumbent = new MixedPools.Result(single, firstFitOnGpu(), 18.0, 0, 0, 0, 0, 0);
        MixedPools.Result r = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), incumbent, settings(2, 3));
        for (int n : r.nodesPerShape(2)) {
            assertThat(n == 0 || n >= 3).isTrue();
        }
    }

    /** The 42 pods of the tests above on six GPU nodes: the 2 GPU pods first, then 7 web pods per node... */
    private static int[] firstFitOnGpu() {
        int[] a = new int[42];
        // web pods 0..39: 6 per node on nodes 0-1 (which also hold a GPU pod), 8 per node on nodes 2..4, 4 on node 5
        int pod = 0;
        int[] perNode = {6, 6, 8, 8, 8, 4};
        for (int node = 0; node < 6; node++) {
            for (int i = 0; i < perNode[node]; i++) {
                a[pod++] = node;
            }
        }
        a[40] = 0;
        a[41] = 1;
        return a;
    }

    @Test
    void aPodThatFitsNoCandidateIsNamed() {
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 4), group("huge", 64_000, 4 * GIB, 1)));
        List<NodeShape> shapes = List.of(Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5));
        assertThatThrownBy(() -> MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The pod huge-0 (64 CPU, 4 GiB memory) fits none of the 1 candidate shapes (cpu: needs 64 CPU")
                .hasMessageContaining("Add a shape that holds it");
        // A node selector no shape meets is named as such, not as a size (QA 49c F6).
        io.nodesizer.model.Placement pinned = io.nodesizer.model.Placement.ANY.withNodeSelectorAndTolerations(java.util.Map.of("pool", "a"),
                List.of());
        PodGroup t1 = group("t1", 500, GIB, 2);
        Workload selected = Workload.of(List.of(group("web", 2000, 4 * GIB, 4), new PodGroup(t1.name(), t1.kind(), t1.request(), t1.replicas(),
                t1.singlePod(), t1.lifetime(), t1.origin(), t1.gpuModels(), t1.template(), pinned)));
        assertThatThrownBy(() -> MixedPools.solve(Fixtures.problems(selected, shapes), Fixtures.prices(shapes), null, settings(2, 1)))
                .hasMessageContaining("fits none of the 1 candidate shapes (cpu: ").hasMessageContaining("pool");
    }

    /** The reason is the nearest candidate's, whatever their order: the most room for the pod's most-overshot resource. */
    @Test
    void aPodThatFitsNoCandidateIsNamedOnTheNearest() {
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 4), group("huge", 64_000, 100 * GIB, 1)));
        List<NodeShape> shapes = List.of(Fixtures.priced("small", 8000, 32 * GIB, 0, 0.5), Fixtures.priced("wide", 48_000, 96 * GIB, 0, 2.0),
                Fixtures.priced("deep", 32_000, 256 * GIB, 0, 2.0));
        for (List<NodeShape> order : List.of(shapes, shapes.reversed())) {
            var problems = Fixtures.problems(w, order);
            var none = MixedPools.fitNone(problems, problems.get(0).table());
            assertThat(none).containsOnlyKeys(1);
            assertThat(none.get(1)).startsWith("wide: needs 64 CPU"); // 64 over 48 CPU is nearer than deep's 64 over 32, or small's memory
        }
    }

    /** Random workloads over a few priced shapes: the mix never costs more than the incumbent nor less than its bound. */
    @Test
    void mixesAreBoundedAndNeverWorseThanTheIncumbent() {
        for (long seed = 1; seed <= 12; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 4 + (int) (seed % 9), 20, 7000, 30L * GIB, false);
            List<NodeShape> shapes = List.of(Fixtures.priced("s", 8000, 16 * GIB, 0, 0.40), Fixtures.priced("m", 16000, 64 * GIB, 0, 0.90),
                    Fixtures.priced("l", 32000, 128 * GIB, 0, 1.70));
            List<PodGroup> groups = w.groups();
            assertThat(groups).isNotEmpty();
            MixedPools.Result r = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(2, 1));
            assertThat(r.lowerBoundCostPerHour()).as("seed %d", seed).isLessThanOrEqualTo(r.costPerHour() + 1e-9);
            assertThat(java.util.Arrays.stream(r.nodesPerShape(3)).filter(n -> n > 0).count()).isLessThanOrEqualTo(2);
            MixedPools.Result again = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), r, settings(2, 1));
            assertThat(again.costPerHour()).isLessThanOrEqualTo(r.costPerHour());
            assertThat(again.assignment()).isEqualTo(r.assignment()); // deterministic, and the incumbent is kept on ties
        }
    }

    /**
     * Random workloads over five priced shapes: a looser minimum pool size never answers dearer than
     * the production minimum of two (every mix with pools of two nodes has pools of one), and a pool
     * more allowed never answers dearer than one fewer (checked at the production minimum).
     */
    @Test
    void aLooserMinimumOrAPoolMoreNeverCostsMore() {
        List<NodeShape> shapes = List.of(Fixtures.priced("s", 4000, 8 * GIB, 0, 0.17), Fixtures.priced("c", 8000, 16 * GIB, 0, 0.34),
                Fixtures.priced("m", 16000, 64 * GIB, 0, 0.77), Fixtures.priced("r", 16000, 128 * GIB, 0, 1.01),
                Fixtures.priced("l", 32000, 128 * GIB, 0, 1.54));
        for (long seed = 1; seed <= 6; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3 + (int) (seed % 5), 12, 7000, 30L * GIB, false);
            double previous = Double.POSITIVE_INFINITY;
            for (int k = 1; k <= 3; k++) {
                MixedPools.Result tight = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(k, 2));
                MixedPools.Result loose = MixedPools.solveNoDearerThanTighter(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null,
                        settings(k, 1));
                assertThat(loose.costPerHour()).as("seed %d, k %d: N = 1 vs N = 2", seed, k).isLessThanOrEqualTo(tight.costPerHour() + 1e-9);
                assertThat(loose.assignment()).doesNotContain(-1);
                assertThat(tight.costPerHour()).as("seed %d: k %d vs k - 1", seed, k).isLessThanOrEqualTo(previous + 1e-9);
                previous = tight.costPerHour();
            }
        }
    }

    /**
     * The sets dived must not hang on the path the duals take. A random instance, shrunk (six shapes,
     * ten pod types, k = 3, pools of at least two): the LP over every shape uses c.32, r.64 and m.48,
     * and the set bound's rounds solve {c.32, r.8}, {c.32, r.8, r.48} and {c.32, r.4, r.64}; their
     * dives reach $16.88/h at best. The bound's last cuts leave {c.32, r.4, r.48} among the sets whose
     * whole node counts may cost as little as the bound, $16.752/h (9 × 0.96 + 3 × 0.208 + 3 × 2.496),
     * and its dive packs every pod on exactly those nodes: the mix is proved optimal (before, $16.88/h).
     */
    @Test
    void theSetsTheBoundRanksMostPromisingAreDived() {
        List<NodeShape> shapes = List.of(Fixtures.priced("c.32", 31_900, 65_024 * MIB, 0, 0.96),
                Fixtures.priced("m.48", 47_900, 196_096 * MIB, 0, 2.4), Fixtures.priced("r.4", 3_900, 32_256 * MIB, 0, 0.208),
                Fixtures.priced("r.8", 7_900, 65_024 * MIB, 0, 0.416), Fixtures.priced("r.48", 47_900, 392_704 * MIB, 0, 2.496),
                Fixtures.priced("r.64", 63_900, 523_776 * MIB, 0, 3.328));
        Workload w = Workload.of(List.of(group("g0", 2840, 10_058 * MIB, 22), group("g1", 3774, 7962 * MIB, 23),
                group("g2", 2697, 3114 * MIB, 26), group("g3", 2082, 9311 * MIB, 14), group("g5", 369, 13_804 * MIB, 4),
                group("g6", 844, 6136 * MIB, 27), group("g7", 2224, 5026 * MIB, 30), group("g8", 3015, 3123 * MIB, 6),
                group("g9", 438, 14_537 * MIB, 3), group("g10", 2901, 13_005 * MIB, 27)));
        MixedPools.Result r = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null, settings(3, 2));
        assertThat(r.costPerHour()).isCloseTo(r.lowerBoundCostPerHour(), within(1e-6));
        assertThat(r.costPerHour()).isCloseTo(16.752, within(1e-6));
        assertThat(r.assignment()).doesNotContain(-1);
    }

    /**
     * A pool padded to its minimum has room: a big node with 4 CPU of pods and an empty big node
     * (16 CPU each), and three small nodes (4 CPU) with 3 CPU each. The small nodes' pods move into
     * the big nodes' room and the small nodes go; the big pool stays at its minimum of two.
     */
    @Test
    void drainEmptiesNodesIntoPaddedRoom() {
        Workload w = Workload.of(List.of(group("web", 1000, GIB, 13)));
        List<NodeShape> shapes = List.of(Fixtures.priced("big", 16000, 64 * GIB, 0, 4.0), Fixtures.priced("small", 4000, 16 * GIB, 0, 1.1));
        List<RequestTypes> views = RequestTypes.shared(Fixtures.problems(w, shapes));
        List<ColumnGeneration.Column> nodes = List.of(new ColumnGeneration.Column(0, new int[] {4}),
                new ColumnGeneration.Column(0, new int[] {0}), new ColumnGeneration.Column(1, new int[] {3}),
                new ColumnGeneration.Column(1, new int[] {3}), new ColumnGeneration.Column(1, new int[] {3}));
        List<ColumnGeneration.Column> drained = MixedPools.drain(views, nodes, 2);
        assertThat(drained).extracting(ColumnGeneration.Column::shape).containsExactly(0, 0);
        assertThat(drained.stream().mapToInt(c -> c.counts()[0]).sum()).isEqualTo(13);
        assertThat(drained).allSatisfy(c -> assertThat(c.counts()[0]).isLessThanOrEqualTo(16));
    }

    /**
     * Pools at their minimum go only as a whole. Two full big nodes and two small nodes of one pod:
     * the small pods fit no big node, so nothing moves; with room on the big nodes the whole small
     * pool goes, never just one of its nodes.
     */
    @Test
    void drainRemovesAPoolAtItsMinimumOnlyWhole() {
        Workload w = Workload.of(List.of(group("wide", 8000, GIB, 4), group("web", 1000, GIB, 2)));
        List<NodeShape> shapes = List.of(Fixtures.priced("big", 16000, 64 * GIB, 0, 4.0), Fixtures.priced("small", 4000, 16 * GIB, 0, 1.1));
        List<RequestTypes> views = RequestTypes.shared(Fixtures.problems(w, shapes));
        List<ColumnGeneration.Column> full = List.of(new ColumnGeneration.Column(0, new int[] {2, 0}),
                new ColumnGeneration.Column(0, new int[] {2, 0}), new ColumnGeneration.Column(1, new int[] {0, 1}),
                new ColumnGeneration.Column(1, new int[] {0, 1}));
        assertThat(MixedPools.drain(views, full, 2)).hasSize(4);
        List<ColumnGeneration.Column> room = List.of(new ColumnGeneration.Column(0, new int[] {1, 0}),
                new ColumnGeneration.Column(0, new int[] {1, 0}), new ColumnGeneration.Column(1, new int[] {0, 1}),
                new ColumnGeneration.Column(1, new int[] {0, 1}));
        assertThat(MixedPools.drain(views, room, 2)).extracting(ColumnGeneration.Column::shape).containsExactly(0, 0);
    }

    /**
     * Shapes see different resources (each view has its own active dimensions): with the GPU shape
     * first, and with a shape whose ephemeral storage only some pods ask for, every node of the mix
     * stays within every resource of its own shape (review regression: the drain read the first
     * view's dimensions for every node).
     */
    @Test
    void everyNodeOfAMixFitsItsOwnShapeWhateverTheCandidateOrder() {
        Workload gpu = Workload.of(List.of(group("web", 2000, 4 * GIB, 40),
                group("train", new Resources(4000, 16 * GIB, 1, 1000, 0), 2)));
        List<NodeShape> gpuFirst = List.of(Fixtures.priced("gpu", 16000, 64 * GIB, 1000, 3.0), Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5));
        MixedPools.Result r = MixedPools.solve(Fixtures.problems(gpu, gpuFirst), Fixtures.prices(gpuFirst), null, settings(2, 1));
        assertThat(r.costPerHour()).isCloseTo(9.5, within(1e-9));
        Workload disk = Workload.of(List.of(group("web", 1000, GIB, 4),
                group("disk", new Resources(1000, GIB, 1, 0, 60 * GIB), 2)));
        Resources a = new Resources(8000, 32 * GIB, 110, 0, 0);
        Resources b = new Resources(16000, 64 * GIB, 110, 0, 100 * GIB);
        List<NodeShape> shapes = List.of(new NodeShape("a", "test", "test", "amd64", a, a, "none", 0.5),
                new NodeShape("b", "test", "test", "amd64", b, b, "none", 1.0));
        MixedPools.Result m = MixedPools.solve(Fixtures.problems(disk, shapes), Fixtures.prices(shapes), null, settings(2, 1));
        // Two 60 GiB disks never share a 100 GiB node: at least two b nodes.
        assertThat(m.nodesPerShape(2)[1]).isGreaterThanOrEqualTo(2);
    }
}
