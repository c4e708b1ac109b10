package io.nodesizer.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** QA 62 item 8: --pods <(cat base.yaml), a FIFO or /dev/null was said not to exist; such a file is read once, as stdin is. */
final class InputsPipeTest {

    @Test
    void aNamedPipeIsReadOnce(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pods");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "skipped: no mkfifo here");
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "name,cpu,memory,replicas\nweb,500m,1Gi,3\n"); // blocks until the reader opens it
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        var w = Inputs.read(List.of(fifo));
        writer.join(10_000);
        assertThat(w.podCount()).isEqualTo(3);
        assertThat(w.groups().get(0).name()).isEqualTo("web");
        // Read again in the same run (windows reads --workload per check draw): the copy, not the drained pipe (review 62).
        var again = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> Inputs.read(List.of(fifo)));
        assertThat(again.podCount()).isEqualTo(3);
    }

    @Test
    void aDeviceIsReadNotSaidToBeMissing() {
        assertThatThrownBy(() -> Inputs.read(List.of(Path.of("/dev/null")))).isInstanceOf(InputException.class)
                .hasMessage("/dev/null: The pipe is empty; expected Kubernetes manifests or a CSV header line.");
        assertThatThrownBy(() -> Inputs.read(List.of(Path.of("/no/such/file")))).hasMessageContaining("The file does not exist");
    }
}
