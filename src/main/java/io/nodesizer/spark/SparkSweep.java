package io.nodesizer.spark;

import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.RunResult;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sweep's command lines on Apache Spark: one job of one task per run, each running the
 * nodesizer command in the executor's JVM exactly as the local engine runs it in-process, results
 * returned in run order. The only package that imports {@code org.apache.spark}; Spark is a
 * provided dependency, so this class loads only when Spark is on the class path.
 */
public final class SparkSweep {
    private SparkSweep() {
    }

    /** Runs one command line (an executor calls this; it must be the same code the local engine runs). */
    @FunctionalInterface
    public interface Runner extends Serializable {
        RunResult run(List<String> argv);
    }

    private record Task(int index, List<String> argv) implements Serializable {
    }

    /** The exit code of a run whose Spark job failed (an executor lost too often, a result too large): said in its row. */
    public static final int JOB_FAILED = 2;

    /**
     * Whether Spark's own settings were given from outside (spark-submit sets them as system properties, which
     * {@code new SparkConf()} loads): then the cluster's logging and UI settings are the user's, not ours to replace.
     */
    public static boolean submitted() {
        return System.getProperty("spark.master") != null;
    }

    /**
     * Runs every command line on Spark and returns the results in order. A job that fails (its task's executor lost
     * more than spark.task.maxFailures times, a result above spark.driver.maxResultSize, a task that could not be sent)
     * gives its own run a failed result naming Spark's reason; the other runs keep theirs. Each run is its own job for
     * that: one job's {@code collect()} is all or nothing, and one bad task lost every finished run (review 76 #1). A few
     * jobs per core are in flight at a time.
     *
     * @param master   a Spark master URL, or null: the one spark-submit set, else {@code local[*]} (in-process, all cores)
     * @param progress told as each run's job ends (on the driver)
     */
    public static List<RunResult> run(List<List<String>> argvs, String master, Runner runner, ProgressListener progress) {
        boolean submitted = submitted();
        // setIfMissing: a user's --conf spark.ui.enabled=true under spark-submit is kept (review 76 #8).
        SparkConf conf = new SparkConf().setAppName("nodesizer sweep")
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        int n = argvs.size();
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            if (!submitted) {
                // In-process, Spark's INFO lines would bury the progress bar; under spark-submit the cluster's log4j
                // configuration is the user's.
                spark.setLogLevel("ERROR");
            }
            AtomicInteger done = new AtomicInteger();
            // At most a few jobs per core in flight: every job submitted at once held its RDD, stage and tasks until the end
            // (500 small pack runs in-process, local[*] on 2 cores: 460-830 MB resident, 334 MB for one job of 500 tasks,
            // 341-429 MB with this window), and a sweep may have 100,000 runs.
            int window = Math.max(2, 4 * spark.defaultParallelism());
            Semaphore inFlight = new Semaphore(window);
            spark.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobEnd(SparkListenerJobEnd jobEnd) {
                    inFlight.release();
                    progress.progress(done.incrementAndGet(), n);
                }
            });
            // Spark's scheduler spreads the jobs' tasks over the executors as they come; runs take from milliseconds to
            // minutes, so a new job goes in as soon as any one ends, not in batches.
            List<JavaFutureAction<List<RunResult>>> jobs = new ArrayList<>(n);
            for (int i = 0; i < n && waitForRoom(inFlight, spark); i++) {
                Task task = new Task(i, List.copyOf(argvs.get(i)));
                jobs.add(spark.parallelize(List.of(task), 1).map(t -> runner.run(t.argv())).collectAsync());
            }
            List<RunResult> results = new ArrayList<>(n);
            String firstFailure = null;
            int failedJobs = 0;
            for (int i = 0; i < n; i++) {
                String failure = i < jobs.size() ? failureOf(jobs.get(i)) : "Spark stopped its context before this run's job was submitted";
                if (failure == null) {
                    results.add(jobs.get(i).get().get(0));
                    continue;
                }
                failedJobs++;
                firstFailure = firstFailure == null ? failure : firstFailure;
                results.add(new RunResult(JOB_FAILED, "", "nodesizer: its Spark job failed (" + failure + "); the executors' logs say "
                        + "more.", 0));
            }
            if (failedJobs == n && n > 0 && spark.sc().isStopped()) {
                // No run came back and Spark stopped its own context: the cluster's failure (a standalone master that cannot
                // be reached gives up after about a minute), not n runs' - said once, naming the master, by the caller.
                throw new IllegalStateException("Spark stopped its context before any run came back (" + firstFailure + ")");
            }
            return results;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e); // failureOf waited for the job: its result is there
        }
    }

    /** Waits until fewer than the window's jobs are in flight; false when Spark has stopped its context meanwhile. */
    private static boolean waitForRoom(Semaphore inFlight, JavaSparkContext spark) {
        try {
            while (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                if (spark.sc().isStopped()) {
                    return false;
                }
            }
            return !spark.sc().isStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The sweep was interrupted.", e);
        }
    }

    /** Why {@code job} failed (the first line of Spark's message: the rest is the executor's stack), or null when it ran. */
    private static String failureOf(JavaFutureAction<List<RunResult>> job) {
        try {
            job.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The sweep was interrupted.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String line = firstLine(String.valueOf(cause.getMessage()));
            return line.isEmpty() ? cause.getClass().getName() : line;
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
