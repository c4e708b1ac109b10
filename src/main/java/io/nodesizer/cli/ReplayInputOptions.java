package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.manifest.HorizontalPodAutoscalers;
import io.nodesizer.model.Autoscaling;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.autoscale.WeekClock;
import io.nodesizer.replay.demand.DemandCsvReader;
import io.nodesizer.replay.demand.DemandSeries;
import io.nodesizer.replay.demand.Surge;
import io.nodesizer.replay.demand.SyntheticDemand;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.sweep.Verdicts;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What a replay replays: a trace with pod lifetimes, or workload profiles driven by a demand series or a synthetic curve. */
final class ReplayInputOptions {

    @Option(names = "--trace", paramLabel = "FILE", description = "A pod trace with arrival and departure times (Alibaba openb pod list); "
            + "pods without a deletion time run to the end.")
    Path trace;

    @Option(names = "--deletions", paramLabel = "absolute|after-start", defaultValue = "absolute",
            description = "--trace: absolute, a pod leaves at its deletion time, run or not (a pod still pending then never ran); "
                    + "after-start, it runs as long as it ran in the trace (deletion_time less scheduled_time, or less creation_time "
                    + "where it never started) from when the replay starts it, so a job that waits for a node still does its work. "
                    + "Default: ${DEFAULT-VALUE}.")
    String deletions;

    @Option(names = "--workload", paramLabel = "PATH", split = ",", description = "Workload profiles (CSV what-if profile or Kubernetes manifests), "
            + "driven by --demand or --synthetic. Default: the bundled workloads/shop.csv.")
    List<Path> workload;

    @Option(names = "--hpa", paramLabel = "MODE", description = "How HorizontalPodAutoscalers (and KEDA ScaledObjects) in --workload "
            + "manifests set their targets' replicas (the profile's replicas): min keeps spec.replicas within minReplicas..maxReplicas, as the HPA "
            + "controller does; max takes maxReplicas (with --synthetic, the weekday peak at every HPA's ceiling); ignore takes "
            + "spec.replicas as written. Default: min.")
    String hpa;

    @Option(names = "--demand", paramLabel = "FILE", description = "Demand time series CSV: time,workload,replicas (ISO-8601 time, Unix seconds or milliseconds, or +90m from the start).")
    Path demand;

    @Option(names = "--synthetic", paramLabel = "CURVE", description = "Generate demand: diurnal (daily curve, weaker weekends, seeded noise; "
            + "the profile's replicas are the weekday peak).")
    String synthetic;

    @Option(names = "--surge", paramLabel = "SPEC", description = "A demand event on top of --demand or --synthetic: FACTORx@TIME/DURATION, "
            + "e.g. 3x@2026-11-27T08:00/6h or 2x@+1d8h/90m. Repeatable.")
    List<String> surges;

    @Option(names = "--start", paramLabel = "TIME", description = "The run's start (ISO-8601; without an offset a local time of --time-zone, UTC by default). Default: "
            + "the demand file's first absolute time; for --synthetic the Monday 00:00 of the first surge's week; otherwise Monday 2026-01-05 00:00.")
    String start;

    @Option(names = "--duration", paramLabel = "DURATION", description = "The run's length. Default: the trace's last event; one sample interval after "
            + "the demand file's last row; 7d for --synthetic; 1d for a profile alone.")
    String duration;

    // The --synthetic curve's options have no picocli default, so that one given without --synthetic is seen (and refused).
    @Option(names = "--step", paramLabel = "DURATION", description = "Time step of --synthetic demand. Default: 15m.")
    String step;

    @Option(names = "--trough", paramLabel = "F", description = "--synthetic: night level as a fraction of the peak. Default: 0.3.")
    Double trough;

    @Option(names = "--peak-hour", paramLabel = "H", description = "--synthetic: hour of the daily peak, local time of --time-zone. Default: 14.")
    Double peakHour;

    @Option(names = "--weekend", paramLabel = "F", description = "--synthetic: Saturday/Sunday factor. Default: 0.6.")
    Double weekend;

    @Option(names = "--noise", paramLabel = "F", description = "--synthetic: relative noise per step (seeded). Default: 0.05.")
    Double noise;

