package io.nodesizer.pattern;

import org.apache.commons.math3.linear.SingularMatrixException;

import java.util.Arrays;

/**
 * The master LP of column generation, {@code min c·x  s.t.  A·x ≥ b, x ≥ 0}, with A ≥ 0 and
 * c > 0, solved by a revised primal simplex that keeps its basis when columns are added, so each
 * round of column generation starts where the last one ended.
 *
 * <p>Why not a library solver: Commons Math's {@code SimplexSolver} rebuilds a dense tableau on
 * every call and reports no duals; ojAlgo (57.1) needed 40–110 ms per re-solve at 150 rows ×
 * 1,000–3,000 columns without warm start, and its {@code ExpressionsBasedModel} returned the
 * duals of a 3-row example in another order than the constraints (b·π ≠ objective); OR-Tools'
 * GLOP would fit but brings 26 MB of native code per platform. The master has special structure
 * that makes a small solver safe: the first m columns form a feasible diagonal basis (k_i pods of
 * type i alone on a node), so no phase 1 is needed, and the bound reported to users never rests
 * on this solver being exact: {@link ColumnGeneration} turns its duals into a Farley bound that
 * holds for any duals (see there). The basis inverse is kept explicitly, updated by pivoting and
 * refactorised every {@link #REFACTOR_EVERY} pivots by Commons Math's LU decomposition as
 * {@link #invert} computes it, the zero terms of the sparse basis skipped.
 *
 * <p>Pivoting: Dantzig's rule with a Harris two-pass ratio test (tolerant of the heavy degeneracy
 * of cutting-stock masters); after {@code 2m} pivots without progress it switches to Bland's rule,
 * which cannot cycle, until the objective moves again. A pivot element must be large against the
 * direction's largest entry, not only above an absolute tolerance: the updated inverse drifts, and
 * a 241-row master of a 500-node rightsize pivoted on 1.2·10⁻⁹ beside 1.3·10⁴, a zero in exact
 * arithmetic, which made the basis singular (QA 69b F1). Should a refactor still find the basis
 * singular, the solver starts again from the feasible start basis (the columns kept), and after
 * {@link #MAX_RESTARTS} such restarts it stops there: its duals still give {@link ColumnGeneration}
 * a valid bound, and the caller's packing stands.
 */
final class CoveringLp {
    private static final double OPTIMALITY_TOL = 1e-9;
    private static final double PIVOT_TOL = 1e-9;
    /** A pivot element must be at least this fraction of the direction's largest entry. */
    private static final double RELATIVE_PIVOT_TOL = 1e-9;
    /** Restarts from the start basis after a singular refactor before a solve gives up optimising. */
    static final int MAX_RESTARTS = 2;
    private static final double FEASIBILITY_TOL = 1e-9;
    private static final int REFACTOR_EVERY = 64;
    /** Commons Math's LU decomposition's threshold, as the refactor used it. */
    private static final double SINGULARITY = 1e-13;

    private final int m;
    private final double[] b;
    // Structural columns, compressed: column j has entries rowIdx/vals[start[j] .. start[j+1]).
    private int n;
    private int[] start = new int[65];
    private int[] rowIdx = new int[256];
    private double[] vals = new double[256];
    private double[] cost = new double[64];
    private boolean[] basic = new boolean[64];
    // Basis: variable per position; j >= 0 structural column j, -1 - i the surplus of row i.
    private final int[] basis;
    private final boolean[] surplusBasic;
    private final double[] binv;
    // Scratch of the refactor: the basis matrix and its LU factors, the row permutation, a column, indices.
    private final double[] lu;
    private final int[] pivotRows;
    private final double[] column;
    private final int[] nonZero;
    private final double[] xB;
    private final double[] pi;
    private final double[] u;
    private int pivotsSinceRefactor;
    private int restarts;
    private boolean started;
    private long pivots;

