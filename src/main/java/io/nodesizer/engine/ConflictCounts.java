package io.nodesizer.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Pods per (node, group) for the groups that repel others (required pod anti-affinity on the
 * hostname; {@link DemandTable#conflicts()}), for the places that are not the packing's hot path
 * ({@link NodeLedger} keeps the same counts in an array): replay's cluster and its autoscalers'
 * simulations, the fleet packer, and the verifiers. Groups without conflicts are not counted.
 */
public final class ConflictCounts {
    /** Marks a key's low half as a shared spread's counter, not a group (group indices never have the top bit). */
    private static final long COUNTER = 0x8000_0000L;
    private final int[][] conflicts;
    private final int[] caps;
    /** Hard hostname spreads counted over several workloads' pods ({@link SharedSpreads#host}); null when none is checked here. */
    private final SharedSpreads shared;
    /** The fewest matching pods on a domain node per hostname spread (minMatchNum); null: 0, a cluster with a node free of them. */
    private final Floors floors;

    /**
     * kube-scheduler's minMatchNum for the hard hostname spreads, where the nodes are known (replay, a fleet's node list):
     * the fewest pods a spread counts on a node that is one of its domains.
     */
    public interface Floors {
        /** The floor of the group's own hostname spread (its cap stands above it); 0 for a group without. */
        int own(int group);

        /** The floor of the group's shared hostname spread at {@code entry} (its index in {@link SharedSpreads#host}, over 3). */
        int shared(int group, int entry);

        /** Whether the group's cap stands above a floor kept here (its own hostname spread), not absolute. */
        boolean hasOwn(int group);
    }
    private final Map<Long, Integer> counts = new HashMap<>();

    /**
     * @param conflicts per group, the groups it may not share a node with; null when there are none
     * @param caps      per group in its own list, how many of its pods one node may hold ({@link DemandTable#caps()})
     */
    public ConflictCounts(int[][] conflicts, int[] caps) {
        this(conflicts, caps, null);
    }

    /**
     * As {@link #ConflictCounts(int[][], int[])}, also counting per node the pods each shared
     * hostname spread selects and checking them as kube-scheduler's PodTopologySpread filter does
     * with minMatchNum 0 ({@link SharedSpreads}): a pod may go where
     * {@code matched + selfMatch ≤ maxSkew}. Replay's cluster and its autoscalers' simulations.
     *
     * @param shared the shared spreads, or null
     */
    public ConflictCounts(int[][] conflicts, int[] caps, SharedSpreads shared) {
        this(conflicts, caps, shared, null);
    }

    /**
     * As {@link #ConflictCounts(int[][], int[], SharedSpreads)}, the spreads' fewest matching pods
     * per domain node taken from {@code floors} instead of 0: a group's own hostname spread admits
     * up to its cap above its floor, a shared one {@code matched + selfMatch − floor ≤ maxSkew}.
     */
    public ConflictCounts(int[][] conflicts, int[] caps, SharedSpreads shared, Floors floors) {
        this.conflicts = conflicts;
        this.caps = caps;
        this.shared = shared == null || shared.hostCounters() == 0 ? null : shared;
        this.floors = floors;
    }

    /** The pods of its own a node may hold now (its cap, above its own spread's floor when floors are kept). */
    public int limit(int group) {
        return caps[group] + (floors == null ? 0 : floors.own(group));
    }

    /** The shared spreads these counts check (hostname), or null. */
    public SharedSpreads shared() {
        return shared;
    }

    /** The floors these counts check against, or null (0). */
    public Floors floors() {
        return floors;
    }

    /** The conflicts and caps of a table's groups. */
    public ConflictCounts(DemandTable table) {
        this(table.conflicts(), table.caps());
    }

    /** How many of its own pods a node may hold when a group limits them (1: its replicas repel each other). */
    public int cap(int group) {
        return caps[group];
    }

    private static long key(int node, int group) {
        return ((long) node << 32) | group;
    }

    private static final int[] NONE = new int[0];

    /** The groups whose pods the group may not share a node with (itself when capped); empty when none (a group tracked for a shared spread only). */
    public int[] conflictsOf(int group) {
        return conflicts == null || conflicts[group] == null ? NONE : conflicts[group];
    }

    /** Whether pods of the group are counted (it repels some group, or some group repels it, or a shared spread counts or checks it). */
    public boolean tracks(int group) {
        return conflicts != null && conflicts[group] != null || shared != null && shared.host(group) != null;
    }

    /** Adds (or with a negative delta removes) pods of a group on a node. */
    public void add(int node, int group, int delta) {
        if (conflicts != null && conflicts[group] != null) {
            counts.merge(key(node, group), delta, ConflictCounts::sumOrDrop);
        }
        int[] e = shared == null ? null : shared.host(group);
        for (int i = 0; e != null && i < e.length; i += 3) {
            if (e[i + 2] == 1) {
                counts.merge(((long) node << 32) | COUNTER | e[i], delta, ConflictCounts::sumOrDrop);
            }
        }
    }

    private static Integer sumOrDrop(Integer a, Integer b) {
        return a + b == 0 ? null : a + b;
    }

    public int count(int node, int group) {
        return counts.getOrDefault(key(node, group), 0);
    }

    /** The pods on the node that shared hostname counter {@code k} counts. */
    public int sharedCount(int node, int k) {
        return counts.getOrDefault(((long) node << 32) | COUNTER | k, 0);
    }

    /** True when no pod on the node repels a pod of the group, nor the other way round, and its shared hostname spreads admit it there. */
    public boolean admits(int node, int group) {
        return admits(node, group, null);
    }

    /**
     * As {@link #admits(int, int)}, with {@code plus}'s counts (from {@link #emptyLike()}; negative
     * for pods taken off, as a preemption's victims; null for none) added to these. The floors stay
     * these counts' own.
     */
    public boolean admits(int node, int group, ConflictCounts plus) {
        if (!tracks(group)) {
            return true;
        }
        for (int h : conflictsOf(group)) {
            if (count(node, h) + (plus == null ? 0 : plus.count(node, h)) >= (h == group ? limit(group) : 1)) {
                return false;
            }
        }
        return sharedAdmits(node, group, plus);
    }

    /** Empty counts of the same conflicts, caps and shared spreads, without floors: what-if changes for {@link #admits(int, int, ConflictCounts)}. */
    public ConflictCounts emptyLike() {
        return new ConflictCounts(conflicts, caps, shared);
    }

    /**
     * Whether the group's shared hostname spreads admit one more of its pods on the node, with
     * {@code plus}'s counts (a simulation's moves; null for none) added to these.
     */
    public boolean sharedAdmits(int node, int group, ConflictCounts plus) {
        return sharedAdmits(node, group, plus, floors);
    }

    /** As above, against {@code floors} (a simulation's view of them; null: 0) instead of these counts' own. */
    public boolean sharedAdmits(int node, int group, ConflictCounts plus, Floors floors) {
        int[] e = shared == null ? null : shared.host(group);
        for (int i = 0; e != null && i < e.length; i += 3) {
            if (e[i + 1] > 0 && sharedCount(node, e[i]) + (plus == null ? 0 : plus.sharedCount(node, e[i])) + e[i + 2]
                    - (floors == null ? 0 : floors.shared(group, i / 3)) > e[i + 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first pair of pods that share a node though they repel each other, described as
     * "node N holds …" with {@code groupName} naming the groups; null when there is none.
     */
    public String violation(java.util.function.IntFunction<String> groupName) {
        return violation(groupName, g -> false);
    }

    /** As above, without the cap of the groups {@code decided} (their own hostname spread, checked by {@link HostnameSpreads}). */
    public String violation(java.util.function.IntFunction<String> groupName, java.util.function.IntPredicate decided) {
        for (var e : counts.entrySet()) {
            if ((e.getKey() & COUNTER) != 0) {
                continue; // a shared spread's count: checked where pods are placed, as the scheduler checks it
            }
            int node = (int) (e.getKey() >>> 32);
            int g = (int) (e.getKey() & 0xffffffffL);
            for (int h : conflicts[g]) {
                if (h == g && (floors != null && floors.hasOwn(g) || decided.test(g))) {
                    continue; // above a floor that pods leaving may lower since: checked where pods are placed
                }
                if (h == g ? e.getValue() > caps[g] : count(node, h) > 0) {
                    return "node " + node + " holds " + (h == g ? e.getValue() + " pods of " + groupName.apply(g) + ", more than the "
                            + caps[g] + " its required pod anti-affinity or topology spread (maxSkew) allows"
                            : "pods of " + groupName.apply(g) + " and of " + groupName.apply(h) + ", which its required pod anti-affinity keeps apart");
                }
            }
        }
        return null;
    }

    /** The same counts (for a ledger checked against a recount). */
    public boolean sameCounts(ConflictCounts other) {
        return counts.equals(other.counts);
    }
}
