package io.nodesizer.pattern;

import io.nodesizer.engine.GpuDevices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A start for nodes of several GPU devices whose pods share devices: the shares are packed into
 * device-bins first (one-dimensional bin packing of their thousandths, by the pattern method on
 * {@link RequestTypes#deviceBins}), then the device-bins are grouped into nodes of k devices, a
 * second packing in which a device-bin is one item (its pods' CPU, memory, pod slots and the rest
 * summed, one device), beside the other pods (whole GPUs take that many devices, pods without GPUs
 * none), first-fit decreasing by dominant share.
 *
 * <p>Why: the pattern method on such nodes prices patterns over k devices at once, a search its
 * node budget cuts short when the shares fill devices closely, and the local search moves one or
 * two pods at a time; adversarial shares (Falkenauer's triplets scaled to a device: every device
 * of an optimum holds three that fill it exactly) ended 10–20 % above an optimum the same pods
 * reach on 1-GPU nodes (QA 71b F6). Where CPU and memory do not bind, any k device-bins share a
 * node, so the grouped packing has ⌈bins ÷ k⌉ nodes and inherits the one-device optimum.
 */
final class DeviceBins {
    private DeviceBins() {
    }

    /**
     * The grouping: per node its pods per type ({@code nodes}) and the device-bins it took, in order ({@code binsOn}: the
     * bin on its device 0 first; its whole GPUs take the devices after them).
     */
    record Grouped(List<int[]> nodes, List<List<Integer>> binsOn) {
    }

    /**
     * The device-bins {@code bins} (pods per type, shares only, each bin's shares fitting one device) grouped k to a node
     * with the other types' pods, or null when some pod found no node (it fits no empty node; cannot happen for pods that
     * {@code types} says fit).
     */
    static Grouped group(RequestTypes types, List<int[]> bins) {
        int n = types.count();
        int dims = types.dimensions();
        int gpuDim = types.gpuDimension();
        if (gpuDim < 0) {
            throw new IllegalArgumentException("The types track no GPU dimension");
        }
        int devices = types.devices();
        long[] capacity = new long[dims];
        for (int k = 0; k < dims; k++) {
            capacity[k] = types.capacity(k);
        }
        // Items: the bins one by one, then every other type that fits with its count; all of them as vectors without the
        // GPU dimension, which devices (count per item) replace.
        int items = bins.size();
        List<Integer> others = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (types.fits(t) && types.pods(t) > 0 && !types.isShare(t)) {
                others.add(t);
            }
        }
        long[][] vector = new long[items + others.size()][];
        int[] wantDevices = new int[vector.length];
        long[] left = new long[vector.length];
        for (int b = 0; b < items; b++) {
            int[] counts = bins.get(b);
            long[] v = new long[dims];
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < dims && counts[t] > 0; k++) {
                    v[k] += counts[t] * types.size(t, k);
                }
            }
            vector[b] = v;
            wantDevices[b] = 1;
            left[b] = 1;
        }
        for (int i = 0; i < others.size(); i++) {
            int t = others.get(i);
            long[] v = new long[dims];
            for (int k = 0; k < dims; k++) {
                v[k] = types.size(t, k);
            }
            vector[items + i] = v;
            wantDevices[items + i] = GpuDevices.whole(types.gpu(t));
            left[items + i] = types.pods(t);
        }
        double[] share = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            share[i] = (double) wantDevices[i] / devices;
            for (int k = 0; k < dims; k++) {
                if (k != gpuDim && capacity[k] > 0) {
                    share[i] = Math.max(share[i], (double) vector[i][k] / capacity[k]);
                }
            }
        }
        // Decreasing dominant share; the item number breaks ties (bins in the order the dive fixed them), so the grouping
        // is deterministic.
        Integer[] order = new Integer[vector.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(share[b], share[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<int[]> nodes = new ArrayList<>();
        List<List<Integer>> binsOn = new ArrayList<>();
        List<long[]> free = new ArrayList<>();
        List<int[]> freeDevices = new ArrayList<>(); // one element each: devices not yet taken by a bin or whole GPUs
        int withDevice = 0; // nodes below have no free device (devices are only taken): items with GPUs start here
        for (int i : order) {
            int t = i < items ? -1 : others.get(i - items);
            while (withDevice < nodes.size() && freeDevices.get(withDevice)[0] == 0) {
                withDevice++;
            }
            for (int node = wantDevices[i] > 0 ? withDevice : 0; left[i] > 0 && node <= nodes.size(); node++) {
                if (node == nodes.size()) {
                    nodes.add(new int[n]);
                    binsOn.add(new ArrayList<>());
                    long[] room = capacity.clone();
                    room[gpuDim] = 0; // the GPU dimension is counted in devices here
                    free.add(room);
                    freeDevices.add(new int[] {devices});
                }
                long c = fitCount(vector[i], wantDevices[i], free.get(node), freeDevices.get(node)[0], gpuDim, left[i]);
                int[] counts = nodes.get(node);
                if (c > 0 && t >= 0) {
                    c = Math.min(c, types.ruleRoom(t, counts));
                } else if (c > 0 && types.hasRules() && !types.admitsRules(sum(counts, bins.get(i)))) {
                    c = 0;
                }
                if (c == 0) {
                    if (node == nodes.size() - 1 && isEmpty(counts)) {
                        return null; // it does not fit an empty node
                    }
                    continue;
                }
                if (t >= 0) {
                    counts[t] += (int) c;
                } else {
                    int[] bin = bins.get(i);
                    for (int u = 0; u < n; u++) {
                        counts[u] += bin[u];
                    }
                    binsOn.get(node).add(i);
                }
                long[] room = free.get(node);
                for (int k = 0; k < dims; k++) {
                    if (k != gpuDim) {
                        room[k] -= c * vector[i][k];
                    }
                }
                freeDevices.get(node)[0] -= (int) (c * wantDevices[i]);
                left[i] -= c;
            }
        }
        return new Grouped(nodes, binsOn);
    }

    /**
     * The pods of a grouping, type by type in table order as {@link PatternPacking#assign} takes them, and each GPU pod's
     * devices ({@code devices[pod]}, the mask {@link io.nodesizer.engine.PackingResult#gpuDevices} holds): a bin's shares
     * on the bin's device, whole GPUs on the devices after the bins. The bins already say which shares share a device;
     * working the devices out again from the pods per node is an exact search with a cap, which near-exact shares can
     * run out of (review 72 #1: 33 shares filling 11 of 12 devices).
     */
    static int[] assign(io.nodesizer.engine.PackingProblem problem, RequestTypes types, List<int[]> bins, Grouped grouped,
                        long[] devices) {
        io.nodesizer.engine.DemandTable table = problem.table();
        int[] assignment = PatternPacking.emptyAssignment(problem);
        int n = types.count();
        int[] groupCursor = new int[n];
        int[] podCursor = new int[n];
        for (int node = 0; node < grouped.nodes().size(); node++) {
            int[] counts = grouped.nodes().get(node).clone();
            int device = 0;
            for (int b : grouped.binsOn().get(node)) {
                int[] bin = bins.get(b);
                for (int t = 0; t < n; t++) {
                    for (int c = 0; c < bin[t]; c++) {
                        devices[PatternPacking.placeNext(table, types, t, groupCursor, podCursor, assignment, node)] = 1L << device;
                    }
                    counts[t] -= bin[t];
                }
                device++;
            }
            for (int t = 0; t < n; t++) {
                int whole = types.gpu(t) >= GpuDevices.UNIT ? GpuDevices.whole(types.gpu(t)) : 0;
                for (int c = 0; c < counts[t]; c++) {
                    int pod = PatternPacking.placeNext(table, types, t, groupCursor, podCursor, assignment, node);
                    if (whole > 0) {
                        devices[pod] = ((1L << whole) - 1) << device;
                        device += whole;
                    }
                }
            }
        }
        return assignment;
    }

    /** The devices the whole-GPU pods that fit take, one each per GPU they ask for. */
    static long wholeDevices(RequestTypes types) {
        long devices = 0;
        for (int t = 0; t < types.count(); t++) {
            if (types.fits(t) && types.gpu(t) >= GpuDevices.UNIT) {
                devices += types.pods(t) * GpuDevices.whole(types.gpu(t));
            }
        }
        return devices;
    }

    /**
     * What the devices and the other resources need ({@link PatternPacking#deviceNeed}): the device-bins of a first-fit
     * decreasing packing of the shares ({@code bins}, {@link RequestTypes#deviceBins}) plus the whole GPUs, against the
     * greatest volume of a resource besides the GPUs; null when the first-fit packing left shares out.
     */
    static PatternPacking.DeviceNeed need(RequestTypes types, RequestTypes bins) {
        long[] demand = new long[bins.count()];
        for (int t = 0; t < demand.length; t++) {
            demand[t] = bins.pods(t);
        }
        long binCount = SeedPatterns.firstFitDecreasingNodes(bins, demand);
        if (binCount < 0) {
            return null;
        }
        long devices = binCount + wholeDevices(types);
        int deviceNodes = (int) ((devices + types.devices() - 1) / types.devices());
        int otherNodes = 0;
        int other = -1;
        for (int k = 0; k < types.dimensions(); k++) {
            if (k == types.gpuDimension() || types.capacity(k) <= 0) {
                continue;
            }
            double sum = 0;
            for (int t = 0; t < types.count(); t++) {
                if (types.fits(t)) {
                    sum += (double) types.pods(t) * types.size(t, k);
                }
            }
            // A hair below the quotient before the ceiling: a double sum may round up, and this is a lower bound.
            int nodes = (int) Math.ceil(sum / types.capacity(k) * (1 - 1e-12));
            if (nodes > otherNodes) {
                otherNodes = nodes;
                other = types.resource(k);
            }
        }
        return new PatternPacking.DeviceNeed(devices, types.devices(), deviceNodes, otherNodes, other);
    }

    /** How many of an item fit a node with room {@code free} and {@code devices} free devices, at most {@code limit}. */
    private static long fitCount(long[] v, int wantDevices, long[] free, int devices, int gpuDim, long limit) {
        long c = limit;
        for (int k = 0; k < v.length; k++) {
            if (k != gpuDim && v[k] > 0) {
                c = Math.min(c, free[k] / v[k]);
            }
        }
        return wantDevices == 0 ? c : Math.min(c, devices / wantDevices);
    }

    private static int[] sum(int[] a, int[] b) {
        int[] s = a.clone();
        for (int t = 0; t < s.length; t++) {
            s[t] += b[t];
        }
        return s;
    }

    private static boolean isEmpty(int[] counts) {
        for (int c : counts) {
            if (c > 0) {
                return false;
            }
        }
        return true;
    }
}
