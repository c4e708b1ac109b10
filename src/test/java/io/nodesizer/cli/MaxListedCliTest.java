package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recommend --max-listed}: each shape's {@code unschedulable} (and the mix's) lists the first N pods left out, while
 * {@code unschedulableCount} and {@code unschedulableReasons} count them all (fix 77a: a GPU trace over the whole AWS
 * catalog listed 122 M pods, 15.6 GB of JSON).
 */
final class MaxListedCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shop over m6i: the small sizes leave up to 22 pods out, for several reasons. */
    private static final String[] RECOMMEND = {"recommend", "--pods", "workloads/shop.csv", "--catalog", "aws", "--families", "m6i",
            "--strategies", "ffd", "--reproducible", "--quiet", "-o", "json"};

    private static JsonNode shapes(String... more) throws Exception {
        CliRunner r = CliRunner.run(CliRunner.concat(RECOMMEND, more));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out()).get("shapes");
    }

    @Test
    void aCutListSaysSoAndTheReasonsCountEveryPod() throws Exception {
        JsonNode all = shapes("--max-listed", "all");
        JsonNode cut = shapes("--max-listed", "2");
        assertThat(cut.size()).isEqualTo(all.size());
        int cutShapes = 0;
        for (int i = 0; i < all.size(); i++) {
            JsonNode whole = all.get(i);
            JsonNode shape = cut.get(i);
            String name = shape.path("shape").path("name").asText();
            int count = whole.get("unschedulable").size();
            assertThat(shape.get("unschedulableCount").asInt()).as(name).isEqualTo(count);
            assertThat(shape.get("unschedulableListed").asInt()).as(name).isEqualTo(Math.min(2, count));
            assertThat(shape.get("unschedulable")).as(name).hasSize(Math.min(2, count));
            for (int k = 0; k < shape.get("unschedulable").size(); k++) {
                assertThat(shape.get("unschedulable").get(k)).as(name).isEqualTo(whole.get("unschedulable").get(k)); // the first N
            }
            // Grouped by the reason's exact text, from the whole list: pods, the first three pods, most pods first, then by text.
            Map<String, List<String>> byReason = new LinkedHashMap<>();
            for (JsonNode pod : whole.get("unschedulable")) {
                byReason.computeIfAbsent(pod.get("reason").asText(), r -> new ArrayList<>()).add(pod.get("pod").asText());
            }
            List<Map.Entry<String, List<String>>> expected = new ArrayList<>(byReason.entrySet());
            expected.sort(Comparator.comparing((Map.Entry<String, List<String>> e) -> -e.getValue().size()).thenComparing(Map.Entry::getKey));
            JsonNode reasons = shape.get("unschedulableReasons");
            assertThat(reasons).as(name).hasSize(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                JsonNode r = reasons.get(k);
                List<String> pods = expected.get(k).getValue();
                assertThat(r.get("reason").asText()).as(name).isEqualTo(expected.get(k).getKey());
                assertThat(r.get("pods").asInt()).as(name).isEqualTo(pods.size());
                assertThat(JSON.convertValue(r.get("examples"), List.class)).as(name).isEqualTo(pods.subList(0, Math.min(3, pods.size())));
            }
            assertThat(whole.get("unschedulableReasons")).as(name).isEqualTo(reasons); // whatever is listed
            cutShapes += count > 2 ? 1 : 0;
        }
        assertThat(cutShapes).as("shapes whose list is cut").isGreaterThan(1);
        JsonNode large = find(cut, "m6i.large");
        assertThat(large.get("unschedulableCount").asInt()).isEqualTo(22);
        assertThat(large.get("unschedulableReasons").get(0).toString()).isEqualTo("{\"reason\":\"needs 2 CPU; m6i.large allocatable is 1.93 CPU\","
                + "\"pods\":6,\"examples\":[\"recommendations-0\",\"recommendations-1\",\"recommendations-2\"]}");
    }

    @Test
    void allListsEveryPodAsBeforeAndZeroNone() throws Exception {
        JsonNode all = shapes("--max-listed", "all");
        JsonNode none = shapes("--max-listed", "0");
        JsonNode byDefault = shapes();
        for (int i = 0; i < all.size(); i++) {
            JsonNode whole = all.get(i);
            int count = whole.get("unschedulableCount").asInt();
            assertThat(whole.get("unschedulable")).hasSize(count);
            assertThat(whole.get("unschedulableListed").asInt()).isEqualTo(count);
            assertThat(none.get(i).get("unschedulable")).isEmpty();
            assertThat(none.get(i).get("unschedulableListed").asInt()).isZero();
            assertThat(none.get(i).get("unschedulableCount").asInt()).isEqualTo(count);
            assertThat(none.get(i).get("unschedulableReasons")).isEqualTo(whole.get("unschedulableReasons"));
            assertThat(byDefault.get(i)).as("at most 100 pods left out: the default lists them all").isEqualTo(whole);
        }
    }

    @Test
    void aBadValueExitsTwoBeforeAnythingRuns() {
        for (String bad : List.of("-1", "bogus", "1.5", "", "99999999999")) {
            CliRunner r = CliRunner.run(CliRunner.concat(RECOMMEND, "--max-listed=" + bad));
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.out()).as(bad).isEmpty();
            // Review 77g: 99999999999 was told it must be "a whole number of 0 or more", which it is.
            assertThat(r.err()).as(bad).contains("--max-listed: The pods to list per shape must be a whole number from 0 to 2147483647, or all")
                    .contains("found '" + bad + "'").doesNotContain("Exception");
        }
    }

    @Test
    void theMixListsItsPodsLeftOutByTheSameRule(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("all.csv"), "name,cpu,memory,replicas\nweb,1,2Gi,10\nbatch,6,8Gi,4\n"
                + "huge,500,1Gi,5\ngiant,1,2000Gi,2\n");
        List<String> args = List.of("recommend", "--pods", csv.toString(), "--families", "m5,r5", "--max-pools", "2", "--quiet",
                "--reproducible", "-o", "json", "--max-listed");
        JsonNode cut = mix(args, "3");
        JsonNode all = mix(args, "all");
        assertThat(all.get("unschedulable")).hasSize(7);
        assertThat(cut.get("unschedulableCount").asInt()).isEqualTo(7);
        assertThat(cut.get("unschedulableListed").asInt()).isEqualTo(3);
        assertThat(cut.get("unschedulable")).hasSize(3);
        assertThat(cut.get("unschedulable").get(2)).isEqualTo(all.get("unschedulable").get(2));
        JsonNode reasons = cut.get("unschedulableReasons");
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0).get("pods").asInt()).isEqualTo(5);
        assertThat(reasons.get(0).get("reason").asText()).contains("needs 500 CPU");
        assertThat(JSON.convertValue(reasons.get(0).get("examples"), List.class)).isEqualTo(List.of("huge-0", "huge-1", "huge-2"));
        assertThat(reasons.get(1).get("pods").asInt()).isEqualTo(2);
        assertThat(reasons).isEqualTo(all.get("unschedulableReasons"));
    }

    private static JsonNode mix(List<String> args, String listed) throws Exception {
        List<String> full = new ArrayList<>(args);
        full.add(listed);
        CliRunner r = CliRunner.run(full.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out()).get("mix");
    }

    private static JsonNode find(JsonNode shapes, String name) {
        for (JsonNode s : shapes) {
            if (s.path("shape").path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no shape " + name);
    }
}
