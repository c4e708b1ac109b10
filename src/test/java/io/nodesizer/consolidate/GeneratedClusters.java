package io.nodesizer.consolidate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded running clusters as {@code kubectl get nodes,pods -A -o json} would print them, for the
 * consolidation tests and measurements: nodes of a few AWS types in two node groups and three
 * zones, two DaemonSets per node, Deployments whose replicas were scheduled onto random nodes with
 * room (so nodes end up unevenly filled, as after scale-downs), a few pods without a controller,
 * and optionally a share of the Deployments with hostname anti-affinity.
 *
 * <p>Run by hand to write one: {@code java -cp … io.nodesizer.consolidate.GeneratedClusters out.json
 * nodes pods seed [ruleShare]} (the README's 1,000 nodes and 30,000 pods: {@code 1000 30000 1}).
 */
public final class GeneratedClusters {
    /** name, vCPU, GiB, max pods. */
    private static final Object[][] TYPES = {
            {"m5.xlarge", 4, 16, 58}, {"m5.2xlarge", 8, 32, 58}, {"c5.2xlarge", 8, 16, 58}, {"r5.xlarge", 4, 32, 58},
            {"m5.4xlarge", 16, 64, 234}};
    private static final long MIB = 1L << 20;

    private GeneratedClusters() {
    }

    /**
     * @param ruleShare share of the Deployments whose replicas repel each other on the hostname
     * @param bareShare share of the nodes that run one pod without a controller
     */
    public static String json(long seed, int nodes, int pods, double ruleShare, double bareShare) {
        return json(seed, nodes, pods, ruleShare, bareShare, 0);
    }

    /** As above, {@code budgetShare} of the Deployments with a PodDisruptionBudget (maxUnavailable 1) selecting their app. */
    public static String json(long seed, int nodes, int pods, double ruleShare, double bareShare, double budgetShare) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n");
        List<String> items = new ArrayList<>();
        long[] freeCpu = new long[nodes];
        long[] freeMem = new long[nodes];
        int[] freePods = new int[nodes];
        String[] group = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            Object[] t = TYPES[rnd.nextInt(TYPES.length)];
            long cpu = (int) t[1] * 1000L - 80;
            long mem = (int) t[2] * 1024L * MIB - 900 * MIB;
            // Filled to 20-95 % at most: scale-downs leave nodes uneven.
            double fill = 0.2 + 0.75 * rnd.nextDouble();
            group[i] = rnd.nextInt(4) == 0 ? "batch" : "general";
            String taint = group[i].equals("batch") ? ", \"taints\": [{\"key\": \"batch\", \"value\": \"true\", \"effect\": \"NoSchedule\"}]" : "";
            items.add(String.format(Locale.ROOT, "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"node-%d\", \"labels\": "
                    + "{\"node.kubernetes.io/instance-type\": \"%s\", \"eks.amazonaws.com/nodegroup\": \"%s\", \"topology.kubernetes.io/zone\": "
                    + "\"us-east-1%c\", \"kubernetes.io/arch\": \"amd64\", \"kubernetes.io/os\": \"linux\", \"kubernetes.io/hostname\": \"node-%d\"}}, "
                    + "\"spec\": {%s}, \"status\": {\"allocatable\": {\"cpu\": \"%dm\", \"memory\": \"%dMi\", \"pods\": \"%d\"}}}",
                    i, t[0], group[i], (char) ('a' + i % 3), i, taint.isEmpty() ? "" : taint.substring(2), cpu, mem / MIB, (int) t[3]));
            freeCpu[i] = (long) (cpu * fill);
            freeMem[i] = (long) (mem * fill);
            freePods[i] = (int) t[3];
            for (String[] ds : new String[][] {{"kube-proxy", "100", "128"}, {"aws-node", "25", "64"}}) {
                items.add(pod(ds[0] + "-" + i, "kube-system", "node-" + i, Long.parseLong(ds[1]), Long.parseLong(ds[2]), "DaemonSet", ds[0], "",
                        "{\"app\": \"" + ds[0] + "\"}"));
                freeCpu[i] -= Long.parseLong(ds[1]);
                freeMem[i] -= Long.parseLong(ds[2]) * MIB;
                freePods[i]--;
            }
            if (rnd.nextDouble() < bareShare) {
                items.add(pod("debug-" + i, "default", "node-" + i, 50, 64, null, null, "", "{\"app\": \"debug\"}"));
                freeCpu[i] -= 50;
                freeMem[i] -= 64 * MIB;
                freePods[i]--;
            }
        }
        int placed = 0;
        for (int w = 0; placed < pods; w++) {
            int replicas = Math.min(pods - placed, 1 + rnd.nextInt(60));
            long cpu = 25L * (1 + rnd.nextInt(12));
            long mem = 64L * (1 + rnd.nextInt(16));
            boolean batch = rnd.nextInt(4) == 0;
            boolean ruled = rnd.nextDouble() < ruleShare;
            String app = "app-" + w;
            String spec = (batch ? "\"nodeSelector\": {\"eks.amazonaws.com/nodegroup\": \"batch\"}, \"tolerations\": [{\"key\": \"batch\", "
                    + "\"operator\": \"Equal\", \"value\": \"true\", \"effect\": \"NoSchedule\"}], " : "")
                    + (ruled ? "\"affinity\": {\"podAntiAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\": [{\"labelSelector\": "
                    + "{\"matchLabels\": {\"app\": \"" + app + "\"}}, \"topologyKey\": \"kubernetes.io/hostname\"}]}}, " : "");
            // No draw without budgets: the clusters of a seed stay those the README's consolidate table was measured on (QA 70a F11).
            if (budgetShare > 0 && rnd.nextDouble() < budgetShare) {
                items.add("{\"apiVersion\": \"policy/v1\", \"kind\": \"PodDisruptionBudget\", \"metadata\": {\"name\": \"" + app
                        + "\", \"namespace\": \"shop\"}, \"spec\": {\"maxUnavailable\": 1, \"selector\": {\"matchLabels\": {\"app\": \""
                        + app + "\"}}}}");
            }
            boolean[] taken = new boolean[nodes];
            for (int r = 0; r < replicas; r++, placed++) {
                int node = -1;
                for (int tries = 0; tries < 50 && node < 0; tries++) {
                    int c = rnd.nextInt(nodes);
                    if (group[c].equals(batch ? "batch" : "general") && freeCpu[c] >= cpu && freeMem[c] >= mem * MIB && freePods[c] > 0
                            && !(ruled && taken[c])) {
                        node = c;
                    }
                }
                if (node < 0) {
                    continue; // full: the replica is not created (the generator sizes the cluster, not the other way)
                }
                taken[node] = true;
                freeCpu[node] -= cpu;
                freeMem[node] -= mem * MIB;
                freePods[node]--;
                items.add(pod(app + "-" + r, "shop", "node-" + node, cpu, mem, "ReplicaSet", app + "-7d9f", spec,
                        "{\"app\": \"" + app + "\"}"));
            }
        }
        sb.append(String.join(",\n", items)).append("\n]}\n");
        return sb.toString();
    }

    private static String pod(String name, String namespace, String node, long cpuMillis, long memMib, String ownerKind, String owner,
                              String spec, String labels) {
        String owners = ownerKind == null ? "" : ", \"ownerReferences\": [{\"apiVersion\": \"apps/v1\", \"kind\": \"" + ownerKind
                + "\", \"name\": \"" + owner + "\", \"controller\": true, \"uid\": \"x\"}]";
        return String.format(Locale.ROOT, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\", "
                + "\"labels\": %s%s}, \"spec\": {%s\"nodeName\": \"%s\", \"containers\": [{\"name\": \"app\", \"resources\": {\"requests\": "
                + "{\"cpu\": \"%dm\", \"memory\": \"%dMi\"}}}]}, \"status\": {\"phase\": \"Running\"}}",
                name, namespace, labels, owners, spec, node, cpuMillis, memMib);
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), json(Long.parseLong(args[3]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args.length > 4 ? Double.parseDouble(args[4]) : 0, 0.05, args.length > 5 ? Double.parseDouble(args[5]) : 0));
    }
}
