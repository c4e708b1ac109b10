package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Node selectors, required node affinity, tolerations and node labels/taints, end to end. */
final class PlacementCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path p = dir.resolve("w.csv");
        Files.writeString(p, text);
        return p;
    }

    private static JsonNode json(CliRunner r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void aSelectorNeedsTheLabelOnTheShapeAndATaintNeedsAToleration() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector,tolerations
                web,500m,1Gi,4,,
                batch,1,2Gi,3,"workload=batch,tier in (a,b)",dedicated=batch:NoSchedule
                """);
        JsonNode plain = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none", "-o", "json"));
        assertThat(plain.get("unschedulable")).hasSize(3);
        assertThat(plain.get("unschedulable").get(0).get("reason").asText())
                .contains("required node affinity is not met by the node's labels").contains("workload In [batch]");
        JsonNode labelled = json(CliRunner.run("pack", "--pods", w.toString(), "--node",
                "cpu=8,memory=32Gi,labels=workload=batch;tier=a", "--overhead", "none", "-o", "json"));
        assertThat(labelled.get("unschedulable")).isEmpty();
        JsonNode tainted = json(CliRunner.run("pack", "--pods", w.toString(), "--node",
                "cpu=8,memory=32Gi,labels=workload=batch;tier=b,taints=dedicated=batch:NoSchedule", "--overhead", "none", "-o", "json"));
        // Only the batch pods tolerate the taint; web cannot run there.
        assertThat(tainted.get("unschedulable")).hasSize(4);
        assertThat(tainted.get("unschedulable").get(0).get("reason").asText()).contains("taint dedicated=batch:NoSchedule");
        JsonNode preferred = json(CliRunner.run("pack", "--pods", w.toString(), "--node",
                "cpu=8,memory=32Gi,labels=workload=batch;tier=a,taints=spot=true:PreferNoSchedule", "--overhead", "none", "-o", "json"));
        assertThat(preferred.get("unschedulable")).isEmpty(); // PreferNoSchedule only scores
    }

    @Test
    void catalogShapesCarryTheWellKnownLabels() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector
                arm,500m,1Gi,2,kubernetes.io/arch=arm64
                family,500m,1Gi,2,karpenter.k8s.aws/instance-family in (m6g)
                zoned,500m,1Gi,2,topology.kubernetes.io/zone=us-east-1a
                """);
        JsonNode amd = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.large", "-o", "json"));
        assertThat(amd.get("unschedulable")).hasSize(4); // arm and family; the zone is per node, taken as satisfiable
        JsonNode arm = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m6g.large", "-o", "json"));
        assertThat(arm.get("unschedulable")).isEmpty();
    }

    /**
     * Karpenter's well-known instance labels on AWS shapes: category, generation, size, vCPUs,
     * memory (MiB), GPU name and count, as Karpenter labels the nodes it launches.
     */
    @Test
    void awsShapesCarryKarpentersInstanceLabels() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector
                compute,500m,1Gi,1,karpenter.k8s.aws/instance-category in (c)
                recent,500m,1Gi,1,karpenter.k8s.aws/instance-generation>5
                sized,500m,1Gi,1,karpenter.k8s.aws/instance-size=xlarge
                cores,500m,1Gi,1,karpenter.k8s.aws/instance-cpu=4
                memory,500m,1Gi,1,karpenter.k8s.aws/instance-memory=8192
                t4,500m,1Gi,1,karpenter.k8s.aws/instance-gpu-name=t4
                """);
        java.util.function.Function<String, java.util.List<String>> refused = shape -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            try {
                json(CliRunner.run("pack", "--pods", w.toString(), "--node", shape, "-o", "json")).get("unschedulable")
                        .forEach(u -> out.add(u.path("pod").asText().replaceAll("-\\d+$", "")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        };
        // c5.xlarge: category c, generation 5, size xlarge, 4 vCPUs, 8,192 MiB, no GPU.
        assertThat(refused.apply("aws:c5.xlarge")).containsExactlyInAnyOrder("recent", "t4");
        // g4dn.xlarge: category g, generation 4, 4 vCPUs, 16,384 MiB, one T4.
        assertThat(refused.apply("aws:g4dn.xlarge")).containsExactlyInAnyOrder("compute", "recent", "memory");
        // m7i.2xlarge: generation 7.
        assertThat(refused.apply("aws:m7i.2xlarge")).containsExactlyInAnyOrder("compute", "sized", "cores", "memory", "t4");
    }

    @Test
    void aNodeGroupSelectorIsTakenAsSatisfiableUnlessTheShapeSaysOtherwise() throws Exception {
        Path w = csv("name,cpu,memory,replicas,selector\nweb,500m,1Gi,2,eks.amazonaws.com/nodegroup=general\n");
        assertThat(json(CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.large", "-o", "json")).get("unschedulable")).isEmpty();
        assertThat(json(CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.large,labels=eks.amazonaws.com/nodegroup=batch",
                "-o", "json")).get("unschedulable")).hasSize(2);
    }

    @Test
    void mixedPoolsPutEachPodOnAShapeItMayUse() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector,tolerations
                general,1,2Gi,10,,
                gpu-side,1,2Gi,4,pool=special,dedicated=special:NoSchedule
                """);
        JsonNode r = json(CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=plain",
                "--node", "cpu=4,memory=16Gi,price=0.3,name=special,labels=pool=special,taints=dedicated=special:NoSchedule",
                "--max-pools", "2", "--strategies", "ffd", "--quiet", "-o", "json"));
        JsonNode mix = r.get("mix");
        assertThat(mix).isNotNull();
        assertThat(mix.get("pools")).hasSize(2);
        Path assignments = dir.resolve("a.csv");
        CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=plain",
                "--node", "cpu=4,memory=16Gi,price=0.3,name=special,labels=pool=special,taints=dedicated=special:NoSchedule",
                "--max-pools", "2", "--strategies", "ffd", "--quiet", "--assignments", assignments.toString());
        for (String line : Files.readAllLines(assignments)) {
            if (line.startsWith("gpu-side")) {
                assertThat(line).endsWith(",special");
            } else if (line.startsWith("general")) {
                assertThat(line).endsWith(",plain");
            }
        }
    }

    @Test
    void manifestsGiveSelectorsAffinityAndTolerationsAndDaemonSetsSkipTaintedNodes() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      nodeSelector: {disk: ssd}
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions: [{key: cores, operator: Gt, values: ["4"]}]
                      tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
                      containers: [{name: app, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers: [{name: a, resources: {requests: {cpu: 300m, memory: 256Mi}}}]
                """);
        JsonNode ok = json(CliRunner.run("pack", "--pods", m.toString(), "--node",
                "cpu=8,memory=32Gi,labels=disk=ssd;cores=8,taints=dedicated=api:NoSchedule", "--overhead", "none", "-o", "json"));
        assertThat(ok.get("unschedulable")).isEmpty();
        assertThat(ok.get("shape").get("daemonSets").get("cpuMillis").asLong()).isZero(); // the agent does not tolerate the taint
        JsonNode few = json(CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,labels=disk=ssd;cores=2",
                "--overhead", "none", "-o", "json"));
        assertThat(few.get("unschedulable")).hasSize(2);
        assertThat(few.get("shape").get("daemonSets").get("cpuMillis").asLong()).isEqualTo(300);
    }

    @Test
    void recommendWithEveryPlacedPodRulePlacedAndAZeroBoundDoesNotFailOnTheVerdict() throws Exception {
        // Review: a zone affinity to a DaemonSet and a minDomains-floored spread leave only rule-placed pods; their bound was
        // 0 (the others' bound) while 3 nodes ran them: the gap was infinite and the verdict failed with "internal error".
        // The bound now counts the pods placed (3 of 1.5 CPU, 16 GiB: 3 on m5.2xlarge, gap 0 %).
        Path m = dir.resolve("w.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: g0, namespace: ns}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: g0}}
                  template:
                    metadata: {labels: {app: g0}}
                    spec:
                      affinity:
                        podAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - labelSelector: {matchLabels: {app: g1}}
                              topologyKey: topology.kubernetes.io/zone
                      topologySpreadConstraints:
                        - {maxSkew: 1, minDomains: 4, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                           labelSelector: {matchLabels: {app: g0}}}
                      containers:
                        - {name: c, image: x, resources: {requests: {cpu: "1.5", memory: 16Gi}}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: g1, namespace: ns}
                spec:
                  selector: {matchLabels: {app: g1}}
                  template:
                    metadata: {labels: {app: g1}}
                    spec:
                      containers:
                        - {name: c, image: x, resources: {requests: {cpu: 100m, memory: 128Mi}}}
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5", "--zones", "3", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("medium wins with m5.2xlarge: 3 nodes, $840.96/month, 1 pod unschedulable").contains("gap to bound 0.0 %")
                .doesNotContain("gap to bound inf");
    }

    @Test
    void recommendSizesForProductionByDefaultAndOnRequest() throws Exception {
        Path w = csv("name,cpu,memory,replicas\nweb,1,2Gi,3\n");
        JsonNode bare = json(CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=big",
                "--min-nodes-per-pool", "1", "--strategies", "ffd", "--quiet", "-o", "json"));
        assertThat(bare.get("shapes").get(0).get("nodes").asInt()).isEqualTo(1);
        JsonNode def = json(CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=big",
                "--strategies", "ffd", "--quiet", "-o", "json"));
        JsonNode shape = def.get("shapes").get(0);
        assertThat(shape.get("nodes").asInt()).isEqualTo(2);
        assertThat(shape.get("packedNodes").asInt()).isEqualTo(1);
        assertThat(shape.get("headroomNodes").asInt()).isEqualTo(1);
        assertThat(def.get("sizing").get("minNodesPerPool").asInt()).isEqualTo(2);
        JsonNode ha = json(CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=big",
                "--survive", "zone", "--zones", "a,b,c", "--control-plane", "3:cpu=2,memory=8Gi,price=0.1", "--strategies", "ffd",
                "--quiet", "-o", "json"));
        JsonNode s = ha.get("shapes").get(0);
        assertThat(s.get("nodes").asInt()).isEqualTo(2); // 1 packed; 2 − ceil(2/3) = 1
        assertThat(ha.get("controlPlane").get("nodes").asInt()).isEqualTo(3);
        assertThat(ha.get("controlPlane").get("costPerHour").asDouble()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.get("costPerHour").asDouble()).isCloseTo(2 * 0.4 + 0.3, org.assertj.core.data.Offset.offset(1e-9));
        CliRunner text = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi,price=0.4,name=big",
                "--survive", "node", "--strategies", "ffd", "--quiet");
        assertThat(text.out()).contains("sized for production: at least 2 nodes per pool; every pod still fits after losing any one node");
        CliRunner noZones = CliRunner.run("recommend", "--pods", w.toString(), "--survive", "zone", "--quiet");
        assertThat(noZones.exitCode()).isEqualTo(2);
        assertThat(noZones.err()).contains("--survive zone needs at least two zones");
        CliRunner both = CliRunner.run("recommend", "--pods", w.toString(), "--control-plane", "3:aws:m5.large", "--control-plane-fee", "0.1",
                "--quiet");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("exclude each other");
        CliRunner badCp = CliRunner.run("recommend", "--pods", w.toString(), "--control-plane", "three:aws:m5.large", "--quiet");
        assertThat(badCp.exitCode()).isEqualTo(2);
        assertThat(badCp.err()).contains("N:SHAPE");
        CliRunner unknownCp = CliRunner.run("recommend", "--pods", w.toString(), "--control-plane", "3:aws:m5.nope", "--quiet");
        assertThat(unknownCp.exitCode()).isEqualTo(2);
        assertThat(unknownCp.err()).contains("--control-plane: The instance type 'm5.nope'");
    }

    @Test
    void assignmentsNameEachNodesZoneRoundRobin() throws Exception {
        Path w = csv("name,cpu,memory,replicas\nweb,3,2Gi,8\n");
        Path out = dir.resolve("a.csv");
        CliRunner r = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none", "--zones",
                "us-east-1a,us-east-1b,us-east-1c", "--assignments", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        java.util.List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("pod,node,shape,zone");
        java.util.Map<String, String> zoneOf = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            zoneOf.put(f[1], f[3]);
        }
        assertThat(zoneOf).hasSize(4); // 8 pods of 3 CPU, two per 8-CPU node
        assertThat(new java.util.TreeSet<>(zoneOf.values())).containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        for (String zones : List.of("a,a", ",", "99999999999", "0", "-1", "zone a,zone b")) {
            CliRunner bad = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--zones", zones);
            assertThat(bad.exitCode()).as(zones).isEqualTo(2);
            assertThat(bad.err()).contains("--zones").doesNotContain("internal error");
        }
    }

    @Test
    void requiredPodAntiAffinityKeepsReplicasOnePerNode() throws Exception {
        Path m = dir.resolve("anti.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 5
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            - labelSelector: {matchLabels: {app: web}}
                              topologyKey: kubernetes.io/hostname
                      containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """);
        JsonNode r = json(CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none", "-o", "json"));
        assertThat(r.get("nodes").asInt()).isEqualTo(5);
        assertThat(r.get("lowerBound").asInt()).isEqualTo(5);
        assertThat(r.get("lowerBoundMethod").asText()).isEqualTo("anti-affinity");
        Path w = csv("""
                name,cpu,memory,replicas,labels,anti-affinity
                web,500m,1Gi,4,app=web,app=web
                cache,500m,1Gi,4,app=cache,app in (web)
                """);
        JsonNode csvRun = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none",
                "--strategy", "optimize", "-o", "json"));
        assertThat(csvRun.get("nodes").asInt()).isEqualTo(5); // web one per node; cache never beside web: 4 + 1
        assertThat(csvRun.get("lowerBound").asInt()).isEqualTo(5);
        CliRunner note = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--strategy", "optimize");
        assertThat(note.out()).contains("required pod anti-affinity or a hostname topology spread: the pattern method's node patterns keep them")
                .contains("and so do the local search's hard constraints");
        // Mixed pools keep the rules too: every web pod on a node of its own, no cache beside a web pod.
        Path mixAssignments = w.resolveSibling("mix.csv");
        CliRunner mix = CliRunner.run("recommend", "--pods", w.toString(), "--max-pools", "2", "--families", "m5", "--quiet",
                "-o", "json", "--assignments", mixAssignments.toString());
        assertThat(mix.exitCode()).as(mix.err()).isZero();
        JsonNode mixJson = JSON.readTree(mix.out()).get("mix");
        assertThat(mixJson.get("lowerBoundCostPerHour").asDouble()).isLessThanOrEqualTo(mixJson.get("costPerHour").asDouble() + 1e-9);
        java.util.Map<String, List<String>> podsOn = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(mixAssignments).subList(1, 9)) {
            String[] f = line.split(",");
            podsOn.computeIfAbsent(f[1], k -> new java.util.ArrayList<>()).add(f[0]);
        }
        for (List<String> pods : podsOn.values()) {
            long web = pods.stream().filter(p -> p.startsWith("web-")).count();
            assertThat(web).as("%s", podsOn).isLessThanOrEqualTo(1);
            assertThat(web == 0 || pods.stream().noneMatch(p -> p.startsWith("cache-"))).as("%s", podsOn).isTrue();
        }
        Files.writeString(m, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - labelSelector: {matchLabels: {app: web}}
                  containers: [{name: c}]
                """);
        CliRunner bad = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("must have a topologyKey");
    }

    @Test
    void malformedConstraintsExitTwoWithWhere() throws Exception {
        Path m = dir.resolve("bad.yaml");
        Files.writeString(m, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [{key: a, operator: Near, values: [x]}]
                  containers: [{name: c}]
                """);
        CliRunner op = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi");
        assertThat(op.exitCode()).isEqualTo(2);
        assertThat(op.err()).contains("bad.yaml:9").contains("matchExpressions[0].operator (Near)").contains("In, NotIn");
        Files.writeString(m, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  tolerations: [{key: a, operator: Exists, value: x}]
                  containers: [{name: c}]
                """);
        CliRunner tol = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi");
        assertThat(tol.exitCode()).isEqualTo(2);
        assertThat(tol.err()).contains("tolerations[0]").contains("Exists takes no value");
        CliRunner taint = CliRunner.run("pack", "--node", "cpu=8,memory=32Gi,taints=dedicated=x:Sometimes");
        assertThat(taint.exitCode()).isEqualTo(2);
        assertThat(taint.err()).contains("--node").contains("dedicated=x:Sometimes").contains("NoSchedule, PreferNoSchedule or NoExecute");
        Path w = csv("name,cpu,memory,selector\nx,1,1Gi,\"a in (b\"\n");
        CliRunner sel = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi");
        assertThat(sel.exitCode()).isEqualTo(2);
        assertThat(sel.err()).contains("w.csv:2").contains("unbalanced parentheses");
    }

    /**
     * Each workload with pod rules is a pattern LP row of its own: past 200 of them the optimizer
     * stands aside (the heuristics' packing stands, and the report says why) and mixed pools refuse.
     */
    @Test
    void tooManyWorkloadsWithRulesLeaveTheOptimizerOut() throws Exception {
        StringBuilder sb = new StringBuilder("name,cpu,memory,replicas,labels,anti-affinity\n");
        for (int g = 0; g < 201; g++) {
            sb.append("w").append(g).append(",").append(100 + g % 7 * 150).append("m,512Mi,3,app=w").append(g).append(",app=w").append(g)
                    .append("\n");
        }
        Path w = csv(sb.toString());
        CliRunner note = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=8,memory=32Gi", "--strategy", "optimize");
        assertThat(note.out()).contains("the optimizer (pattern method, local search) did not run: 201 workloads");
        CliRunner mix = CliRunner.run("recommend", "--pods", w.toString(), "--max-pools", "2", "--families", "m5", "--quiet");
        assertThat(mix.exitCode()).isEqualTo(2);
        assertThat(mix.err()).contains("Mixed pools take at most 200 workloads with required pod anti-affinity");
    }


    @Test
    void coLocatedPodsWithoutRoomBesideTheirTargetsAreListedWithTheRuleAndMixesKeepThem() throws Exception {
        JsonNode r = json(CliRunner.run("pack", "--pods", "workloads/manifests/colocation", "--node", "aws:c5.xlarge", "-o", "json"));
        assertThat(r.get("unschedulable")).hasSize(4);
        for (JsonNode u : r.get("unschedulable")) {
            assertThat(u.get("pod").asText()).startsWith("shop/cache-");
            assertThat(u.get("reason").asText()).contains("required pod affinity (co-location)", "shop/api");
        }
        Path a = dir.resolve("a.csv");
        assertThat(CliRunner.run("pack", "--pods", "workloads/manifests/colocation", "--node", "aws:c5.xlarge", "--quiet",
                "--assignments", a.toString()).exitCode()).isZero();
        List<String> rows = Files.readAllLines(a);
        java.util.Set<String> apiNodes = new java.util.HashSet<>();
        rows.stream().filter(l -> l.startsWith("shop/api-")).forEach(l -> apiNodes.add(l.split(",")[1]));
        assertThat(rows.stream().filter(l -> l.startsWith("shop/cache-")).map(l -> l.split(",", -1)[1]))
                .hasSize(8).allMatch(n -> n.isEmpty() || apiNodes.contains(n)).filteredOn(String::isEmpty).hasSize(4);
        // Mixed pools: the other workloads' mix, then api and its caches on nodes of their own of one pool.
        Path m = dir.resolve("m.csv");
        JsonNode mix = json(CliRunner.run("recommend", "--pods", "workloads/manifests/colocation", "--families", "m5,c5", "--max-pools", "2",
                "--quiet", "-o", "json", "--assignments", m.toString())).get("mix");
        assertThat(mix.get("costPerHour").asDouble()).isLessThan(1.92); // below m5.xlarge × 10; c5.2xlarge × 5 ($1.70) since the OS share
        assertThat(mix.get("lowerBoundCostPerHour").asDouble()).isLessThanOrEqualTo(mix.get("costPerHour").asDouble());
        java.util.Map<String, String> nodeOf = new java.util.HashMap<>();
        for (String line : Files.readAllLines(m).subList(1, 19)) {
            nodeOf.put(line.split(",")[0], line.split(",")[1]);
        }
        java.util.Set<String> mixApiNodes = new java.util.HashSet<>();
        nodeOf.forEach((pod, node) -> {
            if (pod.startsWith("shop/api-")) {
                mixApiNodes.add(node);
            }
        });
        assertThat(nodeOf.entrySet().stream().filter(e -> e.getKey().startsWith("shop/cache-")).map(java.util.Map.Entry::getValue))
                .hasSize(8).allMatch(mixApiNodes::contains);
        CliRunner zoned = CliRunner.run("recommend", "--pods", "workloads/manifests/zone-rules", "--families", "c5", "--max-pools", "2");
        // One zone: two etcd members can run nowhere, so no mix places every pod; the single shapes stand, with a note.
        assertThat(zoned.exitCode()).as(zoned.err()).isZero();
        assertThat(zoned.out()).contains("no mix of up to 2 pools: The pod rules").contains("leave pods out on every candidate shape")
                .contains("--zones N").doesNotContain("Mixed pools (up to");
        CliRunner threeZones = CliRunner.run("recommend", "--pods", "workloads/manifests/zone-rules", "--families", "m5,c5", "--zones", "3",
                "--max-pools", "2", "--quiet", "-o", "json", "--assignments", m.toString());
        assertThat(threeZones.exitCode()).as(threeZones.err()).isZero();
        // The web pods fit the room of the zone-tied workloads' m5.2xlarge nodes: the c5 pool the rest's mix chose empties into it.
        assertThat(json(threeZones).get("mix").get("pools")).hasSize(1);
        assertThat(json(threeZones).get("mix").get("nodes").asInt()).isEqualTo(4);
        for (JsonNode pool : json(threeZones).get("mix").get("pools")) {
            int sum = 0;
            for (JsonNode k : pool.get("nodesPerZone")) {
                sum += k.asInt();
            }
            assertThat(pool.get("nodesPerZone")).hasSize(3);
            assertThat(sum).isEqualTo(pool.get("nodes").asInt());
        }
        java.util.Map<String, String> zoneOf = new java.util.HashMap<>();
        for (String line : Files.readAllLines(m).subList(1, 20)) {
            zoneOf.put(line.split(",")[0], line.split(",")[3]);
        }
        assertThat(Files.readAllLines(m).get(0)).isEqualTo("pod,node,shape,zone");
        assertThat(java.util.Set.of(zoneOf.get("platform/etcd-0"), zoneOf.get("platform/etcd-1"), zoneOf.get("platform/etcd-2")))
                .as("one etcd member per zone").hasSize(3);
        for (int i = 0; i < 6; i++) {
            assertThat(zoneOf.get("platform/reporting-" + i)).as("reporting in the database's zone").isEqualTo(zoneOf.get("platform/db-0"));
        }
    }

    /**
     * Mixed pools sized like the single shapes: with --survive the mix gets spare nodes (a spare in
     * each zone running the etcd/db/reporting pods tied to their zones for node loss), with a control
     * plane its cost; costPerHour is the whole cluster's, and the mix is compared with the best
     * single shape sized the same way.
     */
    @Test
    void mixedPoolsAreSizedForSurvivalAndTheControlPlane() throws Exception {
        for (String survive : List.of("node", "zone")) {
            CliRunner r = CliRunner.run("recommend", "--pods", "workloads/manifests/zone-rules", "--families", "m5,c5,r5", "--zones", "3",
                    "--max-pools", "2", "--survive", survive, "--control-plane-fee", "0.10", "--quiet", "-o", "json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode root = json(r);
            JsonNode mix = root.get("mix");
            double nodesCost = 0;
            int spares = 0;
            for (JsonNode pool : mix.get("pools")) {
                assertThat(pool.get("nodes").asInt()).isEqualTo(pool.get("packedNodes").asInt() + pool.get("headroomNodes").asInt());
                nodesCost += pool.get("costPerHour").asDouble();
                spares += pool.get("headroomNodes").asInt();
            }
            if (survive.equals("node")) {
                assertThat(spares).as("--survive node adds a spare per zone running etcd/db pods").isPositive();
            }
            assertThat(mix.get("controlPlaneCostPerHour").asDouble()).isEqualTo(0.10);
            assertThat(mix.get("costPerHour").asDouble()).isCloseTo(nodesCost + 0.10, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(mix.get("costPerHour").asDouble()).isCloseTo(mix.get("packedCostPerHour").asDouble()
                    + mix.get("headroomCostPerHour").asDouble() + 0.10, org.assertj.core.data.Offset.offset(1e-3));
            double single = 0;
            String singleNodes = "";
            for (JsonNode shape : root.get("shapes")) {
                if (shape.get("shape").get("name").asText().equals(mix.get("bestSingleShape").asText())) {
                    single = shape.get("costPerHour").asDouble();
                    int headroom = shape.get("headroomNodes").asInt(); // the JSON's best single carries its HA nodes in its shape's entry
                    singleNodes = shape.get("nodes").asInt() + (headroom > 0 ? " (+" + headroom + " HA)" : "");
                }
            }
            assertThat(mix.get("costPerHour").asDouble()).as("never above the best single shape sized alike").isLessThanOrEqualTo(single);
            CliRunner text = CliRunner.run("recommend", "--pods", "workloads/manifests/zone-rules", "--families", "m5,c5,r5", "--zones",
                    "3", "--max-pools", "2", "--survive", survive, "--quiet");
            assertThat(text.out()).contains("HA)").contains("both sized for production").doesNotContain("sized by --min-nodes-per-pool only");
            // QA 61b F3: the best-single row read "15" beside pools of "3 (+1 HA)", where the ranking read "15 (+5 HA)".
            if (survive.equals("node")) {
                assertThat(singleNodes).as("--survive node gives the best single shape its spares too").contains("HA)");
            }
            assertThat(text.out()).containsPattern("best single: " + Pattern.quote(mix.get("bestSingleShape").asText()) + " +"
                    + Pattern.quote(singleNodes) + " ");
        }
    }

    @Test
    void replayPinsPodsToNamedZonesOnlyAndTakesAZoneCountAsMet() throws Exception {
        // A pod pinned to us-east-1b: with --zones 3 the zones are only counted (the selector is taken
        // as met, as in pack); with the names it runs in us-east-1b; pinned to a zone not named, it is unschedulable.
        Path m = dir.resolve("pinned.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1b}
                      containers:
                        - name: web
                          image: example/web:1
                          resources: {requests: {cpu: "1", memory: 2Gi}}
                """);
        for (String zones : new String[] {"3", "us-east-1a,us-east-1b,us-east-1c", "us-east-1a,us-east-1c"}) {
            CliRunner run = CliRunner.run("replay", "--workload", m.toString(), "--synthetic", "diurnal", "--node", "aws:m5.xlarge",
                    "--duration", "1d", "--zones", zones, "--quiet", "-o", "json", "--reproducible");
            if (zones.equals("us-east-1a,us-east-1c")) {
                // No pod of the workload can run: exit 2 naming why (QA 75b F1), nothing written.
                assertThat(run.exitCode()).as(zones).isEqualTo(2);
                assertThat(run.err()).contains("admits none of the zones");
                assertThat(run.out()).isEmpty();
            } else {
                JsonNode best = json(run).get("ranking").get(0);
                assertThat(best.get("unschedulable").asLong()).as(zones).isZero();
                assertThat(best.get("pendingAtEnd").asLong()).as(zones).isZero();
            }
        }
        // A fixed cluster (--autoscaler none) sized at the peak: six 3-CPU pods pinned to us-east-1b take six m5.xlarge
        // nodes there, so the nodes spread round-robin over the three zones must give us-east-1b six (17 in all: 1b is
        // the second zone); sized as if the zones were alike, 1b got two and four pods waited all day.
        Files.writeString(m, Files.readString(m).replace("replicas: 2", "replicas: 6").replace("cpu: \"1\"", "cpu: \"3\""));
        JsonNode fixed = json(CliRunner.run("replay", "--workload", m.toString(), "--synthetic", "diurnal", "--node", "aws:m5.xlarge",
                "--duration", "1d", "--zones", "us-east-1a,us-east-1b,us-east-1c", "--autoscaler", "none", "--quiet", "-o", "json",
                "--reproducible")).get("ranking").get(0);
        assertThat(fixed.get("peakNodes").asInt()).isEqualTo(17);
        assertThat(fixed.get("pendingPodSeconds").asDouble()).isZero();
    }

    @Test
    void podRulesOnOtherKeysTreatTheClusterAsOneDomain() throws Exception {
        // Every m5.xlarge carries one instance type and architecture: one leader of three runs, the
        // exporters run once metrics-db does, and rack-local (example.com/rack, on no node) runs nowhere.
        JsonNode r = json(CliRunner.run("pack", "--pods", "workloads/manifests/other-keys", "--node", "aws:m5.xlarge", "--quiet", "-o", "json"));
        java.util.Map<String, Integer> left = new java.util.TreeMap<>();
        for (JsonNode u : r.get("unschedulable")) {
            left.merge(u.get("pod").asText().replaceAll("-[0-9]+$", ""), 1, Integer::sum);
        }
        assertThat(left).isEqualTo(java.util.Map.of("ops/leader", 2, "ops/rack-local", 2));
        // Given the rack label, rack-local runs (one domain again).
        JsonNode racked = json(CliRunner.run("pack", "--pods", "workloads/manifests/other-keys", "--node",
                "aws:m5.xlarge,labels=example.com/rack=r1", "--quiet", "-o", "json"));
        assertThat(racked.get("unschedulable")).hasSize(2);
        // Mixed pools: the leader (one per instance type) and rack-local leave pods out on every shape, so no mix places them all.
        CliRunner mixed = CliRunner.run("recommend", "--pods", "workloads/manifests/other-keys", "--families", "m5", "--max-pools", "2");
        assertThat(mixed.exitCode()).as(mixed.err()).isZero();
        assertThat(mixed.out()).contains("no mix of up to 2 pools: The pod rules").contains("pod affinity or anti-affinity on another key");
        // A hard spread on such a key counts every pool as a domain: still refused for mixes.
        Path spread = dir.resolve("spread.yaml");
        Files.writeString(spread, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: node.kubernetes.io/instance-type, whenUnsatisfiable: DoNotSchedule,
                           labelSelector: {matchLabels: {app: web}}}
                      containers:
                        - {name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}
                """);
        CliRunner refused = CliRunner.run("recommend", "--pods", spread.toString(), "--families", "m5", "--max-pools", "2");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Mixed pools do not model hard topology spreads on keys other than the hostname and the zone")
                .contains("spreads on node.kubernetes.io/instance-type"); // QA 68b F7: which workload, on which key
    }

    /**
     * Mixed pools with pod affinity on another key (exporters beside metrics-db by instance type):
     * those workloads go on nodes of their own of one pool, where the instance type is one value,
     * and the mix beats one shape (r5.xlarge × 7 + r5.16xlarge, $4,231.08/month against one
     * r5.24xlarge, $4,415.04); before, mixed pools refused such workloads (exit 2).
     */
    @Test
    void mixedPoolsPutPodRulesOnOtherKeysOnOnePool() throws Exception {
        Path m = dir.resolve("mix.yaml");
        String affinity = """
                affinity:
                  podAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      - labelSelector: {matchLabels: {app: metrics-db}}
                        topologyKey: node.kubernetes.io/instance-type
                """;
        Files.writeString(m, Deployments.deployment("compute", 24, "", "\"3\"", "2Gi") + Deployments.deployment("cache", 24, "", "500m", "24Gi")
                + Deployments.deployment("metrics-db", 1, "", "\"1\"", "4Gi") + Deployments.deployment("exporter", 4, affinity, "250m", "256Mi"));
        Path a = dir.resolve("mix.csv");
        CliRunner r = CliRunner.run("recommend", "--pods", m.toString(), "--catalog", "aws", "--families", "m5,c5,r5", "--max-pools", "2",
                "--min-nodes-per-pool", "1", "--assignments", a.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("mixed pools win: r5.xlarge × 7 + r5.16xlarge × 1");
        java.util.Set<String> shapes = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(a)) {
            if (line.startsWith("metrics-db-") || line.startsWith("exporter-")) {
                shapes.add(line.split(",")[2]);
            }
        }
        assertThat(shapes).hasSize(1);
    }

    @Test
    void zoneAntiAffinityPlacesOneMemberPerZoneAndZoneAffinityFollowsItsTarget() throws Exception {
        Path a = dir.resolve("z.csv");
        assertThat(CliRunner.run("pack", "--pods", "workloads/manifests/zone-rules", "--node", "aws:m5.2xlarge", "--zones", "3",
                "--quiet", "--assignments", a.toString()).exitCode()).isZero();
        java.util.Map<String, String> zoneOf = new java.util.HashMap<>();
        for (String line : Files.readAllLines(a).subList(1, 20)) {
            String[] f = line.split(",", -1);
            zoneOf.put(f[0], f[3]);
        }
        assertThat(java.util.stream.Stream.of(0, 1, 2).map(i -> zoneOf.get("platform/etcd-" + i)).distinct()).hasSize(3);
        for (int i = 0; i < 6; i++) {
            assertThat(zoneOf.get("platform/reporting-" + i)).isEqualTo(zoneOf.get("platform/db-0"));
        }
        // The zone-ruled workloads first, web in their room: 4 nodes, the bound (6 with them after the rest).
        JsonNode three = json(CliRunner.run("pack", "--pods", "workloads/manifests/zone-rules", "--node", "aws:m5.2xlarge", "--zones", "3",
                "-o", "json"));
        assertThat(three.get("nodes").asInt()).isEqualTo(4);
        assertThat(three.get("lowerBound").asInt()).isEqualTo(4);
        JsonNode one = json(CliRunner.run("pack", "--pods", "workloads/manifests/zone-rules", "--node", "aws:m5.2xlarge", "-o", "json"));
        assertThat(one.get("unschedulable")).hasSize(2);
        assertThat(one.get("unschedulable").get(0).get("reason").asText()).contains("anti-affinity on the zone", "--zones N");
    }

    @Test
    void affinityTermsThatMixKeysBindAsTheSchedulerCountsThem() throws Exception {
        // Only pods matching all of a pod's terms count (the sample's header): cache (app=etcd by zone
        // AND app=web by host) matches nothing and stays Pending; sidecar goes beside web; reporter
        // into db's zone; rack-local nowhere, since no m5.xlarge carries example.com/rack.
        Path a = dir.resolve("m.csv");
        CliRunner run = CliRunner.run("pack", "--pods", "workloads/manifests/mixed-keys", "--node", "aws:m5.xlarge", "--zones", "3",
                "--assignments", a.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("6 × required pod affinity (co-location) with terms on topology.kubernetes.io/zone, "
                + "kubernetes.io/hostname (only a pod that matches all of them counts): no pod of the workload matches all of its terms")
                .contains("2 × required pod affinity on topology key example.com/rack: no node of m5.xlarge carries that label")
                .doesNotContain("is not modelled in the packing");
        // Every group is held for the rules; the bound is over the pods placed (22, the 16 CPU they
        // request on 3.92-CPU nodes: 5), not over the groups no rule holds (none: 1).
        assertThat(run.out()).contains("nodes          5   lower bound 5 (L1(cpu)), gap 0.0 %");
        java.util.Map<String, List<String>> podsOn = new java.util.TreeMap<>();
        java.util.Map<String, String> nodeOf = new java.util.HashMap<>();
        java.util.Map<String, String> zoneOf = new java.util.HashMap<>();
        for (String line : Files.readAllLines(a).subList(1, 31)) {
            String[] f = line.split(",", -1);
            String app = f[0].replaceAll("^platform/|-[0-9]+$", "");
            nodeOf.put(f[0], f[1]);
            zoneOf.put(f[0], f[3]);
            podsOn.computeIfAbsent(f[1], k -> new java.util.ArrayList<>()).add(app);
        }
        assertThat(podsOn.get("")).containsOnly("cache", "rack-local").hasSize(8);
        for (int i = 0; i < 6; i++) {
            assertThat(podsOn.get(nodeOf.get("platform/sidecar-" + i))).contains("web");
            assertThat(zoneOf.get("platform/reporter-" + i)).isEqualTo(zoneOf.get("platform/db-0"));
        }
        // Given the rack label, rack-local runs beside web; cache still matches nothing.
        JsonNode racked = json(CliRunner.run("pack", "--pods", "workloads/manifests/mixed-keys", "--node",
                "aws:m5.xlarge,labels=example.com/rack=r1", "--zones", "3", "--quiet", "-o", "json"));
        assertThat(racked.get("unschedulable")).hasSize(6);
    }

    @Test
    void aSelectorOnANamedZoneKeepsThePodsInThatZone() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector
                web,1,2Gi,6,
                db,2,4Gi,4,topology.kubernetes.io/zone=us-east-1b
                """);
        Path a = dir.resolve("z.csv");
        CliRunner r = CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none",
                "--zones", "us-east-1a,us-east-1b,us-east-1c", "--assignments", a.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("go only to the zones of --zones it admits");
        assertThat(Files.readAllLines(a).stream().filter(l -> l.startsWith("db-")).map(l -> l.split(",")[3])).hasSize(4)
                .allMatch("us-east-1b"::equals);
        JsonNode none = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none",
                "--zones", "eu-west-1a,eu-west-1b", "-o", "json"));
        assertThat(none.get("unschedulable")).hasSize(4);
        assertThat(none.get("unschedulable").get(0).get("reason").asText()).contains("admits none of the zones (eu-west-1a, eu-west-1b)");
    }

    /**
     * Named zones give the nodes their region label too (us-east-1b: us-east-1): a selector on
     * another region is unschedulable, one on theirs runs; zone names that give no region leave
     * it taken as met. In pack and replay alike.
     */
    @Test
    void aSelectorOnTheRegionIsMatchedAgainstTheZonesRegion() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector
                web,1,2Gi,6,topology.kubernetes.io/region=us-east-1
                db,2,4Gi,4,topology.kubernetes.io/region=eu-west-1
                """);
        JsonNode east = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none",
                "--zones", "us-east-1a,us-east-1b", "-o", "json"));
        assertThat(east.get("unschedulable")).hasSize(4);
        for (JsonNode u : east.get("unschedulable")) {
            assertThat(u.get("pod").asText()).startsWith("db-");
            assertThat(u.get("reason").asText()).contains("admits none of the zones (us-east-1a, us-east-1b)")
                    .contains("topology.kubernetes.io/region In [eu-west-1]");
        }
        JsonNode unnamed = json(CliRunner.run("pack", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none",
                "--zones", "zone-a,zone-b", "-o", "json"));
        assertThat(unnamed.get("unschedulable")).isEmpty();
        Path m = dir.resolve("region.yaml");
        Files.writeString(m, Deployments.deployment("db", 2, "nodeSelector: {topology.kubernetes.io/region: eu-west-1}", "1", "2Gi"));
        for (String zones : new String[] {"eu-west-1a,eu-west-1b", "us-east-1a,us-east-1b"}) {
            CliRunner run = CliRunner.run("replay", "--workload", m.toString(), "--synthetic", "diurnal", "--node", "aws:m5.xlarge",
                    "--duration", "1d", "--zones", zones, "--quiet", "-o", "json", "--reproducible");
            if (zones.startsWith("us")) {
                // No pod of the workload can run: exit 2 naming why (QA 75b F1).
                assertThat(run.exitCode()).as(zones).isEqualTo(2);
                assertThat(run.err()).contains("admits none of the zones");
            } else {
                JsonNode best = json(run).get("ranking").get(0);
                assertThat(best.get("unschedulable").asLong()).as(zones).isZero();
                assertThat(best.get("pendingAtEnd").asLong()).as(zones).isZero();
            }
        }
    }

    /**
     * DaemonSets on the region with named zones: the one of the zones' region runs on every node
     * (0.2 CPU), the other region's on none, both without the "does not determine" note; without
     * zone names both are counted (0.5 CPU) with the note.
     */
    @Test
    void daemonSetsOnTheRegionAreExactWithNamedZones() throws Exception {
        Path m = dir.resolve("ds.yaml");
        String ds = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: %s}
                spec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/region: %s}
                      containers: [{name: c, resources: {requests: {cpu: %s, memory: 256Mi}}}]
                ---
                """;
        Files.writeString(m, ds.formatted("east-agent", "east", "east", "us-east-1", "200m") + ds.formatted("west-agent", "west", "west",
                "eu-west-1", "300m") + Deployments.deployment("web", 4, "", "1", "1Gi"));
        CliRunner named = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--zones", "us-east-1a,us-east-1b");
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(named.out()).containsPattern("cpu +4 +4 +0\\.08 +3\\.92 +0\\.2 ").doesNotContain("does not determine")
                .contains("west-agent (0.3 CPU, 0.25 GiB per node where it runs; on no node of m5.xlarge");
        CliRunner unnamed = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.xlarge", "--zones", "2");
        assertThat(unnamed.out()).containsPattern("cpu +4 +4 +0\\.08 +3\\.92 +0\\.5 ").contains("does not determine");
    }

    /**
     * A workload pinned to two of three zones with a spread over the zones (maxSkew 1): the
     * scheduler's default nodeAffinityPolicy Honor counts only the two zones it admits, so its six
     * pods go three and three (the empty third zone is no domain; before, two were placed and four
     * reported unschedulable with an anti-affinity reason). Pinned to one zone with minDomains 2 —
     * above the one zone it counts — the fewest counts as 0 and the zone takes maxSkew: five stay
     * Pending, said so.
     */
    @Test
    void aSpreadOfAPinnedWorkloadCountsOnlyTheZonesItAdmits() throws Exception {
        Path w = csv("""
                name,cpu,memory,replicas,selector,labels,spread
                b,1,2Gi,6,"topology.kubernetes.io/zone in (us-east-1a,us-east-1b)",app=b,zone:1
                """);
        Path a = dir.resolve("pinned.csv");
        CliRunner r = CliRunner.run("pack", "--pods", w.toString(), "--node", "aws:m5.2xlarge", "--zones", "us-east-1a,us-east-1b,us-east-1c",
                "--assignments", a.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(json(r).get("unschedulable")).isEmpty();
        assertThat(perZone(a, "b-")).containsOnly(java.util.Map.entry("us-east-1a", 3L), java.util.Map.entry("us-east-1b", 3L));
        Path floor = dir.resolve("floor.yaml");
        Files.writeString(floor, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: b, namespace: shop}
                spec:
                  replicas: 6
                  selector: {matchLabels: {app: b}}
                  template:
                    metadata: {labels: {app: b}}
                    spec:
                      nodeSelector: {topology.kubernetes.io/zone: us-east-1a}
                      topologySpreadConstraints:
                        - {maxSkew: 1, minDomains: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
                           labelSelector: {matchLabels: {app: b}}}
                      containers:
                        - {name: b, image: b, resources: {requests: {cpu: "1", memory: 2Gi}}}
                """);
        JsonNode f = json(CliRunner.run("pack", "--pods", floor.toString(), "--node", "aws:m5.2xlarge", "--zones",
                "us-east-1a,us-east-1b,us-east-1c", "-o", "json"));
        assertThat(f.get("unschedulable")).hasSize(5); // one per pod: one runs, in us-east-1a
        assertThat(f.get("unschedulable").get(0).get("reason").asText()).contains("minDomains 2 above the zones its node selector");
    }

    /** web: 6 pods of 1 CPU pinned to zones a and b, spread over the zones with maxSkew 1 and nodeAffinityPolicy Ignore. */
    private static final String IGNORE_WEB = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 6
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms:
                        [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b]}]}]}}}
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Ignore,
                           labelSelector: {matchLabels: {app: web}}}
                      containers: [{name: a, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                """;

    /**
     * With {@code nodeAffinityPolicy: Ignore} kube-scheduler counts every zone that has a node
     * (podtopologyspread filtering.go counts only existing nodes' zones): six pods pinned to two of
     * three zones, alone, open nodes in those two only, so the third is no domain and they go three
     * and three on 2 m5.xlarge, as replay runs them (before: zone c counted, two placed and four
     * unschedulable). Beside a workload that may go to every zone, its nodes reach zone c, which
     * then counts with none of them: one per zone of a and b runs (maxSkew 1 over a fewest of 0),
     * the other four stay Pending.
     */
    @Test
    void anIgnoreSpreadOfAPinnedWorkloadCountsTheZonesANodeMayOpenIn() throws Exception {
        Path alone = dir.resolve("ignore.yaml");
        Files.writeString(alone, IGNORE_WEB);
        Path a = dir.resolve("ignore.csv");
        CliRunner r = CliRunner.run("pack", "--pods", alone.toString(), "--node", "aws:m5.xlarge", "--zones", "us-east-1a,us-east-1b,us-east-1c",
                "--assignments", a.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(json(r).get("unschedulable")).isEmpty();
        assertThat(json(r).get("nodes").asInt()).isEqualTo(2);
        assertThat(perZone(a, "web-")).containsOnly(java.util.Map.entry("us-east-1a", 3L), java.util.Map.entry("us-east-1b", 3L));

        Path beside = dir.resolve("ignore-beside.yaml");
        Files.writeString(beside, IGNORE_WEB + "---\n" + Deployments.deployment("batch", 12, "", "1", "1Gi"));
        Path b = dir.resolve("ignore-beside.csv");
        CliRunner s = CliRunner.run("pack", "--pods", beside.toString(), "--node", "aws:m5.xlarge", "--zones", "us-east-1a,us-east-1b,us-east-1c",
                "--assignments", b.toString(), "-o", "json");
        assertThat(s.exitCode()).as(s.err()).isZero();
        assertThat(Files.readAllLines(b)).anyMatch(l -> l.contains(",us-east-1c"));
        assertThat(perZone(b, "web-")).containsOnly(java.util.Map.entry("us-east-1a", 1L), java.util.Map.entry("us-east-1b", 1L));
        assertThat(json(s).get("unschedulable")).hasSize(4);
    }

    /**
     * In a mix the zone-tied workloads get nodes of their own, packed apart from the rest, whose
     * pools spread round-robin over every zone: there an Ignore spread counts every zone. 40
     * batch pods beside web put a node in us-east-1c, so web goes one and one wherever it runs and
     * no mix places every pod (before, web's own nodes took it three and three beside a
     * c5.4xlarge in us-east-1c, which kube-scheduler refuses).
     */
    @Test
    void anIgnoreSpreadInAMixCountsTheZonesOfTheOtherPools() throws Exception {
        Path m = dir.resolve("ignore-mix.yaml");
        Files.writeString(m, IGNORE_WEB + "---\n" + Deployments.deployment("batch", 40, "", "1", "1Gi"));
        CliRunner r = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5,c5", "--zones", "us-east-1a,us-east-1b,us-east-1c",
                "--max-pools", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("note: no mix of up to 2 pools");
    }

    /** The placed pods whose name starts with {@code prefix} per zone, from an --assignments file. */
    private static java.util.Map<String, Long> perZone(Path assignments, String prefix) throws Exception {
        return Files.readAllLines(assignments).stream().skip(1).map(l -> l.split(",")).filter(f -> f[0].startsWith(prefix) && f.length > 3
                        && !f[3].isEmpty())
                .collect(java.util.stream.Collectors.groupingBy(f -> f[3], java.util.stream.Collectors.counting()));
    }

    /** pack lists a DaemonSet that runs on no node of the shape as such, not with a cost per node it does not have there. */
    @Test
    void aDaemonSetKeptOffTheShapeSaysSo() throws Exception {
        Path ds = dir.resolve("ds.yaml");
        Files.writeString(ds, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: gke-agent, namespace: kube-system}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      nodeSelector: {cloud.google.com/machine-family: n2}
                      containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 128Mi}}}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: logs, namespace: kube-system}
                spec:
                  selector: {matchLabels: {app: b}}
                  template:
                    metadata: {labels: {app: b}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
                """);
        Path pods = csv("name,cpu,memory,replicas\nweb,1,1Gi,4\n");
        CliRunner r = CliRunner.run("pack", "--pods", pods + "," + ds, "--node", "aws:m5.xlarge");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("DaemonSet kube-system/gke-agent (2 CPU, 0.125 GiB per node where it runs; on no node of m5.xlarge")
                .contains("DaemonSet kube-system/logs (0.1 CPU, 0.125 GiB per node)");
    }

    /**
     * A Gt or Lt value that is no integer passes API validation (it checks the count alone), and
     * kube-scheduler's LazyErrorNodeSelector lets that term match no node while the pod's other terms
     * still count. A cluster snapshot holding such a pod made analyze exit 2 ("must have exactly one
     * integer value"); now its other term admits n-1, and a manifest's pods whose only term it is are
     * unschedulable with the reason.
     */
    @Test
    void aGtValueThatIsNoIntegerMatchesNoNodeButIsNoError() throws Exception {
        Path snap = dir.resolve("s.yaml");
        Files.writeString(snap, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n-1, labels: {kubernetes.io/os: linux}}
                  status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: gt, namespace: default}
                  spec:
                    affinity:
                      nodeAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                          - matchExpressions: [{key: karpenter.k8s.aws/instance-cpu, operator: Gt, values: [4cpu]}]
                          - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]
                    containers: [{name: c, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                  status: {phase: Pending}
                """);
        JsonNode analysis = json(CliRunner.run("analyze", "--snapshot", snap.toString(), "-o", "json"));
        assertThat(analysis.get("pending").get(0).get("reason").asText()).startsWith("fits the free room of node n-1");
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, Deployments.deployment("big", 2, """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: karpenter.k8s.aws/instance-cpu, operator: Gt, values: [eight]}]
                """, "1", "1Gi"));
        JsonNode packed = json(CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.4xlarge", "-o", "json"));
        assertThat(packed.get("unschedulable")).hasSize(2);
        assertThat(packed.get("unschedulable").get(0).get("reason").asText()).contains("karpenter.k8s.aws/instance-cpu Gt [eight]");
    }
}
