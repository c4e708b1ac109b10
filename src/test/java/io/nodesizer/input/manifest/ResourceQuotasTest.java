package io.nodesizer.input.manifest;

import io.nodesizer.input.Inputs;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ResourceQuotas admit the pods of their namespace that fit, as the API server's quota admission does ({@link ResourceQuotas}). */
final class ResourceQuotasTest {
    @TempDir
    Path dir;

    private Workload read(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return ResourceQuotas.apply(Inputs.read(List.of(f)));
    }

    private static String deployment(String name, String namespace, int replicas, String resources) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: c, image: x, resources: %s}]
                ---
                """.formatted(name, namespace, replicas, name, name, resources);
    }

    private static final String QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: q, namespace: team}
            spec:
              hard: {requests.cpu: "4", memory: 8Gi, pods: "7", limits.memory: 12Gi, count/deployments.apps: "3"}
            ---
            """;

    private static IgnoredObject quota(Workload w) {
        return w.ignored().stream().filter(o -> o.kind().equals("ResourceQuota")).findFirst().orElseThrow();
    }

    @Test
    void workloadsRunThePodsTheQuotaAdmitsInTheManifestsOrder() throws Exception {
        Workload w = read(QUOTA + deployment("big", "team", 3, "{requests: {cpu: '1', memory: 1Gi}, limits: {memory: 2Gi}}")
                + deployment("more", "team", 5, "{requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1Gi}}")
                + deployment("elsewhere", "other", 9, "{requests: {cpu: '1'}}"));
        // big: 3 pods, 3 CPU, 3 GiB, limits 6 GiB. more: 1 CPU left for 500m pods -> 2; limits 6 GiB left for 1 GiB -> 6; pods 4 left.
        assertThat(w.groups()).extracting(g -> g.name() + "x" + g.replicas()).containsExactly("team/bigx3", "team/morex2", "other/elsewherex9");
        assertThat(quota(w).reason()).isEqualTo("applied: the namespace's pods use pods 5 of 7, requests.cpu 4 CPU of 4 CPU, "
                + "requests.memory 5 GiB of 8 GiB, limits.memory 8 GiB of 12 GiB; Deployment team/more runs 2 of its 5 pods (requests.cpu "
                + "hard 4 CPU, 1 CPU left for it, 0.5 CPU a pod), as quota admission refuses the rest (created in the manifests' order); "
                + "not checked: count/deployments.apps");
    }

    @Test
    void aContainerWithoutATrackedRequestIsRefusedUnlessALimitRangeGivesOne() throws Exception {
        String bare = deployment("bare", "team", 2, "{requests: {memory: 1Gi}, limits: {memory: 1Gi}}");
        Workload refused = read(QUOTA + bare + deployment("elsewhere", "other", 1, "{requests: {cpu: '1'}}"));
        assertThat(refused.groups()).extracting(PodGroup::name).containsExactly("other/elsewhere");
        assertThat(refused.ignored()).anySatisfy(o -> assertThat(o.name() + ": " + o.reason()).isEqualTo("team/bare: not packed: "
                + "ResourceQuota team/q admits none of its pods (a container sets no requests.cpu, which the quota tracks (\"must specify "
                + "requests.cpu\")), so the API server refuses every one"));
        Workload defaulted = read(QUOTA + """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: d, namespace: team}
                spec:
                  limits: [{type: Container, defaultRequest: {cpu: 250m}}]
                ---
                """ + bare);
        assertThat(defaulted.groups()).extracting(PodGroup::replicas).containsExactly(2);
    }

    @Test
    void aScopedQuotaIsListedNotApplied() throws Exception {
        Workload w = read(QUOTA.replace("spec:\n", "spec:\n  scopes: [BestEffort]\n")
                + deployment("big", "team", 9, "{requests: {cpu: '1', memory: 1Gi}, limits: {memory: 2Gi}}"));
        assertThat(w.groups()).extracting(PodGroup::replicas).containsExactly(9);
        assertThat(quota(w).reason()).startsWith("not applied: its scopes (BestEffort) narrow the pods it counts");
    }
}
