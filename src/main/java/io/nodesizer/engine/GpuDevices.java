package io.nodesizer.engine;

import java.util.Arrays;

/**
 * GPUs as devices, as a device plugin hands them out. A node's GPU allocatable left for pods
 * (thousandths) is {@code count} whole devices of {@link #UNIT} each. A pod's GPU request
 * {@code g} (thousandths) is either
 * <ul>
 *   <li>a <b>share</b>, {@code 0 < g < 1000}: that fraction of one device (openb GPU sharing:
 *       {@code num_gpu} 1, {@code gpu_milli} below 1000), never split over two devices; or</li>
 *   <li><b>whole devices</b>, {@code g = n × 1000}: n devices nobody else uses
 *       ({@code nvidia.com/gpu: n}, openb multi-GPU pods).</li>
 * </ul>
 * The pooled total per node (what L1 and the pooled checks use) stays a valid relaxation: every
 * device assignment respects it. Per node the state is the load of each device (0..1000; a whole
 * device taken is 1000); a pod's devices are a bit mask, so a node has at most {@link #MAX}.
 *
 * <p>Placement within a node: a whole-device pod takes the lowest-numbered empty devices; a share
 * goes to the fullest device it fits (best fit, lowest number on ties), which keeps empty devices
 * free for whole-device pods.
 */
public final class GpuDevices {
    /** Thousandths in one device. */
    public static final int UNIT = 1000;
    /** Devices per node at most (a pod's devices are one {@code long} mask). */
    public static final int MAX = 64;

    private GpuDevices() {
    }

    /** Whole devices in a pooled GPU amount (thousandths), at most {@link #MAX}. */
    public static int count(long gpuMillis) {
        return (int) Math.min(MAX, Math.max(0, gpuMillis / UNIT));
    }

    /** Devices a request takes whole (0 for a share or no GPU). */
    public static int whole(long g) {
        return g >= UNIT ? (int) ((g + UNIT - 1) / UNIT) : 0;
    }

    /** True when one pod with request {@code g} can be placed on the device loads {@code load[base..base+n)}. */
    public static boolean fits(int[] load, int base, int n, long g) {
        if (g <= 0) {
            return true;
        }
        if (g < UNIT) {
            for (int i = base; i < base + n; i++) {
                if (load[i] + g <= UNIT) {
                    return true;
                }
            }
            return false;
        }
        int need = whole(g);
        for (int i = base; i < base + n && need > 0; i++) {
            if (load[i] == 0) {
                need--;
            }
        }
        return need == 0;
    }

    /** How many pods with request {@code g} fit the loads together, at most {@code limit}. */
    public static int fitCount(int[] load, int base, int n, long g, int limit) {
        if (g <= 0) {
            return limit;
        }
        long k = 0;
        if (g < UNIT) {
            // Each share sits on one device, so devices take floor(room / g) each, independently.
            for (int i = base; i < base + n && k < limit; i++) {
                k += (UNIT - load[i]) / g;
            }
        } else {
            int empty = 0;
            for (int i = base; i < base + n; i++) {
                empty += load[i] == 0 ? 1 : 0;
            }
            k = empty / whole(g);
        }
        return (int) Math.min(k, limit);
    }

