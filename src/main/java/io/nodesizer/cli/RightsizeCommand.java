package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.input.usage.PrometheusMatrixReader;
import io.nodesizer.input.usage.UsageCsvReader;
import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.input.usage.UsageSink;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.Durations;
import io.nodesizer.report.RightsizeReport;
import io.nodesizer.rightsize.ContainerAdvice;
import io.nodesizer.rightsize.Impact;
import io.nodesizer.rightsize.NodeGroupImpact;
import io.nodesizer.rightsize.RightsizeSettings;
import io.nodesizer.rightsize.Rightsizer;
import io.nodesizer.rightsize.WorkloadId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nodesizer rightsize}: requests from usage, and what they do to nodes and cost. */
@Command(name = "rightsize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Set container requests from real usage (krr's simple strategy by default: CPU at the busiest pod's p95, memory at "
                + "the peak working set plus 15 percent), flag containers using more than they request or requesting nothing, and pack the "
                + "workload before and after with the same engine: best shape, nodes and cost.")
final class RightsizeCommand implements Callable<Integer>, PreChecked {
    @Spec
    CommandSpec spec;

    @Option(names = "--usage", paramLabel = "FILE", split = ",",
            description = "Usage as CSV: timestamp,namespace,workload,container,cpu,memory (optional pod column). Repeatable.")
    List<Path> usage;

    @Option(names = "--cpu-usage", paramLabel = "FILE", split = ",",
            description = "CPU usage as a Prometheus query_range response (matrix; cores, e.g. a rate of container_cpu_usage_seconds_total "
                    + "by namespace, pod, container). Repeatable.")
    List<Path> cpuUsage;

    @Option(names = "--memory-usage", paramLabel = "FILE", split = ",",
            description = "Memory usage as a Prometheus query_range response (container_memory_working_set_bytes by namespace, pod, container). Repeatable.")
    List<Path> memoryUsage;

