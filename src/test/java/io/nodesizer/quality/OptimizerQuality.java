package io.nodesizer.quality;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer ({@code pack --strategy optimize}: the heuristics, then the pattern method, then
 * local search) on BPPLIB instances with proven optima, one row per instance class. Run
 * {@code main [filter] [every]} for the README table (every n-th instance of the filter); the test
 * checks a fixed subset in CI.
 */
public final class OptimizerQuality {

    /** One instance: nodes found, the reported bound, the optimum, wall time. */
    record Outcome(BinPackingInstances.Instance instance, int nodes, int bound, long millis) {
    }

    static Outcome run(BinPackingInstances.Instance instance) {
        io.nodesizer.engine.PackingProblem problem = instance.problem();
        NodeShape shape = problem.shape();
        ShapeEvaluator evaluator = new ShapeEvaluator(problem.table(), List.of(),
                List.of(PackingStrategies.FFD, PackingStrategies.BFD), 1, ShapeEvaluator.OptimizeMode.ALWAYS,
                ShapeOptimizer.Settings.defaults());
        long t0 = System.nanoTime();
        ShapeEvaluation e = evaluator.evaluate(shape).evaluation();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (e.nodes() < instance.optimum() || e.lowerBound().value() > instance.optimum()) {
            throw new AssertionError(instance.file() + ": nodes " + e.nodes() + ", bound " + e.lowerBound().value()
                    + ", proven optimum " + instance.optimum());
        }
        if (ms > 5000 && System.getProperty("quality.verbose") != null) {
            e.tried().forEach(t -> System.err.println("  " + t.strategy() + " " + t.nodes() + " " + t.elapsedNanos() / 1_000_000 + " ms"));
        }
        return new Outcome(instance, e.nodes(), e.lowerBound().value(), ms);
    }

    /** Instance class: the set, and for Falkenauer the subclass (u120, t60, …). */
    static String classOf(BinPackingInstances.Instance in) {
        if (in.set().equals("falkenauer")) {
            return "falkenauer " + in.file().replaceAll(".*Falkenauer_", "").replaceAll("_\\d+\\.txt", "");
        }
        return in.set();
    }

    public static void main(String[] args) throws IOException {
        String filter = args.length > 0 ? args[0] : "";
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Map<String, long[]> stats = new LinkedHashMap<>();
        int index = 0;
        for (BinPackingInstances.Instance in : BinPackingInstances.load()) {
            if (!in.file().contains(filter) || index++ % every != 0) {
                continue;
            }
            Outcome o = run(in);
            long[] s = stats.computeIfAbsent(classOf(in), k -> new long[6]);
            s[0]++;
            s[1] += o.nodes() == in.optimum() ? 1 : 0;
            s[2] += o.nodes() - in.optimum();
            s[3] += in.optimum();
            s[4] = Math.max(s[4], o.millis());
            s[5] += o.millis();
            if (o.nodes() > in.optimum() || o.millis() > 5000) {
                System.err.println(in.file() + ": " + o.nodes() + " vs optimum " + in.optimum() + ", " + o.millis() + " ms");
            }
        }
        System.out.println("| class | instances | optimal | excess bins | total excess | max s | mean s |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        long excess = 0;
        long optimum = 0;
        for (var e : stats.entrySet()) {
            long[] s = e.getValue();
            excess += s[2];
            optimum += s[3];
            System.out.printf("| %s | %d | %d | %d | %.2f %% | %.1f | %.2f |%n", e.getKey(), s[0], s[1], s[2], 100.0 * s[2] / s[3],
                    s[4] / 1000.0, s[5] / 1000.0 / s[0]);
        }
        System.out.printf("| all | | | %d | %.3f %% | | |%n", excess, 100.0 * excess / optimum);
    }
}
