package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class StdoutWriteTest {
    @TempDir
    Path dir;

    /** Stdout as `> /dev/full` leaves it: every write fails with "No space left on device". */
    private static PrintWriter full() {
        PrintWriter w = new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
        w.print("{\"command\": \"pack\"}");
        w.flush();
        return w;
    }

    @Test
    void aReportCutShortOnAFullDiskIsAnError() throws Exception {
        Path fd = Files.createSymbolicLink(dir.resolve("1"), Path.of("/data/report.json"));
        assertThatThrownBy(() -> CommonOptions.checkWritten(full(), fd)).isInstanceOf(InputException.class)
                .hasMessageContaining("could not be written whole to standard output (/data/report.json)");
    }

    @Test
    void aPipeWhoseReaderWentAwayIsNot() throws Exception {
        Path fd = Files.createSymbolicLink(dir.resolve("1"), Path.of("pipe:[4026]"));
        assertThatCode(() -> CommonOptions.checkWritten(full(), fd)).doesNotThrowAnyException();
    }

    @Test
    void aWholeReportIsFineAndWithoutProcNothingChanges() throws Exception {
        Path fd = Files.createSymbolicLink(dir.resolve("1"), Path.of("/data/report.json"));
        assertThatCode(() -> CommonOptions.checkWritten(new PrintWriter(new StringWriter()), fd)).doesNotThrowAnyException();
        assertThatCode(() -> CommonOptions.checkWritten(full(), dir.resolve("missing"))).doesNotThrowAnyException();
    }
}
