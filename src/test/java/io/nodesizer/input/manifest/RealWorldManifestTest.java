package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shapes of manifests as tools and people really write them (Helm and Kustomize output, kubectl
 * dumps), each reduced to a minimal self-written case.
 */
final class RealWorldManifestTest {
    @TempDir
    Path dir;

    private Workload read(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return new ManifestReader().read(f, "m.yaml");
    }

    @Test
    void emptyDocumentsAndEmptyValuesAreYamlNulls() throws Exception {
        // Helm output ends documents with '---' and leaves comment-only documents; templated fields
        // render as 'limits:' with nothing after them. All of these are null in YAML, as kubectl reads them.
        Workload w = read("""
                ---
                # Source: chart/templates/serviceaccount.yaml
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: a
                  labels:
                    tier:
                spec:
                  nodeSelector:
                  affinity:
                  tolerations:
                  containers:
                  - name: c
                    resources:
                      requests:
                        cpu: 250m
                      limits:
                ---
                ---
                """);
        assertThat(w.groups()).hasSize(1);
        PodGroup g = w.groups().get(0);
        assertThat(g.request().cpuMillis()).isEqualTo(250);
        assertThat(g.placement().podLabels()).containsEntry("tier", "");
    }

    @Test
    void replicationControllersArePackedLikeReplicaSets() throws Exception {
        // Still served at v1; older examples use it. It was listed as "not a workload" before.
        Workload w = read("""
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: legacy}
                spec:
                  replicas: 3
                  selector: {app: legacy}
                  template:
                    metadata: {labels: {app: legacy}}
                    spec:
                      containers:
                      - name: c
                        resources: {limits: {cpu: 500m, memory: 64Mi}}
                """);
        assertThat(w.ignored()).isEmpty();
        assertThat(w.groups()).hasSize(1);
        PodGroup g = w.groups().get(0);
        assertThat(g.kind()).isEqualTo("ReplicationController");
        assertThat(g.replicas()).isEqualTo(3);
        assertThat(g.request().cpuMillis()).isEqualTo(500);
        assertThat(g.request().memoryBytes()).isEqualTo(64L << 20);
        assertThat(g.placement().preferences().systemSpread()).isTrue();
    }

    @Test
    void suspendedJobsAndCronJobsRunNoPods() throws Exception {
        // Suspended CronJobs (paused backups, disabled reports) start no Job; they were sized as one run.
        Workload w = read("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: backup}
                spec:
                  schedule: "0 3 * * *"
                  suspend: true
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers: [{name: b, resources: {requests: {cpu: "4"}}}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: held}
                spec:
                  suspend: yes
                  parallelism: 3
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: j, resources: {requests: {cpu: "1"}}}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: runs}
                spec:
                  suspend: false
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: j, resources: {requests: {cpu: 100m}}}]
                """);
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("runs");
        assertThat(w.ignored()).extracting(i -> i.kind() + " " + i.name() + ": " + i.reason()).containsExactly(
                "CronJob backup: suspended (spec.suspend: true): runs no pods",
                "Job held: suspended (spec.suspend: true): runs no pods");
    }

    @Test
    void hugepagesAndExtendedResourcesAreSaidToBeLeftOut() throws Exception {
        // DPDK/database pods ask for hugepages, device plugins for their own resources: the scheduler
        // filters nodes on them, nodesizer does not model them. They were dropped without a word.
        Workload w = read("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: pg, namespace: data}
                spec:
                  replicas: 2
                  template:
                    spec:
                      initContainers:
                      - name: tune
                        resources: {limits: {smarter-devices/fuse: 1}}
                      containers:
                      - name: pg
                        resources:
                          requests: {cpu: "1", memory: 2Gi, hugepages-2Mi: 512Mi}
                          limits: {memory: 2Gi, hugepages-2Mi: 512Mi, nvidia.com/gpu: 1}
                """);
        PodGroup g = w.groups().get(0);
        assertThat(g.replicas()).isEqualTo(2);
        assertThat(g.request().cpuMillis()).isEqualTo(1000);
        assertThat(g.request().gpuMillis()).isEqualTo(1000); // whole GPUs are modelled
        assertThat(w.ignored()).extracting(i -> i.kind() + " " + i.name() + ": " + i.reason()).containsExactly(
                "StatefulSet data/pg: its requests of hugepages-2Mi, smarter-devices/fuse are not modelled (hugepages and extended "
                        + "resources other than whole GPUs): it is packed as if every node offered them");
    }

    @Test
    void anchorsAliasesAndMergeKeysAreReadAsKubectlReadsThem() throws Exception {
        // Hand-written manifests share resources and labels with anchors, and containers with merge
        // keys; kubectl applies them. They were refused ("YAML aliases are not supported").
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: &labels {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: *labels}
                  template:
                    metadata: {labels: *labels}
                    spec:
                      containers:
                      - &app
                        name: app
                        resources: &small
                          requests: {cpu: 250m, memory: 256Mi}
                      - <<: *app
                        name: worker
                      - <<: [*app]
                        name: big
                        resources: {requests: {cpu: "1"}}
                      - name: proxy
                        resources: *small
                """);
        PodGroup g = w.groups().get(0);
        assertThat(g.template().containers()).extracting(c -> c.name()).containsExactly("app", "worker", "big", "proxy");
        assertThat(g.request().cpuMillis()).isEqualTo(250 + 250 + 1000 + 250); // the merged mapping's own keys win
        assertThat(g.request().memoryBytes()).isEqualTo(3 * (256L << 20));
        assertThat(g.placement().podLabels()).containsEntry("app", "web");
        assertThatThrownBy(() -> read("a: *missing\n")).isInstanceOf(InputException.class)
                .hasMessage("m.yaml:1:4: The YAML alias *missing names no anchored mapping or list (&missing) before it in its document; "
                        + "anchors on single values are not supported: write the value out.");
        assertThatThrownBy(() -> read("a: &x {b: 1}\n---\nc: *x\n")).isInstanceOf(InputException.class)
                .hasMessageContaining("*x names no anchored mapping"); // anchors hold within their document
        assertThatThrownBy(() -> read("a: {<<: 3}\n")).isInstanceOf(InputException.class)
                .hasMessageContaining("The merge key '<<' must name a mapping or a list of mappings");
    }

    @Test
    void anUnrenderedTemplateIsNamedAsOne() {
        // A chart's templates/ directory passed instead of 'helm template' output: the parser's own
        // message named SnakeYAML's event classes.
        assertThatThrownBy(() -> read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: {{ .Values.replicaCount }}
                """)).isInstanceOf(InputException.class).hasMessage("m.yaml:6:15: The file is not valid YAML: Expected a field name "
                + "(Scalar value in YAML), got this instead: the start of a mapping ('{'). Line 6 holds a template expression "
                + "({{ .Values.replicaCount }}): render the chart or template first (helm template, kustomize build) and pass its output.");
    }

    @Test
    void podLevelResourcesAreSaidToBeLeftOut() throws Exception {
        // Kubernetes 1.34 schedules on spec.resources when a pod sets it; nodesizer sums the containers.
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: shared}
                spec:
                  resources:
                    requests: {cpu: "2", memory: 4Gi}
                  containers:
                  - name: a
                  - name: b
                """);
        assertThat(w.groups()).hasSize(1);
        assertThat(w.ignored()).extracting(i -> i.kind() + " " + i.name() + ": " + i.reason()).containsExactly(
                "Pod shared: its pod-level resources (spec.resources) are not modelled: it is packed at its containers' requests, "
                        + "where the scheduler would take the pod-level ones");
    }
}
