package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the API server's validation refuses in a workload manifest, refused here at the field (QA 50a F3). */
final class WorkloadValidationTest {
    @TempDir
    Path dir;

    private Workload read(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return new ManifestReader().read(f, "m.yaml");
    }

    private static String controller(String kind, String selector, String labels, String podSpecExtra) {
        return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata: {name: web}\nspec:\n"
                + (selector == null ? "" : "  selector: " + selector + "\n")
                + "  template:\n"
                + (labels == null ? "" : "    metadata: {labels: " + labels + "}\n")
                + "    spec:\n" + podSpecExtra
                + "      containers:\n      - {name: app, image: app, resources: {requests: {cpu: 1}}}\n";
    }

    @Test
    void appsControllersWithAnEmptySelectorAreRefusedAndOnesWithoutArePacked() throws Exception {
        for (String kind : new String[]{"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}) {
            // Left out (a departure: hand-written what-if manifests omit it): packed as selecting the template's labels.
            var w = read(controller(kind, null, "{app: a}", ""));
            assertThat(kind.equals("DaemonSet") ? w.daemonSets() : w.groups()).hasSize(1);
            assertThatThrownBy(() -> read(controller(kind, "{}", "{app: a}", "")))
                    .hasMessageContaining("m.yaml:5:13: The spec.selector of " + kind + " web must name at least one label")
                    .hasMessageContaining("empty selector is invalid for " + kind.toLowerCase(java.util.Locale.ROOT));
            assertThatThrownBy(() -> read(controller(kind, "{matchLabels: {}}", "{app: a}", "")))
                    .hasMessageContaining("found an empty selector");
        }
    }

    @Test
    void aSelectorTheTemplateLabelsDoNotMatchIsRefused() throws Exception {
        assertThatThrownBy(() -> read(controller("Deployment", "{matchLabels: {app: b}}", "{app: a}", "")))
                .hasMessageContaining("m.yaml:7:24: The spec.selector of Deployment web must match its template's labels "
                        + "(spec.template.metadata.labels: {app: a}); found app=b unmet")
                .hasMessageContaining("selector does not match template labels");
        assertThatThrownBy(() -> read(controller("StatefulSet", "{matchLabels: {app: a}}", null, "")))
                .hasMessageContaining("(spec.template.metadata.labels: none); found app=a unmet");
        // matchExpressions as labels.Selector evaluates them
        assertThatThrownBy(() -> read(controller("DaemonSet", "{matchExpressions: [{key: tier, operator: In, values: [web, api]}]}",
                "{tier: db}", ""))).hasMessageContaining("found tier In [web, api] unmet");
        assertThatThrownBy(() -> read(controller("ReplicaSet", "{matchExpressions: [{key: canary, operator: DoesNotExist}]}",
                "{app: a, canary: \"yes\"}", ""))).hasMessageContaining("found canary DoesNotExist unmet");
        assertThatThrownBy(() -> read(controller("Deployment", "{matchExpressions: [{key: app, operator: NotIn, values: [a]}]}",
                "{app: a}", ""))).hasMessageContaining("found app NotIn [a] unmet");
        assertThatThrownBy(() -> read(controller("Deployment", "{matchExpressions: [{key: app, operator: Gt, values: [\"1\"]}]}",
                "{app: a}", ""))).hasMessageContaining("must be one of In, NotIn, Exists, DoesNotExist");
        // A ReplicationController's selector, when written, must match too.
        assertThatThrownBy(() -> read("""
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: rc}
                spec:
                  selector: {app: b}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      containers: [{name: app, image: app}]
                """)).hasMessageContaining("The spec.selector of ReplicationController rc must match its template's labels");

        // What matches: matchLabels plus every operator, a template with more labels than the selector names.
        Workload w = read(controller("Deployment", "{matchLabels: {app: a}, matchExpressions: [{key: tier, operator: In, values: [web, "
                + "api]}, {key: track, operator: NotIn, values: [canary]}, {key: team, operator: Exists}, {key: legacy, operator: "
                + "DoesNotExist}]}", "{app: a, tier: web, team: x, extra: z}", ""));
        assertThat(w.groups()).hasSize(1);
    }

    @Test
    void aControllersTemplateRestartsAlwaysAJobsOnFailureOrNever() throws Exception {
        assertThatThrownBy(() -> read(controller("Deployment", "{matchLabels: {app: a}}", "{app: a}", "      restartPolicy: Never\n")))
                .hasMessageContaining("m.yaml:9:22: The spec.template.spec.restartPolicy of Deployment web must be Always")
                .hasMessageContaining("found 'Never' (spec.template.spec.restartPolicy: Unsupported value)")
                .hasMessageContaining("ValidateDeploymentSpec");
        assertThatThrownBy(() -> read(controller("DaemonSet", "{matchLabels: {app: a}}", "{app: a}", "      restartPolicy: OnFailure\n")))
                .hasMessageContaining("must be Always").hasMessageContaining("ValidateDaemonSetSpec");
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  template:
                    spec:
                      %s
                      containers: [{name: m, image: m, resources: {requests: {cpu: 1}}}]
                """;
        assertThatThrownBy(() -> read(job.formatted("restartPolicy: Always")))
                .hasMessageContaining("m.yaml:7:22: The spec.template.spec.restartPolicy of Job migrate must be OnFailure or Never")
                .hasMessageContaining("found 'Always'");
        // Left out (a departure: the API server defaults it to Always and refuses the Job; what-if Jobs omit it): packed.
        assertThat(read(job.formatted("")).groups()).hasSize(1);
        assertThatThrownBy(() -> read("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Always
                          containers: [{name: m, image: m}]
                """)).hasMessageContaining("The spec.jobTemplate.spec.template.spec.restartPolicy of CronJob nightly must be OnFailure or Never");
        assertThat(read(job.formatted("restartPolicy: Never")).groups()).hasSize(1);
        assertThat(read(job.formatted("restartPolicy: OnFailure")).groups()).hasSize(1);
        // A bare Pod takes any of the three, and nothing else.
        String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: %s\n  containers: [{name: a, image: a}]\n";
        for (String ok : new String[]{"Always", "OnFailure", "Never"}) {
            assertThat(read(pod.formatted(ok)).groups()).hasSize(1);
        }
        assertThatThrownBy(() -> read(pod.formatted("always")))
                .hasMessageContaining("m.yaml:5:18: The spec.restartPolicy of Pod p must be Always or OnFailure or Never for a pod "
                        + "(pkg/apis/core/validation validateRestartPolicy); found 'always'");
    }

    @Test
    void aRegularContainerMayNotSetRestartPolicy() {
        assertThatThrownBy(() -> read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: a
                    image: x
                    restartPolicy: Always
                """)).hasMessageContaining("m.yaml:8:20: The spec.containers[0].restartPolicy ('Always') may not be set for non-init "
                + "containers (Forbidden; pkg/apis/core/validation validateContainers)");
    }

    @Test
    void anInitContainerRestartsOnlyAlwaysAsASidecar() throws Exception {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  initContainers:
                  - name: i
                    image: x
                    restartPolicy: %s
                    resources: {requests: {cpu: 3}}
                  containers:
                  - {name: a, image: x, resources: {requests: {cpu: 1}}}
                """;
        assertThatThrownBy(() -> read(pod.formatted("OnFailure")))
                .hasMessageContaining("m.yaml:8:20: The spec.initContainers[0].restartPolicy must be Always")
                .hasMessageContaining("found 'OnFailure' (Unsupported value: supported values: \"Always\"; pkg/apis/core/validation "
                        + "validateInitContainers)");
        assertThatThrownBy(() -> read(pod.formatted("Never"))).hasMessageContaining("found 'Never'");
        // A sidecar runs beside the app: 3 + 1 CPU.
        assertThat(read(pod.formatted("Always")).groups().get(0).request().cpuMillis()).isEqualTo(4000);
    }

    @Test
    void containerNamesAreDns1123Labels() throws Exception {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: init, image: x}]\n"
                + "  containers:\n  - name: %s\n    image: x\n";
        assertThatThrownBy(() -> read(pod.formatted("A_b")))
                .hasMessageContaining("m.yaml:7:11: The container name at spec.containers[0].name must be a DNS-1123 label")
                .hasMessageContaining("validateContainerCommon: ValidateDNS1123Label); found 'A_b' (uppercase 'A'). Maybe 'a-b'.");
        assertThatThrownBy(() -> read(pod.formatted("web.app"))).hasMessageContaining("found 'web.app' ('.'). Maybe 'web-app'.");
        assertThatThrownBy(() -> read(pod.formatted("app-"))).hasMessageContaining("(it ends with '-')");
        assertThatThrownBy(() -> read(pod.formatted("a".repeat(64)))).hasMessageContaining("(64 characters)");
        assertThatThrownBy(() -> read(pod.formatted("\"\""))).hasMessageContaining("must have a name (spec.containers[0].name: Required value");
        assertThatThrownBy(() -> read(pod.replace("name: init", "name: Init").formatted("a")))
                .hasMessageContaining("The container name at spec.initContainers[0].name must be a DNS-1123 label");
        assertThat(read(pod.formatted("a".repeat(63))).groups()).hasSize(1);
        assertThat(read(pod.formatted("web-1")).groups()).hasSize(1);
    }

    /**
     * A container without an image is refused by the API server (validateContainerCommon), but not here: hand-written
     * what-if manifests and this project's samples leave it out and it changes no request (a departure the README lists).
     */
    @Test
    void aContainerWithoutAnImageIsStillPacked() throws Exception {
        Workload w = read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, resources: {requests: {cpu: 1}}}]\n");
        assertThat(w.groups()).hasSize(1);
    }

    @Test
    void validRealWorldShapesStillRead() throws Exception {
        // A kubectl get all -o yaml dump: the Deployment (checked), its ReplicaSet and Pod (owned, listed, not checked again).
        Workload dump = read("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: web, namespace: shop}
                  spec:
                    replicas: 2
                    selector:
                      matchExpressions: [{key: app, operator: In, values: [web]}]
                    template:
                      metadata: {labels: {app: web}}
                      spec:
                        restartPolicy: Always
                        containers: [{name: w, image: w, resources: {requests: {cpu: 1}}}]
                - apiVersion: apps/v1
                  kind: ReplicaSet
                  metadata:
                    name: web-5d4f
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u}]
                  spec:
                    replicas: 2
                    selector: {matchLabels: {app: web, pod-template-hash: 5d4f}}
                    template:
                      metadata: {labels: {app: web, pod-template-hash: 5d4f}}
                      spec:
                        containers: [{name: w, image: w, resources: {requests: {cpu: 1}}}]
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: web-5d4f-x
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, controller: true, uid: v}]
                  spec:
                    containers: [{name: w, image: w, resources: {requests: {cpu: 1}}}]
                """);
        assertThat(dump.groups()).hasSize(1);
        assertThat(dump.groups().get(0).replicas()).isEqualTo(2);
        // An Argo Rollout taking its template from a Deployment (workloadRef) has no template or selector of its own.
        Workload rollout = read("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 3
                  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web-base}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-base}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: w, image: w, resources: {requests: {cpu: 1}}}]
                """);
        // (resolved into 3 pods once every input is read: ArgoRollouts)
        assertThat(rollout.ignored()).extracting(o -> o.kind() + " " + o.name()).contains("Rollout web", "Deployment web-base");
    }

    private static String job(String specExtra) {
        return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: train}\nspec:\n  parallelism: 3\n  completions: 6\n" + specExtra
                + "  template:\n    spec:\n      restartPolicy: Never\n"
                + "      containers:\n      - {name: app, image: app, resources: {requests: {cpu: 1}}}\n";
    }

    @Test
    void aJobsCompletionModeFieldsAreCheckedAsTheApiServerChecksThem() throws Exception {
        // pkg/apis/batch/validation validateJobSpec: per-index fields and successPolicy need Indexed.
        assertThatThrownBy(() -> read(job("  backoffLimitPerIndex: 2\n")))
                .hasMessageContaining("m.yaml:7:")
                .hasMessageContaining("The spec.backoffLimitPerIndex of Job train requires completionMode: Indexed (found none, which "
                        + "defaults to NonIndexed)");
        assertThatThrownBy(() -> read(job("  completionMode: NonIndexed\n  successPolicy: {rules: [{succeededCount: 1}]}\n")))
                .hasMessageContaining("The spec.successPolicy of Job train requires completionMode: Indexed (found NonIndexed)");
        assertThatThrownBy(() -> read(job("  completionMode: Indexed\n  maxFailedIndexes: 1\n")))
                .hasMessageContaining("The spec.maxFailedIndexes of Job train needs backoffLimitPerIndex");
        assertThatThrownBy(() -> read(job("  completionMode: indexed\n")))
                .hasMessageContaining("The spec.completionMode of Job train must be NonIndexed or Indexed; found 'indexed'");
        assertThatThrownBy(() -> read(job("  completionMode: Indexed\n").replace("  completions: 6\n", "")))
                .hasMessageContaining("The spec.completions of Job train is required when completionMode is Indexed");
        assertThatThrownBy(() -> read(job("  completionMode: Indexed\n").replace("parallelism: 3", "parallelism: 100001")))
                .hasMessageContaining("The spec.parallelism of Job train must be at most 100000 when completionMode is Indexed");
        assertThatThrownBy(() -> read(job("  managedBy: multikueue\n")))
                .hasMessageContaining("The spec.managedBy of Job train must be a domain-prefixed path");
        // What the API server takes is packed: Indexed with its per-index fields.
        Workload ok = read(job("  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 2\n"));
        assertThat(ok.groups()).singleElement().satisfies(g -> assertThat(g.replicas()).isEqualTo(3));
        // And a CronJob's job template the same way.
        assertThatThrownBy(() -> read("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate:
                    spec:
                      maxFailedIndexes: 1
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: app, image: app}]
                """)).hasMessageContaining("The spec.jobTemplate.spec.maxFailedIndexes of CronJob nightly requires completionMode: Indexed");
    }

    @Test
    void aJobAnotherControllerManagesRunsNoPodHere() throws Exception {
        // MultiKueue's Jobs on the management cluster: the Job controller skips them, a worker cluster runs their pods.
        Workload w = read(job("  managedBy: kueue.x-k8s.io/multikueue\n"));
        assertThat(w.groups()).isEmpty();
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .contains("managed by kueue.x-k8s.io/multikueue (spec.managedBy), not the Job controller"));
        // The Job controller's own name is a Job like any other.
        assertThat(read(job("  managedBy: kubernetes.io/job-controller\n")).groups()).hasSize(1);
    }
}