    @Option(names = "--growth", paramLabel = "F", description = "Scale demand: the profile's replicas (⌈replicas × F⌉, which --synthetic "
            + "then takes as its peak) and every --demand step (rounded up, as --surge does). Not for --trace. Default: 1.")
    Double growth;

    /** The inputs read and turned into a pod stream. */
    record Loaded(Workload workload, PodStream stream, String description, List<String> warnings) {
        Loaded(Workload workload, PodStream stream, String description) {
            this(workload, stream, description, List.of());
        }

        /** Prints the warnings on standard error. */
        void warn(java.io.PrintWriter err) {
            warnings.forEach(m -> err.println("nodesizer: warning: " + m));
        }
    }

    /**
     * For a trace replayed without --start: what its times of day and weekdays rest on (an openb trace counts seconds
     * from its time 0, with no date), for the windows' notes; null otherwise.
     */
    String assumedStart(java.time.ZoneId zone) {
        if (trace == null || start != null) {
            return null;
        }
        // From the trace's time 0, not its first pod: a filtered trace (openb's CPU-only pods) may start days in (QA 65b F6).
        return "the trace's times are seconds from its time 0, with no date: time 0 is taken as "
                + TimePoints.defaultOrigin(zone) + " (a Monday; --start sets it), so the windows' weekdays "
                + "and hours follow that assumption, and windows per hour of week fit demand that recurs weekly: a trace's one-off "
                + "bursts get a window every week";
    }

    /** Whether the demand {@link #load} returns depends on its seed (a synthetic curve's noise). */
    boolean seeded() {
        return synthetic != null;
    }

    /**
     * The options' values as parsed and checked without reading any input (what {@link #load} checks first): which options
     * exclude each other, the --hpa mode, --duration, --start, the surges, and the --synthetic curve. {@code sweep} calls
     * it on every run before the first one starts ({@link PreChecked}; QA 50b F3: growth with a trace ran only at its turn).
     */
    record Given(HorizontalPodAutoscalers.Mode hpaMode, Long length, Instant origin, List<Surge.Spec> surges,
                 Curve curve) {
    }

    /** The --synthetic curve's parameters, defaults filled in and checked. */
    record Curve(double trough, double peakHour, double weekend, double noise, long stepSeconds) {
    }

    /** The options' values, checked as {@link #load} checks them before it reads anything; {@code zone}: --time-zone's. */
    Given check(java.time.ZoneId zone) {
        if (trace != null && workload != null) {
            throw usage("--trace", "--trace and --workload exclude each other: a trace has its own pods and times.");
        }
        if (trace != null && hpa != null) {
            throw usage("--hpa", "--hpa sets the replicas of --workload manifests' HPA targets; a trace has its own pods.");
        }
        if (!deletions.equals("absolute") && !deletions.equals("after-start")) {
            throw usage("--deletions", "The deletions (" + deletions + ") must be absolute or after-start.");
        }
        if (trace == null && deletions.equals("after-start")) {
            throw usage("--deletions", "--deletions after-start replays a --trace's pods for their run times; a --workload's pods "
                    + "come and go with the demand.");
        }
        HorizontalPodAutoscalers.Mode hpaMode = HorizontalPodAutoscalers.Mode.parse(hpa);
        if (demand != null && synthetic != null) {
            throw usage("--demand", "--demand and --synthetic exclude each other; give one source of demand.");
        }
        if (synthetic == null) {
            String[][] curve = {{"--step", step}, {"--trough", str(trough)}, {"--peak-hour", str(peakHour)}, {"--weekend", str(weekend)},
                {"--noise", str(noise)}};
            for (String[] option : curve) {
                if (option[1] != null) {
                    throw usage(option[0], option[0] + " shapes --synthetic demand, and this run has none (its demand is "
                            + (trace != null ? "the trace's" : demand != null ? "the --demand file" : "the profile's replicas, constant")
                            + "); add --synthetic diurnal or leave " + option[0] + " out.");
                }
            }
        }
        Long length = duration == null ? null : Durations.wholeSeconds(duration, SourceLocation.ofFile("--duration"), "duration");
        if (length != null && length == 0) {
            throw usage("--duration", "The duration must be above 0.");
        }
        Instant origin = start == null ? null : TimePoints.absolute(start, zone, SourceLocation.ofFile("--start"), "start");
        List<Surge.Spec> surgeSpecs = new ArrayList<>();
        if (surges != null) {
            for (String s : surges) {
                surgeSpecs.add(Surge.parse(s, zone));
            }
        }
        if (trace != null) {
            if (growth != null) {
                throw usage("--growth", "--growth scales --workload profiles and their demand; a trace has its own pods and times.");
            }
            if (demand != null || synthetic != null || !surgeSpecs.isEmpty()) {
                throw usage("--trace", "A trace has its own arrival times; --demand, --synthetic and --surge apply to --workload profiles.");
            }
        }
        return new Given(hpaMode, length, origin, surgeSpecs, synthetic == null ? null : curve());
    }

