package io.nodesizer.scenario;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.manifest.ManifestParser;
import io.nodesizer.input.manifest.YamlNode;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sweep file ({@code scenarios.yaml}): a mapping with {@code scenarios:}, a list of
 * {@code {name, command, args, vary}}. Option names are the commands' long names without the
 * dashes. A varied value is a list, a single value, or a range {@code FROM..TO [step S]}
 * (inclusive; step 1 by default). Every mistake names file:line:column, the scenario and the key.
 */
public final class ScenarioFile {
    /** The commands a scenario may run. */
    public static final List<String> COMMANDS = List.of("recommend", "pack", "replay", "windows", "rightsize");
    /** Options the sweep sets itself on every run (JSON, no timings, no progress, one report per run). */
    public static final Set<String> RESERVED = Set.of("output", "o", "out", "reproducible", "quiet", "timestamp", "help", "version",
            "assignments");
    /**
     * Options that make a run write or print something other than its JSON report: every run of a
     * scenario would write the same file, and a printed export is no report the sweep can read.
     */
    public static final Set<String> OTHER_OUTPUTS = Set.of("schedule-out", "patches", "export", "export-target");
    /** Values one varied option may take at most (a typo such as 1..1000000 should not start a day-long sweep). */
    public static final int MAX_VALUES = 10_000;
    /**
     * Runs a whole sweep may expand to. Varied options multiply, so each within MAX_VALUES still
     * gave a million runs from one slipped step (0.001 for 0.1), expanded in memory with no word.
     */
    public static final long MAX_RUNS = 100_000;
    private static final List<String> KEYS = List.of("name", "command", "args", "vary");

    /**
     * Exits 2 before anything is expanded when the scenarios' runs (the product of each one's
     * varied values' counts, summed) exceed {@link #MAX_RUNS}, naming the scenario that crosses it
     * and its varied keys with their counts.
     */
    public static void checkRunCount(List<Scenario> scenarios) {
        long total = 0;
        for (Scenario s : scenarios) {
            long runs = 1;
            StringBuilder keys = new StringBuilder();
            for (Map.Entry<String, Scenario.Vary> v : s.vary().entrySet()) {
                // each count is at most MAX_VALUES, so the product stays far from overflow while at most MAX_RUNS
                runs = Math.min(runs * v.getValue().values().size(), MAX_RUNS + 1);
                keys.append(keys.isEmpty() ? "" : " × ").append(v.getKey()).append(" (").append(v.getValue().values().size()).append(')');
            }
            total = Math.min(total + runs, MAX_RUNS + 1);
            if (total > MAX_RUNS) {
                String product = runs > MAX_RUNS ? "more than " + MAX_RUNS : Long.toString(runs);
                throw new InputException(s.at(), "Scenario '" + s.name() + "': vary " + keys + " gives " + product + " runs"
                        + (runs > MAX_RUNS ? "" : ", which brings the sweep above " + MAX_RUNS) + "; a sweep runs at most " + MAX_RUNS
                        + ". Split it into several sweeps, or check the ranges' steps.");
            }
        }
    }

    private ScenarioFile() {
    }

