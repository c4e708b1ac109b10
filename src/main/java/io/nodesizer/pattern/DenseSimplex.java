package io.nodesizer.pattern;

import java.util.Arrays;

/**
 * A small packing LP, {@code max c·u  s.t.  A·u ≤ b, u ≥ 0} with {@code b ≥ 0}, by the primal
 * simplex on a dense tableau that keeps the slack columns (the basis inverse), so columns can be
 * added between solves and the next solve starts from the last basis: the master of
 * {@link DeviceBound}'s column generation (a few dozen rows and a few hundred columns).
 *
 * <p>Why a tableau of its own: {@link CoveringLp} needs {@code A ≥ 0} covering rows and positive
 * costs; this LP packs. The slack basis is feasible because {@code b ≥ 0}, so there is no phase 1.
 * Dantzig's rule, switching to Bland's (which cannot cycle) after a run of degenerate pivots.
 * Nothing built on its answer trusts it to be optimal: {@link DeviceBound} turns the duals into a
 * Lagrangian bound that holds for any nonnegative duals.
 */
final class DenseSimplex {
    private static final double TOL = 1e-9;

    private final int m;
    private int n;           // structural columns
    private double[][] col;  // col[j][i]: tableau column j (B⁻¹ a_j)
    private double[] cost;
    private final double[] binv; // B⁻¹, row-major m × m (the slack columns of the tableau)
    private final double[] rhs;  // B⁻¹ b
    private final int[] basis;   // per row: structural j >= 0, or -1 - i for the slack of row i
    private boolean[] basic;
    private long pivots;

    DenseSimplex(double[] b) {
        this.m = b.length;
        this.rhs = b.clone();
        this.binv = new double[m * m];
        this.basis = new int[m];
        for (int i = 0; i < m; i++) {
            binv[i * m + i] = 1;
            basis[i] = -1 - i;
        }
        this.col = new double[16][];
        this.cost = new double[16];
        this.basic = new boolean[16];
    }

    /** Adds a column (dense, length m) with objective coefficient {@code c}; returns its index. */
    int addColumn(double[] a, double c) {
        if (n == col.length) {
            col = Arrays.copyOf(col, 2 * n);
            cost = Arrays.copyOf(cost, 2 * n);
            basic = Arrays.copyOf(basic, 2 * n);
        }
        // B⁻¹ a over a's nonzero entries only, in the order of k as the full sum: the same value
        // (a zero's sign aside). A configuration column has a few share types among many rows, and
        // the full sums were a fifth of a pattern run's samples on masters of ~260 types.
        int[] nonZero = new int[m];
        int count = 0;
        for (int k = 0; k < m; k++) {
            if (a[k] != 0) {
                nonZero[count++] = k;
            }
        }
        double[] t = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            int row = i * m;
            for (int x = 0; x < count; x++) {
                int k = nonZero[x];
                s += binv[row + k] * a[k];
            }
            t[i] = s;
        }
        col[n] = t;
        cost[n] = c;
        return n++;
    }

    /** Row duals y = c_B·B⁻¹ (≥ 0 at an optimum). */
    double[] duals() {
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            int j = basis[i];
            double cb = j >= 0 ? cost[j] : 0;
            if (cb != 0) {
                for (int k = 0; k < m; k++) {
                    y[k] += cb * binv[i * m + k];
                }
            }
        }
        return y;
    }

    /** Primal value of each structural column. */
    double[] primal() {
        double[] x = new double[n];
        for (int i = 0; i < m; i++) {
            if (basis[i] >= 0) {
                x[basis[i]] = rhs[i];
            }
        }
        return x;
    }

    double objective() {
        double z = 0;
        for (int i = 0; i < m; i++) {
            if (basis[i] >= 0) {
                z += cost[basis[i]] * rhs[i];
            }
        }
        return z;
    }

    long pivots() {
        return pivots;
    }

    /** Pivots to an optimum or until {@code maxPivots}; true when optimal. */
    boolean solve(long maxPivots) {
        int degenerate = 0;
        for (long p = 0; p < maxPivots; p++) {
            double[] y = duals();
            boolean bland = degenerate > 2 * m;
            int q = -1;
            double bestD = TOL;
            for (int j = 0; j < n; j++) {
                if (basic[j]) {
                    continue;
                }
                double d = cost[j] - dotColumn(y, j);
                if (d > bestD) {
                    q = j;
                    bestD = d;
                    if (bland) {
                        break;
                    }
                }
            }
            // Slacks enter when their row's dual is negative (reduced cost −y_i > 0).
            int slack = -1;
            for (int i = 0; i < m && (q < 0 || !bland); i++) {
                if (!slackBasic(i) && -y[i] > bestD) {
                    slack = i;
                    bestD = -y[i];
                    if (bland) {
                        break;
                    }
                }
            }
            if (q < 0 && slack < 0) {
                return true;
            }
            double[] d = slack >= 0 ? slackColumn(slack) : col[q];
            int r = -1;
            double ratio = Double.POSITIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                if (d[i] > TOL) {
                    double t = Math.max(0, rhs[i]) / d[i];
                    if (t < ratio - TOL || (t <= ratio + TOL && r >= 0 && order(basis[i]) < order(basis[r]))) {
                        ratio = t;
                        r = i;
                    }
                }
            }
            if (r < 0) {
                return false; // unbounded: cannot happen with ub rows on every column
            }
            degenerate = ratio <= TOL ? degenerate + 1 : 0;
            pivot(slack >= 0 ? -1 - slack : q, d, r);
            pivots++;
        }
        return false;
    }

    private static int order(int var) {
        return var >= 0 ? var : Integer.MAX_VALUE + var; // structurals first, for Bland's ties
    }

    private boolean slackBasic(int i) {
        for (int r = 0; r < m; r++) {
            if (basis[r] == -1 - i) {
                return true;
            }
        }
        return false;
    }

    private double[] slackColumn(int i) {
        double[] d = new double[m];
        for (int r = 0; r < m; r++) {
            d[r] = binv[r * m + i];
        }
        return d;
    }

    private double dotColumn(double[] y, int j) {
        // y·a_j = c_B·B⁻¹·a_j = Σ_i c_B(i)·(B⁻¹ a_j)_i
        double s = 0;
        double[] t = col[j];
        for (int i = 0; i < m; i++) {
            int b = basis[i];
            if (b >= 0) {
                s += cost[b] * t[i];
            }
        }
        return s;
    }

    private void pivot(int entering, double[] d, int r) {
        double piv = d[r];
        double[] dd = d.clone();
        // Row r divided by the pivot, every other row eliminated: on B⁻¹, rhs and every column.
        for (int k = 0; k < m; k++) {
            binv[r * m + k] /= piv;
        }
        rhs[r] /= piv;
        for (int j = 0; j < n; j++) {
            col[j][r] /= piv;
        }
        for (int i = 0; i < m; i++) {
            if (i == r || dd[i] == 0) {
                continue;
            }
            double f = dd[i];
            for (int k = 0; k < m; k++) {
                binv[i * m + k] -= f * binv[r * m + k];
            }
            rhs[i] -= f * rhs[r];
            for (int j = 0; j < n; j++) {
                col[j][i] -= f * col[j][r];
            }
        }
        int leaving = basis[r];
        if (leaving >= 0) {
            basic[leaving] = false;
        }
        basis[r] = entering;
        if (entering >= 0) {
            basic[entering] = true;
        }
    }
}
