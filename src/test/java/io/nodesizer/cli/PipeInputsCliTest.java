package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipes and FIFOs as inputs, once per command run: a FIFO read by a second run in the same JVM got the first run's
 * content (the copies were the process's), and --snapshot, --usage and --catalog said a FIFO did not exist.
 */
final class PipeInputsCliTest {
    @TempDir
    Path dir;

    /** A FIFO at {@code name}, or the test skipped where mkfifo is missing. */
    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "skipped: no mkfifo here");
        return fifo;
    }

    /** Writes {@code text} into the FIFO once a reader opens it (as bash's <(…) does), on its own thread. */
    private static Thread feed(Path fifo, byte[] bytes) {
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, bytes); // blocks until the reader opens it
            } catch (java.io.IOException e) {
                // the reader failed first: the assertion says so
            }
        });
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    private static CliRunner run(String... args) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> CliRunner.run(args));
    }

    @Test
    void aSecondRunReadsTheFifoAnew() throws Exception {
        Path pods = fifo("pods");
        feed(pods, "name,cpu,memory,replicas\nalpha-web,500m,1Gi,7\n".getBytes());
        CliRunner first = run("pack", "--pods", pods.toString(), "--node", "aws:m5.large", "-o", "json");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("\n  \"pods\" : 7,");
        feed(pods, "name,cpu,memory,replicas\nbeta-api,250m,512Mi,5\n".getBytes());
        CliRunner second = run("pack", "--pods", pods.toString(), "--node", "aws:m5.large", "-o", "json");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("\n  \"pods\" : 5,"); // the first run's content gave 7
    }

    /** A sweep's runs (on their own threads) are part of the sweep's run: the FIFO its scenarios name is read once for all. */
    @Test
    void aSweepsRunsShareItsCopy() throws Exception {
        Path pods = fifo("pods");
        feed(pods, "name,cpu,memory,replicas\nalpha-web,500m,1Gi,7\n".getBytes());
        Path scenarios = dir.resolve("sweep.yaml");
        Files.writeString(scenarios, "scenarios:\n  - name: piped\n    command: pack\n    args: {pods: " + pods + "}\n"
                + "    vary: {node: [\"aws:m5.large\", \"aws:m5.xlarge\", \"aws:r5.large\"]}\n");
        CliRunner sweep = run("sweep", "--scenarios", scenarios.toString(), "--quiet", "-o", "csv");
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        assertThat(sweep.out().lines().filter(l -> l.contains("aws:")).toList()).hasSize(3).allMatch(l -> l.contains(",ok,"));
    }

    @Test
    void aSnapshotUsageAndCatalogMayBePipes() throws Exception {
        Path snapshot = fifo("cluster");
        feed(snapshot, Files.readAllBytes(Path.of("workloads/snapshot/cluster.json")));
        CliRunner analyze = run("analyze", "--snapshot", snapshot.toString());
        assertThat(analyze.exitCode()).as(analyze.err()).isZero();
        assertThat(analyze.out()).contains("3 nodes").contains("(" + snapshot + ")");

        Path usage = fifo("usage");
        feed(usage, Files.readAllBytes(Path.of("workloads/rightsize/usage.csv")));
        CliRunner rightsize = run("rightsize", "--pods", "workloads/rightsize/shop.yaml", "--usage", usage.toString(), "--families", "m5",
                "--strategies", "ffd", "--quiet");
        assertThat(rightsize.exitCode()).as(rightsize.err()).isZero();
        assertThat(rightsize.out()).contains("64 usage series (" + usage + ")");

        Path catalog = fifo("catalog");
        feed(catalog, "name,vcpu,memory_mib,price_per_hour_usd\nsmall,4,16384,0.2\n".getBytes());
        CliRunner pack = run("recommend", "--pods", "workloads/shop.csv", "--catalog", catalog.toString(), "--quiet");
        assertThat(pack.exitCode()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("small");
    }

    /** JSON from a pipe in UTF-16BE, or UTF-16LE after white space, starts with a NUL: still read as JSON (review 63 item 9). */
    @Test
    void wideJsonWithoutAMarkFromAPipeIsRead() throws Exception {
        String pod = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"}, "
                + "\"spec\": {\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"1\"}}}]}}";
        for (byte[] bytes : java.util.List.of(pod.getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
                (" \n" + pod).getBytes(java.nio.charset.StandardCharsets.UTF_16LE))) {
            Path pods = fifo("wide");
            feed(pods, bytes);
            CliRunner r = run("pack", "--pods", pods.toString(), "--node", "cpu=4,memory=16Gi", "--overhead", "none", "-o", "json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"pods\" : 1,");
            Files.delete(pods);
        }
    }

    @Test
    void utf16WithoutAMarkIsNamedNotEchoed() throws Exception {
        Path csv = dir.resolve("shop.csv");
        Files.write(csv, Files.readString(Path.of("workloads/shop.csv")).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        CliRunner r = run("pack", "--pods", csv.toString(), "--node", "aws:m5.large");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: " + csv + ": Expected UTF-8 text (or UTF-16 with a byte-order mark); found what "
                + "looks like UTF-16LE without a byte-order mark (every other byte of its start is NUL). Convert it to UTF-8: iconv -f "
                + "UTF-16LE -t UTF-8 " + csv + " > FILE.utf8 (PowerShell: Out-File -Encoding utf8).\n");
        assertThat(r.err()).doesNotContain("\0");
    }

    /**
     * QA 73 F7: an empty input is named as what it is: /dev/null read "The pipe is empty" (--pods) and "an empty file"
     * (--snapshot); it is a character device. An empty FIFO is a pipe, for every reader alike.
     */
    @Test
    void anEmptyInputIsNamedAsWhatItIs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "skipped: no /dev/null here");
        CliRunner r = run("pack", "--pods", "/dev/null", "--node", "aws:m5.large");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: /dev/null: The character device is empty; expected Kubernetes manifests or a CSV header line.\n");
        r = run("recommend", "--families", "m5", "--catalog", "/dev/null");
        assertThat(r.exitCode()).isEqualTo(2);
        // Checked with the options before any input is read (review 76 #11: one list of checks), so named at its option.
        assertThat(r.err()).isEqualTo("nodesizer: --catalog: /dev/null: The character device is empty; expected a CSV header line.\n");
        r = run("analyze", "--snapshot", "/dev/null");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).endsWith("; found an empty character device.\n");

        Path pods = fifo("pods");
        feed(pods, new byte[0]);
        r = run("pack", "--pods", pods.toString(), "--node", "aws:m5.large");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nodesizer: " + pods + ": The pipe is empty; expected Kubernetes manifests or a CSV header line.\n");
        Path snapshot = fifo("cluster");
        feed(snapshot, new byte[0]);
        r = run("analyze", "--snapshot", snapshot.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).endsWith("; found an empty pipe (did the command writing it fail?).\n");
    }
}
