package io.nodesizer.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of a workload none of which asks at least another on every resource: a pod fits a
 * node's free room only if one of these does, so whether some pod could still use a node is a
 * check of these few against its free amounts (the stranded capacity of {@code ShapeEvaluator} and
 * {@code analyze}). Kept up to a limit; past it, callers fall back to a per-resource test.
 */
public final class LeastRequests {
    /** Vectors kept at most where a caller has no reason to choose: the check is then a few hundred compares a node at most. */
    public static final int LIMIT = 64;

    private final List<long[]> least = new ArrayList<>();
    private final int[] dims;
    /**
     * Per resource index r, {@code dims} without r: the resources compared on their free total where r's fit is asked
     * otherwise (a GPU's, device by device). Built once here, so a check allocates nothing and compares as many
     * resources as it needs, without a test of which one each is.
     */
    private final int[][] beside;
    private final int limit;
    private boolean overflow;

    /** @param dims the resources (indices) compared; {@code limit} the vectors kept at most */
    public LeastRequests(int[] dims, int limit) {
        this.dims = dims.clone();
        this.limit = limit;
        int width = 0;
        for (int r : dims) {
            width = Math.max(width, r + 1);
        }
        beside = new int[width][];
        for (int r = 0; r < width; r++) {
            int skip = r;
            beside[r] = java.util.Arrays.stream(dims).filter(d -> d != skip).toArray();
        }
    }

    /** Adds one request (per resource, indexed as {@code dims}); a copy is kept when no kept one asks at most as much. */
    public void add(long[] request) {
        if (overflow) {
            return;
        }
        for (long[] f : least) {
            if (atMost(f, request)) {
                return;
            }
        }
        least.removeIf(f -> atMost(request, f));
        least.add(request.clone());
        overflow = least.size() > limit;
    }

    /** Whether no request was added. */
    public boolean isEmpty() {
        return least.isEmpty() && !overflow;
    }

    /** Whether more than the limit were needed: {@link #fitsOne} then cannot say. */
    public boolean overflow() {
        return overflow;
    }

    /** Whether some request added fits within {@code free} on every compared resource. */
    public boolean fitsOne(long[] free) {
        return fitsOne(free, dims, -1, null, 0, 0);
    }

    /**
     * As {@link #fitsOne}, on a node whose GPU amount ({@code gpu}, an index of {@code free}) is devices, loaded
     * {@code deviceLoad[base..base+devices)}: a request's GPU fits as {@link GpuDevices#fits} places it, a share on one
     * device with room for it, whole GPUs on as many free devices; the node's free total says nothing of that (two
     * devices with 400 thousandths free each hold no share of 600).
     */
    public boolean fitsOne(long[] free, int gpu, int[] deviceLoad, int base, int devices) {
        // Null would skip the GPU altogether in the shared loop (review 74b #12): the plain form is fitsOne(free).
        java.util.Objects.requireNonNull(deviceLoad, "deviceLoad");
        return fitsOne(free, gpu < beside.length ? beside[gpu] : dims, gpu, deviceLoad, base, devices);
    }

    /**
     * Whether some request fits within {@code free} on the resources {@code compared} and, when {@code deviceLoad} is
     * given, its resource {@code gpu} on the devices. Both public checks are this one: the plain one (the hot path of
     * the sweep's stranded count and analyze) pays one null test per vector, not per resource.
     */
    private boolean fitsOne(long[] free, int[] compared, int gpu, int[] deviceLoad, int base, int devices) {
        if (overflow) {
            throw new IllegalStateException("more than " + limit + " least requests: check overflow() first");
        }
        for (long[] v : least) {
            if (atMost(v, free, compared) && (deviceLoad == null || GpuDevices.fits(deviceLoad, base, devices, v[gpu]))) {
                return true;
            }
        }
        return false;
    }

    private boolean atMost(long[] a, long[] b) {
        return atMost(a, b, dims);
    }

    private static boolean atMost(long[] a, long[] b, int[] compared) {
        for (int r : compared) {
            if (a[r] > b[r]) {
                return false;
            }
        }
        return true;
    }
}
