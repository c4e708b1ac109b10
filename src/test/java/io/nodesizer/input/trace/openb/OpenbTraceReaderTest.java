package io.nodesizer.input.trace.openb;

import io.nodesizer.input.InputException;
import io.nodesizer.input.InputFormat;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class OpenbTraceReaderTest {
    private static final String HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";

    @TempDir
    Path dir;

    @Test
    void mapsColumnsWithTheirUnits() throws Exception {
        Path f = dir.resolve("openb_pod_list_x.csv");
        Files.writeString(f, HEADER
                + "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0\n"
                + "openb-pod-0001,6000,12288,1,460,V100M16|V100M32,LS,Running,427061,,427061\n"
                + "openb-pod-0002,88000,327680,8,1000,,BE,Failed,5,9,5\n"
                + "openb-pod-0003,4000,8192,0,0,,BE,Succeeded,7,8,7\n");
        assertThat(InputFormat.detect(f, "t.csv")).isEqualTo(InputFormat.OPENB);
        Workload w = new OpenbTraceReader().read(f, "t.csv");
        PodGroup shared = w.groups().get(1);
        assertThat(shared.request().cpuMillis()).isEqualTo(6000);
        assertThat(shared.request().memoryBytes()).isEqualTo(12288L << 20);
        assertThat(shared.request().gpuMillis()).isEqualTo(460);          // a share of one GPU
        assertThat(shared.lifetime().departureSeconds()).isNull();        // still running at the end
        assertThat(shared.podName(0)).isEqualTo("openb-pod-0001");
        assertThat(w.groups().get(2).request().gpuMillis()).isEqualTo(8000);
        assertThat(w.groups().get(3).request().gpuMillis()).isZero();
        assertThat(w.groups().get(0).lifetime().departureSeconds()).isEqualTo(12537496L);
        assertThat(shared.gpuModels()).containsExactly("V100M16", "V100M32"); // gpu_spec
        assertThat(w.groups().get(0).gpuModels()).isEmpty();
    }

    @Test
    void aGpuSpecOnAPodWithoutGpusIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, HEADER + "p,12000,16,0,0,T4,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:2: The gpu_spec of p (T4) names GPU models, but the pod asks for no GPU (num_gpu 0).");
    }

    /** QA 61c F2: "|" read as no model (any GPU) and "T4|" as T4; an empty model between the bars is a typo. */
    @Test
    void aGpuSpecWithAnEmptyModelIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        for (String spec : java.util.List.of("|", "T4|", "|T4", "T4||V100")) {
            Files.writeString(f, HEADER + "p,12000,16,1,1000," + spec + ",LS,Running,0,1,0\n");
            assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).as(spec).isInstanceOf(InputException.class)
                    .hasMessageStartingWith("t.csv:2: The gpu_spec of p (" + spec + ") has an empty model");
        }
    }

    /**
     * QA 77c F2: a missing gpu_spec written as pandas' na_rep or R writes it (nan, NA) was read as a GPU model no shape has,
     * so every pod free to run on any GPU was unschedulable everywhere, under a warning naming the model NAN.
     */
    @Test
    void aGpuSpecWrittenAsAMissingValueIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        for (String spec : List.of("nan", "NaN", "NA", "None", "null", "<NA>")) {
            Files.writeString(f, HEADER + "p,12000,16,1,1000," + spec + ",LS,Running,0,1,0\n");
            assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).as(spec).isInstanceOf(InputException.class)
                    .hasMessage("t.csv:2: The gpu_spec of p (" + spec + ") is how a missing value is written (pandas, R), not a GPU model: "
                            + "leave the cell empty for a pod that may run on any GPU.");
        }
        // On a pod without GPUs too, where it read as a model the pod does not use ("names GPU models, but the pod asks for no GPU").
        Files.writeString(f, HEADER + "p,12000,16,0,0,nan,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessageContaining("(nan) is how a missing value is written");
        Files.writeString(f, HEADER + "p,12000,16,1,1000,NAVI,LS,Running,0,1,0\n"); // a model's name is still one
        assertThat(new OpenbTraceReader().read(f, "t.csv").groups().get(0).gpuModels()).containsExactly("NAVI");
    }

    /** QA 77c F1: a column given twice was read from its first copy, the second ignored without a word. */
    @Test
    void aColumnGivenTwiceIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,cpu_milli\np,1000,1024,1,500,2000\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:1: The column 'cpu_milli' appears twice in the header (columns 2 and 6): keep the one meant.");
        // A column no reader reads may repeat (an export's two note columns): nothing is read from either.
        Files.writeString(f, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,note,note\np,1000,1024,1,500,a,b\n");
        assertThat(new OpenbTraceReader().read(f, "t.csv").groups()).hasSize(1);
    }

    /** QA 68c F11: "V100M16,V100M32" was one model no shape has; the trace separates them with '|'. */
    @Test
    void aGpuSpecWithACommaOrSemicolonIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, HEADER + "p,12000,16,1,1000,\"V100M16,V100M32\",LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:2: The gpu_spec of p (V100M16,V100M32) has a ',' between models; separate models with '|': "
                        + "V100M16|V100M32.");
        Files.writeString(f, HEADER + "p,12000,16,1,1000,T4; P100|A10,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:2: The gpu_spec of p (T4; P100|A10) has a ';' between models; separate models with '|': T4|P100|A10.");
    }

    /**
     * QA 68c F3: a scheduled_time that is no time was dropped in silence, the pod then counted as never started; it exits 2 as
     * the other times do. An empty one is a pod the traced cluster never started; one outside the pod's life is read as given.
     */
    @Test
    void anUnreadableScheduledTimeIsAnError() throws Exception {
        Path f = dir.resolve("t.csv");
        for (String bad : List.of("2023-01-01T00:59:00Z", "abc", "-3", "1.5")) {
            Files.writeString(f, HEADER + "p,4000,1024,0,0,,LS,Running,0,7200," + bad + "\n");
            assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).as(bad).isInstanceOf(InputException.class)
                    .hasMessage("t.csv:2: The scheduled_time of p (" + bad + ") must be a whole number of seconds from the trace's start, "
                            + "0 to 10000000000 (about 317 years, the longest run a replay takes: --duration's limit).");
        }
        Files.writeString(f, HEADER + "p,4000,1024,0,0,,LS,Pending,0,7200,\nq,4000,1024,0,0,,LS,Running,1800,7200,9000\n");
        Workload w = new OpenbTraceReader().read(f, "t.csv");
        assertThat(w.groups().get(0).lifetime().startSeconds()).isNull();
        assertThat(w.groups().get(0).lifetime().runSeconds()).isEqualTo(7200);
        assertThat(w.groups().get(1).lifetime().startOutsideLife()).isTrue();
        assertThat(w.groups().get(1).lifetime().runSeconds()).isEqualTo(5400); // from creation, as a pod never started
    }

    @Test
    void aNameGivenTwiceNamesTheFirstLine() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, HEADER + "p1,1000,16,0,0,,LS,Running,0,1,0\np2,1000,16,0,0,,LS,Running,0,1,0\np1,1000,16,0,0,,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:4: The pod name 'p1' appears twice, first at line 2; each pod of the trace is one row.");
    }

    @Test
    void badNumbersNameLineAndColumn() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, HEADER + "p,12000,16x,0,0,,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:2: The memory_mib of p (16x) must be a whole number from 0 to 8796093022207.");
        Files.writeString(f, HEADER + "p,12000,16,0,0,,LS,Running,10,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessageContaining("deletion_time of p (1) must not be before its creation_time (10)");
        // Every bad time names a time's limit, not int64's, in one message (QA 51b, QA 60a F9: a fraction, a negative and one
        // beyond the limit were three wordings with two limits).
        for (String bad : List.of("-3", "0.5", "10000000001", "9223372036854775000", "soon")) {
            Files.writeString(f, HEADER + "p,12000,16,0,0,,LS,Running," + bad + ",,0\n");
            assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).as(bad).isInstanceOf(InputException.class)
                    .hasMessage("t.csv:2: The creation_time of p (" + bad + ") must be a whole number of seconds from the trace's start, 0 to "
                            + "10000000000 (about 317 years, the longest run a replay takes: --duration's limit).");
        }
    }

    @Test
    void readsTheRealDefaultTrace() {
        Path trace = Path.of("..", "shared", "data", "traces", "alibaba-openb", "openb_pod_list_default.csv");
        Assumptions.assumeTrue(Files.isRegularFile(trace), "skipped: " + trace.toAbsolutePath() + " not found");
        Workload w = new OpenbTraceReader().read(trace, trace.toString());
        assertThat(w.groups()).hasSize(8152);
        long cpuMillis = w.groups().stream().mapToLong(g -> g.request().cpuMillis()).sum();
        long gpuMillis = w.groups().stream().mapToLong(g -> g.request().gpuMillis()).sum();
        long withGpu = w.groups().stream().filter(g -> g.request().gpuMillis() > 0).count();
        // README: 85,436 CPU cores, 7,064 pods with GPU in openb_pod_list_default.csv.
        assertThat(Math.round(cpuMillis / 1000.0)).isEqualTo(85436);
        assertThat(withGpu).isEqualTo(7064);
        assertThat(gpuMillis).isPositive();
    }

    @Test
    void readsTheFiveColumnHeaderOfTheMultigpuVariants() throws Exception {
        Path f = dir.resolve("openb_pod_list_multigpu30.csv");
        Files.writeString(f, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n"
                + "openb-pod-0000,12000,16384,1,1000\n"
                + "openb-pod-0001,6000,12288,1,460\n"
                + "openb-pod-8500,64000,262144,4,1000\n");
        assertThat(InputFormat.detect(f, "m.csv")).isEqualTo(InputFormat.OPENB);
        Workload w = new OpenbTraceReader().read(f, "m.csv");
        assertThat(w.groups()).hasSize(3);
        assertThat(w.groups()).allSatisfy(g -> assertThat(g.lifetime()).isNull()); // no times: all present at once
        assertThat(w.groups().get(1).request().gpuMillis()).isEqualTo(460);
        assertThat(w.groups().get(2).request().gpuMillis()).isEqualTo(4000);
    }

    @Test
    void oneTimeColumnWithoutTheOtherAndMultiGpuSharesAreErrors() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,creation_time\np,1000,16,0,0,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("t.csv:1: The openb pod list header has one of creation_time and deletion_time but not "
                        + "'deletion_time'");
        Files.writeString(f, HEADER + "p,12000,16,2,500,,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessage("t.csv:2: The gpu_milli of p (500) must be 1000 for a pod with num_gpu 2: only single-GPU pods share a GPU.");
        Files.writeString(f, HEADER + "p,12000,16,1,1001,,LS,Running,0,1,0\n");
        assertThatThrownBy(() -> new OpenbTraceReader().read(f, "t.csv")).isInstanceOf(InputException.class)
                .hasMessageContaining("gpu_milli of p");
    }

    @Test
    void readsTheRealMultigpuTrace() {
        Path trace = Path.of("..", "shared", "data", "traces", "alibaba-openb", "openb_pod_list_multigpu30.csv");
        Assumptions.assumeTrue(Files.isRegularFile(trace), "skipped: " + trace.toAbsolutePath() + " not found");
        Workload w = new OpenbTraceReader().read(trace, trace.toString());
        // README: 8,508 rows, five columns, no times.
        assertThat(w.groups()).hasSize(8508);
        assertThat(w.groups()).allSatisfy(g -> assertThat(g.lifetime()).isNull());
        assertThat(w.groups().stream().filter(g -> g.request().gpuMillis() > 1000).count()).isGreaterThan(75);
    }
}
