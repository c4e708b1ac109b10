package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.report.SweepReport;
import io.nodesizer.scenario.Scenario;
import io.nodesizer.scenario.ScenarioFile;
import io.nodesizer.sweep.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nodesizer sweep --scenarios scenarios.yaml}: runs every expanded scenario (a command with
 * options, and the options to vary) and reports one row per run. Its parts: {@link SweepRunChecker} checks every run
 * before the first one starts (a mistake exits 2 naming the scenario and the key), a {@link SweepEngine} runs them (local
 * threads or Spark), each run being {@link SweepRun}: the command itself with {@code -o json --reproducible --quiet},
 * its headline figures read back from that JSON. This class reads the options and the sweep file and reports.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run scenarios (a command, its options, what to vary: growth, seeds, shapes…) on all local cores: one row per run "
                + "with its headline figures, and a summary per scenario.")
final class SweepCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Option(names = "--scenarios", paramLabel = "FILE", required = true,
            description = "The sweep file: scenarios: [{name, command, args: {option: value}, vary: {option: [values] or FROM..TO step S}}].")
    Path scenarios;

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: available processors; with --engine spark in-process, its local[N]). Results do not depend on it.")
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
        SweepRunChecker checker = new SweepRunChecker(common.seed, common.out);
        List<Scenario.Run> runs = checker.runs(all);
        SweepEngine engine = SweepEngine.named(this.engine, threads, master, runs.size());
        // both engines run the same command lines (one thread per run when runs share the cores)
        List<List<String>> argvs = checker.commandLines(runs, engine.sharesCores());
        PrintWriter err = spec.commandLine().getErr();
        warnBundledSample(runs, argvs, err);
        List<RunResult> results = engine.run(argvs, ProgressBar.create(err, "running " + runs.size() + " scenario runs", common.quiet));
        Phases.mark(engine.phase());
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
     * A scenario that names no workload sizes the bundled sample, as the command does: plausible figures for the wrong
     * workload when a pods line was forgotten (QA 48a), so it is said once per scenario. Not rightsize, which needs a
     * workload and refuses to run without one (review 76 #3).
     */
    private static void warnBundledSample(List<Scenario.Run> runs, List<List<String>> argvs, PrintWriter err) {
        java.util.Set<String> bundled = new java.util.LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            List<String> argv = argvs.get(i);
            if (List.of("pack", "recommend", "replay", "windows").contains(argv.get(0)) && argv.stream().noneMatch(a -> a.equals("--snapshot")
                    || a.startsWith("--") && SweepRunChecker.WORKLOAD_OPTIONS.contains(a.substring(2)))) {
                bundled.add(runs.get(i).scenario().name());
            }
        }
        bundled.forEach(name -> err.println("nodesizer: warning: scenario '" + name + "' names no workload (pods, workload, trace or "
                + "snapshot): its runs size the bundled sample workloads/shop.csv"));
    }

    private SweepReport.Outcome outcome(Scenario.Run run, RunResult result) {
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
