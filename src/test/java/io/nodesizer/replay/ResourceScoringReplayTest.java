package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The replay's scheduler scores the resources as kube-scheduler does (review 75): BalancedAllocation skips a best-effort pod
 * (F2), and NodeResourcesFit counts the defaults of the containers without requests (F3). Two m5.large-sized nodes
 * (1930m, 6741 MiB), a and b, one of each pool, requested at the start of a warm start and ready at once; pods pinned to
 * a or b by a node selector arrive at 1 s, the pod looked at (unpinned) at 100 s.
 */
class ResourceScoringReplayTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final String PIN = "test.nodesizer.io/node";

    /**
     * F2: a holds a 1300m/100Mi pod, b a 700m/3000Mi one. A pod without requests scores LeastAllocated (its non-zero
     * 100m/200Mi) 61 on a and 55 on b, so it goes to a; BalancedAllocation would have added 67 and 95 (it went to b), as it
     * still does for the same pod requesting 1m of cpu (since Kubernetes 1.33: PreScore's isBestEffortPod).
     */
    @Test
    void aBestEffortPodIsPlacedWithoutBalancedAllocation() {
        for (KubeScheduler.Scoring scoring : List.of(KubeScheduler.Scoring.DEFAULT_PROFILE, KubeScheduler.Scoring.LEAST_ALLOCATED)) {
            assertThat(placedOn(scoring, plain("besteffort", 0, 0, null))).as(scoring.name()).isEqualTo(0);
        }
        assertThat(placedOn(KubeScheduler.Scoring.DEFAULT_PROFILE, plain("besteffort", 1, 0, null))).as("1m of cpu: balanced scores")
                .isEqualTo(1);
    }

    /**
     * F3: a holds a pod of a 1200m/1Gi container and a container without requests, which scoring counts as 1300m and
     * 1224 MiB (component-helpers PodRequests with NonMissingContainerRequests); b a 1250m/1126Mi pod. A 100m/100Mi pod then
     * scores LeastAllocated (27 + 80) / 2 = 53 on a and (30 + 81) / 2 = 55 on b, and goes to b; counting a's pod as 1200m and
     * 1 GiB (the default only for a pod total of 0) it scored 57 there and went to a.
     */
    @Test
    void aContainerWithoutRequestsCountsTheDefaultsOnItsNode() {
        List<PodGroup> pinned = List.of(withSidecar("p1", 1200, GIB, "a"), plain("p2", 1250, 1126 * MIB, "b"));
        assertThat(placedOn(KubeScheduler.Scoring.LEAST_ALLOCATED, pinned, plain("q", 100, 100 * MIB, null), 1)).isEqualTo(1);
    }

    /**
     * F3: a node's NonZeroRequested counts its DaemonSet pods as any pod, the defaults of their containers without requests
     * included: a request-less DaemonSet on a's pool only makes a count 100m and 200 MiB before any pod. b holds a 50m/100Mi
     * pod; a 100m/100Mi pod then scores LeastAllocated (89 + 95) / 2 = 92 on a and (92 + 97) / 2 = 94 on b, and goes to b
     * (a's DaemonSet counted as its requests, 0, it scored 96 there and went to a).
     */
    @Test
    void aDaemonSetWithoutRequestsCountsTheDefaultsOnItsNodes() {
        PodTemplate agent = new PodTemplate(List.of(
                new PodTemplate.Container("agent", PodTemplate.Role.APP, Resources.ZERO, Resources.ZERO, false, false)), Resources.ZERO);
        io.nodesizer.model.DaemonSetSpec ds = new io.nodesizer.model.DaemonSetSpec("agent", agent.effectiveRequest(), Map.of(PIN, "a"),
                new SourceRef("t", 1), agent, pinned("a"));
        List<Pool> pools = List.of(Pool.of(0, shape("a"), io.nodesizer.kube.DaemonSetPlacement.on(shape("a"), List.of(ds))),
                Pool.of(1, shape("b"), io.nodesizer.kube.DaemonSetPlacement.on(shape("b"), List.of(ds))));
        assertThat(pools.get(0).daemonSetScoring().cpuMillis()).isEqualTo(100);
        assertThat(pools.get(1).daemonSetScoring().cpuMillis()).isZero();
        assertThat(placedOn(KubeScheduler.Scoring.LEAST_ALLOCATED, pools, List.of(plain("p", 50, 100 * MIB, "b")),
                plain("q", 100, 100 * MIB, null), 1)).isEqualTo(1);
    }

    /**
     * F3: pods of one request whose scoring differs (one with a container without requests) have a row each in the ready
     * index, whose score cache, bounds and planes are per row: with the scheduler's self-check on, a score read from the
     * other's row fails the run. Eight of each arrive in turn on the two nodes.
     */
    @Test
    void requestsOfOneDemandButAnotherScoringDoNotShareCachedScores() {
        List<PodGroup> groups = List.of(withSidecar("x", 100, 100 * MIB, null), plain("y", 100, 100 * MIB, null));
        System.setProperty("nodesizer.checkScores", "true");
        try {
            for (KubeScheduler.Scoring scoring : KubeScheduler.Scoring.values()) {
                assertThatCode(() -> placedOn(scoring, List.of(), groups.get(0), 8, groups.get(1))).as(scoring.name())
                        .doesNotThrowAnyException();
            }
        } finally {
            System.clearProperty("nodesizer.checkScores");
        }
    }

    private static int placedOn(KubeScheduler.Scoring scoring, PodGroup probe) {
        return placedOn(scoring, List.of(plain("cpuheavy", 1300, 100 * MIB, "a"), plain("balanced", 700, 3000 * MIB, "b")), probe, 1);
    }

    /**
     * Replays {@code pinned} (one pod each at 1 s), then {@code replicas} pods of {@code probe} (and of {@code others}, in
     * turn, from 100 s on, a second apart); returns the node (0: a, 1: b) the first pod of {@code probe} went to, -1: none.
     */
    private static int placedOn(KubeScheduler.Scoring scoring, List<PodGroup> pinned, PodGroup probe, int replicas, PodGroup... others) {
        return placedOn(scoring, List.of(pool(0, "a"), pool(1, "b")), pinned, probe, replicas, others);
    }

    /** As above, on a node of each of {@code pools} (a, b). */
    private static int placedOn(KubeScheduler.Scoring scoring, List<Pool> pools, List<PodGroup> pinned, PodGroup probe, int replicas,
                                PodGroup... others) {
        List<PodGroup> groups = new java.util.ArrayList<>(pinned);
        groups.add(probe.withReplicas(replicas));
        for (PodGroup o : others) {
            groups.add(o.withReplicas(replicas));
        }
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 400);
        for (int g = 0; g < pinned.size(); g++) {
            b.add(g, 0, 1, PodStream.STAYS);
        }
        int first = -1;
        long at = 100;
        for (int i = 0; i < replicas; i++) {
            for (int g = pinned.size(); g < groups.size(); g++) {
                int pod = b.add(g, i, at++, PodStream.STAYS);
                first = first < 0 ? pod : first;
            }
        }
        TwoNodes nodes = new TwoNodes();
        Replay.Settings defaults = Replay.Settings.defaults(ProvisionDelay.fixed(60), 1);
        Replay.run(b.build(), pools, nodes,
                new Replay.Settings(defaults.delay(), defaults.drainDelay(), 1, scoring, 0, false, true, -1, 1));
        int[][] scratch = {new int[64]};
        for (int i = 0; i < 2; i++) {
            int k = nodes.cluster.podsOnNode(nodes.node[i], scratch);
            for (int j = 0; j < k; j++) {
                if (scratch[0][j] == first) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static Pool pool(int index, String name) {
        return Pool.of(index, shape(name), Resources.ZERO);
    }

    private static io.nodesizer.model.NodeShape shape(String name) {
        return Fixtures.shape(name, 1930, 6741 * MIB, 29, 0.1).withLabelsAndTaints(Map.of(PIN, name), List.of());
    }

    /** A pod of one request, without containers (as a CSV row), on node {@code node} (null: any). */
    private static PodGroup plain(String name, long cpuMillis, long memoryBytes, String node) {
        return new PodGroup(name, "test", new Resources(cpuMillis, memoryBytes, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(),
                null, pinned(node));
    }

    /** A pod of a container requesting {@code cpuMillis} and {@code memoryBytes} and a second container without requests. */
    private static PodGroup withSidecar(String name, long cpuMillis, long memoryBytes, String node) {
        PodTemplate t = new PodTemplate(List.of(
                new PodTemplate.Container("app", PodTemplate.Role.APP, new Resources(cpuMillis, memoryBytes, 0, 0, 0), Resources.ZERO, true, true),
                new PodTemplate.Container("proxy", PodTemplate.Role.APP, Resources.ZERO, Resources.ZERO, false, false)), Resources.ZERO);
        return new PodGroup(name, "test", t.effectiveRequest(), 1, false, null, new SourceRef("t", 1), List.of(), t, pinned(node));
    }

    private static Placement pinned(String node) {
        return node == null ? Placement.ANY : Placement.ANY.withNodeSelectorAndTolerations(Map.of(PIN, node), List.of());
    }

    /** A fixed cluster (no autoscaling) of one node of each pool, requested at the start (a warm start: ready at once). */
    private static final class TwoNodes extends ForwardingAutoscaler {
        final int[] node = new int[2];
        Cluster cluster;

        TwoNodes() {
            super(new io.nodesizer.replay.autoscale.FixedCount(0));
        }

        @Override
        public void start(Cluster cluster) {
            this.cluster = cluster;
            node[0] = cluster.requestNode(0);
            node[1] = cluster.requestNode(1);
        }
    }
}
