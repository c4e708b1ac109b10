package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * The pattern method for one node shape: column generation gives the LP bound, then "diving"
 * turns the LP into a packing. Each dive step fixes every pattern the LP uses at least once
 * (⌊x_p⌋ nodes of it), or, when every value is fractional, one node of the largest; the demand
 * those nodes cover is removed and column generation runs again on what is left, reusing every
 * pattern seen so far. This is the residual-rounding scheme of cutting-stock practice (e.g.
 * Wäscher & Gau, "Heuristics for the integer one-dimensional cutting stock problem", OR Spektrum
 * 18, 1996): it generates new patterns for the residual instead of rounding a fixed pattern set.
 *
 * <p>Effort is bounded by counts (rounds, pricing nodes, pivots, dive steps), never time, so the
 * same input always gives the same packing.
 */
public final class PatternPacking {


    private PatternPacking() {
    }

    /**
     * Effort limits.
     *
     * @param maxDiveSteps   dive steps before the rest of the demand is packed first-fit
     * @param rootRounds     column generation rounds for the bound
     * @param stepRounds     rounds per dive step
     * @param pricingNodes   branch-and-bound nodes per pricing call
     * @param maxTypes       above this many distinct request vectors the method is not run
     */
    public record Limits(int maxDiveSteps, int rootRounds, int stepRounds, int columnsPerRound, long pricingNodes,
                         long pivotsPerRound, int maxTypes, int largestRuleMaxNodes, long simplexWork) {
        /**
         * Measured on BPPLIB and openb (README): the careful dive rule only up to 120 nodes, and
         * 1.5·10⁹ units of simplex work (pivots × rows², a few seconds) per run.
         */
        public static Limits defaults() {
            return new Limits(400, 2_000, 200, 12, 200_000, 200_000, 2_000, 120, 1_500_000_000L);
        }

        /** Root and dive-step limits sharing one effort budget. */
        ColumnGeneration.Limits root(ColumnGeneration.Effort effort) {
            return new ColumnGeneration.Limits(rootRounds, columnsPerRound, pricingNodes, pivotsPerRound, effort);
        }

        ColumnGeneration.Limits step(ColumnGeneration.Effort effort) {
            return new ColumnGeneration.Limits(stepRounds, columnsPerRound, pricingNodes, pivotsPerRound, effort);
        }

        ColumnGeneration.Effort effort() {
            return new ColumnGeneration.Effort(simplexWork, 1);
        }
    }

    /**
     * The outcome: the LP bound and, when diving finished, a packing.
     *
     * @param lpValue     the master LP value at the root (an upper bound on the LP optimum)
     * @param lpBound     a valid lower bound on nodes, ⌈Farley bound⌉ (0 when not computed)
     * @param converged   the root column generation proved the LP optimum (bound = ⌈LP⌉)
     * @param nodes       nodes of the packing, or -1 when none was built
     * @param assignment  node per global pod (−1 for pods outside the schedulable groups); null without packing
     * @param types       distinct request vectors
     * @param columns     patterns generated
     */
    public record Outcome(double lpValue, int lpBound, boolean converged, int nodes, int[] assignment, int types,
                          int columns, int rootRounds, int diveSteps, long pivots) {
    }

    /** Runs only the root column generation: the LP bound. */
    public static Outcome bound(PackingProblem problem, Limits limits) {
        return run(RequestTypes.of(problem), problem, limits, Integer.MAX_VALUE, null, 0, false);
    }

    /**
     * The LP bound with no cap per node for hostname spreads that the scheduler lets exceed
     * maxSkew on a node ({@link RequestTypes#withoutSpreadCaps}): a bound on the packings that
     * keep its rule, which the capped patterns do not give.
     */
    public static Outcome boundWithoutSpreadCaps(PackingProblem problem, Limits limits) {
        return run(RequestTypes.withoutSpreadCaps(problem), problem, limits, Integer.MAX_VALUE, null, 0, false);
    }

    /**
     * Bound and packing. Diving stops early once it cannot beat {@code incumbentNodes} (a packing
     * the caller already has): then {@code nodes} is -1. No dive starts once a packing meets
     * {@code knownBound} (a lower bound the caller already has, such as L2) or the LP bound.
     */
    public static Outcome pack(PackingProblem problem, Limits limits, int incumbentNodes, int knownBound) {
        return run(RequestTypes.of(problem), problem, limits, incumbentNodes, null, knownBound, true);
    }

