package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.ForwardingAutoscaler;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.Replay;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays {@code stream} on a fixed count of nodes and, at the first loop from {@code from} seconds on where {@code when}
 * holds, runs {@code check} on the cluster once: for tests of the what-if structures that need a real cluster. Fails
 * when the check never ran.
 */
final class LookOnce {
    private LookOnce() {
    }

    static void run(PodStream stream, List<Pool> pools, int nodes, long from, Predicate<Cluster> when, Consumer<Cluster> check) {
        run(stream, pools, nodes, from, Replay.Settings.defaults(ProvisionDelay.fixed(30), 1), null, when, check);
    }

    /** As above, with {@code settings} (its zones), and the groups {@code zoneCounted} marks counted per zone (null: none). */
    static void run(PodStream stream, List<Pool> pools, int nodes, long from, Replay.Settings settings, boolean[] zoneCounted,
                    Predicate<Cluster> when, Consumer<Cluster> check) {
        boolean[] looked = {false};
        ForwardingAutoscaler look = new ForwardingAutoscaler(new FixedCount(nodes)) {
            @Override
            public long nextTick(Cluster cluster, long lastTick, boolean changed) {
                return looked[0] ? Long.MAX_VALUE : Math.max(lastTick + 1, from); // the fixed count has no loop of its own
            }

            @Override
            public boolean[] zoneCounted(List<io.nodesizer.model.PodGroup> groups) {
                return zoneCounted;
            }

            @Override
            public void tick(Cluster cluster) {
                if (!looked[0] && when.test(cluster)) {
                    check.accept(cluster);
                    looked[0] = true;
                }
                inner.tick(cluster);
            }
        };
        Replay.run(stream, pools, look, settings);
        assertThat(looked[0]).as("the check ran").isTrue();
    }
}
