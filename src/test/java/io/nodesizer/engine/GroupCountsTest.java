package io.nodesizer.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GroupCounts} against a HashMap reference under random adds and removes. */
class GroupCountsTest {

    @Test
    void addsAndRemovesOnNodesAndInZones() {
        GroupCounts c = new GroupCounts(new boolean[]{true, false, true}, 3);
        c.add(7, 2, 0, 3);
        c.add(7, 2, 2, 1);
        c.add(8, 2, 0, 1);
        c.add(7, 2, 1, 5); // untracked: not counted
        assertThat(c.onNode(7, 0)).isEqualTo(3);
        assertThat(c.onNode(7, 2)).isEqualTo(1);
        assertThat(c.onNode(8, 0)).isEqualTo(1);
        assertThat(c.onNode(7, 1)).isZero();
        assertThat(c.inZone(2, 0)).isEqualTo(4);
        assertThat(c.inZone(2, 1)).isZero();
        assertThat(c.inZone(0, 0)).isZero();
        assertThat(c.tracks(0)).isTrue();
        assertThat(c.tracks(1)).isFalse();
        c.add(7, 2, 0, -3);
        assertThat(c.onNode(7, 0)).isZero();
        assertThat(c.inZone(2, 0)).isEqualTo(1);
        c.add(7, 2, 0, 2); // the node's slot comes back
        assertThat(c.onNode(7, 0)).isEqualTo(2);
        assertThat(c.inZone(2, 0)).isEqualTo(3);
    }

    @Test
    void growsPastItsFirstTableKeepingEveryCount() {
        GroupCounts c = new GroupCounts(new boolean[]{true, true}, 1);
        for (int node = 0; node < 5000; node++) {
            c.add(node, 0, node % 2, node + 1);
        }
        for (int node = 0; node < 5000; node++) {
            assertThat(c.onNode(node, node % 2)).as("node %d", node).isEqualTo(node + 1);
            assertThat(c.onNode(node, 1 - node % 2)).isZero();
        }
        long even = 0;
        long odd = 0;
        for (int node = 0; node < 5000; node++) {
            if (node % 2 == 0) {
                even += node + 1;
            } else {
                odd += node + 1;
            }
        }
        assertThat(c.inZone(0, 0)).isEqualTo(even);
        assertThat(c.inZone(0, 1)).isEqualTo(odd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void matchesAHashMapUnderRandomOperations(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int groups = 1 + r.nextInt(8);
        int zones = 1 + r.nextInt(4);
        int nodes = 1 + r.nextInt(r.nextBoolean() ? 20 : 3000);
        boolean[] tracked = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            tracked[g] = r.nextInt(4) != 0;
        }
        int[] zoneOf = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            zoneOf[n] = r.nextInt(zones);
        }
        GroupCounts c = new GroupCounts(tracked, zones);
        Map<Long, Integer> onNode = new HashMap<>();
        int[][] inZone = new int[zones][groups];
        for (int op = 0; op < 20_000; op++) {
            int n = r.nextInt(nodes);
            int g = r.nextInt(groups);
            long key = (long) n * groups + g;
            int here = onNode.getOrDefault(key, 0);
            // add up to 3 pods, or remove up to the pods there (never below 0, as placements and removals never do)
            int delta = here > 0 && r.nextBoolean() ? -(1 + r.nextInt(here)) : 1 + r.nextInt(3);
            c.add(id(n), zoneOf[n], g, delta);
            if (tracked[g]) {
                onNode.put(key, here + delta);
                inZone[zoneOf[n]][g] += delta;
            }
            if (op % 997 == 0) {
                check(c, onNode, inZone, tracked, nodes, zones);
            }
        }
        check(c, onNode, inZone, tracked, nodes, zones);
    }

    /** Node ids as a cluster numbers them: sparse and large. */
    private static int id(int n) {
        return n * 7919 + 13;
    }

    private static void check(GroupCounts c, Map<Long, Integer> onNode, int[][] inZone, boolean[] tracked, int nodes, int zones) {
        int groups = tracked.length;
        for (int n = 0; n < nodes; n++) {
            for (int g = 0; g < groups; g++) {
                assertThat(c.onNode(id(n), g)).as("node %d group %d", id(n), g).isEqualTo(onNode.getOrDefault((long) n * groups + g, 0));
            }
        }
        for (int z = 0; z < zones; z++) {
            for (int g = 0; g < groups; g++) {
                assertThat(c.inZone(z, g)).as("zone %d group %d", z, g).isEqualTo(tracked[g] ? inZone[z][g] : 0);
            }
        }
    }

    /** Node numbers past the dense array's limit move the counts into the table; small ones stay dense. */
    @ParameterizedTest
    @ValueSource(ints = {50, 5_000, 40_000_000})
    void countsAgreeWithAMapDenseAndPastTheDenseLimit(int nodeRange) {
        SplittableRandom r = new SplittableRandom(nodeRange);
        boolean[] tracked = {true, false, true, true};
        int zones = 3;
        GroupCounts counts = new GroupCounts(tracked, zones);
        Map<Long, Integer> onNode = new HashMap<>();
        int[] inZone = new int[tracked.length * zones];
        int[] zoneOf = new int[64];
        long[] nodes = new long[64];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = r.nextInt(nodeRange);
            zoneOf[i] = r.nextInt(zones);
        }
        for (int step = 0; step < 20_000; step++) {
            int n = r.nextInt(nodes.length);
            int node = (int) nodes[n];
            int g = r.nextInt(tracked.length);
            long key = ((long) node << 32) | g;
            int delta = onNode.getOrDefault(key, 0) > 0 && r.nextBoolean() ? -1 : 1;
            counts.add(node, zoneOf[n], g, delta);
            if (tracked[g]) {
                onNode.merge(key, delta, Integer::sum);
                inZone[g * zones + zoneOf[n]] += delta;
            } else {
                onNode.put(key, 1); // an untracked group may be "removed" later: it stays uncounted either way
            }
        }
        for (int n = 0; n < nodes.length; n++) {
            for (int g = 0; g < tracked.length; g++) {
                int expected = tracked[g] ? onNode.getOrDefault(((long) (int) nodes[n] << 32) | g, 0) : 0;
                assertThat(counts.onNode((int) nodes[n], g)).isEqualTo(expected);
            }
        }
        for (int g = 0; g < tracked.length; g++) {
            for (int z = 0; z < zones; z++) {
                assertThat(counts.inZone(z, g)).isEqualTo(tracked[g] ? inZone[g * zones + z] : 0);
            }
            assertThat(counts.tracks(g)).isEqualTo(tracked[g]);
        }
        assertThat(counts.onNode(nodeRange + 7, 0)).isZero();
    }

    /**
     * A long replay cycles through node numbers (never reused) past the dense limit: the table
     * rebuilds at the same size while few entries still count pods, instead of doubling forever.
     */
    @Test
    void emptiedEntriesDoNotGrowTheTableWithoutEnd() {
        GroupCounts c = new GroupCounts(new boolean[] {true, true}, 1);
        int base = 50_000_000; // past the dense array's limit for two groups
        for (int node = 0; node < 200_000; node++) {
            c.add(base + node, 0, node % 2, 1);
            if (node >= 100) {
                c.add(base + node - 100, 0, (node - 100) % 2, -1); // at most 100 nodes hold pods at once
            }
        }
        assertThat(c.total()).isEqualTo(100);
        assertThat(c.tableSize()).isLessThanOrEqualTo(1024);
        assertThat(c.onNode(base + 199_999, 1)).isEqualTo(1);
        assertThat(c.onNode(base + 5, 1)).isZero();
    }
}
