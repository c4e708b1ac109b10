package io.nodesizer.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;

/**
 * Ends a run whose heap is too small to finish in reasonable time. With a live set just under the
 * heap's maximum the collector frees a fifth of the heap at each full collection, so the JVM's own
 * overhead limit (98 % of the time in GC with under 2 % free) never fires, and the run goes on at a
 * twentieth of its speed: a replay of 1M pod events under {@code -Xmx400m} spent 94 % of its first
 * 4 minutes in 1,660 full collections, and had not finished after 16 (QA 77f). Every {@link #PERIOD_MS}
 * this samples the collectors' total time; once the collector has taken at least {@link #LIMIT} of
 * the last {@link #WINDOW_MS}, it says so with the advice an OutOfMemoryError gets, and exits 1.
 * {@code -Dnodesizer.gcWatchdog=false} turns it off.
 */
final class GcWatchdog {
    static final long PERIOD_MS = 2_000;
    static final long WINDOW_MS = 30_000;
    static final double LIMIT = 0.9;

    /** Samples of (wall ms, collectors' total ms), oldest first, covering at most the window and one more. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    GcWatchdog() {
    }

    /** Starts the watchdog on a daemon thread, unless turned off. */
    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("nodesizer.gcWatchdog", "true"))) {
            return;
        }
        GcWatchdog watchdog = new GcWatchdog();
        Thread.ofPlatform().daemon().name("nodesizer-gc-watchdog").start(() -> {
            try {
                while (true) {
                    Thread.sleep(PERIOD_MS);
                    double share = watchdog.sample(System.nanoTime() / 1_000_000, collectorsMillis());
                    if (share >= LIMIT) {
                        System.err.println("nodesizer: " + message(share, Runtime.getRuntime().maxMemory()));
                        System.err.flush();
                        System.exit(Main.EXIT_FAILURE);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Records a sample and returns the collector's share of the window it closes (wall and
     * collector time in ms), or -1 while the samples do not yet span {@link #WINDOW_MS}.
     */
    double sample(long wallMillis, long gcMillis) {
        samples.addLast(new long[]{wallMillis, gcMillis});
        while (samples.size() > 1) { // drop the oldest while the one after it still spans the window
            long[] oldest = samples.pollFirst();
            if (wallMillis - samples.getFirst()[0] < WINDOW_MS) {
                samples.addFirst(oldest);
                break;
            }
        }
        long[] first = samples.getFirst();
        long span = wallMillis - first[0];
        if (span < WINDOW_MS) {
            return -1;
        }
        return (double) (gcMillis - first[1]) / span;
    }

    private static long collectorsMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** What a run the collector holds back is told: how much, and the out-of-memory advice. */
    static String message(double share, long maxHeapBytes) {
        return String.format(java.util.Locale.ROOT, "out of memory in effect (Java heap of %d MiB): the garbage collector took %.0f %% "
                + "of the last %d s, so the run would take many times as long. ", maxHeapBytes / (1024 * 1024), share * 100,
                WINDOW_MS / 1000) + Main.moreHeap() + " (NODESIZER_JAVA_OPTS=-Dnodesizer.gcWatchdog=false lets it go on.)";
    }
}
