package io.nodesizer.quality;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.pattern.PatternPacking;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pattern LP's bound alone ({@link PatternPacking#bound}, the root column generation) on the BPPLIB instances with
 * proven optima, one row per instance class: how often it is below L1, below the combinatorial bound (L1, L2, DFF), at
 * the optimum, and its time. Run {@code main [filter] [every]} with the test class path (after {@code mvn test-compile});
 * the README's "Quality on BPPLIB" quotes it.
 */
public final class LpBoundQuality {

    /** One instance: the combinatorial bounds, the LP's bound and value, whether it converged, wall time. */
    record Outcome(BinPackingInstances.Instance instance, int l1, int combinatorial, int lp, double lpValue, boolean converged,
                   int rounds, long pivots, long micros) {
    }


    static Outcome run(BinPackingInstances.Instance instance) {
        PackingProblem problem = instance.problem();
        LowerBound lb = LowerBounds.compute(problem);
        int l1 = lb.parts().stream().filter(p -> p.method().startsWith("L1(")).mapToInt(LowerBound.Part::value).max().orElse(0);
        long t0 = System.nanoTime();
        PatternPacking.Outcome o = PatternPacking.bound(problem, PatternPacking.Limits.defaults());
        long micros = (System.nanoTime() - t0) / 1_000;
        if (o.lpBound() > instance.optimum()) {
            throw new AssertionError(instance.file() + ": LP bound " + o.lpBound() + " above the proven optimum " + instance.optimum());
        }
        return new Outcome(instance, l1, lb.value(), o.lpBound(), o.lpValue(), o.converged(), o.rootRounds(), o.pivots(), micros);
    }

    public static void main(String[] args) throws IOException {
        if (!BinPackingInstances.available()) {
            System.out.println("BPPLIB instances not found under " + BinPackingInstances.ROOT.toAbsolutePath() + ": nothing measured");
            return;
        }
        String filter = args.length > 0 ? args[0] : "";
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Map<String, long[]> stats = new LinkedHashMap<>();
        int index = 0;
        for (BinPackingInstances.Instance in : BinPackingInstances.load()) {
            if (!in.file().contains(filter) || index++ % every != 0) {
                continue;
            }
            Outcome o = run(in);
            String cls = OptimizerQuality.classOf(in);
            for (String key : List.of(cls, "all")) {
                long[] s = stats.computeIfAbsent(key, k -> new long[10]);
                s[0]++;
                s[1] += o.lp() < o.l1() ? 1 : 0;
                s[2] += o.lp() < o.combinatorial() ? 1 : 0;
                s[3] += o.lp() == in.optimum() ? 1 : 0;
                s[4] += Math.max(o.lp(), o.combinatorial()) == in.optimum() ? 1 : 0;
                s[5] += o.converged() ? 1 : 0;
                s[6] = Math.max(s[6], o.micros());
                s[7] += o.micros();
                s[8] += o.combinatorial() == in.optimum() ? 1 : 0;
            }
            if (System.getProperty("quality.verbose") != null && (o.lp() < o.l1() || o.lp() < in.optimum() || !o.converged() || o.micros() > 1_000_000)) {
                System.err.printf("  %s: L1 %d, bound %d, LP %d (value %.4f, converged %s, %d rounds, %d pivots), optimum %d, %d ms%n", in.file(), o.l1(),
                        o.combinatorial(), o.lp(), o.lpValue(), o.converged(), o.rounds(), o.pivots(), in.optimum(), o.micros() / 1000);
            }
        }
        System.out.println("| class | instances | LP < L1 | LP < L1/L2/DFF | LP = optimum | max(LP, L1/L2/DFF) = optimum | L1/L2/DFF = optimum | converged | max ms | mean ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, long[]> e : stats.entrySet()) {
            long[] s = e.getValue();
            System.out.printf("| %s | %d | %d | %d | %d | %d | %d | %d | %.1f | %.2f |%n", e.getKey(), s[0], s[1], s[2], s[3], s[4], s[8], s[5],
                    s[6] / 1e3, s[7] / 1e3 / s[0]);
        }
    }
}
