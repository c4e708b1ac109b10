package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.ClusterSnapshot;
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

/**
 * Pods get their priority as the API server's Priority admission plugin gives it: from the class
 * they name (the inputs' or a built-in), else the globalDefault class, else 0; a snapshot's pods
 * carry theirs in spec.priority.
 */
final class PriorityClassesTest {
    @TempDir
    Path dir;

    private static String priorityClass(String name, int value, boolean globalDefault) {
        return """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: %s}
                value: %d
                globalDefault: %s
                """.formatted(name, value, globalDefault);
    }

    private static String deployment(String name, String podSpecExtra) {
        return RuntimeClassesTest.deployment(name, podSpecExtra);
    }

    private Workload read(String... files) throws Exception {
        return RuntimeClassesTest.read(dir, files);
    }

    private static int priority(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow().priority();
    }

    @Test
    void podsNamingAClassGetItsValueAndTheOthersTheGlobalDefaultsFromAnotherFile() throws Exception {
        Workload w = read(deployment("web", "priorityClassName: high") + "---\n" + deployment("batch", "")
                        + "---\n" + deployment("dns", "priorityClassName: system-cluster-critical"),
                priorityClass("high", 100_000, false) + "---\n" + priorityClass("normal", 1000, true));
        assertThat(priority(w, "web")).isEqualTo(100_000);
        assertThat(priority(w, "batch")).isEqualTo(1000); // names none: the globalDefault's
        assertThat(priority(w, "dns")).isEqualTo(2_000_000_000); // the built-in
        assertThat(w.ignored()).extracting(IgnoredObject::reason).anySatisfy(r -> assertThat(r)
                .contains("priority 1000 went to 0 workloads naming it and to 1 naming no class (globalDefault)"));
    }

    @Test
    void withoutAGlobalDefaultAPodNamingNoClassHasPriorityZero() throws Exception {
        Workload w = read(deployment("web", "") + "---\n" + priorityClass("high", 100_000, false));
        assertThat(priority(w, "web")).isZero();
    }

    /** A class the inputs lack may be in the cluster (installed by another chart): packed at the default, listed. */
    @Test
    void aClassNotInTheInputsIsListedAndItsPodsTakeTheGlobalDefault() throws Exception {
        Workload w = read(deployment("web", "priorityClassName: platform-high") + "---\n" + priorityClass("normal", 1000, true));
        assertThat(priority(w, "web")).isEqualTo(1000);
        assertThat(w.ignored()).filteredOn(o -> o.name().equals("platform-high")).singleElement()
                .satisfies(o -> assertThat(o.reason()).contains("named by 1 workload (web) but not in the inputs")
                        .contains("the globalDefault's priority (normal, 1000)").contains("kubectl get priorityclass platform-high"));
    }

    /** A pod read back from a cluster carries the value admission gave it, which stands when its class is not in the inputs. */
    @Test
    void aWrittenPriorityStandsForAClassNotInTheInputsAndMustMatchOneThatIs() throws Exception {
        Workload w = read(deployment("web", "priorityClassName: platform-high\npriority: 5000"));
        assertThat(priority(w, "web")).isEqualTo(5000);
        assertThat(w.ignored()).noneMatch(o -> o.kind().equals("PriorityClass"));
        assertThatThrownBy(() -> read(deployment("web", "priorityClassName: high\npriority: 5000"), priorityClass("high", 7, false)))
                .isInstanceOf(InputException.class).hasMessageContaining("spec.priority (5000) is not the 7 that its PriorityClass high gives");
        // Naming no class, it may predate the globalDefault class: its value stands.
        assertThat(priority(read(deployment("web", "priority: 5000"), priorityClass("normal", 1000, true)), "web")).isEqualTo(5000);
    }

    @Test
    void aZeroReplicaWorkloadKeepsItsPriorityForTheScalerThatBringsItBack() throws Exception {
        Workload w = read(deployment("web", "priorityClassName: high").replace("replicas: 3", "replicas: 0"),
                priorityClass("high", 42, false) + "---\n" + deployment("other", ""));
        PodGroup idle = w.ignored().stream().filter(o -> o.idle() != null).findFirst().orElseThrow().idle();
        assertThat(idle.priority()).isEqualTo(42);
    }

    @Test
    void aClassRedefiningABuiltInOrDefinedTwiceIsRefused() {
        assertThatThrownBy(() -> read(priorityClass("system-node-critical", 5, false) + "---\n" + deployment("web", "")))
                .isInstanceOf(InputException.class).hasMessageContaining("names beginning 'system-' are reserved");
        assertThatThrownBy(() -> read(priorityClass("high", 5, false), priorityClass("high", 6, false) + "---\n" + deployment("web", "")))
                .isInstanceOf(InputException.class).hasMessageContaining("is also defined at");
    }

