package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A workload's own hard topology spread on the hostname, as kube-scheduler keeps it on a cluster
 * whose nodes are all there: a pod goes on a node only while {@code (its pods there + 1) − (the
 * fewest on any node of the domain) ≤ maxSkew} (PodTopologySpread's filter, filtering.go). The
 * fewest never falls as pods are added, so every final state of a placement holds
 * {@code most − fewest ≤ maxSkew} over the nodes, and every state that holds it is reachable pod
 * by pod (always place on a node with the fewest that still needs one). Ten replicas with maxSkew
 * 1 thus run 4/3/3 on three nodes, not one per node.
 *
 * <p>{@link DemandTable#caps()} keeps at most maxSkew per node (the fewest taken as 0): right on
 * a cluster that grows by adding nodes, conservative on one that holds the workload. This class
 * says which groups the packing may spread evenly instead, checks a packing by the scheduler's
 * rule, and places those groups evenly over a given number of nodes before the rest fills them
 * ({@link PackingEngine}).
 *
 * <p>The domain is every node of the packing: they are all of one shape, so they carry the same
 * labels and taints but their hostname and zone. Checking over all nodes is sound for a group
 * whose node affinity admits only some zones too (its domain is then a subset of the nodes, whose
 * fewest is no lower).
 */
public final class HostnameSpreads {
    /** Per group, the maxSkew of its own hostname spread when that (not anti-affinity with itself) is its cap; 0 otherwise. */
    private final int[] skew;
    /** Per group, the largest minDomains of its own hostname spreads: below that many nodes the fewest counts as 0. */
    private final int[] minDomains;

    private HostnameSpreads(int[] skew, int[] minDomains) {
        this.skew = skew;
        this.minDomains = minDomains;
    }

    /** The table's own hostname spreads that the scheduler's rule decides (not a cap of 1 for anti-affinity); null when none. */
    public static HostnameSpreads of(DemandTable table) {
        int[][] conflicts = table.conflicts();
        int[] caps = table.caps();
        if (conflicts == null) {
            return null;
        }
        int n = table.groupCount();
        int[] skew = new int[n];
        int[] minDomains = new int[n];
        boolean any = false;
        for (int g = 0; g < n; g++) {
            if (conflicts[g] == null || Arrays.binarySearch(conflicts[g], g) < 0 || caps[g] == 0) {
                continue;
            }
            PodGroup group = table.group(g);
            if (antiAffinityWithItself(group)) {
                continue; // one per node whatever the others hold
            }
            int most = 0;
            for (Placement.Spread sp : group.placement().spread()) {
                if (sp.hard() && PodConflicts.HOSTNAME.equals(sp.term().topologyKey())
                        && PodConflicts.matches(sp.term(), group.placement().namespace(), group.placement())) {
                    most = Math.max(most, sp.minDomains());
                }
            }
            if (most > 0) {
                skew[g] = caps[g]; // the smallest maxSkew of its own hostname spreads (PodConflicts.caps)
                minDomains[g] = most;
                any = true;
            }
        }
        return any ? new HostnameSpreads(skew, minDomains) : null;
    }

    static boolean antiAffinityWithItself(PodGroup g) {
        for (Placement.PodAffinityTerm t : g.placement().antiAffinity()) {
            if (PodConflicts.HOSTNAME.equals(t.topologyKey()) && PodConflicts.matches(t, g.placement().namespace(), g.placement())) {
                return true;
            }
        }
        return false;
    }

    /** Whether group g's cap per node is its own hostname spread's maxSkew, which the scheduler's rule may exceed. */
    public boolean decides(int g) {
        return skew[g] > 0;
    }

    /**
     * The first group whose pods on {@code nodes} nodes break the scheduler's rule, as a sentence;
     * null when none does. A group within its cap on every node keeps it whatever the others hold;
     * one above it needs at least minDomains nodes and no node more than maxSkew above the fewest
     * (a node without its pods counts 0).
     */
    public String violation(DemandTable table, int[] assignment, int nodes) {
        return violation(table, assignment, nodes, null);
    }

    /**
     * As above, the fewest taken over the nodes {@code counted} marks (null: every node): a sized
     * mix's spare nodes, empty headroom that a rollout would spread the pods onto, are left out.
     */
    public String violation(DemandTable table, int[] assignment, int nodes, boolean[] counted) {
        int domains = nodes;
        if (counted != null) {
            domains = 0;
            for (int node = 0; node < nodes; node++) {
                domains += counted[node] ? 1 : 0;
            }
        }
        int[] count = new int[Math.max(1, nodes)];
        int[] touched = new int[0];
        for (int g = 0; g < skew.length; g++) {
            if (skew[g] == 0 || table.replicas(g) <= skew[g]) {
                continue;
            }
            if (touched.length < table.replicas(g)) {
                touched = new int[table.replicas(g)];
            }
            int t = 0;
            int most = 0;
            int first = table.firstPod(g);
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[first + i];
                if (node >= 0 && node < nodes) {
                    if (count[node]++ == 0) {
                        touched[t++] = node;
                    }
                    most = Math.max(most, count[node]);
                }
            }
            int fewest = Integer.MAX_VALUE;
            for (int i = 0; i < t; i++) {
                fewest = Math.min(fewest, count[touched[i]]);
            }
            for (int i = 0; i < t; i++) {
                count[touched[i]] = 0;
            }
            if (t < domains) {
                fewest = 0;
            }
            if (most <= skew[g]) {
                continue;
            }
            String name = table.group(g).name();
            if (domains < minDomains[g]) {
                return "a node holds " + most + " pods of " + name + ", more than its hostname spread's maxSkew " + skew[g]
                        + " (fewer nodes than its minDomains " + minDomains[g] + ", so the fewest counts as 0)";
            }
            if (most - fewest > skew[g]) {
                return "a node holds " + most + " pods of " + name + " and another " + fewest + ", more apart than its hostname spread's maxSkew "
                        + skew[g];
            }
        }
        return null;
    }

    /**
     * Whether some group decided here holds more than its cap (maxSkew) on a node of {@code
     * assignment}: a packing that only the scheduler's rule over all its nodes admits, which parts
     * that keep the cap per node (the optimizer, mixed pools) must not take as their start.
     */
    public boolean aboveCaps(DemandTable table, int[] assignment) {
        java.util.Map<Integer, Integer> onNode = new java.util.HashMap<>();
        for (int g = 0; g < skew.length; g++) {
            if (skew[g] == 0 || table.replicas(g) <= skew[g]) {
                continue;
            }
            onNode.clear();
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0 && onNode.merge(node, 1, Integer::sum) > skew[g]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some schedulable group of {@code problem} decided here has more replicas than its cap: a bound that keeps the cap per node does not hold. */
    public boolean capsBind(PackingProblem problem) {
        for (int g : problem.schedulableGroups()) {
            if (skew[g] > 0 && problem.table().replicas(g) > skew[g]) {
                return true;
            }
        }
        return false;
    }

    /** The nodes any packing that keeps at most maxSkew per node needs: ⌈replicas ÷ maxSkew⌉ of the largest schedulable group decided here. */
    public int cappedNodes(PackingProblem problem) {
        int most = 0;
        for (int g : problem.schedulableGroups()) {
            if (skew[g] > 0) {
                most = Math.max(most, (problem.table().replicas(g) + skew[g] - 1) / skew[g]);
            }
        }
        return most;
    }

    /**
     * The schedulable groups the packing may spread evenly over its nodes: decided here, more
     * replicas than maxSkew (else the cap never binds; with fewer replicas than nodes an even
     * spread still lets a node hold more than maxSkew while every node runs one), none of {@code
     * ruled} (the pod rules place those after the rest) and none that a spread shared with other
     * workloads counts; null when none.
     */
    BitSet spreadable(PackingProblem problem, BitSet ruled) {
        DemandTable table = problem.table();
        SharedSpreads shared = table.sharedSpreads();
        BitSet out = new BitSet();
        for (int g : problem.schedulableGroups()) {
            if (skew[g] > 0 && table.replicas(g) > skew[g] && (ruled == null || !ruled.get(g))
                    && (shared == null || !shared.touches(g))) {
                out.set(g);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The largest minDomains of {@code groups}: fewer nodes leave their fewest at 0. */
    int minDomains(BitSet groups) {
        int most = 1;
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            most = Math.max(most, minDomains[g]);
        }
        return most;
    }

    /**
     * The caps the ledger keeps while {@code groups} are spread evenly: theirs lifted (their pods
     * are placed here, by count), the others' as the table has them.
     */
    static int[] liftedCaps(DemandTable table, BitSet groups) {
        int[] caps = table.caps().clone();
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            caps[g] = Integer.MAX_VALUE / 2;
        }
        return caps;
    }

    /**
     * Opens {@code nodes} nodes on an empty ledger and places every pod of {@code groups} on them
     * evenly, one pod per node in turn (so the zones, which the ledger opens nodes over in turn,
     * fill evenly too): each node gets ⌊pods / nodes⌋, and the rest go one per node to those with
     * room, up to maxSkew above that. The largest pods go first. Every take is the ledger's own fit
     * check (room, GPU devices, anti-affinity with the others, zone spreads). False when some pod
     * finds no room: more nodes are needed.
     */
    boolean placeEvenly(PackingProblem problem, BitSet groups, int nodes, NodeLedger ledger, int[] assignment) {
        DemandTable table = problem.table();
        for (int i = 0; i < nodes; i++) {
            ledger.open();
        }
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        long[] cap = problem.podCapacity();
        int[] order = groups.stream().boxed()
                .sorted((a, b) -> {
                    int c = Double.compare(share(table, b, cap, dims), share(table, a, cap, dims));
                    return c != 0 ? c : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
        int rotate = 0;
        for (int g : order) {
            int pods = table.replicas(g);
            int base = pods / nodes;
            int first = table.firstPod(g);
            int placed = 0;
            int offset = g * DemandTable.D;
            for (int level = 0; level < base; level++) {
                for (int node = 0; node < nodes; node++) {
                    if (ledger.fitCount(node, demand, offset, g, dims, 1) < 1) {
                        return false;
                    }
                    ledger.take(node, demand, offset, g, dims, 1);
                    assignment[first + placed++] = node;
                }
            }
            // The rest, one per node from where the last group's left off (so several groups' extras
            // do not all land on the first nodes), up to maxSkew above the even share.
            int[] onNode = new int[nodes];
            for (int round = 0; round < skew[g] && placed < pods; round++) {
                boolean any = false;
                int from = rotate;
                for (int k = 0; k < nodes && placed < pods; k++) {
                    int node = (from + k) % nodes;
                    if (onNode[node] == round && ledger.fitCount(node, demand, offset, g, dims, 1) >= 1) {
                        ledger.take(node, demand, offset, g, dims, 1);
                        assignment[first + placed++] = node;
                        onNode[node]++;
                        any = true;
                        rotate = node + 1;
                    }
                }
                if (!any) {
                    break;
                }
            }
            if (placed < pods) {
                return false;
            }
        }
        return true;
    }

    /** The largest share of a node's capacity a pod of g takes, over the active resources. */
    private static double share(DemandTable table, int g, long[] cap, int[] dims) {
        double most = 0;
        for (int r : dims) {
            if (cap[r] > 0) {
                most = Math.max(most, (double) table.demand(g, r) / cap[r]);
            }
        }
        return most;
    }
}
