package io.nodesizer.engine;

/**
 * Per resource, the {@link LeastRequests} of the pods that ask some of it: a node's free amount of a resource is usable
 * while a pod asking some of that resource fits the node's free room on every resource at once. A pod asking none of it
 * uses none of it, so a BestEffort pod (a chart shipped with {@code resources: {}}) fitting everywhere no longer makes every
 * node's free CPU and memory usable, and a resource no pod asks (ephemeral storage, mostly) is never stranded: nobody
 * could use it (QA 61a F1, F2).
 */
public final class LeastRequestsByResource {
    private final LeastRequests[] byResource;

    /**
     * @param dims  the resources (indices) compared and tracked
     * @param width the length of a request vector
     * @param limit the least requests kept per resource at most ({@link LeastRequests#LIMIT} where a caller has no reason to choose)
     */
    public LeastRequestsByResource(int[] dims, int width, int limit) {
        byResource = new LeastRequests[width];
        for (int r : dims) {
            byResource[r] = new LeastRequests(dims, limit);
        }
    }

    /** Adds a pod's request to the resources it asks some of. */
    public void add(long[] request) {
        for (int r = 0; r < byResource.length; r++) {
            if (byResource[r] != null && request[r] > 0) {
                byResource[r].add(request);
            }
        }
    }

    /** Whether some pod added asks some of resource {@code r}. */
    public boolean asked(int r) {
        return byResource[r] != null && (byResource[r].overflow() || !byResource[r].isEmpty());
    }

    /** Whether more least requests than the limit ask resource {@code r}: {@link #fitsOneAsking} cannot say then. */
    public boolean overflow(int r) {
        return byResource[r] != null && byResource[r].overflow();
    }

    /** Whether a pod asking some of resource {@code r} fits within {@code free} on every compared resource. */
    public boolean fitsOneAsking(int r, long[] free) {
        return byResource[r] != null && byResource[r].fitsOne(free);
    }

    /** As {@link #fitsOneAsking}, the GPU ({@code gpu}) fitted device by device ({@link LeastRequests#fitsOne(long[], int, int[], int, int)}). */
    public boolean fitsOneAsking(int r, long[] free, int gpu, int[] deviceLoad, int base, int devices) {
        return byResource[r] != null && byResource[r].fitsOne(free, gpu, deviceLoad, base, devices);
    }
}
