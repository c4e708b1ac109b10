package io.nodesizer.bench;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
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

import java.util.concurrent.TimeUnit;

/**
 * Packing 150,000 pods onto one shape (an EKS m5.4xlarge), one thread. {@code pack} measures the
 * strategy alone on a prepared problem and bound; {@code problemBoundAndPack} adds building the
 * problem and the lower bound, what one shape of a sweep costs.
 *
 * <p>Run: {@code benchmarks/run PackBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PackBenchmark {

    @Param({"replicated", "distinct"})
    public String workload;

    @Param({"ffd", "bfd", "kube-most-allocated"})
    public String strategy;

    private DemandTable table;
    private PackingProblem problem;
    private LowerBound bound;
    private PackingStrategies strategies;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = BenchWorkloads.workload(workload, BenchWorkloads.PODS, 42);
        table = DemandTable.of(w);
        problem = new PackingProblem(table, BenchWorkloads.m5x4(), Resources.ZERO);
        bound = LowerBounds.compute(problem);
        strategies = PackingStrategies.byName(strategy);
    }

    @Benchmark
    public PackingResult pack() {
        return PackingEngine.pack(problem, strategies.create(), 1, bound, false);
    }

    @Benchmark
    public PackingResult problemBoundAndPack() {
        PackingProblem p = new PackingProblem(table, BenchWorkloads.m5x4(), Resources.ZERO);
        return PackingEngine.pack(p, strategies.create(), 1, LowerBounds.compute(p), false);
    }
}
