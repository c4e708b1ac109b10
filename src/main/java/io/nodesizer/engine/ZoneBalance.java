package io.nodesizer.engine;

/**
 * Zones for the nodes of a packing made without them (the optimizer's, whose nodes have no zone),
 * such that every hard topology spread over the zones holds: for each spread group, the pods per
 * zone differ by at most its maxSkew (the fewest taken as 0 when minDomains is above the zones),
 * as {@link PackingVerifier} checks them.
 *
 * <p>Each node carries its pods of the spread groups as a block, so this is a balanced partition
 * of the nodes: the nodes with the most spread pods first, each to the zone where its groups are
 * least loaded relative to their skew (the largest-first rule that balances multiway partitions),
 * then moves and swaps of nodes between zones while they lower the total excess skew. Nodes
 * without spread pods then even out the node counts. A result exists for every final state the
 * scheduler could reach one pod at a time: counts within the skew are reached by always placing
 * into a zone with the fewest.
 */
public final class ZoneBalance {
    private ZoneBalance() {
    }

    /** Moves and swaps the repair evaluates at most: it stops well before on packings it can balance. */
    private static final long REPAIR_BUDGET = 1_000_000;

    /**
     * @param problem    the problem over the zones (its table's {@code zoneSkew} and {@code zoneFloor})
     * @param nodes      the packing's nodes
     * @param assignment node per pod of the problem's table (-1: not placed)
     * @return per node its zone and the assignment, or null when no balance was found
     */
    public static Balanced assign(PackingProblem problem, int nodes, int[] assignment) {
        DemandTable table = problem.table();
        int[] skew = table.zoneSkew();
        int zones = table.zones();
        if (skew == null || zones < 2) {
            return null;
        }
        State state = new State(table, nodes, assignment);
        int[] zoneOf = state.solve();
        if (state.total == 0) {
            return new Balanced(zoneOf, assignment.clone());
        }
        return new PodMoves(problem, state, assignment).run();
    }

    /** Per node its zone, and the assignment (pods of the spread groups may have moved between nodes). */
    public record Balanced(int[] nodeZones, int[] assignment) {
    }

    /** The spread groups' pods per node (sparse), per zone, and each group's excess over its skew. */
    private static final class State {
        private final int zones;
        private final int k;
        private final int[] allowed;
        private final boolean[] floor;
        /** Per node, its spread groups (indices into the spread list) and how many of their pods it runs. */
        private final int[][] groupsOf;
        private final int[][] podsOf;
        /** Per spread group, the nodes that run its pods. */
        private final int[][] nodesOf;
        private final int[] count;
        private final int[] excess;
        private final int[] zoneOf;
        private final int[] nodesIn;
        /** The spread groups (table indices), and per table group its index among them (-1: none). */
        private final int[] spread;
        private final int[] indexOf;
        private int total;

        State(DemandTable table, int nodes, int[] assignment) {
            int[] skew = table.zoneSkew();
            zones = table.zones();
            spread = java.util.stream.IntStream.range(0, table.groupCount()).filter(g -> skew[g] > 0).toArray();
            k = spread.length;
            indexOf = new int[table.groupCount()];
            java.util.Arrays.fill(indexOf, -1);
            for (int s = 0; s < k; s++) {
                indexOf[spread[s]] = s;
            }
            allowed = new int[k];
            floor = new boolean[k];
            java.util.Map<Long, Integer> pods = new java.util.HashMap<>(); // node * k + s -> pods
            for (int s = 0; s < k; s++) {
                int g = spread[s];
                allowed[s] = skew[g];
                floor[s] = table.zoneFloor() != null && table.zoneFloor()[g];
                for (int i = 0; i < table.replicas(g); i++) {
                    int node = assignment[table.firstPod(g) + i];
                    if (node >= 0) {
                        pods.merge((long) node * k + s, 1, Integer::sum);
                    }
                }
            }
            int[] perNode = new int[nodes];
            int[] perGroup = new int[k];
            for (long key : pods.keySet()) {
                perNode[(int) (key / k)]++;
                perGroup[(int) (key % k)]++;
            }
            groupsOf = new int[nodes][];
            podsOf = new int[nodes][];
            for (int n = 0; n < nodes; n++) {
                groupsOf[n] = new int[perNode[n]];
                podsOf[n] = new int[perNode[n]];
            }
            nodesOf = new int[k][];
            for (int s = 0; s < k; s++) {
                nodesOf[s] = new int[perGroup[s]];
            }
            int[] fillNode = new int[nodes];
            int[] fillGroup = new int[k];
            long[] keys = pods.keySet().stream().mapToLong(Long::longValue).sorted().toArray(); // deterministic order
            for (long key : keys) {
                int n = (int) (key / k);
                int s = (int) (key % k);
                groupsOf[n][fillNode[n]] = s;
                podsOf[n][fillNode[n]++] = pods.get(key);
                nodesOf[s][fillGroup[s]++] = n;
            }
            count = new int[zones * k];
            excess = new int[k];
            zoneOf = new int[nodes];
            nodesIn = new int[zones];
        }

