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
}
