package io.nodesizer.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Positions follow node order through numbering and drops, as a sorted list of the kept nodes does. */
class NodePositionsTest {
    @Test
    void positionsAreTheKeptNodesInOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 50; round++) {
            NodePositions positions = new NodePositions();
            List<Integer> kept = new ArrayList<>(); // the model: node numbers with a position, ascending
            Set<Integer> removed = new HashSet<>();
            int count = 0;
            for (int step = 0; step < 200; step++) {
                int op = r.nextInt(4);
                if (op == 0) {
                    int more = r.nextInt(5);
                    for (int i = 0; i < more; i++) {
                        kept.add(count++); // new numbers come after every other
                    }
                    positions.number(count);
                } else if (op == 1 && count > 0) {
                    removed.add(r.nextInt(count));
                } else if (op == 2) {
                    positions.keepOnly(node -> !removed.contains(node));
                    kept.removeIf(removed::contains);
                }
                assertThat(positions.count()).isEqualTo(kept.size());
                for (int p = 0; p < kept.size(); p++) {
                    assertThat(positions.node(p)).isEqualTo(kept.get(p));
                    assertThat(positions.of(kept.get(p))).isEqualTo(p);
                }
                for (int node = 0; node <= count + 1; node++) {
                    int ceil = 0;
                    while (ceil < kept.size() && kept.get(ceil) < node) {
                        ceil++;
                    }
                    assertThat(positions.atLeast(node)).as("round %d step %d node %d", round, step, node).isEqualTo(ceil);
                    if (!kept.contains(node)) {
                        assertThat(positions.of(node)).isEqualTo(-1);
                    }
                }
            }
        }
    }
}