    /**
     * " (65 rows before the start, from 2026-11-26T00:00:00Z, only set the levels in force at it)" for a --demand file whose
     * head a --start inside it cuts, else "": said as the rows after the end are (QA 73b F4: such a start exited 2).
     */
    private static String earlyDemandRows(DemandCsvReader.DemandFile file) {
        int rows = file.rowsBeforeStart();
        return rows == 0 ? "" : " (" + String.format(Locale.ROOT, "%,d", rows) + (rows == 1 ? " row" : " rows") + " before the start, from "
                + file.firstTime() + ", only set the levels in force at it)";
    }

    /**
     * " (384 rows at or after the run's end, to +71h, not replayed)" for a --demand file's rows the run does not reach (a
     * --duration shorter than the file), else "": as a trace's pods arriving after the end are counted (QA 68c F15: a one-day
     * run of the three-day shop demand dropped its Friday sale without a word).
     */
    private static String lateDemandRows(DemandSeries series) {
        long rows = 0;
        long last = -1;
        for (DemandSeries.Steps s : series.steps().values()) {
            for (long t : s.times()) {
                if (t >= series.horizon()) {
                    rows++;
                    last = Math.max(last, t);
                }
            }
        }
        return rows == 0 ? "" : " (" + String.format(Locale.ROOT, "%,d", rows) + (rows == 1 ? " row" : " rows") + " at or after the run's end, to +"
                + Durations.format(last) + ", not replayed)";
    }

    /**
     * One note on the trace's pods whose start (openb's scheduled_time) lies outside their life, after their deletion or
     * before their creation: --deletions after-start counts their run from creation, as the README says of a pod the traced
     * cluster never started; said, since a column of such values changed every run time in silence (QA 68c F3).
     */
    private static List<io.nodesizer.model.IgnoredObject> startsOutsideLife(Workload w) {
        List<PodGroup> outside = w.groups().stream().filter(g -> g.lifetime() != null && g.lifetime().startOutsideLife()).toList();
        if (outside.isEmpty()) {
            return List.of();
        }
        PodGroup first = outside.get(0);
        PodGroup.Lifetime l = first.lifetime();
        String life = "creation_time " + l.arrivalSeconds() + " to deletion_time " + l.departureSeconds();
        boolean several = outside.size() > 1;
        return List.of(new io.nodesizer.model.IgnoredObject(several ? "pods" : "pod", io.nodesizer.model.NameLists.firstOf(
                outside.stream().map(PodGroup::name).toList(), 3), first.origin(), "replayed, but " + (several
                ? String.format(Locale.ROOT, "%,d pods' scheduled_time lies outside their life (the first, %s: %d, %s)", outside.size(),
                first.name(), l.startSeconds(), life)
                : "its scheduled_time " + l.startSeconds() + " lies outside its life (" + life + ")") + ": --deletions after-start counts "
                + (several ? "their runs" : "its run") + " from creation_time, as for a pod the traced cluster never started"));
    }

