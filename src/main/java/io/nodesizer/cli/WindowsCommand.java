package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.NodeShape;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.PeakPacking;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.windows.ReplacedLimits;
import io.nodesizer.replay.windows.WindowPlanner;
import io.nodesizer.report.KarpenterExport;
import io.nodesizer.report.ScheduleExport;
import io.nodesizer.report.WindowsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nodesizer windows}: an autoscaling schedule that meets a pending-time SLO at least cost. */
@Command(name = "windows", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Propose per-hour-of-week min/max node counts (windows) that keep pending time within --pending-slo at least cost, "
                + "and compare fixed-for-peak, reactive ca, scheduled+ca and karpenter on the same demand. With --window/--schedule, "
                + "plan min/max for those windows instead of per hour.")
final class WindowsCommand implements Callable<Integer>, PreChecked {

    @Spec
    CommandSpec spec;

    @Mixin
    ReplayInputOptions input;

    @Mixin
    ShapeOptions shapes;

    @Mixin
    ReplayModelOptions model;

    @Option(names = "--pending-slo", paramLabel = "DURATION", defaultValue = "2m",
            description = "The SLO: 95th-percentile pending time per pod, and nobody pending at the end. Default: ${DEFAULT-VALUE}.")
    String pendingSlo;

    @Option(names = "--headroom", paramLabel = "none|F", defaultValue = "none",
            description = "none: a window raises the node group's min only, its max stays --max-nodes all week. F (0 to 10): each "
                    + "window also caps the group at the replay's peak in it times 1 + F (at most --max-nodes): demand above the "
                    + "forecast then waits, and a window whose max is below the nodes running when it starts has the group "
                    + "terminate the extra nodes without draining them. Default: ${DEFAULT-VALUE}.")
    String headroom;

    @Option(names = "--check-draws", paramLabel = "N", defaultValue = "4",
            description = "Check the SLO on N more draws besides the plan's: seeds --seed + 1 … + N draw the synthetic demand's noise, "
                    + "the provisioning delays and the scheduler's tie-breaks again; an alternative meets the SLO only on every draw, and "
                    + "the schedule is raised where it misses on some. 0: the plan's draw alone. Default: ${DEFAULT-VALUE}.")
    int checkDraws;

    @Option(names = "--zones", paramLabel = "N|a,b,c",
            description = "Zones the node group's nodes are spread over, round-robin, as in replay: hard topology spreads over zones "
                    + "bind in every replay the plan rests on.")
    String zones;

    @Option(names = "--schedule-out", paramLabel = "FILE", description = "Also write the windows as YAML, ready for replay --autoscaler scheduled --schedule FILE.")
    Path scheduleOut;

    @Option(names = "--export", paramLabel = "FORMAT",
            description = "Print the recommended windows as aws-asg (scheduled actions JSON), azure-vmss (autoscale profiles JSON), "
                    + "keda-cron (ScaledObject for a placeholder Deployment), cronjob (CronJobs running the node group's cloud's CLI: aws, "
                    + "gcloud, az) or karpenter (the karpenter.sh/v1 NodePool the karpenter alternative replayed, AWS or Azure shapes) "
                    + "instead of the report.")
    String export;

    @Option(names = "--export-target", paramLabel = "NAME",
            description = "With --export: the Auto Scaling group (aws-asg; cronjob on AWS), the node pool (cronjob: LOCATION/CLUSTER/POOL "
                    + "on GKE, RESOURCE_GROUP/CLUSTER/POOL on AKS), the placeholder Deployment (keda-cron; default nodesizer-placeholder) "
                    + "or the NodePool (karpenter; default " + NODEPOOL + ").")
    String exportTarget;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "With --export keda-cron or cronjob: the namespace of the objects. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Mixin
    CommonOptions common;

    /** The NodePool's name when --export karpenter is given no --export-target. */
    static final String NODEPOOL = "nodesizer";

    /**
     * The values this command checks before it reads its inputs, by the same code its run calls: the catalog filters, the
     * input options ({@link ReplayInputOptions#check}), both models' settings ({@link ReplayModelOptions#checkForWindows}),
     * --zones, and the plan's --headroom, --nodes within --max-nodes, --pending-slo and --check-draws (QA 50b F3).
     */
    @Override
    public void precheck() {
        shapes.checkFilters(false);
        input.check(model.clock().zone());
        model.checkForWindows();
        HaOptions.zoneNames(zones);
        checkPlan();
        if (shapes.surelySeveral()) {
            // The run counts the candidates once it has the workload (its arch, its GPUs); these cases need none
            // (a sweep's windows run without --node failed after the other runs: SweepPrecheckCoverageTest).
            throw new InputException(SourceLocation.ofFile("--node"), "windows plans one node group: give exactly one shape with --node"
                    + (shapes.nodes != null && !shapes.nodes.isEmpty() ? " (got " + shapes.nodes.size() + (shapes.catalog != null
                    ? " and the catalog " + shapes.catalog : "") + ")." : "."));
        }
    }

