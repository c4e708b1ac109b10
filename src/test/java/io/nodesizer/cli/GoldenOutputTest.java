package io.nodesizer.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: each command's machine and human formats on tiny inputs, byte for byte
 * ({@code --reproducible}: no timings). A change to an output shows up here as a diff to review;
 * after an intended change, regenerate with {@code mvn test -Dtest=GoldenOutputTest -Dgolden.update=true}
 * and review the diff of src/test/resources/golden/.
 */
final class GoldenOutputTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    @org.junit.jupiter.api.Test
    void reportsCarryATimeOnlyWhenAsked() throws Exception {
        CliRunner plain = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json");
        assertThat(plain.out()).doesNotContain("generatedAt");
        CliRunner json = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json", "--timestamp");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("generatedAt").asText())
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        CliRunner table = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "--timestamp");
        assertThat(table.out()).containsPattern("\ngenerated at \\d{4}-\\d{2}-\\d{2}T[0-9:]{8}Z\n$");
        CliRunner html = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "html", "--timestamp");
        assertThat(html.out()).contains("<p><small>Generated at ").endsWith("</html>\n");
    }

    @org.junit.jupiter.api.Test
    void htmlIsByteIdenticalFromRunToRun() {
        String[] args = "recommend --pods workloads/shop.csv --families m5,r5 --strategies ffd -o html --reproducible --quiet".split(" ");
        CliRunner first = CliRunner.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("data-chart=\"cost-vs-size\"").doesNotContain("Generated at");
        assertThat(CliRunner.run(args).out()).isEqualTo(first.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pack.json|pack --pods workloads/shop.csv --node aws:m5.4xlarge --strategy ffd -o json --reproducible",
        "pack.csv|pack --pods workloads/shop.csv --node aws:m5.4xlarge --strategy ffd -o csv --reproducible",
        "pack.md|pack --pods workloads/shop.csv --node aws:m5.4xlarge --strategy ffd -o markdown --reproducible",
        "recommend.json|recommend --pods workloads/shop.csv --families m5,r5 --strategies ffd -o json --reproducible --quiet",
        "recommend.csv|recommend --pods workloads/shop.csv --families m5,r5 --strategies ffd -o csv --reproducible --quiet",
        "recommend.md|recommend --pods workloads/shop.csv --families m5,r5 --strategies ffd -o markdown --reproducible --quiet",
        "analyze.json|analyze --snapshot workloads/snapshot/cluster.json -o json",
        "analyze.txt|analyze --snapshot workloads/snapshot/cluster.json",
        "rightsize.json|rightsize --pods workloads/rightsize/shop.yaml --usage workloads/rightsize/usage.csv --families m5 --strategies ffd -o json --reproducible --quiet",
        "rightsize.csv|rightsize --pods workloads/rightsize/shop.yaml --usage workloads/rightsize/usage.csv --families m5 --strategies ffd -o csv --reproducible --quiet",
        "rightsize.md|rightsize --pods workloads/rightsize/shop.yaml --usage workloads/rightsize/usage.csv --families m5 --strategies ffd -o markdown --reproducible --quiet",
        "consolidate.json|consolidate --snapshot workloads/snapshot/cluster.json -o json",
        "recommend-snapshot.csv|recommend --snapshot workloads/snapshot/cluster.json --catalog aws --families m5,c6a,r5a --strategies ffd -o csv --reproducible --quiet",
        "consolidate.txt|consolidate --snapshot workloads/snapshot/cluster.json",
        "replay.json|replay --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge -o json --reproducible --quiet",
        "replay.txt|replay --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge --reproducible --quiet",
        "windows.txt|windows --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge --reproducible --quiet",
        "windows-aws-asg.json|windows --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge --export aws-asg --export-target shop --min-nodes 0 --max-nodes 60 --quiet",
        "windows.json|windows --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge -o json --reproducible --quiet",
        "windows.md|windows --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge -o markdown --reproducible --quiet",
        "replay.md|replay --workload workloads/shop.csv --demand workloads/shop-demand.csv --node aws:m5.2xlarge -o markdown --reproducible --quiet",
        "analyze.md|analyze --snapshot workloads/snapshot/cluster.json -o markdown",
        "consolidate.md|consolidate --snapshot workloads/snapshot/cluster.json -o markdown",
        "pack-fleet.json|pack --pods workloads/shop.csv --fleet workloads/snapshot/cluster.json -o json --reproducible",
        "pack-fleet.txt|pack --pods workloads/shop.csv --fleet workloads/snapshot/cluster.json --reproducible",
        "compare.json|compare src/test/resources/golden/recommend.json src/test/resources/golden/compare-input-c5.json -o json",
        "compare.md|compare src/test/resources/golden/recommend.json src/test/resources/golden/compare-input-c5.json -o markdown",
        "compare.txt|compare src/test/resources/golden/recommend.json src/test/resources/golden/compare-input-c5.json",
    })
    void outputMatchesTheGoldenFile(String file, String command) throws Exception {
        CliRunner r = CliRunner.run(command.split(" "));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path golden = DIR.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(golden)).as("golden file " + golden + " (create it with -Dgolden.update=true)").isTrue();
        assertThat(r.out()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
