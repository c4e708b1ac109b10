package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recommend --max-pools}: pods that fit none of the priced candidates stay out of the mix,
 * which is planned for the rest and reports them (QA 57a: one such pod in an openb GPU trace made
 * the whole mix exit 2).
 */
final class MixLeftOutCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEABLE = "name,cpu,memory,replicas\nweb,1,2Gi,10\ncache,1,24Gi,3\nbatch,6,8Gi,4\n";

    private static JsonNode mixOf(Path csv, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("recommend", "--pods", csv.toString(), "--families", "m5,r5", "--max-pools",
                "2", "--quiet", "--reproducible", "-o", "json"));
        args.addAll(List.of(more));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out()).get("mix");
    }

    @Test
    void aPodNoCandidateHoldsIsLeftOutAndTheMixIsTheOneOfTheRest(@TempDir Path dir) throws Exception {
        Path rest = Files.writeString(dir.resolve("rest.csv"), PLACEABLE);
        Path all = Files.writeString(dir.resolve("all.csv"), PLACEABLE + "huge,500,1Gi,2\n");
        JsonNode alone = mixOf(rest);
        JsonNode mix = mixOf(all);
        // The same mix as for the placeable pods alone: pools, cost, bound, the single shape it is compared with.
        for (String field : List.of("pools", "costPerHour", "lowerBoundCostPerHour", "bestSingleShape", "savingPercent")) {
            assertThat(mix.get(field)).as(field).isEqualTo(alone.get(field));
        }
        assertThat(alone.get("unschedulable")).isEmpty();
        assertThat(mix.get("unschedulable")).hasSize(2);
        assertThat(mix.get("unschedulable").get(0).get("pod").asText()).isEqualTo("huge-0");
        assertThat(mix.get("unschedulable").get(1).get("reason").asText()).startsWith("fits none of the ").contains("needs 500 CPU");
    }

    @Test
    void everyFormatSaysWhichPodsTheMixLeavesOut(@TempDir Path dir) throws Exception {
        Path all = Files.writeString(dir.resolve("all.csv"), PLACEABLE + "huge,500,1Gi,2\n");
        Path assignments = dir.resolve("a.csv");
        CliRunner table = CliRunner.run("recommend", "--pods", all.toString(), "--families", "m5,r5", "--max-pools", "2", "--quiet",
                "--assignments", assignments.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("2 pods left out: they fit no priced candidate and would stay Pending on any mix (huge × 2: "
                + "fits none of the").contains("the mix, the single shape and the bound are of the other 17 pods");
        List<String> rows = Files.readAllLines(assignments);
        assertThat(rows).hasSize(1 + 19).endsWith("huge-0,,", "huge-1,,");
        assertThat(rows.subList(1, 18)).allMatch(r -> r.matches("[a-z]+-\\d+,[a-z0-9.]+-\\d+,[a-z0-9.]+"));
        CliRunner csv = CliRunner.run("recommend", "--pods", all.toString(), "--families", "m5,r5", "--max-pools", "2", "--quiet", "-o", "csv");
        List<String> lines = csv.out().lines().toList();
        int column = List.of(lines.get(0).split(",")).indexOf("unschedulable");
        String total = lines.stream().filter(l -> l.startsWith("mix-total,")).findFirst().orElseThrow();
        assertThat(total.split(",", -1)[column]).isEqualTo("2");
    }

    /**
     * The pods left out are named by reason, most pods first (QA 78d): a trace's single pods each named their own,
     * "a × 1: …; b × 1: …; c × 1: …" the same reason three times, then "and 5 more (-o json lists every pod)", though JSON
     * lists the first --max-listed alone; now the reasons beyond the third are counted and JSON's unschedulableReasons named.
     */
    @Test
    void theVerdictNamesThePodsLeftOutByReason(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder(PLACEABLE);
        for (int i = 0; i < 6; i++) {
            csv.append("huge").append(i).append(",500,1Gi,1\n");
        }
        csv.append("bigger,600,1Gi,2\nbiggest,700,1Gi,1\nlast,800,1Gi,1\n");
        Path all = Files.writeString(dir.resolve("all.csv"), csv.toString());
        CliRunner table = CliRunner.run("recommend", "--pods", all.toString(), "--families", "m5,r5", "--max-pools", "2", "--quiet");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("10 pods left out: they fit no priced candidate and would stay Pending on any mix (6 pods of 6 "
                        + "workloads (huge0, huge1, huge2, …): fits none of the")
                .contains("; bigger × 2: fits none of the").contains("; biggest × 1: fits none of the")
                .contains("; and 1 pod for 1 other reason (-o json counts every pod by reason in mix.unschedulableReasons))")
                .doesNotContain("huge0 × 1").doesNotContain("lists every pod");
    }

    /**
     * The verdict leaving a pod out and the exit when no other pod is left name the same candidate, the one nearest to
     * holding it (QA 61b F6: the verdict named the cheapest, m5.2xlarge with 7.91 CPU, the exit m5.24xlarge with 95.69).
     */
    @Test
    void theVerdictAndTheExitNameTheNearestCandidate(@TempDir Path dir) throws Exception {
        String nearest = "the nearest to holding it, m5.24xlarge: needs 500 CPU; m5.24xlarge allocatable is 95.69 CPU)";
        Path all = Files.writeString(dir.resolve("all.csv"), PLACEABLE + "huge,500,1Gi,1\n");
        CliRunner verdict = CliRunner.run("recommend", "--pods", all.toString(), "--families", "m5", "--max-pools", "2", "--quiet");
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        assertThat(verdict.out()).contains("fits none of the 9 priced candidates (" + nearest);
        Path alone = Files.writeString(dir.resolve("alone.csv"), "name,cpu,memory,replicas\nhuge,500,1Gi,1\n");
        CliRunner exit = CliRunner.run("recommend", "--pods", alone.toString(), "--families", "m5", "--max-pools", "2", "--quiet");
        assertThat(exit.err()).contains("fits none of the 9 candidate shapes (" + nearest);
    }

    /** Sized for production (--survive), the mix and the single shape it falls back on are of the same pods. */
    @Test
    void aMixSizedToSurviveANodeLeavesThemOutToo(@TempDir Path dir) throws Exception {
        String placeable = PLACEABLE + "trainer,4,16Gi,3\n";
        JsonNode alone = mixOf(Files.writeString(dir.resolve("rest.csv"), placeable), "--survive", "node");
        JsonNode mix = mixOf(Files.writeString(dir.resolve("all.csv"), placeable + "huge,500,1Gi,1\n"), "--survive", "node");
        assertThat(mix.get("costPerHour")).isEqualTo(alone.get("costPerHour"));
        assertThat(mix.get("pools")).isEqualTo(alone.get("pools"));
        assertThat(mix.get("unschedulable")).hasSize(1);
    }

    /** Pods that need three shapes beside one another: no mix of two pools, a note (it exited 2), and the single shapes stand. */
    @Test
    void noMixOfSoFewPoolsIsANoteNotAnError(@TempDir Path dir) throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String type : List.of("m5.large", "m5.xlarge", "m5.2xlarge")) {
            String app = type.replace('.', '-');
            yaml.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ").append(app).append("}\nspec:\n  replicas: 2\n")
                    .append("  selector: {matchLabels: {app: ").append(app).append("}}\n  template:\n    metadata: {labels: {app: ")
                    .append(app).append("}}\n    spec:\n      nodeSelector: {node.kubernetes.io/instance-type: ").append(type)
                    .append("}\n      containers: [{name: c, image: x, resources: {requests: {cpu: \"1\", memory: 1Gi}}}]\n---\n");
        }
        Path manifests = Files.writeString(dir.resolve("three.yaml"), yaml.toString());
        CliRunner two = CliRunner.run("recommend", "--pods", manifests.toString(), "--families", "m5", "--max-pools", "2", "--quiet");
        assertThat(two.exitCode()).as(two.err()).isZero();
        // Certain before the search (QA 75a item 2): each pod fits one shape only, so 3 pools at least.
        assertThat(two.out()).contains("note: no mix of up to 2 pools: The pods need at least 3 pools: no 2 of the ")
                .contains("(pods such as m5-large, which 1 of them take; pods such as m5-xlarge, which 1 of them take; pods such as "
                        + "m5-2xlarge, which 1 of them take). Maybe --max-pools 3.")
                .doesNotContain("Mixed pools (up to");
        CliRunner three = CliRunner.run("recommend", "--pods", manifests.toString(), "--families", "m5", "--max-pools", "3", "--quiet",
                "-o", "json");
        assertThat(three.exitCode()).as(three.err()).isZero();
        assertThat(JSON.readTree(three.out()).get("mix").get("pools")).hasSize(3);
    }

    /**
     * Fix 76f: past 63 classes of pods (a bit each in a long) the check gave up and the search ran to say only "no mix".
     * 66 pods each fit two of 66 shapes in a ring (p_i on t_i or t_i+1): no shape admits a pod another admits more of, none
     * is forced, and the fewest shapes that take every pod are 33, the bound the pods that share no shape give.
     */
    @Test
    void moreClassesOfPodsThanALongHoldsAreCounted(@TempDir Path dir) throws Exception {
        int n = 66;
        StringBuilder catalog = new StringBuilder("name,vcpu,memory_mib,price_per_hour_usd\n");
        StringBuilder pods = new StringBuilder("name,cpu,memory,selector\n");
        for (int i = 0; i < n; i++) {
            catalog.append(String.format("t%02d,8,32768,1%n", i));
            pods.append(String.format("p%02d,1,1Gi,\"node.kubernetes.io/instance-type in (t%02d,t%02d)\"%n", i, i, (i + 1) % n));
        }
        Path cat = Files.writeString(dir.resolve("cat.csv"), catalog);
        Path csv = Files.writeString(dir.resolve("ring.csv"), pods);
        CliRunner three = CliRunner.run("recommend", "--pods", csv.toString(), "--catalog", cat.toString(), "--overhead", "none",
                "--max-pools", "3", "--quiet");
        assertThat(three.exitCode()).as(three.err()).isZero();
        assertThat(three.out()).contains("note: no mix of up to 3 pools: The pods need at least 33 pools: no 3 of the 66 candidate "
                + "shapes between them take every pod, as each pod fits only some of them (pods such as p00, which 2 of them take; ")
                .contains("…). Maybe --max-pools 33.");
    }

    /**
     * QA 75a item 2: GPU pods of three models over shapes of one model each need three pools; the note says so with the
     * models and the --max-pools that covers them, where it blamed pod affinity and taints after the whole search.
     */
    @Test
    void gpuModelsThatNeedMorePoolsThanAllowedAreNamed(@TempDir Path dir) throws Exception {
        Path pods = Files.writeString(dir.resolve("models.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                a,4000,8192,1,1000,T4,LS,Running,0,10,0
                b,4000,8192,1,1000,V100M32,LS,Running,0,10,0
                c,4000,8192,1,1000,P100|V100M32,LS,Running,0,10,0
                d,4000,8192,0,0,,LS,Running,0,10,0
                e,4000,8192,1,1000,P100,LS,Running,0,10,0
                """);
        Path catalog = Files.writeString(dir.resolve("cat.csv"), """
                name,vcpu,memory_mib,gpu_count,gpu_model,gpu_manufacturer,price_per_hour_usd
                t4x1,16,65536,1,T4,nvidia,1.2
                v32x2,32,131072,2,V100M32,nvidia,4.5
                p100x2,16,122880,2,P100,nvidia,2.2
                """);
        CliRunner two = CliRunner.run("recommend", "--pods", pods.toString(), "--catalog", catalog.toString(), "--overhead", "none",
                "--max-pools", "2", "--quiet");
        assertThat(two.exitCode()).as(two.err()).isZero();
        assertThat(two.out()).contains("note: no mix of up to 2 pools: The pods need at least 3 pools: no 2 of the 3 candidate shapes "
                + "between them take every pod, as each pod fits only some of them (GPU model T4; GPU model V100M32; GPU model P100 or "
                + "V100M32; GPU model P100). Maybe --max-pools 3.").doesNotContain("required pod affinity");
        CliRunner three = CliRunner.run("recommend", "--pods", pods.toString(), "--catalog", catalog.toString(), "--overhead", "none",
                "--max-pools", "3", "--quiet", "-o", "json");
        assertThat(three.exitCode()).as(three.err()).isZero();
        assertThat(JSON.readTree(three.out()).get("mix").get("pools")).hasSize(3);
    }

    @Test
    void withNoPodAnyCandidateHoldsThereIsNoMixToPlan(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("huge.csv"), "name,cpu,memory\nhuge,500,1Gi\n");
        CliRunner r = CliRunner.run("recommend", "--pods", csv.toString(), "--families", "m5", "--max-pools", "2", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("The pod huge-0 (500 CPU, 1 GiB memory) fits none of the").doesNotContain("Exception");
    }
}
