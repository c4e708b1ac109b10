package io.nodesizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.demand.DemandCsvReader;
import io.nodesizer.replay.demand.Surge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The replay's inputs — demand CSV files, schedule YAML files, and the duration, surge, window
 * and delay specs of the command line — give a value or an {@link InputException}, never anything
 * else. Replays the committed corpus in every test run; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class ReplayInputFuzzTest {
    private static final Path DIR = FuzzDirs.create("nodesizer-fuzz-replay");

    @FuzzTest(maxDuration = "60s")
    void demandFiles(byte[] data) throws IOException {
        Path file = DIR.resolve("demand.csv");
        Files.write(file, data);
        try {
            new DemandCsvReader().read(file, "demand.csv", Set.of("web", "batch"), null, null);
        } catch (InputException expected) {
            // a user mistake, reported with its location
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void schedules(byte[] data) throws IOException {
        Path file = DIR.resolve("schedule.yaml");
        Files.write(file, data);
        try {
            Schedule.read(file, "schedule.yaml");
        } catch (InputException expected) {
            // a user mistake, reported with its location
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void specs(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        SourceLocation at = SourceLocation.ofFile("--spec");
        try {
            Durations.seconds(text, at, "duration");
        } catch (InputException expected) {
            // fine
        }
        try {
            Surge.parse(text);
        } catch (InputException expected) {
            // fine
        }
        try {
            Schedule.parseInline(text, at);
        } catch (InputException expected) {
            // fine
        }
        try {
            ProvisionDelay.parse(text, "--provision-delay");
        } catch (InputException expected) {
            // fine
        }
    }
}
