package io.nodesizer.cli;

import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.PeakPacking;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.autoscale.Scheduled;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The autoscaler models and their parameters, each with its upstream default. */
final class ReplayModelOptions {
    static final List<String> MODELS = List.of("none", "ca", "karpenter", "scheduled");
    /** CA + EC2 Auto Scaling group, standard EKS AMI: 3–5 min end to end (shared/data/provisioning.md: zop.dev). */
    static final String CA_AWS_DELAY = "3m..5m";
    /** GKE/AKS: no public figure; 2–4 min is the stated assumption (shared/data/provisioning.md). */
    static final String CA_OTHER_DELAY = "2m..4m";
    /** Karpenter on EKS: typically under 60 s pod-pending to node-Ready (same source). */
    static final String KARPENTER_DELAY = "60s";

    /**
     * The documented default provisioning delay for a model and the provider of the cluster's
     * (first) shape: Karpenter 60s; otherwise 3m..5m on AWS and for inline/generic shapes,
     * 2m..4m on GCE and Azure.
     */
    static String defaultDelay(String model, String provider) {
        if (model.equals("karpenter")) {
            return KARPENTER_DELAY;
        }
        return provider.equals("gce") || provider.equals("azure") ? CA_OTHER_DELAY : CA_AWS_DELAY;
    }

    /** Kubernetes' documented largest cluster. */
    static final int MAX_NODES = 5000;

    @Option(names = "--provision-delay", paramLabel = "DURATION", description = "Node request to Ready: fixed (4m) or uniform range (3m..5m), "
            + "drawn per node from --seed. Default: " + KARPENTER_DELAY + " for karpenter (under 60 s on EKS); for none/ca/scheduled "
            + CA_AWS_DELAY + " on AWS and inline shapes (CA + ASG, 3–5 min), " + CA_OTHER_DELAY + " on GCE/Azure (assumption); see README.")
    String provisionDelay;

    @Option(names = "--drain-delay", paramLabel = "DURATION", defaultValue = "30s", description = "Drain start to node removal "
            + "(terminationGracePeriodSeconds default 30). Default: ${DEFAULT-VALUE}.")
    String drainDelay;

    @Option(names = "--nodes", paramLabel = "N", description = "none: the fixed node count. Default: what pack needs at the demand's peak.")
    Integer nodes;

    @Option(names = "--min-nodes", paramLabel = "N", defaultValue = "0", description = "ca/scheduled: min size of each node group. Default: ${DEFAULT-VALUE}.")
    int minNodes;

    @Option(names = "--max-nodes", paramLabel = "N", defaultValue = "" + MAX_NODES, description = "Max size of each node group (karpenter: of the cluster). "
            + "Default: ${DEFAULT-VALUE}, Kubernetes' largest documented cluster.")
    int maxNodes;

    @Option(names = "--scan-interval", paramLabel = "DURATION", defaultValue = "10s", description = "ca: --scan-interval. Default: ${DEFAULT-VALUE}.")
    String scanInterval;

    @Option(names = "--scale-down-unneeded-time", paramLabel = "DURATION", defaultValue = "10m", description = "ca: --scale-down-unneeded-time. Default: ${DEFAULT-VALUE}.")
    String unneededTime;

    @Option(names = "--scale-down-utilization-threshold", paramLabel = "F", defaultValue = "0.5", description = "ca: --scale-down-utilization-threshold. Default: ${DEFAULT-VALUE}.")
    double utilisationThreshold;

    @Option(names = "--scale-down-gpu-utilization-threshold", paramLabel = "F", defaultValue = "0.5", description = "ca: "
            + "--scale-down-gpu-utilization-threshold: a node with GPUs is judged by its GPU requests alone. Default: ${DEFAULT-VALUE}.")
    double gpuUtilisationThreshold;

    @Option(names = "--skip-nodes-with-local-storage", paramLabel = "BOOL", arity = "1", defaultValue = "true", description = "ca: "
            + "--skip-nodes-with-local-storage: a node running a pod with a hostPath or disk-backed emptyDir volume (from manifests) "
            + "is never scaled down. Default: ${DEFAULT-VALUE}.")
    boolean skipNodesWithLocalStorage;

    @Option(names = "--skip-nodes-with-system-pods", paramLabel = "BOOL", arity = "1", defaultValue = "true", description = "ca: "
            + "--skip-nodes-with-system-pods: a node running a kube-system pod that no PodDisruptionBudget among the inputs covers "
            + "is never scaled down. Default: ${DEFAULT-VALUE}.")
    boolean skipNodesWithSystemPods;

    @Option(names = "--scale-down-delay-after-add", paramLabel = "DURATION", defaultValue = "10m", description = "ca: --scale-down-delay-after-add. Default: ${DEFAULT-VALUE}.")
    String delayAfterAdd;

    @Option(names = "--expander", paramLabel = "NAME", defaultValue = "random", description = "ca: random, least-waste or price (--expander). Default: ${DEFAULT-VALUE}.")
    String expander;

    @Option(names = "--max-scale-down-parallelism", paramLabel = "N", description = "ca: nodes, empty or drained, being deleted at once "
            + "(--max-scale-down-parallelism). Default: 10, or --max-empty-bulk-delete when that is given.")
    Integer maxScaleDownParallelism;

    @Option(names = "--max-drain-parallelism", paramLabel = "N", defaultValue = "1",
            description = "ca: nodes with pods being drained and deleted at once (--max-drain-parallelism). Default: ${DEFAULT-VALUE}.")
    int maxDrainParallelism;

    @Option(names = "--max-bulk-soft-taint-count", paramLabel = "N", defaultValue = "10",
            description = "ca: soft taints (DeletionCandidateOfClusterAutoscaler:PreferNoSchedule) a loop puts on unneeded nodes or takes off "
                    + "needed ones, which keep the scheduler's new pods off the nodes CA means to remove; 0: none (--max-bulk-soft-taint-count). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxBulkSoftTaintCount;

    @Option(names = "--max-empty-bulk-delete", paramLabel = "N", description = "ca: the deprecated name of --max-scale-down-parallelism, "
            + "which it sets when that is not given (as CA does).")
    Integer maxEmptyBulkDelete;

    @Option(names = "--unremovable-node-recheck-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "ca: how long a node whose pods found no place elsewhere is not simulated again (--unremovable-node-recheck-timeout). "
                    + "Default: ${DEFAULT-VALUE}.")
    String unremovableRecheck;

    @Option(names = "--new-pod-scale-up-delay", paramLabel = "DURATION", defaultValue = "0s",
            description = "ca: pods younger than this are not considered for scale-up (--new-pod-scale-up-delay). Default: ${DEFAULT-VALUE}.")
    String newPodScaleUpDelay;

    @Option(names = "--scale-down-delay-after-delete", paramLabel = "DURATION", defaultValue = "0s",
            description = "ca: no node deletion starts within this of a loop that started one (--scale-down-delay-after-delete). Default: ${DEFAULT-VALUE}.")
    String delayAfterDelete;

    @Option(names = "--expendable-pods-priority-cutoff", paramLabel = "N", defaultValue = "-10",
            description = "ca: pods of a priority below N are expendable: they trigger no scale-up, count nothing in a node's "
                    + "utilisation and stay behind when its pods are simulated elsewhere (--expendable-pods-priority-cutoff). "
                    + "Default: ${DEFAULT-VALUE}.")
    int expendablePodsPriorityCutoff;

    /**
     * The priority a pod needs to count in the pending figures an SLO is judged on (QA 70b F13): over-provisioning
     * placeholders (a negative PriorityClass: -1 in Cluster Autoscaler's FAQ recipe, -20 in workloads/overprovisioning.csv)
     * are preempted as real pods come and then wait by design, so counting them made every autoscaler miss any SLO. Not
     * given, every pod counts (review 71 #3: a default of 0 left real batch work at a negative priority out, and windows
     * recommended fixed-for-peak at 0 nodes for it): nothing tells a placeholder from such work by its priority alone,
     * so the user says which; {@link #sloNote} points to the option where pods run below 0.
     */
    @Option(names = "--slo-min-priority", paramLabel = "N",
            description = "Pods of a priority below N (over-provisioning placeholders, which wait by design) are left out of the "
                    + "pending percentiles, pods over the SLO, pending at the end and fixed-for-peak's sizing, and their waits "
                    + "reported apart. Default: every pod counts (a note names the pods below 0).")
    Integer sloMinPriority;

    /** The priority a pod needs to count in the SLO's figures: --slo-min-priority, or every pod's when not given. */
    int sloMinPriority() {
        return sloMinPriority == null ? Integer.MIN_VALUE : sloMinPriority;
    }

    /**
     * What --slo-min-priority makes of {@code w}: exits 2 when it leaves every pod out (no figure would judge anything,
     * and fixed-for-peak would pack no node); when it is not given and some pods run below priority 0, a note naming
     * them and the option (over-provisioning placeholders wait by design; real work at a negative priority does not);
     * else null.
     */
    String sloNote(io.nodesizer.model.Workload w) {
        long below = 0;
        long pods = 0;
        int highest = Integer.MIN_VALUE;
        List<String> names = new java.util.ArrayList<>();
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            pods += g.replicas();
            highest = Math.max(highest, g.priority());
            if (g.priority() < (sloMinPriority == null ? 0 : sloMinPriority)) {
                below += g.replicas();
                names.add(g.name() + " (" + g.priority() + ")");
            }
        }
        if (sloMinPriority != null && pods > 0 && below == pods) {
            throw new InputException(SourceLocation.ofFile("--slo-min-priority"), "--slo-min-priority " + sloMinPriority + " leaves every pod "
                    + "of the workload out of the pending figures and the SLO: the highest priority among them is " + highest
                    + ". Give N at most " + highest + ", or leave the option out to count every pod.");
        }
        if (sloMinPriority != null || below == 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%,d pod%s of %s run below priority 0 and count in the pending figures and the SLO; if "
                + "they are over-provisioning placeholders, which real pods preempt and which then wait by design, --slo-min-priority 0 "
                + "leaves them out (their waits said apart)", below, below == 1 ? "" : "s", io.nodesizer.model.NameLists.firstOf(names, 3));
    }

