package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file under src/test/resources/bad/ is a user mistake. The CLI must exit 2 and print exactly
 * the message pinned in expected.tsv (file, then the message after "nodesizer: <dir>/"), one line,
 * no stack trace, and nothing on standard output.
 */
final class BadInputCorpusTest {
    private static final Path DIR = Path.of("src", "test", "resources", "bad");

    record Case(String file, String message) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> cases() throws IOException {
        return Files.readAllLines(DIR.resolve("expected.tsv")).stream().filter(l -> !l.isBlank())
                .map(l -> new Case(l.substring(0, l.indexOf('\t')), l.substring(l.indexOf('\t') + 1))).toList();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void exitsTwoWithThePinnedMessage(Case c) {
        CliRunner r = CliRunner.run("pack", "--pods", DIR.resolve(c.file()).toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: " + DIR + "/" + c.message() + "\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void everyCorpusFileHasAnExpectedMessage() throws IOException {
        List<String> expected = cases().stream().map(Case::file).toList();
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("expected.tsv")).sorted().toList())
                    .containsExactlyElementsOf(expected.stream().sorted().toList());
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void theReadmeCountsTheCorpus() throws IOException {
        // It said 67 when there were 73 (QA 52a F7): a case added here must be counted there too.
        String readme = Files.readString(Path.of("README.md"));
        java.util.regex.Matcher said = java.util.regex.Pattern.compile("`src/test/resources/bad/` holds (\\d+) bad inputs").matcher(readme);
        assertThat(said.find()).as("README names the corpus and its size").isTrue();
        assertThat(Integer.parseInt(said.group(1))).isEqualTo(cases().size());
    }
}
