package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.VerificationException;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mix's own verifier catches what the planner must never do: pods on shapes they may not use, pods that repel each other together. */
final class MixVerifierTest {
    private static final Resources R = new Resources(8000, 32 * GIB, 110, 0, 0);
    private static final NodeShape PLAIN = new NodeShape("plain", "test", "t", "amd64", R, R, "none", 1.0);
    private static final NodeShape SSD = new NodeShape("ssd", "test", "t", "amd64", R, R, "none", 1.2, "", Map.of("disk", "ssd"), List.of());

    private static PodGroup group(String name, int replicas, Placement p) {
        return new PodGroup(name, "test", new Resources(500, GIB, 1, 0, 0), replicas, false, null, new SourceRef("t", 1), List.of(), null, p);
    }

    private static MixPlanner.Mix mix(DemandTable table, List<NodeShape> shapes, int[] nodeShape, int[] assignment) {
        List<MixPlanner.Pool> pools = new java.util.ArrayList<>();
        double cost = 0;
        for (int s = 0; s < shapes.size(); s++) {
            int nodes = 0;
            for (int n : nodeShape) {
                nodes += n == s ? 1 : 0;
            }
            pools.add(new MixPlanner.Pool(shapes.get(s), nodes, Resources.ZERO));
            cost += nodes * shapes.get(s).pricePerHourUsd();
        }
        List<String> names = java.util.stream.IntStream.range(0, nodeShape.length).mapToObj(i -> "node-" + i).toList();
        return new MixPlanner.Mix(pools, cost, 0, 0.0, null, shapes.size(), 2, 1, names, nodeShape, assignment, table);
    }

    @Test
    void aPodOnAShapeItsSelectorRefusesFails() {
        DemandTable table = DemandTable.of(Workload.of(List.of(group("db", 1, new Placement(Map.of("disk", "ssd"), null, List.of())),
                group("web", 1, Placement.ANY))));
        assertThatCode(() -> MixPlanner.verify(mix(table, List.of(PLAIN, SSD), new int[] {1, 0}, new int[] {0, 1}))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MixPlanner.verify(mix(table, List.of(PLAIN, SSD), new int[] {0, 1}, new int[] {0, 1})))
                .isInstanceOf(VerificationException.class).hasMessageContaining("pod db-0 is on a plain node, which it may not use: cannot run on plain: its nodeSelector needs disk=ssd");
    }

    @Test
    void podsThatRepelEachOtherOnOneNodeFail() {
        Placement.PodAffinityTerm web = new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME);
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(web), List.of());
        DemandTable table = DemandTable.of(Workload.of(List.of(group("web", 2, p))));
        assertThatCode(() -> MixPlanner.verify(mix(table, List.of(PLAIN), new int[] {0, 0}, new int[] {0, 1}))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MixPlanner.verify(mix(table, List.of(PLAIN), new int[] {0}, new int[] {0, 0})))
                .isInstanceOf(VerificationException.class).hasMessageContaining("holds 2 pods of web, more than its 1 per node");
    }

    /**
     * sp (maxSkew 1 over the hostname) 2/2 on two plain nodes beside a tainted pool's node that runs a pod tolerating its
     * taint and none of sp: with {@code nodeTaintsPolicy: Honor} that node is not a domain of sp's spread (kube-scheduler's
     * node inclusion), so the fewest is 2; under Ignore it counts, holds 0, and the mix is a bug.
     */
    @Test
    void aSpreadIsCheckedOverTheDomainsItsNodeTaintsPolicyAdmits() {
        NodeShape tainted = new NodeShape("tainted", "test", "t", "amd64", R, R, "none", 1.0, "", Map.of(),
                List.of(new Placement.Taint("dedicated", "batch", "NoSchedule")));
        Placement batch = new Placement(Map.of(), null, List.of(new Placement.Toleration("dedicated", "Equal", "batch", "NoSchedule", null)));
        for (boolean honor : new boolean[] {true, false}) {
            DemandTable table = DemandTable.of(Workload.of(List.of(group("sp", 4, new Placement(Map.of(), null, List.of(), "shop",
                    Map.of("app", "sp"), List.of(), List.of(), List.of(spSpread(true, honor)))), group("batch", 1, batch))));
            verifiedOnlyWhenHonoured(honor, mix(table, List.of(PLAIN, tainted), new int[] {0, 0, 1}, new int[] {0, 0, 1, 1, 2}));
        }
    }

    /** As above with the default {@code nodeAffinityPolicy: Honor}: sp selects disk=ssd, so a plain node is no domain of it. */
    @Test
    void aSpreadIsCheckedOverTheDomainsItsNodeAffinityPolicyAdmits() {
        for (boolean honor : new boolean[] {true, false}) {
            DemandTable table = DemandTable.of(Workload.of(List.of(group("sp", 4, new Placement(Map.of("disk", "ssd"), null, List.of(),
                    "shop", Map.of("app", "sp"), List.of(), List.of(), List.of(spSpread(honor, false)))), group("web", 1, Placement.ANY))));
            verifiedOnlyWhenHonoured(honor, mix(table, List.of(PLAIN, SSD), new int[] {1, 1, 0}, new int[] {0, 0, 1, 1, 2}));
        }
    }

    /** sp's own spread over the hostname with maxSkew 1 and these node inclusion policies. */
    private static Placement.Spread spSpread(boolean honorsNodeAffinity, boolean honorsNodeTaints) {
        return new Placement.Spread(1, true, new Placement.PodAffinityTerm(Map.of("app", "sp"), List.of(), List.of(), false, false,
                PodConflicts.HOSTNAME), 1, honorsNodeAffinity, honorsNodeTaints);
    }

    /** sp 2/2 beside a node without it: kept where that node is no domain of sp's spread, a bug where it is one holding 0. */
    private static void verifiedOnlyWhenHonoured(boolean honor, MixPlanner.Mix mix) {
        if (honor) {
            assertThatCode(() -> MixPlanner.verify(mix)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> MixPlanner.verify(mix)).isInstanceOf(VerificationException.class)
                    .hasMessageContaining("a node holds 2 pods of sp and another 0");
        }
    }

    @Test
    void aCoLocatedPodAwayFromItsTargetsFails() {
        DemandTable table = DemandTable.of(Workload.of(List.of(
                io.nodesizer.testkit.Fixtures.app("api", 500, 1, List.of(), List.of()),
                io.nodesizer.testkit.Fixtures.app("cache", 500, 1, List.of(), List.of(io.nodesizer.testkit.Fixtures.selectsApp("api"))))));
        assertThatCode(() -> MixPlanner.verify(mix(table, List.of(PLAIN), new int[] {0}, new int[] {0, 0}))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MixPlanner.verify(mix(table, List.of(PLAIN), new int[] {0, 0}, new int[] {0, 1})))
                .isInstanceOf(VerificationException.class).hasMessageContaining("node node-1 runs pods of cache without a pod");
    }
}
