package io.nodesizer.cli;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.report.PackReport;
import io.nodesizer.report.TextTable;
import io.nodesizer.report.WorkloadSummary;
import io.nodesizer.sweep.ShapeEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nodesizer pack}: pack the workload onto one node shape. */
@Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pack the workload onto one node shape and report nodes, bound, gap, cost and waste.")
final class PackCommand implements Callable<Integer>, PreChecked {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--fleet", paramLabel = "FILE",
            description = "Pack onto these given nodes instead of fresh ones of one shape: an openb node list CSV "
                    + "(sn,cpu_milli,memory_mib,gpu,model) or a cluster snapshot as analyze reads one (files separated by commas, "
                    + "a directory, '-'; what runs there stays, unless --from-empty). Excludes --node.")
    String fleet;

    @Option(names = "--from-empty", description = "With --fleet and a snapshot: ignore the pods already running on the nodes, "
            + "but their DaemonSet and static pods, which come with every node.")
    boolean fromEmpty;

    @Option(names = "--node", paramLabel = "SPEC",
            description = "The node shape: a catalog type (aws:m5.4xlarge, gce:n2-standard-8) or inline cpu=8,memory=32Gi[,pods=110][,price=0.384][,gpu=1][,name=…].")
    String node;

    @Mixin
    NodeOptions nodeOptions;

    @Option(names = "--strategy", paramLabel = "NAMES", defaultValue = "auto",
            description = "Strategy, or a comma-separated list of which the best is reported: ffd, bfd, dot-product, kube-most-allocated, "
                    + "kube-least-allocated, kube-default, kube-bin-packing, all; optimize adds the optimizer (pattern LP bound and packing, then local search) after them "
                    + "(after the auto set when named alone). Default auto: all heuristics up to " + CommonOptions.AUTO_THOROUGH_LIMIT
                    + " pods, ffd above, then the optimizer while a gap to the bound is left.")
    String strategy;

    @Option(names = "--scheduler-profile", paramLabel = "NAME", description = "Pack as a kube-scheduler profile places the pods, "
            + "one by one onto the nodes as replay does: default (the kube-default strategy: LeastAllocated + BalancedAllocation and the "
            + "preference plugins) or bin-packing (kube-bin-packing: MostAllocated, as many autoscaled clusters run). Instead of --strategy.")
    String schedulerProfile;

    @Mixin
    OptimizeOptions optimize;

    @Option(names = "--assignments", paramLabel = "FILE", description = "Write pod,node rows (node empty when unschedulable) to FILE; "
            + "with --zones also the shape and zone columns.")
    Path assignments;

    @Option(names = "--zones", paramLabel = "N|a,b,c",
            description = "Zones the nodes are spread over (a count or the zone names): round-robin as managed node groups do, except "
                    + "where a pod's topology spread over zones needs a node in its zone; their maxSkew then binds. --assignments then "
                    + "writes each node's zone.")
    String zones;

    @Mixin
    CommonOptions common;

    /**
     * Every check of this command's options that needs no input, which its run makes first, and a sweep before its first
     * run: one list, so that the two cannot drift apart (review 76 #2: the four --fleet combinations below were checked
     * only by the run, after a sweep's other runs).
     */
    @Override
    public void precheck() {
        CommonOptions.strategies(CommonOptions.withProfile(strategy, "--strategy", schedulerProfile), "--strategy", 0, "all");
        workload.check();
        HaOptions.zoneNames(zones); // a bad --zones is an error even without --assignments
        optimize.settings();
        // The shape as the run reads it, which needs no input (QA 66b M1: a missing --node or a bad --overhead failed a
        // sweep's run after the others).
        nodeOptions.maxPods();
        nodeOptions.diskBytes();
        if (fleet != null) {
            checkFleetOptions();
            nodeOptions.maxPodsWithoutTypes("a fleet's nodes");
        } else {
            checkFromEmpty();
            nodeOptions.shape(requireNode());
        }
    }

    /** The options --fleet excludes: it gives the nodes, packs first fit, and its nodes keep their own zones. */
    private void checkFleetOptions() {
        if (!"auto".equals(strategy) || schedulerProfile != null) {
            // Silently ignored before: a user asking for bfd got first fit.
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile(schedulerProfile != null
                    ? "--scheduler-profile" : "--strategy"), "--fleet packs the new pods first fit, largest first, onto the given nodes "
                    + "(as the README's pack --fleet says); " + (schedulerProfile != null ? "--scheduler-profile" : "--strategy")
                    + " does not apply to it. Leave it out.");
        }
        if (zones != null) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--zones"),
                    "--zones does not apply to --fleet: the given nodes keep their own zones (their topology.kubernetes.io/zone "
                            + "labels, from a snapshot), which the zone rules use.");
        }
        if (node != null) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--fleet"),
                    "--fleet and --node exclude each other: --fleet gives the nodes.");
        }
    }

    private void checkFromEmpty() {
        if (fromEmpty) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--from-empty"),
                    "--from-empty applies to --fleet (a snapshot's nodes without their running pods); without --fleet there is nothing to empty.");
        }
    }

    private String requireNode() {
        if (node == null) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--node"),
                    "pack needs the node shape (--node aws:m5.4xlarge or --node cpu=8,memory=32Gi) or given nodes (--fleet FILE).");
        }
        return node;
    }

    @Override
    public Integer call() {
        Phases.mark("parse arguments");
        var format = common.format();
        precheck();
        // Onto a fleet, its quotas admit the workload beside the snapshot's pods, once the fleet is read.
        Workload w = fleet == null ? workload.read() : workload.readWithoutQuotas(true);
        Phases.mark("read workload");
        if (fleet != null) {
            var given = io.nodesizer.fleet.FleetInput.readFleet(fleet, nodeOptions.maxPodsWithoutTypes("a fleet's nodes"), fromEmpty,
                    w.daemonSets(), w.groups().stream().map(io.nodesizer.model.PodGroup::name).collect(java.util.stream.Collectors.toSet()));
            Phases.mark("read fleet");
            w = WorkloadOptions.admitted(w, given.pods());
            var nodes = given.nodes();
            DemandTable fleetTable;
            try {
                fleetTable = io.nodesizer.fleet.FleetPacking.table(w, nodes, given.running());
            } catch (IllegalArgumentException e) {
                throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile(fleet), e.getMessage());
            }
            var result = io.nodesizer.fleet.FleetPacking.pack(fleetTable, nodes, given.running());
            Phases.mark("fleet pack");
            var assignmentsCsv = CommonOptions.SideFile.of(assignments, "--assignments", () -> {
                List<List<String>> rows = new ArrayList<>(fleetTable.podCount());
                for (int g = 0; g < fleetTable.groupCount(); g++) {
                    for (int i = 0; i < fleetTable.replicas(g); i++) {
                        int n = result.assignment()[fleetTable.firstPod(g) + i];
                        rows.add(List.of(fleetTable.group(g).podName(i), n < 0 ? "" : nodes.get(n).name(), n < 0 ? "" : nodes.get(n).shape()));
                    }
                }
                return new TextTable(List.of(TextTable.Column.left("pod"), TextTable.Column.left("node"),
                        TextTable.Column.left("shape")), rows).renderCsv();
            });
            common.emit(io.nodesizer.report.FleetReport.render(format, result, WorkloadSummary.of(w, List.of()), fleet,
                    java.util.stream.Stream.concat(WorkloadSummary.ignored(w).stream().map(WorkloadSummary::asNote), given.notes().stream())
                            .toList(), given.pendingDaemonPods(), given.preemptedPods()),
                    spec.commandLine().getOut(), assignmentsCsv);
            if (format == io.nodesizer.report.ReportFormat.CSV && !common.quiet) {
                // The CSV is the shapes alone: the DaemonSet pods left Pending, and the pods they preempt, go to standard error,
                // as pack's count does.
                // print does not flush picocli's err writer (it autoflushes on println only): flushed, or the lines are lost at exit (QA 70b F1).
                java.io.PrintWriter err = spec.commandLine().getErr();
                err.print(io.nodesizer.report.FleetReport.pendingLines(given.pendingDaemonPods(), given.preemptedPods()));
                err.flush();
            }
            return 0;
        }
        var strategies = CommonOptions.strategies(CommonOptions.withProfile(strategy, "--strategy", schedulerProfile), "--strategy", w.podCount(), "all");
        var settings = optimize.settings();
        List<String> autoMode = new ArrayList<>();
        NodeShape shape = io.nodesizer.kube.EksAutoMode.apply(List.of(nodeOptions.shape(node)), w, autoMode).get(0);
        // Not onto a fleet: its nodes carry their own models (an openb node list's G2, P100), no catalog plays a part.
        WorkloadOptions.warnUnknownGpuModels(w, List.of(shape), spec.commandLine().getErr());
        java.util.List<String> zoneNames = HaOptions.zoneNames(zones);
        java.util.List<String> labelled = HaOptions.labelledZones(zones);
        DemandTable table = labelled != null ? DemandTable.of(w, labelled) : DemandTable.of(w, zoneNames == null ? 1 : zoneNames.size());
        Phases.mark("demand table");
        ShapeEvaluator.Outcome outcome = new ShapeEvaluator(table, w.daemonSets(), strategies.heuristics(), common.seed,
                strategies.optimize(), settings).evaluate(shape);
        Phases.mark("evaluate");
        List<String> notes = new ArrayList<>(autoMode);
        io.nodesizer.catalog.AksSizes.note(shape).ifPresent(notes::add);
        io.nodesizer.kube.DaemonSetPlacement.Load dsLoad = io.nodesizer.kube.DaemonSetPlacement.on(shape, w.daemonSets(), table.zoneNames(), w.groups());
        notes.addAll(dsLoad.notes());
        zoneRulesLoadNote(dsLoad.zoneOnly(), table, "the packing charges").ifPresent(notes::add);
        notes.addAll(io.nodesizer.kube.PodConflicts.notes(w.groups(), table.zones()));
        zonePinNote(table).ifPresent(notes::add);
        if (strategies.optimize() != io.nodesizer.sweep.ShapeEvaluator.OptimizeMode.OFF) {
            optimizerRulesNote(table).ifPresent(notes::add);
        }
        if (optimize.timed() && OptimizeOptions.mayVary(outcome.evaluation())) {
            notes.add(OptimizeOptions.TIMED_NOTE);
        }
        CommonOptions.largeWorkloadNote(CommonOptions.withProfile(strategy, "--strategy", schedulerProfile), w.podCount(),
                outcome.evaluation().gapPercent(), outcome.evaluation().optimized()).ifPresent(notes::add);
        CommonOptions.unconvergedLpNote(outcome.evaluation()).ifPresent(notes::add);
        io.nodesizer.kube.ClusterLimits.nodesNote("the packing", shape.name(), outcome.evaluation().nodes()).ifPresent(notes::add);
        io.nodesizer.kube.provider.EksHostNetworkPods.note(shape, w.daemonSets(), outcome.evaluation().lowerBound().method()).ifPresent(notes::add);
        String report = PackReport.render(format, WorkloadSummary.of(w, notes, shape, table.zoneNames()), outcome.best(), outcome.evaluation(),
                !common.reproducible);
        Phases.mark("render report");
        common.emit(report, spec.commandLine().getOut(), CommonOptions.SideFile.of(assignments, "--assignments",
                () -> assignmentsCsv(outcome.best(), zoneNames != null, zoneNames)));
        if (format == io.nodesizer.report.ReportFormat.CSV && !common.quiet) {
            // The CSV is the node loads alone: the count, its bound and gap go to standard error, so that every
            // format reports them (QA 67b F3); --quiet leaves them out, as it does the progress bar.
            io.nodesizer.sweep.ShapeEvaluation e = outcome.evaluation();
            spec.commandLine().getErr().println(String.format(java.util.Locale.ROOT, "nodesizer pack: %,d nodes of %s, lower bound %,d (%s), "
                    + "gap %s%s", e.nodes(), shape.name(), e.lowerBound().value(), e.lowerBound().method(), PackReport.gap(e),
                    e.complete() ? "" : String.format(java.util.Locale.ROOT, ", %,d pods unschedulable", e.unschedulableCount())));
        }
        Phases.mark("write output");
        return 0;
    }

    /**
     * Where the workload's rules keep every node at one DaemonSet load ({@link io.nodesizer.engine.PackingProblem#chargesByZone}
     * false), the note naming the DaemonSets of {@code zoneOnly} that run in some zones only and are charged on every node
     * there ({@code who}: "the packing charges"); pack's and recommend's (the same table for every shape).
     */
    static java.util.Optional<String> zoneRulesLoadNote(java.util.Collection<io.nodesizer.kube.DaemonSetPlacement.ZoneOnly> zoneOnly,
                                                        DemandTable table, String who) {
        if (io.nodesizer.engine.PackingProblem.chargesByZone(table)) {
            return java.util.Optional.empty();
        }
        return io.nodesizer.kube.DaemonSetPlacement.chargedOnEveryNode(zoneOnly, who, table.zones() > 64
                ? "a packing tells at most 64 zones' loads apart" : "the workload's topology spreads or pod (anti-)affinity on the zone "
                + "place pods on nodes of one capacity");
    }

    /** Said when pods name zones in their node selector or required node affinity and the zones have names. */
    static java.util.Optional<String> zonePinNote(DemandTable table) {
        boolean[] pinned = table.zonePinned();
        if (pinned == null) {
            return java.util.Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (int g = 0; g < pinned.length && names.size() < 3; g++) {
            if (pinned[g]) {
                names.add(table.group(g).name());
            }
        }
        return java.util.Optional.of("pods whose node selector or required node affinity names the zone (" + String.join(", ", names)
                + (names.size() == 3 ? ", …" : "") + ") go only to the zones of --zones it admits, placed before or after the rest, whichever packs tighter; pods that "
                + "admit none of them are unschedulable");
    }

    /** What the optimizer does with the table's pod rules: why it stood aside, or that it keeps them; empty without rules. */
    static java.util.Optional<String> optimizerRulesNote(DemandTable table) {
        String skipped = io.nodesizer.sweep.ShapeOptimizer.skipReason(table);
        if (skipped != null) {
            return java.util.Optional.of("the optimizer (pattern method, local search) did not run: " + skipped + "; the heuristics place "
                    + "every pod within its rules");
        }
        if (table.placesByRule() || table.spreadsOverZones()) {
            return java.util.Optional.of("pods with required pod affinity, anti-affinity on the zone or another key but the hostname, a "
                    + "topology spread over the zones (the optimizer's nodes have no zone) or one counted over other workloads' pods: "
                    + "the optimizer (pattern method, local search) packs the other workloads, then the rules place these on its nodes "
                    + "and new ones; its stages' node counts in the strategies are of the other workloads alone"
                    + (table.conflicts() != null ? "; " + ANTI_AFFINITY_NOTE : ""));
        }
        return table.conflicts() != null ? java.util.Optional.of(ANTI_AFFINITY_NOTE) : java.util.Optional.empty();
    }

    /** Said when the optimizer was asked for but pods repel each other. */
    private static final String ANTI_AFFINITY_NOTE = "pods with required pod anti-affinity or a hostname topology spread: the pattern method's "
            + "node patterns keep them (no pattern holds pods that repel each other, or more than maxSkew of a workload), and so do the "
            + "local search's hard constraints";

    /** {@code pod,node} rows (node empty when unschedulable), and a {@code shape} column when asked. */
    static String assignmentsCsv(PackingResult r, boolean withShape) {
        return assignmentsCsv(r, withShape, null);
    }

    /**
     * As {@link #assignmentsCsv(PackingResult, boolean)}, with a {@code zone} column when zones are
     * given: the zone the packing opened the node in (zone spread), else node i in zone i mod N.
     */
    static String assignmentsCsv(PackingResult r, boolean withShape, java.util.List<String> zoneNames) {
        DemandTable table = r.problem().table();
        String shape = r.problem().shape().name();
        List<List<String>> rows = new ArrayList<>(table.podCount());
        for (int g = 0; g < table.groupCount(); g++) {
            var group = table.group(g);
            for (int i = 0; i < group.replicas(); i++) {
                int node = r.assignment()[table.firstPod(g) + i];
                String name = node < 0 ? "" : PackReport.nodeName(r, node);
                List<String> row = new ArrayList<>(withShape ? List.of(group.podName(i), name, node < 0 ? "" : shape)
                        : List.of(group.podName(i), name));
                if (zoneNames != null) {
                    row.add(node < 0 ? "" : zoneNames.get(r.zoneOf(node, zoneNames.size())));
                }
                rows.add(row);
            }
        }
        List<TextTable.Column> cols = new ArrayList<>(List.of(TextTable.Column.left("pod"), TextTable.Column.left("node")));
        if (withShape) {
            cols.add(TextTable.Column.left("shape"));
        }
        if (zoneNames != null) {
            cols.add(TextTable.Column.left("zone"));
        }
        return new TextTable(cols, rows).renderCsv();
    }
}
