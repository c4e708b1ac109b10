package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nodesizer.cli.CliRunner.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shape priced at $9,876.543219/h, near the $10,000/h a price may be (QA finding 4 priced one at $123,456,789/h; QA 62b
 * F4 capped prices), so its months run to eight digits: its price and the costs it gives are
 * written as plain decimals in JSON, in JSON with --timestamp, and in the HTML charts' data; and
 * compare still reads such reports back.
 */
final class PlainDecimalsCliTest {
    @TempDir
    Path dir;

    private Path catalog() throws Exception {
        Path csv = dir.resolve("catalog.csv");
        Files.writeString(csv, """
                provider,name,family,category,generation,size,arch,vcpu,memory_mib,gpu_count,gpu_model,gpu_manufacturer,max_pods_eni,price_per_hour_usd,region
                aws,small.x,small,s,1,x,amd64,4,16384,0,,,58,0.192,us-east-1
                aws,gold.plated,gold,g,1,x,amd64,32,131072,0,,,234,9876.543219,us-east-1
                """);
        return csv;
    }

    private CliRunner recommend(String... more) throws Exception {
        String[] base = {"recommend", "--pods", "workloads/shop.csv", "--catalog", catalog().toString()};
        CliRunner r = CliRunner.run(concat(base, more));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void aHugePriceIsAPlainDecimalInJson() throws Exception {
        String json = recommend("-o", "json", "--reproducible").out();
        // Before: "pricePerHour" : 1.23456789123456E8, "costPerMonth" : 4.5061728030061E11 (Jackson writes 1e7 and above so).
        assertThat(json).doesNotContainPattern("[0-9]E[-+]?[0-9]").contains("\"pricePerHour\" : 9876.543219");
        JsonNode gold = null;
        for (JsonNode s : new ObjectMapper().readTree(json).get("shapes")) {
            if (s.get("shape").get("name").asText().equals("gold.plated")) {
                gold = s;
            }
        }
        assertThat(gold).isNotNull();
        assertThat(gold.get("shape").get("pricePerHour").doubleValue()).isEqualTo(9876.543219);
        assertThat(gold.get("costPerMonth").doubleValue()).as("eight digits, which Jackson writes with an exponent").isGreaterThan(1e7);
        assertThat(json).contains("\"costPerMonth\" : " + gold.get("costPerMonth").decimalValue().toPlainString());
    }

    @Test
    void timestampedJsonAndHtmlChartsArePlainToo() throws Exception {
        String stamped = recommend("-o", "json", "--timestamp").out();
        assertThat(stamped).contains("generatedAt").doesNotContainPattern("[0-9]E[-+]?[0-9]").contains("9876.543219");
        String html = recommend("-o", "html", "--reproducible").out();
        int at = html.indexOf("<script type=\"application/json\"");
        assertThat(at).isPositive();
        assertThat(html.substring(at)).doesNotContainPattern("[0-9]E[-+]?[0-9]");
    }

    @Test
    void compareReadsPlainDecimalReportsBack() throws Exception {
        Path before = dir.resolve("before.json");
        Path after = dir.resolve("after.json");
        // Only the gold shape: the figures compared are its eight-digit months.
        Files.writeString(before, recommend("-o", "json", "--families", "gold", "--reproducible").out());
        Files.writeString(after, recommend("-o", "json", "--families", "gold", "--growth", "2", "--reproducible").out());
        CliRunner r = CliRunner.run("compare", before.toString(), after.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContainPattern("[0-9]E[-+]?[0-9]").contains("72098765.5");
    }
}
