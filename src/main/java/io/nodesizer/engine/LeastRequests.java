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
    private final int limit;
    private boolean overflow;

    /** @param dims the resources (indices) compared; {@code limit} the vectors kept at most */
    public LeastRequests(int[] dims, int limit) {
        this.dims = dims.clone();
        this.limit = limit;
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
        if (overflow) {
            throw new IllegalStateException("more than " + limit + " least requests: check overflow() first");
        }
        for (long[] v : least) {
            if (atMost(v, free)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #fitsOne}, on a node whose GPU amount ({@code gpu}, an index of {@code free}) is devices, loaded
     * {@code deviceLoad[base..base+devices)}: a request's GPU fits as {@link GpuDevices#fits} places it, a share on one
     * device with room for it, whole GPUs on as many free devices; the node's free total says nothing of that (two
     * devices with 400 thousandths free each hold no share of 600).
     */
    public boolean fitsOne(long[] free, int gpu, int[] deviceLoad, int base, int devices) {
        if (overflow) {
            throw new IllegalStateException("more than " + limit + " least requests: check overflow() first");
        }
        for (long[] v : least) {
            if (atMostBeside(v, free, gpu) && GpuDevices.fits(deviceLoad, base, devices, v[gpu])) {
                return true;
            }
        }
        return false;
    }

    private boolean atMostBeside(long[] a, long[] b, int skip) {
        for (int r : dims) {
            if (r != skip && a[r] > b[r]) {
                return false;
            }
        }
        return true;
    }

    private boolean atMost(long[] a, long[] b) {
        for (int r : dims) {
            if (a[r] > b[r]) {
                return false;
            }
        }
        return true;
    }
}
