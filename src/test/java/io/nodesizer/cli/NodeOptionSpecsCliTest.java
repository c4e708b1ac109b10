package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node options' values as a user types them ({@code --disk}, the {@code --node}, {@code --generic} and {@code --reserved}
 * specs): a mistake exits 2 with a message that names what was written where it was written (QA 68c).
 */
final class NodeOptionSpecsCliTest {

    private static CliRunner refused(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    /**
     * {@code --disk 100} is 100 bytes, a quantity without a unit being bytes: it was taken, and the pods then left out were told
     * to "give the node's disk size: --disk SIZE", which they had (QA 68c F6). Refused as {@code --node …,memory=32} is.
     */
    @Test
    void aDiskWithoutAUnitOrUnderAGibibyteExitsTwo(@TempDir Path dir) throws Exception {
        Path pods = dir.resolve("eph.csv");
        Files.writeString(pods, "name,cpu,memory,ephemeral-storage\nw,1,1Gi,1Gi\n");
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "100").err())
                .isEqualTo("nodesizer: --disk: The disk size (100) is 100 bytes: a quantity without a unit is bytes. Give a unit, "
                        + "e.g. --disk 100Gi.\n");
        assertThat(refused("recommend", "--pods", pods.toString(), "--families", "m5", "--disk", "100").err())
                .contains("--disk: The disk size (100) is 100 bytes");
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "0").err())
                .isEqualTo("nodesizer: --disk: The disk size (0) is 0 bytes, less than 1 GiB; a node's root disk is given in Gi, "
                        + "e.g. --disk 100Gi.\n");
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "500Mi").err())
                .contains("The disk size (500Mi) is 524288000 bytes, less than 1 GiB");
        // An inline shape's ephemeral-storage= is the same root disk.
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi,ephemeral-storage=100").err())
                .contains("The node ephemeral-storage (100) is 100 bytes: a quantity without a unit is bytes. Give a unit, "
                        + "e.g. ephemeral-storage=100Gi.");
        CliRunner ok = CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "1Gi", "-o", "json");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "107374182400").exitCode())
                .as("100Gi in bytes is a disk").isZero();
    }
}
