package io.nodesizer.bench;

import io.nodesizer.replay.ReplayResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@link ReplayBenchmark#synthetic1M} outside JMH, for comparing two builds ({@code benchmarks/compare}):
 * <ul>
 *   <li>{@code times AUTOSCALER SIZE SCHEDULER N}: N replays in this JVM, each one's wall and thread
 *       CPU milliseconds, then the last result's digest. On a noisy 2-vCPU machine the same code's
 *       JMH score moved by 20-50 % between minutes; the script alternates JVMs of the two builds
 *       and compares medians.</li>
 *   <li>{@code digests}: one replay of each of the 24 configurations (none, ca, karpenter,
 *       scheduled &times; full, quarter &times; the three scheduler settings) and its result's
 *       digest: a change meant to be faster must leave all 24 the same.</li>
 * </ul>
 * The digest is SHA-256 over every component of the {@link ReplayResult}, nested records and
 * collections included, but the elapsed time, the per-minute peaks, empty budget holds and a pool's DaemonSets'
 * scoring load (newer than most commits compared with).
 */
public final class ReplayCompare {
    private static final List<String> AUTOSCALERS = List.of("none", "ca", "karpenter", "scheduled");
    private static final List<String> SIZES = List.of("full", "quarter");
    private static final List<String> SCHEDULERS = List.of("most-allocated", "default-profile", "bin-packing-profile");

    private ReplayCompare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("times")) {
            times(args[1], args[2], args[3], Integer.parseInt(args[4]));
        } else if (args.length == 1 && args[0].equals("digests")) {
            for (String autoscaler : AUTOSCALERS) {
                for (String size : SIZES) {
                    for (String scheduler : SCHEDULERS) {
                        ReplayResult r = bench(autoscaler, size, scheduler).synthetic1M();
                        System.out.printf("%s %s %s %s%n", autoscaler, size, scheduler, digest(r));
                    }
                }
            }
        } else {
            System.err.println("usage: ReplayCompare times AUTOSCALER SIZE SCHEDULER N | ReplayCompare digests");
            System.exit(2);
        }
    }

    private static void times(String autoscaler, String size, String scheduler, int n) throws Exception {
        if (!AUTOSCALERS.contains(autoscaler) || !SIZES.contains(size) || !SCHEDULERS.contains(scheduler)) {
            // ReplayBenchmark takes an unknown scheduler for most-allocated: say so rather than time the wrong one
            System.err.println("expected an autoscaler of " + AUTOSCALERS + ", a size of " + SIZES + " and a scheduler of "
                    + SCHEDULERS + "; found " + autoscaler + " " + size + " " + scheduler);
            System.exit(2);
        }
        ReplayBenchmark b = bench(autoscaler, size, scheduler);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ReplayResult last = null;
        for (int i = 0; i < n; i++) {
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            last = b.synthetic1M();
            System.out.printf("run %d %.0f ms cpu %.0f ms%n", i, (System.nanoTime() - wall) / 1e6,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        System.out.println("digest " + digest(last));
    }

    private static ReplayBenchmark bench(String autoscaler, String size, String scheduler) {
        ReplayBenchmark b = new ReplayBenchmark();
        b.autoscaler = autoscaler;
        b.size = size;
        b.scheduler = scheduler;
        b.setUp();
        return b;
    }

    static String digest(ReplayResult r) throws Exception {
        StringBuilder text = new StringBuilder();
        write(r, text);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 8);
    }

    private static void write(Object o, StringBuilder out) throws Exception {
        switch (o) {
            case null -> out.append("null");
            case long[] a -> out.append(java.util.Arrays.toString(a));
            case int[] a -> out.append(java.util.Arrays.toString(a));
            case double[] a -> out.append(java.util.Arrays.toString(a));
            case Object[] a -> writeAll(java.util.Arrays.asList(a), out);
            case Collection<?> c -> writeAll(c, out);
            case Map<?, ?> m -> {
                out.append('{');
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    write(e.getKey(), out);
                    out.append('=');
                    write(e.getValue(), out);
                    out.append(',');
                }
                out.append('}');
            }
            case Record rec -> {
                out.append(rec.getClass().getSimpleName()).append('(');
                for (RecordComponent c : rec.getClass().getRecordComponents()) {
                    // Wall-clock time differs from run to run; the per-minute peaks came in session 38 (a commit before
                    // has none), and follow from the billed nodes over time, which the timeline and node-hours cover;
                    // the budgets' holds came in session 41 and the drains they held in session 42, both empty without
                    // PodDisruptionBudgets (every configuration).
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    Object value = accessor.invoke(rec);
                    boolean emptyBudgetPart = c.getName().equals("budgetHolds") && ((Map<?, ?>) value).isEmpty()
                            // by reflection: the tool is compiled against older builds too, which lack the type
                            || c.getName().equals("budgetedDrains") && (Boolean) value.getClass().getMethod("isEmpty").invoke(value);
                    // A pool's DaemonSets' scoring load came in session 75 (review 75 F3): the configurations run no DaemonSets,
                    // so it is their zero load, which daemonSetLoad writes.
                    boolean newPoolPart = c.getName().equals("daemonSetScoring");
                    if (!c.getName().equals("elapsedNanos") && !c.getName().equals("peakNodesByMinuteOfWeek") && !emptyBudgetPart
                            && !newPoolPart) {
                        out.append(c.getName()).append('=');
                        write(value, out);
                        out.append(',');
                    }
                }
                out.append(')');
            }
            default -> out.append(o);
        }
    }

    private static void writeAll(Collection<?> items, StringBuilder out) throws Exception {
        out.append('[');
        for (Object x : items) {
            write(x, out);
            out.append(',');
        }
        out.append(']');
    }
}
