package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link GcWatchdog}: the collector's share of the last 30 s, and what a run it holds back is told. */
final class GcWatchdogTest {

    @Test
    void noShareUntilTheSamplesSpanTheWindow() {
        GcWatchdog w = newWatchdog();
        assertThat(w.sample(0, 0)).isEqualTo(-1);
        assertThat(w.sample(20_000, 19_000)).isEqualTo(-1);
        assertThat(w.sample(30_000, 28_000)).isCloseTo(28_000 / 30_000.0, within(1e-9));
    }

    @Test
    void theShareIsOfTheLastWindowOnly() {
        GcWatchdog w = newWatchdog();
        long gc = 0;
        // A minute at 10 % in GC, then thrashing: 95 % of each 2 s.
        for (long t = 0; t <= 60_000; t += 2_000) {
            gc += t == 0 ? 0 : 200;
            assertThat(w.sample(t, gc)).isLessThan(GcWatchdog.LIMIT);
        }
        double share = 0;
        long t = 60_000;
        int samples = 0;
        while (share < GcWatchdog.LIMIT) {
            t += 2_000;
            gc += 1_900;
            share = w.sample(t, gc);
            samples++;
        }
        // The window is 30 s: past 90 % once 27 of its 30 s are thrashing ones, not diluted by the quiet minute before.
        assertThat(samples).isBetween(14, 15);
        assertThat(share).isBetween(GcWatchdog.LIMIT, 0.95);
    }

    @Test
    void aRunAtTheCollectorsGoalIsLeftAlone() {
        GcWatchdog w = newWatchdog();
        long gc = 0;
        for (long t = 0; t <= 600_000; t += 2_000) {
            gc += t == 0 ? 0 : 100; // 5 %: the launcher's GCTimeRatio=19
            assertThat(w.sample(t, gc)).isLessThan(0.06);
        }
    }

    @Test
    void theMessageSaysHowMuchAndWhatToDo() {
        assertThat(GcWatchdog.message(0.94, 400L << 20)).isEqualTo("out of memory in effect (Java heap of 400 MiB): the garbage "
                + "collector took 94 % of the last 30 s, so the run would take many times as long. Give the JVM more heap, e.g. "
                + "NODESIZER_JAVA_OPTS=-Xmx16g ./nodesizer ...; for a large sweep, narrowing the candidates (--families, --min-cpu, "
                + "--ratios) also helps. (NODESIZER_JAVA_OPTS=-Dnodesizer.gcWatchdog=false lets it go on.)");
    }

    private static GcWatchdog newWatchdog() {
        return new GcWatchdog();
    }
}
