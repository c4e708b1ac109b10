package io.nodesizer.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GroupCounts} against a map: random placements and removals on small node numbers (the
 * dense array) and on node numbers past its limit (the move to the open-addressing table).
 */
final class GroupCountsTest {

    @ParameterizedTest
    @ValueSource(ints = {50, 5_000, 40_000_000})
    void countsAgreeWithAMap(int nodeRange) {
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
}
