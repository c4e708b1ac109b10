package io.nodesizer.engine;

import java.util.Arrays;

/**
 * Free capacity of every open node, one node after another in a flat {@code long[]} with stride
 * {@link DemandTable#D} (struct-of-arrays would spread one fit check over five cache lines; this
 * layout keeps a node's five amounts together). All nodes share one shape, whose pod-allocatable
 * (allocatable minus DaemonSet pods) is {@code capacity}. Mutable by design: it is the engine's
 * hot-path state and never leaves the engine.
 *
 * <p>When the shape has GPUs and some pod requests them, the ledger also keeps every node's GPU
 * devices ({@link GpuDevices}): a fit needs room on the devices, not only in the pooled GPU
 * total, and every GPU pod placed is logged with its devices, in placement order.
 *
 * <p>Hard topology spreads whose selector also selects other workloads' pods ({@link SharedSpreads})
 * are counted per node and per zone over every pod they select, in arrays that exist only when some
 * spread is shared; without one the fit checks see a null.
 */
public final class NodeLedger {
    private static final int D = DemandTable.D;

    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    private final long[] capacity;
    /**
     * Per zone, the pod-allocatable of its nodes (stride {@link DemandTable#D}) where the DaemonSets differ by zone
     * ({@link PackingProblem#zoneCapacities()}), and the groups' demand rows that decide which zones' empty nodes take a
     * pod; null when every node opens with {@code capacity}.
     */
    private long[] zoneCapacity;
    private long[] groupDemand;
    private long[] free;
    private int nodeCount;
    private final int devices;
    private int[] deviceLoad;
    private int logged;
    /**
     * The device the last device take of all went to, when it was a share (node -1 otherwise): a
     * share goes to the fullest device it fits, which is then fuller than every other device that
     * fits, so the next equal share on that node goes there too while it has room, without a look
     * at the other devices. FFD places a trace's equal pods one after another (130,000 GPU pods).
     */
    private int shareNode = -1;
    private int shareDevice;
    private long shareSize;
    private int[] logNode = new int[0];
    private int[] logGroup = new int[0];
    private long[] logMask = new long[0];
    /** Per group, the groups it may not share a node with; null when there are none. */
    private final int[][] conflicts;
    /** Per group in a conflict, its column in {@link #present}; -1 otherwise. */
    private final int[] column;
    private final int columns;
    private final int[] caps;
    /** Pods of each conflicting group on each node: [node * columns + column]. */
    private int[] present;
    /**
     * Per group whose own hostname spread is checked by kube-scheduler's rule here (a node may hold
     * its cap, maxSkew, above the fewest any node holds: {@link #floorHostnameSpreads}), its row in
     * {@link #levelNodes}; -1 for the others (the cap is absolute); null when there is none.
     */
    private int[] floorRow;
    /** Per row, how many of the ledger's nodes hold each count of the group's pods. */
    private int[][] levelNodes;
    /** Per row, the fewest of the group's pods on one of its domain nodes, and below how many of those that counts as 0 (minDomains). */
    private int[] fewest;
    private int[] floorMinDomains;
    /** Per row, the zones (bits) whose nodes are its domains (0: every node), and how many of the ledger's nodes are. */
    private long[] floorZones;
    private int[] domainNodes;
    /** Zones nodes open in (1: no zones), and each node's zone. */
    private final int zones;
    private int[] nodeZone;
    private final int[] nodesInZone;
    /** Per group, its maxSkew over zones (0: none); null when no group spreads over zones. */
    private final int[] zoneSkew;
    private boolean[] zoneFloor;
    /** Per group, the zones its spread counts as bits (0: every zone; {@link SpreadDomains}); null when all count every zone. */
    private long[] spreadZones;
    /** Per zone-spread group its row in {@link #inZone}, -1 otherwise. */
    private final int[] zoneRow;
    /** Pods of each zone-spread group in each zone: [row * zones + zone]. */
    private final int[] inZone;
    /** Spreads counted over every pod their selector matches ({@link SharedSpreads}); null when none (the hot path's case). */
    private final SharedSpreads shared;
    private final int hostCounters;
    private final int zoneCounters;
    /** Matched pods per (node, hostname counter): [node * hostCounters + counter]. */
    private int[] hostCount;
    /** Per (node, hostname counter), the smallest maxSkew of the constrained pods there that check it (0: none). */
    private int[] hostLimit;
    /** Matched pods per (zone counter, zone): [counter * zones + zone]. */
    private final int[] zoneCount;
    /** Per (zone counter, zone), the smallest maxSkew of the constrained pods there that check it (0: none), and whether one counts the fewest as 0. */
    private final int[] zoneLimit;
    private final boolean[] zoneLimitFloor;