    @Option(names = "--batch-idle", paramLabel = "DURATION", defaultValue = "1s", description = "karpenter: BATCH_IDLE_DURATION. Default: ${DEFAULT-VALUE}.")
    String batchIdle;

    @Option(names = "--batch-max", paramLabel = "DURATION", defaultValue = "10s", description = "karpenter: BATCH_MAX_DURATION. Default: ${DEFAULT-VALUE}.")
    String batchMax;

    @Option(names = "--consolidation", paramLabel = "POLICY", defaultValue = "WhenEmptyOrUnderutilized",
            description = "karpenter: consolidationPolicy, WhenEmptyOrUnderutilized, WhenEmpty or Balanced (v1.14: a move only "
                    + "when its share of the pool's cost saved is at least half its share of the pool's disruption, 1 a node plus 1 a pod). "
                    + "Default: ${DEFAULT-VALUE}.")
    String consolidation;

    @Option(names = "--consolidate-after", paramLabel = "DURATION", defaultValue = "0s", description = "karpenter: consolidateAfter; "
            + "Never turns consolidation off, empty nodes included (nodes still expire). Default: ${DEFAULT-VALUE}.")
    String consolidateAfter;

    @Option(names = "--disruption-budget", paramLabel = "NODES", defaultValue = "10%",
            description = "karpenter: the NodePool's disruption budget (spec.disruption.budgets nodes): how many nodes may be disrupted at once, "
                    + "a count or a percentage of its nodes (rounded up); 0 stops consolidation. Default: ${DEFAULT-VALUE}.")
    String disruptionBudget;

    @Option(names = "--expire-after", paramLabel = "DURATION", defaultValue = "720h",
            description = "karpenter: the NodePool's expireAfter: a node this old is drained (whatever the NodePool's disruption "
                    + "budget; PodDisruptionBudgets still pace its evictions), its pods provisioned for anew; Never for none. "
                    + "Default: ${DEFAULT-VALUE}.")
    String expireAfter;

    @Option(names = "--termination-grace-period", paramLabel = "DURATION",
            description = "karpenter: the NodePool's terminationGracePeriod: how long a draining node waits for pods whose "
                    + "PodDisruptionBudgets refuse their eviction (or annotated do-not-disrupt) before deleting them, --drain-delay "
                    + "before it so that the node goes at it. Default: unset, it waits as long as it takes.")
    String terminationGracePeriod;

    @Option(names = "--preference-policy", paramLabel = "POLICY", defaultValue = "Respect",
            description = "karpenter: the controller's --preference-policy (PREFERENCE_POLICY): Respect treats preferred node and pod "
                    + "anti-affinities and ScheduleAnyway spreads on the hostname as required when Karpenter launches and consolidates, "
                    + "relaxing them one at a time for a pod that cannot schedule otherwise; Ignore drops them (kube-scheduler still "
                    + "scores them). Default: ${DEFAULT-VALUE}.")
    String preferencePolicy;

