package io.nodesizer.cli;

import io.nodesizer.input.ClasspathFiles;
import io.nodesizer.input.Inputs;
import io.nodesizer.input.csv.CsvProfileReader;
import io.nodesizer.model.Workload;
import picocli.CommandLine.Option;

import java.nio.file.Path;
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
        return ClasspathFiles.read(BUNDLED, path -> new CsvProfileReader().read(path, "workloads/shop.csv (bundled)"));
    }
}
