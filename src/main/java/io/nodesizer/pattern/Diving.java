package io.nodesizer.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the pattern LP into nodes by "diving": each step fixes nodes the LP uses (by {@link Rule}),
 * removes the demand they cover, and runs column generation again on what is left, reusing every
 * column seen so far. This is the residual-rounding scheme of cutting-stock practice (Wäscher &
 * Gau, "Heuristics for the integer one-dimensional cutting stock problem", OR Spektrum 18, 1996):
 * it generates new patterns for the residual instead of rounding a fixed pattern set. A dive
 * gives up as soon as the nodes fixed plus the residual LP bound cannot beat the incumbent.
 */
final class Diving {

    /**
     * How a step rounds the LP: {@code ALL_FLOORS} fixes ⌊x_p⌋ nodes of every column at once (few
     * steps: suits large fleets), {@code LARGEST} only one node of the column of largest value (one
     * node per step, more careful: it finds the optimum more often on small instances),
     * {@code COSTLIEST} one node of the column of largest value × node cost (with several shapes:
     * the LP's fractions of large nodes are settled first, while the small nodes that fill around
     * them are still free; rounding fifteen small nodes first leaves a third large node to buy).
     * All fall back to one node of the largest fractional column when nothing is ≥ 1.
     */
    enum Rule { ALL_FLOORS, LARGEST, COSTLIEST }

    private final List<ColumnGeneration.Shape> shapes;
    private final List<ColumnGeneration.Column> pool;
    private final ColumnGeneration.Limits stepLimits;
    private final int maxSteps;
    private final boolean integral;
    int steps;
    long pivots;

    Diving(List<ColumnGeneration.Shape> shapes, List<ColumnGeneration.Column> pool, ColumnGeneration.Limits stepLimits,
           int maxSteps, boolean integral) {
        this.shapes = shapes;
        this.pool = pool;
        this.stepLimits = stepLimits;
        this.maxSteps = maxSteps;
        this.integral = integral;
    }

    /**
     * One dive from the root LP. Returns the nodes (shape and pods per type), or null when it
     * proved it cannot cost less than {@code incumbentCost}.
     */
    List<ColumnGeneration.Column> dive(ColumnGeneration.Outcome root, long[] demand, Rule rule, double incumbentCost) {
        return dive(root, demand, null, rule, incumbentCost);
    }

    /**
     * As {@link #dive(ColumnGeneration.Outcome, long[], Rule, double)} with at least
     * {@code minNodes[s]} nodes of every shape s (null: no minimum; the root must have been solved
     * with the same minimum): a node fixed counts towards its shape's minimum, and a minimum still
     * open once every pod is placed is met with empty nodes.
     */
    List<ColumnGeneration.Column> dive(ColumnGeneration.Outcome root, long[] demand, long[] minNodes, Rule rule, double incumbentCost) {
        int n = demand.length;
        long[] residual = demand.clone();
        long[] minLeft = minNodes == null ? null : minNodes.clone();
        List<ColumnGeneration.Column> nodes = new ArrayList<>();
        double cost = 0;
        ColumnGeneration.Outcome step = root;
        while (true) {
            steps++;
            boolean fixed = false;
            double[] x = step.x();
            List<ColumnGeneration.Column> cols = step.columns();
            if (rule == Rule.ALL_FLOORS) {
                for (int j = 0; j < cols.size(); j++) {
                    long copies = (long) Math.floor(x[j] + 1e-9);
                    for (long c = 0; c < copies; c++) {
                        fixed |= fix(cols.get(j), residual, minLeft, nodes);
                    }
                }
            }
            if (!fixed) {
                int best = -1;
                double bestWeight = 0;
                for (int j = 0; j < cols.size(); j++) {
                    double weight = rule == Rule.COSTLIEST ? x[j] * shapes.get(cols.get(j).shape()).cost() : x[j];
                    if (x[j] > 1e-9 && !isEmpty(cols.get(j)) && (best < 0 || weight > bestWeight)) {
                        best = j;
                        bestWeight = weight;
                    }
                }
                fixed = best >= 0 && fix(cols.get(best), residual, minLeft, nodes);
            }
            if (!fixed) {
                firstFit(residual, nodes); // the LP left nothing to round: numerical corner
            }
            cost = 0;
            for (ColumnGeneration.Column c : nodes) {
                cost += shapes.get(c.shape()).cost();
            }
            if (isZero(residual)) {
                return padded(nodes, minNodes, n);
            }
            if (steps >= maxSteps || stepLimits.effort().exhausted()) {
                firstFit(residual, nodes);
                return padded(nodes, minNodes, n);
            }
            step = ColumnGeneration.solve(shapes, residual, minLeft, pool, stepLimits, integral);
            pivots += step.pivots();
            double residualBound = integral ? step.integerBound() : step.bound();
            if (cost + residualBound >= incumbentCost - (integral ? 0 : 1e-9 * incumbentCost)) {
                return null;
            }
        }
    }

