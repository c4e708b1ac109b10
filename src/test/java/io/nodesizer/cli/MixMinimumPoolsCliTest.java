package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code recommend --snapshot --max-pools 4} over the whole AWS catalog, pools of at least two nodes: a cluster of m5
 * nodes, a tainted g4dn.xlarge GPU group and a tainted r5.large memory group (QA 66a's v-small.json without its
 * DaemonSets, PDBs and unplaceable pods). The LP over every candidate used four shapes, a fifth of a c6a.2xlarge among
 * them, so the mix planner dived those four as one set; with two nodes of each pool that set's LP ($3.11/h) was above
 * the mix already found ($2.63/h: g4dn.4xlarge × 2 + r5a.large × 2), and the cheaper set without the c6a.2xlarge
 * (c6a.4xlarge + g4dn.xlarge + r5a.large, $2.50/h) was never tried. Over those three families alone the set bound proves
 * $2.50/h optimal; more candidates must not answer dearer.
 */
final class MixMinimumPoolsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = "src/test/resources/mix/minimum-pools-snapshot.json";

    private static JsonNode mix(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("recommend", "--snapshot", SNAPSHOT, "--catalog", "aws", "--max-pools", "4",
                "--strategies", "ffd", "--quiet", "--reproducible", "-o", "json"));
        args.addAll(List.of(more));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out()).get("mix");
    }

    @Test
    void theLpsShapesWithoutTheOneItUsesALittleAreDivedToo() throws Exception {
        JsonNode few = mix("--families", "c6a,g4dn,r5a");
        assertThat(few.get("costPerHour").asDouble()).isCloseTo(2.502, within(1e-6));
        assertThat(few.get("lowerBoundCostPerHour").asDouble()).isCloseTo(2.502, within(1e-6));
        JsonNode all = mix();
        assertThat(all.get("costPerHour").asDouble()).isLessThanOrEqualTo(few.get("costPerHour").asDouble() + 1e-9);
        assertThat(all.get("lowerBoundCostPerHour").asDouble()).isLessThanOrEqualTo(all.get("costPerHour").asDouble());
        for (JsonNode pool : all.get("pools")) {
            assertThat(pool.get("nodes").asInt()).as(pool.toString()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * QA 67c F1: with --strategies ffd the ranking packs the shop's best shape, m5.8xlarge, on 6 nodes, which the planner's
     * patterns pack on 5; the mix was said to save 18.75 % against the 6, most of it the packing's. The baseline is the shape
     * as the planner packs it: 2.5 %, and the verdict says so.
     */
    @Test
    void theMixIsComparedWithTheBestShapeAsThePlannerPacksIt() throws Exception {
        List<String> args = List.of("recommend", "--pods", "workloads/shop.csv", "--families", "m5,r5,c5", "--strategies", "ffd",
                "--max-pools", "2", "--quiet", "--reproducible");
        CliRunner json = CliRunner.run(java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("-o", "json"))
                .toArray(String[]::new));
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode root = JSON.readTree(json.out());
        JsonNode m5 = null;
        for (JsonNode s : root.get("shapes")) {
            if (s.get("shape").get("name").asText().equals("m5.8xlarge")) {
                m5 = s;
            }
        }
        assertThat(m5).isNotNull();
        assertThat(m5.get("packedNodes").asInt()).isEqualTo(6); // the ranking keeps its strategies' packing
        assertThat(root.get("mix").get("bestSingleShape").asText()).isEqualTo("m5.8xlarge");
        assertThat(root.get("mix").get("savingPercent").asDouble()).isCloseTo(2.5, within(1e-9));
        CliRunner text = CliRunner.run(args.toArray(String[]::new));
        assertThat(text.out()).contains("saving 2.5 % against one shape (m5.8xlarge × 5, $5,606.40/month, as the mixed-pool planner "
                + "packs it; the ranking's strategies take more nodes)").contains("best single: m5.8xlarge");
        // Sized with a control plane, both sides carry it, and the baseline stays the planner's 5 nodes (review 67: 18.18 % again).
        CliRunner sized = CliRunner.run(java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("--control-plane",
                "3:aws:m5.large")).toArray(String[]::new));
        assertThat(sized.out()).contains("saving 2.41 % against one shape (m5.8xlarge × 5, $5,816.64/month, as the mixed-pool planner packs it");
    }
}
