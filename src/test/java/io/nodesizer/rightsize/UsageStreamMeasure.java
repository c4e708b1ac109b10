package io.nodesizer.rightsize;

import io.nodesizer.input.usage.PrometheusMatrixReader;
import io.nodesizer.input.usage.UsageCsvReader;
import io.nodesizer.input.usage.UsageMetric;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.PodTemplate;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Streams synthetic usage through the readers and the rightsizer without a file on disk:
 * {@code containers} StatefulSets of one pod and one container each, {@code days} of samples every
 * {@code step} seconds, as Prometheus JSON (a CPU and a memory response) or as one time-sorted CSV.
 * Run it in a JVM with a bounded heap to show the memory a month of usage needs:
 * <pre>
 * java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.nodesizer.rightsize.UsageStreamMeasure prometheus 10000 30 300
 * </pre>
 * Prints the samples read, the seconds taken and the most heap seen in use (sampled every 10 ms).
 */
public final class UsageStreamMeasure {
    private UsageStreamMeasure() {
    }

    public static void main(String[] args) throws Exception {
        String format = args[0];
        int containers = Integer.parseInt(args[1]);
        int days = Integer.parseInt(args[2]);
        int step = Integer.parseInt(args[3]);
        int samples = days * 86400 / step;
        long[] peak = {0};
        Thread watcher = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        long start = System.nanoTime();
        Rightsizer.Result r = run(format, containers, samples, step);
        double seconds = (System.nanoTime() - start) / 1e9;
        watcher.interrupt();
        long advised = r.containers().stream().filter(a -> a.recommendedCpuMillis() != null && a.cpu() != null).count();
        System.out.printf(Locale.ROOT, "%s: %d containers × %d samples × 2 metrics = %,d samples in %.1f s; %d containers advised; "
                        + "most heap in use %,d MiB (max heap %,d MiB)%n", format, containers, samples, 2L * containers * samples, seconds,
                advised, peak[0] >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (advised != containers) {
            throw new AssertionError("expected every container advised, got " + advised);
        }
    }

    static Rightsizer.Result run(String format, int containers, int samples, int step) {
        return Rightsizer.run(workload(containers), null, RightsizeSettings.KRR_SIMPLE, sink -> {
            if (format.equals("csv")) {
                UsageCsvReader.read(new InputStreamReader(new Generated(containers, samples, step, null), StandardCharsets.UTF_8), "usage.csv", sink);
            } else {
                PrometheusMatrixReader.read(new Generated(containers, samples, step, UsageMetric.CPU), "cpu.json", UsageMetric.CPU, sink);
                PrometheusMatrixReader.read(new Generated(containers, samples, step, UsageMetric.MEMORY), "memory.json", UsageMetric.MEMORY, sink);
            }
        });
    }

    static Workload workload(int containers) {
        List<PodGroup> groups = new ArrayList<>(containers);
        for (int i = 0; i < containers; i++) {
            PodTemplate t = new PodTemplate(List.of(new PodTemplate.Container("app", PodTemplate.Role.APP,
                    new Resources(500, 512L << 20, 0, 0, 0), Resources.ZERO, true, true)), Resources.ZERO);
            groups.add(new PodGroup("bench/w" + i, "StatefulSet", t.effectiveRequest(), 1, false, null, new SourceRef("gen", 1), List.of(), t));
        }
        return Workload.of(groups);
    }

    /** The text of a usage file, made as it is read: one series (JSON) or one timestamp (CSV) at a time. */
    static final class Generated extends InputStream {
        private final int containers;
        private final int samples;
        private final int step;
        private final UsageMetric metric;
        private byte[] chunk = new byte[0];
        private int pos;
        private int next;
        private boolean done;

        Generated(int containers, int samples, int step, UsageMetric metric) {
            this.containers = containers;
            this.samples = samples;
            this.step = step;
            this.metric = metric;
        }

        /** A cheap deterministic value per container and sample. */
        private static long mix(long a, long b) {
            long x = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL;
            x ^= x >>> 31;
            x *= 0xBF58476D1CE4E5B9L;
            return x ^ (x >>> 29);
        }

        private boolean refill() {
            if (done) {
                return false;
            }
            StringBuilder sb = new StringBuilder(1 << 16);
            long t0 = 1_700_000_000L;
            if (metric == null) {
                if (next == 0) {
                    sb.append("timestamp,namespace,workload,container,cpu,memory\n");
                }
                long t = t0 + (long) next * step;
                for (int c = 0; c < containers; c++) {
                    long h = mix(c, next);
                    sb.append(t).append(",bench,w").append(c).append(",app,").append((h & 0xFFFF) / 65536.0 * 2).append(',')
                            .append((256L << 20) + ((h >>> 16) & 0xFFFFFFFL)).append('\n');
                }
                done = ++next == samples;
            } else {
                if (next == 0) {
                    sb.append("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
                }
                int c = next;
                sb.append(c == 0 ? "" : ",").append("{\"metric\":{\"namespace\":\"bench\",\"pod\":\"w").append(c)
                        .append("-0\",\"container\":\"app\"},\"values\":[");
                for (int i = 0; i < samples; i++) {
                    long h = mix(c, i);
                    sb.append(i == 0 ? "[" : ",[").append(t0 + (long) i * step).append(",\"");
                    if (metric == UsageMetric.CPU) {
                        sb.append((h & 0xFFFF) / 65536.0 * 2);
                    } else {
                        sb.append((256L << 20) + ((h >>> 16) & 0xFFFFFFFL));
                    }
                    sb.append("\"]");
                }
                sb.append("]}");
                if (++next == containers) {
                    sb.append("]}}");
                    done = true;
                }
            }
            chunk = sb.toString().getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            return chunk[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == chunk.length && !refill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
