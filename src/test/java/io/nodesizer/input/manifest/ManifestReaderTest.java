package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ManifestReaderTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Workload read(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return new ManifestReader().read(f, "m.yaml");
    }

    /** An HPA on Deployment web, its spec's {@code %s} a line of one's choosing. */
    private static final String HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              %s
              maxReplicas: 10
            ---
            """;

    private static String deployment(String name, String replicas, String containers) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n"
                + (replicas == null ? "" : "  replicas: " + replicas + "\n")
                + "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
                + containers;
    }

    @Test
    void deploymentSumsContainersAndDefaultsReplicasToOne() throws Exception {
        Workload w = read(deployment("web", null, """
                        - name: a
                          resources: {requests: {cpu: 500m, memory: 256Mi}}
                        - name: b
                          resources: {requests: {cpu: 1, memory: 1e9}}
                """));
        PodGroup g = w.groups().get(0);
        assertThat(g.replicas()).isEqualTo(1);
        assertThat(g.request().cpuMillis()).isEqualTo(1500);
        assertThat(g.request().memoryBytes()).isEqualTo(256 * MIB + 1_000_000_000L);
    }

    /** QA 55a F1: Helm renders an unset quoted namespace as "", which is no namespace (omitempty), not a namespace "". */
    @Test
    void anEmptyNamespaceIsTheDefaultOne() throws Exception {
        Workload w = read(deployment("api", "2", "        - {name: c, resources: {requests: {cpu: 1}}}\n").replace("  name: api\n",
                "  name: api\n  namespace: \"\"\n") + "---\napiVersion: v1\nkind: List\nitems:\n- " + deployment("web", "1",
                "        - {name: c, resources: {requests: {cpu: 1}}}\n").replace("\n", "\n  ").replace("  name: web\n",
                "  name: web\n    namespace: ''\n"));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("api", "web"); // "/api" and "/web" were in a namespace ""
    }

    /** QA 55a F2: a pod claiming a GPU through Dynamic Resource Allocation was sized onto CPU nodes without a word. */
    @Test
    void devicesClaimedThroughDynamicResourceAllocationAreListedAsNotModelled() throws Exception {
        Workload w = read(deployment("infer", "4", """
                        - name: c
                          resources: {requests: {cpu: 2, memory: 8Gi}, claims: [{name: gpu}]}
                """).replace("      containers:\n", "      resourceClaims: [{name: gpu, resourceClaimTemplateName: gpu}]\n      containers:\n"));
        assertThat(w.groups()).hasSize(1);
        // Its pods are packed, so it is listed as approximated, not ignored (QA 62 item 2).
        assertThat(w.ignored()).anySatisfy(i -> assertThat(i.approximated()).isTrue());
        assertThat(w.ignored()).anySatisfy(i -> assertThat(i.reason()).contains("Dynamic Resource Allocation")
                .contains("spec.template.spec.resourceClaims: gpu"));
        assertThat(read(deployment("web", "1", "        - {name: c, resources: {requests: {cpu: 1}}}\n")).ignored()).isEmpty();
    }

    /** QA 55a F6: a misspelt workload kind of a built-in group is refused, as kubectl refuses it, with the kind it meant. */
    @Test
    void aMisspeltWorkloadKindIsRefused() throws Exception {
        String web = deployment("web", "2", "        - {name: c, resources: {requests: {cpu: 1}}}\n");
        assertThatThrownBy(() -> read(web.replace("kind: Deployment", "kind: Deploymnet"))).isInstanceOf(InputException.class)
                .hasMessageContaining("m.yaml:2:7").hasMessageContaining("did you mean Deployment?");
        assertThatThrownBy(() -> read(web.replace("kind: Deployment", "kind: statefulset"))).isInstanceOf(InputException.class)
                .hasMessageContaining("did you mean StatefulSet?");
        // Other kinds of those groups, and kinds of other groups, are listed as before.
        assertThat(read("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n---\napiVersion: example.com/v1\nkind: Deploymnet\n"
                + "metadata: {name: d}\n").ignored()).hasSize(2);
    }

    @Test
    void requestsDefaultToLimitsPerResource() throws Exception {
        Workload w = read(deployment("api", "2", """
                        - name: a
                          resources:
                            requests: {cpu: 250m}
                            limits: {cpu: "2", memory: 1Gi, nvidia.com/gpu: 1}
                """));
        PodGroup g = w.groups().get(0);
        assertThat(g.request().cpuMillis()).isEqualTo(250);         // the request wins where given
        assertThat(g.request().memoryBytes()).isEqualTo(1024 * MIB); // defaulted from the limit
        assertThat(g.request().gpuMillis()).isEqualTo(1000);
        assertThat(g.replicas()).isEqualTo(2);
    }

    @Test
    void unquotedQuantitiesAreReadAsKubectlSendsThemAndQuotedOnesAsWritten() throws Exception {
        // kubectl's YAML 1.1 (go-yaml v2): unquoted 010 is octal 8, 0x10 16, 1_000 1000, 0b1 1; quoted "010" is the quantity 10.
        Workload w = read(deployment("web", "1", """
                        - name: a
                          resources: {requests: {cpu: 010, memory: 0x10, ephemeral-storage: 1_000, nvidia.com/gpu: 0b1}, limits: {nvidia.com/gpu: 1}}
                        - name: b
                          resources: {requests: {cpu: "010", memory: 16Mi}}
                """));
        PodGroup g = w.groups().get(0);
        assertThat(g.request().cpuMillis()).isEqualTo(8_000 + 10_000);
        assertThat(g.request().memoryBytes()).isEqualTo(16 + 16 * MIB);
        assertThat(g.request().gpuMillis()).isEqualTo(1000);
        Path json = dir.resolve("m.json");
        Files.writeString(json, """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                 "spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": 1.0, "memory": 1e3}}}]}}
                """);
        PodGroup p = new ManifestReader().read(json, "m.json").groups().get(0);
        assertThat(p.request().cpuMillis()).isEqualTo(1000);
        assertThat(p.request().memoryBytes()).isEqualTo(1000);
    }

    @Test
    void aQuantityKubectlReadsOtherwiseIsShownBothWays() {
        assertThatThrownBy(() -> read(deployment("web", "1", """
                        - name: a
                          resources: {requests: {cpu: -0x10}}
                """))).isInstanceOf(InputException.class)
                .hasMessageContaining("requests.cpu (-0x10, which kubectl reads as -16) must be a CPU quantity")
                .hasMessageContaining("it is negative");
        assertThatThrownBy(() -> read(deployment("web", "1", """
                        - name: a
                          resources: {requests: {cpu: 1:30}}
                """))).isInstanceOf(InputException.class).hasMessageContaining("requests.cpu (1:30) must be a CPU quantity");
    }

    /** A custom resource that holds containers is named with its group and said to run pods not counted (QA 52c F10). */
    @Test
    void aCustomResourceThatRunsPodsIsNamedWithItsGroup() throws Exception {
        Workload w = read("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: kn}
                spec: {template: {spec: {containers: [{image: x, resources: {requests: {cpu: '4'}}}]}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                """);
        assertThat(w.ignored()).extracting(o -> o.kind() + " " + o.name()).containsExactly("Service.serving.knative.dev kn", "Service web");
        assertThat(w.ignored().get(0).reason()).contains("its operator runs pods");
        assertThat(w.ignored().get(1).reason()).isEqualTo("not a workload nodesizer packs");
    }

    /**
     * Fix 77b F1: a custom resource without a containers list whose operator still runs pods — a Prometheus or Alertmanager
     * with cpu and memory requests, a CloudNativePG Cluster, an Argo Workflow's container template — is said to run pods
     * not counted, where it read as a plain "not a workload"; storage-only requests and a resource without any stay plain.
     */
    @Test
    void aCustomResourceWithRequestsOrAContainerTemplateIsSaidToRunPods() throws Exception {
        Workload w = read("""
                apiVersion: monitoring.coreos.com/v1
                kind: Alertmanager
                metadata: {name: main, namespace: monitoring}
                spec: {replicas: 3, resources: {requests: {cpu: 100m, memory: 400Mi}}}
                ---
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg, namespace: db}
                spec: {instances: 3, resources: {limits: {memory: 8Gi}}, storage: {size: 100Gi}}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: etl-}
                spec: {entrypoint: main, templates: [{name: main, container: {image: etl, args: [run]}}]}
                ---
                apiVersion: example.com/v1
                kind: Volume
                metadata: {name: data}
                spec: {resources: {requests: {storage: 10Gi}}}
                ---
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: tls}
                spec: {secretName: tls, dnsNames: [example.com]}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: WorkflowTemplate
                metadata: {name: etl}
                spec: {entrypoint: main, templates: [{name: main, container: {image: etl, resources: {requests: {cpu: 2}}}}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: [{name: c, resources: {requests: {cpu: 1}}}]}
                """);
        assertThat(w.ignored()).extracting(o -> o.kind() + " " + o.name()).containsExactly("Alertmanager.monitoring.coreos.com monitoring/main",
                "Cluster.postgresql.cnpg.io db/pg", "Workflow.argoproj.io etl-", "Volume.example.com data", "Certificate.cert-manager.io tls",
                "WorkflowTemplate.argoproj.io etl");
        assertThat(w.ignored().subList(0, 3)).allSatisfy(o -> assertThat(o.reason()).contains("its operator runs pods")
                .contains("containers or cpu or memory requests under spec"));
        // A WorkflowTemplate runs pods only from the Workflows that reference it (review 77g: it was said to run them).
        assertThat(w.ignored().subList(3, 6)).allSatisfy(o -> assertThat(o.reason()).isEqualTo("not a workload nodesizer packs"));
    }

    /**
     * Fix 77b F2: a misspelt field of an object's metadata or of a template's is refused at the field, as kubectl's strict
     * field validation refuses it: {@code namespce} put the Deployment in default (another namespace's LimitRanges, quotas
     * and HPAs), {@code anotations} packed a Helm hook Job (4 CPU) beside the release, {@code lables} a template without the
     * labels its selectors count. A field far from every known one passes, as elsewhere.
     */
    @Test
    void aMisspeltMetadataFieldIsRefused() throws Exception {
        String container = "        - name: a\n          resources: {requests: {cpu: 500m}}\n";
        assertThatThrownBy(() -> read(deployment("web", "3", container).replace("  name: web\n", "  name: web\n  namespce: team\n")))
                .isInstanceOf(InputException.class).hasMessageContaining("The metadata of Deployment web has an unknown field namespce; "
                        + "did you mean namespace?").hasMessageContaining("m.yaml:5");
        assertThatThrownBy(() -> read("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  anotations: {helm.sh/hook: pre-install}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: a, resources: {requests: {cpu: 4}}}]
                """)).isInstanceOf(InputException.class).hasMessageContaining("unknown field anotations; did you mean annotations?");
        assertThatThrownBy(() -> read(deployment("web", "3", container).replace("    metadata: {labels: {app: web}}",
                "    metadata: {labels: {app: web}, anotations: {a: b}}")))
                .isInstanceOf(InputException.class).hasMessageContaining("The spec.template.metadata of Deployment web has an unknown "
                        + "field anotations; did you mean annotations?");
        assertThatThrownBy(() -> read("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 2 * * *"
                  jobTemplate:
                    metadata: {lables: {team: a}}
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: a, resources: {requests: {cpu: 4}}}]
                """)).isInstanceOf(InputException.class).hasMessageContaining("The spec.jobTemplate.metadata of CronJob nightly has an "
                        + "unknown field lables; did you mean labels?");
        assertThatThrownBy(() -> read(HPA.formatted("minReplicas: 2").replace("{name: web}", "{name: web, namespase: team}")
                + deployment("web", "3", container))).isInstanceOf(InputException.class).hasMessageContaining("unknown field namespase; did you mean namespace?");
        Workload w = read(deployment("web", "3", container).replace("  name: web\n", "  name: web\n  someFutureMetadataField: x\n"));
        assertThat(w.podCount()).isEqualTo(3);
    }

    /**
     * A misspelt resources block or resource name is refused as kubectl's strict validation and the API server refuse it,
     * where dropping it packed the pods at no request (QA 52a F10); a field far from every known one (a newer Kubernetes')
     * and domain-qualified extended resources pass.
     */
    @Test
    void aMisspeltResourcesFieldOrResourceNameIsRefused() throws Exception {
        assertThatThrownBy(() -> read(deployment("web", "3", """
                        - name: a
                          resource: {requests: {cpu: 500m}}
                """))).isInstanceOf(InputException.class).hasMessageContaining("has an unknown field resource; did you mean resources?");
        assertThatThrownBy(() -> read(deployment("web", "3", """
                        - name: a
                          resources: {requets: {cpu: 500m}}
                """))).isInstanceOf(InputException.class).hasMessageContaining("unknown field requets; did you mean requests?");
        assertThatThrownBy(() -> read(deployment("web", "3", """
                        - name: a
                          requests: {cpu: 500m}
                """))).isInstanceOf(InputException.class).hasMessageContaining("has requests outside resources");
        assertThatThrownBy(() -> read(deployment("web", "3", """
                        - name: a
                          resources: {requests: {cpu: 500m, memroy: 512Mi}}
                """))).isInstanceOf(InputException.class).hasMessageContaining("The resource name memroy")
                .hasMessageContaining("did you mean memory?");
        assertThatThrownBy(() -> read(deployment("web", "3", """
                        - name: a
                          resources: {requests: {cpu: null, memory: 512Mi}}
                """))).isInstanceOf(InputException.class).hasMessageContaining("is empty (null)").hasMessageContaining("template value left unset");
        Workload w = read(deployment("web", "3", """
                        - name: a
                          futureField: {x: 1}
                          resources: {requests: {cpu: 500m, memory: 512Mi, example.com/dongle: 1, hugepages-2Mi: 4Mi},
                            limits: {example.com/dongle: 1, hugepages-2Mi: 4Mi}}
                """));
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(500);
    }

    /**
     * QA 61d F1: a misspelt field of a workload's spec, its template or its pod spec, or of an HPA's spec, is refused at the
     * field as kubectl's strict validation refuses it; dropping it had packed other numbers (an init container of 4 CPU gone,
     * 1 pod for replica: 2, parallelism 1, minReplicas 1, no RuntimeClass overhead). A field far from every known one passes.
     */
    @Test
    void aMisspeltWorkloadOrPodSpecFieldIsRefused() throws Exception {
        String container = "        - name: a\n          resources: {requests: {cpu: 500m}}\n";
        assertThatThrownBy(() -> read(deployment("web", "3", container).replace("  replicas: 3", "  replica: 3")))
                .isInstanceOf(InputException.class).hasMessageContaining("The spec of Deployment web has an unknown field replica; did you mean replicas?");
        assertThatThrownBy(() -> read(deployment("web", "3", container) + "      initContainer:\n" + container))
                .isInstanceOf(InputException.class).hasMessageContaining("The spec.template.spec of Deployment web has an unknown field "
                        + "initContainer; did you mean initContainers?");
        assertThatThrownBy(() -> read(deployment("web", "3", container) + "      runtimeClassname: kata\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown field runtimeClassname; did you mean runtimeClassName?");
        assertThatThrownBy(() -> read(deployment("web", "3", container).replace("    metadata: {labels: {app: web}}", "    metdata: {labels: {app: web}}")))
                .isInstanceOf(InputException.class);
        assertThatThrownBy(() -> read("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: j}
                spec:
                  paralelism: 5
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: a, resources: {requests: {cpu: 1}}}]
                """)).isInstanceOf(InputException.class).hasMessageContaining("unknown field paralelism; did you mean parallelism?");
        assertThatThrownBy(() -> read(HPA.formatted("minReplica: 5") + deployment("web", "3", container)))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown field minReplica; did you mean minReplicas?");
        assertThatThrownBy(() -> read(HPA.formatted("minReplicas: 0") + deployment("web", "3", container)))
                .isInstanceOf(InputException.class).hasMessageContaining("(0) must be at least 1, as the API server requires");
        Workload w = read(deployment("web", "3", container) + "      someFutureField: {x: 1}\n");
        assertThat(w.podCount()).isEqualTo(3);
    }

    /** QA 61d F2: a label key or value the API server's ValidateLabels refuses exits 2 at the label; valid ones pass. */
    @Test
    void aLabelTheApiServerRefusesIsAnError() throws Exception {
        String container = "        - name: a\n          resources: {requests: {cpu: 500m}}\n";
        String base = deployment("web", "2", container);
        for (String[] bad : new String[][] {{"app: " + "a".repeat(64), "64 characters"}, {"'bad key!': x", "The label key 'bad key!'"},
            {"app: -web", "The value of label app"}, {"Example.com/tier: x", "The label key 'Example.com/tier'"}}) {
            String yaml = base.replace("    metadata: {labels: {app: web}}", "    metadata: {labels: {app: web, " + bad[0].replace("app: ", "tier: ") + "}}");
            assertThatThrownBy(() -> read(yaml)).as(bad[0]).isInstanceOf(InputException.class).hasMessageContaining(
                    bad[1].startsWith("The value of label app") ? "The value of label tier" : bad[1]);
        }
        Workload w = read(base.replace("    metadata: {labels: {app: web}}",
                "    metadata: {labels: {app: web, example.com/tier: front_end.v1, empty: '', x: " + "a".repeat(63) + "}}"));
        assertThat(w.podCount()).isEqualTo(2);
    }

    /**
     * A label selector's operators are In, NotIn, Exists and DoesNotExist; Gt and Lt are a node selector's. An unknown
     * operator and Gt get the same list, at the requirement's own line (QA 45 F4: the unknown one listed Gt and Lt).
     */
    @Test
    void aLabelSelectorsOperatorErrorListsOnlyItsOwnOperators() throws Exception {
        String spread = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                      - maxSkew: 1
                        topologyKey: kubernetes.io/hostname
                        whenUnsatisfiable: DoNotSchedule
                        labelSelector:
                          matchExpressions:
                          - {key: app, operator: OP, values: ["1"]}
                      containers:
                      - {name: a, resources: {requests: {cpu: 1}}}
                """;
        for (String op : List.of("Gt", "Bigger")) {
            assertThatThrownBy(() -> read(spread.replace("OP", op))).isInstanceOf(InputException.class)
                    .hasMessageStartingWith("m.yaml:15:")
                    .hasMessageContaining("matchExpressions[0].operator (" + op + ") must be one of In, NotIn, Exists, DoesNotExist "
                            + "(a label selector has no Gt or Lt).");
        }
        String nodeAffinity = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                            - matchExpressions:
                              - {key: app, operator: OP, values: ["1"]}
                      containers:
                      - {name: a, resources: {requests: {cpu: 1}}}
                """;
        assertThatThrownBy(() -> read(nodeAffinity.replace("OP", "Bigger"))).isInstanceOf(InputException.class)
                .hasMessageContaining("(Bigger) must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt.");
        assertThat(read(nodeAffinity.replace("OP", "Gt")).groups()).hasSize(1);
    }

    /** Integer fields take every number form kubectl sends as a whole number: YAML 1.1 ints, and floats that are whole. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"010,8", "0x10,16", "1_0,10", "0b11,3", "+5,5", "0o7,7", "1.0,1", "1e1,10", "08,8"})
    void replicasTakeTheNumberKubectlSends(String written, int replicas) throws Exception {
        Workload w = read(deployment("web", written, "            - name: a\n              resources: {requests: {cpu: 100m}}\n"));
        assertThat(w.groups().get(0).replicas()).isEqualTo(replicas);
    }

    /** A quoted number is a JSON string, which the API server refuses for an int32 field: exit 2 at its line. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\"3\"", "'3'", "\" 3 \"", "\"0x10\""})
    void aQuotedReplicasIsRefusedAsTheApiServerRefusesIt(String written) {
        assertThatThrownBy(() -> read(deployment("web", written, "            - name: a\n")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("m.yaml:6:13: The spec.replicas must be an integer; found the string \"")
                .hasMessageContaining("(quoted), which the API server refuses for an integer field. Write it without quotes");
    }

    /**
     * Boolean fields take YAML 1.1's forms as kubectl sends them ({@code suspend: yes} suspends a Job;
     * {@code on} too), and refuse a quoted "true" or a number as the API server refuses a string or
     * number for a bool (a quoted "true" suspended nothing, silently).
     */
    @Test
    void booleanFieldsTakeWhatKubectlSendsAndRefuseStrings() throws Exception {
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: j}
                spec:
                  suspend: SUSPEND
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: a, resources: {requests: {cpu: 100m}}}]
                """;
        for (String yes : new String[] {"true", "yes", "On", "Y"}) {
            assertThat(read(job.replace("SUSPEND", yes)).groups()).as(yes).isEmpty();
        }
        for (String no : new String[] {"false", "no", "off", "~"}) {
            assertThat(read(job.replace("SUSPEND", no)).groups()).as(no).hasSize(1);
        }
        assertThatThrownBy(() -> read(job.replace("SUSPEND", "\"true\""))).isInstanceOf(InputException.class)
                .hasMessage("m.yaml:5:12: The value at spec.suspend must be true or false; found the string \"true\" (quoted), which the API "
                        + "server refuses for a boolean field.");
        assertThatThrownBy(() -> read(job.replace("SUSPEND", "1"))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.suspend must be true or false; found '1'");
    }

    @Test
    void otherIntegerFieldsRefuseQuotedNumbersToo() throws Exception {
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: j}
                spec:
                  parallelism: PARALLELISM
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: a, ports: [{containerPort: 80, hostPort: HOSTPORT}]}]
                      topologySpreadConstraints: [{maxSkew: MAXSKEW, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]
                """;
        String ok = job.replace("PARALLELISM", "0x2").replace("HOSTPORT", "8080").replace("MAXSKEW", "1");
        assertThat(read(ok).groups().get(0).replicas()).isEqualTo(2);
        assertThatThrownBy(() -> read(job.replace("PARALLELISM", "'2'").replace("HOSTPORT", "8080").replace("MAXSKEW", "1")))
                .hasMessageContaining("m.yaml:5:16: The spec.parallelism must be an integer; found the string \"2\"");
        assertThatThrownBy(() -> read(job.replace("PARALLELISM", "1").replace("HOSTPORT", "\"8080\"").replace("MAXSKEW", "1")))
                .hasMessageContaining("The spec.template.spec.containers[0].ports[0].hostPort must be an integer; found the string \"8080\"");
        assertThatThrownBy(() -> read(job.replace("PARALLELISM", "1").replace("HOSTPORT", "8080").replace("MAXSKEW", "\"1\"")))
                .hasMessageContaining("The spec.template.spec.topologySpreadConstraints[0].maxSkew must be an integer; found the string \"1\"");
        assertThatThrownBy(() -> read(job.replace("PARALLELISM", "1").replace("HOSTPORT", "0x10000").replace("MAXSKEW", "1")))
                .hasMessageContaining("must be a number from 1 to 65535; found '0x10000, which kubectl reads as 65536'");
        assertThatThrownBy(() -> read(PREFERENCES.replace("WEIGHT", "\"50\"")))
                .hasMessageContaining("preferredDuringSchedulingIgnoredDuringExecution[0].weight must be an integer; found the string \"50\"");
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 1
                  maxReplicas: "10"
                ---
                """;
        assertThatThrownBy(() -> read(hpa + deployment("web", "2", "            - name: a\n")))
                .hasMessageContaining("m.yaml:7:16: The spec.maxReplicas must be an integer; found the string \"10\"");
    }

    @Test
    void jsonManifestsRefuseAStringReplicasAndTakeAWholeFloat() throws Exception {
        Path json = dir.resolve("m.json");
        String d = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                 "spec": {"replicas": REPLICAS, "selector": {"matchLabels": {"app": "a"}},
                  "template": {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "a"}]}}}}
                """;
        Files.writeString(json, d.replace("REPLICAS", "3.0"));
        assertThat(new ManifestReader().read(json, "m.json").groups().get(0).replicas()).isEqualTo(3);
        Files.writeString(json, d.replace("REPLICAS", "\"3\""));
        assertThatThrownBy(() -> new ManifestReader().read(json, "m.json")).isInstanceOf(InputException.class)
                .hasMessageContaining("m.json:2:23: The spec.replicas must be an integer; found the string \"3\" (quoted)");
    }

    /** Names the API server accepts are read; it takes a Deployment's dotted subdomain, a generateName prefix ending in '-'. */
    @Test
    void namesTheApiServerAcceptsAreRead() throws Exception {
        String pod = "            - name: a\n              resources: {requests: {cpu: 100m}}\n";
        assertThat(read(deployment("web.v1-2", "1", pod)).groups()).hasSize(1);
        assertThat(read(deployment("\"123\"", "1", pod)).groups().get(0).name()).isEqualTo("123");
        assertThat(read(deployment("x".repeat(253), "1", pod)).groups()).hasSize(1);
        assertThat(read("""
                apiVersion: v1
                kind: Pod
                metadata: {generateName: web-, namespace: team-1}
                spec: {containers: [{name: a}]}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: NAME}
                spec: {jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: a}]}}}}}
                """.replace("NAME", "c".repeat(52))).groups()).hasSize(2);
    }

    /** An object annotated config.kubernetes.io/local-config: "true" is kustomize's and kpt's local configuration, never applied. */
    @Test
    void aLocalConfigObjectIsNotApplied() throws Exception {
        String pod = "            - name: a\n              resources: {requests: {cpu: 100m}}\n";
        Workload w = read(deployment("web", "3", pod).replace("metadata:\n", "metadata:\n  annotations: {config.kubernetes.io/local-config: \"true\"}\n"));
        assertThat(w.groups()).isEmpty();
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).startsWith("not applied: annotated "
                + "config.kubernetes.io/local-config"));
    }

    /** QA 55a F8: two objects of one generateName are two objects (the API server names each), not one name given twice. */
    @Test
    void twoObjectsOfOneGenerateNameAreTwo() throws Exception {
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {generateName: migrate-, namespace: shop}
                spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, resources: {requests: {cpu: 100m}}}]}}}
                """;
        Path f = dir.resolve("jobs.yaml");
        Files.writeString(f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: migrate-, namespace: shop}\n---\n" + job + "---\n" + job
                + "---\n" + job.replace("shop", "other"));
        assertThat(io.nodesizer.input.Inputs.read(List.of(f)).groups()).extracting(io.nodesizer.model.PodGroup::name)
                .containsExactly("shop/migrate-", "shop/migrate-#2", "other/migrate-");
    }

    /** Names the API server refuses exit 2 at the name, saying what a name must be, what was found and a likely fix. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "Deployment|name: Web_1|4:9|The metadata.name of a Deployment must be a DNS-1123 subdomain, as the API server requires "
                    + "(lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters); "
                    + "found 'Web_1' (uppercase 'W'). Maybe 'web-1'.",
            "Deployment|name: web-|4:9|found 'web-' (it ends with '-'). Maybe 'web'.",
            "Deployment|name: web..x|4:9|found 'web..x' (a part between dots is empty or starts or ends with '-'). Maybe 'web.x'.",
            "StatefulSet|name: db.v1|4:9|The metadata.name of a StatefulSet must be a DNS-1123 label, as the API server requires "
                    + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); "
                    + "found 'db.v1' ('.'). Maybe 'db-v1'.",
            "Deployment|name: web\\n  namespace: Team_A|5:14|The metadata.namespace of a Deployment must be a DNS-1123 label",
            "Deployment|generateName: Web-|4:17|The metadata.generateName of a Deployment must be a DNS-1123 subdomain",
            "Deployment|name: 123|4:9|The metadata.name of a Deployment must be a string; found the number 123 (unquoted), which "
                    + "kubectl sends as such and the API server refuses. Write it in quotes (\"123\").",
            "DaemonSet|name: Agent|4:9|The metadata.name of a DaemonSet must be a DNS-1123 subdomain"})
    void namesTheApiServerRefusesAreAnError(String kind, String metadata, String at, String message) {
        String yaml = "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  " + metadata.replace("\\n", "\n")
                + "\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n";
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(InputException.class).hasMessageStartingWith("m.yaml:" + at + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void otherKindsNamesAreCheckedByTheirOwnRules() {
        assertThatThrownBy(() -> read("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: " + "c".repeat(53) + "}\n"
                + "spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a}]}}}}}\n"))
                .hasMessageContaining("The metadata.name of a CronJob must be a DNS-1123 subdomain of at most 52 characters")
                .hasMessageContaining("(53 characters)");
        assertThatThrownBy(() -> read("apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n---\n"
                + deployment("web", "1", "            - name: a\n")))
                .hasMessageContaining("The metadata.name of a Namespace must be a DNS-1123 label");
        assertThatThrownBy(() -> read("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: Web}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
                """)).hasMessageContaining("The metadata.name of a HorizontalPodAutoscaler must be a DNS-1123 subdomain");
    }

    @Test
    void initContainersAndSidecarsCountAsTheSchedulerCounts() throws Exception {
        // App 1 CPU. Init: sidecar S (restartPolicy Always) 200m, then regular init I 2 CPU.
        // reqs = 1 + 0.2 (sidecar runs alongside) = 1.2; init candidates: S → 0.2, I → 2 + 0.2 = 2.2;
        // pod = max(1.2, 2.2) = 2.2, plus overhead 100m = 2.3 CPU.
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: solo, namespace: team}
                spec:
                  overhead: {cpu: 100m}
                  initContainers:
                    - name: s
                      restartPolicy: Always
                      resources: {requests: {cpu: 200m}}
                    - name: i
                      resources: {requests: {cpu: "2"}}
                  containers:
                    - name: app
                      resources: {requests: {cpu: "1"}}
                """);
        PodGroup g = w.groups().get(0);
        assertThat(g.name()).isEqualTo("team/solo");
        assertThat(g.podName(0)).isEqualTo("team/solo");
        assertThat(g.request().cpuMillis()).isEqualTo(2300);
    }

    @Test
    void jobsCronJobsDaemonSetsListsAndIgnoredKinds() throws Exception {
        Workload w = read("""
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: batch/v1
                    kind: Job
                    metadata: {name: batch}
                    spec:
                      parallelism: 5
                      completions: 3
                      template: {spec: {restartPolicy: Never, containers: [{name: c, resources: {requests: {cpu: 1}}}]}}
                  - apiVersion: batch/v1
                    kind: CronJob
                    metadata: {name: nightly}
                    spec:
                      schedule: "0 2 * * *"
                      jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: logs}
                spec:
                  selector: {matchLabels: {app: logs}}
                  template:
                    metadata: {labels: {app: logs}}
                    spec:
                      nodeSelector: {kubernetes.io/os: linux}
                      containers: [{name: c, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: idle}
                spec: {replicas: 0, selector: {matchLabels: {app: idle}}, template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: c}]}}}
                """);
        assertThat(w.groups()).extracting(PodGroup::name, PodGroup::replicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("batch", 3), org.assertj.core.groups.Tuple.tuple("nightly", 1));
        assertThat(w.daemonSets()).singleElement().satisfies(d -> {
            assertThat(d.request().cpuMillis()).isEqualTo(100);
            assertThat(d.nodeSelector()).containsEntry("kubernetes.io/os", "linux");
        });
        assertThat(w.ignored()).extracting(o -> o.kind() + " " + o.name()).containsExactly("Service web", "StatefulSet idle");
    }

    @Test
    void aDumpsOwnedObjectsAndFinishedPodsAreListedNotPackedTwice() throws Exception {
        // As `kubectl get all -o yaml` writes it: the Deployment, its ReplicaSet and a pod of it, a finished
        // pod, and a pod whose ReplicaSet is not in the file (packed, as before).
        Workload w = read("""
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: w, image: w, resources: {requests: {cpu: "1", memory: 1Gi}}}]
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-7d4f
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: a, controller: true}]
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: w, image: w, resources: {requests: {cpu: "1", memory: 1Gi}}}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d4f-abc
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4f, uid: b, controller: true}]
  spec:
    nodeName: n1
    containers: [{name: w, image: w, resources: {requests: {cpu: "1", memory: 1Gi}}}]
- apiVersion: v1
  kind: Pod
  metadata: {name: migrate, namespace: shop}
  spec:
    containers: [{name: m, image: m, resources: {requests: {cpu: "2", memory: 1Gi}}}]
  status: {phase: Succeeded}
- apiVersion: v1
  kind: Pod
  metadata:
    name: orphan
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: c, controller: true}]
  spec:
    containers: [{name: o, image: o, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
""");
        assertThat(w.groups()).extracting(io.nodesizer.model.PodGroup::name).containsExactly("shop/web", "shop/orphan");
        Workload job = read("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate, namespace: shop}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: m, image: m, resources: {requests: {cpu: "2", memory: 1Gi}}}]
                status:
                  conditions: [{type: Complete, status: "True"}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: [{name: c, image: c, resources: {requests: {cpu: 100m, memory: 64Mi}}}]}
                """);
        assertThat(job.groups()).extracting(io.nodesizer.model.PodGroup::name).containsExactly("p");
        assertThat(job.ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("not packed: finished (status condition Complete); a finished Job runs no pod"));
        assertThat(w.podCount()).isEqualTo(3);
        assertThat(w.ignored()).extracting(io.nodesizer.model.IgnoredObject::reason).containsExactly(
                "not packed: its controller Deployment shop/web (metadata.ownerReferences) is among the inputs, and these are its pods",
                "not packed: its controller ReplicaSet shop/web-7d4f (metadata.ownerReferences) is among the inputs, and these are its pods",
                "not packed: finished (status.phase: Succeeded); the scheduler counts no finished pod on a node");
    }

    /** QA 52a F13: memory: 512 is 512 bytes, as Kubernetes reads it, and packed so; but no container runs in that: noted. */
    @Test
    void aMemoryUnderOneMebibyteWithoutAUnitIsPackedAsBytesAndNamed() throws Exception {
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: mib}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: t}}
                  template:
                    metadata: {labels: {app: t}}
                    spec:
                      containers:
                      - {name: a, image: a, resources: {requests: {cpu: 100m, memory: 512}, limits: {memory: 1024}}}
                      - {name: b, image: b, resources: {requests: {cpu: 100m, memory: 1048576}}}
                      - {name: c, image: c, resources: {requests: {cpu: 100m, memory: 64Mi}}}
                """);
        assertThat(w.groups().get(0).request().memoryBytes()).isEqualTo(512 + 1048576 + (64L << 20)); // bytes, unchanged
        // 1048576 is 1 MiB exactly, a container's least: no note for it, nor for 64Mi.
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but "
                + "spec.template.spec.containers[0].resources.limits.memory: 1024; "
                + "spec.template.spec.containers[0].resources.requests.memory: 512 are bytes (a number without a unit is bytes), "
                + "under the ~1 MiB any container uses: Mi or Gi was likely meant, e.g. 1024Mi"));
    }

    /** A Pod named p whose {@code containers:} list is {@code containers} (YAML, each line from its dash or its indent). */
    private Workload onePod(String containers) throws Exception {
        return read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                + containers.lines().map(l -> "  " + l + "\n").collect(java.util.stream.Collectors.joining()));
    }

    /** QA 65a F7: cpu: 250M (mega) in a manifest is named with the likely 250m. */
    @Test
    void aCpuInMegaIsNamed() throws Exception {
        Workload w = onePod("- {name: a, image: a, resources: {requests: {cpu: 250M, memory: 64Mi}}}\n");
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but "
                + "spec.containers[0].resources.requests.cpu: 250M is millions of CPUs (M is mega): 250m (millicores) was likely meant"));
    }

    /** QA 73 F6: cpu: 1Ki (a binary multiple, memory's unit) is valid and packed as 1,024 cores, named as such. */
    @Test
    void aCpuInABinaryUnitIsNamed() throws Exception {
        Workload w = onePod("- {name: a, image: a, resources: {requests: {cpu: 1Ki, memory: 1Gi}, limits: {cpu: 2Gi, memory: 1Gi}}}\n");
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(1_024_000L);
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but "
                + "spec.containers[0].resources.limits.cpu: 2Gi; spec.containers[0].resources.requests.cpu: 1Ki are CPU in units of memory "
                + "(2Gi is 2,147,483,648 cores; Gi is a binary multiple): CPU is cores or m (millicores), such as 2 or 500m"));
        assertThat(onePod("- {name: a, image: a, resources: {requests: {cpu: 500m, memory: 1Gi}}}\n").ignored()).isEmpty();
    }

    @Test
    void aMemoryWrittenInMilliBytesIsPackedAndNamed() throws Exception {
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: t}}
                  template:
                    metadata: {labels: {app: t}}
                    spec:
                      containers:
                      - {name: a, image: a, resources: {requests: {cpu: 100m, memory: 500m}, limits: {memory: 1Gi}}}
                      - {name: b, image: b, resources: {requests: {cpu: 100m, memory: 64Mi, ephemeral-storage: 1500m}}}
                      - {name: c, image: c, resources: {requests: {cpu: 100m, memory: 2000m}, limits: {memory: "2.5"}}}
                      - {name: d, image: d, resources: {requests: {cpu: 100m, memory: 1n}, limits: {memory: 1.9999999999Gi}}}
                      - {name: e, image: e, resources: {requests: {cpu: 100m, memory: 1e-7}, limits: {memory: 1.5Gi}}}
                """);
        assertThat(w.podCount()).isEqualTo(2);
        // 2000m is two whole bytes: no warning for it, as the API server gives none.
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but "
                + "spec.template.spec.containers[0].resources.requests.memory: 500m, "
                + "spec.template.spec.containers[1].resources.requests.ephemeral-storage: 1500m, "
                + "spec.template.spec.containers[2].resources.limits.memory: 2.5, "
                + "spec.template.spec.containers[3].resources.limits.memory: 1.9999999999Gi, "
                + "spec.template.spec.containers[3].resources.requests.memory: 1n, "
                + "spec.template.spec.containers[4].resources.requests.memory: 1e-7 are fractional byte values, which the API server "
                + "warns of (counted rounded up to whole bytes); m is milli, thousandths of a byte: Mi (mebibytes) was likely meant; "
                + "a number without a unit is bytes: Mi or Gi was likely meant")); // 2.5 and 1e-7 have no unit
        // Whatever the suffix, as the warning tests the milli-value (1.5Gi is whole bytes: none for it).
        assertThat(read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: a, resources: {requests: {cpu: 100m, memory: 1n}}}]
                """).ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but spec.containers[0]"
                + ".resources.requests.memory: 1n is a fractional byte value, which the API server warns of (counted rounded up to whole "
                + "bytes)"));
        // QA 68c F1: 1. is one byte, a number without a unit as 1 is (the quantity grammar's <digits>.).
        assertThat(read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: a, resources: {requests: {cpu: 100m, memory: "1."}}}]
                """).ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but spec.containers[0]"
                + ".resources.requests.memory: 1. is bytes (a number without a unit is bytes), under the ~1 MiB any container uses: Mi "
                + "or Gi was likely meant, e.g. 1Mi"));
    }

    /**
     * A GPU request without a limit is refused by the API server unless a LimitRange of the namespace
     * gave the container a default limit first (LimitRanger admits pods before validation): a bare Pod is
     * packed, with a note. A controller's template is validated as written and LimitRanger never sees
     * it: exit 2 at the request (QA 67a F2). A limit of another amount is refused outright (BadInputCorpusTest).
     */
    @Test
    void aGpuRequestWithoutALimitIsPackedForAPodAndRefusedInATemplate() throws Exception {
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: train}
                spec:
                  initContainers:
                  - {name: warm, image: a, resources: {requests: {cpu: 100m, amd.com/gpu: 1}, limits: {amd.com/gpu: 1}}}
                  containers:
                  - {name: a, image: a, resources: {requests: {cpu: 100m, amd.com/gpu: 1}}}
                """);
        assertThat(w.podCount()).isEqualTo(1);
        assertThat(w.groups().get(0).request().gpuMillis()).isEqualTo(1000);
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but "
                + "spec.containers[0].resources.requests.amd.com/gpu has no limit, which the API server refuses for a "
                + "resource that cannot be overcommitted (a GPU, hugepages, an extended resource) unless a LimitRange of the namespace "
                + "gives a default limit; set the limit, and the request defaults to it"));
        assertThatThrownBy(() -> read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: train}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: t}}
                  template:
                    metadata: {labels: {app: t}}
                    spec:
                      containers:
                      - {name: a, image: a, resources: {requests: {cpu: 100m, amd.com/gpu: 1}}}
                """)).isInstanceOf(InputException.class).hasMessageStartingWith("m.yaml:11:76: ")
                .hasMessageContaining("The Deployment's pod template requests amd.com/gpu (1) without a limit; expected limits.amd.com/gpu "
                        + "equal to the request");
    }

    /**
     * QA 62: hugepages and extended resources other than GPUs cannot be overcommitted either (helper.IsOvercommitAllowed):
     * a request without a limit is named as a GPU's is, and a limit alone is the request (defaulted from it).
     */
    @Test
    void hugepagesAndExtendedRequestsWithoutALimitAreNamedAsAGpusAre() throws Exception {
        Workload w = onePod("- {name: a, image: a, resources: {requests: {cpu: 100m, memory: 1Gi, hugepages-2Mi: 64Mi, example.com/foo: 1},\n"
                + "   limits: {memory: 1Gi, example.com/bar: 2, kubernetes.io/native: 1}}}\n"
                + "- {name: b, image: a, resources: {requests: {cpu: 100m, kubernetes.io/native: 1}}}\n");
        assertThat(w.podCount()).isEqualTo(1);
        assertThat(w.ignored()).filteredOn(o -> o.reason().contains("has no limit")).singleElement().satisfies(o -> assertThat(o.reason())
                .startsWith("packed, but spec.containers[0].resources.requests.example.com/foo, "
                        + "spec.containers[0].resources.requests.hugepages-2Mi has no limit,"));
    }

    /**
     * QA 62 items 5 and 6: pods that bypass kube-scheduler (a nodeName as written, another schedulerName) and pods carrying
     * PersistentVolumeClaims are packed with a note each; a dumped pod, whose nodeName its binding set, and a workload
     * naming default-scheduler get none.
     */
    @Test
    void podsBypassingTheSchedulerAndPodsWithClaimsAreNoted() throws Exception {
        Workload w = read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: pinned}
                spec:
                  nodeName: worker-3
                  containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: running}
                spec:
                  nodeName: worker-1
                  schedulerName: default-scheduler
                  containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                status: {phase: Running}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      schedulerName: volcano
                      containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                      volumes: [{name: shared, persistentVolumeClaim: {claimName: shared}}, {name: tmp, emptyDir: {}}]
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
                """);
        assertThat(w.podCount()).isEqualTo(5);
        assertThat(w.ignored()).extracting(i -> i.name() + ": " + i.reason()).containsExactly(
                "pinned: packed, but spec.nodeName (worker-3) binds it to that node without kube-scheduler: packed as kube-scheduler "
                        + "would place it, where in a cluster it goes to worker-3 whether or not it fits",
                "db: packed, but spec.template.spec.schedulerName is volcano: packed as kube-scheduler (default-scheduler) would "
                        + "place its pods; another scheduler may place them differently",
                "db: packed, but its 3 pods carry PersistentVolumeClaims (spec.volumeClaimTemplates: data, spec.template.spec.volumes: "
                        + "shared): per-node volume attach limits (the scheduler's NodeVolumeLimits, from the CSI driver; EBS about 25-27 "
                        + "attachments per Nitro instance, shared with its network interfaces) are not modelled, so more such pods may "
                        + "share a node than it can attach volumes for");
    }

    @Test
    void schedulingGatesArePackedWithANote() throws Exception {
        // The SchedulingGates PreEnqueue plugin holds a gated pod until its last gate goes. Was: packed without a word (QA 68b F4).
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      schedulingGates: [{name: example.com/quota}, {name: example.com/wait}]
                      containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                """);
        assertThat(w.podCount()).isEqualTo(2);
        assertThat(w.ignored()).extracting(i -> i.name() + ": " + i.reason()).containsExactly(
                "web: packed, but spec.template.spec.schedulingGates (example.com/quota, example.com/wait) keep its pods Pending until "
                        + "every gate is removed (kube-scheduler's SchedulingGates): packed as kube-scheduler would place them once the "
                        + "gates are gone");
    }

    @Test
    void aPodHoldingOneHostPortTwiceIsRefusedAsTheApiServerDoes() throws Exception {
        // AccumulateUniqueHostPorts keys protocol/hostIP/hostPort over the app containers, and each init container alone.
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  initContainers:
                  - {name: i1, image: x, ports: [{containerPort: 1, hostPort: 8080}]}
                  - {name: i2, image: x, ports: [{containerPort: 1, hostPort: 8080}]}
                  containers:
                  - {name: a, image: x, ports: [{containerPort: 80, hostPort: 8080}, SECOND]}
                """;
        for (String fine : List.of("{containerPort: 81, hostPort: 8080, protocol: UDP}", "{containerPort: 81, hostPort: 8080, hostIP: 10.0.0.1}",
                "{containerPort: 81, hostPort: 8081}")) {
            assertThatCode(() -> read(pod.replace("SECOND", fine))).as(fine).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> read(pod.replace("SECOND", "{containerPort: 81, hostPort: 8080}"))).isInstanceOf(InputException.class)
                .hasMessageContaining("The host port at spec.containers[0].ports[1].hostPort (8080 TCP) repeats the one at "
                        + "spec.containers[0].ports[0].hostPort; the API server refuses the pod");
        assertThatThrownBy(() -> read(pod.replace("SECOND", "{containerPort: 81}").replace("hostPort: 8080}]}\n  - {name: i2",
                "hostPort: 8080}, {containerPort: 2, hostPort: 8080}]}\n  - {name: i2"))).isInstanceOf(InputException.class)
                .hasMessageContaining("The host port at spec.initContainers[0].ports[1].hostPort (8080 TCP) repeats the one at "
                        + "spec.initContainers[0].ports[0].hostPort");
    }

    @Test
    void misspeltFieldsUnderAffinityExitAtTheFieldWithTheNearestOne() {
        // kubectl's strict field validation refuses each; dropped, the hard rule vanished (QA 68b F3).
        String p = "spec.template.spec.affinity.";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{wieght: 10, podAffinityTerm: "
                + "{topologyKey: kubernetes.io/hostname, labelSelector: {}}}]}", "The preferred term at " + p + "podAntiAffinity."
                + "preferredDuringSchedulingIgnoredDuringExecution[0] has an unknown field wieght; did you mean weight? It takes podAffinityTerm, weight");
        cases.put("podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: kubernetes.io/hostname, "
                + "labelSelector: {}, namespaceSelector: {matchExpresions: []}}]}", "The label selector at " + p + "podAffinity."
                + "requiredDuringSchedulingIgnoredDuringExecution[0].namespaceSelector has an unknown field matchExpresions; did you "
                + "mean matchExpressions?");
        cases.put("podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: kubernetes.io/hostname, "
                + "labelSelector: {matchExpressions: [{key: app, operator: Exists, value: []}]}}]}", "The label selector requirement at "
                + p + "podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0] has an unknown "
                + "field value; did you mean values?");
        cases.put("nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchFeilds: []}}]}",
                "The node selector term at " + p + "nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference has an "
                        + "unknown field matchFeilds; did you mean matchFields?");
        cases.put("podAntiAffinity: {requiredDuringSchedulingRequiredDuringExecution: []}", "The pod anti-affinity at " + p
                + "podAntiAffinity has an unknown field requiredDuringSchedulingRequiredDuringExecution; it takes "
                + "preferredDuringSchedulingIgnoredDuringExecution, requiredDuringSchedulingIgnoredDuringExecution");
        cases.forEach((affinity, message) -> assertThatThrownBy(() -> read(WITH_AFFINITY.replace("AFFINITY", affinity))).as(affinity)
                .isInstanceOf(InputException.class).hasMessageContaining(message));
    }

    /** A Deployment of app=web pods whose pod spec's {@code affinity} holds what replaces AFFINITY. */
    private static final String WITH_AFFINITY = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  affinity:
                    AFFINITY
                  containers: [{name: web, resources: {requests: {cpu: 100m}}}]
            """;

    /**
     * QA 62b F13: a field far from every one the API has (resourcesSpec, no misspelling of resources) was dropped without a
     * word, the container packed at no request; kubectl's strict field validation refuses it. It is noted with its path (a
     * newer Kubernetes may have it), for the workload's spec, template, pod spec and containers alike; a dumped object, which
     * its cluster admitted, is not.
     */
    @Test
    void fieldsTheApiDoesNotHaveAreNotedWithTheirPaths() throws Exception {
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  rolloutWindow: 5m
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: c, image: x, resourcesSpec: {requests: {cpu: 500m, memory: 1Gi}}}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          gpuSharing: true
                          containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: dumped}
                spec:
                  futureField: 1
                  containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
                status: {phase: Running}
                """);
        assertThat(w.podCount()).isEqualTo(4);
        assertThat(w.ignored()).extracting(i -> i.name() + ": " + i.reason()).containsExactly(
                "web: packed, but spec.rolloutWindow, spec.template.spec.containers[0].resourcesSpec are no fields of Kubernetes 1.34's "
                        + "API: kubectl apply refuses unknown fields (strict field validation), so the object would not be created as "
                        + "written; ignored here, as a newer Kubernetes may have added them",
                "nightly: packed, but spec.jobTemplate.spec.template.spec.gpuSharing is no field of Kubernetes 1.34's API: kubectl "
                        + "apply refuses unknown fields (strict field validation), so the object would not be created as written; "
                        + "ignored here, as a newer Kubernetes may have added it");
    }

    /** QA 62 item 7: a bare gpu is nearest cpu by spelling, but a GPU was meant, and is asked with its vendor's domain. */
    @Test
    void aBareGpuResourceSuggestsTheVendorsName() {
        assertThatThrownBy(() -> read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: a, resources: {requests: {gpu: 1}}}]
                """)).isInstanceOf(InputException.class).hasMessageEndingWith("; did you mean nvidia.com/gpu (or amd.com/gpu)?");
    }

    /**
     * QA 75a item 1: a GPU resource one edit or a case change from a device plugin's is valid to the API server but no node
     * lists it (kube-scheduler: allocatable 0), so it exits 2 with the vendor's name, where it was packed on CPU nodes;
     * the real plugins' neighbours (nvidia.com/pgpu, nvidia.com/vgpu) and far names are extended resources as before.
     */
    @Test
    void aGpuResourceNameOneEditFromAVendorsExitsWithItsName() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: a, resources: {requests: {cpu: 1, %1$s: 1}, limits: {%1$s: 1}}}]
                """;
        for (String[] typo : new String[][] {{"nvidia.com/gpus", "nvidia.com/gpu"}, {"nvidia.com/GPU", "nvidia.com/gpu"},
                {"nvidia.com/GPUs", "nvidia.com/gpu"}, {"nvida.com/gpu", "nvidia.com/gpu"}, {"amd.com/gpus", "amd.com/gpu"},
                {"gpu.intel.com/I915", "gpu.intel.com/i915"}}) {
            assertThatThrownBy(() -> read(pod.formatted(typo[0]))).isInstanceOf(InputException.class)
                    .hasMessageContaining("The resource name " + typo[0] + " at spec.containers[0].resources.requests is no GPU resource")
                    .hasMessageContaining("kube-scheduler would find no node offering " + typo[0])
                    .hasMessageEndingWith("did you mean " + typo[1] + "?");
        }
        for (String real : List.of("nvidia.com/pgpu", "nvidia.com/vgpu", "nvidia.com/gpu.shared", "example.com/foo")) {
            assertThatCode(() -> read(pod.formatted(real))).doesNotThrowAnyException();
        }
    }

    /** QA 62: a request unequal to its limit exits 2 for hugepages and an extended resource, as for a GPU; a native one may differ. */
    @Test
    void hugepagesAndExtendedRequestsMustEqualTheirLimits() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - {name: a, image: a, resources: {requests: {%s: %s}, limits: {%s: %s}}}
                """;
        assertThatThrownBy(() -> read(pod.formatted("hugepages-1Gi", "1Gi", "hugepages-1Gi", "2Gi"))).isInstanceOf(InputException.class)
                .hasMessageContaining("requests.hugepages-1Gi (1Gi) must be equal to its limit (2Gi), as hugepages cannot be overcommitted");
        assertThatThrownBy(() -> read(pod.formatted("nvidia.com/mig-1g.5gb", "2", "nvidia.com/mig-1g.5gb", "1")))
                .isInstanceOf(InputException.class).hasMessageContaining("must be equal to its limit (1), as an extended resource");
        // 1000m and 1 are the same quantity.
        assertThatCode(() -> read(pod.formatted("example.com/foo", "1000m", "example.com/foo", "1"))).doesNotThrowAnyException();
        assertThatCode(() -> read(pod.formatted("kubernetes.io/native", "1", "kubernetes.io/native", "2"))).doesNotThrowAnyException();
    }

    @Test
    void objectsThatAreNotWorkloadsAreNamedWithTheirNamespace() throws Exception {
        Workload w = read("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-config, namespace: staging}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-config, namespace: prod}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: [{name: c, image: c}]}
                """);
        assertThat(w.ignored()).extracting(io.nodesizer.model.IgnoredObject::name).containsExactly("staging/app-config", "prod/app-config", "reader");
    }

    @Test
    void inputsWithNoPodToPlaceSayWhatTheyHold() throws Exception {
        Path f = dir.resolve("ds.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: ops}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      containers: [{name: a, image: a, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: idle, namespace: ops}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: i}}
                  template:
                    metadata: {labels: {app: i}}
                    spec:
                      containers: [{name: i, image: i}]
                """);
        assertThatThrownBy(() -> io.nodesizer.input.Inputs.read(java.util.List.of(f))).isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageContaining("No pods found").hasMessageContaining("They hold 1 DaemonSet, which takes room on every node")
                .hasMessageContaining("Not packed: Deployment ops/idle (scaled to zero (spec.replicas: 0))");
    }

    @Test
    void badQuantityNamesLineColumnAndPath() {
        assertThatThrownBy(() -> read(deployment("web", "1", """
                        - name: a
                          resources: {requests: {cpu: 1.5.5}}
                """))).isInstanceOf(InputException.class)
                .hasMessageStartingWith("m.yaml:13:")
                .hasMessageContaining("spec.template.spec.containers[0].resources.requests.cpu (1.5.5)");
    }

    @Test
    void spacesAroundAQuotedQuantityAreDroppedAsTheApiServerDrops() throws Exception {
        Workload w = read(deployment("web", "1", """
                        - name: a
                          resources: {requests: {cpu: " 500m ", memory: "  1Gi"}}
                """));
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(500);
        assertThat(w.groups().get(0).request().memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void containersSharingANameAreRefusedAsTheApiServerRefusesThem() {
        assertThatThrownBy(() -> read(deployment("web", "1", """
                        - name: app
                          resources: {requests: {cpu: 100m}}
                        - name: app
                          resources: {requests: {cpu: 200m}}
                """))).isInstanceOf(InputException.class)
                .hasMessageContaining("The container name 'app' is used twice in the pod (spec.template.spec.containers[0] and "
                        + "spec.template.spec.containers[1])");
    }

    @Test
    void removedApiVersionIsAnError() {
        assertThatThrownBy(() -> read("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n"))
                .isInstanceOf(InputException.class)
                .hasMessage("m.yaml:1:13: The apiVersion of Deployment (extensions/v1beta1) must be apps/v1; Kubernetes no longer serves the old one. Maybe run 'kubectl convert'.");
    }

    @Test
    void syntaxErrorsAndTabsAreInputErrors() {
        assertThatThrownBy(() -> read("apiVersion: v1\nkind: Pod\n\tmetadata: {}\n")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("m.yaml:3:1: The file is not valid YAML: while scanning for the next token: found character '\\t(TAB)' that cannot start any token");
        assertThatThrownBy(() -> read("kind: Pod\n")).isInstanceOf(InputException.class).hasMessageContaining("needs 'apiVersion' and 'kind'");
        assertThatThrownBy(() -> read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("at least one container");
        assertThatThrownBy(() -> read(deployment("web", "-2", "        - name: a\n"))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.replicas (-2) must be a non-negative integer");
        // Past int32 it is out of range (QA 60b F6: told it must be an integer).
        assertThatThrownBy(() -> read(deployment("web", "2147483648", "        - name: a\n"))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.replicas (2147483648) must be at most 2147483647 (the API's int32).");
    }

    @Test
    void aliasBombIsRejectedQuickly() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            yaml.append("]\n");
            prev = c;
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> read(yaml.toString())).isInstanceOf(InputException.class)
                .hasMessageContaining("The YAML aliases of this document reach more than 100000 nodes (an alias bomb?)");
        // Issue 5: a billion-laughs file is rejected within a second (aliases share their anchor's node and
        // count its size, so the budget runs out after a few thousand uses, in milliseconds).
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
    }

    private static final String PREFERENCES = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  affinity:
                    nodeAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 30
                          preference:
                            matchExpressions: [{key: node-type, operator: In, values: [spot]}]
                    podAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 10
                          podAffinityTerm:
                            labelSelector: {matchLabels: {app: cache}}
                            topologyKey: kubernetes.io/hostname
                    podAntiAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: WEIGHT
                          podAffinityTerm:
                            labelSelector: {matchLabels: {app: web}}
                            topologyKey: kubernetes.io/hostname
                  containers:
                    - name: web
                      resources: {requests: {cpu: 100m}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: once}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: once
                      resources: {requests: {cpu: 100m}}
            """;

    @Test
    void preferredTermsAndTheSystemSpreadOfControllersPods() throws Exception {
        Workload w = read(PREFERENCES.replace("WEIGHT", "100"));
        io.nodesizer.model.Placement.Preferences web = w.groups().get(0).placement().preferences();
        assertThat(web.nodeTerms()).hasSize(1);
        assertThat(web.nodeTerms().get(0).weight()).isEqualTo(30);
        assertThat(web.nodeTerms().get(0).term().matchExpressions().get(0).values()).containsExactly("spot");
        assertThat(web.affinity()).singleElement().satisfies(t -> assertThat(t.term().matchLabels()).containsEntry("app", "cache"));
        assertThat(web.antiAffinity()).singleElement().satisfies(t -> assertThat(t.weight()).isEqualTo(100));
        // A Deployment's pods have a controller whose selector the default spreading reads; a Job's have not.
        assertThat(web.systemSpread()).isTrue();
        assertThat(w.groups().get(1).placement().preferences().systemSpread()).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "101", "heavy", "-3"})
    void aPreferredWeightOutsideOneToHundredIsAnError(String weight) {
        assertThatThrownBy(() -> read(PREFERENCES.replace("WEIGHT", weight))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]")
                .hasMessageContaining("needs a weight from 1 to 100; found '" + weight + "'");
    }

    @Test
    void nodeInclusionPoliciesAreReadAndCheckedInSpreadConstraints() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                          POLICIES
                      containers:
                        - name: web
                          resources: {requests: {cpu: 100m}}
                """;
        io.nodesizer.model.Placement.Spread byDefault = read(yaml.replace("POLICIES", "")).groups().get(0).placement().spread().get(0);
        assertThat(byDefault.honorsNodeAffinity()).isTrue();
        assertThat(byDefault.honorsNodeTaints()).isFalse();
        io.nodesizer.model.Placement.Spread set = read(yaml.replace("POLICIES", "nodeAffinityPolicy: Ignore\n          nodeTaintsPolicy: Honor")).groups().get(0).placement().spread().get(0);
        assertThat(set.honorsNodeAffinity()).isFalse();
        assertThat(set.honorsNodeTaints()).isTrue();
        assertThatThrownBy(() -> read(yaml.replace("POLICIES", "nodeTaintsPolicy: Sometimes"))).isInstanceOf(InputException.class)
                .hasMessageContaining("spec.template.spec.topologySpreadConstraints[0].nodeTaintsPolicy must be Honor or Ignore; found 'Sometimes'");
    }

    @Test
    void matchLabelKeysAndMismatchLabelKeysOfPodAffinityJoinTheSelectorWithThePodsOwnValues() throws Exception {
        // kube-apiserver (MatchLabelKeysInPodAffinity, on since 1.31) merges them into the selector
        // as app In (c) and app NotIn (c): the first term then selects only c's pods, the second
        // only web's, so no pod matches both and kube-scheduler keeps c Pending. Was: both keys
        // ignored, both terms selected tier=x, and c ran beside web.
        Workload w = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, tier: x}}
                    spec:
                      containers: [{name: web, resources: {requests: {cpu: 100m}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: c}
                spec:
                  selector: {matchLabels: {app: c}}
                  template:
                    metadata: {labels: {app: c, tier: x}}
                    spec:
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - labelSelector: {matchLabels: {tier: x}}
                              matchLabelKeys: [app, missing]
                              topologyKey: kubernetes.io/hostname
                            - labelSelector: {matchLabels: {tier: x}}
                              mismatchLabelKeys: [app]
                              topologyKey: topology.kubernetes.io/zone
                      containers: [{name: c, resources: {requests: {cpu: 100m}}}]
                """);
        io.nodesizer.model.Placement web = w.groups().get(0).placement();
        io.nodesizer.model.Placement c = w.groups().get(1).placement();
        java.util.List<io.nodesizer.model.Placement.PodAffinityTerm> terms = c.affinity();
        assertThat(io.nodesizer.kube.PodConflicts.matches(terms.get(0), c.namespace(), c)).isTrue();
        assertThat(io.nodesizer.kube.PodConflicts.matches(terms.get(0), c.namespace(), web)).isFalse();
        assertThat(io.nodesizer.kube.PodConflicts.matches(terms.get(1), c.namespace(), c)).isFalse();
        assertThat(io.nodesizer.kube.PodConflicts.matches(terms.get(1), c.namespace(), web)).isTrue();
    }

    /** {@link #WITH_AFFINITY} with one required anti-affinity term on the hostname, completed where it says TERM. */
    private static final String ANTI_AFFINITY_TERM = WITH_AFFINITY.replace("AFFINITY", """
            podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - topologyKey: kubernetes.io/hostname
                          TERM""");

    @Test
    void podAffinityTermLabelKeysTheApiServerRefusesExitAtTheField() {
        // validateMatchLabelKeysAndMismatchLabelKeys (pkg/apis/core/validation/validation.go). Was: each packed (QA 68b F4).
        String at = "The pod affinity term at spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0] has ";
        assertThatThrownBy(() -> read(ANTI_AFFINITY_TERM.replace("TERM", "matchLabelKeys: [app]"))).isInstanceOf(InputException.class)
                .hasMessageContaining(at + "matchLabelKeys but no labelSelector; the API server refuses matchLabelKeys when "
                        + "labelSelector is not set");
        assertThatThrownBy(() -> read(ANTI_AFFINITY_TERM.replace("TERM", "mismatchLabelKeys: [app]"))).isInstanceOf(InputException.class)
                .hasMessageContaining(at + "mismatchLabelKeys but no labelSelector");
        assertThatThrownBy(() -> read(ANTI_AFFINITY_TERM.replace("TERM", "labelSelector: {matchLabels: {tier: a}}\n"
                + "              matchLabelKeys: [app]\n              mismatchLabelKeys: [app]")))
                .isInstanceOf(InputException.class).hasMessageContaining(at + "app in both matchLabelKeys and mismatchLabelKeys");
        // kube-apiserver merges app In (web) into the selector of each pod it creates, then finds app twice
        assertThatThrownBy(() -> read(ANTI_AFFINITY_TERM.replace("TERM", "labelSelector: {matchExpressions: [{key: app, operator: Exists}]}\n"
                + "              matchLabelKeys: [app]"))).isInstanceOf(InputException.class)
                .hasMessageContaining(at + "app in both matchLabelKeys and labelSelector; kube-apiserver adds app In (web)");
    }

    @Test
    void aMatchLabelKeysKeyInTheSelectorThatThePodDoesNotCarryIsAdmitted() throws Exception {
        // No label, no merged requirement, nothing twice: the API server admits the pod, as it does here.
        Workload w = read(ANTI_AFFINITY_TERM.replace("TERM", "labelSelector: {matchLabels: {app: web, track: canary}}\n"
                + "              matchLabelKeys: [track]"));
        assertThat(w.groups().get(0).placement().antiAffinity()).hasSize(1);
    }

    @Test
    void aDumpTakenDuringARolloutSaysHowManyPodsItsReplicaSetsRun() throws Exception {
        // kubectl get deploy,rs -o yaml mid rolling update: the new ReplicaSet at 3, the old one still at 1 (surge).
        String dump = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-new
                  namespace: shop
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: a, controller: true}]
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-old
                  namespace: shop
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: a, controller: true}]
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
                """;
        Workload during = read(dump.formatted(1));
        assertThat(during.podCount()).isEqualTo(3);
        assertThat(during.ignored()).anyMatch(o -> o.kind().equals("Deployment") && o.name().equals("shop/web")
                && o.reason().startsWith("packed at its 3 replicas, the steady state: its ReplicaSets among the inputs run 4 pods now"));
        Workload after = read(dump.formatted(0));
        assertThat(after.ignored()).noneMatch(o -> o.kind().equals("Deployment"));
    }

    /**
     * QA 67a F7: a live Job's dump with 8 of 10 completions succeeded runs at most 2 more pods; it is packed at its
     * parallelism, what a run takes, and a line says what runs now. A Job without a status says nothing.
     */
    @Test
    void aLiveJobPartlyDoneIsPackedAtItsParallelismAndSaysWhatRunsNow() throws Exception {
        String job = """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: etl, namespace: batch}
                spec:
                  parallelism: 4
                  completions: 10
                  template: {spec: {restartPolicy: Never, containers: [{name: c, image: x, resources: {requests: {cpu: 1}}}]}}
                """;
        Workload live = read(job + "status: {active: 2, succeeded: 8}\n");
        assertThat(live.podCount()).isEqualTo(4);
        assertThat(live.ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("packed, but its status counts 8 of 10 completions succeeded, so its controller runs at most 2 more pods now; "
                        + "packed at 4, what a run of it takes"));
        assertThat(read(job + "status: {active: 4, succeeded: 2}\n").ignored()).isEmpty();
        assertThat(read(job).ignored()).isEmpty();
    }

    /**
     * Review 75 F3: kube-scheduler's scoring defaults each container's missing cpu or memory request (100m, 200Mi) before
     * the containers aggregate and keeps an explicit 0 (component-helpers resource/helpers.go
     * PodRequests with NonMissingContainerRequests: applyNonMissing). It used the default only for a pod total of 0.
     */
    @Test
    void scoringDefaultsEachContainerWithoutARequest() throws Exception {
        Workload w = read(deployment("two", null, """
                        - {name: a}
                        - {name: b}
                """) + "---\n" + deployment("sidecar", null, """
                        - {name: a, resources: {requests: {cpu: 1200m, memory: 1Gi}}}
                        - {name: b}
                """) + "---\n" + deployment("zero", null, """
                        - {name: a, resources: {requests: {cpu: "0"}, limits: {memory: 1Gi}}}
                """) + "---\n" + deployment("init", null, """
                        - {name: a, resources: {requests: {cpu: 50m, memory: 64Mi}}}
                      initContainers:
                        - {name: i}
                """));
        java.util.Map<String, io.nodesizer.model.Resources> scored = new java.util.HashMap<>();
        for (PodGroup g : w.groups()) {
            scored.put(g.name(), g.scoringRequest());
        }
        // Two request-less containers: 200m and 400Mi (it was 100m and 200Mi).
        assertThat(scored.get("two").cpuMillis()).isEqualTo(200);
        assertThat(scored.get("two").memoryBytes()).isEqualTo(400 * MIB);
        // 1200m/1Gi beside a request-less container: 1300m and 1224Mi (it was 1200m and 1Gi).
        assertThat(scored.get("sidecar").cpuMillis()).isEqualTo(1300);
        assertThat(scored.get("sidecar").memoryBytes()).isEqualTo(1224 * MIB);
        // cpu "0" stays 0 (it was 100m); the memory request defaulted from the limit is a request.
        assertThat(scored.get("zero").cpuMillis()).isZero();
        assertThat(scored.get("zero").memoryBytes()).isEqualTo(1024 * MIB);
        // A request-less init container counts the defaults in its peak: max(50m, 100m), max(64Mi, 200Mi).
        assertThat(scored.get("init").cpuMillis()).isEqualTo(100);
        assertThat(scored.get("init").memoryBytes()).isEqualTo(200 * MIB);
    }
}