    public NodeLedger(long[] capacity, int expectedNodes) {
        this(capacity, expectedNodes, 0);
    }

    /** @param devices GPU devices per node to track (0: GPUs pooled only, for shapes or workloads without GPUs) */
    public NodeLedger(long[] capacity, int expectedNodes, int devices) {
        this(capacity, expectedNodes, devices, null, null);
    }

    /**
     * @param conflicts per group, the groups whose pods may not share a node with it
     *                  ({@link DemandTable#conflicts()}); null when there are none
     * @param caps      per group in its own conflict list, its pods one node may hold ({@link DemandTable#caps()})
     */
    public NodeLedger(long[] capacity, int expectedNodes, int devices, int[][] conflicts, int[] caps) {
        this(capacity, expectedNodes, devices, conflicts, caps, 1, null);
    }

    /**
     * @param zones    zones the nodes are spread over: a node opens in the zone with the fewest
     *                 nodes, or where the pod it opens for may go ({@link #openFor})
     * @param zoneSkew per group, the maxSkew of its hard topology spread over zones (0: none;
     *                 {@link DemandTable#zoneSkew()}); null when none
     */
    public NodeLedger(long[] capacity, int expectedNodes, int devices, int[][] conflicts, int[] caps, int zones, int[] zoneSkew) {
        this(capacity, expectedNodes, devices, conflicts, caps, zones, zoneSkew, null);
    }

    /**
     * @param zoneFloor per group, whether its spread over the zones counts the fewest as 0
     *                  (minDomains above the zones, {@link DemandTable#zoneFloor()}); null when none
     */
    public NodeLedger(long[] capacity, int expectedNodes, int devices, int[][] conflicts, int[] caps, int zones, int[] zoneSkew,
                      boolean[] zoneFloor) {
        this(capacity, expectedNodes, devices, conflicts, caps, zones, zoneSkew, zoneFloor, null);
    }

    /**
     * @param shared spreads counted over every pod their selector matches ({@link DemandTable#sharedSpreads()}); null when none
     */
    public NodeLedger(long[] capacity, int expectedNodes, int devices, int[][] conflicts, int[] caps, int zones, int[] zoneSkew,
                      boolean[] zoneFloor, SharedSpreads shared) {
        this.shared = shared;
        this.hostCounters = shared == null ? 0 : shared.hostCounters();
        this.zoneCounters = shared == null || Math.max(1, zones) < 2 ? 0 : shared.zoneCounters();
        this.hostCount = new int[Math.max(16, expectedNodes) * hostCounters];
        this.hostLimit = new int[hostCount.length];
        this.zoneCount = new int[zoneCounters * Math.max(1, zones)];
        this.zoneLimit = new int[zoneCount.length];
        this.zoneLimitFloor = new boolean[zoneCount.length];
        this.zoneFloor = zoneFloor;
        this.caps = caps;
        this.zones = Math.max(1, zones);
        this.nodeZone = new int[Math.max(16, expectedNodes)];
        this.nodesInZone = new int[this.zones];
        this.zoneSkew = this.zones < 2 ? null : zoneSkew;
        int rows = 0;
        this.zoneRow = this.zoneSkew == null ? null : new int[this.zoneSkew.length];
        if (this.zoneSkew != null) {
            for (int g = 0; g < zoneRow.length; g++) {
                zoneRow[g] = this.zoneSkew[g] > 0 ? rows++ : -1;
            }
        }
        this.inZone = new int[rows * this.zones];
        this.capacity = capacity.clone();
        this.free = new long[Math.max(16, expectedNodes) * D];
        this.devices = devices;
        this.deviceLoad = new int[devices == 0 ? 0 : Math.max(16, expectedNodes) * devices];
        this.conflicts = conflicts;
        int c = 0;
        this.column = conflicts == null ? null : new int[conflicts.length];
        if (conflicts != null) {
            for (int g = 0; g < conflicts.length; g++) {
                column[g] = conflicts[g] == null ? -1 : c++;
            }
        }
        this.columns = c;
        this.present = new int[c == 0 ? 0 : Math.max(16, expectedNodes) * c];
    }