    /**
     * As {@link #pack(PackingProblem, Limits, int, int)}, with the caller's packing itself (node per
     * global pod, -1 for pods left out): its node patterns start the master LP, so column
     * generation begins at that packing's node count instead of far above it.
     */
    public static Outcome pack(PackingProblem problem, Limits limits, int incumbentNodes, int[] incumbentAssignment, int knownBound) {
        return run(RequestTypes.of(problem), problem, limits, incumbentNodes, incumbentAssignment, knownBound, true);
    }

    /**
     * The device-bin start ({@link DeviceBins}) for nodes of two or more GPU devices whose pods share devices: the shares
     * packed one device at a time by the pattern method (its own effort budget, counts as every run), the device-bins
     * then grouped k to a node beside the other pods. Null when the shape has fewer than two devices, no pod shares one,
     * the workload has more types than the method takes, or no packing was built. The outcome's {@code lpValue} is the
     * device-bins' LP; its {@code lpBound} a bound on nodes (0 with pod rules): in any packing the shares on one device
     * are a device-bin (a subset of a node's pods fits the node), and whole GPUs take devices of their own, so the
     * devices in use are at least the device-bins' LP bound plus the whole GPUs, k to a node.
     */
    public static DeviceBinsOutcome packDeviceBins(PackingProblem problem, Limits limits) {
        RequestTypes types = RequestTypes.of(problem);
        int n = types.count();
        RequestTypes bins = n > limits.maxTypes() ? null : types.deviceBins();
        if (bins == null) {
            return null;
        }
        Patterns found = patterns(bins, limits, limits.effort(), Integer.MAX_VALUE, null, 0, true);
        DeviceBins.Grouped grouped = found.nodes() == null ? null : DeviceBins.group(types, found.nodes());
        if (grouped == null) {
            return null;
        }
        List<int[]> nodes = grouped.nodes();
        int nodeBound = 0;
        if (!types.hasRules() && found.lpBound() > 0) {
            // Rules aside: a hostname spread's cap may be exceeded as the scheduler allows, which the bins' patterns do not.
            long devices = found.lpBound() + DeviceBins.wholeDevices(types);
            nodeBound = (int) ((devices + types.devices() - 1) / types.devices());
        }
        long[] devices = new long[problem.table().podCount()];
        int[] assignment = DeviceBins.assign(problem, types, found.nodes(), grouped, devices);
        return new DeviceBinsOutcome(new Outcome(found.lpValue(), nodeBound, found.converged(), nodes.size(), assignment, n,
                found.columns(), found.rootRounds(), found.diveSteps(), found.pivots()), devices);
    }

    /**
     * What the devices and the other resources need, before {@link #packDeviceBins} runs: {@code devices} devices at most
     * hold every GPU pod (a first-fit decreasing packing of the shares into device-bins, plus the whole GPUs), so
     * {@code deviceNodes} = ⌈devices ÷ k⌉ is at least the bound {@link #packDeviceBins} can prove; {@code otherNodes} is
     * the most any other resource alone needs (its volume ÷ a node's, the {@code other} resource). Null when the start does
     * not apply (fewer than two devices, no share, too many types) or the first-fit packing left shares out.
     */
    public static DeviceNeed deviceNeed(PackingProblem problem, Limits limits) {
        RequestTypes types = RequestTypes.of(problem);
        RequestTypes bins = types.count() > limits.maxTypes() ? null : types.deviceBins();
        return bins == null ? null : DeviceBins.need(types, bins);
    }

    /**
     * {@link #deviceNeed}'s answer.
     *
     * @param devicesPerNode the shape's GPU devices
     * @param other          the resource ({@link io.nodesizer.model.Resource} ordinal) whose volume needs {@code otherNodes}
     */
    public record DeviceNeed(long devices, int devicesPerNode, int deviceNodes, int otherNodes, int other) {
    }

    /** {@link #packDeviceBins}'s outcome and each pod's GPU devices in its packing (a mask per pod, 0 without GPUs). */
    public record DeviceBinsOutcome(Outcome outcome, long[] devices) {
    }

