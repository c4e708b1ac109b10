package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class SweepCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("scenarios.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** The project's sample, which the README runs first, runs clean: it warned that shop-week named no workload (QA 52a F9). */
    @Test
    void theSampleScenariosRunWithoutAWarning() {
        CliRunner r = CliRunner.run("sweep", "--scenarios", "workloads/sweep/scenarios.yaml", "--quiet", "-o", "csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("shop-week");
    }

    /**
     * QA 61d F3: a workload is read before the runs in the scenario's own --namespace, so an object in another namespace stops
     * the sweep before its first run, naming the scenario and key (it failed its run after the others had run).
     */
    @Test
    void aWorkloadIsCheckedInTheScenariosNamespace() throws Exception {
        Path app = dir.resolve("app.yaml");
        Files.writeString(app, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  replicas: 2\n"
                + "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
                + "      containers: [{name: c, image: x, resources: {requests: {cpu: 1, memory: 1Gi}}}]\n");
        Path f = file("scenarios:\n  - name: good\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"cpu=8,memory=32Gi\"}\n"
                + "  - name: bad\n    command: pack\n    args: {pods: " + app + ", node: \"cpu=8,memory=32Gi\", namespace: other}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Scenario 'bad'").contains("pods").contains("not --namespace other").doesNotContain("failed (exit");
    }

    /** QA 62 item 2: a scenario's empty path would read the working directory; it stops the sweep at its line. */
    @Test
    void anEmptyPathInAScenarioStopsTheSweep() throws Exception {
        Path f = file("scenarios:\n  - name: a\n    command: pack\n    args: {pods: \"\", node: \"cpu=8,memory=32Gi\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":4:").contains("Scenario 'a', args.pods: the path is empty");
    }

    /** QA 52a F8: "(1 scenarios, 2 runs)" read wrong; counts take their noun's number. */
    @Test
    void theHeadlineCountsScenariosAndRunsInWords() throws Exception {
        Path one = file("scenarios:\n  - name: one\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.2xlarge\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", one.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("nodesizer sweep: " + one + " (1 scenario, 1 run)\n");
    }

    /**
     * A run hands on the digest of its report, not the report: its figures as the command run on
     * its own gives them (compare's rows), without the per-node and per-pod lists that made
     * thousands of runs fill the heap; output that is not JSON is handed on as it is.
     */
    @Test
    void aRunHandsOnItsFiguresNotItsReport() throws Exception {
        java.util.List<String> argv = java.util.List.of("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "--strategy", "ffd",
                "-o", "json", "--reproducible", "--quiet");
        io.nodesizer.sweep.RunResult result = SweepRun.run(argv);
        assertThat(result.exitCode()).as(result.err()).isZero();
        String direct = CliRunner.run(argv.toArray(String[]::new)).out();
        assertThat(direct).contains("\"nodeLoads\"", "\"unschedulable\" : [ {");
        assertThat(result.out()).doesNotContain("nodeLoads").doesNotContain("reason");
        assertThat(result.out().length()).isLessThan(direct.length() / 20);
        JsonNode figures = JSON.readTree(result.out()).path("figures");
        java.util.List<io.nodesizer.report.CompareReport.Row> rows = io.nodesizer.report.CompareReport.rows(
                java.util.List.of(new io.nodesizer.report.CompareReport.Run("direct", JSON.readTree(direct))));
        assertThat(figures.size()).isEqualTo(rows.size());
        for (io.nodesizer.report.CompareReport.Row row : rows) {
            assertThat(figures.path(row.metric()).asText()).as(row.metric()).isEqualTo(String.valueOf(row.values().get(0)));
        }
        assertThat(figures.path("unschedulable pods").asLong()).isPositive(); // m5.large leaves the shop's largest pods out

        io.nodesizer.sweep.RunResult table = SweepRun.run(java.util.List.of("pack", "--pods", "workloads/shop.csv",
                "--node", "aws:m5.large", "--strategy", "ffd", "--reproducible", "--quiet"));
        assertThat(table.out()).isEqualTo(CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.large", "--strategy", "ffd",
                "--reproducible", "--quiet").out());
    }

    @Test
    void eachRowHasTheFiguresOfTheCommandRunOnItsOwn() throws Exception {
        Path f = file("""
                scenarios:
                  - name: grow
                    command: recommend
                    args: {pods: workloads/shop.csv, families: "m5,r5", strategies: ffd}
                    vary: {growth: "1.0..2.0 step 0.5"}
                  - name: week
                    command: replay
                    args: {synthetic: diurnal, node: "aws:m5.4xlarge", duration: 2d}
                    vary: {seed: "1..2"}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("runs").asInt()).isEqualTo(5);
        JsonNode grow15 = report.path("rows").get(1);
        assertThat(grow15.path("vary").path("growth").asText()).isEqualTo("1.5");
        JsonNode direct = JSON.readTree(CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--families", "m5,r5", "--strategies", "ffd",
                "--growth", "1.5", "-o", "json", "--reproducible", "--quiet").out());
        assertThat(grow15.path("figures").path("best shape").asText()).isEqualTo(direct.path("shapes").path(0).path("shape").path("name").asText());
        assertThat(grow15.path("figures").path("$/month").asDouble()).isEqualTo(direct.path("shapes").path(0).path("costPerMonth").asDouble());
        assertThat(grow15.path("figures").path("nodes").asInt()).isGreaterThan(report.path("rows").get(0).path("figures").path("nodes").asInt() - 1);
        JsonNode week2 = report.path("rows").get(4);
        JsonNode replay = JSON.readTree(CliRunner.run("replay", "--synthetic", "diurnal", "--node", "aws:m5.4xlarge", "--duration", "2d",
                "--seed", "2", "-o", "json", "--reproducible", "--quiet").out());
        assertThat(week2.path("figures").path("cost").asDouble()).isEqualTo(replay.path("ranking").path(0).path("costTotal").asDouble());
        // Runs of another growth are another workload: no cheapest of them all, one per growth (QA 69c F3).
        assertThat(report.path("summary").get(0).path("cheapest").isNull()).isTrue();
        assertThat(report.path("summary").get(0).path("cheapestPerWorkload").get(0).path("growth").asText()).isEqualTo("1");

        // the thread count changes nothing
        CliRunner one = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet", "--threads", "1");
        assertThat(one.out()).isEqualTo(r.out());
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet");
        assertThat(table.out()).contains("grow: recommend --pods workloads/shop.csv").contains("Summary")
                .contains("– (each run is another workload: growth varies)");
        // money reads as money in the tables (5,606.40, as every other report prints it), plainly in CSV
        String money = String.format(java.util.Locale.ROOT, "%,.2f", grow15.path("figures").path("$/month").asDouble());
        assertThat(money).contains(",").matches(".*\\.\\d\\d");
        assertThat(table.out()).contains(" " + money + " ");
        CliRunner csv = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "csv", "--reproducible", "--quiet");
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("scenario,command,run,status,exitCode,growth,seed,best shape,"); // quoted only where CSV needs it (QA 73 F9)
        assertThat(csv.out().lines().count()).isEqualTo(6);
        assertThat(csv.out()).doesNotContain(money);
    }

    /**
     * QA 69c F4, F7: a recommend row carries its best shape's lower bound and the bound's cost, as a pack row its bound, and
     * both the workload's size after growth (growth 1.05 doubles the shop's 1-replica groups: 146 → 169 pods, +46 % memory,
     * which the +40 % cost step follows). In CSV the figures added come after every column there was, so that a consumer
     * reading by position keeps its columns; recommend's lower bound fills pack's column where a pack scenario has one.
     */
    @Test
    void recommendRowsGiveTheirBoundAndEveryRowItsWorkloadsSize() throws Exception {
        Path f = file("""
                scenarios:
                  - name: grow
                    command: recommend
                    args: {pods: workloads/shop.csv, families: m6i, strategies: ffd}
                    vary: {growth: [1, 1.05]}
                  - name: one
                    command: pack
                    args: {pods: workloads/shop.csv, node: "aws:m6i.8xlarge", strategy: ffd}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = JSON.readTree(r.out()).path("rows");
        JsonNode direct = JSON.readTree(CliRunner.run("recommend", "--pods", "workloads/shop.csv", "--families", "m6i", "--strategies", "ffd",
                "--growth", "1.05", "-o", "json", "--reproducible", "--quiet").out());
        JsonNode grown = rows.get(1).path("figures");
        assertThat(grown.path("lower bound").asInt()).isEqualTo(direct.path("shapes").path(0).path("lowerBound").asInt()).isPositive();
        assertThat(grown.path("bound $/month").asDouble()).isEqualTo(direct.path("shapes").path(0).path("boundCostPerMonth").asDouble()).isPositive();
        assertThat(rows.get(0).path("figures").path("workload pods").asInt()).isEqualTo(146);
        assertThat(grown.path("workload pods").asInt()).isEqualTo(169);
        assertThat(grown.path("workload GiB").asDouble()).isEqualTo(837.875);
        assertThat(rows.get(2).path("figures").path("bound $/month").isNumber()).isTrue();
        assertThat(rows.get(2).path("figures").path("workload CPU").asDouble()).isEqualTo(154.65);

        CliRunner csv = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "csv", "--reproducible", "--quiet");
        java.util.List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("scenario,command,run,status,exitCode,growth,seed,best shape,nodes,$/month,unschedulable pods,"
                + "gap to bound %,shapes ranked,shape,lower bound,error,bound $/month,workload pods,workload CPU,workload GiB");
        java.util.List<String> header = java.util.Arrays.asList(lines.get(0).replace("\"", "").split(","));
        java.util.List<String> row = java.util.Arrays.asList(lines.get(2).split(",", -1));
        assertThat(row.get(header.indexOf("lower bound"))).isEqualTo(grown.path("lower bound").asText());
        assertThat(row.get(header.indexOf("workload pods"))).isEqualTo("169");
    }

    /** A recommend that planned mixed pools is summarised at its mix's cost, the plan it asked for (QA 47: the single shape's was). */
    @Test
    void aMixedPoolsRunIsCostedAtItsMix() throws Exception {
        Path f = file("""
                scenarios:
                  - name: mix
                    command: recommend
                    args: {pods: workloads/shop.csv, families: "m5,c5,r5", strategies: ffd}
                    vary: {max-pools: [1, 2]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        double single = report.path("rows").get(0).path("figures").path("$/month").asDouble();
        double mix = report.path("rows").get(1).path("figures").path("mixed pools $/month").asDouble();
        assertThat(mix).isPositive().isLessThan(single);
        JsonNode summary = report.path("summary").get(0);
        assertThat(summary.path("costFigure").asText()).isEqualTo("$/month or mixed pools $/month where planned");
        assertThat(summary.path("cheapest").path("max-pools").asText()).isEqualTo("2");
    }

    /**
     * A replay or windows run that leaves pods out is cheap for the wrong reason: its unschedulable
     * pods are a figure of its row, and the summary's cheapest run is one of those leaving fewest
     * out (they were read as none, and the shape too small for the shop's largest pods was named).
     */
    @Test
    void replayAndWindowsRunsThatLeavePodsOutAreNotTheCheapest() throws Exception {
        Path f = file("""
                scenarios:
                  - name: shapes
                    command: replay
                    args: {duration: 1d}
                    vary: {node: ["aws:m5.large", "aws:r5.8xlarge"]}
                  - name: plan
                    command: windows
                    args: {synthetic: diurnal, duration: 1d}
                    vary: {node: ["aws:m5.large", "aws:r5.8xlarge"]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        JsonNode small = report.path("rows").get(0).path("figures");
        JsonNode large = report.path("rows").get(1).path("figures");
        assertThat(small.path("unschedulable pods").asLong()).isPositive();
        assertThat(large.path("unschedulable pods").asLong()).isZero();
        assertThat(small.path("cost").asDouble()).isLessThan(large.path("cost").asDouble());
        assertThat(report.path("summary").get(0).path("cheapest").path("node").asText()).isEqualTo("aws:r5.8xlarge");
        JsonNode plan = report.path("rows").get(2);
        String recommended = plan.path("figures").path("recommended").asText();
        assertThat(plan.path("figures").path(recommended + " unschedulable pods").asLong()).isPositive();
        assertThat(report.path("summary").get(1).path("cheapest").path("node").asText()).isEqualTo("aws:r5.8xlarge");
    }

    /**
     * Review 75b #1: a varied shape that fits no pod (a taint the shop does not tolerate) is one value explored, not a failure:
     * its row says "no pod fits" with the reasons, it is in neither the summary's range nor its cheapest, and the sweep exits
     * 0. Replay and windows alone exit 2 for it (UnplacedPodsCliTest); here the run failed (exit 2), and so did the sweep.
     */
    @Test
    void aVariedShapeThatFitsNoPodIsARowSayingSoAndTheSweepExitsZero() throws Exception {
        Path f = file("""
                scenarios:
                  - name: shapes
                    command: replay
                    args: {synthetic: diurnal, duration: 6h}
                    vary: {node: ["aws:m5.4xlarge", "aws:m5.2xlarge,taints=x=y:NoSchedule"]}
                  - name: plan
                    command: windows
                    args: {synthetic: diurnal, duration: 6h, check-draws: 0}
                    vary: {node: ["aws:m5.4xlarge", "aws:m5.2xlarge,taints=x=y:NoSchedule"]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("failed").asInt()).isZero();
        for (int i : new int[] {1, 3}) {
            JsonNode row = report.path("rows").get(i);
            assertThat(row.path("status").asText()).isEqualTo("no pod fits");
            assertThat(row.path("exitCode").asInt()).isZero();
            assertThat(row.path("error").asText()).startsWith("No pod of the workload can run on m5.2xlarge (")
                    .contains("the node has the taint x=y:NoSchedule");
            assertThat(report.path("rows").get(i - 1).path("status").asText()).isEqualTo("ok");
            assertThat(report.path("rows").get(i - 1).path("error").isNull()).isTrue();
        }
        for (JsonNode summary : report.path("summary")) {
            assertThat(summary.path("failed").asInt()).isZero();
            assertThat(summary.path("cheapest").path("node").asText()).isEqualTo("aws:m5.4xlarge");
            assertThat(summary.path("min").asDouble()).as("the $0 of no pod is no minimum").isPositive()
                    .isEqualTo(summary.path("max").asDouble());
        }
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("(2 scenarios, 4 runs, 2 where no pod fits)").containsPattern("taints=x=y:NoSchedule .* no pod fits\n")
                .contains("runs where no pod fits (left out of the summary):\n  - node=aws:m5.2xlarge,taints=x=y:NoSchedule: No pod of the "
                        + "workload can run on m5.2xlarge (");
        CliRunner csv = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "csv", "--reproducible", "--quiet");
        assertThat(csv.out().lines().skip(2).findFirst().orElseThrow()).startsWith("shapes,replay,1,no pod fits,0,");
    }

    /**
     * A rightsize run whose recommended requests leave pods out is cheap for the wrong reason too: a memory headroom of 300 %
     * puts the search pods above every m5 up to 8 CPUs, at the same cost after, and the summary named it (QA 51c F4).
     */
    @Test
    void rightsizeRunsThatLeavePodsOutAreNotTheCheapest() throws Exception {
        Path f = file("""
                scenarios:
                  - name: headroom
                    command: rightsize
                    args: {pods: workloads/rightsize/shop.yaml, usage: workloads/rightsize/usage.csv, families: m5, strategies: ffd, max-cpu: 8}
                    vary: {memory-headroom: [300, 15]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("rows").get(0).path("figures").path("after unschedulable pods").asLong()).isPositive();
        assertThat(report.path("summary").get(0).path("cheapest").path("memory-headroom").asText()).isEqualTo("15");
    }

    /**
     * A rightsize run whose new requests a ResourceQuota no longer admits all of leaves those pods out (QA 51c): the sweep's
     * digest of the run dropped the before/after pod counts the summary reads, so the count was 0 and the run whose quota
     * refused half the pods was named the cheapest (the fix-sweep helper's finding, session 70).
     */
    @Test
    void podsAResourceQuotaNoLongerAdmitsAfterRightsizingAreLeftOut() throws Exception {
        Files.writeString(dir.resolve("api.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: t}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers:
                        - name: app
                          resources: {requests: {cpu: 100m, memory: 128Mi}}
                ---
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: t}
                spec: {hard: {requests.cpu: "1"}}
                """);
        for (String[] u : new String[][] {{"busy", "0.5"}, {"idle", "0.08"}}) {
            StringBuilder csv = new StringBuilder("timestamp,namespace,workload,pod,container,cpu,memory\n");
            for (int pod = 0; pod < 4; pod++) {
                for (int i = 0; i < 240; i++) {
                    csv.append(1764547200L + 60L * i).append(",t,api,api-").append(pod).append(",app,").append(u[1]).append(",104857600\n");
                }
            }
            Files.writeString(dir.resolve(u[0] + ".csv"), csv.toString());
        }
        Path f = file("""
                scenarios:
                  - name: usage
                    command: rightsize
                    args: {pods: %1$s/api.yaml, families: m5, strategies: ffd}
                    vary: {usage: [%1$s/busy.csv, %1$s/idle.csv]}
                """.formatted(dir));
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("summary").get(0).path("cheapest").path("usage").asText()).endsWith("idle.csv");
    }

    /**
     * A replay's pods still pending at the end are left out too: a fixed cluster of 4 nodes leaves
     * most of the shop Pending all day, and the summary named it the cheapest run because it
     * counted only the pods no shape fits (the same for every count).
     */
    @Test
    void podsStillPendingAtTheEndAreLeftOut() throws Exception {
        Path f = file("""
                scenarios:
                  - name: fixed
                    command: replay
                    args: {workload: workloads/shop.csv, node: "aws:m5.2xlarge", autoscaler: none, duration: 1d}
                    vary: {nodes: [4, 40]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        JsonNode few = report.path("rows").get(0).path("figures");
        JsonNode many = report.path("rows").get(1).path("figures");
        assertThat(few.path("pending at end").asLong()).isGreaterThan(many.path("pending at end").asLong());
        assertThat(few.path("unschedulable pods").asLong()).isEqualTo(many.path("unschedulable pods").asLong());
        assertThat(few.path("cost").asDouble()).isLessThan(many.path("cost").asDouble());
        assertThat(report.path("summary").get(0).path("cheapest").path("nodes").asText()).isEqualTo("40");
    }

    /** Varied options multiply: a million runs from one slipped step exit 2 at once, before anything is expanded. */
    @Test
    void aSweepOfTooManyRunsStopsBeforeAnythingIsExpanded() throws Exception {
        Path f = file("""
                scenarios:
                  - name: fine
                    command: pack
                    args: {pods: workloads/shop.csv}
                  - name: huge
                    command: pack
                    args: {pods: workloads/shop.csv}
                    vary: {seed: "1..1000", growth: "1..2 step 0.001"}
                """);
        long start = System.nanoTime();
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("scenarios.yaml:5:5: ").contains("Scenario 'huge': vary seed (1000) × growth (1001) gives more than 100000 runs");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void mistakesStopTheSweepBeforeAnythingRunsNamingTheScenarioAndKey() throws Exception {
        Path f = file("""
                scenarios:
                  - name: fine
                    command: pack
                    args: {pods: workloads/shop.csv, node: "aws:m5.4xlarge"}
                  - name: typo
                    command: pack
                    args: {podz: workloads/shop.csv}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("scenarios.yaml:7").contains("Scenario 'typo', args.podz: pack has no option --podz; did you mean pods?");

        Path missing = file("scenarios:\n  - name: gone\n    command: pack\n    args: {node: \"aws:m5.large\"}\n"
                + "    vary: {pods: [workloads/shop.csv, workloads/nope.csv]}\n");
        r = CliRunner.run("sweep", "--scenarios", missing.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        // QA 66b L7: a relative path is read from the working directory, which the message names.
        assertThat(r.err()).contains("Scenario 'gone', vary.pods: the file workloads/nope.csv does not exist (relative paths are read "
                + "from the working directory " + Path.of("").toAbsolutePath() + ").");

        // QA 66b L3: a directory where one file is read passed the check and failed its run as "does not exist".
        Path usageDir = file("scenarios:\n  - name: rs\n    command: rightsize\n    args: {pods: workloads/rightsize/shop.yaml, "
                + "usage: workloads/rightsize}\n");
        r = CliRunner.run("sweep", "--scenarios", usageDir.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'rs', args.usage: expected a file; found the directory workloads/rightsize.")
                .doesNotContain("failed (exit");
        r = CliRunner.run("sweep", "--scenarios", dir.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(dir + ": Expected a sweep file; found a directory.");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "name,cpu,memory,replicas\nweb,lots,1Gi,2\n");
        Path malformed = file("scenarios:\n  - name: broken\n    command: recommend\n    args: {pods: " + bad + "}\n");
        r = CliRunner.run("sweep", "--scenarios", malformed.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Scenario 'broken', args.pods: ").contains("bad.csv:2");

        Path wrongType = file("scenarios:\n  - name: t\n    command: replay\n    args: {synthetic: diurnal}\n    vary: {trough: [0.2, lots]}\n");
        r = CliRunner.run("sweep", "--scenarios", wrongType.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 't', vary.trough: --trough: expected a number such as 1.5; found 'lots'.").contains("lots");
        assertThat(r.err()).doesNotContain("YAML list");

        // "1.0,1.5" is one YAML scalar, one run's value: the message says how several are written.
        Path commas = file("scenarios:\n  - name: g\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.4xlarge\"}\n"
                + "    vary: {growth: \"1.0,1.5\"}\n");
        r = CliRunner.run("sweep", "--scenarios", commas.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'g', vary.growth: --growth: expected a number such as 1.5; found '1.0,1.5'.")
                .contains("write them as a YAML list, [1.0, 1.5], or as a range, FROM..TO step STEP");

        // Picocli's words in the tool's (QA 74b F7): a range in args says where ranges go; a fraction for a whole number.
        Path range = file("scenarios:\n  - name: s\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.4xlarge\", "
                + "growth: \"1..2\"}\n");
        r = CliRunner.run("sweep", "--scenarios", range.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 's', args.growth: --growth: expected a number such as 1.5; found '1..2'. A range gives "
                + "several runs: write it under vary (vary: {growth: \"1..2\"}), not args.");
        Path seeds = file("scenarios:\n  - name: s\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.4xlarge\"}\n"
                + "    vary: {seed: [1, 1.5]}\n");
        r = CliRunner.run("sweep", "--scenarios", seeds.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 's', vary.seed: --seed: expected a whole number such as 3; found '1.5'.");

        // Options that write or print more than the report: every run would write one file, and an export is no report
        // (a windows run's --export ended the sweep with an internal error after it had overwritten its --schedule-out).
        for (String option : new String[] {"schedule-out: " + dir.resolve("s.yaml"), "export: aws-asg", "export-target: g"}) {
            Path out = file("scenarios:\n  - name: plan\n    command: windows\n    args: {synthetic: diurnal, " + option + "}\n");
            r = CliRunner.run("sweep", "--scenarios", out.toString(), "--quiet");
            assertThat(r.exitCode()).as(option).isEqualTo(2);
            assertThat(r.err()).contains("scenarios.yaml:4").contains("'" + option.substring(0, option.indexOf(':')) + "' makes a run write");
        }
        assertThat(dir.resolve("s.yaml")).doesNotExist();
        Path patches = file("scenarios:\n  - name: r\n    command: rightsize\n    vary: {patches: [a.sh, b.sh]}\n");
        r = CliRunner.run("sweep", "--scenarios", patches.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'patches' makes a run write");
    }

    /**
     * The sweep's --out is checked against its runs' inputs as a command's is against its own (QA 58d F1: a sweep wrote its
     * CSV over the workload a scenario packed, or into the directory a scenario reads, and exited 0).
     */
    @Test
    void theSweepsReportMayNotReplaceAScenariosWorkload() throws Exception {
        Path shop = dir.resolve("shop.csv");
        Files.copy(Path.of("workloads/shop.csv"), shop);
        String before = Files.readString(shop);
        Path f = file("scenarios:\n  - name: first\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n"
                + "  - name: mine\n    command: pack\n    args: {pods: " + shop + ", node: \"aws:m5.2xlarge\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", shop.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("scenarios.yaml:5").contains("Scenario 'mine': ").contains("is also --pods of its runs");
        assertThat(Files.readString(shop)).isEqualTo(before);
        Path inputs = Files.createDirectories(dir.resolve("in"));
        Files.copy(Path.of("workloads/shop.csv"), inputs.resolve("shop.csv"));
        Path inDir = file("scenarios:\n  - name: d\n    command: pack\n    args: {pods: " + inputs + ", node: \"aws:m5.2xlarge\"}\n");
        Path report = inputs.resolve("rows.json");
        CliRunner d = CliRunner.run("sweep", "--scenarios", inDir.toString(), "--quiet", "-o", "json", "--out", report.toString());
        assertThat(d.exitCode()).as(d.err()).isEqualTo(2);
        assertThat(d.err()).contains("Scenario 'd': ").contains("is inside " + inputs);
        assertThat(report).doesNotExist();
    }

    /**
     * Karpenter capped at 3, 9 or 20 m5.4xlarge under a day of diurnal demand: at 9 every pod starts, after up to 45 min of
     * waiting, and it costs less than 20; at 3 (and 6, QA 59a) pods are scaled away before they ever start, so they are
     * left out. Without --pending-slo the summary names 9 the cheapest and says how long its pods waited (QA 58d F4).
     * With one, the runs meeting it rank first, as a replay ranks its own runs: Karpenter's p95 of 1m1s misses 30s, and
     * Cluster Autoscaler's, dearer, meets it.
     */
    @Test
    void aReplayScenariosCheapestRunMeetsItsPendingSlo() throws Exception {
        String scenario = "scenarios:\n  - name: capped\n    command: replay\n    args: {workload: workloads/shop.csv, synthetic: diurnal, "
                + "node: \"aws:m5.4xlarge\", autoscaler: karpenter, duration: 1d}\n    vary: {max-nodes: [3, 9, 20]}\n";
        JsonNode bare = JSON.readTree(CliRunner.run("sweep", "--scenarios", file(scenario).toString(), "--quiet", "-o", "json")
                .out()).get("summary").get(0);
        assertThat(bare.get("cheapest").get("max-nodes").asText()).isEqualTo("9");
        assertThat(bare.get("cheapestNote").asText()).isEqualTo("its pods waited up to 45m, another run's at most 1m1s: give pending-slo "
                + "to rank by waits");
        String autoscalers = "scenarios:\n  - name: slo\n    command: replay\n    args: {workload: workloads/shop.csv, synthetic: diurnal, "
                + "node: \"aws:m5.4xlarge\", duration: 1d%s}\n    vary: {autoscaler: [karpenter, ca]}\n";
        JsonNode cheap = JSON.readTree(CliRunner.run("sweep", "--scenarios", file(autoscalers.formatted("")).toString(), "--quiet", "-o",
                "json").out()).get("summary").get(0);
        assertThat(cheap.get("cheapest").get("autoscaler").asText()).isEqualTo("karpenter");
        JsonNode met = JSON.readTree(CliRunner.run("sweep", "--scenarios", file(autoscalers.formatted(", pending-slo: 30s")).toString(),
                "--quiet", "-o", "json").out()).get("summary").get(0);
        assertThat(met.get("cheapest").get("autoscaler").asText()).isEqualTo("ca");
        assertThat(met.has("cheapestNote")).isFalse();
    }

    /**
     * A windows scenario's cheapest run is one whose recommended alternative meets the SLO: under a max of 1 node every
     * alternative missed it (p95 never: 4 pods deleted while pending) and it was named the cheapest (QA 60a F5). And a replay's
     * note names the pods deleted while pending, which its waits do not show.
     */
    @Test
    void aWindowsScenariosCheapestRunMeetsTheSloAndTheNoteNamesPodsThatNeverRan() throws Exception {
        Files.writeString(dir.resolve("w.csv"), "name,cpu,memory,replicas\na,1,1Gi,4\n");
        Files.writeString(dir.resolve("d.csv"), "time,workload,replicas\n2026-01-05T00:00Z,a,4\n+1h,a,8\n+2h,a,2\n+3h,a,2\n");
        String args = "{workload: %s, demand: %s, node: \"cpu=4,memory=16Gi,pods=110,price=1\", overhead: none, provision-delay: 4m%s}"
                .formatted(dir.resolve("w.csv"), dir.resolve("d.csv"), "%s");
        JsonNode windows = JSON.readTree(CliRunner.run("sweep", "--scenarios", file("scenarios:\n  - name: caps\n    command: windows\n"
                + "    args: " + args.formatted(", pending-slo: 5m") + "\n    vary: {max-nodes: [1, 2, 3]}\n").toString(), "--quiet", "-o", "json")
                .out()).get("summary").get(0);
        assertThat(windows.get("cheapest").get("max-nodes").asText()).isEqualTo("2");
        JsonNode replay = JSON.readTree(CliRunner.run("sweep", "--scenarios", file("scenarios:\n  - name: caps\n    command: replay\n"
                + "    args: " + args.formatted(", autoscaler: ca") + "\n    vary: {max-nodes: [1, 2, 3]}\n").toString(), "--quiet", "-o", "json")
                .out()).get("summary").get(0);
        assertThat(replay.get("cheapest").get("max-nodes").asText()).isEqualTo("1");
        assertThat(replay.get("cheapestNote").asText()).contains("4 pods deleted while pending never ran, another run's 0")
                .endsWith(": give pending-slo to rank by waits");
    }

    /**
     * QA 64a F29: the machine-readable rows keep numeric columns numeric. A pending p95 that falls among pods deleted while
     * pending ("never" in the tables) is null in JSON and an empty cell in CSV, its row's "deleted while pending" above 0
     * saying why; varied numbers are JSON numbers, as the row's seed is.
     */
    @Test
    void machineReadableRowsKeepNumericColumnsNumeric() throws Exception {
        Files.writeString(dir.resolve("w.csv"), "name,cpu,memory,replicas\na,1,1Gi,4\n");
        Files.writeString(dir.resolve("d.csv"), "time,workload,replicas\n2026-01-05T00:00Z,a,4\n+1h,a,8\n+2h,a,2\n+3h,a,2\n");
        Path f = file("scenarios:\n  - name: caps\n    command: replay\n    args: {workload: " + dir.resolve("w.csv") + ", demand: "
                + dir.resolve("d.csv") + ", node: \"cpu=4,memory=16Gi,pods=110,price=1\", overhead: none, provision-delay: 4m, autoscaler: ca}\n"
                + "    vary: {max-nodes: [1, 3], growth: [1.0, 1.5]}\n");
        CliRunner json = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "json", "--reproducible");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode capped = JSON.readTree(json.out()).get("rows").get(0);
        assertThat(capped.get("vary").get("max-nodes").isNumber()).isTrue();
        assertThat(capped.get("vary").get("max-nodes").asInt()).isEqualTo(1);
        assertThat(capped.get("vary").get("growth").isNumber()).isTrue();
        assertThat(capped.get("figures").get("deleted while pending").asInt()).isPositive();
        assertThat(capped.get("figures").has("pending p95 s")).isTrue();
        assertThat(capped.get("figures").get("pending p95 s").isNull()).isTrue();
        assertThat(capped.get("figures").get("pending max s").isNumber()).isTrue();
        assertThat(JSON.readTree(json.out()).get("summary").get(0).get("cheapestPerWorkload").get(0).get("max-nodes").isNumber()).isTrue();

        CliRunner csv = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--reproducible");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        java.util.List<String> header = java.util.Arrays.asList(csv.out().lines().findFirst().orElseThrow().replace("\"", "").split(","));
        java.util.List<String> row = java.util.Arrays.asList(csv.out().lines().skip(1).findFirst().orElseThrow().split(",", -1));
        assertThat(row.get(header.indexOf("pending p95 s"))).isEmpty();
        assertThat(row.get(header.indexOf("pending max s"))).matches("[0-9]+");
        assertThat(csv.out()).doesNotContain("never");
        // a reader's table still says it
        assertThat(CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--reproducible").out()).contains("never");
    }

    /**
     * Large-memory pods that only r6i.32xlarge holds and GPU pods that only g6 holds: no single shape places every pod, a
     * mix of two does. The summary counts a mix run's pods by its mix, not by its best single shape (QA 58d F2: the two
     * pods that shape left out were counted against the mix, and the run leaving them out named the cheapest).
     */
    @Test
    void aMixRunIsCountedByThePodsItsMixLeavesOut() throws Exception {
        Path pods = dir.resolve("split.csv");
        Files.writeString(pods, "name,cpu,memory,replicas,gpu\nbigmem,8,900Gi,2,0\ninfer,4,16Gi,6,1\nweb,1,2Gi,30,0\n");
        Path f = file("scenarios:\n  - name: split\n    command: recommend\n    args: {pods: " + pods + ", catalog: aws, families: \"g6,r6i\"}\n"
                + "    vary: {max-pools: [1, 2]}\n");
        JsonNode report = JSON.readTree(CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "json").out());
        JsonNode mixRun = report.get("rows").get(1);
        assertThat(mixRun.get("figures").get("mixed pools unschedulable pods").asInt()).isZero();
        assertThat(mixRun.get("figures").get("unschedulable pods").asInt()).isPositive(); // the best single shape's
        assertThat(report.get("summary").get(0).get("cheapest").get("max-pools").asText()).isEqualTo("2");
    }

    /** A rightsize run without usage is refused before any run, not after every other one (QA 58d F5). */
    @Test
    void aRightsizeRunWithoutUsageStopsTheSweepBeforeAnythingRuns() throws Exception {
        Path f = file("scenarios:\n  - name: first\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n"
                + "  - name: rs\n    command: rightsize\n    args: {families: m5}\n");
        Path out = dir.resolve("rows.csv");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        // at the scenario, naming no key it lacks (QA 64a F12: "args.command: --usage: …", and a scenario has no args.command)
        assertThat(r.err()).contains(f + ":5:").contains("Scenario 'rs': --usage: Give the usage: --usage FILE.csv, or --cpu-usage")
                .doesNotContain("args.command");
        assertThat(out).doesNotExist();
    }

    /**
     * QA 64a F12: a scenario's snapshot (and fleet: files given as text, not paths) that does not exist or does not read, and
     * a snapshot beside pods, stop the sweep before its first run at the scenario's key; they failed after the other
     * scenarios had run, without the scenario's line.
     */
    @Test
    void aScenariosSnapshotAndFleetAreCheckedBeforeAnythingRuns() throws Exception {
        String first = "scenarios:\n  - name: first\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n";
        Path out = dir.resolve("rows.csv");
        Path f = file(first + "  - name: gone\n    command: recommend\n    args: {snapshot: " + dir.resolve("nope.json") + "}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":7:").contains("Scenario 'gone', args.snapshot: the file " + dir.resolve("nope.json")
                + " does not exist.").doesNotContain("failed (exit");
        assertThat(out).doesNotExist();

        f = file(first + "  - name: fleet\n    command: pack\n    args: {pods: workloads/shop.csv, fleet: " + dir.resolve("nope.json") + "}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":7:").contains("Scenario 'fleet', args.fleet: the file").doesNotContain("failed (exit");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"kind\": \"List\", \"items\": [");
        f = file(first + "  - name: broken\n    command: recommend\n    vary: {snapshot: [workloads/snapshot/cluster.json, " + broken + "]}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":7:").contains("Scenario 'broken', vary.snapshot: " + broken).doesNotContain("failed (exit");

        f = file(first + "  - name: both\n    command: rightsize\n    args: {snapshot: workloads/snapshot/cluster.json, "
                + "pods: workloads/shop.csv, usage: " + dir.resolve("usage.csv") + "}\n");
        Files.writeString(dir.resolve("usage.csv"), "namespace,workload,container,cpu,memory\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":7:").contains("Scenario 'both', args.snapshot: --snapshot: --snapshot and --pods exclude each other")
                .doesNotContain("failed (exit");
        assertThat(out).doesNotExist();
    }

    /**
     * A rightsize scenario's usage files are read before anything runs (QA 74b F3: a CSV with a bad cell, and a Prometheus
     * response cut short, failed their runs after the others had run).
     */
    @Test
    void aScenariosUsageFilesAreReadBeforeAnythingRuns() throws Exception {
        String first = "scenarios:\n  - name: first\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n";
        Path out = dir.resolve("rows.csv");
        Path csv = dir.resolve("u1.csv");
        Files.writeString(csv, "timestamp,namespace,workload,container,cpu,memory\n1764547200,shop,web,app,0.2,100Mi\n"
                + "1764547260,shop,web,app,abc,100Mi\n");
        Path f = file(first + "  - name: rs\n    command: rightsize\n    args: {pods: workloads/rightsize/shop.yaml, usage: " + csv + "}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":7:").contains("Scenario 'rs', args.usage: " + csv + ":3:").contains("(abc)")
                .doesNotContain("failed (exit");
        assertThat(out).doesNotExist();

        Path cut = dir.resolve("cpu.json");
        String whole = Files.readString(Path.of("workloads/rightsize/cpu.json"));
        Files.writeString(cut, whole.substring(0, whole.length() / 2));
        f = file(first + "  - name: prom\n    command: rightsize\n    args: {pods: workloads/rightsize/shop.yaml, memory-usage: "
                + "workloads/rightsize/memory.json}\n    vary: {cpu-usage: [workloads/rightsize/cpu.json, " + cut + "]}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":8:").contains("Scenario 'prom', vary.cpu-usage: " + cut).doesNotContain("failed (exit");
        assertThat(out).doesNotExist();
    }

    /**
     * Seeds are draws, not options (QA 74b F4: the summary named seed=1 the cheapest, the luckiest draw): the options are ranked
     * by their worst seed, the seed is not named, and where only the seed varies there is no cheapest run.
     */
    @Test
    void seedsAreDrawsAndTheSummaryRanksOptionsByTheirWorstSeed() throws Exception {
        Path f = file("""
                scenarios:
                  - name: shapes
                    command: replay
                    args: {workload: workloads/shop.csv, synthetic: diurnal, autoscaler: ca, duration: 6h}
                    vary: {node: ["aws:m5.2xlarge", "aws:m5.4xlarge"], seed: [1, 2, 3]}
                  - name: draws
                    command: replay
                    args: {workload: workloads/shop.csv, synthetic: diurnal, autoscaler: ca, duration: 6h, node: "aws:m5.4xlarge"}
                    vary: {seed: [1, 2, 3]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        // Each node's worst seed: most pods left out (unschedulable), then the highest cost; the best node has the least worst.
        java.util.Map<String, double[]> worst = new java.util.TreeMap<>();
        for (JsonNode row : report.path("rows")) {
            if (row.path("scenario").asText().equals("shapes")) {
                double[] seed = {row.path("figures").path("unschedulable pods").asDouble(), row.path("figures").path("cost").asDouble()};
                worst.merge(row.path("vary").path("node").asText(), seed, (a, b) -> java.util.Arrays.compare(a, b) >= 0 ? a : b);
            }
        }
        String best = worst.entrySet().stream().min((a, b) -> java.util.Arrays.compare(a.getValue(), b.getValue())).orElseThrow().getKey();
        // The cheapest single draw is m5.2xlarge's seed 1; by the worst seed m5.4xlarge leaves fewer pods out.
        assertThat(best).isEqualTo("aws:m5.4xlarge");
        JsonNode shapes = report.path("summary").get(0);
        assertThat(shapes.path("cheapest").path("node").asText()).isEqualTo(best);
        assertThat(shapes.path("cheapest").has("seed")).isFalse();
        assertThat(shapes.path("cheapestNote").asText()).startsWith("worst of 3 seeds: ");
        JsonNode draws = report.path("summary").get(1);
        assertThat(draws.path("cheapest").size()).isZero();
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet");
        assertThat(table.out()).contains("– (only the seed varies, and seeds are draws, not options; worst of 3 seeds: ");
    }

    /** A growth that leaves a workload of bare Pods without any stops the sweep before anything runs (QA 58d F5). */
    @Test
    void aGrowthLeavingNoPodsStopsTheSweepBeforeAnythingRuns() throws Exception {
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(pods, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: x, resources: "
                + "{requests: {cpu: 100m, memory: 64Mi}}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: "
                + "[{name: c, image: x, resources: {requests: {cpu: 100m, memory: 64Mi}}}]\n");
        Path f = file("scenarios:\n  - name: two\n    command: pack\n    args: {pods: " + pods + ", node: \"aws:m5.large\"}\n"
                + "    vary: {growth: [1, 2, 0.1]}\n");
        Path out = dir.resolve("rows.csv");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'two', vary.growth: --growth: The growth (0.1) leaves no pods");
        assertThat(out).doesNotExist();
    }

    /**
     * The node options and a missing --node, which the run checks before reading anything, stop the sweep before its first
     * run too, at the scenario's key (QA 66b M1: each failed only at its run, after the others, with no place).
     */
    @Test
    void nodeOptionMistakesStopTheSweepBeforeAnythingRuns() throws Exception {
        String first = "scenarios:\n  - name: first\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.2xlarge\"}\n";
        String[][] cases = {
                {"command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\", overhead: ekss}", "args.overhead: --overhead: The overhead (ekss)"},
                {"command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\", max-pods: 0}", "args.max-pods: --max-pods: The max pods (0) must be at least 1"},
                {"command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\", disk: -5Gi}", "args.disk: --disk:"},
                {"command: pack\n    args: {pods: workloads/shop.csv}", "--node: pack needs the node shape"},
                {"command: recommend\n    args: {pods: workloads/shop.csv, families: m5, os-memory: \"200%\"}", "args.os-memory: --os-memory:"},
                {"command: recommend\n    args: {pods: workloads/shop.csv, families: m5, network-plugin: kubenet}", "args.network-plugin: --network-plugin: --network-plugin sets AKS's"},
                {"command: recommend\n    args: {pods: workloads/shop.csv, generic: \"cpu=96..2,ratio=4\"}", "args.generic: --generic: "},
                {"command: recommend\n    args: {pods: workloads/shop.csv, families: m5, max-cpu: 1}",
                    "args.max-cpu: --max-cpu: No instance type of catalog aws passes the filters"}, // QA 69c F5: the key that emptied it
                {"command: replay\n    args: {workload: workloads/shop.csv, node: \"aws:m5.large\", reserved: \"cpu=lots\"}", "args.reserved: --reserved:"},
        };
        for (String[] c : cases) {
            Path f = file(first + "  - name: late\n    " + c[0] + "\n");
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv");
            assertThat(r.exitCode()).as(c[0] + "\n" + r.err()).isEqualTo(2);
            assertThat(r.out()).as(c[0]).isEmpty();
            assertThat(r.err()).as(c[0]).contains("scenarios.yaml:").contains("Scenario 'late'").contains(c[1]).doesNotContain("sweep run");
        }
    }

    /**
     * A node option that the catalog's other provider refuses is no pre-check error where the filters keep the types of a
     * provider that takes it (review 66: --max-pods prefix on a catalog of gce and aws rows filtered to m5).
     */
    @Test
    void aNodeOptionOneProviderTakesIsNotRefusedForAnother() throws Exception {
        Path catalog = dir.resolve("mixed.csv");
        Files.writeString(catalog, "provider,name,family,category,generation,size,arch,vcpu,memory_mib,gpu_count,gpu_model,gpu_manufacturer,"
                + "max_pods_eni,price_per_hour_usd,region\n"
                + "gce,e2-standard-4,e2,standard,,4,amd64,4,16384,0,,,,0.13402,us-central1\n"
                + "aws,m5.xlarge,m5,general,5,xlarge,amd64,4,16384,0,,,58,0.192,us-east-1\n"
                + "aws,m5.2xlarge,m5,general,5,2xlarge,amd64,8,32768,0,,,58,0.384,us-east-1\n");
        for (String option : java.util.List.of("max-pods: prefix", "os-memory: \"5%\"")) {
            Path f = file("scenarios:\n  - name: mixed\n    command: recommend\n    args: {pods: workloads/shop.csv, catalog: " + catalog
                    + ", families: m5, strategies: ffd, " + option + "}\n");
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv");
            assertThat(r.exitCode()).as(option + ": " + r.err()).isZero();
        }
        // Refused where no provider the filters keep takes it.
        Path f = file("scenarios:\n  - name: mixed\n    command: recommend\n    args: {pods: workloads/shop.csv, catalog: " + catalog
                + ", families: e2, max-pods: prefix}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'mixed', args.max-pods: --max-pods: --max-pods prefix is EKS's prefix delegation");
    }

    /** A scenario of unpriced shapes is summed up by its nodes, not left empty (QA 66b L4); one priced run keeps the price. */
    @Test
    void unpricedRunsAreSummedUpByTheirNodes() throws Exception {
        Path f = file("scenarios:\n  - name: bins\n    command: pack\n    args: {pods: workloads/shop.csv, strategy: ffd}\n"
                + "    vary: {node: [\"cpu=8,memory=32Gi\", \"cpu=16,memory=64Gi\"]}\n");
        JsonNode json = JSON.readTree(CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--quiet", "--reproducible").out());
        JsonNode summary = json.path("summary").get(0);
        assertThat(summary.path("costFigure").asText()).isEqualTo("nodes");
        int small = json.path("rows").get(0).path("figures").path("nodes").asInt();
        int large = json.path("rows").get(1).path("figures").path("nodes").asInt();
        assertThat(summary.path("min").asDouble()).isEqualTo(Math.min(small, large));
        assertThat(summary.path("max").asDouble()).isEqualTo(Math.max(small, large));
        assertThat(summary.path("cheapest").toString()).contains(small <= large ? "cpu=8" : "cpu=16");
        Path priced = file("scenarios:\n  - name: bins\n    command: pack\n    args: {pods: workloads/shop.csv, strategy: ffd}\n"
                + "    vary: {node: [\"cpu=8,memory=32Gi\", \"aws:m5.4xlarge\"]}\n");
        JsonNode some = JSON.readTree(CliRunner.run("sweep", "--scenarios", priced.toString(), "-o", "json", "--quiet", "--reproducible").out());
        assertThat(some.path("summary").get(0).path("costFigure").asText()).isEqualTo("$/month");
    }

    /** pods: "-" names standard input, which a sweep's runs cannot each read: said so, not "the file - does not exist" (QA 58d F9). */
    @Test
    void standardInputIsNoSweepInput() throws Exception {
        Path f = file("scenarios:\n  - name: in\n    command: pack\n    args: {pods: \"-\", node: \"aws:m5.large\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'in', args.pods: standard input (-) is not read in a sweep");
        Path snapshot = file("scenarios:\n  - name: snap\n    command: recommend\n    args: {snapshot: \"-\", families: m5}\n");
        CliRunner s = CliRunner.run("sweep", "--scenarios", snapshot.toString(), "--quiet");
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.err()).contains("Scenario 'snap', args.snapshot: standard input (-) is not read in a sweep");
    }

    /** A Spark master URL Spark would refuse once its context starts, as an internal error, is refused first (QA 58d F6). */
    @Test
    void aMasterSparkCannotUseExitsTwoBeforeAnythingRuns() throws Exception {
        Path f = file("scenarios:\n  - name: p\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.2xlarge\"}\n");
        for (String master : java.util.List.of("local[0]", "bogus://x", "local[2,0]", "spark://host")) {
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--engine", "spark", "--master", master, "--quiet");
            assertThat(r.exitCode()).as(master).isEqualTo(2);
            assertThat(r.err()).as(master).startsWith("nodesizer: --master: The Spark master (" + master + ") must be local, local[N]");
        }
    }

    /**
     * Option values the command checks without its inputs stop the sweep before the first run, at the scenario's key
     * (QA 48a: thirty replays ran, then five recommend runs failed on a family "c6" with no file or key): a family the
     * catalog lacks, a strategy, an architecture, a pool count below 1.
     */
    @Test
    void optionValuesTheCommandChecksStopTheSweepBeforeAnythingRuns() throws Exception {
        String[][] cases = {
            {"recommend", "families: \"m6i,c6\"", "args.families: --families: Catalog aws has no instance family c6 (did you mean"},
            {"pack", "node: \"aws:m5.large\", strategy: bestfit", "args.strategy: --strategy: The strategy (bestfit) must be one of"},
            {"replay", "node: \"aws:m5.large\", synthetic: diurnal, duration: 1d, arch: sparc", "args.arch: --arch: The architecture (sparc)"},
            {"recommend", "max-pools: 0", "args.max-pools: --max-pools: The pool count (0) must be at least 1"},
            {"rightsize", "families: \"m6z\"", "args.families: --families: Catalog aws has no instance family m6z"},
            {"recommend", "catalog: nope.csv", "args.catalog: --catalog: nope.csv: The catalog must be aws, gce, azure or an existing CSV"}};
        for (String[] c : cases) {
            Path f = file("scenarios:\n  - name: first\n    command: replay\n    args: {node: \"aws:m5.large\", synthetic: diurnal}\n"
                    + "    vary: {seed: \"1..3\"}\n  - name: late\n    command: " + c[0] + "\n    args: {" + c[1] + "}\n");
            Path out = dir.resolve("rows.csv");
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "-o", "csv", "--out", out.toString());
            assertThat(r.exitCode()).as(c[1] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(c[1]).contains("scenarios.yaml:8").contains("Scenario 'late', " + c[2]);
            assertThat(out).as(c[1]).doesNotExist();
        }
        // A snapshot's catalog is its nodes' (a GKE cluster's gce): its families are not checked against aws before it is read
        // (review 48: "Catalog aws has no instance family n2" refused a valid scenario).
        Path gke = dir.resolve("gke.json");
        Files.writeString(gke, Files.readString(Path.of("workloads/snapshot/cluster.json"))
                .replaceAll("\"node.kubernetes.io/instance-type\": \"[^\"]*\"", "\"node.kubernetes.io/instance-type\": \"n2-standard-4\""));
        Path onGke = file("scenarios:\n  - name: gke\n    command: recommend\n    args: {snapshot: " + gke + ", families: n2}\n");
        CliRunner g = CliRunner.run("sweep", "--scenarios", onGke.toString(), "--quiet", "-o", "csv");
        assertThat(g.exitCode()).as(g.err()).isZero();
        assertThat(g.out()).contains("n2-");
        // A scenario with no workload sizes the bundled sample, and says so (QA 48a: a forgotten pods line gave plausible figures).
        Path none = file("scenarios:\n  - name: np\n    command: pack\n    args: {node: \"aws:m5.2xlarge\"}\n  - name: given\n"
                + "    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.2xlarge\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", none.toString(), "--quiet", "-o", "csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: scenario 'np' names no workload (pods, workload, trace or snapshot): its runs size the "
                + "bundled sample workloads/shop.csv").doesNotContain("scenario 'given'");
    }

    /**
     * QA 50b F3: enumerated and range-checked values, durations the replay clock cannot count (a fraction of a second) and
     * combinations the command refuses without reading its inputs (growth with a trace) stop the sweep before the first run,
     * by the command's own checks, at the value in scenarios.yaml: the valid runs ran first (minutes of replays), then the
     * bad one failed with exit 2 and no file:line:column. A varied value is named at its item of the list.
     */
    @Test
    void enumeratedAndRangeCheckedValuesStopTheSweepBeforeAnythingRuns() throws Exception {
        Path trace = dir.resolve("trace.csv");
        Files.writeString(trace, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
                + "p1,2000,1024,0,0,,LS,Running,0,7200,0\np2,2000,1024,0,0,,LS,Running,0,3600,0\n");
        String node = "node: \"name=A,cpu=4,memory=16Gi,pods=110,price=1\", overhead: none";
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions(); // every case reported, not the first
        String varied = "{scale-down-utilization-threshold: \"0.5..0.7 step 0.1\", provision-delay: [\"60s\", \"1.5s\"]}";
        String[][] cases = {
            // {command, args, vary, location, message}
            {"replay", "trace: " + trace + ", " + node + ", autoscaler: kapenter", null, "scenarios.yaml:8:",
                "Scenario 'late', args.autoscaler: --autoscaler: The autoscaler (kapenter) must be one of none, ca, karpenter, scheduled."},
            {"replay", "trace: " + trace + ", " + node + ", scale-down-utilization-threshold: 1.5", null, "scenarios.yaml:8:",
                "Scenario 'late', args.scale-down-utilization-threshold: --scale-down-utilization-threshold: The threshold (1.5) must be "
                        + "from 0 to 1."},
            {"replay", "trace: " + trace + ", " + node, varied, "scenarios.yaml:9:" + (("    vary: " + varied).indexOf("\"1.5s\"") + 1) + ":",
                "Scenario 'late', vary.provision-delay: --provision-delay: The provisioning delay (1.5s) must be whole seconds"},
            {"replay", "trace: " + trace + ", " + node + ", growth: 2", null, "scenarios.yaml:8:",
                "Scenario 'late', args.growth: --growth: --growth scales --workload profiles and their demand; a trace has its own pods"},
            // Other values the commands check with a fixed set or a range, without their inputs.
            {"replay", node + ", synthetic: diurnal, pools: mix", null, "scenarios.yaml:8:", "args.pools: --pools: The pools mode (mix) must be sweep or mixed."},
            {"replay", node + ", synthetic: diurnal, autoscaler: none, pools: mixed", null, "scenarios.yaml:8:",
                "args.pools: --pools: The none autoscaler is a fixed count of one shape"},
            {"replay", node + ", synthetic: diurnal", "{expander: [price, cheapest]}", "scenarios.yaml:9:", "vary.expander: --expander: The expander (cheapest)"},
            {"replay", node + ", synthetic: diurnal, scheduler-profile: packing", null, "scenarios.yaml:8:", "args.scheduler-profile: "
                    + "--scheduler-profile: The scheduler profile (packing) must be default or bin-packing."},
            {"replay", node + ", synthetic: diurnal, autoscaler: karpenter, disruption-budget: 150%", null, "scenarios.yaml:8:",
                "args.disruption-budget: --disruption-budget: The disruption budget (150%)"},
            {"replay", node + ", synthetic: diurnal, autoscaler: karpenter, consolidation: Always", null, "scenarios.yaml:8:",
                "args.consolidation: --consolidation: The consolidation policy (Always)"},
            {"replay", node + ", synthetic: diurnal, autoscaler: scheduled", null, "scenarios.yaml:8:",
                "args.autoscaler: --autoscaler: The scheduled autoscaler needs windows"},
            {"replay", node + ", synthetic: diurnal, min-nodes: 3, max-nodes: 2", null, "scenarios.yaml:8:", "args.max-nodes: --max-nodes: "
                    + "The node limits (min 3, max 2)"},
            {"replay", node + ", synthetic: diurnal, pending-slo: 90.5s", null, "scenarios.yaml:8:", "args.pending-slo: --pending-slo: "},
            {"replay", node + ", synthetic: weekly", null, "scenarios.yaml:8:", "args.synthetic: --synthetic: The synthetic curve (weekly) must be diurnal."},
            {"replay", node + ", synthetic: diurnal, trough: 2", null, "scenarios.yaml:8:", "args.trough: --trough: The value (2.0) must be a fraction"},
            {"replay", node + ", synthetic: diurnal, hpa: peak", null, "scenarios.yaml:8:", "args.hpa: --hpa: Unknown --hpa 'peak'"},
            {"replay", node + ", synthetic: diurnal, zones: 0", null, "scenarios.yaml:8:", "args.zones: --zones: The zone count (0) must be from 1 to 64."},
            {"windows", node + ", synthetic: diurnal", "{check-draws: [2, 21]}", "scenarios.yaml:9:", "vary.check-draws: --check-draws: The draws "
                    + "to check the SLO on (21) must be from 0 to 20."},
            {"windows", node + ", synthetic: diurnal, headroom: 11", null, "scenarios.yaml:8:", "args.headroom: --headroom: The headroom (11) must be none or a number"},
            {"windows", node + ", synthetic: diurnal, expander: biggest", null, "scenarios.yaml:8:", "args.expander: --expander: The expander (biggest)"},
            {"pack", "pods: workloads/shop.csv, hpa: peak", null, "scenarios.yaml:8:", "args.hpa: --hpa: Unknown --hpa 'peak'"},
            {"recommend", "pods: workloads/shop.csv, survive: rack", null, "scenarios.yaml:8:", "args.survive: --survive: The failure to "
                    + "survive (rack) must be none, node or zone."},
            {"rightsize", "pods: workloads/shop.csv, cpu-percentile: 0", null, "scenarios.yaml:8:", "args.cpu-percentile: --cpu-percentile: "
                    + "The CPU percentile (0.0)"}};
        for (String[] c : cases) {
            Path f = file("scenarios:\n  - name: first\n    command: replay\n    args: {node: \"aws:m5.large\", synthetic: diurnal}\n"
                    + "    vary: {seed: \"1..3\"}\n  - name: late\n    command: " + c[0] + "\n    args: {" + c[1] + "}\n"
                    + (c[2] == null ? "" : "    vary: " + c[2] + "\n"));
            Path out = dir.resolve("rows.csv");
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1", "-o", "csv", "--out", out.toString());
            soft.assertThat(r.exitCode()).as(c[1] + ": " + r.err()).isEqualTo(2);
            soft.assertThat(r.err()).as(c[1]).contains(c[3]).contains(c[4]).doesNotContain("sweep run");
            soft.assertThat(out).as(c[1]).doesNotExist();
            java.nio.file.Files.deleteIfExists(out);
        }
        soft.assertAll();
        // Valid values are not refused: the models' own options beside a varied autoscaler, whole-second delays, a trace alone.
        Path f = file("scenarios:\n  - name: fine\n    command: replay\n    args: {trace: " + trace + ", " + node
                + ", scale-down-utilization-threshold: 0.6, disruption-budget: 20%}\n"
                + "    vary: {autoscaler: [ca, karpenter], provision-delay: [\"60s\", \"1m..2m\"]}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1", "-o", "csv", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(5);
    }

    /** QA 57b F4: of two bad values, the one earlier in the file is told, whichever run the product expands first. */
    @Test
    void theBadValueEarliestInTheFileIsTold() throws Exception {
        String vary = "    vary: {autoscaler: [ca, kapenter], scale-down-utilization-threshold: [0.5, 1.5]}\n";
        Path f = file("scenarios:\n  - name: a\n    command: replay\n    args: {node: \"aws:m5.large\", synthetic: diurnal, duration: 1h}\n" + vary);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("scenarios.yaml:5:" + (vary.indexOf("kapenter") + 1) + ": Scenario 'a', vary.autoscaler: --autoscaler: "
                + "The autoscaler (kapenter)").doesNotContain("1.5");
    }

    /**
     * A --demand or --schedule file that does not parse stops the sweep before anything runs (qa39c finding 6: it was found
     * when its run executed, after the rest), at the scenario's key with the file's own place; a valid one, read with the
     * run's workloads, start, duration and time zone, is never refused.
     */
    @Test
    void demandAndScheduleFilesThatDoNotParseStopTheSweepBeforeAnythingRuns() throws Exception {
        Path demand = dir.resolve("demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,web,3\n+1h,web,4\n");
        Path bad = dir.resolve("bad-demand.csv");
        Files.writeString(bad, "time,workload,replicas\n+0m,web,3\n+1h,web,lots\n");
        Path unknown = dir.resolve("unknown-demand.csv");
        Files.writeString(unknown, "time,workload,replicas\n+0m,web,3\n+1h,nope,4\n");
        Path shop = Path.of("workloads/shop.csv").toAbsolutePath();
        Files.writeString(dir.resolve("web.csv"), "name,cpu,memory,replicas\nweb,500m,1Gi,2\n");
        String replay = "    command: replay\n    args: {workload: " + dir.resolve("web.csv") + ", node: \"cpu=4,memory=16Gi,price=1\", "
                + "duration: 2h}\n";
        for (String[] c : new String[][] {{bad.toString(), "bad-demand.csv:3", "replicas"}, {unknown.toString(), "unknown-demand.csv:3", "nope"}}) {
            Path f = file("scenarios:\n  - name: first\n    command: recommend\n    args: {pods: " + shop + "}\n    vary: {growth: [1, 2]}\n"
                    + "  - name: sale\n" + replay + "    vary: {demand: [" + demand + ", " + c[0] + "]}\n");
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("scenarios.yaml:9:").contains("Scenario 'sale', vary.demand: ").contains(c[1]).contains(c[2])
                    .doesNotContain("sweep run");
        }

        Path schedule = dir.resolve("schedule.yaml");
        Files.writeString(schedule, "timeZone: Europe/Berlin\nwindows:\n  - {days: Mon-Fri, from: \"07:00\", to: \"21:00\", min: 1}\n");
        Path badSchedule = dir.resolve("bad-schedule.yaml");
        Files.writeString(badSchedule, "windows:\n  - {days: Mon-Fri, from: \"07:00\", to: \"25:00\", min: 1}\n");
        Path f = file("scenarios:\n  - name: plan\n" + replay.replace("duration: 2h}", "duration: 2h, autoscaler: scheduled, "
                + "time-zone: Europe/Berlin, demand: " + demand + "}") + "    vary: {schedule: [" + schedule + ", " + badSchedule + "]}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("scenarios.yaml:5:").contains("Scenario 'plan', vary.schedule: ").contains("bad-schedule.yaml:2:")
                .doesNotContain("sweep run");

        // Valid files read as each run reads them: the schedule's timeZone is the run's --time-zone, the demand's names its workloads'.
        f = file("scenarios:\n  - name: plan\n" + replay.replace("duration: 2h}", "duration: 2h, autoscaler: scheduled, schedule: "
                + schedule + "}") + "    vary: {time-zone: [Europe/Berlin], demand: [" + demand + "]}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1", "--reproducible");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isEqualTo(0);
    }

    /**
     * Every run's command line is parsed into one command model per command (qa39c finding 1: building the model by
     * reflection per run cost ~15 ms, 2.5 min before a 10,000-run sweep named a typo in a later scenario). What one run's
     * check read must not carry into the next run's: a run without --demand or --schedule after runs with them is checked
     * as it runs (here those files would not read against it: the demand names a workload it lacks, the schedule another
     * time zone).
     */
    @Test
    void oneRunsOptionsDoNotCarryIntoTheNextRunsCheck() throws Exception {
        Path demand = dir.resolve("demand.csv");
        Files.writeString(demand, "time,workload,replicas\n+0m,web,3\n+1h,web,4\n");
        Path schedule = dir.resolve("schedule.yaml");
        Files.writeString(schedule, "timeZone: Europe/Berlin\nwindows:\n  - {days: Mon-Fri, from: \"07:00\", to: \"21:00\", min: 1}\n");
        Files.writeString(dir.resolve("web.csv"), "name,cpu,memory,replicas\nweb,500m,1Gi,2\n");
        Files.writeString(dir.resolve("api.csv"), "name,cpu,memory,replicas\napi,250m,512Mi,2\n");
        String node = "node: \"cpu=4,memory=16Gi,price=1\", duration: 2h";
        Path f = file("scenarios:\n"
                + "  - name: sale\n    command: replay\n    args: {workload: " + dir.resolve("web.csv") + ", " + node + ", autoscaler: scheduled, "
                + "time-zone: Europe/Berlin, schedule: " + schedule + "}\n    vary: {demand: [" + demand + "]}\n"
                + "  - name: plain\n    command: replay\n    args: {workload: " + dir.resolve("api.csv") + ", " + node + "}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet", "--threads", "1", "--reproducible");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();

        // And a mistake in a later run is still found, before anything runs.
        f = file("scenarios:\n  - name: seeds\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.2xlarge\"}\n"
                + "    vary: {seed: \"1..50\"}\n  - name: typo\n    command: pack\n    args: {pods: workloads/shop.csv, nodee: \"aws:m5.2xlarge\"}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("scenarios.yaml:8:").contains("Scenario 'typo', args.nodee: pack has no option --nodee; did you mean node?");
    }

    @Test
    void growthScalesReplayDemandOnceWhateverItsSource() throws Exception {
        double[] arrived = new double[4];
        int i = 0;
        for (String[] source : new String[][] {{"--synthetic", "diurnal", "--duration", "1d"},
            {"--demand", "workloads/shop-demand.csv"}}) {
            for (String growth : new String[] {"1", "2"}) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("replay", "--workload", "workloads/shop.csv",
                        "--node", "aws:m5.4xlarge", "--growth", growth, "-o", "json", "--reproducible", "--quiet"));
                args.addAll(java.util.List.of(source));
                CliRunner r = CliRunner.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as(r.err()).isZero();
                arrived[i++] = JSON.readTree(r.out()).path("ranking").path(0).path("podsArrived").asDouble();
            }
        }
        assertThat(arrived[1] / arrived[0]).as("synthetic").isBetween(1.8, 2.3);
        assertThat(arrived[3] / arrived[2]).as("demand file").isBetween(1.8, 2.3);
        CliRunner trace = CliRunner.run("replay", "--trace", "workloads/shop.csv", "--growth", "2", "--node", "aws:m5.4xlarge", "--quiet");
        assertThat(trace.exitCode()).isEqualTo(2);
        assertThat(trace.err()).contains("a trace has its own pods");
    }

    @Test
    void aVariedFlagRunsWithAndWithoutItAndAVariedOptionNamedLikeAFigureKeepsItsOwnColumn() throws Exception {
        Path f = file("""
                scenarios:
                  - name: f
                    command: replay
                    args: {synthetic: diurnal, duration: 1d, node: "aws:m5.4xlarge"}
                    vary: {autoscaler: [ca, karpenter], cold-start: [true, false]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet", "-o", "csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        java.util.List<String> header = java.util.List.of(lines[0].split(","));
        assertThat(header).contains("vary.autoscaler", "autoscaler", "cold-start").doesNotHaveDuplicates();
        assertThat(lines).hasSize(5);
        // The second varied option changes fastest: ca with the flag, ca without, then karpenter.
        int flag = header.indexOf("cold-start");
        int cost = header.indexOf("cost");
        assertThat(java.util.Arrays.stream(lines).skip(1).map(l -> l.split(",")[flag]).toList())
                .containsExactly("true", "false", "true", "false");
        // With the flag the pool starts at zero nodes: another bill than a warm start.
        assertThat(lines[1].split(",")[cost]).isNotEqualTo(lines[2].split(",")[cost]);
    }

    /**
     * QA 66b L6: a value its option cannot take was said in picocli's words of the command line the sweep built, at the
     * scenario: "Expected parameter for option '--node' but found '--seed'" (a --seed never written), "should be specified
     * only once", "Unmatched argument at index 10: 'yes'". Each is said at its key, with what it takes and what it got.
     */
    @Test
    void aValueItsOptionCannotTakeIsSaidAtItsKey() throws Exception {
        record Case(String command, String args, String vary, String message) {
        }
        for (Case c : java.util.List.of(
                new Case("pack", "{pods: workloads/shop.csv, node: true}", null,
                        "scenarios.yaml:4:44: Scenario 's', args.node: expected a value (--node SPEC); found true (true and false are for flags)."),
                new Case("pack", "{pods: workloads/shop.csv, node: \"aws:m5.2xlarge\", strategy: [kube-default, ffd]}", null,
                        "scenarios.yaml:4:72: Scenario 's', args.strategy: expected one value (--strategy is given once); found a list of 2, "
                                + "[kube-default, ffd] (to run each, list them under vary)."),
                new Case("replay", "{workload: workloads/shop.csv, node: \"aws:m5.2xlarge\"}", "{cold-start: [true, yes]}",
                        "scenarios.yaml:5:31: Scenario 's', vary.cold-start: expected true or false (--cold-start is a flag: true gives "
                                + "it, false leaves it out); found yes."))) {
            Path f = file("scenarios:\n  - name: s\n    command: " + c.command() + "\n    args: " + c.args() + "\n"
                    + (c.vary() == null ? "" : "    vary: " + c.vary() + "\n"));
            CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
            assertThat(r.exitCode()).as(c.args()).isEqualTo(2);
            assertThat(r.err()).as(c.args()).contains(c.message()).doesNotContain("--seed").doesNotContain("Unmatched");
        }
    }

    @Test
    void aRangeStartsWithANumberSoRelativePathsAreValues() throws Exception {
        Path f = file("scenarios:\n  - name: up\n    command: pack\n    vary: {pods: ../nope.csv}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'up', vary.pods: the file ../nope.csv does not exist");
    }

    @Test
    void aRunThatFailsAtRunTimeIsReportedAndTheExitCodeSaysSo() throws Exception {
        Path f = file("""
                scenarios:
                  - name: shrink
                    command: recommend
                    args: {families: "m5,m6g", strategies: ffd}
                    vary: {max-cpu: [64, 1]}
                """);
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("rows").get(0).path("status").asText()).isEqualTo("ok");
        assertThat(report.path("rows").get(1).path("status").asText()).isEqualTo("failed");
        assertThat(report.path("rows").get(1).path("error").asText()).contains("No instance type of catalog aws passes the filters");
        assertThat(r.err()).contains("sweep run shrink[max-cpu=1] failed (exit 2)");
        // What needs no run is checked before the first: a growth out of range, a catalog type that does not exist (QA 47).
        for (String vary : java.util.List.of("{growth: [1, 0]}", "{node: [\"aws:m5.large\", \"aws:m9.nonexistent\"]}")) {
            Path early = file("scenarios:\n  - name: early\n    command: pack\n    args: {pods: workloads/shop.csv"
                    + (vary.contains("node") ? "" : ", node: \"aws:m5.large\"") + "}\n    vary: " + vary + "\n");
            CliRunner e = CliRunner.run("sweep", "--scenarios", early.toString(), "--quiet");
            assertThat(e.exitCode()).isEqualTo(2);
            assertThat(e.out()).isEmpty();
            assertThat(e.err()).contains("scenarios.yaml:5").contains("Scenario 'early', vary.")
                    .containsAnyOf("The growth (0.0) must be above 0", "'m9.nonexistent' is not in the aws catalog");
        }
    }

    /**
     * A failed run's long error no longer sits in the status cell, which widened the column for
     * every row of the scenario: the row says "failed (exit 2)" and the error follows the table. JSON
     * ok rows carry "error": null (the README lists the field for every row); CSV figures are the
     * JSON's (a replay's cost 123.2053, where CSV trimmed to 123.205); the HTML heading is the command line, as the
     * table's is (it was "name: pack").
     */
    @Test
    void aFailedRunsErrorFollowsTheTableAndTheFormatsAgree() throws Exception {
        Path f = file("""
                scenarios:
                  - name: day
                    command: replay
                    args: {workload: workloads/shop.csv, synthetic: diurnal, duration: 1d}
                    vary: {node: ["aws:m5.2xlarge"]}
                  - name: shrink
                    command: recommend
                    args: {families: "m5,m6g", strategies: ffd}
                    vary: {max-cpu: [64, 1]}
                """);
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet");
        assertThat(table.exitCode()).isEqualTo(2);
        java.util.List<String> lines = table.out().lines().toList();
        int heading = lines.indexOf("shrink: recommend --families m5,m6g --strategies ffd --seed 1");
        java.util.List<String> shrink = lines.subList(heading + 2, heading + 6);
        assertThat(shrink.get(3)).endsWith("failed (exit 2)");
        assertThat(shrink).allMatch(l -> l.length() < 200, "no row as wide as the error");
        assertThat(lines.subList(heading + 6, lines.size())).startsWith("", "failed runs:");
        assertThat(lines.get(heading + 8)).startsWith("  - max-cpu=1 failed (exit 2): ").contains("passes the filters");
        CliRunner markdown = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "markdown", "--reproducible", "--quiet");
        assertThat(markdown.out()).contains("\nFailed runs:\n\n- max-cpu=1 failed (exit 2): ").doesNotContain("| failed (exit 2): ");

        JsonNode json = JSON.readTree(CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet").out());
        JsonNode rows = json.path("rows");
        assertThat(rows.get(0).has("error")).isTrue();
        assertThat(rows.get(0).get("error").isNull()).isTrue();
        assertThat(rows.get(2).path("error").asText()).contains("passes the filters");

        java.util.List<String> csv = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "csv", "--reproducible", "--quiet").out()
                .lines().toList();
        java.util.List<String> header = java.util.List.of(csv.get(0).split(",", -1));
        String cost = csv.get(1).split(",", -1)[header.indexOf("cost")];
        assertThat(cost).isEqualTo(rows.get(0).path("figures").path("cost").decimalValue().toPlainString()).matches("\\d+\\.\\d{4}");

        String html = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "html", "--reproducible", "--quiet").out();
        assertThat(html).contains("<h2>shrink: recommend --families m5,m6g --strategies ffd --seed 1</h2>", "<li>max-cpu=1 failed (exit 2): ");
        // A sweep's first row is the first run, not a winner: not in bold as a ranking's is (QA 58d F8).
        assertThat(html).doesNotContain("class=\"ranked\"");
    }

    /**
     * The scenario heading is its command line, to paste and re-run alone: a list in args repeats
     * the option as the runs get it, and a value with spaces or shell characters is quoted. It read
     * "--node aws:m5.2xlarge,cpu=16,…" (the values joined with commas), which exits 2 when pasted,
     * and "--window Mon-Fri 07:00-21:00 min=2" unquoted.
     */
    @Test
    void theScenarioHeadingIsACommandLineThatRuns() throws Exception {
        Path f = file("""
                scenarios:
                  - name: two-shapes
                    command: replay
                    args: {node: ["aws:m5.2xlarge", "cpu=16,memory=64Gi,price=0.5"], pools: mixed, duration: 1d,
                           autoscaler: scheduled, window: ["Mon-Fri 07:00-21:00 min=2", "* 22:00-23:00 max=40"], cold-start: true}
                """);
        String expected = "two-shapes: replay --node aws:m5.2xlarge --node cpu=16,memory=64Gi,price=0.5 --pools mixed --duration 1d "
                + "--autoscaler scheduled --window 'Mon-Fri 07:00-21:00 min=2' --window '* 22:00-23:00 max=40' --cold-start --seed 1";
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out().lines().toList()).contains(expected);
        CliRunner markdown = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "markdown", "--reproducible", "--quiet");
        // Markdown escapes its specials ("'\\* 22:00"), which GitHub shows as the line above.
        assertThat(markdown.out().lines().toList()).contains("## " + expected.replace("*", "\\*"));

        java.util.List<String> argv = new java.util.ArrayList<>(shellWords(expected.substring("two-shapes: ".length())));
        argv.add("--quiet");
        CliRunner alone = CliRunner.run(argv.toArray(String[]::new));
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        assertThat(alone.out()).contains("shapes: 2 --node shapes", "m5.2xlarge,custom-16c-64g");
    }

    /**
     * The heading's command line carries the --seed the sweep gives every run of a scenario that
     * does not set or vary seed, so that pasting it (with a row's varied options) gives that row;
     * the JSON and CSV record the sweep's seed and each run's.
     */
    @Test
    void theHeadingCarriesTheSweepsSeedAndTheOutputsRecordIt() throws Exception {
        Path f = file("""
                scenarios:
                  - name: week
                    command: replay
                    args: {synthetic: diurnal, node: "aws:m5.4xlarge", duration: 1d}
                    vary: {provision-delay: [3m]}
                  - name: own
                    command: replay
                    args: {synthetic: diurnal, node: "aws:m5.4xlarge", duration: 1d, seed: 3}
                """);
        CliRunner table = CliRunner.run("sweep", "--scenarios", f.toString(), "--reproducible", "--quiet", "--seed", "7");
        assertThat(table.exitCode()).as(table.err()).isZero();
        String heading = "week: replay --synthetic diurnal --node aws:m5.4xlarge --duration 1d --seed 7";
        assertThat(table.out().lines().toList()).contains(heading, "own: replay --synthetic diurnal --node aws:m5.4xlarge --duration 1d --seed 3");

        CliRunner json = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "json", "--reproducible", "--quiet", "--seed", "7");
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.path("seed").asLong()).isEqualTo(7);
        assertThat(report.path("rows").get(0).path("seed").asLong()).isEqualTo(7);
        assertThat(report.path("rows").get(1).path("seed").asLong()).isEqualTo(3);
        java.util.List<String> argv = new java.util.ArrayList<>(shellWords(heading.substring("week: ".length())));
        argv.addAll(java.util.List.of("--provision-delay", "3m", "-o", "json", "--reproducible", "--quiet"));
        JsonNode alone = JSON.readTree(CliRunner.run(argv.toArray(String[]::new)).out());
        assertThat(report.path("rows").get(0).path("figures").path("cost").asDouble())
                .isEqualTo(alone.path("ranking").path(0).path("costTotal").asDouble());

        CliRunner csv = CliRunner.run("sweep", "--scenarios", f.toString(), "-o", "csv", "--reproducible", "--quiet", "--seed", "7");
        java.util.List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).startsWith("scenario,command,run,status,exitCode,provision-delay,seed,");
        assertThat(lines.get(1)).startsWith("week,replay,0,ok,0,3m,7,");
        assertThat(lines.get(2)).startsWith("own,replay,0,ok,0,,3,");
    }

    /** A POSIX shell's words of {@code line}: split at spaces, single quotes kept together (the four characters '\'' are one quote). */
    private static java.util.List<String> shellWords(String line) {
        java.util.List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && !quoted) {
                word.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any || !word.isEmpty()) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        if (any || !word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * QA 73 F4: an unknown key read "(args.nodee): Unknown options: '--nodee', 'aws:m5.xlarge'", its value listed as an option
     * and no suggestion; the key alone is named, with the nearest option of the command, or where its options are listed.
     */
    @Test
    void anUnknownKeyIsNamedAloneWithTheNearestOption() throws Exception {
        Path f = file("scenarios:\n  - name: a\n    command: pack\n    args: {pods: workloads/shop.csv, strategy: ffd, nodee: \"aws:m5.xlarge\"}\n");
        CliRunner r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("nodesizer: " + f + ":4:60: Scenario 'a', args.nodee: pack has no option --nodee; did you mean node?\n")
                .doesNotContain("aws:m5.xlarge'");

        // In vary, at its key; a key near no option points at the command's help. An option of another command is none of this one's.
        f = file("scenarios:\n  - name: v\n    command: pack\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n"
                + "    vary: {zzzzzz: [1, 2]}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":5:").contains("Scenario 'v', vary.zzzzzz: pack has no option --zzzzzz; expected one of its "
                + "options (nodesizer pack --help lists them).");
        f = file("scenarios:\n  - name: r\n    command: replay\n    args: {pods: workloads/shop.csv, node: \"aws:m5.large\"}\n");
        r = CliRunner.run("sweep", "--scenarios", f.toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Scenario 'r', args.pods: replay has no option --pods");
    }
}
