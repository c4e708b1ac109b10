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
        PodGroup p = group(Inputs.read(List.of(dir)), "shop/p");
        assertThat(p.request().cpuMillis()).isEqualTo(200);
        assertThat(p.request().memoryBytes()).isEqualTo(300 * MIB);
    }
}
