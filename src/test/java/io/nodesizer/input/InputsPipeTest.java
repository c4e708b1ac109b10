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
        try (RunInputs.Scope run = RunInputs.open()) { // one command run, as Main.run holds it
            var w = Inputs.read(List.of(fifo));
            writer.join(10_000);
            assertThat(w.podCount()).isEqualTo(3);
            assertThat(w.groups().get(0).name()).isEqualTo("web");
            // Read again in the same run (windows reads --workload per check draw): the copy, not the drained pipe (review 62).
            var again = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> Inputs.read(List.of(fifo)));
            assertThat(again.podCount()).isEqualTo(3);
        }
    }

    /** Standard input given to --snapshot - was copied without the 1 GiB cap --pods - has. */
    @Test
    void aSnapshotOnStandardInputIsCappedAsPodsAre() {
        java.io.InputStream stdin = System.in;
        long limit = RunInputs.limit;
        try {
            RunInputs.limit = 1 << 10;
            System.setIn(new java.io.ByteArrayInputStream(("{\"kind\": \"List\", \"items\": []" + " ".repeat(2000) + "}").getBytes()));
            assertThatThrownBy(() -> io.nodesizer.input.manifest.SnapshotReader.read(List.of("-"))).isInstanceOf(InputException.class)
                    .hasMessage("(stdin): The input is larger than 1024 bytes, the most nodesizer reads from standard input or a pipe "
                            + "(a device such as /dev/zero never ends); give a file.");
        } finally {
            RunInputs.limit = limit;
            System.setIn(stdin);
        }
    }

    /**
     * A snapshot on standard input is named as --pods - names it, "(stdin)" (it was "stdin"), and a bare NaN is told to be
     * quoted, not to enable a parser feature (QA 68c F5).
     */
    @Test
    void aSnapshotOnStandardInputIsNamedAsPodsAreAndNaNIsExplained() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("{\"kind\": \"List\", \"items\": [{\"cpu\": NaN}]}".getBytes()));
            assertThatThrownBy(() -> io.nodesizer.input.manifest.SnapshotReader.read(List.of("-"))).isInstanceOf(InputException.class)
                    .hasMessage("(stdin):1:39: The file is not valid JSON: NaN is not a JSON value: write a number, or a quantity as a "
                            + "string such as \"500m\" or \"1.5Gi\".");
        } finally {
            System.setIn(stdin);
        }
    }

    /** UTF-16 without a mark on standard input is named, with the conversion to pipe it through (there is no file to name). */
    @Test
    void utf16WithoutAMarkOnStandardInputIsNamed() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("name,cpu,memory\nweb,1,1Gi\n".getBytes(java.nio.charset.StandardCharsets.UTF_16BE)));
            assertThatThrownBy(() -> Inputs.read(List.of(Path.of("-")))).isInstanceOf(InputException.class)
                    .hasMessage("(stdin): Expected UTF-8 text (or UTF-16 with a byte-order mark); found what looks like UTF-16BE without a "
                            + "byte-order mark (every other byte of its start is NUL). Convert it to UTF-8: pipe it through iconv -f "
                            + "UTF-16BE -t UTF-8 (PowerShell: Out-File -Encoding utf8).");
        } finally {
            System.setIn(stdin);
        }
    }

    /** A pipe's copy is the run's: once the run ends, it is gone (a second run reads the pipe anew). */
    @Test
    void aRunsCopiesEndWithIt() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("name,cpu,memory\nweb,1,1Gi\n".getBytes()));
            Path copy;
            try (RunInputs.Scope run = RunInputs.open()) {
                copy = RunInputs.stdin(Inputs.STDIN);
                try (RunInputs.Scope inner = RunInputs.open()) { // a sweep's run inside it: the same copy
                    assertThat(RunInputs.stdin(Inputs.STDIN)).isEqualTo(copy);
                }
                assertThat(copy).exists();
            }
            assertThat(copy).doesNotExist();
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aDeviceIsReadNotSaidToBeMissing() {
        assertThatThrownBy(() -> Inputs.read(List.of(Path.of("/dev/null")))).isInstanceOf(InputException.class)
                .hasMessage("/dev/null: The character device is empty; expected Kubernetes manifests or a CSV header line.");
        assertThatThrownBy(() -> Inputs.read(List.of(Path.of("/no/such/file")))).hasMessageContaining("The file does not exist");
    }
}
