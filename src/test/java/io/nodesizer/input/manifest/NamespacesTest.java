package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Namespace objects resolving pod (anti-)affinity terms' namespaceSelectors (Namespaces, through Inputs.read). */
final class NamespacesTest {
    @TempDir
    Path dir;

    private Workload read(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return Inputs.read(List.of(f));
    }

    private static String namespace(String name, String labels) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n  labels: " + labels + "\n---\n";
    }

    /** A pod in {@code ns} whose pod anti-affinity term (and a preferred affinity term) has {@code termTail} beside its labelSelector. */
    private static String pod(String ns, String termTail) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: %s, labels: {app: p}}
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - labelSelector: {matchLabels: {app: web}}
                        topologyKey: kubernetes.io/hostname
                %s
                    podAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 10
                        podAffinityTerm:
                          labelSelector: {matchLabels: {app: web}}
                          topologyKey: kubernetes.io/hostname
                  %s
                  containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 10Mi}}}]
                ---
                """.formatted(ns, termTail, termTail.replace("\n", "\n  "));
    }

    private static PodGroup group(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    private static Placement other(String ns) {
        return new Placement(Map.of(), null, List.of(), ns, Map.of("app", "web"), List.of(), List.of());
    }

    @Test
    void theTermTakesTheNamedNamespacesAndTheSelectedOnes() throws Exception {
        Workload w = read(namespace("a1", "{team: a}") + namespace("a2", "{team: a, tier: x}") + namespace("b1", "{team: b}")
                + pod("b1", "        namespaces: [named]\n        namespaceSelector: {matchLabels: {team: a}}"));
        Placement.PodAffinityTerm t = group(w, "b1/p").placement().antiAffinity().get(0);
        assertThat(t.namespaceSelectorLabels()).isFalse();
        assertThat(t.namespacesResolved()).isTrue();
        assertThat(t.namespaces()).containsExactly("a1", "a2", "named");
        assertThat(t.namespaceSelector().matchLabels()).containsEntry("team", "a");
        // The preferred term is resolved too.
        assertThat(group(w, "b1/p").placement().preferences().affinity().get(0).term().namespaces()).containsExactly("a1", "a2", "named");
        String own = "b1";
        assertThat(PodConflicts.matches(t, own, other("a1"))).isTrue();
        assertThat(PodConflicts.matches(t, own, other("named"))).isTrue();
        assertThat(PodConflicts.matches(t, own, other("b1"))).isFalse(); // its own namespace is not selected
        // default has no object and no pod of the inputs: a pod there (a cluster snapshot's) may have team: a, so it counts.
        assertThat(PodConflicts.matches(t, own, other("default"))).isTrue();
        // A namespace the inputs did not know (a cluster snapshot's pod): its labels may hold team: a.
        assertThat(PodConflicts.matches(t, own, other("elsewhere"))).isTrue();
        assertThat(w.ignored()).anySatisfy(o -> assertThat(o.kind() + " " + o.name() + " " + o.reason())
                .startsWith("Namespace a1 applied: its labels").contains("2 of the inputs' terms do")); // the required and the preferred term
    }

    @Test
    void aSelectorThatSelectsNoNamespaceTakesNoPod() throws Exception {
        Workload w = read(namespace("b1", "{team: b}")
                + pod("b1", "        namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [z]}]}"));
        Placement.PodAffinityTerm t = group(w, "b1/p").placement().antiAffinity().get(0);
        assertThat(t.namespaces()).isEmpty();
        assertThat(t.namespacesResolved()).isTrue();
        assertThat(PodConflicts.matches(t, "b1", other("b1"))).isFalse(); // not "the pod's own namespace"
        assertThat(PodConflicts.matches(t, "b1", other("b1x"))).isTrue(); // unknown labels: conservatively in
    }

    @Test
    void theNameLabelDecidesNamespacesWithoutObjects() throws Exception {
        Workload w = read(pod("b1", "        namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, "
                + "values: [b1, kube-system]}]}"));
        Placement.PodAffinityTerm t = group(w, "b1/p").placement().antiAffinity().get(0);
        assertThat(t.namespacesResolved()).isTrue();
        assertThat(t.namespaces()).containsExactly("default", "kube-node-lease", "kube-public");
        assertThat(PodConflicts.matches(t, "b1", other("b1"))).isFalse();
        assertThat(PodConflicts.matches(t, "b1", other("kube-system"))).isFalse();
        assertThat(PodConflicts.matches(t, "b1", other("elsewhere"))).isTrue(); // its name is not excluded
    }

    @Test
    void unknownLabelsOfAPodNamespaceKeepEveryNamespace() throws Exception {
        Workload w = read(namespace("a1", "{team: a}") + pod("b1", "        namespaceSelector: {matchLabels: {team: a}}"));
        Placement.PodAffinityTerm t = group(w, "b1/p").placement().antiAffinity().get(0);
        assertThat(t.namespaceSelectorLabels()).isTrue();
        assertThat(t.namespaceSelector().missing()).containsExactly("b1");
        assertThat(PodConflicts.matches(t, "b1", other("b1"))).isTrue();
        assertThat(PodConflicts.notes(w.groups())).anySatisfy(n -> assertThat(n)
                .contains("is taken as every namespace, since the inputs' pods run in namespace b1, which has no Namespace object"));
    }

    @Test
    void aNamespaceTwiceWithOtherLabelsIsAnError() {
        assertThatThrownBy(() -> read(namespace("a1", "{team: a}") + namespace("a1", "{team: b}") + pod("a1", "")))
                .isInstanceOf(InputException.class).hasMessageContaining("The Namespace 'a1' is also defined at");
    }
}