    /**
     * One note per kind on the Jobs and CronJobs of a --workload that no --demand row drives: over time their pods are present
     * the whole run, as a Job that never completes and a CronJob whose one run lasts all day, since the replay has neither
     * the Job controller's completions nor the CronJob controller's schedule (QA 73b F2: said nowhere, while the pods were
     * billed all day). No load scales them either ({@link Workload#scalesWithDemand}).
     */
    private static List<io.nodesizer.model.IgnoredObject> jobsOverTime(Workload w, Set<String> driven) {
        List<io.nodesizer.model.IgnoredObject> out = new ArrayList<>();
        for (String kind : List.of("Job", "CronJob")) {
            List<PodGroup> jobs = w.groups().stream().filter(g -> kind.equals(g.kind()) && !driven.contains(g.name())).toList();
            if (jobs.isEmpty()) {
                continue;
            }
            boolean several = jobs.size() > 1;
            long pods = jobs.stream().mapToLong(PodGroup::replicas).sum();
            String what = kind.equals("Job") ? (several ? "their completions are" : "its completion is")
                    : several ? "their schedules are" : "its schedule is";
            out.add(new io.nodesizer.model.IgnoredObject(several ? kind + "s" : kind, io.nodesizer.model.NameLists.firstOf(
                    jobs.stream().map(PodGroup::name).toList(), 3), jobs.get(0).origin(), "replayed, but " + what + " not: "
                    + (several ? "their " : "its ") + String.format(Locale.ROOT, "%,d", pods) + (pods == 1 ? " pod is" : " pods are")
                    + " present the whole run" + (kind.equals("CronJob") ? ", as one run that never ends" : "") + ", and no load"
                    + " (--synthetic, --growth, --surge) scales " + (pods == 1 ? "it" : "them") + "; a --demand file's rows for "
                    + (several ? "them" : "it") + " replay " + (several ? "their" : "its") + " runs"));
        }
        return out;
    }

    /** The --synthetic curve's parameters, each checked. */
    private Curve curve() {
        if (!synthetic.equals("diurnal")) {
            throw usage("--synthetic", "The synthetic curve (" + synthetic + ") must be diurnal.");
        }
        double trough = this.trough == null ? 0.3 : this.trough;
        double peakHour = this.peakHour == null ? 14 : this.peakHour;
        double weekend = this.weekend == null ? 0.6 : this.weekend;
        double noise = this.noise == null ? 0.05 : this.noise;
        checkFraction(trough, "--trough");
        checkFraction(weekend, "--weekend");
        if (!(peakHour >= 0 && peakHour <= 24)) {
            throw usage("--peak-hour", "The peak hour (" + peakHour + ") must be from 0 to 24.");
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw usage("--noise", "The noise (" + noise + ") must be from 0 to 1.");
        }
        long stepSeconds = Durations.wholeSeconds(step == null ? "15m" : step, SourceLocation.ofFile("--step"), "step");
        if (stepSeconds == 0) {
            throw usage("--step", "The step must be above 0.");
        }
        return new Curve(trough, peakHour, weekend, noise, stepSeconds);
    }

