package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Required pod affinity on the hostname in replay, under Cluster Autoscaler and Karpenter: a cache
 * pod may run only beside a web pod; neither autoscaler adds a node for it (a new node holds no web
 * pod); a cache pod that arrives before any web pod waits for one; and the pods of a workload whose
 * terms select itself follow the first one onto its node. The run checks itself at the end.
 */
final class CoLocationReplayTest {
    private static final long GIB = ReplayFixtures.GIB;

    private static Placement.PodAffinityTerm selects(String app) {
        return Fixtures.selectsApp(app);
    }

    private static PodGroup group(String app, long cpu, int replicas, List<Placement.PodAffinityTerm> anti,
                                  List<Placement.PodAffinityTerm> affinity) {
        return Fixtures.app(app, cpu, replicas, anti, affinity);
    }

    /** web: 2 replicas one per node; cache: 4 replicas beside web; arrival times per group. */
    private static PodStream stream(long webCpu, long webAt, long cacheAt) {
        List<PodGroup> groups = new ArrayList<>();
        groups.add(group("web", webCpu, 2, List.of(selects("web")), List.of()));
        groups.add(group("cache", 500, 4, List.of(), List.of(selects("web"))));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 7200);
        for (int i = 0; i < 2; i++) {
            b.add(0, i, webAt, PodStream.STAYS);
        }
        for (int i = 0; i < 4; i++) {
            b.add(1, i, cacheAt, PodStream.STAYS);
        }
        return b.build();
    }

    private static Autoscaler autoscaler(String name) {
        return name.equals("ca") ? new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1)
                : new Karpenter(Karpenter.Settings.defaults(100));
    }

    private static ReplayResult run(PodStream s, String autoscaler) {
        return ReplayFixtures.run(s, List.of(ReplayFixtures.pool(0, "medium", 4000, 16 * ReplayFixtures.GIB, 0.19)), autoscaler(autoscaler), 60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "karpenter"})
    void cachePodsRunOnlyBesideWebAndGetNoNodeOfTheirOwn(String autoscaler) {
        // web takes 3.5 of 4 CPU on each of its two nodes: one cache pod fits beside each, two stay pending.
        ReplayResult r = run(stream(3500, 0, 0), autoscaler);
        assertThat(r.peakNodes()).isEqualTo(2);
        assertThat(r.pendingAtEnd()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "karpenter"})
    void cachePodsThatComeFirstWaitForWeb(String autoscaler) {
        // cache arrives at 0, web at 30 min: cache waits (no node is added for it) and then joins web's nodes.
        ReplayResult r = run(stream(1000, 1800, 0), autoscaler);
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.peakNodes()).isEqualTo(2);
        assertThat(r.pendingMaxSeconds()).isGreaterThanOrEqualTo(1800);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "karpenter"})
    void aWorkloadThatSelectsItselfFollowsItsFirstPod(String autoscaler) {
        // db's terms select db: the first pod may go anywhere, the others must join it; 3 × 1 CPU fit one 4-CPU node.
        PodGroup db = group("db", 1000, 3, List.of(), List.of(selects("db")));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(db))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 3; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ReplayResult r = run(b.build(), autoscaler);
        assertThat(r.peakNodes()).isEqualTo(1);
        assertThat(r.pendingAtEnd()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "karpenter"})
    void cachePodsKeepOffANodeWithRoomButNoWeb(String autoscaler) {
        // web fills two nodes (3.5 of 4 CPU); batch (1 CPU) gets a third node with 3 CPU free. Cache may
        // use only the half CPU beside each web pod: two run there, two stay pending though batch's node has room.
        List<PodGroup> groups = List.of(group("web", 3500, 2, List.of(selects("web")), List.of()),
                group("batch", 1000, 1, List.of(), List.of()), group("cache", 500, 4, List.of(), List.of(selects("web"))));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 7200);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(0, 1, 0, PodStream.STAYS);
        b.add(1, 0, 0, PodStream.STAYS);
        for (int i = 0; i < 4; i++) {
            b.add(2, i, 1800, PodStream.STAYS);
        }
        ReplayResult r = run(b.build(), autoscaler);
        assertThat(r.pendingAtEnd()).isEqualTo(2);
        assertThat(r.peakNodes()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "karpenter"})
    void aSelfSelectingWorkloadGetsOneNodeWhileItsFirstNodeLaunches(String autoscaler) {
        // db's terms select db and a pod takes 3 of the node's 4 CPU: the first pod may go anywhere
        // and gets a node; the others must join it and cannot, so they wait. While that node
        // launches (60 s, cold start) the first pod is already counted on it, so no other node is
        // the first of a series: one node. Counting only the running pods, each loop opened a node
        // for a second "first" pod until the first node was ready (CA 6 nodes, Karpenter 30).
        PodGroup db = group("db", 3000, 4, List.of(), List.of(selects("db")));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(db))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 4; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        ReplayResult r = run(b.build(), autoscaler);
        assertThat(r.peakNodes()).isEqualTo(1);
        assertThat(r.scaleUps()).isEqualTo(1);
        assertThat(r.pendingAtEnd()).isEqualTo(3);
    }
}
