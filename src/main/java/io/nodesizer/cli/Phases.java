package io.nodesizer.cli;

/**
 * Where a run's time goes, for start-up work: with {@code NODESIZER_TIMING=1} each mark prints on
 * stderr the phase that ended, its wall time, the CPU time of the thread that ran it (the main
 * thread) and of the whole process (adding the JIT compiler and GC threads), and the JVM's uptime.
 * Off by default, and then one static check per mark, so reports and outputs never change.
 */
final class Phases {
    private static final boolean ON = System.getenv("NODESIZER_TIMING") != null && !"0".equals(System.getenv("NODESIZER_TIMING"));
    private static final long START_NANOS = System.nanoTime();
    private static long last = START_NANOS;
    private static long lastCpu;
    private static long lastThread;

    private Phases() {
    }

    /** Runs within a run: sweep's scenario runs and the start-up cache's training runs in this JVM mark nothing. */
    private static final ThreadLocal<Boolean> SILENT = ThreadLocal.withInitial(() -> false);

    /** {@code run} with this thread's marks off: a command run inside another, whose phases are not the run's. */
    static <T> T silenced(java.util.function.Supplier<T> run) {
        boolean before = SILENT.get();
        SILENT.set(true);
        try {
            return run.get();
        } finally {
            SILENT.set(before);
        }
    }

    /** Prints that {@code phase} ended, when timing is on. */
    static void mark(String phase) {
        if (!ON || SILENT.get()) {
            return;
        }
        long now = System.nanoTime();
        // The management beans load java.management (~10 ms), paid only when timing is on.
        long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long thread = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        System.err.printf(java.util.Locale.ROOT, "nodesizer timing: %-30s %7.1f ms wall %7.1f ms this thread %6.0f ms process CPU (JVM up %5d ms)%n",
                phase, (now - last) / 1e6, (thread - lastThread) / 1e6, (cpu - lastCpu) / 1e6, uptime);
        last = System.nanoTime();
        lastCpu = cpu;
        lastThread = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