    /** @param b the right-hand sides (demands), each >= 0 */
    CoveringLp(double[] b) {
        this.m = b.length;
        this.b = b.clone();
        this.basis = new int[m];
        this.surplusBasic = new boolean[m];
        this.binv = new double[m * m];
        this.lu = new double[m * m];
        this.pivotRows = new int[m];
        this.column = new double[m];
        this.nonZero = new int[m];
        this.xB = new double[m];
        this.pi = new double[m];
        this.u = new double[m];
    }

    int rows() {
        return m;
    }

    int columns() {
        return n;
    }

    long pivots() {
        return pivots;
    }

    /** Times a singular basis sent the solver back to its start basis, over every solve (at most {@link #MAX_RESTARTS} + 1 a solve). */
    int restarts() {
        return restarts;
    }

    /** Adds a column (sparse, rows ascending, values > 0) with cost > 0; returns its index. */
    int addColumn(int[] rows, double[] values, double columnCost) {
        if (n + 1 >= cost.length) {
            start = Arrays.copyOf(start, cost.length * 2 + 1);
            cost = Arrays.copyOf(cost, cost.length * 2);
            basic = Arrays.copyOf(basic, basic.length * 2);
        }
        int s = start[n];
        if (s + rows.length > rowIdx.length) {
            int cap = Math.max(rowIdx.length * 2, s + rows.length);
            rowIdx = Arrays.copyOf(rowIdx, cap);
            vals = Arrays.copyOf(vals, cap);
        }
        System.arraycopy(rows, 0, rowIdx, s, rows.length);
        System.arraycopy(values, 0, vals, s, rows.length);
        start[n + 1] = s + rows.length;
        cost[n] = columnCost;
        return n++;
    }

    /**
     * Starts from the basis made of the first m columns, column i covering row i with a positive
     * entry and otherwise only rows below i (lower triangular: type columns that also count
     * towards a later row, such as a shape's minimum node count). Where the columns above already
     * cover row i, its surplus is basic instead of column i, so the start is always feasible.
     * Call once, after adding them.
     */
    private void start() {
        started = true;
        restart();
    }

    /** Sets the start basis (see {@link #start}) and its inverse, whatever the basis was. */
    private void restart() {
        Arrays.fill(basic, false);
        Arrays.fill(surplusBasic, false);
        pivotsSinceRefactor = 0;
        double[] covered = new double[m];
        boolean diagonal = true;
        for (int i = 0; i < m; i++) {
            if (start[i + 1] == start[i] || rowIdx[start[i]] != i || !(vals[start[i]] > 0)) {
                throw new IllegalStateException("Column " + i + " must cover row " + i + " and only rows below it");
            }
            double x = (b[i] - covered[i]) / vals[start[i]];
            if (x < 0) {
                basis[i] = -1 - i; // row i is covered already: its surplus is basic
                surplusBasic[i] = true;
                diagonal = false;
                continue;
            }
            basis[i] = i;
            basic[i] = true;
            for (int p = start[i] + 1; p < start[i + 1]; p++) {
                covered[rowIdx[p]] += vals[p] * x;
                diagonal = false;
            }
        }
        if (diagonal) {
            Arrays.fill(binv, 0);
            for (int i = 0; i < m; i++) {
                binv[i * m + i] = 1.0 / vals[start[i]];
                xB[i] = b[i] / vals[start[i]];
            }
        } else if (!refactor()) {
            // Lower triangular with a nonzero diagonal (a count ≥ 1, or a surplus's −1): never singular.
            throw new IllegalStateException("The start basis of the covering LP is singular");
        }
    }

