package io.nodesizer.replay.windows;

import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.ReplayResult;
import io.nodesizer.replay.autoscale.FixedCount;

import java.util.List;

/**
 * The fixed-for-peak alternative: the peak packing's node count, grown one node at a time until
 * its replay leaves no pod pending.
 *
 * <p>Why grow: the packing places the peak's pods all at once, largest first, and evens out the
 * hostname spreads; kube-scheduler places them one by one as they arrive and leave, so with hard
 * spreads (most − fewest ≤ maxSkew over nodes) or anti-affinity the online placement can need more
 * nodes than the packing did, and a cluster of the packed size leaves pods pending. A user reads
 * "fixed for peak" as a cluster that never does. What a fixed cluster's replay counts as pending
 * waits for room: pods that fit no shape, or that no zone admits, are unschedulable and not
 * pending, and no node count changes that.
 *
 * <p>Each added node joins the fixed cluster as its others do ({@link FixedCount}: the next node
 * of the pool, in the next zone of the round-robin, as a managed node group adds them). The count
 * is searched, one full replay per count tried: 1, 2, 4 … added nodes until one holds, then halving
 * between the last that pended and it (more nodes leave less pending: the scheduler only gains
 * room), so a 1,000-node cluster short of 50 nodes takes ~12 replays, not 50. At most
 * {@link #maxAdded} are tried (the packing's count, at least {@link #MAX_ADDED}); when that many
 * still leave pods pending, the count is not what holds them: the fewest added (up to as many) that
 * meet the pending SLO are kept, searched the same way, or the packed count when none does, with its
 * pending shown (QA 62c F8: a GPU trace kept its packed 14 nodes, missing the SLO, where 15 met it).
 *
 * <p>{@code --max-nodes} is the node group's max, so the fixed cluster never runs more: a peak
 * that packs on more nodes is replayed at the max, and the search adds nodes only up to it; a
 * count held there ({@link #heldToMaxNodes}) is said, with its pending shown, so that the
 * alternative is not recommended for an SLO it meets only above the cap. {@code --min-nodes} is its floor the same way:
 * a peak that packs on fewer nodes is replayed at the floor, as the group would run it (QA 65b F3: 12 nodes were compared
 * with, and recommended over, autoscalers held to a floor of 14).
 *
 * @param packed   the peak packing's node count
 * @param added    nodes added to it, or to {@code maxNodes} when it packs on more (0 when the
 *                 packing's count held, or none up to the cap did)
 * @param capped   whether every count tried (up to {@link #maxAdded} more, or the group's max) still left pods pending:
 *                 {@code added} is then the fewest that meets the SLO, or 0 when none does
 * @param maxNodes the node group's max ({@code --max-nodes})
 * @param floor    the node group's min ({@code --min-nodes}), at most {@code maxNodes}
 * @param result   the replay of {@link #nodes()} nodes
 * @param metSlo   whether that replay meets the pending SLO (what a capped count says of itself)
 */
public record FixedForPeak(int packed, int added, boolean capped, int maxNodes, int floor, ReplayResult result, boolean metSlo) {
    /** Added nodes tried at most for a small packing; larger ones may add as many as they pack. */
    public static final int MAX_ADDED = 20;

    public FixedForPeak {
        if (packed < 0 || added < 0 || added > maxAdded(packed) || maxNodes < 1 || floor < 0 || floor > maxNodes
                || Math.min(Math.max(packed, floor), maxNodes) + added > maxNodes) {
            throw new IllegalArgumentException("packed " + packed + ", added " + added + ", capped " + capped + ", max " + maxNodes
                    + ", floor " + floor);
        }
    }

    /** The most nodes added to a packing of {@code packed}: a gap as large as the packing is no longer packing versus scheduling. */
    static int maxAdded(int packed) {
        return Math.max(MAX_ADDED, packed);
    }

