package io.nodesizer.quality;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.PatternPacking;

import java.nio.file.Path;
import java.util.List;

/**
 * The pattern method alone on openb pod lists (96 CPU / 768 GiB / 110 pods / 8 GPUs, no
 * reservation): best heuristic, LP bound and its time, dive result and its time. Run
 * {@code main FILE...} with the test class path; the README's openb table comes from the full
 * optimizer ({@code pack --strategy optimize}), this isolates the pattern stage.
 */
public final class PatternMeasure {
    public static void main(String[] args) {
        long gib = 1024L * 1024 * 1024;
        Resources cap = new Resources(96_000, 768 * gib, 110, 8_000, 0);
        NodeShape shape = new NodeShape("big", "inline", "inline", "amd64", cap, cap, "none", null);
        for (String f : args) {
            Workload w = Inputs.read(List.of(Path.of(f)));
            PackingProblem problem = new PackingProblem(DemandTable.of(w), shape, Resources.ZERO);
            LowerBound lb = LowerBounds.compute(problem);
            int best = Integer.MAX_VALUE;
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem, s.create(), 1, lb, true);
                best = Math.min(best, r.nodeCount());
            }
            long t0 = System.nanoTime();
            PatternPacking.Outcome b = PatternPacking.bound(problem, PatternPacking.Limits.defaults());
            long t1 = System.nanoTime();
            PatternPacking.Outcome o = PatternPacking.pack(problem, PatternPacking.Limits.defaults(), best, lb.value());
            long t2 = System.nanoTime();
            System.out.printf("%s: heuristics %d, L-bound %s, LP %.3f -> bound %d (conv %s, %d types, %d cols, %d rounds) in %.2f s; dive nodes %d steps %d in %.2f s%n",
                    Path.of(f).getFileName(), best, lb, b.lpValue(), b.lpBound(), b.converged(), b.types(), b.columns(), b.rootRounds(),
                    (t1 - t0) / 1e9, o.nodes(), o.diveSteps(), (t2 - t1) / 1e9);
        }
    }
}
