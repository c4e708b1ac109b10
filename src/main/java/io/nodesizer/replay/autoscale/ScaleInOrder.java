package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

import java.util.SplittableRandom;

/**
 * Which ready node a node group terminates when a window's falling max makes it scale in: the cloud's default scale-in
 * order, which looks at no pod. The replay took the node with the fewest pods (QA 75b F5), the most favourable choice, so
 * the evictions and pending time it reported for --headroom windows whose max bites were a floor.
 * <ul>
 *   <li>AWS (EC2 Auto Scaling's default termination policy, user guide "Configure termination policies for Amazon EC2 Auto
 *   Scaling"): the zones with the most instances first (zone balance comes before the policy); then instances of an
 *   outdated launch template or configuration (a group of one shape has none); then the instance closest to the next
 *   billing hour; then a random one of those equally close.</li>
 *   <li>Azure (a VM scale set's Default scale-in policy, Uniform orchestration as AKS node pools run: "Use custom scale-in
 *   policies with Azure Virtual Machine Scale Sets"): balanced across zones, then across fault domains (best effort; not
 *   modelled), then the highest instance ID, the newest.</li>
 *   <li>Others (GCE, whose instanceGroupManagers.resize documents only that a regional group takes the VM's location into
 *   account): the zones with the most of the group's ready nodes, then a random one there.</li>
 * </ul>
 * A shape naming no cloud is its pool's assumed cloud's ({@link io.nodesizer.replay.Pool#cloud}: AWS unless an export says
 * Azure), as the exports write for it; it was replayed in the random order while --export cronjob wrote AWS's (fix 76f).
 * Random picks draw from the run's seed: deterministic per seed.
 */
final class ScaleInOrder {
    /** The documented default orders, and a random pick where none is. */
    enum Policy {
        AWS, AZURE, RANDOM;

        /** The order of a node group in {@code cloud} ("aws", "gce", "azure"). */
        static Policy of(String cloud) {
            return "aws".equals(cloud) ? AWS : "azure".equals(cloud) ? AZURE : RANDOM;
        }
    }

    /** An instance is billed by the hour from its launch: the seconds into its current hour (AWS's "closest to the next billing hour"). */
    private static final long HOUR = 3600;

    private ScaleInOrder() {
    }

    /** The ready node of {@code pool} the group terminates next, or -1 when it has none. */
    static int pick(Cluster cluster, int pool, Policy policy, SplittableRandom random) {
        int zones = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            zones = Math.max(zones, cluster.zone(cluster.liveNode(li)) + 1);
        }
        // Zone balance first, for every cloud (GCE's instanceGroupManagers.resize: a regional group takes the VM's location into
        // account; review 75b #5): the zones holding the most of the group's ready nodes.
        int[] perZone = new int[Math.max(1, zones)];
        int ready = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            if (isCandidate(cluster, pool, node)) {
                perZone[Math.max(0, cluster.zone(node))]++;
                ready++;
            }
        }
        if (ready == 0) {
            return -1;
        }
        int most = 0;
        for (int n : perZone) {
            most = Math.max(most, n);
        }
        int chosen = -1;
        long best = Long.MIN_VALUE;
        int ties = 0;
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            if (!isCandidate(cluster, pool, node) || perZone[Math.max(0, cluster.zone(node))] < most) {
                continue;
            }
            long key = switch (policy) {
                // seconds into the billing hour: the most is the closest to the next one
                case AWS -> Math.floorMod(cluster.now() - cluster.requestedAt(node), HOUR);
                // the highest instance ID: the newest (among nodes requested at one instant, the later one, below)
                case AZURE -> cluster.requestedAt(node);
                case RANDOM -> 0;
            };
            if (key > best) {
                best = key;
                chosen = node;
                ties = 1;
            } else if (key == best) {
                if (policy == Policy.AZURE) {
                    chosen = Math.max(chosen, node); // IDs follow the order of creation
                } else if (random.nextInt(++ties) == 0) {
                    chosen = node; // reservoir sampling: each tied node with the same chance, in one pass
                }
            }
        }
        return chosen;
    }

    private static boolean isCandidate(Cluster cluster, int pool, int node) {
        return cluster.pool(node) == pool && cluster.state(node) == Cluster.READY;
    }
}
