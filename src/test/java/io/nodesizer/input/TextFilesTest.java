package io.nodesizer.input;

import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Input files in the encodings kubectl reads (UTF-8, UTF-16 with a byte-order mark), and a clear error for others. */
final class TextFilesTest {
    @TempDir
    Path dir;

    private static final String POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            + "  containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]\n";

    private Path write(String name, byte[] mark, String text, java.nio.charset.Charset charset) throws Exception {
        Path p = dir.resolve(name);
        byte[] body = text.getBytes(charset);
        byte[] all = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(body, 0, all, mark.length, body.length);
        Files.write(p, all);
        return p;
    }

    @Test
    void utf16WithAByteOrderMarkIsReadAsKubectlReadsIt() throws Exception {
        // Windows PowerShell 5's `kubectl get … -o yaml > f` writes UTF-16LE with a mark.
        Path yaml = write("p.yaml", new byte[] {(byte) 0xFF, (byte) 0xFE}, POD, StandardCharsets.UTF_16LE);
        Path be = write("q.yaml", new byte[] {(byte) 0xFE, (byte) 0xFF}, POD.replace("name: p", "name: q"), StandardCharsets.UTF_16BE);
        Path csv = write("r.csv", new byte[] {(byte) 0xFF, (byte) 0xFE}, "name,cpu,memory,replicas\nweb,250m,512Mi,3\n", StandardCharsets.UTF_16LE);
        Workload w = Inputs.read(List.of(yaml, be, csv));
        assertThat(w.podCount()).isEqualTo(5);
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(500);
    }

