package io.nodesizer.quality;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.PatternPacking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class PatternBppMeasure {
    public static void main(String[] args) throws Exception {
        String filter = args.length > 0 ? args[0] : "";
        Map<String, long[]> stats = new LinkedHashMap<>();
        for (BinPackingInstances.Instance in : BinPackingInstances.load()) {
            if (!in.file().contains(filter)) continue;
            List<PodGroup> groups = new ArrayList<>();
            long[] w = in.weights();
            for (int i = 0; i < w.length; i++) {
                groups.add(new PodGroup("item-" + i, "bpplib", new Resources(w[i], 0, 1, 0, 0), 1, true, null, new SourceRef(in.file(), 3 + i)));
            }
            Resources cap = new Resources(in.capacity(), 0, w.length, 0, 0);
            NodeShape shape = new NodeShape("bin", "bpplib", "bpplib", "any", cap, cap, "none", null);
            PackingProblem problem = new PackingProblem(DemandTable.of(Workload.of(groups)), shape, Resources.ZERO);
            LowerBound lb = LowerBounds.compute(problem);
            int ffd = PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1, lb, false).nodeCount();
            long t0 = System.nanoTime();
            PatternPacking.Outcome o = ffd == lb.value() ? null : PatternPacking.pack(problem, PatternPacking.Limits.defaults(), ffd, lb.value());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int nodes = o == null || o.nodes() < 0 ? ffd : Math.min(ffd, o.nodes());
            int bound = Math.max(lb.value(), o == null ? 0 : o.lpBound());
            String set = in.file().replaceAll("^.*/", "").replaceAll("_\\d+\\.txt$|\\.txt$", "").replaceAll("_[A-Z0-9]+$", "");
            set = in.set() + (in.set().equals("falkenauer") ? "/" + in.file().replaceAll(".*Falkenauer_", "").replaceAll("_\\d+\\.txt", "") : "");
            long[] s = stats.computeIfAbsent(set, k -> new long[8]);
            s[0]++; s[1] += nodes == in.optimum() ? 1 : 0; s[2] += nodes - in.optimum(); s[3] += in.optimum(); s[4] = Math.max(s[4], ms); s[5] += ms;
            s[6] += bound == in.optimum() ? 1 : 0; s[7] += ffd - in.optimum();
            if (nodes < in.optimum() || bound > in.optimum()) throw new AssertionError(in.file());
            if (args.length > 1 && (nodes > in.optimum() || ms > 2000)) System.out.println(in.file() + " opt " + in.optimum() + " got " + nodes + " ffd " + ffd + " bound " + bound + " " + ms + " ms");
        }
        long exc = 0, opt = 0;
        for (var e : stats.entrySet()) {
            long[] s = e.getValue();
            exc += s[2]; opt += s[3];
            System.out.printf("%-16s n=%4d optimal=%4d excess=%4d (%.3f%%) ffdExcess=%d boundOpt=%d maxMs=%d meanMs=%.0f%n", e.getKey(), s[0], s[1], s[2], 100.0 * s[2] / s[3], s[7], s[6], s[4], (double) s[5] / s[0]);
        }
        System.out.printf("total excess %d of %d (%.3f%%)%n", exc, opt, 100.0 * exc / opt);
    }
}
