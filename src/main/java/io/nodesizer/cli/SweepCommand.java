package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.report.SweepReport;
import io.nodesizer.scenario.Scenario;
import io.nodesizer.scenario.ScenarioFile;
import io.nodesizer.sweep.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nodesizer sweep --scenarios scenarios.yaml}: runs every expanded scenario (a command with
 * options, and the options to vary) on the local cores and reports one row per run. Each run is
 * the command itself, in-process, with {@code -o json --reproducible --quiet}; its headline figures
 * are read back from that JSON. Every run's command line is parsed, and every file it names is
 * checked, before the first run starts: a mistake exits 2 naming the scenario and the key.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run scenarios (a command, its options, what to vary: growth, seeds, shapes…) on all local cores: one row per run "
                + "with its headline figures, and a summary per scenario.")
final class SweepCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Option(names = "--scenarios", paramLabel = "FILE", required = true,
            description = "The sweep file: scenarios: [{name, command, args: {option: value}, vary: {option: [values] or FROM..TO step S}}].")
    Path scenarios;

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: available processors). Results do not depend on it.")
    Integer threads;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local", description = "local (threads in this JVM) or spark (an Apache "
            + "Spark job: in-process local[*] without --master, or under spark-submit on a cluster). Same rows either way. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "--engine spark: the Spark master (local[4], spark://host:7077, yarn, "
            + "k8s://…). Default: spark-submit's, else local[*].")
    String master;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Options whose files are workloads, read once before the sweep starts. */
    private static final List<String> WORKLOAD_OPTIONS = List.of("pods", "workload", "trace");
    /** Workload path lists already read by the check, each with the --namespace it was read in (null: none). */
    private final java.util.Set<List<Object>> readable = new java.util.HashSet<>();
    /** Of those, the workloads of single pods only, which a growth can leave without pods (checked per run's growth). */
    private final java.util.Map<List<Path>, io.nodesizer.model.Workload> vanishing = new java.util.HashMap<>();
    /** The command model each run's command line is parsed into, per command name. */
    private final java.util.Map<String, CommandLine> parsers = new java.util.HashMap<>();
    /** The demand files, each with the options its reading depends on, already read by the check. */
    private final java.util.Set<List<Object>> demandsRead = new java.util.HashSet<>();
    /** The schedule files, each with its --time-zone, already read by the check. */
    private final java.util.Set<List<Object>> schedulesRead = new java.util.HashSet<>();
    /** The rightsize usage files read before the sweep: (option, path). */
    private final java.util.Set<List<Object>> usageRead = new java.util.HashSet<>();
    /** The --snapshot file lists already read by the check. */
    private final java.util.Set<List<?>> snapshotsRead = new java.util.HashSet<>();

    @Override
    public Integer call() {
        common.format(); // -o and --out checked before any run
        String notAFile = io.nodesizer.input.Unreadable.notAFile(scenarios, "sweep file");
        if (notAFile != null) {
            throw new InputException(SourceLocation.ofFile(scenarios.toString()), notAFile);
        }
        String file = scenarios.toString();
        List<Scenario> all = ScenarioFile.read(scenarios, file);
        Phases.mark("read scenarios");
        ScenarioFile.checkRunCount(all);
        List<Scenario.Run> runs = new ArrayList<>();
        InputException first = null;
        for (Scenario s : all) {
            Scenario withValued = s.withValued(valued(s));
            try {
                checkValueShapes(withValued);
            } catch (InputException e) {
                first = first == null || earlier(e.location(), first.location()) ? e : first;
                continue;
            }
            runs.addAll(withValued.expand());
        }
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new InputException(SourceLocation.ofFile("--engine"), "The engine (" + engine + ") must be local or spark.");
        }
        if (master != null && engine.equals("local")) {
            throw new InputException(SourceLocation.ofFile("--master"), "--master is for --engine spark.");
        }
        if (master != null && !SPARK_MASTER.matcher(master).matches()) {
            // Spark refuses these only once its context starts, as an internal error (QA 58d F6: local[0], bogus://x).
            throw new InputException(SourceLocation.ofFile("--master"), "The Spark master (" + master + ") must be local, local[N] or "
                    + "local[N,F] with N and F at least 1, local[*], spark://HOST:PORT, yarn or k8s://URL.");
        }
        boolean spark = engine.equals("spark");
        int workers = Math.min(CommonOptions.workers(threads), runs.size());
        List<List<String>> argvs = new ArrayList<>();
        for (Scenario.Run run : runs) {
            // both engines run the same command lines (one thread per run when runs share the cores)
            try {
                argvs.add(checked(run, spark || workers > 1));
            } catch (InputException e) {
                // Runs expand in the order of the values' product, not the file's: the error told is the one earliest in the
                // file (QA 57b F4: a later threshold of 1.5 was named before an autoscaler typo before it on the line).
                first = first == null || earlier(e.location(), first.location()) ? e : first;
            }
        }
        vanishing.clear(); // the workloads kept for the growth check: not held while the runs run
        if (first != null) {
            throw first;
        }
        PrintWriter err = spec.commandLine().getErr();
        // A scenario that names no workload sizes the bundled sample, as the command does: plausible figures for the wrong
        // workload when a pods line was forgotten (QA 48a), so it is said once per scenario.
        java.util.Set<String> bundled = new java.util.LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            List<String> argv = argvs.get(i);
            if (List.of("pack", "recommend", "rightsize", "replay", "windows").contains(argv.get(0))
                    && argv.stream().noneMatch(a -> a.equals("--snapshot") || a.startsWith("--") && WORKLOAD_OPTIONS.contains(a.substring(2)))) {
                bundled.add(runs.get(i).scenario().name());
            }
        }
        bundled.forEach(name -> err.println("nodesizer: warning: scenario '" + name + "' names no workload (pods, workload, trace or "
                + "snapshot): its runs size the bundled sample workloads/shop.csv"));
        List<io.nodesizer.spark.SparkSweep.Result> results = spark ? onSpark(argvs)
                : Parallel.map(runs.size(), workers, i -> runCommand(argvs.get(i)),
                ProgressBar.create(err, "running " + runs.size() + " scenario runs", common.quiet));
        Phases.mark(spark ? "runs on Spark" : "runs");
        List<SweepReport.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            outcomes.add(outcome(runs.get(i), results.get(i)));
        }
        int exit = 0;
        for (SweepReport.Outcome o : outcomes) {
            if (!o.ok()) {
                err.println("nodesizer: sweep run " + o.run().label() + " failed (exit " + o.exitCode() + "): " + o.error());
                exit = Math.max(exit, o.exitCode() == 0 ? Main.EXIT_FAILURE : o.exitCode());
            }
        }
        err.flush();
        common.emit(SweepReport.render(common.format(), file, common.seed, outcomes), spec.commandLine().getOut());
        Phases.mark("render and write report");
        return exit;
    }

    /**
     * The options of {@code s} that take true or false as their value (a boolean of arity 1, such as
     * {@code --skip-nodes-with-local-storage}), by the command's own model: written {@code --key false}, not as a flag.
     */
    private java.util.Set<String> valued(Scenario s) {
        CommandLine cli = parsers.computeIfAbsent(s.command(), name -> Main.commandLine(new String[] {name}));
        CommandLine.Model.CommandSpec command = cli.getSubcommands().get(s.command()).getCommandSpec();
        java.util.Set<String> out = new java.util.HashSet<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(s.args().keySet());
        keys.addAll(s.vary().keySet());
        for (String key : keys) {
            CommandLine.Model.OptionSpec o = command.findOption("--" + key);
            if (o != null && (o.type() == boolean.class || o.type() == Boolean.class) && o.arity().min() >= 1) {
                out.add(key);
            }
        }
        return out;
    }

    /**
     * Each key's values against its option: a flag takes true or false, an option with a value takes one that is not
     * true or false (true was written as the bare flag, so picocli took the next option as its value: "Expected parameter
     * for option '--node' but found '--seed'", a --seed the user never wrote), and an option given once one value (a list
     * repeats it: "should be specified only once", at the scenario). Said at the key, with what it takes and what it got
     * (QA 66b L6: `vary: {cold-start: [yes, no]}` read "Unmatched argument at index 10: 'yes'").
     */
    private void checkValueShapes(Scenario s) {
        CommandLine cli = parsers.computeIfAbsent(s.command(), name -> Main.commandLine(new String[] {name}));
        CommandLine.Model.CommandSpec command = cli.getSubcommands().get(s.command()).getCommandSpec();
        for (var e : s.args().entrySet()) {
            unknownKey(s, command, "args.", e.getKey(), e.getValue().at());
        }
        for (var e : s.vary().entrySet()) {
            unknownKey(s, command, "vary.", e.getKey(), e.getValue().at());
        }
        for (var e : s.args().entrySet()) {
            String problem = valueShape(command.findOption("--" + e.getKey()), s.valued().contains(e.getKey()), e.getValue().values());
            if (problem != null) {
                throw new InputException(e.getValue().at(), "Scenario '" + s.name() + "', args." + e.getKey() + ": " + problem);
            }
        }
        for (var e : s.vary().entrySet()) {
            for (String value : e.getValue().values()) {
                String problem = valueShape(command.findOption("--" + e.getKey()), s.valued().contains(e.getKey()), List.of(value));
                if (problem != null) {
                    throw new InputException(e.getValue().at(value), "Scenario '" + s.name() + "', vary." + e.getKey() + ": " + problem);
                }
            }
        }
    }

    /**
     * A key that is no option of the scenario's command, said at the key with the nearest option (QA 73 F4: picocli's words for
     * the command line built, "Unknown options: '--nodee', 'aws:m5.xlarge'", listed the value as an option and gave none of
     * the "Possible solutions: --node" the CLI gives).
     */
    private static void unknownKey(Scenario s, CommandLine.Model.CommandSpec command, String section, String key, SourceLocation at) {
        if (command.findOption("--" + key) != null) {
            return;
        }
        java.util.Set<String> options = new java.util.TreeSet<>();
        for (CommandLine.Model.OptionSpec o : command.options()) {
            for (String name : o.names()) {
                String bare = name.replaceFirst("^-+", "");
                // Only the names a scenario may give: long ones, not hidden, not set by the sweep or writing other outputs.
                if (name.startsWith("--") && !o.hidden() && !ScenarioFile.RESERVED.contains(bare) && !ScenarioFile.OTHER_OUTPUTS.contains(bare)) {
                    options.add(bare);
                }
            }
        }
        String near = io.nodesizer.model.NameLists.nearest(key, options);
        throw new InputException(at, "Scenario '" + s.name() + "', " + section + key + ": " + s.command() + " has no option --" + key
                + (near != null ? "; did you mean " + near + "?" : "; expected one of its options (nodesizer " + s.command() + " --help lists them)."));
    }

    /** What is wrong with {@code values} of {@code option} for a run's command line, or null (an unknown option: picocli names it). */
    private static String valueShape(CommandLine.Model.OptionSpec option, boolean valued, List<String> values) {
        if (option == null) {
            return null;
        }
        boolean bool = values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"));
        String found = values.size() == 1 ? values.get(0) : "a list of " + values.size() + ", [" + String.join(", ", values) + "]";
        if (option.arity().max() == 0) {
            return bool ? null : "expected true or false (" + option.longestName() + " is a flag: true gives it, false leaves it out); found "
                    + found + ".";
        }
        if (!valued && option.arity().min() >= 1 && values.stream().anyMatch(v -> v.equals("true") || v.equals("false"))) {
            return "expected a value (" + option.longestName() + " " + option.paramLabel() + "); found " + found
                    + " (true and false are for flags).";
        }
        if (!option.isMultiValue() && values.size() > 1) {
            return "expected one value (" + option.longestName() + " is given once); found " + found + " (to run each, list them under vary).";
        }
        return null;
    }

    /** Whether {@code a} comes before {@code b} in the same file (by line, then column). */
    private static boolean earlier(SourceLocation a, SourceLocation b) {
        return java.util.Objects.equals(a.file(), b.file()) && (a.line() < b.line() || a.line() == b.line() && a.column() < b.column());
    }

    /**
     * The run's full command line, after checking it as the command would parse it: unknown
     * options, values of the wrong type, and files that do not exist exit 2 before anything runs.
     */
    private List<String> checked(Scenario.Run run, boolean parallel) {
        List<String> argv = new ArrayList<>(run.argv());
        if (!run.scenario().setsSeed()) {
            argv.addAll(List.of("--seed", Long.toString(common.seed)));
        }
        argv.addAll(List.of("-o", "json", "--reproducible", "--quiet"));
        // One command model per command, each run's arguments parsed into it (picocli resets every option first):
        // building the model by reflection cost ~15 ms a run, 2.5 min before a 10,000-run sweep named a later typo.
        CommandLine cli = parsers.computeIfAbsent(argv.get(0), name -> Main.commandLine(new String[] {name}));
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new InputException(location(run, e), "Scenario '" + run.scenario().name() + "'" + where(run, e) + ": "
                    + Main.inOurWords(e.getMessage()) + listHint(run, e) + rangeHint(run, e));
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        for (CommandLine.Model.OptionSpec option : sub.matchedOptions()) {
            for (Object value : values(sub.matchedOptionValue(option.longestName(), null))) {
                String key = option.longestName().replaceFirst("^-+", "");
                if ("-".equals(String.valueOf(value)) && CommonOptions.readsFiles(option)) {
                    // A path or a snapshot's string. The local runs would share one copy of it (RunInputs), but a Spark
                    // executor has no standard input of the sweep's, and a scenario names its inputs so that it can run
                    // again: refused on both engines alike (review 58, review 63 item 9).
                    throw new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key
                            + ": standard input (-) is not read in a sweep (a scenario names its inputs, so that it runs again "
                            + "alike on either engine); give a file's path.");
                }
                if (String.valueOf(value).isEmpty() && CommonOptions.readsFiles(option)) {
                    throw new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key
                            + ": " + CommonOptions.EMPTY_PATH);
                }
                String unreadable = unreadable(option, value);
                if (unreadable != null) {
                    throw new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key
                            + ": " + unreadable);
                }
            }
        }
        // Snapshots are read once here too, as workloads are: a malformed one stopped the sweep after every other run (QA 64a F12).
        if (sub.matchedOptionValue("--snapshot", null) instanceof List<?> snapshot && snapshotsRead.add(snapshot)) {
            try {
                AnalyzeCommand.readSnapshot(snapshot.stream().map(String::valueOf).toList());
            } catch (InputException e) {
                throw new InputException(location(run, "snapshot"), "Scenario '" + run.scenario().name() + "', " + section(run, "snapshot")
                        + "snapshot: " + e.getMessage(), e);
            }
        }
        // Workloads are read once here too, so that a malformed one stops the sweep before it starts.
        for (String key : WORKLOAD_OPTIONS) {
            if (sub.hasMatchedOption("--" + key)) {
                List<Path> paths = new ArrayList<>();
                for (Object v : values(sub.matchedOptionValue("--" + key, null))) {
                    paths.add((Path) v);
                }
                // In the run's --namespace, as the run reads them (QA 61d F3: an object in another namespace failed its run
                // after the others, with no scenario line).
                String namespace = key.equals("pods") && sub.matchedOptionValue("--namespace", null) instanceof String ns ? ns : null;
                if (readable.add(java.util.Arrays.asList(paths, namespace))) {
                    try {
                        io.nodesizer.model.Workload w = io.nodesizer.input.Inputs.read(paths,
                                io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode.MIN, namespace);
                        if (w.grown(Double.MIN_NORMAL).groups().isEmpty()) {
                            vanishing.put(paths, w); // single pods only (trace rows, bare Pods): a small growth leaves none
                        }
                    } catch (InputException e) {
                        throw new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key
                                + ": " + e.getMessage());
                    }
                }
                if (vanishing.containsKey(paths) && sub.matchedOptionValue("--growth", null) instanceof Double g && g > 0 && g <= 1000) {
                    try {
                        WorkloadOptions.checkGrowthKeepsPods(vanishing.get(paths), g);
                    } catch (InputException e) {
                        throw inRun(run, e, "growth");
                    }
                }
            }
        }
        // Values the command alone checks, which need no run: the growth's range, and each --node shape (a catalog type
        // that does not exist, an inline spec's typo), so a long sweep does not stop minutes in on an obvious one.
        try {
            if (sub.matchedOptionValue("--growth", null) instanceof Double g) {
                WorkloadOptions.checkGrowth(g);
            }
            for (Object v : values(sub.matchedOptionValue("--node", null))) {
                io.nodesizer.catalog.ShapeSpec.parse((String) v, io.nodesizer.kube.provider.ReservationPolicies::forProvider, null, null);
            }
        } catch (InputException e) {
            throw inRun(run, e, "node");
        }
        Object command = sub.commandSpec().userObject();
        if (command instanceof PreChecked c) {
            try {
                c.precheck();
            } catch (InputException e) {
                throw inRun(run, e, null);
            }
        }
        try {
            CommonOptions.checkOutputApartFrom("--out", common.out, sub.commandSpec()); // the sweep's report, written at the end
        } catch (InputException e) {
            throw new InputException(location(run, "args"), "Scenario '" + run.scenario().name() + "': " + e.getMessage()
                    .replace("of this run", "of its runs"), e);
        }
        if (command instanceof ReplayCommand c) {
            checkDemandAndSchedule(run, c.input, c.model);
        } else if (command instanceof WindowsCommand c) {
            checkDemandAndSchedule(run, c.input, c.model);
        } else if (command instanceof RightsizeCommand) {
            checkUsage(run, sub);
        }
        // Runs share the cores: each one packs on one thread (results do not depend on it).
        if (parallel && sub.commandSpec().findOption("--threads") != null && !sub.hasMatchedOption("--threads")) {
            argv.addAll(List.of("--threads", "1"));
        }
        return argv;
    }

    /**
     * Why the run could not read the file {@code value} of {@code option}, or null: one that does not exist or cannot be
     * read. Paths, and the files given as text (a --snapshot, a --fleet: '-' or a snapshot's text are theirs too), which
     * failed only when their run came (QA 64a F12); not a name-or-file (--catalog aws), which its own check reads.
     */
    /** The options that read one file each, never a directory (--pods, --snapshot, --trace and --fleet read directories). */
    private static final java.util.Set<String> FILE_ONLY = java.util.Set.of("--usage", "--cpu-usage", "--memory-usage",
            "--demand", "--schedule");

    private static String unreadable(CommandLine.Model.OptionSpec option, Object value) {
        Path p;
        if (value instanceof Path given) {
            p = given;
        } else if (value instanceof String text && CommonOptions.readsFiles(option) && !option.paramLabel().contains("NAME")) {
            try {
                p = Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                return "the file name " + text + " is not a path (" + e.getReason() + ").";
            }
        } else {
            return null;
        }
        if (!Files.exists(p)) {
            return "the file " + p + " does not exist" + io.nodesizer.input.Unreadable.lookedIn(p) + ".";
        }
        if (Files.isDirectory(p) && FILE_ONLY.contains(option.longestName())) {
            // Passed here and failed at its run as "does not exist" (rightsize) or "Is a directory" (QA 66b L3).
            return "expected a file; found the directory " + p + ".";
        }
        return Files.isReadable(p) ? null : "the file " + p + " cannot be read (its permissions).";
    }

    /**
     * A --demand file and a --schedule file are read here as the run reads them, so that one that does
     * not parse stops the sweep before it starts. A demand file's reading depends on the run's
     * workloads, start, duration and time zone (its workload names, its times): it is read by the
     * command's own {@link ReplayInputOptions#load} once per distinct combination of those options
     * (--growth and --surge, which only scale what was read, left out); a schedule file once per
     * (file, --time-zone).
     */
    private void checkDemandAndSchedule(Scenario.Run run, ReplayInputOptions input, ReplayModelOptions model) {
        if (input.demand != null && demandsRead.add(java.util.Arrays.asList(input.demand, input.trace, input.workload, input.hpa,
                input.synthetic, input.start, input.duration, input.step, input.trough, input.peakHour, input.weekend, input.noise,
                model.timeZone))) {
            Double growth = input.growth;
            List<String> surges = input.surges;
            input.growth = null;
            input.surges = null;
            try {
                input.load(common.seed, model.clock().zone());
            } catch (InputException e) {
                throw inRun(run, e, "demand");
            } finally {
                input.growth = growth;
                input.surges = surges;
            }
        }
        if (model.schedule != null && schedulesRead.add(java.util.Arrays.asList(model.schedule, model.timeZone))) {
            try {
                io.nodesizer.replay.autoscale.Schedule.readGiven(model.schedule, model.schedule.toString(), model.clock(), model.minNodes,
                        model.maxNodes);
            } catch (InputException e) {
                throw inRun(run, e, "schedule");
            }
        }
    }

    /**
     * A rightsize run's usage files (--usage CSV, --cpu-usage and --memory-usage Prometheus responses) are read here as the run
     * reads them, once each, so that one that does not parse stops the sweep before it starts (QA 74b F3: only their existence
     * was checked, and a bad row failed its run after the others had run).
     */
    private void checkUsage(Scenario.Run run, CommandLine.ParseResult sub) {
        for (String key : List.of("usage", "cpu-usage", "memory-usage")) {
            io.nodesizer.input.usage.UsageMetric metric = switch (key) {
                case "cpu-usage" -> io.nodesizer.input.usage.UsageMetric.CPU;
                case "memory-usage" -> io.nodesizer.input.usage.UsageMetric.MEMORY;
                default -> null; // the CSV holds both
            };
            for (Object v : values(sub.matchedOptionValue("--" + key, null))) {
                Path p = (Path) v;
                if (!usageRead.add(java.util.Arrays.asList(key, p))) {
                    continue;
                }
                try {
                    if (metric == null) {
                        io.nodesizer.input.usage.UsageCsvReader.read(p, p.toString(), series -> { }, note -> { });
                    } else {
                        io.nodesizer.input.usage.PrometheusMatrixReader.read(p, p.toString(), metric, series -> { });
                    }
                } catch (InputException e) {
                    throw new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * {@code e}, met checking {@code run} before the sweep (a demand or schedule file, a growth, a shape, a {@link PreChecked}
     * value), at the scenario's key: the key of the option the error names (--start, --time-zone, --families…) when it is
     * one the scenario gives, else {@code key} when the scenario gives that; else (null) at the scenario, naming no key (QA 64a F12:
     * a missing --usage read "args.command: --usage: …", and a scenario has no args.command).
     */
    private static InputException inRun(Scenario.Run run, InputException e, String key) {
        String at = e.location().file();
        if (at != null && at.startsWith("--")) {
            String option = at.substring(2);
            if (gives(run, option)) {
                key = option;
            }
        }
        if (!gives(run, key)) {
            return new InputException(run.scenario().at(), "Scenario '" + run.scenario().name() + "': " + e.getMessage(), e);
        }
        return new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key + ": "
                + e.getMessage(), e);
    }

    /** Whether the scenario gives the option {@code key} (in args or vary). */
    private static boolean gives(Scenario.Run run, String key) {
        return run.scenario().args().containsKey(key) || run.scenario().vary().containsKey(key);
    }

    private static Collection<?> values(Object v) {
        if (v == null) {
            return List.of();
        }
        return v instanceof Collection<?> c ? c : List.of(v);
    }

    private static String section(Scenario.Run run, String key) {
        return run.scenario().vary().containsKey(key) ? "vary." : "args.";
    }

    /** The key a picocli error is about (an unmatched option, or the option whose value failed), as ", args.KEY", the form of the other errors. */
    private static String where(Scenario.Run run, CommandLine.ParameterException e) {
        String key = key(run, e);
        return key == null ? "" : ", " + section(run, key) + key;
    }

    /** For a range given in args ("1..2"), which one run cannot take: ranges of runs go under vary (QA 74b F7). */
    private static String rangeHint(Scenario.Run run, CommandLine.ParameterException e) {
        String key = key(run, e);
        if (key == null || !run.scenario().args().containsKey(key) || e instanceof CommandLine.UnmatchedArgumentException) {
            return "";
        }
        String value = String.join(",", run.scenario().args().get(key).values());
        return value.contains("..") ? " A range gives several runs: write it under vary (vary: {" + key + ": \"" + value.trim() + "\"}), "
                + "not args." : "";
    }

    /**
     * For a varied value with commas that its option cannot take ("1.0,1.5" for --growth): how a list of values is written,
     * since a scalar with commas is one value in YAML, not several runs.
     */
    private static String listHint(Scenario.Run run, CommandLine.ParameterException e) {
        String key = key(run, e);
        String value = key == null ? null : run.varied().get(key);
        return value == null || !value.contains(",") || e instanceof CommandLine.UnmatchedArgumentException ? ""
                : " (one value of vary." + key + "; to vary over several, write them as a YAML list, [" + String.join(", ", value.split(",\\s*"))
                + "], or as a range, FROM..TO step STEP)";
    }

    private static String key(Scenario.Run run, CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String k = u.getUnmatched().get(0).replaceFirst("^-+", "");
            return gives(run, k) ? k : null;
        }
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName().replaceFirst("^-+", "");
        }
        return null;
    }

    private static SourceLocation location(Scenario.Run run, CommandLine.ParameterException e) {
        String key = key(run, e);
        return key == null ? run.scenario().at() : location(run, key);
    }

    private static SourceLocation location(Scenario.Run run, String key) {
        Scenario s = run.scenario();
        if (s.args().containsKey(key)) {
            return s.args().get(key).at();
        }
        // A varied value where it was written (its item of a list), so that the location is the value this run failed on.
        return s.vary().containsKey(key) ? s.vary().get(key).at(run.varied().get(key)) : s.at();
    }

    /**
     * One run of a command line in this JVM: what both engines do for each run. Its JSON report is
     * read as it is written and kept thin ({@link io.nodesizer.report.ThinJsonWriter}), then handed
     * on as its digest ({@link SweepReport#digest}); other output as its first characters (an error
     * to report).
     */
    static io.nodesizer.spark.SparkSweep.Result runCommand(List<String> argv) {
        io.nodesizer.report.ThinJsonWriter out = new io.nodesizer.report.ThinJsonWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        // Its lists of pods left out and of node loads written as counts: the figures count them anyway.
        int code = SweepReport.asRun(
                () -> Phases.silenced(() -> Main.run(argv.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true))));
        long elapsed = System.nanoTime() - start;
        JsonNode report = out.tree();
        return new io.nodesizer.spark.SparkSweep.Result(code, code == 0 && report != null ? SweepReport.digest(report).toString() : out.head(),
                err.toString(), elapsed);
    }

    /** The master URLs Spark 4 accepts (SparkContext.createTaskScheduler's forms; Mesos was removed in 4.0). */
    private static final java.util.regex.Pattern SPARK_MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(, *[1-9][0-9]*)?]|local-cluster\\[[1-9][0-9]*, *[1-9][0-9]*, *[1-9][0-9]*]"
                    + "|spark://[^,/\\s]+:[0-9]+(,[^,/\\s]+:[0-9]+)*|yarn|k8s://\\S+");

    /** The runs as a Spark job; Spark missing from the class path is the user's setup to fix (exit 2). */
    private List<io.nodesizer.spark.SparkSweep.Result> onSpark(List<List<String>> argvs) {
        try {
            return io.nodesizer.spark.SparkSweep.run(argvs, master, SweepCommand::runCommand);
        } catch (RuntimeException e) {
            // Each run's own failure comes back as its result: what escapes is the job's, a master that cannot be reached
            // or refuses the application (QA 58d F6: a stopped-context dump as an internal error after ~65 s).
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new InputException(SourceLocation.ofFile("--master"), "The Spark job" + (master == null ? "" : " on " + master)
                    + " failed before its runs came back (Spark: " + String.valueOf(root.getMessage()).lines().findFirst().orElse("")
                    + "). A master that cannot be reached or refuses the application ends so; otherwise the executors' logs say "
                    + "why. Or run without --engine spark.");
        } catch (NoClassDefFoundError e) {
            String missing = String.valueOf(e.getMessage());
            throw new InputException(SourceLocation.ofFile("--engine"), (missing.startsWith("org/apache/spark")
                    ? "Apache Spark is not on the class path (" + missing + " is missing). "
                    : "A class Spark needs could not be loaded (" + missing + "): the Spark on the class path is likely not 4.2. ")
                    + "Run through ./nodesizer, which adds Spark 4.2 for --engine spark, or set SPARK_HOME to a Spark 4.2 installation, "
                    + "or submit the jar with spark-submit (see the README).");
        }
    }

    private SweepReport.Outcome outcome(Scenario.Run run, io.nodesizer.spark.SparkSweep.Result result) {
        int code = result.exitCode();
        long elapsed = common.reproducible ? -1 : result.elapsedNanos();
        JsonNode report = null;
        String error = "";
        if (code == 0) {
            try {
                report = JSON.readTree(result.out());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                code = Main.EXIT_FAILURE;
                error = "its output is not JSON: " + io.nodesizer.input.JacksonMessages.plain(e.getOriginalMessage());
            }
        } else {
            error = firstLine(result.err());
        }
        return new SweepReport.Outcome(run, code, report, error, elapsed);
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("nodesizer: warning")) {
                return line.replaceFirst("^nodesizer: ", "").trim();
            }
        }
        return text.trim();
    }
}
