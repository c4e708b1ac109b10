package io.nodesizer.cli;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.report.RecommendReport;
import io.nodesizer.report.WorkloadSummary;
import io.nodesizer.pattern.MixedPools;
import io.nodesizer.sweep.MixPlanner;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeSweep;
import io.nodesizer.sweep.Verdicts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code nodesizer recommend}: sweep candidate shapes and rank them by monthly cost. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pack the workload onto every candidate node shape, rank by monthly cost, and answer: fewer-larger or many-smaller nodes, and which memory-to-CPU ratio.")
final class RecommendCommand implements Callable<Integer>, PreChecked {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadOptions workload;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--strategies", paramLabel = "NAMES", defaultValue = "auto",
            description = "Strategies tried per shape (the best is kept), comma-separated, or all; optimize adds the optimizer on the best "
                    + ShapeSweep.OPTIMIZE_TOP + " shapes of the heuristic ranking (and any within " + (int) ShapeSweep.OPTIMIZE_WITHIN_PERCENT
                    + "%% of the best cost) before ranking again. Default auto: ffd,bfd,dot-product,kube-most-allocated "
                    + "up to " + CommonOptions.AUTO_THOROUGH_LIMIT + " pods, ffd above (see benchmarks/BENCHMARKS.md), then the optimizer as with optimize.")
    String strategies;

    @Option(names = "--scheduler-profile", paramLabel = "NAME", description = "Pack as a kube-scheduler profile places the pods, "
            + "one by one onto the nodes as replay does: default (the kube-default strategy: LeastAllocated + BalancedAllocation and the "
            + "preference plugins) or bin-packing (kube-bin-packing: MostAllocated, as many autoscaled clusters run). Instead of --strategies.")
    String schedulerProfile;


    @Mixin
    OptimizeOptions optimize;

    @Option(names = "--snapshot", paramLabel = "FILE", split = ",",
            description = "Recommend for a running cluster: its pods (grouped by controller) and DaemonSets from a snapshot "
                    + "(kubectl get nodes,pods -A -o json; see analyze), with today's cluster as the baseline. Excludes --pods.")
    List<String> snapshot;

    @Option(names = "--max-pools", paramLabel = "K", defaultValue = "1",
            description = "Also choose mixed pools: up to K shapes and a node count for each, every pod placed, at the least cost per hour "
                    + "(column generation over shape and pattern, the cost LP bound and the saving against the best single shape). "
                    + "Default: ${DEFAULT-VALUE} (one shape for everything).")
    int maxPools;

    @Mixin
    HaOptions ha;

    @Option(names = "--assignments", paramLabel = "FILE",
            description = "Write pod,node,shape rows to FILE: the mix with --max-pools 2 or more, else the top-ranked shape's packing.")
    java.nio.file.Path assignments;

    /** The mix's LP starts from this many of the best-ranked shapes; others join when they price in. */
    static final int MIX_WORKING_SHAPES = 8;

    /** kube-least-allocated spreads by design, so it is not in the default set. */
    private static final String THOROUGH = "ffd,bfd,dot-product,kube-most-allocated";

    @Option(names = "--top", paramLabel = "N", defaultValue = "25", description = "Rows of the ranking shown in table/markdown/html output (0 = all). Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors). Results do not depend on it.")
    Integer threads;

    @Option(names = "--max-listed", paramLabel = "N", defaultValue = "" + RecommendReport.DEFAULT_MAX_LISTED,
            description = "Pods -o json lists one by one in each shape's unschedulable (and the mix's): the first N, or all; 0 lists "
                    + "none. unschedulableCount and unschedulableReasons always count every pod. Default: ${DEFAULT-VALUE}.")
    String maxListed;

    @Mixin
    CommonOptions common;

    private void checkMaxPools() {
        if (maxPools < 1) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--max-pools"),
                    "The pool count (" + maxPools + ") must be at least 1 (1 = one shape for everything, 3 = up to three shapes).");
        }
    }

    /**
     * {@code --max-listed}: the pods listed per shape, {@link RecommendReport#ALL_LISTED} for all. A whole catalog with a GPU
     * trace listed every pod of every shape: 15.6 GB of JSON that the counts by reason say in a few lines a shape.
     */
    int maxListed() {
        String n = maxListed.strip();
        if (n.equalsIgnoreCase("all")) {
            return RecommendReport.ALL_LISTED;
        }
        int listed;
        try {
            listed = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            listed = -1;
        }
        if (listed < 0) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--max-listed"), "The pods to list per "
                    + "shape must be a whole number from 0 to " + Integer.MAX_VALUE + ", or all (every pod; 0: the counts by reason alone); found '"
                    + maxListed + "'.");
        }
        return listed;
    }

    /**
     * Every check of this command's options that needs no input, which its run makes first, and a sweep before its first
     * run: one list (review 76 #4: --threads 0 was checked by the run alone).
     */
    @Override
    public void precheck() {
        checkMaxPools();
        maxListed();
        CommonOptions.workers(threads);
        CommonOptions.top(top);
        CommonOptions.strategies(CommonOptions.withProfile(strategies, "--strategies", schedulerProfile), "--strategies", 0, THOROUGH);
        shapes.checkFilters(snapshot != null);
        workload.check();
        workload.checkApartFrom(snapshot);
        optimize.settings();
        ha.rules(shapes); // --survive, --min-nodes-per-pool, --zones, --control-plane (QA 50b F3)
    }

    @Override
    public Integer call() {
        var format = common.format();
        precheck();
        RecommendReport.Baseline baseline = null;
        Workload w;
        io.nodesizer.analyze.NodeGroups nodeGroups = null;
        if (snapshot != null) {
            io.nodesizer.model.ClusterSnapshot s = AnalyzeCommand.readSnapshot(snapshot, spec.commandLine().getErr());
            shapes.catalogFrom(s);
            w = workload.growSnapshot(WorkloadOptions.ofSnapshot(s, snapshot));
            nodeGroups = io.nodesizer.analyze.NodeGroups.of(s, w);
            io.nodesizer.analyze.ClusterAnalysis.Result analysis = io.nodesizer.analyze.ClusterAnalysis.analyze(s);
            io.nodesizer.analyze.ClusterAnalysis.Workers today = analysis.workers();
            // Pods pending today, which the sizing places as the workload has them (Fargate pods aside: AWS runs those).
            List<io.nodesizer.model.ClusterSnapshot.Pod> pending = analysis.pending().stream().map(io.nodesizer.analyze.ClusterAnalysis.Pending::pod)
                    .filter(p -> !io.nodesizer.analyze.ClusterAnalysis.FARGATE_SCHEDULER.equals(p.schedulerName()) && !p.daemonSet()
                            && !p.terminating()).toList(); // a terminating pod is not in the workload either
            io.nodesizer.model.Resources pendingRequest = io.nodesizer.model.Resources.ZERO;
            for (io.nodesizer.model.ClusterSnapshot.Pod p : pending) {
                pendingRequest = pendingRequest.plus(p.request());
            }
            baseline = new RecommendReport.Baseline(today.nodes(), today.costPerHour(), today.unknownTypes(), pending.size(), pendingRequest,
                    today.deleting());
        } else {
            w = workload.read();
        }
        Phases.mark(snapshot != null ? "read snapshot" : "read workload");
        var chosen = CommonOptions.strategies(CommonOptions.withProfile(strategies, "--strategies", schedulerProfile), "--strategies", w.podCount(),
                THOROUGH);
        List<String> describe = new ArrayList<>();
        List<NodeShape> shapes = this.shapes.candidates(w, describe);
        WorkloadOptions.warnUnknownGpuModels(w, shapes, spec.commandLine().getErr());
        if (nodeGroups != null) {
            // Pods that select a dedicated node group (workload=memory, its taint tolerated) fit no catalog shape: each shape is
            // also a candidate as a node of each such group, so that --max-pools can mix a pool per group (QA 64a F2).
            shapes = nodeGroups.withVariants(w, shapes, describe);
        }
        List<String> observed = this.shapes.sizingNotes();
        Phases.mark("candidate shapes");
        var settings = optimize.settings();
        io.nodesizer.sweep.HaSizing.Rules rules = ha.rules(this.shapes); // checked before the sweep, which can take a while
        w = HaOptions.besideControlPlane(w, ha.controlPlaneShape(this.shapes));
        java.util.List<String> labelled = HaOptions.labelledZones(ha.zones);
        io.nodesizer.engine.DemandTable table = labelled != null ? io.nodesizer.engine.DemandTable.of(w, labelled)
                : io.nodesizer.engine.DemandTable.of(w, ha.zoneCount());
        java.util.Map.Entry<io.nodesizer.model.PodGroup, String> otherKey = maxPools >= 2 ? table.spreadOnOtherKey() : null;
        if (otherKey != null) {
            // In a mix each pool's nodes carry their own instance type (and family, labels): a spread on such a key
            // counts every pool as a domain, so its pods on one pool's nodes would be skewed against the others.
            io.nodesizer.model.SourceRef at = otherKey.getKey().origin();
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--max-pools"), "Mixed pools do not "
                    + "model hard topology spreads on keys other than the hostname and the zone (their domains differ from pool to "
                    + "pool): " + otherKey.getKey().name() + (at == null ? "" : " (" + at.file() + ":" + at.line() + ")") + " spreads on "
                    + otherKey.getValue() + "; leave --max-pools out for these pods (the single shapes keep them).");
        }
        rules = rules.withZoneTied(table.tiesPodsToZones());
        int ruled = table.ruledGroups();
        if (maxPools >= 2 && ruled > io.nodesizer.sweep.ShapeOptimizer.MAX_RULED_WORKLOADS) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--max-pools"), "Mixed pools take at most "
                    + io.nodesizer.sweep.ShapeOptimizer.MAX_RULED_WORKLOADS + " workloads with required pod anti-affinity or a hostname "
                    + "topology spread (each is a row of their pattern LP); these pods have " + ruled + ". Leave --max-pools out for them.");
        }
        int[] stages = {0}; // the sweep's stages that ended, for NODESIZER_TIMING
        ShapeSweep.Swept swept = ShapeSweep.sweep(w, table, shapes, chosen.heuristics(), common.seed, CommonOptions.workers(threads),
                ProgressBar.create(spec.commandLine().getErr(), "packing distinct allocatables of " + shapes.size() + " shapes", common.quiet),
                chosen.optimize(), settings, n -> {
                    Phases.mark(SWEEP_STAGES[Math.min(stages[0]++, SWEEP_STAGES.length - 1)]); // an optimizer round begins: a stage ended
                    return ProgressBar.create(spec.commandLine().getErr(), "optimizing the best " + n + (n == 1 ? " shape" : " shapes"),
                            common.quiet);
                });
        Phases.mark(SWEEP_STAGES[Math.min(stages[0], SWEEP_STAGES.length - 1)]);
        ShapeEvaluator evaluator = new ShapeEvaluator(table, w.daemonSets(), chosen.heuristics(),
                common.seed, chosen.optimize(), settings);
        // The sweep kept the packings of the shapes it optimized; any other shape is packed again
        // (deterministic, so the same packing).
        java.util.function.Function<ShapeEvaluation, io.nodesizer.engine.PackingResult> packingOf = e -> {
            var kept = swept.optimizedPackings().get(e.shape().name());
            return kept != null ? kept : evaluator.evaluate(e.shape(), e.optimized()).best();
        };
        java.util.function.Function<ShapeEvaluation, io.nodesizer.sweep.ZoneSurvival.Need> zoneNeeds = null;
        if (rules.survive() != io.nodesizer.sweep.HaSizing.Survive.NONE && rules.zoneTied()) {
            var survival = rules.survive() == io.nodesizer.sweep.HaSizing.Survive.NODE ? io.nodesizer.sweep.ZoneSurvival.ofNode(table)
                    : new io.nodesizer.sweep.ZoneSurvival(w, table, chosen.heuristics(), common.seed, chosen.optimize(), settings);
            var byShape = survival.needs(swept.ranked(), evaluator::packingKey, packingOf, CommonOptions.workers(threads),
                            ProgressBar.create(spec.commandLine().getErr(), rules.survive() == io.nodesizer.sweep.HaSizing.Survive.NODE
                                    ? "zones of the pods tied to them (--survive node)" : "packing without each zone (--survive zone)", common.quiet));
            zoneNeeds = e -> byShape.get(e.shape().name());
        }
        List<ShapeEvaluation> ranked = io.nodesizer.sweep.HaSizing.apply(swept.ranked(), rules, zoneNeeds);
        Set<String> notes = new LinkedHashSet<>(observed);
        List<io.nodesizer.kube.DaemonSetPlacement.ZoneOnly> zoneOnly = new java.util.ArrayList<>();
        for (NodeShape s : shapes) {
            io.nodesizer.kube.DaemonSetPlacement.Load dsLoad = io.nodesizer.kube.DaemonSetPlacement.on(s, w.daemonSets(), table.zoneNames(), w.groups());
            notes.addAll(dsLoad.notes());
            zoneOnly.addAll(dsLoad.zoneOnly());
        }
        PackCommand.zoneRulesLoadNote(zoneOnly, table, "the packings charge").ifPresent(notes::add);
        if (optimize.timed() && ranked.stream().anyMatch(OptimizeOptions::mayVary)) {
            notes.add(OptimizeOptions.TIMED_NOTE);
        }
        if (!ranked.isEmpty()) {
            CommonOptions.unconvergedLpNote(ranked.get(0)).ifPresent(notes::add);
            io.nodesizer.kube.provider.EksHostNetworkPods.note(ranked.get(0).shape(), w.daemonSets(), ranked.get(0).lowerBound().method())
                    .ifPresent(notes::add);
            CommonOptions.largeWorkloadNote(CommonOptions.withProfile(strategies, "--strategies", schedulerProfile), w.podCount(),
                    ranked.get(0).gapPercent(), ranked.get(0).optimized()).ifPresent(notes::add);
        }
        notes.addAll(io.nodesizer.kube.PodConflicts.notes(w.groups(), ha.zoneCount()));
        HaOptions.controlPlaneSpreadNote(w).ifPresent(notes::add);
        PackCommand.zonePinNote(table).ifPresent(notes::add);
        if (chosen.optimize() != ShapeEvaluator.OptimizeMode.OFF) {
            PackCommand.optimizerRulesNote(table).ifPresent(notes::add);
        }
        zoneSurvivalNote(ranked, HaOptions.zoneNames(ha.zones)).ifPresent(notes::add);
        nodeLossSpreadNote(w, ranked).ifPresent(notes::add);
        unplacedNote(w, ranked, shapes).ifPresent(notes::add);
        vendorNote(w, ranked).ifPresent(notes::add);
        if (maxPools == 1) {
            gpuRidersNote(w, ranked).ifPresent(notes::add);
        }
        hpcNote(ranked).ifPresent(notes::add);
        if (!ranked.isEmpty()) {
            io.nodesizer.kube.ClusterLimits.nodesNote("the best shape", ranked.get(0).shape().name(), ranked.get(0).nodes()).ifPresent(notes::add);
        }
        Phases.mark("HA sizing and notes");
        MixPlanner.Mix mix = null;
        if (maxPools >= 2) {
            // The mix is planned on the bare packings (its pools honour --min-nodes-per-pool themselves), for the pods some
            // priced candidate places: the others stay Pending on any mix, and are reported beside it.
            io.nodesizer.sweep.PlaceablePart part = io.nodesizer.sweep.PlaceablePart.of(w, table, swept.ranked(), packingOf);
            try {
                mix = MixPlanner.plan(part.workload(), part.adapt(swept.ranked()), new MixedPools.Settings(maxPools, rules.minNodes(),
                        MIX_WORKING_SHAPES, settings.pattern()), part::packingOf, part.table(), chosen.heuristics(), common.seed);
                if (rules.survive() != io.nodesizer.sweep.HaSizing.Survive.NONE || rules.controlPlane() != null) {
                    // Sized like the single shapes (spares for --survive, the control plane), and compared with the best of them so sized.
                    mix = io.nodesizer.sweep.MixSizing.size(mix, rules, part.adapt(ranked), part::packingOf, part.table(),
                            chosen.heuristics(), common.seed);
                }
                mix = mix.withLeftOut(part.leftOut());
            } catch (MixPlanner.NoMix | MixedPools.NotFound e) {
                int leftOut = part.leftOutPods();
                notes.add("no mix of up to " + maxPools + " pools: " + e.getMessage().replace(" Leave --max-pools out to see which pods "
                        + "each shape leaves out.", "") + (leftOut == 0 ? "" : " (Every pod here is one of the "
                        + String.format(java.util.Locale.ROOT, "%,d", part.table().podCount()) + " that some priced candidate holds; "
                        + io.nodesizer.sweep.Verdicts.pods(leftOut) + " fit none and were left out of the mix.)")
                        + " The single shapes above show which pods each leaves out.");
            } catch (IllegalArgumentException e) {
                throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--max-pools"), e.getMessage());
            }
            Phases.mark("mixed pools");
        }
        if (mix != null && io.nodesizer.engine.PackingProblem.chargesByZone(table)) {
            // The single shapes charge them zone by zone; a mix's pools pack nodes of one capacity each (MixPlanner, the pattern LP).
            io.nodesizer.kube.DaemonSetPlacement.chargedOnEveryNode(zoneOnly, "the mixed pools charge", "a pool's nodes have one "
                    + "capacity there, where the single shapes charge each on the nodes of its zones alone").ifPresent(notes::add);
        }
        WorkloadSummary summary = WorkloadSummary.of(w, List.copyOf(notes), shapes, table.zoneNames());
        RecommendReport.Content content = new RecommendReport.Content(summary, ranked,
                Verdicts.fewerLargerVsManySmaller(ranked), Verdicts.memoryToCpuRatio(ranked, summary.memoryPerCpuGib()),
                String.join("; ", describe), mix, mix == null ? null : Verdicts.mixedPools(mix), baseline, rules,
                format == io.nodesizer.report.ReportFormat.HTML && !ranked.isEmpty() ? packingOf.apply(ranked.get(0)) : null);
        var assignmentsCsv = assignments == null ? List.<CommonOptions.SideFile>of() : List.of(new CommonOptions.SideFile(assignments,
                "--assignments", mix != null ? mixAssignmentsCsv(mix, HaOptions.zoneNames(ha.zones))
                : ranked.isEmpty() ? "pod,node,shape\n" : PackCommand.assignmentsCsv(packingOf.apply(ranked.get(0)), true,
                HaOptions.zoneNames(ha.zones))));
        if (format == io.nodesizer.report.ReportFormat.JSON) {
            // Written as it is made: a whole catalog's shapes with every pod each leaves out can be gigabytes.
            int listed = maxListed();
            common.emit((out, generatedAt) -> RecommendReport.writeJson(content, !common.reproducible, listed, generatedAt, out),
                    spec.commandLine().getOut(), assignmentsCsv);
        } else {
            common.emit(RecommendReport.render(format, content, top, !common.reproducible), spec.commandLine().getOut(), assignmentsCsv);
        }
        Phases.mark("render and write report");
        return 0;
    }

    /**
     * When even the best shape leaves pods out: every cost, ranking and verdict is then of the pods
     * each shape places, which a reader of "small wins" would not guess from the table's column alone
     * (an openb GPU trace over CPU-only families placed 5 % of its pods). GPU pods with no GPU shape
     * among the candidates are the usual cause, and named.
     */
    static java.util.Optional<String> unplacedNote(io.nodesizer.model.Workload w, List<ShapeEvaluation> ranked, List<NodeShape> shapes) {
        if (ranked.isEmpty() || ranked.get(0).unschedulableCount() == 0) {
            return java.util.Optional.empty();
        }
        ShapeEvaluation best = ranked.get(0);
        int left = best.unschedulableCount();
        long gpuPods = w.groups().stream().filter(g -> g.request().gpuMillis() > 0).mapToLong(io.nodesizer.model.PodGroup::replicas).sum();
        boolean noGpuShape = shapes.stream().noneMatch(s -> s.allocatable().gpuMillis() > 0);
        String why = gpuPods > 0 && noGpuShape ? "; " + String.format(java.util.Locale.ROOT, "%,d", gpuPods) + (gpuPods == 1 ? " pod requests" : " pods request")
                + " GPUs and none of the " + shapes.size() + " candidates has any ("
                // --gpu filters a catalog's types: with --node or --generic shapes alone it exits 2 (QA 69a F8)
                + (shapes.stream().noneMatch(s -> io.nodesizer.catalog.Catalogs.BUNDLED.contains(s.provider()))
                        ? "add a --node shape with gpu=N, or a catalog's GPU types (--catalog aws --gpu include)"
                        : "--gpu include, with families or a catalog that have GPUs")
                + (shapes.stream().allMatch(s -> "gce".equals(s.provider())) ? "; the bundled gce catalog has no GPU types" : "") + ")" : "";
        if (why.isEmpty() && ranked.size() > 1 && sameNeeds(ranked)) {
            // Every candidate leaves the same pods out for what they need (a disk every shape has alike): the reason is the
            // answer, so it is given as pack words it, rather than sent to -o json for it (QA 62 item 3).
            List<String> lines = io.nodesizer.report.PackReport.podsByReason(best).entrySet().stream().limit(3)
                    .map(e -> io.nodesizer.report.PackReport.reasonLine(e.getKey(), e.getValue())).toList();
            return java.util.Optional.of("no candidate places every pod: each of the " + String.format(java.util.Locale.ROOT, "%,d", ranked.size())
                    + " leaves the same " + String.format(java.util.Locale.ROOT, "%,d of %,d", left, w.podCount()) + " pods out for what "
                    + "they need; on " + best.shape().name() + ": " + String.join("; and ", lines)
                    + "; the costs, rankings and verdicts are of the pods each shape places");
        }
        return java.util.Optional.of("no candidate places every pod: the best, " + best.shape().name() + ", leaves "
                + String.format(java.util.Locale.ROOT, "%,d of %,d", left, w.podCount()) + " pods out" + why
                + "; the costs, rankings and verdicts are of the pods each shape places (the unschedulable pods and why: -o json, or pack)");
    }

    /**
     * Whether every candidate leaves the same pods out, each for the same needs ("needs 20 GiB ephemeral-storage": the
     * pods' side of the reason, the shape's side differing by name and amount).
     */
    private static boolean sameNeeds(List<ShapeEvaluation> ranked) {
        List<String> first = needs(ranked.get(0));
        if (first == null) {
            return false;
        }
        for (ShapeEvaluation e : ranked.subList(1, ranked.size())) {
            if (e.unschedulableCount() != ranked.get(0).unschedulableCount() || !first.equals(needs(e))) {
                return false;
            }
        }
        return true;
    }

    /** Per pod group left out, its name, first replica and needs; null when a reason is no need (a node selector, a rule). */
    private static List<String> needs(ShapeEvaluation e) {
        List<String> out = new ArrayList<>();
        for (ShapeEvaluation.UnschedulableGroup u : e.unschedulable()) {
            String need = java.util.Arrays.stream(u.reason().split("; ")).filter(part -> part.startsWith("needs "))
                    .collect(java.util.stream.Collectors.joining("; "));
            if (need.isEmpty()) {
                return null;
            }
            out.add(u.group().name() + "#" + u.firstReplica() + ": " + need);
        }
        return out;
    }

    /**
     * When the best shape is an Azure HPC size (HB, HC, HX: InfiniBand, SMT off, a quota of their own, not in every
     * region): cheap per core in eastus, so they win general rankings (QA 53c F9), but they are machines for MPI jobs that
     * many subscriptions cannot get; the first other shape is named for comparison.
     */
    static java.util.Optional<String> hpcNote(List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty() || !isAzureHpc(ranked.get(0).shape())) {
            return java.util.Optional.empty();
        }
        String other = ranked.stream().filter(e -> !isAzureHpc(e.shape()) && e.complete() == ranked.get(0).complete())
                .findFirst().map(e -> "; the best other shape is " + e.shape().name()
                        + (e.costPerMonth() == null ? "" : String.format(java.util.Locale.ROOT, " at $%,.2f/month", e.costPerMonth())))
                .orElse("");
        return java.util.Optional.of("the best shape, " + ranked.get(0).shape().name() + ", is an Azure HPC size (HB/HC/HX: InfiniBand, "
                + "SMT off, a quota of its own that subscriptions must ask for, in few regions): check that you can get it, or leave "
                + "it out with --families" + other);
    }

    private static boolean isAzureHpc(io.nodesizer.model.NodeShape s) {
        return "azure".equals(s.provider()) && s.family().matches("H[BCX].*");
    }

    /**
     * When the best shape's GPUs are not NVIDIA's and pods whose GPUs name no vendor (a CSV profile's {@code gpu} count) run
     * on them: such pods are taken to run on any vendor's GPUs, which a CUDA workload does not (QA 49b: AMD g4ad ranked
     * first for an NVIDIA workload, with no word). Manifests requesting {@code nvidia.com/gpu} and openb rows are NVIDIA's.
     */
    static java.util.Optional<String> vendorNote(io.nodesizer.model.Workload w, List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty()) {
            return java.util.Optional.empty();
        }
        io.nodesizer.model.NodeShape best = ranked.get(0).shape();
        String vendor = best.gpuVendor();
        if (best.allocatable().gpuMillis() == 0 || vendor.isEmpty() || vendor.equals(io.nodesizer.model.GpuVendors.NVIDIA)) {
            return java.util.Optional.empty();
        }
        List<String> named = w.groups().stream().filter(g -> g.request().gpuMillis() > 0 && g.gpuVendor().isEmpty())
                .map(io.nodesizer.model.PodGroup::name).limit(5).toList();
        if (named.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the best shape, " + best.name() + ", has " + vendor.toUpperCase(java.util.Locale.ROOT)
                + " GPUs, taken for the GPUs of " + String.join(", ", named.subList(0, Math.min(4, named.size())))
                + (named.size() == 5 ? ", …" : "")
                + ", which name no vendor (a CSV gpu count runs on any vendor's): a CUDA workload needs NVIDIA's, so give --families"
                + " of NVIDIA types or write the pods as manifests requesting nvidia.com/gpu");
    }

    /**
     * When the best single shape has GPUs only because some pods request them: every other pod is sized on GPU machines too,
     * which no cluster runs (QA 66a M1: 12 CPU pods and one GPU pod on 2 × g4dn.4xlarge). A mix gives the GPU pods a pool of
     * their own, as rightsize --snapshot sizes them apart, with their GPU node group.
     */
    static java.util.Optional<String> gpuRidersNote(io.nodesizer.model.Workload w, List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty() || ranked.get(0).shape().allocatable().gpuMillis() == 0) {
            return java.util.Optional.empty();
        }
        long gpuPods = w.groups().stream().filter(g -> g.request().gpuMillis() > 0).mapToLong(io.nodesizer.model.PodGroup::replicas).sum();
        // The pods requesting no GPU that the shape places: those it leaves out (an arm64 pod on amd64 shapes) ride on nothing.
        long others = w.podCount() - gpuPods - ranked.get(0).unschedulable().stream().filter(u -> u.group().request().gpuMillis() == 0)
                .mapToLong(ShapeEvaluation.UnschedulableGroup::pods).sum();
        if (gpuPods == 0 || others <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the best single shape, " + ranked.get(0).shape().name() + ", has GPUs because "
                + String.format(java.util.Locale.ROOT, "%,d of %,d pods %s", gpuPods, w.podCount(), gpuPods == 1 ? "requests" : "request")
                + " them: the " + Verdicts.pods(others) + " requesting none that it places are sized on GPU machines too; --max-pools 2"
                + " or more lets the GPU pods have a pool of their own");
    }

    /**
     * For --survive node sized round-robin (no pod tied to a zone: the zone note says it otherwise), where a workload has a
     * hard hostname spread counting NotReady nodes (nodeTaintsPolicy Ignore, the default): the sizing takes a lost node as
     * gone, its Node deleted, and says so (QA 68b F1: while the NotReady Node remains it is a domain with none, and a
     * spare takes only maxSkew of its pods of that workload).
     */
    static java.util.Optional<String> nodeLossSpreadNote(Workload w, List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty() || ranked.get(0).sizing() == null || ranked.get(0).sizing().nodesPerZone() != null
                || ranked.get(0).sizing().rules().survive() != io.nodesizer.sweep.HaSizing.Survive.NODE) {
            return java.util.Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            boolean counts = g.placement().spread().stream().anyMatch(sp -> sp.hard() && !sp.honorsNodeTaints()
                    && io.nodesizer.kube.PodConflicts.HOSTNAME.equals(sp.term().topologyKey()));
            if (counts && names.size() < 3) {
                names.add(g.name());
            }
        }
        if (names.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("--survive node takes a lost node as gone, its Node object deleted (the cloud node lifecycle "
                + "controller deletes a terminated instance's Node; Cluster Autoscaler deletes unready nodes after "
                + "--scale-down-unready-time, 20m): while a NotReady Node remains, the hard hostname spreads of " + String.join(", ", names)
                + " (nodeTaintsPolicy Ignore, the default) count it as a domain with none of their pods, so a spare takes only maxSkew "
                + "of the lost node's pods of each until it goes; nodeTaintsPolicy: Honor lets them move at once");
    }

    /** For --survive zone with pods tied to zones: the best shape's nodes per zone, and the pods no zone loss lets run elsewhere. */
    static java.util.Optional<String> zoneSurvivalNote(List<ShapeEvaluation> ranked, List<String> zoneNames) {
        if (ranked.isEmpty() || ranked.get(0).sizing() == null || ranked.get(0).sizing().nodesPerZone() == null) {
            return java.util.Optional.empty();
        }
        ShapeEvaluation best = ranked.get(0);
        List<String> perZone = new ArrayList<>();
        for (int z = 0; z < zoneNames.size(); z++) {
            perZone.add(zoneNames.get(z) + " " + best.sizing().nodesPerZone().get(z));
        }
        boolean node = best.sizing().rules().survive() == io.nodesizer.sweep.HaSizing.Survive.NODE;
        String s = (node ? "--survive node with pods tied to their zones: a spare node in each zone whose nodes run such pods (they "
                + "stay in their zone), unless the zone's other nodes take any one of its nodes' such pods under every rule, and as many "
                + "as a node's pods of a hostname spread need at maxSkew each (an empty spare takes no more while another is empty); "
                + "a lost node is taken as gone, its Node deleted (while a NotReady Node remains, a hostname spread under the default "
                + "nodeTaintsPolicy Ignore counts it as a domain with none, and a spare takes only maxSkew of its pods); "
                : "--survive zone with pods tied to their zones: each shape is packed again over the zones left (where the lost "
                + "zone's pods may go), each zone runs the nodes that packing and the cluster's own need, and more where the lost "
                + "zone's pods, placed again beside the pods that keep running where they run, need them; ")
                + best.shape().name() + ": " + String.join(", ", perZone) + " nodes";
        int unchecked = best.sizing().zoneLossesUnchecked();
        if (unchecked > 0) {
            s += "; on " + best.shape().name() + ", the loss of " + unchecked + (unchecked == 1 ? " zone" : " zones") + " played on the "
                    + "cluster as it runs (the lost zone's pods re-placed beside the pods that keep running, on the spares) did not pass "
                    + "the packing verifier (a rule the re-placement does not track, e.g. GPU devices): that loss is not known to be "
                    + "survived";
        }
        int left = best.sizing().podsLeftOutAfterZoneLoss();
        if (left > 0) {
            s += "; on " + best.shape().name() + ", losing a zone leaves " + left + (left == 1 ? " pod" : " pods") + " of that zone "
                    + "with no zone its rules admit (e.g. anti-affinity on the zone with a replica per zone, a selector naming the lost "
                    + "zone, or a DoNotSchedule zone spread: the lost zone's NotReady nodes still count as a domain with none of its "
                    + "pods, as do minDomains above the zones left, so each zone left takes maxSkew at most beside the pods that keep "
                    + "running there; nodeTaintsPolicy: Honor on the spread lets its pods move): no node count keeps " + (left == 1 ? "it"
                    : "them") + " running while the lost zone's nodes are there; the zones left are sized to run a spread's waiting pods "
                    + "once those nodes are deleted (Cluster Autoscaler after --scale-down-unready-time, 20m, or by hand), but not "
                    + "those below minDomains, which no deletion lets run";
        }
        return java.util.Optional.of(s);
    }

    /** The sweep's stages in order, as NODESIZER_TIMING names them: the heuristics, then the optimizer's rounds (ShapeSweep). */
    private static final String[] SWEEP_STAGES = {"heuristics on every shape", "optimizer on the best shapes", "optimizer on cheaper bounds",
        "optimizer on each verdict class's cheaper bounds"};

    /** pod,node,shape of a mix, and zone when the nodes are spread over zones ({@code zoneNames} not null). */

    static String mixAssignmentsCsv(MixPlanner.Mix mix, List<String> zoneNames) {
        var table = mix.table();
        boolean zoned = zoneNames != null && mix.nodeZones() != null;
        List<List<String>> rows = new ArrayList<>(table.podCount());
        for (int g = 0; g < table.groupCount(); g++) {
            var group = table.group(g);
            for (int i = 0; i < group.replicas(); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                String shape = mix.pools().get(mix.nodeShape()[node]).shape().name();
                rows.add(zoned ? List.of(group.podName(i), mix.nodeNames().get(node), shape, zoneNames.get(mix.nodeZones()[node]))
                        : List.of(group.podName(i), mix.nodeNames().get(node), shape));
            }
        }
        // The pods no priced candidate holds, after the mix's: no node, as a packing's unschedulable pods.
        for (var u : mix.leftOut()) {
            for (int i = u.firstReplica(); i < u.group().replicas(); i++) {
                rows.add(zoned ? List.of(u.group().podName(i), "", "", "") : List.of(u.group().podName(i), "", ""));
            }
        }
        List<io.nodesizer.report.TextTable.Column> columns = new ArrayList<>(List.of(io.nodesizer.report.TextTable.Column.left("pod"),
                io.nodesizer.report.TextTable.Column.left("node"), io.nodesizer.report.TextTable.Column.left("shape")));
        if (zoned) {
            columns.add(io.nodesizer.report.TextTable.Column.left("zone"));
        }
        return new io.nodesizer.report.TextTable(columns, rows).renderCsv();
    }
}