    /** {@code --headroom}: null for none (windows raise the min only), else F from 0 to 10. */
    private Double headroomCap() {
        String h = headroom.strip();
        if (h.equalsIgnoreCase("none")) {
            return null;
        }
        double f;
        try {
            f = Double.parseDouble(h);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= 0 && f <= 10) || !h.matches("[0-9.eE+-]+")) {
            throw new InputException(SourceLocation.ofFile("--headroom"), "The headroom (" + headroom + ") must be none or a number "
                    + "from 0 to 10 (0.25: each window's max 25 % above its replay's peak).");
        }
        return f;
    }

    /** The plan's own options, checked: the headroom, --nodes within --max-nodes, the check draws; the SLO in seconds. */
    private long checkPlan() {
        headroomCap();
        if (model.nodes != null && model.nodes > model.maxNodes) {
            throw new InputException(SourceLocation.ofFile("--nodes"), "The fixed-for-peak count (--nodes " + model.nodes
                    + ") is above --max-nodes (" + model.maxNodes + "), the node group's max; give at most " + model.maxNodes
                    + " or raise --max-nodes.");
        }
        if (model.nodes != null && model.nodes < model.minNodes) {
            // The group's floor holds for the fixed count too (QA 65b F3: 5 nodes were replayed under a floor of 14).
            throw new InputException(SourceLocation.ofFile("--nodes"), "The fixed-for-peak count (--nodes " + model.nodes
                    + ") is below --min-nodes (" + model.minNodes + "), the node group's floor; give at least " + model.minNodes
                    + " or lower --min-nodes.");
        }
        long slo = Durations.wholeSeconds(pendingSlo, SourceLocation.ofFile("--pending-slo"), "pending SLO");
        if (checkDraws < 0 || checkDraws > 20) {
            throw new InputException(SourceLocation.ofFile("--check-draws"), "The draws to check the SLO on (" + checkDraws
                    + ") must be from 0 to 20.");
        }
        return slo;
    }

    @Override
    public Integer call() {
        ScheduleExport.Format exportFormat = exportFormat();
        var format = common.format();
        precheck(); // every check of the options that needs no input: the same list a sweep checks before its first run
        List<String> zoneNames = HaOptions.zoneNames(zones);
        ReplayInputOptions.Loaded loaded = input.load(common.seed, model.clock().zone());
        loaded.warn(spec.commandLine().getErr());
        ReplayModelOptions.warnScoringIgnored(spec.commandLine().getParseResult(), spec.commandLine().getErr());
        Phases.mark("read inputs");
        // What the inputs held that the replays leave out or apply, and the drain rules and budgets of the plan's alternatives
        // (they run Cluster Autoscaler and Karpenter): in the report, as replay's notes; on standard error beside an export.
        List<String> notes = new ArrayList<>();
        String assumed = input.assumedStart(model.clock().zone());
        if (assumed != null) {
            notes.add(assumed); // QA 48b: weekly wall-clock windows from a trace with no wall clock, without a word
        }
        io.nodesizer.report.WorkloadSummary.ignored(loaded.workload(), "replayed").forEach(i -> notes.add(io.nodesizer.report.WorkloadSummary.asNote(i)));
        for (String autoscaler : List.of("ca", "karpenter")) {
            String kept = model.keptNodesNote(autoscaler, loaded.workload());
            if (kept != null) {
                notes.add(kept);
            }
        }
        String failing = model.failingDrainsNote("ca", loaded.workload());
        if (failing != null) {
            notes.add(failing);
        }
        notes.addAll(model.budgetNotes(List.of("ca", "karpenter"), loaded.workload()));
        List<String> describe = new ArrayList<>();
        List<NodeShape> candidates = shapes.candidates(loaded.workload(), describe);
        if (candidates.size() != 1) {
            throw new InputException(SourceLocation.ofFile("--node"), "windows plans one node group: give exactly one shape with --node "
                    + "(got " + candidates.size() + ": " + String.join("; ", describe) + ").");
        }
        // Said of the karpenter alternative: the others (Cluster Autoscaler's) keep a bare pod's node, and model no NodePool.
        model.karpenterWorkloadNotes(loaded.workload(), exportFormat == ScheduleExport.Format.KARPENTER
                && exportTarget != null ? exportTarget : NODEPOOL, candidates, true).forEach(n -> notes.add("karpenter alternative: " + n));
        String spot = model.spotGroupNote(loaded.workload(), candidates, true); // of the node group ca and scheduled+ca (and the exports) run
        if (spot != null) {
            notes.add(spot);
        }
        String sloNote = model.sloNote(loaded.workload()); // before any replay: a minimum that leaves every pod out exits 2
        if (sloNote != null) {
            notes.add(sloNote);
        }
        notes.addAll(model.caNotes("ca", candidates));
        notes.addAll(model.caNotes("karpenter", candidates));
        String cloud = exportFormat == null ? null : exportCloud(exportFormat, candidates.get(0));
        long slo = checkPlan();
        // Other draws of the run: only a synthetic curve's demand depends on the seed; the replays' delays and ties always do.
        List<WindowPlanner.Draw> draws = new ArrayList<>();
        for (int k = 1; k <= checkDraws; k++) {
            long seed = common.seed + k;
            draws.add(new WindowPlanner.Draw(seed, input.seeded() ? input.load(seed, model.clock().zone()).stream() : loaded.stream()));
        }
        // A shape naming no cloud is replayed in the scale-in order of the node group the export writes for (AWS's, as
        // cronjob and aws-asg take it, or an Azure scale set's), and without an export in AWS's too, so that adding one does
        // not change the plan (fix 76f: GCE's random order was replayed while cronjob wrote the AWS CLI).
        String assumedCloud = exportFormat == ScheduleExport.Format.AZURE_VMSS ? "azure" : Pool.ASSUMED_CLOUD;
        List<Pool> pools = ReplayCommand.clusters("sweep", "ca", candidates, loaded.workload(), "--node",
                HaOptions.labelledZones(zones)).get(0).stream().map(p -> p.assumingCloud(assumedCloud)).toList();
        ReplayCommand.zoneOnlyDaemonSetsNote(candidates, loaded.workload(), HaOptions.labelledZones(zones), "the replays and the peak's "
                + "packing charge").ifPresent(notes::add);
        String scaleIn = ReplayModelOptions.scaleInNote("scheduled+ca", candidates, assumedCloud);
        if (scaleIn != null) {
            notes.add(scaleIn);
        }
        Replay.Settings caReplay = model.settings("ca", candidates.get(0).provider(), common.seed);
        Replay.Settings karpenterReplay = model.settings("karpenter", candidates.get(0).provider(), common.seed);
        if (zoneNames != null) {
            // The replays behind the plan spread the nodes and keep the zone rules; the fixed-size
            // baseline (the packing at the peak, PeakPacking) packs with the zones too.
            boolean named = HaOptions.labelledZones(zones) != null; // a count only counts the zones
            caReplay = named ? caReplay.withZones(zoneNames) : caReplay.withZones(zoneNames.size());
            karpenterReplay = named ? karpenterReplay.withZones(zoneNames) : karpenterReplay.withZones(zoneNames.size());
        }
        int fixed = model.nodes != null ? model.nodes
                : PeakPacking.nodesAtPeak(loaded.stream(), pools.get(0), common.seed, zoneNames == null ? 1 : zoneNames.size(),
                HaOptions.labelledZones(zones), model.sloMinPriority());
        Phases.mark("shape, draws and peak packing");
        // --window/--schedule here give the window boundaries to plan for; their min/max are replaced, with a warning each.
        List<Schedule.Given> boundaries = model.givenBoundaries();
        WindowPlanner.Plan plan = WindowPlanner.plan(loaded.stream(), pools.get(0), pools, caReplay, karpenterReplay,
                model.caSettings(), model.karpenterSettings(), fixed, model.nodes == null, slo, headroomCap(),
                boundaries.stream().map(Schedule.Given::window).toList(),
                draws, ProgressBar.create(spec.commandLine().getErr(), "planning windows (replays)", common.quiet));
        Phases.mark("plan: replays of alternatives");
        String noPodFits = null;
        if (plan.alternatives().stream().allMatch(a -> a.result().placedNone())) {
            // Before anything is written: a $0 plan that "meets the SLO" on no pod is no plan to export (QA 75b F1). A sweep's
            // run, which exports nothing, reports it instead, as replay's does (review 75b #1).
            if (!io.nodesizer.report.SweepReport.inRun()) {
                throw ReplayCommand.noPodRuns(shapes.sourceOptions(), List.of(plan.alternatives().get(0).result()), loaded.stream());
            }
            noPodFits = ReplayCommand.noPodFits(List.of(plan.alternatives().get(0).result()), loaded.stream());
            notes.add(0, noPodFits + ": every alternative holds no pod, its cost and pending figures saying nothing");
        }
        // The scheduled+ca alternative by its name, not its place in the list (review 74b #12).
        String scheduledDescription = plan.alternatives().stream().filter(a -> a.name().equals("scheduled+ca")).findFirst()
                .orElseThrow().description();
        ReplacedLimits.warnings(boundaries, plan.schedule(), scheduledDescription, model.maxNodes)
                .forEach(w -> spec.commandLine().getErr().println("nodesizer: warning: " + w));
        notes.addAll(skippedStarts(plan.schedule(), model.clock(), loaded.stream().origin(), loaded.stream().horizon()));
        notes.addAll(plan.unwarmed());
        if (spec.commandLine().getParseResult().hasMatchedOption("--min-nodes") && model.minNodes > 0) {
            // QA 68a F4: karpenter was recommended on a saving that was the floor it did not keep.
            notes.add("--min-nodes " + model.minNodes + " holds ca and scheduled+ca (and fixed-for-peak) to " + model.minNodes
                    + (model.minNodes == 1 ? " node" : " nodes") + "; karpenter keeps no minimum and is replayed without it, so its cost "
                    + "is not like for like where the floor is needed (HA, warm capacity): keep one under Karpenter with placeholder pods "
                    + "(--export keda-cron writes them) or a static NodePool, and compare with that");
        }
        if (plan.schedule().windows().stream().anyMatch(w -> w.max() != null && w.max() < model.maxNodes)) {
            notes.add("--headroom " + headroom.strip() + " caps the node group below --max-nodes (" + model.maxNodes + ") in some windows: "
                    + "demand above the forecast waits there, and where a window starts with more nodes running than its max the "
                    + "group terminates the extra nodes without draining them (an Auto Scaling group's MaxSize below its size lowers "
                    + "its desired capacity); leave --headroom out for windows that raise the min only");
        }
        WindowsReport.Content content = new WindowsReport.Content(loaded.description(), candidates.get(0).name(), slo,
                caReplay.delay().toString(), karpenterReplay.delay().toString(), plan, model.clock(), model.minNodes, model.maxNodes, notes, common.seed, input.seeded(),
                noPodFits);
        boolean nodePool = exportFormat == ScheduleExport.Format.KARPENTER; // no schedule: the replayed NodePool
        List<ScheduleExport.Change> changes = exportFormat == null || nodePool ? null
                : ScheduleExport.changes(plan.schedule(), model.minNodes, model.maxNodes);
        if (exportFormat != null && !nodePool) {
            // Before anything is written: an export the cloud refuses is no output.
            ScheduleExport.check(exportFormat, changes, model.minNodes, model.maxNodes).forEach(w -> spec.commandLine().getErr()
                    .println("nodesizer: warning: " + w));
            ScheduleExport.daylightSavingWarnings(exportFormat, changes, model.clock(), loaded.stream().origin(), loaded.stream().horizon())
                    .forEach(w -> spec.commandLine().getErr().println("nodesizer: warning: " + w));
        }
        if (exportFormat != null && exportFormat != ScheduleExport.Format.KEDA_CRON && !nodePool
                && plan.recommended().name().equals("karpenter")) {
            // The report says so under its table; an export has no place for it but standard error (QA 63b F4).
            notes.add("karpenter is recommended: this export sets Cluster Autoscaler's node group (scheduled+ca); with Karpenter, "
                    + "run its NodePool as replayed (--export karpenter writes it) and pre-warm it with --export keda-cron");
        }
        if (nodePool) {
            notes.addAll(nodePoolNotes(plan, slo));
        }
        if (exportFormat == ScheduleExport.Format.AWS_ASG) {
            notes.add(ScheduleExport.awsReplaceNote(exportTarget));
        }
        if (exportFormat == ScheduleExport.Format.KEDA_CRON) {
            String spare = placeholderNote(plan.schedule(), pools.get(0).shape());
            if (spare != null) {
                notes.add(spare);
            }
        }
        // The windows move the group's limits within --min-nodes..--max-nodes: a replay of the file needs them too.
        var schedule = CommonOptions.SideFile.of(scheduleOut, "--schedule-out", () -> "# nodesizer windows: replay with --autoscaler scheduled --schedule FILE --min-nodes "
                    + model.minNodes + " --max-nodes " + model.maxNodes + (model.clock().isUtc() ? "" : " --time-zone " + model.clock())
                    + " (the node group's limits outside these windows)\n"
                    + WindowsReport.scheduleYaml(plan.schedule(), model.clock(), model.minNodes, model.maxNodes));
        if (exportFormat != null || format == io.nodesizer.report.ReportFormat.CSV) {
            // The output is an export document, or CSV rows, which have no place for them.
            notes.forEach(n -> spec.commandLine().getErr().println("nodesizer: note: " + n));
        }
        if (nodePool) {
            List<NodeShape> launched = pools.stream().map(Pool::shape).toList();
            Integer limitNodes = spec.commandLine().getParseResult().hasMatchedOption("--max-nodes") ? model.maxNodes : null;
            String name = exportTarget != null ? exportTarget : NODEPOOL;
            Karpenter.Settings karpenter = model.karpenterSettings();
            WindowPlanner.Alternative replayed = karpenterAlternative(plan);
            common.emit(KarpenterExport.render(name, launched, karpenter, limitNodes, HaOptions.labelledZones(zones),
                    KarpenterExport.header(name, launched, karpenter, limitNodes, KarpenterExport.replayed(replayed, slo),
                            KarpenterExport.outsideTheNodePool(launched.get(0), shapes.nodeOptions.maxPods,
                                    "karpenter".equals(shapes.nodeOptions.overhead) ? shapes.nodeOptions.osMemory : null))),
                    spec.commandLine().getOut(), schedule);
            Phases.mark("render and write the export");
            return 0;
        }
        if (exportFormat != null) {
            String target = exportTarget != null ? exportTarget : "nodesizer-placeholder";
            int placeholderPriority = ScheduleExport.Placeholder.priorityFor(loaded.workload(), model.expendablePodsPriorityCutoff);
            if (exportFormat == ScheduleExport.Format.KEDA_CRON) {
                placeholderWarning(loaded.workload(), placeholderPriority).ifPresent(n -> spec.commandLine().getErr().println("nodesizer: note: " + n));
            }
            common.emit(ScheduleExport.render(exportFormat, changes, model.minNodes, target, namespace, cloud,
                    ScheduleExport.Placeholder.of(pools.get(0).shape(), pools.get(0).podCapacity()).atPriority(placeholderPriority),
                    model.clock()), spec.commandLine().getOut(), schedule);
            Phases.mark("render and write the export");
            return 0;
        }
        common.emit(WindowsReport.render(format, content, !common.reproducible), spec.commandLine().getOut(), schedule);
        Phases.mark("render and write report");
        return 0;
    }

    /**
     * The workloads whose pods cannot preempt the keda-cron placeholders at {@code priority} (a priority not above it, as the
     * cutoff bounds it from below, or preemptionPolicy Never): they wait for new nodes beside the warm ones (QA 70b F8).
     */
    private static java.util.Optional<String> placeholderWarning(io.nodesizer.model.Workload w, int priority) {
        List<String> never = new ArrayList<>();
        List<String> low = new ArrayList<>();
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            if (!g.preempts()) {
                if (g.priority() >= 0) { // below 0 with Never: the user's own placeholders, most likely
                    never.add(g.name());
                }
            } else if (g.priority() <= priority) {
                low.add(g.name() + " (" + g.priority() + ")");
            }
        }
        if (never.isEmpty() && low.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the keda-cron placeholders run at priority " + priority + ", and "
                + (low.isEmpty() ? "" : "the pods of " + String.join(", ", low) + " are not above it (Cluster Autoscaler adds no node "
                + "for pods below --expendable-pods-priority-cutoff, so it cannot go lower)" + (never.isEmpty() ? "" : "; "))
                + (never.isEmpty() ? "" : "those of " + String.join(", ", never) + " have preemptionPolicy Never")
                + ": they cannot preempt the placeholders and wait for new nodes beside the warm ones");
    }

    /** The plan's karpenter alternative, whose NodePool --export karpenter writes. */
    private static WindowPlanner.Alternative karpenterAlternative(WindowPlanner.Plan plan) {
        return plan.alternatives().stream().filter(a -> a.name().equals("karpenter")).findFirst().orElseThrow();
    }

    /**
     * The notes beside a NodePool export: which alternative is recommended when karpenter is not (the NodePool is the
     * karpenter alternative's all the same, with its replayed cost and p95), and zones the replay counted but cannot name.
     */
    private List<String> nodePoolNotes(WindowPlanner.Plan plan, long slo) {
        List<String> out = new ArrayList<>();
        WindowPlanner.Alternative karpenter = karpenterAlternative(plan);
        if (plan.recommended() != karpenter) {
            out.add(plan.recommended().name() + " is recommended (" + KarpenterExport.replayed(plan.recommended(), slo) + "), not "
                    + "karpenter: this NodePool is the karpenter alternative as replayed (" + KarpenterExport.replayed(karpenter, slo) + ")");
        }
        if (zones != null && HaOptions.labelledZones(zones) == null) {
            out.add("--zones " + zones.strip() + " counts the zones but names none, so the NodePool has no zone requirement: its nodes "
                    + "go to the zones of the node class's subnets; give --zones a,b,c to name them");
        }
        return out;
    }

    /**
     * What keda-cron's placeholders cost beyond the plan (QA 62c F2: about 375 node-hours more for a two-day plan, with not
     * a word): each window keeps its min in placeholder pods, one spare node each, on top of the nodes the demand runs,
     * which the replayed scheduled+ca does not count. Null without windows.
     */
    static String placeholderNote(io.nodesizer.replay.autoscale.Schedule schedule, NodeShape shape) {
        double nodeHours = 0;
        for (io.nodesizer.replay.autoscale.Schedule.Window w : schedule.windows()) {
            if (w.min() != null) {
                nodeHours += w.min() * Integer.bitCount(w.days()) * (w.to() - w.from()) / 60.0;
            }
        }
        if (nodeHours == 0) {
            return null;
        }
        String cost = shape.hasPrice() ? String.format(java.util.Locale.ROOT, " (about $%,.2f a week at $%.4f/h)",
                nodeHours * shape.pricePerHourUsd(), shape.pricePerHourUsd()) : "";
        return String.format(java.util.Locale.ROOT, "the keda-cron placeholders keep each window's min in spare nodes on top of the "
                + "nodes the demand runs (real pods preempt them, then they wait for new ones): up to %,.0f node-hours a week%s "
                + "more than the replayed scheduled+ca, which raises the group's min instead", nodeHours, cost);
    }

    /**
     * The names an export writes: the objects' names and namespace must be ones the API server takes
     * (kubectl apply would refuse the file), a group's name must not be empty, and an option the
     * format does not use is named as such.
     */
    private void checkExportNames(ScheduleExport.Format f) {
        var parsed = spec.commandLine().getParseResult();
        if (exportTarget != null && exportTarget.isBlank()) {
            throw new InputException(SourceLocation.ofFile("--export-target"), "The --export-target is empty; name the "
                    + (f == ScheduleExport.Format.KEDA_CRON ? "placeholder Deployment."
                    : f == ScheduleExport.Format.KARPENTER ? "NodePool." : "Auto Scaling group."));
        }
        if (f == ScheduleExport.Format.KARPENTER && exportTarget != null) {
            String why = io.nodesizer.input.manifest.ObjectNames.whyNot("NodePool", exportTarget);
            if (why != null) {
                throw new InputException(SourceLocation.ofFile("--export-target"), "The NodePool's name (" + exportTarget + ") " + why + ".");
            }
        }
        if (f == ScheduleExport.Format.KEDA_CRON && exportTarget != null) {
            String why = io.nodesizer.input.manifest.ObjectNames.whyNot("Deployment", exportTarget + "-windows");
            if (why != null) {
                throw new InputException(SourceLocation.ofFile("--export-target"), "The placeholder Deployment's name (" + exportTarget
                        + ", its ScaledObject " + exportTarget + "-windows) " + why + ".");
            }
        }
        boolean kubernetes = f == ScheduleExport.Format.KEDA_CRON || f == ScheduleExport.Format.CRONJOB;
        if (kubernetes) {
            String why = io.nodesizer.input.manifest.ObjectNames.whyNot("Namespace", namespace);
            if (why != null) {
                throw new InputException(SourceLocation.ofFile("--namespace"), "The namespace (" + namespace + ") " + why + ".");
            }
        } else if (parsed.hasMatchedOption("--namespace")) {
            spec.commandLine().getErr().println("nodesizer: warning: --namespace applies to --export keda-cron and cronjob; "
                    + f.flag() + (f == ScheduleExport.Format.KARPENTER ? " writes a NodePool, which is cluster-scoped"
                    : " writes no Kubernetes object") + ", so it is not used.");
        }
        if (f == ScheduleExport.Format.AZURE_VMSS && exportTarget != null) {
            spec.commandLine().getErr().println("nodesizer: warning: --export-target is not used by --export azure-vmss (its profiles "
                    + "go into the scale set's autoscale setting, which names the scale set).");
        }
    }

    /**
     * The cloud the export is for, checked against the format before any work (QA 38c finding 3: a GKE or AKS plan was
     * written as AWS Auto Scaling actions without a word): aws-asg is AWS's, azure-vmss Azure's; cronjob runs the shape's
     * cloud's CLI, and its --export-target names a GKE or AKS pool in three parts.
     */
    private String exportCloud(ScheduleExport.Format f, NodeShape shape) {
        String cloud = ScheduleExport.cloudOf(shape);
        String of = cloud == null ? null : switch (cloud) {
            case "gce" -> "GKE";
            case "azure" -> "AKS";
            default -> "AWS";
        };
        String isA = " is " + ("GKE".equals(of) ? "a " : "an ") + of + " shape";
        if (f == ScheduleExport.Format.AWS_ASG && cloud != null && !cloud.equals("aws")) {
            throw new InputException(SourceLocation.ofFile("--export"), "--export aws-asg writes an AWS Auto Scaling group's scheduled "
                    + "actions, but " + shape.name() + isA + "; use --export cronjob, which sets a " + of
                    + " node pool's autoscaler limits with its own CLI.");
        }
        if (f == ScheduleExport.Format.AZURE_VMSS && cloud != null && !cloud.equals("azure")) {
            throw new InputException(SourceLocation.ofFile("--export"), "--export azure-vmss writes an Azure scale set's autoscale "
                    + "profiles, but " + shape.name() + isA + "; use --export cronjob.");
        }
        if (f == ScheduleExport.Format.AZURE_VMSS && !model.clock().isUtc() && io.nodesizer.report.WindowsZones.of(model.clock().zone()) == null) {
            throw new InputException(SourceLocation.ofFile("--time-zone"), "--export azure-vmss writes Azure Monitor autoscale "
                    + "profiles, which name Windows time zones (\"W. Europe Standard Time\"), and the Unicode CLDR maps " + model.clock()
                    + " to none; give an IANA zone such as Asia/Kolkata, plan in UTC (leave --time-zone out), or use --export cronjob.");
        }
        if (f != ScheduleExport.Format.AZURE_VMSS && f != ScheduleExport.Format.KARPENTER && model.clock().ianaName() == null) {
            String field = switch (f) {
                case AWS_ASG -> "the scheduled actions' TimeZone, which AWS takes as a canonical IANA name";
                case KEDA_CRON -> "the cron trigger's timezone, which KEDA reads with Go's time.LoadLocation";
                default -> "the CronJobs' timeZone, which the API server checks with Go's time.LoadLocation";
            };
            throw new InputException(SourceLocation.ofFile("--time-zone"), "--export " + f.flag() + " names the plan's zone in "
                    + field + ": an IANA name such as Asia/Kolkata, or a whole-hour offset, written as its Etc/GMT zone (+05:00 is "
                    + "Etc/GMT-5); " + model.clock() + " is neither. Give an IANA zone, or plan in UTC (leave --time-zone out).");
        }
        if (f == ScheduleExport.Format.AZURE_VMSS) {
            spec.commandLine().getErr().println("nodesizer: warning: azure-vmss profiles replace a scale set's own autoscaling, which AKS "
                    + "manages for its node pools (AKS: do not enable or edit the scale set's autoscale settings); the replayed "
                    + "scheduled+ca is the cluster autoscaler within the windows' limits: for an AKS node pool use --export cronjob "
                    + "(az aks nodepool update --update-cluster-autoscaler --min-count --max-count).");
        }
        if (f == ScheduleExport.Format.KARPENTER) {
            String why = KarpenterExport.whyNot(shape);
            if (why != null) {
                throw new InputException(SourceLocation.ofFile("--export"), "--export karpenter writes a Karpenter NodePool for AWS "
                        + "(EC2NodeClass) or Azure (AKS node auto-provisioning, AKSNodeClass) instance types, but " + why);
            }
            KarpenterExport.labelWarnings(List.of(shape)).forEach(w -> spec.commandLine().getErr().println("nodesizer: warning: " + w));
        }
        if (f == ScheduleExport.Format.CRONJOB) {
            String why = ScheduleExport.whyNotTarget(cloud, exportTarget);
            if (why != null) {
                throw new InputException(SourceLocation.ofFile("--export-target"), "The --export-target (" + exportTarget + ") " + why + ".");
            }
            if (cloud == null) {
                spec.commandLine().getErr().println("nodesizer: warning: " + shape.name() + " names no cloud (an inline shape without "
                        + "--overhead eks, gke or aks): the CronJobs run the AWS CLI on an Auto Scaling group.");
            }
        }
        return cloud;
    }

    /** The --export format, checked before any work: null without --export. */
    private ScheduleExport.Format exportFormat() {
        if (export == null) {
            return null;
        }
        ScheduleExport.Format f = ScheduleExport.Format.of(export);
        if (f == null) {
            throw new InputException(SourceLocation.ofFile("--export"), "The export format (" + export
                    + ") must be aws-asg, azure-vmss, keda-cron, cronjob or karpenter.");
        }
        if ((f == ScheduleExport.Format.AWS_ASG || f == ScheduleExport.Format.CRONJOB) && exportTarget == null) {
            throw new InputException(SourceLocation.ofFile("--export-target"), "--export " + export
                    + " sets an Auto Scaling group's limits: name it with --export-target NAME.");
        }
        checkExportNames(f);
        if (f == ScheduleExport.Format.KARPENTER && spec.commandLine().getParseResult().hasMatchedOption("--min-nodes")) {
            spec.commandLine().getErr().println("nodesizer: warning: --min-nodes is not in the NodePool: Karpenter keeps no minimum "
                    + "(the replayed karpenter ran none; it bounds ca and scheduled+ca only).");
        }
        if (f != ScheduleExport.Format.KEDA_CRON && f != ScheduleExport.Format.KARPENTER) {
            // Outside every window the export sets the group's own limits: the simulator's defaults
            // (0 and 5000) would replace its floor and ceiling once a week.
            for (String option : List.of("--min-nodes", "--max-nodes")) {
                if (!spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new InputException(SourceLocation.ofFile(option), "--export " + export + " sets the group's limits "
                            + "outside the windows too: give its own --min-nodes and --max-nodes (without them the export would write "
                            + "0 and 5000, the replay's defaults, over the group's floor and ceiling).");
                }
            }
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--output")) {
            // Not an error: a sweep gives every run -o json, and the export is what such a run hands on.
            spec.commandLine().getErr().println("nodesizer: warning: --export " + export + " writes the "
                    + (f == ScheduleExport.Format.KARPENTER ? "NodePool" : "schedule in its own format") + " instead of the report, so -o "
                    + common.output + " does not apply.");
        }
        return f;
    }

    /**
     * The windows whose start the spring change skips on a day of the run: that day the window takes effect as late as the gap
     * is long (02:50 in a gap of 02:00-03:00 is 03:50, as the replay and the README's rule run it; QA 59a F3: a Berlin spike
     * at 03:00 CEST on the change's Sunday, planned Sun 02:50-04:00, replayed as if unplanned, with no word), or not at all
     * when it ends before that; a start at the gap's first minute takes effect at the change, on time. One note per window
     * and date.
     */
    static List<String> skippedStarts(io.nodesizer.replay.autoscale.Schedule schedule, io.nodesizer.replay.autoscale.WeekClock clock,
                                      java.time.Instant origin, long horizonSeconds) {
        List<String> out = new ArrayList<>();
        if (clock.isUtc() || schedule.windows().isEmpty()) {
            return out;
        }
        java.time.LocalDate first = origin.atZone(clock.zone()).toLocalDate();
        java.time.LocalDate last = origin.plusSeconds(horizonSeconds).atZone(clock.zone()).toLocalDate();
        for (java.time.LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            int weekday = day.getDayOfWeek().getValue() - 1; // 0 = Monday, as the windows' days
            for (io.nodesizer.replay.autoscale.Schedule.Window w : schedule.windows()) {
                java.time.LocalDateTime start = day.atStartOfDay().plusMinutes(w.from());
                if ((w.days() & (1 << weekday)) == 0 || !clock.skipped(start)) {
                    continue;
                }
                java.time.zone.ZoneOffsetTransition change = clock.zone().getRules().getTransition(start);
                java.time.LocalDateTime shifted = clock.instant(start).atZone(clock.zone()).toLocalDateTime();
                long late = java.time.Duration.between(change.getDateTimeAfter(), shifted).toMinutes();
                java.time.LocalDateTime end = day.atStartOfDay().plusMinutes(w.to());
                String window = String.format(java.util.Locale.ROOT, "the window %s %02d:%02d-%02d:%02d starts at %s, which %s skips on %s "
                        + "(the clocks move forward at %s)", day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT,
                        java.util.Locale.ROOT), w.from() / 60, w.from() % 60, w.to() / 60, w.to() % 60, start.toLocalTime(), clock.zone(), day,
                        change.getDateTimeBefore().toLocalTime());
                if (w.to() > w.from() && (clock.skipped(end) || !end.isAfter(shifted))) {
                    out.add(window + ": it does not run that day (it ends before its shifted start)");
                } else if (late > 0) {
                    // A start at the gap's first minute takes effect at the change itself: not late (review 59).
                    out.add(window + ": that day it takes effect at " + shifted.toLocalTime() + ", " + late + " min after the change; start it "
                            + "before " + change.getDateTimeBefore().toLocalTime() + " to have it in force from the change");
                }
            }
        }
        return out;
    }
}
