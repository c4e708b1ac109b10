package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
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

/**
 * RuntimeClasses give their pod overhead, node selector and tolerations to the pods that name them,
 * as the API server's RuntimeClass admission plugin does at pod creation, whichever file of the
 * inputs they come in; its rejections are input errors.
 */
final class RuntimeClassesTest {
    private static final long MIB = 1L << 20;

    private static final String KATA = """
            apiVersion: node.k8s.io/v1
            kind: RuntimeClass
            metadata: {name: kata}
            handler: kata-qemu
            overhead:
              podFixed: {cpu: 250m, memory: 160Mi}
            scheduling:
              nodeSelector: {katacontainers.io/kata-runtime: "true"}
              tolerations:
              - {key: kata, operator: Exists, effect: NoSchedule}
            """;

    @TempDir
    Path dir;

    private static PodGroup group(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    /** A Deployment of 3 replicas of one 750m/864Mi container, with {@code podSpecExtra} in its pod spec. */
    static String deployment(String name, String podSpecExtra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                %s
                      containers:
                      - name: app
                        image: a
                        resources: {requests: {cpu: 750m, memory: 864Mi}}
                """.formatted(name, name, name, podSpecExtra.indent(6).stripTrailing());
    }

    private Workload read(String... files) throws Exception {
        return read(dir, files);
    }

    /** The workload of {@code files}, written to {@code dir} as f0.yaml, f1.yaml, …, one input each. */
    static Workload read(Path dir, String... files) throws Exception {
        List<Path> paths = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            Path p = dir.resolve("f" + i + ".yaml");
            Files.writeString(p, files[i]);
            paths.add(p);
        }
        return Inputs.read(paths);
    }

    @Test
    void podsNamingAClassGetItsOverheadNodeSelectorAndTolerationsFromAnotherFile() throws Exception {
        // The Deployment comes first, the RuntimeClass in a later file: admission applies it all the same.
        Workload w = read(deployment("sandboxed", "runtimeClassName: kata\nnodeSelector: {disk: ssd}\n")
                + "---\n" + deployment("plain", ""), KATA);
        PodGroup sandboxed = group(w, "sandboxed");
        assertThat(sandboxed.request().cpuMillis()).isEqualTo(1000);
        assertThat(sandboxed.request().memoryBytes()).isEqualTo(1024 * MIB);
        assertThat(sandboxed.template().overhead().cpuMillis()).isEqualTo(250);
        assertThat(sandboxed.placement().nodeSelector()).containsExactlyInAnyOrderEntriesOf(
                Map.of("disk", "ssd", "katacontainers.io/kata-runtime", "true"));
        assertThat(sandboxed.placement().tolerations()).containsExactly(new Placement.Toleration("kata", "Exists", "", "NoSchedule"));
        PodGroup plain = group(w, "plain");
        assertThat(plain.request().cpuMillis()).isEqualTo(750);
        assertThat(plain.placement().nodeSelector()).isEmpty();
        assertThat(w.ignored()).extracting(IgnoredObject::kind, IgnoredObject::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RuntimeClass", "kata"));
        assertThat(w.ignored().get(0).reason()).contains("went to 1 workload naming it").contains("0.25 CPU");
    }

    @Test
    void daemonSetPodsGetTheOverheadToo() throws Exception {
        Workload w = read(KATA + """
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      runtimeClassName: kata
                      containers:
                      - {name: a, image: a, resources: {requests: {cpu: 100m, memory: 64Mi}}}
                ---
                """ + deployment("web", ""));
        DaemonSetSpec agent = w.daemonSets().get(0);
        assertThat(agent.request().cpuMillis()).isEqualTo(350);
        assertThat(agent.request().memoryBytes()).isEqualTo(224 * MIB);
        // A DaemonSet's node selector now selects only the nodes the runtime runs on.
        assertThat(agent.nodeSelector()).containsEntry("katacontainers.io/kata-runtime", "true");
        assertThat(agent.placement().nodeSelector()).isEqualTo(agent.nodeSelector());
        // Not its tolerations: the DaemonSet controller chooses nodes by the template, before admission (the template's
        // tolerations are the controller's own, NodeConditions.daemonPodTolerations).
        assertThat(agent.placement().tolerations()).isEqualTo(io.nodesizer.kube.NodeConditions.daemonPodTolerations(List.of(), false))
                .extracting(Placement.Toleration::key).doesNotContain("kata");
    }

    @Test
    void aClassNotInTheInputsIsListedAndChangesNothing() throws Exception {
        Workload w = read(deployment("g1", "runtimeClassName: gvisor\n") + "---\n" + deployment("g2", "runtimeClassName: gvisor\n"));
        assertThat(group(w, "g1").request().cpuMillis()).isEqualTo(750);
        assertThat(w.ignored()).hasSize(1);
        IgnoredObject note = w.ignored().get(0);
        assertThat(note.kind()).isEqualTo("RuntimeClass");
        assertThat(note.name()).isEqualTo("gvisor");
        assertThat(note.reason()).contains("named by 2 workloads (g1, g2) but not in the inputs").contains("kubectl get runtimeclass gvisor");
    }

    @Test
    void aPodReadBackFromAClusterAlreadyHasItsOverheadAndIsNotListed() throws Exception {
        // kubectl get pods -o yaml: admission already set spec.overhead from the class.
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: admitted}
                spec:
                  runtimeClassName: gvisor
                  overhead: {cpu: 500m, memory: 512Mi}
                  containers:
                  - {name: a, image: a, resources: {requests: {cpu: 1, memory: 1Gi}}}
                """);
        assertThat(group(w, "admitted").request().cpuMillis()).isEqualTo(1500);
        assertThat(w.ignored()).isEmpty();
    }

