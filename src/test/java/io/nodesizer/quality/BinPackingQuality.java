package io.nodesizer.quality;

import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far each strategy lands from the proven optimum on the BPPLIB instances, each item a pod
 * whose CPU request is its weight (millicores) on a node whose CPU is the bin capacity. Run
 * {@code main} to print the Markdown table that the README quotes; the test checks the invariants.
 */
public final class BinPackingQuality {

    /** Per (set, strategy): instances, instances solved optimally, mean and max excess bins over the optimum. */
    record Row(String set, String strategy, int instances, int optimal, double meanExcessPercent, int maxExcessBins,
               int boundEqualsOptimum) {
    }

    static List<Row> evaluate(List<BinPackingInstances.Instance> instances) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, double[]> excess = new LinkedHashMap<>();
        for (BinPackingInstances.Instance instance : instances) {
            PackingProblem problem = instance.problem();
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem, s.create(), 1);
                if (r.nodeCount() < instance.optimum() || r.lowerBound().value() > instance.optimum()) {
                    throw new AssertionError(instance.file() + " " + s.strategyName() + ": nodes " + r.nodeCount()
                            + ", bound " + r.lowerBound().value() + ", proven optimum " + instance.optimum());
                }
                String key = instance.set() + "\t" + s.strategyName();
                int[] c = counts.computeIfAbsent(key, k -> new int[4]);
                double[] e = excess.computeIfAbsent(key, k -> new double[1]);
                int over = r.nodeCount() - instance.optimum();
                c[0]++;
                c[1] += over == 0 ? 1 : 0;
                c[2] = Math.max(c[2], over);
                c[3] += r.lowerBound().value() == instance.optimum() ? 1 : 0;
                e[0] += 100.0 * over / instance.optimum();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (var entry : counts.entrySet()) {
            String[] key = entry.getKey().split("\t");
            int[] c = entry.getValue();
            rows.add(new Row(key[0], key[1], c[0], c[1], excess.get(entry.getKey())[0] / c[0], c[2], c[3]));
        }
        return rows;
    }


    public static void main(String[] args) throws IOException {
        if (!BinPackingInstances.available()) {
            System.err.println("BPPLIB instances not found at " + BinPackingInstances.ROOT.toAbsolutePath());
            System.exit(2);
        }
        List<Row> rows = evaluate(BinPackingInstances.load());
        System.out.println("| set | strategy | instances | optimal | mean excess over optimum | max excess (bins) | bound = optimum |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %s | %s | %d | %d | %.2f %% | %d | %d |%n", r.set(), r.strategy(), r.instances(),
                    r.optimal(), r.meanExcessPercent(), r.maxExcessBins(), r.boundEqualsOptimum());
        }
    }
}