    /**
     * A class's preemptionPolicy goes into the pods naming it, as admission copies it (a non-preempting
     * class, for batch pods that should wait rather than evict); one written that differs is refused, a
     * value other than PreemptLowerPriority and Never exits 2 at the field.
     */
    @Test
    void aClassesPreemptionPolicyNeverGoesToItsPods() throws Exception {
        String never = priorityClass("batch-high", 1000, false) + "preemptionPolicy: Never\n";
        Workload w = read(deployment("batch", "priorityClassName: batch-high") + "---\n" + deployment("web", "priority: 10")
                + "---\n" + deployment("api", "priorityClassName: normal"), never + "---\n" + priorityClass("normal", 10, false));
        assertThat(w.groups()).filteredOn(g -> g.name().equals("batch")).singleElement().satisfies(g -> {
            assertThat(g.priority()).isEqualTo(1000);
            assertThat(g.preempts()).isFalse();
        });
        assertThat(w.groups()).filteredOn(g -> !g.name().equals("batch")).allMatch(PodGroup::preempts);
        assertThat(read(deployment("web", "priority: 10\npreemptionPolicy: Never")).groups().get(0).preempts()).isFalse();
        assertThatThrownBy(() -> read(deployment("batch", "priorityClassName: batch-high\npreemptionPolicy: PreemptLowerPriority"), never))
                .isInstanceOf(InputException.class).hasMessageContaining("spec.preemptionPolicy (PreemptLowerPriority) is not the Never");
        assertThatThrownBy(() -> read(deployment("web", ""), priorityClass("x", 1, false) + "preemptionPolicy: never\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("must be PreemptLowerPriority or Never");
    }

    @Test
    void aDumpOfTheBuiltInClassesIsAccepted() throws Exception {
        Workload w = read(priorityClass("system-node-critical", 2_000_001_000, false) + "---\n"
                + deployment("web", "priorityClassName: system-node-critical"));
        assertThat(priority(w, "web")).isEqualTo(2_000_001_000);
    }

    @Test
    void aCsvProfileTakesAPriorityColumn() throws Exception {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "name,cpu,memory,replicas,priority\nweb,1,1Gi,2,1000\nplaceholder,1,1Gi,3,-20\nplain,1,1Gi,1,\n");
        Workload w = Inputs.read(List.of(csv));
        assertThat(w.groups()).extracting(PodGroup::priority).containsExactly(1000, -20, 0);
    }

    @Test
    void aSnapshotPodCarriesItsSpecPriority() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, """
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: overprovisioning-1, namespace: default}
                spec:
                  nodeName: n1
                  priorityClassName: overprovisioning
                  priority: -20
                  containers: [{name: pause, resources: {requests: {cpu: '1'}}}]
                status: {phase: Running}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: hand-written, namespace: default}
                spec:
                  nodeName: n1
                  priorityClassName: system-node-critical
                  containers: [{name: c, resources: {requests: {cpu: 100m}}}]
                status: {phase: Running}
                """);
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("cluster.yaml"));
        assertThat(s.pods()).extracting(ClusterSnapshot.Pod::priority).containsExactly(-20, 2_000_001_000);
    }

    /**
     * A hand-written snapshot pod without spec.priority takes the value of the snapshot's own
     * PriorityClass it names (kubectl get priorityclasses,nodes,pods), or the globalDefault's when it
     * names none, with the class's preemptionPolicy; a class file alone is a snapshot file too.
     */
    @Test
    void aHandWrittenSnapshotPodTakesTheSnapshotsPriorityClass() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, """
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: placeholder, namespace: default}
                spec:
                  nodeName: n1
                  priorityClassName: overprovisioning
                  containers: [{name: pause, resources: {requests: {cpu: '1'}}}]
                status: {phase: Running}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: plain, namespace: default}
                spec:
                  nodeName: n1
                  containers: [{name: c, resources: {requests: {cpu: 100m}}}]
                status: {phase: Running}
                """);
        Path classes = dir.resolve("classes.yaml");
        Files.writeString(classes, priorityClass("overprovisioning", -20, false) + "preemptionPolicy: Never\n---\n"
                + priorityClass("normal", 100, true));
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot, classes), List.of("cluster.yaml", "classes.yaml"));
        assertThat(s.pods()).extracting(ClusterSnapshot.Pod::priority).containsExactly(-20, 100);
        assertThat(s.pods().get(0).template().preempts()).isFalse();
    }
}