    @Test
    void aPodWithTheClasssOwnOverheadIsAdmittedAndAnotherOverheadIsRejected() throws Exception {
        Workload same = read(KATA, deployment("ok", "runtimeClassName: kata\noverhead: {cpu: 250m, memory: 160Mi}\n"));
        assertThat(group(same, "ok").request().cpuMillis()).isEqualTo(1000);
        assertThatThrownBy(() -> read(KATA, deployment("bad", "runtimeClassName: kata\noverhead: {cpu: 100m}\n")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("f1.yaml:1")
                .hasMessageContaining("The API server rejects the pods of Deployment bad")
                .hasMessageContaining("differs from the overhead.podFixed of RuntimeClass 'kata'");
    }

    @Test
    void aConflictingNodeSelectorIsRejected() {
        assertThatThrownBy(() -> read(KATA, deployment("bad", "runtimeClassName: kata\nnodeSelector: {katacontainers.io/kata-runtime: \"false\"}\n")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("scheduling.nodeSelector[katacontainers.io/kata-runtime] = true")
                .hasMessageContaining("nodeSelector[katacontainers.io/kata-runtime] = false (a conflict)");
    }

    @Test
    void aClassWithoutOverheadAddsNoneAndTheSameNameTwiceIsAnError() throws Exception {
        Workload w = read("""
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: runsc}
                handler: runsc
                """, deployment("web", "runtimeClassName: runsc\n"));
        assertThat(group(w, "web").request().cpuMillis()).isEqualTo(750);
        assertThat(w.ignored().get(0).reason()).contains("nothing to add");
        // validateOverhead: a pod overhead without one in its class is rejected.
        assertThatThrownBy(() -> read("""
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: runsc}
                handler: runsc
                """, deployment("bad", "runtimeClassName: runsc\noverhead: {cpu: 250m}\n")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("The API server rejects the pods of Deployment bad")
                .hasMessageContaining("defines no overhead");
        assertThatThrownBy(() -> read("""
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: runsc}
                handler: runsc
                """, """
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: runsc}
                handler: other
                """)).isInstanceOf(InputException.class).hasMessageContaining("The RuntimeClass 'runsc' is also defined at");
    }

    @Test
    void aMalformedTolerationInTheClassIsAnErrorWithItsPath() {
        assertThatThrownBy(() -> read("""
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: kata}
                handler: kata
                scheduling:
                  tolerations:
                  - {key: kata, operator: Sometimes}
                """, deployment("web", "runtimeClassName: kata\n")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("scheduling.tolerations[0].operator");
    }

    /**
     * Review 75 F3: scoring's defaults go to the containers without requests, and the pod overhead on top (component-helpers
     * resource/helpers.go PodRequests: applyNonMissing per container, then spec.overhead): a request-less pod under kata
     * (250m, 160Mi) scores 350m and 360 MiB, where the default for a pod total of 0 left 250m and 160 MiB.
     */
    @Test
    void theOverheadComesOnTopOfScoringsContainerDefaults() throws Exception {
        Workload w = read(deployment("sandboxed", "runtimeClassName: kata")
                .replace("resources: {requests: {cpu: 750m, memory: 864Mi}}", "resources: {}"), KATA);
        PodGroup sandboxed = group(w, "sandboxed");
        assertThat(sandboxed.request().cpuMillis()).isEqualTo(250);
        assertThat(sandboxed.scoringRequest().cpuMillis()).isEqualTo(350);
        assertThat(sandboxed.scoringRequest().memoryBytes()).isEqualTo(360 * MIB);
    }
}
