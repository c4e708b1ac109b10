package io.nodesizer.engine;

import java.util.Arrays;

/**
 * Running pods per (node, group) and per (zone, group), for the groups the scheduler's preference
 * scores count (their own spread, or another group's preferred pod affinity towards them). The
 * scheduler reads a count for every node it scores, so the per-node counts are a dense
 * nodes × counted-groups array while that stays under {@link #DENSE_LIMIT} entries; beyond, an
 * open-addressing table keyed by (node, group), whose memory follows the pods placed. The per-zone
 * counts are a dense row per counted group. Untracked groups are not counted and read as 0.
 */
public final class GroupCounts {
    private static final long EMPTY = -1L;
    /** Most entries of the dense per-node array (32 MB); past it the counts move to the table. */
    static final int DENSE_LIMIT = 8 << 20;

    /** Per group its row in {@link #inZone}, -1 when not counted. */
    private final int[] row;
    private final int zones;
    private final int[] inZone;
    private final int rows;
    /** Per-node counts at [node * rows + row] while dense; null once they moved to the table. */
    private int[] dense;
    private long[] keys;
    private int[] values;
    private int used;

    /**
     * @param tracked per group, whether its pods are counted
     * @param zones   zones the nodes are spread over (1: none)
     */
    public GroupCounts(boolean[] tracked, int zones) {
        this.row = new int[tracked.length];
        int rows = 0;
        for (int g = 0; g < tracked.length; g++) {
            row[g] = tracked[g] ? rows++ : -1;
        }
        this.rows = rows;
        this.zones = Math.max(1, zones);
        this.inZone = new int[rows * this.zones];
        this.dense = new int[Math.max(1, rows) * 16];
        this.keys = new long[64];
        Arrays.fill(keys, EMPTY);
        this.values = new int[64];
    }

    /** Whether pods of the group are counted. */
    public boolean tracks(int group) {
        return row[group] >= 0;
    }

    /** Adds (or with a negative delta removes) pods of a group on a node in a zone (0 without zones). */
    public void add(int node, int zone, int group, int delta) {
        int r = row[group];
        if (r < 0) {
            return;
        }
        inZone[r * zones + zone] += delta;
        if (dense != null) {
            long at = (long) node * rows + r;
            if (at >= dense.length) {
                long size = Math.min(Math.max(at + 1, (long) dense.length * 2), DENSE_LIMIT);
                if (at < size) {
                    dense = Arrays.copyOf(dense, (int) size);
                } else {
                    toTable();
                }
            }
            if (dense != null) {
                dense[(int) at] += delta;
                return;
            }
        }
        addToTable(((long) node << 32) | group, delta);
    }

    /** Pods of the group on the node. */
    public int onNode(int node, int group) {
        int r = row[group];
        if (r < 0) {
            return 0;
        }
        if (dense != null) {
            long at = (long) node * rows + r;
            return at < dense.length ? dense[(int) at] : 0;
        }
        long key = ((long) node << 32) | group;
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    /** Slots of the table (for tests: emptied entries must not make it grow without end). */
    int tableSize() {
        return keys.length;
    }

    /** Pods counted on all nodes together (for a check against a recount). */
    public long total() {
        long sum = 0;
        if (dense != null) {
            for (int v : dense) {
                sum += v;
            }
        } else {
            for (int j = 0; j < keys.length; j++) {
                sum += keys[j] != EMPTY ? values[j] : 0;
            }
        }
        return sum;
    }

    /** Pods of the group in the zone. */
    public int inZone(int zone, int group) {
        int r = row[group];
        return r < 0 ? 0 : inZone[r * zones + zone];
    }

    /** Moves the dense counts into the table: the cluster grew past what a dense array should hold. */
    private void toTable() {
        int[] old = dense;
        dense = null;
        int[] groupOfRow = new int[rows];
        for (int g = 0; g < row.length; g++) {
            if (row[g] >= 0) {
                groupOfRow[row[g]] = g;
            }
        }
        for (int i = 0; i < old.length; i++) {
            if (old[i] != 0) {
                addToTable(((long) (i / rows) << 32) | groupOfRow[i % rows], old[i]);
            }
        }
    }

    private void addToTable(long key, int delta) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            keys[i] = key;
            values[i] = delta;
            if (++used * 2 > keys.length) {
                grow();
            }
        } else {
            values[i] += delta;
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /**
     * Rebuilds the table without its emptied entries: at the same size when few entries still
     * count pods (a long replay cycles through many nodes, and replay never reuses a node number),
     * else at twice the size.
     */
    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int live = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            live += oldKeys[j] != EMPTY && oldValues[j] != 0 ? 1 : 0;
        }
        keys = new long[live * 4 > oldKeys.length ? oldKeys.length * 2 : oldKeys.length];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        int mask = keys.length - 1;
        used = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY && oldValues[j] != 0) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                used++;
            }
        }
    }
}
