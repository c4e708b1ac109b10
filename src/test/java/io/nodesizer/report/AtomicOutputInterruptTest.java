package io.nodesizer.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run killed while writing its report leaves the previous report as it was: the new content
 * only ever goes to a temporary file until the final move.
 */
final class AtomicOutputInterruptTest {

    /** Child process: writes a large report over {@code args[0]} atomically. */
    public static void main(String[] args) throws Exception {
        AtomicOutput.write(Path.of(args[0]), "x".repeat(400 * 1024 * 1024));
    }

    @Test
    void killedWhileWritingLeavesThePreviousFile(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "previous");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                AtomicOutputInterruptTest.class.getName(), report.toString())).inheritIO().start();
        boolean sawTemp = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sawTemp && child.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                sawTemp = files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
            }
            Thread.sleep(2);
        }
        child.destroyForcibly().waitFor();
        assertThat(sawTemp).as("the child started writing its temporary file before it was killed").isTrue();
        assertThat(Files.readString(report)).isEqualTo("previous");
    }
}