    /**
     * Packs a workload whose hostname spreads the capped patterns hold back ({@link
     * io.nodesizer.engine.HostnameSpreads}): kube-scheduler keeps {@code most − fewest ≤ maxSkew}
     * over the nodes, so on N nodes that all hold at least f pods of a spread workload each may
     * hold up to f + maxSkew, where the patterns of {@link #pack} keep at most maxSkew (the fewest
     * taken as 0). 40 pods with maxSkew 2 beside 3-CPU pods on 4-CPU nodes: every node one pod,
     * the big pods' nodes no more, the others three: 16 nodes where at most two per node took 22
     * (QA 52b F1).
     *
     * <p>For a node count N, each spread workload whose pods do not fit N nodes at maxSkew each
     * gets the least floor f that does (⌈(pods − maxSkew·N) ÷ N⌉); every node holds f of them up
     * front and the pattern method packs the rest on the room left ({@link
     * RequestTypes#withFloors}), each node up to maxSkew more. That packing's K nodes become
     * max(N, K): nodes beyond K hold the floors alone, and when K > N the pods above the floors
     * on the last nodes make room for the floors of the K − N more. Fewer floored pods leave more
     * to pack, so K falls as N grows: N is searched by halving between {@code knownBound} and the
     * incumbent, at most {@link #FLOOR_TRIES} packings on {@link #FLOOR_RUNS} runs' effort. Only workloads whose spread counts their
     * own pods over every node, that request no GPUs and repel no pod, are floored; without a
     * shared spread in the table. Null when nothing is floored or no packing beats
     * {@code incumbentNodes}; else the outcome of the best packing (its LP fields are the
     * residual's, not a bound on the whole).
     */
    public static Outcome packFloored(PackingProblem problem, Limits limits, int incumbentNodes, int knownBound) {
        io.nodesizer.engine.HostnameSpreads spreads = io.nodesizer.engine.HostnameSpreads.of(problem);
        if (spreads == null || problem.table().sharedSpreads() != null) {
            return null;
        }
        RequestTypes types = RequestTypes.of(problem);
        int n = types.count();
        if (!types.hasRules() || n > limits.maxTypes()) {
            return null;
        }
        int[] capOf = new int[n]; // maxSkew of each floorable type, 0 for the others
        boolean any = false;
        for (int t = 0; t < n; t++) {
            int g = types.groups(t)[0];
            if (types.groups(t).length == 1 && spreads.floorable(g) && types.gpu(t) == 0 && !repelsAny(types, t)) {
                capOf[t] = types.alone(t) == 0 ? 0 : problem.table().caps()[g];
                any |= capOf[t] > 0;
            }
        }
        if (!any) {
            return null;
        }
        int lo = Math.max(1, knownBound);
        int hi = incumbentNodes - 1;
        // Counts, not time: every try draws on one budget of FLOOR_RUNS runs, a try after it is spent
        // finishing first-fit, so the stage costs what FLOOR_RUNS pattern runs may cost at most.
        ColumnGeneration.Effort effort = new ColumnGeneration.Effort(limits.simplexWork() * FLOOR_RUNS, FLOOR_RUNS);
        Outcome best = null;
        int bestNodes = incumbentNodes;
        for (int tries = 0; lo <= hi && tries < FLOOR_TRIES; tries++) {
            int nodes = (lo + hi) >>> 1;
            int[] floor = new int[n];
            boolean floored = false;
            for (int t = 0; t < n; t++) {
                long above = types.pods(t) - (long) capOf[t] * nodes;
                if (capOf[t] > 0 && above > 0 && nodes >= spreads.minDomains(types.groups(t)[0])) {
                    floor[t] = (int) ((above + nodes - 1) / nodes);
                    floored = true;
                }
            }
            RequestTypes rest = floored ? types.withFloors(floor, nodes) : null;
            Patterns found = rest == null ? null : patterns(rest, limits, effort, bestNodes, null, 0, true);
            List<int[]> counts = found == null || found.nodes() == null ? null : withFloors(types, found.nodes(), floor, nodes);
            if (counts != null && counts.size() < bestNodes) {
                bestNodes = counts.size();
                best = new Outcome(found.lpValue(), found.lpBound(), found.converged(), bestNodes, assign(problem, types, counts), n,
                        found.columns(), found.rootRounds(), found.diveSteps(), found.pivots());
            }
            // No floor needed on N nodes: the capped packing (the incumbent) was already above N, fewer nodes then.
            // Else the rest took more than N nodes (or no packing beat the best): more nodes, more pods in the floors.
            if (!floored || found != null && found.nodes() != null && found.nodes().size() <= nodes) {
                hi = nodes - 1;
            } else {
                lo = nodes + 1;
            }
        }
        return best;
    }

