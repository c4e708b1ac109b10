package io.nodesizer.input;

import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workload names across inputs: unique per kind and namespace, as Kubernetes has them. */
final class InputsNamesTest {
    @TempDir
    Path dir;

    private static String object(String kind, String apiVersion, String name, String namespace) {
        String spec = kind.equals("Pod") ? """
                spec:
                  containers:
                  - {name: a, image: a, resources: {requests: {cpu: 500m}}}
                """ : """
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                      - {name: a, image: a, resources: {requests: {cpu: 500m}}}
                """.formatted(name, name);
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: " + namespace + "}\n" + spec;
    }

    /**
     * QA 55a F4: in a pods-only dump (kubectl get pods -A -o yaml) a DaemonSet's pods are its per-node overhead, read
     * once, its controller's per-node name affinity left out; a static pod is not packed; beside the DaemonSet itself
     * (kubectl get ds in another file) the DaemonSet counts once.
     */
    @Test
    void aPodsOnlyDumpReadsDaemonSetPodsAsTheirDaemonSetAndLeavesStaticPodsOut() throws Exception {
        String pod = """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: kube-system, ownerReferences: [{apiVersion: %s, kind: %s, name: %s, uid: u, controller: true}]}
                  spec:
                    nodeSelector: {kubernetes.io/os: linux}
                    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [%s]}]}]}}}
                    containers: [{name: c, image: x, resources: {requests: {cpu: %s}}}]
                """;
        Path dump = dir.resolve("pods.yaml");
        Files.writeString(dump, "apiVersion: v1\nkind: List\nitems:\n" + pod.formatted("kube-proxy-a", "apps/v1", "DaemonSet", "kube-proxy", "n1", "100m")
                + pod.formatted("kube-proxy-b", "apps/v1", "DaemonSet", "kube-proxy", "n2", "100m")
                + pod.formatted("kube-apiserver-n1", "v1", "Node", "n1", "n1", "250m")
                + pod.formatted("coredns-1", "apps/v1", "ReplicaSet", "coredns-5d", "n1", "100m").replace("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}}}", "affinity: {}"));
        Workload w = Inputs.read(List.of(dump));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("kube-system/coredns-1");
        assertThat(w.daemonSets()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("kube-system/kube-proxy");
            assertThat(d.request().cpuMillis()).isEqualTo(100);
            assertThat(d.placement().requiredTerms()).isNullOrEmpty(); // not the per-node name affinity
        });
        assertThat(w.ignored()).extracting(IgnoredObject::reason).anySatisfy(r -> assertThat(r).contains("a static pod"));
        Path ds = dir.resolve("ds.yaml");
        Files.writeString(ds, object("DaemonSet", "apps/v1", "kube-proxy", "kube-system").replace("  replicas: 2\n", ""));
        Workload both = Inputs.read(List.of(ds, dump));
        assertThat(both.daemonSets()).singleElement().satisfies(d -> assertThat(d.request().cpuMillis()).isEqualTo(500));
    }

    /** QA 55a F5: a kustomize directory or a Helm chart read raw dropped its replicas and patches; it is refused with the command. */
    @Test
    void aKustomizeDirectoryOrAHelmChartIsRefusedWithTheCommandThatRendersIt() throws Exception {
        Path kust = Files.createDirectories(dir.resolve("kust"));
        Files.writeString(kust.resolve("deploy.yaml"), object("Deployment", "apps/v1", "web", "shop"));
        Files.writeString(kust.resolve("kustomization.yaml"), "resources: [deploy.yaml]\nreplicas: [{name: web, count: 10}]\n");
        assertThatThrownBy(() -> Inputs.read(List.of(kust))).isInstanceOf(InputException.class)
                .hasMessageContaining("kustomization.yaml").hasMessageContaining("kubectl kustomize " + kust);
        Path chart = Files.createDirectories(dir.resolve("chart/templates"));
        Files.writeString(dir.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("deploy.yaml"), "replicas: {{ .Values.replicas }}\n");
        assertThatThrownBy(() -> Inputs.read(List.of(dir.resolve("chart")))).isInstanceOf(InputException.class)
                .hasMessageContaining("Chart.yaml").hasMessageContaining("helm template RELEASE " + dir.resolve("chart"));
        assertThat(Inputs.read(List.of(kust.resolve("deploy.yaml"))).groups()).hasSize(1); // a file of it alone is read
    }

    @Test
    void aDeploymentAndAStatefulSetMayShareANameAndAreReportedApart() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, object("Deployment", "apps/v1", "web", "shop") + "---\n" + object("StatefulSet", "apps/v1", "web", "shop")
                + "---\n" + object("StatefulSet", "apps/v1", "db", "shop") + "---\n" + object("Deployment", "apps/v1", "web", "other"));
        Workload w = Inputs.read(List.of(f));
        assertThat(w.groups()).extracting(PodGroup::name)
                .containsExactly("shop/web[Deployment]", "shop/web[StatefulSet]", "shop/db", "other/web");
        assertThat(w.groups().get(1).podName(0)).isEqualTo("shop/web[StatefulSet]-0");
        assertThat(w.ignored()).extracting(IgnoredObject::reason)
                .containsExactly("packed, and reported as shop/web[Deployment]: a StatefulSet of the same namespace has the same name",
                        "packed, and reported as shop/web[StatefulSet]: a Deployment of the same namespace has the same name");
    }

    @Test
    void twoObjectsOfOneKindWithOneNameStayAnError() throws Exception {
        Path f = dir.resolve("a.yaml");
        Path g = dir.resolve("b.yaml");
        Files.writeString(f, object("Deployment", "apps/v1", "web", "shop") + "---\n" + object("Pod", "v1", "web", "shop"));
        Files.writeString(g, object("Deployment", "apps/v1", "web", "shop"));
        assertThatThrownBy(() -> Inputs.read(List.of(f, g))).isInstanceOf(InputException.class)
                .hasMessageContaining("b.yaml:1")
                .hasMessageContaining("'shop/web[Deployment]' is also defined at " + f + ":1");
    }

    /**
     * The API server keeps one PodDisruptionBudget per namespace and name; read twice (the same manifest in two files) it
     * made its pods look covered by two budgets, so replay refused every drain of them. Exit 2 as for workloads; the same
     * name in another namespace is another budget.
     */
    @Test
    void aBudgetDefinedTwiceIsAnErrorButNotOneOfTheSameNameElsewhere() throws Exception {
        String budget = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: %s}\n"
                + "spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n";
        Path f = dir.resolve("a.yaml");
        Path g = dir.resolve("b.yaml");
        Files.writeString(f, object("Deployment", "apps/v1", "web", "shop") + "---\n" + budget.formatted("shop") + "---\n"
                + budget.formatted("other"));
        Files.writeString(g, "# the same budget again\n" + budget.formatted("shop"));
        assertThat(Inputs.read(List.of(f)).ignored()).extracting(IgnoredObject::name).containsExactly("shop/web", "other/web");
        assertThatThrownBy(() -> Inputs.read(List.of(f, g))).isInstanceOf(InputException.class)
                .hasMessageStartingWith(g + ":2: The PodDisruptionBudget 'shop/web' is also defined at " + f + ":13;");
    }

    @Test
    void aCsvRowNamedLikeAManifestsWorkloadIsTheSameWorkloadGivenTwice() throws Exception {
        Path f = dir.resolve("a.yaml");
        Path c = dir.resolve("b.csv");
        Files.writeString(f, object("Deployment", "apps/v1", "web", "default"));
        Files.writeString(c, "name,cpu,memory,replicas\nweb,500m,1Gi,2\n");
        assertThatThrownBy(() -> Inputs.read(List.of(f, c))).isInstanceOf(InputException.class)
                .hasMessageContaining("The workload name 'web' is also defined at");
    }
}
