package io.nodesizer.rightsize;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage for 10,000 containers in a JVM with a small heap ({@link UsageStreamMeasure}, a fresh JVM
 * per case). Prometheus responses are reduced a series at a time, so three days fit in 64 MiB (and
 * so does a month: see BENCHMARKS.md, measured with the same class); the CSV holds 8 bytes a row
 * until it ends, so a day of it is given 128 MiB.
 */
final class UsageStreamingTest {

    @ParameterizedTest(name = "{0}: {1} containers × {2} days in {4}")
    @CsvSource({
        "prometheus, 10000, 3, 300, 64m",
        "csv,        10000, 1, 300, 128m",
    })
    void tenThousandContainersFitABoundedHeap(String format, int containers, int days, int step, String heap, @TempDir Path dir)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(List.of(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                UsageStreamMeasure.class.getName(), format, Integer.toString(containers), Integer.toString(days), Integer.toString(step)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(containers + " containers advised");
    }
}
