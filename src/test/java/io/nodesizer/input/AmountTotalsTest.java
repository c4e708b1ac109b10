package io.nodesizer.input;

import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** QA 55b F8: totals past what a long counts are refused as input, naming the largest node or pod. */
final class AmountTotalsTest {
    @TempDir
    Path dir;

    private ClusterSnapshot read(String... items) throws Exception {
        Path p = dir.resolve("s.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + String.join("", items));
        return SnapshotReader.read(List.of(p), List.of("s.yaml"));
    }

    private static String node(String name, String memory, String extra) {
        return "- {apiVersion: v1, kind: Node, metadata: {name: " + name + "}, status: {allocatable: {cpu: \"4\", memory: \"" + memory
                + "\", pods: \"110\"" + extra + "}}}\n";
    }

    @Test
    void totalsUpTo2To60PassAndOneByteMoreDoesNot() throws Exception {
        // Two nodes of 512Pi: 2^60 bytes exactly.
        assertThatCode(() -> AmountTotals.check(read(node("a", "512Pi", ""), node("b", "512Pi", "")))).doesNotThrowAnyException();
        ClusterSnapshot over = read(node("a", "512Pi", ""), node("b", "576460752303423489", ""));
        assertThatThrownBy(() -> AmountTotals.check(over)).isInstanceOf(InputException.class)
                .hasMessage("s.yaml:5: The nodes' allocatable memory must add up to at most 1Ei (2^60 bytes, the most nodesizer counts); "
                        + "found 1.153E in all, of which node b has 576.461P. Maybe a unit is off: E, P and T are 10^18, 10^15 and 10^12 "
                        + "bytes (Gi is 2^30).");
    }

    /** QA 57a F1: a CSV workload's requests times replicas past 2^60 (3Ei for 3Gi) crashed the summary with "long overflow". */
    @Test
    void aWorkloadsRequestsTimesReplicasAreCheckedToo() throws Exception {
        Path csv = dir.resolve("w.csv");
        Files.writeString(csv, "name,cpu,memory,replicas\nsmall,1,1Gi,2\nw,1,4Ei,3\n");
        io.nodesizer.model.Workload w = Inputs.read(List.of(csv));
        assertThatThrownBy(() -> AmountTotals.check(w)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(csv + ":3: The pods' memory requests must add up to at most 1Ei")
                .hasMessageContaining("of which w (3 pods) requests 13.835E");
        Files.writeString(csv, "name,cpu,memory,replicas\nw,1,256Pi,4\n"); // 2^60 exactly
        assertThatCode(() -> AmountTotals.check(Inputs.read(List.of(csv)))).doesNotThrowAnyException();
    }

    @Test
    void extendedResourcesAreCountedPerNameInThousandths() throws Exception {
        // 600Ti of 1Gi hugepages on each of two nodes: 6.6 × 10^17 thousandths of a byte each, past 2^60 together.
        ClusterSnapshot s = read(node("a", "16Gi", ", hugepages-1Gi: 600Ti"), node("b", "16Gi", ", hugepages-1Gi: 600Ti"));
        assertThatThrownBy(() -> AmountTotals.check(s)).isInstanceOf(InputException.class)
                .hasMessageContaining("The nodes' allocatable hugepages-1Gi must add up to at most 1.153P (2^60 thousandths, the most")
                .hasMessageContaining("found 1.319P in all, of which node a has 659.707T.");
    }

    @Test
    void amountsAreShownInTheUsersUnits() {
        assertThat(AmountTotals.shown(BigInteger.valueOf(AmountTotals.MOST), Resource.MEMORY, null)).isEqualTo("1Ei");
        assertThat(AmountTotals.shown(BigInteger.TEN.pow(19), Resource.MEMORY, null)).isEqualTo("10E");
        assertThat(AmountTotals.shown(BigInteger.valueOf(3L << 30), Resource.MEMORY, null)).isEqualTo("3221225472 bytes");
        assertThat(AmountTotals.shown(BigInteger.valueOf(1L << 40), Resource.MEMORY, null)).isEqualTo("1.1T");
        assertThat(AmountTotals.shown(BigInteger.valueOf(2500), Resource.CPU, null)).isEqualTo("2.5 CPU");
        assertThat(AmountTotals.shown(BigInteger.valueOf(AmountTotals.MOST), Resource.CPU, null)).isEqualTo("1,152,921,504,606,846.976 CPU");
        assertThat(AmountTotals.shown(BigInteger.valueOf(7), Resource.PODS, null)).isEqualTo("7 pods");
        assertThat(AmountTotals.shown(BigInteger.valueOf(2000), null, "nvidia.com/mig-1g.5gb")).isEqualTo("2");
    }
}
