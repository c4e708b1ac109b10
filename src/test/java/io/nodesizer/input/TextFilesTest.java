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
}
