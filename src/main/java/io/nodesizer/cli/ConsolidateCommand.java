package io.nodesizer.cli;

import io.nodesizer.consolidate.Consolidation;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.report.ConsolidateReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nodesizer consolidate --snapshot cluster.json}: nodes to remove or replace by cheaper shapes. */
@Command(name = "consolidate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Which nodes of a running cluster can be removed (their pods fit on the others) or replaced by a cheaper shape "
                + "that holds their pods, one node at a time as the autoscalers consolidate, then (without inter-pod rules) node groups "
                + "repacked onto a cheaper mix of shapes where that saves more; the saving, a lower bound on any consolidation's cost "
                + "and the gap to it.")
final class ConsolidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--snapshot", paramLabel = "FILE", required = true, split = ",",
            description = "The cluster: kubectl get nodes,pods,pdb -A -o json (or NodeList/PodList/PodDisruptionBudgetList files; "
                    + "'-' for stdin). Without PodDisruptionBudgets the plan assumes none.")
    List<String> snapshot;

    @Option(names = "--max-disrupted-pods", paramLabel = "N",
            description = "Evict at most N pods in all; actions that would evict more are skipped. Default: no limit.")
    Integer maxDisruptedPods;

    @Option(names = "--no-replace", description = "Only remove nodes; never propose a cheaper shape.")
    boolean noReplace;

    @Option(names = "--expendable-pods-priority-cutoff", paramLabel = "N",
            description = "Pods of a priority below N are Cluster Autoscaler's expendable pods: left out of the plan (they hold no "
                    + "room, move nowhere, keep no node). Default: ${DEFAULT-VALUE}, CA's. Karpenter has no such cutoff: "
                    + "give -2147483648 to move every pod.")
    int expendablePodsPriorityCutoff = io.nodesizer.kube.ExpendablePods.DEFAULT_CUTOFF;

    // Cluster Autoscaler's flags of the same names and defaults (cluster-autoscaler/config/flags/flags.go), so a cluster
    // whose CA runs with other settings — or a Karpenter cluster, which has none of these rules — can be matched.
    @Option(names = "--skip-nodes-with-system-pods", paramLabel = "BOOL", arity = "1", defaultValue = "true",
            description = "Keep a node running a kube-system pod (not a DaemonSet's or static pod) that no PodDisruptionBudget "
                    + "covers, as Cluster Autoscaler's flag of that name. Default: ${DEFAULT-VALUE}, CA's.")
    boolean skipSystemPods = true;

    @Option(names = "--skip-nodes-with-local-storage", paramLabel = "BOOL", arity = "1", defaultValue = "true",
            description = "Keep a node running a pod with a hostPath or (not memory-backed) emptyDir volume that the "
                    + "safe-to-evict-local-volumes annotation does not name, as Cluster Autoscaler's flag. Default: ${DEFAULT-VALUE}, CA's.")
    boolean skipLocalStorage = true;

    @Option(names = "--skip-nodes-with-custom-controller-pods", paramLabel = "BOOL", arity = "1", defaultValue = "true",
            description = "Keep a node running a pod whose controller is not a ReplicaSet, StatefulSet, Job, ReplicationController "
                    + "or DaemonSet (an operator's custom resource), as Cluster Autoscaler's flag. Default: ${DEFAULT-VALUE}, CA's. "
                    + "For a Karpenter cluster give false to all three.")
    boolean skipCustomControllerPods = true;

    @Option(names = "--scale-down-utilization-threshold", paramLabel = "F", defaultValue = "0.5",
            description = "Keep a node whose pods request this share or more of its CPU or memory (DaemonSets included; on a "
                    + "node with GPUs, of its GPUs alone), as Cluster Autoscaler considers only nodes below it for scale-down. "
                    + "Default: ${DEFAULT-VALUE}, CA's (its flag takes 0 to 1). Karpenter has no threshold: any value above 1 "
                    + "keeps no node for its utilisation.")
    double utilisationThreshold = Consolidation.Settings.UTILISATION_THRESHOLD;

    @Option(names = "--assignments", paramLabel = "FILE", description = "Write an action,pod,from,to row for every pod the plan "
            + "evicts (from: its node today; to: the node it goes to, an existing node or a new one as the report names it), in the "
            + "plan's order, to FILE: the moves to review, script or verify.")
    java.nio.file.Path assignments;

    @Mixin
    ShapeOptions shapes;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        var format = common.format();
        if (maxDisruptedPods != null && maxDisruptedPods < 0) {
            throw new InputException(SourceLocation.ofFile("--max-disrupted-pods"), "The pod limit (" + maxDisruptedPods
                    + ") must be 0 or more (0: plan nothing that evicts a pod).");
        }
        if (!(utilisationThreshold >= 0 && Double.isFinite(utilisationThreshold))) {
            throw new InputException(SourceLocation.ofFile("--scale-down-utilization-threshold"), "The threshold (" + utilisationThreshold
                    + ") must be 0 or more (Cluster Autoscaler's take 0 to 1; above 1 keeps no node for its utilisation, as Karpenter).");
        }
        ClusterSnapshot s = AnalyzeCommand.readSnapshot(snapshot);
        // The report's first note; on stderr too unless the report is a table on this terminal, where it leads the notes
        // (review 63 item 8: it was said twice there).
        String partial = io.nodesizer.analyze.SnapshotCaveats.partial(s);
        if (partial != null && !(common.out == null && (format == io.nodesizer.report.ReportFormat.TABLE
                || format == io.nodesizer.report.ReportFormat.MARKDOWN))) {
            spec.commandLine().getErr().println("nodesizer: warning: " + partial);
        }
        Phases.mark("read snapshot");
        List<NodeShape> candidates = List.of();
        List<String> described = new ArrayList<>();
        if (!noReplace) {
            shapes.catalogFrom(s); // replacements come from the cluster's own provider
            // Burstable types run below their vCPU count once credits run out: a catalog sweep leaves them out unless
            // --families or --burstable include asks for them; a --node names its type itself.
            candidates = shapes.candidates(io.nodesizer.analyze.SnapshotWorkload.of(s), described);
        }
        Phases.mark("candidate shapes");
        List<String> observed = noReplace ? new ArrayList<>() : new ArrayList<>(shapes.sizingNotes());
        if (!noReplace) {
            candidateCaveats(s, candidates, observed);
        }
        String unlisted = io.nodesizer.analyze.SnapshotCaveats.onUnlistedNodes(s, "plan");
        if (unlisted != null) {
            observed.add(unlisted);
        }
        java.util.Map<String, Double> prices = shapes.nodePrices(s, observed);
        String region = prices == null ? io.nodesizer.analyze.ClusterAnalysis.regionNote(s.nodes()) : null;
        if (region != null) {
            observed.add(region);
        }
        String fee = prices == null ? io.nodesizer.analyze.ClusterAnalysis.autoModeFeeNote(s.nodes()) : null; // a --catalog's prices may hold it
        if (fee != null) {
            observed.add(fee);
        }
        Consolidation.Settings settings = new Consolidation.Settings(maxDisruptedPods, !noReplace, expendablePodsPriorityCutoff,
                new Consolidation.CaSkip(skipSystemPods, skipLocalStorage, skipCustomControllerPods), prices, utilisationThreshold);
        Consolidation.Result r = Consolidation.plan(s, candidates, settings,
                ProgressBar.create(spec.commandLine().getErr(), "planning over " + s.nodes().size() + " nodes", common.quiet));
        Phases.mark("plan, optimize and verify");
        if (!observed.isEmpty() || partial != null) {
            List<String> notes = new ArrayList<>(r.notes());
            notes.addAll(observed);
            if (partial != null) {
                notes.add(0, partial); // first of all: the report lists it before the other caveats (SnapshotCaveats.leads)
            }
            r = r.withNotes(notes);
        }
        if (r.notes().contains(Consolidation.NO_BUDGETS_NOTE)) {
            // In the report's notes too, but below the plan: a team may drain before it reads that far.
            spec.commandLine().getErr().println("nodesizer: warning: " + Consolidation.NO_BUDGETS_NOTE);
        }
        Consolidation.Result plan = r;
        common.emit(ConsolidateReport.render(format, r, settings,
                        noReplace ? "none (--no-replace)" : String.join("; ", described), s), spec.commandLine().getOut(),
                CommonOptions.SideFile.of(assignments, "--assignments", () -> ConsolidateReport.movesCsv(plan, s)));
        Phases.mark("render and write report");
        return 0;
    }

    /**
     * Candidates that cannot stand for the cluster's own nodes, said in notes: a bundled --catalog of another cloud than the
     * one whose types the nodes are (QA 64a F19: EKS nodes "replaced" by e2-highmem-4, 49.6 % saved across two clouds), and
     * shapes sized with no kubelet reservation, allocatable = capacity, where every node of a running cluster reserves some
     * (QA 64a F20: inline --node shapes; --overhead or --reserved gives them the provider's).
     */
    private void candidateCaveats(ClusterSnapshot s, List<NodeShape> candidates, List<String> notes) {
        String given = shapes.catalog;
        String own = ShapeOptions.catalogOf(s);
        boolean ownHolds = s.nodes().stream().anyMatch(n -> n.worker() && n.instanceType() != null
                && io.nodesizer.catalog.Catalogs.load(own).stream().anyMatch(t -> t.name().equals(n.instanceType())));
        if (given != null && io.nodesizer.catalog.Catalogs.BUNDLED.contains(given) && ownHolds && !given.equals(own)) {
            notes.add("--catalog " + given + " prices candidates of another cloud than the cluster's nodes, whose instance types are "
                    + own + "'s: a replacement there means moving the workloads to another cloud, and the saving compares two clouds' prices");
        }
        List<String> bare = candidates.stream().filter(c -> "none".equals(c.reservation())).map(NodeShape::name).distinct().toList();
        if (!bare.isEmpty()) {
            notes.add(String.join(", ", bare.subList(0, Math.min(3, bare.size()))) + (bare.size() > 3 ? " and " + (bare.size() - 3)
                    + " more" : "") + (bare.size() == 1 ? " is" : " are") + " sized without the kubelet's reservations (allocatable = "
                    + "capacity), though the cluster's nodes reserve some for the system and the kubelet: give --overhead (eks, gke, aks) "
                    + "or --reserved to size them as its provider's nodes");
        }
    }
}
