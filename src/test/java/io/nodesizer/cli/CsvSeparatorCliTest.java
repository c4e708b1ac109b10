package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 75b F6: a file separated by ';' (a spreadsheet's CSV where the decimal separator is a comma) or by tabs was reported as a
 * header lacking a column it starts with. Every CSV reader opens its file through CsvRows, which now names the separator.
 */
class CsvSeparatorCliTest {

    @Test
    void aSemicolonOrTabSeparatedFileIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path demand = Files.writeString(dir.resolve("d.csv"), "time;workload;replicas\n2026-11-26T00:00Z;storefront;8\n");
        CliRunner r = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--demand", demand.toString(), "--node",
                "aws:m5.2xlarge", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("d.csv:1: The header (time;workload;replicas) is one column: the file is separated by ';' (as "
                + "a spreadsheet saves CSV where a comma is the decimal separator), but it is read as comma-separated; save it with ',' "
                + "between the values.").doesNotContain("lacks the column");

        Path tabs = Files.writeString(dir.resolve("t.csv"), "time\tworkload\treplicas\n2026-11-26T00:00Z\tstorefront\t8\n");
        CliRunner t = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--demand", tabs.toString(), "--node",
                "aws:m5.2xlarge", "--quiet");
        assertThat(t.exitCode()).isEqualTo(2);
        assertThat(t.err()).contains("t.csv:1: The header (time\\tworkload\\treplicas) is one column: the file is separated by tabs, "
                + "but it is read as comma-separated");

        // The pods CSV (read whole, the plain path) and a usage file say the same.
        Path pods = Files.writeString(dir.resolve("p.csv"), "name;cpu;memory;replicas\nweb;1;1Gi;2\n");
        CliRunner p = CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.2xlarge", "--quiet");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.err()).contains("p.csv:1: The header (name;cpu;memory;replicas) is one column: the file is separated by ';'");
        // A comma-separated one-column file is not taken for one.
        Path one = Files.writeString(dir.resolve("one.csv"), "name\nweb\n");
        assertThat(CliRunner.run("pack", "--pods", one.toString(), "--node", "aws:m5.2xlarge", "--quiet").err())
                .doesNotContain("separated by");
    }

    /** Review 75b #6: past comment and blank lines (the samples in workloads/ start with comments), the header's own line. */
    @Test
    void theHeadersLineIsNamedPastComments(@TempDir Path dir) throws Exception {
        Path demand = Files.writeString(dir.resolve("d.csv"), "# demand\n\n# more\ntime;workload;replicas\n+0s;storefront;3\n");
        assertThat(CliRunner.run("replay", "--workload", "workloads/shop.csv", "--demand", demand.toString(), "--node",
                "aws:m5.2xlarge", "--quiet").err()).contains("d.csv:4: The header (time;workload;replicas) is one column");
        Path pods = Files.writeString(dir.resolve("p.csv"), "# pods\nname;cpu;memory;replicas\nweb;1;1Gi;2\n");
        assertThat(CliRunner.run("pack", "--pods", pods.toString(), "--node", "aws:m5.2xlarge", "--quiet").err())
                .contains("p.csv:2: The header (name;cpu;memory;replicas) is one column");
        Path unknown = Files.writeString(dir.resolve("u.csv"), "# x\n\nfoo,bar\n1,2\n");
        assertThat(CliRunner.run("pack", "--pods", unknown.toString(), "--node", "aws:m5.2xlarge", "--quiet").err())
                .contains("u.csv:3: The CSV header (foo,bar) matches no known format");
    }
}