    /**
     * UTF-32 with a mark (its little-endian mark begins with UTF-16LE's) is read, JSON and YAML: it
     * was read as UTF-16 and failed on a NUL. A truncated one is an error naming UTF-32.
     */
    @Test
    void utf32WithAByteOrderMarkIsRead() throws Exception {
        java.nio.charset.Charset le = java.nio.charset.Charset.forName("UTF-32LE");
        Path yaml = write("p32.yaml", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, POD, le);
        Path json = write("q32.json", new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"q\"}, \"spec\": {\"containers\": "
                        + "[{\"name\": \"a\", \"resources\": {\"requests\": {\"cpu\": \"250m\"}}}]}}",
                java.nio.charset.Charset.forName("UTF-32BE"));
        Workload w = Inputs.read(List.of(yaml, json));
        assertThat(w.podCount()).isEqualTo(2);
        byte[] whole = Files.readAllBytes(yaml);
        Path cut = dir.resolve("cut32.yaml");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 2));
        assertThatThrownBy(() -> Inputs.read(List.of(cut))).isInstanceOf(InputException.class)
                .hasMessageContaining("The file is not valid UTF-32 text, as its byte-order mark says it is: on this line, the bytes");
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorAtTheirLine() throws Exception {
        Path yaml = write("l.yaml", new byte[0], POD.replace("name: p}", "name: p, labels: {team: caf\u00e9}}"), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Inputs.read(List.of(yaml))).isInstanceOf(InputException.class)
                .hasMessage(yaml + ":3: The file is not UTF-8 text: the byte 0xE9 on this line is not UTF-8; save it as UTF-8 "
                        + "(UTF-16 with a byte-order mark is read too).");
        Path csv = write("l.csv", new byte[0], "name,cpu,memory\nweb,1,1Gi\ncaf\u00e9,1,1Gi\n", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Inputs.read(List.of(csv))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(csv + ":3: The file is not UTF-8 text: the byte 0xE9");
    }

    /**
     * A file its byte-order mark says is UTF-16 but that is not (an odd number of bytes, an unpaired
     * surrogate) is an error at the line of the fault, naming it, as bytes that are not UTF-8 are.
     */
    @Test
    void malformedUtf16IsAnErrorAtItsLine() throws Exception {
        byte[] le = {(byte) 0xFF, (byte) 0xFE};
        Path odd = write("odd.yaml", le, POD + "x", StandardCharsets.UTF_16LE);
        Files.write(odd, java.util.Arrays.copyOf(Files.readAllBytes(odd), Files.readAllBytes(odd).length - 1)); // half of the last 'x'
        assertThatThrownBy(() -> Inputs.read(List.of(odd))).isInstanceOf(InputException.class)
                .hasMessage(odd + ":6: The file is not valid UTF-16 text, as its byte-order mark says it is: on this line, the last "
                        + "byte 0x78 is alone (UTF-16 takes bytes in pairs; the file has an odd number of bytes); save it again as "
                        + "UTF-8 or UTF-16.");
        Path high = unpaired(write("high.yaml", new byte[] {(byte) 0xFE, (byte) 0xFF},
                POD.replace("name: p}", "name: p, labels: {a: \u2603b}}"), StandardCharsets.UTF_16BE), 0xD800, false);
        assertThatThrownBy(() -> Inputs.read(List.of(high))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(high + ":3: The file is not valid UTF-16 text, as its byte-order mark says it is: on this line, "
                        + "the high surrogate 0xD800 has no low surrogate after it;");
        Path low = unpaired(write("low.csv", le, "name,cpu,memory\nweb,1,1Gi\nw\u2603,1,1Gi\n", StandardCharsets.UTF_16LE), 0xDC00, true);
        assertThatThrownBy(() -> Inputs.read(List.of(low))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(low + ":3: The file is not valid UTF-16 text, as its byte-order mark says it is: on this line, "
                        + "the low surrogate 0xDC00 has no high surrogate before it;");
        Path json = unpaired(write("p.json", le, "{\"apiVersion\": \"v1\",\n\"kind\": \"Pod\", \"metadata\": {\"name\": \"\u2603\"}}",
                StandardCharsets.UTF_16LE), 0xD800, true);
        assertThatThrownBy(() -> Inputs.read(List.of(json))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(json + ":2: The file is not valid UTF-16 text");
    }

    /** The file with its one snowman (U+2603) replaced by {@code unit}, a surrogate no encoder writes alone. */
    private static Path unpaired(Path p, int unit, boolean littleEndian) throws Exception {
        byte[] b = Files.readAllBytes(p);
        for (int i = 2; i + 1 < b.length; i += 2) {
            int u = littleEndian ? (b[i + 1] & 0xff) << 8 | b[i] & 0xff : (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
            if (u == 0x2603) {
                b[i + (littleEndian ? 1 : 0)] = (byte) (unit >> 8);
                b[i + (littleEndian ? 0 : 1)] = (byte) unit;
            }
        }
        Files.write(p, b);
        return p;
    }

    /**
     * UTF-16 without a byte-order mark (iconv -t UTF-16LE, PowerShell's Out-File -Encoding unicode without one) was read
     * as UTF-8, and the error echoed a NUL between all letters: it is named, with the conversion to run. JSON, which
     * Jackson reads from its bytes and tells exactly, is still read.
     */
    @Test
    void utf16WithoutAMarkIsRefusedByName() throws Exception {
        Path be = write("be.yaml", new byte[0], POD, StandardCharsets.UTF_16BE);
        assertThatThrownBy(() -> Inputs.read(List.of(be))).isInstanceOf(InputException.class)
                .hasMessage(be + ": Expected UTF-8 text (or UTF-16 with a byte-order mark); found what looks like UTF-16BE without a "
                        + "byte-order mark (every other byte of its start is NUL). Convert it to UTF-8: iconv -f UTF-16BE -t UTF-8 " + be
                        + " > FILE.utf8 (PowerShell: Out-File -Encoding utf8).");
        Path le = write("le.csv", new byte[0], "name,cpu,memory,replicas\nweb,250m,512Mi,3\n", StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> Inputs.read(List.of(le))).hasMessageContaining("looks like UTF-16LE without a byte-order mark")
                .hasMessageNotContaining("\0");
        Path json = write("j.json", new byte[0], "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, "
                + "\"spec\": {\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"1\"}}}]}}", StandardCharsets.UTF_16LE);
        assertThat(Inputs.read(List.of(json)).podCount()).isEqualTo(1);
        // UTF-32 without a mark is named as such, not as UTF-16 (whose conversion would make garbage of it).
        Path wide = write("w.csv", new byte[0], "name,cpu,memory,replicas\nweb,250m,512Mi,3\n", java.nio.charset.Charset.forName("UTF-32LE"));
        assertThatThrownBy(() -> Inputs.read(List.of(wide))).hasMessageContaining("looks like UTF-32LE without a byte-order mark "
                + "(three of every four bytes of its start are NUL)").hasMessageContaining("iconv -f UTF-32LE");
        Path wideBe = write("wb.yaml", new byte[0], POD, java.nio.charset.Charset.forName("UTF-32BE"));
        assertThatThrownBy(() -> Inputs.read(List.of(wideBe))).hasMessageContaining("looks like UTF-32BE without a byte-order mark");
        // UTF-8 text with a NUL here and there is not UTF-16: said as it was.
        assertThat(Inputs.read(List.of(write("n.csv", new byte[0], "name,cpu,memory\nweb,1,1Gi\u0000\n", StandardCharsets.UTF_8)))
                .podCount()).isEqualTo(1);
    }

    /** Messages escape the control characters a file holds (a NUL, a bell), keeping their own line feeds. */
    @Test
    void messagesEscapeControlCharacters() {
        assertThat(new InputException(SourceLocation.ofFile("f\u0007"), "The cpu (x\u0000y\tz\r) must be a quantity.\nnext").getMessage())
                .isEqualTo("f\\x07: The cpu (x\\x00y\\tz\\r) must be a quantity.\nnext");
    }
}
