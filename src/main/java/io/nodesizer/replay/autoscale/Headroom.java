package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.WhatIfCapacity;

/**
 * "What if" placements (first fit in node order) on the free capacity of the cluster's live nodes,
 * without touching the cluster: which pending pods the existing and upcoming nodes will absorb,
 * whether a node's pods could move elsewhere. The capacity is the cluster's {@link WhatIfCapacity},
 * changed in place and restored by {@link #close()}: open one at a time, and close it before the
 * cluster changes. Slots are node numbers.
 */
final class Headroom implements AutoCloseable {
    private static final int D = DemandTable.D;
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    private final Cluster cluster;
    private final WhatIfCapacity capacity;
    private final boolean upcoming;
    /**
     * Whether the hard hostname spreads' fewest counts as 0 here (Karpenter's simulation) rather than the fewest over the
     * nodes (kube-scheduler's minMatchNum): Karpenter "can always create" a new hostname domain, so its topology takes the
     * minimum of a hostname (or NodeClaim) spread as 0 ({@code topologygroup.go} {@code domainMinCount}), in provisioning
     * and in consolidation's {@code SimulateScheduling} alike. A node already holding maxSkew pods of the spread is then
     * no destination for one more.
     */
    private final boolean hostnameFloorZero;
    private boolean open = true;
    // GPU devices per node, copied from the cluster (stride 0 without GPU pods).
    private final int stride;
    private final int[] deviceLoad;
    /**
     * The devices each GPU pod took, by (pod, slot): CA's snapshot can hold two copies of one pod (the
     * scale-up's placement and the planner's copy), on two slots or on one, so a pod alone is no key.
     */
    private final java.util.Map<Long, java.util.ArrayDeque<Long>> devicesOf = new java.util.HashMap<>();

    private void tookDevices(int pod, int slot, long mask) {
        devicesOf.computeIfAbsent(((long) pod << 32) | slot, k -> new java.util.ArrayDeque<>(1)).push(mask);
    }

    /** The devices a copy of {@code pod} took on {@code slot} (its copies there are alike), or null when it took none. */
    private Long releasedDevices(int pod, int slot) {
        long key = ((long) pod << 32) | slot;
        java.util.ArrayDeque<Long> masks = devicesOf.get(key);
        if (masks == null) {
            return null;
        }
        Long mask = masks.pop();
        if (masks.isEmpty()) {
            devicesOf.remove(key);
        }
        return mask;
    }
    /** Where {@link #moveAllFrom} put each pod so far (grown as needed). */
    private int[] to = new int[16];

    /** Ready nodes, and provisioning ones when {@code upcoming}; the hostname spreads as kube-scheduler counts them. */
    Headroom(Cluster cluster, boolean upcoming) {
        this(cluster, upcoming, false);
    }

    /** As above; with {@code hostnameFloorZero} the hostname spreads as Karpenter counts them ({@link #hostnameFloorZero}). */
    Headroom(Cluster cluster, boolean upcoming, boolean hostnameFloorZero) {
        this.cluster = cluster;
        this.upcoming = upcoming;
        this.hostnameFloorZero = hostnameFloorZero;
        this.capacity = cluster.whatIf();
        this.closed = capacity::closed;
        this.check = cluster.checks();
        capacity.begin(upcoming);
        this.stride = cluster.deviceStride();
        this.movedIn = new io.nodesizer.engine.ConflictCounts(cluster.conflicts(), cluster.caps(), cluster.sharedSpreads());
        this.coLocation = cluster.coLocation();
        this.coMovedIn = coLocation == null ? null : new io.nodesizer.engine.GroupCounts(coLocation.tracked(), 1);
        this.zoneMoves = cluster.newZoneMoves();
        this.deviceLoad = new int[stride == 0 ? 0 : cluster.nodeCount() * stride];
        for (int li = 0; li < cluster.liveCount() && stride > 0; li++) {
            int node = cluster.liveNode(li);
            if (slotOf(node) >= 0) {
                cluster.copyDeviceLoads(node, deviceLoad, node * stride);
            }
        }
    }

