package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscalers' drain rules in the replay: a node running a pod they keep is never scaled down (Cluster Autoscaler:
 * safe-to-evict "false", bare pods, local storage under --skip-nodes-with-local-storage; Karpenter: do-not-disrupt).
 * Eight 1-CPU cache pods on two 4-CPU nodes fall to three after an hour: the newest go, one node is left under half
 * used, and CA (Karpenter) moves its pods to the other and removes it, unless a rule keeps it.
 */
final class DrainRulesReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    /** The cache Deployment's name as the demand file gives it (namespace/name outside the default namespace). */
    private String workloadName = "cache";
    /** The replicas before and after the hour. */
    private int before = 8;
    private int after = 3;

    private Path cache(String metadataExtra, String volume) throws Exception {
        Path f = dir.resolve("cache-" + Math.abs((metadataExtra + volume).hashCode()) + ".yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cache}
                spec:
                  replicas: 8
                  selector: {matchLabels: {app: cache}}
                  template:
                    metadata: {labels: {app: cache}%s}
                    spec:
                      containers:
                        - name: c
                          image: redis
                          resources: {requests: {cpu: "1", memory: 1Gi}}
                      volumes:
                        - name: data
                          %s
                """.formatted(metadataExtra, volume));
        return f;
    }

    private JsonNode replay(Path workload, String autoscaler, String... more) throws Exception {
        Path demand = dir.resolve("demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,%s,%d\n+1h,%s,%d\n".formatted(workloadName, before, workloadName, after));
        List<String> args = new ArrayList<>(List.of("replay", "--workload", workload.toString(), "--demand", demand.toString(),
                "--node", "cpu=4,memory=16Gi,price=1", "--autoscaler", autoscaler, "--duration", "4h", "--reproducible", "-o", "json"));
        args.addAll(List.of(more));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static String notes(JsonNode result) {
        return result.path("notes").toString();
    }

    @Test
    void localStorageKeepsCaFromScalingTheNodeDown() throws Exception {
        JsonNode kept = replay(cache("", "emptyDir: {}"), "ca");
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(kept.get("costTotal").asDouble()).isEqualTo(8.0);
        assertThat(notes(kept)).contains("Cluster Autoscaler never scales down a node running a pod of 1 workload")
                .contains("cache: local storage (emptyDir volume 'data')").contains("--skip-nodes-with-local-storage false lets pods");

        JsonNode flag = replay(cache("", "emptyDir: {}"), "ca", "--skip-nodes-with-local-storage", "false");
        assertThat(flag.get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(flag.get("costTotal").asDouble()).isLessThan(kept.get("costTotal").asDouble());
        assertThat(notes(flag)).doesNotContain("never scales down");

        // What CA lets go as it does: a memory-backed emptyDir, a volume named by safe-to-evict-local-volumes, safe-to-evict "true".
        for (Path free : List.of(cache("", "emptyDir: {medium: Memory}"),
                cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes: data}", "emptyDir: {}"),
                cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}", "hostPath: {path: /var/data}"),
                cache("", "configMap: {name: settings}"))) {
            assertThat(replay(free, "ca").get("scaleDowns").asInt()).as(free.toString()).isEqualTo(1);
        }
        JsonNode host = replay(cache("", "hostPath: {path: /var/data}"), "ca");
        assertThat(host.get("scaleDowns").asInt()).isZero();
        assertThat(notes(host)).contains("hostPath volume 'data'");
    }

    @Test
    void safeToEvictFalseKeepsTheNodeWhateverTheFlags() throws Exception {
        JsonNode kept = replay(cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"}", "configMap: {name: s}"),
                "ca", "--skip-nodes-with-local-storage", "false");
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(notes(kept)).contains("safe-to-evict: \\\"false\\\"");
        // Karpenter reads its own annotation, not CA's.
        assertThat(replay(cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"}", "emptyDir: {}"),
                "karpenter").get("scaleDowns").asInt()).isEqualTo(1);
    }

    @Test
    void doNotDisruptKeepsKarpenterFromConsolidatingTheNode() throws Exception {
        Path dnd = cache(", annotations: {karpenter.sh/do-not-disrupt: \"true\"}", "configMap: {name: s}");
        JsonNode kept = replay(dnd, "karpenter");
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(notes(kept)).contains("Karpenter never consolidates a node running a pod of 1 workload");
        assertThat(replay(dnd, "ca").get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(replay(cache(", annotations: {karpenter.sh/do-not-disrupt: \"false\"}", "configMap: {name: s}"), "karpenter")
                .get("scaleDowns").asInt()).isEqualTo(1);
    }

    /**
     * QA 71a F8: do-not-disrupt with a duration (Karpenter 1.12's grace period, not modelled) is read as absent, as before,
     * but a note names the workload and says so, where it was silent; "false" (which Karpenter ignores) gets no note.
     */
    @Test
    void aDoNotDisruptDurationIsSaidNotModelled() throws Exception {
        JsonNode grace = replay(cache(", annotations: {karpenter.sh/do-not-disrupt: \"2h\"}", "configMap: {name: s}"), "karpenter");
        assertThat(grace.get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(notes(grace)).contains("the pods of cache (\\\"2h\\\") give karpenter.sh/do-not-disrupt a duration, Karpenter's "
                + "grace period").contains("which the replay does not model").doesNotContain("never consolidates");
        JsonNode no = replay(cache(", annotations: {karpenter.sh/do-not-disrupt: \"false\"}", "configMap: {name: s}"), "karpenter");
        assertThat(notes(no)).doesNotContain("do-not-disrupt a duration");
        // Review 71b #8d: "0s" is no grace period to Karpenter (its parse wants more than 0): absent, so no note.
        assertThat(notes(replay(cache(", annotations: {karpenter.sh/do-not-disrupt: \"0s\"}", "configMap: {name: s}"), "karpenter")))
                .doesNotContain("do-not-disrupt a duration");
        assertThat(notes(replay(cache(", annotations: {karpenter.sh/do-not-disrupt: \"1h30m\"}", "configMap: {name: s}"), "ca")))
                .doesNotContain("do-not-disrupt a duration");
    }

    /**
     * An expired node is drained whatever do-not-disrupt says, but Karpenter's terminator holds such pods on it until the
     * NodePool's terminationGracePeriod (unset: as long as it takes); CA does not read the annotation.
     */
    @Test
    void anExpiredNodeKeepsItsDoNotDisruptPodsUntilTheTerminationGracePeriod() throws Exception {
        after = 8;
        Path dnd = cache(", annotations: {karpenter.sh/do-not-disrupt: \"true\"}", "configMap: {name: s}");
        JsonNode waits = replay(dnd, "karpenter", "--expire-after", "1h");
        JsonNode drains = waits.get("budgetedDrains");
        assertThat(drains.get("held").asInt()).isEqualTo(2);
        assertThat(drains.get("forced").asInt()).isZero();
        assertThat(drains.get("refusals").get("(karpenter.sh/do-not-disrupt)").asLong()).isPositive();
        assertThat(waits.get("evictions").asInt()).isZero();
        assertThat(waits.get("pendingAtEnd").asInt()).isZero();

        JsonNode forced = replay(dnd, "karpenter", "--expire-after", "1h", "--termination-grace-period", "10m");
        // each node expires an hour after its launch and goes 10 minutes later, its pods deleted 30 s before (their own
        // grace period, --drain-delay, ends with the node's); its replacements are launched at its expiry for the pods it
        // holds (Karpenter's provisioner schedules them), so those pods never wait
        assertThat(forced.get("pendingMaxSeconds").asLong()).isZero();
        assertThat(forced.get("budgetedDrains").get("forced").asInt()).isEqualTo(6);
        assertThat(forced.get("budgetedDrains").get("held").asInt()).isEqualTo(6);
        assertThat(forced.get("budgetedDrains").get("heldSeconds").asLong()).isEqualTo(6 * 570);
        assertThat(forced.get("evictions").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(forced.get("scaleUps").asInt()).isPositive();
    }

    /** A bare pod has no controller to recreate it: CA keeps its node (the replicated rule) unless it is safe to evict. */
    @Test
    void aBarePodKeepsItsNode() throws Exception {
        Path f = dir.resolve("bare.yaml");
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: tool%s}
                spec:
                  containers: [{name: t, image: busybox, resources: {requests: {cpu: 500m, memory: 256Mi}}}]
                """;
        Files.writeString(f, Files.readString(cache("", "configMap: {name: s}")) + "---\n" + pod.formatted(""));
        JsonNode kept = replay(f, "ca", "--node", "cpu=4,memory=16Gi,price=1");
        assertThat(notes(kept)).contains("tool: a bare pod");
        Path safe = dir.resolve("safe.yaml");
        Files.writeString(safe, Files.readString(f).replace("metadata: {name: tool}",
                "metadata: {name: tool, annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}}"));
        JsonNode free = replay(safe, "ca");
        assertThat(notes(free)).doesNotContain("bare pod");
        assertThat(free.get("costTotal").asDouble()).isLessThanOrEqualTo(kept.get("costTotal").asDouble());
        // Owned by a controller that is not among the inputs (a pods-only dump): replicated, CA's rule lets it go.
        Path owned = dir.resolve("owned.yaml");
        Files.writeString(owned, Files.readString(f).replace("metadata: {name: tool}", "metadata: {name: tool, ownerReferences: "
                + "[{apiVersion: apps/v1, kind: ReplicaSet, name: tool-5d8f, uid: u1, controller: true}]}"));
        assertThat(notes(replay(owned, "ca", "--node", "cpu=4,memory=16Gi,price=1"))).doesNotContain("bare pod");
    }

    /**
     * Review 71b #8a: CA drains a node whose bare pod is annotated safe-to-evict "true" (the rule lets it go before the
     * replicated rule is asked), and the eviction deletes the pod for good: no controller recreates it, so it is not queued
     * again. Three 2-CPU job pods and the 1-CPU bare pod on two 4-CPU nodes; job falls to 1 at 10 m, leaving the bare pod alone
     * on its node (25 %): CA removes that node, evicting the pod, which never runs again (2 CPUs requested at the end, nothing
     * pending). Without the annotation the replicated rule keeps the node (and 3 CPUs run to the end).
     */
    @Test
    void caDrainsASafeToEvictBarePodsNodeAndThePodIsGone() throws Exception {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: lonely%s}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                """ + Deployments.deployment("job", 3, "", "\"2\"", "1Gi");
        Path demand = dir.resolve("safe-demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,job,3\n+10m,job,1\n+60m,job,1\n");
        JsonNode[] runs = new JsonNode[2];
        String[] annotations = {", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}", ""};
        for (int i = 0; i < 2; i++) {
            Path f = dir.resolve("safe-" + i + ".yaml");
            Files.writeString(f, yaml.formatted(annotations[i]));
            CliRunner r = CliRunner.run("replay", "--workload", f.toString(), "--demand", demand.toString(), "--node",
                    "cpu=4,memory=16Gi,pods=110,price=0.19,name=medium", "--overhead", "none", "--autoscaler", "ca", "--sample", "1m",
                    "--reproducible", "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            runs[i] = JSON.readTree(r.out());
        }
        JsonNode safe = runs[0];
        assertThat(safe.get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(safe.get("evictions").asInt()).isEqualTo(1); // the bare pod
        JsonNode last = safe.get("timeline").get(safe.get("timeline").size() - 1);
        assertThat(last.get("cpuRequestedMillis").asLong()).isEqualTo(2000);
        assertThat(last.get("pendingPods").asInt()).isZero();
        assertThat(last.get("nodes").asInt()).isEqualTo(1);
        assertThat(notes(safe)).doesNotContain("bare pod");
        JsonNode kept = runs[1];
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(kept.get("evictions").asInt()).isZero();
        assertThat(kept.get("timeline").get(kept.get("timeline").size() - 1).get("cpuRequestedMillis").asLong()).isEqualTo(3000);
        assertThat(notes(kept)).contains("lonely: a bare pod");
    }

    /**
     * QA 71a F10: Karpenter holds no node for a bare pod, and its drain's eviction deletes the pod for good (nothing
     * recreates it): when the large node of 7 job pods and the bare pod is replaced by a medium after job drops to 2, the
     * bare pod does not run again: 2 CPUs requested at the end, not 3, nothing pending; a note names the pod.
     */
    @Test
    void karpentersDrainLosesABarePodForGood() throws Exception {
        Path f = dir.resolve("lonely.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Pod
                metadata: {name: lonely}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                ---
                """ + Deployments.deployment("job", 7, "", "\"1\"", "1Gi"));
        Path demand = dir.resolve("lonely-demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,job,7\n+10m,job,2\n+60m,job,2\n");
        CliRunner r = CliRunner.run("replay", "--workload", f.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,pods=110,price=0.19,name=medium", "--node", "cpu=8,memory=32Gi,pods=110,price=0.40,name=large",
                "--overhead", "none", "--autoscaler", "karpenter", "--sample", "1m", "--reproducible", "-o", "json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(root.get("evictions").asInt()).isEqualTo(3); // lonely and the two job pods
        JsonNode last = root.get("timeline").get(root.get("timeline").size() - 1);
        assertThat(last.get("cpuRequestedMillis").asLong()).isEqualTo(2000);
        assertThat(last.get("pendingPods").asInt()).isZero();
        assertThat(notes(root)).contains("the bare pod lonely (kind Pod, no controller): Karpenter's consolidation and expiry evict it")
                .contains("keeps its node from consolidation, not from expiry");
        // Review 71b #5: annotated do-not-disrupt it is named too, for what an expiry's drain still does to it.
        Path annotated = dir.resolve("lonely-dnd.yaml");
        Files.writeString(annotated, Files.readString(f).replace("metadata: {name: lonely}",
                "metadata: {name: lonely, annotations: {karpenter.sh/do-not-disrupt: \"true\"}}"));
        CliRunner dnd = CliRunner.run("replay", "--workload", annotated.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,pods=110,price=0.19,name=medium", "--overhead", "none", "--autoscaler", "karpenter", "--quiet", "-o", "json");
        assertThat(dnd.exitCode()).as(dnd.err()).isZero();
        assertThat(notes(JSON.readTree(dnd.out()))).contains("the bare do-not-disrupt pod lonely keeps its node from consolidation, but an "
                + "expiring node's drain holds it only until --termination-grace-period");
        // A pod whose controller (ownerReferences) is not among the inputs is recreated by it: it runs again, and no note.
        Files.writeString(f, Files.readString(f).replace("metadata: {name: lonely}", "metadata: {name: lonely, ownerReferences: "
                + "[{apiVersion: apps/v1, kind: ReplicaSet, name: other-5d8f, uid: u1, controller: true}]}"));
        CliRunner owned = CliRunner.run("replay", "--workload", f.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,pods=110,price=0.19,name=medium", "--node", "cpu=8,memory=32Gi,pods=110,price=0.40,name=large",
                "--overhead", "none", "--autoscaler", "karpenter", "--sample", "1m", "--reproducible", "-o", "json", "--quiet");
        assertThat(owned.exitCode()).as(owned.err()).isZero();
        JsonNode kept = JSON.readTree(owned.out());
        assertThat(kept.get("timeline").get(kept.get("timeline").size() - 1).get("cpuRequestedMillis").asLong()).isEqualTo(3000);
        assertThat(notes(kept)).doesNotContain("bare pod");
    }

    /**
     * Preemption deletes its victims too: a bare pod (3 CPU, priority 0) on the one 4-CPU node is preempted by a 2-CPU pod of
     * priority 1000 arriving at 10 m, and is gone (nothing pending at the end, 2 CPUs requested), where an owned one is
     * recreated and waits for room (1 pending at the end).
     */
    @Test
    void aBarePodPreemptedIsGoneForGood() throws Exception {
        Path f = dir.resolve("preempted.yaml");
        Files.writeString(f, """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: lonely}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "3", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: crit}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: crit}}
                  template:
                    metadata: {labels: {app: crit}}
                    spec:
                      priorityClassName: high
                      containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 1Gi}}}]
                """);
        Path demand = dir.resolve("preempted-demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,crit,0\n+10m,crit,1\n+30m,crit,1\n");
        String[] args = {"replay", "--workload", f.toString(), "--demand", demand.toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=0.19",
                "--overhead", "none", "--autoscaler", "none", "--nodes", "1", "--sample", "1m", "--reproducible", "-o", "json", "--quiet"};
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("evictions").asInt()).isEqualTo(1);
        JsonNode last = root.get("timeline").get(root.get("timeline").size() - 1);
        assertThat(last.get("cpuRequestedMillis").asLong()).isEqualTo(2000);
        assertThat(last.get("pendingPods").asInt()).isZero();
        Files.writeString(f, Files.readString(f).replace("metadata: {name: lonely}", "metadata: {name: lonely, ownerReferences: "
                + "[{apiVersion: apps/v1, kind: ReplicaSet, name: other-5d8f, uid: u1, controller: true}]}"));
        JsonNode owned = JSON.readTree(CliRunner.run(args).out());
        assertThat(owned.get("timeline").get(owned.get("timeline").size() - 1).get("pendingPods").asInt()).isEqualTo(1);
    }

    private Path withBudget(Path deployment, String namespace, String budgetSpec) throws Exception {
        Path f = dir.resolve("budgeted-" + Math.abs((deployment + budgetSpec).hashCode()) + ".yaml");
        Files.writeString(f, Files.readString(deployment) + """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: cache-pdb, namespace: %s}
                spec: {%s, selector: {matchLabels: {app: cache}}}
                """.formatted(namespace, budgetSpec));
        return f;
    }

    /** A PodDisruptionBudget that never allows an eviction keeps the node from both autoscalers; one that allows some does not. */
    @Test
    void aBudgetAllowingNoEvictionKeepsTheNode() throws Exception {
        Path plain = cache("", "configMap: {name: s}");
        // A budget that sets neither field allows none: the disruption controller's expected count stays 0 (review 41).
        for (String never : List.of("maxUnavailable: 0", "maxUnavailable: 0%", "minAvailable: 100%", "unhealthyPodEvictionPolicy: IfHealthyBudget")) {
            Path f = withBudget(plain, "default", never);
            JsonNode ca = replay(f, "ca");
            assertThat(ca.get("scaleDowns").asInt()).as(never).isZero();
            assertThat(notes(ca)).contains("cache: PodDisruptionBudget default/cache-pdb allows no eviction");
            assertThat(replay(f, "karpenter").get("scaleDowns").asInt()).as(never).isZero();
        }
        JsonNode some = replay(withBudget(plain, "default", "minAvailable: 1"), "ca");
        assertThat(some.get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(notes(some)).doesNotContain("never scales down").doesNotContain("ignored")
                .contains("PodDisruptionBudget default/cache-pdb (minAvailable: 1, covers cache) weighed as the pods run");
        // A budget in another namespace covers nothing here.
        assertThat(replay(withBudget(plain, "other", "maxUnavailable: 0"), "ca").get("scaleDowns").asInt()).isEqualTo(1);
    }

    /**
     * A budget's allowance follows the running pods, as the disruption controller computes it: minAvailable 3 allows five
     * evictions of the eight pods but none of the three left after the hour, so neither autoscaler removes the node left
     * under half used; minAvailable 2 (one left), maxUnavailable 50% (of 3: two unavailable, rounded up) let it go.
     */
    @Test
    void aBudgetThatAllowsNoEvictionAtTheRunningCountKeepsTheNode() throws Exception {
        Path plain = cache("", "configMap: {name: s}");
        for (String none : List.of("minAvailable: 3", "maxUnavailable: 0%", "minAvailable: 100%")) {
            Path f = withBudget(plain, "default", none);
            assertThat(replay(f, "ca").get("scaleDowns").asInt()).as(none).isZero();
            assertThat(replay(f, "karpenter").get("scaleDowns").asInt()).as(none).isZero();
        }
        JsonNode three = replay(withBudget(plain, "default", "minAvailable: 3"), "ca");
        assertThat(three.get("costTotal").asDouble()).isEqualTo(8.0);
        // Held from the drop at 1h to the end at 4h, the verdict renewed every recheck time-out (5m): about 36 of them.
        assertThat(three.get("budgetHolds").get("default/cache-pdb").asLong()).isBetween(30L, 40L);
        assertThat(replay(withBudget(plain, "default", "minAvailable: 2"), "ca").get("budgetHolds").isEmpty()).isTrue();
        assertThat(replay(withBudget(plain, "default", "minAvailable: 3"), "karpenter").get("budgetHolds").isEmpty()).isTrue();
        assertThat(notes(three)).contains("PodDisruptionBudget default/cache-pdb (minAvailable: 3, covers cache) weighed as the pods run: "
                + "Cluster Autoscaler removes no node while a budget of one of its pods allows no more evictions in that loop");
        for (String some : List.of("minAvailable: 2", "maxUnavailable: 50%", "maxUnavailable: 1")) {
            Path f = withBudget(plain, "default", some);
            assertThat(replay(f, "ca").get("scaleDowns").asInt()).as(some).isEqualTo(1);
            assertThat(replay(f, "karpenter").get("scaleDowns").asInt()).as(some).isEqualTo(1);
        }
        // safe-to-evict "true" lets CA's simulation go on (its rules let the pod go before the budget is asked), but the
        // eviction API still refuses the pod while its budget allows none: each drain is given up after 2 minutes and the
        // node stays; CA finds it unneeded again and tries again. Karpenter's candidate filter asks the budget.
        Path safe = withBudget(cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}", "configMap: {name: s}"),
                "default", "minAvailable: 3");
        JsonNode tried = replay(safe, "ca");
        assertThat(tried.get("scaleDowns").asInt()).isZero();
        assertThat(tried.get("budgetHolds").isEmpty()).isTrue();
        // from 1h10m, one drain every unneeded time and a recheck (a given-up node is unremovable until rechecked) and 2 minutes
        assertThat(tried.get("budgetedDrains").get("givenUp").asInt()).isBetween(5, 20);
        assertThat(tried.get("budgetedDrains").get("held").asInt()).isEqualTo(tried.get("budgetedDrains").get("givenUp").asInt());
        assertThat(tried.get("evictions").asInt()).isZero();
        assertThat(notes(tried)).contains("PodDisruptionBudget default/cache-pdb (minAvailable: 3, covers cache)");
        assertThat(replay(safe, "karpenter").get("scaleDowns").asInt()).isZero();
        Path never = withBudget(cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}", "configMap: {name: s}"),
                "default", "maxUnavailable: 0");
        JsonNode fails = replay(never, "ca");
        assertThat(fails.get("scaleDowns").asInt()).isZero();
        assertThat(fails.get("budgetedDrains").get("givenUp").asInt()).isPositive();
        assertThat(notes(fails)).contains("Cluster Autoscaler's drains fail on a node running a pod of 1 workload (cache: annotated "
                + "safe-to-evict: \\\"true\\\", but PodDisruptionBudget default/cache-pdb allows no eviction)").contains("--max-pod-eviction-time (2m)");
    }

    /**
     * The notes on budgets: one that covers none of the pods is named; one that can never hold a pod ({@code minAvailable: 0},
     * {@code maxUnavailable: 100%}) is not listed as weighed; with pods of different priorities, preemption's use of the budgets
     * is said, under any autoscaler. A budget setting both minAvailable and maxUnavailable, which the API server refuses,
     * exits 2 with its place; a policy/v1beta1 budget is listed as ignored with the reason.
     */
    @Test
    void theNotesSayWhatTheBudgetsDo() throws Exception {
        Path plain = cache("", "configMap: {name: s}");
        JsonNode other = replay(withBudget(plain, "other", "minAvailable: 1"), "ca");
        assertThat(notes(other)).contains("PodDisruptionBudget other/cache-pdb covers none of the pods");
        for (String lax : List.of("minAvailable: 0", "maxUnavailable: 100%")) {
            assertThat(notes(replay(withBudget(plain, "default", lax), "ca"))).as(lax).doesNotContain("weighed");
        }
        Path prioritised = dir.resolve("prioritised.yaml");
        Files.writeString(prioritised, Files.readString(withBudget(plain, "default", "minAvailable: 2")).replace("    spec:\n      containers:",
                "    spec:\n      priorityClassName: high\n      containers:") + """
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: unused}
                value: 5
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: batch}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: batch}}
                  template:
                    metadata: {labels: {app: batch}}
                    spec:
                      containers: [{name: b, image: x, resources: {requests: {cpu: 500m, memory: 256Mi}}}]
                """);
        JsonNode none = replay(prioritised, "none");
        // A class applied to the pods is not "ignored" (QA 41: "ignored ... but applied" said both).
        assertThat(notes(none)).contains("applied PriorityClass high (").contains("): priority 1000 went to 1 workload")
                .doesNotContain("ignored PriorityClass high").contains("ignored PriorityClass unused (").contains("): not a workload, and no workload names it");
        assertThat(notes(none)).contains("PodDisruptionBudget default/cache-pdb (minAvailable: 2, covers cache) weighed as the pods run: "
                + "kube-scheduler's preemption spares their pods where it has the choice");
        assertThat(notes(replay(withBudget(plain, "default", "minAvailable: 2"), "none"))).doesNotContain("weighed");

        // windows: the notes are in its report (QA 41: stderr only, the budget note twice), one for both autoscalers.
        Path demand = dir.resolve("demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,cache,8\n+1h,cache,3\n");
        CliRunner w = CliRunner.run("windows", "--workload", withBudget(plain, "default", "minAvailable: 2").toString(), "--demand",
                demand.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--duration", "1d", "-o", "json");
        assertThat(w.exitCode()).as(w.err()).isZero();
        List<String> weighed = new ArrayList<>();
        JSON.readTree(w.out()).get("notes").forEach(n -> {
            if (n.asText().contains("weighed as the pods run")) {
                weighed.add(n.asText());
            }
        });
        assertThat(weighed).singleElement().asString().contains("Cluster Autoscaler removes no node").contains("Karpenter consolidates no node");
        // CSV rows have no place for notes: standard error has them (QA 41b: they were lost).
        CliRunner csv = CliRunner.run("windows", "--workload", withBudget(plain, "default", "minAvailable: 2").toString(), "--demand",
                demand.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--duration", "1d", "-o", "csv");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.err()).contains("nodesizer: note: PodDisruptionBudget default/cache-pdb (minAvailable: 2, covers cache) weighed");
        assertThat(csv.out()).doesNotContain("weighed");

        Path both = withBudget(plain, "default", "minAvailable: 1, maxUnavailable: 1");
        CliRunner r = CliRunner.run("replay", "--workload", both.toString(), "--node", "cpu=4,memory=16Gi,price=1", "--duration", "1h");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(both + ":").contains("sets both spec.minAvailable and spec.maxUnavailable").doesNotContain("\tat ");

        Path old = dir.resolve("v1beta1.yaml");
        Files.writeString(old, Files.readString(withBudget(plain, "default", "minAvailable: 1")).replace("policy/v1", "policy/v1beta1"));
        assertThat(notes(replay(old, "ca"))).contains("policy/v1beta1, which Kubernetes no longer serves (removed in 1.25)");
    }

    /**
     * A pod that two budgets cover cannot be evicted (the eviction API refuses it): neither autoscaler removes its node.
     * CA's simulation asks each budget alone and lets the pod go, so CA drains the node, and each drain is given up after
     * --max-pod-eviction-time; Karpenter's candidate filter rejects the node up front.
     */
    @Test
    void aPodThatTwoBudgetsCoverKeepsItsNode() throws Exception {
        Path one = withBudget(cache(", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}", "configMap: {name: s}"),
                "default", "minAvailable: 1");
        Path two = dir.resolve("two-budgets.yaml");
        Files.writeString(two, Files.readString(one) + """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: cache-pdb-2}
                spec: {maxUnavailable: 1, selector: {matchLabels: {app: cache}}}
                """);
        assertThat(replay(one, "ca").get("scaleDowns").asInt()).isEqualTo(1);
        for (String autoscaler : List.of("ca", "karpenter")) {
            JsonNode kept = replay(two, autoscaler);
            assertThat(kept.get("scaleDowns").asInt()).as(autoscaler).isZero();
            assertThat(notes(kept)).as(autoscaler).contains("cache: covered by 2 PodDisruptionBudgets (default/cache-pdb, default/cache-pdb-2): "
                    + "the eviction API refuses a pod with more than one");
            assertThat(kept.get("budgetedDrains").get("givenUp").asInt() > 0).as(autoscaler).isEqualTo(autoscaler.equals("ca"));
        }
        assertThat(notes(replay(two, "ca"))).contains("Cluster Autoscaler's drains fail on a node running a pod of 1 workload");
        assertThat(notes(replay(two, "karpenter"))).contains("Karpenter never consolidates a node running a pod of 1 workload");

        // When one of the two never allows an eviction, CA's budget rule keeps the node in its simulation: no drain starts,
        // and only that is said (QA 42 finding 5).
        Path none = dir.resolve("two-one-none.yaml");
        Files.writeString(none, Files.readString(cache("", "configMap: {name: s}")) + """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: cache-pdb}
                spec: {maxUnavailable: 1, selector: {matchLabels: {app: cache}}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: cache-pdb-0}
                spec: {minAvailable: 100%, selector: {matchLabels: {app: cache}}}
                """);
        JsonNode kept = replay(none, "ca");
        assertThat(kept.get("budgetedDrains").get("held").asInt()).isZero();
        // nor where another rule keeps the node anyway (local storage)
        Path local = dir.resolve("two-local.yaml");
        Files.writeString(local, Files.readString(withBudget(cache("", "emptyDir: {}"), "default", "minAvailable: 1")) + """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: cache-pdb-2}
                spec: {maxUnavailable: 1, selector: {matchLabels: {app: cache}}}
                """);
        JsonNode stays = replay(local, "ca");
        assertThat(stays.get("budgetedDrains").get("held").asInt()).isZero();
        assertThat(notes(stays)).contains("cache: local storage").doesNotContain("drains fail");
        assertThat(notes(kept)).contains("Cluster Autoscaler never scales down a node running a pod of 1 workload (cache: PodDisruptionBudget "
                + "default/cache-pdb-0 allows no eviction)").doesNotContain("drains fail");
    }

    /**
     * What one loop of Cluster Autoscaler finds unneeded never evicts more than the budgets allow between the nodes: 24
     * one-CPU pods on six 4-CPU nodes fall to six, one a node; with no budget a pass finds three nodes unneeded at once,
     * with maxUnavailable 1 only the first (the next ones are unremovable until rechecked), so the same three nodes go
     * later and cost more; maxUnavailable 2 is in between. Without soft taints: with them the evicted pods keep off the
     * nodes found unneeded, which empties a fourth node where no budget (or maxUnavailable 2) holds the drains
     * ({@code SoftTaintReplayCliTest}); this test is about the pass's budgets.
     */
    @Test
    void oneLoopRemovesNoMoreThanTheBudgetsAllow() throws Exception {
        before = 24;
        after = 6;
        Path plain = cache("", "configMap: {name: s}");
        double[] cost = new double[3];
        String[] specs = {null, "maxUnavailable: 2", "maxUnavailable: 1"};
        for (int i = 0; i < specs.length; i++) {
            JsonNode result = replay(specs[i] == null ? plain : withBudget(plain, "default", specs[i]), "ca", "--max-bulk-soft-taint-count", "0");
            assertThat(result.get("scaleDowns").asInt()).as(String.valueOf(specs[i])).isEqualTo(3);
            cost[i] = result.get("costTotal").asDouble();
        }
        assertThat(cost[0]).isLessThan(cost[1]);
        assertThat(cost[1]).isLessThan(cost[2]);
    }

    /**
     * A drain evicts through the eviction API: half-CPU cache pods, 24 falling to 6 (two a node on the three 4-CPU nodes
     * left), under {@code maxUnavailable: 1}: each drain evicts one pod, the budget refuses the other until the first's
     * replacement runs: a retry later, 10 s under CA, a second under Karpenter (its eviction queue's backoff).
     * {@code --max-pod-eviction-time 0s} gives every held CA drain up at its first retry; Karpenter's
     * {@code --termination-grace-period 0s} deletes the pods left at once. The text report says so; without a budget
     * nothing is held.
     */
    @Test
    void budgetsPaceTheDrainsEvictions() throws Exception {
        before = 24;
        after = 6;
        Path half = dir.resolve("half.yaml");
        Files.writeString(half, Files.readString(cache("", "configMap: {name: s}")).replace("cpu: \"1\"", "cpu: 500m"));
        Path budgeted = withBudget(half, "default", "maxUnavailable: 1");

        JsonNode ca = replay(budgeted, "ca");
        JsonNode drains = ca.get("budgetedDrains");
        assertThat(drains.get("held").asInt()).isPositive();
        assertThat(drains.get("givenUp").asInt()).isZero();
        // every refused pod waits whole retries of 10 s: one a drain at least
        assertThat(drains.get("heldSeconds").asLong() % 10).isZero();
        assertThat(drains.get("heldSeconds").asLong()).isGreaterThanOrEqualTo(10L * drains.get("held").asInt());
        assertThat(drains.get("refusals").get("default/cache-pdb").asLong()).isPositive();
        assertThat(ca.get("scaleDowns").asInt()).isPositive();
        assertThat(replay(half, "ca").get("budgetedDrains").get("held").asInt()).isZero();

        // one try, then given up at the first retry (10 s): every held drain fails, the nodes go later or not at all
        JsonNode givenUp = replay(budgeted, "ca", "--max-pod-eviction-time", "0s");
        assertThat(givenUp.get("budgetedDrains").get("givenUp").asInt()).isEqualTo(givenUp.get("budgetedDrains").get("held").asInt()).isPositive();
        assertThat(givenUp.get("budgetedDrains").get("heldSeconds").asLong()).isEqualTo(10L * givenUp.get("budgetedDrains").get("held").asInt());
        assertThat(givenUp.get("costTotal").asDouble()).isGreaterThan(ca.get("costTotal").asDouble());

        JsonNode karpenter = replay(budgeted, "karpenter");
        assertThat(karpenter.get("budgetedDrains").get("held").asInt()).isPositive();
        assertThat(karpenter.get("budgetedDrains").get("heldSeconds").asLong()).isGreaterThanOrEqualTo(karpenter.get("budgetedDrains").get("held").asLong())
                .isLessThan(drains.get("heldSeconds").asLong()); // retries after 1 s, not 10 s
        JsonNode forced = replay(budgeted, "karpenter", "--termination-grace-period", "0s");
        assertThat(forced.get("budgetedDrains").get("forced").asInt()).isEqualTo(forced.get("budgetedDrains").get("held").asInt()).isPositive();
        assertThat(forced.get("budgetedDrains").get("heldSeconds").asLong()).isZero();

        Path demand = dir.resolve("demand.csv");
        CliRunner text = CliRunner.run("replay", "--workload", budgeted.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,price=1", "--autoscaler", "ca", "--duration", "4h", "--reproducible", "--max-pod-eviction-time", "0s");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("autoscaler: ca, --max-pod-eviction-time 0s, provisioning delay") // non-default CA flags in the header
                .contains("Drains waiting on refused evictions: ").contains(" given up, the node kept")
                .contains("refusals: default/cache-pdb ");
        // compare (and a sweep's rows) show the drains when a run had them
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, JSON.writeValueAsString(ca));
        Files.writeString(b, JSON.writeValueAsString(givenUp));
        CliRunner compared = CliRunner.run("compare", a.toString(), b.toString());
        assertThat(compared.exitCode()).as(compared.err()).isZero();
        assertThat(compared.out()).contains("drains held").contains("drains given up").contains("scale-downs").contains("evictions");
        CliRunner bad = CliRunner.run("replay", "--workload", budgeted.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,price=1", "--autoscaler", "karpenter", "--termination-grace-period", "soon");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--termination-grace-period").doesNotContain("Exception");
    }

    /**
     * The sample budgets for the shop's manifests (workloads/manifests/budgets, the README's example): they are read beside
     * the shop's serving and data tiers, CA reports the API's budget holding nodes back, and both autoscalers evict fewer
     * pods for them. Without them Karpenter no longer loops (its drains evict in its queue order): it consolidated 344 times
     * with 1,390 evictions, which the budgets had damped to 68 and 100.
     *
     * <p>The input is the shop's web.yaml, data.yaml and daemonsets.yaml, not its batch.yaml: since --synthetic leaves a
     * Job's and a CronJob's pods unscaled (QA 73b F2), the reindex Job's 4 pods and the report CronJob's pod run the whole
     * week (neither completions nor schedules are replayed), which keeps CA's nodes above its utilisation threshold: its 44
     * scale-downs then take empty nodes (5 evictions in the week), no budget is ever asked and both runs cost $362.24, so
     * the whole shop can show nothing about budgets. The storefront's HPA (12..40) is applied as written.
     */
    @Test
    void theSampleBudgetsDampTheShopsChurn() throws Exception {
        String tiers = "workloads/manifests/shop/web.yaml,workloads/manifests/shop/data.yaml,workloads/manifests/shop/daemonsets.yaml";
        JsonNode[] runs = new JsonNode[4];
        int i = 0;
        for (String autoscaler : List.of("ca", "karpenter")) {
            for (String workload : List.of(tiers, tiers + ",workloads/manifests/budgets")) {
                CliRunner r = CliRunner.run("replay", "--workload", workload, "--synthetic", "diurnal", "--duration", "7d", "--node",
                        "aws:m5.2xlarge", "--autoscaler", autoscaler, "--reproducible", "-o", "json");
                assertThat(r.exitCode()).as(r.err()).isZero();
                runs[i++] = JSON.readTree(r.out());
            }
        }
        assertThat(runs[0].get("budgetHolds").isEmpty()).isTrue();
        assertThat(runs[1].get("budgetHolds").get("shop/product-api").asLong()).isPositive();
        assertThat(notes(runs[1])).contains("shop/product-api (minAvailable: 75%, covers shop/product-api)");
        assertThat(runs[1].get("budgetedDrains").get("held").asInt()).isPositive();
        assertThat(runs[1].get("evictions").asInt()).isLessThan(runs[0].get("evictions").asInt());
        assertThat(runs[1].get("costTotal").asDouble()).isGreaterThanOrEqualTo(runs[0].get("costTotal").asDouble());
        assertThat(runs[2].get("budgetedDrains").get("held").asInt()).isZero();
        assertThat(runs[3].get("budgetedDrains").get("held").asInt()).isPositive();
        assertThat(runs[3].get("scaleDowns").asInt()).isLessThan(runs[2].get("scaleDowns").asInt());
        assertThat(runs[3].get("evictions").asInt()).isLessThan(runs[2].get("evictions").asInt() / 2);
        assertThat(runs[2].get("scaleDowns").asInt()).as("no consolidation loop").isLessThan(100);
        assertThat(runs[2].get("evictions").asInt()).isLessThan(200);
    }

    /** CA keeps a node running a kube-system pod that no budget covers (--skip-nodes-with-system-pods, default true). */
    @Test
    void aKubeSystemPodWithoutABudgetKeepsTheNode() throws Exception {
        workloadName = "kube-system/cache";
        Path system = dir.resolve("system.yaml");
        Files.writeString(system, Files.readString(cache("", "configMap: {name: s}")).replace("metadata: {name: cache}",
                "metadata: {name: cache, namespace: kube-system}"));
        JsonNode kept = replay(system, "ca");
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(notes(kept)).contains("kube-system/cache: a kube-system pod that no PodDisruptionBudget covers");
        assertThat(replay(system, "ca", "--skip-nodes-with-system-pods", "false").get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(replay(withBudget(system, "kube-system", "minAvailable: 1"), "ca").get("scaleDowns").asInt()).isEqualTo(1);
        assertThat(replay(system, "karpenter").get("scaleDowns").asInt()).as("Karpenter has no such rule").isEqualTo(1);
    }

    /**
     * An expendable placeholder (below --expendable-pods-priority-cutoff) keeps no node from CA, neither as a kube-system
     * pod nor under a budget that allows no eviction: CA's snapshot leaves it out before any drain rule is asked, as
     * consolidate does (QA 70b F15: both kept the emptied node, 0 scale-downs at $2.80 against $1.64). Karpenter has no
     * cutoff: the budget keeps the node from it.
     */
    @Test
    void anExpendablePlaceholderKeepsNoNodeFromCa() throws Exception {
        String placeholders = """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: ph}
                value: -20
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: a, image: x, resources: {requests: {cpu: "3", memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: ph, namespace: %s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: ph}}
                  template:
                    metadata: {labels: {app: ph}}
                    spec:
                      priorityClassName: ph
                      containers: [{name: a, image: x, resources: {requests: {cpu: 500m, memory: 256Mi}}}]
                """;
        String budget = """
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: ph, namespace: default}
                spec: {minAvailable: 100%, selector: {matchLabels: {app: ph}}}
                """;
        Path system = dir.resolve("ph-system.yaml");
        Files.writeString(system, placeholders.formatted("kube-system"));
        Path budgeted = dir.resolve("ph-budget.yaml");
        Files.writeString(budgeted, placeholders.formatted("default") + budget);
        workloadName = "shop/web";
        before = 2;
        after = 1;
        for (Path w : List.of(system, budgeted)) {
            JsonNode ca = replay(w, "ca");
            assertThat(ca.get("scaleDowns").asInt()).as(w.getFileName().toString()).isEqualTo(1);
            assertThat(notes(ca)).doesNotContain("ph:");
            assertThat(replay(w, "ca", "--expendable-pods-priority-cutoff", "-20").get("scaleDowns").asInt())
                    .as("at the cutoff the placeholder is not expendable").isZero();
        }
        assertThat(replay(budgeted, "karpenter").get("scaleDowns").asInt()).as("Karpenter has no cutoff").isZero();
    }

    /**
     * A sweep sets CA's boolean flags by value, as the command takes them (QA 40e finding 1: false was dropped as a flag
     * left out, so the run kept CA's default, and true exited 2 as a flag missing its value).
     */
    @Test
    void aSweepSetsTheDrainFlagsByValue() throws Exception {
        Path workload = cache("", "emptyDir: {}");
        Path demand = dir.resolve("demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,cache,8\n+1h,cache,3\n");
        Path f = dir.resolve("scenarios.yaml");
        Files.writeString(f, """
                scenarios:
                  - name: local
                    command: replay
                    args: {workload: %s, demand: %s, node: "cpu=4,memory=16Gi,price=1", autoscaler: ca, duration: 4h,
                           skip-nodes-with-system-pods: true}
                    vary: {skip-nodes-with-local-storage: [true, false]}
                  - name: fixed
                    command: replay
                    args: {workload: %s, demand: %s, node: "cpu=4,memory=16Gi,price=1", autoscaler: ca, duration: 4h,
                           skip-nodes-with-local-storage: false}
                """.formatted(workload, demand, workload, demand));
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = JSON.readTree(r.out()).path("rows");
        assertThat(rows).hasSize(3);
        double kept = rows.get(0).path("figures").path("cost").asDouble();
        double drained = rows.get(1).path("figures").path("cost").asDouble();
        assertThat(kept).isEqualTo(replay(workload, "ca").get("costTotal").asDouble());
        assertThat(drained).isEqualTo(replay(workload, "ca", "--skip-nodes-with-local-storage", "false").get("costTotal").asDouble())
                .isLessThan(kept);
        assertThat(rows.get(2).path("figures").path("cost").asDouble()).isEqualTo(drained);
    }

    /** The DaemonSet agent (50m, 64Mi), with {@code metadataExtra} after its pods' labels and {@code specExtra} in their spec. */
    private static String agent(String metadataExtra, String specExtra) {
        return """
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}%s}
                    spec:%s
                      containers: [{name: a, image: x, resources: {requests: {cpu: 50m, memory: 64Mi}}}]
                """.formatted(metadataExtra, specExtra);
    }

    /** A DaemonSet whose pods are annotated do-not-disrupt keeps Karpenter from every node it runs on (QA 40e finding 2). */
    @Test
    void aDoNotDisruptDaemonSetKeepsKarpenterFromItsNodes() throws Exception {
        Path plain = cache("", "configMap: {name: s}");
        Path blocking = dir.resolve("ds-blocking.yaml");
        Files.writeString(blocking, Files.readString(plain) + agent(", annotations: {karpenter.sh/do-not-disrupt: \"true\"}", ""));
        Path free = dir.resolve("ds-free.yaml");
        Files.writeString(free, Files.readString(plain) + agent("", ""));
        JsonNode kept = replay(blocking, "karpenter");
        assertThat(kept.get("scaleDowns").asInt()).isZero();
        assertThat(notes(kept)).contains("DaemonSet agent: annotated karpenter.sh/do-not-disrupt");
        assertThat(replay(free, "karpenter").get("scaleDowns").asInt()).isPositive();
        assertThat(replay(blocking, "ca").get("scaleDowns").asInt()).as("CA lets DaemonSet pods go").isPositive();
    }

    /**
     * QA 46: a DaemonSet's do-not-disrupt pods keep an empty node too, and Karpenter's drain of an expired node waits for
     * them (never evicted; drainable unless they tolerate karpenter.sh/disrupted) until the terminationGracePeriod, forever
     * when it is unset. A DaemonSet tolerating every taint is not drained, so it holds no drain, but still keeps its
     * nodes from consolidation.
     */
    @Test
    void aDoNotDisruptDaemonSetHoldsKarpentersDrainsAndKeepsEmptyNodes() throws Exception {
        String dnd = ", annotations: {karpenter.sh/do-not-disrupt: \"true\"}";
        Path plain = cache("", "configMap: {name: s}");
        Path blocking = dir.resolve("ds-dnd.yaml");
        Files.writeString(blocking, Files.readString(plain) + agent(dnd, ""));
        Path tolerating = dir.resolve("ds-dnd-tolerating.yaml");
        Files.writeString(tolerating, Files.readString(plain) + agent(dnd, "\n      tolerations: [{operator: Exists}]"));

        after = 0; // every cache pod leaves at 1 h: the nodes are empty but for the DaemonSet's pods
        assertThat(replay(plain, "karpenter", "--expire-after", "Never").get("scaleDowns").asInt()).isPositive();
        assertThat(replay(blocking, "karpenter", "--expire-after", "Never").get("scaleDowns").asInt()).as("empty, still kept").isZero();
        assertThat(replay(tolerating, "karpenter", "--expire-after", "Never").get("scaleDowns").asInt()).isZero();

        after = 8;
        JsonNode waits = replay(blocking, "karpenter", "--expire-after", "1h");
        JsonNode drains = waits.get("budgetedDrains");
        assertThat(drains.get("held").asInt()).isPositive();
        assertThat(drains.get("atEnd").asInt()).as("waiting to the end without a grace period").isEqualTo(drains.get("held").asInt());
        assertThat(drains.get("refusals").get("(karpenter.sh/do-not-disrupt)").asLong()).isPositive();
        JsonNode forced = replay(blocking, "karpenter", "--expire-after", "1h", "--termination-grace-period", "10m");
        assertThat(forced.get("budgetedDrains").get("forced").asInt()).isEqualTo(forced.get("budgetedDrains").get("held").asInt())
                .isPositive();
        assertThat(forced.get("costTotal").asDouble()).isLessThan(waits.get("costTotal").asDouble());
        JsonNode free = replay(tolerating, "karpenter", "--expire-after", "1h");
        assertThat(free.get("budgetedDrains").get("held").asInt()).as("tolerating the taint, not drained").isZero();
        assertThat(free.get("costTotal").asDouble()).isLessThan(forced.get("costTotal").asDouble());
    }
}
