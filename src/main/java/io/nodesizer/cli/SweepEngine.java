package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.RunResult;

import java.util.List;

/**
 * Where a sweep's runs run: {@link LocalSweepEngine} (threads in this JVM) or {@link SparkSweepEngine} (an Apache Spark
 * job). Both run the same checked command lines with {@link SweepRun#run} and return one result per run, in run order.
 */
interface SweepEngine {
    /** The results of {@code argvs}, in their order; {@code progress} is told as runs end. */
    List<RunResult> run(List<List<String>> argvs, ProgressListener progress);

    /** Whether each run should pack on one thread: the runs share the cores. */
    boolean sharesCores();

    /** The phase name for NODESIZER_TIMING. */
    String phase();

    /**
     * The engine {@code name} (--engine), with the sweep's --threads and --master, for {@code runs} runs; the mistakes in
     * these options exit 2 before any run.
     */
    static SweepEngine named(String name, Integer threads, String master, int runs) {
        return switch (name) {
            case "local" -> {
                if (master != null) {
                    throw new InputException(SourceLocation.ofFile("--master"), "--master is for --engine spark.");
                }
                yield new LocalSweepEngine(Math.min(CommonOptions.workers(threads), runs));
            }
            case "spark" -> SparkSweepEngine.of(threads, master);
            default -> throw new InputException(SourceLocation.ofFile("--engine"), "The engine (" + name + ") must be local or spark.");
        };
    }
}