    /**
     * Opens the nodes of each zone with its own pod-allocatable ({@code zoneCapacity}, stride {@link DemandTable#D}), a node
     * for a pod of group g only in a zone whose empty node fits it ({@code demand}: the groups' rows in table order).
     */
    void capacityByZone(long[] zoneCapacity, long[] demand) {
        if (zoneCapacity.length != zones * D) {
            throw new IllegalArgumentException(zoneCapacity.length / D + " zone capacities for " + zones + " zones");
        }
        this.zoneCapacity = zoneCapacity.clone();
        this.groupDemand = demand;
    }

    /** Whether an empty node of zone z takes one pod of group g (resources only: the other rules hold on an empty node). */
    private boolean fitsEmptyIn(int g, int z) {
        if (zoneCapacity == null) {
            return true;
        }
        for (int r = 0; r < D; r++) {
            if (groupDemand[g * D + r] > zoneCapacity[z * D + r]) {
                return false;
            }
        }
        return true;
    }

    /** The pod-allocatable of an empty node of zone {@code zone}, resource r. */
    public long capacityIn(int zone, int r) {
        return zoneCapacity == null ? capacity[r] : zoneCapacity[zone * D + r];
    }

    /** Groups whose shared hostname spreads this ledger does not check (spread evenly by count: {@link HostnameSpreads}); null: none. */
    private java.util.BitSet liftedShared;

    /**
     * Leaves the shared hostname spreads of {@code groups} unchecked: they are placed evenly by
     * count over the nodes ({@link HostnameSpreads#placeEvenly}), whose rule is the fewest over
     * the nodes, not the 0 this ledger assumes. Their pods still raise the counts.
     */
    void liftSharedHostname(java.util.BitSet groups) {
        this.liftedShared = (java.util.BitSet) groups.clone();
    }

    /** Whether a fit needs the ledger's own check beyond the free amounts (GPU devices, pods that repel each other, zone spread). */
    public boolean checksLeaves() {
        return devices > 0 || columns > 0 || zoneSkew != null || shared != null;
    }

    /** The zone a node opened in (0 without zones). */
    public int zoneOf(int node) {
        return nodeZone[node];
    }

    public int zones() {
        return zones;
    }

    /** Whether group g spreads over zones: a node that turned its pods away may take them again once other zones catch up. */
    public boolean spreadsOverZones(int g) {
        return zoneSkew != null && zoneRow[g] >= 0 || zoneCounters > 0 && shared.zone(g) != null;
    }

    /** Whether zone z takes one more pod of group g under g's zone spread (always, for a group without one). */
    public boolean zoneAdmits(int g, int z) {
        // A zone whose nodes' DaemonSets leave no room for the pod takes none of it either.
        return zoneRoom(g, z) >= 1 && (zoneCounters == 0 || sharedZoneRoom(g, z) >= 1) && fitsEmptyIn(g, z);
    }

