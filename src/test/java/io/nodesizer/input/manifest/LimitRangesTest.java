package io.nodesizer.input.manifest;

import io.nodesizer.input.Inputs;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LimitRanges default the requests of the containers in their namespace that set none, as the
 * API server's LimitRanger does at pod creation, whichever file of the inputs they come in.
 */
final class LimitRangesTest {
    private static final long MIB = 1L << 20;

    /** A namespace's caps (max 2 CPU and 4 GiB, min 50m CPU per container) and four Deployments, one in another namespace. */
    private static final String CAPS = """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: caps, namespace: team}
            spec:
              limits:
              - type: Container
                max: {cpu: "2", memory: 4Gi}
                min: {cpu: 50m}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: big, namespace: team}
            spec:
              replicas: 3
              selector: {matchLabels: {app: big}}
              template:
                metadata: {labels: {app: big}}
                spec:
                  containers: [{name: app, image: a, resources: {requests: {cpu: "4", memory: 8Gi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ok, namespace: team}
            spec:
              replicas: 2
              selector: {matchLabels: {app: ok}}
              template:
                metadata: {labels: {app: ok}}
                spec:
                  containers: [{name: app, image: a, resources: {requests: {cpu: "1", memory: 1Gi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: tiny, namespace: team}
            spec:
              replicas: 1
              selector: {matchLabels: {app: tiny}}
              template:
                metadata: {labels: {app: tiny}}
                spec:
                  containers: [{name: app, image: a, resources: {requests: {cpu: 10m, memory: 1Gi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: free, namespace: other}
            spec:
              replicas: 1
              selector: {matchLabels: {app: free}}
              template:
                metadata: {labels: {app: free}}
                spec:
                  containers: [{name: app, image: a, resources: {requests: {cpu: "4", memory: 8Gi}}}]
            """;

    @TempDir
    Path dir;

