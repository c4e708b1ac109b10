package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

import java.time.Instant;

/**
 * {@code scheduled}: time-of-week min/max node counts per node group (an ASG's scheduled actions)
 * with the Cluster Autoscaler working inside them. When a window raises the min, the missing nodes
 * are requested at once (pre-warming, with the usual provisioning delay); when it lowers the max
 * below the current count, the group terminates the surplus: launching nodes first, then ready ones in its cloud's default
 * scale-in order, which looks at no pod ({@link ScaleInOrder}; it was the emptiest node, QA 75b F5).
 */
public final class Scheduled implements Autoscaler {
    private final ClusterAutoscaler ca;
    private final Schedule schedule;
    private final Instant origin;
    private final WeekClock clock;
    /** When the windows' limits next change, asked at every loop (a lookup, not the zone's rules per edge: QA 65b F2). */
    private final ScheduleEdges edges;
    private final int baseMin;
    private final int baseMax;
    /** The scale-in order's random picks (AWS's among instances equally close to their billing hour; GCE's): per seed. */
    private final java.util.SplittableRandom random;

    /** @param seed the run's seed, for the scale-in order's random picks */
    public Scheduled(ClusterAutoscaler ca, Schedule schedule, Instant origin, WeekClock clock, long seed) {
        this.ca = ca;
        this.schedule = schedule;
        this.origin = origin;
        this.clock = clock;
        this.edges = new ScheduleEdges(schedule, clock);
        this.baseMin = ca.settings().minNodes();
        this.baseMax = ca.settings().maxNodes();
        this.random = new java.util.SplittableRandom(seed ^ 0x5ca1e1dL); // its own stream: the other draws stay as they were
    }

    @Override
    public String name() {
        return "scheduled";
    }

    @Override
    public int expendableCutoff() {
        return ca.expendableCutoff();
    }

    @Override
    public String atLimit(Cluster cluster, int pod) {
        return ca.atLimit(cluster, pod);
    }

    @Override
    public String keepsNode(io.nodesizer.model.PodGroup group) {
        return ca.keepsNode(group);
    }

    public Schedule schedule() {
        return schedule;
    }

    @Override
    public long period() {
        return ca.period();
    }

    @Override
    public void start(Cluster cluster) {
        if (cluster.warm()) {
            // The pods present arrive after the start: the loops at time 0 give them their nodes, and the groups are
            // topped up to the min in force when those are over (warmStartSettled).
            limitsNow(cluster);
            return;
        }
        tick(cluster);
    }

    /** The min and max in force now, which Cluster Autoscaler is told of. */
    private int[] limitsNow(Cluster cluster) {
        int[] limits = schedule.limitsAt(origin.plusSeconds(cluster.now()), clock, baseMin, baseMax);
        ca.setLimits(limits[0], limits[1]);
        return limits;
    }

    @Override
    public void tick(Cluster cluster) {
        int[] limits = limitsNow(cluster);
        if (cluster.warm()) {
            ca.tick(cluster); // the min in force is met once the warm start's loops are over (warmStartSettled)
            return;
        }
        enforce(cluster, limits);
        ca.tick(cluster);
    }

    @Override
    public void warmStartSettled(Cluster cluster) {
        enforce(cluster, limitsNow(cluster));
    }

    /**
     * Each group up to the min in force (requested at once: pre-warming) and down to the max: the surplus terminated, those
     * still launching first (a launch the group no longer wants), then ready nodes in the cloud's order ({@link ScaleInOrder}).
     */
    private void enforce(Cluster cluster, int[] limits) {
        int[] sizes = ClusterAutoscaler.groupSizes(cluster);
        for (int pool = 0; pool < sizes.length; pool++) {
            for (int i = sizes[pool]; i < limits[0]; i++) {
                cluster.requestNode(pool);
            }
            int surplus = sizes[pool] - limits[1];
            for (int li = cluster.liveCount() - 1; li >= 0 && surplus > 0; li--) {
                int node = cluster.liveNode(li);
                if (cluster.pool(node) == pool && cluster.state(node) == Cluster.PROVISIONING) {
                    cluster.drain(node);
                    surplus--;
                }
            }
            ScaleInOrder.Policy policy = ScaleInOrder.Policy.of(cluster.pools().get(pool).cloud());
            while (surplus > 0) {
                int node = ScaleInOrder.pick(cluster, pool, policy, random);
                if (node < 0) {
                    break;
                }
                cluster.drain(node);
                surplus--;
            }
        }
    }

    @Override
    public long nextTick(Cluster cluster, long lastTick, boolean changed) {
        long next = ca.nextTick(cluster, lastTick, changed);
        long toEdge = edges.secondsToNext(origin.plusSeconds(cluster.now()));
        if (toEdge != Long.MAX_VALUE) {
            next = Math.min(next, Math.max(cluster.now() + toEdge, lastTick + 1));
        }
        return next;
    }
}
