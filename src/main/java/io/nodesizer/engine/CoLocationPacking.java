package io.nodesizer.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Required pod affinity on the hostname (co-location, {@link CoLocation}) in the packing onto
 * fresh nodes. A strategy packs every other group first; then this class places the groups the
 * rule ties together — the constrained groups and the groups whose pods they need beside them —
 * on the same ledger, so that each constrained pod lands only beside a target pod, as
 * kube-scheduler's InterPodAffinity filter allows:
 * <ol>
 * <li>Each pod of a target group goes to the first open node where it fits together with its
 * share of the pods waiting for it (those pods over the target's pods still to place; at most
 * what a fresh node holds beside it), else to a new node, and the waiting pods then fill that
 * node. Target pods thus land in the gaps the rest left where their dependents fit there too, and
 * on nodes of their own where the dependents need the room.</li>
 * <li>Constrained pods still waiting go, first fit, to any node that runs one of their targets.
 * A group that matches its own terms and finds no target anywhere starts a series as upstream
 * lets it (its first pod anywhere, the rest beside it). This repeats while pods get placed (a
 * constrained group can be another's target).</li>
 * <li>What is left stays unplaced with the reason: the scheduler keeps such a pod Pending, and the
 * cluster autoscaler adds no node for it, since a new node would run no target pod.</li>
 * </ol>
 * Greedy, like the strategies: the count of pods left out is a packing's, not a proven minimum.
 */
final class CoLocationPacking {
    private static final int D = DemandTable.D;

    private final PackingProblem problem;
    private final DemandTable table;
    private final CoLocation co;
    private final NodeLedger ledger;
    private final int[] assignment;
    private final long[] demand;
    private final int[] dims;
    private final int[] placed;
    /** Per target group, the nodes that run one of its pods. */
    private final BitSet[] nodesWith;
    /** Per target group, the constrained groups its pods admit beside them, largest first. */
    private final int[][] dependents;

    private CoLocationPacking(PackingProblem problem, BitSet withheld, NodeLedger ledger, int[] assignment) {
        this.problem = problem;
        this.table = problem.table();
        this.co = table.coLocation();
        this.ledger = ledger;
        this.assignment = assignment;
        this.demand = problem.flatDemand();
        this.dims = problem.activeDims();
        int n = table.groupCount();
        this.placed = new int[n];
        this.nodesWith = new BitSet[n];
        List<List<Integer>> deps = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            deps.add(null);
        }
        for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
            if (co.isTarget(g)) {
                nodesWith[g] = new BitSet();
            }
            if (!co.constrains(g)) {
                continue;
            }
            for (int h : co.targets(g)) {
                if (withheld.get(h)) {
                    if (deps.get(h) == null) {
                        deps.set(h, new ArrayList<>());
                    }
                    deps.get(h).add(g);
                }
            }
        }
        this.dependents = new int[n][];
        for (int h = 0; h < n; h++) {
            if (deps.get(h) != null) {
                dependents[h] = largestFirst(deps.get(h).stream().mapToInt(Integer::intValue));
            }
        }
    }

    /**
     * The schedulable groups a strategy must leave to {@link #place}: those with co-location terms
     * and the schedulable groups whose pods satisfy them; null when there are none.
     */
    static BitSet withheld(PackingProblem problem) {
        CoLocation co = problem.table().coLocation();
        if (!co.any()) {
            return null;
        }
        BitSet schedulable = new BitSet();
        for (int g : problem.schedulableGroups()) {
            schedulable.set(g);
        }
        BitSet withheld = new BitSet();
        for (int g : problem.schedulableGroups()) {
            if (co.constrains(g)) {
                withheld.set(g);
                for (int h : co.targets(g)) {
                    if (schedulable.get(h)) {
                        withheld.set(h);
                    }
                }
            }
        }
        return withheld.isEmpty() ? null : withheld;
    }

    /** The constrained schedulable groups: all the others are always placed. */
    static BitSet constrained(PackingProblem problem) {
        BitSet out = new BitSet();
        for (int g : problem.schedulableGroups()) {
            if (problem.table().coLocation().constrains(g)) {
                out.set(g);
            }
        }
        return out;
    }

    /**
     * Places the pods of the {@code withheld} groups on {@code ledger} (which holds the strategy's
     * packing of the rest) and writes their nodes into {@code assignment}; returns the pods left
     * unplaced by the rule, one entry per group (its last replicas).
     */
    static List<PackingProblem.Unschedulable> place(PackingProblem problem, BitSet withheld, NodeLedger ledger, int[] assignment) {
        return new CoLocationPacking(problem, withheld, ledger, assignment).run(withheld);
    }

    private List<PackingProblem.Unschedulable> run(BitSet withheld) {
        for (int h : largestFirst(withheld.stream().filter(g -> !co.constrains(g)))) {
            while (waiting(h) > 0) {
                placeTargetPod(h);
            }
        }
        int[] constrained = largestFirst(withheld.stream().filter(co::constrains));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int g : constrained) {
                if (waiting(g) == 0) {
                    continue;
                }
                if (anyTargetPlaced(g)) {
                    progress |= placeBesideTargets(g);
                } else if (co.selfMatch(g)) {
                    placeTargetPod(g); // the first of a series: anywhere, and the rest of it beside
                    progress = true;
                }
            }
        }
        List<PackingProblem.Unschedulable> left = new ArrayList<>();
        for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
            if (waiting(g) > 0) {
                left.add(PackingProblem.Unschedulable.byRule(problem, g, placed[g], reason(g)));
            }
        }
        return left;
    }

    private int waiting(int g) {
        return table.replicas(g) - placed[g];
    }

    private boolean anyTargetPlaced(int g) {
        for (int h : co.targets(g)) {
            if (placed[h] > 0) {
                return true;
            }
        }
        return false;
    }

    /** One pod of target group h where the pods waiting for it have the most room, then those pods beside it. */
    private void placeTargetPod(int h) {
        int node = -1;
        int wanted = dependents[h] == null ? 0 : Math.min(roomBeside(h, null), share(h));
        if (wanted == 0) {
            // Nothing waits for it: first fit, and the rest of the group in bulk as first fit would.
            for (int n = 0; n < ledger.nodeCount() && node < 0; n++) {
                if (ledger.fits(n, demand, h * D, h, dims)) {
                    node = n;
                }
            }
        } else {
            for (int n = 0; n < ledger.nodeCount() && node < 0; n++) {
                if (ledger.fits(n, demand, h * D, h, dims) && roomBeside(h, n) >= wanted) {
                    node = n;
                }
            }
        }
        if (node < 0) {
            node = ledger.openFor(h);
        }
        int k = wanted == 0 ? ledger.fitCount(node, demand, h * D, h, dims, waiting(h)) : 1;
        take(node, h, Math.max(1, k));
        fillBeside(node, h);
    }

    /**
     * The pods waiting for h that this pod of h should find room for: an even share over h's pods
     * still to place (all of them for the first of a series, which the rest must join).
     */
    private int share(int h) {
        long waiting = 0;
        for (int g : dependents[h]) {
            waiting += waiting(g) - (g == h ? 1 : 0);
        }
        long over = co.constrains(h) ? 1 : waiting(h);
        return (int) ((waiting + over - 1) / over);
    }

    /**
     * How many of the pods waiting for h would fit beside one more pod of h, largest first, on
     * {@code node} (null: a fresh node); resources and per-node caps only, which is enough to
     * choose a node (the ledger checks every placement).
     */
    private int roomBeside(int h, Integer node) {
        long[] free = new long[D];
        for (int r : dims) {
            free[r] = (node == null ? ledger.capacity(r) : ledger.free(node, r)) - demand[h * D + r];
        }
        int room = 0;
        for (int g : dependents[h]) {
            long k = waiting(g) - (g == h ? 1 : 0);
            for (int r : dims) {
                long d = demand[g * D + r];
                if (d > 0) {
                    k = Math.min(k, Math.max(0, free[r]) / d);
                }
            }
            int cap = ownCap(g);
            if (cap < Integer.MAX_VALUE) {
                k = Math.min(k, Math.max(0, cap - (g == h ? 1 : 0)));
            }
            for (int r : dims) {
                free[r] -= k * demand[g * D + r];
            }
            room += (int) k;
        }
        return room;
    }

    /** How many of its own pods one node may hold (required anti-affinity, hostname spread), else unlimited. */
    private int ownCap(int g) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null || conflicts[g] == null || java.util.Arrays.binarySearch(conflicts[g], g) < 0) {
            return Integer.MAX_VALUE;
        }
        return table.caps()[g];
    }

    /** The pods waiting for target group h that fit on {@code node} beside it, largest first (and theirs, for chains). */
    private void fillBeside(int node, int h) {
        if (dependents[h] == null) {
            return;
        }
        for (int g : dependents[h]) {
            int want = waiting(g);
            if (want == 0) {
                continue;
            }
            int k = ledger.fitCount(node, demand, g * D, g, dims, want);
            if (k > 0) {
                take(node, g, k);
                if (g != h) {
                    fillBeside(node, g);
                }
            }
        }
    }

    /** First fit over the nodes that run one of g's targets; whether a pod was placed. */
    private boolean placeBesideTargets(int g) {
        BitSet nodes = new BitSet();
        for (int h : co.targets(g)) {
            if (nodesWith[h] != null) {
                nodes.or(nodesWith[h]);
            }
        }
        boolean any = false;
        for (int n = nodes.nextSetBit(0); n >= 0 && waiting(g) > 0; n = nodes.nextSetBit(n + 1)) {
            int k = ledger.fitCount(n, demand, g * D, g, dims, waiting(g));
            if (k > 0) {
                take(n, g, k);
                fillBeside(n, g);
                any = true;
            }
        }
        return any;
    }

    private void take(int node, int g, int k) {
        ledger.take(node, demand, g * D, g, dims, k);
        int pod = table.firstPod(g) + placed[g];
        for (int i = 0; i < k; i++) {
            assignment[pod + i] = node;
        }
        placed[g] += k;
        if (nodesWith[g] != null) {
            nodesWith[g].set(node);
        }
    }

    /** Groups by their largest share of a node's pod capacity, largest first, then by index. */
    private int[] largestFirst(IntStream groups) {
        long[] cap = problem.podCapacity();
        double[] share = new double[table.groupCount()];
        int[] out = groups.toArray();
        for (int g : out) {
            for (int r : dims) {
                if (cap[r] > 0) {
                    share[g] = Math.max(share[g], (double) demand[g * D + r] / cap[r]);
                }
            }
        }
        return IntStream.of(out).boxed()
                .sorted(Comparator.comparingDouble((Integer g) -> -share[g]).thenComparingInt(g -> g))
                .mapToInt(Integer::intValue).toArray();
    }

    private String reason(int g) {
        StringBuilder names = new StringBuilder();
        int shown = 0;
        for (int h : co.targets(g)) {
            if (shown == 3) {
                names.append(", …");
                break;
            }
            names.append(shown++ == 0 ? "" : ", ").append(table.group(h).name());
        }
        String base = "required pod affinity (co-location): ";
        if (anyTargetPlaced(g)) {
            return base + "every node that runs a pod its terms select (" + names + ") is full for it; kube-scheduler keeps it "
                    + "Pending, and the cluster autoscaler adds no node for it, since a new node would run no such pod";
        }
        return base + (names.isEmpty() ? "no pod of the workload matches its terms" : "no pod its terms select (" + names + ") fits this shape")
                + (co.selfMatch(g) ? "" : " and it does not match them itself") + ", so kube-scheduler keeps it Pending";
    }
}