    /**
     * Replays {@code packed} nodes (at most {@code maxNodes}), and while pods pend searches the
     * fewest added that hold, up to {@code maxNodes} in all; a count that holds costs one replay.
     */
    static FixedForPeak replay(PodStream stream, List<Pool> pools, int packed, Replay.Settings settings, int maxNodes, int floor,
                               long sloSeconds) {
        if (packed >= maxNodes) {
            ReplayResult atMax = Replay.run(stream, pools, new FixedCount(maxNodes), settings);
            return new FixedForPeak(packed, 0, false, maxNodes, floor, atMax, atMax.meets(sloSeconds));
        }
        int base = Math.max(packed, floor);
        ReplayResult atPacked = Replay.run(stream, pools, new FixedCount(base), settings);
        if (!pends(atPacked)) {
            return new FixedForPeak(packed, 0, false, maxNodes, floor, atPacked, atPacked.meets(sloSeconds));
        }
        int cap = maxAdded(packed);
        int limit = Math.min(cap, maxNodes - base);
        // Each count is replayed once: the SLO's search below asks the counts the first one tried again (review 62).
        java.util.Map<Integer, ReplayResult> replayed = new java.util.HashMap<>();
        java.util.function.IntFunction<ReplayResult> at = added -> added == 0 ? atPacked
                : replayed.computeIfAbsent(added, a -> Replay.run(stream, pools, new FixedCount(base + a), settings));
        Found held = fewest(at, r -> !pends(r), limit);
        if (held != null) {
            return new FixedForPeak(packed, held.added(), false, maxNodes, floor, held.result(), held.result().meets(sloSeconds));
        }
        // No count up to the cap (or the group's max) clears the pending: the fewest added that meet the SLO. Where none
        // does, the packed count at the cap (the count is not what holds the pods), or the max below it (more nodes might,
        // but the group may not have them). QA 63b F3: under --max-nodes 12 the max was kept where 4 met the SLO.
        Found meeting = atPacked.meets(sloSeconds) ? new Found(0, atPacked) : fewest(at, r -> r.meets(sloSeconds), limit);
        if (meeting != null) {
            return new FixedForPeak(packed, meeting.added(), true, maxNodes, floor, meeting.result(), true);
        }
        return limit < cap ? new FixedForPeak(packed, limit, false, maxNodes, floor, at.apply(limit), false)
                : new FixedForPeak(packed, 0, true, maxNodes, floor, atPacked, false);
    }

    /** The fewest nodes added and their replay. */
    private record Found(int added, ReplayResult result) {
    }

    /**
     * The fewest added (1 … {@code limit}) whose replay passes {@code ok}, or null when {@code limit} does not: 1, 2, 4 …
     * until one passes, then halving between the last that failed and it (more nodes only add room).
     */
    private static Found fewest(java.util.function.IntFunction<ReplayResult> at, java.util.function.Predicate<ReplayResult> ok,
                                int limit) {
        int failed = 0;
        int passed = -1;
        ReplayResult passing = null;
        for (int step = 1; passed < 0; step = Math.min(step * 2, limit)) {
            ReplayResult r = at.apply(step);
            if (ok.test(r)) {
                passed = step;
                passing = r;
            } else if (step == limit) {
                return null;
            } else {
                failed = step;
            }
        }
        while (passed - failed > 1) {
            int mid = (failed + passed) >>> 1;
            ReplayResult r = at.apply(mid);
            if (ok.test(r)) {
                passed = mid;
                passing = r;
            } else {
                failed = mid;
            }
        }
        return new Found(passed, passing);
    }

    /**
     * Whether any schedulable pod waited (unschedulable pods are not counted as pending), of those the pending figures
     * count: pods below --slo-min-priority wait by design and add no node ({@link ReplayResult#sloExcluded}).
     */
    static boolean pends(ReplayResult r) {
        return r.podsDelayed() > 0 || r.pendingAtEnd() > 0 || r.deletedWhilePending() > 0;
    }

    public int nodes() {
        return Math.min(base(), maxNodes) + added;
    }

    /** The count the search starts from: the packing's, or the group's floor above it. */
    private int base() {
        return Math.max(packed, floor);
    }

    /** Whether {@code --max-nodes} held the count: the peak packs on more nodes, or the most it allows still left pods pending. */
    public boolean heldToMaxNodes() {
        return packed > maxNodes || nodes() == maxNodes && pends(result);
    }

    /** The most nodes added that were tried: {@link #maxAdded}, or fewer where the group's max comes first. */
    private int tried() {
        return Math.min(maxAdded(packed), maxNodes - base());
    }

    /** What the report says of it: the count, and how it was reached. */
    String description() {
        String peak = floor > packed ? "peak packs on " + packed + ", held to --min-nodes " + floor : "peak packs on " + packed;
        String how = packed > maxNodes ? "held to --max-nodes " + maxNodes + ": the peak packs on " + packed
                : capped && added > 0 ? peak + "; " + tried() + " more still left pods pending, and "
                + added + " added is the fewest that meets the pending SLO"
                : heldToMaxNodes() ? "held to --max-nodes " + maxNodes + ": the peak packs on " + packed
                + (added > 0 ? "; " + added + " added still left pods pending" : ", which left pods pending")
                : added > 0 ? peak + "; " + added + " added until the replay left nothing pending"
                : capped ? (floor > packed ? peak : "pack at the demand's peak") + "; " + tried() + " more still left pods pending"
                + (metSlo ? ", and the " + (floor > packed ? "floor's" : "packed") + " count meets the pending SLO" : ", and none meets the pending SLO")
                : floor > packed ? peak : "pack at the demand's peak";
        return nodes() + (nodes() == 1 ? " node" : " nodes") + " all the time (" + how + ")";
    }
}