    public static List<Scenario> read(Path path, String file) {
        List<YamlNode> docs = ManifestParser.parse(path, file);
        if (docs.size() == 1 && docs.get(0) instanceof YamlNode.Mapping top && top.get("scenarios") == null) {
            // A misspelt top key is named where it is (QA 68c F5: "scenarioz:" got the general message alone).
            String key = top.entries().keySet().stream().findFirst().orElse(null);
            if (key != null) {
                throw new InputException(top.get(key).at(), "Unknown key '" + key + "' at the top; a sweep file has scenarios: only"
                        + " (a list, each with name, command, args and vary).");
            }
        }
        if (docs.size() != 1 || !(docs.get(0) instanceof YamlNode.Mapping root) || !(root.get("scenarios") instanceof YamlNode.Sequence list)) {
            // An input of no document is named as what it is (review 74 #8: /dev/null got the general message alone).
            throw new InputException(docs.isEmpty() ? SourceLocation.ofFile(file) : docs.get(0).at(),
                    (docs.isEmpty() ? io.nodesizer.input.RunInputs.emptyInput(file) + "; a" : "A")
                    + " sweep file is one YAML document with a list under scenarios: (each with name, command, args and vary)"
                    + (docs.isEmpty() ? "." : "; found " + found(docs, root(docs)) + "."));
        }
        for (String key : root.entries().keySet()) {
            if (!key.equals("scenarios")) {
                throw new InputException(root.get(key).at(), "Unknown key '" + key + "' at the top; a sweep file has scenarios: only.");
            }
        }
        if (list.items().isEmpty()) {
            throw new InputException(list.at(), "The sweep file lists no scenarios.");
        }
        List<Scenario> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (YamlNode item : list.items()) {
            Scenario s = scenario(item);
            if (!names.add(s.name())) {
                throw new InputException(s.at(), "Scenario '" + s.name() + "': another scenario has this name; names must be unique.");
            }
            out.add(s);
        }
        return out;
    }

