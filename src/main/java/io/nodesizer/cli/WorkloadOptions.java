package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.csv.CsvProfileReader;
import io.nodesizer.model.Workload;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code --pods}: the workload, from files and directories, or the bundled sample. */
final class WorkloadOptions {
    static final String BUNDLED = "io/nodesizer/workloads/shop.csv";

    @Option(names = "--pods", paramLabel = "PATH", split = ",",
            description = "Workload input: CSV what-if profile, Kubernetes manifests (file or directory) or an Alibaba openb pod list. "
                    + "Repeatable. Default: the bundled sample workloads/shop.csv.")
    List<Path> pods;

    Workload read() {
        if (pods == null || pods.isEmpty()) {
            return bundled();
        }
        return Inputs.read(pods);
    }

    /** The bundled default workload, read through the normal CSV reader (it is a file like any other). */
    static Workload bundled() {
        try (InputStream in = WorkloadOptions.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("The bundled workload " + BUNDLED + " is missing from the jar.");
            }
            Path temp = Files.createTempFile("nodesizer-shop", ".csv");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                return new CsvProfileReader().read(temp, "workloads/shop.csv (bundled)");
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(BUNDLED), "The bundled workload could not be read: " + e.getMessage());
        }
    }
}
