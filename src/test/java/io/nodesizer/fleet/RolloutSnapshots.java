package io.nodesizer.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded running clusters for the DaemonSet roll-out of {@code pack --fleet}, as {@code kubectl get nodes,pods -A -o json}
 * prints them, and DaemonSets to roll onto them. Nodes of a few AWS types in three zones (zone, hostname, instance-type
 * and node-group labels; a quarter in a tainted batch group), filled to 20-95 % as scale-downs leave them; on each the
 * DaemonSet pods a node runs (kube-proxy, aws-node, a node-exporter holding host port 9100 on most nodes); Deployments'
 * pods (ReplicaSet owners) with and without required and preferred pod anti-affinity on the hostname and the zone,
 * hard and soft topology spreads, host ports and priorities; a few bare pods. Where {@code zoneRepelsAgents}, some
 * Deployments' required zone anti-affinity selects the agents' {@code tier: agent} label (their whole zone refuses them).
 *
 * <p>Run by hand to write a snapshot and the DaemonSets: {@code java -cp target/test-classes:target/classes
 * io.nodesizer.fleet.RolloutSnapshots snap.json agents.yaml nodes podsPerNode seed [zoneRepelsAgents]} (the README's
 * 5,000-node snapshot: {@code 5000 30 1}).
 */
public final class RolloutSnapshots {
    /** name, vCPU, GiB, max pods. */
    private static final Object[][] TYPES = {
            {"m5.xlarge", 4, 16, 58}, {"m5.2xlarge", 8, 32, 58}, {"c5.2xlarge", 8, 16, 58}, {"r5.xlarge", 4, 32, 58},
            {"m5.4xlarge", 16, 64, 234}};
    private static final String[] NAMESPACES = {"shop", "payments", "search", "batch"};

    private RolloutSnapshots() {
    }