    /** The inputs, their times without an offset and the synthetic day read in {@code zone} ({@code --time-zone}). */
    Loaded load(long seed, java.time.ZoneId zone) {
        Given given = check(zone);
        HorizontalPodAutoscalers.Mode hpaMode = given.hpaMode();
        Long length = given.length();
        Instant origin = given.origin();
        List<Surge.Spec> surgeSpecs = given.surges();
        if (trace != null) {
            Workload w = Inputs.read(List.of(trace));
            if (!w.groups().isEmpty() && w.groups().stream().noneMatch(g -> PodGroup.OPENB.equals(g.kind()))) {
                // A profile or manifests have no times: with --duration they ran as pods present the whole run, a run no trace
                // gave (QA 73b F7: refused without --duration, replayed with it).
                throw usage("--trace", "The trace " + trace + " has no trace rows, with their arrival and deletion times (is it a profile "
                        + "or manifests?); give it as --workload, with --demand or --synthetic for its demand over time.");
            }
            Instant o = origin == null ? TimePoints.defaultOrigin(zone) : origin;
            PodStream stream = PodStream.fromTrace(w, o, length, deletions.equals("after-start"));
            if (stream.leavesAfterStart() && w.groups().stream().noneMatch(g -> g.lifetime() != null && g.lifetime().departureSeconds() != null)) {
                // QA 63b F8: taken without a word on a trace whose pods have no deletion times (openb's multigpu lists).
                throw usage("--deletions", "--deletions after-start runs each pod as long as it ran in the trace, and " + trace
                        + " has no deletion times: its pods stay to the end either way.");
            }
            if (stream.horizon() == 0) {
                throw usage("--trace", "The trace " + trace + " has no arrival or deletion times after 0 (an openb trace without "
                        + "creation_time and deletion_time, as its multigpu lists); give --duration to run its pods that long, or use it as "
                        + "--workload with --demand or --synthetic.");
            }
            long late = w.podCount() - stream.size(); // arriving at or after the run's end: no time in it
            if (stream.size() == 0 && late > 0) {
                // Every pod arrives at or after the run's end: the alternatives would be ranked at $0 and "met" on no pod
                // (QA 65b F6: a trace of openb's CPU-only pods, the first at day 32, under --duration 21d).
                long first = w.groups().stream().filter(g -> g.lifetime() != null).mapToLong(g -> g.lifetime().arrivalSeconds()).min().orElse(0);
                throw usage(length == null ? "--trace" : "--duration", "Every pod of " + trace + " arrives at or after the run's end"
                        + (length == null ? "" : " (--duration " + Durations.format(length) + ")") + ": its first arrives "
                        + Durations.format(first) + " after the trace's time 0" + (length == null ? "; the run lasts until the trace's last "
                        + "event, and pods without a deletion time give none: give a --duration past it (QA 68a F5)." : "; give a --duration past it."));
            }
            if (stream.leavesAfterStart()) {
                w = w.withIgnored(startsOutsideLife(w));
            }
            return new Loaded(w, stream, trace + " (" + Verdicts.pods(stream.size())
                    + (stream.leavesAfterStart() ? (stream.size() == 1 ? " arriving at its time and running" : " arriving at their times and running")
                    + " as long as in the trace from when they start"
                    : w.groups().stream().allMatch(g -> g.lifetime() == null)
                    // An openb multigpu list has no time columns: its pods were said to come with their own times (QA 77c F3).
                    ? (stream.size() == 1 ? " present" : ", all present") + " for the whole run (the trace gives no times)"
                    : stream.size() == 1 ? " with its own arrival and departure time" : " with their own arrival and departure times")
                    + (late > 0 ? "; " + String.format(Locale.ROOT, "%,d", late) + " arriving at or after the run's end left out)" : ")"));
        }
        // The PodDisruptionBudgets among the inputs are noted on the pods they cover, for the autoscalers' drain rules.
        Workload w = io.nodesizer.input.manifest.BudgetCoverage.apply(WorkloadOptions.growth(workload == null || workload.isEmpty()
                ? WorkloadOptions.bundled() : Inputs.read(workload, hpaMode), growth, hpaMode));
        String source = workload == null || workload.isEmpty() ? "workloads/shop.csv (bundled)" : String.join(", ",
                workload.stream().map(Path::toString).toList());
        DemandSeries series;
        String how;
        Set<String> scaledFromZero = Set.of();
        if (demand != null) {
            Set<String> names = new LinkedHashSet<>();
            for (PodGroup g : w.groups()) {
                names.add(g.name());
            }
            // A Deployment written at replicas: 0 (scaled to zero, as KEDA or a job controller scales GPU inference up) is a
            // workload the file may scale: it runs none until the file's first row for it (QA 69a F5: "not in the profile").
            Set<String> idle = new LinkedHashSet<>();
            for (io.nodesizer.model.IgnoredObject o : w.ignored()) {
                if (o.idle() != null && !names.contains(o.idle().name())) {
                    idle.add(o.idle().name());
                }
            }
            Set<String> known = new LinkedHashSet<>(names);
            known.addAll(idle);
            DemandCsvReader.DemandFile file = new DemandCsvReader(zone).readFile(demand, demand.toString(), known, origin, length);
            series = file.series();
            Set<String> mentioned = series.steps().keySet();
            scaledFromZero = idle.stream().filter(mentioned::contains).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
            if (!scaledFromZero.isEmpty()) {
                w = w.withIdleGroups(scaledFromZero::contains);
            }
            how = "demand " + demand + earlyDemandRows(file) + lateDemandRows(series);
        } else if (synthetic != null) {
            Curve c = given.curve();
            double trough = c.trough();
            double peakHour = c.peakHour();
            double weekend = c.weekend();
            double noise = c.noise();
            long stepSeconds = c.stepSeconds();
            Instant o = origin;
            if (o == null) {
                o = TimePoints.defaultOrigin(zone);
                // The week of the earliest surge, whatever the order they are given in (QA 59a F10: the first given's).
                Instant earliest = null;
                for (Surge.Spec s : surgeSpecs) {
                    if (s.absoluteStart() != null && (earliest == null || s.absoluteStart().isBefore(earliest))) {
                        earliest = s.absoluteStart();
                    }
                }
                if (earliest != null) {
                    o = TimePoints.mondayOf(earliest, zone);
                }
            }
            series = new SyntheticDemand(trough, peakHour, weekend, noise, stepSeconds, zone)
                    .generate(w, o, length == null ? 7 * 86400 : length, seed);
            how = "synthetic diurnal demand (trough " + trough + ", peak " + clock(peakHour) + " "
                    + WeekClock.of(zone) + ", weekend ×" + weekend + ", noise " + noise + ")";
        } else {
            series = new DemandSeries(origin == null ? TimePoints.defaultOrigin(zone) : origin, length == null ? 86400 : length, Map.of());
            how = "constant demand (the profile's replicas from the start)";
        }
        // Workloads the --demand file first mentions after the start, by that time (before a growth's edge at the start hides it).
        Map<String, Long> lateRows = demand == null ? Map.of() : lateRows(series);
        Map<String, Integer> profileReplicas = lateRows.isEmpty() ? Map.of() : profileReplicas(w);
        if (!lateRows.isEmpty()) {
            for (String name : scaledFromZero) {
                profileReplicas.replace(name, 0); // written at replicas: 0: none until the file's first row for it
            }
        }
        List<String> warnings = lateStarts(lateRows, profileReplicas, series);
        if (demand != null && hpaMode == HorizontalPodAutoscalers.Mode.MAX) {
            w = maxWithoutEffect(w, series, lateRows, warnings);
        }
        if (growth != null && growth != 1) {
            // A --demand file's steps are absolute replicas: scale them too. Synthetic demand is already
            // drawn from the grown profile (its replicas are the peak), and constant demand is the profile.
            if (demand != null) {
                series = series.withSurges(List.of(new Surge(growth, 0, series.horizon())));
            }
            how += ", growth ×" + io.nodesizer.engine.Amounts.trim(growth);
        }
        // After the growth (the profile's replicas are grown already, the file's steps just were) and before the surges.
        if (!lateRows.isEmpty()) {
            series = series.fromStart(lateRows, profileReplicas);
        }
        if (!surgeSpecs.isEmpty()) {
            List<Surge> resolved = new ArrayList<>();
            for (Surge.Spec s : surgeSpecs) {
                resolved.add(s.resolve(series.origin(), series.horizon()));
            }
            // The workloads without steps run their replicas throughout and surge with the others; a bare Pod or a Job does not.
            series = series.withSurges(resolved, profileReplicas(w, Workload::scalesWithDemand));
            how += ", surges " + String.join(", ", surges);
        }
        // Demand, a surge, or a synthetic curve drawn from an HPA's ceiling ask for replicas an HPA never runs: held within
        // its range (QA 60a F2: a synthetic night fell below minReplicas, a demand file ran 30 where maxReplicas was 10).
        if (!series.steps().isEmpty()) {
            Map<String, Autoscaling> bounding = HorizontalPodAutoscalers.bounding(w, hpaMode);
            Map<String, int[]> bounds = new HashMap<>();
            Set<String> fromZero = scaledFromZero;
            bounding.forEach((name, a) -> bounds.put(name, new int[] {a.minReplicas(), a.hasMax() ? a.maxReplicas() : 0,
                fromZero.contains(name) ? 1 : 0}));
            Map<String, Integer> held = new LinkedHashMap<>();
            series = series.within(bounds, held);
            held.forEach((name, steps) -> {
                Autoscaling a = bounding.get(name);
                warnings.add("the demand for " + name + " was held within its " + a.kind() + " " + a.name() + "'s " + a.minReplicas() + ".."
                        + (a.hasMax() ? Integer.toString(a.maxReplicas()) : "") + " replicas at " + steps + (steps == 1 ? " step" : " steps")
                        + ", as the controller never runs fewer or more; --hpa ignore replays it as given");
            });
        }
        w = w.withIgnored(jobsOverTime(w, series.steps().keySet()));
        PodStream stream = PodStream.fromDemand(w, series);
        return new Loaded(w, stream, source + " with " + how, warnings);
    }

