package io.nodesizer.bench;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeSweep;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code recommend}'s core: 300 shapes × the 150,000-pod replicated workload, 2 threads, each
 * shape packed with the strategy set and verified, as the CLI does.
 *
 * <p>Run: {@code benchmarks/run ShapeSweepBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class ShapeSweepBenchmark {

    /** What {@code recommend --strategies auto} runs above 20,000 pods. */
    @Param({"ffd"})
    public String strategies;

    @Param({"300"})
    public int shapes;

    private Workload workload;
    private List<NodeShape> candidates;
    private List<PackingStrategies> chosen;

    @Setup
    public void setUp() {
        workload = BenchWorkloads.workload("replicated", BenchWorkloads.PODS, 42);
        candidates = BenchWorkloads.shapes(shapes);
        chosen = java.util.Arrays.stream(strategies.split(",")).map(PackingStrategies::byName).toList();
    }

    @Benchmark
    public List<ShapeEvaluation> sweep() {
        return ShapeSweep.run(workload, candidates, chosen, 1, 2, ProgressListener.NONE);
    }
}