    /**
     * Re-optimises after columns were added. Returns false when the pivot limit was reached first, or a singular basis
     * sent it back to the start basis more than {@link #MAX_RESTARTS} times in this solve (the basis is then feasible but
     * maybe not optimal).
     */
    boolean solve(long maxPivots) {
        if (!started) {
            start();
        }
        double lastObjective = objective();
        int stalled = 0;
        int failed = 0; // restarts of this solve: the limit is per solve, so a later round of column generation optimises again (review 69 #4)
        for (long it = 0; it < maxPivots; it++) {
            computeDuals();
            boolean bland = stalled > 2 * m;
            int entering = Integer.MIN_VALUE;
            double best = -OPTIMALITY_TOL;
            for (int j = 0; j < n; j++) {
                if (basic[j]) {
                    continue;
                }
                double d = cost[j];
                for (int p = start[j]; p < start[j + 1]; p++) {
                    d -= pi[rowIdx[p]] * vals[p];
                }
                if (d < best) {
                    best = d;
                    entering = j;
                    if (bland) {
                        break;
                    }
                }
            }
            if (!(bland && entering != Integer.MIN_VALUE)) {
                for (int i = 0; i < m; i++) {
                    // The surplus of row i has cost 0 and column -e_i: reduced cost pi_i.
                    if (!surplusBasic[i] && pi[i] < best) {
                        best = pi[i];
                        entering = -1 - i;
                        if (bland) {
                            break;
                        }
                    }
                }
            }
            if (entering == Integer.MIN_VALUE) {
                return true;
            }
            direction(entering);
            int leaving = ratioTest(bland);
            // No leaving variable would make the LP unbounded, which c > 0 rules out: like a singular basis, a numerical failure.
            if (leaving < 0 || !pivot(entering, leaving)) {
                // Begin again from the start basis (see the class comment).
                restarts++;
                restart();
                stalled = 0;
                lastObjective = objective();
                if (++failed > MAX_RESTARTS) {
                    computeDuals();
                    return false;
                }
                continue;
            }
            double objective = objective();
            if (objective < lastObjective - 1e-12 * Math.max(1, Math.abs(lastObjective))) {
                stalled = 0;
                lastObjective = objective;
            } else {
                stalled++;
            }
        }
        computeDuals();
        return false;
    }

    private void computeDuals() {
        Arrays.fill(pi, 0);
        for (int k = 0; k < m; k++) {
            int var = basis[k];
            double c = var >= 0 ? cost[var] : 0;
            if (c != 0) {
                int row = k * m;
                for (int i = 0; i < m; i++) {
                    pi[i] += c * binv[row + i];
                }
            }
        }
    }

    /** u = B⁻¹ a_q for the entering variable. */
    private void direction(int q) {
        if (q >= 0) {
            Arrays.fill(u, 0);
            for (int p = start[q]; p < start[q + 1]; p++) {
                int i = rowIdx[p];
                double v = vals[p];
                for (int k = 0; k < m; k++) {
                    u[k] += binv[k * m + i] * v;
                }
            }
        } else {
            int i = -1 - q;
            for (int k = 0; k < m; k++) {
                u[k] = -binv[k * m + i];
            }
        }
    }

