package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pack --fleet}'s note on the snapshot's Pending pods tells those of a workload given in --pods from the others
 * (review 71 #10: it told the user to give the workload they had given). web-abc-1 is a pod of Deployment shop/web (its
 * ReplicaSet web-abc, pod-template-hash abc), batch-xyz-1 one of shop/batch; --pods gives web alone.
 */
final class FleetPendingPodsNoteTest {
    @TempDir
    Path dir;

    private static String pending(String name, String replicaSet, String hash) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\",\"labels\":{\"pod-template-hash\":"
                + "\"%s\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"%s\",\"controller\":true}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]},\"status\":{\"phase\":\"Pending\"}}")
                .formatted(name, hash, replicaSet);
    }

    @Test
    void pendingPodsOfAGivenWorkloadAreSaidApartFromTheOthers() throws Exception {
        Path s = dir.resolve("cluster.json");
        Path m = dir.resolve("web.yaml");
        Files.writeString(m, FleetRunningPodsTest.deployment("web", 2, ""));
        Files.writeString(s, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + FleetRunningPodsTest.node("node-a", "zone-a") + ","
                + pending("web-abc-1", "web-abc", "abc") + "]}");
        CliRunner one = CliRunner.run("pack", "--pods", m.toString(), "--fleet", s.toString(), "--quiet");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("1 Pending pod of the snapshot is of a workload given in --pods (shop/web): not packed as well, the "
                + "packing places its pods as --pods gives them beside those running").doesNotContain("give its workload in --pods");
        Files.writeString(s, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + FleetRunningPodsTest.node("node-a", "zone-a") + ","
                + pending("web-abc-1", "web-abc", "abc") + "," + pending("batch-xyz-1", "batch-xyz", "xyz") + "]}");
        CliRunner both = CliRunner.run("pack", "--pods", m.toString(), "--fleet", s.toString(), "--quiet");
        assertThat(both.out()).contains("1 Pending pod of the snapshot is not packed: kube-scheduler has it in its queue for the same room, "
                + "highest priority first (shop/batch-xyz-1 (priority 0)); give its workload in --pods to pack it too")
                .contains("1 Pending pod of the snapshot is of a workload given in --pods (shop/web)");
    }
}
