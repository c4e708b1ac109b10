package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.scenario.Scenario;
import io.nodesizer.scenario.ScenarioFile;
import io.nodesizer.sweep.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's rule, "bad input exits 2 before anything runs", over every option of every command a scenario can run, not a
 * few picked by hand (review 76 #2-#4 and #11: each command's pre-check was a second list of its run's checks, and drifted).
 * From a small scenario per command, each option is given each value of its type that is likely wrong (0 and -1 for a
 * number, true for a flag, a word for text, for a file option a file of each kind the commands read and one that does not
 * exist), and each option of the scenario is left out. Where the sweep's check ({@link SweepRunChecker}) accepts the run,
 * the run itself must not exit 2: that would be a mistake found only after the other runs had run.
 */
final class SweepPrecheckCoverageTest {
    @TempDir
    Path dir;

    /** The scenarios the options are varied from: small inputs, one strategy, so that each accepted run takes little time. */
    private static final Map<String, Map<String, String>> BASES = new LinkedHashMap<>();

    static {
        BASES.put("pack", Map.of("command", "pack", "pods", "@tiny.csv", "node", "cpu=8,memory=32Gi", "strategy", "ffd"));
        BASES.put("pack onto a fleet", Map.of("command", "pack", "pods", "@tiny.csv", "fleet", "@cluster.json"));
        BASES.put("recommend", Map.of("command", "recommend", "pods", "@tiny.csv", "families", "m5", "strategies", "ffd"));
        BASES.put("rightsize", Map.of("command", "rightsize", "pods", "@shop.yaml", "usage", "@usage.csv", "families", "m5",
                "strategies", "ffd"));
        BASES.put("replay", Map.of("command", "replay", "workload", "@tiny.csv", "synthetic", "diurnal", "node", "aws:m5.xlarge",
                "duration", "6h"));
        BASES.put("windows", Map.of("command", "windows", "workload", "@tiny.csv", "synthetic", "diurnal", "node", "aws:m5.xlarge",
                "duration", "1d"));
    }

    /** The files a file option is tried with: "@name" in a base or a value is the copy in the case's directory. */
    private static final List<String> FILES = List.of("@tiny.csv", "@cluster.json", "@bad.json", "@usage.csv", "@none.csv");

    /**
     * The mistakes only a run finds, each with why: none is of one option's value. Usage that matches none of the workloads
     * is found by matching each series to a workload (namespace, owner, container), which is the rightsizing itself.
     */
    private static final List<String> FOUND_BY_THE_RUN = List.of(
            "rightsize with pods: @tiny.csv -> exit 2: ", "rightsize with pods: @cluster.json -> exit 2: ");

    @Test
    void everyValueARunRefusesIsRefusedBeforeTheSweepRuns() throws Exception {
        List<String> late = new ArrayList<>();
        int cases = 0;
        for (var base : BASES.entrySet()) {
            String command = base.getValue().get("command");
            CommandLine.Model.CommandSpec spec = Main.commandLine(new String[] {command}).getSubcommands().get(command).getCommandSpec();
            for (String key : base.getValue().keySet()) {
                if (!key.equals("command")) {
                    Map<String, String> args = new LinkedHashMap<>(base.getValue());
                    args.remove(key);
                    cases++;
                    check(base.getKey() + " without " + key, args, late);
                }
            }
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                String key = option.longestName().replaceFirst("^-+", "");
                if (!option.longestName().startsWith("--") || ScenarioFile.RESERVED.contains(key) || ScenarioFile.OTHER_OUTPUTS.contains(key)) {
                    continue;
                }
                for (String value : wrongValues(option)) {
                    Map<String, String> args = new LinkedHashMap<>(base.getValue());
                    args.put(key, value);
                    cases++;
                    check(base.getKey() + " with " + key + ": " + value, args, late);
                }
            }
        }
        assertThat(cases).isGreaterThan(300); // every option of the five commands, not a handful
        late.removeIf(l -> FOUND_BY_THE_RUN.stream().anyMatch(l::startsWith) && l.contains("usage series matches a workload"));
        assertThat(late).as("runs the sweep's check accepted and that then exited 2 (or 1)").isEmpty();
    }

    /** The values of {@code option}'s type that are likely wrong. */
    private static List<String> wrongValues(CommandLine.Model.OptionSpec option) {
        if (option.arity().max() == 0) {
            return List.of("true");
        }
        Class<?> type = option.auxiliaryTypes().length > 0 ? option.auxiliaryTypes()[0] : option.type();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == double.class
                || type == Double.class) {
            return List.of("0", "-1");
        }
        if (type == boolean.class || type == Boolean.class) {
            return List.of("true", "false");
        }
        List<String> out = new ArrayList<>(List.of("bogus"));
        if (CommonOptions.readsFiles(option)) {
            out.addAll(FILES);
        }
        return out;
    }

    /** Runs the sweep's check on one scenario of {@code args}; when it accepts, the run itself, which must not fail on its input. */
    private void check(String name, Map<String, String> args, List<String> late) throws Exception {
        Path at = Files.createTempDirectory(dir, "case");
        Files.writeString(at.resolve("tiny.csv"), "name,cpu,memory,replicas\nweb,500m,1Gi,3\napi,1,2Gi,2\n");
        Files.copy(Path.of("workloads/snapshot/cluster.json"), at.resolve("cluster.json"));
        Files.writeString(at.resolve("bad.json"), "{\"nodes\": [");
        Files.copy(Path.of("workloads/rightsize/usage.csv"), at.resolve("usage.csv"));
        Files.copy(Path.of("workloads/rightsize/shop.yaml"), at.resolve("shop.yaml"));
        StringBuilder yaml = new StringBuilder("scenarios:\n  - name: s\n    command: " + args.get("command") + "\n    args:\n");
        for (var e : args.entrySet()) {
            if (!e.getKey().equals("command")) {
                String value = e.getValue().startsWith("@") ? at.resolve(e.getValue().substring(1)).toString() : e.getValue();
                yaml.append("      ").append(e.getKey()).append(": \"").append(value).append("\"\n");
            }
        }
        Path file = at.resolve("sweep.yaml");
        Files.writeString(file, yaml);
        List<List<String>> argvs;
        try {
            SweepRunChecker checker = new SweepRunChecker(1, null);
            List<Scenario> all = ScenarioFile.read(file, file.toString());
            List<Scenario.Run> runs = checker.runs(all);
            argvs = checker.commandLines(runs, true);
        } catch (InputException refused) {
            return; // refused before anything runs: what the rule asks for
        }
        RunResult result = SweepRun.run(argvs.get(0));
        if (result.exitCode() != 0) {
            late.add(name + " -> exit " + result.exitCode() + ": " + result.err().lines().filter(l -> !l.contains("warning")).findFirst()
                    .orElse(""));
        }
    }
}
