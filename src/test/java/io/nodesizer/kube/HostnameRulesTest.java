package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hostname rules against running nodes: minDomains, and the anti-affinity filter's symmetry. */
final class HostnameRulesTest {

    private static ClusterSnapshot.Pod pod(String name, String node, Placement p) {
        return new ClusterSnapshot.Pod("shop", name, Resources.ZERO, node, "Running", "ReplicaSet", "rs", new SourceRef("t", 1), null, null, p);
    }

    private static Placement web(List<Placement.Spread> spread, List<Placement.PodAffinityTerm> anti) {
        return new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), anti, List.of(), spread);
    }

    private static Placement.PodAffinityTerm selectsWeb() {
        return new Placement.PodAffinityTerm(Map.of("app", "web"), List.of(), List.of(), false, false, PodConflicts.HOSTNAME);
    }

    /**
     * Two eligible nodes with one web pod each; the incoming web pod with maxSkew 1 may join either
     * (2 − 1 = 1). With minDomains 3, fewer domains than that are eligible, so the scheduler takes
     * the fewest as 0 and 2 − 0 = 2 is above maxSkew: it may join neither.
     */
    @Test
    void minDomainsAboveTheEligibleNodesTakesTheFewestAsZero() {
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        onNode.add(new ArrayList<>(List.of(pod("w1", "a", web(List.of(), List.of())))));
        onNode.add(new ArrayList<>(List.of(pod("w2", "b", web(List.of(), List.of())))));
        boolean[] eligible = {true, true};
        for (int minDomains : new int[] {1, 2, 3}) {
            ClusterSnapshot.Pod incoming = pod("w3", null, web(List.of(new Placement.Spread(1, true, selectsWeb(), minDomains)), List.of()));
            HostnameRules rules = new HostnameRules(List.of(incoming));
            assertThat(rules.admits(incoming, 0, onNode, eligible)).as("minDomains %d", minDomains).isEqualTo(minDomains <= 2);
            assertThat(rules.admits(incoming, 1, onNode, eligible)).as("minDomains %d", minDomains).isEqualTo(minDomains <= 2);
        }
    }

    /** An incoming pod without terms may not join a node whose pod's anti-affinity selects it (the filter is symmetric). */
    @Test
    void existingPodsAntiAffinityKeepsOthersAway() {
        ClusterSnapshot.Pod guard = pod("guard", "a", new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "db"),
                List.of(selectsWeb()), List.of(), List.of()));
        ClusterSnapshot.Pod incoming = pod("w", null, web(List.of(), List.of()));
        HostnameRules rules = new HostnameRules(List.of(guard, incoming));
        List<List<ClusterSnapshot.Pod>> onNode = List.of(new ArrayList<>(List.of(guard)), new ArrayList<>());
        boolean[] eligible = {true, true};
        assertThat(rules.admits(incoming, 0, onNode, eligible)).isFalse();
        assertThat(rules.admits(incoming, 1, onNode, eligible)).isTrue();
        assertThat(HostnameRules.repel(guard, incoming)).isTrue();
        assertThat(new HostnameRules(List.of(incoming)).active()).isFalse();
    }

    /**
     * Pods being deleted do not count for the spread (upstream filtering_test.go "terminating Pods
     * should be excluded"): node-a's only foo pod is terminating, node-b runs one; with maxSkew 1
     * the fewest is 0, so node-a admits the pod (0 + 1 − 0) and node-b does not (1 + 1 − 0).
     */
    @Test
    void podsBeingDeletedDoNotCountForTheSpread() {
        ClusterSnapshot.Pod leaving = new ClusterSnapshot.Pod("shop", "p-a", Resources.ZERO, "a", "Running", "ReplicaSet", "rs",
                new SourceRef("t", 1), null, null, web(List.of(), List.of()), true, true);
        List<List<ClusterSnapshot.Pod>> onNode = List.of(new ArrayList<>(List.of(leaving)),
                new ArrayList<>(List.of(pod("p-b", "b", web(List.of(), List.of())))));
        ClusterSnapshot.Pod incoming = pod("p", null, web(List.of(new Placement.Spread(1, true, selectsWeb())), List.of()));
        HostnameRules rules = new HostnameRules(List.of(incoming));
        boolean[] eligible = {true, true};
        assertThat(rules.admits(incoming, 0, onNode, eligible)).isTrue();
        assertThat(rules.admits(incoming, 1, onNode, eligible)).isFalse();
    }
}