    /** Gives the capacity back to the cluster as it was; idempotent. */
    @Override
    public void close() {
        if (open) {
            open = false;
            capacity.end();
        }
    }

    /** The slot of {@code node} (its number), or -1 when it takes no part. */
    int slotOf(int node) {
        byte s = cluster.state(node);
        return s == Cluster.READY || (upcoming && s == Cluster.PROVISIONING) ? node : -1;
    }

    /** {@code amount} of the slot's room is not offered in this what-if (its node, still provisioning, is sized by an estimate). */
    void withhold(int slot, long[] amount) {
        capacity.reserve(slot, amount, 0, 1);
    }

    /** No more pods go to this slot: the simulation removes its node. */
    void closeSlot(int slot) {
        capacity.close(slot);
        if (removed == null) {
            removed = new int[cluster.pools().size()];
        }
        removed[cluster.pool(slot)]++;
    }

    /** No pod goes to this slot, though its node stays (a destination Karpenter's simulation may not use). */
    void exclude(int slot) {
        capacity.close(slot);
    }

    /** Per pool, the nodes this simulation removed (closed slots); null before the first. */
    private int[] removed;
    /** The pool of the node {@link #moveAllFrom} is emptying, or -1. */
    private int leaving = -1;

    /** Whether this simulation moved other nodes' pods onto the slot. */
    boolean received(int slot) {
        return capacity.received(slot) > 0;
    }

    /**
     * Where a group's first fit may start, for groups whose pods' admission only narrows while
     * nothing is taken back (no zone rule, no required co-location: free room and GPU devices only
     * shrink, slots only close, the pods moved in only add repelling neighbours); {@link #unplace}
     * gives room back and forgets them all.
     */
    private final FitStarts starts = new FitStarts();
    private final java.util.function.IntPredicate closed;
    /**
     * Check every start taken from the above against a search from slot 0 ({@link Cluster#checks}:
     * read once per replay, where a property look-up per what-if was ~2 % of a replay's samples,
     * CA opening two a loop).
     */
    private final boolean check;

