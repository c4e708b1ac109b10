package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Mixed node pools: up to k shapes out of the candidates and a node count for each, every pod
 * placed, at the least cost per hour. Column generation over (shape, pattern) columns priced at
 * the shape's hourly price gives the cost LP bound; the integer mix comes from diving restricted
 * to a set of at most k shapes, chosen among the shapes the LP itself uses.
 *
 * <p>The LP is solved over a working set of shapes (the cheapest candidates by the caller's
 * order) and then every candidate is priced with the final duals: a candidate with a column of
 * negative reduced cost joins the working set and the LP runs again. The Farley bound of the last
 * full pricing pass covers every candidate, so {@code lowerBoundCostPerHour} bounds every mix of
 * the candidates, of any number of pools.
 *
 * <p>Choosing the k shapes: when the LP uses at most k shapes, those; otherwise every subset of
 * size ≤ k of the LP's {@link #SUBSET_POOL} most used shapes is scored by its own restricted LP,
 * and the best {@link #SUBSETS_DIVED} are dived. A pool with fewer nodes than the minimum drops
 * its shape and the subset is dived again without it.
 */
public final class MixedPools {
    /**
     * No mix within the settings was found that places every pod (pods that need more kinds of shape
     * than the pools allowed, say): an answer about the workload and the candidates, not a mistake
     * in the input, so recommend keeps its single-shape ranking and says so in a note.
     */
    public static final class NotFound extends IllegalArgumentException {
        NotFound(String message) {
            super(message);
        }
    }

    /** Shapes of the LP (by their share of its cost) whose subsets are considered. */
    static final int SUBSET_POOL = 6;
    /** Subsets (best restricted LP first) that are dived to an integer mix. */
    static final int SUBSETS_DIVED = 5;
    /** Sets the set bound ranks most promising that are dived as well (when not dived already). */
    static final int PROMISING_DIVED = 4;
    /**
     * Rounds (sets solved) of the set bound of each smaller k, whose sets are dived so that a pool
     * more never costs more: m5,r5,c5 for the shop needed 3; 40 made k = 3 twice as slow.
     */
    static final int CHAINED_ROUNDS = 4;
    /** The mix's simplex budget, in single-shape runs. */
    static final int MIX_WORK_FACTOR = 4;
    /**
     * The mix's pricing budget, in single-shape runs: every round prices every shape of the
     * working set, so a mix spends many times what one shape does (openb K = 3 over 30 shapes:
     * 4 runs' worth left the dives to finish first-fit, 0.8 % dearer).
     */
    static final int MIX_PRICING_FACTOR = 16;

    private MixedPools() {
    }

    /**
     * @param maxPools         k: at most this many shapes in the mix
     * @param minNodesPerPool  every chosen shape runs at least this many nodes
     * @param workingShapes    the LP starts from this many candidates (the first ones)
     */
    public record Settings(int maxPools, int minNodesPerPool, int workingShapes, PatternPacking.Limits limits) {
        public Settings {
            if (maxPools < 1 || minNodesPerPool < 1 || workingShapes < 1) {
                throw new IllegalArgumentException("maxPools, minNodesPerPool and workingShapes must be at least 1");
            }
        }
    }

    /**
     * A mix: per node its candidate index, and per pod its node.
     *
     * @param nodeShape             candidate index of every node, pools in candidate order
     * @param assignment            node per global pod index (every pod is placed)
     * @param costPerHour           Σ price over nodes
     * @param lowerBoundCostPerHour a lower bound on the cost of any mix of at most k candidates
     * @param lpCostPerHour         the cost LP's value over the columns generated
     */
    public record Result(int[] nodeShape, int[] assignment, double costPerHour, double lowerBoundCostPerHour,
                         double lpCostPerHour, int shapesPriced, int types, int columns) {

        /** Nodes per candidate index (0 for candidates not in the mix). */
        public int[] nodesPerShape(int candidates) {
            int[] n = new int[candidates];
            for (int s : nodeShape) {
                n[s]++;
            }
            return n;
        }
    }

    /**
     * The production minimum pool size ({@code --min-nodes-per-pool}'s default), which a looser
     * minimum also searches in {@link #solveNoDearerThanTighter}.
     */
    public static final int PRODUCTION_MIN_NODES = 2;

    /**
     * As {@link #solve}, never dearer than the mix it finds with the production minimum of
     * {@link #PRODUCTION_MIN_NODES} nodes per pool when {@code settings} asks for fewer. Every mix
     * with pools of at least two nodes has pools of at least one, yet the searches differ: without
     * the minimum rows the sets' LPs lie close together (the shop at k = 3: all near $6.63/h), the
     * set bound's rounds go to sets whose integer mixes are poor, and the sets that the minimum
     * rows single out are never dived (m = 1 answered $6.80/h where m = 2 found $6.69/h). So a
     * looser minimum solves the tighter one as well and answers the cheaper mix: never dearer, as
     * the constraint promises, at the price of a second solve. The looser search keeps its own
     * incumbent: started from the tighter mix, its set bound would stop at that target and its
     * dives at that cutoff before reaching mixes below it (m5,r5,c5 at K = 4: $7.49/h, not $7.44).
     * The bound is the looser solve's (the tighter one's holds for its pools of two only).
     */
    public static Result solveNoDearerThanTighter(List<PackingProblem> candidates, double[] prices, Result incumbent, Settings settings) {
        if (settings.minNodesPerPool() >= PRODUCTION_MIN_NODES || settings.maxPools() < 2 || candidates.size() < 2) {
            return solve(candidates, prices, incumbent, settings);
        }
        Result loose = solve(candidates, prices, incumbent, settings); // a pod that fits no candidate throws here
        Settings tighter = new Settings(settings.maxPools(), PRODUCTION_MIN_NODES, settings.workingShapes(), settings.limits());
        Result tight;
        try {
            tight = solve(candidates, prices, padded(incumbent, PRODUCTION_MIN_NODES, prices), tighter);
        } catch (IllegalArgumentException noTighterMix) {
            return loose; // no mix with pools of two: the looser answer stands
        }
        if (tight.costPerHour() < loose.costPerHour() - 1e-9) {
            return new Result(tight.nodeShape(), tight.assignment(), tight.costPerHour(), loose.lowerBoundCostPerHour(),
                    loose.lpCostPerHour(), loose.shapesPriced(), loose.types(), loose.columns());
        }
        return loose;
    }

    /** The mix with each pool below {@code minNodes} padded with empty nodes of its shape (null stays null). */
    static Result padded(Result mix, int minNodes, double[] prices) {
        if (mix == null) {
            return null;
        }
        int[] perShape = mix.nodesPerShape(prices.length);
        List<Integer> extra = new ArrayList<>();
        for (int s = 0; s < perShape.length; s++) {
            for (int k = perShape[s]; k > 0 && k < minNodes; k++) {
                extra.add(s);
            }
        }
        if (extra.isEmpty()) {
            return mix;
        }
        int[] nodeShape = Arrays.copyOf(mix.nodeShape(), mix.nodeShape().length + extra.size());
        double cost = mix.costPerHour();
        for (int i = 0; i < extra.size(); i++) {
            nodeShape[mix.nodeShape().length + i] = extra.get(i);
            cost += prices[extra.get(i)];
        }
        return new Result(nodeShape, mix.assignment(), cost, mix.lowerBoundCostPerHour(), mix.lpCostPerHour(), mix.shapesPriced(),
                mix.types(), mix.columns());
    }

    /**
     * @param candidates one problem per candidate shape, all over one demand table, each with a
     *                   price; the first ones are the most promising (the caller's ranking)
     * @param prices     price per hour of a node of each candidate
     * @param incumbent  a feasible mix the caller already has (e.g. the best single shape), or null:
     *                   the result is never more expensive than it
     * @throws IllegalArgumentException when some pod fits none of the candidates
     */
    public static Result solve(List<PackingProblem> candidates, double[] prices, Result incumbent, Settings settings) {
        List<RequestTypes> views = RequestTypes.shared(candidates);
        int n = views.get(0).count();
        DemandTable table = candidates.get(0).table();
        int types = n;
        long[] demand = new long[n];
        for (int t = 0; t < n; t++) {
            demand[t] = views.get(0).pods(t);
        }
        checkEveryPodFits(candidates, table);
        PatternPacking.Limits limits = settings.limits();
        List<ColumnGeneration.Shape> all = new ArrayList<>();
        for (int s = 0; s < candidates.size(); s++) {
            // The table prices only where the search is cut short: where it finishes, the search's columns keep the dives'
            // path (PatternPricer.Table.WHEN_CUT_SHORT).
            PatternPricer pricer = new PatternPricer(views.get(s), limits.pricingNodes(), true, PatternPricer.Table.WHEN_CUT_SHORT);
            all.add(new ColumnGeneration.Shape(views.get(s), pricer, prices[s]));
        }
        // Working set: the first candidates, plus for each type the cheapest shape per pod holding
        // it, so the diagonal start is as good as over all candidates.
        boolean[] working = new boolean[all.size()];
        for (int s = 0; s < Math.min(settings.workingShapes(), all.size()); s++) {
            working[s] = true;
        }
        for (int t = 0; t < n; t++) {
            int best = -1;
            for (int s = 0; s < all.size(); s++) {
                long alone = Math.min(views.get(s).alone(t), demand[t]);
                if (alone > 0 && (best < 0 || prices[s] / alone < prices[best] / Math.min(views.get(best).alone(t), demand[t]))) {
                    best = s;
                }
            }
            working[best] = true;
        }
        List<ColumnGeneration.Column> pool = new ArrayList<>(); // shape indices are candidate indices
        if (incumbent != null) {
            // The incumbent's nodes start the LP: it begins at that mix's cost, not far above it.
            int[][] counts = SeedPatterns.perNode(views.get(0), incumbent.assignment(), incumbent.nodeShape().length);
            java.util.Set<String> seeded = new java.util.HashSet<>();
            for (int node = 0; node < counts.length; node++) {
                if (counts[node] != null && seeded.add(incumbent.nodeShape()[node] + Arrays.toString(counts[node]))) {
                    pool.add(new ColumnGeneration.Column(incumbent.nodeShape()[node], counts[node]));
                }
            }
        }
        // One budget for the whole mix: the LP over the working set, subset scoring and dives.
        ColumnGeneration.Effort effort = new ColumnGeneration.Effort(limits.simplexWork() * MIX_WORK_FACTOR, MIX_PRICING_FACTOR);
        double lowerBound = 0;
        ColumnGeneration.Outcome lp;
        FullPass pass;
        int priced = 0;
        while (true) {
            int[] ws = indices(working);
            lp = solveOn(all, ws, demand, 0, pool, limits.root(effort));
            // Full pricing pass with the final duals: bound over every candidate, and entrants.
            pass = fullPass(all, ws, lp, demand);
            priced = all.size();
            lowerBound = Math.max(lowerBound, pass.bound());
            if (pass.entrants.isEmpty()) {
                break;
            }
            for (int s : pass.entrants) {
                working[s] = true;
            }
        }
        // The fluid bound needs no pricing search, so it holds up where the searches are cut
        // short (GPU shares on devices: openb K = 3, $8,720/h from pricing alone), and over few
        // enough candidates it is the bound for at most k pools of at least the minimum size.
        double fluid = io.nodesizer.bound.CostBound.fluid(candidates, prices, settings.maxPools(), settings.minNodesPerPool());
        lowerBound = Math.max(lowerBound, fluid);
        // Shapes by their share of the LP's cost.
        double[] used = new double[all.size()];
        for (int j = 0; j < lp.columns().size(); j++) {
            used[lp.columns().get(j).shape()] += lp.x()[j] * prices[lp.columns().get(j).shape()];
        }
        Integer[] byUse = java.util.stream.IntStream.range(0, all.size()).boxed()
                .filter(s -> used[s] > 1e-9).sorted(Comparator.comparingDouble((Integer s) -> -used[s]).thenComparingInt(s -> s))
                .toArray(Integer[]::new);
        // The LP over all candidates knows neither k nor the minimum pool size: bound every set of
        // at most k shapes by its own LP where the sets are few enough (their LPs solved on the way
        // are candidates for the dives too).
        long[][] capacity = new long[all.size()][];
        for (int s = 0; s < all.size(); s++) {
            capacity[s] = candidates.get(s).podCapacity();
        }
        // The last full pass priced every candidate under the same duals: its κ starts the set bound.
        SetBound.Outcome setBound = SetBound.of(all, capacity, demand, pool, lp.duals(), pass.kappa(), settings.maxPools(),
                settings.minNodesPerPool(),
                incumbent == null ? Double.POSITIVE_INFINITY : incumbent.costPerHour(),
                limits.root(new ColumnGeneration.Effort(limits.simplexWork() * MIX_WORK_FACTOR, MIX_PRICING_FACTOR)));
        lowerBound = Math.max(lowerBound, setBound.bound());
        if (spreadCapsBind(candidates)) {
            // The patterns keep at most maxSkew of a hostname spread per node; kube-scheduler allows
            // more over a pool's nodes (HostnameSpreads), so the pattern LPs bound only mixes that
            // keep the cap. The fluid bound (amounts alone) holds for every mix.
            lowerBound = fluid;
        }
        // Too many sets of k shapes to bound (k = 8 over the whole catalog): the sets of fewer
        // shapes that the set bound solves for the largest k that fits are still mixes of at most
        // k pools, and good ones to dive; their bound is not one for k, so it is not taken.
        int bounded = settings.maxPools();
        for (int k = settings.maxPools() - 1; setBound.solved().isEmpty() && k >= 2; k--) {
            setBound = SetBound.of(all, capacity, demand, pool, lp.duals(), pass.kappa(), k, settings.minNodesPerPool(),
                    incumbent == null ? Double.POSITIVE_INFINITY : incumbent.costPerHour(),
                    limits.root(new ColumnGeneration.Effort(limits.simplexWork() * MIX_WORK_FACTOR, MIX_PRICING_FACTOR)));
            bounded = k;
        }
        List<int[]> scored = new ArrayList<>();
        if (byUse.length <= settings.maxPools()) {
            scored.add(Arrays.stream(byUse).mapToInt(Integer::intValue).sorted().toArray());
        } else {
            scored.addAll(subsetsWithin(views, byUse, demand, settings.maxPools()));
        }
        // Score each subset by its restricted LP (reusing the pool: cheap); the bound's sets come scored.
        List<int[]> sets = new ArrayList<>();
        List<Double> score = new ArrayList<>();
        java.util.Set<String> seenSubsets = new java.util.HashSet<>();
        for (SetBound.Solved solved : setBound.solved()) {
            if (seenSubsets.add(Arrays.toString(solved.shapes()))) {
                sets.add(solved.shapes());
                score.add(solved.lpValue());
            }
        }
        for (int[] sub : scored) {
            if (seenSubsets.add(Arrays.toString(sub))) {
                sets.add(sub);
                score.add(coversAll(views, sub, demand)
                        ? solveOn(all, sub, demand, settings.minNodesPerPool(), pool, limits.step(effort)).lpValue() : Double.POSITIVE_INFINITY);
            }
        }
        Integer[] order = java.util.stream.IntStream.range(0, sets.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> score.get(i)).thenComparingInt(i -> i)).toArray(Integer[]::new);
        List<int[]> subsets = new ArrayList<>();
        for (int i = 0; i < Math.min(SUBSETS_DIVED, order.length); i++) {
            if (score.get(order[i]) < Double.POSITIVE_INFINITY) {
                subsets.add(sets.get(order[i]));
            }
        }
        Dives dives = new Dives(candidates, views, all, demand, prices, settings, pool, limits, effort, lowerBound, lp.lpValue(), priced,
                incumbent);
        dives.counted(setBound.solved());
        java.util.Set<String> dived = new java.util.HashSet<>();
        for (int[] subset : subsets) {
            dived.add(Arrays.toString(subset));
            dives.subset(subset);
        }
        // The sets above are the LP's most used shapes and the sets the set bound's rounds solved:
        // both follow the duals, and which of a degenerate LP's many duals come out depends on the
        // path (the shop over AWS: an unused PV-only type in the LP's working set changed them, and
        // the rounds solved its optimal set only with it there). The bound's last cuts rank every
        // set by the least cost of whole node counts they allow: dive the first ones that may still
        // beat the best mix (each dive starts from the set's own LP and stops once it cannot).
        int extra = 0;
        for (SetBound.Promising p : setBound.promising()) {
            if (extra == PROMISING_DIVED || p.bound() >= dives.cutoff() * (1 - 1e-9)) {
                break;
            }
            if (dived.add(Arrays.toString(p.shapes()))) {
                extra++;
                dives.subset(p.shapes());
            }
        }
        // The rounds solve the set of least bound, nearly always one of k shapes (a superset's LP
        // is no higher), so the best mix of fewer pools may be neither solved nor dived, and a
        // pool more allowed could cost more (m5,r5,c5: k = 3 $7.59/h where k = 2 finds $7.42).
        // The set bound of each smaller k (its LPs, not a whole solve) names its best sets, which
        // are dived; it stops as soon as its bound shows no mix of that few pools beats the best
        // found (then none of fewer does either). Its bounds hold for fewer pools only: not taken.
        // (Where hostname spreads' caps bind, its bound covers mixes that keep them only; a stop
        // then just leaves a dive out, the result stays a valid mix.)
        for (int k = bounded - 1; k >= 2 && !setBound.solved().isEmpty(); k--) {
            double target = dives.best == null ? Double.POSITIVE_INFINITY : dives.best.costPerHour();
            SetBound.Outcome fewer = SetBound.of(all, capacity, demand, pool, lp.duals(), pass.kappa(), k, settings.minNodesPerPool(),
                    target, limits.root(new ColumnGeneration.Effort(limits.simplexWork() * MIX_WORK_FACTOR, MIX_PRICING_FACTOR)),
                    CHAINED_ROUNDS);
            if (fewer.bound() >= target * (1 - 1e-9)) {
                break;
            }
            dives.counted(fewer.solved());
            fewer.solved().stream().filter(x -> x.counts() == null).min(Comparator.comparingDouble(SetBound.Solved::lpValue))
                    .ifPresent(x -> dives.subset(x.shapes()));
        }
        if (byUse.length <= settings.maxPools()) {
            // The LP's used shapes were dived as one set, but the LP knows no minimum pool size: a
            // shape it uses a little costs a whole pool of the minimum (two c6a.2xlarge for a fifth
            // of one), and a set without it can be the cheaper mix (a snapshot over the whole AWS
            // catalog at k = 4: c6a.4xlarge + g4dn.xlarge + r5a.large at $2.50/h, where the four
            // LP shapes' dive stopped at its LP of $3.11/h above the $2.63/h found). Their proper
            // subsets are scored and dived last, so that the dives above keep their path.
            List<int[]> fewer = new ArrayList<>();
            List<Double> fewerScore = new ArrayList<>();
            for (int[] sub : subsetsWithin(views, byUse, demand, byUse.length - 1)) {
                if (seenSubsets.add(Arrays.toString(sub)) && coversAll(views, sub, demand)) {
                    fewer.add(sub);
                    fewerScore.add(solveOn(all, sub, demand, settings.minNodesPerPool(), pool, limits.step(effort)).lpValue());
                }
            }
            java.util.stream.IntStream.range(0, fewer.size()).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> fewerScore.get(i)).thenComparingInt(i -> i))
                    .limit(SUBSETS_DIVED)
                    .filter(i -> fewerScore.get(i) < dives.cutoff() * (1 - 1e-9) && dived.add(Arrays.toString(fewer.get(i))))
                    .forEachOrdered(i -> dives.subset(fewer.get(i)));
        }
        Result best = dives.best;
        if (best == null) {
            // The count is not said: this solve may be over fewer pools than --max-pools (the part beside pods tied to zones).
            throw new NotFound("No mix of the candidate shapes with at least " + settings.minNodesPerPool() + " nodes per pool places "
                    + "every pod, and no single shape does: more pools (--max-pools) or other shapes may, unless a pod has no candidate "
                    + "pool that its rules admit beside the pods they tie it to (required pod affinity to pods only a pool it refuses "
                    + "runs, a taint it does not tolerate).");
        }
        return new Result(best.nodeShape(), best.assignment(), best.costPerHour(), lowerBound, lp.lpValue(), priced, types,
                pool.size());
    }

    /** The dives of one solve and the best mix they found (or the caller's incumbent). */
    private static final class Dives {
        private final List<PackingProblem> candidates;
        private final List<RequestTypes> views;
        private final List<ColumnGeneration.Shape> all;
        private final long[] demand;
        private final double[] prices;
        private final Settings settings;
        private final List<ColumnGeneration.Column> pool;
        private final PatternPacking.Limits limits;
        private final ColumnGeneration.Effort effort;
        private final double lowerBound;
        private final double lpValue;
        private final int priced;
        Result best;

        Dives(List<PackingProblem> candidates, List<RequestTypes> views, List<ColumnGeneration.Shape> all, long[] demand, double[] prices,
              Settings settings, List<ColumnGeneration.Column> pool, PatternPacking.Limits limits, ColumnGeneration.Effort effort,
              double lowerBound, double lpValue, int priced, Result incumbent) {
            this.candidates = candidates;
            this.views = views;
            this.all = all;
            this.demand = demand;
            this.prices = prices;
            this.settings = settings;
            this.pool = pool;
            this.limits = limits;
            this.effort = effort;
            this.lowerBound = lowerBound;
            this.lpValue = lpValue;
            this.priced = priced;
            this.best = incumbent;
        }

        private double cutoff() {
            return best == null ? Double.POSITIVE_INFINITY : best.costPerHour();
        }

        private void offer(List<ColumnGeneration.Column> nodes) {
            Result r = toResult(candidates, views, nodes, prices, lowerBound, lpValue, priced, demand.length, pool.size());
            if (best == null || r.costPerHour() < best.costPerHour() - 1e-9) {
                best = r;
            }
        }

        /**
         * The bound's cuts proved whole node counts of a set that its LP packs at their very cost
         * (the bound itself, often): dive with those counts as the set's minimum. The general dives
         * round a fractional LP and may buy a node more where these counts pack.
         */
        void counted(List<SetBound.Solved> solved) {
            for (SetBound.Solved s : solved) {
                if (s.counts() != null) {
                    List<ColumnGeneration.Column> nodes = diveOn(all, s.shapes(), demand, s.counts(), settings.minNodesPerPool(), pool, limits,
                            effort, cutoff());
                    if (nodes != null && poolsAtLeast(nodes, settings.minNodesPerPool())) {
                        offer(drain(views, nodes, settings.minNodesPerPool()));
                    }
                }
            }
        }

        /** Dives the set; a pool below the minimum is padded up to it, or its shape dropped and the rest dived again. */
        void subset(int[] subset) {
            int minNodes = settings.minNodesPerPool();
            int[] sub = subset;
            while (sub.length > 0 && coversAll(views, sub, demand)) {
                List<ColumnGeneration.Column> nodes = diveOn(all, sub, demand, minNodes, pool, limits, effort, cutoff());
                if (nodes == null) {
                    return;
                }
                int[] count = new int[all.size()];
                for (ColumnGeneration.Column c : nodes) {
                    count[c.shape()]++;
                }
                int[] small = Arrays.stream(sub).filter(s -> count[s] > 0 && count[s] < minNodes).toArray();
                if (small.length == 0) {
                    offer(drain(views, nodes, minNodes));
                    return;
                }
                // Either pad the small pools with empty nodes up to the minimum (a pod that only
                // fits that shape leaves no other way), or drop their shapes and dive again.
                List<ColumnGeneration.Column> padded = new ArrayList<>(nodes);
                for (int s : small) {
                    for (int k = count[s]; k < minNodes; k++) {
                        padded.add(new ColumnGeneration.Column(s, new int[demand.length]));
                    }
                }
                // The padded nodes are room: empty other nodes into it where their pods fit.
                offer(drain(views, padded, minNodes));
                sub = Arrays.stream(sub).filter(s -> Arrays.stream(small).noneMatch(x -> x == s)).toArray();
            }
        }
    }

    /** Whether every shape with a node has at least {@code minNodes} of them. */
    private static boolean poolsAtLeast(List<ColumnGeneration.Column> nodes, int minNodes) {
        java.util.Map<Integer, Integer> perShape = new java.util.HashMap<>();
        for (ColumnGeneration.Column c : nodes) {
            perShape.merge(c.shape(), 1, Integer::sum);
        }
        return perShape.values().stream().allMatch(n -> n >= minNodes);
    }

    /**
     * Empties nodes into the free room of the others: the least loaded node first, each of its
     * pods to the first other node that holds it (GPU pods only where the devices take them); a
     * node whose pods all move is dropped, unless its pool would fall below {@code minNodes} — a
     * pool at its minimum goes only as a whole. Repeated until nothing empties. Deterministic:
     * nodes in list order on ties.
     */
    static List<ColumnGeneration.Column> drain(List<RequestTypes> views, List<ColumnGeneration.Column> nodes, int minNodes) {
        // Each shape's view has its own active dimensions (the resources its fitting pods ask for).
        List<int[]> counts = new ArrayList<>();
        List<long[]> used = new ArrayList<>();
        List<Integer> shape = new ArrayList<>();
        for (ColumnGeneration.Column c : nodes) {
            RequestTypes view = views.get(c.shape());
            int[] pods = c.counts().clone();
            long[] u = new long[view.dimensions()];
            for (int t = 0; t < pods.length; t++) {
                for (int k = 0; k < u.length && pods[t] > 0; k++) {
                    u[k] += pods[t] * view.size(t, k);
                }
            }
            counts.add(pods);
            used.add(u);
            shape.add(c.shape());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            int n = counts.size();
            double[] load = new double[n];
            int[] poolSize = new int[views.size()];
            for (int i = 0; i < n; i++) {
                RequestTypes view = views.get(shape.get(i));
                for (int k = 0; k < view.dimensions(); k++) {
                    load[i] = Math.max(load[i], (double) used.get(i)[k] / view.capacity(k));
                }
                poolSize[shape.get(i)]++;
            }
            Integer[] order = java.util.stream.IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> load[i]).thenComparingInt(i -> i)).toArray(Integer[]::new);
            // Single nodes of pools above the minimum, least loaded first; then whole pools at
            // their minimum (a pool may go entirely, never below its minimum).
            List<int[]> sources = new ArrayList<>();
            for (int i : order) {
                if (poolSize[shape.get(i)] > minNodes) {
                    sources.add(new int[] {i});
                }
            }
            for (int p = 0; p < views.size(); p++) {
                if (poolSize[p] > 0 && poolSize[p] <= minNodes) {
                    final int pool = p;
                    sources.add(java.util.stream.IntStream.range(0, n).filter(i -> shape.get(i) == pool).toArray());
                }
            }
            for (int[] src : sources) {
                if (emptyInto(views, counts, used, shape, src)) {
                    for (int i = src.length - 1; i >= 0; i--) { // indices ascend: remove from the back
                        counts.remove(src[i]);
                        used.remove(src[i]);
                        shape.remove(src[i]);
                    }
                    changed = true;
                    break;
                }
            }
        }
        List<ColumnGeneration.Column> out = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            out.add(new ColumnGeneration.Column(shape.get(i), counts.get(i)));
        }
        return out;
    }

    /**
     * Moves every pod of the nodes {@code src} to the first other node that holds it; true when all
     * moved, else every move is undone.
     */
    private static boolean emptyInto(List<RequestTypes> views, List<int[]> counts, List<long[]> used, List<Integer> shape, int[] src) {
        int n = counts.size();
        boolean[] isSource = new boolean[n];
        for (int i : src) {
            isSource[i] = true;
        }
        List<int[]> moves = new ArrayList<>(); // {dst, type}
        for (int from : src) {
            int[] pods = counts.get(from);
            for (int t = 0; t < pods.length; t++) {
                for (int c = 0; c < pods[t]; c++) {
                    int to = -1;
                    for (int dst = 0; dst < n && to < 0; dst++) {
                        if (!isSource[dst] && holdsOneMore(views.get(shape.get(dst)), counts.get(dst), used.get(dst), t)) {
                            to = dst;
                        }
                    }
                    if (to < 0) {
                        for (int[] m : moves) {
                            move(views.get(shape.get(m[0])), counts.get(m[0]), used.get(m[0]), m[1], -1);
                        }
                        return false;
                    }
                    move(views.get(shape.get(to)), counts.get(to), used.get(to), t, +1);
                    moves.add(new int[] {to, t});
                }
            }
        }
        return true;
    }

    private static void move(RequestTypes view, int[] counts, long[] used, int t, int delta) {
        counts[t] += delta;
        for (int k = 0; k < used.length; k++) {
            used[k] += delta * view.size(t, k);
        }
    }

    private static boolean holdsOneMore(RequestTypes view, int[] counts, long[] used, int t) {
        if (!view.fits(t) || view.ruleRoom(t, counts) == 0) {
            return false;
        }
        for (int k = 0; k < used.length; k++) {
            if (used[k] + view.size(t, k) > view.capacity(k)) {
                return false;
            }
        }
        if (view.gpu(t) > 0) {
            counts[t]++;
            boolean ok = view.holdsOnDevices(counts);
            counts[t]--;
            return ok;
        }
        return true;
    }

    private static void checkEveryPodFits(List<PackingProblem> candidates, DemandTable table) {
        java.util.Map<Integer, String> none = fitNone(candidates, table);
        if (!none.isEmpty()) {
            var first = none.entrySet().iterator().next();
            PodGroup group = table.group(first.getKey());
            // Say why, as the single shapes' report does (QA 49c F6: a node selector no shape meets read as a size problem).
            throw new IllegalArgumentException("The pod " + group.podName(0) + " (" + describe(group) + ") fits none of the "
                    + candidates.size() + " candidate shapes (" + nearestOf(candidates.size(), first.getValue()) + "), so no mix can place every pod. Add a shape that "
                    + "holds it (--node, --generic) or widen the catalog filters.");
        }
    }

    /**
     * The groups of {@code table} whose pods fit none of {@code candidates}, in group order, each with
     * the reason of the candidate nearest to holding one ({@code shape: reason}, {@link Nearest}). A group that only a pod
     * rule leaves out on some candidate fits: the rules' placement decides (MixPlanner). The candidates are read in
     * order until every group fits one, so a lazy iterable builds no more problems than that takes
     * (usually the first: {@link io.nodesizer.sweep.PlaceablePart} asks before every mix).
     */
    public static java.util.Map<Integer, String> fitNone(Iterable<PackingProblem> candidates, DemandTable table) {
        boolean[] fits = new boolean[table.groupCount()];
        Nearest[] nearest = new Nearest[table.groupCount()]; // the reason worded only while unfit, and only for a nearer candidate
        int unfit = fits.length;
        for (java.util.Iterator<PackingProblem> it = candidates.iterator(); unfit > 0 && it.hasNext(); ) {
            PackingProblem p = it.next();
            for (int g : p.schedulableGroups()) {
                unfit -= fits[g] ? 0 : 1;
                fits[g] = true;
            }
            for (PackingProblem.Unschedulable u : p.unschedulable()) {
                int g = u.group();
                if (!fits[g] && u.byRule()) { // left to the pod rules' placement (MixPlanner): it fits
                    fits[g] = true;
                    unfit--;
                }
                if (!fits[g]) {
                    Nearest n = Nearest.of(p, g);
                    if (nearest[g] == null || Nearest.ORDER.compare(n, nearest[g]) < 0) {
                        nearest[g] = n.worded(u.reason());
                    }
                }
            }
        }
        java.util.Map<Integer, String> out = new java.util.LinkedHashMap<>();
        for (int g = 0; g < fits.length; g++) {
            if (!fits[g]) {
                out.put(g, nearest[g].why());
            }
        }
        return out;
    }

    /** A reason of {@link #fitNone} as the messages give it: which candidate it is of, when there are several. */
    public static String nearestOf(int candidates, String why) {
        return candidates == 1 ? why : "the nearest to holding it, " + why;
    }

    /**
     * A candidate that holds no pod of a group, by how near it comes: the least of the group's most-overshot resource
     * (request over the node's room for pods), then the most room for CPU and memory, then the name. The exit-2 message and
     * the verdict that leaves such pods out both name this one (QA 61b F6: the verdict named the cheapest, m5.2xlarge's
     * 7.91 CPU for a 500-CPU pod, where the exit named m5.24xlarge's 95.69).
     */
    private record Nearest(double overshoot, long cpu, long memory, String shape, String why) {
        static final Comparator<Nearest> ORDER = Comparator.comparingDouble(Nearest::overshoot)
                .thenComparing(Comparator.comparingLong(Nearest::cpu).reversed())
                .thenComparing(Comparator.comparingLong(Nearest::memory).reversed())
                .thenComparing(Nearest::shape);

        static Nearest of(PackingProblem p, int g) {
            long[] room = p.podCapacity();
            double overshoot = 0;
            for (int r = 0; r < room.length; r++) {
                long need = p.table().demand(g, r);
                overshoot = need == 0 ? overshoot : Math.max(overshoot, room[r] == 0 ? Double.POSITIVE_INFINITY : (double) need / room[r]);
            }
            return new Nearest(overshoot, room[Resource.CPU.ordinal()], room[Resource.MEMORY.ordinal()], p.shape().name(), null);
        }

        Nearest worded(String reason) {
            return new Nearest(overshoot, cpu, memory, shape, shape + ": " + reason);
        }
    }

    private static String describe(PodGroup g) {
        StringBuilder sb = new StringBuilder();
        for (Resource r : new Resource[] {Resource.CPU, Resource.MEMORY, Resource.GPU}) {
            long v = g.request().get(r);
            if (v > 0 || r != Resource.GPU) {
                sb.append(sb.isEmpty() ? "" : ", ").append(io.nodesizer.engine.Amounts.format(r, v)).append(' ')
                        .append(io.nodesizer.engine.Amounts.unit(r));
            }
        }
        return sb.toString();
    }

    private static int[] indices(boolean[] flags) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i]).toArray();
    }

    /**
     * A subset of the candidates as column generation sees it: the shapes renumbered 0..k-1, and
     * the pool's columns on those shapes in that numbering.
     */
    private record Restricted(List<ColumnGeneration.Shape> shapes, List<ColumnGeneration.Column> pool) {
        static Restricted of(List<ColumnGeneration.Shape> all, int[] subset, List<ColumnGeneration.Column> pool) {
            List<ColumnGeneration.Shape> shapes = new ArrayList<>();
            int[] local = new int[all.size()];
            Arrays.fill(local, -1);
            for (int i = 0; i < subset.length; i++) {
                shapes.add(all.get(subset[i]));
                local[subset[i]] = i;
            }
            List<ColumnGeneration.Column> localPool = new ArrayList<>();
            for (ColumnGeneration.Column c : pool) {
                if (local[c.shape()] >= 0) {
                    localPool.add(new ColumnGeneration.Column(local[c.shape()], c.counts()));
                }
            }
            return new Restricted(shapes, localPool);
        }
    }

    /** Column generation over the shapes {@code subset} (candidate indices); pool columns of other shapes are skipped. */
    private static ColumnGeneration.Outcome solveOn(List<ColumnGeneration.Shape> all, int[] subset, long[] demand, int minNodes,
                                                    List<ColumnGeneration.Column> pool, ColumnGeneration.Limits limits) {
        return solveOn(all, subset, demand, minimum(subset, minNodes), pool, limits);
    }

    /** As above with a minimum per shape of the subset (null: none). */
    static ColumnGeneration.Outcome solveOn(List<ColumnGeneration.Shape> all, int[] subset, long[] demand, long[] minNodes,
                                            List<ColumnGeneration.Column> pool, ColumnGeneration.Limits limits) {
        Restricted r = Restricted.of(all, subset, pool);
        List<ColumnGeneration.Column> localPool = r.pool();
        int before = localPool.size();
        ColumnGeneration.Outcome o = ColumnGeneration.solve(r.shapes(), demand, minNodes, localPool, limits, false);
        for (int i = before; i < localPool.size(); i++) {
            ColumnGeneration.Column c = localPool.get(i);
            pool.add(new ColumnGeneration.Column(subset[c.shape()], c.counts()));
        }
        List<ColumnGeneration.Column> cols = new ArrayList<>();
        for (ColumnGeneration.Column c : o.columns()) {
            cols.add(new ColumnGeneration.Column(subset[c.shape()], c.counts()));
        }
        return new ColumnGeneration.Outcome(o.lpValue(), o.bound(), o.converged(), cols, o.x(), o.rounds(), o.pivots(), o.duals());
    }

    /**
     * Every shape of a subset at least {@code minNodes} times, as rows of its LP (null for a
     * minimum of 1: a shape the dive leaves unused just drops out of the subset).
     */
    static long[] minimum(int[] subset, int minNodes) {
        if (minNodes <= 1) {
            return null;
        }
        long[] m = new long[subset.length];
        Arrays.fill(m, minNodes);
        return m;
    }

    private static List<ColumnGeneration.Column> diveOn(List<ColumnGeneration.Shape> all, int[] subset, long[] demand, int minNodes,
                                                        List<ColumnGeneration.Column> pool, PatternPacking.Limits limits,
                                                        ColumnGeneration.Effort effort, double incumbentCost) {
        return diveOn(all, subset, demand, minimum(subset, minNodes), minNodes, pool, limits, effort, incumbentCost);
    }

    /** As above with a minimum per shape of the subset ({@code min}, null: none); pools of fewer than {@code minNodes} may result. */
    private static List<ColumnGeneration.Column> diveOn(List<ColumnGeneration.Shape> all, int[] subset, long[] demand, long[] min,
                                                        int minNodes, List<ColumnGeneration.Column> pool, PatternPacking.Limits limits,
                                                        ColumnGeneration.Effort effort, double incumbentCost) {
        Restricted r = Restricted.of(all, subset, pool);
        List<ColumnGeneration.Shape> shapes = r.shapes();
        List<ColumnGeneration.Column> localPool = r.pool();
        ColumnGeneration.Outcome root = ColumnGeneration.solve(shapes, demand, min, localPool, limits.step(effort), false);
        Diving diving = new Diving(shapes, localPool, limits.step(effort), limits.maxDiveSteps(), false);
        List<ColumnGeneration.Column> nodes = null;
        double cost = incumbentCost;
        for (Diving.Rule rule : Diving.Rule.values()) {
            if (rule != Diving.Rule.ALL_FLOORS && lpNodes(root) > Math.min(limits.maxDiveSteps(), limits.largestRuleMaxNodes())) {
                break; // one step per node: too many nodes for the careful rules within the limits
            }
            List<ColumnGeneration.Column> dived = diving.dive(root, demand, min, rule, cost);
            if (dived != null) {
                double c = 0;
                for (ColumnGeneration.Column col : dived) {
                    c += shapes.get(col.shape()).cost();
                }
                if (c < cost) {
                    nodes = dived;
                    cost = c;
                }
            }
        }
        if (nodes == null) {
            return null;
        }
        nodes = polish(shapes, nodes, minNodes);
        List<ColumnGeneration.Column> out = new ArrayList<>();
        for (ColumnGeneration.Column c : nodes) {
            out.add(new ColumnGeneration.Column(subset[c.shape()], c.counts()));
        }
        return out;
    }

    /**
     * Cheap improvements a dive leaves on the table: merge two nodes whose pods fit one node of a
     * shape that costs less than the two, and move every node to the cheapest shape of the set
     * that holds its pods. A change counts at what the pools then cost once each is brought up to
     * {@code minNodes} (so a move that would leave a pool below its minimum must pay for the empty
     * node that refills it). Repeated until nothing changes; pairs are tried in node order, so the
     * outcome is deterministic.
     */
    static List<ColumnGeneration.Column> polish(List<ColumnGeneration.Shape> shapes, List<ColumnGeneration.Column> dived, int minNodes) {
        int[] perShape = new int[shapes.size()];
        for (ColumnGeneration.Column c : dived) {
            perShape[c.shape()]++;
        }
        List<ColumnGeneration.Column> nodes = new ArrayList<>();
        for (ColumnGeneration.Column c : dived) {
            int to = cheapestHolding(shapes, c.counts(), c.shape());
            if (to != c.shape() && delta(shapes, perShape, minNodes, new int[] {c.shape(), to}, new int[] {-1, 1}) < -1e-12) {
                perShape[c.shape()]--;
                perShape[to]++;
                nodes.add(new ColumnGeneration.Column(to, c.counts()));
            } else {
                nodes.add(c);
            }
        }
        boolean changed = true;
        while (changed && nodes.size() <= 2_000) {
            changed = false;
            for (int i = 0; i < nodes.size() && !changed; i++) {
                for (int j = i + 1; j < nodes.size() && !changed; j++) {
                    int[] merged = nodes.get(i).counts().clone();
                    int[] b = nodes.get(j).counts();
                    for (int t = 0; t < merged.length; t++) {
                        merged[t] += b[t];
                    }
                    int s = cheapestHolding(shapes, merged, -1);
                    int[] changedShapes = {nodes.get(i).shape(), nodes.get(j).shape(), s};
                    if (s >= 0 && delta(shapes, perShape, minNodes, changedShapes, new int[] {-1, -1, 1}) < -1e-12) {
                        perShape[changedShapes[0]]--;
                        perShape[changedShapes[1]]--;
                        perShape[s]++;
                        nodes.set(i, new ColumnGeneration.Column(s, merged));
                        nodes.remove(j);
                        changed = true;
                    }
                }
            }
        }
        return nodes;
    }

    /**
     * The change in what the pools cost, each brought up to {@code minNodes}, when pool
     * {@code shapesChanged[i]} gains {@code by[i]} nodes (shapes may repeat).
     */
    private static double delta(List<ColumnGeneration.Shape> shapes, int[] perShape, int minNodes, int[] shapesChanged, int[] by) {
        double before = 0;
        double after = 0;
        for (int i = 0; i < shapesChanged.length; i++) {
            int s = shapesChanged[i];
            boolean first = true;
            for (int j = 0; j < i; j++) {
                first &= shapesChanged[j] != s;
            }
            if (first) {
                int now = perShape[s];
                int next = now;
                for (int j = i; j < shapesChanged.length; j++) {
                    next += shapesChanged[j] == s ? by[j] : 0;
                }
                before += padded(now, minNodes) * shapes.get(s).cost();
                after += padded(next, minNodes) * shapes.get(s).cost();
            }
        }
        return after - before;
    }

    /** Nodes a pool of {@code nodes} runs once brought up to its minimum (0 stays 0). */
    private static int padded(int nodes, int minNodes) {
        return nodes == 0 ? 0 : Math.max(nodes, minNodes);
    }

    /** The cheapest shape holding all of {@code counts} (ties: lowest index), else {@code fallback}. */
    private static int cheapestHolding(List<ColumnGeneration.Shape> shapes, int[] counts, int fallback) {
        int best = fallback;
        for (int s = 0; s < shapes.size(); s++) {
            if ((best < 0 || shapes.get(s).cost() < shapes.get(best).cost()) && holds(shapes.get(s).types(), counts)) {
                best = s;
            }
        }
        return best;
    }

    private static boolean holds(RequestTypes types, int[] counts) {
        for (int k = 0; k < types.dimensions(); k++) {
            long sum = 0;
            for (int t = 0; t < counts.length; t++) {
                if (counts[t] > 0) {
                    if (!types.fits(t)) {
                        return false;
                    }
                    sum += counts[t] * types.size(t, k);
                }
            }
            if (sum > types.capacity(k)) {
                return false;
            }
        }
        return types.admitsRules(counts) && types.holdsOnDevices(counts);
    }

    private static double lpNodes(ColumnGeneration.Outcome lp) {
        double n = 0;
        for (double x : lp.x()) {
            n += x;
        }
        return n;
    }

    /** Whether some candidate has a hostname spread whose cap per node the scheduler's rule may exceed. */
    private static boolean spreadCapsBind(List<PackingProblem> candidates) {
        io.nodesizer.engine.HostnameSpreads spreads = io.nodesizer.engine.HostnameSpreads.of(candidates.get(0).table());
        return spreads != null && candidates.stream().anyMatch(spreads::capsBind);
    }

    /** The Farley bound over all candidates, the shapes worth adding, and each candidate's pattern value bound κ under the duals. */
    private record FullPass(double bound, List<Integer> entrants, double[] kappa) {
    }

    /** Prices every candidate with the LP's duals: the Farley bound over all candidates, and shapes worth adding. */
    private static FullPass fullPass(List<ColumnGeneration.Shape> all, int[] working, ColumnGeneration.Outcome lp, long[] demand) {
        double[] value = lp.duals();
        double duality = 0;
        for (int t = 0; t < demand.length; t++) {
            duality += value[t] * demand[t];
        }
        double rho = 1.0; // below 1 would only come from numerical noise and is not trusted
        double[] kappa = new double[all.size()];
        List<Integer> entrants = new ArrayList<>();
        boolean[] inWorking = new boolean[all.size()];
        for (int s : working) {
            inWorking[s] = true;
        }
        for (int s = 0; s < all.size(); s++) {
            ColumnGeneration.Shape shape = all.get(s);
            PatternPricer.Result r = shape.pricer().price(value, demand, shape.cost() * (1 + 1e-6), 1);
            kappa[s] = r.upperBound();
            rho = Math.max(rho, r.upperBound() / shape.cost());
            // A shape joins when it has an improving pattern, or when its search was cut short and
            // might have one: inside the working set column generation keeps pricing it.
            if (!inWorking[s] && (r.best() > shape.cost() * (1 + 1e-6) || (!r.exact() && r.upperBound() > shape.cost() * (1 + 1e-6)))) {
                entrants.add(s);
            }
        }
        return new FullPass(duality / rho, entrants, kappa);
    }

    /**
     * {@code subset} with shapes added, while it has room under k, until every type with demand
     * fits one of them: each time the shape that fits the most uncovered types (the LP's most used
     * first on ties, then any candidate). Null when k shapes cannot cover every type this way.
     */
    private static int[] complete(List<RequestTypes> views, int[] subset, Integer[] byUse, long[] demand, int k) {
        int[] out = subset.clone();
        while (!coversAll(views, out, demand)) {
            if (out.length >= k) {
                return null;
            }
            List<Integer> order = new ArrayList<>(Arrays.asList(byUse));
            for (int s = 0; s < views.size(); s++) {
                if (!order.contains(s)) {
                    order.add(s);
                }
            }
            int best = -1;
            int bestCount = 0;
            for (int s : order) {
                if (Arrays.stream(out).anyMatch(x -> x == s)) {
                    continue;
                }
                int count = 0;
                for (int t = 0; t < demand.length; t++) {
                    if (demand[t] > 0 && views.get(s).fits(t)) {
                        boolean covered = false;
                        for (int x : out) {
                            covered |= views.get(x).fits(t);
                        }
                        count += covered ? 0 : 1;
                    }
                }
                if (count > bestCount) {
                    best = s;
                    bestCount = count;
                }
            }
            if (best < 0) {
                return null;
            }
            out = Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = best;
        }
        return Arrays.stream(out).sorted().toArray();
    }

    private static boolean coversAll(List<RequestTypes> views, int[] subset, long[] demand) {
        for (int t = 0; t < demand.length; t++) {
            if (demand[t] == 0) {
                continue;
            }
            boolean any = false;
            for (int s : subset) {
                any |= views.get(s).fits(t);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * The subsets of at most {@code k} of the first {@link #SUBSET_POOL} of {@code byUse}, each
     * completed ({@link #complete}) where it leaves some pods without a shape: the LP uses the only
     * shapes that hold 120-CPU pods, say, too little to be among its most used.
     */
    private static List<int[]> subsetsWithin(List<RequestTypes> views, Integer[] byUse, long[] demand, int k) {
        List<int[]> raw = new ArrayList<>();
        subsetsOf(byUse, Math.min(SUBSET_POOL, byUse.length), k, 0, new int[0], raw);
        List<int[]> out = new ArrayList<>();
        for (int[] sub : raw) {
            int[] full = complete(views, sub, byUse, demand, k);
            if (full != null) {
                out.add(full);
            }
        }
        return out;
    }

    private static void subsetsOf(Integer[] shapes, int m, int k, int from, int[] prefix, List<int[]> out) {
        if (prefix.length > 0) {
            out.add(Arrays.stream(prefix).sorted().toArray());
        }
        if (prefix.length == k) {
            return;
        }
        for (int i = from; i < m; i++) {
            int[] next = Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = shapes[i];
            subsetsOf(shapes, m, k, i + 1, next, out);
        }
    }

    private static Result toResult(List<PackingProblem> candidates, List<RequestTypes> views, List<ColumnGeneration.Column> nodes,
                                   double[] prices, double lowerBound, double lpValue, int priced, int types, int columns) {
        // Pools in candidate order, nodes of a pool together.
        List<ColumnGeneration.Column> ordered = new ArrayList<>(nodes);
        ordered.sort(Comparator.comparingInt(ColumnGeneration.Column::shape));
        int[] nodeShape = new int[ordered.size()];
        List<int[]> counts = new ArrayList<>();
        double cost = 0;
        for (int i = 0; i < ordered.size(); i++) {
            nodeShape[i] = ordered.get(i).shape();
            counts.add(ordered.get(i).counts());
            cost += prices[nodeShape[i]];
        }
        int[] assignment = PatternPacking.assign(candidates.get(0), views.get(0), counts);
        return new Result(nodeShape, assignment, cost, lowerBound, lpValue, priced, types, columns);
    }
}
