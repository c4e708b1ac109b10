package io.nodesizer.optimize.score;

/** The names of the constraints in {@link PackingConstraints}, as score analysis reports them. */
public final class ConstraintNames {
    /** Hard: a node's pods request more than its pod capacity on some resource. */
    public static final String NODE_OVERLOAD = "Node overload";
    /** Hard: a node's GPU pods do not fit its GPU devices (shares on one device each, whole GPUs exclusive). */
    public static final String GPU_DEVICES = "GPU devices";
    /** Hard: two pods on one node that may not share it (required pod anti-affinity on the hostname). */
    public static final String REPELLING_PODS = "Repelling pods";
    /** Hard: more pods of a workload on one node than its cap (one for anti-affinity on itself, maxSkew for a hostname spread). */
    public static final String CAP_PER_NODE = "Cap per node";
    /** Medium: one per node that holds at least one pod. */
    public static final String NODES_IN_USE = "Nodes in use";
    /** Soft (reward): Σ over used nodes and active resources of (normalised load)². */
    public static final String LOAD_CONCENTRATION = "Load concentration";

    private ConstraintNames() {
    }
}
