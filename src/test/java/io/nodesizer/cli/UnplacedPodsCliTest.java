package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 75b F1: pods that fit no candidate shape never run, so no verdict on pending time is theirs. Where no pod fits, replay and
 * windows exit 2 naming why (every alternative read "$0.00, SLO met" and windows exported that plan); where some do, the verdict
 * is marked as the pods' that run (met*), and a row that places none reads n/a.
 */
class UnplacedPodsCliTest {
    private static final String TAINTED = "aws:m5.2xlarge,labels=team=shop,taints=dedicated=shop:NoSchedule";
    private static final String[] SHOP = {"--workload", "workloads/shop.csv", "--synthetic", "diurnal", "--duration", "1d", "--quiet"};

    @Test
    void noPodFitsExitsTwoNamingTheTaintAndWritesNothing(@TempDir Path dir) {
        Path schedule = dir.resolve("schedule.yaml");
        CliRunner w = CliRunner.run(CliRunner.concat(new String[] {"windows"}, CliRunner.concat(SHOP, "--node", TAINTED, "--check-draws",
                "0", "--pending-slo", "2m", "--export", "karpenter", "--schedule-out", schedule.toString())));
        assertThat(w.exitCode()).as(w.err()).isEqualTo(2);
        assertThat(w.out()).isEmpty();
        assertThat(w.err()).contains("--node: No pod of the workload can run on m5.2xlarge (")
                .contains("the node has the taint dedicated=shop:NoSchedule, which the pod does not tolerate")
                .doesNotContain("Exception");
        assertThat(schedule).doesNotExist();

        CliRunner r = CliRunner.run(CliRunner.concat(new String[] {"replay"}, CliRunner.concat(SHOP, "--node", TAINTED,
                "--node", "aws:m5.xlarge,taints=a=b:NoSchedule", "--pending-slo", "2m", "--autoscaler", "karpenter")));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("No pod of the workload can run on any of the 2 candidate shapes (").contains("taint");
    }

