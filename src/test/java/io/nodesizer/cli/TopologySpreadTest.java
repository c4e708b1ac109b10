package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nodesizer.cli.Deployments.deployment;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostname topology spread (DoNotSchedule) as a cap of maxSkew replicas per node, end to end. */
final class TopologySpreadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The zones of the zone-pinned tests, as `--zones` takes them. */
    private static final String ZONES = "us-east-1a,us-east-1b,us-east-1c";
    /** web's hard spread over zones, maxSkew 1, selecting its own pods. */
    private static final String ZONE_SPREAD = """
                    - maxSkew: 1
                      topologyKey: topology.kubernetes.io/zone
                      whenUnsatisfiable: DoNotSchedule
                      labelSelector: {matchLabels: {app: web}}
            """;

    @TempDir
    Path dir;

    private Path manifest(String constraints) throws Exception {
        Path f = dir.resolve("web.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 10
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, pod-template-hash: abc123}}
                    spec:
                      topologySpreadConstraints:
                %s
                      containers:
                        - name: web
                          resources: {requests: {cpu: 250m, memory: 256Mi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: batch, namespace: shop}
                spec:
                  replicas: 20
                  selector: {matchLabels: {app: batch}}
                  template:
                    metadata: {labels: {app: batch}}
                    spec:
                      containers:
                        - name: b
                          resources: {requests: {cpu: 250m, memory: 256Mi}}
                """.formatted(constraints));
        return f;
    }

    private static Map<String, Integer> webPerNode(Path assignments) throws Exception {
        Map<String, Integer> perNode = new HashMap<>();
        for (String line : Files.readAllLines(assignments)) {
            String[] f = line.split(",");
            if (f[0].startsWith("shop/web-")) {
                perNode.merge(f[1], 1, Integer::sum);
            }
        }
        return perNode;
    }

    /**
     * kube-scheduler admits a web pod where (web pods on the node + 1) − (fewest on any node) ≤
     * maxSkew: on one 16-CPU node all ten run (the fewest is their own count), and on 2-CPU nodes,
     * which capacity makes several, no node holds more than maxSkew above the node with the fewest
     * (counting nodes without any). The spread binds no node count (no bound part), where at most
     * maxSkew per node took five nodes before.
     */
    @Test
    void aNodeHoldsAtMostMaxSkewMoreThanTheFewestAndTheSpreadBindsNoCount() throws Exception {
        Path m = manifest("""
                        - maxSkew: 2
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                          matchLabelKeys: [pod-template-hash]
                """);
        Path out = dir.resolve("a.csv");
        for (String strategy : new String[] {"ffd", "bfd", "dot-product", "kube-most-allocated", "kube-least-allocated"}) {
            for (String node : new String[] {"aws:m5.4xlarge", "aws:m5.large"}) {
                CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", node, "--strategy", strategy, "-o", "json",
                        "--assignments", out.toString(), "--reproducible", "--quiet");
                assertThat(r.exitCode()).as(r.err()).isZero();
                JsonNode j = JSON.readTree(r.out());
                int nodes = j.path("nodes").asInt();
                assertThat(j.path("lowerBounds").has("anti-affinity/spread")).isFalse();
                assertThat(j.path("lowerBounds").has("anti-affinity")).isFalse();
                if (node.endsWith("4xlarge")) {
                    assertThat(nodes).as(strategy).isEqualTo(1);
                } else {
                    assertThat(nodes).as(strategy).isEqualTo(5); // 7 pods of 250m per 1.93-CPU node: capacity alone sets it
                }
                Map<String, Integer> perNode = webPerNode(out);
                int most = perNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                int fewest = perNode.size() < nodes ? 0 : perNode.values().stream().mapToInt(Integer::intValue).min().orElse(0);
                assertThat(most - fewest).as(strategy + " on " + node + ": " + perNode).isLessThanOrEqualTo(2);
                assertThat(perNode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
                assertThat(j.path("workload").path("notes").toString()).contains("hostname topology spread (DoNotSchedule)");
            }
        }
        CliRunner table = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--strategy", "ffd", "--quiet");
        assertThat(table.out()).containsPattern("nodes +1 +lower bound 1 \\(").doesNotContain("capacity alone");
        // Replay knows its nodes and takes the fewest over them, as kube-scheduler does
        // (HostnameFloorsReplayTest): once every node runs web pods, more than maxSkew may share one,
        // so the cluster the autoscaler grows stays below the packing's five nodes (the cluster
        // verifies every placement and recounts the floors at the end).
        CliRunner replay = CliRunner.run("replay", "--workload", m.toString(), "--synthetic", "diurnal", "--node", "aws:m5.4xlarge",
                "--duration", "1d", "-o", "json", "--reproducible", "--quiet");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(JSON.readTree(replay.out()).path("ranking").path(0).path("peakNodes").asInt()).isBetween(1, 4);
    }

    @Test
    void softZoneOrForeignSpreadsAreNotedAndPackedAsIfAbsent() throws Exception {
        Path m = manifest("""
                        - maxSkew: 1
                          topologyKey: topology.kubernetes.io/zone
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: ScheduleAnyway
                          labelSelector: {matchLabels: {app: web}}
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: other}}
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--strategy", "ffd", "-o", "json",
                "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("nodes").asInt()).isEqualTo(1);
        assertThat(j.path("workload").path("notes").toString()).contains("topology spread on topology.kubernetes.io/zone (shop/web")
                .contains("ScheduleAnyway (shop/web").contains("whose selector matches no pod of the workload binds nothing");
    }

    /**
     * Zone spread with --zones 3 and maxSkew 1: the 10 replicas that one m5.4xlarge holds go to
     * three nodes, one per zone, 4/3/3; the zone column of --assignments says where. Without
     * --zones it is one node and a note. recommend spreads the same way, and refuses a mix.
     */
    @Test
    void zoneSpreadOpensNodesInEveryZoneWithinMaxSkew() throws Exception {
        Path m = manifest(ZONE_SPREAD);
        Path out = dir.resolve("z.csv");
        for (String strategy : new String[] {"ffd", "bfd", "dot-product", "kube-most-allocated", "kube-least-allocated"}) {
            CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--strategy", strategy, "-o", "json",
                    "--zones", ZONES, "--assignments", out.toString(), "--reproducible", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode j = JSON.readTree(r.out());
            assertThat(j.path("nodes").asInt()).as(strategy).isGreaterThanOrEqualTo(3);
            Map<String, Integer> perZone = new HashMap<>();
            java.util.List<String> lines = Files.readAllLines(out);
            assertThat(lines.get(0)).isEqualTo("pod,node,shape,zone");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                if (f[0].startsWith("shop/web-")) {
                    perZone.merge(f[3], 1, Integer::sum);
                }
            }
            assertThat(perZone.keySet()).as(strategy).containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
            assertThat(perZone.values()).as(strategy).containsExactlyInAnyOrder(4, 3, 3);
            assertThat(j.path("workload").path("notes").toString()).contains("zone topology spread (DoNotSchedule)");
        }
        CliRunner one = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--strategy", "ffd", "-o", "json",
                "--reproducible", "--quiet");
        assertThat(JSON.readTree(one.out()).path("nodes").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(one.out()).path("workload").path("notes").toString()).contains("give --zones N");
        CliRunner rec = CliRunner.run("recommend", "--pods", m.toString(), "--catalog", "aws", "--families", "m5", "--zones", "3",
                "--min-nodes-per-pool", "1", "-o", "json", "--reproducible", "--quiet");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        for (JsonNode shape : JSON.readTree(rec.out()).path("shapes")) {
            assertThat(shape.path("nodes").asInt()).as(shape.path("shape").path("name").asText()).isGreaterThanOrEqualTo(3);
        }
        CliRunner survive = CliRunner.run("recommend", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,price=1", "--zones", "3",
                "--survive", "node", "--min-nodes-per-pool", "1", "-o", "json", "--reproducible", "--quiet");
        assertThat(survive.exitCode()).as(survive.err()).isZero();
        JsonNode sized = JSON.readTree(survive.out()).path("shapes").path(0);
        assertThat(sized.path("nodes").asInt() - sized.path("packedNodes").asInt()).as("a spare node per zone").isEqualTo(3);
        CliRunner zone = CliRunner.run("recommend", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,price=1", "--zones", "3",
                "--survive", "zone", "--min-nodes-per-pool", "1", "-o", "json", "--reproducible", "--quiet");
        assertThat(zone.exitCode()).as(zone.err()).isZero();
        JsonNode zoneSized = JSON.readTree(zone.out()).path("shapes").path(0);
        int total = 0;
        for (JsonNode n : zoneSized.path("nodesPerZone")) {
            total += n.asInt();
        }
        assertThat(zoneSized.path("nodesPerZone").size()).isEqualTo(3);
        // One node per zone holds the spread's share; without a zone two nodes hold 5 + 5, so the three survive a loss as they are.
        assertThat(total).isEqualTo(zoneSized.path("nodes").asInt()).isEqualTo(zoneSized.path("packedNodes").asInt()).isEqualTo(3);
        // The lost zone's NotReady nodes still count as a domain with none of web (nodeTaintsPolicy Ignore): its 4 stay Pending.
        assertThat(zoneSized.path("podsLeftOutAfterZoneLoss").asInt()).as("a spread's lost pods wait for their zone").isEqualTo(4);
        assertThat(JSON.readTree(zone.out()).path("workload").path("notes").toString()).contains("--survive zone with pods tied to their zones");
        CliRunner fleet = CliRunner.run("pack", "--pods", m.toString(), "--fleet", m.toString(), "--zones", "3", "--quiet");
        assertThat(fleet.exitCode()).isEqualTo(2);
        assertThat(fleet.err()).contains("--zones does not apply to --fleet").contains("keep their own zones");
        Path csv = dir.resolve("mix.csv");
        CliRunner mix = CliRunner.run("recommend", "--pods", m.toString(), "--catalog", "aws", "--families", "m5,c5", "--zones", "3",
                "--max-pools", "2", "--quiet", "-o", "json", "--assignments", csv.toString());
        assertThat(mix.exitCode()).as(mix.err()).isZero();
        assertThat(JSON.readTree(mix.out()).path("mix").path("costPerHour").asDouble()).isPositive();
        Map<String, Integer> webPerZone = new java.util.HashMap<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("shop/web-")) {
                webPerZone.merge(line.split(",")[3], 1, Integer::sum);
            }
        }
        assertThat(webPerZone.values()).as("the spread holds in the mix").containsExactlyInAnyOrder(4, 3, 3);
    }

    /**
     * replay --zones: the report names the zones (JSON, text, Markdown, HTML; the CSV is the bare
     * timeline); without --zones a note says the spread is replayed as if absent; a bad --zones
     * exits 2 as pack's does.
     */
    @Test
    void replayOverZonesNamesThemAndRefusesABadCount() throws Exception {
        Path m = manifest(ZONE_SPREAD);
        java.util.List<String> common = java.util.List.of("replay", "--workload", m.toString(), "--node", "aws:m5.4xlarge",
                "--autoscaler", "none", "--nodes", "3", "--reproducible", "--quiet");
        java.util.List<String> zoned = new java.util.ArrayList<>(common);
        zoned.addAll(java.util.List.of("--zones", "a,b,c"));
        CliRunner r = CliRunner.run(concat(zoned, "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("zones").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(j.path("pendingAtEnd").asInt()).isZero();
        assertThat(j.has("notes")).isFalse();
        for (String format : new String[] {"table", "markdown", "html"}) {
            CliRunner t = CliRunner.run(concat(zoned, "-o", format));
            assertThat(t.exitCode()).as(t.err()).isZero();
            assertThat(t.out()).as(format).contains("zones: a, b, c (each pool");
        }
        CliRunner flat = CliRunner.run(concat(common, "-o", "json"));
        assertThat(JSON.readTree(flat.out()).has("zones")).isFalse();
        assertThat(JSON.readTree(flat.out()).path("notes").toString()).contains("one domain without --zones");
        CliRunner bad = CliRunner.run(concat(common, "--zones", "0"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("The zone count (0) must be from 1 to 64.").doesNotContain("Exception");
    }

    private static String[] concat(java.util.List<String> args, String... more) {
        java.util.List<String> all = new java.util.ArrayList<>(args);
        all.addAll(java.util.List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * Two Deployments labelled tier=web, one spread by that selector: the scheduler counts both, and
     * a note names them; with matchLabelKeys [pod-template-hash] (which the Deployment controller
     * adds, so no template shows it) it counts the rollout's own pods only, and the note is gone.
     */
    @Test
    void aSharedSpreadSelectorIsNotedUnlessNarrowedToTheRollout() throws Exception {
        for (boolean perRollout : new boolean[] {false, true}) {
            Path f = dir.resolve("shared-" + perRollout + ".yaml");
            Files.writeString(f, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-a, namespace: shop}
                    spec:
                      replicas: 4
                      selector: {matchLabels: {app: web-a}}
                      template:
                        metadata: {labels: {app: web-a, tier: web}}
                        spec:
                          topologySpreadConstraints:
                            - maxSkew: 1
                              topologyKey: kubernetes.io/hostname
                              whenUnsatisfiable: DoNotSchedule
                              labelSelector: {matchLabels: {tier: web}}
                    %s
                          containers:
                            - name: web
                              resources: {requests: {cpu: 250m, memory: 256Mi}}
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-b, namespace: shop}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: web-b}}
                      template:
                        metadata: {labels: {app: web-b, tier: web}}
                        spec:
                          containers:
                            - name: web
                              resources: {requests: {cpu: 250m, memory: 256Mi}}
                    """.formatted(perRollout ? "          matchLabelKeys: [pod-template-hash]" : ""));
            CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "cpu=8,memory=32Gi", "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            String notes = JSON.readTree(r.out()).path("workload").path("notes").toString();
            if (perRollout) {
                assertThat(notes).doesNotContain("also selects");
            } else {
                assertThat(notes).contains("shop/web-a also selects shop/web-b");
            }
        }
    }

    @Test
    void aConstraintWithoutALabelSelectorSelectsNoPodAsTheApiHasIt() throws Exception {
        Path m = manifest("""
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--strategy", "ffd", "-o", "json",
                "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("nodes").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(r.out()).path("workload").path("notes").toString())
                .contains("whose selector matches no pod of the workload binds nothing");
    }

    @Test
    void matchLabelKeysWithoutALabelSelectorExitTwoAsTheApiServerRefusesThem() throws Exception {
        // ValidateMatchLabelKeysInTopologySpread: "must not be specified when labelSelector is not set". Was: packed,
        // the spread noted as selecting no pod (QA 68b F4).
        Path m = manifest("""
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          matchLabelKeys: [pod-template-hash]
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("The topology spread constraint at spec.template.spec.topologySpreadConstraints[0] has "
                + "matchLabelKeys but no labelSelector; the API server refuses matchLabelKeys when labelSelector is not set");
    }

    @Test
    void aBadConstraintNamesItsPlace() throws Exception {
        Path m = manifest("""
                        - maxSkew: 0
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("web.yaml:11").contains("topologySpreadConstraints[0] needs maxSkew").contains("found '0'");
        Path w = manifest("""
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: Sometimes
                """);
        r = CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.4xlarge", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("whenUnsatisfiable").contains("'Sometimes'");
        Path zero = manifest("""
                        - maxSkew: 1
                          minDomains: 0
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                """);
        r = CliRunner.run("pack", "--pods", zero.toString(), "--node", "aws:m5.4xlarge", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("topologySpreadConstraints[0].minDomains").contains("at least 1").contains("'0'");
        Path soft = manifest("""
                        - maxSkew: 1
                          minDomains: 3
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: ScheduleAnyway
                """);
        r = CliRunner.run("pack", "--pods", soft.toString(), "--node", "aws:m5.4xlarge", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("only with whenUnsatisfiable DoNotSchedule");
        Path many = manifest("""
                        - maxSkew: 1
                          minDomains: 5
                          topologyKey: topology.kubernetes.io/zone
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                """);
        r = CliRunner.run("pack", "--pods", many.toString(), "--node", "aws:m5.4xlarge", "--zones", "3", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("workload").path("notes").toString()).contains("minDomains 5 above the 3 zones");
    }

    /**
     * A small workload spread over the zones goes first, the rest beside it: 3 api pods of 0.5 CPU (maxSkew 1 over 3 zones)
     * and 4 web pods of 2 CPU take 4 nodes of 4 CPU (api and web in each zone, a web alone), where the strategies' own order
     * (web two to a node, then api a node each) took 5 (QA 51a F1); every strategy's count is checked.
     */
    @Test
    void aSmallZoneSpreadGoesFirstAndTheRestFillsBesideIt() throws Exception {
        Path f = dir.resolve("z.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 2, memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                        labelSelector: {matchLabels: {app: api}}}]
                      containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        for (String strategy : List.of("ffd", "bfd", "kube-most-allocated")) {
            CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "cpu=4,memory=16Gi,pods=110,name=n", "--overhead", "none",
                    "--zones", "3", "--strategy", strategy, "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode root = JSON.readTree(r.out());
            assertThat(root.path("nodes").asInt()).as(strategy).isEqualTo(4);
            assertThat(root.path("unschedulable")).isEmpty();
        }
    }

    /**
     * One zone (none given, or --zones 1) is one domain, fewer than minDomains: kube-scheduler counts the fewest as 0
     * (podtopologyspread filtering.go, minMatchNum), so of 10 pods maxSkew (2) run and 8 are unschedulable with the reason
     * (QA 51a F1: all ten were placed). A key every node carries alike (the instance type) is one domain too.
     */
    @Test
    void minDomainsAboveOneDomainLetsItHoldMaxSkew() throws Exception {
        Path m = manifest("""
                        - maxSkew: 2
                          minDomains: 3
                          topologyKey: topology.kubernetes.io/zone
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                """);
        for (String[] zones : List.of(new String[0], new String[] {"--zones", "1"}, new String[] {"--zones", "us-east-1a"})) {
            List<String> args = new java.util.ArrayList<>(List.of("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "-o", "json", "--quiet"));
            args.addAll(List.of(zones));
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode root = JSON.readTree(r.out());
            assertThat(root.path("unschedulable")).as(String.join(" ", zones)).hasSize(8);
            assertThat(root.path("unschedulable").get(0).path("reason").asText()).contains("minDomains 3 above the one domain")
                    .contains("at most maxSkew (2)");
        }
        Path type = manifest("""
                        - maxSkew: 1
                          minDomains: 2
                          topologyKey: node.kubernetes.io/instance-type
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                """);
        CliRunner r = CliRunner.run("pack", "--pods", type.toString(), "--node", "aws:m5.4xlarge", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("unschedulable")).hasSize(9);
        // With minDomains 1 one domain has no skew: all ten run.
        Path plain = manifest("""
                        - maxSkew: 2
                          topologyKey: topology.kubernetes.io/zone
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: web}}
                """);
        r = CliRunner.run("pack", "--pods", plain.toString(), "--node", "aws:m5.4xlarge", "-o", "json", "--quiet");
        assertThat(JSON.readTree(r.out()).path("unschedulable")).isEmpty();
    }

    /**
     * Spread workloads the pod rules place (api: required pod affinity to web on the zone; cache:
     * beside web on the hostname) spread by the scheduler's rule over the nodes too: 20 web, 20 api
     * and 10 cache pods of 0.5 CPU with maxSkew 1 take 4 m5.2xlarge (the bound), 7/7/6 web (and
     * api) apart by at most one, where at most maxSkew per node took 20 nodes.
     */
    @Test
    void spreadWorkloadsThePodRulesPlaceSpreadEvenlyToo() throws Exception {
        Path f = dir.resolve("ruled.yaml");
        String spread = """
                      topologySpreadConstraints:
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector: {matchLabels: {app: %s}}
                """;
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: shop}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                %3$s%4$s
                      containers:
                        - name: c
                          resources: {requests: {cpu: 500m, memory: 1Gi}}
                """;
        String toWebOn = """
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - labelSelector: {matchLabels: {app: web}}
                              topologyKey: %s
                """;
        Files.writeString(f, String.join("---\n",
                deployment.formatted("web", 20, "", spread.formatted("web")),
                deployment.formatted("api", 20, toWebOn.formatted("topology.kubernetes.io/zone"), spread.formatted("api")),
                deployment.formatted("cache", 10, toWebOn.formatted("kubernetes.io/hostname"), spread.formatted("cache"))));
        Path a = dir.resolve("a.csv");
        for (String zones : List.of("1", "3")) {
            CliRunner r = CliRunner.run("pack", "--pods", f.toString(), "--node", "aws:m5.2xlarge", "--zones", zones, "-o", "json",
                    "--assignments", a.toString(), "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode j = JSON.readTree(r.out());
            assertThat(j.path("unschedulablePods").asInt()).as(zones).isZero();
            assertThat(j.path("nodes").asInt()).as("zones %s: %s", zones, j.path("lowerBound")).isEqualTo(j.path("lowerBound").asInt());
            Map<String, Map<String, Integer>> perApp = new HashMap<>();
            for (String line : Files.readAllLines(a).subList(1, 51)) {
                String[] c = line.split(",");
                perApp.computeIfAbsent(c[0].substring(5, c[0].lastIndexOf('-')), k -> new HashMap<>()).merge(c[1], 1, Integer::sum);
            }
            for (String app : List.of("web", "api", "cache")) {
                Map<String, Integer> n = perApp.get(app);
                int nodes = j.path("nodes").asInt();
                int fewest = n.size() < nodes ? 0 : java.util.Collections.min(n.values());
                assertThat(java.util.Collections.max(n.values()) - fewest).as("zones %s, %s per node %s", zones, app, n).isLessThanOrEqualTo(1);
            }
        }
    }

    /**
     * One Deployment per zone, each pinned there by its node selector and spread over the hostname
     * with maxSkew 1: its domains are its zone's nodes (nodeAffinityPolicy Honor), so 40 replicas of
     * 0.5 CPU per zone on m5.2xlarge run 14/13/13 on three nodes of each zone, 9 nodes in all (at
     * most maxSkew per node took 120).
     */
    @Test
    void zonalDeploymentsSpreadOverTheirOwnZonesNodes() throws Exception {
        Path f = zonal(40);
        Path a = dir.resolve("z.csv");
        CliRunner r = packAcrossZones(f.toString(), "aws:m5.2xlarge", "-o", "json", "--assignments", a.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("nodes").asInt()).isEqualTo(9);
        // The bound knows each zone's pods need that zone's nodes: 3 per zone, not 8 in all.
        assertThat(JSON.readTree(r.out()).path("lowerBound").asInt()).isEqualTo(9);
        CliRunner big = packAcrossZones(f.toString(), "aws:m5.24xlarge", "--quiet");
        assertThat(big.out()).contains("nodes          3   lower bound 3 (zones; capacity alone 1), gap 0.0 %");
        // Mixed pools keep that packing where no mix beats it, and their verifier counts the same
        // domains (it took every node and failed the mix as a bug).
        CliRunner mixed = CliRunner.run("recommend", "--pods", f.toString(), "--families", "c5", "--zones",
                ZONES, "--max-pools", "2", "--survive", "zone", "--quiet");
        assertThat(mixed.exitCode()).as(mixed.err()).isZero();
        // 3 per zone: the packings without a zone hold 3 per zone too (12 before the even tries
        // halved their way back down from a try that jumped past its N).
        assertThat(mixed.out()).contains("one shape wins: no mix of up to 2 shapes beats c5.2xlarge × 9");
        assertThat(mixed.out()).contains("c5.2xlarge: us-east-1a 3, us-east-1b 3, us-east-1c 3 nodes");
        Map<String, Map<String, Integer>> perZone = new HashMap<>();
        for (String line : Files.readAllLines(a).subList(1, 121)) {
            String[] c = line.split(",");
            assertThat(c[3]).as(line).isEqualTo("us-east-1" + c[0].charAt(9));
            perZone.computeIfAbsent(c[3], k -> new HashMap<>()).merge(c[1], 1, Integer::sum);
        }
        assertThat(perZone).hasSize(3);
        perZone.values().forEach(n -> assertThat(n.values()).as("%s", n).containsExactlyInAnyOrder(14, 13, 13));
    }

    /**
     * QA 39b finding 5: db (12 × 0.5 CPU) pinned to us-east-1b, spread on the hostname with
     * nodeAffinityPolicy Ignore, beside 30 unconstrained web pods. Ignore counts every node as a
     * domain, so a node in another zone would cap each node at maxSkew; but nothing needs one: five
     * nodes in us-east-1b hold db 3/3/2/2/2 (skew 1 over every node). It took 12, one db each.
     */
    @Test
    void aZonePinnedIgnoreSpreadOpensNodesOnlyWhereItCanGo() throws Exception {
        Path f = dir.resolve("ignore.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db}
                spec:
                  replicas: 12
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1b}
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Ignore,
                         labelSelector: {matchLabels: {app: db}}}
                      containers:
                      - {name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 30
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
                """);
        CliRunner r = packAcrossZones(f.toString(), "aws:m5.2xlarge", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("nodes").asInt()).isEqualTo(5);
    }

    /**
     * QA 68b F1: --survive node takes a lost node as gone; a hard hostname spread under nodeTaintsPolicy Ignore (the default)
     * counts a NotReady Node that remains as a domain with none, so the note says what the sizing assumes; under Honor it
     * need not.
     */
    @Test
    void surviveNodeSaysALostNodeIsTakenAsGoneForAHostnameSpread() throws Exception {
        for (String policy : new String[] {"", ", nodeTaintsPolicy: Honor"}) {
            Path f = manifest("          - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, "
                    + "labelSelector: {matchLabels: {app: web}}" + policy + "}");
            CliRunner r = CliRunner.run("recommend", "--pods", f.toString(), "--node", "cpu=4,memory=16Gi,price=0.2", "--survive", "node",
                    "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            if (policy.isEmpty()) {
                assertThat(r.out()).contains("--survive node takes a lost node as gone, its Node object deleted")
                        .contains("the hard hostname spreads of shop/web (nodeTaintsPolicy Ignore, the default)");
            } else {
                assertThat(r.out()).doesNotContain("takes a lost node as gone");
            }
        }
    }

    /** One Deployment per zone of us-east-1a/b/c, {@code replicas} × 0.5 CPU each, pinned there and spread on the hostname with maxSkew 1. */
    private Path zonal(int replicas) throws Exception {
        StringBuilder m = new StringBuilder();
        for (String z : List.of("a", "b", "c")) {
            m.append("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-%1$s, namespace: shop}
                    spec:
                      replicas: %2$d
                      selector: {matchLabels: {app: web-%1$s}}
                      template:
                        metadata: {labels: {app: web-%1$s}}
                        spec:
                          nodeSelector: {topology.kubernetes.io/zone: us-east-1%1$s}
                          topologySpreadConstraints:
                            - maxSkew: 1
                              topologyKey: kubernetes.io/hostname
                              whenUnsatisfiable: DoNotSchedule
                              labelSelector: {matchLabels: {app: web-%1$s}}
                          containers:
                            - name: c
                              resources: {requests: {cpu: 500m, memory: 1Gi}}
                    ---
                    """.formatted(z, replicas));
        }
        Path f = dir.resolve("zonal-" + replicas + ".yaml");
        Files.writeString(f, m.toString());
        return f;
    }

    /**
     * Replay counts only a pinned workload's zone's nodes as its spread's domains too (the hostname
     * floors per pool and zone): six fixed nodes over three zones run 14 pinned replicas per zone
     * 7/7 on that zone's two nodes, none pending, where the other zones' nodes, holding none, kept
     * them at one per node (36 of 42 pending all day).
     */
    @Test
    void replayCountsAPinnedSpreadOverItsZonesNodes() throws Exception {
        CliRunner r = CliRunner.run("replay", "--workload", zonal(14).toString(), "--node", "aws:m5.2xlarge", "--autoscaler", "none",
                "--nodes", "6", "--zones", ZONES, "--duration", "1d", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("pending: 0 of 42 pods waited");
    }

    /**
     * CA's estimate counts a new node as a pinned spread's domain only in that workload's zone
     * ({@code SnapshotFloors} with the estimate's zones), and so does its look at what the
     * provisioning nodes will take ({@code Headroom}): 40 replicas per zone over a diurnal day peak
     * at 9 m5.2xlarge (the packing's 9), where provisioning nodes of other zones held them to one per
     * node (13), new nodes of the other zones the estimate (29) and, before the floors were per
     * zone, every node (126).
     */
    @Test
    void theClusterAutoscalersEstimateCountsAPinnedSpreadInItsZone() throws Exception {
        CliRunner r = CliRunner.run("replay", "--workload", zonal(40).toString(), "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--autoscaler", "ca", "--zones", ZONES, "--duration", "1d", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"peakNodes\"");
        int peak = JSON.readTree(r.out()).findValue("peakNodes").asInt();
        assertThat(peak).isBetween(9, 10);
    }

    /**
     * The bound part "spread beside a repelled pod" (the repelled pod's node holds none, so the
     * fewest is 0) holds only where that node is a domain: 13 replicas pinned to us-east-1a, maxSkew
     * 1, repelling x, run on the zone's one node with x in another zone, 2 nodes; the part said 14
     * and the packing took 14.
     */
    @Test
    void aPinnedSpreadIsNotBoundedByARepelledPodInAnotherZone() throws Exception {
        Path f = dir.resolve("rep.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-a}
                spec:
                  replicas: 13
                  selector: {matchLabels: {app: web-a}}
                  template:
                    metadata: {labels: {app: web-a}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1a}
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - {labelSelector: {matchLabels: {app: x}}, topologyKey: kubernetes.io/hostname}
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule,
                           labelSelector: {matchLabels: {app: web-a}}}
                      containers:
                        - {name: c, resources: {requests: {cpu: 250m, memory: 256Mi}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - {name: c, resources: {requests: {cpu: 250m, memory: 256Mi}}}
                """);
        JsonNode j = packedAcrossZones(f.toString(), "aws:m5.4xlarge");
        assertThat(j.path("nodes").asInt()).isEqualTo(2);
        assertThat(j.path("lowerBound").asInt()).isLessThanOrEqualTo(2);
    }

    /**
     * An even try for a spread the rules place (a workload pinned to one named zone) opens its
     * nodes up front in that workload's zones: round-robin over all three left the other zones'
     * nodes empty, so the try stepped back to fewer nodes that were too few, back and forth, and the
     * capped packing (one per node) stayed: 20 replicas of 500m pinned to us-east-1b took 20
     * m5.2xlarge where 2 hold them 10/10, and replay's fixed size (pack at peak, ffd) was 61.
     */
    @Test
    void anEvenTryForASpreadPinnedToOneZoneOpensItsNodesThere() throws Exception {
        Path f = dir.resolve("pinned-one.yaml");
        Files.writeString(f, deployment("pb", 20, inZone("us-east-1b") + hostnameSpread("pb", 1), "500m", "1Gi"));
        for (String strategy : List.of("ffd", "kube-least-allocated")) {
            Path a = dir.resolve("pinned-one-" + strategy + ".csv");
            CliRunner r = packAcrossZones(f.toString(), "aws:m5.2xlarge", "--strategy", strategy, "--assignments", a.toString(), "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(JSON.readTree(r.out()).path("nodes").asInt()).as(strategy).isEqualTo(2);
            List<String> rows = Files.readAllLines(a).subList(1, 21);
            assertThat(rows).allMatch(row -> row.endsWith(",us-east-1b"));
            Map<String, Long> perNode = rows.stream().collect(java.util.stream.Collectors.groupingBy(row -> row.split(",")[1],
                    java.util.stream.Collectors.counting()));
            assertThat(perNode.values()).containsOnly(10L);
        }
        CliRunner fixed = CliRunner.run("replay", "--workload", f.toString(), "--synthetic", "diurnal", "--node", "aws:m5.2xlarge",
                "--autoscaler", "none", "--zones", ZONES, "--duration", "1d", "-o", "json", "--quiet");
        assertThat(fixed.exitCode()).as(fixed.err()).isZero();
        assertThat(JSON.readTree(fixed.out()).findValue("peakNodes").asInt()).isLessThanOrEqualTo(6);
    }

    /**
     * The even try's up-front nodes go where workloads pinned to a zone need them
     * ({@code engine/TryZones}): 12 db (1 CPU, 4 GiB) pinned to us-east-1a with a hostname spread
     * beside 40 unpinned web (500m, 1 GiB) spread maxSkew 1, on c5.2xlarge. Round-robin gave zone
     * a a third of the try's nodes, db could only stack maxSkew per node or open more, and the
     * packing took 13 nodes; with the nodes db needs beside web's even share in its zone it takes 6
     * (the bound: 2 db and 6–7 web on each, all in us-east-1a). With minDomains 5 on db (8 of
     * 500m/1 GiB) it took 13 and takes 5.
     */
    @Test
    void aWorkloadPinnedToAZoneGetsTheEvenTrysNodesItNeedsThere() throws Exception {
        String web = deployment("web", 40, hostnameSpread("web", 1), "500m", "1Gi");
        record Case(String name, String manifest, int nodes, int dbs) {
        }
        for (Case c : List.of(new Case("pinned", deployment("db", 12, inZone("us-east-1a") + hostnameSpread("db", 1), "\"1\"", "4Gi") + web, 6, 12),
                new Case("min-domains", deployment("db", 8, inZone("us-east-1a") + hostnameSpread("db", 1, "minDomains: 5, "), "500m", "1Gi") + web, 5, 8))) {
            Path f = dir.resolve(c.name() + ".yaml");
            Files.writeString(f, c.manifest());
            for (String strategy : List.of("ffd", "kube-least-allocated")) {
                Path a = dir.resolve(c.name() + "-" + strategy + ".csv");
                CliRunner r = packAcrossZones(f.toString(), "aws:c5.2xlarge", "--os-memory", "0", "--strategy", strategy, "--assignments", a.toString(), "-o", "json", "--quiet");
                assertThat(r.exitCode()).as(r.err()).isZero();
                JsonNode out = JSON.readTree(r.out());
                assertThat(out.path("nodes").asInt()).as(c.name() + " " + strategy).isEqualTo(c.nodes());
                assertThat(out.path("unschedulable").size()).isZero();
                Map<String, Integer> dbs = new HashMap<>();
                Map<String, Integer> webs = new HashMap<>();
                java.util.Set<String> inZoneA = new java.util.HashSet<>();
                for (String row : Files.readAllLines(a).subList(1, c.dbs() + 41)) {
                    String[] col = row.split(",");
                    if (row.endsWith(",us-east-1a")) {
                        inZoneA.add(col[1]);
                    }
                    if (col[0].startsWith("db-")) {
                        assertThat(row).endsWith(",us-east-1a");
                        dbs.merge(col[1], 1, Integer::sum);
                    } else {
                        webs.merge(col[1], 1, Integer::sum);
                    }
                }
                assertThat(webs).hasSize(c.nodes());
                assertThat(java.util.Collections.max(webs.values()) - java.util.Collections.min(webs.values())).isLessThanOrEqualTo(1);
                assertThat(dbs.keySet()).as("db's domains: every us-east-1a node holds one").isEqualTo(inZoneA);
                assertThat(java.util.Collections.max(dbs.values()) - java.util.Collections.min(dbs.values())).isLessThanOrEqualTo(1);
            }
        }
        // On m5.large the try at the bound (17) lets the rest open nodes up to 29, where it holds;
        // halving back down finds 26 (12 db with one web each, 28 web two per node: kube's rule holds).
        CliRunner small = packAcrossZones(dir.resolve("pinned.yaml").toString(), "aws:m5.large", "-o", "json", "--quiet");
        assertThat(small.exitCode()).as(small.err()).isZero();
        assertThat(JSON.readTree(small.out()).path("nodes").asInt()).isEqualTo(26);
    }

    /**
     * Found by a random-manifest comparison against 1d4d055 (review-17): 35 db (750m, 2 GiB) pinned
     * to us-east-1b with a hostname spread, beside 5 api (maxSkew 3) and 28 web (maxSkew 2, pod
     * affinity to api on the zone), on c5.2xlarge. The tries' nodes where db needs them
     * ({@code engine/TryZones}) held for no N, and the capped packing (db one per node) stayed: 36
     * nodes where the round-robin tries held on 17. The engine now also runs the round-robin tries
     * and keeps the better.
     */
    @Test
    void zonePlannedTriesThatNeverHoldDoNotLoseTheRoundRobinOnes() throws Exception {
        String manifest = deployment("db", 35, inZone("us-east-1b") + hostnameSpread("db", 1), "750m", "2Gi")
                + deployment("api", 5, hostnameSpread("api", 3), "500m", "256Mi")
                + deployment("web", 28, hostnameSpread("web", 2) + affinityTo("api", "topology.kubernetes.io/zone"), "250m", "2Gi");
        Path f = dir.resolve("pinned-beside-zone-affinity.yaml");
        Files.writeString(f, manifest);
        for (String strategy : List.of("ffd", "kube-least-allocated")) {
            JsonNode out = packedAcrossZones(f.toString(), "aws:c5.2xlarge", "--strategy", strategy);
            assertThat(out.path("unschedulable").size()).isZero();
            // 17 at 1d4d055 (round-robin tries) and with the fix; 36 with the zone-planned tries alone.
            assertThat(out.path("nodes").asInt()).as(strategy).isLessThanOrEqualTo(17);
        }
    }

    /**
     * Found by the random-manifest comparison (review-17): 3 api pinned to us-east-1a and 20 cache
     * beside them (pod affinity on the hostname, hostname spread maxSkew 1), on c5.2xlarge. The
     * capped packing puts one cache beside the api node and leaves 19 out; the even try on 1 node
     * (all 23 pods fit, one node is the spread's only domain) was never made, since the tries
     * stopped at the capped packing's node count whatever it left out. A try on as many nodes now
     * runs while the kept packing leaves pods out by a rule: 1 node, none left out (19 at 1d4d055).
     */
    @Test
    void anEvenTryOnAsManyNodesPlacesWhatTheCappedPackingLeftOut() throws Exception {
        String manifest = deployment("api", 3, inZone("us-east-1a"), "500m", "1Gi")
                + deployment("cache", 20, inZone("us-east-1a") + hostnameSpread("cache", 1) + affinityTo("api", "kubernetes.io/hostname"), "250m", "512Mi");
        Path f = dir.resolve("cache-beside-pinned-api.yaml");
        Files.writeString(f, manifest);
        for (String strategy : List.of("ffd", "kube-least-allocated")) {
            JsonNode out = packedAcrossZones(f.toString(), "aws:c5.2xlarge", "--strategy", strategy);
            // 3 × 500m + 20 × 250m = 6.5 CPU of c5.2xlarge's 7.91 allocatable: one node.
            assertThat(out.path("unschedulable").size()).as(strategy).isZero();
            assertThat(out.path("nodes").asInt()).as(strategy).isEqualTo(1);
        }
    }

    /**
     * QA 68b F6: reporter's zone affinity to db admits zone a, which runs db; its zone spread then refuses a second one
     * there while another zone has a node and none. The reason names the spread, as kube-scheduler's does ("didn't match
     * pod topology spread constraints"), not the affinity the pods meet.
     */
    @Test
    void aPodItsZoneSpreadRefusesInTheZonesItsAffinityAdmitsIsToldOfTheSpread() throws Exception {
        Path f = dir.resolve("reporter.yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1a}
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 6
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: reporter}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: reporter}}
                  template:
                    metadata: {labels: {app: reporter}}
                    spec:
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: db}}
                            topologyKey: topology.kubernetes.io/zone
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: reporter}}}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        JsonNode out = packedAcrossZones(f.toString(), "cpu=4,memory=16Gi");
        assertThat(out.toString()).contains("the zones its required pod affinity on the zone admits (those that "
                + "run a pod its terms select: db) are full for it under its topology spread over the zones")
                .doesNotContain("admits only the zones that run a pod its terms select");
    }

    /** `pack --pods PODS --node NODE --zones ZONES` and {@code more}. */
    private static CliRunner packAcrossZones(String pods, String node, String... more) {
        return CliRunner.run(concat(List.of("pack", "--pods", pods, "--node", node, "--zones", ZONES), more));
    }

    /** {@link #packAcrossZones} with {@code -o json --quiet}: its JSON, after checking it exited 0. */
    private static JsonNode packedAcrossZones(String pods, String node, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(more));
        args.addAll(List.of("-o", "json", "--quiet"));
        CliRunner r = packAcrossZones(pods, node, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** A node selector naming {@code zone}, as pod spec fields. */
    private static String inZone(String zone) {
        return "nodeSelector: {topology.kubernetes.io/zone: " + zone + "}\n";
    }

    /** {@code app}'s own hard hostname spread with {@code maxSkew}, as pod spec fields. */
    private static String hostnameSpread(String app, int maxSkew) {
        return hostnameSpread(app, maxSkew, "");
    }

    /** As above, with {@code more} fields of the constraint (e.g. {@code "minDomains: 5, "}). */
    private static String hostnameSpread(String app, int maxSkew, String more) {
        return "topologySpreadConstraints:\n  - {maxSkew: " + maxSkew + ", " + more
                + "topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: " + app + "}}}\n";
    }

    /** Required pod affinity to {@code app}'s pods on {@code topologyKey}, as pod spec fields. */
    private static String affinityTo(String app, String topologyKey) {
        return "affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
                + "      - {labelSelector: {matchLabels: {app: " + app + "}}, topologyKey: " + topologyKey + "}\n";
    }

    /**
     * The zones bound counts what a DoNotSchedule zone spread forces into each zone beside the pods pinned there: 7 web pods
     * of 1 CPU over three zones with maxSkew 1 (at least 2 a zone) and 5 pinned to one zone need 7 CPU there, two 4-CPU
     * nodes, and a node in each other zone: 4, which the packing reaches. The bound said 3 and the gap 33 % (QA 60b F2).
     */
    @Test
    void theZonesBoundCountsTheSpreadsFloorBesideThePinnedPods(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path m = dir.resolve("zs.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 7
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 1, memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: pinned}
                spec:
                  replicas: 5
                  selector: {matchLabels: {app: pinned}}
                  template:
                    metadata: {labels: {app: pinned}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1a}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 1, memory: 1Gi}}}]
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110", "--zones",
                "us-east-1a,us-east-1b,us-east-1c", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("nodes").asInt()).isEqualTo(4);
        assertThat(j.path("lowerBound").asInt()).isEqualTo(4);
        assertThat(j.path("lowerBoundMethod").asText()).isEqualTo("zones");
    }

    /**
     * QA 61b F1: a spread with nodeAffinityPolicy Ignore counts zone c, where its node affinity keeps it out, so the fewest
     * stays 0 and each of a and b holds one of its pods (two left out); the workload pinned to c shares no node with them.
     * 3 nodes, which the packing takes: the bound said 1 (then 2) and a 200 % gap.
     */
    @Test
    void aSpreadThatCountsAZoneItCannotUseHoldsMaxSkewAZone(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path m = dir.resolve("ignore.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                            - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b]}]
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Ignore,
                         labelSelector: {matchLabels: {app: api}}}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: other}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: other}}
                  template:
                    metadata: {labels: {app: other}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1c}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--zones", "us-east-1a,us-east-1b,us-east-1c",
                "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("nodes").asInt()).isEqualTo(3);
        assertThat(j.path("lowerBound").asInt()).isEqualTo(3);
        assertThat(j.path("lowerBoundMethod").asText()).isEqualTo("zone spread caps");
    }

    /**
     * Review 61: minDomains above the zones keeps each zone at maxSkew, so 3 of 10 replicas run over 3 zones; the zone
     * spread caps stay within the zones open to it (they had said 10 over all the replicas, sizing the packing's tries).
     */
    @Test
    void theZoneSpreadCapsStayWithinTheZonesOpenToIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path m = dir.resolve("md.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 10
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                      - {maxSkew: 1, minDomains: 5, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                         labelSelector: {matchLabels: {app: web}}}
                      containers: [{name: c, image: x, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--zones", "3", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("nodes").asInt()).isEqualTo(3);
        assertThat(j.path("lowerBound").asInt()).isEqualTo(3);
        assertThat(j.path("unschedulable").size()).isEqualTo(7);
    }

    /**
     * QA 68b F2: a zone spread with minDomains 2 (at most the 3 zones, so the fewest is the real one) beside plain
     * Deployments. FFD leaves a gap, so the optimizer packs the flat view (the nodes in one zone, zones given after); that
     * view took the one zone for a real one-zone cluster, where minDomains caps api at maxSkew (2), and verifying the
     * start against it threw (exit 1, "internal error"). Now pack and recommend exit 0 with every api pod placed and the
     * zones within maxSkew of the fewest, verified against the rules over the 3 zones.
     */
    @Test
    void aZoneSpreadWithMinDomainsBesidePlainWorkloadsIsOptimized() throws Exception {
        Path m = dir.resolve("f2.yaml");
        Files.writeString(m, deployment("api", 6, """
                topologySpreadConstraints:
                - {maxSkew: 2, minDomains: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                   labelSelector: {matchLabels: {app: api}}}
                """, "500m", "128Mi") + deployment("p0", 5, "", "2", "1Gi") + deployment("p1", 5, "", "1500m", "4Gi")
                + deployment("p2", 3, "", "2500m", "128Mi"));
        Path csv = dir.resolve("f2.csv");
        JsonNode j = everyPodOnFourCpuNodes(m, "3", csv);
        assertThat(j.path("strategies").toString()).contains("nodes in one zone"); // the optimizer's flat view ran
        Map<String, Integer> apiPerZone = new HashMap<>(Map.of("zone-1", 0, "zone-2", 0, "zone-3", 0));
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f[0].startsWith("api-")) {
                apiPerZone.merge(f[3], 1, Integer::sum);
            }
        }
        assertThat(apiPerZone.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
        int most = apiPerZone.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int fewest = apiPerZone.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertThat(most - fewest).as("api per zone %s", apiPerZone).isLessThanOrEqualTo(2);
        CliRunner rec = CliRunner.run("recommend", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,price=0.2", "--zones", "3",
                "-o", "json", "--quiet");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        JsonNode row = JSON.readTree(rec.out()).path("shapes").get(0);
        assertThat(row.path("unschedulable")).isEmpty();
        assertThat(row.path("packedNodes").asInt()).isEqualTo(j.path("nodes").asInt());
    }

    /**
     * Review 75 F4: {@code labelSelector: {}} on a spread is labels.Everything(), which podtopologyspread's
     * countPodsMatchSelector counts as no pod (selector.Empty()): the constraint never refuses a node, so MostAllocated
     * stacks all four web pods beside the batch pods; counting every pod of the namespace had spread them 2/2. With a
     * matchLabelKeys value merged in, the selector is the pod's own values and spreads as before.
     */
    @Test
    void aSpreadWithAnEmptyLabelSelectorCountsNothing() throws Exception {
        String spread = """
                topologySpreadConstraints:
                - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {}%s}
                """;
        for (boolean merged : new boolean[] {false, true}) {
            Path m = dir.resolve("empty-" + merged + ".yaml");
            Files.writeString(m, deployment("batch", 2, "", "1500m", "1Gi")
                    + deployment("web", 4, spread.formatted(merged ? ", matchLabelKeys: [app]" : ""), "100m", "100Mi"));
            Path out = dir.resolve("empty-" + merged + ".csv");
            CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--strategy", "kube-most-allocated",
                    "--assignments", out.toString(), "--reproducible", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            Map<String, Integer> perNode = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("web-")) {
                    perNode.merge(line.split(",")[1], 1, Integer::sum);
                }
            }
            assertThat(perNode.values()).as("web per node, matchLabelKeys merged: " + merged)
                    .containsExactlyInAnyOrderElementsOf(merged ? List.of(2, 2) : List.of(4));
        }
    }

    /**
     * Review 78: w0 (2 × 1 CPU) pinned to zone a by its selector, spread over the zones (maxSkew 2) and the hostname (maxSkew
     * 1). kube-scheduler counts as its domains only the nodes its selector admits (nodeAffinityPolicy Honor, the default:
     * podtopologyspread/common.go, matchNodeInclusionPolicies), so its zone spread has the one domain a and binds nothing, and
     * both pods may share the one zone-a node (skew 0 over zone a's nodes). The rule path kept one per node, a second
     * zone-a node: 3 nodes where 2, the bound, hold every pod (w2's zone spread needs a zone-b node either way).
     */
    @Test
    void aWorkloadPinnedToOneZoneSpreadsOverThatZonesNodesOnly() throws Exception {
        Path csv = dir.resolve("pinned.csv");
        Files.writeString(csv, """
                name,cpu,memory,replicas,selector,spread
                w0,1,1Gi,2,topology.kubernetes.io/zone=a,zone:2;hostname:1
                w1,1,1Gi,3,,
                w2,500m,512Mi,4,,zone:1
                w3,500m,512Mi,2,,
                """);
        Path a = dir.resolve("pinned-a.csv");
        JsonNode j = everyPodOnFourCpuNodes(csv, "a,b", a);
        assertThat(j.path("nodes").asInt()).isEqualTo(2);
        assertThat(j.path("lowerBound").asInt()).isEqualTo(2);
        Map<String, Integer> w0 = new HashMap<>();
        for (String line : Files.readAllLines(a)) {
            String[] f = line.split(",");
            if (f[0].startsWith("w0-")) {
                assertThat(f[3]).as(line).isEqualTo("a");
                w0.merge(f[1], 1, Integer::sum);
            }
        }
        assertThat(w0.values()).containsExactly(2);
    }

    /** `pack` of {@code pods} on 4-CPU nodes over {@code zones}, its assignments to {@code assignments}: its JSON, after checking it exited 0 with every pod placed. */
    private static JsonNode everyPodOnFourCpuNodes(Path pods, String zones, Path assignments) throws Exception {
        CliRunner r = CliRunner.run("pack", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi", "--zones", zones, "-o", "json",
                "--quiet", "--assignments", assignments.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.path("unschedulable")).isEmpty();
        return j;
    }
}
