package io.nodesizer.kube;

import java.util.Locale;
import java.util.Optional;

/**
 * Kubernetes' documented limits on one cluster ("Considerations for large clusters",
 * kubernetes.io/docs/setup/best-practices/cluster-large/: no more than 5,000 nodes, 150,000 pods, 110 pods per node).
 * A packing above them is a fleet of clusters, not one: reports say so where a shape needs more nodes than one cluster
 * runs (QA 66a L5: rightsize's best shape for a 5,000-node cluster took 13,579 nodes, without a word).
 */
public final class ClusterLimits {
    /** The most nodes Kubernetes supports in one cluster. */
    public static final int MAX_NODES = 5_000;

    private ClusterLimits() {
    }

    /**
     * A note when {@code nodes} of {@code shape} are more than one cluster runs; empty otherwise.
     *
     * @param what how the report names this packing ("the best shape", "before, on its best shape")
     */
    public static Optional<String> nodesNote(String what, String shape, int nodes) {
        if (nodes <= MAX_NODES) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s, %s, needs %,d nodes: more than the %,d nodes Kubernetes supports in one "
                + "cluster (\"Considerations for large clusters\"); split the workload over clusters, or give larger shapes", what, shape,
                nodes, MAX_NODES));
    }
}
