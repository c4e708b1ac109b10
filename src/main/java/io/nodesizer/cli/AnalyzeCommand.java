package io.nodesizer.cli;

import io.nodesizer.analyze.ClusterAnalysis;
import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.report.AnalyzeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nodesizer analyze --snapshot cluster.json}: what a running cluster requests, strands and costs. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Read a cluster snapshot (kubectl get nodes,pods -A -o json, or NodeList/PodList files, JSON or YAML; '-' for stdin) "
                + "and report per pool and node requested vs allocatable, DaemonSet overhead, stranded capacity, pending pods and why, "
                + "and today's cost where the instance types are in a bundled catalog.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--snapshot", paramLabel = "FILE", required = true, split = ",",
            description = "Snapshot file(s): a List, NodeList or PodList, JSON or YAML; '-' reads standard input.")
    List<String> snapshots;

    @Option(names = "--expendable-pods-priority-cutoff", paramLabel = "N",
            description = "Cluster Autoscaler's cutoff: a pending pod of a priority below N is said to get no node from it. "
                    + "Default: ${DEFAULT-VALUE}, CA's.")
    int expendablePodsPriorityCutoff = io.nodesizer.kube.ExpendablePods.DEFAULT_CUTOFF;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        var format = common.format();
        io.nodesizer.model.ClusterSnapshot snapshot = readSnapshot(snapshots, spec.commandLine().getErr());
        Phases.mark("read snapshot");
        ClusterAnalysis.Result result = ClusterAnalysis.analyze(snapshot, expendablePodsPriorityCutoff);
        Phases.mark("analyze");
        common.emit(AnalyzeReport.render(format, result), spec.commandLine().getOut());
        Phases.mark("render and write report");
        return 0;
    }

    /** {@link #readSnapshot(List)}, saying on {@code err} when its pods look like not the whole cluster's ({@link io.nodesizer.analyze.SnapshotCaveats#partial}). */
    static io.nodesizer.model.ClusterSnapshot readSnapshot(List<String> snapshots, java.io.PrintWriter err) {
        io.nodesizer.model.ClusterSnapshot s = readSnapshot(snapshots);
        String partial = io.nodesizer.analyze.SnapshotCaveats.partial(s);
        if (partial != null) {
            err.println("nodesizer: warning: " + partial);
        }
        return s;
    }

    /**
     * Reads snapshot files and directories ('-' for standard input): {@link SnapshotReader#read(List)}. The kubectl
     * plugin names its one temporary file in {@code NODESIZER_SNAPSHOT_NAME} (the get it ran): reports show that, not a
     * path removed on exit, so that two runs on the same cluster read alike (--reproducible, compare). Errors while
     * reading still name the file, which the plugin then keeps. Totals nodesizer cannot count are refused
     * ({@link io.nodesizer.input.AmountTotals}), and so is a snapshot without a single pod.
     */
    static io.nodesizer.model.ClusterSnapshot readSnapshot(List<String> snapshots) {
        io.nodesizer.model.ClusterSnapshot read = SnapshotReader.read(snapshots);
        io.nodesizer.input.AmountTotals.check(read);
        if (read.pods().isEmpty()) {
            // QA 62b F9: consolidate removed all 3 nodes (saving 100 %) and analyze said nothing pends. Every node of a running
            // cluster runs some pod (kube-proxy, its CNI agent: DaemonSets), so none at all is an export without them.
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile(String.join(", ", snapshots)),
                    "The snapshot has " + read.nodes().size() + (read.nodes().size() == 1 ? " Node" : " Nodes") + " but no Pod, not "
                            + "even a DaemonSet's (kube-proxy, the CNI agent): 'kubectl get nodes -o json' alone? Add the pods: kubectl "
                            + "get nodes,pods -A -o json.");
        }
        String shown = System.getenv("NODESIZER_SNAPSHOT_NAME");
        return shown == null || shown.isBlank() || snapshots.size() != 1 ? read : read.withSources(List.of(shown));
    }
}
