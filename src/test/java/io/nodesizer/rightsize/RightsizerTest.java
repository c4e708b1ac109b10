package io.nodesizer.rightsize;

import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.manifest.ManifestReader;
import io.nodesizer.input.usage.SampleBuffer;
import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.input.usage.UsageSeries;
import io.nodesizer.input.usage.UsageSink;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class RightsizerTest {
    private static final long MIB = 1L << 20;
    private static final RightsizeSettings KRR = RightsizeSettings.KRR_SIMPLE;

    @TempDir
    Path dir;

    private Workload manifests(String yaml) throws IOException {
        Path p = dir.resolve("w.yaml");
        Files.writeString(p, yaml);
        return new ManifestReader().read(p, "w.yaml");
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  initContainers:
                    - name: envoy
                      restartPolicy: Always
                      resources: {requests: {cpu: 200m, memory: 256Mi}}
                    - name: migrate
                      resources: {requests: {cpu: "3", memory: 1Gi}}
                  containers:
                    - name: app
                      resources:
                        requests: {cpu: "1", memory: 2Gi}
                        limits: {cpu: "2", memory: 2Gi}
            """;

    /** A series of {@code values} one minute apart, starting at 0. */
    private static UsageSeries series(UsageMetric m, String ns, String pod, String workload, String container, double... values) {
        SampleBuffer b = new SampleBuffer();
        for (int i = 0; i < values.length; i++) {
            b.add(60.0 * i * (10_800.0 / 60 / Math.max(1, values.length - 1)), values[i]);
        }
        return new UsageSeries(m, ns, pod, workload, container, b, SourceLocation.ofFile("t"));
    }

    private static double[] ramp(int n, double from, double step) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + step * i;
        }
        return v;
    }

    private static Consumer<UsageSink> feed(UsageSeries... s) {
        return sink -> {
            for (UsageSeries x : s) {
                sink.accept(x);
            }
        };
    }

    private static ContainerAdvice row(Rightsizer.Result r, String container) {
        return r.containers().stream().filter(a -> a.container().equals(container)).findFirst().orElseThrow();
    }

    /** A CPU series of app in pod web-5d8f7c6b4-x2k9p, {@code values} one minute apart from {@code startSeconds}. */
    private static UsageSeries piece(double startSeconds, double... values) {
        SampleBuffer b = new SampleBuffer();
        for (int i = 0; i < values.length; i++) {
            b.add(startSeconds + 60.0 * i, values[i]);
        }
        return new UsageSeries(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", b, SourceLocation.ofFile("t"));
    }

    @Test
    void aSeriesInPiecesHasThePercentilesOfAllItsSamplesTogether() throws IOException {
        // 1,000 minutes, 40 of them (4 %) at 1,000 m, all in the second half: p95 of the whole is 100 m; of the second
        // half alone (8 % busy) 1,000 m. Split in two files, the pieces are one series of one pod.
        double[] first = ramp(500, 100, 0);
        double[] second = ramp(500, 100, 0);
        java.util.Arrays.fill(second, 460, 500, 1000);
        UsageSeries a = piece(0, first);
        UsageSeries b = piece(500 * 60, second);
        Rightsizer.Result r = Rightsizer.run(manifests(WEB), null, KRR, feed(b, a));
        ContainerAdvice app = row(r, "app");
        assertThat(app.cpu().p95()).isEqualTo(100.0);
        assertThat(app.cpu().series()).isEqualTo(1);
        assertThat(app.cpu().samples()).isEqualTo(1000);
        assertThat(app.cpu().spanSeconds()).isEqualTo(999 * 60.0);
        assertThat(app.recommendedCpuMillis()).isEqualTo(100);
        assertThat(r.warnings()).noneMatch(w -> w.contains("overlap"));
        assertThat(r.seriesRead()).as("one series in two pieces (QA 76a F3)").isEqualTo(1);
        // The same export twice: the same percentiles (each sample twice), and a warning.
        Rightsizer.Result twice = Rightsizer.run(manifests(WEB), null, KRR, feed(a, b, a, b));
        assertThat(row(twice, "app").cpu().p95()).isEqualTo(100.0);
        assertThat(row(twice, "app").cpu().series()).isEqualTo(1);
        assertThat(twice.seriesRead()).isEqualTo(1);
        assertThat(twice.warnings()).anyMatch(w -> w.startsWith("1 usage series comes in pieces that overlap in time")
                && w.contains("pod=web-5d8f7c6b4-x2k9p, container=app} (cpu).") && w.contains("A restarted container's old and new series"));
    }

    @Test
    void anOomKilledContainerGetsTheVpaBumpOfItsLimitNotACut() {
        WorkloadId redis = new WorkloadId("prod", "redis");
        // 1.58 GiB peak under a 2 GiB limit, a week of 5-minute samples: 1.58 x 1.15 = 1.82 GiB, a cut from 2 GiB.
        UsageStats memory = new UsageStats(1, 2016, 1.5 * (1L << 30), 1.55 * (1L << 30), 1.55 * (1L << 30), 1.58 * (1L << 30), 0, 7 * 86400);
        ContainerAdvice plain = Rightsizer.advise(redis, "StatefulSet", "redis", 2, 300L, 2L << 30, 0, 2L << 30, null, memory, KRR, false, false);
        assertThat(plain.recommendedMemoryBytes()).isEqualTo(1861L << 20);
        assertThat(plain.flags()).doesNotContain(ContainerAdvice.Flag.OOM_KILLED);
        // OOM-killed: it reached its limit; 2,048 MiB x 1.2 = 2,457.6 -> 2,458 MiB, above the limit (raise it too).
        ContainerAdvice killed = Rightsizer.advise(redis, "StatefulSet", "redis", 2, 300L, 2L << 30, 0, 2L << 30, null, memory, KRR, false, true);
        assertThat(killed.recommendedMemoryBytes()).isEqualTo(2458L << 20);
        assertThat(killed.flags()).contains(ContainerAdvice.Flag.OOM_KILLED, ContainerAdvice.Flag.REQUEST_ABOVE_LIMIT);
        assertThat(killed.memoryFromUsage()).isTrue();
        // A small container: the bump is at least 100 MiB (200 MiB limit: 300 MiB, not 240).
        ContainerAdvice small = Rightsizer.advise(redis, "StatefulSet", "redis", 2, 300L, 200L << 20, 0, 200L << 20, null, null, KRR, false, true);
        assertThat(small.recommendedMemoryBytes()).isEqualTo(300L << 20);
        // Nothing known of its memory (no limit, request, nor usage): no bump to make, the flag says it.
        ContainerAdvice unknown = Rightsizer.advise(redis, "StatefulSet", "redis", 2, 300L, null, 0, 0, null, null, KRR, false, true);
        assertThat(unknown.recommendedMemoryBytes()).isNull();
        assertThat(unknown.flags()).contains(ContainerAdvice.Flag.OOM_KILLED);
        assertThat(Rightsizer.oomWarning(unknown, List.of("redis-0"))).contains("nothing to bump");
        assertThat(Rightsizer.oomWarning(killed, List.of("redis-0"))).contains("20 % (and 100Mi) above its 2,048 MiB limit, where the kernel "
                + "killed it, as the VPA recommender bumps it after an OOM (2,458 MiB)");
    }

    /**
     * QA c F5: the bump's base is the larger of the usage peak and the limit, and the warning names the one it is. An 838 MiB
     * peak above a 512 MiB limit (the limit changed within the window): 838 x 1.2 = 1,005.6 -> 1,006 MiB, from the peak.
     */
    @Test
    void theOomWarningNamesThePeakWhenThePeakIsTheBase() {
        WorkloadId web = new WorkloadId("shop", "web");
        double peak = 838.0 * (1 << 20);
        UsageStats memory = new UsageStats(1, 2016, 700.0 * (1 << 20), 800.0 * (1 << 20), 800.0 * (1 << 20), peak, 0, 7 * 86400);
        ContainerAdvice a = Rightsizer.advise(web, "Deployment", "app", 2, 300L, 512L << 20, 0, 512L << 20, null, memory, KRR, false, true);
        assertThat(a.recommendedMemoryBytes()).isEqualTo(1006L << 20);
        assertThat(Rightsizer.oomWarning(a, List.of("web-1"))).contains("20 % (and 100Mi) above its 838 MiB usage peak (above its 512 MiB "
                + "limit), as the VPA recommender bumps it after an OOM (1,006 MiB)").doesNotContain("where the kernel killed it");
        // Without a limit and the peak above the request: the peak, the most it is known to have used.
        ContainerAdvice noLimit = Rightsizer.advise(web, "Deployment", "app", 2, 300L, 512L << 20, 0, 0, null, memory, KRR, false, true);
        assertThat(Rightsizer.oomWarning(noLimit, List.of("web-1"))).contains("above its 838 MiB usage peak (above its 512 MiB request), "
                + "the most it is known to have used");
    }

    /** The CSV form of {@link #piece}: the series names the workload, and the pod only when given. */
    private static UsageSeries csvPiece(String pod, double startSeconds, double... values) {
        SampleBuffer b = new SampleBuffer();
        for (int i = 0; i < values.length; i++) {
            b.add(startSeconds + 60.0 * i, values[i]);
        }
        return new UsageSeries(UsageMetric.CPU, "shop", pod, "web", "app", b, new SourceLocation("usage.csv", 2, 0, null));
    }

    @Test
    void oneContainersUsageInBothFormsOverTheSameTimeIsRefused() throws IOException {
        double[] values = ramp(100, 100, 0);
        UsageSeries prom = piece(0, values);
        // The same samples as a CSV without a pod column, and with the pod's: they would count twice.
        for (String pod : new String[]{null, "web-5d8f7c6b4-x2k9p"}) {
            assertThatThrownBy(() -> Rightsizer.run(manifests(WEB), null, KRR, feed(prom, csvPiece(pod, 0, values))))
                    .isInstanceOf(io.nodesizer.input.InputException.class)
                    .hasMessageContaining("The usage of 1 container comes both from the CSV and from the Prometheus exports over the same time")
                    .hasMessageContaining("shop/web container app (cpu)").hasMessageContaining("at usage.csv:2");
        }
        // Another pod's CSV samples, or the CSV of the hours after the export: no sample twice.
        assertThat(row(Rightsizer.run(manifests(WEB), null, KRR, feed(prom, csvPiece("web-5d8f7c6b4-zz9qq", 0, values))), "app")
                .cpu().samples()).isEqualTo(200);
        assertThat(row(Rightsizer.run(manifests(WEB), null, KRR, feed(prom, csvPiece(null, 100 * 60, values))), "app")
                .cpu().samples()).isEqualTo(200);
    }

    @Test
    void newRequestsAreCheckedAgainstTheNamespacesLimitRangeAsTheApiServerWould() throws IOException {
        Path p = dir.resolve("lr.yaml");
        Files.writeString(p, """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: shop}
                spec:
                  limits:
                    - type: Container
                      default: {cpu: 500m, memory: 512Mi}
                      defaultRequest: {cpu: 100m, memory: 128Mi}
                      max: {cpu: "1", memory: 1Gi}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: app
                        - name: side
                          resources: {requests: {cpu: 200m, memory: 200Mi}, limits: {cpu: "1", memory: 1Gi}}
                """);
        Workload w = io.nodesizer.input.Inputs.read(List.of(p));
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 800, 0)),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "side", ramp(200, 1500, 0))));
        // app has no limit: the range's default (500m) is its limit at admission, so its 800m needs the limit raised,
        // which the max (1 CPU) allows; side's 1500m is above the max: capped at 1 CPU, as the VPA caps into the range
        // (QA 64a F13: side kept today's 200m).
        ContainerAdvice app = row(r, "app");
        assertThat(app.limitCpuMillis()).isEqualTo(500);
        assertThat(app.recommendedCpuMillis()).isEqualTo(800);
        assertThat(app.flags()).contains(ContainerAdvice.Flag.REQUEST_ABOVE_LIMIT).doesNotContain(ContainerAdvice.Flag.LIMIT_RANGE);
        assertThat(row(r, "side").flags()).doesNotContain(ContainerAdvice.Flag.LIMIT_RANGE);
        assertThat(row(r, "side").recommendedCpuMillis()).isEqualTo(1000);
        assertThat(r.warnings()).anyMatch(x -> x.startsWith("The recommended requests of shop/web container side are brought within")
                && x.contains("cpu 1500m → 1000m (the max of LimitRange shop/defaults)"));
        assertThat(r.warnings()).noneMatch(x -> x.contains("container app are brought within"));
        assertThat(r.warnings()).noneMatch(x -> x.contains("would not be admitted"));
        assertThat(r.after().groups().get(0).template().container("side").requests().cpuMillis()).isEqualTo(1000);
        assertThat(r.after().groups().get(0).template().container("app").requests().cpuMillis()).isEqualTo(800);
    }

    /**
     * A row's p50, p95 and max are of one pod, the busiest at the CPU percentile (QA 64a F21: each was the most over the pods,
     * so a flat 200m pod's median stood beside another pod's p95, reading as a flat 200m).
     */
    @Test
    void aRowsFiguresAreAllOfTheBusiestPod() throws IOException {
        Rightsizer.Result r = Rightsizer.run(manifests(WEB), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(300, 200, 0)),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-fghjk", null, "app", ramp(300, 1, 1))));
        UsageStats cpu = row(r, "app").cpu();
        // the ramp's pod: p95 = 1 + 0.95 × 299 = 285.05, above the flat pod's 200; its median 150.5, its max 300
        assertThat(cpu.target()).isCloseTo(285.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(cpu.p50()).isCloseTo(150.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(cpu.max()).isEqualTo(300);
        assertThat(cpu.series()).isEqualTo(2);
        assertThat(cpu.samples()).isEqualTo(600);
    }

    @Test
    void cpuIsTheBusiestPodsP95AndMemoryThePeakPlusHeadroomRoundedUp() throws IOException {
        // pod a: 1..100 m → R-7 p95 = 1 + 0.95 × 99 = 95.05 m; pod b: 0.5..50 m → 47.525 m. The busiest pod decides: 96m.
        Rightsizer.Result r = Rightsizer.run(manifests(WEB), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(100, 1, 1)),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-fghjk", null, "app", ramp(100, 0.5, 0.5)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(100, 100 * MIB, MIB)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-fghjk", null, "app", ramp(100, 300 * MIB, 0))));
        ContainerAdvice app = row(r, "app");
        assertThat(app.cpu().p95()).isCloseTo(95.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(app.cpu().p50()).isCloseTo(50.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(app.cpu().series()).isEqualTo(2);
        assertThat(app.cpu().samples()).isEqualTo(200);
        assertThat(app.recommendedCpuMillis()).isEqualTo(96);
        // peak 300 MiB × 1.15 = 345 MiB exactly
        assertThat(app.memory().max()).isEqualTo(300.0 * MIB);
        assertThat(app.recommendedMemoryBytes()).isEqualTo(345 * MIB);
        assertThat(app.flags()).isEmpty();
        assertThat(app.replicas()).isEqualTo(3);
    }

    @Test
    void theNewRequestsGoThroughTheSchedulersFormulaWithSidecarsAndInitContainers() throws IOException {
        Workload w = manifests(WEB);
        assertThat(w.groups().get(0).request()).isEqualTo(new Resources(3200, 2L * 1024 * MIB + 256 * MIB, 1, 0, 0));
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 100, 0)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 400 * MIB, 0)),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "envoy", ramp(200, 1, 0)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "envoy", ramp(200, 20 * MIB, 0))));
        assertThat(r.containers()).extracting(ContainerAdvice::container).containsExactly("app", "envoy"); // init containers keep theirs
        assertThat(row(r, "envoy").recommendedCpuMillis()).isEqualTo(10); // the floor
        assertThat(row(r, "envoy").recommendedMemoryBytes()).isEqualTo(100 * MIB);
        PodGroup after = r.after().groups().get(0);
        // Before: apps 1000m + envoy 200m; init: migrate 3000m + envoy (started before it) 200m = 3200m.
        // apps: app 100m + envoy 10m = 110m; init: migrate 3000m + envoy 10m = 3010m → CPU 3010m.
        // memory: app 460Mi + envoy 100Mi = 560Mi; init: 1Gi + 100Mi = 1124Mi → 1124Mi.
        assertThat(after.request()).isEqualTo(new Resources(3010, 1124 * MIB, 1, 0, 0));
        assertThat(after.template().container("migrate").requests().cpuMillis()).isEqualTo(3000);
        assertThat(r.before()).isSameAs(w);
    }

    @Test
    void tooLittleDataKeepsTheRequestAndNoUsageIsSaid() throws IOException {
        Rightsizer.Result r = Rightsizer.run(manifests(WEB + "---\n" + WEB.replace("name: web", "name: api")), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(50, 100, 0)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(500, 20 * MIB, 0))));
        ContainerAdvice app = r.containers().get(0);
        assertThat(app.flags()).contains(ContainerAdvice.Flag.LITTLE_DATA);
        assertThat(app.recommendedCpuMillis()).isEqualTo(1000);
        assertThat(app.recommendedMemoryBytes()).isEqualTo(100 * MIB); // memory had enough
        ContainerAdvice api = r.containers().stream().filter(a -> a.workload().name().equals("api") && a.container().equals("app"))
                .findFirst().orElseThrow();
        assertThat(api.flags()).containsExactly(ContainerAdvice.Flag.NO_USAGE);
        assertThat(api.recommendedCpuMillis()).isEqualTo(1000);
        assertThat(r.warnings()).anyMatch(w -> w.contains("no usage") && w.contains("shop/api"));
        // CPU samples and no memory sample at all, where the usage has memory samples of others: memory keeps its request,
        // and says so (QA 49a M3: no flag); a run given CPU usage alone flags nothing for the memory it was not given.
        Rightsizer.Result cpuOnly = Rightsizer.run(manifests(WEB + "---\n" + WEB.replace("name: web", "name: api")), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(500, 100, 0)),
                series(UsageMetric.MEMORY, "shop", "api-5d8f7c6b4-x2k9p", null, "app", ramp(500, 20 * MIB, 0))));
        assertThat(row(cpuOnly, "app").flags()).containsExactly(ContainerAdvice.Flag.LITTLE_DATA);
        assertThat(row(cpuOnly, "app").recommendedCpuMillis()).isNotEqualTo(1000);
        Rightsizer.Result cpuRun = Rightsizer.run(manifests(WEB), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(500, 100, 0))));
        assertThat(row(cpuRun, "app").flags()).isEmpty();
    }

    /**
     * CPU usage over 100 times a container's CPU limit (the CFS quota keeps it at the limit): on most limited containers the
     * unit is wrong and the run exits 2 (QA 49a M1); on a few their limits were not what they ran under, and a warning says
     * so (review 49: a stale or unenforced limit had failed the whole run).
     */
    @Test
    void cpuUsageFarAboveItsLimitIsAUnitErrorOnlyWhereMostContainersShowIt() throws IOException {
        Workload two = manifests(WEB + "---\n" + WEB.replace("name: web", "name: api"));
        Rightsizer.Result warned = Rightsizer.run(two, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 500, 0)),
                series(UsageMetric.CPU, "shop", "api-5d8f7c6b4-x2k9p", null, "app", ramp(200, 400_000, 0))));
        assertThat(warned.warnings()).anyMatch(w -> w.startsWith("1 container uses over 100 times its CPU limit (shop/api container app "
                + "uses 400 cores"));
        assertThatThrownBy(() -> Rightsizer.run(manifests(WEB), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 400_000, 0)))))
                .isInstanceOf(io.nodesizer.input.InputException.class)
                .hasMessageStartingWith("t: 1 of the 1 containers with a CPU limit use over 100 times it").hasMessageContaining(
                        "series {namespace=shop, pod=web-5d8f7c6b4-x2k9p, container=app}").hasMessageContaining("in millicores");
    }

    /** A working set above the memory limit cannot have run under it: a warning names the container (QA 51c F6). */
    @Test
    void aMemoryPeakAboveTheLimitIsWarnedOf() throws IOException {
        Workload web = manifests(WEB);
        Rightsizer.Result above = Rightsizer.run(web, null, KRR, feed(
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 8.0 * (1L << 30), 0))));
        assertThat(above.warnings()).anyMatch(w -> w.startsWith("1 container's memory peak is above its memory limit (shop/web container app: ")
                && w.contains("which a working set cannot pass"));
        Rightsizer.Result within = Rightsizer.run(web, null, KRR, feed(
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 256.0 * (1L << 20), 0))));
        assertThat(within.warnings()).noneMatch(w -> w.contains("above its memory limit"));
    }

    /** CPU above its limit (under 100 times it) cannot have run under it: a warning names the container (QA 51c F2). */
    @Test
    void cpuAboveTheLimitIsWarnedOf() throws IOException {
        Workload web = manifests(WEB);
        Rightsizer.Result above = Rightsizer.run(web, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 8000, 0))));
        assertThat(above.warnings()).anyMatch(w -> w.startsWith("1 container's CPU usage is above its CPU limit (shop/web container app: 8 against 2 CPU)")
                && w.contains("millicores written as cores"));
        Rightsizer.Result within = Rightsizer.run(web, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1900, 0))));
        assertThat(within.warnings()).noneMatch(w -> w.contains("above its CPU limit"));
    }

    @Test
    void theLargestPeakAtTheLargestHeadroomIsCappedNotAnOverflow() throws IOException {
        // 1e18 bytes is the most a sample may be; x 11 (1000 % headroom) is beyond a long.
        RightsizeSettings most = new RightsizeSettings(95, 1000, 10, 100L << 20, 100, 3 * 3600);
        Rightsizer.Result r = Rightsizer.run(manifests(WEB), null, most, feed(
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1e18, 0))));
        assertThat(row(r, "app").recommendedMemoryBytes()).isEqualTo(Rightsizer.MAX_MEMORY_REQUEST);
    }

    @Test
    void overUseNearLimitsAndMissingRequestsAreFlagged() throws IOException {
        Rightsizer.Result r = Rightsizer.run(manifests(WEB + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker, namespace: shop}
                spec:
                  selector: {matchLabels: {app: worker}}
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                        - name: worker
                """), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1900, 0)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1900 * MIB, 0)),
                series(UsageMetric.CPU, "shop", "worker-7f9c8d6b5-qwxz2", null, "worker", ramp(200, 300, 0))));
        ContainerAdvice app = row(r, "app");
        // 1900Mi is under the 2Gi request but at 93 % of the 2Gi limit; 1900m is above the 1-core request and near the 2-core limit.
        assertThat(app.flags()).containsExactly(ContainerAdvice.Flag.CPU_ABOVE_REQUEST, ContainerAdvice.Flag.CPU_NEAR_LIMIT, ContainerAdvice.Flag.MEMORY_NEAR_LIMIT, ContainerAdvice.Flag.REQUEST_ABOVE_LIMIT);
        ContainerAdvice worker = row(r, "worker");
        // no memory sample: memory keeps what it asks (nothing), for too little data
        assertThat(worker.flags()).containsExactly(ContainerAdvice.Flag.LITTLE_DATA, ContainerAdvice.Flag.NO_CPU_REQUEST,
                ContainerAdvice.Flag.NO_MEMORY_REQUEST);
        assertThat(worker.requestCpuMillis()).isNull();
        assertThat(worker.recommendedCpuMillis()).isEqualTo(300);
        assertThat(worker.recommendedMemoryBytes()).isNull(); // no memory usage and no request: stays without one
        assertThat(r.after().groups().get(1).request().cpuMillis()).isEqualTo(300);
    }

    @Test
    void podsAreMatchedByTheControllersNamingRulesLongestNameFirst() throws IOException {
        Workload w = manifests(WEB + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-api, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web-api}}
                  template: {metadata: {labels: {app: web-api}}, spec: {containers: [{name: app, resources: {requests: {cpu: 100m}}}]}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop}
                spec:
                  selector: {matchLabels: {app: db}}
                  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: pg, resources: {requests: {cpu: 100m}}}]}}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, resources: {requests: {cpu: 100m}}}]}}}}
                """);
        WorkloadIndex index = WorkloadIndex.of(w, null);
        assertThat(index.byPod("shop", "web-5d8f7c6b4-x2k9p")).isEqualTo(new WorkloadId("shop", "web"));
        assertThat(index.byPod("shop", "web-api-5d8f7c6b4-x2k9p")).isEqualTo(new WorkloadId("shop", "web-api"));
        assertThat(index.byPod("shop", "db-0")).isEqualTo(new WorkloadId("shop", "db"));
        assertThat(index.byPod("shop", "db-x")).isNull();
        assertThat(index.byPod("shop", "report-29400000-x2k9p")).isEqualTo(new WorkloadId("shop", "report"));
        assertThat(index.byPod("other", "web-5d8f7c6b4-x2k9p")).isNull();
        assertThat(index.byPod("shop", "web-x2k9p")).isNull(); // a Deployment's pods carry the template hash too
        // Kubernetes' generated parts have no vowels (apimachinery util/rand): a DaemonSet or a Helm hook Job
        // named web-agent or web-migrate is not Deployment web's.
        assertThat(index.byPod("shop", "web-agent-x7k2p")).isNull();
        assertThat(index.byPod("shop", "web-migrate-x7k2p")).isNull();
        assertThat(index.byPod("shop", "web-5d8f7c6b4-x7k2a")).isNull();
        assertThat(index.byPod("shop", "web-2035384211-x7k2p")).isEqualTo(new WorkloadId("shop", "web")); // Kubernetes < 1.8: a decimal hash
    }

    @Test
    void podsOfLongNamesAreMatchedThoughTheirGeneratedNameWasCutTo58() throws IOException {
        String deployment = "checkout-service-payment-reconciliation-worker-eu"; // 49 characters
        String daemonSet = "node-local-dns-cache-metrics-exporter-with-a-very-long-name-x"; // 61
        String cron = "nightly-ledger-reconciliation-report-for-emea-region"; // 52, the most a CronJob may have
        Workload w = manifests("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: w1}}
                  template: {metadata: {labels: {app: w1}}, spec: {containers: [{name: app, resources: {requests: {cpu: 100m}}}]}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: w2}}
                  template: {metadata: {labels: {app: w2}}, spec: {containers: [{name: app, resources: {requests: {cpu: 100m}}}]}}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: %s, namespace: shop}
                spec:
                  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, resources: {requests: {cpu: 100m}}}]}}}}
                """.formatted(deployment, daemonSet, cron));
        WorkloadIndex index = WorkloadIndex.of(w, null);
        // The apiserver cuts generateName to 58 characters, then adds 5: <name>-<hash>- loses the end of its hash.
        String pod = (deployment + "-7d9fbb5c8f-").substring(0, 58) + "x2k9p";
        assertThat(pod).hasSize(63).endsWith("-7d9fbb5cx2k9p");
        assertThat(index.byPod("shop", pod)).isEqualTo(new WorkloadId("shop", deployment));
        assertThat(index.byPod("shop", daemonSet.substring(0, 58) + "q7wzt")).isEqualTo(new WorkloadId("shop", daemonSet));
        String job = cron + "-29409120-";
        assertThat(index.byPod("shop", job.substring(0, 58) + "tx8sd")).isEqualTo(new WorkloadId("shop", cron));
        assertThat(index.byPod("shop", (deployment + "-7d9fbb5c8f-").substring(0, 58) + "x2k9")).isNull(); // 62: not a generated name
        assertThat(index.byPod("other", pod)).isNull();
    }

    @Test
    void seriesNoWorkloadClaimsAreWarnedAboutNotUsed() throws IOException {
        Rightsizer.Result r = Rightsizer.run(manifests(WEB), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "legacy-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1, 0)),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "sidecar-x", ramp(200, 1, 0))));
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("1 usage series matches no workload") && w.contains("shop/legacy-5d8f7c6b4-x2k9p"));
        assertThat(r.warnings()).anyMatch(w -> w.contains("containers the workloads do not have") && w.contains("sidecar-x"));
        assertThat(r.seriesRead()).isEqualTo(2);
        // A series no workload claims, in two pieces (an export split by time), is one series in the count and the warning (QA 76a F3).
        UsageSeries legacy = series(UsageMetric.CPU, "shop", "legacy-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1, 0));
        SampleBuffer later = new SampleBuffer();
        later.add(1e6, 1);
        Rightsizer.Result split = Rightsizer.run(manifests(WEB), null, KRR, feed(legacy, new UsageSeries(UsageMetric.CPU, "shop",
                "legacy-5d8f7c6b4-x2k9p", null, "app", later, SourceLocation.ofFile("t2")),
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 1, 0))));
        assertThat(split.seriesRead()).isEqualTo(2);
        assertThat(split.warnings()).anyMatch(w -> w.startsWith("1 usage series matches no workload"));
    }

    private static final String UNLIMITED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: NAME, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: NAME}}
              template:
                metadata: {labels: {app: NAME}}
                spec:
                  containers:
                    - name: app
                      resources: {requests: {cpu: "1", memory: 1Gi}}
            """;

    /** Three Deployments, requests 1 CPU and no CPU limit, each running at {@code millis} (as read). */
    private Rightsizer.Result unlimitedAt(double millis, boolean unitStated) throws IOException {
        List<UsageSeries> all = new ArrayList<>();
        StringBuilder yaml = new StringBuilder();
        for (String name : List.of("a", "b", "c")) {
            yaml.append(yaml.isEmpty() ? "" : "---\n").append(UNLIMITED.replace("NAME", name));
            UsageSeries s = series(UsageMetric.CPU, "shop", name + "-5d8f7c6b4-x2k9p", null, "app", ramp(200, millis, 0));
            all.add(new UsageSeries(s.metric(), s.namespace(), s.pod(), null, s.container(), s.samples(), s.at(), unitStated));
        }
        return Rightsizer.run(manifests(yaml.toString()), null, KRR, feed(all.toArray(UsageSeries[]::new)));
    }

    /**
     * QA 76a F1: an over-provisioned cluster (40m used of a 1-CPU request) exported in percent of a core reads 4 cores, in
     * millicores 40; neither is 100 times the request at 16 cores, and without limits nothing else caught it. Most containers
     * without a limit far above their requests is warned of, naming the units; a file that states its unit is not.
     */
    @Test
    void cpuFarAboveTheRequestsOnMostContainersWithoutLimitsIsWarnedOfAsAUnit() throws IOException {
        assertThat(unlimitedAt(40, false).warnings()).noneMatch(w -> w.contains("percent of a core"));
        for (double read : new double[] {4_000, 40_000}) {
            assertThat(unlimitedAt(read, false).warnings()).as("read %s m", read).anyMatch(w -> w.startsWith("3 of the 3 containers "
                    + "without a CPU limit use over 3 times their CPU request") && w.contains("percent of a core") && w.contains("millicores"));
            assertThat(unlimitedAt(read, true).warnings()).noneMatch(w -> w.contains("percent of a core"));
        }
    }

    /** QA 76a F5: one workload is named; many are counted, with the first few (a warning of 7,226 characters on 359). */
    @Test
    void theGuaranteedWarningCountsTheWorkloadsAndNamesAFew() throws IOException {
        String guaranteed = UNLIMITED.replace("resources: {requests: {cpu: \"1\", memory: 1Gi}}",
                "resources: {requests: {cpu: \"1\", memory: 1Gi}, limits: {cpu: \"1\", memory: 1Gi}}");
        StringBuilder yaml = new StringBuilder();
        List<UsageSeries> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            yaml.append(yaml.isEmpty() ? "" : "---\n").append(guaranteed.replace("NAME", "svc" + i));
            all.add(series(UsageMetric.CPU, "shop", "svc" + i + "-5d8f7c6b4-x2k9p", null, "app", ramp(200, 100, 0)));
        }
        Rightsizer.Result r = Rightsizer.run(manifests(yaml.toString()), null, KRR, feed(all.toArray(UsageSeries[]::new)));
        assertThat(r.warnings()).filteredOn(w -> w.contains("Guaranteed")).singleElement().asString()
                .startsWith("The pods of 30 workloads (shop/svc0, shop/svc1,").contains("and 20 more) are each Guaranteed")
                .contains("Their rows are flagged guaranteed.").hasSizeLessThan(800);
        Rightsizer.Result one = Rightsizer.run(manifests(guaranteed.replace("NAME", "svc0")), null, KRR, feed(all.get(0)));
        assertThat(one.warnings()).anyMatch(w -> w.startsWith("The pods of shop/svc0 are Guaranteed"));
    }

    /** QA 76a F7: a floor that is not a whole MiB is rounded up, as the requests are: the row, the method and the patch agree. */
    @Test
    void aMemoryFloorIsAWholeMib() throws IOException {
        RightsizeSettings s = new RightsizeSettings(95, 15, 10, 1000 * MIB + MIB / 2, 100, 3 * 3600);
        assertThat(s.minMemoryBytes()).isEqualTo(1001 * MIB);
        Rightsizer.Result r = Rightsizer.run(manifests(UNLIMITED.replace("NAME", "a")), null, s, feed(
                series(UsageMetric.MEMORY, "shop", "a-5d8f7c6b4-x2k9p", null, "app", ramp(200, 10 * MIB, 0))));
        assertThat(row(r, "app").recommendedMemoryBytes()).isEqualTo(1001 * MIB);
    }

    @Test
    void aCsvProfileRowIsOneContainerWhenTheUsageNamesOne() {
        Workload w = Workload.of(List.of(new PodGroup("api", "csv", new Resources(1000, 1024 * MIB, 1, 0, 0), 4, false, null,
                new SourceRef("p.csv", 2))));
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "default", null, "api", "main", ramp(200, 250, 0)),
                series(UsageMetric.MEMORY, "default", null, "api", "main", ramp(200, 200 * MIB, 0))));
        assertThat(r.containers()).singleElement().satisfies(a -> {
            assertThat(a.container()).isEqualTo("main");
            assertThat(a.recommendedCpuMillis()).isEqualTo(250);
            assertThat(a.recommendedMemoryBytes()).isEqualTo(230 * MIB);
        });
        assertThat(r.after().groups().get(0).request()).isEqualTo(new Resources(250, 230 * MIB, 1, 0, 0));
        Rightsizer.Result two = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "default", null, "api", "main", ramp(200, 250, 0)),
                series(UsageMetric.CPU, "default", null, "api", "log", ramp(200, 20, 0))));
        assertThat(two.after().groups().get(0).request()).isEqualTo(w.groups().get(0).request());
        assertThat(two.warnings()).anyMatch(x -> x.contains("usage names containers log, main"));
        assertThat(two.warnings()).noneMatch(x -> x.contains("no usage")); // it has usage; the warning above says why it is not used
    }

    @Test
    void daemonSetsAreRightsizedPerNodeAndTheirNewRequestGoesToEveryNode() throws IOException {
        Workload w = manifests(WEB + """
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: ops}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers:
                        - name: agent
                          resources: {requests: {cpu: 500m, memory: 512Mi}}
                """);
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "ops", "agent-x7k2p", null, "agent", ramp(200, 40, 0)),
                series(UsageMetric.MEMORY, "ops", "agent-x7k2p", null, "agent", ramp(200, 200 * MIB, 0))));
        ContainerAdvice agent = row(r, "agent");
        assertThat(agent.perNode()).isTrue();
        assertThat(agent.recommendedCpuMillis()).isEqualTo(40);
        assertThat(r.after().daemonSets().get(0).request()).isEqualTo(new Resources(40, 230 * MIB, 1, 0, 0));
        assertThat(r.before().daemonSets().get(0).request().cpuMillis()).isEqualTo(500);
    }

    @Test
    void aRolloutsOtherTemplateKeepsItsOwnRequestWhereUsageDecidesNothing() {
        io.nodesizer.model.PodTemplate small = template(100, 256 * MIB);
        io.nodesizer.model.PodTemplate big = template(2000, 4096 * MIB);
        Workload w = Workload.of(List.of(
                new PodGroup("shop/web", "Deployment", small.effectiveRequest(), 3, false, null, new SourceRef("s", 1), List.of(), small),
                new PodGroup("shop/web~2", "Deployment", big.effectiveRequest(), 2, false, null, new SourceRef("s", 2), List.of(), big)));
        // Too few CPU samples to decide; enough memory samples.
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(10, 50, 0)),
                series(UsageMetric.MEMORY, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 300 * MIB, 0))));
        assertThat(r.after().groups().get(0).request().cpuMillis()).isEqualTo(100);
        assertThat(r.after().groups().get(1).request().cpuMillis()).isEqualTo(2000); // not the first template's 100m
        assertThat(r.after().groups().get(0).request().memoryBytes()).isEqualTo(345 * MIB);
        assertThat(r.after().groups().get(1).request().memoryBytes()).isEqualTo(345 * MIB); // usage decided memory for both
    }

    private static io.nodesizer.model.PodTemplate template(long cpu, long memory) {
        return new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container("app",
                io.nodesizer.model.PodTemplate.Role.APP, new Resources(cpu, memory, 0, 0, 0), Resources.ZERO, true, true)), Resources.ZERO);
    }

    @Test
    void aCsvProfileRowMatchesPodsByAnyControllersNaming() {
        Workload w = Workload.of(List.of(new PodGroup("cart", "csv", new Resources(500, 512 * MIB, 1, 0, 0), 4, false, null,
                new SourceRef("p.csv", 2))));
        WorkloadIndex index = WorkloadIndex.of(w, null);
        assertThat(index.byPod("default", "cart-hfxx2jpfw5-dxczj")).isEqualTo(new WorkloadId("default", "cart"));
        assertThat(index.byPod("default", "cart-0")).isEqualTo(new WorkloadId("default", "cart"));
        assertThat(index.byPod("default", "carts-0")).isNull();
    }

    @Test
    void aWorkloadAnHpaScalesOnCpuUtilisationIsFlagged() throws IOException {
        Workload w = manifests(WEB + """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web-hpa, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """);
        assertThat(w.autoscalers()).singleElement().satisfies(h -> assertThat(h.utilization()).containsExactly("cpu"));
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 100, 0))));
        assertThat(row(r, "app").flags()).contains(ContainerAdvice.Flag.HPA);
        assertThat(row(r, "envoy").flags()).doesNotContain(ContainerAdvice.Flag.HPA); // its request does not change
        assertThat(r.warnings()).anyMatch(x -> x.contains("HorizontalPodAutoscaler") && x.contains("shop/web (HPA web-hpa on cpu)"));
    }

    @Test
    void objectsOfDifferentKindsSharingANameGetTheirOwnUsage() throws IOException {
        // A Deployment and a StatefulSet "web" are read as web[Deployment] and web[StatefulSet];
        // usage names them "web" (by pod or by workload label): each gets its own, by its pods'
        // naming or its containers, and the HPA on the Deployment flags that one only.
        Path p = dir.resolve("kinds.yaml");
        Files.writeString(p, WEB + """
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: db, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web-hpa, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """);
        Workload w = io.nodesizer.input.Inputs.read(List.of(p));
        assertThat(w.groups()).extracting(PodGroup::name).containsExactlyInAnyOrder("shop/web[Deployment]", "shop/web[StatefulSet]");
        Rightsizer.Result r = Rightsizer.run(w, null, KRR, feed(
                series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9p", null, "app", ramp(200, 100, 0)),
                series(UsageMetric.CPU, "shop", "web-0", null, "db", ramp(200, 200, 0)),
                series(UsageMetric.MEMORY, "shop", null, "web", "db", ramp(200, 300 * MIB, 0))));
        assertThat(r.warnings()).noneMatch(x -> x.contains("match no workload") || x.contains("have no usage"));
        ContainerAdvice app = row(r, "app");
        ContainerAdvice db = row(r, "db");
        assertThat(app.workload().objectName()).isEqualTo("web");
        assertThat(app.recommendedCpuMillis()).isEqualTo(100);
        assertThat(db.recommendedCpuMillis()).isEqualTo(200);
        assertThat(db.recommendedMemoryBytes()).isEqualTo(345 * MIB);
        assertThat(app.flags()).contains(ContainerAdvice.Flag.HPA);
        assertThat(db.flags()).doesNotContain(ContainerAdvice.Flag.HPA);
    }

    @Test
    void theResultDoesNotDependOnTheOrderSeriesArriveIn() throws IOException {
        List<UsageSeries> all = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int pod = 0; pod < 4; pod++) {
            double[] v = new double[300];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextDouble() * 1000;
            }
            // Pod names as a ReplicaSet's pods are named ("pod0x" was none, so no series was used: QA 64a F15's check found it).
            all.add(series(UsageMetric.CPU, "shop", "web-5d8f7c6b4-x2k9" + "bcdf".charAt(pod), null, "app", v));
        }
        Workload w = manifests(WEB);
        Rightsizer.Result a = Rightsizer.run(w, null, KRR, feed(all.toArray(UsageSeries[]::new)));
        java.util.Collections.reverse(all);
        Rightsizer.Result b = Rightsizer.run(w, null, KRR, feed(all.toArray(UsageSeries[]::new)));
        assertThat(b.containers()).isEqualTo(a.containers());
        assertThat(row(a, "app").cpu().series()).isEqualTo(4);
    }

    @Test
    void podLevelRequestsFollowTheContainersWhenUsageDecidesThemAll() throws IOException {
        // The scheduler counts spec.resources in place of the containers' requests: the packing after must
        // take the advice there too, or a pod-level-only workload would show no saving at all.
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      resources:
                        requests: {cpu: "2", memory: 4Gi}
                      containers:
                        - {name: app}
                        - {name: proxy}
                """;
        double[] appCpu = ramp(200, 300, 0);
        double[] proxyCpu = ramp(200, 50, 0);
        double[] appMem = ramp(200, 600.0 * MIB, 0);
        double[] proxyMem = ramp(200, 100.0 * MIB, 0);
        Rightsizer.Result r = Rightsizer.run(manifests(yaml), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "api-5d8f7c6b4-x2k9p", null, "app", appCpu),
                series(UsageMetric.CPU, "shop", "api-5d8f7c6b4-x2k9p", null, "proxy", proxyCpu),
                series(UsageMetric.MEMORY, "shop", "api-5d8f7c6b4-x2k9p", null, "app", appMem),
                series(UsageMetric.MEMORY, "shop", "api-5d8f7c6b4-x2k9p", null, "proxy", proxyMem)));
        assertThat(r.before().groups().get(0).request().cpuMillis()).isEqualTo(2000);
        var after = r.after().groups().get(0).request();
        assertThat(after.cpuMillis()).isEqualTo(row(r, "app").recommendedCpuMillis() + row(r, "proxy").recommendedCpuMillis());
        assertThat(after.memoryBytes()).isEqualTo(row(r, "app").recommendedMemoryBytes() + row(r, "proxy").recommendedMemoryBytes());
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("shop/api sets pod-level requests (spec.resources)") && w.contains("cpu 2000m -> 350m"));

        // Only the app has usage: the proxy's share is unknown, so the pod-level requests stay.
        Rightsizer.Result partial = Rightsizer.run(manifests(yaml), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "api-5d8f7c6b4-x2k9p", null, "app", appCpu),
                series(UsageMetric.MEMORY, "shop", "api-5d8f7c6b4-x2k9p", null, "app", appMem)));
        assertThat(partial.after().groups().get(0).request().cpuMillis()).isEqualTo(2000);
        assertThat(partial.after().groups().get(0).request().memoryBytes()).isEqualTo(4L << 30);
        // ... unless the advice takes the containers above it: the API server refuses a pod-level request below theirs.
        Rightsizer.Result above = Rightsizer.run(manifests(yaml), null, KRR, feed(
                series(UsageMetric.CPU, "shop", "api-5d8f7c6b4-x2k9p", null, "app", ramp(200, 2500, 0))));
        assertThat(above.after().groups().get(0).request().cpuMillis()).isEqualTo(row(above, "app").recommendedCpuMillis()).isGreaterThan(2000);
    }

    @Test
    void podsOfIndexedJobsMatchTheirJob() throws IOException {
        // completionMode: Indexed names each pod <job>-<index>-<5> (job controller podGenerateNameWithIndex); a CronJob's
        // indexed Job's pods <cronjob>-<minute>-<index>-<5>. Before, they matched no workload.
        Workload w = manifests("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: train, namespace: ml}
                spec:
                  completionMode: Indexed
                  completions: 4
                  parallelism: 4
                  template: {spec: {restartPolicy: Never, containers: [{name: t, resources: {requests: {cpu: "2"}}}]}}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly, namespace: ml}
                spec:
                  jobTemplate: {spec: {completionMode: Indexed, completions: 1, template: {spec: {restartPolicy: Never, containers: [{name: r, resources: {requests: {cpu: 1}}}]}}}}
                """);
        WorkloadIndex index = WorkloadIndex.of(w, null);
        assertThat(index.byPod("ml", "train-3-x2k9p")).isEqualTo(new WorkloadId("ml", "train"));
        assertThat(index.byPod("ml", "train-x2k9p")).isEqualTo(new WorkloadId("ml", "train"));
        assertThat(index.byPod("ml", "nightly-29409120-0-tx8sd")).isEqualTo(new WorkloadId("ml", "nightly"));
        assertThat(index.byPod("ml", "train-3-x2k9")).isNull();
    }
}
