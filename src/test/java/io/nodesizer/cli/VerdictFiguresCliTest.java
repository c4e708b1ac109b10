package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts' figures agree with the tables and JSON beside them (QA 50c). */
final class VerdictFiguresCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mix's saving in the verdict is JSON's savingPercent, 2 decimals (it read 15.128 beside 15.13). */
    @Test
    void theMixSavingIsTheJsonFigure() throws Exception {
        CliRunner r = CliRunner.run("recommend", "--pods", "workloads/ml.csv", "--max-pools", "2", "-o", "json", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        String saving = new java.math.BigDecimal(root.get("mix").get("savingPercent").asText()).stripTrailingZeros().toPlainString();
        assertThat(root.get("verdicts").get("mixedPools").get("reasons").toString()).contains("saving " + saving + " % against one shape");
    }

    /**
     * The blast radius compares the winner only with classes that place as many pods: the bundled shop's small class
     * (r5.xlarge leaves 11 pods out) had "one small node 4.0 %", 1 of 25 nodes of a fleet that does not run it.
     */
    @Test
    void theBlastRadiusIsNotThatOfAFleetThatLeavesPodsOut() {
        CliRunner r = CliRunner.run("recommend", "--families", "m5,r5,c5", "--strategies", "ffd", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("small: no shape in this class can place the workload")
                .contains("blast radius: one large node failing takes 16.7 % of capacity (N+1 costs $7,848.96/month); no other class "
                        + "places as many pods to compare with")
                .doesNotContain("one small node");
    }

    /** QA 57a: shapes without a price read "no price" in the verdicts, not "n/a/month" (a figure that is none). */
    @Test
    void unpricedShapesSayNoPriceInTheVerdicts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pods = dir.resolve("one.csv");
        java.nio.file.Files.writeString(pods, "name,cpu,memory,replicas\nweb,1,2Gi,6\n");
        CliRunner r = CliRunner.run("recommend", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi", "--node", "cpu=8,memory=32Gi");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("medium wins with custom-8c-32g: 2 nodes, no price,").contains("small (best custom-4c-16g, 2 nodes, no price)")
                .contains("(the HA headroom is the N+1 spare)").doesNotContain("n/a/month");
    }

    /** With --zones every sized shape has nodesPerZone (round-robin where no pod ties it to zones), and --survive zone podsLeftOutAfterZoneLoss. */
    @Test
    void zonesGiveNodesPerZoneWhetherOrNotPodsAreTiedToThem() throws Exception {
        CliRunner r = CliRunner.run("recommend", "--families", "m5", "--zones", "3", "--survive", "zone", "-o", "json", "--quiet",
                "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (JsonNode shape : JSON.readTree(r.out()).get("shapes")) {
            int nodes = shape.get("nodes").asInt();
            JsonNode perZone = shape.get("nodesPerZone");
            assertThat(perZone).as(shape.get("shape").get("name").asText()).hasSize(3);
            int sum = 0;
            for (JsonNode z : perZone) {
                sum += z.asInt();
                assertThat(z.asInt()).isBetween(nodes / 3, (nodes + 2) / 3);
            }
            assertThat(sum).isEqualTo(nodes);
            assertThat(shape.get("podsLeftOutAfterZoneLoss").asInt()).isZero();
        }
    }

    /** Pods pinned to zone a, sized without --survive: their packing opened every node in a, so no round-robin count (review 50). */
    @Test
    void tiedPodsNotSizedZoneByZoneGetNoRoundRobinCount(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pods = dir.resolve("pinned.yaml");
        java.nio.file.Files.writeString(pods, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: pinned}
                spec:
                  replicas: 6
                  selector: {matchLabels: {app: pinned}}
                  template:
                    metadata: {labels: {app: pinned}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: a}
                      containers: [{name: c, image: x, resources: {requests: {cpu: "3", memory: 1Gi}}}]
                """);
        String[] args = {"recommend", "--pods", pods.toString(), "--node", "cpu=4,memory=32Gi,pods=110,price=1,name=n4", "--zones", "a,b,c",
            "-o", "json", "--quiet", "--reproducible"};
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode shape = JSON.readTree(r.out()).get("shapes").get(0);
        assertThat(shape.get("nodes").asInt()).isEqualTo(6);
        assertThat(shape.has("nodesPerZone")).isFalse();
    }
}
