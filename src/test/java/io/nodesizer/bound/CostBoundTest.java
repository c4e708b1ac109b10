package io.nodesizer.bound;

import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class CostBoundTest {

    /**
     * 40 pods of 2 CPU and 2 GPU pods of 4 CPU: the GPU pods need the GPU node ($3, 16 CPU, 1 GPU),
     * so 2 of them ($6) whose 24 spare CPU take 12 web pods' worth; the other 56 CPU cost at least
     * 7 CPU nodes ($0.5 per 8 CPU): $9.5/h. Without fit classes (every resource pooled over every
     * shape) the bound would be $6 + 56/8 × 0.5 = $9.5 too only because the GPU row forces the GPU
     * nodes; the CPU-only shape holding none of the GPU pods' CPU is what the class rows add.
     */
    @Test
    void theFluidBoundIsTheFractionalCostOfEveryResourceAndDevice() {
        Workload w = Workload.of(List.of(group("web", 2000, 4 * GIB, 40),
                group("train", new Resources(4000, 16 * GIB, 1, 1000, 0), 2)));
        List<NodeShape> shapes = List.of(Fixtures.priced("cpu", 8000, 32 * GIB, 0, 0.5), Fixtures.priced("gpu", 16000, 64 * GIB, 1000, 3.0));
        assertThat(CostBound.fluid(Fixtures.problems(w, shapes), Fixtures.prices(shapes))).isCloseTo(9.5, within(1e-6));
    }

    /** Pods that fit only the large shape must be carried by it: a class row, not the pooled one. */
    @Test
    void podsThatFitOnlyOneShapeMustBeBoughtOnIt() {
        // 4 pods of 12 CPU fit only "big" (16 CPU, $10): fractional 48/16 = 3 big nodes = $30, while
        // pooled over both shapes they would cost 48/8 × $1 = $6 on "small".
        Workload w = Workload.of(List.of(group("wide", 12_000, GIB, 4)));
        List<NodeShape> shapes = List.of(Fixtures.priced("small", 8000, 32 * GIB, 0, 1.0), Fixtures.priced("big", 16000, 64 * GIB, 0, 10.0));
        assertThat(CostBound.fluid(Fixtures.problems(w, shapes), Fixtures.prices(shapes))).isCloseTo(30.0, within(1e-6));
    }

    /** Shares that cannot pair need a device each: ten 0.6 GPU shares need ten devices, not six. */
    @Test
    void gpuSharesThatCannotPairCountWholeDevices() {
        Workload w = Workload.of(List.of(group("share", new Resources(100, GIB, 1, 600, 0), 10)));
        List<NodeShape> shapes = List.of(Fixtures.priced("g1", 8000, 32 * GIB, 1000, 1.0), Fixtures.priced("g4", 32000, 128 * GIB, 4000, 3.9));
        // Cheapest device: g4 at $0.975 each: ≥ 10 × 0.975 = $9.75.
        assertThat(CostBound.fluid(Fixtures.problems(w, shapes), Fixtures.prices(shapes))).isCloseTo(9.75, within(1e-6));
    }

    /** Never above what a real packing costs: random workloads, each shape packed alone by FFD. */
    @Test
    void neverAboveTheCostOfAnyPacking() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            List<PodGroup> groups = new ArrayList<>();
            int types = 1 + rnd.nextInt(8);
            for (int t = 0; t < types; t++) {
                long gpu = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 1000L * (1 + rnd.nextInt(2)) : 100L * (1 + rnd.nextInt(9))) : 0;
                groups.add(group("g" + t, new Resources(250L * (1 + rnd.nextInt(32)), GIB * (1 + rnd.nextInt(24)), 1, gpu, 0),
                        1 + rnd.nextInt(30)));
            }
            Workload w = Workload.of(groups);
            List<NodeShape> shapes = List.of(Fixtures.priced("a", 8000, 32 * GIB, 0, 0.4), Fixtures.priced("b", 16000, 32 * GIB, 2000, 2.5),
                    Fixtures.priced("c", 32000, 128 * GIB, 4000, 5.5));
            List<PackingProblem> ps = Fixtures.problems(w, shapes);
            double bound = CostBound.fluid(ps, Fixtures.prices(shapes));
            for (int s = 0; s < shapes.size(); s++) {
                PackingProblem p = ps.get(s);
                if (p.schedulableGroups().length == w.groups().size()) {
                    int nodes = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1).nodeCount();
                    assertThat(bound).as("trial %d shape %s", trial, shapes.get(s).name())
                            .isLessThanOrEqualTo(nodes * shapes.get(s).pricePerHourUsd() + 1e-9);
                }
            }
            assertThat(bound).isPositive();
        }
    }

    /**
     * Two kinds of pods, each cheapest on its own shape: "cpu" pods (7 CPU) fill a 8-CPU node
     * ($1) 7/8 and a 16-CPU node ($2.2) the same; "mem" pods (30 GiB) fit 1 per 32 GiB node ($1)
     * or 4 per 128 GiB node ($3.6). Over any number of shapes the fluid bound buys cheap CPU on
     * "c8" and cheap memory on "m128"; with one shape allowed it is the cheapest single shape's
     * fluid cost.
     */
    @Test
    void withAtMostKShapesTheBoundIsTheCheapestSubsetOfK() {
        Workload w = Workload.of(List.of(group("cpu", 7000, GIB, 8), group("mem", 500, 30 * GIB, 8)));
        List<NodeShape> shapes = List.of(Fixtures.priced("c8", 8000, 8 * GIB, 0, 1.0), Fixtures.priced("m128", 8000, 128 * GIB, 0, 3.6),
                Fixtures.priced("b", 64_000, 256 * GIB, 0, 12.0));
        List<PackingProblem> ps = Fixtures.problems(w, shapes);
        double any = CostBound.fluid(ps, Fixtures.prices(shapes));
        double one = CostBound.fluid(ps, Fixtures.prices(shapes), 1, 0);
        double two = CostBound.fluid(ps, Fixtures.prices(shapes), 2, 0);
        assertThat(one).isGreaterThan(two);
        assertThat(two).isGreaterThanOrEqualTo(any - 1e-9);
        // One shape: only "m128" and "b" hold the memory pods. On m128: CPU 60/8 = 7.5 nodes,
        // memory 248/128 = 1.94: $27; on b: CPU 60/64, memory 248/256: $11.63 — "b" is cheapest.
        assertThat(one).isCloseTo(12.0 * Math.max(60.0 / 64, 248.0 / 256), within(1e-6));
    }

    /**
     * Pools of at least two nodes: one shape allowed, "b" is the cheapest (11.63 fractional), but
     * two of them cost $24; "m128" twice gives 2 × 128 GiB and 16 CPU, and the other 44 CPU cost
     * 5.5 more m128 nodes: 7.5 × 3.6 = $27. So $24 with one pool; with two pools of two nodes,
     * c8 × 2 + m128 × 2 ($9.2) hold the memory pods and 32 of the 60 CPU; the other 28 CPU are
     * cheapest on c8 ($1 per 8 CPU): 9.2 + 3.5.
     */
    @Test
    void poolsOfAtLeastTheMinimumSize() {
        Workload w = Workload.of(List.of(group("cpu", 7000, GIB, 8), group("mem", 500, 30 * GIB, 8)));
        List<NodeShape> shapes = List.of(Fixtures.priced("c8", 8000, 8 * GIB, 0, 1.0), Fixtures.priced("m128", 8000, 128 * GIB, 0, 3.6),
                Fixtures.priced("b", 64_000, 256 * GIB, 0, 12.0));
        List<PackingProblem> ps = Fixtures.problems(w, shapes);
        assertThat(CostBound.fluid(ps, Fixtures.prices(shapes), 1, 2)).isCloseTo(24.0, within(1e-6));
        assertThat(CostBound.fluid(ps, Fixtures.prices(shapes), 2, 2)).isCloseTo(12.7, within(1e-6));
        assertThat(CostBound.fluid(ps, Fixtures.prices(shapes), 2, 1)).isLessThan(12.7);
    }
}
