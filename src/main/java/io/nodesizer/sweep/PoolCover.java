package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fewest pools any mix needs to place every pod, from what each candidate shape admits alone: a pod goes only on a
 * node of a shape whose empty node takes it (its requests, GPU model and vendor, node selectors and taints), so the
 * shapes of a mix must between them admit every pod — a hitting set over the pods' admitted shapes. GPU models make it
 * bite: openb's gpuspec20 over its own node shapes has T4, P100, G2, G3, V100M16-only and V100M32-only pods, which need
 * at least 6 pools, and a search of up to 3 or 4 spent 3.5 minutes to say only "no mix" (QA 75a item 2).
 *
 * <p>The pods are told apart by which shapes refuse them (partition refinement over each shape's never-placed groups, so
 * 150,000 pods cost their refusals, not a pass each), and the shapes by which of those classes they admit; the fewest
 * shapes that admit every class is a minimum set cover ({@link SetCover}), over any number of classes (a long per shape
 * gave up past 63 and said nothing, fix 76f). Where its search stops at the effort cap ({@link #EFFORT}) its lower bound
 * still stands, and the message says it is one.
 */
final class PoolCover {
    /** The set cover's search at most, in 64-bit word operations (about a tenth of a second). */
    static final long EFFORT = 100_000_000L;

    private final SetCover.Bounds least;
    private final List<String> needs;

    private PoolCover(SetCover.Bounds least, List<String> needs) {
        this.least = least;
        this.needs = needs;
    }

    /**
     * Why no mix of up to {@code maxPools} of {@code problems}' shapes (one table) can place every pod, or null when one may
     * or it is not known: "The pods need at least 3 pools: …; maybe --max-pools 3".
     */
    static String tooFew(List<PackingProblem> problems, int maxPools) {
        PoolCover c = of(problems, maxPools);
        if (c == null) {
            return null;
        }
        // Exact, the least that admit every pod (capacity may want more); else a bound, with the most a cover found takes.
        String bound = c.least.exact() ? "" : " (a lower bound: " + c.least.upper() + " shapes between them take every pod, and "
                + "whether fewer do was past the search's effort)";
        return "The pods need at least " + c.least.lower() + " pools" + bound + ": no " + maxPools + " of the " + problems.size()
                + " candidate shapes between them take every pod, as each pod fits only some of them (" + String.join("; ", c.needs)
                + "). Maybe --max-pools " + c.least.lower() + ".";
    }

    /** The cover when more than {@code maxPools} are certainly needed; else null (a cover of that many, or not known). */
    private static PoolCover of(List<PackingProblem> problems, int maxPools) {
        if (problems.isEmpty()) {
            return null;
        }
        DemandTable table = problems.get(0).table();
        int groups = table.groupCount();
        // Partition refinement: pods in one class are refused by the same shapes.
        int[] classOf = new int[groups];
        int next = 1;
        for (PackingProblem p : problems) {
            java.util.Map<Integer, Integer> split = new java.util.HashMap<>();
            for (PackingProblem.Unschedulable u : p.unschedulable()) {
                int old = classOf[u.group()];
                Integer to = split.get(old);
                if (to == null) {
                    to = next++;
                    split.put(old, to);
                }
                classOf[u.group()] = to;
            }
        }
        // Each class's refusing shapes, and a pod of it to describe it by.
        java.util.Map<Integer, Integer> index = new java.util.LinkedHashMap<>();
        List<Integer> example = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (index.putIfAbsent(classOf[g], index.size()) == null) {
                example.add(g);
            }
        }
        int classes = index.size();
        BitSet[] refusedBy = new BitSet[classes];
        for (int c = 0; c < classes; c++) {
            refusedBy[c] = new BitSet();
        }
        for (int s = 0; s < problems.size(); s++) {
            for (PackingProblem.Unschedulable u : problems.get(s).unschedulable()) {
                refusedBy[index.get(classOf[u.group()])].set(s);
            }
        }
        // The classes some shape refuses and some admits (one every shape admits binds nothing; one none admits is left
        // out of any mix, said elsewhere).
        List<Integer> binding = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            int refused = refusedBy[c].cardinality();
            if (refused > 0 && refused < problems.size()) {
                binding.add(c);
            }
        }
        if (binding.size() <= maxPools) {
            return null; // one pool per class covers them
        }
        // Each shape's profile: the binding classes it admits (shapes alike in it are one set; SetCover drops the ones
        // another's holds).
        Set<BitSet> profiles = new LinkedHashSet<>();
        for (int s = 0; s < problems.size(); s++) {
            BitSet admits = new BitSet(binding.size());
            for (int b = 0; b < binding.size(); b++) {
                if (!refusedBy[binding.get(b)].get(s)) {
                    admits.set(b);
                }
            }
            profiles.add(admits);
        }
        SetCover.Bounds least = SetCover.fewest(new ArrayList<>(profiles), binding.size(), EFFORT);
        if (least.lower() <= maxPools) {
            return null; // a cover of maxPools exists, or the search gave up before it could say none does: not certain
        }
        // GPU models first (they are what usually splits the pods), then other pods by the candidates that take them.
        Set<String> needs = new LinkedHashSet<>();
        for (int c : binding) {
            if (!table.group(example.get(c)).gpuModels().isEmpty()) {
                needs.add(need(table, example.get(c)));
            }
        }
        for (int c : binding) {
            if (table.group(example.get(c)).gpuModels().isEmpty()) {
                int takers = problems.size() - refusedBy[c].cardinality();
                needs.add("pods such as " + table.group(example.get(c)).name() + ", which " + takers + " of them take");
            }
        }
        List<String> said = new ArrayList<>(needs);
        if (said.size() > 8) {
            said = new ArrayList<>(said.subList(0, 8));
            said.add("…");
        }
        return new PoolCover(least, said);
    }

    /** What a pod of a class that names GPU models needs, in words: the models, and its GPUs where it asks several. */
    private static String need(DemandTable table, int group) {
        var g = table.group(group);
        return "GPU model " + String.join(" or ", g.gpuModels()) + (g.request().gpuMillis() >= 2000
                ? String.format(java.util.Locale.ROOT, " × %d", g.request().gpuMillis() / 1000) : "");
    }
}
