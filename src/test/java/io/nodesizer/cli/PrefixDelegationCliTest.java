package io.nodesizer.cli;

import io.nodesizer.catalog.Catalogs;
import io.nodesizer.catalog.PrefixDelegation;
import io.nodesizer.model.InstanceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** EKS max pods with the VPC CNI's prefix delegation, as AWS's max-pods calculator gives them (QA 53c F10). */
class PrefixDelegationCliTest {
    private static InstanceType aws(String name) {
        return Catalogs.load("aws").stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void nitroTypesGetSixteenAddressesPerSlotUnderTheCeilingByVcpu() {
        // m5.large: ENIs give 29 (3 × (10 − 1) + 2); prefixes 3 × 9 × 16 + 2 = 434; 2 vCPUs: at most 110.
        assertThat(aws("m5.large").maxPods()).isEqualTo(29);
        assertThat(PrefixDelegation.maxPods(aws("m5.large"))).isEqualTo(110);
        // More than 30 vCPUs: 250 where the ENIs give 737.
        assertThat(PrefixDelegation.maxPods(aws("m5.24xlarge"))).isEqualTo(250);
        assertThat(PrefixDelegation.maxPods(aws("c5.9xlarge"))).isEqualTo(250); // 36 vCPUs
        // t3.nano: 2 ENIs of 2 addresses: 4 pods, prefixes (4 − 2) × 16 + 2 = 34, under the ceiling.
        assertThat(PrefixDelegation.maxPods(aws("t3.nano"))).isEqualTo((aws("t3.nano").maxPods() - 2) * 16 + 2).isLessThan(110);
    }

    @Test
    void xenTypesKeepTheirEniLimit() {
        assertThat(PrefixDelegation.maxPods(aws("m4.large"))).isEqualTo(aws("m4.large").maxPods());
        assertThat(PrefixDelegation.maxPods(aws("t2.medium"))).isEqualTo(aws("t2.medium").maxPods());
    }

    @Test
    void theCliTakesPrefixOrANumber() {
        CliRunner r = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "--max-pods", "prefix", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"pods\" : 110");
        CliRunner inline = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "cpu=2,memory=4Gi", "--max-pods", "prefix");
        assertThat(inline.exitCode()).isEqualTo(2);
        assertThat(inline.err()).contains("inline shapes (cpu=2,memory=4Gi) have none");
        CliRunner gce = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "gce:n2-standard-8", "--max-pods", "prefix");
        assertThat(gce.exitCode()).isEqualTo(2);
        assertThat(gce.err()).contains("n2-standard-8 is a gce type");
        CliRunner word = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "--max-pods", "lots");
        assertThat(word.exitCode()).isEqualTo(2);
        assertThat(word.err()).contains("whole number of at least 1, or prefix");
    }
}
