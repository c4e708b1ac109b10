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
        // Past 1Pi a unit is off, as an inline ephemeral-storage= was told (--disk 2Ei was taken, and with an inline shape the
        // check read the ephemeral-storage= it did not have).
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi", "--disk", "2Ei").err())
                .isEqualTo("nodesizer: --disk: The disk size (2Ei) must be at most 1Pi, the most nodesizer takes for one node. Maybe a "
                        + "unit is off: P and E are 10^15 and 10^18 bytes; Gi is 2^30.\n");
        // An inline shape's ephemeral-storage= is the same root disk.
        assertThat(refused("pack", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi,ephemeral-storage=100").err())
                .contains("The node ephemeral-storage (100) is 100 bytes: a quantity without a unit is bytes. Give a unit, "
                        + "e.g. ephemeral-storage=100Gi.");
        CliRunner ok = CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "1Gi", "-o", "json");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.xlarge", "--disk", "107374182400").exitCode())
                .as("100Gi in bytes is a disk").isZero();
    }

    /**
     * A stray comma in a spec was an empty value of the key before it ("The key 'memory' … has an empty value" for
     * cpu=8,memory=32Gi,), in --node, --generic and --reserved alike; it is refused where it is (QA 68c F2).
     */
    @Test
    void anEmptyItemIsRefusedWhereItIs() {
        assertThat(refused("pack", "--node", "cpu=8,memory=32Gi,").err())
                .isEqualTo("nodesizer: --node: The spec 'cpu=8,memory=32Gi,' has an empty item after 'memory=32Gi' (a stray comma?).\n");
        assertThat(refused("pack", "--node", "cpu=8,,memory=32Gi").err())
                .contains("The spec 'cpu=8,,memory=32Gi' has an empty item after 'cpu=8' (a stray comma?).");
        assertThat(refused("pack", "--node", ",cpu=8,memory=32Gi").err()).contains("has an empty item before 'cpu=8'");
        assertThat(refused("pack", "--node", "cpu=8,memory=32Gi,labels=a=b,,name=x").err())
                .as("counted on the spec as written, labels= and all").contains("has an empty item after 'labels=a=b'");
        assertThat(refused("pack", "--node", "aws:m5.large,").err()).contains("has an empty item after 'aws:m5.large'");
        assertThat(refused("recommend", "--generic", "cpu=2..96,ratio=2,,price-per-cpu=0.03,price-per-gib=0.004").err())
                .contains("--generic: The spec 'cpu=2..96,ratio=2,,price-per-cpu=0.03,price-per-gib=0.004' has an empty item after "
                        + "'ratio=2' (a stray comma?).");
        assertThat(refused("pack", "--node", "cpu=8,memory=32Gi", "--reserved", "cpu=100m,memory=1Gi,").err())
                .contains("--reserved: The spec 'cpu=100m,memory=1Gi,' has an empty item after 'memory=1Gi' (a stray comma?).");
        // A key without its value is still that key's.
        assertThat(refused("pack", "--node", "cpu=8,memory=").err()).contains("The key 'memory' in 'cpu=8,memory=' has an empty value.");
        // Every wrong ratio has one message: -2 was "a non-negative number", 0 "above zero".
        for (String ratio : new String[] {"-2", "0", "x"}) {
            assertThat(refused("recommend", "--generic", "cpu=2..8,ratio=" + ratio + ",price-per-cpu=0.03,price-per-gib=0.004").err())
                    .contains("Every ratio (GiB of memory per CPU) must be a number above zero; found " + ratio + ".");
        }
    }

    /**
     * labels=a=b,c=d was "The key 'c' in 'cpu=8,memory=32Gi,c=d' is not known": a spec without the labels the user wrote, and no
     * word that a second label goes after ';' (QA 68c F2).
     */
    @Test
    void aSecondLabelAfterACommaIsToldToUseASemicolon() {
        assertThat(refused("pack", "--node", "cpu=8,memory=32Gi,labels=a=b,c=d").err())
                .isEqualTo("nodesizer: --node: The spec 'cpu=8,memory=32Gi,labels=a=b,c=d' has 'c=d' after labels=, which is "
                        + "not a key of the shape (cpu, memory, pods, price, gpu, gpu-model, ephemeral-storage, name, labels, taints); "
                        + "several labels are separated by ';': labels=a=b;c=d.\n");
        assertThat(refused("pack", "--node", "aws:m5.large,taints=a=b:NoSchedule,c=d:NoSchedule").err())
                .contains("has 'c=d:NoSchedule' after taints=").contains("several taints are separated by ';': "
                        + "taints=a=b:NoSchedule;c=d:NoSchedule.");
        // An unknown key elsewhere is quoted in the spec as given, labels= included.
        assertThat(refused("pack", "--node", "cpu=8,labels=a=b,memory=32Gi,disk=1").err())
                .contains("The key 'disk' in 'cpu=8,labels=a=b,memory=32Gi,disk=1' is not known");
        assertThat(refused("pack", "--node", "labels=a=b").err())
                .contains("The spec 'labels=a=b' names no shape: labels= and taints= go after a catalog type or an inline shape");
        // A shape's own key after labels= is taken, and so is a catalog type.
        for (String node : new String[] {"cpu=8,labels=a=b,memory=32Gi", "labels=a=b,aws:m5.large"}) {
            CliRunner ok = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", node, "-o", "json");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
        }
    }

    /** QA 68c F5: a catalog reference without its type, or with keys of an inline shape after it. */
    @Test
    void aCatalogTypeIsGivenWholeAndAlone() {
        assertThat(refused("pack", "--node", "aws:").err())
                .isEqualTo("nodesizer: --node: The instance type after 'aws:' is missing: give one, e.g. aws:m5.xlarge.\n");
        assertThat(refused("pack", "--node", "aws:m5.large,price=1").err())
                .isEqualTo("nodesizer: --node: The spec 'aws:m5.large,price=1' gives keys after the catalog type aws:m5.large, which "
                        + "takes none but labels= and taints=: its size and price are the catalog's (--max-pods and --disk set its max "
                        + "pods and root disk). For another price, give an inline shape of its size, e.g. --node cpu=2,memory=8Gi,pods=29,price=1 "
                        + "(--overhead eks for aws's reservation).\n");
        // A GPU type keeps its GPUs in the shape written out (review 68).
        assertThat(refused("pack", "--node", "aws:g5.xlarge,price=1").err()).contains("--node cpu=4,memory=16Gi,gpu=1,gpu-model=a10g,pods=58,price=1");
        assertThat(refused("pack", "--node", "aws:m5.lrage,price=1").err()).contains("The instance type 'm5.lrage' is not in the aws "
                + "catalog. Maybe m5.large");
        assertThat(refused("pack", "--node", "aws:m5.large,aws:m5.xlarge").err())
                .contains("gives more than the catalog type aws:m5.large").contains("give each shape its own --node");
    }
}