    private static Scenario scenario(YamlNode item) {
        if (!(item instanceof YamlNode.Mapping m)) {
            throw new InputException(item.at(), "Each scenario must be a mapping with name, command, args and vary.");
        }
        String name = scalar(m.get("name"), m.at(), "Each scenario needs a name.");
        if (name.isBlank()) {
            // A row with a blank scenario cell, exit 0 (QA 66b L5): no name is no name, written or not.
            throw new InputException(m.get("name").at(), "Each scenario needs a name; found " + (name.isEmpty() ? "an empty one." : "only blanks."));
        }
        String where = "Scenario '" + name + "': ";
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new InputException(e.getValue().at(), where + "unknown key '" + e.getKey() + "'; a scenario has name, command, args, vary.");
            }
        }
        String command = scalar(m.get("command"), m.at(), where + "command is missing; one of " + String.join(", ", COMMANDS) + ".");
        if (!COMMANDS.contains(command)) {
            throw new InputException(m.get("command").at(), where + "the command '" + command + "' must be one of " + String.join(", ", COMMANDS) + ".");
        }
        Map<String, Scenario.Arg> args = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : entries(m.get("args"), where + "args")) {
            String key = key(e, where + "args");
            // true and false stay as written: a bare flag or left out, unless the option takes them as its value (Scenario).
            args.put(key, new Scenario.Arg(argValues(e.getValue(), "Scenario '" + name + "', args." + key), e.getValue().at()));
        }
        Map<String, Scenario.Vary> vary = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : entries(m.get("vary"), where + "vary")) {
            String key = key(e, where + "vary");
            if (args.containsKey(key)) {
                throw new InputException(e.getValue().at(), where + "'" + key + "' is both in args and in vary; give it in one place.");
            }
            // Each item of a list where it was written, so that a check names the value of the run it failed on.
            List<SourceLocation> itemsAt = e.getValue() instanceof YamlNode.Sequence seq ? seq.items().stream().map(YamlNode::at).toList()
                    : List.of();
            vary.put(key, new Scenario.Vary(varyValues(e.getValue(), "Scenario '" + name + "', vary." + key), e.getValue().at(), itemsAt));
        }
        return new Scenario(name, command, args, vary, m.at());
    }

    private static List<Map.Entry<String, YamlNode>> entries(YamlNode node, String what) {
        if (node == null || (node instanceof YamlNode.Scalar s && s.isNull())) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            throw new InputException(node.at(), what + " must be a mapping of option names (without the dashes) to values.");
        }
        return new ArrayList<>(m.entries().entrySet());
    }

    private static String key(Map.Entry<String, YamlNode> e, String what) {
        String key = e.getKey();
        if (key.startsWith("-")) {
            throw new InputException(e.getValue().at(), what + ": write the option '" + key + "' without dashes (" + key.replaceFirst("^-+", "") + ").");
        }
        if (!key.matches("[a-z][a-z0-9-]*")) {
            throw new InputException(e.getValue().at(), what + ": '" + key + "' is not an option name (lower case, digits and dashes).");
        }
        if (RESERVED.contains(key)) {
            throw new InputException(e.getValue().at(), what + ": '" + key + "' is set by the sweep itself (each run writes JSON for the "
                    + "sweep's report); leave it out.");
        }
        if (OTHER_OUTPUTS.contains(key)) {
            throw new InputException(e.getValue().at(), what + ": '" + key + "' makes a run write or print more than its report, and a "
                    + "sweep keeps only each run's figures (its runs would all write one file); run the command on its own for it.");
        }
        return key;
    }

    /** A value as written: one, a list (repeated option), true (a flag: no values), false (null: left out). */
    private static List<String> argValues(YamlNode v, String what) {
        if (v instanceof YamlNode.Sequence seq) {
            List<String> out = new ArrayList<>();
            for (YamlNode item : seq.items()) {
                out.add(scalar(item, item.at(), what + ": each item must be a single value."));
            }
            return out;
        }
        return List.of(scalar(v, v.at(), what + " must be a value or a list of values."));
    }

    private static List<String> varyValues(YamlNode v, String what) {
        List<String> out;
        if (v instanceof YamlNode.Sequence seq) {
            out = new ArrayList<>();
            List<String> same = new ArrayList<>(); // each value as a run reads it: 1m and 60s are one duration
            for (YamlNode item : seq.items()) {
                String value = canonical(scalar(item, item.at(), what + ": each value must be a single value."));
                String asRead = sameAs(value);
                int twice = same.indexOf(asRead);
                if (twice >= 0) {
                    // The same run twice (1.10 and 1.1 are one growth, 1m and 60s one SLO): a typo for another value, most likely
                    // (QA 58d F9, QA 60a F8).
                    throw new InputException(item.at(), what + " lists " + value + (out.get(twice).equals(value) ? " twice"
                            : ", the same as " + out.get(twice)) + "; each value once.");
                }
                out.add(value);
                same.add(asRead);
            }
        } else {
            String text = scalar(v, v.at(), what + " must be a list, a single value or a range such as 1.0..2.0 step 0.5.");
            // a range starts with a number: "../shop.csv" is a value
            out = text.matches("\\s*-?\\.?[0-9][0-9.]*\\s*\\.\\..*") ? range(text, v.at(), what) : List.of(canonical(text));
        }
        if (out.isEmpty()) {
            throw new InputException(v.at(), what + " has no values.");
        }
        if (out.size() > MAX_VALUES) {
            throw new InputException(v.at(), what + " has " + out.size() + " values; at most " + MAX_VALUES + ".");
        }
        return out;
    }

    /**
     * A bound or step: digits with an optional fraction, or a fraction alone (.5); not a trailing point, so that "1...2" is
     * no range of 1 to 2 (QA 61d F4: it read as one, as "1..2step 0.5" did).
     */
    private static final String NUMBER = "-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)";

    /**
     * {@code FROM..TO [step S]}, inclusive, exact in decimal (1.0..2.0 step 0.1 gives 11 values ending at 2), each written
     * without trailing zeros (0.5, 0.75, 1, 1.25: one key per value in a CSV of the rows, whatever the bounds' decimals).
     */
    static List<String> range(String text, SourceLocation at, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\s*(" + NUMBER + ")\\s*\\.\\.\\s*(" + NUMBER + ")(?:\\s+step\\s+(" + NUMBER + "))?\\s*").matcher(text);
        if (!m.matches() || text.contains("...")) { // 1...2 is no range of 1 to .2
            throw new InputException(at, what + ": the range '" + text + "' must look like 1..4 or 1.0..2.0 step 0.5.");
        }
        BigDecimal from;
        BigDecimal to;
        BigDecimal step;
        try {
            from = new BigDecimal(m.group(1));
            to = new BigDecimal(m.group(2));
            step = m.group(3) == null ? BigDecimal.ONE : new BigDecimal(m.group(3));
        } catch (NumberFormatException e) {
            throw new InputException(at, what + ": the range '" + text + "' has a bound or step that is not a number.");
        }
        if (step.signum() <= 0) {
            throw new InputException(at, what + ": the step of '" + text + "' must be above 0.");
        }
        if (to.compareTo(from) < 0) {
            throw new InputException(at, what + ": the range '" + text + "' ends below its start.");
        }
        BigDecimal count = to.subtract(from).divide(step, 0, java.math.RoundingMode.FLOOR).add(BigDecimal.ONE);
        if (count.compareTo(BigDecimal.valueOf(MAX_VALUES)) > 0) {
            throw new InputException(at, what + ": the range '" + text + "' has " + count + " values; at most " + MAX_VALUES + ".");
        }
        List<String> out = new ArrayList<>();
        for (BigDecimal v = from; v.compareTo(to) <= 0; v = v.add(step)) {
            out.add(v.stripTrailingZeros().toPlainString());
        }
        if (to.subtract(from).remainder(step).signum() != 0) {
            // Inclusive means the end is run: a step that passes over it left it out without a word (QA 74b F6: 1..2 step 0.3).
            String values = out.size() <= 6 ? String.join(", ", out)
                    : String.join(", ", out.subList(0, 3)) + ", …, " + out.get(out.size() - 1);
            String end = to.stripTrailingZeros().toPlainString();
            throw new InputException(at, what + ": the range '" + text + "' is inclusive, but its step "
                    + step.stripTrailingZeros().toPlainString() + " does not land on its end " + end + ": it would give " + values
                    + ". Give a step that divides " + to.subtract(from).stripTrailingZeros().toPlainString() + ", end the range at "
                    + out.get(out.size() - 1) + ", or list the values.");
        }
        return out;
    }

    /** The document's root, when it is one mapping; else null. */
    private static YamlNode.Mapping root(List<YamlNode> docs) {
        return docs.size() == 1 && docs.get(0) instanceof YamlNode.Mapping m ? m : null;
    }

    /** What a sweep file that is not one mapping with a list under scenarios: holds, in the reader's words (QA 74b F8). */
    private static String found(List<YamlNode> docs, YamlNode.Mapping root) {
        if (docs.size() > 1) {
            return docs.size() + " documents";
        }
        if (root == null) {
            return kind(docs.get(0)) + " at the top";
        }
        YamlNode scenarios = root.get("scenarios");
        return scenarios == null ? "no scenarios: key" : kind(scenarios) + " under scenarios";
    }

    private static String kind(YamlNode node) {
        return node instanceof YamlNode.Mapping m ? (m.entries().isEmpty() ? "an empty mapping ({})" : "a mapping (keys: values)")
                : node instanceof YamlNode.Sequence ? "a list" : "a single value";
    }

    /** A duration with units ({@code 1m}, {@code 60s}, {@code PT1M}) as its seconds, so that equal durations compare equal; else the value. */
    private static String sameAs(String value) {
        String t = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.matches("([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+") && !t.startsWith("p")) {
            return value;
        }
        try {
            return "duration " + io.nodesizer.replay.Durations.seconds(value, SourceLocation.ofFile("vary"), "value");
        } catch (InputException notADuration) {
            return value;
        }
    }

    /**
     * A plain decimal fraction written without trailing zeros (1.0 and 1.50 are 1 and 1.5, as a range writes them); any
     * other value as given (a whole number such as 007 too: it may be an option's text, not a number).
     */
    static String canonical(String value) {
        if (!value.matches("-?[0-9]+\\.[0-9]+")) {
            return value;
        }
        return new BigDecimal(value).stripTrailingZeros().toPlainString();
    }

    private static String scalar(YamlNode v, SourceLocation at, String message) {
        if (!(v instanceof YamlNode.Scalar s) || s.isNull()) {
            throw new InputException(v == null ? at : v.at(), message);
        }
        return s.text();
    }
}
