package io.nodesizer.bench;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.PatternPacking;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The optimizer, one thread, on the 96-CPU / 768 GiB / 110-pod / 8-GPU node of the quality bar.
 * {@code lpBound150k}: the pattern LP bound (column generation at the root) for 150,000 pods of
 * 150 distinct request vectors, seeded like openb (CPU 0.1–24 cores, memory 0.5–64 GiB, a third
 * of them with 1–8 GPUs or a GPU share). {@code optimizeOpenbDefault}: heuristics (ffd,
 * kube-most-allocated), pattern method and local search on the Alibaba openb default pod list
 * (skipped with a message when ../shared/data is absent), as {@code pack --strategy optimize} runs it.
 *
 * <p>Run: {@code benchmarks/run OptimizeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class OptimizeBenchmark {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final Path OPENB = Path.of("..", "shared", "data", "traces", "alibaba-openb", "openb_pod_list_default.csv");

    private PackingProblem problem150k;
    private ShapeEvaluator openb;
    private NodeShape shape;

    static NodeShape bigGpuNode() {
        Resources cap = new Resources(96_000, 768 * GIB, 110, 8_000, 0);
        return new NodeShape("custom-96c-768g-8gpu", "inline", "inline", "amd64", cap, cap, "none", null);
    }

    /** 150 seeded request vectors × 1,000 replicas. */
    static Workload distinctVectors(int vectors, int replicas, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < vectors; i++) {
            long cpu = 100 + random.nextLong(24_000);
            long mem = GIB / 2 + random.nextLong(64 * GIB);
            long gpu = random.nextInt(3) != 0 ? 0 : random.nextBoolean() ? 1000L * (1 + random.nextInt(8)) : 50L * (1 + random.nextInt(19));
            groups.add(new PodGroup("v" + i, "bench", new Resources(cpu, mem, 1, gpu, 0), replicas, false, null,
                    new SourceRef("bench", i + 1)));
        }
        return Workload.of(groups);
    }

    @Setup(Level.Trial)
    public void setUp() {
        shape = bigGpuNode();
        problem150k = new PackingProblem(DemandTable.of(distinctVectors(150, 1_000, 42)), shape, Resources.ZERO);
        if (Files.isRegularFile(OPENB)) {
            Workload w = Inputs.read(List.of(OPENB));
            openb = new ShapeEvaluator(DemandTable.of(w), w.daemonSets(),
                    List.of(PackingStrategies.FFD, PackingStrategies.KUBE_MOST_ALLOCATED), 1, ShapeEvaluator.OptimizeMode.ALWAYS,
                    ShapeOptimizer.Settings.defaults());
        } else {
            System.err.println("optimizeOpenbDefault: skipped, " + OPENB.toAbsolutePath() + " not found");
        }
    }

    @Benchmark
    public PatternPacking.Outcome lpBound150k() {
        return PatternPacking.bound(problem150k, PatternPacking.Limits.defaults());
    }

    @Benchmark
    public ShapeEvaluation optimizeOpenbDefault() {
        return openb == null ? null : openb.evaluate(shape).evaluation();
    }
}
