package io.nodesizer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nodesizer.input.InputException;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resources;
import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The NodePool of windows --export karpenter, read back as YAML: every field the replayed Karpenter model sets, and nothing else. */
final class KarpenterExportTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long GIB = 1L << 30;

    private static NodeShape shape(String provider, String name, long cpus, long memoryGib, long gpus, String vendor,
                                   Map<String, String> labels, List<Placement.Taint> taints) {
        Resources capacity = new Resources(cpus * 1000, memoryGib * GIB, 58, gpus * 1000, 0);
        Resources allocatable = new Resources(cpus * 1000 - 90, memoryGib * GIB - 2 * GIB, 58, gpus * 1000, 0);
        return new NodeShape(name, provider, name.split("\\.")[0], "amd64", capacity, allocatable, "eks", 0.384, "", labels, taints, vendor);
    }

    private static final NodeShape M5 = shape("aws", "m5.2xlarge", 8, 32, 0, "", Map.of("team", "shop"),
            List.of(new Placement.Taint("dedicated", "shop", "NoSchedule"), new Placement.Taint("spare", "", "PreferNoSchedule")));

    private static JsonNode read(String yaml) throws Exception {
        return YAML.readTree(yaml);
    }

    @Test
    void writesTheReplayedSettingsAndLimitsByCapacity() throws Exception {
        Karpenter.Settings s = new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.BALANCED, 90, Karpenter.Settings.POLL_PERIOD, 30, new Karpenter.Budget(3, false),
                Karpenter.Settings.NEVER, 3600);
        String text = KarpenterExport.render("shop", List.of(M5), s, 30, List.of("us-east-1a", "us-east-1b"), "# head\n");
        assertThat(text).startsWith("# head\napiVersion: karpenter.sh/v1\n");
        JsonNode root = read(text);
        assertThat(root.get("kind").asText()).isEqualTo("NodePool");
        assertThat(root.at("/metadata/name").asText()).isEqualTo("shop");
        assertThat(root.at("/metadata/namespace").isMissingNode()).isTrue(); // cluster-scoped
        assertThat(root.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("nodesizer");
        assertThat(root.at("/metadata/labels/nodesizer.io~1node-group").asText()).isEqualTo(ScheduleExport.groupSlug("shop"));

        JsonNode t = root.at("/spec/template/spec");
        JsonNode req = t.get("requirements");
        assertThat(req).hasSize(4);
        assertThat(req.findValuesAsText("key")).containsExactly("node.kubernetes.io/instance-type", "kubernetes.io/arch",
                "karpenter.sh/capacity-type", "topology.kubernetes.io/zone");
        assertThat(req.findValuesAsText("operator")).containsOnly("In");
        assertThat(req.get(0).get("values").get(0).asText()).isEqualTo("m5.2xlarge");
        assertThat(req.get(1).get("values").get(0).asText()).isEqualTo("amd64");
        assertThat(req.get(2).get("values").size()).isOne();
        assertThat(req.get(2).get("values").get(0).asText()).isEqualTo("on-demand");
        assertThat(req.get(3).get("values").toString()).isEqualTo("[\"us-east-1a\",\"us-east-1b\"]");
        assertThat(t.at("/nodeClassRef/group").asText()).isEqualTo("karpenter.k8s.aws");
        assertThat(t.at("/nodeClassRef/kind").asText()).isEqualTo("EC2NodeClass");
        assertThat(t.at("/nodeClassRef/name").asText()).isEqualTo("default");
        assertThat(root.at("/spec/template/metadata/labels/team").asText()).isEqualTo("shop");
        assertThat(t.get("taints")).hasSize(2);
        assertThat(t.at("/taints/0/key").asText()).isEqualTo("dedicated");
        assertThat(t.at("/taints/0/value").asText()).isEqualTo("shop");
        assertThat(t.at("/taints/0/effect").asText()).isEqualTo("NoSchedule");
        assertThat(t.at("/taints/1/value").isMissingNode()).isTrue(); // a taint without value has none
        assertThat(t.get("expireAfter").asText()).isEqualTo("Never");
        assertThat(t.get("terminationGracePeriod").asText()).isEqualTo("1h");

        JsonNode d = root.at("/spec/disruption");
        assertThat(d.get("consolidationPolicy").asText()).isEqualTo("Balanced");
        assertThat(d.get("consolidateAfter").asText()).isEqualTo("1m30s");
        assertThat(d.get("budgets")).hasSize(1);
        assertThat(d.at("/budgets/0/nodes").isTextual()).isTrue(); // Karpenter's field is a string: "3", not 3
        assertThat(d.at("/budgets/0/nodes").asText()).isEqualTo("3");
        assertThat(d.at("/budgets/0/schedule").isMissingNode()).isTrue();

        // Capacity, not allocatable: 30 × 8 CPU, 30 × 32 GiB.
        assertThat(root.at("/spec/limits/cpu").asText()).isEqualTo("240");
        assertThat(root.at("/spec/limits/memory").asText()).isEqualTo("960Gi");
        assertThat(root.at("/spec/limits").size()).isEqualTo(2);
    }

    /** The preference policy is the controller's setting: Ignore is named in windows' header, as replayed; Respect (the default) is not. */
    @Test
    void aPreferencePolicyOtherThanRespectIsNamedAsTheControllersSetting() {
        Karpenter.Settings ignore = new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, 30, Karpenter.Budget.DEFAULT,
                Karpenter.Settings.EXPIRE_AFTER, Karpenter.Settings.NEVER, Karpenter.PreferencePolicy.IGNORE);
        assertThat(KarpenterExport.header("shop", List.of(M5), ignore, 30, "replayed", "")).contains("# Replayed with PREFERENCE_POLICY=Ignore: "
                + "Karpenter's controller setting (its Helm chart's settings.preferencePolicy), not the NodePool's.");
        assertThat(KarpenterExport.header("shop", List.of(M5), Karpenter.Settings.defaults(30), 30, "replayed", ""))
                .doesNotContain("PREFERENCE_POLICY");
    }

    @Test
    void karpentersDefaultsAreWrittenAndNoMaxNodesIsNoLimits() throws Exception {
        NodeShape plain = shape("aws", "m5.2xlarge", 8, 32, 0, "", Map.of(), List.of());
        JsonNode root = read(KarpenterExport.render("nodesizer", List.of(plain), Karpenter.Settings.defaults(5000), null, null, ""));
        JsonNode t = root.at("/spec/template/spec");
        assertThat(t.get("expireAfter").asText()).isEqualTo("720h");
        assertThat(t.has("terminationGracePeriod")).isFalse(); // unset: drains wait as long as it takes, as replayed
        assertThat(t.has("taints")).isFalse();
        assertThat(root.at("/spec/template/metadata").isMissingNode()).isTrue();
        assertThat(t.get("requirements").findValuesAsText("key")).doesNotContain("topology.kubernetes.io/zone");
        assertThat(root.at("/spec/disruption/consolidationPolicy").asText()).isEqualTo("WhenEmptyOrUnderutilized");
        assertThat(root.at("/spec/disruption/consolidateAfter").asText()).isEqualTo("0s");
        assertThat(root.at("/spec/disruption/budgets/0/nodes").asText()).isEqualTo("10%");
        assertThat(root.at("/spec").has("limits")).isFalse();
    }

    /** QA 71a F5: consolidateAfter Never (the v1 CRD's pattern allows it) is written as Karpenter spells it. */
    @Test
    void consolidateAfterNeverIsWrittenAsNever() throws Exception {
        NodeShape plain = shape("aws", "m5.2xlarge", 8, 32, 0, "", Map.of(), List.of());
        Karpenter.Settings s = new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, Karpenter.Settings.NEVER, Karpenter.Settings.POLL_PERIOD, 5000);
        JsonNode root = read(KarpenterExport.render("nodesizer", List.of(plain), s, null, null, ""));
        assertThat(root.at("/spec/disruption/consolidateAfter").asText()).isEqualTo("Never");
    }

    @Test
    void azureNamesItsNodeClassAndGpusAreLimitedByTheirDevicePluginsResource() throws Exception {
        NodeShape nc = shape("azure", "Standard_NC24ads_A100_v4", 24, 220, 1, "nvidia", Map.of(), List.of());
        JsonNode root = read(KarpenterExport.render("gpu", List.of(nc), Karpenter.Settings.defaults(4), 4, null, ""));
        assertThat(root.at("/spec/template/spec/nodeClassRef/group").asText()).isEqualTo("karpenter.azure.com");
        assertThat(root.at("/spec/template/spec/nodeClassRef/kind").asText()).isEqualTo("AKSNodeClass");
        assertThat(root.at("/spec/limits/cpu").asText()).isEqualTo("96");
        assertThat(root.at("/spec/limits/memory").asText()).isEqualTo("880Gi");
        assertThat(root.at("/spec/limits/nvidia.com~1gpu").asText()).isEqualTo("4");
    }

    @Test
    void refusesWhatNoNodePoolCanSay() {
        assertThat(KarpenterExport.whyNot(M5)).isNull();
        assertThat(KarpenterExport.whyNot(shape("gce", "n2-standard-8", 8, 32, 0, "", Map.of(), List.of())))
                .contains("no generally available provider for GCE");
        assertThat(KarpenterExport.whyNot(shape("inline", "custom-8c-32g", 8, 32, 0, "", Map.of(), List.of())))
                .contains("names no instance type");
        assertThat(KarpenterExport.whyNot(shape("custom", "m5.2xlarge", 8, 32, 0, "", Map.of(), List.of())))
                .contains("catalog file row without a provider").doesNotContain("inline");
        NodeShape reserved = shape("aws", "m5.2xlarge", 8, 32, 0, "", Map.of("karpenter.sh/team", "a"), List.of());
        assertThatThrownBy(() -> KarpenterExport.labelWarnings(List.of(reserved))).isInstanceOf(InputException.class)
                .hasMessageContaining("karpenter.sh domain");
        NodeShape role = shape("aws", "m5.2xlarge", 8, 32, 0, "", Map.of("node-role.kubernetes.io/w", "",
                "node.kubernetes.io/pool", "a"), List.of());
        assertThat(KarpenterExport.labelWarnings(List.of(role))).singleElement().asString().contains("node-role.kubernetes.io/w");
        NodeShape other = shape("aws", "m5.4xlarge", 16, 64, 0, "", Map.of("team", "web"), List.of());
        assertThatThrownBy(() -> KarpenterExport.templateLabels(List.of(M5, other))).isInstanceOf(InputException.class)
                .hasMessageContaining("team=shop and team=web");
    }

    @Test
    void durationsAndQuantitiesAreKarpentersAndKubernetesForms() {
        assertThat(KarpenterExport.duration(0)).isEqualTo("0s");
        assertThat(KarpenterExport.duration(30)).isEqualTo("30s");
        assertThat(KarpenterExport.duration(300)).isEqualTo("5m");
        assertThat(KarpenterExport.duration(720 * 3600)).isEqualTo("720h");
        assertThat(KarpenterExport.duration(3600 + 61)).isEqualTo("1h1m1s");
        for (long s : new long[] {1, 59, 60, 3599, 3600, 86_400 * 3 + 7}) {
            assertThat(KarpenterExport.duration(s)).matches("^([0-9]+(s|m|h))+$");
        }
        assertThat(KarpenterExport.memory(30 * GIB)).isEqualTo("30Gi");
        assertThat(KarpenterExport.memory(1536L << 20)).isEqualTo("1536Mi");
        assertThat(KarpenterExport.memory(1000)).isEqualTo("1000");
    }
}
