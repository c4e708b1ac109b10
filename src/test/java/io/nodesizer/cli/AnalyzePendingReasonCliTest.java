package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * analyze's reason for a Pending pod that has room on some node but is kept off every such node by
 * kube-scheduler's PodTopologySpread or InterPodAffinity filter: it must name that filter, not say
 * the pod "fits the free room of node n1" as if only the scheduler's queue held it back.
 */
final class AnalyzePendingReasonCliTest {
    @TempDir
    Path dir;

    private static final String NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s",
             "node.kubernetes.io/instance-type":"m5.xlarge","topology.kubernetes.io/zone":"us-east-1a","kubernetes.io/os":"linux"}},
             "spec":{%s},"status":{"allocatable":{"cpu":"3920m","memory":"15Gi","pods":"58"}}}""";
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"shop","labels":{"app":"%s"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%s-5d8f","uid":"u","controller":true}]},
             "spec":{%s"containers":[{"name":"c","image":"x","resources":{"requests":{"cpu":"500m","memory":"512Mi"}}}],%s},
             "status":{"phase":"%s"}}""";
    private static final String SPREAD = "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"kubernetes.io/hostname\","
            + "\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}}}]";
    private static final String ANTI = "\"affinity\":{\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{"
            + "\"topologyKey\":\"kubernetes.io/hostname\",\"labelSelector\":{\"matchLabels\":{\"app\":\"db\"}}}]}}";

    private String reason(String... items) throws Exception {
        Path snap = dir.resolve("s.json");
        Files.writeString(snap, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", items) + "]}");
        CliRunner r = CliRunner.run("analyze", "--snapshot", snap.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode pending = new ObjectMapper().readTree(r.out()).get("pending");
        assertThat(pending).hasSize(1);
        return pending.get(0).get("reason").asText();
    }

    @Test
    void aPodKeptOffByItsHostnameSpreadSaysSo() throws Exception {
        // web on n1 and n2; the tainted t1 is a domain with none (nodeTaintsPolicy Ignore), so the fewest is 0 and the
        // pending replica may go only to t1, which it does not tolerate.
        String why = reason(NODE.formatted("n1", "n1", ""), NODE.formatted("n2", "n2", ""),
                NODE.formatted("t1", "t1", "\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]"),
                POD.formatted("web-a", "web", "web", "\"nodeName\":\"n1\",", SPREAD, "Running"),
                POD.formatted("web-b", "web", "web", "\"nodeName\":\"n2\",", SPREAD, "Running"),
                POD.formatted("web-c", "web", "web", "", SPREAD, "Pending"));
        assertThat(why).doesNotContain("fits the free room").contains("topology spread");
    }

    /**
     * QA 76b F5: a shortage ended in "; among the nodes its selector, affinity and tolerations admit", which named no node and
     * read as qualifying the clause before it, and a cordoned node's own cordon taint counted as the pod's tolerations
     * refusing it (so no "uncordon it" either). The tainted node is named with its refusal, the cordoned one as cordoned.
     */
    @Test
    void aShortageNamesTheNodesThatRefuseThePodAndTheCordonedOneApart() throws Exception {
        String why = reason(NODE.formatted("n1", "n1", ""),
                NODE.formatted("n2", "n2", "\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]"),
                NODE.formatted("c", "c", "\"unschedulable\":true,\"taints\":[{\"key\":\"node.kubernetes.io/unschedulable\","
                        + "\"effect\":\"NoSchedule\"}]"),
                POD.formatted("api-a", "api", "api", "\"nodeName\":\"n1\",", "\"priority\":0", "Running"),
                POD.formatted("web-c", "web", "web", "", "\"priority\":0", "Pending").replace("\"cpu\":\"500m\"", "\"cpu\":\"3500m\""));
        assertThat(why).startsWith("needs 3.5 CPU, the most free on one schedulable node is ").contains(" (n1); 1 node refuses it (n2: ")
                .contains("dedicated=gpu:NoSchedule").contains("1 node is cordoned (spec.unschedulable)")
                .contains("(c has room for it: uncordon it)").doesNotContain("among the nodes").doesNotContain("c: ");
    }

    @Test
    void aPodKeptOffByAntiAffinitySaysSo() throws Exception {
        String why = reason(NODE.formatted("n1", "n1", ""), NODE.formatted("n2", "n2", ""),
                POD.formatted("db-a", "db", "db", "\"nodeName\":\"n1\",", ANTI, "Running"),
                POD.formatted("db-b", "db", "db", "\"nodeName\":\"n2\",", ANTI, "Running"),
                POD.formatted("db-c", "db", "db", "", ANTI, "Pending"));
        assertThat(why).doesNotContain("fits the free room").contains("anti-affinity");
    }

    @Test
    void aPodThatMayRunSomewhereStillSaysItFits() throws Exception {
        String why = reason(NODE.formatted("n1", "n1", ""), NODE.formatted("n2", "n2", ""),
                POD.formatted("db-a", "db", "db", "\"nodeName\":\"n1\",", ANTI, "Running"),
                POD.formatted("db-c", "db", "db", "", ANTI, "Pending"));
        assertThat(why).contains("fits the free room of node n2");
    }

    /**
     * QA 69b F5: kube-scheduler's TaintToleration filter runs before NodeAffinity and the first that fails is the node's
     * reason, so a pod whose selector and toleration both miss a tainted node is kept off it by the taint ("had untolerated
     * taint"), and off the untainted node by its selector. The tainted node's reason named the selector, which, fixed
     * alone, leaves the pod Pending on the taint.
     */
    @Test
    void aTaintedNodeTheSelectorAlsoMissesGivesTheTaint() throws Exception {
        String why = reason(NODE.formatted("n1", "n1", ""),
                NODE.formatted("t1", "t1", "\"taints\":[{\"key\":\"workload\",\"value\":\"compute\",\"effect\":\"NoSchedule\"}]")
                        .replace("\"labels\":{", "\"labels\":{\"workload\":\"compute\","),
                POD.formatted("job-a", "job", "job", "\"nodeSelector\":{\"workload\":\"nonexistent\"},\"tolerations\":[{\"key\":"
                        + "\"workload\",\"value\":\"nonexistent\",\"effect\":\"NoSchedule\"}],", "\"priority\":0", "Pending"));
        assertThat(why).contains("t1: the node has the taint workload=compute:NoSchedule, which the pod does not tolerate")
                .contains("n1: its nodeSelector needs workload=nonexistent; the node has no such label")
                .doesNotContain("the node has workload=compute");
    }

    /**
     * QA 61a F10: a matchFields term read "matches no label of the node (metadata.name In [n9])", and one pod bound to a node
     * the snapshot leaves out read "1 pods on nodes the snapshot does not list".
     */
    @Test
    void aMatchFieldsTermIsOnAFieldAndOnePodIsOnePod() throws Exception {
        String fields = "\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":"
                + "[{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n9\"]}]}]}}}";
        String labels = fields.replace("matchFields", "matchExpressions").replace("metadata.name", "pool");
        String[] items = {NODE.formatted("n1", "n1", ""), POD.formatted("web-a", "web", "web", "", fields, "Pending"),
                POD.formatted("db-a", "db", "db", "", labels, "Pending"), POD.formatted("ghost-a", "ghost", "ghost", "\"nodeName\":\"n9\",",
                "\"priority\":0", "Running")};
        Path snap = dir.resolve("s.json");
        Files.writeString(snap, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", items) + "]}");
        CliRunner r = CliRunner.run("analyze", "--snapshot", snap.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("its required node affinity is not met by the node's fields (metadata.name In [n9]")
                .contains("its required node affinity is not met by the node's labels (pool In [n9]")
                .contains("not counted    1 pod on nodes the snapshot does not list (shop/ghost-a on n9)");
    }
}