    /** Whether some zone takes one more pod of group g under its spreads over the zones. */
    public boolean anyZoneAdmits(int g) {
        for (int z = 0; z < zones; z++) {
            if (zoneAdmits(g, z)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many more pods of group g node {@code node} takes under the hostname spreads counted over
     * every pod they select. kube-scheduler's PodTopologySpread Filter admits where
     * {@code matchNum + selfMatchNum − minMatchNum ≤ maxSkew} (filtering.go, {@link SharedSpreads}),
     * minMatchNum 0 on the hostname here: a self-matching pod while the node has fewer than maxSkew
     * matched pods, one that does not match while it has at most maxSkew (placing it changes no
     * count). A pod the selector of a constrained pod on the node matches also keeps that count
     * within the constrained pod's maxSkew (conservative: see {@link SharedSpreads}).
     */
    private int sharedHostRoom(int node, int g) {
        int[] e = shared.host(g);
        if (e == null || liftedShared != null && liftedShared.get(g)) {
            return Integer.MAX_VALUE;
        }
        int room = Integer.MAX_VALUE;
        int base = node * hostCounters;
        for (int i = 0; i < e.length; i += 3) {
            int k = base + e[i];
            int own = e[i + 1];
            int limit = hostLimit[k];
            if (own > 0 && (limit == 0 || own < limit)) {
                limit = own;
            }
            if (limit == 0) {
                continue; // no constrained pod on the node checks this count, and g does not
            }
            if (e[i + 2] == 1) {
                room = Math.min(room, limit - hostCount[k]);
            } else if (hostCount[k] > limit) {
                return 0;
            }
        }
        return Math.max(0, room);
    }

    /** The fewest pods of zone counter k in any zone. */
    private int fewestIn(int k) {
        int fewest = Integer.MAX_VALUE;
        for (int z = 0; z < zones; z++) {
            fewest = Math.min(fewest, zoneCount[k * zones + z]);
        }
        return fewest;
    }

    /**
     * As {@link #sharedHostRoom} for zone z under the spreads over the zones counted over every pod
     * they select: {@code matchNum(z) + selfMatchNum − fewest ≤ maxSkew} (the fewest 0 with
     * minDomains above the zones).
     */
    private int sharedZoneRoom(int g, int z) {
        int[] e = shared.zone(g);
        if (e == null) {
            return Integer.MAX_VALUE;
        }
        int room = Integer.MAX_VALUE;
        for (int i = 0; i < e.length; i += 4) {
            int k = e[i];
            int own = e[i + 1];
            boolean member = e[i + 2] == 1;
            int here = zoneCount[k * zones + z];
            if (own > 0) {
                int fewest = e[i + 3] == 1 ? 0 : fewestIn(k);
                if (member) {
                    room = Math.min(room, own + fewest - here);
                } else if (here - fewest > own) {
                    return 0;
                }
            }
            int limit = zoneLimit[k * zones + z];
            if (limit > 0 && member) {
                int fewest = zoneLimitFloor[k * zones + z] ? 0 : fewestIn(k);
                room = Math.min(room, limit + fewest - here);
            }
        }
        return Math.max(0, room);
    }

    /** As {@link #sharedHostRoom} and {@link #sharedZoneRoom} together, for g on {@code node}. */
    private int sharedRoom(int node, int g) {
        int room = sharedHostRoom(node, g);
        return room == 0 || zoneCounters == 0 ? room : Math.min(room, sharedZoneRoom(g, nodeZone[node]));
    }

    /** The pods of g on {@code node} raise the counts that match them and set the limits of g's own spreads there. */
    private void takeShared(int node, int g, int count) {
        int[] e = shared.host(g);
        for (int i = 0; e != null && i < e.length; i += 3) {
            int k = node * hostCounters + e[i];
            if (e[i + 2] == 1) {
                hostCount[k] += count;
            }
            if (e[i + 1] > 0 && (hostLimit[k] == 0 || e[i + 1] < hostLimit[k])) {
                hostLimit[k] = e[i + 1];
            }
        }
        e = zoneCounters == 0 ? null : shared.zone(g);
        for (int i = 0; e != null && i < e.length; i += 4) {
            int k = e[i] * zones + nodeZone[node];
            if (e[i + 2] == 1) {
                zoneCount[k] += count;
            }
            if (e[i + 1] > 0) {
                if (zoneLimit[k] == 0 || e[i + 1] < zoneLimit[k]) {
                    zoneLimit[k] = e[i + 1];
                }
                zoneLimitFloor[k] |= e[i + 3] == 1;
            }
        }
    }

    /**
     * How many more pods of group g zone z takes under g's zone spread: maxSkew + (fewest pods of
     * g in any zone) − (pods of g in z); unlimited for a group without one. Placing up to that many
     * in z keeps every one of them admissible, since the fewest never falls.
     */
    private int zoneRoom(int g, int z) {
        if (zoneSkew == null || zoneRow[g] < 0) {
            return Integer.MAX_VALUE;
        }
        int base = zoneRow[g] * zones;
        int fewest = SpreadDomains.fewest(inZone, base, zones, spreadZones == null ? 0 : spreadZones[g]);
        if (zoneFloor != null && zoneFloor[g]) {
            fewest = 0; // fewer domains than minDomains: the scheduler's global minimum is 0
        }
        return zoneSkew[g] + fewest - inZone[base + z];
    }

    /**
     * Spreads over the zones of workloads pinned to some zones count only those ({@link
     * SpreadDomains}): per group its zones as bits (0: every zone), with the floor each then has.
     */
    void countSpreadZones(long[] zonesPerGroup, boolean[] floor) {
        this.spreadZones = zonesPerGroup;
        this.zoneFloor = floor;
    }

    /** Whether g's spread over the zones counts the fewest as 0 (minDomains above the zones it counts). */
    boolean floored(int g) {
        return zoneFloor != null && zoneFloor[g];
    }

    /**
     * Checks the own hostname spreads of {@code groups} by kube-scheduler's rule from now on: a
     * node may take a pod while it holds fewer than maxSkew above the fewest on any node (0 below
     * minDomains nodes), as the filter admits it on a cluster whose nodes are all there. The fewest
     * rises as pods fill every node and drops to 0 when a node opens. Over the ledger's nodes that
     * are the spread's domains, as {@link HostnameSpreads#violation} counts them: every node, or for
     * a workload its node affinity keeps to some named zones those zones' nodes ({@link
     * HostnameSpreads#of(PackingProblem)}). Called on an empty ledger.
     */
    void floorHostnameSpreads(java.util.BitSet groups, HostnameSpreads spreads) {
        if (nodeCount > 0 || groups.isEmpty()) {
            throw new IllegalStateException("hostname spread floors are set on an empty ledger, for some groups");
        }
        floorRow = new int[caps.length];
        Arrays.fill(floorRow, -1);
        int rows = groups.cardinality();
        levelNodes = new int[rows][8];
        fewest = new int[rows];
        floorMinDomains = new int[rows];
        floorZones = new long[rows];
        domainNodes = new int[rows];
        int r = 0;
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            floorMinDomains[r] = spreads.minDomains(g);
            floorZones[r] = spreads.zonesOf(g);
            floorRow[g] = r++;
        }
    }

    /** Whether a node in {@code zone} is a domain of row {@code r}'s spread. */
    private boolean inDomain(int r, int zone) {
        return floorZones[r] == 0 || (floorZones[r] >>> zone & 1) != 0;
    }

    /** Whether group g's own hostname spread is checked here by the scheduler's rule: a node at its cap may take more once the fewest rises. */
    public boolean floorsHostname(int g) {
        return floorRow != null && floorRow[g] >= 0;
    }

    /** The pods of its own a node may hold for group g: its cap, above the fewest where its hostname spread is floored. */
    private int ownCap(int g) {
        int r = floorRow == null ? -1 : floorRow[g];
        return r < 0 || domainNodes[r] < floorMinDomains[r] ? caps[g] : caps[g] + fewest[r];
    }

    /** A node of row {@code r}'s group went from {@code from} to {@code to} of its pods: the levels and the fewest follow. */
    private void raiseFloor(int r, int from, int to) {
        int[] levels = levelNodes[r];
        if (to >= levels.length) {
            levels = levelNodes[r] = Arrays.copyOf(levels, Math.max(to + 1, levels.length * 2));
        }
        levels[from]--;
        levels[to]++;
        while (levels[fewest[r]] == 0) {
            fewest[r]++; // some level holds a node: the one just raised
        }
    }

    /** True when no pod on {@code node} repels a pod of group {@code g} (nor the other way round). */
    private boolean admits(int node, int g) {
        int[] against = conflicts[g];
        if (against == null) {
            return true;
        }
        int base = node * columns;
        for (int h : against) {
            if (present[base + column[h]] >= (h == g ? ownCap(g) : 1)) { // its own pods up to its cap; a repelled group's, none
                return false;
            }
        }
        return true;
    }

    /** The devices to track for a problem: its shape's whole GPUs left for pods, when some schedulable pod wants GPUs. */
    public static int devicesFor(PackingProblem problem) {
        // GPU is an active dimension when some schedulable pod of the problem or of the problem
        // it is a view of wants one; when it is not, no pod here does (a scan of 150,000 groups
        // cost 0.3 ms of every pack).
        boolean wanted = false;
        for (int r : problem.activeDims()) {
            wanted |= r == GPU;
        }
        if (wanted) {
            wanted = false;
            for (int g : problem.schedulableGroups()) {
                wanted |= problem.table().demand(g, GPU) > 0;
            }
        }
        return wanted ? GpuDevices.count(problem.podCapacity()[GPU]) : 0;
    }

    public int devices() {
        return devices;
    }

    /** GPU pods placed so far (entries of the device log). */
    public int logged() {
        return logged;
    }

    public int loggedNode(int i) {
        return logNode[i];
    }

    public int loggedGroup(int i) {
        return logGroup[i];
    }

    public long loggedMask(int i) {
        return logMask[i];
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long capacity(int r) {
        return capacity[r];
    }

    public long free(int node, int r) {
        return free[node * D + r];
    }

    /** Opens an empty node in the zone with the fewest nodes (the lowest on ties: round-robin) and returns its index. */
    public int open() {
        int zone = 0;
        for (int z = 1; z < zones; z++) {
            if (nodesInZone[z] < nodesInZone[zone]) {
                zone = z;
            }
        }
        return open(zone);
    }

    /**
     * Opens an empty node for a pod of group g: in the zone with the fewest of g's pods when g
     * spreads over zones (that zone always takes one more; ties: the fewest nodes, then the
     * lowest), else as {@link #open()}.
     */
    public int openFor(int g) {
        if (zoneCounters > 0 && shared.zone(g) != null) {
            return openForShared(g);
        }
        if (zoneCapacity != null) {
            return openFitting(g);
        }
        if (zoneSkew == null || zoneRow[g] < 0) {
            return open();
        }
        int base = zoneRow[g] * zones;
        int zone = 0;
        for (int z = 1; z < zones; z++) {
            int c = Integer.compare(inZone[base + z], inZone[base + zone]);
            if (c < 0 || c == 0 && nodesInZone[z] < nodesInZone[zone]) {
                zone = z;
            }
        }
        return open(zone);
    }

    /**
     * A node for a pod of g whose spread over the zones counts other workloads' pods, or that such
     * a spread counts: in a zone that admits it ({@link #zoneAdmits}) with the fewest pods of those
     * counts, then the fewest nodes (the zone with the fewest of a count always admits one more of
     * it); in the zone with the fewest nodes when none admits it (the rules check
     * {@link #anyZoneAdmits} first).
     */
    private int openForShared(int g) {
        int[] e = shared.zone(g);
        int zone = -1;
        long best = Long.MAX_VALUE;
        for (int z = 0; z < zones; z++) {
            if (!zoneAdmits(g, z)) {
                continue;
            }
            long counted = 0;
            for (int i = 0; i < e.length; i += 4) {
                counted += zoneCount[e[i] * zones + z];
            }
            if (counted < best || counted == best && nodesInZone[z] < nodesInZone[zone]) {
                best = counted;
                zone = z;
            }
        }
        return zone < 0 ? open() : open(zone);
    }

    /**
     * A node for a pod of g where the DaemonSets differ by zone: in the zone with the fewest nodes (the lowest on ties) whose
     * empty node fits the pod, as the cluster autoscaler scales up a node group whose template node fits it (zone spreads,
     * which choose the zone by count, keep every node at one capacity: {@link PackingProblem#zoneRulesSpread}).
     */
    private int openFitting(int g) {
        int zone = -1;
        for (int z = 0; z < zones; z++) {
            if (fitsEmptyIn(g, z) && (zone < 0 || nodesInZone[z] < nodesInZone[zone])) {
                zone = z;
            }
        }
        if (zone < 0) {
            throw new IllegalStateException("group " + g + " fits an empty node of no zone"); // PackingProblem left it out
        }
        return open(zone);
    }

    /** Nodes opened in zone {@code zone}. */
    public int nodesIn(int zone) {
        return nodesInZone[zone];
    }

    /** Opens an empty node in zone {@code zone} (a rule decided where it may go) and returns its index. */
    public int openIn(int zone) {
        return open(zone);
    }

    private int open(int zone) {
        if ((nodeCount + 1) * D > free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        if (nodeCount + 1 > nodeZone.length) {
            nodeZone = Arrays.copyOf(nodeZone, nodeZone.length * 2);
        }
        nodeZone[nodeCount] = zone;
        nodesInZone[zone]++;
        System.arraycopy(zoneCapacity == null ? capacity : zoneCapacity, zoneCapacity == null ? 0 : zone * D, free, nodeCount * D, D);
        if (devices > 0 && (nodeCount + 1) * devices > deviceLoad.length) {
            deviceLoad = Arrays.copyOf(deviceLoad, deviceLoad.length * 2);
        }
        if (columns > 0 && (nodeCount + 1) * columns > present.length) {
            present = Arrays.copyOf(present, present.length * 2);
        }
        if (hostCounters > 0 && (nodeCount + 1) * hostCounters > hostCount.length) {
            hostCount = Arrays.copyOf(hostCount, hostCount.length * 2);
            hostLimit = Arrays.copyOf(hostLimit, hostLimit.length * 2);
        }
        for (int r = 0; floorRow != null && r < fewest.length; r++) {
            if (inDomain(r, zone)) {
                levelNodes[r][0]++;
                domainNodes[r]++;
                fewest[r] = 0; // a domain node without the group's pods: the fewest is 0 again
            }
        }
        return nodeCount++;
    }

    /** The most GPU (thousandths) free on one device of {@code node}: the largest share it can take (0 without devices). */
    public int largestDeviceFree(int node) {
        int least = GpuDevices.UNIT;
        for (int i = node * devices; i < (node + 1) * devices; i++) {
            least = Math.min(least, deviceLoad[i]);
        }
        return devices == 0 ? 0 : GpuDevices.UNIT - least;
    }

    /** Devices of {@code node} nobody uses: the most whole GPUs one pod can take there. */
    public int emptyDevices(int node) {
        int n = 0;
        for (int i = node * devices; i < (node + 1) * devices; i++) {
            n += deviceLoad[i] == 0 ? 1 : 0;
        }
        return n;
    }

    /** True when one replica of {@code demand} (stride-D row at {@code offset}) fits {@code node}. */
    public boolean fits(int node, long[] demand, int offset, int[] dims) {
        return fits(node, demand, offset, offset / D, dims);
    }

    /**
     * As {@link #fits(int, long[], int, int[])} for a row that need not sit at group {@code g}'s
     * place in the demand table (a copy in placement order, which a strategy reads sequentially).
     */
    public boolean fits(int node, long[] demand, int offset, int g, int[] dims) {
        int base = node * D;
        for (int dim : dims) {
            if (demand[offset + dim] > free[base + dim]) {
                return false;
            }
        }
        if (columns > 0 && !admits(node, g)) {
            return false;
        }
        if (zoneSkew != null && zoneRoom(g, nodeZone[node]) < 1) {
            return false;
        }
        if (shared != null && shared.touches(g) && sharedRoom(node, g) < 1) {
            return false;
        }
        return devices == 0 || GpuDevices.fits(deviceLoad, node * devices, devices, demand[offset + GPU]);
    }

    /** How many replicas of {@code demand} fit {@code node}, at most {@code limit}. */
    public int fitCount(int node, long[] demand, int offset, int[] dims, int limit) {
        return fitCount(node, demand, offset, offset / D, dims, limit);
    }

    /** As {@link #fitCount(int, long[], int, int[], int)} for a row of group {@code g} anywhere. */
    public int fitCount(int node, long[] demand, int offset, int g, int[] dims, int limit) {
        int base = node * D;
        long k = limit;
        for (int dim : dims) {
            long d = demand[offset + dim];
            if (d > 0) {
                long fit = free[base + dim] / d;
                if (fit < k) {
                    k = fit;
                }
            }
        }
        if (columns > 0 && k > 0) {
            if (!admits(node, g)) {
                k = 0;
            } else if (column[g] >= 0 && Arrays.binarySearch(conflicts[g], g) >= 0) {
                // its replicas repel each other (cap 1) or spread (cap maxSkew): up to the cap per node
                k = Math.min(k, Math.max(0, ownCap(g) - present[node * columns + column[g]]));
            }
        }
        if (zoneSkew != null && k > 0) {
            k = Math.min(k, Math.max(0, zoneRoom(g, nodeZone[node])));
        }
        if (shared != null && k > 0 && shared.touches(g)) {
            k = Math.min(k, sharedRoom(node, g));
        }
        if (devices > 0 && k > 0 && demand[offset + GPU] > 0) {
            k = GpuDevices.fitCount(deviceLoad, node * devices, devices, demand[offset + GPU], (int) k);
        }
        return (int) k;
    }

    /** Takes {@code count} replicas of {@code demand} from {@code node}; the caller has checked the fit. */
    public void take(int node, long[] demand, int offset, int[] dims, int count) {
        take(node, demand, offset, offset / D, dims, count);
    }

    /** As {@link #take(int, long[], int, int[], int)} for a row of group {@code g} anywhere. */
    public void take(int node, long[] demand, int offset, int group, int[] dims, int count) {
        takeAmounts(node, demand, offset, group, dims, count);
        takeDevices(node, demand[offset + GPU], group, count);
    }

    /**
     * The free amounts and per-group rule counts of {@link #take}, without GPU devices: for pods of
     * several groups with equal demand and no pod rules, taken at once, whose devices the caller
     * then takes group by group ({@link #takeDevices}), since the device log names each pod's group.
     */
    public void takeAmounts(int node, long[] demand, int offset, int group, int[] dims, int count) {
        int base = node * D;
        for (int dim : dims) {
            free[base + dim] -= demand[offset + dim] * count;
        }
        if (columns > 0 && column[group] >= 0) {
            int at = node * columns + column[group];
            present[at] += count;
            if (floorRow != null && floorRow[group] >= 0 && inDomain(floorRow[group], nodeZone[node])) {
                raiseFloor(floorRow[group], present[at] - count, present[at]);
            }
        }
        if (zoneSkew != null && zoneRow[group] >= 0) {
            inZone[zoneRow[group] * zones + nodeZone[node]] += count;
        }
        if (shared != null && shared.touches(group)) {
            takeShared(node, group, count);
        }
    }

    /** The GPU devices of {@link #take}: {@code count} pods of {@code group} requesting {@code gpu} each, one by one, logged. */
    public void takeDevices(int node, long gpu, int group, int count) {
        if (devices == 0 || gpu <= 0) {
            return;
        }
        int base = node * devices;
        for (int i = 0; i < count; i++) {
            long mask;
            if (node == shareNode && gpu == shareSize && deviceLoad[base + shareDevice] + gpu <= GpuDevices.UNIT) {
                deviceLoad[base + shareDevice] += (int) gpu;
                mask = 1L << shareDevice;
            } else {
                mask = GpuDevices.take(deviceLoad, base, devices, gpu);
                shareNode = gpu < GpuDevices.UNIT ? node : -1;
                shareDevice = Long.numberOfTrailingZeros(mask);
                shareSize = gpu;
            }
            log(node, group, mask);
        }
    }

    private void log(int node, int group, long mask) {
        if (logged == logNode.length) {
            int n = Math.max(64, logged * 2);
            logNode = Arrays.copyOf(logNode, n);
            logGroup = Arrays.copyOf(logGroup, n);
            logMask = Arrays.copyOf(logMask, n);
        }
        logNode[logged] = node;
        logGroup[logged] = group;
        logMask[logged++] = mask;
    }
}
