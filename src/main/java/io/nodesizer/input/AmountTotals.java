package io.nodesizer.input;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Resource;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.Function;

/**
 * Whether a snapshot's or a workload's amounts can be counted: on every resource, the nodes' allocatable, their
 * capacity and the pods' requests (a workload's: each group's request times its replicas, and its DaemonSets'
 * requests) must each add up to at most {@link #MOST} (2^60 base units: 1Ei
 * of memory, 1.15 × 10^12 CPU). nodesizer counts in longs (bytes, millicores); with each total
 * within 2^60, every sum it forms of a few of them (a node's load and a pod's request, a pool's
 * allocatable, a packing's demand) stays within 2^63. A snapshot past it (QA 55b F8: an 8E node and
 * ten 1E pods, whose sum wrapped negative) is refused with the largest node or pod named, as a
 * mistake in the input: a unit is off. The largest clouds' nodes have 32 TiB, so a 5,000-node
 * cluster of them stays near 2^57.
 */
public final class AmountTotals {
    /** The most each total may be, in base units (bytes, millicores, pods, thousandths). */
    public static final long MOST = 1L << 60;

    private AmountTotals() {
    }

    /** Throws an {@link InputException} naming the largest node or pod when a total is past {@link #MOST}. */
    public static void check(ClusterSnapshot snapshot) {
        List<ClusterSnapshot.Node> nodes = snapshot.nodes();
        List<ClusterSnapshot.Pod> pods = snapshot.pods();
        checkNodes(nodes, "allocatable", ClusterSnapshot.Node::allocatable, ClusterSnapshot.Node::origin, ClusterSnapshot.Node::name);
        checkNodes(nodes, "capacity", ClusterSnapshot.Node::capacity, ClusterSnapshot.Node::origin, ClusterSnapshot.Node::name);
        for (Resource r : Resource.values()) {
            total(pods, p -> p.request().get(r), ClusterSnapshot.Pod::origin, AmountTotals::podNamed,
                    "pods' " + r.kubernetesName() + " requests", r, null);
        }
        // Extended resources (hugepages, device plugins' other than GPUs): per name, in thousandths.
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        nodes.forEach(n -> names.addAll(n.extended().keySet()));
        pods.forEach(p -> names.addAll(p.extended().keySet()));
        for (String x : names) {
            total(nodes, n -> n.extended().getOrDefault(x, 0L), ClusterSnapshot.Node::origin, n -> "node " + n.name() + " has",
                    "nodes' allocatable " + x, null, x);
            total(pods, p -> p.extended().getOrDefault(x, 0L), ClusterSnapshot.Pod::origin, AmountTotals::podNamed,
                    "pods' " + x + " requests", null, x);
        }
    }

    /**
     * Throws an {@link InputException} naming the largest group (or DaemonSet) when the workload's requests, each group's
     * times its replicas, add up past {@link #MOST} on a resource (QA 55c's 2^60 audit: twenty 1Ei pods on a 7Ei node
     * wrapped the packing's demand negative and failed its own verification as "a bug in nodesizer").
     */
    public static void check(Workload w) {
        List<PodGroup> groups = w.groups();
        List<io.nodesizer.model.DaemonSetSpec> daemonSets = w.daemonSets();
        String files = w.sources().isEmpty() ? "the workload" : String.join(", ", w.sources());
        // In longs first, every resource in one pass: a BigInteger product and sum per group and resource were a fifth of a
        // cold `pack` of 150,000 trace pods (the JFR profile of session 77); the exact sums only where a product or a sum
        // passes MOST.
        if (withinMost(groups, PodGroup::request, PodGroup::replicas) && withinMost(daemonSets, io.nodesizer.model.DaemonSetSpec::request,
                d -> 1)) {
            return;
        }
        for (Resource r : Resource.values()) {
            bigTotal(groups, g -> BigInteger.valueOf(g.request().get(r)).multiply(BigInteger.valueOf(g.replicas())), PodGroup::origin,
                    g -> g.name() + " (" + g.replicas() + (g.replicas() == 1 ? " pod" : " pods") + ") requests", "pods' "
                            + r.kubernetesName() + " requests", r, null, files);
            bigTotal(daemonSets, d -> BigInteger.valueOf(d.request().get(r)), io.nodesizer.model.DaemonSetSpec::origin,
                    d -> "DaemonSet " + d.name() + " requests", "DaemonSets' " + r.kubernetesName() + " requests per node", r, null, files);
        }
    }

