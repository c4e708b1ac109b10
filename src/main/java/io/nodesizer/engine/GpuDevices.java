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

    /**
     * Per node of {@code result} (stride {@code devices}) the thousandths its placed GPU pods take of each device, summed
     * with {@link #occupy} from the packing's device masks (none recorded: every pod's mask is empty). {@code check}, when
     * not null, sees each placed GPU pod's mask before it is added (an invalid one must stop it there: its bits may lie
     * past the node's devices) and each device a pod takes over {@link #UNIT}: the verifier fails there, the sweep's
     * stranded count (a verified result) passes null.
     */
    public static int[] loads(PackingResult result, int devices, DeviceCheck check) {
        DemandTable table = result.problem().table();
        long[] masks = result.gpuDevices();
        int[] load = new int[result.nodeCount() * devices];
        for (int g = 0; g < table.groupCount(); g++) {
            long gpu = table.group(g).request().gpuMillis();
            for (int i = 0; gpu > 0 && i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                int node = result.assignment()[pod];
                if (node < 0) {
                    continue;
                }
                long mask = masks == null ? 0 : masks[pod];
                if (check != null) {
                    check.pod(g, i, mask, gpu, devices);
                }
                int over = occupy(load, node * devices, mask, gpu);
                if (over >= 0 && check != null) {
                    check.over(node, over, load[node * devices + over]);
                }
            }
        }
        return load;
    }

    /** What {@link #loads} shows a checker. */
    public interface DeviceCheck {
        /** Pod {@code i} of group {@code g}, asking for {@code gpu} thousandths, holds {@code mask} of its node's {@code devices}. */
        void pod(int g, int i, long mask, long gpu, int devices);

        /** Device {@code device} of {@code node} went over {@link #UNIT}, to {@code load}. */
        void over(int node, int device, int load);
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

    /**
     * Shares {@code order[from..]} (largest first) onto the devices not taken whole, by exhaustive search. The devices left
     * are empty (whole-device pods take a device entirely), so this is bin packing into identical bins of {@link #UNIT}, and
     * the search fills one device at a time (Korf's bin completion): the device holds one of the largest shares left (some
     * device must, and empty devices are alike) and a maximal set of shares beside it (a share that would still fit could
     * be moved there from any other device), chosen as counts per distinct size; a set of shares left that failed once on
     * as many devices is not searched again. Device by device with a memo, not share by share: the share-by-share search
     * spent its 200,000 nodes on 27 shares of five sizes that fill 8 devices to 96 % (QA 53a F11, a verification failure
     * of a packing the optimizer had built by placing its pods one by one).
     */
    private static long[] exactShares(long[] requests, Integer[] order, int from, int devices, long[] masks, long[] shared) {
        if (shared != null && shared[0] <= 0) {
            return null;
        }
        long takenWhole = 0;
        for (int j = 0; j < from; j++) {
            takenWhole |= masks[order[j]];
        }
        int[] free = new int[devices - Long.bitCount(takenWhole)];
        for (int d = 0, f = 0; d < devices; d++) {
            if ((takenWhole >>> d & 1) == 0) {
                free[f++] = d;
            }
        }
        // Distinct share sizes, largest first (order is sorted so), and their pods.
        int[] size = new int[order.length - from];
        int[] count = new int[size.length];
        int[] firstPod = new int[size.length];
        int kinds = 0;
        for (int j = from; j < order.length; j++) {
            long g = requests[order[j]];
            if (g <= 0) {
                continue;
            }
            if (kinds == 0 || size[kinds - 1] != g) {
                size[kinds] = (int) g;
                firstPod[kinds++] = j;
            }
            count[kinds - 1]++;
        }
        size = Arrays.copyOf(size, kinds);
        count = Arrays.copyOf(count, kinds);
        int allowed = shared == null ? EXACT_NODES : (int) Math.min(EXACT_NODES, shared[0]);
        BinCompletion search = new BinCompletion(size, free.length, allowed);
        boolean placed = search.fill(count, 0);
        if (shared != null) {
            shared[0] -= allowed - Math.max(0, search.budget);
        }
        if (!placed) {
            return null;
        }
        int[] next = firstPod.clone();
        for (int b = 0; b < free.length; b++) {
            int[] held = search.bins[b];
            for (int k = 0; held != null && k < kinds; k++) {
                for (int c = 0; c < held[k]; c++) {
                    masks[order[next[k]++]] = 1L << free[b];
                }
            }
        }
        return masks;
    }

    /** The device-by-device search of {@link #exactShares}: counts per share size, one device after another. */
    private static final class BinCompletion {
        private final int[] size;
        private final int[][] bins;
        private final java.util.Set<java.nio.IntBuffer> failed = new java.util.HashSet<>();
        private int budget;

        BinCompletion(int[] size, int devices, int budget) {
            this.size = size;
            this.bins = new int[devices][];
            this.budget = budget;
        }

        /** Whether the shares {@code left} (counts per size) fit devices {@code bin..}; on success {@link #bins} holds them. */
        boolean fill(int[] left, int bin) {
            long rest = 0;
            int first = -1;
            for (int k = 0; k < left.length; k++) {
                rest += (long) left[k] * size[k];
                if (first < 0 && left[k] > 0) {
                    first = k;
                }
            }
            if (first < 0) {
                // Devices from here on hold nothing: a branch that failed deeper may have left its choices there.
                Arrays.fill(bins, bin, bins.length, null);
                return true;
            }
            if (bin == bins.length || rest > (long) (bins.length - bin) * UNIT || --budget < 0) {
                return false;
            }
            int[] keyed = Arrays.copyOf(left, left.length + 1);
            keyed[left.length] = bin;
            java.nio.IntBuffer key = java.nio.IntBuffer.wrap(keyed);
            if (failed.contains(key)) {
                return false;
            }
            int[] take = new int[left.length];
            take[first] = 1;
            if (choose(left, bin, take, first, UNIT - size[first])) {
                return true;
            }
            failed.add(key);
            return false;
        }

        /**
         * Chooses how many shares of sizes {@code k..} device {@code bin} holds beside {@code take[0..k)} (one share of the
         * largest size left already in {@code take[first]}), most first, with {@code room} left; recurses on the rest.
         */
        private boolean choose(int[] left, int bin, int[] take, int k, int room) {
            if (k == left.length) {
                for (int j = 0; j < left.length; j++) {
                    if (left[j] > take[j] && size[j] <= room) {
                        return false; // not maximal: a share that fits here is elsewhere
                    }
                }
                int[] rest = left.clone();
                for (int j = 0; j < rest.length; j++) {
                    rest[j] -= take[j];
                }
                bins[bin] = take.clone();
                return fill(rest, bin + 1);
            }
            if (--budget < 0) {
                return false;
            }
            int base = take[k];
            int most = Math.min(left[k] - base, room / size[k]);
            for (int c = most; c >= 0; c--) {
                take[k] = base + c;
                if (choose(left, bin, take, k + 1, room - c * size[k])) {
                    return true;
                }
            }
            take[k] = base;
            return false;
        }
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
