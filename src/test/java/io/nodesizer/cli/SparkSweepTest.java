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
}