    /**
     * Review 75b #3: the message named the first run's reasons alone (the user fixed that taint and failed on the next), and
     * blamed --catalog for shapes that --generic gave.
     */
    @Test
    void noPodFitsNamesEveryShapesReasonAndTheOptionThatGaveThem(@TempDir Path dir) throws Exception {
        String other = "aws:m5.large,labels=x=y,taints=a=b:NoSchedule";
        for (String autoscaler : new String[] {"ca", "karpenter"}) { // one run per shape, and one mixed run (its reasons the largest's)
            CliRunner r = CliRunner.run(CliRunner.concat(new String[] {"replay"}, CliRunner.concat(SHOP, "--node", TAINTED, "--node", other,
                    "--autoscaler", autoscaler)));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).as(autoscaler).contains("--node: No pod of the workload can run on any of the 2 candidate shapes (")
                    .contains("m5.2xlarge: 289 × the node has the taint dedicated=shop:NoSchedule")
                    .contains(" / m5.large: 289 × the node has the taint a=b:NoSchedule");
        }
        Path giant = dir.resolve("giant.csv");
        Files.writeString(giant, "name,cpu,memory,replicas\ngiant,200,2000Gi,2\n");
        CliRunner g = CliRunner.run("replay", "--workload", giant.toString(), "--synthetic", "diurnal", "--duration", "6h", "--quiet",
                "--generic", "cpu=2..4,ratio=4,price-per-cpu=0.03,price-per-gib=0.004");
        assertThat(g.exitCode()).as(g.err()).isEqualTo(2);
        assertThat(g.err()).contains("--generic: No pod of the workload can run on any of the 2 candidate shapes (generic-2c-8g")
                .contains("generic-4c-16g").doesNotContain("--catalog");
    }

    @Test
    void aRowThatPlacesNoPodReadsNotApplicableAndAPartialVerdictIsMarked() throws Exception {
        // m5.xlarge fits most of the shop, not its 28 GiB pods; the tainted m5.2xlarge fits none.
        String[] args = CliRunner.concat(new String[] {"replay"}, CliRunner.concat(SHOP, "--node", "aws:m5.xlarge", "--node", TAINTED,
                "--pending-slo", "1h", "--autoscaler", "ca"));
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String table = r.out().substring(0, r.out().indexOf("\n\n", r.out().indexOf("#  shapes")));
        assertThat(table).containsPattern("1  m5\\.xlarge .* met\\*\n").containsPattern("2  m5\\.2xlarge .* n/a\n");
        // Review 75b #2: its $0 and 0 s price and time nothing: n/a in the cost and pending cells, and no size class's best (the
        // verdict said the small winner "costs more" than the medium shape that ran nothing, "$0.00, pending p95 0s").
        assertThat(table).containsPattern("2  m5\\.2xlarge +n/a +0\\.0 +0 +0\\.0 +n/a +n/a +n/a ");
        assertThat(r.out()).doesNotContain("Fewer-larger or many-smaller").doesNotContain("ranks above the cheaper");
        assertThat(r.out()).contains("met*: met on the pods that run; those that fit no node shape (unsched) never run");
        assertThat(r.out()).contains("fit no node shape (never run: not in the pending figures, nor in the SLO's verdict):");
        JsonNode runs = new ObjectMapper().readTree(CliRunner.run(CliRunner.concat(args, "-o", "json")).out()).get("ranking");
        assertThat(runs.get(0).get("meetsPendingSlo").asBoolean()).isTrue();
        assertThat(runs.get(1).get("meetsPendingSlo").isNull()).isTrue(); // not "met" on 0 of 0 pods
        for (String p : new String[] {"pendingP50Seconds", "pendingP95Seconds", "pendingMaxSeconds"}) {
            assertThat(runs.get(1).get(p).isNull()).as(p).isTrue(); // no pod waited: not 0 s
            assertThat(runs.get(0).get(p).isNumber()).as(p).isTrue();
        }

        CliRunner w = CliRunner.run(CliRunner.concat(new String[] {"windows"}, CliRunner.concat(SHOP, "--node", "aws:m5.xlarge",
                "--check-draws", "0", "--pending-slo", "1h")));
        assertThat(w.exitCode()).as(w.err()).isZero();
        assertThat(w.out()).containsPattern("\nca +.* met\\* +reactive");
        assertThat(w.out()).containsPattern("\\* recommended: \\S+ \\(cheapest that meets the SLO, on the [0-9,]+ pods that run\\)");
        assertThat(w.out()).contains("the SLO column (met*) and the recommendation are on the pods that run");
    }

    /** QA 75b F4: a required karpenter.sh/nodepool is taken as met, but only a NodePool of that name serves the pods. */
    @Test
    void podsSelectingANodePoolOrASpotGroupAreNamed(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("app.yaml");
        Files.writeString(app, deployment("web", "nodeSelector: {karpenter.sh/nodepool: general}") + "---\n"
                + deployment("api", "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
                + "[{matchExpressions: [{key: karpenter.sh/nodepool, operator: In, values: [general, spare]}]}]}}}") + "---\n"
                + deployment("any", "nodeSelector: {kubernetes.io/os: linux}"));
        String[] windows = {"windows", "--workload", app.toString(), "--synthetic", "diurnal", "--duration", "1d", "--check-draws", "0",
                "--quiet", "--node", "aws:m5.xlarge", "--export", "karpenter"};
        CliRunner w = CliRunner.run(windows);
        assertThat(w.exitCode()).as(w.err()).isZero();
        assertThat(w.err()).contains("note: karpenter alternative: the pods of web (general), api (general or spare) require a "
                + "karpenter.sh/nodepool other than nodesizer").contains("give --export-target general to write the NodePool they select")
                .doesNotContain("any (");
        // Named as they select: no note.
        assertThat(CliRunner.run(CliRunner.concat(windows, "--export-target", "general")).err()).doesNotContain("karpenter.sh/nodepool");
        CliRunner replay = CliRunner.run("replay", "--workload", app.toString(), "--duration", "1h", "--node", "aws:m5.xlarge",
                "--autoscaler", "karpenter", "--quiet");
        assertThat(replay.out()).contains("note: the pods of web (general), api (general or spare) require a karpenter.sh/nodepool")
                .contains("labels=karpenter.sh/nodepool=general on the shapes says the replay is of it")
                .doesNotContain("--export"); // review 75b #4: replay has no --export nor --export-target

        // Two pools: one NodePool cannot serve them.
        Files.writeString(app, deployment("web", "nodeSelector: {karpenter.sh/nodepool: general}") + "---\n"
                + deployment("batch", "nodeSelector: {karpenter.sh/nodepool: batch}"));
        assertThat(CliRunner.run(windows).err()).contains("they name different pools (general, batch), and one NodePool cannot serve "
                + "them all");

        // A spot managed node group under Cluster Autoscaler: the schedule's group must be one.
        Files.writeString(app, deployment("web", "nodeSelector: {eks.amazonaws.com/capacityType: SPOT}") + "---\n"
                + deployment("od", "nodeSelector: {eks.amazonaws.com/capacityType: ON_DEMAND}"));
        String spot = "note: the pods of web require a spot node group (EKS's, GKE's or AKS's spot label";
        CliRunner asg = CliRunner.run("windows", "--workload", app.toString(), "--synthetic", "diurnal", "--duration", "1d",
                "--check-draws", "0", "--quiet", "--node", "aws:m5.xlarge", "--export", "aws-asg", "--export-target", "g",
                "--min-nodes", "1", "--max-nodes", "30");
        assertThat(asg.err()).contains(spot).contains("the group the schedule is for (--export aws-asg, cronjob, azure-vmss)")
                .contains("(labels=eks.amazonaws.com/capacityType=SPOT on the shape says which it is)");
        // QA 75b F2: beside the actions, how to delete an earlier plan's first.
        assertThat(asg.err()).contains("nodesizer: note: a new plan replaces this one's scheduled actions only where their names agree")
                .contains("batch-delete-scheduled-action --auto-scaling-group-name g --scheduled-action-names");
        assertThat(CliRunner.run("replay", "--workload", app.toString(), "--duration", "1h", "--node", "aws:m5.xlarge", "--quiet").out())
                .contains(spot).contains("the node group they run in must be a spot one").doesNotContain("--export");
        // The shape says it is the spot group: no note.
        assertThat(CliRunner.run("replay", "--workload", app.toString(), "--duration", "1h", "--node",
                "aws:m5.xlarge,labels=eks.amazonaws.com/capacityType=SPOT", "--quiet").out()).doesNotContain("spot node group");

        // Review 75b #4: on GKE the note names GKE's label, and that label on the shape clears it (EKS's did not); kops' and
        // self-managed groups' node.kubernetes.io/lifecycle is a spot label too.
        Files.writeString(app, deployment("web", "nodeSelector: {cloud.google.com/gke-spot: \"true\"}") + "---\n"
                + deployment("batch", "nodeSelector: {node.kubernetes.io/lifecycle: spot}") + "---\n"
                + deployment("steady", "nodeSelector: {node.kubernetes.io/lifecycle: normal}")); // kops' on-demand value: not spot
        String[] gke = {"replay", "--workload", app.toString(), "--duration", "1h", "--quiet", "--node"};
        assertThat(CliRunner.run(CliRunner.concat(gke, "gce:n2-standard-4")).out())
                .contains("note: the pods of web, batch require a spot node group")
                .doesNotContain("web, batch, steady")
                .contains("(labels=cloud.google.com/gke-spot=true on the shape says which it is)");
        assertThat(CliRunner.run(CliRunner.concat(gke, "gce:n2-standard-4,labels=cloud.google.com/gke-spot=true;node.kubernetes.io/lifecycle=spot"))
                .out()).doesNotContain("spot node group");
    }

    private static String deployment(String name, String placement) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      %2$s
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                """.formatted(name, placement);
    }
}
