package io.nodesizer.engine;

/**
 * The hostname spreads' floors an autoscaler's estimate sees: the cluster's ready nodes
 * ({@link HostnameFloors}) together with the new nodes of one pool it has added so far. The
 * cluster autoscaler's binpacking estimator forks the whole cluster snapshot, adds template nodes
 * and runs the scheduler's predicates there (kubernetes/autoscaler
 * {@code cluster-autoscaler/estimator/binpacking_estimator.go}, {@code Estimate},
 * {@code tryToScheduleOnNewNodes}), so PodTopologySpread's fewest is over both: while every
 * existing node runs some of a workload, a new node may take more than maxSkew of it once it has
 * its first.
 */
public final class SnapshotFloors implements ConflictCounts.Floors {
    private final HostnameFloors existing;
    private final int pool;
    private final SharedSpreads shared;
    private ConflictCounts added;
    private int nodes;
    /** The new nodes' zones (null: not known, each counted in whichever zone makes it a domain). */
    private int[] zoneOf;

    /**
     * @param existing the cluster's floors over its ready nodes
     * @param pool     the pool the new nodes are of
     * @param shared   the shared spreads the counts keep, or null
     */
    public SnapshotFloors(HostnameFloors existing, int pool, SharedSpreads shared) {
        this(existing, pool, shared, null, null);
    }

    /**
     * As above, with the nodes that are on their way (CA puts them in its snapshot too): per group
     * with its own hostname spread, {@code upcomingNodes[g]} of them are its domains and hold at
     * least {@code upcomingFewest[g]} of its pods (the pods they will take); nulls when none.
     */
    public SnapshotFloors(HostnameFloors existing, int pool, SharedSpreads shared, int[] upcomingNodes, int[] upcomingFewest) {
        this.existing = existing;
        this.pool = pool;
        this.shared = shared;
        this.upcomingNodes = upcomingNodes;
        this.upcomingFewest = upcomingFewest;
    }

    private final int[] upcomingNodes;
    private final int[] upcomingFewest;

    /** The counts on the new nodes (0..nodes-1), which these floors read. */
    public void bind(ConflictCounts added) {
        this.added = added;
    }

    /** The estimate has added {@code nodes} new nodes so far. */
    public void nodes(int nodes) {
        nodes(nodes, null);
    }

    /**
     * As above, new node n in zone {@code zoneOf[n]} (null: not known): a workload kept to some
     * zones counts only the new nodes there as its spread's domains.
     */
    public void nodes(int nodes, int[] zoneOf) {
        this.nodes = nodes;
        this.zoneOf = zoneOf;
    }

    private int zone(int n) {
        return zoneOf == null ? -1 : zoneOf[n];
    }

    @Override
    public int own(int group) {
        int extra = 0;
        int fewest = Integer.MAX_VALUE;
        if (upcomingNodes != null && upcomingNodes[group] > 0) {
            extra = upcomingNodes[group];
            fewest = upcomingFewest[group];
        }
        for (int n = 0; n < nodes; n++) {
            if (existing.ownDomainIn(group, pool, zone(n))) {
                extra++;
                fewest = Math.min(fewest, added.count(n, group));
            }
        }
        return existing.ownWith(group, extra, fewest);
    }

    @Override
    public int shared(int group, int entry) {
        int k = shared.host(group)[entry * 3];
        int extra = 0;
        int fewest = Integer.MAX_VALUE;
        for (int n = 0; n < nodes; n++) {
            if (existing.sharedDomainIn(group, entry, pool, zone(n))) {
                extra++;
                fewest = Math.min(fewest, added.sharedCount(n, k));
            }
        }
        return extra == 0 ? existing.shared(group, entry) : existing.sharedWith(group, entry, extra, fewest);
    }

    @Override
    public boolean hasOwn(int group) {
        return existing.hasOwn(group);
    }
}