    /** Empty nodes for every minimum still open (first-fit nodes count towards it too). */
    private static List<ColumnGeneration.Column> padded(List<ColumnGeneration.Column> nodes, long[] minNodes, int types) {
        if (minNodes == null) {
            return nodes;
        }
        long[] have = new long[minNodes.length];
        for (ColumnGeneration.Column c : nodes) {
            have[c.shape()]++;
        }
        for (int s = 0; s < minNodes.length; s++) {
            for (long k = have[s]; k < minNodes[s]; k++) {
                nodes.add(new ColumnGeneration.Column(s, new int[types]));
            }
        }
        return nodes;
    }

    /**
     * Fixes one node of {@code column}, clipped to the open demand; false when it covers no pod
     * (empty nodes that only meet a minimum wait for the end, where {@link #padded} adds them).
     */
    private static boolean fix(ColumnGeneration.Column column, long[] residual, long[] minLeft, List<ColumnGeneration.Column> nodes) {
        int[] node = ColumnGeneration.clip(column.counts(), residual);
        boolean any = false;
        for (int t = 0; t < node.length; t++) {
            if (node[t] > 0) {
                any = true;
                residual[t] -= node[t];
            }
        }
        if (any) {
            nodes.add(new ColumnGeneration.Column(column.shape(), node));
            if (minLeft != null && minLeft[column.shape()] > 0) {
                minLeft[column.shape()]--;
            }
        }
        return any;
    }

    private static boolean isEmpty(ColumnGeneration.Column c) {
        for (int k : c.counts()) {
            if (k > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(long[] v) {
        for (long x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packs what is left first-fit decreasing by type, each type on its cheapest shape per pod
     * (types are few; pods go in bulk).
     */
    void firstFit(long[] residual, List<ColumnGeneration.Column> nodes) {
        int n = residual.length;
        int[] shapeOf = new int[n];
        double[] share = new double[n];
        Integer[] order = new Integer[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            shapeOf[t] = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int s = 0; s < shapes.size(); s++) {
                long alone = shapes.get(s).types().alone(t);
                if (alone > 0 && shapes.get(s).cost() / alone < best) {
                    best = shapes.get(s).cost() / alone;
                    shapeOf[t] = s;
                }
            }
            if (shapeOf[t] >= 0) {
                RequestTypes types = shapes.get(shapeOf[t]).types();
                for (int k = 0; k < types.dimensions(); k++) {
                    share[t] = Math.max(share[t], (double) types.size(t, k) / types.capacity(k));
                }
            }
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(share[b], share[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<long[]> free = new ArrayList<>();
        List<Integer> freeNode = new ArrayList<>();
        for (int t : order) {
            if (residual[t] == 0) {
                continue;
            }
            int s = shapeOf[t];
            RequestTypes types = shapes.get(s).types();
            int from = 0;
            while (residual[t] > 0) {
                int slot = -1;
                long k = 0;
                for (int i = from; i < free.size() && slot < 0; i++) {
                    if (nodes.get(freeNode.get(i)).shape() == s) {
                        int[] counts = nodes.get(freeNode.get(i)).counts();
                        k = onDevices(types, counts, t, Math.min(types.ruleRoom(t, counts), fitCount(types, t, free.get(i), residual[t])));
                        if (k > 0) {
                            slot = i;
                        }
                    }
                }
                if (slot < 0) {
                    long[] cap = new long[types.dimensions()];
                    for (int d = 0; d < cap.length; d++) {
                        cap[d] = types.capacity(d);
                    }
                    free.add(cap);
                    freeNode.add(nodes.size());
                    nodes.add(new ColumnGeneration.Column(s, new int[n]));
                    slot = free.size() - 1;
                    int[] counts = nodes.get(freeNode.get(slot)).counts();
                    k = onDevices(types, counts, t, Math.min(types.ruleRoom(t, counts), fitCount(types, t, cap, residual[t])));
                }
                for (int d = 0; d < types.dimensions(); d++) {
                    free.get(slot)[d] -= k * types.size(t, d);
                }
                nodes.get(freeNode.get(slot)).counts()[t] += (int) k;
                residual[t] -= k;
                from = slot + 1;
            }
        }
    }

    /** The most of {@code k} more pods of type t that the node's GPU devices take (k when t has no GPUs). */
    private static long onDevices(RequestTypes types, int[] counts, int t, long k) {
        if (types.gpu(t) == 0 || types.devices() == 0) {
            return k;
        }
        int base = counts[t];
        long c = k;
        while (c > 0) {
            counts[t] = base + (int) c;
            boolean ok = types.holdsOnDevices(counts);
            counts[t] = base;
            if (ok) {
                break;
            }
            c--;
        }
        return c;
    }

    private static long fitCount(RequestTypes types, int t, long[] free, long limit) {
        long k = limit;
        for (int d = 0; d < types.dimensions(); d++) {
            long s = types.size(t, d);
            if (s > 0) {
                k = Math.min(k, free[d] / s);
            }
        }
        return k;
    }
}
