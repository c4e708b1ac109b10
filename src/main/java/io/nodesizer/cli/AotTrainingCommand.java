package io.nodesizer.cli;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code nodesizer aot-training} (hidden): the training run the launcher records its start-up
 * cache from. The JDK caches the classes a run loads and the methods it profiles, and one run is
 * recorded, so this one runs the everyday paths in one JVM — recommend on the bundled workload,
 * pack on a trace and on a CSV profile with an HTML report, a replay — with their output
 * discarded. Inputs are written to a temporary directory and deleted afterwards.
 */
@Command(name = "aot-training", hidden = true, description = "Internal: the launcher's start-up cache training run.")
final class AotTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("nodesizer-aot");
        try {
            Path trace = dir.resolve("openb_pod_list_training.csv");
            Files.writeString(trace, openbLike(20_000), StandardCharsets.UTF_8);
            Path profile = dir.resolve("profile.csv");
            Files.writeString(profile, "name,cpu,memory,replicas\nweb,500m,1Gi,40\napi,1,2Gi,20\ndb,4,32Gi,3\nbatch,2,4Gi,12\n",
                    StandardCharsets.UTF_8);
            List<List<String>> runs = List.of(
                    List.of("recommend", "--quiet", "-o", "json"),
                    List.of("recommend", "--quiet"),
                    List.of("pack", "--pods", trace.toString(), "--node", "cpu=96,memory=768Gi,pods=110,gpu=8", "--overhead", "none",
                            "--strategy", "ffd", "--quiet", "-o", "json"),
                    List.of("pack", "--pods", profile.toString(), "--node", "aws:m5.4xlarge", "--quiet", "-o", "html"),
                    List.of("replay", "--synthetic", "diurnal", "--node", "aws:m5.4xlarge", "--quiet"));
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            for (List<String> args : runs) {
                Phases.silenced(() -> Main.run(args.toArray(String[]::new), sink, sink));
            }
            return 0;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** An openb-shaped pod list: CPU pods, whole-GPU pods and GPU shares, seeded. */
    private static String openbLike(int pods) {
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
                + "deletion_time,scheduled_time\n");
        for (int i = 0; i < pods; i++) {
            int kind = random.nextInt(3);
            int gpus = kind == 0 ? 0 : kind == 1 ? 1 + random.nextInt(2) : 1;
            int milli = kind == 0 ? 0 : kind == 1 ? 1000 : 100 * (1 + random.nextInt(9));
            sb.append("pod-").append(i).append(',').append(1000 * (1 + random.nextInt(16))).append(',')
                    .append(1024 * (1 + random.nextInt(64))).append(',').append(gpus).append(',').append(milli)
                    .append(",,LS,Running,0,1000,0\n");
        }
        return sb.toString();
    }
}
