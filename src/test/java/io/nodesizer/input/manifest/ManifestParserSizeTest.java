package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * QA c F1: the 64 Mi-character YAML limit is for files read whole; a snapshot is streamed and reads
 * past it as its JSON does, and where the limit holds the message says it is nodesizer's, not a fault.
 */
final class ManifestParserSizeTest {
    @TempDir
    static Path dir;
    private static Path big;

    /**
     * One List document a little over 64 Mi characters: two pods with a comment between them long
     * enough (a comment counts towards SnakeYAML's per-document limit as any text does) to pass it.
     */
    @BeforeAll
    static void writeBigList() throws IOException {
        big = dir.resolve("big.yaml");
        try (Writer w = Files.newBufferedWriter(big)) {
            w.write("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n");
            char[] line = new char[1023];
            java.util.Arrays.fill(line, 'x');
            line[0] = '#';
            for (int i = 0; i <= ManifestParser.MAX_CODE_POINTS / 1024; i++) {
                w.write(line);
                w.write('\n');
            }
            w.write("- {apiVersion: v1, kind: Pod, metadata: {name: b}}\n");
        }
    }

    @Test
    void aStreamedYamlListOver64MiCharactersReadsWhole() {
        List<String> paths = new ArrayList<>();
        ManifestParser.stream(big, "big.yaml", (object, path) -> paths.add(path));
        assertThat(paths).containsExactly("items[0]", "items[1]");
    }

    @Test
    void aFileReadWholeOver64MiCharactersNamesNodesizersLimitAndJson() {
        assertThatThrownBy(() -> ManifestParser.parse(big, "big.yaml"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("big.yaml:")
                .hasMessageContaining("nodesizer's size limit")
                .hasMessageContaining("64 Mi (67,108,864) characters per document")
                .hasMessageContaining("-o json")
                .hasMessageNotContaining("not valid YAML");
    }
}