        int[] solve() {
            int nodes = zoneOf.length;
            long[] weight = new long[nodes];
            for (int n = 0; n < nodes; n++) {
                for (int c : podsOf[n]) {
                    weight[n] += c;
                }
            }
            Integer[] order = new Integer[nodes];
            for (int n = 0; n < nodes; n++) {
                order[n] = n;
            }
            java.util.Arrays.sort(order, (a, b) -> weight[a] != weight[b] ? Long.compare(weight[b], weight[a]) : Integer.compare(a, b));
            for (int n : order) {
                int best = 0;
                double bestScore = Double.MAX_VALUE;
                for (int z = 0; z < zones; z++) {
                    double score = 0;
                    for (int j = 0; j < groupsOf[n].length; j++) {
                        int s = groupsOf[n][j];
                        score += (double) (count[z * k + s] + podsOf[n][j]) / allowed[s];
                    }
                    // Equal scores (nodes without spread pods): the zone with the fewest nodes, then the first.
                    if (score < bestScore - 1e-12 || Math.abs(score - bestScore) <= 1e-12 && nodesIn[z] < nodesIn[best]) {
                        best = z;
                        bestScore = score;
                    }
                }
                zoneOf[n] = best;
                nodesIn[best]++;
                for (int j = 0; j < groupsOf[n].length; j++) {
                    count[best * k + groupsOf[n][j]] += podsOf[n][j];
                }
            }
            for (int s = 0; s < k; s++) {
                excess[s] = excessOf(s);
                total += excess[s];
            }
            long budget = REPAIR_BUDGET;
            while (total > 0 && budget > 0) {
                long before = budget;
                budget = repair(budget);
                if (budget == before) {
                    break; // no move nor swap lowers the excess
                }
            }
            return zoneOf;
        }

        /** How far group s's pods per zone exceed its skew (the fewest taken as 0 under minDomains above the zones). */
        private int excessOf(int s) {
            int most = 0;
            int fewest = Integer.MAX_VALUE;
            for (int z = 0; z < zones; z++) {
                most = Math.max(most, count[z * k + s]);
                fewest = Math.min(fewest, count[z * k + s]);
            }
            return Math.max(0, most - (floor[s] ? 0 : fewest) - allowed[s]);
        }

        /**
         * One improving step for the first group above its skew: a node of its fullest zone moved to
         * another zone, or swapped with a node of another zone, whichever first lowers the total
         * excess. Returns the budget left; unchanged when no step improves.
         */
        private long repair(long budget) {
            for (int s = 0; s < k; s++) {
                if (excess[s] == 0) {
                    continue;
                }
                int full = 0;
                for (int z = 1; z < zones; z++) {
                    full = count[z * k + s] > count[full * k + s] ? z : full;
                }
                for (int a : nodesOf[s]) {
                    if (zoneOf[a] != full) {
                        continue;
                    }
                    for (int to = 0; to < zones; to++) {
                        if (to != full && --budget >= 0 && tryMove(a, to)) {
                            return budget - 1;
                        }
                    }
                    for (int b = 0; b < zoneOf.length && budget > 0; b++) {
                        if (zoneOf[b] != full && --budget >= 0 && trySwap(a, b)) {
                            return budget - 1;
                        }
                    }
                }
            }
            return budget;
        }

        /** Moves node a to zone {@code to} when that lowers the total excess; else leaves it. */
        private boolean tryMove(int a, int to) {
            int from = zoneOf[a];
            shift(a, from, to);
            int after = totalAfter(a, -1);
            if (after < total) {
                commit(a, -1, after);
                zoneOf[a] = to;
                nodesIn[from]--;
                nodesIn[to]++;
                return true;
            }
            shift(a, to, from);
            return false;
        }