    /** The snapshot: {@code nodes} nodes with about {@code podsPerNode} pods each. */
    public static String snapshot(long seed, int nodes, int podsPerNode, boolean zoneRepelsAgents) {
        Random rnd = new Random(seed);
        List<String> items = new ArrayList<>();
        long[] freeCpu = new long[nodes];
        long[] freeMem = new long[nodes];
        int[] freePods = new int[nodes];
        int[] zone = new int[nodes];
        boolean[] batch = new boolean[nodes];
        for (int i = 0; i < nodes; i++) {
            Object[] t = TYPES[rnd.nextInt(TYPES.length)];
            long cpu = (int) t[1] * 1000L - 80;
            long mem = (int) t[2] * 1024L - 900;
            zone[i] = rnd.nextInt(3);
            batch[i] = rnd.nextInt(4) == 0;
            String taint = batch[i] ? "\"taints\": [{\"key\": \"batch\", \"value\": \"true\", \"effect\": \"NoSchedule\"}]" : "";
            items.add(String.format(Locale.ROOT, "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"ip-10-%d-%d-%d.ec2.internal\", "
                    + "\"uid\": \"%s\", \"creationTimestamp\": \"2026-11-0%dT10:00:00Z\", \"labels\": {\"node.kubernetes.io/instance-type\": \"%s\", "
                    + "\"eks.amazonaws.com/nodegroup\": \"%s\", \"topology.kubernetes.io/zone\": \"us-east-1%c\", \"topology.kubernetes.io/region\": "
                    + "\"us-east-1\", \"kubernetes.io/arch\": \"amd64\", \"kubernetes.io/os\": \"linux\", \"kubernetes.io/hostname\": "
                    + "\"ip-10-%d-%d-%d.ec2.internal\"}}, \"spec\": {\"providerID\": \"aws:///us-east-1%c/i-%016x\"%s}, \"status\": {\"capacity\": "
                    + "{\"cpu\": \"%d\", \"memory\": \"%dGi\", \"pods\": \"%d\"}, \"allocatable\": {\"cpu\": \"%dm\", \"memory\": \"%dMi\", \"pods\": \"%d\"}, "
                    + "\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\", \"reason\": \"KubeletReady\"}]}}",
                    zone[i], i / 250, i % 250, uid(rnd), 1 + rnd.nextInt(9), t[0], batch[i] ? "batch" : "general", (char) ('a' + zone[i]),
                    zone[i], i / 250, i % 250, (char) ('a' + zone[i]), rnd.nextLong(), taint.isEmpty() ? "" : ", " + taint,
                    (int) t[1], (int) t[2], (int) t[3], cpu, mem, (int) t[3]));
            double fill = 0.2 + 0.75 * rnd.nextDouble();
            freeCpu[i] = (long) (cpu * fill);
            freeMem[i] = (long) (mem * fill);
            freePods[i] = Math.min((int) t[3], podsPerNode + 4);
            List<String[]> agents = new ArrayList<>(List.of(new String[] {"kube-proxy", "kube-system", "100", "128", ""},
                    new String[] {"aws-node", "kube-system", "25", "64", ""}));
            if (rnd.nextInt(20) != 0) {
                agents.add(new String[] {"node-exporter", "monitoring", "100", "180", "9100"});
            }
            for (String[] a : agents) {
                String ports = a[4].isEmpty() ? "" : "\"ports\": [{\"containerPort\": " + a[4] + ", \"hostPort\": " + a[4] + ", \"protocol\": \"TCP\"}], ";
                items.add(pod(rnd, a[0] + "-" + Integer.toString(i, 36), a[1], nodeName(i, zone[i]), Long.parseLong(a[2]), Long.parseLong(a[3]),
                        "DaemonSet", a[0], "\"tolerations\": [{\"operator\": \"Exists\"}], \"priority\": 2000001000, ", ports,
                        "{\"app\": \"" + a[0] + "\", \"tier\": \"agent\"}"));
                freeCpu[i] -= Long.parseLong(a[2]);
                freeMem[i] -= Long.parseLong(a[3]);
                freePods[i]--;
            }
            if (rnd.nextInt(40) == 0) {
                items.add(pod(rnd, "debug-" + i, "default", nodeName(i, zone[i]), 50, 64, null, null, "", "", "{\"app\": \"debug\"}"));
                freeCpu[i] -= 50;
                freeMem[i] -= 64;
                freePods[i]--;
            }
        }
        long target = (long) nodes * podsPerNode;
        long placed = 0;
        for (int w = 0, idle = 0; placed < target && idle < 1000; w++) {
            long before = placed;
            String ns = NAMESPACES[rnd.nextInt(NAMESPACES.length)];
            boolean onBatch = ns.equals("batch");
            String app = "app-" + w;
            int kind = rnd.nextInt(100);
            // The rule mix: 10 % hostname anti-affinity, 3 % zone anti-affinity (one pod per zone), 2 % zone anti-affinity
            // against the agents (zoneRepelsAgents), 15 % preferred anti-affinity, 10 % hard zone spread, 5 % hard hostname
            // spread, 5 % soft spread, 5 % a host port.
            int replicas = kind >= 10 && kind < 15 ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(60);
            StringBuilder spec = new StringBuilder();
            if (onBatch) {
                spec.append("\"nodeSelector\": {\"eks.amazonaws.com/nodegroup\": \"batch\"}, \"tolerations\": [{\"key\": \"batch\", "
                        + "\"operator\": \"Equal\", \"value\": \"true\", \"effect\": \"NoSchedule\"}], ");
            }
            String self = "{\"matchLabels\": {\"app\": \"" + app + "\"}}";
            boolean oneANode = false;
            boolean oneAZone = false;
            String ports = "";
            if (kind < 10) {
                spec.append(anti("requiredDuringSchedulingIgnoredDuringExecution", self, "kubernetes.io/hostname", false));
                oneANode = true;
            } else if (kind < 13 || kind < 15 && !zoneRepelsAgents) {
                spec.append(anti("requiredDuringSchedulingIgnoredDuringExecution", self, "topology.kubernetes.io/zone", false));
                oneAZone = true;
            } else if (kind < 15) {
                spec.append(anti("requiredDuringSchedulingIgnoredDuringExecution", "{\"matchLabels\": {\"tier\": \"agent\", \"app\": \"agent-"
                        + (kind - 13) + "\"}}, \"namespaces\": [\"monitoring\"]", "topology.kubernetes.io/zone", false));
            } else if (kind < 30) {
                spec.append(anti("preferredDuringSchedulingIgnoredDuringExecution", self, "kubernetes.io/hostname", true));
            } else if (kind < 40) {
                spec.append(spread(self, "topology.kubernetes.io/zone", "DoNotSchedule"));
            } else if (kind < 45) {
                spec.append(spread(self, "kubernetes.io/hostname", "DoNotSchedule"));
                oneANode = true;
            } else if (kind < 50) {
                spec.append(spread(self, "topology.kubernetes.io/zone", "ScheduleAnyway"));
            } else if (kind < 55) {
                int port = rnd.nextInt(3) == 0 ? 9200 : 8080 + rnd.nextInt(3);
                ports = "\"ports\": [{\"containerPort\": " + port + ", \"hostPort\": " + port + ", \"protocol\": \"TCP\"}], ";
                oneANode = true;
            }
            int priority = rnd.nextInt(5) == 0 ? 1000 : 0;
            spec.append("\"priority\": ").append(priority).append(", ");
            long cpu = 25L * (1 + rnd.nextInt(8));
            long mem = 32L * (1 + rnd.nextInt(16));
            String hash = Integer.toHexString(0x10000000 + rnd.nextInt(0x0fffffff));
            boolean[] taken = new boolean[oneAZone ? 3 : nodes];
            for (int r = 0; r < replicas && placed < target; r++) {
                int node = -1;
                for (int tries = 0; tries < 50 && node < 0; tries++) {
                    int c = rnd.nextInt(nodes);
                    if (batch[c] == onBatch && freeCpu[c] >= cpu && freeMem[c] >= mem && freePods[c] > 0
                            && !(oneANode && taken[c]) && !(oneAZone && taken[zone[c]])) {
                        node = c;
                    }
                }
                if (node < 0) {
                    continue; // full: the replica is not created
                }
                taken[oneAZone ? zone[node] : node] = true;
                freeCpu[node] -= cpu;
                freeMem[node] -= mem;
                freePods[node]--;
                placed++;
                items.add(pod(rnd, app + "-" + hash + "-" + Integer.toString(rnd.nextInt(60466176), 36), ns, nodeName(node, zone[node]), cpu, mem,
                        "ReplicaSet", app + "-" + hash, spec.toString(), ports,
                        "{\"app\": \"" + app + "\", \"pod-template-hash\": \"" + hash + "\"}"));
            }
            idle = placed == before ? idle + 1 : 0; // the cluster is full: stop short of the target
        }
        return "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n" + String.join(",\n", items) + "\n], \"metadata\": {\"resourceVersion\": \"\"}}\n";
    }

