package io.nodesizer.report;

/**
 * Parts of a total, rounded once over the whole so that the parts as written add up to the total as written: largest
 * remainder. Each part is cut to whole units of the last decimal, and the units the rounded total has beyond their sum go
 * to the parts with the largest remainders (ties to the earlier part). Rounding each part alone does not add up: two pools
 * at c7a.large's $0.10264/h are $74.9272/month each, 74.93 + 74.93 under a total of 149.85.
 */
final class Apportion {
    private Apportion() {
    }

    /**
     * {@code parts} to {@code decimals} decimals, adding up to {@code total} rounded to as many; null when they cannot
     * (the total differs from the parts' sum by more than rounding, or a figure is not finite): then round each alone.
     */
    static double[] largestRemainder(double[] parts, double total, int decimals) {
        double unit = Math.pow(10, decimals);
        long[] units = new long[parts.length];
        double[] remainder = new double[parts.length];
        long cut = 0;
        for (int i = 0; i < parts.length; i++) {
            if (!Double.isFinite(parts[i])) {
                return null;
            }
            // Cut on a figure already rounded to 9 decimals, so that 0.504 (5039.99999… units in binary) is 5040 units.
            double u = Fmt.round(parts[i] * unit, Math.max(0, 9 - decimals));
            units[i] = (long) Math.floor(u);
            remainder[i] = u - units[i];
            cut += units[i];
        }
        long missing = Double.isFinite(total) ? Math.round(Fmt.round(total, decimals) * unit) - cut : -1;
        if (missing < 0 || missing > parts.length) {
            return null;
        }
        Integer[] order = new Integer[parts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a])); // stable: ties to the earlier part
        double[] out = new double[parts.length];
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            out[i] = (units[i] + (k < missing ? 1 : 0)) / unit;
        }
        return out;
    }
}
