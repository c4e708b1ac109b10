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
 * Packing 150,000 pods onto one shape (EKS m5.4xlarge) when every tenth group spreads over the
 * hostname (DoNotSchedule, maxSkew 1, its own pods): with {@code even} the engine follows
 * kube-scheduler's rule over the packing's nodes (most − fewest ≤ maxSkew: the capped packing,
 * then tries with those groups spread evenly over N nodes first, {@code HostnameSpreads}); without,
 * at most maxSkew per node. The difference is what the even tries cost.
 *
 * <p>Run: {@code benchmarks/run HostnameSpreadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HostnameSpreadBenchmark {

    @Param({"ffd", "kube-most-allocated"})
    public String strategy;

    @Param({"true", "false"})
    public boolean even;

    private PackingProblem problem;
    private LowerBound bound;
    private PackingStrategies strategies;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = BenchWorkloads.withRules(BenchWorkloads.workload("replicated", BenchWorkloads.PODS, 42), g -> List.of(),
                g -> g % 10 == 0 ? List.of(new Placement.Spread(1, true, BenchWorkloads.selecting(g, PodConflicts.HOSTNAME))) : List.of());
        problem = new PackingProblem(DemandTable.of(w), BenchWorkloads.m5x4(), Resources.ZERO);
        bound = LowerBounds.compute(problem);
        strategies = PackingStrategies.byName(strategy);
    }

    @Benchmark
    public PackingResult pack() {
        return PackingEngine.pack(problem, strategies.create(), 1, bound, false, even);
    }
}
