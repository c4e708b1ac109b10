package io.nodesizer.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a sweep's command lines as an Apache Spark job: one task per run, each running the
 * nodesizer command in the executor's JVM exactly as the local engine runs it in-process, results
 * collected in run order. The only package that imports {@code org.apache.spark}; Spark is a
 * provided dependency, so this class loads only when Spark is on the class path.
 */
public final class SparkSweep {
    private SparkSweep() {
    }

    /**
     * What a command run returns: what the local engine records for a run. {@code out} is the
     * digest of the run's JSON report (its headline figures), or its output when that is not JSON.
     */
    public record Result(int exitCode, String out, String err, long elapsedNanos) implements Serializable {
    }

    /** Runs one command line (an executor calls this; it must be the same code the local engine runs). */
    @FunctionalInterface
    public interface Runner extends Serializable {
        Result run(List<String> argv);
    }

    private record Task(int index, List<String> argv) implements Serializable {
    }

    /**
     * Runs every command line on Spark and returns the results in order.
     *
     * @param master a Spark master URL, or null: the one spark-submit set, else {@code local[*]}
     *               (in-process, all cores)
     */
    public static List<Result> run(List<List<String>> argvs, String master, Runner runner) {
        SparkConf conf = new SparkConf().setAppName("nodesizer sweep")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < argvs.size(); i++) {
            tasks.add(new Task(i, List.copyOf(argvs.get(i))));
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("ERROR");
            // One partition per run: runs take from milliseconds to minutes, so let the scheduler spread them.
            List<Result> collected = spark.parallelize(tasks, Math.max(1, tasks.size()))
                    .map(t -> runner.run(t.argv()))
                    .collect();
            return new ArrayList<>(collected);
        }
    }
}
