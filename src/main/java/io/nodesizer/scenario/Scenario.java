package io.nodesizer.scenario;

import io.nodesizer.input.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * One scenario of a sweep file: a command, its options by their long names, and what to vary.
 *
 * @param args   options and values as written (a list repeats the option; a single {@code true} is a bare flag and
 *               {@code false} leaves it out, unless the option is in {@code valued})
 * @param vary   per varied option, its values in order (ranges already expanded)
 * @param valued the options that take true or false as their value ({@code --skip-nodes-with-local-storage false}), which
 *               are written with it rather than as a flag; the command's own model knows them ({@link #withValued})
 */
public record Scenario(String name, String command, Map<String, Arg> args, Map<String, Vary> vary, SourceLocation at,
                       java.util.Set<String> valued) {
    public Scenario {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        vary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vary));
        valued = java.util.Set.copyOf(valued);
    }

    /** A scenario whose true and false values are all flags. */
    public Scenario(String name, String command, Map<String, Arg> args, Map<String, Vary> vary, SourceLocation at) {
        this(name, command, args, vary, at, java.util.Set.of());
    }

    /** The same scenario with {@code options} taking true and false as their values. */
    public Scenario withValued(java.util.Set<String> options) {
        return new Scenario(name, command, args, vary, at, options);
    }

    /** An option's values as written (one, or several for a repeated option; true or false for a flag) and where. */
    public record Arg(List<String> values, SourceLocation at) {
        public Arg {
            values = List.copyOf(values);
        }
    }

    /**
     * A varied option's values and where it was written; {@code valuesAt}: where each value was written (an item of a list),
     * or empty when they share {@code at} (a range, a single value).
     */
    public record Vary(List<String> values, SourceLocation at, List<SourceLocation> valuesAt) {
        public Vary {
            values = List.copyOf(values);
            valuesAt = List.copyOf(valuesAt);
        }

        /** Values written in one place (a range, a single value). */
        public Vary(List<String> values, SourceLocation at) {
            this(values, at, List.of());
        }

        /** Where {@code value} was written: its item of a list, else {@link #at}. */
        public SourceLocation at(String value) {
            int i = values.indexOf(value);
            return i >= 0 && i < valuesAt.size() ? valuesAt.get(i) : at;
        }
    }

    /** One run of a scenario: the varied values (in the order of {@code vary}) and the command line. */
    public record Run(Scenario scenario, int index, Map<String, String> varied, List<String> argv) {
        public Run {
            varied = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(varied));
            argv = List.copyOf(argv);
        }

        /** The seed this run gets: its varied value, else the scenario's, else the sweep's. */
        public String seed(long sweepSeed) {
            if (varied.containsKey("seed")) {
                return varied.get("seed");
            }
            Arg fixed = scenario.args().get("seed");
            return fixed != null && fixed.values().size() == 1 ? fixed.values().get(0) : Long.toString(sweepSeed);
        }

        /** {@code shop-ratios[growth=1.5]}, for messages. */
        public String label() {
            StringBuilder sb = new StringBuilder(scenario.name());
            if (!varied.isEmpty()) {
                sb.append('[');
                varied.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ",").append(k).append('=').append(v));
                sb.append(']');
            }
            return sb.toString();
        }
    }

    /**
     * The command and its fixed options, as every run's command line starts: a list repeats the
     * option ({@code node: [a, b]} is {@code --node a --node b}), {@code true} is the bare flag.
     */
    public List<String> fixedArgv() {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(command);
        args.forEach((key, arg) -> {
            if (!valued.contains(key) && arg.values().equals(List.of("true"))) {
                argv.add("--" + key); // a flag
                return;
            }
            if (!valued.contains(key) && arg.values().equals(List.of("false"))) {
                return; // a flag left out
            }
            for (String value : arg.values()) {
                argv.add("--" + key);
                argv.add(value);
            }
        });
        return argv;
    }

    /**
     * {@link #fixedArgv()} as the sweep runs it: with the sweep's {@code --seed} unless the scenario
     * sets or varies seed. The printed command line is this one, so that pasting it (with the
     * varied options) reproduces a row; without the seed it ran with seed 1 and gave other numbers.
     */
    public List<String> fixedArgv(long sweepSeed) {
        List<String> argv = fixedArgv();
        if (!setsSeed()) {
            argv.addAll(List.of("--seed", Long.toString(sweepSeed)));
        }
        return argv;
    }

    /** Whether the scenario sets or varies seed itself (else its runs get the sweep's). */
    public boolean setsSeed() {
        return args.containsKey("seed") || vary.containsKey("seed");
    }

    /**
     * Every combination of the varied values (the first varied option changes slowest), each as a
     * command line: the command, then the fixed options, then the varied ones.
     */
    public List<Run> expand() {
        List<Map<String, String>> combos = new java.util.ArrayList<>();
        combos.add(new java.util.LinkedHashMap<>());
        for (Map.Entry<String, Vary> v : vary.entrySet()) {
            List<Map<String, String>> next = new java.util.ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String value : v.getValue().values()) {
                    Map<String, String> m = new java.util.LinkedHashMap<>(c);
                    m.put(v.getKey(), value);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Run> runs = new java.util.ArrayList<>();
        for (Map<String, String> c : combos) {
            List<String> argv = new java.util.ArrayList<>(fixedArgv());
            c.forEach((key, value) -> {
                // As in args: true is the bare flag, false leaves it out (vary: {cold-start: [true, false]}), unless the
                // option takes them as its value.
                boolean flag = !valued.contains(key) && (value.equals("true") || value.equals("false"));
                if (!flag || value.equals("true")) {
                    argv.add("--" + key);
                }
                if (!flag) {
                    argv.add(value);
                }
            });
            runs.add(new Run(this, runs.size(), c, argv));
        }
        return runs;
    }
}
