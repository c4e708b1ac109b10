package io.nodesizer.cli;

import io.nodesizer.sweep.RunResult;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

final class SweepRunTest {
    /** Review 76 #6: a run out of memory is its row with the heap advice a command alone gets (exit 1), not an internal error. */
    @Test
    void aRunOutOfMemoryIsAFailedRowWithTheHeapAdvice() {
        RunResult r = SweepRun.guarded(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, new io.nodesizer.report.ThinJsonWriter(), new StringWriter());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).startsWith("nodesizer: out of memory (Java heap of ").contains("NODESIZER_JAVA_OPTS=-Xmx16g")
                .doesNotContain("internal error").doesNotContain("please report");
    }
}
