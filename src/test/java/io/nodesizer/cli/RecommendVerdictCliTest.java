package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts of {@code recommend} when every shape leaves the same pods out. */
final class RecommendVerdictCliTest {
    @TempDir
    Path dir;

    /**
     * QA 55c F1: m1.small ranked first for a small workload, a type whose PV-only hypervisor boots no Kubernetes node image
     * (all HVM). The PV-only m1, m2, c1 and t1 types are no candidates; named alone, they exit 2 saying why.
     */
    @Test
    void pvOnlyTypesAreNoCandidates() throws Exception {
        Path w = dir.resolve("small.csv");
        Files.writeString(w, "name,cpu,memory,replicas\nweb,200m,256Mi,3\n");
        // Previous generations are left out by default (m1, m2, c1, t1 among them); asked for, the PV-only ones still are.
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--catalog", "aws", "--top", "0", "-o", "json",
                "--previous-generation", "include");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.toString()).contains("not the PV-only m1, m2, c1, t1").doesNotContain("\"m1.small\"").doesNotContain("\"t1.micro\"");
        CliRunner named = CliRunner.run("recommend", "--pods", w.toString(), "--catalog", "aws", "--families", "m1,c1");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.err()).contains("boot only paravirtual images");
    }

    /**
     * A pod pinned to a zone that none of --zones names is unschedulable on every shape. The small
     * class "wins" with those pods left out; the other classes, which leave exactly the same pods out,
     * must be compared on cost too, not dismissed as "no shape in this class can place the workload"
     * (which the winner cannot either).
     */
    @Test
    void classesThatLeaveOutTheSamePodsAsTheWinnerAreComparedOnCost() throws Exception {
        Path w = dir.resolve("w.csv");
        Files.writeString(w, """
                name,cpu,memory,replicas,selector
                web,1,2Gi,12,
                pinned,500m,1Gi,2,topology.kubernetes.io/zone=us-east-1a
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi,price=0.2",
                "--node", "cpu=16,memory=64Gi,price=0.9", "--zones", "eu-west-1a,eu-west-1b", "--overhead", "none",
                "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode verdict = new ObjectMapper().readTree(r.out()).get("verdicts").get("fewerLargerVsManySmaller");
        String reasons = verdict.get("reasons").toString();
        assertThat(reasons).contains("small wins with custom-4c-16g").contains("2 pods unschedulable");
        assertThat(reasons).doesNotContain("no shape in this class can place the workload");
        // and first, that the winner is no price for the whole workload (QA 49c F5)
        assertThat(verdict.get("reasons").get(0).asText()).startsWith("no single shape places every pod: the comparison is of the pods "
                + "each places");
        assertThat(reasons).contains("medium (best custom-16c-64g");
    }

    /**
     * GPU pods over CPU-only candidates: every shape leaves them out, and the notes say so, with the
     * cause, beside the table's column (QA 47: an openb trace over GCE's n2 "won" with 95 % of its
     * pods left out, silently). A workload every shape places gets no such note.
     */
    @Test
    void aNoteSaysWhenTheBestShapeLeavesPodsOutAndWhyForGpus() throws Exception {
        Path w = dir.resolve("gpu.csv");
        Files.writeString(w, """
                name,cpu,memory,replicas,gpu
                web,500m,1Gi,20,0
                train,4,16Gi,6,1
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4",
                "--node", "cpu=16,memory=64Gi,price=0.8", "--overhead", "none", "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("workload").get("notes").toString()).contains("no candidate places every pod: the best, "
                + "custom-8c-32g, leaves 6 of 26 pods out; 6 pods request GPUs and none of the 2 candidates has any (add a --node "
                + "shape with gpu=N"); // QA 69a F8: not --gpu include, which exits 2 without a catalog
        CliRunner withGpus = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,gpu=1,price=0.9",
                "--overhead", "none", "--quiet", "-o", "json");
        JsonNode placed = new ObjectMapper().readTree(withGpus.out());
        assertThat(placed.get("workload").get("notes").toString()).doesNotContain("no candidate places every pod");
        assertThat(placed.get("verdicts").toString()).doesNotContain("no single shape places every pod");
    }

    /**
     * QA 62 item 3: pods asking 20 GiB of ephemeral-storage, where EKS's default 20 GiB root disk leaves ~17 GiB on every
     * shape, are left out by each candidate for the same need: the note gives pack's reason and the flag, not "-o json, or
     * pack". Told a larger disk, every candidate places them.
     */
    @Test
    void aNoteGivesTheReasonWhenEveryCandidateLeavesTheSamePodsOutForTheSameNeed() throws Exception {
        Path w = dir.resolve("scratch.yaml");
        Files.writeString(w, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: scratch}
                spec:
                  replicas: 5
                  selector: {matchLabels: {app: s}}
                  template:
                    metadata: {labels: {app: s}}
                    spec:
                      containers:
                      - {name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 20Gi}}}
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--families", "m5", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("note: no candidate places every pod: each of the 9 leaves the same 5 of 5 pods out for what they "
                + "need; on m5.24xlarge: 5 × needs 20 GiB ephemeral-storage; m5.24xlarge allocatable is 17 GiB ephemeral-storage "
                + "(scratch-0, scratch-1, scratch-2, …); give --disk a larger root disk;").doesNotContain("-o json, or pack");
        CliRunner pack = CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.large", "--quiet");
        assertThat(pack.out()).contains("  5 × needs 20 GiB ephemeral-storage; m5.large allocatable is 17 GiB ephemeral-storage "
                + "(scratch-0, scratch-1, scratch-2, …); give --disk a larger root disk");
        CliRunner larger = CliRunner.run("recommend", "--pods", w.toString(), "--families", "m5", "--disk", "200Gi", "--quiet");
        assertThat(larger.out()).doesNotContain("no candidate places every pod");
    }

    /**
     * When no candidate places a single pod, no class wins (all cost $0, and the ranking had fallen to
     * the names): the verdicts say so with the largest candidate's reason, and a shape without a node
     * has no blast radius (null in JSON, n/a in the table), not 0 %.
     */
    @Test
    void noClassWinsWhenNoShapePlacesAPod() throws Exception {
        Path w = dir.resolve("huge.csv");
        Files.writeString(w, """
                name,cpu,memory,replicas
                huge,200,1000Gi,2
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi,price=0.2",
                "--node", "cpu=64,memory=256Gi,price=3.2", "--overhead", "none", "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode verdict = root.get("verdicts").get("fewerLargerVsManySmaller");
        assertThat(verdict.get("winner").asText()).isEqualTo("n/a");
        assertThat(verdict.get("reasons").toString()).contains("no candidate shape places any pod: even custom-64c-256g leaves 2 pods unplaced")
                .doesNotContain("wins with");
        assertThat(root.get("verdicts").get("memoryToCpuRatio").get("winner").asText()).isEqualTo("n/a");
        assertThat(root.get("shapes").get(0).get("failureLossPercent").isNull()).isTrue();
        // Shapes that place nothing rank largest first (not by name, QA 39a remark), and the note names the largest
        // candidate, not the largest of the first class.
        CliRunner big = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=64,memory=256Gi,price=3.2",
                "--node", "cpu=96,memory=384Gi,price=4.8", "--node", "cpu=4,memory=16Gi,price=0.2", "--overhead", "none", "--quiet", "-o", "json");
        JsonNode bigRoot = new ObjectMapper().readTree(big.out());
        assertThat(bigRoot.get("shapes")).extracting(s -> s.get("shape").get("name").asText())
                .containsExactly("custom-96c-384g", "custom-64c-256g", "custom-4c-16g");
        assertThat(bigRoot.get("verdicts").get("fewerLargerVsManySmaller").get("reasons").toString())
                .contains("even custom-96c-384g leaves 2 pods unplaced");
        CliRunner table = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi,price=0.2", "--overhead", "none", "--quiet");
        assertThat(table.out()).doesNotContain("wins with").contains("n/a");
    }
}