        /** Swaps the zones of nodes a and b when that lowers the total excess; else leaves them. */
        private boolean trySwap(int a, int b) {
            int za = zoneOf[a];
            int zb = zoneOf[b];
            shift(a, za, zb);
            shift(b, zb, za);
            int after = totalAfter(a, b);
            if (after < total) {
                commit(a, b, after);
                zoneOf[a] = zb;
                zoneOf[b] = za;
                return true;
            }
            shift(b, za, zb);
            shift(a, zb, za);
            return false;
        }

        /** The total excess with the counts as they stand, recomputing only the groups of nodes a and b. */
        private int totalAfter(int a, int b) {
            int t = total;
            for (int s : groupsOf[a]) {
                t += excessOf(s) - excess[s];
            }
            if (b >= 0) {
                for (int s : groupsOf[b]) {
                    if (!runs(a, s)) {
                        t += excessOf(s) - excess[s];
                    }
                }
            }
            return t;
        }

        private void commit(int a, int b, int after) {
            for (int s : groupsOf[a]) {
                excess[s] = excessOf(s);
            }
            if (b >= 0) {
                for (int s : groupsOf[b]) {
                    excess[s] = excessOf(s);
                }
            }
            total = after;
        }

        private boolean runs(int node, int s) {
            for (int t : groupsOf[node]) {
                if (t == s) {
                    return true;
                }
            }
            return false;
        }

        private void shift(int node, int from, int to) {
            for (int j = 0; j < groupsOf[node].length; j++) {
                count[from * k + groupsOf[node][j]] -= podsOf[node][j];
                count[to * k + groupsOf[node][j]] += podsOf[node][j];
            }
        }
    }

    /** Pod moves and swaps the repair evaluates at most. */
    private static final long POD_BUDGET = 2_000_000;

    /**
     * When no zones for the nodes as packed keep every spread: pods of a spread group above its
     * skew move from a node of its fullest zone to a node of its emptiest zone with room, or swap
     * there with a pod of another group whose own spread (if any) the swap does not push above its
     * skew — each move within the nodes' room (every resource, pod slots included) and the hostname
     * rules (anti-affinity between groups, each group's cap per node), as the engine keeps them.
     * The zones stay as assigned; GPU pods never move (the optimizer stands aside with GPU devices).
     */
    private static final class PodMoves {
        private final DemandTable table;
        private final State state;
        private final NodePods pods;
        /** Per zone, its nodes. */
        private final int[][] nodesInZone;
        private long budget = POD_BUDGET;

        PodMoves(PackingProblem problem, State state, int[] assignment) {
            this.table = problem.table();
            this.state = state;
            long[] capacity = problem.podCapacity();
            int nodes = state.zoneOf.length;
            this.pods = new NodePods(table, nodes, assignment, n -> capacity);
            int[] per = new int[state.zones];
            for (int z : state.zoneOf) {
                per[z]++;
            }
            nodesInZone = new int[state.zones][];
            for (int z = 0; z < state.zones; z++) {
                nodesInZone[z] = new int[per[z]];
            }
            int[] fill = new int[state.zones];
            for (int n = 0; n < nodes; n++) {
                nodesInZone[state.zoneOf[n]][fill[state.zoneOf[n]]++] = n;
            }
        }

        /** The nodes' zones and the assignment with the spreads kept, or null when no move is left or the budget ran out first. */
        Balanced run() {
            int gpu = io.nodesizer.model.Resource.GPU.ordinal();
            while (state.total > 0 && budget > 0) {
                boolean moved = false;
                for (int s = 0; s < state.k && !moved; s++) {
                    if (state.excess[s] == 0 || table.demand(state.spread[s], gpu) > 0) {
                        continue;
                    }
                    moved = step(s);
                }
                if (!moved) {
                    return null;
                }
            }
            return state.total == 0 ? balanced() : null;
        }