    private static PodGroup group(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void containersWithoutRequestsGetTheirNamespacesDefaults() throws Exception {
        // The LimitRange sorts after the Deployment (z-limits.yaml): it applies all the same.
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      initContainers:
                      - {name: migrate, image: m}
                      containers:
                      - {name: app, image: a}
                      - name: limited
                        image: l
                        resources: {limits: {cpu: "1"}}
                      - name: explicit
                        image: e
                        resources: {requests: {cpu: 100m, memory: 64Mi}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: tool, namespace: other}
                spec:
                  containers:
                  - {name: t, image: t}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: capped, namespace: caps}
                spec:
                  containers:
                  - {name: c, image: c}
                """);
        Files.writeString(dir.resolve("z-limits.yaml"), """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: shop}
                spec:
                  limits:
                  - type: Pod
                    max: {cpu: "8"}
                  - type: Container
                    defaultRequest: {cpu: 250m}
                    default: {cpu: 500m, memory: 512Mi}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: bounds, namespace: caps}
                spec:
                  limits:
                  - type: Container
                    max: {cpu: "2"}
                    min: {memory: 32Mi}
                """);
        Workload w = Inputs.read(List.of(dir));
        PodGroup web = group(w, "shop/web");
        // Apps: app 250m + 512Mi (defaultRequest; memory's request defaults to the default limit),
        // limited 1 CPU (its limit) + 512Mi, explicit 100m + 64Mi; the init container 250m + 512Mi.
        assertThat(web.request().cpuMillis()).isEqualTo(250 + 1000 + 100);
        assertThat(web.request().memoryBytes()).isEqualTo((512 + 512 + 64) * MIB);
        assertThat(group(w, "other/tool").request().cpuMillis()).isZero(); // no LimitRange there
        // max defaults the limit, and so the request; min defaults the request where nothing else does.
        assertThat(group(w, "caps/capped").request().cpuMillis()).isEqualTo(2000);
        assertThat(group(w, "caps/capped").request().memoryBytes()).isEqualTo(32 * MIB);
        assertThat(w.ignored()).filteredOn(i -> i.kind().equals("LimitRange") && i.name().equals("shop/defaults")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("went to 3 containers without requests in namespace shop"));
    }

    /**
     * QA 74 F10: the LimitRange's and the RuntimeClass's lines count only the workloads packed: a Deployment whose container
     * requests more than the default limit it would get is refused, and its container without requests is not counted as
     * defaulted, nor the RuntimeClass it names as given.
     */
    @Test
    void theDefaultsOfARefusedWorkloadAreNotCounted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: team-a}
                spec:
                  limits:
                  - type: Container
                    default: {cpu: "1", memory: 1Gi}
                    defaultRequest: {cpu: 250m, memory: 256Mi}
                ---
                apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: gvisor}
                handler: runsc
                overhead: {podFixed: {cpu: 100m, memory: 200Mi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: team-a}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      runtimeClassName: gvisor
                      containers:
                      - {name: big, image: b, resources: {requests: {cpu: "2"}}}
                      - {name: bare, image: n}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: team-a}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: bare, image: n}
                """);
        Workload w = Inputs.read(List.of(dir));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("team-a/web");
        assertThat(w.ignored()).filteredOn(i -> i.kind().equals("Deployment")).singleElement()
                .satisfies(i -> assertThat(i.reason()).startsWith("not packed: LimitRange team-a/defaults"));
        assertThat(w.ignored()).filteredOn(i -> i.kind().equals("LimitRange")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("went to 1 container without requests in namespace team-a (of the workloads its namespace's ranges admit)"));
        assertThat(w.ignored()).filteredOn(i -> i.kind().equals("RuntimeClass")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("went to 0 workloads naming it (of those the namespaces' ranges admit)"));
    }

    @Test
    void podsOutsideTheNamespacesMaxOrMinAreRefusedAsLimitRangerRefusesThem() throws Exception {
        // big requests above the max, tiny below the min: LimitRanger refuses their pods, the controller
        // creates none; ok and another namespace's pods are packed.
        Files.writeString(dir.resolve("all.yaml"), CAPS);
        Workload w = io.nodesizer.input.Inputs.read(java.util.List.of(dir.resolve("all.yaml")));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("team/ok", "other/free");
        assertThat(w.ignored()).extracting(io.nodesizer.model.IgnoredObject::reason)
                .contains("not packed: LimitRange team/caps (" + dir.resolve("all.yaml") + ":1) refuses it: container app requests 4 CPU, "
                        + "above its max of 2 CPU per container, so its pods are never created")
                .anyMatch(r -> r.contains("container app requests 0.01 CPU, below its min of 0.05 CPU per container"));
        // A limit above the max is refused too, though the request is within it.
        Files.writeString(dir.resolve("all.yaml"), CAPS.replace("requests: {cpu: \"4\", memory: 8Gi}}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok",
                "requests: {cpu: \"1\", memory: 1Gi}, limits: {memory: 6Gi}}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok"));
        Workload limit = io.nodesizer.input.Inputs.read(java.util.List.of(dir.resolve("all.yaml")));
        assertThat(limit.groups()).extracting(PodGroup::name).doesNotContain("team/big");
        assertThat(limit.ignored()).anyMatch(o -> o.reason().contains("container app has a limit of 6 GiB memory, above its max of 4 GiB memory"));
    }

    @Test
    void aDefaultLimitBelowAContainersRequestIsRefusedByPodValidation() throws Exception {
        // The Kubernetes docs' example: default limit 500m (no max), a container requesting 700m with no
        // limit gets limit 500m and the pod is invalid; with a limit of its own it is admitted.
        Files.writeString(dir.resolve("all.yaml"), """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: cpu-defaults, namespace: shop}
                spec:
                  limits:
                  - {type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 250m}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: over, namespace: shop}
                spec: {containers: [{name: c, image: c, resources: {requests: {cpu: 700m, memory: 64Mi}}}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: own-limit, namespace: shop}
                spec: {containers: [{name: c, image: c, resources: {requests: {cpu: 700m, memory: 64Mi}, limits: {cpu: "1"}}}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: defaulted, namespace: shop}
                spec: {containers: [{name: c, image: c, resources: {requests: {memory: 64Mi}}}]}
                """);
        Workload w = io.nodesizer.input.Inputs.read(java.util.List.of(dir.resolve("all.yaml")));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("shop/own-limit", "shop/defaulted");
        assertThat(group(w, "shop/defaulted").request().cpuMillis()).isEqualTo(250);
        assertThat(w.ignored()).anyMatch(o -> o.name().equals("shop/over") && o.reason().contains(
                "gives container c a default limit of 0.5 CPU, below its request of 0.7 CPU, which pod validation refuses"));
    }

    @Test
    void theFirstLimitRangeByNameWinsAndALaterContainerItemOverridesAnEarlierOne() throws Exception {
        Files.writeString(dir.resolve("all.yaml"), """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: b-second, namespace: shop}
                spec:
                  limits:
                  - {type: Container, defaultRequest: {cpu: 300m, memory: 300Mi}}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: a-first, namespace: shop}
                spec:
                  limits:
                  - {type: Container, defaultRequest: {cpu: 100m}}
                  - {type: Container, defaultRequest: {cpu: 200m}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: shop}
                spec:
                  containers:
                  - {name: c, image: c}
                """);
        Workload w = Inputs.read(List.of(dir));
        PodGroup p = group(w, "shop/p");
        assertThat(p.request().cpuMillis()).isEqualTo(200);
        assertThat(p.request().memoryBytes()).isEqualTo(300 * MIB);
        // Upstream does not determine which range applies: both lines say so, with what the other range gives (QA 70a F6).
        assertThat(w.ignored()).filteredOn(o -> o.name().equals("shop/a-first")).singleElement().satisfies(o -> assertThat(o.reason())
                .endsWith("; other default requests for the same containers come from LimitRange shop/b-second (0.3 CPU): which range"
                        + " the API server applies is not determined (its LimitRanger takes them in its cache's order), nodesizer takes"
                        + " the first by name"));
        assertThat(w.ignored()).filteredOn(o -> o.name().equals("shop/b-second")).singleElement().satisfies(o -> assertThat(o.reason())
                .contains("come from LimitRange shop/a-first (0.2 CPU), first by name, went first: which range"));
    }

    /**
     * maxLimitRequestRatio, as LimitRanger's limitRequestRatioConstraint enforces it: a container's limit at most the ratio
     * times its request, compared in thousandths; a request and a limit (its own or the range's default) both needed. A range
     * with only a ratio defaults nothing and is enforced all the same (it was read as no range at all: QA 59b F1).
     */
    @Test
    void aLimitToRequestRatioRefusesContainersBeyondIt() throws Exception {
        String deployment = """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: team}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: app, image: a, resources: %s}]
                """;
        String yaml = """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: ratio, namespace: team}
                spec:
                  limits:
                  - type: Container
                    maxLimitRequestRatio: {cpu: "4", memory: "1.5"}
                """
                + deployment.formatted("wide", "wide", "wide", "{requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: \"2\", memory: 1Gi}}")
                + deployment.formatted("edge", "edge", "edge", "{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: \"2\", memory: 1536Mi}}")
                + deployment.formatted("memo", "memo", "memo", "{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: \"2\", memory: 1537Mi}}")
                + deployment.formatted("open", "open", "open", "{requests: {cpu: 500m, memory: 1Gi}}");
        Files.writeString(dir.resolve("all.yaml"), yaml);
        Workload w = io.nodesizer.input.Inputs.read(java.util.List.of(dir.resolve("all.yaml")));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactly("team/edge"); // 4 and 1.5 times: within both ratios
        assertThat(w.ignored()).filteredOn(i -> i.name().equals("team/wide")).singleElement().asString()
                .contains("container app has a limit of 2 CPU, 20 times its request of 0.1 CPU, above its maxLimitRequestRatio of 4 for cpu "
                        + "(a request of at least 0.5 CPU keeps within it)");
        assertThat(w.ignored()).filteredOn(i -> i.name().equals("team/memo")).singleElement().asString()
                .contains("above its maxLimitRequestRatio of 1.5 for memory");
        assertThat(w.ignored()).filteredOn(i -> i.name().equals("team/open")).singleElement().asString()
                .contains("container app has no cpu limit (nor a default one), which its maxLimitRequestRatio of 4 for cpu needs");
        assertThat(w.ignored()).filteredOn(i -> i.kind().equals("LimitRange")).singleElement().asString()
                .contains("it defaults no request; its maxLimitRequestRatio (cpu 4, memory 1.5) is enforced");
        // A ratio below 1 the API server refuses (review 59).
        Files.writeString(dir.resolve("all.yaml"), yaml.replace("cpu: \"4\"", "cpu: \"0.5\""));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.nodesizer.input.Inputs.read(java.util.List.of(dir.resolve("all.yaml"))))
                .hasMessageContaining("maxLimitRequestRatio.cpu (0.5) must be at least 1");
    }

    /** Every violation is named, not only the first (QA 64a F13: the CPU ratio was, the memory min under it was not). */
    @Test
    void everyViolationIsNamed() throws Exception {
        Files.writeString(dir.resolve("all.yaml"), CAPS);
        Workload w = Inputs.read(List.of(dir.resolve("all.yaml")));
        io.nodesizer.model.PodTemplate ok = group(w, "team/ok").template();
        io.nodesizer.model.PodTemplate over = ok.with(ok.container("app").withRequests(4000, 8L << 30));
        List<String> why = LimitRanges.refusals(over, "team", w.containerDefaults());
        assertThat(why).hasSize(4); // both maxes, and the default limits (the max) under both requests
        assertThat(why.get(0)).contains("requests 4 CPU, above its max of 2 CPU");
        assertThat(why.get(1)).contains("requests 8 GiB memory, above its max of 4 GiB memory");
        assertThat(why.get(3)).contains("a default limit of 4 GiB memory, below its request of 8 GiB memory");
        assertThat(LimitRanges.refusal(over, "team", w.containerDefaults())).isEqualTo(why.get(0));
        assertThat(LimitRanges.refusals(ok, "team", w.containerDefaults())).isEmpty();
    }
}
