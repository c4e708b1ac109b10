package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.scenario.Scenario;
import io.nodesizer.scenario.ScenarioFile;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A sweep's runs checked before the first one runs: each key against its command's options, each run's command line
 * parsed as the command parses it, the files it names read as its run reads them (workloads, snapshots, fleets, demand,
 * schedules, usage, each once), and the command's own checks of its values ({@link PreChecked}). A mistake exits 2 naming
 * the scenario and the key, at the mistake earliest in the file. One checker per sweep: it keeps what it has read.
 */
final class SweepRunChecker {
    private final long seed;
    private final Path sweepOut;
    /** The mistake earliest in the file, met so far. */
    private InputException first;

    /**
     * @param seed     the sweep's --seed, which runs that set none are given
     * @param sweepOut the sweep's --out (null: none), which no run may read or write
     */
    SweepRunChecker(long seed, Path sweepOut) {
        this.seed = seed;
        this.sweepOut = sweepOut;
    }

    /** The runs of {@code all}, expanded; a scenario whose keys are wrong gives none, its mistake kept for {@link #commandLines}. */
    List<Scenario.Run> runs(List<Scenario> all) {
        List<Scenario.Run> runs = new ArrayList<>();
        for (Scenario s : all) {
            Scenario withValued = s.withValued(valued(s));
            try {
                checkValueShapes(withValued);
            } catch (InputException e) {
                keep(e);
                continue;
            }
            runs.addAll(withValued.expand());
        }
        return runs;
    }

    /**
     * Each run's full command line, checked; throws the mistake earliest in the file, if any.
     *
     * @param oneThreadEach whether the runs share the cores: each then packs on one thread (results do not depend on it)
     */
    List<List<String>> commandLines(List<Scenario.Run> runs, boolean oneThreadEach) {
        List<List<String>> argvs = new ArrayList<>();
        for (Scenario.Run run : runs) {
            try {
                argvs.add(checked(run, oneThreadEach));
            } catch (InputException e) {
                // Runs expand in the order of the values' product, not the file's: the error told is the one earliest in the
                // file (QA 57b F4: a later threshold of 1.5 was named before an autoscaler typo before it on the line).
                keep(e);
            }
        }
        vanishing.clear(); // the workloads kept for the growth check: not held while the runs run
        if (first != null) {
            throw first;
        }
        return argvs;
    }

    private void keep(InputException e) {
        first = first == null || earlier(e.location(), first.location()) ? e : first;
    }

    /** Options whose files are workloads, read once before the sweep starts. */
    static final List<String> WORKLOAD_OPTIONS = List.of("pods", "workload", "trace");
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
    /** The --fleet files, each with --from-empty, already read by the check. */
    private final java.util.Set<List<Object>> fleetsRead = new java.util.HashSet<>();
    /** The --snapshot file lists already read by the check. */
    private final java.util.Set<List<?>> snapshotsRead = new java.util.HashSet<>();

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
            argv.addAll(List.of("--seed", Long.toString(seed)));
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
                    throw at(run, key, "standard input (-) is not read in a sweep (a scenario names its inputs, so that it runs "
                            + "again alike on either engine); give a file's path.", null);
                }
                if (String.valueOf(value).isEmpty() && CommonOptions.readsFiles(option)) {
                    throw at(run, key, CommonOptions.EMPTY_PATH, null);
                }
                String unreadable = unreadable(option, value);
                if (unreadable != null) {
                    throw at(run, key, unreadable, null);
                }
            }
        }
        // Snapshots are read once here too, as workloads are: a malformed one stopped the sweep after every other run (QA 64a F12).
        if (sub.matchedOptionValue("--snapshot", null) instanceof List<?> snapshot && snapshotsRead.add(snapshot)) {
            try {
                AnalyzeCommand.readSnapshot(snapshot.stream().map(String::valueOf).toList());
            } catch (InputException e) {
                throw at(run, "snapshot", e.getMessage(), e);
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
                        throw at(run, key, e.getMessage(), null);
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
        // A fleet is read once too, as its run reads it (review 76 #2: one that was no node list, or no JSON, failed its runs
        // after the others, with no line of the sweep file).
        if (command instanceof PackCommand c && c.fleet != null && fleetsRead.add(java.util.Arrays.asList(c.fleet, c.fromEmpty))) {
            try {
                io.nodesizer.fleet.FleetInput.read(c.fleet, null, c.fromEmpty);
            } catch (InputException e) {
                throw at(run, "fleet", e.getMessage(), e);
            }
        }
        try {
            CommonOptions.checkOutputApartFrom("--out", sweepOut, sub.commandSpec()); // the sweep's report, written at the end
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
                input.load(seed, model.clock().zone());
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
                    throw at(run, key, e.getMessage(), e);
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
        return at(run, key, e.getMessage(), e);
    }

    /** {@code message} about the scenario's key {@code key} of {@code run}, at that key: "Scenario 'a', vary.growth: …". */
    private static InputException at(Scenario.Run run, String key, String message, Throwable cause) {
        return new InputException(location(run, key), "Scenario '" + run.scenario().name() + "', " + section(run, key) + key + ": "
                + message, cause);
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
}
