package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod (anti-)affinity terms with a {@code namespaceSelector} that has labels, resolved against the
 * inputs' Namespace objects (and the {@code kubernetes.io/metadata.name} label every namespace
 * has), end to end: one-CPU nodes, half-CPU pods, so two pods share a node when the rules let them.
 */
final class NamespaceSelectorCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String namespace(String name, String team) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n  labels: {team: " + team + "}\n---\n";
    }

    /** A Deployment of half-CPU pods labelled app=APP, with {@code affinity} (YAML under spec.template.spec, or empty). */
    private static String deployment(String namespace, String name, String app, int replicas, String affinity) {
        return Deployments.deployment(namespace, name, Map.of("app", app), replicas, affinity.indent(-6),
                "image: x, resources: {requests: {cpu: 500m, memory: 100Mi}}");
    }

    /** Required pod anti-affinity (or affinity) on the hostname against app=TARGET in the namespaces the selector takes. */
    private static String term(String kind, String target, String namespaceSelector) {
        return """
                      affinity:
                        %s:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: %s}}
                            namespaceSelector: %s
                            topologyKey: kubernetes.io/hostname
                """.formatted(kind, target, namespaceSelector);
    }

    private record Packed(JsonNode json, Map<String, String> nodeOf) {
        String notes() {
            return json.path("workload").path("notes").toString();
        }
    }

    private Packed pack(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        Path out = dir.resolve("assignments.csv");
        CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "cpu=1,memory=8Gi", "--overhead", "none", "-o", "json",
                "--assignments", out.toString(), "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, String> nodeOf = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out).subList(1, Files.readAllLines(out).size())) {
            String[] f2 = line.split(",", -1);
            nodeOf.put(f2[0], f2[1]);
        }
        return new Packed(JSON.readTree(r.out()), nodeOf);
    }

    /** Two web pods in team a's namespace, one in team b's, all app=web; a guard in team b's repelling app=web of the selected namespaces. */
    private static String guarded(String namespaceSelector, boolean objects) {
        return (objects ? namespace("shop-a", "a") + namespace("shop-b", "b") : "")
                + deployment("shop-a", "web", "web", 2, "")
                + deployment("shop-b", "other", "web", 1, "")
                + deployment("shop-b", "guard", "guard", 1, term("podAntiAffinity", "web", namespaceSelector));
    }

    @Test
    void antiAffinityRepelsOnlyThePodsOfTheSelectedNamespaces() throws Exception {
        Packed p = pack(guarded("{matchLabels: {team: a}}", true));
        // team a's web pods repel the guard; team b's app=web pod does not: it shares the guard's node.
        assertThat(p.json().get("nodes").asInt()).isEqualTo(2);
        assertThat(p.json().get("unschedulable")).isEmpty();
        assertThat(p.nodeOf().get("shop-b/guard-0")).isEqualTo(p.nodeOf().get("shop-b/other-0"))
                .isNotEqualTo(p.nodeOf().get("shop-a/web-0")).isNotEqualTo(p.nodeOf().get("shop-a/web-1"));
        assertThat(p.notes()).doesNotContain("taken as every namespace");
        assertThat(p.json().path("workload").path("applied").toString())
                .contains("Namespace shop-a").contains("kubernetes.io/metadata.name=shop-a, team=a").doesNotContain("not a workload nodesizer packs");
    }

    @Test
    void theMatchExpressionsFormAndTheNameLabelResolveLikewise() throws Exception {
        Packed exprs = pack(guarded("{matchExpressions: [{key: team, operator: In, values: [a]}]}", true));
        assertThat(exprs.json().get("nodes").asInt()).isEqualTo(2);
        assertThat(exprs.nodeOf().get("shop-b/guard-0")).isEqualTo(exprs.nodeOf().get("shop-b/other-0"));
        Packed notIn = pack(guarded("{matchExpressions: [{key: team, operator: NotIn, values: [b]}]}", true));
        assertThat(notIn.nodeOf().get("shop-b/guard-0")).isEqualTo(notIn.nodeOf().get("shop-b/other-0"));
        // kubernetes.io/metadata.name is every namespace's own label: no Namespace object is needed.
        Packed byName = pack(guarded("{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [shop-a]}]}", false));
        assertThat(byName.json().get("nodes").asInt()).isEqualTo(2);
        assertThat(byName.nodeOf().get("shop-b/guard-0")).isEqualTo(byName.nodeOf().get("shop-b/other-0"))
                .isNotEqualTo(byName.nodeOf().get("shop-a/web-0"));
        assertThat(byName.notes()).doesNotContain("taken as every namespace");
        Packed byLabel = pack(guarded("{matchLabels: {kubernetes.io/metadata.name: shop-b}}", false));
        // Now team b's namespace is the one selected: the guard repels the pod beside it there, and shares with team a's.
        assertThat(byLabel.nodeOf().get("shop-b/guard-0")).isNotEqualTo(byLabel.nodeOf().get("shop-b/other-0"));
    }

    @Test
    void podAffinityCountsOnlyTargetsInTheSelectedNamespaces() throws Exception {
        String follower = deployment("shop-b", "follower", "follower", 1, term("podAffinity", "db", "{matchLabels: {team: a}}"));
        Packed both = pack(namespace("shop-a", "a") + namespace("shop-b", "b") + deployment("shop-a", "db", "db", 1, "")
                + deployment("shop-b", "decoy", "db", 1, "") + follower);
        assertThat(both.json().get("unschedulable")).isEmpty();
        assertThat(both.nodeOf().get("shop-b/follower-0")).isEqualTo(both.nodeOf().get("shop-a/db-0"));
        assertThat(both.notes()).doesNotContain("taken as every namespace");
        // Only the app=db pod of team b: not a target, so the follower finds none (it would stay Pending).
        Packed decoyOnly = pack(namespace("shop-a", "a") + namespace("shop-b", "b") + deployment("shop-b", "decoy", "db", 1, "")
                + follower);
        assertThat(decoyOnly.json().get("unschedulable").toString()).contains("follower");
        assertThat(decoyOnly.nodeOf().get("shop-b/follower-0")).isEmpty();
    }

    @Test
    void aPodNamespaceWithoutItsObjectKeepsEveryNamespaceAndSaysWhich() throws Exception {
        // shop-b has pods but no Namespace object: whether team: a selects it is unknown, so the term
        // is taken as every namespace (as before) and the note names shop-b.
        String yaml = namespace("shop-a", "a") + deployment("shop-a", "web", "web", 2, "") + deployment("shop-b", "other", "web", 1, "")
                + deployment("shop-b", "guard", "guard", 1, term("podAntiAffinity", "web", "{matchLabels: {team: a}}"));
        Packed p = pack(yaml);
        assertThat(p.json().get("nodes").asInt()).isEqualTo(3);
        assertThat(p.nodeOf().get("shop-b/guard-0")).isNotEqualTo(p.nodeOf().get("shop-b/other-0"));
        assertThat(p.notes()).contains("pod anti-affinity namespaceSelector with labels (shop-b/guard) is taken as every namespace")
                .contains("namespace shop-b, which has no Namespace object").contains("kubectl get namespace shop-b -o yaml")
                .doesNotContain("namespaces' labels are not in the inputs");
    }

    @Test
    void aMalformedNamespaceSelectorExitsTwoWithTheFileAndPath() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, guarded("{matchExpressions: [{key: team, operator: Above, values: [a]}]}", true));
        CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "cpu=1,memory=8Gi");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml:").contains("podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
                + ".namespaceSelector.matchExpressions[0].operator");
    }
}