    /** Packings {@link #packFloored} tries at most: each is a whole pattern method run. */
    static final int FLOOR_TRIES = 8;

    /** The pattern runs' worth of effort (simplex work, pricing) all of {@link #packFloored}'s tries share. */
    static final int FLOOR_RUNS = 2;

    /** Whether type t repels some other type or another type repels it. */
    private static boolean repelsAny(RequestTypes types, int t) {
        if (types.repels(t).length > 0) {
            return true;
        }
        for (int u = 0; u < types.count(); u++) {
            for (int v : types.repels(u)) {
                if (v == t) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The floors added to the rest's nodes, as many nodes as {@code nodes} at least (the others
     * the floors alone); with more, the pods above a floor on the last nodes go to the added
     * nodes' floors. Null when a type has too few pods above its floors for that.
     */
    static List<int[]> withFloors(RequestTypes types, List<int[]> rest, int[] floor, int nodes) {
        int total = Math.max(nodes, rest.size());
        List<int[]> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            int[] c = i < rest.size() ? rest.get(i).clone() : new int[floor.length];
            for (int t = 0; t < floor.length; t++) {
                c[t] += floor[t];
            }
            out.add(c);
        }
        for (int t = 0; t < floor.length; t++) {
            long excess = (long) floor[t] * (total - nodes);
            for (int i = total - 1; i >= 0 && excess > 0; i--) {
                int take = (int) Math.min(excess, out.get(i)[t] - floor[t]);
                out.get(i)[t] -= take;
                excess -= take;
            }
            if (excess > 0) {
                return null;
            }
        }
        return out;
    }

    private static Outcome run(RequestTypes types, PackingProblem problem, Limits limits, int incumbentNodes, int[] incumbentAssignment,
                               int knownBound, boolean dive) {
        int n = types.count();
        if (n == 0) {
            return new Outcome(0, 0, true, 0, emptyAssignment(problem), 0, 0, 0, 0, 0);
        }
        if (n > limits.maxTypes()) {
            return new Outcome(Double.NaN, 0, false, -1, null, n, 0, 0, 0, 0);
        }
        Patterns found = patterns(types, limits, limits.effort(), incumbentNodes, incumbentAssignment, knownBound, dive);
        if (found.nodes() == null) {
            return new Outcome(found.lpValue(), found.lpBound(), found.converged(), -1, null, n, found.columns(),
                    found.rootRounds(), found.diveSteps(), found.pivots());
        }
        return new Outcome(found.lpValue(), found.lpBound(), found.converged(), found.nodes().size(),
                assign(problem, types, found.nodes()), n, found.columns(), found.rootRounds(), found.diveSteps(), found.pivots());
    }

    /** The root LP and, when diving found one with fewer nodes than the incumbent, the packing's pods per type on each node. */
    private record Patterns(double lpValue, int lpBound, boolean converged, List<int[]> nodes, int columns, int rootRounds,
                            int diveSteps, long pivots) {
    }

    private static Patterns patterns(RequestTypes types, Limits limits, ColumnGeneration.Effort effort, int incumbentNodes,
                                     int[] incumbentAssignment, int knownBound, boolean dive) {
        int n = types.count();
        List<ColumnGeneration.Shape> shapes = List.of(new ColumnGeneration.Shape(types,
                new PatternPricer(types, limits.pricingNodes()), 1.0));
        long[] demand = new long[n];
        for (int t = 0; t < n; t++) {
            demand[t] = types.pods(t);
        }
        List<ColumnGeneration.Column> pool = new ArrayList<>();
        List<int[]> seeds = incumbentAssignment != null ? SeedPatterns.of(types, incumbentAssignment, incumbentNodes)
                : SeedPatterns.firstFitDecreasing(types, demand);
        for (int[] pattern : seeds) {
            pool.add(new ColumnGeneration.Column(0, pattern));
        }
        ColumnGeneration.Outcome root = ColumnGeneration.solve(shapes, demand, pool, limits.root(effort), true);
        // At least the LP's volume: reported only, so the column generation and the dives run as they did (their
        // stopping on this bound sent a dive elsewhere: ShapeOptimizerTest's 120 zone-spread services).
        int lpBound = Math.max(root.integerBound(), (int) Math.ceil(volume(types, demand) - ColumnGeneration.CEIL_TOLERANCE));
        int target = Math.max(lpBound, knownBound);
        Diving diving = new Diving(shapes, pool, limits.step(effort), limits.maxDiveSteps(), true);
        List<ColumnGeneration.Column> best = null;
        int incumbent = incumbentNodes;
        for (Diving.Rule rule : new Diving.Rule[] {Diving.Rule.ALL_FLOORS, Diving.Rule.LARGEST}) { // one shape: COSTLIEST is LARGEST
            if (!dive || target >= incumbent) {
                break;
            }
            if (rule == Diving.Rule.LARGEST && target > Math.min(limits.maxDiveSteps(), limits.largestRuleMaxNodes())) {
                break; // one dive step per node: too many nodes for this rule within the limits
            }
            List<ColumnGeneration.Column> nodes = diving.dive(root, demand, rule, incumbent);
            if (nodes != null && nodes.size() < incumbent) {
                best = nodes;
                incumbent = nodes.size();
            }
        }
        long pivots = root.pivots() + diving.pivots;
        List<int[]> counts = best == null ? null : best.stream().map(ColumnGeneration.Column::counts).toList();
        return new Patterns(root.lpValue(), lpBound, root.converged(), counts, pool.size() + n, root.rounds(), diving.steps, pivots);
    }

    /**
     * The volume bound of the LP over one shape: every pattern holds at most the node's capacity of each resource k, so
     * for any cover x, Σ_p x_p ≥ Σ_p x_p Σ_t a_tp size_tk ÷ cap_k ≥ Σ_t demand_t size_tk ÷ cap_k.
     * The LP thus never reports a bound below L1, even when its pricing is cut short (where Farley's bound alone can fall
     * well below: Scholl's HARD instances, 50–52 against L1 55–56, before the exact table pricing of {@link KnapsackDp}).
     */
    static double volume(RequestTypes types, long[] demand) {
        double most = 0;
        for (int k = 0; k < types.dimensions(); k++) {
            if (types.capacity(k) <= 0) {
                continue; // no pod that asks for it fits: none is open
            }
            double sum = 0;
            for (int t = 0; t < demand.length; t++) {
                sum += (double) demand[t] * types.size(t, k);
            }
            most = Math.max(most, sum / types.capacity(k));
        }
        return most * (1 - 1e-12); // a hair below: a double sum may round up
    }

    /** Turns per-node pod counts by type into a pod → node assignment, pods of a type in input order. */
    static int[] assign(PackingProblem problem, RequestTypes types, List<int[]> nodes) {
        DemandTable table = problem.table();
        int[] assignment = emptyAssignment(problem);
        int n = types.count();
        int[] groupCursor = new int[n];
        int[] podCursor = new int[n];
        for (int node = 0; node < nodes.size(); node++) {
            int[] counts = nodes.get(node);
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < counts[t]; c++) {
                    placeNext(table, types, t, groupCursor, podCursor, assignment, node);
                }
            }
        }
        return assignment;
    }

    /**
     * Places the next pod of type {@code t} on {@code node}, the type's pods taken group by group in table order
     * ({@code groupCursor}, {@code podCursor}: where each type is); returns the pod.
     */
    static int placeNext(DemandTable table, RequestTypes types, int t, int[] groupCursor, int[] podCursor, int[] assignment, int node) {
        int[] gs = types.groups(t);
        while (podCursor[t] >= table.replicas(gs[groupCursor[t]])) {
            groupCursor[t]++;
            podCursor[t] = 0;
        }
        int pod = table.firstPod(gs[groupCursor[t]]) + podCursor[t]++;
        assignment[pod] = node;
        return pod;
    }

    static int[] emptyAssignment(PackingProblem problem) {
        int[] a = new int[problem.table().podCount()];
        java.util.Arrays.fill(a, -1);
        return a;
    }
}
