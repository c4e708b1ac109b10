package io.nodesizer.bound;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.Resource;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lower bound on the hourly cost of any mix of node shapes (any number of pools, any node
 * counts) that places every pod: the <em>fluid</em> bound, where nodes may be bought in fractions
 * but every resource, and every GPU device, must still be there.
 *
 * <p>{@code min Σ_s price_s·y_s} over fractional node counts {@code y_s ≥ 0} subject to, for every
 * set F of shapes that is exactly the set of shapes some pod fits ("fit class"), and every
 * resource r: the shapes of F give at least what the pods that fit only shapes of F ask
 * ({@code Σ_{s∈F} podCapacity_sr·y_s ≥ Σ_{pods with fit set ⊆ F} request_r}). With GPUs as
 * devices ({@link GpuDevices}) each class also needs at least as many devices as its GPU pods do
 * (whole GPUs plus the Martello–Toth L2 number of devices for the shares), and as many device
 * capacity units as their requests weigh under Fekete–Schepers dual feasible functions (so three
 * 0.4 shares count as two devices). Every packing satisfies every row, so the LP optimum is a valid
 * bound. It does not depend on pricing searches, which makes it the bound that still holds when
 * column generation's pattern searches are cut short (GPU shares on many devices).
 *
 * <p>The LP is solved in its dual form ({@code max b·π s.t. A^T π ≤ price, π ≥ 0}); the solver's
 * π is then scaled by {@code 1 / max_s (A_s·π / price_s)}, which makes it exactly dual feasible,
 * so rounding in the simplex can never make the bound invalid (weak duality, as in Farley's bound).
 */
public final class CostBound {
    private static final int D = DemandTable.D;
    /** Fit classes kept as rows, the most restrictive (fewest shapes) first; the all-shapes class always. */
    static final int MAX_CLASSES = 48;
    private static final int[] DFF_K = {1, 2, 3};
    /** Subsets of shapes the bound for at most k pools may solve an LP for (each a few rows × k columns). */
    static final int MAX_SUBSETS = 20_000;

    private CostBound() {
    }

    /** The fluid bound over mixes of any number of the candidates. */
    public static double fluid(List<PackingProblem> candidates, double[] prices) {
        return fluid(candidates, prices, candidates.size(), 0);
    }

    /**
     * The fluid bound over mixes of at most {@code maxShapes} of the candidates, each pool of at
     * least {@code minNodes} nodes: the least fluid cost over every such set of shapes that holds
     * every pod, when there are at most {@link #MAX_SUBSETS} sets once dominated shapes are left
     * out (a shape is dominated by one that every pod fitting it fits too, with at least its
     * capacity on every resource and device and at most its price: moving its nodes there never
     * raises the cost nor breaks the limits); else over any number of pools of any size.
     *
     * @param candidates one problem per shape over one demand table
     * @param prices     price per hour of a node of each candidate (all positive)
     * @return the bound in $/h, or 0 when it could not be computed (no pod, or the LP failed)
     */
    public static double fluid(List<PackingProblem> candidates, double[] prices, int maxShapes, int minNodes) {
        int n = candidates.size();
        List<FitClass> classes = fitClasses(candidates);
        long[][] capacity = new long[n][];
        int[] devices = new int[n];
        for (int s = 0; s < n; s++) {
            capacity[s] = candidates.get(s).podCapacity();
            devices[s] = GpuDevices.count(capacity[s][Resource.GPU.ordinal()]);
        }
        List<CapRow> caps = capRows(candidates);
        double free = fluidOn(capacity, devices, prices, null, classes, java.util.stream.IntStream.range(0, n).toArray(), 0, List.of(), caps);
        if (!Double.isFinite(free)) {
            return 0;
        }
        if (maxShapes >= n && minNodes <= 1) {
            return free; // every set is within the limits: the free bound is the least
        }
        int[] useful = nonDominated(candidates, prices, classes, caps);
        int k = Math.min(maxShapes, useful.length);
        double sets = 0;
        for (int j = 1; j <= k; j++) {
            sets += binomial(useful.length, j);
        }
        if (sets > MAX_SUBSETS) {
            return free;
        }
        double[] least = {Double.POSITIVE_INFINITY};
        for (int j = 1; j <= k; j++) {
            forEachSubset(useful, j, 0, new int[0],
                    subset -> least[0] = Math.min(least[0], fluidOn(capacity, devices, prices, null, classes, subset, minNodes, List.of(), caps)));
        }
        // No set holds every pod: no mix exists, and the caller reports that; keep the free bound.
        return Double.isFinite(least[0]) ? Math.max(free, least[0]) : free;
    }

    /**
     * A kind of node for {@link #fluid(List, List)}.
     *
     * @param podCapacity what one node holds for pods, per resource (DaemonSets and pods that stay already taken off)
     * @param devices     its GPU devices that can take a pod
     * @param price       per hour of one node, 0 or more (0 for room already paid for)
     * @param atMost      how many such nodes there are at most; 0 for any number (then the price must be positive)
     */
    public record Column(long[] podCapacity, int devices, double price, int atMost) {
    }

    /**
     * Pods with the same requests that the same columns take.
     *
     * @param request per resource, one pod's
     * @param count   how many such pods
     * @param fits    the columns (indices) one such pod fits, on its own, by its constraints
     * @param looser  null, or columns these pods would fit with a constraint lifted (a superset of
     *                {@code fits}): a row over them too, with every pod that fits only there, holds
     *                for every placement, and keeps the bound from falling when a constraint splits a
     *                fit class (pods held to their zones: each zone's row alone misses the pods that
     *                may use either)
     */
    public record Demand(long[] request, int count, BitSet fits, BitSet looser) {
        public Demand(long[] request, int count, BitSet fits) {
            this(request, count, fits, null);
        }
    }

    /**
     * The fluid bound over given columns, some of them limited in number (existing nodes, free
     * room already paid for): {@code min Σ price_s·y_s} with {@code 0 ≤ y_s ≤ atMost_s} and the
     * rows of every fit class, as for the candidate shapes. Every placement of the pods on at
     * most {@code atMost_s} nodes of each column (and any number of the unlimited ones) meets
     * every row, so its cost is at least the bound.
     *
     * @return the bound in $/h; +∞ when a pod fits no column; 0 when there is no pod or the LP failed
     */
    public static double fluid(List<Column> columns, List<Demand> demand) {
        int n = columns.size();
        long[][] capacity = new long[n][];
        int[] devices = new int[n];
        double[] prices = new double[n];
        int[] atMost = new int[n];
        for (int s = 0; s < n; s++) {
            Column c = columns.get(s);
            capacity[s] = c.podCapacity();
            devices[s] = c.devices();
            prices[s] = c.price();
            atMost[s] = c.atMost();
            if (c.atMost() <= 0 && !(c.price() > 0)) {
                throw new IllegalArgumentException("The column " + s + " has no limit and a price of " + c.price()
                        + ": a column without a limit must cost something. Maybe give it atMost.");
            }
        }
        Map<BitSet, FitClass> byFits = new LinkedHashMap<>();
        int gpu = Resource.GPU.ordinal();
        for (Demand d : demand) {
            FitClass c = byFits.computeIfAbsent(d.fits(), f -> new FitClass(f, new double[D], new java.util.TreeMap<>()));
            for (int r = 0; r < D; r++) {
                c.need()[r] += (double) d.request()[r] * d.count();
            }
            if (d.request()[gpu] > 0) {
                c.gpu().merge(d.request()[gpu], d.count(), Integer::sum);
            }
        }
        if (byFits.isEmpty()) {
            return 0;
        }
        List<BitSet> looser = demand.stream().map(Demand::looser).filter(java.util.Objects::nonNull).distinct().toList();
        return fluidOn(capacity, devices, prices, atMost, new ArrayList<>(byFits.values()), java.util.stream.IntStream.range(0, n).toArray(),
                0, looser, List.of());
    }

    /**
     * The pods that fit exactly the same candidates, summed once: what they ask of every resource,
     * and their GPU requests (thousandths) with pod counts. Every set of shapes is then solved over
     * these classes, not over the workload's groups (150,000 of them for distinct pods).
     */
    private record FitClass(BitSet fits, double[] need, java.util.TreeMap<Long, Integer> gpu) {
    }

    /**
     * A floor on the nodes of the shapes that admit a workload whose pods may not share a node beyond a cap: {@code
     * Σ_{s ∈ admits} y_s ≥ need}. Required pod anti-affinity among its replicas caps it at one a node on every node
     * ({@code forcing} null: the row always holds). A hard hostname topology spread on its own pods alone caps it at
     * maxSkew a node once some node of its domain holds none of them, as kube-scheduler's skew is over the fewest: that is
     * certain where the mix has a node its spread counts but it cannot run on ({@code forcing}: under nodeTaintsPolicy
     * Ignore, the default, a pool tainted against it; a shape too small for it). QA 65a F5: batch pods that only a tainted
     * pool admits made every mix's untainted nodes hold at most one pod of a spread of 9, so 9 of them, where the fluid
     * bound priced 4 and reported a gap of 106 % on an optimal mix.
     *
     * @param admits  the candidates the workload runs on
     * @param forcing null, or the candidates whose nodes are domains of its spread but run none of its pods
     * @param need    ⌈replicas ÷ cap⌉
     */
    private record CapRow(BitSet admits, BitSet forcing, double need) {
        /** Whether every mix of the shapes {@code within}, each with at least {@code minNodes} nodes, meets the row. */
        boolean holdsOn(BitSet within, int minNodes, java.util.Collection<BitSet> restrictedClasses) {
            if (forcing == null) {
                return true;
            }
            if (!forcing.intersects(within)) {
                return false;
            }
            if (minNodes >= 1) {
                return true; // every shape of the set has a node, a forcing one among them
            }
            for (BitSet f : restrictedClasses) {
                BitSet outside = (BitSet) f.clone();
                outside.andNot(forcing);
                if (outside.isEmpty()) {
                    return true; // pods that run only on forcing shapes put a node of one in every mix
                }
            }
            return false;
        }
    }

    /**
     * The cap rows of the workload ({@link CapRow}). A spread is left out where it also counts other workloads' pods (a
     * node may hold those, not 0), where the workload is pinned to named zones (its domain is then some zones' nodes, not
     * a shape's), and where a shape runs it without being a domain of the spread (no cap there).
     */
    private static List<CapRow> capRows(List<PackingProblem> candidates) {
        DemandTable table = candidates.get(0).table();
        int[] caps = table.caps();
        if (caps == null) {
            return List.of();
        }
        int n = candidates.size();
        BitSet[] admits = new BitSet[table.groupCount()];
        for (int s = 0; s < n; s++) {
            for (int g : candidates.get(s).schedulableGroups()) {
                if (admits[g] == null) {
                    admits[g] = new BitSet(n);
                }
                admits[g].set(s);
            }
        }
        List<Map<String, String>> labels = candidates.stream().map(c -> io.nodesizer.kube.NodeLabels.of(c.shape())).toList();
        io.nodesizer.engine.SharedSpreads shared = table.sharedSpreads();
        boolean[] pinned = table.zonePinned();
        Map<List<BitSet>, CapRow> rows = new LinkedHashMap<>(); // of rows over the same shapes only the largest binds
        for (int g = 0; g < admits.length; g++) {
            if (admits[g] == null || caps[g] == 0) {
                continue;
            }
            io.nodesizer.model.PodGroup group = table.group(g);
            int replicas = table.replicas(g);
            if (io.nodesizer.engine.HostnameSpreads.antiAffinityWithItself(group)) {
                keep(rows, new CapRow(admits[g], null, replicas));
                continue;
            }
            if (pinned != null && pinned[g]) {
                continue;
            }
            io.nodesizer.model.Placement p = group.placement();
            List<io.nodesizer.model.Placement.Spread> spreads = p.spread();
            for (int si = 0; si < spreads.size(); si++) {
                io.nodesizer.model.Placement.Spread sp = spreads.get(si);
                if (!io.nodesizer.engine.HostnameSpreads.ownHostnameSpread(sp, p) || shared != null && shared.counterOf(g, si) >= 0) {
                    continue;
                }
                BitSet domain = new BitSet(n);
                for (int s = 0; s < n; s++) {
                    if (io.nodesizer.kube.NodeMatching.inSpreadDomain(sp, p, candidates.get(s).shape(), labels.get(s))) {
                        domain.set(s);
                    }
                }
                BitSet outside = (BitSet) admits[g].clone();
                outside.andNot(domain);
                domain.andNot(admits[g]);
                if (outside.isEmpty() && !domain.isEmpty()) {
                    keep(rows, new CapRow(admits[g], domain, Math.ceil((double) replicas / sp.maxSkew())));
                }
            }
        }
        // Each row is valid alone: the largest few keep every set's LP small (a manifest of thousands of workloads).
        return rows.values().stream().sorted(Comparator.comparingDouble(CapRow::need).reversed()).limit(MAX_CLASSES).toList();
    }

    private static void keep(Map<List<BitSet>, CapRow> rows, CapRow row) {
        rows.merge(java.util.Arrays.asList(row.admits(), row.forcing()), row, (a, b) -> a.need() >= b.need() ? a : b);
    }

    /** The fit classes of the workload's groups, in order of each class's first group. */
    private static List<FitClass> fitClasses(List<PackingProblem> candidates) {
        DemandTable table = candidates.get(0).table();
        BitSet[] fitSet = new BitSet[table.groupCount()];
        for (int s = 0; s < candidates.size(); s++) {
            for (int g : candidates.get(s).schedulableGroups()) {
                if (fitSet[g] == null) {
                    fitSet[g] = new BitSet(candidates.size());
                }
                fitSet[g].set(s);
            }
        }
        Map<BitSet, FitClass> byFits = new LinkedHashMap<>();
        int gpu = Resource.GPU.ordinal();
        for (int g = 0; g < fitSet.length; g++) {
            if (fitSet[g] == null) {
                continue;
            }
            FitClass c = byFits.computeIfAbsent(fitSet[g], f -> new FitClass(f, new double[D], new java.util.TreeMap<>()));
            for (int r = 0; r < D; r++) {
                c.need()[r] += (double) table.demand(g, r) * table.replicas(g);
            }
            if (table.demand(g, gpu) > 0) {
                c.gpu().merge(table.demand(g, gpu), table.replicas(g), Integer::sum);
            }
        }
        return new ArrayList<>(byFits.values());
    }

    /**
     * The fluid bound over the shapes {@code subset} (candidate indices), each bought at least
     * {@code minNodes} times: +∞ when some pod fits none of them, 0 when there is no pod or the
     * LP failed. With y = minNodes + z the LP over z ≥ 0 has what the minimum fleet leaves as its
     * right-hand sides.
     *
     * @param capacity per column, what one node of it holds for pods
     * @param devices  per column, the GPU devices of one node
     * @param atMost   per column, how many nodes there are at most (0: any number); null for no limit
     * @param looser   sets of columns whose rows are added beside the classes' own ({@link Demand#looser})
     */
    private static double fluidOn(long[][] capacity, int[] devices, double[] prices, int[] atMost, List<FitClass> classes, int[] subset,
                                  int minNodes, List<BitSet> looser, List<CapRow> caps) {
        BitSet within = new BitSet(capacity.length);
        for (int s : subset) {
            within.set(s);
        }
        Map<BitSet, List<FitClass>> restricted = new LinkedHashMap<>();
        for (FitClass c : classes) {
            BitSet f = (BitSet) c.fits().clone();
            f.and(within);
            if (f.isEmpty()) {
                return Double.POSITIVE_INFINITY;
            }
            restricted.computeIfAbsent(f, x -> new ArrayList<>()).add(c);
        }
        if (restricted.isEmpty()) {
            return 0;
        }
        List<BitSet> kept = new ArrayList<>(restricted.keySet());
        kept.sort(Comparator.comparingInt(BitSet::cardinality));
        if (kept.size() > MAX_CLASSES) {
            kept = new ArrayList<>(kept.subList(0, MAX_CLASSES - 1));
        }
        if (!kept.contains(within)) {
            kept.add(within);
        }
        for (BitSet l : looser) {
            BitSet f = (BitSet) l.clone();
            f.and(within);
            if (!kept.contains(f)) {
                kept.add(f);
            }
        }
        List<double[]> rows = new ArrayList<>(); // coefficient per candidate
        List<Double> rhs = new ArrayList<>();
        for (BitSet f : kept) {
            List<FitClass> members = new ArrayList<>();
            restricted.forEach((set, cs) -> {
                BitSet outside = (BitSet) set.clone();
                outside.andNot(f);
                if (outside.isEmpty()) {
                    members.addAll(cs);
                }
            });
            addRows(capacity, devices, f, members, rows, rhs);
        }
        for (CapRow c : caps) {
            if (c.holdsOn(within, minNodes, restricted.keySet())) {
                double[] row = new double[capacity.length];
                BitSet on = (BitSet) c.admits().clone();
                on.and(within);
                on.stream().forEach(s -> row[s] = 1);
                rows.add(row);
                rhs.add(c.need());
            }
        }
        // Columns of the subset only, less what the minimum fleet already gives.
        double fixed = 0;
        double[] p = new double[subset.length];
        int[] limit = new int[subset.length];
        for (int j = 0; j < subset.length; j++) {
            p[j] = prices[subset[j]];
            limit[j] = atMost == null ? 0 : atMost[subset[j]];
            fixed += minNodes * p[j];
        }
        List<double[]> compact = new ArrayList<>();
        List<Double> left = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] c = new double[subset.length];
            double need = rhs.get(i);
            for (int j = 0; j < subset.length; j++) {
                c[j] = rows.get(i)[subset[j]];
                need -= minNodes * c[j];
            }
            if (need > 0) {
                compact.add(c);
                left.add(need);
            }
        }
        return fixed + (compact.isEmpty() ? 0 : solve(compact, left, p, limit));
    }

    /** Candidates no other candidate dominates (of identical ones, the first). */
    private static int[] nonDominated(List<PackingProblem> candidates, double[] prices, List<FitClass> classes, List<CapRow> caps) {
        int n = candidates.size();
        boolean[] dominated = new boolean[n];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < n && !dominated[s]; o++) {
                if (o != s && !dominated[o] && dominates(candidates, prices, classes, caps, o, s)
                        && (o < s || !dominates(candidates, prices, classes, caps, s, o))) {
                    dominated[s] = true;
                }
            }
        }
        return java.util.stream.IntStream.range(0, n).filter(s -> !dominated[s]).toArray();
    }

    private static boolean dominates(List<PackingProblem> candidates, double[] prices, List<FitClass> classes, List<CapRow> caps, int o, int s) {
        if (prices[o] > prices[s]) {
            return false;
        }
        for (CapRow c : caps) {
            if (c.forcing() != null && c.forcing().get(o) && !c.forcing().get(s)) {
                return false; // moving s's nodes to o would cap a spread the mix with s leaves free
            }
        }
        long[] a = candidates.get(o).podCapacity();
        long[] b = candidates.get(s).podCapacity();
        for (int r = 0; r < D; r++) {
            if (a[r] < b[r]) {
                return false;
            }
        }
        for (FitClass c : classes) {
            if (c.fits().get(s) && !c.fits().get(o)) {
                return false;
            }
        }
        return true;
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 0; i < k; i++) {
            c = c * (n - i) / (i + 1);
        }
        return c;
    }

    private static void forEachSubset(int[] from, int k, int start, int[] prefix, java.util.function.Consumer<int[]> action) {
        if (prefix.length == k) {
            action.accept(prefix);
            return;
        }
        for (int i = start; i <= from.length - (k - prefix.length); i++) {
            int[] next = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = from[i];
            forEachSubset(from, k, i + 1, next, action);
        }
    }

    /** The rows of one fit class: every resource, GPU devices, and device weights under DFFs. */
    private static void addRows(long[][] capacity, int[] deviceCount, BitSet f, List<FitClass> members, List<double[]> rows,
                                List<Double> rhs) {
        int shapes = capacity.length;
        for (int r = 0; r < D; r++) {
            double need = 0;
            for (FitClass c : members) {
                need += c.need()[r];
            }
            if (need <= 0) {
                continue;
            }
            double[] row = new double[shapes];
            for (int s = f.nextSetBit(0); s >= 0; s = f.nextSetBit(s + 1)) {
                row[s] = capacity[s][r];
            }
            rows.add(row);
            rhs.add(need);
        }
        java.util.TreeMap<Long, Integer> requests = new java.util.TreeMap<>();
        for (FitClass c : members) {
            c.gpu().forEach((size, count) -> requests.merge(size, count, Integer::sum));
        }
        int n = requests.size();
        if (n == 0) {
            return;
        }
        long[] sizes = new long[n];
        int[] counts = new int[n];
        int i = 0;
        for (Map.Entry<Long, Integer> e : requests.entrySet()) {
            sizes[i] = e.getKey();
            counts[i++] = e.getValue();
        }
        double[] devices = new double[shapes];
        for (int s = f.nextSetBit(0); s >= 0; s = f.nextSetBit(s + 1)) {
            devices[s] = deviceCount[s];
        }
        rows.add(devices);
        rhs.add((double) LowerBounds.devicesNeeded(sizes, counts));
        for (int k : DFF_K) {
            double need = 0;
            for (int j = 0; j < n; j++) {
                need += (double) GpuDevices.dff(sizes[j], k) * counts[j];
            }
            if (need <= 0) {
                continue; // only shares this function maps to 0
            }
            double[] row = new double[shapes];
            for (int s = 0; s < shapes; s++) {
                row[s] = devices[s] * GpuDevices.UNIT * k;
            }
            rows.add(row);
            rhs.add(need);
        }
    }

    /**
     * The dual LP, its solution made exactly feasible; 0 when the solver fails. A column with a
     * limit u (at most u nodes) has its own dual μ ≥ 0: {@code A_s·π − μ_s ≤ price_s}, and the
     * objective loses {@code u·μ_s}. Any π ≥ 0 that the unlimited columns admit, with each μ_s set
     * to {@code max(0, A_s·π − price_s)}, is dual feasible; the solver's π is scaled down until the
     * unlimited columns admit it, and the μ are then computed exactly, so rounding in the simplex
     * never makes the bound invalid.
     *
     * @param limit per column, the nodes there are at most (0: any number)
     */
    private static double solve(List<double[]> rows, List<Double> rhs, double[] prices, int[] limit) {
        int m = rows.size();
        int shapes = prices.length;
        // Rows scaled to a right-hand side of 1 keep the simplex well conditioned.
        double[][] a = new double[m][];
        for (int i = 0; i < m; i++) {
            a[i] = rows.get(i).clone();
            for (int s = 0; s < shapes; s++) {
                a[i][s] /= rhs.get(i);
            }
        }
        int[] muOf = new int[shapes];
        int vars = m;
        for (int s = 0; s < shapes; s++) {
            muOf[s] = limit[s] > 0 ? vars++ : -1;
        }
        double[] objective = new double[vars];
        java.util.Arrays.fill(objective, 0, m, 1.0);
        for (int s = 0; s < shapes; s++) {
            if (muOf[s] >= 0) {
                objective[muOf[s]] = -limit[s];
            }
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int s = 0; s < shapes; s++) {
            double[] c = new double[vars];
            for (int i = 0; i < m; i++) {
                c[i] = a[i][s];
            }
            if (muOf[s] >= 0) {
                c[muOf[s]] = -1;
            }
            constraints.add(new LinearConstraint(c, Relationship.LEQ, prices[s]));
        }
        double[] pi;
        try {
            PointValuePair p = new SimplexSolver().optimize(new MaxIter(20_000), new LinearObjectiveFunction(objective, 0),
                    new LinearConstraintSet(constraints), GoalType.MAXIMIZE, new NonNegativeConstraint(true));
            pi = java.util.Arrays.copyOf(p.getPoint(), m);
        } catch (MathIllegalStateException e) {
            return 0; // unbounded (a class no shape serves cannot happen) or too many iterations
        }
        double rho = 0;
        for (int i = 0; i < m; i++) {
            pi[i] = Math.max(0, pi[i]);
        }
        double[] used = new double[shapes];
        for (int s = 0; s < shapes; s++) {
            for (int i = 0; i < m; i++) {
                used[s] += a[i][s] * pi[i];
            }
            if (muOf[s] < 0 && used[s] > 0) {
                rho = Math.max(rho, used[s] / prices[s]);
            }
        }
        double scale = 1 / Math.max(rho, 1.0);
        double value = 0;
        for (int i = 0; i < m; i++) {
            value += pi[i] * scale;
        }
        for (int s = 0; s < shapes; s++) {
            if (muOf[s] >= 0) {
                value -= limit[s] * Math.max(0, used[s] * scale - prices[s]);
            }
        }
        return Math.max(0, value);
    }
}
