package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.ForwardingAutoscaler;
import io.nodesizer.replay.FreeCopy;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.ReplayFixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainMoves} with CA's removal hints against a plain recomputation: at every loop of random
 * replays, the ready nodes under 50 % are emptied one after another (as the unneeded pass does, a
 * node that received pods kept) on the moves and on a copy of the free amounts where each pod goes
 * to the node of its hint from this pass or the last when that node is open and holds it, else to
 * the first that does; every node's answer and every pod's new hint must agree.
 */
class HintedMovesTest {
    private static final int D = DemandTable.D;

    /** Runs the check before each loop of the autoscaler it wraps. */
    private static final class Checking extends ForwardingAutoscaler {
        private PlainMoves moves;
        private RemovalHints hints;
        /** The reference's hints: pod → {node, pass}. */
        private final Map<Integer, int[]> reference = new HashMap<>();
        private int pass;
        int checkedMoves;
        int hintedMoves;

        Checking(Autoscaler inner) {
            super(inner);
        }

        @Override
        public void tick(Cluster cluster) {
            check(cluster);
            inner.tick(cluster);
        }

        private void check(Cluster cluster) {
            if (moves == null) {
                assertThat(cluster.amountsAlone()).isTrue();
                hints = new RemovalHints();
                moves = new PlainMoves(cluster, hints);
            }
            long[] demand = cluster.demand();
            long[] free = FreeCopy.of(cluster, false);
            int[] received = new int[cluster.nodeCount()];
            int[][] scratch = {new int[64]};
            moves.begin(cluster);
            try {
                for (int c = cluster.nextUnderUtilised(0, 0.5, 0.5); c >= 0; c = cluster.nextUnderUtilised(c + 1, 0.5, 0.5)) {
                    assertThat(moves.received(c)).isEqualTo(received[c]);
                    if (received[c] > 0) {
                        continue;
                    }
                    int n = cluster.podsInEvictionOrder(c, scratch);
                    int[] pods = Arrays.copyOf(scratch[0], n);
                    int[] to = new int[n];
                    boolean all = true;
                    for (int j = 0; j < n && all; j++) {
                        int o = cluster.offset(pods[j]);
                        int[] h = reference.get(pods[j]);
                        int hinted = h != null && h[1] >= pass - 1 ? h[0] : -1;
                        to[j] = hinted >= 0 && hinted != c && FreeCopy.fits(free, hinted, demand, o) ? hinted : FreeCopy.firstFit(free, demand, o, 0, c);
                        if (to[j] < 0) {
                            all = false;
                            for (int k = 0; k < j; k++) {
                                FreeCopy.take(free, to[k], demand, cluster.offset(pods[k]), -1);
                                received[to[k]]--;
                            }
                        } else {
                            hintedMoves += to[j] == hinted ? 1 : 0;
                            FreeCopy.take(free, to[j], demand, o, 1);
                            received[to[j]]++;
                            reference.put(pods[j], new int[]{to[j], pass});
                        }
                    }
                    if (all) {
                        Arrays.fill(free, c * D, c * D + D, -1);
                    }
                    assertThat(moves.moveAll(cluster, c, scratch)).as("node %d at %d", c, cluster.now()).isEqualTo(all);
                    for (int pod : pods) {
                        int[] h = reference.get(pod);
                        assertThat(hints.get(pod)).as("hint of pod %d at %d", pod, cluster.now())
                                .isEqualTo(h != null && h[1] >= pass - 1 ? h[0] : -1);
                        checkedMoves++;
                    }
                }
            } finally {
                moves.end();
            }
            hints.nextPass();
            pass++;
        }
    }

    @Test
    void movesFollowTheirHintsWhereTheHintedNodeHoldsThePodElseFirstFit() {
        int hinted = 0;
        for (long seed = 1; seed <= 4; seed++) {
            PodStream stream = ReplayFixtures.plainStream(seed, 400, 8 * 3600);
            Checking check = new Checking(new ClusterAutoscaler(
                    new ClusterAutoscaler.Settings(10, 300, 0.5, 300, Expander.RANDOM, 0, 1000, 10), seed));
            List<Pool> pools = List.of(ReplayFixtures.pool(0, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));
            Replay.run(stream, pools, check, new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                    KubeScheduler.Scoring.DEFAULT_PROFILE, 600, false, false, -1, 1));
            assertThat(check.checkedMoves).as("seed %d moves pods", seed).isPositive();
            hinted += check.hintedMoves;
        }
        assertThat(hinted).as("moves that went to a hinted node").isPositive();
    }
}
