package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.replay.autoscale.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips: read back what each export wrote and compare the limits it sets, minute by minute, with the schedule. */
final class ScheduleExportTest {
    private static final Instant MONDAY = Instant.parse("2024-01-01T00:00:00Z");
    private static final int WEEK = 7 * 1440;
    private static final int BASE_MIN = 2;
    private static final int BASE_MAX = 20;
    // Overlapping windows (the later one wins), one past midnight, one that only raises max.
    private static final Schedule SCHEDULE = new Schedule(List.of(
            Schedule.parseInline("Mon-Fri 07:00-21:00 min=6 max=40", SourceLocation.ofFile("t")),
            Schedule.parseInline("Wed 12:00-14:30 min=9 max=45", SourceLocation.ofFile("t")),
            Schedule.parseInline("Sat 22:00-02:00 min=4", SourceLocation.ofFile("t")),
            Schedule.parseInline("Sun 10:00-11:00 max=30", SourceLocation.ofFile("t"))));

    private static int[] expected(int minute) {
        return SCHEDULE.limitsAt(minute, BASE_MIN, BASE_MAX);
    }

    private static List<ScheduleExport.Change> changes() {
        return ScheduleExport.changes(SCHEDULE, BASE_MIN, BASE_MAX);
    }

    /** Minute of the week of a five-field cron with one minute, hour and day of week (Sunday 0). */
    private static int minuteOfWeek(String cron) {
        String[] f = cron.trim().split("\\s+");
        assertThat(f).hasSize(5);
        assertThat(f[2]).isEqualTo("*");
        assertThat(f[3]).isEqualTo("*");
        int dow = Integer.parseInt(f[4]);
        int day = (dow + 6) % 7; // Monday 0
        return day * 1440 + Integer.parseInt(f[1]) * 60 + Integer.parseInt(f[0]);
    }

    /** The limits in force at every minute, from (start minute, min, max) actions that recur weekly. */
    private static int[][] timeline(List<int[]> actions) {
        actions.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[][] at = new int[WEEK][];
        for (int m = 0; m < WEEK; m++) {
            int[] last = actions.get(actions.size() - 1); // before the first action of the week: the last one
            for (int[] a : actions) {
                if (a[0] <= m) {
                    last = a;
                }
            }
            at[m] = new int[] {last[1], last[2]};
        }
        return at;
    }

