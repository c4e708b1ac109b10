package io.nodesizer.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** recommend's CSV keeps what a bill is reconciled against. */
final class RecommendCsvCliTest {
    /**
     * A node price is written as the catalog gives it (up to 6 decimals, as JSON has it), so that nodes
     * x price is costPerHour: p4d.24xlarge's $21.957642 rounded to $21.9576 was $28/month off on 997 nodes.
     */
    @Test
    void thePriceKeepsTheCatalogsDecimals() {
        CliRunner r = CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--node", "cpu=96,memory=768Gi,price=21.957642",
                "--overhead", "none", "--quiet", "-o", "csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(",21.957642,");
    }

    /**
     * QA 52a F8: the table grouped stranded GiB (1,015.046) but not the shape's memory or allocatable
     * beside it (1487.296); now every amount of the human table is grouped, and the CSV stays plain.
     */
    @Test
    void theTableGroupsTheShapesAmountsAndTheCsvDoesNot() {
        String[] args = {"recommend", "--pods", "workloads/shop.csv", "--node", "aws:x2idn.24xlarge", "--quiet"};
        CliRunner table = CliRunner.run(args);
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("x2idn\\.24xlarge +96 +1,536 +16\\.00 +95\\.69 +1,487\\.296 ");
        CliRunner csv = CliRunner.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("-o", "csv"))
                .toArray(String[]::new));
        assertThat(csv.out()).contains(",x2idn.24xlarge,aws,x2idn,amd64,96000,1649267441664,0,16.0,95690,1596971810816,").doesNotContain("1,5");
    }
}