        /** One move or swap of a pod of spread group s out of its fullest zone; false when none is found. */
        private boolean step(int s) {
            int g = state.spread[s];
            int k = state.k;
            int full = 0;
            int empty = 0;
            for (int z = 1; z < state.zones; z++) {
                full = state.count[z * k + s] > state.count[full * k + s] ? z : full;
                empty = state.count[z * k + s] < state.count[empty * k + s] ? z : empty;
            }
            if (state.count[full * k + s] - state.count[empty * k + s] < 2) {
                return false; // moving one pod cannot lower the skew (a minDomains floor above the zones: not by moves)
            }
            for (int a : nodesInZone[full]) {
                if (pods.on(a).getOrDefault(g, 0) == 0) {
                    continue;
                }
                for (int b : nodesInZone[empty]) {
                    if (--budget < 0) {
                        return false;
                    }
                    if (pods.fits(b, g, -1) && pods.admits(b, g, -1)) {
                        move(g, a, b);
                        return true;
                    }
                }
                for (int b : nodesInZone[empty]) {
                    for (int h : pods.on(b).keySet().stream().sorted().toList()) {
                        if (--budget < 0) {
                            return false;
                        }
                        if (h != g && table.demand(h, io.nodesizer.model.Resource.GPU.ordinal()) == 0 && swapKeepsSpread(h, empty, full)
                                && pods.fits(b, g, h) && pods.fits(a, h, g) && pods.admits(b, g, h) && pods.admits(a, h, g)) {
                            move(g, a, b);
                            move(h, b, a);
                            return true;
                        }
                    }
                }
            }
            // An ejection chain: a pod of another group leaves a node of the emptiest zone for room
            // anywhere else, and the spread pod takes its place.
            for (int a : nodesInZone[full]) {
                if (pods.on(a).getOrDefault(g, 0) == 0) {
                    continue;
                }
                for (int b : nodesInZone[empty]) {
                    for (int h : pods.on(b).keySet().stream().sorted().toList()) {
                        if (h == g || table.demand(h, io.nodesizer.model.Resource.GPU.ordinal()) > 0 || !pods.fits(b, g, h) || !pods.admits(b, g, h)) {
                            continue;
                        }
                        for (int c = 0; c < pods.nodes(); c++) {
                            if (--budget < 0) {
                                return false;
                            }
                            if (c != a && c != b && swapKeepsSpread(h, empty, state.zoneOf[c]) && pods.fits(c, h, -1) && pods.admits(c, h, -1)) {
                                move(h, b, c);
                                move(g, a, b);
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }

        /** Whether moving one pod of h from zone {@code from} to zone {@code to} leaves h's spread (if any) no further above its skew. */
        private boolean swapKeepsSpread(int h, int from, int to) {
            int t = state.indexOf[h];
            if (t < 0) {
                return true;
            }
            int k = state.k;
            state.count[from * k + t]--;
            state.count[to * k + t]++;
            boolean ok = state.excessOf(t) <= state.excess[t];
            state.count[to * k + t]--;
            state.count[from * k + t]++;
            return ok;
        }

        /** One pod of g moved, and g's counts per zone (when it spreads) with it. */
        private void move(int g, int from, int to) {
            pods.move(g, from, to);
            int s = state.indexOf[g];
            if (s >= 0) {
                int k = state.k;
                state.count[state.zoneOf[from] * k + s]--;
                state.count[state.zoneOf[to] * k + s]++;
                int before = state.excess[s];
                state.excess[s] = state.excessOf(s);
                state.total += state.excess[s] - before;
            }
        }

        /**
         * The pods of each group on the nodes their counts say (a group's replicas are alike); nodes
         * that moves emptied are dropped, the others numbered in order with their zones.
         */
        private Balanced balanced() {
            int nodes = pods.nodes();
            int[] renumber = new int[nodes];
            int kept = 0;
            for (int n = 0; n < nodes; n++) {
                renumber[n] = pods.on(n).isEmpty() ? -1 : kept++;
            }
            int[] zones = new int[kept];
            int[] out = new int[table.podCount()];
            java.util.Arrays.fill(out, -1);
            int[] next = new int[table.groupCount()];
            for (int n = 0; n < nodes; n++) {
                if (renumber[n] < 0) {
                    continue;
                }
                zones[renumber[n]] = state.zoneOf[n];
                for (var e : new java.util.TreeMap<>(pods.on(n)).entrySet()) {
                    int g = e.getKey();
                    for (int i = 0; i < e.getValue(); i++) {
                        out[table.firstPod(g) + next[g]++] = renumber[n];
                    }
                }
            }
            return new Balanced(zones, out);
        }
    }
}
