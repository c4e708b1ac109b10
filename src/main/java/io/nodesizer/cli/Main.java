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
        description = "Kubernetes node sizing: packs your pods onto candidate node shapes and recommends the cheapest.",
        subcommands = {RecommendCommand.class, PackCommand.class, RightsizeCommand.class, ConsolidateCommand.class, ReplayCommand.class, WindowsCommand.class, AnalyzeCommand.class, CompareCommand.class, SweepCommand.class, CompletionCommand.class, AotTrainingCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: recommend, pack, replay or windows.");
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            System.exit(run(args, new PrintWriter(System.out, true), err));
        } catch (OutOfMemoryError e) {
            // Not a bug in the input and not worth a stack trace: say what to change.
            err.println("nodesizer: out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB). "
                    + "Give the JVM more heap, e.g. NODESIZER_JAVA_OPTS=-Xmx16g ./nodesizer ...; for a large sweep, narrowing the "
                    + "candidates (--families, --min-cpu, --ratios) also helps; -o json lists every unschedulable pod of every shape.");
            err.flush();
            System.exit(EXIT_FAILURE);
        }
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    /** The command tree as every run parses it (a sweep parses its runs' command lines with it too). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("nodesizer: " + ex.getMessage());
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
        return cli.execute(args);
    }
}
