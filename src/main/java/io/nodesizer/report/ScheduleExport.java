package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.autoscale.Schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The windows of a {@link Schedule} in forms a cloud or cluster takes. All of them are built from
 * the same weekly timeline: the node limits in force at every minute of the week (later windows
 * override earlier ones, the base limits apply outside every window), cut into {@link Change}s
 * where they change. Each change is one scheduled action, so overlapping windows, windows past
 * midnight and the return to the base limits come out right in every format. Times are local times of the plan's time
 * zone ({@code --time-zone}, UTC by default), which every format but Azure's names as IANA does.
 */
public final class ScheduleExport {
    /** 2024-01-01T00:00Z, a Monday: minute m of the week is this plus m minutes. */
    private static final Instant MONDAY = Instant.parse("2024-01-01T00:00:00Z");
    private static final int WEEK = 7 * 24 * 60;
    private static final String[] CRON_DAY = {"1", "2", "3", "4", "5", "6", "0"}; // cron: Sunday is 0
    private static final String[] AZURE_DAY = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] SHORT_DAY = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML = new com.fasterxml.jackson.databind.ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES) // a long description or az command stays one line
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // "26" stays a string: KEDA's trigger metadata is a map of strings.
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());

    /** The formats of {@code windows --export}. */
    public enum Format {
        AWS_ASG("aws-asg"), AZURE_VMSS("azure-vmss"), KEDA_CRON("keda-cron"), CRONJOB("cronjob"),
        /** The replayed karpenter alternative's NodePool: no schedule, so {@link KarpenterExport} writes it, not {@link #render}. */
        KARPENTER("karpenter");

        private final String flag;

        Format(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }

        /** The format named {@code name}, or null. */
        public static Format of(String name) {
            for (Format f : values()) {
                if (f.flag.equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** From minute {@code minute} of day {@code day} (0 = Monday, local time) on, the limits are {@code min}..{@code max}. */
    public record Change(int day, int minute, int min, int max) {
        /** Standard five-field cron: minute hour day-of-month month day-of-week. */
        public String cron() {
            return (minute % 60) + " " + (minute / 60) + " * * " + CRON_DAY[day];
        }

        String label() {
            return String.format(Locale.ROOT, "%s-%02d%02d", SHORT_DAY[day], minute / 60, minute % 60);
        }
    }

    private ScheduleExport() {
    }

    /**
     * The changes over one week, in time order; empty when the limits never change (nothing to
     * schedule). The first change is the earliest one in the week.
     */
    public static List<Change> changes(Schedule schedule, int baseMin, int baseMax) {
        int[][] at = new int[WEEK][];
        for (int m = 0; m < WEEK; m++) {
            at[m] = schedule.limitsAt(m, baseMin, baseMax);
        }
        List<Change> out = new ArrayList<>();
        for (int m = 0; m < WEEK; m++) {
            int[] before = at[(m + WEEK - 1) % WEEK];
            if (before[0] != at[m][0] || before[1] != at[m][1]) {
                out.add(new Change(m / 1440, m % 1440, at[m][0], at[m][1]));
            }
        }
        return out;
    }

    /** Scheduled actions an Auto Scaling group holds (a quota AWS does not raise). */
    static final int AWS_ACTIONS_PER_GROUP = 125;
    /** Actions one batch-put-scheduled-update-group-action call takes. */
    static final int AWS_ACTIONS_PER_CALL = 50;
    /** Profiles an Azure Monitor autoscale setting holds. */
    static final int AZURE_PROFILES = 20;
    /** Instances a VM scale set holds (Azure's documented maximum). */
    static final int AZURE_MAX_INSTANCES = 1000;

    /**
     * Refuses an export the target system refuses (exit 2, before anything is written): no change
     * at all (AWS, Azure and KEDA refuse an empty list), more scheduled actions than an Auto Scaling
     * group holds, more profiles than an autoscale setting holds, a scale set above its instance
     * limit. Returns the warnings for what it takes in more than one step (more actions than one
     * batch call takes).
     */
    public static List<String> check(Format format, List<Change> changes, int baseMin, int baseMax) {
        SourceLocation at = SourceLocation.ofFile("--export");
        if (changes.isEmpty()) {
            throw new InputException(at, "The recommended schedule has no window: the group's limits (" + baseMin + ".." + baseMax
                    + ") hold all week, so there is nothing to schedule (" + format.flag() + " refuses an empty list); set them on the "
                    + "group itself.");
        }
        List<String> warnings = new ArrayList<>();
        switch (format) {
            case AWS_ASG -> {
                if (changes.size() > AWS_ACTIONS_PER_GROUP) {
                    throw new InputException(at, "The schedule changes the limits " + changes.size() + " times a week; an Auto Scaling "
                            + "group holds at most " + AWS_ACTIONS_PER_GROUP + " scheduled actions. Give fewer, longer windows with "
                            + "--window (their boundaries are planned as given), or use --export cronjob.");
                }
                if (changes.size() > AWS_ACTIONS_PER_CALL) {
                    warnings.add(changes.size() + " scheduled actions: batch-put-scheduled-update-group-action takes at most "
                            + AWS_ACTIONS_PER_CALL + " per call; split ScheduledUpdateGroupActions into calls of at most "
                            + AWS_ACTIONS_PER_CALL + ".");
                }
            }
            case AZURE_VMSS -> {
                if (changes.size() > AZURE_PROFILES) {
                    throw new InputException(at, "The schedule changes the limits " + changes.size() + " times a week; an autoscale "
                            + "setting holds at most " + AZURE_PROFILES + " profiles. Give fewer, longer windows with --window "
                            + "(their boundaries are planned as given).");
                }
                int highest = changes.stream().mapToInt(Change::max).max().orElse(baseMax);
                if (highest > AZURE_MAX_INSTANCES) {
                    throw new InputException(SourceLocation.ofFile("--max-nodes"), "The schedule sets a maximum of " + highest
                            + " instances; a VM scale set holds at most " + AZURE_MAX_INSTANCES + ". Give --max-nodes "
                            + AZURE_MAX_INSTANCES + " or less.");
                }
            }
            default -> {
            }
        }
        return warnings;
    }

    /**
     * Where the export would not do what the replayed plan did on a daylight-saving change between {@code origin} and
     * {@code horizonSeconds} later. The plan applies a local time the spring change skips right after the gap, and a
     * repeated one once (WeekClock). The CronJob controller and KEDA's cron scaler compute firings with robfig/cron v3.
     * Its docs say "jobs scheduled during daylight-savings leap-ahead transitions will not be run!", and in the autumn it
     * fires a repeated time twice. So a CronJob change in the gap does not run that day, and one in the repeated hour runs
     * again an hour later, which puts back its limits when another change ran in between. KEDA's trigger is active
     * when the next end comes before the next start (cron_scaler.go). A start in the gap leaves the next start a week
     * away, so the trigger is active from the previous end until that day's end; an end in the gap keeps it inactive. A start or end in the repeated hour moves by the
     * hour. AWS does not document either case for scheduled actions, so aws-asg gets a warning to check.
     */
    public static List<String> daylightSavingWarnings(Format format, List<Change> changes, io.nodesizer.replay.autoscale.WeekClock clock,
                                                      java.time.Instant origin, long horizonSeconds) {
        List<String> out = new ArrayList<>();
        if (clock.isUtc() || clock.isFixedOffset() || format == Format.AZURE_VMSS || format == Format.KARPENTER || changes.isEmpty()) {
            return out;
        }
        java.time.LocalDate first = origin.atZone(clock.zone()).toLocalDate();
        java.time.LocalDate last = origin.plusSeconds(horizonSeconds).atZone(clock.zone()).toLocalDate();
        for (java.time.LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            int weekday = day.getDayOfWeek().getValue() - 1; // 0 = Monday, as Change.day
            List<Change> repeated = new ArrayList<>();
            for (Change c : changes) {
                if (c.day() != weekday) {
                    continue;
                }
                java.time.LocalDateTime local = day.atStartOfDay().plusMinutes(c.minute());
                String at = String.format(Locale.ROOT, "%s %02d:%02d (min %d, max %d)", day.getDayOfWeek().getDisplayName(
                        java.time.format.TextStyle.SHORT, Locale.ROOT), c.minute() / 60, c.minute() % 60,
                        c.min(), c.max());
                if (clock.skipped(local)) {
                    java.time.LocalTime applied = clock.instant(local).atZone(clock.zone()).toLocalTime();
                    String what = switch (format) {
                        case CRONJOB -> "the CronJob controller, which computes schedules with robfig/cron v3, skips a time in the gap "
                                + "(\"jobs scheduled during daylight-savings leap-ahead transitions will not be run\"): the change does "
                                + "not run that day";
                        case KEDA_CRON -> "KEDA's cron trigger (robfig/cron v3) skips it and finds that start or end a week "
                                + "away: a start there leaves the trigger active from the window's end a week before, an end there "
                                + "leaves it inactive that day";
                        default -> "AWS does not document whether a scheduled action whose local time is skipped runs: check that "
                                + "day's activity history";
                    };
                    out.add("the change at " + at + " falls in the hour " + clock.zone() + " skips on " + day + "; the plan applied it "
                            + "at " + applied + ", but " + what + ". Move the window's start or end out of the gap (--window) to "
                            + "export what was replayed.");
                } else if (clock.zone().getRules().getValidOffsets(local).size() == 2) {
                    repeated.add(c);
                }
            }
            boolean matters = format == Format.KEDA_CRON ? !repeated.isEmpty() : repeated.size() >= 2;
            if (matters) {
                String times = String.join(", ", repeated.stream().map(c -> String.format(Locale.ROOT, "%02d:%02d", c.minute() / 60,
                        c.minute() % 60)).toList());
                String what = switch (format) {
                    case CRONJOB -> "the CronJob controller (robfig/cron v3) runs each again at its second occurrence, so the earlier "
                            + "ones' limits come back for a while after the later ones";
                    case KEDA_CRON -> "KEDA's cron trigger (robfig/cron v3) takes the second occurrence as the next, so a window "
                            + "starting there goes inactive and one ending there stays active for the hour";
                    default -> "AWS does not document whether a scheduled action runs once or twice in the repeated hour";
                };
                out.add("the changes at " + times + " on " + day + " fall in the hour " + clock.zone() + " repeats; the plan applied "
                        + "each once, at its first occurrence, but " + what + ". Move them out of that hour (--window) to export "
                        + "what was replayed.");
            }
        }
        return out;
    }

    /**
     * The document for {@code format} (JSON for aws-asg and azure-vmss, YAML for the Kubernetes objects) for a node group of
     * {@code cloud} ({@link #cloudOf}; null: AWS, whose CLI the CronJobs then run); the changes' times are local times of
     * {@code clock}'s zone, which the export names.
     */
    public static String render(Format format, List<Change> changes, int baseMin, String target, String namespace, String cloud,
                                Placeholder placeholder, io.nodesizer.replay.autoscale.WeekClock clock) {
        String zone = format == Format.AZURE_VMSS ? null : clock.ianaName();
        if (zone == null && format != Format.AZURE_VMSS) {
            throw new IllegalArgumentException("the zone " + clock + " has no IANA name: WindowsCommand refuses it before exporting");
        }
        return switch (format) {
            case AWS_ASG -> JsonTrees.write(awsAsg(changes, target, zone));
            case AZURE_VMSS -> JsonTrees.write(azureVmss(changes, clock.isUtc() ? "UTC" : WindowsZones.of(clock.zone())));
            case KEDA_CRON -> "# nodesizer windows: placeholder pods (their PriorityClass and Deployment) and the KEDA ScaledObject that "
                    + "raises them in the windows, keeping nodes warm\n# The Deployment leaves replicas to KEDA (a written count would be set "
                    + "again by every apply): a first apply starts one placeholder, which KEDA scales to 0 at its first poll outside a window\n"
                    + pruneComment(target) + yaml(placeholderObjects(changes, baseMin, target, namespace, placeholder, zone));
            case CRONJOB -> accessComment(cloud, target) + yaml(cronJobsWithAccount(changes, target, namespace, cloud, zone));
            case KARPENTER -> throw new IllegalArgumentException("a NodePool holds no schedule: KarpenterExport.render writes it");
        };
    }

    /** The cloud a shape's node group is in ({@link io.nodesizer.model.NodeShape#cloud}); null when neither it nor --overhead says. */
    public static String cloudOf(io.nodesizer.model.NodeShape shape) {
        return shape.cloud();
    }

    /**
     * Why {@code target} cannot name the node group of {@code cloud} for a CronJob export, or null: GKE and AKS name a node
     * pool by three parts (location/cluster/pool, resource-group/cluster/pool).
     */
    public static String whyNotTarget(String cloud, String target) {
        if (!"gce".equals(cloud) && !"azure".equals(cloud)) {
            return null;
        }
        String[] parts = target.split("/", -1);
        if (parts.length == 3 && java.util.Arrays.stream(parts).noneMatch(String::isBlank)) {
            // GKE names a cluster and a node pool with at most 40 lower-case letters, digits and hyphens, starting with a
            // letter and not ending with a hyphen (gcloud container clusters create / node-pools create): any other name
            // cannot be the pool's, and every Job would fail at run time (QA 74b F9: Prod_Cluster/Pool-A was written).
            if ("gce".equals(cloud)) {
                for (int i = 1; i <= 2; i++) {
                    if (!parts[i].matches("[a-z]([-a-z0-9]{0,38}[a-z0-9])?")) {
                        return "names the GKE " + (i == 1 ? "cluster " : "node pool ") + parts[i] + ", which GKE would not take: its "
                                + (i == 1 ? "cluster" : "node pool") + " names are at most 40 lower-case letters, digits and hyphens, "
                                + "starting with a letter and not ending with a hyphen (give LOCATION/CLUSTER/POOL as GKE spells them)";
                    }
                }
            }
            return null;
        }
        return "gce".equals(cloud) ? "must name a GKE node pool as LOCATION/CLUSTER/POOL (us-central1/prod/gpu-pool): the CronJobs run "
                + "gcloud container clusters update CLUSTER --location LOCATION --node-pool POOL"
                : "must name an AKS node pool as RESOURCE_GROUP/CLUSTER/POOL (rg-prod/aks-prod/userpool): the CronJobs run "
                + "az aks nodepool update --resource-group RESOURCE_GROUP --cluster-name CLUSTER --name POOL";
    }

    /**
     * What {@code aws autoscaling batch-put-scheduled-update-group-action --cli-input-json} takes:
     * one scheduled action per change, recurring weekly (cron, UTC), setting MinSize and MaxSize
     * (the Cluster Autoscaler keeps setting the desired capacity in between).
     */
    static ObjectNode awsAsg(List<Change> changes, String group, String zone) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        root.put("AutoScalingGroupName", group);
        ArrayNode actions = root.putArray("ScheduledUpdateGroupActions");
        for (Change c : changes) {
            ObjectNode a = actions.addObject();
            a.put("ScheduledActionName", "nodesizer-" + c.label());
            a.put("Recurrence", c.cron());
            a.put("MinSize", c.min());
            a.put("MaxSize", c.max());
            a.put("TimeZone", zone);
        }
        return root;
    }

    /**
     * How an aws-asg plan replaces an earlier one's actions (QA 75b F2): batch-put-scheduled-update-group-action creates or
     * updates the names it is given and leaves every other alone, and the names say the minute of the week, so a plan's stale
     * actions would keep setting old limits (and count against the group's 125). The AWS CLI commands that delete the group's
     * {@code nodesizer-} actions before the put: describe-scheduled-actions (paginated; its --query extracts from
     * ScheduledUpdateGroupActions, as --output text requires of a paginated call) lists them, batch-delete-scheduled-action
     * (--auto-scaling-group-name, --scheduled-action-names: at most 50 a call) deletes them. A scheduled action only fires at
     * its time, so deleting one changes no limit in force.
     */
    public static String awsReplaceNote(String group) {
        String g = quoted(group);
        return "a new plan replaces this one's scheduled actions only where their names agree (the names say the minute of the "
                + "week): before the batch put, delete the group's earlier nodesizer- actions, or they keep setting old limits: aws "
                + "autoscaling describe-scheduled-actions --auto-scaling-group-name " + g + " --query \"ScheduledUpdateGroupActions[?"
                + "starts_with(ScheduledActionName, 'nodesizer-')].ScheduledActionName\" --output text | xargs -r -n "
                + AWS_ACTIONS_PER_CALL + " aws autoscaling batch-delete-scheduled-action --auto-scaling-group-name " + g
                + " --scheduled-action-names";
    }

    /**
     * The {@code profiles} of an Azure Monitor autoscale setting for a VM scale set: one recurring
     * weekly profile per change (a recurring profile lasts until the next one starts), capacity
     * minimum/maximum and a default of the minimum, at local times of {@code windowsZone} (the Windows name of the plan's
     * zone, {@link WindowsZones}, which Azure takes). Add your metric rules to each profile.
     */
    static ObjectNode azureVmss(List<Change> changes, String windowsZone) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        ArrayNode profiles = root.putArray("profiles");
        for (Change c : changes) {
            ObjectNode p = profiles.addObject();
            p.put("name", "nodesizer " + c.label());
            ObjectNode capacity = p.putObject("capacity");
            capacity.put("minimum", Integer.toString(c.min()));
            capacity.put("maximum", Integer.toString(c.max()));
            capacity.put("default", Integer.toString(c.min()));
            p.putArray("rules");
            ObjectNode recurrence = p.putObject("recurrence");
            recurrence.put("frequency", "Week");
            ObjectNode schedule = recurrence.putObject("schedule");
            schedule.put("timeZone", java.util.Objects.requireNonNull(windowsZone, "windowsZone"));
            schedule.putArray("days").add(AZURE_DAY[c.day()]);
            schedule.putArray("hours").add(c.minute() / 60);
            schedule.putArray("minutes").add(c.minute() % 60);
        }
        return root;
    }

    /**
     * What each over-provisioning placeholder pod of {@code keda-cron} asks for and where it may run: {@link #SHARE} of the
     * CPU and memory a node of the shape leaves for pods after its DaemonSets (so one fits each new node even where the
     * node's real allocatable is a little below the provider formula's, and two never share a node: each holds one node),
     * a node selector on the instance type (catalog shapes) and the shape's own labels, and a toleration per taint of the
     * shape, so the placeholders warm exactly the node group the plan sized.
     */
    public record Placeholder(long cpuMillis, long memoryBytes, java.util.Map<String, String> nodeSelector,
                              List<io.nodesizer.model.Placement.Taint> tolerations, int priority) {
        /** The share of a node's room for pods one placeholder requests. */
        public static final double SHARE = 0.9;

        public Placeholder {
            nodeSelector = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(nodeSelector));
            tolerations = List.copyOf(tolerations);
        }

        /** The same placeholder at another priority ({@link #priorityFor}). */
        public Placeholder atPriority(int newPriority) {
            return new Placeholder(cpuMillis, memoryBytes, nodeSelector, tolerations, newPriority);
        }

        /**
         * The placeholders' priority: below every pod of the workload that may preempt, since kube-scheduler preempts only
         * pods of strictly lower priority ({@code selectVictimsOnNode}), and not below Cluster Autoscaler's
         * {@code cutoff} (it adds no node for a pending pod below it): -1, as its FAQ's over-provisioning example, unless a
         * workload runs at -1 or lower (QA 70b F8: batch pods at -5 could not preempt placeholders at -1).
         */
        public static int priorityFor(io.nodesizer.model.Workload w, int cutoff) {
            int lowest = 0;
            for (io.nodesizer.model.PodGroup g : w.groups()) {
                if (g.preempts()) {
                    lowest = Math.min(lowest, g.priority());
                }
            }
            return (int) Math.max(cutoff, Math.min(-1L, lowest - 1L));
        }

        /** The placeholder for nodes of {@code shape} that leave {@code podCapacity} (per Resource) to pods. */
        public static Placeholder of(io.nodesizer.model.NodeShape shape, long[] podCapacity) {
            long cpu = (long) Math.floor(podCapacity[io.nodesizer.model.Resource.CPU.ordinal()] * SHARE);
            long mib = (long) Math.floor(podCapacity[io.nodesizer.model.Resource.MEMORY.ordinal()] * SHARE / (1 << 20));
            java.util.Map<String, String> selector = new java.util.TreeMap<>(shape.labels());
            if (cloudOf(shape) != null && List.of("aws", "gce", "azure").contains(shape.provider())) {
                selector.put("node.kubernetes.io/instance-type", shape.name());
            }
            List<io.nodesizer.model.Placement.Taint> tolerations = new ArrayList<>(shape.taints());
            if (shape.capacity().gpuMillis() > 0) {
                // GKE taints every GPU node pool with its device plugin's resource (nvidia.com/gpu=present:NoSchedule), and
                // EKS/AKS guides do the same; pods requesting GPUs get the toleration from the ExtendedResourceToleration
                // admission plugin, but the placeholders request none, so they carry it (for an unknown vendor, every GPU key).
                for (String resource : io.nodesizer.model.GpuVendors.RESOURCES) {
                    boolean vendor = shape.gpuVendor().isEmpty() || shape.gpuVendor().equals(io.nodesizer.model.GpuVendors.ofResource(resource));
                    if (vendor && tolerations.stream().noneMatch(t -> t.key().equals(resource))) {
                        tolerations.add(new io.nodesizer.model.Placement.Taint(resource, "", "NoSchedule"));
                    }
                }
            }
            return new Placeholder(cpu, mib << 20, selector, tolerations, -1);
        }
    }

    /**
     * What {@code keda-cron} writes: the placeholder pods' PriorityClass, their Deployment (none running until a window
     * raises them) and the ScaledObject that raises them ({@link #kedaCron}).
     */
    static List<ObjectNode> placeholderObjects(List<Change> changes, int baseMin, String name, String namespace, Placeholder p,
                                               String zone) {
        ObjectNode priority = JsonTrees.MAPPER.createObjectNode();
        priority.put("apiVersion", "scheduling.k8s.io/v1");
        priority.put("kind", "PriorityClass");
        managedMetadata(priority, name, null);
        // Below every real pod's that may preempt (Placeholder.priorityFor), so that they preempt the placeholders, and not below
        // the Cluster Autoscaler's --expendable-pods-priority-cutoff: CA adds no node for a pending pod below it (its FAQ's
        // over-provisioning example uses -1). Never preempting: a placeholder waits for a node rather than evicting anything.
        priority.put("value", p.priority());
        priority.put("globalDefault", false);
        priority.put("preemptionPolicy", "Never");
        priority.put("description", "nodesizer windows: over-provisioning placeholders that keep nodes warm; pods of a higher "
                + "priority preempt them.");

        ObjectNode deployment = JsonTrees.MAPPER.createObjectNode();
        deployment.put("apiVersion", "apps/v1");
        deployment.put("kind", "Deployment");
        managedMetadata(deployment, name, namespace);
        ObjectNode spec = deployment.putObject("spec");
        // No spec.replicas: KEDA owns the count (none outside the windows). Written, kubectl apply's three-way patch would set it
        // again on every apply, KEDA's live count reset inside a window (QA 75b F3), as the HPA walkthrough's "Migrating
        // Deployments and StatefulSets to horizontal autoscaling" warns. Left out, the first apply creates it at the default of
        // 1, which KEDA scales to 0 at its first poll outside a window: a ScaledObject never active has no cooldown to wait
        // (keda pkg/scaling/executor scale_scaledobjects.go, scaleToZero: LastActiveTime nil).
        spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", name);
        ObjectNode pod = template.putObject("spec");
        pod.put("priorityClassName", name);
        pod.put("terminationGracePeriodSeconds", 0);
        if (!p.nodeSelector().isEmpty()) {
            ObjectNode selector = pod.putObject("nodeSelector");
            p.nodeSelector().forEach(selector::put);
        }
        if (!p.tolerations().isEmpty()) {
            ArrayNode tolerations = pod.putArray("tolerations");
            for (io.nodesizer.model.Placement.Taint t : p.tolerations()) {
                ObjectNode o = tolerations.addObject();
                o.put("key", t.key());
                if (t.value().isEmpty()) {
                    o.put("operator", "Exists");
                } else {
                    o.put("operator", "Equal");
                    o.put("value", t.value());
                }
                o.put("effect", t.effect());
            }
        }
        ObjectNode container = pod.putArray("containers").addObject();
        container.put("name", "pause");
        container.put("image", "registry.k8s.io/pause:3.10");
        ObjectNode requests = container.putObject("resources").putObject("requests");
        requests.put("cpu", p.cpuMillis() + "m");
        requests.put("memory", (p.memoryBytes() >> 20) + "Mi");
        return List.of(priority, deployment, kedaCron(changes, baseMin, name, namespace, zone));
    }

    /** Metadata with the name, the namespace (null: cluster-scoped) and the labels a new plan prunes the old one's by. */
    private static void managedMetadata(ObjectNode root, String name, String namespace) {
        ObjectNode meta = root.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        managedLabels(meta, name);
    }

    /**
     * The labels every object of a node group's export carries, and a new plan prunes the old one's by
     * ({@link #pruneComment}): the same value for the CronJobs, KEDA's objects and the Karpenter NodePool (QA 74b F5: keda-cron
     * labelled the bare target, so the prune the other exports name never matched its objects).
     */
    static void managedLabels(ObjectNode meta, String group) {
        ObjectNode labels = meta.putObject("labels");
        labels.put("app.kubernetes.io/managed-by", "nodesizer");
        labels.put("nodesizer.io/node-group", groupSlug(group)); // unique per group, hash and all: what a prune selects
    }

    /** The comment line saying how a new plan for {@code group} replaces this one's objects. */
    static String pruneComment(String group) {
        return "# A new plan replaces this one's: kubectl apply --prune -l app.kubernetes.io/managed-by=nodesizer,nodesizer.io/node-group="
                + groupSlug(group) + " -f FILE\n";
    }

    /**
     * A KEDA {@code ScaledObject} that scales an over-provisioning placeholder Deployment (pods of
     * a low PriorityClass, each requesting about one node) with one cron trigger per interval
     * whose minimum is above the base: desiredReplicas = that minimum, so the autoscaler keeps at
     * least that many nodes; real pods preempt the placeholders.
     */
    static ObjectNode kedaCron(List<Change> changes, int baseMin, String placeholder, String namespace, String zone) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        root.put("apiVersion", "keda.sh/v1alpha1");
        root.put("kind", "ScaledObject");
        managedMetadata(root, placeholder, namespace);
        ((ObjectNode) root.get("metadata")).put("name", placeholder + "-windows");
        ObjectNode spec = root.putObject("spec");
        spec.putObject("scaleTargetRef").put("name", placeholder);
        // The group keeps its own floor (--min-nodes): placeholders kept all week for it were that many spare nodes all week.
        spec.put("minReplicaCount", 0);
        int most = 0;
        ArrayNode triggers = spec.putArray("triggers");
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (c.min() <= baseMin) {
                continue;
            }
            most = Math.max(most, c.min());
            Change end = changes.get((i + 1) % changes.size());
            ObjectNode t = triggers.addObject();
            t.put("type", "cron");
            ObjectNode m = t.putObject("metadata");
            m.put("timezone", zone);
            m.put("start", c.cron());
            m.put("end", end.cron());
            m.put("desiredReplicas", Integer.toString(c.min()));
        }
        spec.put("maxReplicaCount", Math.max(1, most));
        return root;
    }

    /**
     * One Kubernetes CronJob per change that sets the node group's limits with its cloud's CLI: AWS
     * ({@code aws autoscaling update-auto-scaling-group}, IRSA or EKS Pod Identity on the {@code nodesizer-schedule-<group>} service
     * account), GKE ({@code gcloud container clusters update --total-min-nodes --total-max-nodes}: the pool's totals over its
     * zones, as the plan counts them, where {@code --min-nodes} would be per zone; Workload Identity), AKS ({@code az aks
     * nodepool update --update-cluster-autoscaler --min-count --max-count}, the cluster autoscaler's own limits, after
     * {@code az login} with the workload identity's federated token). Every CronJob carries the labels that let a new plan
     * prune the old one's ({@code kubectl apply --prune -l app.kubernetes.io/managed-by=nodesizer,nodesizer.io/node-group=…}).
     */
    static List<ObjectNode> cronJobs(List<Change> changes, String group, String namespace, String cloud, String zone) {
        List<ObjectNode> out = new ArrayList<>();
        for (Change c : changes) {
            ObjectNode root = JsonTrees.MAPPER.createObjectNode();
            root.put("apiVersion", "batch/v1");
            root.put("kind", "CronJob");
            ObjectNode meta = root.putObject("metadata");
            meta.put("name", "nodesizer-" + groupSlug(group) + "-" + c.label());
            meta.put("namespace", namespace);
            managedLabels(meta, group);
            ObjectNode spec = root.putObject("spec");
            spec.put("schedule", c.cron());
            spec.put("timeZone", zone);
            spec.put("concurrencyPolicy", "Replace");
            ObjectNode template = spec.putObject("jobTemplate").putObject("spec").putObject("template");
            if ("azure".equals(cloud)) {
                // AKS workload identity injects the client, tenant and token file into pods so labelled.
                template.putObject("metadata").putObject("labels").put("azure.workload.identity/use", "true");
            }
            ObjectNode pod = template.putObject("spec");
            pod.put("serviceAccountName", accountName(group));
            pod.put("restartPolicy", "OnFailure");
            ObjectNode container = pod.putArray("containers").addObject();
            container.put("name", "set-limits");
            String min = Integer.toString(c.min());
            String max = Integer.toString(c.max());
            String[] parts = group.split("/", -1);
            String[] args;
            switch (cloud == null ? "aws" : cloud) {
                case "gce" -> {
                    container.put("image", "gcr.io/google.com/cloudsdktool/google-cloud-cli:stable");
                    container.putArray("command").add("gcloud");
                    args = new String[] {"container", "clusters", "update", parts[1], "--location", parts[0], "--node-pool", parts[2],
                        "--enable-autoscaling", "--total-min-nodes", min, "--total-max-nodes", max, "--quiet"};
                }
                case "azure" -> {
                    container.put("image", "mcr.microsoft.com/azure-cli:2.67.0");
                    container.putArray("command").add("/bin/sh").add("-c");
                    args = new String[] {"az login --service-principal -u \"$AZURE_CLIENT_ID\" -t \"$AZURE_TENANT_ID\" --federated-token "
                        + "\"$(cat \"$AZURE_FEDERATED_TOKEN_FILE\")\" >/dev/null && az aks nodepool update --resource-group " + quoted(parts[0])
                        + " --cluster-name " + quoted(parts[1]) + " --name " + quoted(parts[2]) + " --update-cluster-autoscaler --min-count " + min
                        + " --max-count " + max};
                }
                default -> {
                    container.put("image", "amazon/aws-cli:2.22.0");
                    args = new String[] {"autoscaling", "update-auto-scaling-group", "--auto-scaling-group-name", group,
                        "--min-size", min, "--max-size", max};
                }
            }
            ArrayNode argList = container.putArray("args");
            for (String a : args) {
                argList.add(a);
            }
            out.add(root);
        }
        return out;
    }

    /**
     * The CronJobs after the {@code nodesizer-schedule-<group>} ServiceAccount they run as (QA 62c F5: applied as written, every Job's
     * pod was refused, "serviceaccount not found"), annotated for the cloud's workload identity with placeholders that
     * {@link #accessComment} says how to fill.
     */
    static List<ObjectNode> cronJobsWithAccount(List<Change> changes, String group, String namespace, String cloud, String zone) {
        ObjectNode account = JsonTrees.MAPPER.createObjectNode();
        account.put("apiVersion", "v1");
        account.put("kind", "ServiceAccount");
        ObjectNode meta = account.putObject("metadata");
        meta.put("name", accountName(group));
        meta.put("namespace", namespace);
        managedLabels(meta, group);
        ObjectNode annotations = meta.putObject("annotations");
        switch (cloud == null ? "aws" : cloud) {
            case "gce" -> annotations.put("iam.gke.io/gcp-service-account", "GSA_NAME@PROJECT_ID.iam.gserviceaccount.com");
            case "azure" -> annotations.put("azure.workload.identity/client-id", "CLIENT_ID");
            default -> annotations.put("eks.amazonaws.com/role-arn", "arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME");
        }
        List<ObjectNode> out = new ArrayList<>();
        out.add(account);
        out.addAll(cronJobs(changes, group, namespace, cloud, zone));
        return out;
    }

    /** The comment heading a CronJob export: what the ServiceAccount's placeholder stands for and what it must be allowed. */
    static String accessComment(String cloud, String group) {
        String what = switch (cloud == null ? "aws" : cloud) {
            case "gce" -> "# GKE Workload Identity: set GSA_NAME@PROJECT_ID to a Google service account allowed to update the node pool\n"
                    + "# (container.clusters.update, e.g. roles/container.clusterAdmin), with roles/iam.workloadIdentityUser granted to\n"
                    + "# this Kubernetes ServiceAccount.\n";
            case "azure" -> "# AKS workload identity: set CLIENT_ID to a managed identity with a federated credential for this ServiceAccount,\n"
                    + "# allowed Microsoft.ContainerService/managedClusters/agentPools/write on the node pool.\n";
            default -> "# EKS IRSA: set ACCOUNT_ID/ROLE_NAME to an IAM role allowed autoscaling:UpdateAutoScalingGroup on " + group + "\n"
                    + "# (and autoscaling:DescribeAutoScalingGroups); with EKS Pod Identity, drop the annotation and associate the role\n"
                    + "# with this ServiceAccount instead.\n";
        };
        return "# nodesizer windows: the CronJobs below set the node group's limits as the schedule's windows start, running as the\n"
                + "# " + accountName(group) + " ServiceAccount, whose annotation is a placeholder to replace before applying:\n" + what
                + pruneComment(group);
    }

    /**
     * The ServiceAccount a node group's CronJobs run as: one per group (review 62: one name for every group had each
     * group's export overwrite the other's role annotation in a shared namespace).
     */
    static String accountName(String group) {
        return "nodesizer-schedule-" + groupSlug(group);
    }

    /**
     * The node group in the names of its objects: its name in lower-case letters, digits and dashes (at most 20), then six
     * hex digits of its SHA-256, so that two groups never share a name (QA 63b F1: every group's CronJobs were named
     * nodesizer-thu-1100 alike, so a second group's export replaced the first's; F7: Prod_ASG and prod-asg met in one
     * ServiceAccount). Within CronJob's 52 characters with "nodesizer-" and the change's label, a DNS-1123 label.
     */
    static String groupSlug(String group) {
        String v = group.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        v = v.length() > 20 ? v.substring(0, 20).replaceAll("-+$", "") : v;
        String hash;
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(group.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            hash = java.util.HexFormat.of().formatHex(d, 0, 3);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
        return v.isEmpty() ? hash : v + "-" + hash;
    }

    /** A shell word: single-quoted where it holds anything but letters, digits and {@code ._-}. */
    private static String quoted(String word) {
        return word.matches("[A-Za-z0-9._-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    static String yaml(List<ObjectNode> documents) {
        StringBuilder sb = new StringBuilder();
        try {
            for (int i = 0; i < documents.size(); i++) {
                sb.append(i == 0 ? "" : "---\n").append(YAML.writeValueAsString(documents.get(i)));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }
}
