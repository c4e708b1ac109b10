package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recommend -o json} is written as it is made (a whole catalog's shapes with every pod each
 * leaves out, {@code --max-listed all}, can be gigabytes): the same report to stdout and to a file, every unschedulable
 * pod of every shape listed, {@code generatedAt} last with --timestamp; and a reader that goes away stops it.
 */
class StreamedJsonCliTest {
    private static final String[] RECOMMEND = {"recommend", "--pods", "workloads/shop.csv", "--catalog", "aws", "--families", "m6i,g6",
            "--strategies", "ffd", "--reproducible", "--quiet"};

    private static String[] with(String... more) {
        List<String> args = new ArrayList<>(List.of(RECOMMEND));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void everyShapeListsEveryPodItLeavesOutAsTheCsvCountsThem(@TempDir Path dir) throws Exception {
        CliRunner json = CliRunner.run(with("-o", "json", "--max-listed", "all"));
        assertThat(json.exitCode()).as(json.err()).isZero();
        CliRunner csv = CliRunner.run(with("-o", "csv"));
        List<String> rows = csv.out().lines().toList();
        List<String> header = List.of(rows.get(0).split(","));
        int shapeAt = header.indexOf("shape");
        int unschedulableAt = header.indexOf("unschedulable");
        JsonNode shapes = new ObjectMapper().readTree(json.out()).get("shapes");
        assertThat(shapes.size()).isEqualTo(rows.size() - 1);
        int leftOut = 0;
        for (int i = 0; i < shapes.size(); i++) {
            String[] row = rows.get(i + 1).split(",");
            JsonNode shape = shapes.get(i);
            assertThat(shape.path("shape").path("name").asText()).isEqualTo(row[shapeAt]);
            assertThat(shape.get("unschedulable").size()).as(row[shapeAt]).isEqualTo(Integer.parseInt(row[unschedulableAt]));
            assertThat(shape.get("unschedulableCount").asInt()).as(row[shapeAt]).isEqualTo(Integer.parseInt(row[unschedulableAt]));
            for (JsonNode pod : shape.get("unschedulable")) {
                assertThat(pod.get("pod").asText()).isNotEmpty();
                assertThat(pod.get("reason").asText()).isNotEmpty();
            }
            leftOut += shape.get("unschedulable").size();
        }
        assertThat(leftOut).as("pods left out over all shapes").isGreaterThan(10);

        Path file = dir.resolve("r.json");
        CliRunner toFile = CliRunner.run(with("-o", "json", "--max-listed", "all", "--out", file.toString()));
        assertThat(toFile.exitCode()).as(toFile.err()).isZero();
        assertThat(toFile.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(json.out());
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("r.json"); // no temporary file left
        }
    }

    @Test
    void theTimeComesLastAndTheRestIsTheSame() throws Exception {
        String plain = CliRunner.run(with("-o", "json")).out();
        CliRunner stamped = CliRunner.run(with("-o", "json", "--timestamp"));
        JsonNode tree = new ObjectMapper().readTree(stamped.out());
        List<String> fields = new ArrayList<>();
        tree.fieldNames().forEachRemaining(fields::add);
        assertThat(fields.get(fields.size() - 1)).isEqualTo("generatedAt");
        assertThat(tree.get("generatedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        // The same text with the field taken out: ",\n  "generatedAt" : "…"\n}" becomes "\n}".
        assertThat(stamped.out().replaceFirst(",\n  \"generatedAt\" : \"[^\"]+\"\n}\n$", "\n}\n")).isEqualTo(plain);
    }

    @Test
    void aReaderThatGoesAwayStopsTheReport() {
        long[] taken = {0};
        OutputStream closesSoon = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (taken[0] + len > 100_000) {
                    throw new IOException("Broken pipe");
                }
                taken[0] += len;
            }
        };
        int[] chunks = {0};
        char[] chunk = new char[8_000];
        java.util.Arrays.fill(chunk, 'x');
        CommonOptions common = new CommonOptions();
        common.emit((out, generatedAt) -> {
            for (int i = 0; i < 10_000; i++) { // 80 MB
                out.write(chunk);
                chunks[0]++;
            }
        }, new PrintWriter(closesSoon, true), java.util.List.of());
        assertThat(chunks[0]).as("chunks made before the report stopped").isLessThan(100);
        assertThat(taken[0]).isLessThanOrEqualTo(100_000);
    }
}
