package io.nodesizer.bench;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Packing 150,000 pods onto one shape (EKS m5.4xlarge) when every tenth group's replicas repel
 * each other (required pod anti-affinity on the hostname): the ledger's per-node conflict check
 * and the fit tree's leaf checks on top of {@link PackBenchmark}'s replicated workload. With
 * {@code zones = 3} every group also spreads over three zones (DoNotSchedule, maxSkew 1): the
 * ledger's per-zone counts, zone-aware node opening, and first fit searching from the first node
 * again for spread groups.
 *
 * <p>Run: {@code benchmarks/run AntiAffinityBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AntiAffinityBenchmark {

    @Param({"ffd", "bfd", "kube-most-allocated"})
    public String strategy;

    @Param({"1", "3"})
    public int zones;

    private PackingProblem problem;
    private LowerBound bound;
    private PackingStrategies strategies;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = BenchWorkloads.withRules(BenchWorkloads.workload("replicated", BenchWorkloads.PODS, 42),
                g -> g % 10 == 0 ? List.of(BenchWorkloads.selecting(g, PodConflicts.HOSTNAME)) : List.of(),
                g -> zones > 1 ? List.of(new Placement.Spread(1, true, BenchWorkloads.selecting(g, PodConflicts.ZONE))) : List.of());
        problem = new PackingProblem(DemandTable.of(w, zones), BenchWorkloads.m5x4(), Resources.ZERO);
        bound = LowerBounds.compute(problem);
        strategies = PackingStrategies.byName(strategy);
    }

    @Benchmark
    public PackingResult pack() {
        return PackingEngine.pack(problem, strategies.create(), 1, bound, false);
    }
}