    @Test
    void awsScheduledActionsSetTheLimitsOfEveryMinute() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ScheduleExport.render(ScheduleExport.Format.AWS_ASG, changes(), BASE_MIN, "ng", "default", "aws", null, io.nodesizer.replay.autoscale.WeekClock.UTC));
        assertThat(root.get("AutoScalingGroupName").asText()).isEqualTo("ng");
        List<int[]> actions = new ArrayList<>();
        for (JsonNode a : root.get("ScheduledUpdateGroupActions")) {
            assertThat(a.get("TimeZone").asText()).isEqualTo("Etc/UTC");
            actions.add(new int[] {minuteOfWeek(a.get("Recurrence").asText()), a.get("MinSize").asInt(), a.get("MaxSize").asInt()});
        }
        int[][] at = timeline(actions);
        for (int m = 0; m < WEEK; m++) {
            assertThat(at[m]).as("minute %d", m).containsExactly(expected(m));
        }
    }

    /**
     * QA 75b F2: the batch put leaves an earlier plan's actions at other minutes on the group; the note gives the AWS CLI
     * commands that delete the group's nodesizer- actions first, the group quoted as a shell word, at most 50 names a call.
     */
    @Test
    void theAwsNoteDeletesAnEarlierPlansActionsOfTheGroup() {
        String note = ScheduleExport.awsReplaceNote("my asg");
        assertThat(note).contains("aws autoscaling describe-scheduled-actions --auto-scaling-group-name 'my asg' --query "
                + "\"ScheduledUpdateGroupActions[?starts_with(ScheduledActionName, 'nodesizer-')].ScheduledActionName\" --output text "
                + "| xargs -r -n 50 aws autoscaling batch-delete-scheduled-action --auto-scaling-group-name 'my asg' "
                + "--scheduled-action-names");
        // The names it deletes are the ones the export writes.
        assertThat(ScheduleExport.awsAsg(changes(), "g", "Etc/UTC").get("ScheduledUpdateGroupActions").get(0)
                .get("ScheduledActionName").asText()).startsWith("nodesizer-");
    }

    @Test
    void azureProfilesSetTheLimitsOfEveryMinute() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ScheduleExport.render(ScheduleExport.Format.AZURE_VMSS, changes(), BASE_MIN, "ng", "default", "azure", null, io.nodesizer.replay.autoscale.WeekClock.UTC));
        List<String> days = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
        List<int[]> actions = new ArrayList<>();
        for (JsonNode p : root.get("profiles")) {
            JsonNode s = p.get("recurrence").get("schedule");
            assertThat(p.get("recurrence").get("frequency").asText()).isEqualTo("Week");
            int minute = days.indexOf(s.get("days").get(0).asText()) * 1440 + s.get("hours").get(0).asInt() * 60
                    + s.get("minutes").get(0).asInt();
            actions.add(new int[] {minute, Integer.parseInt(p.get("capacity").get("minimum").asText()),
                Integer.parseInt(p.get("capacity").get("maximum").asText())});
        }
        int[][] at = timeline(actions);
        for (int m = 0; m < WEEK; m++) {
            assertThat(at[m]).as("minute %d", m).containsExactly(expected(m));
        }
    }

    @Test
    void cronJobsSetTheLimitsOfEveryMinute() throws Exception {
        String yaml = ScheduleExport.render(ScheduleExport.Format.CRONJOB, changes(), BASE_MIN, "ng", "ops", "aws", null, io.nodesizer.replay.autoscale.WeekClock.UTC);
        List<int[]> actions = new ArrayList<>();
        assertThat(yaml).startsWith("# nodesizer windows: the CronJobs below").contains("autoscaling:UpdateAutoScalingGroup on ng");
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(yaml)) {
            JsonNode account = docs.next();
            assertThat(account.get("kind").asText()).as("the account the jobs run as comes first (QA 62c F5)").isEqualTo("ServiceAccount");
            assertThat(account.at("/metadata/name").asText()).as("one per node group").isEqualTo("nodesizer-schedule-"
                    + ScheduleExport.groupSlug("ng"));
            assertThat(account.at("/metadata/namespace").asText()).isEqualTo("ops");
            assertThat(account.at("/metadata/annotations/eks.amazonaws.com~1role-arn").asText()).contains("ACCOUNT_ID");
            while (docs.hasNext()) {
                JsonNode job = docs.next();
                assertThat(job.get("kind").asText()).isEqualTo("CronJob");
                assertThat(job.at("/metadata/name").asText()).startsWith("nodesizer-" + ScheduleExport.groupSlug("ng") + "-");
                assertThat(job.at("/spec/jobTemplate/spec/template/spec/serviceAccountName").asText()).isEqualTo(
                        account.at("/metadata/name").asText());
                assertThat(job.get("metadata").get("namespace").asText()).isEqualTo("ops");
                JsonNode args = job.at("/spec/jobTemplate/spec/template/spec/containers/0/args");
                List<String> a = new ArrayList<>();
                args.forEach(x -> a.add(x.asText()));
                assertThat(a.get(a.indexOf("--auto-scaling-group-name") + 1)).isEqualTo("ng");
                actions.add(new int[] {minuteOfWeek(job.at("/spec/schedule").asText()),
                    Integer.parseInt(a.get(a.indexOf("--min-size") + 1)), Integer.parseInt(a.get(a.indexOf("--max-size") + 1))});
            }
        }
        int[][] at = timeline(actions);
        for (int m = 0; m < WEEK; m++) {
            assertThat(at[m]).as("minute %d", m).containsExactly(expected(m));
        }
    }

    /**
     * QA 38c findings 3 and 5: a GKE or AKS plan's CronJobs run that cloud's CLI on the node pool (GKE's totals over its
     * zones, AKS's cluster-autoscaler limits), and every CronJob is labelled so that a new plan can prune the old one's.
     */
    @Test
    void cronJobsRunTheNodePoolsCloudsCliAndCarryPruneLabels() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> gke = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(ScheduleExport.render(ScheduleExport.Format.CRONJOB,
                changes(), BASE_MIN, "us-central1/prod/web", "ops", "gce", null, io.nodesizer.replay.autoscale.WeekClock.UTC))) {
            assertThat(docs.next().at("/metadata/annotations/iam.gke.io~1gcp-service-account").asText()).contains("PROJECT_ID");
            JsonNode job = docs.next();
            assertThat(job.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("nodesizer");
            assertThat(job.at("/metadata/labels/nodesizer.io~1node-group").asText()).isEqualTo(ScheduleExport.groupSlug("us-central1/prod/web"))
                    .startsWith("us-central1-prod-web-");
            assertThat(job.at("/spec/jobTemplate/spec/template/spec/containers/0/command/0").asText()).isEqualTo("gcloud");
            job.at("/spec/jobTemplate/spec/template/spec/containers/0/args").forEach(x -> gke.add(x.asText()));
        }
        assertThat(gke.subList(0, 8)).containsExactly("container", "clusters", "update", "prod", "--location", "us-central1",
                "--node-pool", "web");
        assertThat(gke).contains("--enable-autoscaling", "--total-min-nodes", "--total-max-nodes");
        String aks = ScheduleExport.render(ScheduleExport.Format.CRONJOB, changes(), BASE_MIN, "rg (prod)/aks/user", "ops", "azure", null, io.nodesizer.replay.autoscale.WeekClock.UTC);
        MappingIterator<JsonNode> aksDocs = yaml.readerFor(JsonNode.class).readValues(aks);
        assertThat(aksDocs.next().at("/metadata/annotations/azure.workload.identity~1client-id").asText()).isEqualTo("CLIENT_ID");
        JsonNode job = aksDocs.next();
        assertThat(job.at("/spec/jobTemplate/spec/template/metadata/labels/azure.workload.identity~1use").asText()).isEqualTo("true");
        assertThat(job.at("/spec/jobTemplate/spec/template/spec/containers/0/args/0").asText())
                .contains("az aks nodepool update --resource-group 'rg (prod)' --cluster-name aks --name user --update-cluster-autoscaler "
                        + "--min-count ");
        assertThat(ScheduleExport.whyNotTarget("gce", "prod")).contains("LOCATION/CLUSTER/POOL");
        assertThat(ScheduleExport.whyNotTarget("azure", "rg//pool")).contains("RESOURCE_GROUP/CLUSTER/POOL");
        assertThat(ScheduleExport.whyNotTarget("aws", "my-asg")).isNull();
        // GKE's own name rules (QA 74b F9: Prod_Cluster and Pool-A were written, and every Job would fail).
        assertThat(ScheduleExport.whyNotTarget("gce", "europe-west1/Prod_Cluster/pool-a")).startsWith("names the GKE cluster Prod_Cluster, "
                + "which GKE would not take: its cluster names are at most 40 lower-case letters");
        assertThat(ScheduleExport.whyNotTarget("gce", "europe-west1/prod/Pool-A")).startsWith("names the GKE node pool Pool-A");
        assertThat(ScheduleExport.whyNotTarget("gce", "europe-west1/prod/pool-")).startsWith("names the GKE node pool pool-");
        assertThat(ScheduleExport.whyNotTarget("gce", "europe-west1/prod/" + "p".repeat(41))).startsWith("names the GKE node pool");
        assertThat(ScheduleExport.whyNotTarget("gce", "europe-west1/prod-1/" + "p".repeat(40))).isNull();
        // Every group's objects have names of their own (QA 63b F1, F7), DNS-1123 labels within CronJob's 52 characters.
        assertThat(ScheduleExport.groupSlug("rg (prod)/aks/User_Pool")).matches("rg-prod-aks-user-poo-[0-9a-f]{6}");
        assertThat(ScheduleExport.groupSlug("Prod_ASG")).isNotEqualTo(ScheduleExport.groupSlug("prod-asg")).startsWith("prod-asg-");
        assertThat(ScheduleExport.groupSlug("a..b")).matches("a-b-[0-9a-f]{6}");
        String longest = "nodesizer-" + ScheduleExport.groupSlug("x".repeat(300)) + "-thu-1100";
        assertThat(longest.length()).isLessThanOrEqualTo(52);
        assertThat(longest).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    @Test
    void kedaTriggersHoldTheRaisedMinimumsAndTheBaseElsewhere() throws Exception {
        ScheduleExport.Placeholder placeholder = ScheduleExport.Placeholder.of(io.nodesizer.catalog.ShapeSpec.parse("aws:m5.2xlarge",
                io.nodesizer.kube.provider.ReservationPolicies::forProvider, null, null), new long[] {7_000, 28L << 30, 50, 0, 0});
        String keda = ScheduleExport.render(ScheduleExport.Format.KEDA_CRON, changes(), BASE_MIN, "placeholder", "default", "aws", placeholder,
                io.nodesizer.replay.autoscale.WeekClock.UTC);
        List<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).<JsonNode>readValues(keda).readAll();
        // The export is whole: the placeholders' PriorityClass and Deployment come with the ScaledObject that scales them.
        assertThat(docs).extracting(d -> d.get("kind").asText()).containsExactly("PriorityClass", "Deployment", "ScaledObject");
        JsonNode priority = docs.get(0);
        assertThat(priority.get("value").asInt()).isEqualTo(-1); // above CA's --expendable-pods-priority-cutoff (-10)
        assertThat(priority.get("preemptionPolicy").asText()).isEqualTo("Never");
        JsonNode pod = docs.get(1).at("/spec/template/spec");
        // No spec.replicas: KEDA owns the count, and a written one would be set again by every kubectl apply, a window's live
        // placeholders dropped (QA 75b F3).
        assertThat(docs.get(1).get("spec").has("replicas")).isFalse();
        assertThat(pod.get("priorityClassName").asText()).isEqualTo("placeholder");
        assertThat(pod.at("/nodeSelector/node.kubernetes.io~1instance-type").asText()).isEqualTo("m5.2xlarge");
        // 90 % of the room a node leaves for pods: one per new node, never two on one.
        assertThat(pod.at("/containers/0/resources/requests/cpu").asText()).isEqualTo("6300m");
        assertThat(pod.at("/containers/0/resources/requests/memory").asText()).isEqualTo("25804Mi");
        assertThat(docs.get(1).at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText())
                .isEqualTo(docs.get(1).at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText());
        for (JsonNode d : docs) {
            assertThat(d.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("nodesizer");
            // The value the CronJobs and the NodePool of the same target carry, which the header's prune selects (QA 74b F5).
            assertThat(d.at("/metadata/labels/nodesizer.io~1node-group").asText()).isEqualTo(ScheduleExport.groupSlug("placeholder"))
                    .isNotEqualTo("placeholder");
        }
        assertThat(keda).startsWith("# nodesizer windows: placeholder pods").contains("# A new plan replaces this one's: kubectl apply "
                + "--prune -l app.kubernetes.io/managed-by=nodesizer,nodesizer.io/node-group=" + ScheduleExport.groupSlug("placeholder") + " -f FILE\n");
        JsonNode so = docs.get(2);
        assertThat(so.get("kind").asText()).isEqualTo("ScaledObject");
        assertThat(so.at("/spec/scaleTargetRef/name").asText()).isEqualTo("placeholder");
        // The group keeps its floor itself; the placeholders are the windows' raised minimums only (QA 38c finding 4).
        assertThat(so.at("/spec/minReplicaCount").asInt()).isZero();
        int[] desired = new int[WEEK];
        java.util.Arrays.fill(desired, BASE_MIN);
        for (JsonNode t : so.at("/spec/triggers")) {
            JsonNode md = t.get("metadata");
            assertThat(md.get("desiredReplicas").isTextual()).isTrue(); // a string, as KEDA's metadata map wants
            int start = minuteOfWeek(md.get("start").asText());
            int end = minuteOfWeek(md.get("end").asText());
            for (int m = start; m != end; m = (m + 1) % WEEK) {
                desired[m] = Math.max(desired[m], Integer.parseInt(md.get("desiredReplicas").asText()));
            }
        }
        for (int m = 0; m < WEEK; m++) {
            assertThat(desired[m]).as("minute %d", m).isEqualTo(Math.max(BASE_MIN, expected(m)[0]));
        }
        assertThat(so.at("/spec/maxReplicaCount").asInt()).isEqualTo(9);
    }

    /**
     * Placeholders warming GPU nodes tolerate the taint GKE (and the EKS/AKS guides) put on GPU nodes, keyed by the vendor's
     * device-plugin resource: they request no GPU, so the admission plugin that gives GPU pods the toleration does not.
     */
    @Test
    void placeholdersOfGpuShapesTolerateTheirVendorsGpuTaint() {
        java.util.function.Function<String, ScheduleExport.Placeholder> of = spec -> ScheduleExport.Placeholder.of(
                io.nodesizer.catalog.ShapeSpec.parse(spec, io.nodesizer.kube.provider.ReservationPolicies::forProvider, null, null),
                new long[] {3_000, 12L << 30, 20, 1000, 0});
        assertThat(of.apply("aws:g4dn.xlarge").tolerations()).extracting(io.nodesizer.model.Placement.Taint::key)
                .containsExactly("nvidia.com/gpu");
        assertThat(of.apply("aws:g4ad.xlarge").tolerations()).extracting(io.nodesizer.model.Placement.Taint::key)
                .containsExactly("amd.com/gpu");
        assertThat(of.apply("aws:g4ad.xlarge").tolerations().get(0).effect()).isEqualTo("NoSchedule");
        assertThat(of.apply("cpu=8,memory=32Gi,gpu=1").tolerations()).as("vendor unknown: every GPU key")
                .extracting(io.nodesizer.model.Placement.Taint::key).containsExactlyElementsOf(io.nodesizer.model.GpuVendors.RESOURCES);
        assertThat(of.apply("aws:m5.2xlarge").tolerations()).isEmpty();
    }

    @Test
    void aScheduleThatNeverChangesTheLimitsHasNothingToSchedule() {
        assertThat(ScheduleExport.changes(new Schedule(List.of()), 2, 20)).isEmpty();
    }

    /**
     * What the clouds refuse is refused before anything is written: more scheduled actions than an
     * Auto Scaling group holds (125), more profiles than an autoscale setting holds (20); more
     * actions than one batch call takes (50) is a warning to split them.
     */
    @Test
    void theCloudsLimitsAreKept() {
        List<ScheduleExport.Change> many = new ArrayList<>();
        for (int i = 0; i < 126; i++) {
            many.add(new ScheduleExport.Change(i / 24 % 7, i % 24 * 60, 1 + i % 2, 10));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScheduleExport.check(ScheduleExport.Format.AWS_ASG, many, 0, 10))
                .hasMessageContaining("an Auto Scaling group holds at most 125 scheduled actions");
        assertThat(ScheduleExport.check(ScheduleExport.Format.AWS_ASG, many.subList(0, 51), 0, 10))
                .containsExactly("51 scheduled actions: batch-put-scheduled-update-group-action takes at most 50 per call; split "
                        + "ScheduledUpdateGroupActions into calls of at most 50.");
        assertThat(ScheduleExport.check(ScheduleExport.Format.AWS_ASG, many.subList(0, 50), 0, 10)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScheduleExport.check(ScheduleExport.Format.AZURE_VMSS, many.subList(0, 21), 0, 10))
                .hasMessageContaining("an autoscale setting holds at most 20 profiles");
        assertThat(ScheduleExport.check(ScheduleExport.Format.AZURE_VMSS, many.subList(0, 20), 0, 10)).isEmpty();
        assertThat(ScheduleExport.check(ScheduleExport.Format.CRONJOB, many, 0, 10)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScheduleExport.check(ScheduleExport.Format.KEDA_CRON, List.of(), 0, 10))
                .hasMessageContaining("has no window");
    }
}