    @Option(names = "--snapshot", paramLabel = "FILE", split = ",",
            description = "The workloads and their requests from a cluster snapshot (kubectl get nodes,pods -A -o json); its pods' owners "
                    + "map usage to workloads. Excludes --pods.")
    List<String> snapshot;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--cpu-percentile", paramLabel = "P", defaultValue = "95",
            description = "CPU request = this percentile of each pod's CPU usage, the busiest pod's. Default: ${DEFAULT-VALUE}.")
    double cpuPercentile;

    @Option(names = "--memory-headroom", paramLabel = "PERCENT", defaultValue = "15",
            description = "Memory request = peak working set + this many percent. Default: ${DEFAULT-VALUE}.")
    double memoryHeadroom;

    @Option(names = "--min-cpu-request", paramLabel = "QUANTITY", defaultValue = "10m", description = "No CPU request below this. Default: ${DEFAULT-VALUE}.")
    String minCpu;

    @Option(names = "--min-memory-request", paramLabel = "QUANTITY", defaultValue = "100Mi", description = "No memory request below this. Default: ${DEFAULT-VALUE}.")
    String minMemory;

    @Option(names = "--min-samples", paramLabel = "N", defaultValue = "100",
            description = "A metric with fewer samples (all pods together) keeps its request. Default: ${DEFAULT-VALUE}.")
    long minSamples;

    @Option(names = "--min-history", paramLabel = "DURATION", defaultValue = "3h",
            description = "A metric whose samples span less time keeps its request. Default: ${DEFAULT-VALUE}.")
    String minHistory;

    @Option(names = "--patches", paramLabel = "FILE",
            description = "Write the changes as a shell script of 'kubectl set resources' commands, one per changed container.")
    Path patches;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--strategies", paramLabel = "NAMES", defaultValue = "auto",
            description = "Strategies for packing before and after, as in recommend. Default: ${DEFAULT-VALUE}.")
    String strategies;

    @Option(names = "--min-nodes-per-pool", paramLabel = "N", defaultValue = "2",
            description = "Before and after, the pool runs at least N nodes, as recommend sizes for production, so the saving is "
                    + "the one recommend would plan with. 1 gives the bare packings. Default: ${DEFAULT-VALUE}.")
    int minNodesPerPool;

    @Mixin
    OptimizeOptions optimize;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors). Results do not depend on it.")
    Integer threads;

    @Mixin
    CommonOptions common;

    private static final String THOROUGH = "ffd,bfd,dot-product,kube-most-allocated";

    /**
     * Every check of this command's options that needs no input, which its run makes first, and a sweep before its first
     * run: one list (review 76 #3 and #4: a missing workload and --threads 0 were checked by the run alone).
     */
    @Override
    public void precheck() {
        CommonOptions.strategies(strategies, "--strategies", 0, THOROUGH);
        CommonOptions.workers(threads);
        shapes.checkFilters(snapshot != null);
        checkMinNodesPerPool();
        settings(); // the percentile, headroom, floors and history (QA 50b F3)
        workload.check();
        workload.checkApartFrom(snapshot);
        optimize.settings();
        checkUsageGiven(); // a sweep's run without it failed only after every other run (QA 58d F5)
        checkWorkloadGiven();
    }

    private void checkWorkloadGiven() {
        if (snapshot == null && (workload.pods == null || workload.pods.isEmpty())) {
            throw new InputException(SourceLocation.ofFile("--pods"), "Give the workloads whose requests to rightsize: --snapshot "
                    + "cluster.json (kubectl get nodes,pods -A -o json) or --pods with manifests or a CSV profile.");
        }
    }

    private void checkUsageGiven() {
        boolean csv = usage != null && !usage.isEmpty();
        boolean prometheus = cpuUsage != null && !cpuUsage.isEmpty() || memoryUsage != null && !memoryUsage.isEmpty();
        if (!csv && !prometheus) {
            throw new InputException(SourceLocation.ofFile("--usage"), "Give the usage: --usage FILE.csv, or --cpu-usage cpu.json and "
                    + "--memory-usage memory.json (Prometheus query_range responses; the README has the PromQL).");
        }
    }

    private void checkMinNodesPerPool() {
        if (minNodesPerPool < 1) {
            throw new InputException(SourceLocation.ofFile("--min-nodes-per-pool"), "The minimum pool size (" + minNodesPerPool
                    + ") must be at least 1.");
        }
    }

    @Override
    public Integer call() {
        var format = common.format();
        precheck();
        RightsizeSettings settings = settings();
        boolean csv = usage != null && !usage.isEmpty();
        ClusterSnapshot snap = null;
        Workload w;
        if (snapshot != null) {
            snap = AnalyzeCommand.readSnapshot(snapshot, spec.commandLine().getErr());
            shapes.catalogFrom(snap);
            // --hpa max sizes HPA targets at their maxReplicas as recommend --snapshot does (QA 64a F14: accepted, and nothing done).
            w = workload.growSnapshot(WorkloadOptions.ofSnapshot(snap, snapshot, true)); // DaemonSets alone can be rightsized
        } else {
            w = workload.readWithoutQuotas(); // admitted below, before and after: smaller requests may let a quota hold more
        }
        Phases.mark(snapshot != null ? "read snapshot" : "read workload");
        List<Path> usageFiles = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path p : concat(usage, cpuUsage, memoryUsage)) {
            String notAFile = io.nodesizer.input.Unreadable.notAFile(p, "usage file");
            if (notAFile != null) {
                throw new InputException(SourceLocation.ofFile(p.toString()), notAFile);
            }
            usageFiles.add(p); // a pipe too (--usage <(…)): its readers read it once per run
            sources.add(p.toString());
        }
        List<String> notes = new ArrayList<>();
        if (!csv && (cpuUsage == null || cpuUsage.isEmpty())) {
            notes.add("No CPU usage was given (--cpu-usage): CPU requests stay as they are.");
        }
        if (!csv && (memoryUsage == null || memoryUsage.isEmpty())) {
            notes.add("No memory usage was given (--memory-usage): memory requests stay as they are.");
        }
        // The readers may run twice (a series in pieces is joined on a second run): the notes are of the first.
        boolean[] first = {true};
        Rightsizer.Result advised = Rightsizer.run(w, snap, settings, sink -> {
            read(sink, first[0] ? notes : new ArrayList<>());
            first[0] = false;
        });
        Phases.mark("read usage and advise");
        Rightsizer.Result result = new Rightsizer.Result(advised.containers(), WorkloadOptions.admitted(advised.before()),
                WorkloadOptions.admitted(advised.after()), advised.warnings(), advised.seriesRead());
        notes.addAll(leftOutAndApplied(w, result));
        var chosen = CommonOptions.strategies(strategies, "--strategies", w.podCount(), THOROUGH);
        List<String> described = new ArrayList<>();
        List<NodeShape> candidates = shapes.candidates(w, described);
        notes.addAll(shapes.sizingNotes()); // with --snapshot, its instance types as its nodes report them
        var progress = ProgressBar.create(spec.commandLine().getErr(), "packing " + candidates.size() + " shapes before and after",
                common.quiet);
        var rules = new io.nodesizer.sweep.HaSizing.Rules(minNodesPerPool, io.nodesizer.sweep.HaSizing.Survive.NONE, 1, null);
        // A cluster of dedicated node groups is sized group by group, each group's pods on shapes carrying its labels and
        // taints (QA 64a F2), GPU pods with the GPU group whose nodes offer their GPUs or else apart (QA 66a M1; without a
        // snapshot no group is known, and GPU pods beside others are sized apart); one shape for all pods otherwise.
        NodeGroupImpact byGroup = NodeGroupImpact.of(snap == null ? new io.nodesizer.analyze.NodeGroups(List.of())
                        : io.nodesizer.analyze.NodeGroups.of(snap, result.before()),
                result.before(), result.after(), candidates, chosen.heuristics(), common.seed, CommonOptions.workers(threads), progress,
                chosen.optimize(), optimize.settings(), rules);
        Impact impact = byGroup != null ? byGroup.parts().get(0).impact() : Impact.of(result.before(), result.after(), candidates,
                chosen.heuristics(), common.seed, CommonOptions.workers(threads), progress, chosen.optimize(), optimize.settings(), rules);
        Phases.mark("pack before and after");
        List<String> warnings = new ArrayList<>(notes);
        List<Impact> parts = byGroup != null ? byGroup.parts().stream().map(NodeGroupImpact.Part::impact).toList() : List.of(impact);
        clusterLimitNote("before", parts.stream().map(Impact::before).toList()).ifPresent(warnings::add);
        clusterLimitNote("after", parts.stream().map(Impact::after).toList()).ifPresent(warnings::add);
        warnings.addAll(result.warnings());
        if (byGroup != null) {
            warnings.addAll(byGroup.notes());
            warnings.addAll(byGroup.warnings(snap != null));
        } else {
            Impact.Candidates from = snap != null ? Impact.Candidates.SNAPSHOT : Impact.Candidates.GIVEN;
            if (impact.leftOutTodayWarning(from) != null) {
                warnings.add(impact.leftOutTodayWarning(from));
            }
            if (impact.leftOutWarning() != null) {
                warnings.add(impact.leftOutWarning());
            }
        }
        PatchTargets targets = PatchTargets.of(snap);
        Rightsizer.Result shown = new Rightsizer.Result(result.containers(), result.before(), result.after(), warnings, result.seriesRead());
        // A table on the terminal ends with the warnings; anything else (JSON, a file) gets them on stderr too.
        boolean shownOnTerminal = common.out == null && (format == io.nodesizer.report.ReportFormat.TABLE
                || format == io.nodesizer.report.ReportFormat.MARKDOWN);
        for (String warning : shownOnTerminal ? List.<String>of() : warnings) {
            spec.commandLine().getErr().println("nodesizer: warning: " + warning);
        }
        spec.commandLine().getErr().flush();
        common.emit(RightsizeReport.render(format, new RightsizeReport.Content(shown, settings, sources, impact, !common.reproducible,
                w.sources(), String.join("; ", described), byGroup)),
                spec.commandLine().getOut(), CommonOptions.SideFile.of(patches, "--patches", () -> patchScript(result, targets)));
        Phases.mark("render and write report");
        return 0;
    }

    /** Where one side's best shapes (one per node group) need more nodes together than one Kubernetes cluster runs (QA 66a L5). */
    private static java.util.Optional<String> clusterLimitNote(String side, List<io.nodesizer.sweep.ShapeEvaluation> best) {
        List<io.nodesizer.sweep.ShapeEvaluation> priced = best.stream().filter(java.util.Objects::nonNull).toList();
        return io.nodesizer.kube.ClusterLimits.nodesNote(side + (priced.size() > 1 ? ", on the best shapes of its node groups" : ", on its best shape"),
                String.join(" + ", priced.stream().map(e -> e.shape().name()).distinct().toList()),
                priced.stream().mapToInt(io.nodesizer.sweep.ShapeEvaluation::nodes).sum());
    }

    /**
     * What the readers left out or applied, as pack and recommend list it: objects not rightsized (a LimitRange refuses them, a
     * Helm hook, a suspended CronJob: their usage otherwise read as "matching no workload") and the ranges and autoscalers
     * applied; then what the ResourceQuotas admit before and after, each side's own lines (QA 51c F8, F9: the report said
     * nothing of either).
     */
    private static List<String> leftOutAndApplied(Workload read, Rightsizer.Result result) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : io.nodesizer.report.WorkloadSummary.ignored(read, "rightsized")) {
            if (seen.add(line)) {
                out.add(io.nodesizer.report.WorkloadSummary.asNote(line));
            }
        }
        List<String> before = io.nodesizer.report.WorkloadSummary.ignored(result.before(), "rightsized");
        List<String> after = io.nodesizer.report.WorkloadSummary.ignored(result.after(), "rightsized");
        for (String line : before) {
            if (!seen.contains(line)) {
                out.add((after.contains(line) ? "" : "with today's requests: ") + io.nodesizer.report.WorkloadSummary.asNote(line));
            }
        }
        for (String line : after) {
            if (!seen.contains(line) && !before.contains(line)) {
                out.add("with the recommended requests: " + io.nodesizer.report.WorkloadSummary.asNote(line));
            }
        }
        return out;
    }

    private void read(UsageSink sink, List<String> notes) {
        int skipped = 0;
        int histograms = 0;
        if (usage != null) {
            for (Path p : usage) {
                if (UsageCsvReader.read(p, p.toString(), sink, notes::add) == 0) {
                    // A header and no rows: every request kept, the report looking complete (QA 59b F7), as an empty query's.
                    notes.add(p + " has no usage rows (a header alone: its export matched nothing), so it changes no request; "
                            + "check the export's filters and time range.");
                }
            }
        }
        for (var entry : List.of(java.util.Map.entry(UsageMetric.CPU, cpuUsage == null ? List.<Path>of() : cpuUsage),
                java.util.Map.entry(UsageMetric.MEMORY, memoryUsage == null ? List.<Path>of() : memoryUsage))) {
            for (Path p : entry.getValue()) {
                PrometheusMatrixReader.Result r = PrometheusMatrixReader.read(p, p.toString(), entry.getKey(), sink);
                skipped += r.skipped();
                histograms += r.histogramOnly();
                notes.addAll(r.warnings());
                if (r.series() == 0 && r.skipped() == 0 && r.histogramOnly() == 0) {
                    // A query whose label filter matched nothing answers "result": [] (QA 51c F3: every request then kept
                    // without a word, the report looking complete).
                    notes.add(p + " has no series (its query matched nothing: \"result\": []), so it changes no "
                            + (entry.getKey() == UsageMetric.CPU ? "CPU" : "memory") + " request; check the query's label filters.");
                }
            }
        }
        if (skipped > 0) {
            notes.add(skipped + " pod-level series (no container label, container=\"\" or \"POD\") were left out: they add up a pod's containers "
                    + "and would count them twice. Filter them in the query: container!=\"\", container!=\"POD\".");
        }
        if (histograms > 0) {
            notes.add(histograms + " series carried native histograms only and were left out; export float samples.");
        }
    }

    private RightsizeSettings settings() {
        long cpuFloor = Values.cpuMillis(minCpu, SourceLocation.ofFile("--min-cpu-request"), "minimum CPU");
        long memFloor = Values.bytes(minMemory, SourceLocation.ofFile("--min-memory-request"), "minimum memory");
        long history = Durations.seconds(minHistory, SourceLocation.ofFile("--min-history"), "minimum history");
        if (!(cpuPercentile > 0 && cpuPercentile <= 100)) {
            throw new InputException(SourceLocation.ofFile("--cpu-percentile"), "The CPU percentile (" + fmt(cpuPercentile)
                    + ") must be above 0 and at most 100, e.g. 95.");
        }
        if (!(memoryHeadroom >= 0 && memoryHeadroom <= 1000)) {
            throw new InputException(SourceLocation.ofFile("--memory-headroom"), "The memory headroom (" + fmt(memoryHeadroom)
                    + "%) must be from 0 to 1000 percent, e.g. 15.");
        }
        if (minSamples < 1) {
            throw new InputException(SourceLocation.ofFile("--min-samples"), "The minimum sample count (" + minSamples + ") must be at least 1.");
        }
        return new RightsizeSettings(cpuPercentile, memoryHeadroom, cpuFloor, memFloor, minSamples, history);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    @SafeVarargs
    private static List<Path> concat(List<Path>... lists) {
        List<Path> out = new ArrayList<>();
        for (List<Path> l : lists) {
            if (l != null) {
                out.addAll(l);
            }
        }
        return out;
    }

    /** Kinds kubectl set resources can change, by the name it takes. */
    private static final java.util.Map<String, String> KUBECTL_KINDS = java.util.Map.of("Deployment", "deployment", "StatefulSet",
            "statefulset", "ReplicaSet", "replicaset", "DaemonSet", "daemonset", "Job", "job", "CronJob", "cronjob");

    /**
     * What the patches need to know of a snapshot's workloads beyond the advice: the ReplicaSets it knows only from its pods'
     * ownerReferences (it lacks their objects, so not whether a controller owns them), and its static pods (their mirror
     * pods' workloads, rightsized per node as DaemonSets are), which no kubectl command changes. Empty without a snapshot.
     */
    record PatchTargets(java.util.Set<WorkloadId> unresolvedReplicaSets, java.util.Set<WorkloadId> staticPods) {
        static final PatchTargets NONE = new PatchTargets(java.util.Set.of(), java.util.Set.of());

        static PatchTargets of(ClusterSnapshot snap) {
            if (snap == null) {
                return NONE;
            }
            java.util.Set<WorkloadId> replicaSets = new java.util.HashSet<>();
            java.util.Set<WorkloadId> statics = new java.util.HashSet<>();
            io.nodesizer.analyze.WorkloadOwners owners = new io.nodesizer.analyze.WorkloadOwners(snap);
            for (ClusterSnapshot.Pod p : snap.pods()) {
                if ("ReplicaSet".equals(p.owner()) && p.ownerName() != null && owners.ownerOf(p) == null) {
                    replicaSets.add(new WorkloadId(p.namespace(), p.ownerName()));
                }
                if (p.staticPod()) {
                    ClusterSnapshot.WorkloadRef ref = io.nodesizer.analyze.SnapshotWorkload.workloadOf(p, owners);
                    statics.add(new WorkloadId(ref.namespace(), ref.name()));
                }
            }
            return new PatchTargets(replicaSets, statics);
        }
    }

    /**
     * One 'kubectl set resources' per changed container; limits raised where the new request would exceed them, and set to the
     * new requests in Guaranteed pods (so that they stay Guaranteed).
     *
     * @param targets a ReplicaSet known only from its pods and named {@code <owner>-<pod-template-hash>} is taken for a
     *                Deployment's or Rollout's, whose controller would revert an edit of it; a static pod's advice is a comment
     */
    static String patchScript(Rightsizer.Result r, PatchTargets targets) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n# Written by nodesizer rightsize: the recommended requests as kubectl commands.\n"
                + "# Review before running; each command rolls out the workload's pods again.\nset -e\n");
        for (ContainerAdvice a : r.containers()) {
            List<String> requests = new ArrayList<>();
            List<String> limits = new ArrayList<>();
            if (a.recommendedCpuMillis() != null && a.changesCpu()) {
                requests.add("cpu=" + a.recommendedCpuMillis() + "m");
                if (a.setsCpuLimit()) {
                    limits.add("cpu=" + a.recommendedCpuMillis() + "m");
                }
            }
            if (a.recommendedMemoryBytes() != null && a.changesMemory()) {
                requests.add("memory=" + (a.recommendedMemoryBytes() % (1L << 20) == 0 ? (a.recommendedMemoryBytes() >> 20) + "Mi"
                        : a.recommendedMemoryBytes().toString()));
                if (a.setsMemoryLimit()) {
                    limits.add(requests.get(requests.size() - 1));
                }
            }
            if (requests.isEmpty()) {
                continue;
            }
            String kind = KUBECTL_KINDS.get(a.kind());
            String cmd = "kubectl set resources " + (kind == null ? "<" + a.kind() + ">" : kind) + "/" + quote(a.workload().objectName())
                    + " -n " + quote(a.workload().namespace()) + " -c " + quote(a.container()) + " --requests=" + String.join(",", requests)
                    + (limits.isEmpty() ? "" : " --limits=" + String.join(",", limits));
            if (kind == null) {
                sb.append("# ").append(a.kind()).append(" ").append(a.workload()).append(": change its pod spec where it is defined (kubectl "
                        + "cannot patch it in place)\n# ").append(cmd).append('\n');
            } else if (a.kind().equals("Job")) {
                // A Job's pod template is immutable once created: the API server refuses the patch, and set -e would stop the script.
                sb.append("# Job ").append(a.workload()).append(": its pod template cannot change once the Job is created; set this in "
                        + "its manifest (or the CronJob that creates it) for the next run\n# ").append(cmd).append('\n');
            } else if (targets.staticPods().contains(a.workload()) || a.workload().name().endsWith("[static]")) {
                // The kubelet runs it from a file on each node; its mirror pod, the API's copy, cannot be edited.
                sb.append("# static pod ").append(a.workload()).append(": the kubelet runs it from a manifest on each node (its "
                        + "staticPodPath, /etc/kubernetes/manifests); change it there or in the nodes' bootstrap configuration\n# ")
                        .append(cmd).append('\n');
            } else if (a.kind().equals("ReplicaSet") && targets.unresolvedReplicaSets().contains(a.workload()) && a.workload().hashNamed()) {
                // Its controller (a Deployment, an Argo Rollout) sets its template back, and a ReplicaSet replaces no running pod.
                sb.append("# ReplicaSet ").append(a.workload()).append(": named as a Deployment or Argo Rollout names its ReplicaSets "
                        + "(<owner>-<pod-template-hash>), so most likely controller-owned: its controller reverts an edit, and a "
                        + "ReplicaSet restarts no pod; change the owner's template (the snapshot has no replicasets to name it)\n# ")
                        .append(cmd).append('\n');
            } else if (a.has(ContainerAdvice.Flag.LIMIT_RANGE)) {
                sb.append("# ").append(a.workload()).append(" ").append(a.container()).append(": a LimitRange of its namespace would refuse "
                        + "this (see the report's warning); change the range first\n# ").append(cmd).append('\n');
            } else {
                if (a.kind().equals("ReplicaSet")) {
                    sb.append("# ReplicaSet ").append(a.workload()).append(": a ReplicaSet replaces no running pod: its pods take the new "
                            + "requests when they are deleted\n");
                }
                sb.append(cmd).append('\n');
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9._-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
