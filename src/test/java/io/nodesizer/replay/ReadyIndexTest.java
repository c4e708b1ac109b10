package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The index finds exactly what a linear scan over the positions finds, through updates. */
class ReadyIndexTest {
    private static final int D = DemandTable.D;

    @Test
    void firstFitMatchesALinearScan() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            int n = 1 + r.nextInt(300);
            long[] free = new long[n * D];
            ReadyIndex index = new ReadyIndex();
            for (int p = 0; p < n; p++) {
                for (int k = 0; k < D; k++) {
                    free[p * D + k] = r.nextInt(10);
                }
                index.set(p, free, p * D);
            }
            for (int q = 0; q < 500; q++) {
                if (r.nextInt(3) == 0) {
                    int p = r.nextInt(n);
                    for (int k = 0; k < D; k++) {
                        free[p * D + k] = r.nextInt(10);
                    }
                    index.set(p, free, p * D);
                }
                long[] demand = new long[D];
                for (int k = 0; k < D; k++) {
                    demand[k] = r.nextInt(10);
                }
                int from = r.nextInt(n + 1);
                int to = from + r.nextInt(n + 1 - from);
                int expected = -1;
                for (int p = from; p < to && expected < 0; p++) {
                    boolean fits = true;
                    for (int k = 0; k < D; k++) {
                        fits &= demand[k] <= free[p * D + k];
                    }
                    if (fits) {
                        expected = p;
                    }
                }
                assertThat(index.first(from, to, demand, 0)).as("round %d query %d", round, q).isEqualTo(expected);
            }
            index.clear(n - 1);
            assertThat(index.leaf(n - 1, 0)).isEqualTo(-1);
        }
    }
}
