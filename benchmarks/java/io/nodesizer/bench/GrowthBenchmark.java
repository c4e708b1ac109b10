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
 * How packing time grows with the workload: ffd (and the lower bounds, separately) at 10k, 50k,
 * 150k and 1M pods of {@link BenchWorkloads}' replicated and distinct kinds on one m5.4xlarge-like
 * shape (~30 pods per node, so nodes grow with pods: ~330 to ~33,000). For the n log n question.
 *
 * <p>Run: {@code benchmarks/run GrowthBenchmark -wi 2 -i 3 -f 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class GrowthBenchmark {

    @Param({"10000", "50000", "150000", "1000000"})
    public int pods;

    @Param({"replicated", "distinct"})
    public String workload;

    private PackingProblem problem;
    private LowerBound bound;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = BenchWorkloads.workload(workload, pods, 42);
        problem = new PackingProblem(DemandTable.of(w), BenchWorkloads.m5x4(), Resources.ZERO);
        bound = LowerBounds.compute(problem);
    }

    @Benchmark
    public PackingResult ffd() {
        return PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1, bound, false);
    }

    @Benchmark
    public LowerBound bounds() {
        return LowerBounds.compute(problem);
    }
}
