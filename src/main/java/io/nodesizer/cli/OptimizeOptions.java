package io.nodesizer.cli;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.Durations;
import io.nodesizer.sweep.ShapeOptimizer;
import picocli.CommandLine.Option;

/** Options of the optimizer (strategy {@code optimize}, and {@code auto} where a gap is left). */
final class OptimizeOptions {
    static final String TIMED_NOTE = "the optimizer ran with --time-limit: how far it got depends on the machine and its load, "
            + "so results may vary between runs (leave --time-limit out for reproducible results)";

    /**
     * Whether {@link #TIMED_NOTE} applies to {@code e}: an optimized packing above its lower bound. One at the bound is
     * proven: no run, however far it gets, has fewer nodes (QA 71b F3: the note stood beside "cheapest proven").
     */
    static boolean mayVary(io.nodesizer.sweep.ShapeEvaluation e) {
        return e.optimized() && e.nodes() > e.lowerBound().value();
    }

    @Option(names = "--time-limit", paramLabel = "DURATION",
            description = "Let the optimizer's local search run up to this long per shape (e.g. 30s, 2m) instead of its default step "
                    + "limits, which are counts so that the same input and seed give the same output on any machine (the pattern method "
                    + "always runs to its count limits). With a time limit, results may vary by machine and load; the report says so.")
    String timeLimit;

    ShapeOptimizer.Settings settings() {
        ShapeOptimizer.Settings defaults = ShapeOptimizer.Settings.defaults();
        if (timeLimit == null) {
            return defaults;
        }
        long seconds = Durations.seconds(timeLimit, SourceLocation.ofFile("--time-limit"), "time limit");
        if (seconds <= 0) {
            throw new InputException(SourceLocation.ofFile("--time-limit"), "The time limit (" + timeLimit
                    + ") must be positive, e.g. 30s or 2m. Leave it out for the default, reproducible effort limits.");
        }
        return new ShapeOptimizer.Settings(defaults.pattern(), seconds * 1000);
    }

    boolean timed() {
        return timeLimit != null;
    }
}
