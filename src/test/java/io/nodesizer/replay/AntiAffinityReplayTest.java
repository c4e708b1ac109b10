package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.demand.TimePoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Replay places pods that repel each other on different nodes; the cluster's own check (at the end of every run) agrees. */
final class AntiAffinityReplayTest {

    private static PodStream webStream() {
        Placement web = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"),
                List.of(new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false, PodConflicts.HOSTNAME)),
                List.of());
        PodGroup g = new PodGroup("web", "test", new Resources(500, ReplayFixtures.GIB, 1, 0, 0), 4, false, null, new SourceRef("t", 1),
                List.of(), null, web);
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(g))), TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 4; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        return b.build();
    }

    @Test
    void karpenterProvisionsANodePerRepellingReplicaAtOnce() {
        ReplayResult r = ReplayFixtures.run(webStream(), List.of(ReplayFixtures.pool(0, "medium", 4000, 16 * ReplayFixtures.GIB, 0.19)),
                new io.nodesizer.replay.autoscale.Karpenter(io.nodesizer.replay.autoscale.Karpenter.Settings.defaults(Integer.MAX_VALUE)), 60);
        assertThat(r.peakNodes()).isEqualTo(4);
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.pendingAtEnd()).isZero();
    }

    @Test
    void replicasThatRepelEachOtherGetANodeEach() {
        Placement web = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"),
                List.of(new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false, PodConflicts.HOSTNAME)),
                List.of());
        PodGroup g = new PodGroup("web", "test", new Resources(500, ReplayFixtures.GIB, 1, 0, 0), 4, false, null, new SourceRef("t", 1),
                List.of(), null, web);
        DemandTable table = DemandTable.of(Workload.of(List.of(g)));
        PodStream.Builder b = new PodStream.Builder(table, TimePoints.DEFAULT_ORIGIN, 3600);
        for (int i = 0; i < 4; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        PodStream stream = b.build();
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), 1);
        ReplayResult r = ReplayFixtures.run(stream, List.of(ReplayFixtures.pool(0, "medium", 4000, 16 * ReplayFixtures.GIB, 0.19)), ca, 60);
        // Four half-CPU pods would share one 4-CPU node; anti-affinity needs four. The run verifies itself.
        assertThat(r.peakNodes()).isGreaterThanOrEqualTo(4);
        assertThat(r.pendingAtEnd()).isZero();
    }
}