    /** Harris' two-pass ratio test; Bland's variant picks the smallest variable among ties. */
    private int ratioTest(boolean bland) {
        double largest = 0;
        for (int k = 0; k < m; k++) {
            largest = Math.max(largest, Math.abs(u[k]));
        }
        double tol = Math.max(PIVOT_TOL, RELATIVE_PIVOT_TOL * largest);
        double thetaMax = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            if (u[k] > tol) {
                thetaMax = Math.min(thetaMax, (Math.max(0, xB[k]) + FEASIBILITY_TOL) / u[k]);
            }
        }
        if (thetaMax == Double.POSITIVE_INFINITY) {
            return -1;
        }
        int leaving = -1;
        double bestU = 0;
        double bestRatio = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            if (u[k] > tol) {
                double ratio = Math.max(0, xB[k]) / u[k];
                if (ratio <= thetaMax) {
                    if (bland) {
                        if (ratio < bestRatio - 1e-12 || (ratio <= bestRatio + 1e-12 && leaving >= 0 && order(basis[k]) < order(basis[leaving]))) {
                            bestRatio = ratio;
                            leaving = k;
                        }
                    } else if (u[k] > bestU) {
                        bestU = u[k];
                        leaving = k;
                    }
                }
            }
        }
        return leaving;
    }

    /** Bland's index order over all variables: structural columns, then surpluses. */
    private int order(int var) {
        return var >= 0 ? var : Integer.MAX_VALUE / 2 + (-1 - var);
    }

    /** Returns false when the refactor it ended with found the new basis singular (its inverse is then not valid). */
    private boolean pivot(int entering, int r) {
        double ur = u[r];
        double theta = Math.max(0, xB[r]) / ur;
        for (int k = 0; k < m; k++) {
            if (k != r) {
                xB[k] -= theta * u[k];
            }
        }
        xB[r] = theta;
        int rowR = r * m;
        for (int i = 0; i < m; i++) {
            binv[rowR + i] /= ur;
        }
        for (int k = 0; k < m; k++) {
            double f = u[k];
            if (k == r || f == 0) {
                continue;
            }
            int row = k * m;
            for (int i = 0; i < m; i++) {
                binv[row + i] -= f * binv[rowR + i];
            }
        }
        int old = basis[r];
        if (old >= 0) {
            basic[old] = false;
        } else {
            surplusBasic[-1 - old] = false;
        }
        basis[r] = entering;
        if (entering >= 0) {
            basic[entering] = true;
        } else {
            surplusBasic[-1 - entering] = true;
        }
        pivots++;
        return ++pivotsSinceRefactor < REFACTOR_EVERY || refactor();
    }

    /**
     * Recomputes B⁻¹ and x_B from the basis, dropping the error the pivots accumulated; false, the
     * inverse left invalid, when the basis is singular.
     */
    private boolean refactor() {
        pivotsSinceRefactor = 0;
        double[] a = lu;
        Arrays.fill(a, 0);
        for (int k = 0; k < m; k++) {
            int var = basis[k];
            if (var >= 0) {
                for (int p = start[var]; p < start[var + 1]; p++) {
                    a[rowIdx[p] * m + k] = vals[p];
                }
            } else {
                a[(-1 - var) * m + k] = -1;
            }
        }
        try {
            invert(a, m, SINGULARITY, binv, pivotRows, column, nonZero);
        } catch (SingularMatrixException e) {
            return false;
        }
        for (int k = 0; k < m; k++) {
            double x = 0;
            for (int i = 0; i < m; i++) {
                x += binv[k * m + i] * b[i];
            }
            xB[k] = Math.abs(x) < FEASIBILITY_TOL ? 0 : x;
        }
        return true;
    }

    /**
     * The inverse of the m × m matrix {@code a} (row-major; overwritten by its LU factors) into
     * {@code inverse}, computed as Commons Math's {@code new LUDecomposition(a, threshold)
     * .getSolver().getInverse()} computes it: Crout's LU with partial pivoting, then L and U
     * solved against the permuted identity, every nonzero term added in the same order, so the
     * values are the same to the bit (a zero's sign aside). What differs is that terms with a zero
     * factor are skipped: a master's basis is mostly surplus columns and patterns of a few types,
     * its factors stay sparse, and the dense decomposition and solve were over half of a pattern
     * run's time at ~260 rows. {@code pivot}, {@code column} and {@code nonZero} are scratch of m.
     *
     * @throws SingularMatrixException when a pivot is below {@code threshold} in magnitude, as Commons Math's solver does
     */
    static void invert(double[] a, int m, double threshold, double[] inverse, int[] pivot, double[] column, int[] nonZero) {
        for (int row = 0; row < m; row++) {
            pivot[row] = row;
        }
        for (int col = 0; col < m; col++) {
            for (int i = 0; i < m; i++) {
                column[i] = a[i * m + col];
            }
            // The rows above, in order, whose entry of this column of U is not zero: only their terms count.
            int count = 0;
            for (int row = 0; row < col; row++) {
                double sum = reduced(a, row * m, col, column, nonZero, count);
                column[row] = sum;
                if (sum != 0) {
                    nonZero[count++] = row;
                }
            }
            int max = col;
            double largest = Double.NEGATIVE_INFINITY;
            for (int row = col; row < m; row++) {
                double sum = reduced(a, row * m, col, column, nonZero, count);
                column[row] = sum;
                if (Math.abs(sum) > largest) {
                    largest = Math.abs(sum);
                    max = row;
                }
            }
            if (Math.abs(column[max]) < threshold) {
                throw new SingularMatrixException();
            }
            if (max != col) {
                int rm = max * m;
                int rc = col * m;
                for (int i = 0; i < m; i++) {
                    double tmp = a[rm + i];
                    a[rm + i] = a[rc + i];
                    a[rc + i] = tmp;
                }
                int tmp = pivot[max];
                pivot[max] = pivot[col];
                pivot[col] = tmp;
            }
            double diag = a[col * m + col];
            for (int row = col + 1; row < m; row++) {
                a[row * m + col] /= diag;
            }
        }
        Arrays.fill(inverse, 0, m * m, 0);
        // Per row of the solve, the first and last column that may be nonzero: the terms outside are zero.
        // (Their scratch: nonZero is free once the factors are made, and each row's span starts at its pivot.)
        int[] lo = nonZero;
        int[] hi = pivot;
        for (int row = 0; row < m; row++) {
            inverse[row * m + pivot[row]] = 1;
            lo[row] = pivot[row];
        }
        // L Y = P I, then U X = Y, skipping the rows whose factor is zero.
        for (int col = 0; col < m; col++) {
            int from = lo[col];
            int to = hi[col] + 1;
            for (int i = col + 1; i < m; i++) {
                subtractRow(inverse, m, i, col, a[i * m + col], from, to, lo, hi);
            }
        }
        for (int col = m - 1; col >= 0; col--) {
            int rc = col * m;
            double diag = a[rc + col];
            int from = lo[col];
            int to = hi[col] + 1;
            for (int j = from; j < to; j++) {
                inverse[rc + j] /= diag;
            }
            for (int i = 0; i < col; i++) {
                subtractRow(inverse, m, i, col, a[i * m + col], from, to, lo, hi);
            }
        }
    }

    /**
     * Row {@code i} of the solve less {@code factor} times row {@code col}, over row col's span
     * [{@code from}, {@code to}) (zero outside it); nothing when the factor is zero. Row i's span
     * grows to cover row col's.
     */
    private static void subtractRow(double[] rows, int m, int i, int col, double factor, int from, int to, int[] lo, int[] hi) {
        if (factor == 0) {
            return;
        }
        int ri = i * m;
        int rc = col * m;
        for (int j = from; j < to; j++) {
            rows[ri + j] -= rows[rc + j] * factor;
        }
        lo[i] = Math.min(lo[i], from);
        hi[i] = Math.max(hi[i], to - 1);
    }

    /**
     * Crout's step for the entry of the row at {@code r} in column {@code col}: the entry less the
     * row's products with the column's nonzero entries above, in their order; written back and returned.
     */
    private static double reduced(double[] a, int r, int col, double[] column, int[] nonZero, int count) {
        double sum = a[r + col];
        for (int t = 0; t < count; t++) {
            int i = nonZero[t];
            sum -= a[r + i] * column[i];
        }
        a[r + col] = sum;
        return sum;
    }

    double objective() {
        double z = 0;
        for (int k = 0; k < m; k++) {
            int var = basis[k];
            if (var >= 0) {
                z += cost[var] * Math.max(0, xB[k]);
            }
        }
        return z;
    }

    /** The duals of the covering rows at the current basis (valid after {@link #solve}). */
    double[] duals() {
        return pi.clone();
    }

    /** The value of every structural column at the current basis. */
    double[] primal() {
        double[] x = new double[n];
        for (int k = 0; k < m; k++) {
            int var = basis[k];
            if (var >= 0) {
                x[var] = Math.max(0, xB[k]);
            }
        }
        return x;
    }
}
