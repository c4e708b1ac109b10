package io.nodesizer.pattern;

/**
 * The LP relaxation of the pricing knapsack, {@code max v·x  s.t.  Σ_t share_tk x_t ≤ 1 for every
 * resource k, 0 ≤ x_t ≤ ub_t} (sizes as shares of the node), by the bounded-variable primal
 * simplex: a basis of one variable per resource (a handful of rows), every other variable at one
 * of its bounds, so a pivot costs a pass over the columns and the bounds x ≤ ub need no rows of
 * their own ({@link DenseSimplex} would need one per type).
 *
 * <p>Its row duals μ give {@link PatternPricer}'s search its Lagrangian bound: at the LP optimum
 * {@code L(μ) = Σ_k μ_k + Σ_t ub_t·max(0, v_t − Σ_k μ_k share_tk)} equals the LP value, the least
 * any μ gives. The coordinate descent on L that picks the surrogate's multipliers stalls at L's
 * kinks (shop on AWS, a SetBound round's duals: a root bound of 4.97 against an LP of 4.19 and a
 * price of 4.90, so the shape could not be shown not to price out). Nothing trusts the simplex
 * to be optimal: any μ ≥ 0 gives a valid relaxation, so a pivot limit or rounding only costs
 * tightness.
 */
final class KnapsackLp {
    private static final double TOL = 1e-11;

    /**
     * @param value   the LP value at the last basis (the optimum when {@code optimal})
     * @param mu      row duals, clamped at 0: multipliers in shares of a node
     * @param optimal no variable could improve the objective any more
     */
    record Solution(double value, double[] mu, boolean optimal) {
    }

    private KnapsackLp() {
    }

    /**
     * @param share     {@code share[k][j]}: what one of column j takes of resource k, as a share of the node
     * @param value     per column, its value (> 0)
     * @param ub        per column, its upper bound (≥ 0, finite)
     * @param maxPivots pivots and bound flips allowed
     */
    static Solution solve(double[][] share, double[] value, double[] ub, int maxPivots) {
        int d = share.length;
        int n = value.length;
        // Variables 0..n-1 are the columns, n..n+d-1 the slacks of the rows (no upper bound).
        double[] binv = new double[d * d];
        int[] basis = new int[d];
        double[] xb = new double[d];
        boolean[] basic = new boolean[n + d];
        boolean[] atUpper = new boolean[n];
        for (int i = 0; i < d; i++) {
            binv[i * d + i] = 1;
            basis[i] = n + i;
            basic[n + i] = true;
            xb[i] = 1;
        }
        double[] y = new double[d];
        double[] alpha = new double[d];
        boolean optimal = false;
        int degenerate = 0;
        for (int step = 0; step < maxPivots; step++) {
            duals(binv, basis, value, n, y);
            // Dantzig's rule, then Bland's (first candidate, ties to the lowest index) after a run of
            // degenerate steps, so that it cannot cycle.
            boolean bland = degenerate > 2 * (d + 1);
            int enter = -1;
            double bestScore = TOL;
            for (int j = 0; j < n + d && !(bland && enter >= 0); j++) {
                if (basic[j]) {
                    continue;
                }
                double dj;
                if (j < n) {
                    dj = value[j];
                    for (int k = 0; k < d; k++) {
                        dj -= y[k] * share[k][j];
                    }
                    if (atUpper[j]) {
                        dj = -dj; // improves by decreasing
                    }
                } else {
                    dj = -y[j - n];
                }
                if (dj > bestScore) {
                    bestScore = dj;
                    enter = j;
                }
            }
            if (enter < 0) {
                optimal = true;
                break;
            }
            // alpha = B⁻¹ a_enter; the entering variable moves by s·θ and the basics by −s·θ·alpha.
            for (int r = 0; r < d; r++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += binv[r * d + k] * (enter < n ? share[k][enter] : (k == enter - n ? 1 : 0));
                }
                alpha[r] = s;
            }
            double s = enter < n && atUpper[enter] ? -1 : 1;
            double theta = enter < n ? ub[enter] : Double.POSITIVE_INFINITY;
            int leave = -1;
            boolean leavesAtUpper = false;
            for (int r = 0; r < d; r++) {
                double delta = s * alpha[r];
                double limit;
                boolean toUpper;
                if (delta > TOL) {
                    limit = Math.max(0, xb[r]) / delta;
                    toUpper = false;
                } else if (delta < -TOL && basis[r] < n) {
                    limit = Math.max(0, ub[basis[r]] - xb[r]) / -delta;
                    toUpper = true;
                } else {
                    continue;
                }
                if (limit < theta - TOL || limit <= theta + TOL && leave >= 0 && basis[r] < basis[leave]) {
                    theta = limit;
                    leave = r;
                    leavesAtUpper = toUpper;
                }
            }
            if (theta == Double.POSITIVE_INFINITY) {
                break; // unbounded: cannot happen, every column has a finite bound
            }
            degenerate = theta <= TOL ? degenerate + 1 : 0;
            for (int r = 0; r < d; r++) {
                xb[r] -= s * theta * alpha[r];
            }
            if (leave < 0) {
                atUpper[enter] = !atUpper[enter]; // a bound flip: the basis stays
                continue;
            }
            int out = basis[leave];
            basic[out] = false;
            if (out < n) {
                atUpper[out] = leavesAtUpper;
            }
            double enteringValue = (enter < n && atUpper[enter] ? ub[enter] : 0) + s * theta;
            if (enter < n) {
                atUpper[enter] = false;
            }
            basic[enter] = true;
            basis[leave] = enter;
            xb[leave] = enteringValue;
            double piv = alpha[leave];
            for (int k = 0; k < d; k++) {
                binv[leave * d + k] /= piv;
            }
            for (int r = 0; r < d; r++) {
                if (r != leave && alpha[r] != 0) {
                    double f = alpha[r];
                    for (int k = 0; k < d; k++) {
                        binv[r * d + k] -= f * binv[leave * d + k];
                    }
                }
            }
        }
        duals(binv, basis, value, n, y);
        double z = 0;
        for (int j = 0; j < n; j++) {
            if (!basic[j] && atUpper[j]) {
                z += value[j] * ub[j];
            }
        }
        for (int r = 0; r < d; r++) {
            if (basis[r] < n) {
                z += value[basis[r]] * xb[r];
            }
        }
        double[] mu = new double[d];
        for (int k = 0; k < d; k++) {
            mu[k] = Double.isFinite(y[k]) && y[k] > 0 ? y[k] : 0; // any mu >= 0 bounds: a non-finite dual is dropped, not NaN
        }
        return new Solution(z, mu, optimal);
    }

    /** y = c_B·B⁻¹ (slacks cost nothing). */
    private static void duals(double[] binv, int[] basis, double[] value, int n, double[] y) {
        int d = basis.length;
        java.util.Arrays.fill(y, 0);
        for (int r = 0; r < d; r++) {
            if (basis[r] < n) {
                double c = value[basis[r]];
                for (int k = 0; k < d; k++) {
                    y[k] += c * binv[r * d + k];
                }
            }
        }
    }

    /** The Lagrangian bound {@code L(μ)} on the knapsack's optimum: valid for every μ ≥ 0. */
    static double lagrangian(double[][] share, double[] value, double[] ub, double[] mu) {
        double l = 0;
        for (double m : mu) {
            l += m;
        }
        for (int j = 0; j < value.length; j++) {
            double reduced = value[j];
            for (int k = 0; k < mu.length; k++) {
                reduced -= mu[k] * share[k][j];
            }
            l += ub[j] * Math.max(0, reduced);
        }
        return l;
    }
}
