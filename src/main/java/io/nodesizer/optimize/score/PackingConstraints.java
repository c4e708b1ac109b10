package io.nodesizer.optimize.score;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import io.nodesizer.optimize.domain.Node;
import io.nodesizer.optimize.domain.Pod;

import java.util.function.Function;

/**
 * Hard: no node over its pod capacity, every node's GPU pods on its GPU devices, no pods that repel
 * each other on one node, no more of a workload on a node than its cap. Medium: as few nodes as possible. Soft: concentrate load,
 * so that light nodes drain and the medium level can improve.
 *
 * <p>The overload and concentration constraints share one groupBy (same key function and collector
 * instances, so Timefold's node sharing builds it once).
 */
public final class PackingConstraints implements ConstraintProvider {
    private static final Function<Pod, Node> NODE_OF = Pod::getNode;
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            nodeOverload(factory),
            gpuDevices(factory),
            repellingPods(factory),
            capPerNode(factory),
            nodesInUse(factory),
            loadConcentration(factory)
        };
    }

    /** Per node, Σ over active resources of the normalised excess ({@link NodeLoad#overloadPenalty}). */
    Constraint nodeOverload(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .groupBy(NODE_OF, NodeLoadCollector.INSTANCE)
                .filter((node, load) -> load.isOverloaded(node.capacity()))
                .penalize(HardMediumSoftScore.ONE_HARD, (node, load) -> load.overloadPenalty(node.capacity()))
                .asConstraint(ConstraintNames.NODE_OVERLOAD);
    }

    /**
     * One per node whose GPU pods cannot be given its devices ({@link GpuRequests#fit}): the
     * pooled GPU total of {@link #nodeOverload} can have room where the devices do not.
     */
    Constraint gpuDevices(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .filter(pod -> pod.getDemand().amounts()[GPU] > 0)
                .groupBy(NODE_OF, GpuRequestsCollector.INSTANCE)
                .filter((node, gpus) -> !gpus.fit(node.capacity().gpuDevices()))
                .penalize(HardMediumSoftScore.ONE_HARD)
                .asConstraint(ConstraintNames.GPU_DEVICES);
    }

    /**
     * One per pair of pods on one node whose groups repel each other. Only pods with rules take
     * part (repelling is symmetric, so both sides have some), which keeps the join small.
     */
    Constraint repellingPods(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .filter(pod -> pod.getDemand().repels().length > 0)
                .join(factory.forEach(Pod.class).filter(pod -> pod.getDemand().repels().length > 0),
                        ai.timefold.solver.core.api.score.stream.Joiners.equal(NODE_OF),
                        ai.timefold.solver.core.api.score.stream.Joiners.lessThan(Pod::getId))
                .filter((a, b) -> a.getDemand().repels(b.getDemand().group()))
                .penalize(HardMediumSoftScore.ONE_HARD)
                .asConstraint(ConstraintNames.REPELLING_PODS);
    }

    /** Per node and capped group, the pods above the cap. */
    Constraint capPerNode(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .filter(pod -> pod.getDemand().cap() > 0)
                .groupBy(NODE_OF, Pod::getDemand, ai.timefold.solver.core.api.score.stream.ConstraintCollectors.count())
                .filter((node, demand, count) -> count > demand.cap())
                .penalize(HardMediumSoftScore.ONE_HARD, (node, demand, count) -> count - demand.cap())
                .asConstraint(ConstraintNames.CAP_PER_NODE);
    }

    /** One per node that holds a pod. */
    Constraint nodesInUse(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .groupBy(NODE_OF)
                .penalize(HardMediumSoftScore.ONE_MEDIUM)
                .asConstraint(ConstraintNames.NODES_IN_USE);
    }

    /** Per used node, Σ over active resources of (normalised load)² ({@link NodeLoad#concentration}). */
    Constraint loadConcentration(ConstraintFactory factory) {
        return factory.forEach(Pod.class)
                .groupBy(NODE_OF, NodeLoadCollector.INSTANCE)
                .reward(HardMediumSoftScore.ONE_SOFT, (node, load) -> load.concentration(node.capacity()))
                .asConstraint(ConstraintNames.LOAD_CONCENTRATION);
    }
}
