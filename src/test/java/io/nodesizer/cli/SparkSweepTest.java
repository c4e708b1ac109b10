package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spark engine (in-process local mode) gives the local engine's rows, byte for byte. */
final class SparkSweepTest {
    @TempDir
    Path dir;

    @Test
    void sparkGivesTheSameRowsAsTheLocalEngine() throws Exception {
        Path f = dir.resolve("scenarios.yaml");
        Files.writeString(f, """
                scenarios:
                  - name: grow
                    command: recommend
                    args: {pods: workloads/shop.csv, families: "m5,r5", strategies: ffd}
                    vary: {growth: "1.0..2.0 step 0.5"}
                  - name: week
                    command: replay
                    args: {synthetic: diurnal, node: "aws:m5.4xlarge", duration: 2d}
                    vary: {seed: "1..3"}
                  - name: shapes
                    command: pack
                    args: {pods: workloads/shop.csv, strategy: ffd}
                    vary: {node: ["aws:m5.2xlarge", "aws:r5.4xlarge"]}
                  - name: broken
                    command: recommend
                    args: {families: "m5,m6g", strategies: ffd}
                    vary: {max-cpu: [1]}
                """);
        CliRunner local = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        CliRunner spark = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet",
                "--engine", "spark", "--master", "local[2]");
        assertThat(local.exitCode()).isEqualTo(2); // the broken run
        assertThat(spark.exitCode()).as(spark.err()).isEqualTo(2);
        assertThat(spark.out()).isEqualTo(local.out());
        assertThat(spark.out()).contains("\"runs\" : 9");

        CliRunner wrong = CliRunner.run("sweep", "--scenarios", f.toString(), "--master", "local[2]");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--master is for --engine spark");
        assertThat(CliRunner.run("sweep", "--scenarios", f.toString(), "--engine", "flink").err()).contains("must be local or spark");
    }

    /**
     * Review 76 #1: a job that failed once its tasks ran (a task that threw, an executor lost, a result too large) threw
     * Spark's checked SparkException past the engine's catch: "internal error" with Spark's stack, exit 1, and every finished
     * run lost. Each run is its own job now: the failed one is its row, exit 2 with Spark's reason, the others are kept.
     */
    @Test
    void aFailedSparkJobIsItsRunsRowAndTheOtherRunsAreKept() {
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<io.nodesizer.sweep.RunResult> results = io.nodesizer.spark.SparkSweep.run(
                java.util.List.of(java.util.List.of("one"), java.util.List.of("boom"), java.util.List.of("three")), "local[2]",
                SparkSweepTest::runOrThrow, (done, total) -> told.set(done));
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isEqualTo(new io.nodesizer.sweep.RunResult(0, "one", "", 0));
        assertThat(results.get(2)).isEqualTo(new io.nodesizer.sweep.RunResult(0, "three", "", 0));
        assertThat(results.get(1).exitCode()).isEqualTo(2);
        assertThat(results.get(1).err()).startsWith("nodesizer: its Spark job failed (").contains("the executors' logs")
                .doesNotContain("\n\tat ");
        assertThat(told.get()).isEqualTo(3);
    }

    /** A task that throws for "boom", as a lost executor or a task error aborts its job. */
    private static io.nodesizer.sweep.RunResult runOrThrow(java.util.List<String> argv) {
        if (argv.get(0).equals("boom")) {
            throw new IllegalStateException("boom");
        }
        return new io.nodesizer.sweep.RunResult(0, argv.get(0), "", 0);
    }

    /** Review 76 #8 and #1: --threads is not ignored beside a master, and Spark's test-only local-cluster is refused up front. */
    @Test
    void threadsBesideAMasterAndLocalClusterAreRefusedBeforeSparkStarts() throws Exception {
        Path f = dir.resolve("scenarios.yaml");
        Files.writeString(f, "scenarios:\n  - name: a\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n");
        CliRunner threads = CliRunner.run("sweep", "--scenarios", f.toString(), "--engine", "spark", "--master", "local[2]", "--threads", "2");
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads: --threads sets how many runs in-process Spark runs at once (local[N]); on local[2]");
        CliRunner cluster = CliRunner.run("sweep", "--scenarios", f.toString(), "--engine", "spark", "--master", "local-cluster[1,1,1024]");
        assertThat(cluster.exitCode()).isEqualTo(2);
        assertThat(cluster.err()).contains("The Spark master (local-cluster[1,1,1024]) must be");
    }

    /**
     * Review 76 #5: on a cluster in client mode the executors read relative paths in their own directories; the driver ships
     * the paths that exist here as absolute ones, and leaves the rest (a catalog name, an inline shape) as written.
     */
    @Test
    void relativePathsThatExistHereAreShippedAbsolute() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "name,cpu,memory,replicas\nweb,1,1Gi,1\n");
        Files.writeString(dir.resolve("f.json"), "{}");
        java.util.List<java.util.List<String>> shipped = SparkSweepEngine.absolutePaths(java.util.List.of(java.util.List.of("pack",
                "--pods", "a.csv,missing.csv", "--fleet", "f.json", "--node", "aws:m5.large", "--seed", "1")), dir);
        assertThat(shipped.get(0)).containsExactly("pack", "--pods", dir.resolve("a.csv") + ",missing.csv", "--fleet",
                dir.resolve("f.json").toString(), "--node", "aws:m5.large", "--seed", "1");
        java.util.List<java.util.List<String>> recommend = SparkSweepEngine.absolutePaths(java.util.List.of(java.util.List.of("recommend",
                "--catalog", "aws", "--pods", dir.resolve("a.csv").toString())), dir);
        assertThat(recommend.get(0)).containsExactly("recommend", "--catalog", "aws", "--pods", dir.resolve("a.csv").toString());
    }
}