    /**
     * The DaemonSets rolled onto it: node-exporter's new template (150m, host port 9100, system-node-critical, all nodes at
     * once), a new log agent holding host port 9200 (which some Deployments' pods hold) at priority 0, and agent-0, a new
     * agent with a hard zone spread and a required zone anti-affinity to pods of {@code app: lonely-zone} (none run).
     */
    public static String daemonSets() {
        return """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: node-exporter, namespace: monitoring}
                spec:
                  selector: {matchLabels: {app: node-exporter}}
                  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: "100%"}}
                  template:
                    metadata: {labels: {app: node-exporter, tier: agent}}
                    spec:
                      priorityClassName: system-node-critical
                      tolerations: [{operator: Exists}]
                      containers: [{name: c, ports: [{containerPort: 9100, hostPort: 9100}], resources: {requests: {cpu: 150m, memory: 200Mi}}}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: log-agent, namespace: monitoring}
                spec:
                  selector: {matchLabels: {app: log-agent}}
                  template:
                    metadata: {labels: {app: log-agent, tier: agent}}
                    spec:
                      containers: [{name: c, ports: [{containerPort: 9200, hostPort: 9200}], resources: {requests: {cpu: 200m, memory: 256Mi}}}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent-0, namespace: monitoring}
                spec:
                  selector: {matchLabels: {app: agent-0}}
                  template:
                    metadata: {labels: {app: agent-0, tier: agent}}
                    spec:
                      tolerations: [{operator: Exists}]
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: agent-0}}}
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - {labelSelector: {matchLabels: {app: lonely-zone}}, topologyKey: topology.kubernetes.io/zone}
                      containers: [{name: c, resources: {requests: {cpu: 50m, memory: 64Mi}}}]
                """;
    }

