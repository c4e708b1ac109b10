package io.nodesizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nodesizer.cli.Main;
import io.nodesizer.input.InputException;
import io.nodesizer.scenario.Scenario;
import io.nodesizer.scenario.ScenarioFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The planning commands' own input files — usage exports for {@code rightsize} (CSV and
 * Prometheus query_range JSON), a custom {@code --catalog} CSV, a {@code --fleet} node list, a
 * {@code sweep} scenarios file and the JSON reports {@code compare} reads — give a result or our
 * own input error, never anything else. Most run the command itself on a small workload (a value
 * a reader lets through must not break what comes after it, e.g. a catalog's 2^40 MiB node or a
 * usage sample of 1e308 cores): the exit code must be 0 or 2, never the internal error's 1. Replays the committed corpus (PlanningInputFuzzTestInputs/) in every test
 * run; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class PlanningInputFuzzTest {
    private static final Path DIR = FuzzDirs.create("nodesizer-fuzz-planning");
    private static final String SHOP = "workloads/shop.csv";
    private static final String SHOP_MANIFESTS = "workloads/rightsize/shop.yaml";

    @FuzzTest(maxDuration = "60s")
    void usageCsv(byte[] data) throws IOException {
        withFile("usage.csv", data, file -> cli("rightsize", "--pods", SHOP_MANIFESTS, "--usage", file, "--node", "aws:m5.xlarge",
                "--strategies", "ffd", "-o", "json"));
    }

    @FuzzTest(maxDuration = "60s")
    void prometheusUsage(byte[] data) throws IOException {
        // The same bytes as CPU and as memory: each metric has its own unit and checks.
        withFile("usage.json", data, file -> cli("rightsize", "--pods", SHOP_MANIFESTS, "--cpu-usage", file, "--memory-usage", file,
                "--node", "aws:m5.xlarge", "--strategies", "ffd", "-o", "json"));
    }

    @FuzzTest(maxDuration = "60s")
    void catalogs(byte[] data) throws IOException {
        withFile("catalog.csv", data, file -> cli("recommend", "--pods", SHOP, "--catalog", file, "--strategies", "ffd", "-o", "json"));
    }

    @FuzzTest(maxDuration = "60s")
    void fleets(byte[] data) throws IOException {
        withFile("fleet.csv", data, file -> cli("pack", "--pods", SHOP, "--fleet", file, "--strategy", "ffd", "-o", "json"));
    }

    /** The node options' specs, each on the command that takes it: inline shapes, generic families, reservations, OS memory. */
    @FuzzTest(maxDuration = "60s")
    void shapeSpecs(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        cli("pack", "--pods", SHOP, "--node", text, "--strategy", "ffd", "-o", "json");
        cli("recommend", "--pods", SHOP, "--generic", text, "--strategies", "ffd", "-o", "json");
        cli("pack", "--pods", SHOP, "--node", "cpu=16,memory=64Gi", "--reserved", text, "--strategy", "ffd", "-o", "json");
        cli("pack", "--pods", SHOP, "--node", "aws:m5.4xlarge", "--os-memory", text, "--strategy", "ffd", "-o", "json");
    }

    @FuzzTest(maxDuration = "60s")
    void scenarios(byte[] data) throws IOException {
        // The file alone (a sweep would run its commands): read, its runs counted and expanded as sweep does before the first starts.
        withFile("scenarios.yaml", data, file -> {
            try {
                List<Scenario> read = ScenarioFile.read(Path.of(file), "scenarios.yaml");
                ScenarioFile.checkRunCount(read);
                for (Scenario s : read) {
                    for (Scenario.Run run : s.expand()) {
                        run.label();
                        run.seed(1);
                    }
                }
            } catch (InputException expected) {
                // a user mistake, reported with its location
            }
        });
    }

    @FuzzTest(maxDuration = "60s")
    void compareReports(byte[] data) throws IOException {
        // Compared with itself: both columns come from the fuzzed report.
        withFile("report.json", data, file -> cli("compare", file, file));
    }

    private interface WithFile {
        void run(String file);
    }

    private static void withFile(String name, byte[] data, WithFile body) throws IOException {
        Path file = DIR.resolve(name);
        Files.write(file, data);
        try {
            body.run(file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs the CLI in-process; fails unless it ended well or with an input error (exit 2): an internal error exits 1. */
    private static void cli(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        // By the exit code alone: an input error's message may quote the input, whatever it holds.
        if (code != 0 && code != Main.EXIT_USAGE) {
            throw new AssertionError("exit " + code + " for " + String.join(" ", args) + ":\n" + err);
        }
    }
}
