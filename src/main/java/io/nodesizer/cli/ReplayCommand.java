package io.nodesizer.cli;

import io.nodesizer.engine.strategy.KubeScheduler;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.kube.DaemonSetPlacement;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.ReplayResult;
import io.nodesizer.replay.ReplaySweep;
import io.nodesizer.report.ReplayReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nodesizer replay}: pods arrive and leave over time; an autoscaler model grows and shrinks the cluster. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay pods over time (a trace, or profiles driven by demand) against node shapes with an autoscaler model "
                + "(none, ca, karpenter, scheduled); report node-hours, cost, pending time and churn, ranked by cost.")
final class ReplayCommand implements Callable<Integer>, PreChecked {

    @Spec
    CommandSpec spec;

    @Mixin
    ReplayInputOptions input;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--autoscaler", paramLabel = "MODEL", defaultValue = "ca",
            description = "none (fixed count), ca (Cluster Autoscaler), karpenter, or scheduled (time windows + ca). Default: ${DEFAULT-VALUE}.")
    String autoscaler;

    @Mixin
    ReplayModelOptions model;

    @Option(names = "--pools", paramLabel = "MODE", description = "sweep: one run per shape, ranked; mixed: one cluster that may use every shape "
            + "(Karpenter's NodePool; CA node groups chosen by --expander). Default: mixed for karpenter, sweep otherwise.")
    String pools;

    @Option(names = "--pending-slo", paramLabel = "DURATION", description = "Rank runs whose 95th-percentile pending time per pod is within it first, and mark them.")
    String pendingSlo;

    @Option(names = "--top", paramLabel = "N", defaultValue = "25", description = "Rows of the ranking shown (0 = all); -o csv writes the timelines of this many runs. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--zones", paramLabel = "N|a,b,c",
            description = "Zones every pool's nodes are spread over, round-robin as managed node groups do: a count or the zone names. "
                    + "Hard topology spreads over zones (DoNotSchedule) then bind as kube-scheduler's filter has them.")
    String zones;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors). Results do not depend on it.")
    Integer threads;

    @Mixin
    CommonOptions common;

    /**
     * The values this command checks before it reads its inputs, by the same code its run calls: the catalog filters, the
     * input options ({@link ReplayInputOptions#check}: --growth with --trace…), the autoscaler and its settings
     * ({@link ReplayModelOptions#check}: a model that is none of its names, a threshold outside 0..1, a duration that is not
     * whole seconds…), --pools, --zones, --pending-slo and --threads (QA 50b F3).
     */
    @Override
    public void precheck() {
        shapes.checkFilters(false);
        input.check(model.clock().zone());
        model.check(autoscaler);
        clusters(mode(), autoscaler, List.of(), null, "--pools", null);
        HaOptions.zoneNames(zones);
        slo();
        CommonOptions.workers(threads);
        CommonOptions.top(top);
    }

    /** The --pools mode: as given, else mixed for karpenter and sweep otherwise. */
    private String mode() {
        return pools != null ? pools : autoscaler.equals("karpenter") ? "mixed" : "sweep";
    }

    /** The --pending-slo in seconds, or null. */
    private Long slo() {
        return pendingSlo == null ? null : Durations.wholeSeconds(pendingSlo, SourceLocation.ofFile("--pending-slo"), "pending SLO");
    }

    @Override
    public Integer call() {
        var format = common.format();
        precheck(); // every check of the options that needs no input: the same list a sweep checks before its first run
        ReplayModelOptions.warnOptionsIgnored(autoscaler, spec.commandLine().getParseResult(), spec.commandLine().getErr());
        List<String> zoneNames = HaOptions.zoneNames(zones);
        ReplayInputOptions.Loaded loaded = input.load(common.seed, model.clock().zone());
        loaded.warn(spec.commandLine().getErr());
        Phases.mark("read inputs");
        Workload w = loaded.workload();
        String sloNote = model.sloNote(w); // before any replay: a minimum that leaves every pod out exits 2
        List<String> describe = new ArrayList<>();
        List<NodeShape> candidates = shapes.candidates(w, describe);
        WorkloadOptions.warnUnknownGpuModels(w, candidates, spec.commandLine().getErr());
        String mode = mode();
        List<List<Pool>> clusters = clusters(mode, autoscaler, candidates, w, "--pools", HaOptions.labelledZones(zones));
        Phases.mark("candidate clusters");
        Long slo = slo();
        // Settings differ between clusters only by the provisioning delay of their provider: one per provider.
        Map<String, Replay.Settings> byProvider = new LinkedHashMap<>();
        for (List<Pool> c : clusters) {
            byProvider.computeIfAbsent(provider(c), p -> {
                Replay.Settings st = model.settings(autoscaler, p, common.seed);
                // Named zones pin pods whose selectors name one; a count only counts them (selectors taken as met, as in pack).
                return zoneNames == null ? st : HaOptions.labelledZones(zones) != null ? st.withZones(zoneNames) : st.withZones(zoneNames.size());
            });
        }
        var factory = model.factory(autoscaler, loaded.stream(), common.seed, zoneNames == null ? 1 : zoneNames.size(),
                HaOptions.labelledZones(zones));
        List<ReplayResult> ranked = ReplaySweep.run(loaded.stream(), clusters, factory, c -> byProvider.get(provider(c)),
                CommonOptions.workers(threads), slo,
                ProgressBar.create(spec.commandLine().getErr(), "replaying " + clusters.size() + " clusters", common.quiet));
        Phases.mark("replays");
        // One run of a sweep reports it instead (review 75b #1): there a shape that fits no pod is one value explored, as
        // pack reads n/a for it, and exiting 2 failed the whole sweep.
        String noPodFits = null;
        if (ranked.stream().allMatch(ReplayResult::placedNone)) {
            if (!io.nodesizer.report.SweepReport.inRun()) {
                throw noPodRuns(shapes.sourceOptions(), ranked, loaded.stream());
            }
            noPodFits = noPodFits(ranked, loaded.stream());
        }
        Replay.Settings first = byProvider.values().iterator().next();
        String delays = String.join(" / ", byProvider.values().stream().map(st -> st.delay().toString()).distinct().toList());
        // A fixed count requests and drains no node: no delay of either plays a part.
        String settingsText = autoscaler + model.caDescription(autoscaler) + model.karpenterDescription(autoscaler) + (autoscaler.equals("none") ? ""
                : ", provisioning delay " + delays + ", drain " + Durations.format(first.drainDelay())) + ", scheduler " + model.schedulerDescription() + "; shapes: " + String.join("; ", describe);
        List<String> notes = new ArrayList<>();
        if (noPodFits != null) {
            notes.add(noPodFits + ": every run holds no pod, its cost and pending figures saying nothing");
        }
        long stuck = ranked.stream().filter(r -> r.pendingAtEnd() > 0).count();
        if (autoscaler.equals("none") && model.nodes == null && stuck > 0 && first.scoring() != KubeScheduler.Scoring.MOST_ALLOCATED) {
            // The default count is first fit's at the peak, which packs nodes full; the scheduler spreads, and what it
            // spreads leaves no hole a large pod fits (QA 39c: the shop on its 17 nodes kept 9 pods pending all day).
            notes.add("the fixed count is pack's first-fit count at the demand's peak, but the " + model.schedulerDescription()
                    + " spreads pods over every ready node: " + (ranked.size() == 1 ? "pods were" : "in " + stuck + " of " + ranked.size()
                    + " clusters pods were") + " still pending at the end for want of room on one node; give --nodes N for the "
                    + "cluster you run, or --scheduler-profile bin-packing to replay a packing scheduler");
        }
        if (zoneNames == null && io.nodesizer.kube.PodConflicts.zoneSkew(w.groups()) != null) {
            boolean capped = io.nodesizer.kube.PodConflicts.oneDomainCap(w.groups(), true, false) != null;
            notes.add("a topology spread over zones (DoNotSchedule) has one domain without --zones: "
                    + (capped ? "one with minDomains above 1 lets the zone hold at most maxSkew of its pods (the fewest counts as 0), "
                    + "the rest wait; others are replayed as if absent" : "replayed as if absent")
                    + "; give --zones N to spread the nodes over N zones and the pods by their maxSkew");
        }
        List<String> mixedKeys = new ArrayList<>();
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            var p = g.placement();
            if (p.affinity().stream().map(io.nodesizer.model.Placement.PodAffinityTerm::topologyKey).distinct().count() > 1) {
                mixedKeys.add(g.name());
            }
            if (zoneNames == null && p.antiAffinity().stream().anyMatch(t -> io.nodesizer.kube.PodConflicts.isZone(t.topologyKey()))) {
                notes.add("required pod anti-affinity on the zone (" + g.name() + ") without --zones: the cluster is one zone, so its "
                        + "pods wait for every pod they repel to leave; give --zones N to spread the nodes over N zones");
            }
        }
        if (!mixedKeys.isEmpty()) {
            notes.add("required pod affinity whose terms mix topology keys (" + String.join(", ", mixedKeys.subList(0, Math.min(3,
                    mixedKeys.size()))) + (mixedKeys.size() > 3 ? ", …" : "") + "): only pods that match all of a pod's terms count, as "
                    + "kube-scheduler counts them; with a term on the hostname such a pod must run on the node, else each key's term "
                    + "needs one in the node's domain of that key; a pool without one of the keys takes none"
                    + (zoneNames == null ? "; without --zones the cluster is one zone" : ""));
        }
        int groups = clusters.stream().mapToInt(List::size).max().orElse(1);
        if ((autoscaler.equals("scheduled") || autoscaler.equals("ca")) && groups > 1 && (model.minNodes > 0 || autoscaler.equals("scheduled"))) {
            // QA 46: a window's min=20 over two shapes ran 40 nodes, as the README says, but nothing in the report did.
            notes.add("the node group limits (--min-nodes, --max-nodes" + (autoscaler.equals("scheduled") ? ", and each window's min and max"
                    : "") + ") apply to each of a cluster's " + groups + " node groups, one per shape, as Cluster Autoscaler's --nodes "
                    + "and an Auto Scaling group's MinSize and MaxSize do");
        }
        // What the inputs held that the replay leaves out (a PriorityClass named but not given, whose pods
        // then run at priority 0 and preempt nothing), as pack lists them; not the PodDisruptionBudgets, which the drain rules read.
        io.nodesizer.report.WorkloadSummary.ignored(w, "replayed").forEach(i -> notes.add(io.nodesizer.report.WorkloadSummary.asNote(i)));
        zoneOnlyDaemonSetsNote(candidates, w, HaOptions.labelledZones(zones), "replay charges").ifPresent(notes::add);
        notes.addAll(model.drainNotes(autoscaler, w, candidates));
        if (sloNote != null) {
            notes.add(sloNote);
        }
        notes.addAll(model.caNotes(autoscaler, clusters.stream().max(java.util.Comparator.comparingInt(List::size)).orElse(List.of())
                .stream().map(Pool::shape).toList()));
        String scaleIn = autoscaler.equals("scheduled") ? ReplayModelOptions.scaleInNote(autoscaler, candidates, Pool.ASSUMED_CLOUD) : null;
        if (scaleIn != null) {
            notes.add(scaleIn);
        }
        ReplayReport.Content content = new ReplayReport.Content(loaded.description(), settingsText, mode, slo, loaded.stream().size(), ranked,
                zoneNames, notes, model.clock(), noPodFits);
        common.emit(ReplayReport.render(format, content, top, !common.reproducible), spec.commandLine().getOut());
        Phases.mark("notes, render and write report");
        return 0;
    }

    /**
     * A run where no pod fits a shape it may use: every alternative would cost nothing and "meet" the SLO on no pod (QA 75b F1:
     * a taint none of the shop's pods tolerate read "SLO met" at $0, and windows exported that plan). As a run that keeps no
     * pod at all in time (QA 65b F6), it is a mistake in the inputs, most likely a taint or label, and exits 2 with the reasons
     * of every shape ({@link #noPodFits}) under the options that supplied the shapes.
     */
    static InputException noPodRuns(String option, List<ReplayResult> runs, io.nodesizer.replay.PodStream stream) {
        return new InputException(SourceLocation.ofFile(option), noPodFits(runs, stream) + ": every run would hold no pod, its cost "
                + "and its pending SLO saying nothing. Fix what the reasons name (a taint the pods do not tolerate, a label their "
                + "selectors require, a shape too small for them), or give a shape they fit.");
    }

    /** Shapes named in the message of {@link #noPodFits} before the rest are counted: a catalog has hundreds. */
    private static final int SHAPES_NAMED = 6;

    /**
     * "No pod of the workload can run on m5.2xlarge (289 × cannot run on …)", or, of several shapes, each shape's most common
     * reason: "… on any of the 2 candidate shapes (m5.2xlarge: 289 × the node has the taint a=b:NoSchedule, … / m5.large: …)",
     * slash-separated as {@link ReplayReport#commonReasons} (a reason has semicolons of its own); shapes whose reason reads the
     * same but for their name share it ("m5.large, m5.xlarge: 289 × …"). It named the first run's reasons alone (review 75b
     * #3): the user fixed that shape's taint and failed again on the next.
     */
    static String noPodFits(List<ReplayResult> runs, io.nodesizer.replay.PodStream stream) {
        Map<String, Map<String, Long>> byShape = new LinkedHashMap<>();
        for (ReplayResult r : runs) {
            for (Pool p : r.pools()) {
                // A one-shape run's reasons are its shape's; a mixed run's are worded for its largest shape only.
                byShape.computeIfAbsent(p.shape().name(), name -> {
                    Map<String, Long> own = r.pools().size() == 1 ? r.unschedulableReasons() : Replay.unschedulableOn(stream, p);
                    return own.isEmpty() ? r.unschedulableReasons() : own;
                });
            }
        }
        if (byShape.size() == 1) {
            var only = byShape.entrySet().iterator().next();
            return "No pod of the workload can run on " + only.getKey() + " (" + ReplayReport.commonReasons(only.getValue()) + ")";
        }
        // Each shape's most common reason without its "cannot run on NAME: " (the shape is named before it), and the shapes
        // whose reasons then read the same, in the runs' order.
        Map<String, List<String>> shapesByReason = new LinkedHashMap<>();
        byShape.forEach((name, reasons) -> {
            var top = reasons.entrySet().stream().max(Map.Entry.comparingByValue());
            String reason = top.map(e -> e.getValue() + " × " + e.getKey().replaceFirst("^cannot run on " + java.util.regex.Pattern.quote(name)
                    + ": ", "")).orElse("no reason recorded") + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : "");
            shapesByReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(name);
        });
        List<String> parts = new ArrayList<>();
        int named = 0;
        int covered = 0;
        for (Map.Entry<String, List<String>> e : shapesByReason.entrySet()) {
            if (named >= SHAPES_NAMED) {
                break;
            }
            List<String> names = e.getValue();
            int shown = Math.min(names.size(), SHAPES_NAMED - named);
            named += shown;
            covered += names.size();
            parts.add(String.join(", ", names.subList(0, shown)) + (shown < names.size() ? " and " + (names.size() - shown) + " more" : "")
                    + ": " + e.getKey());
        }
        int rest = byShape.size() - covered;
        return "No pod of the workload can run on any of the " + byShape.size() + " candidate shapes (" + String.join(" / ", parts)
                + (rest > 0 ? " / and " + rest + " more shapes" : "") + ")";
    }

    /** The provider whose provisioning delay a cluster gets: that of its first shape. */
    private static String provider(List<Pool> cluster) {
        return cluster.get(0).shape().provider();
    }

    /**
     * The note on the DaemonSets that run on the nodes of some of the named zones only ({@code labelledZones}; null: none
     * named): a pool has one DaemonSet load ({@link Pool#daemonSetLoad}), so the replay ({@code who}: "replay charges")
     * charges each on every node, where pack charges it on those zones' nodes alone.
     */
    static java.util.Optional<String> zoneOnlyDaemonSetsNote(List<NodeShape> shapes, Workload w, List<String> labelledZones, String who) {
        if (labelledZones == null || w.daemonSets().isEmpty()) {
            return java.util.Optional.empty();
        }
        List<DaemonSetPlacement.ZoneOnly> zoneOnly = new ArrayList<>();
        for (NodeShape s : shapes) {
            zoneOnly.addAll(DaemonSetPlacement.on(s, w.daemonSets(), labelledZones).zoneOnly());
        }
        return DaemonSetPlacement.chargedOnEveryNode(zoneOnly, who, "a node group has one DaemonSet load in the replay, whatever its "
                + "nodes' zones (pack charges each on the nodes of its zones alone)");
    }

    /** One cluster per shape (sweep) or one cluster with every shape (mixed); pools carry the DaemonSet load of their shape. */
    static List<List<Pool>> clusters(String mode, String autoscaler, List<NodeShape> shapes, Workload w, String option,
                                         List<String> zoneNames) {
        List<List<Pool>> out = new ArrayList<>();
        switch (mode) {
            case "sweep" -> {
                for (NodeShape s : shapes) {
                    out.add(List.of(Pool.of(0, s, DaemonSetPlacement.on(s, w.daemonSets(), zoneNames))));
                }
            }
            case "mixed" -> {
                if (autoscaler.equals("none")) {
                    throw new InputException(SourceLocation.ofFile(option), "The none autoscaler is a fixed count of one shape; use --pools sweep.");
                }
                List<Pool> all = new ArrayList<>();
                for (NodeShape s : shapes) {
                    all.add(Pool.of(all.size(), s, DaemonSetPlacement.on(s, w.daemonSets(), zoneNames)));
                }
                out.add(all);
            }
            default -> throw new InputException(SourceLocation.ofFile(option), "The pools mode (" + mode + ") must be sweep or mixed.");
        }
        return out;
    }
}
