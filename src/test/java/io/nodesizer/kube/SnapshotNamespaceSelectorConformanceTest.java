// Conformance cases translated from kube-scheduler's InterPodAffinity Filter tests (github.com/kubernetes/kubernetes):
//   pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go, TestRequiredAffinitySingleNode @
//   e7827879dbc282e7f5103451dc63169e964b6bb7: the four namespaceSelector cases ("affinity with NamespaceSelector",
//   "affinity with non-matching NamespaceSelector", "anti-affinity with matching NamespaceSelector", "anti-affinity with
//   non-matching NamespaceSelector"), with the Namespace objects upstream's plugin is given (scoring_test.go's
//   `namespaces`: subteam1.team1 and subteam2.team1 labelled team=team1, subteam1.team2 and subteam2.team2 team=team2).
// Each case is written as the cluster snapshot a user would give (`kubectl get nodes,pods,namespaces -A -o yaml`) and read
// by SnapshotReader, which resolves the namespaceSelectors against the snapshot's Namespace objects; then
// PodTopologyRules#admits answers for node1 (region r1, zone z11). Upstream namespace "" is "default" here (no Namespace
// object: known by its kubernetes.io/metadata.name label alone). Every case agrees. The same four without the Namespace
// objects keep the conservative reading (every namespace) that InterPodAffinityConformanceTest's header describes.
package io.nodesizer.kube;

import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-scheduler's InterPodAffinity Filter cases with a labelled {@code namespaceSelector}, through a
 * cluster snapshot with its Namespace objects (see the header for the upstream file and commit).
 */
final class SnapshotNamespaceSelectorConformanceTest {

    private static final String NAMESPACES = """
        - {apiVersion: v1, kind: Namespace, metadata: {name: subteam1.team1, labels: {team: team1}}}
        - {apiVersion: v1, kind: Namespace, metadata: {name: subteam2.team1, labels: {team: team1}}}
        - {apiVersion: v1, kind: Namespace, metadata: {name: subteam1.team2, labels: {team: team2}}}
        - {apiVersion: v1, kind: Namespace, metadata: {name: subteam2.team2, labels: {team: team2}}}
        """;

    /** The term of all four cases: service In [securityscan, value2], namespaceSelector team In [team1], on {@code key}. */
    private static String term(String key) {
        return "[{labelSelector: {matchExpressions: [{key: service, operator: In, values: [securityscan, value2]}]}, "
            + "namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [team1]}]}, topologyKey: " + key + "}]";
    }

    static Stream<Arguments> cases() {
        String affinity = "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: " + term("region") + "}}";
        String anti = "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: " + term("zone") + "}}";
        return Stream.of(
            Arguments.of("affinity with NamespaceSelector", "default", affinity, "subteam1.team1", true),
            Arguments.of("affinity with non-matching NamespaceSelector", "default", affinity, "subteam1.team2", false),
            Arguments.of("anti-affinity with matching NamespaceSelector", "subteam1.team1", anti, "subteam2.team1", false),
            Arguments.of("anti-affinity with non-matching NamespaceSelector", "subteam1.team1", anti, "subteam1.team2", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withNamespaceObjects(String name, String incomingNamespace, String affinity, String existingNamespace, boolean upstream,
                              @TempDir Path dir) throws IOException {
        assertThat(admits(dir, incomingNamespace, affinity, existingNamespace, true))
            .as("%s: upstream %s", name, upstream ? "Success" : "Unschedulable")
            .isEqualTo(upstream);
    }

    /**
     * Without the Namespace objects the selector stays every namespace (the conservative reading):
     * affinity then always finds its target, anti-affinity always repels it. Checks that the objects,
     * not something else, decide the two non-matching cases.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withoutNamespaceObjects(String name, String incomingNamespace, String affinity, String existingNamespace, boolean upstream,
                                 @TempDir Path dir) throws IOException {
        boolean affinityCase = affinity.startsWith("{podAffinity");
        assertThat(admits(dir, incomingNamespace, affinity, existingNamespace, false)).as(name).isEqualTo(affinityCase);
    }

    private static boolean admits(Path dir, String incomingNamespace, String affinity, String existingNamespace, boolean withObjects)
        throws IOException {
        String yaml = "apiVersion: v1\nkind: List\nitems:\n"
            + "- {apiVersion: v1, kind: Node, metadata: {name: node1, labels: {region: r1, zone: z11}}, "
            + "status: {allocatable: {cpu: '4', memory: 8Gi, pods: '110'}}}\n"
            + "- {apiVersion: v1, kind: Pod, metadata: {name: existing, namespace: " + existingNamespace + ", labels: {service: securityscan}}, "
            + "spec: {nodeName: node1, containers: [{name: c}]}, status: {phase: Running}}\n"
            + "- {apiVersion: v1, kind: Pod, metadata: {name: incoming, namespace: " + incomingNamespace + ", labels: {security: S1}}, "
            + "spec: {affinity: " + affinity + ", containers: [{name: c}]}, status: {phase: Pending}}\n"
            + (withObjects ? NAMESPACES : "");
        Path file = dir.resolve("snapshot.yaml");
        Files.writeString(file, yaml);
        ClusterSnapshot s = SnapshotReader.read(List.of(file), List.of("snapshot.yaml"));
        ClusterSnapshot.Pod incoming = s.pods().stream().filter(p -> p.nodeName() == null).findFirst().orElseThrow();
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        onNode.add(s.pods().stream().filter(p -> "node1".equals(p.nodeName())).toList());
        assertThat(onNode.get(0)).hasSize(1);
        PodTopologyRules rules = new PodTopologyRules(s.pods(), s.nodes());
        return rules.admits(incoming, 0, onNode, new boolean[] {true});
    }
}
