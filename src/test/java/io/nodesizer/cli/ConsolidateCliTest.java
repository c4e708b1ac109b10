package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nodesizer consolidate} on the sample snapshot. */
final class ConsolidateCliTest {
    private static final String SNAPSHOT = "workloads/snapshot/cluster.json";

    @Test
    void theSampleNodesAreReplacedByCheaperNonBurstableShapesOfTheirOwnCatalog() throws Exception {
        CliRunner r = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("before").get("nodes").asInt()).isEqualTo(3);
        assertThat(root.get("before").get("costPerHour").asDouble()).isEqualTo(0.51);
        double saving = 0;
        for (JsonNode a : root.get("actions")) {
            assertThat(a.get("action").asText()).isIn("remove", "replace");
            if (a.has("replacement")) {
                assertThat(a.get("replacement").get("provider").asText()).isEqualTo("aws");
                assertThat(a.get("replacement").get("family").asText()).doesNotStartWith("t");
                assertThat(a.get("replacement").get("pricePerHour").asDouble()).isLessThan(a.get("pricePerHour").asDouble());
                // The node's DaemonSet pods move to the new node: its daemonSets and podAllocatable say so (QA 38a finding 8).
                JsonNode rep = a.get("replacement");
                assertThat(rep.get("daemonSets").get("cpuMillis").asLong()).isPositive();
                assertThat(rep.get("podAllocatable").get("cpuMillis").asLong())
                        .isEqualTo(rep.get("allocatable").get("cpuMillis").asLong() - rep.get("daemonSets").get("cpuMillis").asLong());
            }
            saving += a.get("savingPerHour").asDouble();
        }
        assertThat(root.get("savingPerHour").asDouble()).isCloseTo(saving, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(root.get("after").get("costPerHour").asDouble()).isCloseTo(0.51 - saving, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(root.get("pendingUnplaced")).hasSize(2);
        CliRunner table = CliRunner.run("consolidate", "--snapshot", SNAPSHOT);
        assertThat(table.out()).contains("worker nodes").contains("replace").contains("note: moves respect node selectors");
        CliRunner none = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--no-replace", "-o", "json");
        assertThat(new ObjectMapper().readTree(none.out()).get("actions")).isEmpty();
        CliRunner zero = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--max-disrupted-pods", "1", "-o", "json");
        assertThat(new ObjectMapper().readTree(zero.out()).get("podsEvicted").asInt()).isLessThanOrEqualTo(1);
    }

    /**
     * QA 64a F1: a snapshot taken as kubectl get nodes,pods holds no PodDisruptionBudget; a plan that evicts pods from it
     * says so first among its notes and on standard error. With a budget in the snapshot (here one that covers no pod) it does not.
     */
    @Test
    void aPlanFromASnapshotWithoutBudgetsSaysSo(@TempDir Path dir) throws Exception {
        CliRunner r = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("podsEvicted").asInt()).isPositive();
        assertThat(root.get("notes").get(0).asText()).startsWith("the snapshot holds no PodDisruptionBudget, so this plan assumes none");
        assertThat(r.err()).contains("nodesizer: warning: the snapshot holds no PodDisruptionBudget")
                .contains("kubectl get nodes,pods,pdb -A -o json");
        Path pdb = dir.resolve("pdb.yaml");
        Files.writeString(pdb, """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: nothing, namespace: default}
                spec:
                  maxUnavailable: 1
                  selector: {matchLabels: {app: not-in-this-cluster}}
                """);
        CliRunner with = CliRunner.run("consolidate", "--snapshot", SNAPSHOT + "," + pdb, "-o", "json");
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).doesNotContain("holds no PodDisruptionBudget");
        assertThat(with.err()).doesNotContain("holds no PodDisruptionBudget");
    }

    /**
     * QA 64a F4: the report said how many pods go to each node, not which: JSON podTo names them per action, and
     * --assignments writes action,pod,from,to for every pod evicted (from: its node in the snapshot).
     */
    @Test
    void everyEvictedPodIsNamedWithWhereItGoes(@TempDir Path dir) throws Exception {
        Path moves = dir.resolve("moves.csv");
        CliRunner r = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json", "--assignments", moves.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        java.util.List<String> rows = Files.readAllLines(moves);
        assertThat(rows.get(0)).isEqualTo("action,pod,from,to");
        assertThat(rows).hasSize(1 + root.get("podsEvicted").asInt());
        java.util.Map<String, Integer> counted = new java.util.TreeMap<>();
        int row = 1;
        for (JsonNode a : root.get("actions")) {
            assertThat(a.get("podTo").size()).isEqualTo(a.get("podsEvicted").asInt());
            for (var e : a.get("podTo").properties()) {
                String[] cells = rows.get(row++).replace("\"", "").split(",");
                assertThat(cells).containsExactly(a.get("action").asText(), e.getKey(), a.get("node").asText(), e.getValue().asText());
                counted.merge(e.getValue().asText(), 1, Integer::sum);
            }
            if (a.get("action").asText().equals("remove")) {
                java.util.Map<String, Integer> movedTo = new java.util.TreeMap<>();
                a.get("movedTo").properties().forEach(e -> movedTo.put(e.getKey(), e.getValue().asInt()));
                assertThat(counted).isEqualTo(movedTo); // the names add up to the counts
            }
            counted.clear();
        }
    }

    /**
     * QA 64a F2: a snapshot taken without -A (one namespace's pods, no kube-system or DaemonSet pod) or whose pods all name
     * nodes it does not list looked like a cluster of empty nodes (36 -> 1, saving 96.8 %, gap 0 %): every snapshot command
     * warns on it and names the get to run, and consolidate's notes list it first. (A warning: hand-written what-if
     * snapshots of a few pods are a use too.)
     */
    @Test
    void aSnapshotWithoutTheClustersOtherPodsIsSaidToBeSo(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode all = json.readTree(Path.of(SNAPSHOT).toFile());
        com.fasterxml.jackson.databind.node.ObjectNode shopOnly = all.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode items = shopOnly.putArray("items");
        com.fasterxml.jackson.databind.node.ObjectNode elsewhere = all.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode moved = elsewhere.putArray("items");
        for (JsonNode item : all.get("items")) {
            boolean pod = item.get("kind").asText().equals("Pod");
            if (!pod || item.get("metadata").get("namespace").asText().equals("shop")) {
                items.add(item);
            }
            com.fasterxml.jackson.databind.node.ObjectNode copy = item.deepCopy();
            if (pod && copy.get("spec").has("nodeName")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("spec")).put("nodeName", "other-" + copy.get("spec").get("nodeName").asText());
            }
            moved.add(copy);
        }
        Path noA = dir.resolve("no-a.json");
        Path mismatch = dir.resolve("mismatch.json");
        json.writeValue(noA.toFile(), shopOnly);
        json.writeValue(mismatch.toFile(), elsewhere);
        for (String command : new String[] {"consolidate", "analyze", "recommend"}) {
            // consolidate's table on the terminal leads with it instead (review 63 item 8); its JSON gets the warning.
            CliRunner r = command.equals("consolidate") ? CliRunner.run(command, "--snapshot", noA.toString(), "--quiet", "-o", "json")
                    : CliRunner.run(command, "--snapshot", noA.toString(), "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("nodesizer: warning: no kube-system or DaemonSet pod in the snapshot: its 7 pods are of namespace shop")
                    .contains("taken without -A?").contains("kubectl get nodes,pods,pdb -A -o json");
            CliRunner m = command.equals("consolidate") ? CliRunner.run(command, "--snapshot", mismatch.toString(), "--quiet", "-o", "csv")
                    : CliRunner.run(command, "--snapshot", mismatch.toString(), "--quiet");
            assertThat(m.exitCode()).as(m.err()).isZero();
            assertThat(m.err()).contains("nodesizer: warning: none of the snapshot's").contains("two contexts?");
        }
        CliRunner table = CliRunner.run("consolidate", "--snapshot", noA.toString(), "--quiet");
        assertThat(table.err()).doesNotContain("no kube-system");
        assertThat(table.out()).containsOnlyOnce("no kube-system or DaemonSet pod in the snapshot");
        CliRunner whole = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--quiet");
        assertThat(whole.err()).doesNotContain("warning: no kube-system").doesNotContain("two contexts");
        JsonNode notes = json.readTree(CliRunner.run("consolidate", "--snapshot", noA.toString(), "-o", "json").out()).get("notes");
        assertThat(notes.get(0).asText()).startsWith("no kube-system or DaemonSet pod in the snapshot");
    }

    /**
     * QA 78c F4: a pod bound to a node the snapshot does not list (one that went or joined while it was taken) was left out
     * of the plan without a word, where analyze says "not counted". A note names it; a DaemonSet pod there (it goes with
     * its node) and a snapshot whose pods are all on listed nodes get none.
     */
    @Test
    void aPodOnANodeTheSnapshotDoesNotListIsNamed(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(Files.readString(Path.of(SNAPSHOT)));
        com.fasterxml.jackson.databind.node.ArrayNode items = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("items");
        String moved = null;
        for (JsonNode item : items) {
            JsonNode owner = item.path("metadata").path("ownerReferences").path(0).path("kind");
            if (moved == null && item.get("kind").asText().equals("Pod") && owner.asText().equals("ReplicaSet")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) item.get("spec")).put("nodeName", "ip-10-0-9-99.ec2.internal");
                moved = item.get("metadata").get("namespace").asText() + "/" + item.get("metadata").get("name").asText();
            } else if (item.get("kind").asText().equals("Pod") && owner.asText().equals("DaemonSet")
                    && item.get("spec").get("nodeName").asText().equals("ip-10-0-1-10.ec2.internal")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) item.get("spec")).put("nodeName", "ip-10-0-9-98.ec2.internal");
            }
        }
        Path file = dir.resolve("gone.json");
        json.writeValue(file.toFile(), root);
        CliRunner r = CliRunner.run("consolidate", "--snapshot", file.toString(), "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String pod = moved;
        assertThat(json.readTree(r.out()).get("notes")).extracting(JsonNode::asText)
                .anyMatch(n -> n.equals("1 pod is bound to a node the snapshot does not list and left out of the plan (" + pod
                        + " on ip-10-0-9-99.ec2.internal): a node that joined or went while the snapshot was taken? If it went, their "
                        + "controllers recreate them on the snapshot's other nodes, in room the plan does not hold for them; take the "
                        + "snapshot again (kubectl get nodes,pods,pdb -A -o json)"));
        // pack --fleet leaves it out of its packing the same way, and says so (not with --from-empty, which drops every running pod).
        CliRunner fleet = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--fleet", file.toString(), "--quiet", "-o", "json");
        assertThat(fleet.exitCode()).as(fleet.err()).isZero();
        assertThat(json.readTree(fleet.out()).get("notes")).extracting(JsonNode::asText)
                .anyMatch(n -> n.startsWith("1 pod is bound to a node the snapshot does not list and left out of the packing (" + pod));
        CliRunner empty = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--fleet", file.toString(), "--from-empty", "--quiet", "-o", "json");
        assertThat(json.readTree(empty.out()).get("notes")).extracting(JsonNode::asText).noneMatch(n -> n.contains("does not list"));
        CliRunner whole = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--quiet", "-o", "json");
        assertThat(json.readTree(whole.out()).get("notes")).extracting(JsonNode::asText).noneMatch(n -> n.contains("does not list"));
    }

    /** QA 53a F3: HTML lacked the pending pods the other formats list; Markdown wrote their names unescaped. */
    @Test
    void pendingPodsShowInEveryFormatTheirNamesEscaped() throws Exception {
        java.nio.file.Path snapshot = java.nio.file.Files.createTempFile("cluster", ".json");
        java.nio.file.Files.writeString(snapshot, java.nio.file.Files.readString(java.nio.file.Path.of(SNAPSHOT))
                .replace("\"search-6f7c-a\"", "\"search_6f7c_a\""));
        try {
            CliRunner md = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "-o", "markdown");
            assertThat(md.exitCode()).as(md.err()).isZero();
            assertThat(md.out()).contains("pending pods with no room anywhere (consolidation leaves them pending): ")
                    .contains("shop/search\\_6f7c\\_a").doesNotContain("search_6f7c_a");
            CliRunner html = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "-o", "html");
            assertThat(html.out()).contains("Pending pods").contains("search_6f7c_a").contains("storefront-7d9f-d");
        } finally {
            java.nio.file.Files.delete(snapshot);
        }
    }

    /**
     * QA 64a F6: consolidate JSON records its settings and candidates, and compare says when two runs' settings, candidates
     * or inputs differ (it said "$/h after +3.5 %" between a run and its --no-replace twin with no note).
     */
    @Test
    void compareNotesConsolidateRunsOfOtherSettingsOrInputs(@TempDir Path dir) throws Exception {
        Path all = dir.resolve("all.json");
        Path removals = dir.resolve("removals.json");
        Path other = dir.resolve("other.json");
        Path copy = dir.resolve("copy.json");
        Files.copy(Path.of(SNAPSHOT), copy);
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json", "--out", all.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json", "--out", removals.toString(), "--no-replace",
                "--scale-down-utilization-threshold", "1", "--skip-nodes-with-local-storage=false").exitCode()).isZero();
        assertThat(CliRunner.run("consolidate", "--snapshot", copy.toString(), "-o", "json", "--out", other.toString()).exitCode()).isZero();
        JsonNode settings = new ObjectMapper().readTree(all.toFile()).get("settings");
        assertThat(settings.get("noReplace").asBoolean()).isFalse();
        assertThat(settings.get("scaleDownUtilizationThreshold").asDouble()).isEqualTo(0.5);
        assertThat(settings.get("maxDisruptedPods").isNull()).isTrue();
        assertThat(settings.get("expendablePodsPriorityCutoff").asInt()).isEqualTo(-10);
        assertThat(new ObjectMapper().readTree(removals.toFile()).get("candidates").asText()).isEqualTo("none (--no-replace)");
        CliRunner rules = CliRunner.run("compare", all.toString(), removals.toString());
        assertThat(rules.exitCode()).as(rules.err()).isZero();
        assertThat(rules.out()).contains("the runs' settings differ (all.json: noReplace false, skipNodesWithLocalStorage true, "
                + "scaleDownUtilizationThreshold 0.5; removals.json: noReplace true, skipNodesWithLocalStorage false, "
                + "scaleDownUtilizationThreshold 1.0)").contains("the runs' candidates differ").doesNotContain("the runs' inputs differ");
        CliRunner inputs = CliRunner.run("compare", all.toString(), other.toString());
        assertThat(inputs.out()).contains("the runs' inputs differ").doesNotContain("settings differ");
    }

    /** QA 64a F19, F20: candidates of another cloud, and shapes without the kubelet's reservations, are said so. */
    @Test
    void candidatesThatCannotStandForTheClustersNodesAreSaidSo() {
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--catalog", "gce").out())
                .contains("note: --catalog gce prices candidates of another cloud than the cluster's nodes, whose instance types are aws's");
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--catalog", "aws").out()).doesNotContain("another cloud");
        String inline = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--node", "cpu=2,memory=4Gi,pods=20,price=0.02").out();
        assertThat(inline).contains("note: custom-2c-4g is sized without the kubelet's reservations (allocatable = capacity)");
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--node", "cpu=2,memory=4Gi,pods=20,price=0.02", "--overhead", "eks")
                .out()).doesNotContain("sized without the kubelet's reservations");
    }

    @Test
    void jsonNotesHoldEveryNoteAndTheSavingAsTheTablePrintsIt() throws Exception {
        // QA finding 6: notes[] (the documented field) lacked the "review the moves" caveat, and the
        // JSON had no monthly saving or percentage though the table prints "$66.43/month, 17.8%".
        JsonNode root = new ObjectMapper().readTree(CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "-o", "json").out());
        JsonNode notes = root.get("notes");
        // The sample holds no PodDisruptionBudget: that note comes first (QA 64a F1), then what the moves respect.
        assertThat(notes.get(0).asText()).startsWith("the snapshot holds no PodDisruptionBudget");
        assertThat(notes.get(1).asText()).startsWith("moves respect node selectors").endsWith("review the moves before draining");
        assertThat(notes.get(2).asText()).startsWith("the lower bound is");
        assertThat(root.get("note").asText()).isEqualTo(notes.get(1).asText());
        // $0.51/h -> $0.419/h: 0.091 × 730 = 66.43 a month, 0.091 / 0.51 = 17.84 %.
        assertThat(root.get("savingPerMonth").asDouble()).isEqualTo(66.43);
        assertThat(root.get("savingPercent").asDouble()).isEqualTo(17.84);
        assertThat(CliRunner.run("consolidate", "--snapshot", SNAPSHOT).out()).contains("$0.51/h → $0.419/h, saving $0.091/h ($66.43/month, 17.8%)");
    }

    /**
     * QA 55b F1: with a catalog of one's own (savings-plan prices, 30 % off), today's nodes were priced at the bundled
     * list prices and the candidates at the catalog's: every node "saved" the discount by being replaced by its own type.
     * Both now come from the catalog; a type it does not list keeps the bundled price and a note says so.
     */
    @Test
    void todaysNodesArePricedFromTheCatalogTheCandidatesComeFrom() throws Exception {
        String header = "provider,name,family,category,generation,size,arch,vcpu,memory_mib,gpu_count,gpu_model,gpu_manufacturer,"
                + "max_pods_eni,price_per_hour_usd,region\n";
        String[] rows = {"aws,m5.xlarge,m5,m,5,xlarge,amd64,4,16384,0,,,58,0.1344,us-east-1",
                "aws,r5.large,r5,r,5,large,amd64,2,16384,0,,,29,0.0882,us-east-1",
                "aws,m6a.large,m6a,m,6,large,amd64,2,8192,0,,,29,0.06048,us-east-1",
                "aws,m6a.xlarge,m6a,m,6,xlarge,amd64,4,16384,0,,,58,0.12096,us-east-1"};
        java.nio.file.Path all = java.nio.file.Files.createTempFile("sp", ".csv");
        java.nio.file.Path some = java.nio.file.Files.createTempFile("sp", ".csv");
        java.nio.file.Path auto = java.nio.file.Files.createTempFile("auto", ".json");
        try {
            java.nio.file.Files.writeString(all, header + String.join("\n", rows) + "\n");
            java.nio.file.Files.writeString(some, header + rows[0] + "\n" + rows[2] + "\n" + rows[3] + "\n");
            CliRunner r = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--catalog", all.toString(), "-o", "json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode root = new ObjectMapper().readTree(r.out());
            // 2 × 0.1344 + 0.0882, where the bundled prices made it 0.51
            assertThat(root.get("before").get("costPerHour").asDouble()).isCloseTo(0.357, org.assertj.core.data.Offset.offset(1e-9));
            for (JsonNode a : root.get("actions")) {
                assertThat(a.get("pricePerHour").asDouble()).isIn(0.1344, 0.0882);
            }
            assertThat(root.get("notes").toString()).contains("today's nodes are priced from").doesNotContain("not in it");
            CliRunner partly = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--catalog", some.toString());
            assertThat(partly.exitCode()).as(partly.err()).isZero();
            assertThat(partly.out()).contains("r5.large is not in it and kept the bundled on-demand price");
            // QA 55b F10: EKS Auto Mode nodes priced at the bundled EC2 prices leave out Auto Mode's fee; a --catalog may hold it.
            java.nio.file.Files.writeString(auto, java.nio.file.Files.readString(java.nio.file.Path.of(SNAPSHOT))
                    .replace("\"eks.amazonaws.com/nodegroup\": \"general\",", "\"eks.amazonaws.com/compute-type\": \"auto\","));
            CliRunner bundled = CliRunner.run("consolidate", "--snapshot", auto.toString());
            assertThat(bundled.exitCode()).as(bundled.err()).isZero();
            assertThat(bundled.out()).contains("nodes are EKS Auto Mode's (eks.amazonaws.com/compute-type=auto): their cost leaves out");
            CliRunner own = CliRunner.run("consolidate", "--snapshot", auto.toString(), "--catalog", all.toString());
            assertThat(own.exitCode()).as(own.err()).isZero();
            assertThat(own.out()).doesNotContain("Auto Mode");
        } finally {
            java.nio.file.Files.delete(all);
            java.nio.file.Files.delete(some);
            java.nio.file.Files.deleteIfExists(auto);
        }
    }

    /**
     * QA 55b F5: a node with an 80 GB root disk running a pod that requests 30Gi of ephemeral storage was kept, the
     * candidates having the provider's default disk (20 GiB); a node of its group has its launch template's disk.
     */
    @Test
    void candidatesHaveTheClustersRootDisk() throws Exception {
        java.nio.file.Path snapshot = java.nio.file.Files.createTempFile("eph", ".json");
        try {
            java.nio.file.Files.writeString(snapshot, "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"kind\": \"Node\", "
                    + "\"metadata\": {\"name\": \"n1\", \"labels\": {\"node.kubernetes.io/instance-type\": \"m5.xlarge\", "
                    + "\"kubernetes.io/arch\": \"amd64\"}}, \"status\": {\"allocatable\": {\"cpu\": \"3920m\", \"memory\": \"15065360Ki\", "
                    + "\"pods\": \"58\", \"ephemeral-storage\": \"76224326324\"}, \"capacity\": {\"cpu\": \"4\", \"memory\": \"16Gi\", "
                    + "\"pods\": \"58\", \"ephemeral-storage\": \"83873772Ki\"}}}, {\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", "
                    + "\"namespace\": \"default\", \"ownerReferences\": [{\"kind\": \"ReplicaSet\", \"name\": \"rs\", \"controller\": true}]}, "
                    + "\"spec\": {\"nodeName\": \"n1\", \"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"1\", "
                    + "\"memory\": \"128Mi\", \"ephemeral-storage\": \"30Gi\"}}}]}, \"status\": {\"phase\": \"Running\"}}]}");
            CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("1 replaced by cheaper shapes").contains("root disk of the snapshot's worker nodes, 79.988 GiB");
            CliRunner small = CliRunner.run("consolidate", "--snapshot", snapshot.toString(), "--disk", "20Gi");
            assertThat(small.out()).contains("0 replaced").doesNotContain("root disk of the snapshot");
        } finally {
            java.nio.file.Files.delete(snapshot);
        }
    }

    @Test
    void badInputExitsTwo() {
        CliRunner negative = CliRunner.run("consolidate", "--snapshot", SNAPSHOT, "--max-disrupted-pods", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--max-disrupted-pods").contains("must be 0 or more");
        CliRunner missing = CliRunner.run("consolidate", "--snapshot", "nope.json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json").doesNotContain("\tat ");
        // The same file twice: every node read twice is an input error, not a plan that acts on a node twice (exit 1).
        CliRunner twice = CliRunner.run("consolidate", "--snapshot", SNAPSHOT + "," + SNAPSHOT);
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).startsWith("nodesizer: " + SNAPSHOT + ":").contains("is in the snapshot twice, twice on this line (a file on one line")
                .doesNotContain("\tat ");
    }

    /**
     * Two m6i.large with a pod each: the greedy plan removes one node and evicts its one pod, the optimizer repacks both. Its
     * note read "($0.0960/h after, 1 pods evicted)" (QA 61a F10).
     */
    @Test
    void theOptimizersNoteCountsOnePodAsOne(@TempDir Path dir) throws Exception {
        String node = """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"node.kubernetes.io/instance-type":"m6i.large",
                 "topology.kubernetes.io/zone":"us-east-1a","kubernetes.io/arch":"amd64","kubernetes.io/os":"linux"}},"spec":{},
                 "status":{"capacity":{"cpu":"2","memory":"7941508Ki","pods":"29"},"allocatable":{"cpu":"1930m","memory":"7087492Ki","pods":"29"}}}""";
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"shop","ownerReferences":[{"apiVersion":"apps/v1",
                 "kind":"ReplicaSet","name":"web-1","controller":true,"uid":"x"}]},"spec":{"nodeName":"%s","containers":[{"name":"app",
                 "image":"a","resources":{"requests":{"cpu":"200m","memory":"256Mi"}}}]},"status":{"phase":"Running"}}""";
        Path snapshot = Files.writeString(dir.resolve("two.json"), "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
                + String.join(",", node.formatted("n1"), node.formatted("n2"), pod.formatted("web-a", "n1"), pod.formatted("web-b", "n2")) + "]}");
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("than the greedy plan alone ($0.096/h after, 1 pod evicted)");
        // QA 73 F8: the table's saving as the headline and the notes write theirs, not "0.0960".
        assertThat(r.out()).doesNotContainPattern("\\d\\.\\d{3}0\\b");
    }
}