    /**
     * Places one pod with request {@code g} (the caller checked {@link #fits}) and returns the mask
     * of its devices (bit i = device i of the node).
     */
    public static long take(int[] load, int base, int n, long g) {
        if (g <= 0) {
            return 0;
        }
        if (g < UNIT) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                int l = load[base + i];
                if (l + g <= UNIT && (best < 0 || l > load[base + best])) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new IllegalStateException("No device has room for a share of " + g);
            }
            load[base + best] += (int) g;
            return 1L << best;
        }
        int need = whole(g);
        long mask = 0;
        for (int i = 0; i < n && need > 0; i++) {
            if (load[base + i] == 0) {
                load[base + i] = UNIT;
                mask |= 1L << i;
                need--;
            }
        }
        if (need > 0) {
            throw new IllegalStateException("Not enough empty devices for " + whole(g) + " whole GPUs");
        }
        return mask;
    }

    /** Gives back the devices of a pod placed with {@link #take}. */
    public static void release(int[] load, int base, long mask, long g) {
        int share = share(g);
        for (long m = mask; m != 0; m &= m - 1) {
            load[base + Long.numberOfTrailingZeros(m)] -= share;
        }
    }

    /**
     * Adds a placed pod's devices to the loads (what {@link #take} does, from a mask recorded
     * elsewhere): for checkers that re-sum devices. Returns the first device that went over
     * {@link #UNIT}, or -1.
     */
    public static int occupy(int[] load, int base, long mask, long g) {
        int share = share(g);
        int over = -1;
        for (long m = mask; m != 0; m &= m - 1) {
            int d = Long.numberOfTrailingZeros(m);
            load[base + d] += share;
            if (over < 0 && load[base + d] > UNIT) {
                over = d;
            }
        }
        return over;
    }

    /** Devices a pod with request {@code g} holds: 1 for a share, n for n whole GPUs, 0 without GPUs. */
    public static int wanted(long g) {
        return g <= 0 ? 0 : g < UNIT ? 1 : whole(g);
    }

    /** Whether {@code mask} is a valid set of devices for a pod with request {@code g} on a node of {@code devices}. */
    public static boolean validMask(long mask, long g, int devices) {
        return Long.bitCount(mask) == wanted(g) && (devices >= MAX || (mask >>> devices) == 0);
    }

    /** Whether a pod with request {@code g} fits an empty node whose GPU allocatable for pods is {@code gpuMillis}. */
    public static boolean fitsEmpty(long gpuMillis, long g) {
        int n = count(gpuMillis);
        // fits() on n empty devices, without building them: asked for every GPU group of a problem
        return g <= 0 || (g < UNIT ? n > 0 : whole(g) <= n);
    }

    /** What a pod with request {@code g} puts on each of its devices. */
    private static int share(long g) {
        return g < UNIT ? (int) g : UNIT;
    }

    /** Search nodes the exact share packing of {@link #assign} may spend before it gives up. */
    static final int EXACT_NODES = 200_000;

    /**
     * Devices for a set of pods on one node, offline: whole-device pods first (most devices
     * first, the lowest empty devices), then the shares largest first, each to the fullest device
     * it fits. When that greedy order fails, an exact search over share placements (largest
     * first, devices of equal load tried once) decides, within {@link #EXACT_NODES} nodes. So a
     * subset of pods that fit also fits (the answer is exact unless the search runs out, which
     * small nodes of at most 64 devices do not reach in practice). Returns per pod its mask (0 for
     * pods without GPUs), or null when they do not fit.
     *
     * @param requests GPU request (thousandths) per pod
     */
    public static long[] assign(long[] requests, int devices) {
        return assign(requests, devices, null);
    }

    /**
     * As {@link #assign(long[], int)}, the exact searches drawing on {@code budget[0]} search nodes shared by every call
     * that passes it (at most {@link #EXACT_NODES} each): a caller that checks many sets of pods (the optimizer's pricing,
     * a check per pattern it records) keeps the whole run's search to a count, as its other effort limits are. Once the
     * budget is spent a set the greedy order cannot place is taken not to fit (the safe side: a pattern left out). Null:
     * {@link #EXACT_NODES} per call.
     */
    public static long[] assign(long[] requests, int devices, long[] budget) {
        Integer[] order = new Integer[requests.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int wa = whole(requests[a]);
            int wb = whole(requests[b]);
            if (wa != wb) {
                return Integer.compare(wb, wa);
            }
            int c = Long.compare(requests[b], requests[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] load = new int[devices];
        long[] masks = new long[requests.length];
        int firstShare = order.length;
        for (int j = 0; j < order.length; j++) {
            int i = order[j];
            long g = requests[i];
            if (g <= 0) {
                continue;
            }
            if (g < UNIT && firstShare == order.length) {
                firstShare = j;
            }
            if (!fits(load, 0, devices, g)) {
                if (g >= UNIT) {
                    return null; // whole devices are counted exactly
                }
                return exactShares(requests, order, firstShare, devices, masks, budget);
            }
            masks[i] = take(load, 0, devices, g);
        }
        return masks;
    }

    /** Shares {@code order[from..]} (largest first) onto the devices not taken whole, by exhaustive search. */
    private static long[] exactShares(long[] requests, Integer[] order, int from, int devices, long[] masks, long[] shared) {
        if (shared != null && shared[0] <= 0) {
            return null;
        }
        int[] load = new int[devices];
        for (int j = 0; j < from; j++) {
            long m = masks[order[j]];
            for (long x = m; x != 0; x &= x - 1) {
                load[Long.numberOfTrailingZeros(x)] = UNIT;
            }
        }
        int n = 0;
        int[] pods = new int[order.length - from];
        long rest = 0;
        for (int j = from; j < order.length; j++) {
            if (requests[order[j]] > 0) {
                pods[n++] = order[j];
                rest += requests[order[j]];
            }
        }
        long room = 0;
        for (int l : load) {
            room += UNIT - l;
        }
        int[] device = new int[n];
        int allowed = shared == null ? EXACT_NODES : (int) Math.min(EXACT_NODES, shared[0]);
        int[] budget = {allowed};
        boolean placed = rest <= room && place(requests, pods, n, 0, load, device, rest, room, budget);
        if (shared != null) {
            shared[0] -= allowed - Math.max(0, budget[0]);
        }
        if (!placed) {
            return null;
        }
        for (int j = 0; j < n; j++) {
            masks[pods[j]] = 1L << device[j];
        }
        return masks;
    }

    private static boolean place(long[] requests, int[] pods, int n, int j, int[] load, int[] device, long rest, long room,
                                 int[] budget) {
        if (j == n) {
            return true;
        }
        if (--budget[0] < 0 || rest > room) {
            return false;
        }
        int g = (int) requests[pods[j]];
        for (int d = 0; d < load.length; d++) {
            if (load[d] + g > UNIT) {
                continue;
            }
            boolean seen = false; // a device with the same load was tried: same subtree
            for (int e = 0; e < d && !seen; e++) {
                seen = load[e] == load[d];
            }
            if (seen) {
                continue;
            }
            load[d] += g;
            device[j] = d;
            if (place(requests, pods, n, j + 1, load, device, rest - g, room - g, budget)) {
                return true;
            }
            load[d] -= g;
        }
        return false;
    }

    /**
     * A GPU request through Fekete and Schepers' dual feasible function u_k ("New classes of fast
     * lower bounds for bin packing problems", Math. Programming 91, 2001), scaled to integers:
     * k · u_k(g / 1000) · 1000 for a share g — g·k when (k+1)·g is a multiple of 1000, else
     * ⌊(k+1)·g / 1000⌋ · 1000 — and 1000·k per GPU for whole GPUs. The shares on any one device
     * sum to at most 1000·k under it, so a node's GPU pods sum to at most devices × 1000·k in any
     * arrangement: a valid pooled row that sees that three 0.4 shares need two devices.
     */
    public static long dff(long g, int k) {
        if (g <= 0) {
            return 0;
        }
        if (g >= UNIT) {
            return (long) whole(g) * UNIT * k;
        }
        long scaled = (k + 1) * g;
        return scaled % UNIT == 0 ? g * k : scaled / UNIT * UNIT;
    }

    /** "0", "2;3": a mask's device numbers for reports (semicolons keep CSV cells whole). */
    public static String describe(long mask) {
        StringBuilder sb = new StringBuilder();
        for (long m = mask; m != 0; m &= m - 1) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(Long.numberOfTrailingZeros(m));
        }
        return sb.toString();
    }
}
