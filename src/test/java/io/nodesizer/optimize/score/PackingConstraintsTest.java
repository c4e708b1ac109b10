package io.nodesizer.optimize.score;

import ai.timefold.solver.core.api.score.stream.test.ConstraintVerifier;
import io.nodesizer.model.Resource;
import io.nodesizer.optimize.domain.Node;
import io.nodesizer.optimize.domain.NodeCapacity;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.Pod;
import io.nodesizer.optimize.domain.PodDemand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class PackingConstraintsTest {
    // A node offers 1000m CPU, 1000 bytes of memory and 10 pod slots; GPU and storage are inactive.
    private static final NodeCapacity CAPACITY = new NodeCapacity(new long[] {1000, 1000, 10, 0, 0},
            new int[] {Resource.CPU.ordinal(), Resource.MEMORY.ordinal(), Resource.PODS.ordinal()});
    private static final Node N0 = new Node(0, CAPACITY);
    private static final Node N1 = new Node(1, CAPACITY);
    private static final Node N2 = new Node(2, CAPACITY);

    private final ConstraintVerifier<PackingConstraints, NodePacking> verifier =
            ConstraintVerifier.build(new PackingConstraints(), NodePacking.class, Pod.class);

    private static Pod pod(int id, long cpu, long memory, Node node) {
        return new Pod(id, new PodDemand(id, new long[] {cpu, memory, 1, 0, 0}), node);
    }

    @Test
    void overloadIsPenalisedInProportionToTheExcessOnEveryResource() {
        // N0 holds 700+500 = 1200m CPU (200 over 1000: 200/1000 × 10^5 = 20,000) and 200+900 = 1100
        // bytes (100 over: 10,000); 2 of 10 slots is fine. N1's 100m fits. Total 20,000 + 10,000 = 30,000.
        verifier.verifyThat(PackingConstraints::nodeOverload)
                .given(pod(0, 700, 200, N0), pod(1, 500, 900, N0), pod(2, 100, 100, N1), N0, N1, N2)
                .penalizesBy(30_000L);
    }

    @Test
    void aNodeFilledExactlyToCapacityIsNotOverloaded() {
        verifier.verifyThat(PackingConstraints::nodeOverload)
                .given(pod(0, 600, 1000, N0), pod(1, 400, 0, N0), N0)
                .penalizesBy(0L);
    }

    @Test
    void anyExcessCostsAtLeastOne() {
        // 1 byte over 10^12 bytes normalises to 10^-7 units; the penalty rounds up to 1.
        NodeCapacity big = new NodeCapacity(new long[] {1000, 1_000_000_000_000L, 10, 0, 0},
                new int[] {Resource.CPU.ordinal(), Resource.MEMORY.ordinal(), Resource.PODS.ordinal()});
        Node node = new Node(0, big);
        verifier.verifyThat(PackingConstraints::nodeOverload)
                .given(pod(0, 10, 1_000_000_000_000L, node), pod(1, 10, 1, node), node)
                .penalizesBy(1L);
    }

    @Test
    void gpuPodsThatDoNotFitTheDevicesArePenalisedOncePerNode() {
        // Two GPUs per node. N0: three 0.6 shares (1.8 GPUs pooled, but no two share a device) → 1.
        // N1: a share of 0.5 and one whole GPU → fits. N2: two whole GPUs and a 0.1 share → 1.
        NodeCapacity gpus = new NodeCapacity(new long[] {10_000, 10_000, 10, 2000, 0},
                new int[] {Resource.CPU.ordinal(), Resource.MEMORY.ordinal(), Resource.PODS.ordinal(), Resource.GPU.ordinal()}, 2);
        Node a = new Node(0, gpus);
        Node b = new Node(1, gpus);
        Node c = new Node(2, gpus);
        verifier.verifyThat(PackingConstraints::gpuDevices)
                .given(gpuPod(0, 600, a), gpuPod(1, 600, a), gpuPod(2, 600, a), gpuPod(3, 500, b), gpuPod(4, 1000, b),
                        gpuPod(5, 1000, c), gpuPod(6, 1000, c), gpuPod(7, 100, c), pod(8, 10, 10, c), a, b, c)
                .penalizesBy(2);
    }

    private static Pod gpuPod(int id, long gpu, Node node) {
        return new Pod(id, new PodDemand(id, new long[] {100, 100, 1, gpu, 0}), node);
    }

    private static Pod ruled(int id, int group, int cap, int[] repels, Node node) {
        return new Pod(id, new PodDemand(group, new long[] {100, 100, 1, 0, 0}, cap, repels), node);
    }

    @Test
    void podsThatRepelEachOtherArePenalisedPerPairOnANode() {
        // Groups 0 (web) and 1 (cache) repel each other; group 2 has no rules. N0: web, cache, cache
        // → 2 pairs; N1: web and a plain pod → 0; N2: two caches (no cap, same group) → 0.
        int[] webRepels = {1};
        int[] cacheRepels = {0};
        verifier.verifyThat(PackingConstraints::repellingPods)
                .given(ruled(0, 0, 0, webRepels, N0), ruled(1, 1, 0, cacheRepels, N0), ruled(2, 1, 0, cacheRepels, N0),
                        ruled(3, 0, 0, webRepels, N1), pod(4, 100, 100, N1),
                        ruled(5, 1, 0, cacheRepels, N2), ruled(6, 1, 0, cacheRepels, N2), N0, N1, N2)
                .penalizesBy(2);
    }

    @Test
    void podsAboveTheirCapPerNodeArePenalisedByTheExcess() {
        // Group 0 at most 1 per node (anti-affinity on itself), group 1 at most 2 (hostname spread).
        // N0: three of group 0 → 2 over; N1: three of group 1 → 1 over, one of group 0 → fine. Total 3.
        int[] none = {};
        verifier.verifyThat(PackingConstraints::capPerNode)
                .given(ruled(0, 0, 1, none, N0), ruled(1, 0, 1, none, N0), ruled(2, 0, 1, none, N0),
                        ruled(3, 1, 2, none, N1), ruled(4, 1, 2, none, N1), ruled(5, 1, 2, none, N1), ruled(6, 0, 1, none, N1),
                        N0, N1)
                .penalizesBy(3);
    }

    @Test
    void everyNodeHoldingAPodCountsOnce() {
        // Three pods on N0 and N1; N2 is empty: 2 nodes in use.
        verifier.verifyThat(PackingConstraints::nodesInUse)
                .given(pod(0, 100, 100, N0), pod(1, 100, 100, N0), pod(2, 100, 100, N1), N0, N1, N2)
                .penalizesBy(2);
    }

    @Test
    void concentrationRewardsTheSquaredNormalisedLoadOfEachNode() {
        // N0: CPU 500/1000 → 50,000; memory 250/1000 → 25,000; 1 of 10 slots → 10,000:
        //     2.5·10^9 + 6.25·10^8 + 10^8 = 3.225·10^9.
        // N1: CPU 100/1000 → 10,000; memory 0; 1 slot → 10,000: 10^8 + 0 + 10^8 = 2·10^8.
        // Total 3.425·10^9.
        verifier.verifyThat(PackingConstraints::loadConcentration)
                .given(pod(0, 500, 250, N0), pod(1, 100, 0, N1), N0, N1, N2)
                .rewardsWith(3_425_000_000L);
    }

    @Test
    void concentrationPrefersOneFullNodeToTwoHalfFullOnes() {
        // Convexity: (2x)² > 2·x². Two 500m pods together: CPU 10^5 → 10^10 plus 2 slots 20,000 → 4·10^8.
        NodeLoad together = new NodeLoad(new long[] {1000, 0, 2, 0, 0});
        NodeLoad half = new NodeLoad(new long[] {500, 0, 1, 0, 0});
        assertThat(together.concentration(CAPACITY)).isEqualTo(10_400_000_000L)
                .isGreaterThan(2 * half.concentration(CAPACITY));
    }

    @Test
    void normalisedLoadIsCappedAtTheScaleAndSafeFromOverflow() {
        assertThat(NodeLoad.normalised(2000, 1000)).isEqualTo(NodeLoad.SCALE);
        // 2^62 × 10^5 overflows a long; the double path still gives half the capacity.
        assertThat(NodeLoad.normalised(1L << 61, 1L << 62)).isEqualTo(NodeLoad.SCALE / 2);
        assertThat(NodeLoad.normalised(0, 1000)).isZero();
    }
}
