package io.nodesizer.cli;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.report.AtomicOutput;
import io.nodesizer.report.ReportFormat;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every command shares: output format and file, seed, strategies, threads, debug. */
final class CommonOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json, csv, markdown or html.")
    String output;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE (atomically) instead of standard output; "
            + "- is standard output. Without -o, a FILE ending .json, .csv, .md or .html is written in that format.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for every random choice (tie-breaking); same seed, same result. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--debug", description = "Print stack traces for internal errors.")
    boolean debug;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--reproducible", description = "Leave out wall-clock timings (elapsedMillis becomes null), so that the same input and seed "
            + "give byte-identical output on any machine.")
    // Not "or --threads": most commands that share this option have no --threads (QA 52a F6); those
    // that do say on --threads itself that results do not depend on it.
    boolean reproducible;

    @Option(names = "--timestamp", description = "Add when the report was made (UTC): generatedAt in JSON, a last line in table, "
            + "markdown and HTML. Off by default, so the same input gives byte-identical reports.")
    boolean timestamp;

    /** Whether the --reproducible --timestamp warning was given (format() is asked more than once a run). */
    private boolean warnedStamp;

    /**
     * The report format; also checks, before any work, that {@code --out} and the command's other
     * output files can be written ({@link #checkOutputs}).
     */
    ReportFormat format() {
        if (out != null && !out.toString().equals("-") && mixee != null && !mixee.commandLine().getParseResult().hasMatchedOption("--output")) {
            // --out report.json without -o: the format its extension names (QA 68c F10: a table went into the .json file, which
            // compare then refused as not JSON).
            ReportFormat named = ReportFormat.byExtension(out.getFileName() == null ? "" : out.getFileName().toString());
            if (named != null) {
                output = named.formatName();
            }
        }
        ReportFormat f = ReportFormat.byName(output);
        if (f == null) {
            throw new InputException(SourceLocation.ofFile("--output"), "The output format (" + output
                    + ") must be one of " + String.join(", ", ReportFormat.names()) + ".");
        }
        if (out != null && out.toString().equals("-")) {
            out = null; // standard output, as --pods - is standard input (it wrote a file named '-': QA 62 item 7)
        }
        if (reproducible && timestamp && mixee != null && !warnedStamp) {
            warnedStamp = true; // format() is asked more than once a run (QA 63b F10: the warning came twice)
            // QA 62b F14: both were taken without a word, and the report's generatedAt made two runs differ. A warning: the
            // pair still means "every figure reproducible, and stamped" (the time is the only line that differs).
            mixee.commandLine().getErr().println("nodesizer: warning: --timestamp adds when the report was made, so with it the "
                    + "output is not byte-identical from run to run as --reproducible otherwise makes it (only that time differs).");
        }
        if (mixee == null) {
            checkTarget(out, "--out", exampleName("--out", f)); // built by hand (tests), not parsed: --out is the only output known
        } else {
            checkOutputs(f);
        }
        return f;
    }

    /** The command this mixin is part of: its other options and parameters are checked against its outputs. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** The options that name files a command writes; every other file an option or parameter names is read. */
    private static final java.util.Set<String> OUTPUT_OPTIONS = java.util.Set.of("--out", "--assignments", "--patches", "--schedule-out");

    /**
     * Fails before the run when an output option ({@link #OUTPUT_OPTIONS}) names a directory or a
     * file in one that does not exist ({@link #checkTarget}), a file another option or parameter of
     * the command gives (an input such as --pods, --trace, --demand, --scenarios, compare's reports:
     * written at the end, it would replace what it was made from, exit 0), or the file of another
     * output (one would replace the other).
     */
    private void checkOutputs(ReportFormat format) {
        java.util.Map<String, Path> outputs = new java.util.LinkedHashMap<>();
        for (picocli.CommandLine.Model.OptionSpec o : mixee.options()) {
            Object value = o.getValue();
            if (OUTPUT_OPTIONS.contains(o.longestName()) && (value instanceof Path || value instanceof String)) {
                if (String.valueOf(value).equals("-")) {
                    // Only --out means standard output: a second output there would mix into the report (review 62: it wrote a
                    // file named '-').
                    throw new InputException(SourceLocation.ofFile(o.longestName()), o.longestName() + " - would write to standard "
                            + "output, which carries the report; give a file (or --out FILE and " + o.longestName() + " /dev/stdout).");
                }
                outputs.put(o.longestName(), Path.of(String.valueOf(value)));
                checkTarget(outputs.get(o.longestName()), o.longestName(), exampleName(o.longestName(), format));
            }
        }
        ReadFiles read = readFiles(mixee);
        checkNoEmptyPath(read.inputs());
        checkOutputsApart(outputs, read.inputs(), read.namesOrFiles());
    }

    /**
     * Fails when an input option is given an empty path: Path.of("") is the working directory, so
     * {@code --pods "$W"} with W unset packed whatever the directory held, exit 0 (QA 62 item 2).
     */
    private static void checkNoEmptyPath(java.util.Map<String, List<Object>> inputs) {
        for (var in : inputs.entrySet()) {
            for (Object v : in.getValue()) {
                if (String.valueOf(v).isEmpty()) {
                    throw new InputException(SourceLocation.ofFile(in.getKey()), EMPTY_PATH);
                }
            }
        }
    }

    /** Said of an empty input path, here and of a sweep's scenario. */
    static final String EMPTY_PATH = "the path is empty (an unset shell variable?); give the path.";

    /**
     * Fails when {@code out}, a sweep's own output, is a file or inside a directory that an input
     * option of one of its runs gives ({@code run}, that run's parsed command): the sweep writes it
     * at the end, over the workload its runs were made from (QA 58d F1).
     */
    static void checkOutputApartFrom(String outName, Path out, picocli.CommandLine.Model.CommandSpec run) {
        if (out != null) {
            ReadFiles read = readFiles(run);
            checkOutputsApart(java.util.Map.of(outName, out), read.inputs(), read.namesOrFiles());
        }
    }

    /**
     * The files a command's options and parameters read, per option (or "a report to read" for
     * parameters), and the options among them whose value is a name unless it is a file.
     */
    private record ReadFiles(java.util.Map<String, List<Object>> inputs, java.util.Set<String> namesOrFiles) {
    }

    private static ReadFiles readFiles(picocli.CommandLine.Model.CommandSpec command) {
        java.util.Map<String, List<Object>> inputs = new java.util.LinkedHashMap<>();
        java.util.Set<String> namesOrFiles = new java.util.HashSet<>();
        List<picocli.CommandLine.Model.ArgSpec> args = new java.util.ArrayList<>(command.options());
        args.addAll(command.positionalParameters());
        for (picocli.CommandLine.Model.ArgSpec a : args) {
            Object value = a.getValue();
            String name = a instanceof picocli.CommandLine.Model.OptionSpec o ? o.longestName() : "a report to read";
            if (a instanceof picocli.CommandLine.Model.OptionSpec o && OUTPUT_OPTIONS.contains(o.longestName()) || !readsFiles(a)) {
                continue; // an output, or -o json: a value that happens to name a file or directory is no input
            }
            if (a.paramLabel().contains("NAME")) {
                namesOrFiles.add(name); // --catalog aws: a directory of that name is not read
            }
            for (Object v : value instanceof java.util.Collection<?> c ? c : value == null ? List.of() : List.of(value)) {
                if ((v instanceof String || v instanceof Path) && !String.valueOf(v).equals("-")) {
                    inputs.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(v);
                }
            }
        }
        return new ReadFiles(inputs, namesOrFiles);
    }

    /**
     * Whether an option or parameter reads the files it names: typed as a path, or labelled as
     * one (FILE, PATH, NAME|FILE, REPORT: snapshots and catalogs are strings for '-' and names).
     */
    static boolean readsFiles(picocli.CommandLine.Model.ArgSpec a) {
        Class<?> type = a.auxiliaryTypes().length > 0 ? a.auxiliaryTypes()[0] : a.type();
        String label = a.paramLabel();
        return Path.class.isAssignableFrom(type) || Path.class.isAssignableFrom(a.type())
                || label.contains("FILE") || label.contains("PATH") || label.contains("REPORT");
    }

    /**
     * Fails at once when an output file names an input or another output: written at the end, it
     * would replace the workload it was made from, or the other output, and exit 0.
     *
     * @param outputs the output options given (option name to path; null paths are left out)
     * @param inputs  per option (or "a report to read" for parameters) the files it names ({@code -} and
     *                missing ones never match)
     * @param namesOrFiles the options among them whose value is a name unless it is a file (never a directory)
     */
    private static void checkOutputsApart(java.util.Map<String, Path> outputs, java.util.Map<String, List<Object>> inputs,
                                          java.util.Set<String> namesOrFiles) {
        java.util.Map<Path, String> seen = new java.util.HashMap<>();
        for (var e : outputs.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Path key = canonical(e.getValue());
            String other = seen.putIfAbsent(key, e.getKey());
            if (other != null) {
                throw new InputException(SourceLocation.ofFile(e.getKey()), other + " and " + e.getKey() + " name the same file ("
                        + e.getValue() + "); give each its own, or one would replace the other.");
            }
            checkOutsideInputDirectories(e.getKey(), e.getValue(), inputs, namesOrFiles);
            if (!java.nio.file.Files.isRegularFile(e.getValue())) {
                continue; // a file that does not exist yet is no input
            }
            for (var in : inputs.entrySet()) {
                for (Object v : in.getValue()) {
                    Path p = Path.of(String.valueOf(v));
                    if (java.nio.file.Files.isRegularFile(p) && canonical(p).equals(key)) {
                        throw new InputException(SourceLocation.ofFile(e.getKey()), "The " + e.getKey() + " file " + e.getValue()
                                + " is also " + in.getKey() + " of this run; writing it would replace what it was made from. Give another path.");
                    }
                }
            }
        }
    }

    /**
     * Fails at once when an output file is inside (at any depth) a directory an input option gives
     * and has an extension that reading a directory takes (.csv, .yaml, .yml, .json): the next run
     * given that directory would read the report as an input (this one too, if it is there from a
     * run before), and fail on it or, worse, pack it.
     */
    private static void checkOutsideInputDirectories(String option, Path output, java.util.Map<String, List<Object>> inputs,
                                                     java.util.Set<String> namesOrFiles) {
        // Where the report lands: through a link (latest.json -> pods/r.json) the file it names, as --out writes there.
        Path file;
        try {
            file = io.nodesizer.report.AtomicOutput.destination(output);
        } catch (java.io.IOException e) {
            return; // a link loop: the write says so
        }
        if (file == null || file.getFileName() == null || !io.nodesizer.input.Inputs.scanned(file)) {
            return; // a descriptor (/dev/stdout), or an extension a directory's reading skips
        }
        for (var in : inputs.entrySet()) {
            if (namesOrFiles.contains(in.getKey())) {
                continue;
            }
            for (Object v : in.getValue()) {
                Path dir = Path.of(String.valueOf(v));
                if (java.nio.file.Files.isDirectory(dir) && file.startsWith(canonical(dir))) {
                    throw new InputException(SourceLocation.ofFile(option), "The " + option + " file " + output + " is inside " + dir
                            + ", the directory given as " + in.getKey() + ", which is read for every .csv, .yaml, .yml and .json file "
                            + "in it: the next run reading " + dir + " would read this report as an input. Give a path outside " + dir
                            + ".");
                }
            }
        }
    }

    private static Path canonical(Path p) {
        try {
            return java.nio.file.Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * Fails at once, not after the run, when {@code path} is empty, names a directory, or a file in
     * a directory that does not exist or is a file.
     */
    /** A file name to suggest for {@code option}'s output: the report's with its format's extension (QA 65a F8). */
    private static String exampleName(String option, ReportFormat format) {
        return switch (option) {
            case "--assignments" -> "assignments.csv";
            case "--patches" -> "patches.sh";
            case "--schedule-out" -> "schedule.yaml";
            default -> "report." + switch (format) {
                case TABLE -> "txt";
                case MARKDOWN -> "md";
                default -> format.formatName();
            };
        };
    }

    private static void checkTarget(Path path, String option, String exampleName) {
        if (path == null) {
            return;
        }
        if (path.toString().isEmpty()) {
            // Path.of("") is the working directory: it read "The --out file is a directory".
            throw new InputException(SourceLocation.ofFile("''"), "The " + option + " path is empty; give a file name "
                    + "(e.g. " + exampleName + ").");
        }
        if (java.nio.file.Files.isDirectory(path)) {
            // The example carries the report's own extension: report.txt for an HTML report would not open in a browser.
            throw new InputException(SourceLocation.ofFile(path.toString()), "The " + option + " file is a directory; give a file name "
                    + "in it (e.g. " + path.resolve(exampleName) + ").");
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
            Path file = existingFileAbove(dir);
            if (file != null) {
                // It said the directory "does not exist" of rec.json/x.json, where rec.json exists as a file.
                throw new InputException(SourceLocation.ofFile(path.toString()), "The " + option + " file's directory " + dir
                        + " is not a directory: " + file + " is a file. Give a path in a directory.");
            }
            throw new InputException(SourceLocation.ofFile(path.toString()), "The " + option + " file's directory " + dir
                    + " does not exist. Create it first, or give another path.");
        }
    }

    /** {@code dir} or the nearest of its parents that exists, when that is not a directory; else null. */
    private static Path existingFileAbove(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p)) {
                return java.nio.file.Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    /** Up to this many pods, {@code auto} tries the thorough strategy set; above it, {@code ffd} alone. */
    static final int AUTO_THOROUGH_LIMIT = 20_000;

    /**
     * Said when {@code auto} ran ffd alone for a large workload ({@link #AUTO_THOROUGH_LIMIT}) and the packing ends well above
     * its bound: another strategy may close part of the gap at more time (QA 51b: 1M openb pods, ffd 18.4 % above the bound,
     * kube-most-allocated 1.7 % in 227 s). Empty otherwise.
     */
    static java.util.Optional<String> largeWorkloadNote(String spec, long pods, double gapPercent, boolean optimized) {
        if (!spec.equals("auto") || pods <= AUTO_THOROUGH_LIMIT || !(gapPercent > 5)) {
            return java.util.Optional.empty();
        }
        // The optimizer follows ffd unless the workload is past its limits (ShapeEvaluator#optimizes): say which ran, and
        // name it where it did not (QA 65a F2: the note sent a user to kube-most-allocated, 227 s on 1M pods, where
        // --strategy optimize took 8 s to 0.1 %).
        return java.util.Optional.of("above " + String.format(java.util.Locale.ROOT, "%,d", AUTO_THOROUGH_LIMIT) + " pods the default "
                + "strategies are ffd alone" + (optimized ? " and the optimizer" : "") + ", and the packing is "
                + io.nodesizer.engine.Amounts.trim(gapPercent, 1) + " % above the bound: a placement strategy (kube-most-allocated, or bfd) "
                + (optimized ? "" : "or the optimizer (optimize; auto leaves it out past 200,000 pods of more than 2,000 request types) ")
                + "may close part of the gap, at more time");
    }

    /**
     * A note where the pattern LP's bound came out below another bound of the same packing (QA 67b F1/F2): converged,
     * the LP relaxation is at least every volume and dual-feasible-function bound (their duals are feasible for it), so
     * such an LP entry is the Farley bound of a column generation that stopped before proving its optimum — its searches
     * for node patterns cut short, as on shapes whose GPU devices make them hard — and the gap shown rests on the other
     * bound. Empty when the LP entry is missing or not below the bound.
     */
    static java.util.Optional<String> unconvergedLpNote(io.nodesizer.sweep.ShapeEvaluation e) {
        io.nodesizer.bound.LowerBound b = e.lowerBound();
        java.util.function.IntFunction<String> n = v -> String.format(java.util.Locale.ROOT, "%,d", v);
        int lp = b.parts().stream().filter(p -> p.method().equals("LP")).mapToInt(io.nodesizer.bound.LowerBound.Part::value).max().orElse(-1);
        // Against the volume and dual-feasible bounds only, which a converged LP is at least: the zone and spread bounds
        // are of rules the LP entry may be taken without (one zone's view, no spread caps), where it is lower by right (review 67).
        io.nodesizer.bound.LowerBound.Part volume = b.parts().stream().filter(p -> p.method().startsWith("L1(") || p.method().startsWith("L2(")
                        || p.method().startsWith("DFF(") || p.method().equals("alone+L2"))
                .max(java.util.Comparator.comparingInt(io.nodesizer.bound.LowerBound.Part::value)).orElse(null);
        // No gap (the packing at its bound, proven optimal): nothing of it can be the bound's (QA 69c F2).
        if (lp < 0 || volume == null || lp >= volume.value() || e.nodes() <= b.value()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the optimizer's pattern LP stopped before proving its optimum on " + e.shape().name()
                + " (its searches for node patterns were cut short" + (e.shape().allocatable().gpuMillis() > 0 ? ", as the GPU devices make"
                + " them hard" : "") + "): its bound, " + n.apply(lp) + ", is below " + volume.method()
                + ", " + n.apply(volume.value()) + (volume.value() == b.value()
                ? ", the bound the gap of " + io.nodesizer.engine.Amounts.trim(e.gapPercent(), 1) + " % is taken from; the LP relaxation is at "
                + "least that" : ", which the LP relaxation is at least; the gap of " + io.nodesizer.engine.Amounts.trim(e.gapPercent(), 1)
                + " % is taken from " + b.method() + ", " + n.apply(b.value()))
                + ", so part of the gap may be the bound's, not the packing's");
    }

    /** The heuristics to run and whether the optimizer follows them. */
    record StrategyChoice(List<PackingStrategies> heuristics, ShapeEvaluator.OptimizeMode optimize) {
    }

    /**
     * Resolves a strategy option: {@code auto} is {@code thorough} for workloads up to
     * {@link #AUTO_THOROUGH_LIMIT} pods and {@code ffd} above (see benchmarks/BENCHMARKS.md for why),
     * followed by the optimizer where a gap is left ({@link ShapeEvaluator.OptimizeMode#AUTO});
     * anything else is a list of names, where {@code optimize} asks for the optimizer after the
     * named heuristics (after the {@code auto} set when it is named alone).
     */
    /**
     * The strategy a {@code --scheduler-profile} names, as in replay: {@code default} packs as the
     * default profile places pods one by one (kube-default), {@code bin-packing} as the MostAllocated
     * profile many autoscaled clusters run (kube-bin-packing). {@code spec} when no profile is
     * given; exit 2 when both it (not its default, auto) and a profile are.
     */
    static String withProfile(String spec, String option, String profile) {
        if (profile == null) {
            return spec;
        }
        String strategy = switch (profile) {
            case "default" -> "kube-default";
            case "bin-packing" -> "kube-bin-packing";
            default -> throw new InputException(SourceLocation.ofFile("--scheduler-profile"), "The scheduler profile (" + profile
                    + ") must be default or bin-packing.");
        };
        if (!spec.equals("auto") && !spec.equals(strategy)) {
            throw new InputException(SourceLocation.ofFile("--scheduler-profile"), "--scheduler-profile " + profile + " packs with the "
                    + strategy + " strategy; give it or " + option + " " + spec + ", not both.");
        }
        return strategy;
    }

    static StrategyChoice strategies(String spec, String option, long pods, String thorough) {
        String auto = pods <= AUTO_THOROUGH_LIMIT ? thorough : "ffd";
        if (spec.equals("auto")) {
            return new StrategyChoice(strategies(auto, option), ShapeEvaluator.OptimizeMode.AUTO);
        }
        List<String> names = new ArrayList<>();
        boolean optimize = false;
        for (String name : spec.split(",")) {
            String n = name.trim();
            if (n.equals(ShapeOptimizer.NAME)) {
                optimize = true;
            } else {
                names.add(n);
            }
        }
        List<PackingStrategies> heuristics = strategies(names.isEmpty() ? auto : String.join(",", names), option);
        return new StrategyChoice(heuristics, optimize ? ShapeEvaluator.OptimizeMode.ALWAYS : ShapeEvaluator.OptimizeMode.OFF);
    }

    /** Parses a comma-separated list of strategy names; "all" means every heuristic. */
    static List<PackingStrategies> strategies(String spec, String option) {
        List<PackingStrategies> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            String n = name.trim();
            if (n.equals("all")) {
                return List.of(PackingStrategies.values());
            }
            PackingStrategies s = PackingStrategies.byName(n);
            if (s == null) {
                throw new InputException(SourceLocation.ofFile(option), "The strategy (" + n + ") must be one of "
                        + String.join(", ", PackingStrategies.names()) + ", " + ShapeOptimizer.NAME + ", auto or all.");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The --top rows of a ranking: 0 (all) or more; -1 showed every row as 0 does, exit 0 (QA 52a F11). */
    static int top(int rows) {
        if (rows < 0) {
            throw new InputException(SourceLocation.ofFile("--top"), "The row count (" + rows + ") must be 0 or more (0 = all rows).");
        }
        return rows;
    }

    /** Worker threads for a sweep: the option's value, else the available processors; at least 1. */
    static int workers(Integer threads) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new InputException(SourceLocation.ofFile("--threads"), "The thread count (" + n + ") must be at least 1.");
        }
        return n;
    }

    /** Prints to stdout, or writes the file atomically; a bad path is the user's mistake (exit 2). */
    void emit(String report, PrintWriter stdout) {
        emit(report, stdout, List.of());
    }

    /**
     * As {@link #emit(String, PrintWriter)}, with the files the command writes beside the report:
     * all of them appear, or none does ({@link #emitWith}).
     */
    void emit(String report, PrintWriter stdout, List<SideFile> sides) {
        String whole = stamped(report);
        emitWith(sides, w -> w.write(whole), () -> {
            stdout.print(whole);
            stdout.flush();
            checkWritten(stdout, Descriptors.STDOUT);
        });
    }

    /** A report written as it is made, with its generation time (null without --timestamp). */
    interface StreamedReport {
        void write(java.io.Writer out, String generatedAt) throws IOException;
    }

    /**
     * As {@link #emit(String, PrintWriter, List)}, for a report written as it is made (too large to
     * hold as one string): to stdout as it comes, or to the file atomically.
     */
    void emit(StreamedReport report, PrintWriter stdout, List<SideFile> sides) {
        String now = timestamp ? java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString() : null;
        emitWith(sides, w -> report.write(w, now), () -> {
            try {
                report.write(new ClosedAware(stdout), now);
            } catch (StdoutClosed e) {
                // The reader went away (| head): nobody is left to read the rest. Or the disk is full: checkWritten says so.
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            stdout.flush();
            checkWritten(stdout, Descriptors.STDOUT);
        });
    }

    /** A file a command writes beside its report: --assignments, --patches, --schedule-out. */
    record SideFile(Path path, String option, String content) {
        /** The file, or none when its option ({@code path}) was not given; {@code content} is made only when it was. */
        static List<SideFile> of(Path path, String option, java.util.function.Supplier<String> content) {
            return path == null ? List.of() : List.of(new SideFile(path, option, content.get()));
        }
    }

    /** A staged output and the option that named it, for the message should its move fail. */
    private record Pending(AtomicOutput.Staged file, Path path, String option) {
    }

    /**
     * Writes the report and its side files so that a run exiting 2 leaves none of them created or
     * replaced (QA 62 item 1: --assignments was written, then --out /dev/full failed). Every file is
     * staged beside its target first; stdout cannot be staged, so the side files wait until it was
     * written whole. Writes straight to devices (--out /dev/stdout) go before the moves: they are
     * the ones that can still fail, and a move within a directory hardly can.
     */
    private void emitWith(List<SideFile> sides, AtomicOutput.Text toFile, Runnable toStdout) {
        List<Pending> pending = new ArrayList<>();
        try {
            if (out != null) {
                pending.add(staged(out, "--out", toFile));
            }
            for (SideFile side : sides) {
                pending.add(staged(side.path(), side.option(), w -> w.write(side.content())));
            }
            if (out == null) {
                toStdout.run();
            }
            pending.sort(java.util.Comparator.comparing(p -> p.file().moves()));
            for (Pending p : pending) {
                try {
                    p.file().commit();
                } catch (IOException e) {
                    throw cannotWrite(p.path(), p.option(), e);
                }
            }
        } finally {
            for (Pending p : pending) {
                try {
                    p.file().close();
                } catch (IOException e) {
                    // A temporary file left behind: the failure already on its way is the one to tell.
                }
            }
        }
    }

    private static Pending staged(Path path, String option, AtomicOutput.Text content) {
        try {
            return new Pending(AtomicOutput.stage(path, content), path, option);
        } catch (IOException e) {
            throw cannotWrite(path, option, e);
        }
    }

    /**
     * A PrintWriter swallows its errors: a report to {@code > report.json} on a full disk was cut
     * short, or left empty, and the run still exited 0, so a pipeline went on with it. A write that
     * failed is an error unless stdout ({@code fd}) is a pipe whose reader went away ({@code | head}),
     * or /proc cannot tell.
     */
    static void checkWritten(PrintWriter stdout, Path fd) {
        String target = Descriptors.target(fd);
        if (stdout.checkError() && target != null && !Descriptors.isPipe(target)) {
            throw new InputException(SourceLocation.ofFile("stdout"), "The report could not be written whole to standard output ("
                    + target + "). Check that the disk has room, or write it with --out FILE.");
        }
    }

    /** Stdout's reader went away. */
    private static final class StdoutClosed extends IOException {
        StdoutClosed() {
            super("stdout is closed");
        }
    }

    /**
     * Stdout for a report written as it is made: a PrintWriter swallows its errors, and a report
     * piped into {@code head} would be made to its end (gigabytes, minutes) for nobody. Checked
     * after each chunk (the JSON generator writes ~8,000 characters at a time).
     */
    private static final class ClosedAware extends java.io.Writer {
        private final PrintWriter out;

        ClosedAware(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            out.write(buf, off, len);
            if (out.checkError()) {
                throw new StdoutClosed();
            }
        }

        @Override
        public void flush() throws IOException {
            if (out.checkError()) { // flushes
                throw new StdoutClosed();
            }
        }

        @Override
        public void close() {
        }
    }

    /** The report with its generation time when --timestamp asks for it (CSV stays plain rows). */
    String stamped(String report) {
        if (!timestamp) {
            return report;
        }
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return switch (format()) {
            case JSON -> {
                try {
                    // The reports' plain-decimal writer: a default one would rewrite 15980991.42 as 1.598099142E7.
                    var mapper = new com.fasterxml.jackson.databind.ObjectMapper(io.nodesizer.report.PlainDecimals.jsonFactory())
                            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
                    var tree = mapper.readTree(report);
                    if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                        o.put("generatedAt", now);
                        yield mapper.writeValueAsString(o) + "\n";
                    }
                    yield report;
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    yield report; // an export in another format (YAML): left as written
                }
            }
            case HTML -> { // before the page's last </body> (an inlined script may contain the text too)
                int end = report.lastIndexOf("</body>");
                yield end < 0 ? report : report.substring(0, end) + "<p><small>Generated at " + now + ".</small></p>" + report.substring(end);
            }
            case TABLE, MARKDOWN -> report + (report.endsWith("\n") ? "" : "\n") + "\ngenerated at " + now + "\n";
            case CSV -> report;
        };
    }

    private static InputException cannotWrite(Path path, String option, IOException e) {
        return new InputException(SourceLocation.ofFile(path.toString()), "The " + option + " file could not be written: "
                + e.getMessage() + ". Check that the directory exists and is writable.");
    }
}