    private static Map<String, Integer> profileReplicas(Workload w) {
        return profileReplicas(w, g -> true);
    }

    /** Per workload name, its profile's replicas, of the groups {@code which} takes. */
    private static Map<String, Integer> profileReplicas(Workload w, java.util.function.Predicate<PodGroup> which) {
        Map<String, Integer> out = new HashMap<>();
        for (PodGroup g : w.groups()) {
            if (which.test(g)) {
                out.putIfAbsent(g.name(), g.replicas());
            }
        }
        return out;
    }

    private static Map<String, Long> lateRows(DemandSeries series) {
        Map<String, Long> out = new LinkedHashMap<>();
        series.steps().forEach((name, st) -> {
            if (st.size() > 0 && st.times()[0] > 0) { // at or after the end too: then the profile's replicas run throughout
                out.put(name, st.times()[0]);
            }
        });
        return out;
    }

    /**
     * {@code w} without the "applied under --hpa max" notes of the autoscalers whose targets the --demand file drives from the
     * start, with a warning each that --hpa max changes nothing there: the file's rows give the replicas, held within the
     * autoscaler's range as under the default min (QA 73b F3: the note said the target ran at its maxReplicas, 6, where the
     * file's 4, 6 and 3 ran). A target whose first row comes later runs the profile's (maxReplicas) until then: --hpa max acts.
     */
    private static Workload maxWithoutEffect(Workload w, DemandSeries series, Map<String, Long> lateRows, List<String> warnings) {
        List<Autoscaling> driven = new ArrayList<>();
        HorizontalPodAutoscalers.bounding(w, HorizontalPodAutoscalers.Mode.MAX).forEach((name, a) -> {
            if (series.steps().containsKey(name) && !lateRows.containsKey(name)) {
                driven.add(a);
                warnings.add("--hpa max has no effect on " + name + ", which the --demand file drives from the start: its rows give "
                        + "the replicas, held within " + a.kind() + " " + io.nodesizer.input.manifest.ManifestReader.fullName(a.namespace(), a.name()) + "'s " + a.minReplicas() + ".."
                        + (a.hasMax() ? Integer.toString(a.maxReplicas()) : "") + " as under --hpa min, not its maxReplicas");
            }
        });
        return driven.isEmpty() ? w : w.withoutIgnored(o -> o.reason().startsWith("applied under --hpa max") && driven.stream()
                .anyMatch(a -> a.kind().equals(o.kind()) && a.origin().equals(o.origin())));
    }

