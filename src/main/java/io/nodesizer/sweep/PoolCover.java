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
 * 150,000 pods cost their refusals, not a pass each), and the shapes by which of those classes they admit; the search is
 * over these few profiles, with an effort cap ({@link #EFFORT}) past which it answers nothing.
 */
final class PoolCover {
    /** Classes of pods beyond this (one bit each) are not searched. */
    private static final int MAX_CLASSES = 63;
    /** Search nodes at most: an answer past this would not be certain, so none is given. */
    static final int EFFORT = 200_000;

    private final int least;
    private final List<String> needs;

    private PoolCover(int least, List<String> needs) {
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
        String least = c.least > 0 ? "at least " + c.least : "more than " + maxPools;
        return "The pods need " + least + " pools: no " + maxPools + " of the " + problems.size() + " candidate shapes between them "
                + "take every pod, as each pod fits only some of them (" + String.join("; ", c.needs) + "). Maybe --max-pools "
                + (c.least > 0 ? c.least : maxPools + 1) + ".";
    }

    /** The cover when more than {@code maxPools} are needed (least 0: more, but how many is past the effort); else null. */
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
        if (binding.size() <= maxPools || binding.size() > MAX_CLASSES) {
            return null; // one pool per class covers them
        }
        // Each shape's profile: the binding classes it admits; only the maximal ones matter.
        Set<Long> profiles = new LinkedHashSet<>();
        for (int s = 0; s < problems.size(); s++) {
            long mask = 0;
            for (int b = 0; b < binding.size(); b++) {
                if (!refusedBy[binding.get(b)].get(s)) {
                    mask |= 1L << b;
                }
            }
            profiles.add(mask);
        }
        long[] maximal = profiles.stream().mapToLong(Long::longValue)
                .filter(m -> m != 0 && profiles.stream().noneMatch(o -> o != m && (o & m) == m)).toArray();
        long all = binding.size() == 64 ? -1L : (1L << binding.size()) - 1;
        int[] effort = {0};
        if (covers(maximal, all, 0L, maxPools, effort) != Boolean.FALSE) {
            return null; // a cover of maxPools exists, or the search gave up: not certain
        }
        int least = 0;
        for (int k = maxPools + 1; k <= binding.size(); k++) {
            Boolean found = covers(maximal, all, 0L, k, effort);
            if (found == null) {
                break;
            }
            if (found) {
                least = k;
                break;
            }
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

    /**
     * Whether at most {@code k} more profiles cover {@code all} beyond {@code hit}; null when the effort ran out. Branches
     * on the class fewest profiles admit.
     */
    private static Boolean covers(long[] profiles, long all, long hit, int k, int[] effort) {
        if (hit == all) {
            return true;
        }
        if (k == 0 || ++effort[0] > EFFORT) {
            return k == 0 ? Boolean.FALSE : null;
        }
        long open = all & ~hit;
        int pick = -1;
        int fewest = Integer.MAX_VALUE;
        for (long rest = open; rest != 0; rest &= rest - 1) {
            int b = Long.numberOfTrailingZeros(rest);
            int n = 0;
            for (long p : profiles) {
                n += (p >>> b & 1) != 0 ? 1 : 0;
            }
            if (n < fewest) {
                fewest = n;
                pick = b;
            }
        }
        Boolean any = Boolean.FALSE;
        for (long p : profiles) {
            if ((p >>> pick & 1) != 0) {
                Boolean r = covers(profiles, all, hit | p, k - 1, effort);
                if (r == Boolean.TRUE) {
                    return true;
                }
                if (r == null) {
                    any = null;
                }
            }
        }
        return any;
    }

    /** What a pod of a class that names GPU models needs, in words: the models, and its GPUs where it asks several. */
    private static String need(DemandTable table, int group) {
        var g = table.group(group);
        return "GPU model " + String.join(" or ", g.gpuModels()) + (g.request().gpuMillis() >= 2000
                ? String.format(java.util.Locale.ROOT, " × %d", g.request().gpuMillis() / 1000) : "");
    }
}
