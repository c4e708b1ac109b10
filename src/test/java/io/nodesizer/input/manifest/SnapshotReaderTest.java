package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link SnapshotReader} takes from a cluster snapshot that a manifest would not be allowed. */
final class SnapshotReaderTest {
    @TempDir
    Path dir;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: %s, namespace: shop, labels: {app: web}%s}
            spec:
              nodeName: n1
              hostNetwork: true
              tolerations: [{operator: Exists, futureField: x}]
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule,
                 labelSelector: {matchLabels: {app: web}}, someFieldOfALaterRelease: true}
              containers: [{name: c, ports: [{containerPort: 9100}], resources: {requests: {cpu: 100m}}}]
            status: {phase: Running}
            """;

    private static final String NODE = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}
            """;

    /**
     * A snapshot's objects passed its cluster's API server, which may know fields added after this
     * reader: they are ignored there, where a manifest with the same fields exits 2.
     */
    /**
     * QA 76b F3: a Running pod without spec.nodeName (or with an empty one) was read as pending, "not short of capacity", its
     * requests taken off the node that runs it. No kubelet reports a pod it is not bound to, and the API server never clears
     * the field: the snapshot was edited, so it exits 2 at the field. A Pending pod without a node is read as ever.
     */
    @Test
    void aRunningPodWithoutANodeIsRefusedAtItsField() throws Exception {
        java.util.Map<String, String> unbound = new java.util.LinkedHashMap<>();
        unbound.put("missing", "");
        unbound.put("empty", "  nodeName: ''\n");
        unbound.forEach((which, field) -> {
            Path f = dir.resolve("running.yaml");
            assertThatThrownBy(() -> {
                Files.writeString(f, NODE + "---\n" + POD.formatted("web-1", "").replace("  nodeName: n1\n", field));
                SnapshotReader.read(List.of(f), List.of("running.yaml"));
            }).isInstanceOf(InputException.class).hasMessageContaining("running.yaml:10:")
                    .hasMessageContaining("The pod shop/web-1 is Running (status.phase) but spec.nodeName is " + which + "; ")
                    .hasMessageContaining("restore spec.nodeName");
        });
        Path pending = dir.resolve("pending.yaml");
        Files.writeString(pending, NODE + "---\n" + POD.formatted("web-1", "").replace("  nodeName: n1\n", "")
                .replace("phase: Running", "phase: Pending"));
        assertThat(SnapshotReader.read(List.of(pending), List.of("pending.yaml")).pods()).singleElement()
                .satisfies(p -> assertThat(p.nodeName()).isNull());
    }

    /**
     * QA 76b F4: the items of a typed list that carry an apiVersion but no kind (a dump put through jq 'del(.items[].kind)')
     * are of the list's kind, as those without either are; they were refused as if the list were untyped. In a generic
     * List they are still refused.
     */
    @Test
    void theItemsOfATypedListWithAnApiVersionButNoKindAreOfItsKind() throws Exception {
        String item = "{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"s\"},\"spec\":{\"nodeName\":\"n1\","
                + "\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]},\"status\":{\"phase\":\"Running\"}}";
        Path nodes = dir.resolve("nodes.json");
        Files.writeString(nodes, "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"items\":[{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"n1\"},"
                + "\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"16Gi\",\"pods\":\"110\"}}}]}");
        Path before = dir.resolve("before.json"); // the list's kind first, as kubectl and the API server write it
        Files.writeString(before, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" + item.formatted("a") + "]}");
        Path after = dir.resolve("after.json"); // after its items, as the Python client and jq -S write it
        Files.writeString(after, "{\"apiVersion\":\"v1\",\"items\":[" + item.formatted("b") + "],\"kind\":\"PodList\"}");
        ClusterSnapshot s = SnapshotReader.read(List.of(nodes, before, after), List.of("nodes.json", "before.json", "after.json"));
        assertThat(s.nodes()).extracting(ClusterSnapshot.Node::name).containsExactly("n1");
        assertThat(s.pods()).extracting(ClusterSnapshot.Pod::name).containsExactly("a", "b");
        Path generic = dir.resolve("generic.json");
        Files.writeString(generic, "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[" + item.formatted("a") + "]}");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(nodes, generic), List.of("nodes.json", "generic.json")))
                .isInstanceOf(InputException.class).hasMessageContaining("The item at items[0] has no kind");
    }

    /**
     * Fix 77d: an item without a kind whose apiVersion is of another API group than its typed list's is refused at that
     * apiVersion, the list's kind before its items (streamed) or after them (held): a PodList holds Pods only, and an
     * {@code apps/v1} item is of no kind the reader could give it (kubectl refuses it: Object 'Kind' is missing).
     */
    @Test
    void anItemOfAnotherApiGroupInATypedListIsRefused() throws Exception {
        String pod = "{\"apiVersion\":\"%s\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"s\"},\"spec\":{\"nodeName\":\"n1\","
                + "\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]},\"status\":{\"phase\":\"Running\"}}";
        String items = pod.formatted("v1", "a") + ",\n" + pod.formatted("apps/v1", "b");
        Path before = dir.resolve("before.json");
        Files.writeString(before, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" + items + "]}");
        Path after = dir.resolve("after.json");
        Files.writeString(after, "{\"apiVersion\":\"v1\",\"items\":[" + items + "],\"kind\":\"PodList\"}");
        for (Path file : List.of(before, after)) {
            assertThatThrownBy(() -> SnapshotReader.read(List.of(file.toString()))).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ":2:")
                    .hasMessageContaining("The items[1].apiVersion (apps/v1) of the PodList (v1), on an item without a kind, must be of "
                            + "API group core (apiVersion v1), as a typed list holds only items of its kind (Pod); found group apps.");
        }
    }

    /**
     * QA 62b F10, F11: an item whose kind is a near miss of one the snapshot reads (Nodee) exits 2 with did-you-mean, where it
     * was dropped and its node's pods counted as on nodes the snapshot lacks; kinds it does not read (Service) pass. A node
     * with more allocatable than capacity on any resource exits 2 at the field: cpu 64 on a 4-CPU node drew pods onto it.
     */
    @Test
    void aMisspeltKindAndAllocatableAboveCapacityAreRefused() throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, NODE.replace("kind: Node", "kind: Nodee") + "---\n" + NODE.replace("n1", "n2")
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(typo.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("typo.yaml:2").hasMessageContaining("The kind Nodee").hasMessageContaining("did you mean Node?");
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, NODE + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
        assertThat(SnapshotReader.read(List.of(ok.toString())).nodes()).hasSize(1);
        Path above = dir.resolve("above.yaml");
        Files.writeString(above, """
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status:
                  capacity: {cpu: '4', memory: 16Gi, pods: '110'}
                  allocatable: {cpu: '64', memory: 15Gi, pods: '110'}
                """);
        assertThatThrownBy(() -> SnapshotReader.read(List.of(above.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("above.yaml:6:22").hasMessageContaining("The node n1 has more cpu allocatable than capacity "
                        + "(cpuMillis 64000 > 4000)");
    }

    /**
     * QA 78c F2: a transposed kind (Pdo, Ndoe) is one edit from Pod and Node as people type, but two Levenshtein edits, so
     * the item was no near miss and was dropped without a word: a pod's requests vanished from its node.
     */
    @Test
    void aTransposedKindIsANearMiss() throws Exception {
        Path typo = dir.resolve("swap.yaml");
        Files.writeString(typo, NODE + "---\n" + POD.formatted("web-1", "").replace("kind: Pod", "kind: Pdo"));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(typo.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("swap.yaml:7").hasMessageContaining("The kind Pdo").hasMessageContaining("did you mean Pod?");
        assertThat(io.nodesizer.model.NameLists.distance("ndoe", "node")).isEqualTo(1);
        assertThat(io.nodesizer.model.NameLists.distance("deplyoment", "deployment")).isEqualTo(1);
        assertThat(io.nodesizer.model.NameLists.distance("abc", "ca")).isEqualTo(3);
    }

    /**
     * QA 78c F1: a phase other than the API's five (kubectl get pods' STATUS column, Completed, CrashLoopBackOff, or a typo)
     * was read as running: a finished Job's pod written Completed kept its requests on its node. It exits 2 at the field
     * with the five and the phase meant, in a snapshot and in --pods alike; a pod without a phase is Pending as before.
     */
    @Test
    void aPhaseThatIsNoPodPhaseIsRefusedAtItsField() throws Exception {
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("Completed", "Maybe Succeeded: kubectl get pods' STATUS column");
        cases.put("running", "Maybe Running (the API spells it so).");
        cases.put("Runing", "Maybe Running.");
        cases.put("CrashLoopBackOff", "Maybe Running (its containers restart) or Failed (the pod ended)");
        cases.put("Evicted", "Maybe Failed");
        cases.put("Init:0/1", "take the snapshot with kubectl get -o json or -o yaml");
        for (var c : cases.entrySet()) {
            Path f = dir.resolve("phase.yaml");
            Files.writeString(f, NODE + "---\n" + POD.formatted("web-1", "").replace("phase: Running", "phase: '" + c.getKey() + "'"));
            assertThatThrownBy(() -> SnapshotReader.read(List.of(f.toString()))).isInstanceOf(InputException.class)
                    .hasMessageContaining("phase.yaml:17:17").hasMessageContaining("The pod phase at status.phase (" + c.getKey()
                            + ") must be one of Pending, Running, Succeeded, Failed, Unknown").hasMessageContaining(c.getValue());
        }
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, NODE + "---\n" + POD.formatted("web-1", "").replace("status: {phase: Running}", "status: {}")
                .replace("  nodeName: n1\n", ""));
        assertThat(SnapshotReader.read(List.of(none.toString())).pods()).singleElement().extracting(ClusterSnapshot.Pod::phase)
                .isEqualTo("Pending");
        Path manifest = dir.resolve("m.yaml");
        Files.writeString(manifest, POD.formatted("web-1", "").replace("phase: Running", "phase: Completed"));
        assertThatThrownBy(() -> new ManifestReader().read(manifest, "m.yaml")).isInstanceOf(InputException.class)
                .hasMessageContaining("m.yaml:12:").hasMessageContaining("Maybe Succeeded");
    }

    /** QA 55b F9: a node's Ready condition False, with no taint for it yet, reads as the not-ready NoSchedule taint it is about to get. */
    @Test
    void aNotReadyNodeReadsWithTheTaintItIsAboutToGet() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: a}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"},
                   conditions: [{type: Ready, status: "False"}, {type: MemoryPressure, status: "False"}]}}
                - {apiVersion: v1, kind: Node, metadata: {name: b}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"},
                   conditions: [{type: Ready, status: "True"}]}}
                """);
        List<ClusterSnapshot.Node> nodes = SnapshotReader.read(List.of(file), List.of("s.yaml")).nodes();
        assertThat(nodes.get(0).schedulingTaints()).extracting(Placement.Taint::key).containsExactly("node.kubernetes.io/not-ready");
        assertThat(nodes.get(1).schedulingTaints()).isEmpty();
    }

    /**
     * Review 74b #12: a node both unreachable and out of service (shut down, then marked by hand, as the non-graceful
     * shutdown steps say) names both states; the Ready condition's alone, or none, as before.
     */
    @Test
    void aNodeNamesEveryStateItIsIn() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: a}, spec: {taints: [{key: node.kubernetes.io/out-of-service, value: nodeshutdown, effect: NoExecute}]},
                   status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}, conditions: [{type: Ready, status: Unknown}]}}
                - {apiVersion: v1, kind: Node, metadata: {name: b}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"},
                   conditions: [{type: Ready, status: "False"}]}}
                - {apiVersion: v1, kind: Node, metadata: {name: c}, spec: {taints: [{key: node.kubernetes.io/out-of-service, effect: NoExecute}]},
                   status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}, conditions: [{type: Ready, status: "True"}]}}
                - {apiVersion: v1, kind: Node, metadata: {name: d}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"},
                   conditions: [{type: Ready, status: "True"}]}}
                """);
        List<ClusterSnapshot.Node> nodes = SnapshotReader.read(List.of(file), List.of("s.yaml")).nodes();
        assertThat(nodes).extracting(ClusterSnapshot.Node::notReady)
                .containsExactly("unreachable and out of service", "not ready", "out of service", null);
        assertThat(nodes).extracting(ClusterSnapshot.Node::notReadyStates)
                .containsExactly(List.of("unreachable", "out of service"), List.of("not ready"), List.of("out of service"), List.of());
        assertThat(nodes).extracting(ClusterSnapshot.Node::closed).containsExactly(true, true, true, false);
    }

    /**
     * Review 61: a cluster's HPA passed its API server, so neither its fields nor a minReplicas of 0 (the HPAScaleToZero gate)
     * are checked again; in a manifest both exit 2 (ManifestReaderTest).
     */
    @Test
    void aClustersHpaIsNotCheckedAgain() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: a}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}}
                - {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web, namespace: shop},
                   spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 0, maxReplicas: 5, minReplica: 1}}
                """);
        ClusterSnapshot s = SnapshotReader.read(List.of(file), List.of("s.yaml"));
        assertThat(s.autoscalers()).singleElement().satisfies(a -> assertThat(a.minReplicas()).isZero());
    }

    /**
     * QA 62: a running pod passed its API server, so its hugepages and extended requests are not checked against their
     * limits again; in a manifest a request unequal to its limit exits 2 (ManifestReaderTest).
     */
    @Test
    void aClustersPodsExtendedRequestsAreNotCheckedAgain() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, NODE + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: shop}
                spec:
                  nodeName: n1
                  containers: [{name: c, resources: {requests: {cpu: 100m, example.com/foo: 1}, limits: {example.com/foo: 2}}}]
                status: {phase: Running}
                """);
        ClusterSnapshot s = SnapshotReader.read(List.of(file), List.of("s.yaml"));
        assertThat(s.pods()).singleElement().satisfies(p -> assertThat(p.extended()).containsEntry("example.com/foo", 1000L));
    }

    /** The taint manager takes the first toleration that matches a NoExecute taint: one for 60 s before one for ever evicts (review 61). */
    @Test
    void aNoExecuteTaintIsToleratedAsTheFirstMatchingTolerationSays() {
        Placement.Taint taint = new Placement.Taint("x", "", "NoExecute");
        Placement.Toleration brief = new Placement.Toleration("x", "Exists", "", "NoExecute", 60L);
        Placement.Toleration always = new Placement.Toleration("", "Exists", "", "");
        assertThat(io.nodesizer.kube.NodeMatching.tolerated(List.of(brief, always), taint)).isFalse();
        assertThat(io.nodesizer.kube.NodeMatching.tolerated(List.of(always, brief), taint)).isTrue();
        assertThat(io.nodesizer.kube.NodeMatching.tolerated(List.of(brief), new Placement.Taint("x", "", "NoSchedule"))).isFalse();
    }

    @Test
    void fieldsOfALaterKubernetesAreIgnoredInASnapshotNotInAManifest() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, NODE + "---\n" + POD.formatted("web-1", ""));
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("cluster.yaml"));
        assertThat(s.pods()).hasSize(1);
        assertThat(s.pods().get(0).placement().spread()).hasSize(1);
        Path manifest = dir.resolve("pod.yaml");
        Files.writeString(manifest, POD.formatted("web-1", ""));
        assertThatThrownBy(() -> new ManifestReader().read(manifest, "pod.yaml")).isInstanceOf(InputException.class)
                .hasMessageContaining("unknown field");
    }

    /**
     * A static pod's mirror known only by its kubernetes.io/config.mirror annotation is Node-owned, as kubelet's IsMirrorPod
     * reads it (QA 52c F8); a pod's scheduling gates are read (F3); an item of a generic List without its kind exits 2 (F7).
     */
    @Test
    void mirrorAnnotationGatesAndAKindlessListItem() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, NODE + "---\n" + POD.formatted("static-web-n1", ", annotations: {kubernetes.io/config.mirror: abc}")
                + "---\n" + """
                apiVersion: v1
                kind: Pod
                metadata: {name: gated, namespace: shop}
                spec:
                  schedulingGates: [{name: example.com/quota}]
                  containers: [{name: c, resources: {requests: {cpu: 100m}}}]
                status: {phase: Pending}
                """);
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("cluster.yaml"));
        assertThat(s.pods().get(0).staticPod()).isTrue();
        assertThat(s.pods().get(0).ownerName()).isEqualTo("n1");
        assertThat(s.pods().get(1).schedulingGates()).containsExactly("example.com/quota");
        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: n1}, status: "
                + "{allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}}\n- {apiVersion: v1, metadata: {name: p}, spec: {nodeName: n1, "
                + "containers: [{name: c, resources: {requests: {cpu: '1'}}}]}}\n");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(list), List.of("list.yaml"))).isInstanceOf(InputException.class)
                .hasMessageContaining("The item at items[1] has no kind");
        // A typed list whose kind comes after its items (the Python client's sanitize_for_serialization, jq -S): its items,
        // read before the kind, are of its kind all the same (QA 55b F3); one with a kind of its own keeps it, in order.
        Path pods = dir.resolve("pods.json");
        Files.writeString(pods, "{\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"s\"},"
                + "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}},"
                + "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\",\"namespace\":\"s\"},"
                + "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"2\"}}}]}}],"
                + "\"kind\":\"PodList\",\"metadata\":{}}");
        ClusterSnapshot typed = SnapshotReader.read(List.of(snapshot, pods), List.of("cluster.yaml", "pods.json"));
        assertThat(typed.pods()).extracting(ClusterSnapshot.Pod::name).containsExactly("static-web-n1", "gated", "a", "b");
    }

    /**
     * Host ports: a DaemonSet's pod (node-exporter on 9100 with hostNetwork) carries the port's
     * label, which keeps another pod asking for that port off its node through that pod's own term,
     * but not the term itself: a DaemonSet's pods never move, and every running DaemonSet pod with a
     * term would make each check of every pod look at them.
     */
    @Test
    void aDaemonSetPodCarriesItsHostPortsLabelButNotTheTerm() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        String owned = ", ownerReferences: [{kind: DaemonSet, name: node-exporter, controller: true}]";
        Files.writeString(snapshot, NODE + "---\n" + POD.formatted("exporter-1", owned).replace(", futureField: x", "")
                .replace(", someFieldOfALaterRelease: true", "") + "---\n" + POD.formatted("web-1", "").replace(", futureField: x", "")
                .replace(", someFieldOfALaterRelease: true", ""));
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("cluster.yaml"));
        Placement daemon = s.pods().get(0).placement();
        Placement web = s.pods().get(1).placement();
        assertThat(daemon.podLabels()).containsKey(PodPlacement.HOST_PORT_LABEL + "tcp-9100");
        assertThat(daemon.antiAffinity()).isEmpty();
        assertThat(web.podLabels()).containsKey(PodPlacement.HOST_PORT_LABEL + "tcp-9100");
        assertThat(web.antiAffinity()).hasSize(1);
    }

    /**
     * The API server has one Node per name and one Pod per namespace/name: the same one read twice —
     * overlapping files, one file twice, or twice in one file — exits 2 naming both places (counted
     * twice it doubled analyze's nodes and cost, and consolidate acted on the node twice).
     */
    @Test
    void anObjectReadTwiceIsAnInputErrorNamingBothPlaces() throws Exception {
        Path nodes = dir.resolve("nodes.yaml");
        Files.writeString(nodes, "# nodes only\n" + NODE);
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, NODE + "---\n" + POD.formatted("web-1", ""));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(nodes, cluster), List.of("nodes.yaml", "cluster.yaml")))
                .isInstanceOf(InputException.class)
                .hasMessage("cluster.yaml:1: The node n1 is in the snapshot twice, here and at nodes.yaml:2; the cluster has one node "
                        + "of that name. Maybe the snapshot files overlap (the same file twice, or 'kubectl get nodes,pods' beside "
                        + "'kubectl get nodes'): give each object once.");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(cluster, cluster), List.of("cluster.yaml", "cluster.yaml")))
                .isInstanceOf(InputException.class).hasMessageStartingWith("cluster.yaml:1: The node n1 is in the snapshot twice, "
                        + "twice on this line (a file on one line, as jq -c writes it, that lists it twice, or a file given twice);");
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(pods, NODE + "---\n" + POD.formatted("web-1", "") + "---\n" + POD.formatted("web-1", ""));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(pods), List.of("pods.yaml")))
                .isInstanceOf(InputException.class).hasMessageStartingWith("pods.yaml:19: The pod shop/web-1 is in the snapshot twice, "
                        + "here and at pods.yaml:6;") // the node 4 lines and "---", each pod 12 and "---"
                .hasMessageEndingWith("of that name. Give each object once."); // QA 69b F4: one file, no overlap to guess at
    }

    /** One PodDisruptionBudget per namespace/name as well: two would make its pods look covered by two budgets. */
    @Test
    void aBudgetReadTwiceIsAnInputError() throws Exception {
        String budget = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\n"
                + "spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n";
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, NODE + "---\n" + budget + "---\n" + budget.replace("namespace: shop", "namespace: other"));
        assertThat(SnapshotReader.read(List.of(cluster), List.of("cluster.yaml")).budgets()).hasSize(2);
        Path again = dir.resolve("pdb.yaml");
        Files.writeString(again, budget);
        assertThatThrownBy(() -> SnapshotReader.read(List.of(cluster, again), List.of("cluster.yaml", "pdb.yaml")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("pdb.yaml:1: The PodDisruptionBudget shop/web is in the snapshot twice, here and at cluster.yaml:6;");
    }

    /**
     * A node's GPUs are its device plugins': {@code nvidia.com/gpu} in its capacity or allocatable
     * makes it an NVIDIA node, {@code amd.com/gpu} an AMD one, so a pod asking for the other
     * vendor's resource is refused there. A resource listed at 0 (a plugin with no healthy device)
     * names no vendor; a node with none of them has no vendor and refuses no pod for it.
     */
    @Test
    void aNodeCarriesTheVendorOfTheGpuResourcesItLists() throws Exception {
        Path snapshot = dir.resolve("cluster.yaml");
        Files.writeString(snapshot, String.join("---\n",
                gpuNode("nv", "{cpu: '8', memory: 32Gi, pods: '110', nvidia.com/gpu: '4'}", null),
                gpuNode("amd", "{cpu: '8', memory: 32Gi, pods: '110', amd.com/gpu: '1'}", "{cpu: '8', memory: 32Gi, amd.com/gpu: '1'}"),
                gpuNode("only-capacity", "{cpu: '8', memory: 32Gi, pods: '110'}", "{cpu: '8', memory: 32Gi, gpu.intel.com/i915: '1'}"),
                gpuNode("stale", "{cpu: '8', memory: 32Gi, pods: '110', amd.com/gpu: '0', nvidia.com/gpu: '2'}", null),
                gpuNode("both", "{cpu: '8', memory: 32Gi, pods: '110', amd.com/gpu: '1', nvidia.com/gpu: '1'}", null),
                gpuNode("xe", "{cpu: '8', memory: 32Gi, pods: '110', gpu.intel.com/xe: '2'}", null), // Intel's plugin on the xe driver
                gpuNode("hex", "{cpu: '8', memory: 32Gi, pods: '110', nvidia.com/gpu: 0x1}", null), // 1, as kubectl sends it
                NODE));
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("cluster.yaml"));
        assertThat(s.nodes()).extracting(ClusterSnapshot.Node::gpuVendor)
                .containsExactly("nvidia", "amd", "intel", "nvidia", "amd+nvidia", "intel", "nvidia", "");
    }

    private static String gpuNode(String name, String allocatable, String capacity) {
        return "apiVersion: v1\nkind: Node\nmetadata: {name: " + name + "}\nstatus: {allocatable: " + allocatable
                + (capacity == null ? "" : ", capacity: " + capacity) + "}\n";
    }

    /**
     * A budget's minAvailable is an IntOrString: a number (in any form kubectl sends) or a percentage;
     * a quoted number is a string the API server takes only as a percentage, so it is refused.
     */
    @Test
    void aBudgetTakesNumbersAndPercentagesButNotAQuotedNumber() throws Exception {
        String budget = """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web, namespace: shop}
                spec: {minAvailable: MIN, selector: {matchLabels: {app: web}}}
                status: {disruptionsAllowed: ALLOWED}
                """;
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, NODE + "---\n" + budget.replace("MIN", "0x2").replace("ALLOWED", "1"));
        io.nodesizer.model.DisruptionBudget b = SnapshotReader.read(List.of(f), List.of("cluster.yaml")).budgets().get(0);
        assertThat(b.minAvailable()).isEqualTo("2");
        assertThat(b.disruptionsAllowed()).isEqualTo(1);
        Files.writeString(f, NODE + "---\n" + budget.replace("MIN", "50%").replace("ALLOWED", "1"));
        assertThat(SnapshotReader.read(List.of(f), List.of("cluster.yaml")).budgets().get(0).minAvailable()).isEqualTo("50%");
        Files.writeString(f, NODE + "---\n" + budget.replace("MIN", "'2'").replace("ALLOWED", "1"));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(f), List.of("cluster.yaml"))).isInstanceOf(InputException.class)
                .hasMessage("cluster.yaml:9:22: The value at spec.minAvailable must be a whole number or a percentage such as 50%; found "
                        + "the string \"2\" (quoted), which the API server takes only as a percentage. Write it without quotes (2).");
        Files.writeString(f, NODE + "---\n" + budget.replace("MIN", "1").replace("ALLOWED", "\"1\""));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(f), List.of("cluster.yaml"))).isInstanceOf(InputException.class)
                .hasMessageContaining("The status.disruptionsAllowed must be an integer; found the string \"1\" (quoted)");
    }

    /** The kubelet writes a max-pods of 1000 as the quantity "1k" (canonical form); 11.0 and 1.1e1 are 11 (QA 38a finding 3). */
    @Test
    void podSlotsAreAQuantity() throws Exception {
        Path snapshot = dir.resolve("n.yaml");
        Files.writeString(snapshot, NODE.replace("pods: '110'", "pods: 1k") + "---\n" + NODE.replace("n1", "n2").replace("'110'", "'1.1e1'"));
        ClusterSnapshot s = SnapshotReader.read(List.of(snapshot), List.of("n.yaml"));
        assertThat(s.nodes()).extracting(n -> n.allocatable().get(io.nodesizer.model.Resource.PODS)).containsExactly(1000L, 11L);
        Files.writeString(snapshot, NODE.replace("pods: '110'", "pods: 1.5"));
        assertThatThrownBy(() -> SnapshotReader.read(List.of(snapshot), List.of("n.yaml"))).isInstanceOf(InputException.class)
                .hasMessageContaining("pods (1.5) must be a whole number");
    }

    /**
     * Files of one kind each (kubectl get rs -A -o json > rs.json) and an empty namespace's list ("items": null, as
     * cluster-info dump --output-directory writes it) are parts of a snapshot; a file of nothing it reads is not
     * (QA 38a finding 4).
     */
    @Test
    void filesOfControllersAutoscalersAndEmptyListsArePartsOfASnapshot() throws Exception {
        Path nodes = dir.resolve("nodes.yaml");
        Files.writeString(nodes, NODE);
        Path rs = dir.resolve("rs.json");
        Files.writeString(rs, "{\"kind\":\"ReplicaSetList\",\"apiVersion\":\"apps/v1\",\"items\":[{\"metadata\":{\"name\":\"web-5d8f\","
                + "\"namespace\":\"shop\"},\"spec\":{\"replicas\":2}}]}");
        Path hpa = dir.resolve("hpa.yaml");
        Files.writeString(hpa, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\n"
                + "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 6}\n");
        Path empty = dir.resolve("pods.json");
        Files.writeString(empty, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":null}");
        ClusterSnapshot s = SnapshotReader.read(List.of(nodes.toString(), rs.toString(), hpa.toString(), empty.toString()));
        assertThat(s.controllers()).hasSize(1);
        assertThat(s.autoscalers()).hasSize(1);
        // kubectl get pdb -A -o json on a cluster without budgets: "items": [] (QA 55b F2), beside the README's cluster.json.
        Path pdbs = dir.resolve("pdbs.json");
        Files.writeString(pdbs, "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}");
        assertThat(SnapshotReader.read(List.of(nodes.toString(), pdbs.toString())).nodes()).hasSize(1);
        Path cm = dir.resolve("cm.yaml");
        Files.writeString(cm, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(nodes.toString(), cm.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("found no Node and no Pod");
        Path blank = Files.writeString(dir.resolve("blank.json"), "\n"); // kubectl … > blank.json that failed (QA 55b F11)
        assertThatThrownBy(() -> SnapshotReader.read(List.of(nodes.toString(), blank.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("blank.json").hasMessageContaining("found an empty file");
    }

    /**
     * A directory is read whole, as kubectl cluster-info dump --output-directory writes it; its files of other kinds
     * (events, services) are passed over, and logs are not read (QA 38a finding 5).
     */
    @Test
    void aDirectoryIsReadAsClusterInfoDumpWritesIt() throws Exception {
        Path dump = Files.createDirectories(dir.resolve("dump/shop"));
        Files.writeString(dir.resolve("dump/nodes.yaml"), NODE);
        Files.writeString(dump.resolve("pods.yaml"), POD.formatted("web-1", ""));
        Files.writeString(dump.resolve("events.json"), "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"e\"}}]}");
        Files.createDirectories(dump.resolve("web-1"));
        Files.writeString(dump.resolve("web-1/logs.txt"), "==== START logs for container c of pod shop/web-1 ====\nhello\n");
        ClusterSnapshot s = SnapshotReader.read(List.of(dir.resolve("dump").toString()));
        assertThat(s.nodes()).hasSize(1);
        assertThat(s.pods()).hasSize(1);
        // Headed by the directory as given, not by each of its files (QA 64a F27).
        assertThat(s.sources()).containsExactly(dir.resolve("dump").toString());
        // A 0-byte file in it is no file of another kind but a failed kubectl get … > dir/pods.json: it exits 2 naming it,
        // where the cluster was analysed without it (fix 76f).
        Path empty = Files.writeString(dump.resolve("more-pods.json"), "");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(dir.resolve("dump").toString()))).isInstanceOf(InputException.class)
                .hasMessage(empty + ": Expected a cluster snapshot: a List, NodeList or PodList (kubectl get nodes,pods -A -o json); "
                        + "found an empty file (a redirect of a command that failed, or a truncated copy?). Every .json, .yaml and .yml "
                        + "file of a snapshot's directory is read: write it again or remove it.");
        Files.writeString(empty, "# nothing yet\n---\n"); // comments alone: a file of nothing the snapshot reads, passed over
        assertThat(SnapshotReader.read(List.of(dir.resolve("dump").toString())).pods()).hasSize(1);
        assertThatThrownBy(() -> SnapshotReader.read(List.of(Files.createDirectories(dir.resolve("none")).toString())))
                .isInstanceOf(InputException.class).hasMessageContaining("holds no .json, .yaml or .yml file");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(dir.resolve("missing.json").toString())))
                .isInstanceOf(InputException.class).hasMessageContaining("does not exist");
    }

    /**
     * QA c F7: a hand-written pod without metadata.name was read as app/(unnamed), where a node without one exits 2; the API
     * server names every pod (generateName's too), so it exits 2 alike, at the pod's metadata.
     */
    @Test
    void aPodWithoutANameIsAnErrorAsANodeIs() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}}
                - apiVersion: v1
                  kind: Pod
                  metadata: {namespace: app, generateName: web-}
                  spec: {nodeName: n1, containers: [{name: c, resources: {requests: {cpu: 100m}}}]}
                  status: {phase: Running}
                """);
        assertThatThrownBy(() -> SnapshotReader.read(List.of(file), List.of("s.yaml"))).isInstanceOf(InputException.class)
                .hasMessage("s.yaml:7:13: The pod at items[1] must have metadata.name (a pod the API server returns always has one, "
                        + "generateName'd pods too); found none.");
    }

    /** What kubectl prints that is not the objects says so (QA 38a finding 6). */
    @Test
    void tablesAndClusterInfoDumpOutputAreNamed() throws Exception {
        Path wide = dir.resolve("wide.txt");
        StringBuilder rows = new StringBuilder("NAME          STATUS   ROLES    AGE   VERSION\n");
        for (int i = 0; i < 300; i++) {
            rows.append("node-").append(i).append("   Ready    <none>   5d    v1.31.2\n");
        }
        Files.writeString(wide, rows);
        assertThatThrownBy(() -> SnapshotReader.read(List.of(wide.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("kubectl's table output").satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        Path table = dir.resolve("table.json");
        Files.writeString(table, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"columnDefinitions\":[],\"rows\":[]}");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(table.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("kind: Table");
        Path dump = dir.resolve("dump.txt");
        Files.writeString(dump, "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"items\":[]}\n{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[]}\n"
                + "==== START logs for container c of pod shop/web-1 ====\nlistening on :8080\n");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(dump.toString()))).isInstanceOf(InputException.class)
                .hasMessageContaining("Line 3 starts a pod's logs").hasMessageContaining("--output-directory");
    }
}
