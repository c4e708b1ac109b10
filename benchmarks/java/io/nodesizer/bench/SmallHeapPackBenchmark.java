package io.nodesizer.bench;

import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.FirstFitDecreasing;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The 150,000-pod workload read into records, turned into a problem, bounded, packed and verified
 * in a JVM limited to 256 MB of heap: the run completing is the proof that it fits.
 *
 * <p>Run: {@code benchmarks/run SmallHeapPackBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SmallHeapPackBenchmark {

    @Param({"replicated", "distinct"})
    public String workload;

    private Workload w;

    @Setup
    public void setUp() {
        w = BenchWorkloads.workload(workload, BenchWorkloads.PODS, 42);
    }

    @Benchmark
    public PackingResult packAndVerifyIn256m() {
        PackingProblem p = new PackingProblem(DemandTable.of(w), BenchWorkloads.m5x4(), Resources.ZERO);
        return PackingEngine.pack(p, new FirstFitDecreasing(), 1, LowerBounds.compute(p), true);
    }
}
