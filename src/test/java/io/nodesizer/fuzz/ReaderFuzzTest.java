package io.nodesizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nodesizer.input.InputException;
import io.nodesizer.input.WorkloadReader;
import io.nodesizer.input.csv.CsvProfileReader;
import io.nodesizer.input.manifest.ManifestReader;
import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.input.trace.openb.OpenbTraceReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes given to a reader give a workload or an {@link InputException}; any other exception
 * is a bug (fix it and keep the input in the corpus). In a normal test run these replay the
 * committed inputs under src/test/resources/io/nodesizer/fuzz/ReaderFuzzTestInputs/; with
 * {@code JAZZER_FUZZ=1} they fuzz for {@code maxDuration}.
 */
final class ReaderFuzzTest {
    private static final Path DIR = FuzzDirs.create("nodesizer-fuzz");

    private static void read(WorkloadReader reader, String fileName, byte[] data) throws IOException {
        Path file = DIR.resolve(fileName);
        Files.write(file, data);
        try {
            reader.read(file, fileName);
        } catch (InputException expected) {
            // a user mistake, reported with its location
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void csvProfiles(byte[] data) throws IOException {
        read(new CsvProfileReader(), "profile.csv", data);
    }

    @FuzzTest(maxDuration = "60s")
    void manifests(byte[] data) throws IOException {
        read(new ManifestReader(), "manifest.yaml", data);
    }

    @FuzzTest(maxDuration = "60s")
    void jsonManifests(byte[] data) throws IOException {
        read(new ManifestReader(), "manifest.json", data);
    }

    @FuzzTest(maxDuration = "60s")
    void openbTraces(byte[] data) throws IOException {
        read(new OpenbTraceReader(), "openb.csv", data);
    }

    /** Cluster snapshots (analyze, consolidate, pack --fleet): nodes, pods, budgets, controllers, namespaces. */
    @FuzzTest(maxDuration = "60s")
    void snapshots(byte[] data) throws IOException {
        read((file, name) -> {
            SnapshotReader.read(java.util.List.of(file), java.util.List.of(name));
            return null;
        }, "cluster.yaml", data);
    }
}
