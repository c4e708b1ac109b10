package io.nodesizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ResourceQuota holds the replicas --growth asks for as it holds the written ones: admission comes
 * after the growth (review 47: 8 pods were packed beside a quota note saying it admits 4).
 */
final class ResourceQuotaCliTest {
    @TempDir
    Path dir;

    /** A quota in namespace team with {@code hard}, and a Deployment there of 10 replicas of 1 CPU, 1 GiB. */
    private static String quotaAndTen(String hard) {
        return """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: team}
                spec: {hard: {%s}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: big, namespace: team}
                spec:
                  replicas: 10
                  selector: {matchLabels: {app: big}}
                  template:
                    metadata: {labels: {app: big}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                """.formatted(hard);
    }

    @Test
    void growthIsAdmittedByTheQuota() throws Exception {
        Path f = dir.resolve("q.yaml");
        Files.writeString(f, quotaAndTen("requests.cpu: \"4\", pods: \"5\""));
        for (String[] growth : new String[][] {{"2", "4"}, {"0.3", "3"}, {"1", "4"}}) {
            CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "cpu=64,memory=256Gi", "--growth", growth[0], "-o", "json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).path("workload").path("pods").asInt()).as("growth " + growth[0])
                    .isEqualTo(Integer.parseInt(growth[1]));
        }
        // pack --fleet says what the quota did, as pack does (QA 47c: it packed the admitted pods silently).
        CliRunner fleet = CliRunner.run("pack", "--pods", f.toString(), "--fleet", "workloads/snapshot/cluster.json", "--from-empty", "-o", "json");
        assertThat(fleet.exitCode()).as(fleet.err()).isZero();
        assertThat(new ObjectMapper().readTree(fleet.out()).path("notes").toString())
                .contains("applied ResourceQuota team/q").contains("Deployment team/big runs 4 of its 10 pods");
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, Files.readString(f).replace("requests.cpu: \"4\"", "requests.cpu: 500m"));
        CliRunner refused = CliRunner.run("pack", "--pods", none.toString(), "--node", "cpu=64,memory=256Gi");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("No pods: the ResourceQuotas admit none of the workload's pods (team/q: applied:");
    }
    /**
     * Onto a kept snapshot the quota starts at what the namespace's pods there ask, as quota admission
     * charges a new pod on top of {@code status.used} (QA 47c: a namespace past its quota took six more);
     * from empty only the DaemonSet and static pods stay, none of them in the namespace.
     */
    @Test
    void aKeptSnapshotsPodsCountAgainstTheQuotaFirst() throws Exception {
        Path f = dir.resolve("shop.yaml");
        Files.writeString(f, quotaAndTen("requests.cpu: \"14\"").replace("team", "shop").replace("replicas: 10", "replicas: 4"));
        // The sample snapshot's shop namespace: 7 pods asking 10.5 CPU (and a Succeeded one, which holds nothing).
        CliRunner kept = CliRunner.run("pack", "--pods", f.toString(), "--fleet", "workloads/snapshot/cluster.json", "-o", "json");
        assertThat(kept.exitCode()).as(kept.err()).isZero();
        assertThat(new ObjectMapper().readTree(kept.out()).path("notes").toString())
                .contains("7 of them running or pending in the snapshot already").contains("requests.cpu 13.5 CPU of 14 CPU")
                .contains("Deployment shop/big runs 3 of its 4 pods (requests.cpu hard 14 CPU, 3.5 CPU left for it, 1 CPU a pod)");
        CliRunner empty = CliRunner.run("pack", "--pods", f.toString(), "--fleet", "workloads/snapshot/cluster.json", "--from-empty",
                "-o", "json");
        assertThat(empty.exitCode()).as(empty.err()).isZero();
        assertThat(new ObjectMapper().readTree(empty.out()).path("notes").toString()).contains("requests.cpu 4 CPU of 14 CPU")
                .doesNotContain("runs 3 of its").doesNotContain("in the snapshot already");
    }

    /** rightsize admits before and after each: smaller requests let the quota hold all ten replicas where it held four. */
    @Test
    void rightsizeAdmitsItsWorkloadBeforeAndAfter() throws Exception {
        Path f = dir.resolve("q.yaml");
        Files.writeString(f, quotaAndTen("requests.cpu: \"4\""));
        StringBuilder usage = new StringBuilder("timestamp,namespace,workload,container,cpu,memory\n");
        for (int i = 0; i < 10; i++) {
            usage.append(1700000000 + 60 * i).append(",team,big,c,0.2,500000000\n");
        }
        Path u = dir.resolve("u.csv");
        Files.writeString(u, usage);
        CliRunner r = CliRunner.run("rightsize", "--pods", f.toString(), "--usage", u.toString(), "--node", "cpu=8,memory=32Gi,price=0.4",
                "--min-samples", "1", "--min-history", "0s", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("before").path("pods").asInt()).isEqualTo(4);
        assertThat(json.path("after").path("pods").asInt()).isEqualTo(10);
    }
}
