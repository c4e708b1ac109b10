package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.model.Resources;
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

    /**
     * helm template prints a chart's hooks beside its resources: a pre-install migration Job and a helm test Pod run to
     * completion at install or on 'helm test', never beside the release's pods (they added 9 CPU and 17 GiB: QA 50a). A
     * hook of another kind keeps running once created, so it is packed.
     */
    @Test
    void helmHookJobsAndPodsAreListedNotPacked() throws Exception {
        Workload w = read("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: db-migrate
                  annotations: {"helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-delete-policy": hook-succeeded}
                spec:
                  parallelism: 4
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: m, resources: {requests: {cpu: "2", memory: 4Gi}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: db-test
                  annotations: {"helm.sh/hook": test}
                spec:
                  restartPolicy: Never
                  containers: [{name: t, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: warmer
                  annotations: {"helm.sh/hook": post-install}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers: [{name: w, resources: {requests: {cpu: 100m}}}]
                """);
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("warmer");
        assertThat(w.ignored()).extracting(i -> i.kind() + " " + i.name() + ": " + i.reason()).containsExactly(
                "Job db-migrate: not packed: a Helm hook (helm.sh/hook: pre-install,pre-upgrade), which runs to completion around an "
                        + "install, upgrade, rollback or delete, not beside the release's pods",
                "Pod db-test: not packed: a Helm hook (helm.sh/hook: test), which runs only on 'helm test'");
    }

    /** A hook of an install event and the test one runs at install too; a blank hook has no event and never runs (review 50). */
    @Test
    void helmHooksAreWordedByTheirEvents() throws Exception {
        Workload w = read("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: both, annotations: {"helm.sh/hook": "pre-install, test"}}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: m, resources: {requests: {cpu: "1"}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: blank, annotations: {"helm.sh/hook": ""}}
                spec:
                  containers: [{name: t, resources: {requests: {cpu: "1"}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: app}
                spec:
                  containers: [{name: a, resources: {requests: {cpu: "1"}}}]
                """);
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("app");
        assertThat(w.ignored()).extracting(i -> i.name() + ": " + i.reason()).containsExactly(
                "both: not packed: a Helm hook (helm.sh/hook: pre-install, test), which runs to completion around an install, upgrade, "
                        + "rollback or delete, not beside the release's pods",
                "blank: not packed: a Helm hook (helm.sh/hook: ), with no event, which Helm never runs");
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
                  selector: {matchLabels: {app: pg}}
                  template:
                    metadata: {labels: {app: pg}}
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
                "StatefulSet data/pg: approximated: its requests of hugepages-2Mi, smarter-devices/fuse are not modelled (hugepages "
                        + "and extended resources other than whole GPUs): its pods are placed as if every node offered them");
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
    void podLevelResourcesAreWhatTheSchedulerCounts() throws Exception {
        // PodLevelResources (beta, on by default since Kubernetes 1.34): the scheduler's PodRequests takes
        // spec.resources' cpu and memory in place of the containers' sum; before, nodesizer summed the containers.
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
                    resources: {requests: {cpu: 500m, ephemeral-storage: 1Gi}}
                """);
        assertThat(w.groups()).hasSize(1);
        assertThat(w.ignored()).isEmpty();
        Resources r = w.groups().get(0).request();
        assertThat(r.cpuMillis()).isEqualTo(2000);
        assertThat(r.memoryBytes()).isEqualTo(4L << 30);
        assertThat(r.get(io.nodesizer.model.Resource.EPHEMERAL_STORAGE)).as("the containers' still").isEqualTo(1L << 30);
    }

    @Test
    void podLevelRequestsDefaultAsTheApiServerDefaultsThem() throws Exception {
        // pkg/apis/core/v1 defaultPodRequests: with a pod-level limit and no pod-level request, the
        // containers' requests where one of them requests the resource (after requests default from
        // limits), else the pod-level limit. Plus RuntimeClass-style overhead on top, as PodRequests adds it.
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: limited}
                spec:
                  overhead: {cpu: 100m, memory: 64Mi}
                  resources:
                    limits: {cpu: "4", memory: 8Gi}
                  initContainers:
                  - {name: init, resources: {requests: {cpu: "1"}}}
                  containers:
                  - {name: a, resources: {limits: {cpu: 300m}}}
                  - {name: b, resources: {requests: {cpu: 200m}}}
                """);
        Resources r = w.groups().get(0).request();
        assertThat(r.cpuMillis()).as("max(300m + 200m, init 1) + overhead").isEqualTo(1100);
        assertThat(r.memoryBytes()).as("no container requests memory: the pod-level limit, + overhead").isEqualTo((8L << 30) + (64L << 20));
    }

    @Test
    void podLevelResourcesTheApiServerRefusesExit2() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  resources: %s
                  containers:
                  - {name: a, resources: {requests: {cpu: 1500m}, limits: {cpu: "3"}}}
                """;
        assertThatThrownBy(() -> read(pod.formatted("{requests: {cpu: \"1\"}}"))).isInstanceOf(InputException.class)
                .hasMessage("m.yaml:5:31: The pod-level request at spec.resources.requests.cpu (1) must be at least its containers' "
                        + "requests (1500m, init containers and sidecars counted as the scheduler counts them); the API server refuses the "
                        + "pod. Maybe raise it, or leave it out.");
        assertThatThrownBy(() -> read(pod.formatted("{limits: {cpu: \"2\"}}"))).isInstanceOf(InputException.class)
                .hasMessageContaining("Container 'a' limits cpu to 3, above the pod-level limit at spec.resources.limits.cpu (2)");
        assertThatThrownBy(() -> read(pod.formatted("{requests: {cpu: \"4\"}, limits: {cpu: \"3\"}}"))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.resources.requests.cpu (4) must be at most its limit (3)");
        assertThatThrownBy(() -> read(pod.formatted("{requests: {ephemeral-storage: 1Gi}}"))).isInstanceOf(InputException.class)
                .hasMessageContaining("may name only cpu, memory and hugepages-*, not ephemeral-storage");
    }
}