    /** A warning per workload whose first --demand row comes after the start: until then it runs its profile's replicas. */
    private static List<String> lateStarts(Map<String, Long> lateRows, Map<String, Integer> replicas, DemandSeries series) {
        List<String> out = new ArrayList<>();
        // A workload written at replicas: 0 runs none until its first row, as anyone would expect: nothing to warn of.
        lateRows.entrySet().stream().filter(e -> replicas.get(e.getKey()) > 0).forEach(e -> out.add(lateStart(e.getKey(), e.getValue(),
                replicas, series)));
        return out;
    }

    private static String lateStart(String name, long t, Map<String, Integer> replicas, DemandSeries series) {
        return ("the --demand file's first row for " + name + " is at " + series.origin().plusSeconds(t)
                + " (+" + Durations.format(t) + (t >= series.horizon() ? ", after the run's end); throughout the run" : "); until then")
                + " it runs the profile's " + replicas.get(name) + " replicas (write a row with 0 replicas at the start if it did not run then).");
    }

    /** An hour of the day as a clock shows it: 14 is 14:00, 13.5 is 13:30. */
    private static String clock(double hour) {
        long minutes = Math.round(hour * 60);
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    private static String str(Double v) {
        return v == null ? null : v.toString();
    }

    private static void checkFraction(double v, String option) {
        if (!(v >= 0 && v <= 1)) {
            throw usage(option, "The value (" + v + ") must be a fraction from 0 to 1.");
        }
    }

    static InputException usage(String option, String message) {
        return new InputException(SourceLocation.ofFile(option), message);
    }
}