    @Option(names = "--max-pod-eviction-time", paramLabel = "DURATION", defaultValue = "2m",
            description = "ca: how long a drain tries (every 10 s) to evict a pod whose PodDisruptionBudget refuses it before the "
                    + "node's deletion is given up and the node uncordoned (--max-pod-eviction-time). Default: ${DEFAULT-VALUE}.")
    String maxPodEvictionTime;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "The time zone (IANA, e.g. Europe/Berlin, America/New_York) of "
            + "every time of day and weekday: windows, schedule files, --peak-hour, times without an offset, per-hour plans, "
            + "exports; daylight saving time included. Default: UTC.")
    String timeZone;

    /** The clock of --time-zone (UTC without it); exits 2 naming the option for a zone Java does not know. */
    io.nodesizer.replay.autoscale.WeekClock clock() {
        if (timeZone == null) {
            return io.nodesizer.replay.autoscale.WeekClock.UTC;
        }
        try {
            return io.nodesizer.replay.autoscale.WeekClock.of(java.time.ZoneId.of(timeZone.trim()));
        } catch (java.time.DateTimeException e) {
            throw new InputException(SourceLocation.ofFile("--time-zone"), "The time zone (" + timeZone + ") must be an IANA time "
                    + "zone such as Europe/Berlin, America/New_York or UTC, or an offset such as +05:30.");
        }
    }

    @Option(names = "--schedule", paramLabel = "FILE", description = "scheduled: YAML/JSON list of windows {days, from, to, min, max} (local times of --time-zone), "
            + "as nodesizer windows writes it.")
    Path schedule;

    @Option(names = "--window", paramLabel = "SPEC", description = "scheduled: a window such as \"Mon-Fri 07:00-21:00 min=6 max=40\" (--time-zone's local time). Repeatable; "
            + "later windows win where they overlap. A window's min and max stay within --min-nodes..--max-nodes.")
    List<String> windows;

    @Option(names = "--scoring", paramLabel = "NAME", description = "Scheduler scoring by NodeResourcesFit "
            + "alone, without the other plugins: most-allocated (bin-packing) or least-allocated (spreading). Default: the default "
            + "profile (--scheduler-profile default). --scheduler-profile, when given, wins.")
    String scoring;

    @Option(names = "--scheduler-profile", paramLabel = "NAME", description = "Score nodes as a kube-scheduler profile does (the default, "
            + "unless --scoring is given): default "
            + "(NodeResourcesFit LeastAllocated + NodeResourcesBalancedAllocation, weights 1 and 1) or bin-packing (MostAllocated + "
            + "BalancedAllocation); both also score preferences as the default plugins do: TaintToleration (weight 3), NodeAffinity (2), "
            + "PodTopologySpread (2; ScheduleAnyway constraints, else the system defaults for a controller's pods) and InterPodAffinity (2).")
    String schedulerProfile;

    /**
     * The notes on what {@code autoscaler}'s drain rules and the PodDisruptionBudgets make of {@code workload}
     * ({@link #keptNodesNote}, {@link #budgetNotes}), each when it says something; under karpenter what it does not model of
     * the pods ({@link #karpenterWorkloadNotes}, of the NodePool windows' export names by default, as replay exports none),
     * under the node-group autoscalers the spot groups the pods require ({@link #spotGroupNote}).
     */
    List<String> drainNotes(String autoscaler, io.nodesizer.model.Workload workload, List<io.nodesizer.model.NodeShape> shapes) {
        List<String> notes = new java.util.ArrayList<>();
        String kept = keptNodesNote(autoscaler, workload);
        if (kept != null) {
            notes.add(kept);
        }
        String failing = failingDrainsNote(autoscaler, workload);
        if (failing != null) {
            notes.add(failing);
        }
        notes.addAll(budgetNotes(List.of(autoscaler), workload));
        if (autoscaler.equals("karpenter")) {
            notes.addAll(karpenterWorkloadNotes(workload, WindowsCommand.NODEPOOL, shapes, false));
        } else {
            String spot = spotGroupNote(workload, shapes, false);
            if (spot != null) {
                notes.add(spot);
            }
        }
        return notes;
    }

    /**
     * What a Karpenter replay of {@code workload} does not model of its pods, or loses of them: {@link #doNotDisruptForNote},
     * {@link #capacityTypeNote}, {@link #barePodsNote}, the preferences Karpenter's preferencePolicy Respect treats as
     * required that the model does not follow ({@link io.nodesizer.replay.autoscale.Karpenter#preferencesNote}). One list for replay and windows, which
     * says them of its karpenter alternative (review 71b #10: each command assembled them, and windows marked one alone).
     */
    List<String> karpenterWorkloadNotes(io.nodesizer.model.Workload workload, String nodePool, List<io.nodesizer.model.NodeShape> shapes,
                                        boolean windows) {
        return java.util.stream.Stream.of(doNotDisruptForNote(workload), capacityTypeNote(workload),
                nodePoolNote(workload, nodePool, shapes, windows),
                barePodsNote(workload),
                io.nodesizer.replay.autoscale.Karpenter.preferencesNote(workload.groups(), karpenterSettings().preferencePolicy())).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * A note naming the bare pods (kind Pod, no controller ownerReference) a Karpenter replay may lose, or null (QA 71a F10): Karpenter v1
     * holds no node for them (ValidatePodsDisruptable asks only do-not-disrupt and the budgets), so its consolidation and
     * expiry evict them, and nothing recreates them; the replay deletes them at that eviction, as a cluster loses them.
     * (Cluster Autoscaler keeps their nodes instead: {@link #keptNodesNote}.)
     */
    String barePodsNote(io.nodesizer.model.Workload workload) {
        List<io.nodesizer.model.PodGroup> groups = workload.groups().stream().filter(g -> g.template() != null
                && g.template().eviction().ownerless()).toList();
        List<String> bare = groups.stream().filter(g -> !g.template().eviction().doNotDisrupt()).map(io.nodesizer.model.PodGroup::name).toList();
        List<String> held = groups.stream().filter(g -> g.template().eviction().doNotDisrupt()).map(io.nodesizer.model.PodGroup::name).toList();
        List<String> parts = new ArrayList<>();
        if (!bare.isEmpty()) {
            parts.add((bare.size() == 1 ? "the bare pod " : "the bare pods ") + io.nodesizer.model.NameLists.firstOf(bare, 10) + " (kind Pod, "
                    + "no controller): Karpenter's consolidation and expiry evict " + (bare.size() == 1 ? "it" : "them") + " like any "
                    + "other pod, and nothing recreates " + (bare.size() == 1 ? "it" : "them") + ", so the replay deletes "
                    + (bare.size() == 1 ? "it" : "them") + " at that eviction; karpenter.sh/do-not-disrupt: \"true\" keeps "
                    + (bare.size() == 1 ? "its node" : "their nodes") + " from consolidation, not from expiry");
        }
        if (!held.isEmpty()) {
            // Review 71b #5: an expiring node's drain holds a do-not-disrupt pod until --termination-grace-period, then deletes it.
            parts.add((held.size() == 1 ? "the bare do-not-disrupt pod " : "the bare do-not-disrupt pods ")
                    + io.nodesizer.model.NameLists.firstOf(held, 10) + " keep" + (held.size() == 1 ? "s its node" : " their nodes")
                    + " from consolidation, but an expiring node's drain holds " + (held.size() == 1 ? "it" : "them") + " only until "
                    + "--termination-grace-period, then deletes " + (held.size() == 1 ? "it" : "them") + " for good (without one, "
                    + "the node drains as long as it runs)");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /**
     * A note naming the workloads whose pods cannot run on on-demand capacity ({@code karpenter.sh/capacity-type} required
     * to be spot, or anything but on-demand: QA 71a F14), or null. The replay takes that pool label as met on every shape,
     * as it does for the other clouds' pool labels ({@link io.nodesizer.kube.NodeMatching#POOL_LABELS}), and prices the
     * nodes on-demand; but the {@code karpenter} model stands for one NodePool, and the one {@code --export karpenter}
     * writes requires on-demand, so applied as written Karpenter leaves those pods Pending ("incompatible with nodepool
     * requirements").
     */
    String capacityTypeNote(io.nodesizer.model.Workload workload) {
        Map<String, String> onDemand = Map.of(CAPACITY_TYPE, "on-demand");
        List<String> named = workloadsWhere(workload, p -> refusesByKey(p, CAPACITY_TYPE, onDemand));
        return podsNote(named, "require a karpenter.sh/capacity-type other than "
                + "on-demand (spot): the replay takes that label as met and runs them on the shapes at the on-demand price, but the "
                + "NodePool --export karpenter writes allows on-demand only, where they would stay Pending; add spot to its "
                + "capacity-type requirement (or a spot NodePool) for them, whose price the replay does not know");
    }

    /** "the pods of " the first of {@code named} and what they do ({@code says}), or null where none is named. */
    private static String podsNote(List<String> named, String says) {
        return named.isEmpty() ? null : "the pods of " + io.nodesizer.model.NameLists.firstOf(named, 10) + " " + says;
    }

    private static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";
    private static final String NODEPOOL_LABEL = "karpenter.sh/nodepool";

    /** The names of the workloads whose placement passes {@code test}, in the workload's order. */
    private static List<String> workloadsWhere(io.nodesizer.model.Workload workload, java.util.function.Predicate<io.nodesizer.model.Placement> test) {
        return workload.groups().stream().filter(g -> test.test(g.placement())).map(io.nodesizer.model.PodGroup::name).toList();
    }

    /**
     * Whether {@code p} refuses a node labelled {@code labels} by its requirements on {@code key} alone: a nodeSelector on
     * the key with another value, or required node affinity every term of which (they are ORed) refuses it by an expression
     * on the key. The pool labels the replay takes as met ({@link io.nodesizer.kube.NodeMatching#POOL_LABELS}) are asked
     * this way of the pool an export sets up.
     */
    static boolean refusesByKey(io.nodesizer.model.Placement p, String key, Map<String, String> labels) {
        if (p == null) {
            return false;
        }
        String selected = p.nodeSelector().get(key);
        if (selected != null && !selected.equals(labels.get(key))) {
            return true;
        }
        return p.requiredTerms() != null && !p.requiredTerms().isEmpty() && p.requiredTerms().stream().allMatch(t -> t.matchExpressions()
                .stream().anyMatch(r -> r.key().equals(key) && !io.nodesizer.kube.NodeMatching.matches(r, labels)));
    }

    /**
     * A note naming the workloads whose pods require a {@code karpenter.sh/nodepool} the NodePool {@code nodePool} is not
     * (QA 75b F4), or null; none where a shape declares the label itself. The replay takes that pool label as met on every
     * shape, as it does {@code karpenter.sh/capacity-type} ({@link #capacityTypeNote}), but Karpenter labels each node with
     * its NodePool's name, so the NodePool --export karpenter writes serves none of them. One pool they all name: give it
     * as --export-target. Several: one NodePool cannot serve them all, and the replay ran them in one. {@code windows}: the
     * note names its --export karpenter and --export-target; replay has neither (review 75b #4), so there it says which
     * NodePool they need and that labels=karpenter.sh/nodepool=NAME on the shape says the replay is of it.
     */
    String nodePoolNote(io.nodesizer.model.Workload workload, String nodePool, List<io.nodesizer.model.NodeShape> shapes, boolean windows) {
        if (shapes.stream().anyMatch(s -> s.labels().containsKey(NODEPOOL_LABEL))) {
            return null;
        }
        List<String> named = new java.util.ArrayList<>();
        java.util.Set<String> common = null; // the pools every such workload admits, of those they name
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        for (io.nodesizer.model.PodGroup g : workload.groups()) {
            io.nodesizer.model.Placement p = g.placement();
            if (!refusesByKey(p, NODEPOOL_LABEL, Map.of(NODEPOOL_LABEL, nodePool))) {
                continue;
            }
            java.util.Set<String> admitted = new java.util.LinkedHashSet<>();
            for (String pool : poolsNamed(p)) {
                if (!refusesByKey(p, NODEPOOL_LABEL, Map.of(NODEPOOL_LABEL, pool))) {
                    admitted.add(pool);
                }
            }
            named.add(g.name() + (admitted.isEmpty() ? "" : " (" + String.join(" or ", admitted) + ")"));
            all.addAll(admitted);
            if (common == null) {
                common = admitted;
            } else {
                common.retainAll(admitted);
            }
        }
        if (named.isEmpty()) {
            return null;
        }
        if (!windows) {
            String which = "the pods of " + io.nodesizer.model.NameLists.firstOf(named, 10) + " require a karpenter.sh/nodepool: the "
                    + "replay takes that label as met on the shapes, but Karpenter labels each node with its NodePool's name, so only "
                    + "a NodePool of the name they select serves them, and in any other they would stay Pending";
            if (!common.isEmpty()) {
                return which + "; labels=karpenter.sh/nodepool=" + common.iterator().next() + " on the shapes says the replay is of it";
            }
            return which + "; they name " + (all.isEmpty() ? "no pool a NodePool could be" : "different pools (" + String.join(", ", all) + ")")
                    + ", and one NodePool cannot serve them all, while the replay ran them in one: replay each pool's workloads apart";
        }
        String which = "the pods of " + io.nodesizer.model.NameLists.firstOf(named, 10) + " require a karpenter.sh/nodepool other than "
                + nodePool + ": the replay takes that label as met on the shapes, but Karpenter labels each node with its NodePool's "
                + "name, so the NodePool windows --export karpenter writes (" + nodePool + ", its --export-target) serves none of them: they would "
                + "stay Pending";
        if (!common.isEmpty()) {
            return which + "; give --export-target " + common.iterator().next() + " to write the NodePool they select";
        }
        return which + "; they name " + (all.isEmpty() ? "no pool the NodePool could be" : "different pools (" + String.join(", ", all) + ")")
                + ", and one NodePool cannot serve them all, while the replay ran them in one: replay each pool's workloads apart and "
                + "export a NodePool per pool with --export-target";
    }

    /** The {@code karpenter.sh/nodepool} values a placement names: its nodeSelector's, and its In expressions'. */
    private static java.util.Set<String> poolsNamed(io.nodesizer.model.Placement p) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        String selected = p.nodeSelector().get(NODEPOOL_LABEL);
        if (selected != null) {
            out.add(selected);
        }
        if (p.requiredTerms() != null) {
            p.requiredTerms().forEach(t -> t.matchExpressions().stream().filter(r -> r.key().equals(NODEPOOL_LABEL)
                    && r.operator() == io.nodesizer.model.Placement.Operator.IN).forEach(r -> out.addAll(r.values())));
        }
        return out;
    }

    /**
     * The labels that mark a node group's capacity as spot, with the value an on-demand group's nodes carry (none: the label
     * is absent there): EKS managed node groups' {@code eks.amazonaws.com/capacityType} (ON_DEMAND or SPOT), GKE's
     * {@code cloud.google.com/gke-spot} and {@code gke-preemptible}, AKS's {@code kubernetes.azure.com/scalesetpriority}
     * (spot).
     */
    private static final Map<String, String> ON_DEMAND_GROUP = Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND");
    private static final List<String> SPOT_GROUP_LABELS = List.of("eks.amazonaws.com/capacityType", "cloud.google.com/gke-spot",
            "cloud.google.com/gke-preemptible", "kubernetes.azure.com/scalesetpriority",
            // The label kops and self-managed spot groups set ("spot"), which NodeMatching.POOL_LABELS takes as met too.
            "node.kubernetes.io/lifecycle");

    /** Per spot label, the values a spot group's nodes carry under it (eksctl's self-managed spot groups: Ec2Spot). */
    private static final Map<String, List<String>> SPOT_VALUES = Map.of("eks.amazonaws.com/capacityType", List.of("SPOT"),
            "cloud.google.com/gke-spot", List.of("true"), "cloud.google.com/gke-preemptible", List.of("true"),
            "kubernetes.azure.com/scalesetpriority", List.of("spot"), "node.kubernetes.io/lifecycle", List.of("spot", "Ec2Spot"));

    /**
     * Whether {@code p} requires a spot group by {@code key}: it refuses the on-demand group's node (EKS's ON_DEMAND, the
     * others' nodes without the label) and admits a spot one. Refusing both (a lifecycle of "normal", which on-demand
     * groups of kops set) is not spot: fix 75e flagged such pods too.
     */
    private static boolean requiresSpot(io.nodesizer.model.Placement p, String key) {
        return refusesByKey(p, key, ON_DEMAND_GROUP)
                && SPOT_VALUES.get(key).stream().anyMatch(v -> !refusesByKey(p, key, Map.of(key, v)));
    }

    /** Per cloud ({@link io.nodesizer.model.NodeShape#cloud}), the label a spot node group's nodes carry, as labels= writes it. */
    private static final Map<String, String> SPOT_LABEL_OF_CLOUD = Map.of("aws", "eks.amazonaws.com/capacityType=SPOT",
            "gce", "cloud.google.com/gke-spot=true", "azure", "kubernetes.azure.com/scalesetpriority=spot");

    /**
     * A note naming the workloads whose pods require a spot node group (QA 75b F4, as {@link #capacityTypeNote} for
     * Karpenter), or null; none for a label a shape declares itself ({@code labels=}). The replay takes the group's
     * capacity-type label as met and prices the nodes on-demand, so the node group the schedule's exports set (aws-asg,
     * cronjob, azure-vmss) must be a spot one for them, at a price the replay does not know, or they stay Pending. The label
     * it says to give is the shapes' cloud's (review 75b #4: EKS's on a GKE shape, which did not clear the note), and only
     * windows ({@code windows}) has the exports to name.
     */
    String spotGroupNote(io.nodesizer.model.Workload workload, List<io.nodesizer.model.NodeShape> shapes, boolean windows) {
        List<String> keys = SPOT_GROUP_LABELS.stream().filter(k -> shapes.stream().noneMatch(s -> s.labels().containsKey(k))).toList();
        List<String> named = workloadsWhere(workload, p -> keys.stream().anyMatch(k -> requiresSpot(p, k)));
        if (named.isEmpty()) {
            return null;
        }
        java.util.Set<String> labels = new java.util.LinkedHashSet<>();
        shapes.forEach(s -> {
            String label = s.cloud() == null ? null : SPOT_LABEL_OF_CLOUD.get(s.cloud());
            if (label != null) {
                labels.add(label);
            }
        });
        String label = labels.isEmpty() ? "labels=eks.amazonaws.com/capacityType=SPOT (EKS), cloud.google.com/gke-spot=true (GKE) or "
                + "kubernetes.azure.com/scalesetpriority=spot (AKS)" : "labels=" + String.join(" or ", labels);
        return podsNote(named, "require a spot node group (EKS's, GKE's or AKS's "
                + "spot label, or node.kubernetes.io/lifecycle): the replay takes that label as met and runs them on the shapes "
                + "at the on-demand price, but on an on-demand group they would stay Pending; "
                + (windows ? "the group the schedule is for (--export aws-asg, cronjob, azure-vmss)" : "the node group they run in")
                + " must be a spot one for them, whose price the replay does not know (" + label + " on the shape says which it is)");
    }

    /**
     * A note naming the workloads whose pods give {@code karpenter.sh/do-not-disrupt} a duration (QA 71a F8), or null: since
     * Karpenter 1.12 (kubernetes-sigs/karpenter#2874, {@code IsDoNotDisruptActive}) such a pod blocks its node's disruption
     * until it has been bound that long, which the replay does not model: it reads the annotation as absent, so it
     * disrupts those nodes sooner than Karpenter would (cheaper, more churn), where "true" it does model.
     */
    String doNotDisruptForNote(io.nodesizer.model.Workload workload) {
        List<String> named = new java.util.ArrayList<>();
        for (io.nodesizer.model.PodGroup g : workload.groups()) {
            String grace = g.template() == null ? null : g.template().eviction().doNotDisruptFor();
            if (grace != null) {
                named.add(g.name() + " (\"" + grace + "\")");
            }
        }
        return podsNote(named, "give karpenter.sh/do-not-disrupt a duration, "
                + "Karpenter's grace period (1.12 and later: the pod blocks its node's disruption until it has been bound that long), "
                + "which the replay does not model: it reads the annotation as absent and consolidates or drains their nodes sooner "
                + "than Karpenter would (\"true\" it does model)");
    }

    /**
     * Notes on the PodDisruptionBudgets among the inputs: those whose allowance the replay keeps as their pods start and
     * stop, with what each of {@code autoscalers} and kube-scheduler's preemption (when pods differ in priority) make of
     * them — not those that allow no eviction or cover pods another budget covers too ({@link #keptNodesNote} and
     * {@link #failingDrainsNote} name their workloads), nor those that can never hold a pod ({@code minAvailable: 0}, {@code maxUnavailable: 100%}) —
     * and those that cover none of the pods.
     */
    List<String> budgetNotes(List<String> autoscalers, io.nodesizer.model.Workload workload) {
        java.util.Map<io.nodesizer.model.DisruptionBudget, List<String>> covered = new java.util.LinkedHashMap<>();
        java.util.Set<io.nodesizer.model.DisruptionBudget> any = new java.util.HashSet<>();
        java.util.Set<Integer> priorities = new java.util.HashSet<>();
        for (io.nodesizer.model.PodGroup g : workload.groups()) {
            priorities.add(g.priority());
            List<io.nodesizer.model.DisruptionBudget> budgets = g.template() == null ? List.of() : g.template().eviction().budgets();
            any.addAll(budgets);
            for (io.nodesizer.model.DisruptionBudget b : budgets) {
                if (budgets.size() == 1 && !b.allowsNone() && !b.neverHolds()) {
                    covered.computeIfAbsent(b, k -> new java.util.ArrayList<>()).add(g.name());
                }
            }
        }
        List<String> notes = new java.util.ArrayList<>();
        List<String> who = new java.util.ArrayList<>();
        if (autoscalers.contains("ca") || autoscalers.contains("scheduled")) {
            who.add("Cluster Autoscaler removes no node while a budget of one of its pods allows no more evictions in that loop");
        }
        if (autoscalers.contains("karpenter")) {
            who.add("Karpenter consolidates no node while a budget of one of its pods allows no eviction");
        }
        if (priorities.size() > 1) {
            who.add("kube-scheduler's preemption spares their pods where it has the choice");
        }
        if (!covered.isEmpty() && !who.isEmpty()) {
            notes.add(named(covered.entrySet().stream().map(e -> e.getKey().fullName() + " (" + spec(e.getKey()) + ", covers "
                    + String.join(", ", e.getValue()) + ")").toList(), "PodDisruptionBudget") + " weighed as the pods run: " + String.join("; ", who));
        }
        List<String> idle = workload.ignored().stream().map(io.nodesizer.model.IgnoredObject::budget)
                .filter(b -> b != null && !any.contains(b)).map(io.nodesizer.model.DisruptionBudget::fullName).toList();
        if (!idle.isEmpty()) {
            notes.add(named(idle, "PodDisruptionBudget") + " cover" + (idle.size() == 1 ? "s" : "") + " none of the pods (namespace and selector)");
        }
        return notes;
    }

    /** "{@code kind} a" or "{@code kind}s a; b; …" for up to ten {@code names}, and how many more. */
    private static String named(List<String> names, String kind) {
        return kind + (names.size() == 1 ? " " : "s ") + String.join("; ", names.subList(0, Math.min(10, names.size())))
                + (names.size() > 10 ? "; and " + (names.size() - 10) + " more" : "");
    }

    /** A budget's spec as written: its maxUnavailable or minAvailable (one that sets neither allows none, so is not listed). */
    private static String spec(io.nodesizer.model.DisruptionBudget b) {
        return b.maxUnavailable() != null ? "maxUnavailable: " + b.maxUnavailable().trim() : "minAvailable: " + b.minAvailable().trim();
    }

    /**
     * A note naming the workloads whose pods keep their node from {@code autoscaler}'s scale-down (its drain rules,
     * {@link io.nodesizer.replay.autoscale.DrainRules}: manifests' annotations, bare pods, local storage), or null when none
     * does: a replay that never removes their nodes costs more than one without them, and the user should see why.
     */
    String keptNodesNote(String autoscaler, io.nodesizer.model.Workload workload) {
        boolean ca = autoscaler.equals("ca") || autoscaler.equals("scheduled");
        if (!ca && !autoscaler.equals("karpenter")) {
            return null;
        }
        List<String> kept = new java.util.ArrayList<>();
        boolean localStorage = false;
        for (io.nodesizer.model.PodGroup g : workload.groups()) {
            String why = ca ? io.nodesizer.replay.autoscale.DrainRules.clusterAutoscaler(g, skipNodesWithLocalStorage, skipNodesWithSystemPods,
                    expendablePodsPriorityCutoff)
                    : io.nodesizer.replay.autoscale.DrainRules.karpenter(g);
            if (why != null) {
                kept.add(g.name() + ": " + why);
                localStorage |= why.startsWith(io.nodesizer.replay.autoscale.DrainRules.LOCAL_STORAGE);
            }
        }
        if (!ca) {
            for (io.nodesizer.model.DaemonSetSpec ds : workload.daemonSets()) {
                if (io.nodesizer.replay.autoscale.DrainRules.karpenterKeptBy(ds)) {
                    kept.add("DaemonSet " + ds.name() + ": annotated karpenter.sh/do-not-disrupt: \"true\", on every node it runs on");
                }
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        return (ca ? "Cluster Autoscaler never scales down" : "Karpenter never consolidates") + " a node running a pod of " + kept.size()
                + (kept.size() == 1 ? " workload" : " workloads") + " (" + String.join("; ", kept.subList(0, Math.min(10, kept.size())))
                + (kept.size() > 10 ? "; and " + (kept.size() - 10) + " more" : "") + ")" + (localStorage ? "; --skip-nodes-with-local-storage false lets pods with local "
                + "storage go" : "");
    }

    /**
     * Under Cluster Autoscaler, the workloads whose pods its simulation lets go but the eviction API refuses
     * ({@link io.nodesizer.replay.autoscale.DrainRules#clusterAutoscalerDrainFails}): its drains of their nodes fail; else null.
     */
    String failingDrainsNote(String autoscaler, io.nodesizer.model.Workload workload) {
        if (!autoscaler.equals("ca") && !autoscaler.equals("scheduled")) {
            return null;
        }
        List<String> failing = new java.util.ArrayList<>();
        for (io.nodesizer.model.PodGroup g : workload.groups()) {
            // a pod whose node CA's rules keep anyway (local storage, a bare pod, …) starts no drain to fail
            String why = io.nodesizer.replay.autoscale.DrainRules.clusterAutoscaler(g, skipNodesWithLocalStorage, skipNodesWithSystemPods,
                    expendablePodsPriorityCutoff) != null
                    ? null : io.nodesizer.replay.autoscale.DrainRules.clusterAutoscalerDrainFails(g, expendablePodsPriorityCutoff);
            if (why != null) {
                failing.add(g.name() + ": " + why);
            }
        }
        if (failing.isEmpty()) {
            return null;
        }
        return "Cluster Autoscaler's drains fail on a node running a pod of " + failing.size() + (failing.size() == 1 ? " workload" : " workloads")
                + " (" + String.join("; ", failing.subList(0, Math.min(10, failing.size()))) + (failing.size() > 10 ? "; and "
                + (failing.size() - 10) + " more" : "") + "): its simulation lets the pod go, the eviction API refuses it; each such drain is "
                + "given up after --max-pod-eviction-time (" + maxPodEvictionTime + "), the node's other pods evicted, and the node is "
                + "found unneeded and drained again later";
    }

    /**
     * For the settings line: Cluster Autoscaler's flags that are not its defaults, each after ", " as its flag and
     * value (so that two runs differing in one say so in their headers); else nothing.
     */
    String caDescription(String autoscaler) {
        if (!"ca".equals(autoscaler) && !"scheduled".equals(autoscaler)) {
            return "";
        }
        ClusterAutoscaler.Settings c = caSettings();
        ClusterAutoscaler.Settings d = ClusterAutoscaler.Settings.defaults(c.minNodes(), c.maxNodes());
        StringBuilder sb = new StringBuilder();
        java.util.function.Function<Long, String> time = Durations::format;
        java.util.function.Function<Object, String> plain = String::valueOf;
        changed(sb, "--scan-interval", c.scanInterval(), d.scanInterval(), time);
        changed(sb, "--scale-down-unneeded-time", c.unneededTime(), d.unneededTime(), time);
        changed(sb, "--scale-down-utilization-threshold", c.utilisationThreshold(), d.utilisationThreshold(), plain);
        changed(sb, "--scale-down-gpu-utilization-threshold", c.gpuUtilisationThreshold(), d.gpuUtilisationThreshold(), plain);
        changed(sb, "--scale-down-delay-after-add", c.delayAfterAdd(), d.delayAfterAdd(), time);
        changed(sb, "--scale-down-delay-after-delete", c.delayAfterDelete(), d.delayAfterDelete(), time);
        changed(sb, "--expander", c.expander().flagName(), d.expander().flagName(), plain);
        changed(sb, "--max-scale-down-parallelism", c.maxScaleDownParallelism(), d.maxScaleDownParallelism(), plain);
        changed(sb, "--max-drain-parallelism", c.maxDrainParallelism(), d.maxDrainParallelism(), plain);
        changed(sb, "--unremovable-node-recheck-timeout", c.unremovableRecheck(), d.unremovableRecheck(), time);
        changed(sb, "--new-pod-scale-up-delay", c.newPodScaleUpDelay(), d.newPodScaleUpDelay(), time);
        changed(sb, "--expendable-pods-priority-cutoff", c.expendablePodsPriorityCutoff(), d.expendablePodsPriorityCutoff(), plain);
        changed(sb, "--skip-nodes-with-local-storage", c.skipNodesWithLocalStorage(), d.skipNodesWithLocalStorage(), plain);
        changed(sb, "--skip-nodes-with-system-pods", c.skipNodesWithSystemPods(), d.skipNodesWithSystemPods(), plain);
        changed(sb, "--max-pod-eviction-time", c.maxPodEvictionTime(), d.maxPodEvictionTime(), time);
        changed(sb, "--max-bulk-soft-taint-count", c.maxBulkSoftTaintCount(), d.maxBulkSoftTaintCount(), plain);
        return sb.toString();
    }

    /** Appends ", {@code flag} {@code value}" to {@code sb} when {@code value} is not {@code dflt}. */
    private static <T> void changed(StringBuilder sb, String flag, T value, T dflt, java.util.function.Function<? super T, String> format) {
        if (!value.equals(dflt)) {
            sb.append(", ").append(flag).append(' ').append(format.apply(value));
        }
    }

    /**
     * For the settings line: Karpenter's NodePool settings that are not its defaults (consolidation
     * policy, consolidate-after, disruption budget, expire-after, termination grace period) and the controller's preference
     * policy, each after ", "; else nothing.
     */
    String karpenterDescription(String autoscaler) {
        if (!"karpenter".equals(autoscaler)) {
            return "";
        }
        Karpenter.Settings k = karpenterSettings();
        StringBuilder sb = new StringBuilder();
        if (k.consolidation() != Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED) {
            sb.append(", consolidation ").append(k.consolidation().flagName());
        }
        if (k.consolidateAfter() > 0) {
            sb.append(", consolidate after ").append(k.consolidateAfter() == Karpenter.Settings.NEVER ? "Never"
                    : Durations.format(k.consolidateAfter()));
        }
        if (!k.budget().equals(Karpenter.Budget.DEFAULT)) {
            sb.append(", disruption budget ").append(k.budget().nodes()).append(k.budget().percent() ? "%" : "");
        }
        if (k.expireAfter() != Karpenter.Settings.EXPIRE_AFTER) {
            sb.append(", expire after ").append(k.expireAfter() == Karpenter.Settings.NEVER ? "Never" : Durations.format(k.expireAfter()));
        }
        if (k.terminationGracePeriod() != Karpenter.Settings.NEVER) {
            sb.append(", termination grace period ").append(Durations.format(k.terminationGracePeriod()));
        }
        if (k.preferencePolicy() != Karpenter.PreferencePolicy.RESPECT) {
            sb.append(", preference policy ").append(k.preferencePolicy().flagName());
        }
        return sb.toString();
    }

    /** How the scheduler scores, for the report: the profile when given, else the NodeResourcesFit strategy. */
    String schedulerDescription() {
        return schedulerProfile != null ? schedulerProfile + " profile" : scoring != null ? scoring : "default profile";
    }

    @Option(names = "--cold-start", description = "Start from an empty cluster: pods present at the start wait for nodes like any others. "
            + "Default: the run starts with the nodes the autoscaler gives those pods, already ready.")
    boolean coldStart;

    @Option(names = "--sample", paramLabel = "DURATION", description = "Time between timeline samples. Default: about 1,000 samples, at least 1m apart.")
    String sample;

    /** Options only Cluster Autoscaler (ca, scheduled) reads. */
    private static final List<String> CA_ONLY = List.of("--scan-interval", "--scale-down-unneeded-time", "--scale-down-utilization-threshold",
            "--scale-down-gpu-utilization-threshold", "--scale-down-delay-after-add", "--expander", "--max-scale-down-parallelism", "--max-drain-parallelism", "--max-empty-bulk-delete",
            "--unremovable-node-recheck-timeout", "--new-pod-scale-up-delay", "--scale-down-delay-after-delete", "--min-nodes",
            "--expendable-pods-priority-cutoff", "--skip-nodes-with-local-storage",
            "--skip-nodes-with-system-pods", "--max-pod-eviction-time", "--max-bulk-soft-taint-count");
    /** Options only Karpenter reads. */
    private static final List<String> KARPENTER_ONLY = List.of("--batch-idle", "--batch-max", "--consolidation", "--consolidate-after",
            "--disruption-budget", "--expire-after", "--termination-grace-period", "--preference-policy");

    /**
     * Warns on {@code err} of each option the command line gives for another autoscaler than
     * {@code model}, which this replay ignores ({@code windows} compares them all and reads every
     * one). A warning, not an error: a sweep may vary {@code autoscaler} beside one's options.
     */
    static void warnOptionsIgnored(String model, picocli.CommandLine.ParseResult parsed, java.io.PrintWriter err) {
        List<String> foreign = switch (model) {
            case "karpenter" -> CA_ONLY;
            case "ca", "scheduled" -> KARPENTER_ONLY;
            default -> java.util.stream.Stream.concat(CA_ONLY.stream(), KARPENTER_ONLY.stream()).toList();
        };
        if (model.equals("none")) {
            // A fixed count of nodes ready from the start: nothing is requested, drained or capped.
            for (String option : List.of("--max-nodes", "--provision-delay", "--drain-delay", "--cold-start")) {
                if (parsed.hasMatchedOption(option)) {
                    err.println("nodesizer: warning: " + option + " applies to nodes an autoscaler adds or removes; this run uses none "
                            + "(--nodes ready nodes from the start to the end), which ignores it.");
                }
            }
        }
        warnScoringIgnored(parsed, err);
        for (String option : foreign) {
            if (parsed.hasMatchedOption(option)) {
                err.println("nodesizer: warning: " + option + " is an option of " + (CA_ONLY.contains(option)
                        ? "Cluster Autoscaler (--autoscaler ca or scheduled)" : "Karpenter (--autoscaler karpenter)") + "; this run uses "
                        + model + ", which ignores it.");
            }
        }
    }

    /** --scoring beside --scheduler-profile: the profile wins (the help says so), but whoever gave both asked for two (QA 65b F9). */
    static void warnScoringIgnored(picocli.CommandLine.ParseResult parsed, java.io.PrintWriter err) {
        if (parsed.hasMatchedOption("--scoring") && parsed.hasMatchedOption("--scheduler-profile")) {
            err.println("nodesizer: warning: --scoring " + parsed.matchedOptionValue("--scoring", "") + " is ignored: --scheduler-profile "
                    + parsed.matchedOptionValue("--scheduler-profile", "") + " gives the scheduler's scoring; give one of the two.");
        }
    }

    static void checkModel(String model, String option) {
        if (!MODELS.contains(model)) {
            throw new InputException(SourceLocation.ofFile(option), "The autoscaler (" + model + ") must be one of " + String.join(", ", MODELS) + ".");
        }
    }

    /** Replay settings for {@code model} on shapes of {@code provider}. */
    Replay.Settings settings(String model, String provider, long seed) {
        String delay = provisionDelay != null ? provisionDelay : defaultDelay(model, provider);
        KubeScheduler.Scoring s = schedulerProfile != null ? switch (schedulerProfile) {
            case "default" -> KubeScheduler.Scoring.DEFAULT_PROFILE;
            case "bin-packing" -> KubeScheduler.Scoring.BIN_PACKING_PROFILE;
            default -> throw new InputException(SourceLocation.ofFile("--scheduler-profile"), "The scheduler profile (" + schedulerProfile
                    + ") must be default or bin-packing.");
        } : scoring == null ? KubeScheduler.Scoring.DEFAULT_PROFILE : switch (scoring) {
            case "most-allocated" -> KubeScheduler.Scoring.MOST_ALLOCATED;
            case "least-allocated" -> KubeScheduler.Scoring.LEAST_ALLOCATED;
            default -> throw new InputException(SourceLocation.ofFile("--scoring"), "The scoring (" + scoring
                    + ") must be most-allocated or least-allocated.");
        };
        long step = sample == null ? 0 : seconds(sample, "--sample", "sample interval");
        if (sample != null && step == 0) {
            throw new InputException(SourceLocation.ofFile("--sample"), "The sample interval must be above 0.");
        }
        return new Replay.Settings(ProvisionDelay.parse(delay, "--provision-delay"), seconds(drainDelay, "--drain-delay", "drain delay"),
                seed, s, step, false, !coldStart, -1, 1).withClock(clock()).withSloMinPriority(sloMinPriority());
    }

    /** The schedule from --schedule and --window, in that order. */
    Schedule schedule() {
        return new Schedule(givenWindows(true, true).stream().map(Schedule.Given::window).toList());
    }

    /**
     * Checks the options' values a run of {@code model} checks before it replays, as {@link #settings} and {@link #factory}
     * check them, reading no input: the model itself (one of {@link #MODELS}), the time zone, scheduler profile and scoring, the
     * durations (whole seconds, as the replay clock counts), the thresholds, expander, node limits, parallelism,
     * consolidation policy, disruption budget, and the --window specs with the options they go with; a --schedule file is
     * left to its reader (sweep reads each once). {@code sweep} calls it on every run before the first ({@link PreChecked};
     * QA 50b F3: an autoscaler "kapenter" failed only at its run's turn, after the valid runs).
     */
    void check(String model) {
        checkModel(model, "--autoscaler");
        settings(model, "", 0);
        factory(model, null, 0, 1, null, false);
    }

    /**
     * As {@link #check} for {@code windows}, which compares ca and karpenter (it reads both models' options) and takes the
     * windows' boundaries alone.
     */
    void checkForWindows() {
        settings("ca", "", 0);
        settings("karpenter", "", 0);
        caSettings();
        karpenterSettings();
        givenWindows(false, false);
    }

    /**
     * As {@link #schedule}, for the window boundaries alone, each with where it was given ({@code windows} plans their min
     * and max anew, and warns of each it replaced): a file planned within other limits is no error here.
     */
    List<Schedule.Given> givenBoundaries() {
        return givenWindows(false, true);
    }

    /**
     * The windows of --schedule and --window, in that order, each with where it was given; {@code limits}: check a file's;
     * {@code readFile}: read --schedule (else --window alone).
     */
    private List<Schedule.Given> givenWindows(boolean limits, boolean readFile) {
        List<Schedule.Given> list = new ArrayList<>();
        if (schedule != null && readFile) {
            list.addAll(Schedule.readGiven(schedule, schedule.toString(), clock(), limits ? minNodes : -1, limits ? maxNodes : -1));
        }
        if (windows != null) {
            for (String w : windows) {
                SourceLocation at = SourceLocation.ofFile("--window");
                Schedule.Window window = Schedule.parseInline(w, at);
                if (limits && window.min() == null && window.max() == null) {
                    throw new InputException(at, "The window (" + w + ") gives neither min= nor max=; a replay's window sets at "
                            + "least one (windows takes its days and times alone, and plans both).");
                }
                list.add(new Schedule.Given(window, at));
            }
        }
        return list;
    }

    /**
     * The scale-in order a scheduled replay assumed for the node groups of shapes that name no cloud, said since it is an
     * assumption (fix 76f: they were replayed in GCE's random order while --export cronjob wrote the AWS CLI): null when every
     * shape names one.
     *
     * @param alternative what lowers the max ("scheduled", "scheduled+ca")
     * @param assumed     the cloud the pools were assumed in ({@link io.nodesizer.replay.Pool#assumingCloud})
     */
    static String scaleInNote(String alternative, List<io.nodesizer.model.NodeShape> shapes, String assumed) {
        List<String> none = shapes.stream().filter(s -> s.cloud() == null).map(io.nodesizer.model.NodeShape::name).distinct().toList();
        if (none.isEmpty()) {
            return null;
        }
        String order = "azure".equals(assumed)
                ? "an Azure scale set's Default scale-in policy (balanced across zones, then the newest), the scale set --export "
                + "azure-vmss writes for"
                : "EC2 Auto Scaling's default termination policy (the zones with the most of the group's nodes, then the instance "
                + "closest to its next billing hour, then a random one), as the schedule exports take such a shape (--export cronjob "
                + "runs the AWS CLI for it, aws-asg writes its scheduled actions)";
        return alternative + ": " + String.join(", ", none.subList(0, Math.min(3, none.size()))) + (none.size() > 3 ? ", …" : "")
                + (none.size() == 1 ? " names" : " name") + " no cloud (an inline shape without --overhead eks, gke or aks), so a "
                + "lowered max terminates " + (none.size() == 1 ? "its" : "their") + " nodes in the order of " + order + "; give --overhead gke for "
                + "GKE's order (a random node of the zone with the most), or aks or eks";
    }

    /**
     * Notes on settings a real Cluster Autoscaler does not honour as the replay runs them (QA 62c F4, F12): {@code --expander
     * price} among node groups of AWS or Azure shapes (the CA FAQ: "price ... Currently it works only for GCE, GKE and Equinix
     * Metal"), and a provisioning delay above CA's {@code --max-node-provision-time} (15 minutes by default: CA then gives
     * the node up, deletes it and backs the group off, where the replay waits for it); for Karpenter, a provisioning delay
     * above its registration TTL (QA 63b F9).
     *
     * @param groups the node groups of the largest cluster replayed (the expander chooses only among several)
     */
    List<String> caNotes(String autoscaler, List<io.nodesizer.model.NodeShape> groups) {
        List<String> notes = new java.util.ArrayList<>();
        if (autoscaler.equals("karpenter") && provisionDelay != null
                && ProvisionDelay.parse(provisionDelay, "--provision-delay").maxSeconds() > KARPENTER_REGISTRATION_TTL_SECONDS) {
            // Karpenter's liveness controller deletes a NodeClaim whose node has not registered within its registration
            // TTL, 15 minutes (kubernetes-sigs/karpenter pkg/controllers/nodeclaim/lifecycle/liveness.go), and launches again.
            notes.add("--provision-delay " + provisionDelay + " is above Karpenter's registration TTL (15m): a real Karpenter "
                    + "deletes a NodeClaim whose node has not registered with the cluster by then and launches another, where the "
                    + "replay waits for it to become Ready (a delay mostly after registration, such as GPU drivers or start-up taints, "
                    + "is replayed as it happens)");
        }
        if (autoscaler.equals("karpenter")) {
            notes.addAll(karpenterNotes(groups));
        }
        if (!autoscaler.equals("ca") && !autoscaler.equals("scheduled")) {
            return notes;
        }
        List<String> clouds = groups.stream().map(io.nodesizer.report.ScheduleExport::cloudOf)
                .filter(c -> "aws".equals(c) || "azure".equals(c)).distinct().toList();
        if (Expander.byName(expander) == Expander.PRICE && groups.size() > 1 && !clouds.isEmpty()) {
            notes.add("--expander price is replayed as given, but Cluster Autoscaler's price expander works only on GCE, GKE and "
                    + "Equinix Metal (its FAQ), not on " + String.join(" or ", clouds.stream().map(c -> c.equals("aws") ? "AWS" : "Azure")
                    .toList()) + ": there, least-waste or priority (with a priority ConfigMap, cheapest group first) comes closest");
        }
        if (provisionDelay != null && ProvisionDelay.parse(provisionDelay, "--provision-delay").maxSeconds() > MAX_NODE_PROVISION_SECONDS) {
            notes.add("--provision-delay " + provisionDelay + " is above Cluster Autoscaler's --max-node-provision-time (15m by "
                    + "default): a real CA gives such a node up, deletes it and backs its group off before asking again, where the "
                    + "replay waits for it to become Ready");
        }
        return notes;
    }

    /**
     * Notes on a Karpenter replay that runs as given but not as a user may think (QA 71a F17, F18): an expireAfter shorter
     * than the provisioning delay, which expires NodeClaims before their nodes are Ready (Karpenter's CRD accepts any such
     * duration, so a note, not an error); and shapes of GCE, where Karpenter has no generally available provider (as
     * {@link io.nodesizer.report.KarpenterExport#whyNot} says) and its default delay is the EKS figure.
     */
    private List<String> karpenterNotes(List<io.nodesizer.model.NodeShape> groups) {
        List<String> notes = new java.util.ArrayList<>();
        ProvisionDelay delay = ProvisionDelay.parse(provisionDelay != null ? provisionDelay : KARPENTER_DELAY, "--provision-delay");
        long expiry = karpenterSettings().expireAfter();
        if (expiry != Karpenter.Settings.NEVER && expiry < delay.maxSeconds()) {
            // The expiration controller counts a NodeClaim's age from its creation, ready or not (nodeclaim/expiration).
            notes.add("--expire-after " + expireAfter.strip() + " is shorter than the provisioning delay (" + delay + "): "
                    + (expiry < delay.minSeconds() ? "every NodeClaim expires" : "NodeClaims whose node takes longer than that expire")
                    + " before its node is Ready, so no pod runs on " + (expiry < delay.minSeconds() ? "any" : "those")
                    + ", and each is replaced by another that does the same; Karpenter accepts such a value, and the replay runs it as given");
        }
        if (groups.stream().anyMatch(g -> g.provider().equals("gce"))) {
            notes.add("Karpenter has no generally available provider for GCE (GKE scales node pools with its cluster autoscaler and "
                    + "node auto-provisioning): the karpenter model is replayed on the GCE shapes as it runs on EKS"
                    + (provisionDelay == null ? ", with its EKS provisioning delay (" + KARPENTER_DELAY + ", where the other models "
                    + "assume " + CA_OTHER_DELAY + " on GCE)" : ""));
        }
        return notes;
    }

    /** Cluster Autoscaler's {@code --max-node-provision-time} default (15 minutes). */
    private static final long MAX_NODE_PROVISION_SECONDS = 15 * 60;
    /** Karpenter's registration TTL (15 minutes, fixed in {@code nodeclaim/lifecycle/liveness.go}): another setting, another value one day. */
    private static final long KARPENTER_REGISTRATION_TTL_SECONDS = 15 * 60;

    ClusterAutoscaler.Settings caSettings() {
        Expander e = Expander.byName(expander);
        if (e == null) {
            throw new InputException(SourceLocation.ofFile("--expander"), "The expander (" + expander + ") must be random, least-waste or price.");
        }
        if (minNodes < 0 || maxNodes < 1 || maxNodes < minNodes) {
            throw new InputException(SourceLocation.ofFile(minNodes < 0 ? "--min-nodes" : "--max-nodes"), "The node limits (min " + minNodes + ", max " + maxNodes
                    + ") need 0 <= min <= max and max >= 1.");
        }
        if (!(utilisationThreshold >= 0 && utilisationThreshold <= 1)) {
            throw new InputException(SourceLocation.ofFile("--scale-down-utilization-threshold"), "The threshold (" + utilisationThreshold
                    + ") must be from 0 to 1.");
        }
        if (!(gpuUtilisationThreshold >= 0 && gpuUtilisationThreshold <= 1)) {
            throw new InputException(SourceLocation.ofFile("--scale-down-gpu-utilization-threshold"), "The threshold ("
                    + gpuUtilisationThreshold + ") must be from 0 to 1.");
        }
        int parallelism = maxScaleDownParallelism != null ? maxScaleDownParallelism
                : maxEmptyBulkDelete != null ? maxEmptyBulkDelete : ClusterAutoscaler.Settings.MAX_SCALE_DOWN_PARALLELISM;
        String parallelismOption = maxScaleDownParallelism == null && maxEmptyBulkDelete != null ? "--max-empty-bulk-delete" : "--max-scale-down-parallelism";
        if (parallelism < 1) {
            throw new InputException(SourceLocation.ofFile(parallelismOption), "The count (" + parallelism + ") must be at least 1.");
        }
        if (maxDrainParallelism < 1) {
            throw new InputException(SourceLocation.ofFile("--max-drain-parallelism"), "The count (" + maxDrainParallelism + ") must be at least 1.");
        }
        if (maxBulkSoftTaintCount < 0) {
            throw new InputException(SourceLocation.ofFile("--max-bulk-soft-taint-count"), "The count (" + maxBulkSoftTaintCount
                    + ") must be 0 (no soft taints) or more.");
        }
        long scan = seconds(scanInterval, "--scan-interval", "scan interval");
        if (scan == 0) {
            throw new InputException(SourceLocation.ofFile("--scan-interval"), "The scan interval must be above 0.");
        }
        return new ClusterAutoscaler.Settings(scan, seconds(unneededTime, "--scale-down-unneeded-time", "unneeded time"),
                utilisationThreshold, seconds(delayAfterAdd, "--scale-down-delay-after-add", "delay after add"), e, minNodes, maxNodes,
                parallelism, maxDrainParallelism, seconds(unremovableRecheck, "--unremovable-node-recheck-timeout", "recheck time-out"),
                seconds(newPodScaleUpDelay, "--new-pod-scale-up-delay", "new-pod scale-up delay"),
                seconds(delayAfterDelete, "--scale-down-delay-after-delete", "delay after delete"), expendablePodsPriorityCutoff,
                gpuUtilisationThreshold, skipNodesWithLocalStorage, skipNodesWithSystemPods,
                seconds(maxPodEvictionTime, "--max-pod-eviction-time", "max pod eviction time"), maxBulkSoftTaintCount);
    }

    Karpenter.Settings karpenterSettings() {
        Karpenter.Consolidation c = Karpenter.Consolidation.byName(consolidation);
        if (c == null) {
            // v1beta1's name, renamed in v1 (QA 71a F5): say which v1 policy it became.
            throw new InputException(SourceLocation.ofFile("--consolidation"), "The consolidation policy (" + consolidation
                    + ") must be WhenEmptyOrUnderutilized, WhenEmpty or Balanced." + (consolidation.trim().equalsIgnoreCase("WhenUnderutilized")
                    ? " WhenUnderutilized is Karpenter v1beta1's name of WhenEmptyOrUnderutilized." : ""));
        }
        long idle = seconds(batchIdle, "--batch-idle", "batch idle duration");
        long max = seconds(batchMax, "--batch-max", "batch max duration");
        if (max < idle) {
            throw new InputException(SourceLocation.ofFile("--batch-max"), "The batch max duration (" + batchMax
                    + ") must not be shorter than the idle duration (" + batchIdle + ").");
        }
        Karpenter.Budget budget = Karpenter.Budget.parse(disruptionBudget);
        if (budget == null) {
            throw new InputException(SourceLocation.ofFile("--disruption-budget"), "The disruption budget (" + disruptionBudget
                    + ") must be a node count such as 5 or a percentage from 0% to 100% such as 10%.");
        }
        long expiry = expireAfter.trim().equalsIgnoreCase("never") ? Karpenter.Settings.NEVER
                : seconds(expireAfter, "--expire-after", "expire-after duration");
        if (expiry == 0) {
            throw new InputException(SourceLocation.ofFile("--expire-after"), "The expire-after duration (" + expireAfter
                    + ") must be longer than 0 s, or Never.");
        }
        long grace = terminationGracePeriod == null ? Karpenter.Settings.NEVER
                : seconds(terminationGracePeriod, "--termination-grace-period", "termination grace period");
        // consolidateAfter: Never is a valid karpenter.sh/v1 value (the CRD's pattern ^(([0-9]+(s|m|h))+|Never)$): no node is
        // ever Consolidatable, so neither emptiness nor consolidation disrupts one, while expiration still runs (QA 71a F5).
        long after = consolidateAfter.trim().equalsIgnoreCase("never") ? Karpenter.Settings.NEVER
                : seconds(consolidateAfter, "--consolidate-after", "consolidate-after duration");
        Karpenter.PreferencePolicy policy = Karpenter.PreferencePolicy.byName(preferencePolicy);
        if (policy == null) {
            throw new InputException(SourceLocation.ofFile("--preference-policy"), "The preference policy (" + preferencePolicy
                    + ") must be Respect or Ignore, as Karpenter's --preference-policy.");
        }
        return new Karpenter.Settings(idle, max, c, after,
                Karpenter.Settings.POLL_PERIOD, maxNodes, budget, expiry, grace, policy);
    }

    /**
     * A factory of fresh autoscalers (they hold state) for clusters of the given pools; parameters
     * are checked once, here, so that a mistake fails before any run. The fixed count of
     * {@code none} is sized for nodes spread over {@code zones} zones (1: no zones), named {@code
     * labelled} when {@code --zones} names them (else null).
     */
    Function<List<Pool>, Autoscaler> factory(String model, PodStream stream, long seed, int zones, List<String> labelled) {
        return factory(model, stream, seed, zones, labelled, true);
    }

    /** As above; {@code readSchedule}: read the --schedule file (else only --window is checked, for {@link #check}). */
    private Function<List<Pool>, Autoscaler> factory(String model, PodStream stream, long seed, int zones, List<String> labelled,
                                                     boolean readSchedule) {
        checkModel(model, "--autoscaler");
        if ((schedule != null || windows != null) && !model.equals("scheduled")) {
            throw new InputException(SourceLocation.ofFile(schedule != null ? "--schedule" : "--window"),
                    "Windows apply to --autoscaler scheduled (this run uses " + model + ").");
        }
        if (nodes != null && !model.equals("none")) {
            throw new InputException(SourceLocation.ofFile("--nodes"), "--nodes is the fixed count of --autoscaler none (this run uses " + model
                    + "; use --min-nodes/--max-nodes).");
        }
        if (nodes != null && nodes < 0) {
            throw new InputException(SourceLocation.ofFile("--nodes"), "The node count (" + nodes + ") must not be negative.");
        }
        return switch (model) {
            case "none" -> pools -> new FixedCount(nodes != null ? nodes : PeakPacking.nodesAtPeak(stream, pools.get(0), seed, zones, labelled,
                    sloMinPriority()));
            case "ca" -> {
                ClusterAutoscaler.Settings s = caSettings();
                yield pools -> new ClusterAutoscaler(s, seed);
            }
            case "karpenter" -> {
                Karpenter.Settings s = karpenterSettings();
                yield pools -> new Karpenter(s);
            }
            default -> {
                ClusterAutoscaler.Settings s = caSettings();
                List<Schedule.Given> given = givenWindows(true, readSchedule);
                // --min-nodes/--max-nodes bound the group all week; the windows move its limits within them.
                Schedule.checkWithin(given, s.minNodes(), s.maxNodes());
                Schedule sched = new Schedule(given.stream().map(Schedule.Given::window).toList());
                // A schedule file without windows (what `windows --schedule-out` writes when none pays)
                // replays as Cluster Autoscaler alone; with neither a file nor --window there is nothing to schedule.
                if (sched.windows().isEmpty() && schedule == null) {
                    throw new InputException(SourceLocation.ofFile("--autoscaler"), "The scheduled autoscaler needs windows: give --schedule FILE "
                            + "or --window \"Mon-Fri 07:00-21:00 min=6 max=40\" (nodesizer windows proposes them).");
                }
                io.nodesizer.replay.autoscale.WeekClock clock = clock();
                if (stream != null) { // the sweep's pre-check has no run yet: its dates come with the run
                    Schedule.checkAcrossChanges(given, clock, stream.origin(), stream.origin().plusSeconds(stream.horizon()));
                }
                yield pools -> new Scheduled(new ClusterAutoscaler(s, seed), sched, stream.origin(), clock, seed);
            }
        };
    }

    static long seconds(String text, String option, String what) {
        return Durations.wholeSeconds(text, SourceLocation.ofFile(option), what);
    }
}