    private static String nodeName(int i, int zone) {
        return String.format(Locale.ROOT, "ip-10-%d-%d-%d.ec2.internal", zone, i / 250, i % 250);
    }

    private static String uid(Random rnd) {
        return String.format(Locale.ROOT, "%08x-%04x-%04x-%04x-%012x", rnd.nextInt(), rnd.nextInt(0x10000), rnd.nextInt(0x10000),
                rnd.nextInt(0x10000), rnd.nextLong() & 0xffffffffffffL);
    }

    private static String anti(String kind, String selector, String key, boolean weighted) {
        String term = "{\"labelSelector\": " + selector + ", \"topologyKey\": \"" + key + "\"}";
        return "\"affinity\": {\"podAntiAffinity\": {\"" + kind + "\": [" + (weighted ? "{\"weight\": 100, \"podAffinityTerm\": " + term + "}" : term)
                + "]}}, ";
    }

    private static String spread(String selector, String key, String when) {
        return "\"topologySpreadConstraints\": [{\"maxSkew\": 1, \"topologyKey\": \"" + key + "\", \"whenUnsatisfiable\": \"" + when
                + "\", \"labelSelector\": " + selector + "}], ";
    }

    private static String pod(Random rnd, String name, String namespace, String node, long cpuMillis, long memMib, String ownerKind, String owner,
                              String spec, String ports, String labels) {
        String owners = ownerKind == null ? "" : ", \"ownerReferences\": [{\"apiVersion\": \"apps/v1\", \"kind\": \"" + ownerKind
                + "\", \"name\": \"" + owner + "\", \"controller\": true, \"blockOwnerDeletion\": true, \"uid\": \"" + uid(rnd) + "\"}]";
        return String.format(Locale.ROOT, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\", "
                + "\"uid\": \"%s\", \"creationTimestamp\": \"2026-12-01T08:00:00Z\", \"labels\": %s%s}, \"spec\": {%s\"nodeName\": \"%s\", "
                + "\"schedulerName\": \"default-scheduler\", \"containers\": [{\"name\": \"app\", \"image\": \"registry.example.com/%s:1.4.2\", %s"
                + "\"resources\": {\"requests\": {\"cpu\": \"%dm\", \"memory\": \"%dMi\"}}}]}, \"status\": {\"phase\": \"Running\", \"qosClass\": "
                + "\"Burstable\", \"startTime\": \"2026-12-01T08:00:0%dZ\"}}",
                name, namespace, uid(rnd), labels, owners, spec, node, owner == null ? name : owner, ports, cpuMillis, memMib, rnd.nextInt(10));
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), snapshot(Long.parseLong(args[4]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                args.length > 5 && Boolean.parseBoolean(args[5])));
        Files.writeString(Path.of(args[1]), daemonSets());
    }
}
