package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recommend report's money as a finance team checks it (QA 78d): each cost per hour times 730 is the cost per month
 * beside it, and a mix's pools add up to its total, in every format.
 */
final class RecommendCostsAddUpCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal number(String cell) {
        return new BigDecimal(cell.replace(",", ""));
    }

    /**
     * m7a's prices have five decimals (m7a.4xlarge $0.92736): the table wrote $/h to the cent (8 nodes: 7.42, × 730 =
     * 5,416.60 beside $5,415.78/month) and JSON and CSV to four decimals (7.4189, × 730 = 5,415.80).
     */
    @Test
    void everyCostPerHourTimes730IsTheCostPerMonthBesideIt() throws Exception {
        String[] args = {"recommend", "--pods", "workloads/shop.csv", "--families", "m7a,c7a", "--strategies", "ffd", "--quiet", "--reproducible"};
        CliRunner table = CliRunner.run(args);
        assertThat(table.exitCode()).as(table.err()).isZero();
        // The ranking's rows, cells split where two spaces or more part them (a cell such as "2 (+1 HA)" has one).
        List<String> lines = table.out().lines().toList();
        int head = lines.indexOf(lines.stream().filter(l -> l.trim().startsWith("#  shape")).findFirst().orElseThrow());
        List<String> columns = List.of(lines.get(head).trim().split(" {2,}"));
        int rows = 0;
        for (String line : lines.subList(head + 2, lines.size())) {
            if (!line.matches(" *\\d+ .*")) {
                break;
            }
            rows++;
            List<String> cells = List.of(line.trim().split(" {2,}"));
            assertThat(cents(number(cells.get(columns.indexOf("$/h"))).multiply(BigDecimal.valueOf(730)))).as(line)
                    .isEqualByComparingTo(number(cells.get(columns.indexOf("$/month"))));
        }
        assertThat(rows).as(table.out()).isGreaterThan(10);
        JsonNode json = JSON.readTree(CliRunner.run(CliRunner.concat(args, "-o", "json")).out());
        for (JsonNode shape : json.get("shapes")) {
            BigDecimal hourly = shape.get("costPerHour").decimalValue();
            assertThat(cents(hourly.multiply(BigDecimal.valueOf(730)))).as(shape.get("shape").get("name").asText())
                    .isEqualByComparingTo(shape.get("costPerMonth").decimalValue());
            assertThat(hourly).isEqualByComparingTo(shape.get("shape").get("pricePerHour").decimalValue()
                    .multiply(BigDecimal.valueOf(shape.get("nodes").asInt())));
        }
        List<String> csv = CliRunner.run(CliRunner.concat(args, "-o", "csv")).out().lines().toList();
        List<String> header = List.of(csv.get(0).split(",", -1));
        for (String line : csv.subList(1, csv.size())) {
            List<String> cells = List.of(line.split(",", -1));
            assertThat(cents(number(cells.get(header.indexOf("costPerHour"))).multiply(BigDecimal.valueOf(730)))).as(line)
                    .isEqualByComparingTo(number(cells.get(header.indexOf("costPerMonth"))));
        }
    }

    /**
     * Two pools of five-decimal prices: rounded each alone, $149.8544 and $202.8816 a month read 149.85 + 202.88 under a
     * total of 352.74 (and $/h 0.21 + 0.28 under 0.48); the pools are now rounded once over the mix, in the table and in
     * the CSV's pool rows against its mix-total row.
     */
    @Test
    void aMixsPoolsAddUpToItsTotal(@TempDir Path dir) throws Exception {
        Path pods = dir.resolve("pods.csv");
        Files.writeString(pods, "name,cpu,memory,replicas,gpu\ninfer,1,4Gi,2,1\nsvc,3,8Gi,10,\n");
        String[] args = {"recommend", "--pods", pods.toString(), "--node", "cpu=8,memory=32Gi,gpu=1,price=0.10264",
                "--node", "cpu=8,memory=32Gi,price=0.09264", "--max-pools", "2", "--quiet", "--reproducible"};
        CliRunner table = CliRunner.run(args);
        assertThat(table.exitCode()).as(table.err()).isZero();
        String out = table.out();
        Matcher pool = Pattern.compile("(?m)^custom-8c-32g\\S* +8 +32 +[01] +(\\d+) +([0-9.]+) +([0-9,.]+)$").matcher(out);
        BigDecimal hourly = BigDecimal.ZERO;
        BigDecimal monthly = BigDecimal.ZERO;
        int pools = 0;
        while (pool.find()) {
            pools++;
            hourly = hourly.add(number(pool.group(2)));
            monthly = monthly.add(number(pool.group(3)));
        }
        assertThat(pools).as(out).isEqualTo(2);
        Matcher total = Pattern.compile("(?m)^mix total +\\d+ +([0-9.]+) +([0-9,.]+)$").matcher(out);
        assertThat(total.find()).as(out).isTrue();
        assertThat(hourly).isEqualByComparingTo(number(total.group(1))).isEqualByComparingTo("0.4832");
        assertThat(monthly).isEqualByComparingTo(number(total.group(2))).isEqualByComparingTo("352.74");

        List<String> csv = CliRunner.run(CliRunner.concat(args, "-o", "csv")).out().lines().toList();
        List<String> header = List.of(csv.get(0).split(",", -1));
        BigDecimal csvMonthly = BigDecimal.ZERO;
        String csvTotal = null;
        for (String line : csv) {
            List<String> cells = List.of(line.split(",", -1));
            if (cells.get(0).equals("mix")) {
                csvMonthly = csvMonthly.add(number(cells.get(header.indexOf("costPerMonth"))));
            } else if (cells.get(0).equals("mix-total")) {
                csvTotal = cells.get(header.indexOf("costPerMonth"));
            }
        }
        assertThat(csvTotal).isNotNull();
        assertThat(csvMonthly).isEqualByComparingTo(number(csvTotal));
    }

    /**
     * Counts in the mix table and the verdicts are grouped as the ranking's (QA 67c F12): the planned nodes' row read
     * "2500" and the verdicts "custom-1c-4g × 2501", "against a bound of 2501" beside "2,501 nodes".
     */
    @Test
    void theMixTableAndVerdictsGroupTheirCounts(@TempDir Path dir) throws Exception {
        Path pods = dir.resolve("pods.csv");
        Files.writeString(pods, "name,cpu,memory,replicas\nsvc,900m,1Gi,2500\n");
        CliRunner r = CliRunner.run("recommend", "--pods", pods.toString(), "--node", "cpu=1,memory=4Gi,price=0.01",
                "--node", "cpu=2,memory=4Gi,price=0.021", "--max-pools", "2", "--survive", "node", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("planned nodes \\(before HA and control plane\\) +2,500 ")
                .contains("against a bound of 2,501,").contains("custom-1c-4g × 2,501 at");
    }
}