    /** First fit of {@code pod} on an open slot other than {@code except}; takes the capacity and returns the slot, or -1. */
    int place(int pod, int except) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        int group = o / D;
        if (hints != null) {
            // CA's removal simulation tries the pod's hinted node first (RemovalHints); a move there
            // only takes room, so the groups' remembered starts hold.
            int hinted = hints.get(pod);
            if (hinted >= 0 && hinted != except && capacity.holds(hinted, demand, o) && admits(pod, hinted, o)) {
                take(pod, hinted, demand, o);
                hints.set(pod, hinted);
                return hinted;
            }
        }
        // (With upcoming nodes a hostname spread's fewest counts the pods moved onto them, so it rises
        // and a slot that refused one of the group's pods may take the next.)
        boolean narrowing = !cluster.zoneConstrains(group) && (coLocation == null || !coLocation.constrains(group))
                && !(upcoming && cluster.floors() != null && cluster.floors().hasOwn(group))
                // what others moved in changes where it may go; a PreferNoSchedule taint or a preferred node term alone
                // admits by the pool, fixed for the what-if (review 73 #3)
                && (preferences == null || !preferences.dependsOnNeighbours(group));
        int start = narrowing ? starts.start(group, except, closed) : 0;
        if (check && start > 0) {
            int fresh = search(pod, except, 0, demand, o);
            if (fresh != search(pod, except, start, demand, o)) {
                throw new IllegalStateException("first fit of group " + group + " from slot " + start + " differs from the one from slot 0 (" + fresh + ")");
            }
        }
        int slot = search(pod, except, start, demand, o);
        if (narrowing) {
            starts.landed(group, slot, except);
        }
        if (slot < 0 && preferencesRelaxed && preferences.constrains(group)) {
            // No new claim can be made, so upstream relaxes the pod a step at a time and asks every node again at each
            // (scheduler.go trySchedule): a preference term at a time, then a toleration of the PreferNoSchedule taints.
            for (step = 1; slot < 0 && step <= preferences.lastStep(group); step++) {
                slot = search(pod, except, 0, demand, o);
            }
            step = 0;
        } else if (slot < 0 && affinityRelaxed && preferences.keepsAffinity(group, 0)) {
            // Consolidation's simulation: a new claim holds no target of a kept preferred pod affinity, so upstream's add
            // fails there too, and trySchedule relaxes the affinity terms a step at a time, asking the nodes again at each.
            for (step = 1; slot < 0 && step <= preferences.pastAffinity(group); step++) {
                slot = search(pod, except, 0, demand, o);
            }
            step = 0;
        }
        if (slot >= 0) {
            take(pod, slot, demand, o);
            if (hints != null) {
                hints.set(pod, slot);
            }
        }
        return slot;
    }

    /** CA's removal hints, tried before a search ({@link #place}); null (none) unless {@link #useHints} set them. */
    private RemovalHints hints;

    /** From now on {@link #place} tries each pod's hinted node first and sets its hint (CA's unneeded pass). */
    void useHints(RemovalHints hints) {
        this.hints = hints;
    }

    /** The first slot at or after {@code from}, other than {@code except}, that admits {@code pod}, or -1; changes nothing. */
    private int search(int pod, int except, int from, long[] demand, int o) {
        // The index finds the next slot whose free amounts hold the pod; what the amounts do not say is checked here.
        for (int i = capacity.first(from, demand, o); i >= 0; i = capacity.first(i + 1, demand, o)) {
            if (i != except && admits(pod, i, o)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether what the free amounts do not say lets {@code pod} (its row at {@code o}) onto {@code slot}. */
    private boolean admits(int pod, int slot, int o) {
        long g = cluster.demand()[o + GPU];
        int devices = stride == 0 ? 0 : cluster.gpuDevices(slot);
        // The zone spread counts the what-if moves too: a pod that the wrong zone's new node
        // cannot take must not count as helped by it (it would stay pending with no scale-up),
        // and a node whose pods could not legally move must not be removed (evict, scale up, repeat).
        return cluster.allowedOn(pod, cluster.pool(slot))
                && !(g > 0 && stride > 0 && !GpuDevices.fits(deviceLoad, slot * stride, devices, g)) && !repelled(o / D, slot)
                && cluster.zoneAdmits(slot, pod, zoneMoves) && coLocated(o / D, slot)
                && (preferences == null || preferences.admitsOn(o / D, slot, step, zoneMoves));
    }

    /** Karpenter's preferences as its scheduler requires them (null: none), and whether no new claim can be made now. */
    private KarpenterPreferences preferences;
    private boolean preferencesRelaxed;
    /** Whether a pod no slot takes as it launches is asked again with its preferred pod affinity relaxed ({@link #relaxAffinity}). */
    private boolean affinityRelaxed;
    /** The relaxation step {@link #search} asks the preferences at (0, the one a pod launches at, but within {@link #place}). */
    private int step;

    /**
     * From now on the pods' preferences, as Karpenter's {@code preferencePolicy: Respect} requires them, and the PreferNoSchedule
     * taints its scheduler requires a toleration of, admit slots too ({@link KarpenterPreferences#admitsOn}); {@code relaxed}: no
     * new claim can be made, so a pod no slot takes as it launches is asked again relaxed, a step at a time. A pod whose add
     * fails later, when the launch plan's own claims fill the NodePool's limit, is relaxed there and asked again at the step
     * it reached ({@link #placeAt}), as upstream's trySchedule asks the nodes after every step.
     */
    void respect(KarpenterPreferences preferences, boolean relaxed) {
        this.preferences = preferences;
        this.preferencesRelaxed = relaxed;
        preferences.reset();
    }

    /**
     * From now on (after {@link #respect}) a pod whose kept preferred pod affinity no slot meets is asked again with those terms
     * relaxed one at a time, before it is left over: consolidation's simulation, whose leftovers go to one new claim, which
     * meets no such term that has a target running (provisioning relaxes them in its launch plan, which asks its claims first).
     * The pods left over are then taken with their affinity relaxed ({@link KarpenterPreferences#pastAffinity}).
     */
    void relaxAffinity() {
        this.affinityRelaxed = true;
    }

    /**
     * First fit of {@code pod} at its preferences' relaxation {@code step} (Karpenter's {@code add} after a {@code Relax}:
     * {@code addToExistingNode} first, the ready and in-flight nodes with what this simulation has put on them); takes the
     * capacity and returns the slot, or -1.
     */
    int placeAt(int pod, int step) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        this.step = step;
        int slot = search(pod, -1, 0, demand, o);
        this.step = 0;
        if (slot >= 0) {
            take(pod, slot, demand, o);
        }
        return slot;
    }

    /** Moves {@code pod} onto {@code slot} in this simulation. */
    private void take(int pod, int slot, long[] demand, int o) {
        long g = demand[o + GPU];
        capacity.move(slot, demand, o, 1);
        moved(o / D, slot, 1);
        if (zoneMoves != null) {
            cluster.zoneMove(zoneMoves, pod, slot, 1);
        }
        if (g > 0 && stride > 0) {
            tookDevices(pod, slot, GpuDevices.take(deviceLoad, slot * stride, cluster.gpuDevices(slot), g));
        }
    }

    /** Required pod affinity on the hostname (null when no group has it), and the target pods this simulation moved per slot. */
    private final io.nodesizer.engine.CoLocation coLocation;
    private final io.nodesizer.engine.GroupCounts coMovedIn;

    /**
     * Per group with required pod affinity on the hostname, the target pods this simulation moved
     * onto any slot (ready or upcoming); null when no group has such affinity.
     */
    int[] coMovedAnywhere() {
        if (coLocation == null) {
            return null;
        }
        int[] out = new int[cluster.demand().length / D];
        for (int g = 0; g < out.length; g++) {
            out[g] = coLocation.constrains(g) ? coLocation.targetsAnywhere(g, coMovedIn) : 0;
        }
        return out;
    }

    /** Whether a pod of {@code group} on {@code slot} would have a target pod beside it, running or moved there (or needs none). */
    private boolean coLocated(int group, int slot) {
        if (coLocation == null || !coLocation.constrains(group)) {
            return true;
        }
        return coLocation.admits(group, cluster.coTargetsOn(group, slot) + coLocation.targetsOn(group, slot, coMovedIn),
                cluster.coTargetsAnywhere(group) + coLocation.targetsAnywhere(group, coMovedIn));
    }

    /** Pods moved per (group, zone) in this simulation, for the zone rules; null without them. */
    private final int[] zoneMoves;

    /** Copies the pods this simulation moved per (group, zone) into {@code into} (same layout); nothing when null. */
    void copyZoneMoves(int[] into) {
        if (into != null && zoneMoves != null) {
            System.arraycopy(zoneMoves, 0, into, 0, zoneMoves.length);
        }
    }

    /** Pods moved onto each slot in this simulation, for groups in a conflict. */
    private final io.nodesizer.engine.ConflictCounts movedIn;

    private void moved(int group, int slot, int delta) {
        movedIn.add(slot, group, delta);
        if (preferences != null) {
            preferences.moved(group, slot, delta);
        }
        if (coMovedIn != null) {
            coMovedIn.add(slot, 0, group, delta);
        }
    }

    /**
     * Whether a pod of {@code group} on {@code slot} would sit beside a pod that repels it (required
     * anti-affinity), or push a shared hostname spread's count there past its maxSkew.
     */
    private boolean repelled(int group, int slot) {
        if (!movedIn.tracks(group)) {
            return false;
        }
        for (int h : movedIn.conflictsOf(group)) {
            if (cluster.presentOn(slot, h) + movedIn.count(slot, h) >= (h == group ? selfLimit(group) : 1)) {
                return true;
            }
        }
        if (hostnameFloorZero) {
            return !cluster.sharedAdmits(slot, group, movedIn, null); // null floors: every fewest 0
        }
        return cluster.floors() == null ? !cluster.sharedAdmits(slot, group, movedIn)
                : !cluster.sharedAdmits(slot, group, movedIn, simulatedFloors);
    }

    /**
     * The hostname spreads' fewest as this simulation sees it: with upcoming nodes, over the ready
     * and the provisioning nodes (those with the pods moved onto them); in a scale-down, without the
     * nodes it removes (below minDomains the fewest is 0).
     */
    private final io.nodesizer.engine.ConflictCounts.Floors simulatedFloors = new io.nodesizer.engine.ConflictCounts.Floors() {
        @Override
        public int own(int group) {
            return selfLimit(group) - cluster.caps()[group];
        }

        @Override
        public int shared(int group, int entry) {
            io.nodesizer.engine.HostnameFloors floors = cluster.floors();
            int k = cluster.sharedSpreads().host(group)[entry * 3];
            return simulatedFloor((p, z) -> floors.sharedDomainIn(group, entry, p, z), node -> movedIn.sharedCount(node, k),
                    (extra, fewest) -> floors.sharedWith(group, entry, extra, fewest));
        }

        @Override
        public boolean hasOwn(int group) {
            return cluster.floors().hasOwn(group);
        }
    };

    /**
     * How many pods of its own a node may hold under the group's hostname spread: above the fewest
     * over the ready nodes, and with upcoming nodes over those too (CA puts them in its snapshot,
     * where they start with none and hold what this simulation moved onto them), as the scheduler
     * will count once they are ready.
     */
    private int selfLimit(int group) {
        io.nodesizer.engine.HostnameFloors floors = cluster.floors();
        if (floors == null || !floors.hasOwn(group)) {
            return cluster.selfLimit(group);
        }
        if (hostnameFloorZero) {
            return cluster.caps()[group]; // maxSkew above a fewest of 0
        }
        return cluster.caps()[group] + simulatedFloor((p, z) -> floors.ownDomainIn(group, p, z), node -> movedIn.count(node, group),
                (extra, fewest) -> floors.ownWith(group, extra, fewest));
    }

    /**
     * A hostname spread's fewest as this simulation sees it, for the spread whose domains are the
     * nodes of the (pool, zone) places {@code inDomain} admits (zone -1: some zone of the pool), {@code countOn} its pods this simulation moved onto a node, and
     * {@code floorWith} its floor with extra domain nodes ({@link io.nodesizer.engine.HostnameFloors#ownWith}).
     * With upcoming nodes: over the ready and the provisioning ones (CA puts them in its snapshot,
     * where they start with none and hold what this simulation moved onto them), as the scheduler
     * will count once they are ready. In a scale-down: the nodes it removes, and the one being
     * emptied, leave the domains, which may drop below minDomains (the fewest then counts as 0);
     * otherwise the fewest only rises as nodes leave and pods move in, so the ready nodes' fewest
     * stays on the safe side.
     */
    private int simulatedFloor(InDomain inDomain, java.util.function.IntUnaryOperator countOn,
                               java.util.function.IntBinaryOperator floorWith) {
        if (upcoming) {
            return overUpcoming(inDomain, countOn, floorWith);
        }
        // Removed nodes are counted per pool: in whichever zone is a domain (more leave: the safe side).
        int gone = leaving >= 0 && inDomain.test(leaving, -1) ? 1 : 0;
        for (int p = 0; removed != null && p < removed.length; p++) {
            gone += inDomain.test(p, -1) ? removed[p] : 0;
        }
        return floorWith.applyAsInt(-gone, Integer.MAX_VALUE);
    }

    /** Whether nodes of a pool in a zone (-1: some zone of it) are domains of a spread. */
    private interface InDomain {
        boolean test(int pool, int zone);
    }

    /** {@code then} of the provisioning nodes in the places {@code inDomain} admits (their pool and zone) and the fewest {@code countOn} gives there (MAX_VALUE: none). */
    private int overUpcoming(InDomain inDomain, java.util.function.IntUnaryOperator countOn,
                             java.util.function.IntBinaryOperator then) {
        int extra = 0;
        int fewest = Integer.MAX_VALUE;
        for (int node : provisioningNodes()) {
            if (inDomain.test(cluster.pool(node), cluster.zone(node))) {
                extra++;
                fewest = Math.min(fewest, countOn.applyAsInt(node));
            }
        }
        return then.applyAsInt(extra, fewest);
    }

    /**
     * Per group with its own hostname spread: [0] the upcoming nodes that are domains of it, [1] the
     * fewest of its pods this simulation moved onto them (MAX_VALUE when none); both null when no
     * group has such a spread or this simulation has no upcoming nodes.
     */
    int[][] upcomingFloors() {
        io.nodesizer.engine.HostnameFloors floors = cluster.floors();
        if (!upcoming || floors == null) {
            return new int[2][];
        }
        int groups = cluster.demand().length / D;
        int[] extra = new int[groups];
        int[] fewest = new int[groups];
        java.util.Arrays.fill(fewest, Integer.MAX_VALUE);
        for (int g = 0; g < groups; g++) {
            if (floors.hasOwn(g)) {
                final int group = g;
                overUpcoming((p, z) -> floors.ownDomainIn(group, p, z), node -> movedIn.count(node, group), (e, f) -> {
                    extra[group] = e;
                    fewest[group] = f;
                    return 0;
                });
            }
        }
        return new int[][] {extra, fewest};
    }

    /** The provisioning nodes (upcoming slots), found on first use; the cluster does not change while this is open. */
    private int[] provisioning;

    private int[] provisioningNodes() {
        if (provisioning == null) {
            int[] nodes = new int[cluster.liveCount()];
            int n = 0;
            for (int li = 0; li < cluster.liveCount(); li++) {
                if (cluster.state(cluster.liveNode(li)) == Cluster.PROVISIONING) {
                    nodes[n++] = cluster.liveNode(li);
                }
            }
            provisioning = java.util.Arrays.copyOf(nodes, n);
        }
        return provisioning;
    }

    /** Undoes a {@link #place}. */
    void unplace(int pod, int slot) {
        release(pod, slot, false);
    }

    /** Takes {@code pod} off {@code slot}: a {@link #place}, or a {@link #reserve} when {@code reserved}. */
    private void release(int pod, int slot, boolean reserved) {
        starts.forget(); // room comes back: a group's pods may fit before where the last one landed
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        moved(o / D, slot, -1);
        if (reserved) {
            capacity.reserve(slot, demand, o, -1);
        } else {
            capacity.move(slot, demand, o, -1);
        }
        if (zoneMoves != null) {
            cluster.zoneMove(zoneMoves, pod, slot, -1);
        }
        Long mask = releasedDevices(pod, slot);
        if (mask != null) {
            GpuDevices.release(deviceLoad, slot * stride, mask, demand[o + GPU]);
        }
    }

    /** The first {@code n} of {@code pods}, on the node in {@code slot}, leave ({@code delta} -1) or rejoin (1) its zone's counts. */
    private void leaveZone(int[] pods, int n, int slot, int delta) {
        for (int i = 0; i < n && zoneMoves != null; i++) {
            cluster.zoneMove(zoneMoves, pods[i], slot, delta);
        }
    }

    /**
     * Removes the node in {@code slot} before its pods move (Karpenter's multi-node simulation):
     * its pods leave their zone's counts and the slot closes; they are then placed with
     * {@link #place} (except -1).
     */
    void remove(int slot, int[][] scratch) {
        podsLeaveZone(slot, scratch);
        closeSlot(slot);
    }

    /**
     * The pods on {@code node} leave their zone's counts, and the preferred pod affinities' counts anywhere (scratch holds them;
     * counted first, as that may grow it).
     */
    private void podsLeaveZone(int node, int[][] scratch) {
        int n = cluster.podsOnNode(node, scratch);
        leaveZone(scratch[0], n, node, -1);
        for (int i = 0; i < n && preferences != null; i++) {
            preferences.leaves(cluster.offset(scratch[0][i]) / D);
        }
    }

    /**
     * The pods on the nodes whose drains are held leave their zone's counts: they are to be placed
     * again, and Karpenter's topology does not count the pods it schedules where they run
     * ({@code Topology}'s excluded pods). No slot changes: those nodes take no pod.
     */
    void liftHeldDrains(int[][] scratch) {
        if (zoneMoves == null && preferences == null) {
            return;
        }
        for (int node : cluster.heldDrainNodes()) {
            podsLeaveZone(node, scratch);
        }
    }

    /** Pods of a priority below this stay on their node when it is emptied (CA's expendable pods); MIN_VALUE for none. */
    private int keepBelow = Integer.MIN_VALUE;

    /** Leaves pods of a priority below {@code cutoff} out of {@link #moveAllFrom}: they go with their node. */
    void leaveExpendable(int cutoff) {
        keepBelow = cutoff;
    }

    /**
     * Whether all pods of the node in {@code slot} fit on the other open slots; if so the moves
     * are kept and the slot is closed, otherwise nothing changes.
     */
    boolean moveAllFrom(int slot, int[][] scratch) {
        return moveAllFrom(slot, scratch, null, 0);
    }

    /**
     * {@link #moveAllFrom(int, int[][])} for a node that also holds the first {@code extra} pods of
     * {@code extraPods} in this simulation ({@link #reserve}: copies CA's snapshot puts there): they
     * move after its own pods, each first fit, and all stay where they were unless every one finds room.
     */
    boolean moveAllFrom(int slot, int[][] scratch, int[] extraPods, int extra) {
        int n = cluster.podsInEvictionOrder(slot, scratch); // zone-bound pods and their targets first; a drain then requeues them largest first
        int[] pods = scratch[0];
        if (keepBelow != Integer.MIN_VALUE) {
            n = ExpendableLoad.withoutExpendable(cluster, pods, n, keepBelow);
        }
        if (to.length < n) {
            to = new int[Math.max(n, to.length * 2)];
        }
        leaveZone(pods, n, slot, -1); // the spreads see the node's pods gone before they land elsewhere
        leaving = cluster.pool(slot); // and the hostname spreads the node gone from their domains
        for (int i = 0; i < n; i++) {
            to[i] = place(pods[i], slot);
            if (to[i] < 0) {
                for (int j = 0; j < i; j++) {
                    unplace(pods[j], to[j]);
                }
                leaveZone(pods, n, slot, 1);
                leaving = -1;
                return false;
            }
        }
        if (extraTo.length < extra) {
            extraTo = new int[Math.max(extra, extraTo.length * 2)];
        }
        RemovalHints kept = hints;
        hints = null; // CA's removal hints know the node's pods, not these copies: first fit alone
        try {
            for (int i = 0; i < extra; i++) {
                unreserve(extraPods[i], slot);
                extraTo[i] = place(extraPods[i], slot);
                if (extraTo[i] < 0) {
                    reserve(extraPods[i], slot);
                    for (int j = 0; j < i; j++) {
                        unplace(extraPods[j], extraTo[j]);
                        reserve(extraPods[j], slot);
                    }
                    for (int j = 0; j < n; j++) {
                        unplace(pods[j], to[j]);
                    }
                    leaveZone(pods, n, slot, 1);
                    leaving = -1;
                    return false;
                }
            }
        } finally {
            hints = kept;
        }
        leaving = -1;
        closeSlot(slot);
        return true;
    }

    private int[] extraTo = new int[4];

    /**
     * A pod that CA's snapshot holds on {@code slot} though the cluster runs it elsewhere or not yet
     * ({@link SnapshotPods}): takes the room and counts for the rules there, without making the slot a
     * destination of the pass ({@link #received}).
     */
    void reserve(int pod, int slot) {
        long[] demand = cluster.demand();
        int o = cluster.offset(pod);
        // (Only the room is checked: the rules were asked where the pod was placed, among the upcoming nodes' moves too.)
        if (check && !capacity.holds(slot, demand, o)) {
            throw new IllegalStateException("slot " + slot + " does not hold the pod CA's snapshot puts there");
        }
        capacity.reserve(slot, demand, o, 1);
        moved(o / D, slot, 1);
        if (zoneMoves != null) {
            cluster.zoneMove(zoneMoves, pod, slot, 1);
        }
        long g = demand[o + GPU];
        if (g > 0 && stride > 0) {
            tookDevices(pod, slot, GpuDevices.take(deviceLoad, slot * stride, cluster.gpuDevices(slot), g));
        }
    }

    /** Takes back {@link #reserve}. */
    private void unreserve(int pod, int slot) {
        release(pod, slot, true);
    }
}