    /**
     * Whether, on every resource, each request times its count and their sum stay within {@link #MOST} (no amount or count
     * negative): then nothing can pass it and the exact sums are not needed.
     */
    private static <T> boolean withinMost(List<T> items, Function<T, io.nodesizer.model.Resources> request,
                                          java.util.function.ToIntFunction<T> count) {
        long[] sums = new long[Resource.COUNT];
        for (T t : items) {
            io.nodesizer.model.Resources r = request.apply(t);
            long n = count.applyAsInt(t);
            if (!add(sums, 0, r.cpuMillis(), n) || !add(sums, 1, r.memoryBytes(), n) || !add(sums, 2, r.pods(), n)
                    || !add(sums, 3, r.gpuMillis(), n) || !add(sums, 4, r.ephemeralStorageBytes(), n)) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code a × n} to {@code sums[k]}; false when either is negative or the product or the sum passes MOST. */
    private static boolean add(long[] sums, int k, long a, long n) {
        if (a < 0 || n < 0) {
            return false;
        }
        // A single pod (every row of a trace) or both below 2^31: the product fits a long and is compared as it is, no division;
        // else a <= MOST and n <= MOST / a keep the product within MOST without overflowing a long.
        if (n > 1 && (a | n) >>> 31 != 0 && (a > MOST || a != 0 && n > MOST / a)) {
            return false;
        }
        long product = a * n;
        if (product > MOST) {
            return false;
        }
        sums[k] += product;
        return sums[k] <= MOST;
    }

    /**
     * Throws an {@link InputException} naming the largest node when the nodes' {@code what} (allocatable, capacity) adds up
     * past {@link #MOST} on a resource: a snapshot's nodes, or an openb node list's rows (QA 62 item 3: rows of 2^40 MiB
     * each wrapped the fleet's memory negative, "-6442451191.207 GiB left over").
     */
    public static <T> void checkNodes(List<T> nodes, String what, Function<T, io.nodesizer.model.Resources> amounts,
                                      Function<T, SourceRef> origin, Function<T, String> name) {
        for (Resource r : Resource.values()) {
            total(nodes, n -> amounts.apply(n).get(r), origin, n -> "node " + name.apply(n) + " has",
                    "nodes' " + what + " " + r.kubernetesName(), r, null);
        }
    }

    private static String podNamed(ClusterSnapshot.Pod p) {
        return "pod " + p.fullName() + (p.nodeName() == null ? " (pending)" : " (on node " + p.nodeName() + ")") + " requests";
    }

    /**
     * The sum of {@code amount} over {@code items}, past {@link #MOST}: an error at the largest item.
     *
     * @param unit     the resource, or null for the extended resource {@code extended}
     * @param extended the extended resource's name, or null
     */
    private static <T> void total(List<T> items, java.util.function.ToLongFunction<T> amount, Function<T, SourceRef> origin,
                                  Function<T, String> named, String what, Resource unit, String extended) {
        // In longs while every amount and the sum stay within MOST (a BigInteger per pod and resource was a tenth of reading
        // a 144,000-pod snapshot, QA 66a M2); the exact sum and the error past it otherwise.
        long sum = 0;
        for (T t : items) {
            long a = amount.applyAsLong(t);
            sum += a;
            if (a < 0 || a > MOST || sum > MOST) {
                bigTotal(items, x -> BigInteger.valueOf(amount.applyAsLong(x)), origin, named, what, unit, extended, "the input");
                return;
            }
        }
    }

    /**
     * As above, for amounts that may themselves pass a long (a group's request times its replicas), at {@code fallback}
     * (the workload's files) where the largest item has no place of its own.
     */
    private static <T> void bigTotal(List<T> items, Function<T, BigInteger> amount, Function<T, SourceRef> origin,
                                     Function<T, String> named, String what, Resource unit, String extended, String fallback) {
        BigInteger sum = BigInteger.ZERO;
        T largest = null;
        BigInteger most = BigInteger.ONE.negate();
        for (T t : items) {
            BigInteger a = amount.apply(t);
            sum = sum.add(a);
            if (a.compareTo(most) > 0) {
                most = a;
                largest = t;
            }
        }
        if (sum.compareTo(BigInteger.valueOf(MOST)) <= 0) {
            return;
        }
        SourceRef at = origin.apply(largest);
        boolean bytes = unit == Resource.MEMORY || unit == Resource.EPHEMERAL_STORAGE || unit == null && extended.startsWith("hugepages-");
        String base = unit == null || unit == Resource.GPU ? " thousandths" : unit == Resource.CPU ? " millicores" : bytes ? " bytes" : "";
        SourceLocation where = at == null ? SourceLocation.ofFile(fallback) : SourceLocation.of(at.file(), at.line());
        throw new InputException(where, "The " + what + " must add up to at most " + shown(BigInteger.valueOf(MOST), unit, extended) + " (2^60" + base + ", the most nodesizer counts); "
                + "found " + shown(sum, unit, extended) + " in all, of which " + named.apply(largest) + " "
                + shown(most, unit, extended) + "."
                + (bytes ? " Maybe a unit is off: E, P and T are 10^18, 10^15 and 10^12 bytes (Gi is 2^30)." : ""));
    }

    /**
     * An amount in the user's units: memory and storage in bytes (in T, P and E from 10^12; 2^60 as 1Ei), CPU in cores,
     * GPUs and extended resources in units (hugepages in bytes), four figures from 10^12 on.
     */
    static String shown(BigInteger v, Resource unit, String extended) {
        boolean hugepages = unit == null && extended.startsWith("hugepages-");
        if (unit == Resource.PODS) {
            return v + " pods";
        }
        if (unit == Resource.MEMORY || unit == Resource.EPHEMERAL_STORAGE || hugepages) {
            BigInteger b = hugepages ? v.divide(BigInteger.valueOf(1000)) : v; // extended amounts are in thousandths
            if (b.equals(BigInteger.ONE.shiftLeft(60))) {
                return "1Ei";
            }
            int exponent = 18;
            while (exponent > 0 && b.compareTo(BigInteger.TEN.pow(exponent)) < 0) {
                exponent -= 3;
            }
            return exponent < 12 ? b + " bytes" : new BigDecimal(b).movePointLeft(exponent).setScale(3, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString() + "TPE".charAt(exponent / 3 - 4);
        }
        BigDecimal units = new BigDecimal(v).movePointLeft(3); // CPU, GPUs and extended amounts are in thousandths
        // Plain, grouped by thousands past a trillion, as the reports write figures: "1.153E+15 CPU" read as a
        // calculator's (QA 65a F9).
        String n = units.compareTo(BigDecimal.TEN.pow(12)) < 0 ? units.stripTrailingZeros().toPlainString()
                : new java.text.DecimalFormat("#,##0.###", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)).format(units);
        return n + (unit == Resource.CPU ? " CPU" : unit == Resource.GPU ? " GPUs" : "");
    }
}
