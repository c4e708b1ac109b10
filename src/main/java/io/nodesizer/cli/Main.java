package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code nodesizer} command. Exit codes: 0 success, 1 failure (a bug or an environment
 * problem), 2 a mistake in the user's input or options. A user mistake prints one message
 * ({@code file:line[:column]: …}) and never a stack trace; {@code --debug} adds the trace for bugs.
 */
@Command(name = "nodesizer", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Kubernetes node sizing: packs your pods onto candidate node shapes and recommends the cheapest.")
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    /**
     * The subcommands, in the order help lists them. Registered by {@link #commandLine(String[])}
     * rather than by {@code @Command(subcommands=…)}: picocli builds a command's model by reflection
     * over all its options, and picocli's classes (Java 5 bytecode) stay out of the JDK's AOT cache,
     * so building all of them took ~180 ms of a cold pack's main thread, and one ~95 ms
     * (benchmarks/BENCHMARKS.md, "Cold start").
     */
    private static final java.util.List<Class<?>> COMMANDS = java.util.List.of(RecommendCommand.class, PackCommand.class,
            RightsizeCommand.class, ConsolidateCommand.class, ReplayCommand.class, WindowsCommand.class, AnalyzeCommand.class,
            CompareCommand.class, SweepCommand.class, CompletionCommand.class, AotTrainingCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: " + commandNames() + ".");
    }

    /**
     * The commands help lists, from the ones registered (a literal list fell behind as commands
     * were added): "a, b or c". Hidden ones are left out, and so is {@code help}, which the
     * "Try 'nodesizer --help'" line that follows names.
     */
    private String commandNames() {
        java.util.List<String> names = spec.subcommands().entrySet().stream()
                .filter(e -> e.getKey().equals(e.getValue().getCommandName())) // an alias maps to the same command
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .filter(e -> !(e.getValue().getCommand() instanceof CommandLine.HelpCommand))
                .map(java.util.Map.Entry::getKey)
                .toList();
        return names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    public static void main(String[] args) {
        Phases.mark("main");
        // BigDecimal's static initializer squares its way to 5^65536 (JDK 25), 10–30 ms of a cold
        // run on the main thread; every command reaches it (quantities, rounding in reports), so a
        // daemon thread sets it up while the main thread builds the command model and reads input.
        Thread.ofPlatform().daemon().name("nodesizer-init").start(() -> java.math.BigDecimal.ONE.signum());
        PrintWriter err = new PrintWriter(System.err, true);
        GcWatchdog.start();
        try {
            System.exit(run(args, new PrintWriter(System.out, true), err));
        } catch (OutOfMemoryError e) {
            // Not a bug in the input and not worth a stack trace: say what to change.
            err.println("nodesizer: " + outOfMemory());
            err.flush();
            System.exit(EXIT_FAILURE);
        }
    }

    /** What to change when a run runs out of memory: said by a command alone and by a sweep's run alike. */
    static String outOfMemory() {
        return "out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB). " + moreHeap();
    }

    /** The advice on the heap, as {@link #outOfMemory} and {@link GcWatchdog} give it. */
    static String moreHeap() {
        return "Give the JVM more heap, e.g. NODESIZER_JAVA_OPTS=-Xmx16g ./nodesizer ...; for a large sweep, narrowing the candidates "
                + "(--families, --min-cpu, --ratios) also helps.";
    }

    /** The command tree as every run parses it (a sweep parses its runs' command lines with it too). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for {@code args}: when the first argument names a subcommand that does not
     * look at its siblings, that subcommand alone (parsing, help and errors are the same: they are
     * the subcommand's own); otherwise (no command, a misspelt one that gets suggestions, top-level
     * help, {@code help} and {@code completion}, which list every command) all of them.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> only = args.length == 0 ? null : standalone(args[0]);
        for (Class<?> command : COMMANDS) {
            if (only == null || command == only) {
                cli.addSubcommand(command); // picocli's factory makes it, as for @Command(subcommands)
            }
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Every command's --version names the build, as the top level's does (a subcommand's printed nothing).
        BuildVersion version = new BuildVersion();
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
        return cli;
    }

    /** The subcommand named {@code name} when it can run without the others registered, else null. */
    private static Class<?> standalone(String name) {
        for (Class<?> command : COMMANDS) {
            if (command != CommandLine.HelpCommand.class && command != CompletionCommand.class
                    && command.getAnnotation(Command.class).name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern NOT_A_NUMBER = java.util.regex.Pattern.compile(
            "Invalid value for (option '[^']+'|positional parameter[^:]*)(?: \\([^)]*\\))?: '(.*)' is not (a double|a long|an int|a float)");
    private static final java.util.regex.Pattern TOO_FEW = java.util.regex.Pattern.compile(
            "positional parameter at index [^ ]+ \\(([^)]+)\\) requires at least (\\d+) values, but only (\\d+) (?:was|were) specified\\.?");

    /**
     * A picocli parse error in the tool's own words, saying what is expected and what was found (QA 74b F7: "'1.5' is not a
     * long", "'abc' is not a double", "positional parameter at index 0..* (REPORT) requires at least 2 values, but only 1 were
     * specified"); other messages as picocli words them.
     */
    static String inOurWords(String message) {
        java.util.regex.Matcher m = NOT_A_NUMBER.matcher(message);
        if (m.find()) {
            String what = m.group(1).startsWith("option") ? m.group(1).substring("option ".length()).replace("'", "") : m.group(1);
            boolean whole = !m.group(3).equals("a double") && !m.group(3).equals("a float");
            String found = m.group(2).isEmpty() ? "an empty value (two commas in a row, or a trailing one?)" : "'" + m.group(2) + "'";
            return message.substring(0, m.start()) + what + ": expected " + (whole ? "a whole number such as 3" : "a number such as 1.5")
                    + "; found " + found + message.substring(m.end()) + (message.substring(m.end()).endsWith(".") ? "" : ".");
        }
        m = TOO_FEW.matcher(message);
        if (m.find()) {
            String label = m.group(1);
            return message.substring(0, m.start()) + "expected at least " + m.group(2) + " " + label + " values; found " + m.group(3)
                    + message.substring(m.end()) + ".";
        }
        return message;
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("nodesizer: " + inOurWords(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InputException input) {
                err.println("nodesizer: " + input.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            boolean debug = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug");
            err.println("nodesizer: internal error: " + ex);
            if (debug) {
                ex.printStackTrace(err);
            } else {
                err.println("(run again with --debug for the stack trace, and please report it)");
            }
            err.flush();
            return EXIT_FAILURE;
        });
        Phases.mark("picocli model");
        // Standard input and pipes are read once per run, and anew by the next run in this JVM (a test's, a sweep's on Spark).
        try (io.nodesizer.input.RunInputs.Scope inputs = io.nodesizer.input.RunInputs.open()) {
            return cli.execute(args);
        }
    }
}
