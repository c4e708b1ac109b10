package io.nodesizer.input.csv;

import io.nodesizer.input.InputException;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CsvProfileReaderTest {
    @TempDir
    Path dir;

    private Workload read(String content) throws Exception {
        Path f = dir.resolve("w.csv");
        Files.writeString(f, content);
        return new CsvProfileReader().read(f, "w.csv");
    }

    /** QA 65a F7: a CPU of 500M (mega) is a valid quantity, 500 million cores: packed so, and named with the likely 500m. */
    @Test
    void aCpuInMegaIsPackedAndNoted() throws Exception {
        Workload w = read("name,cpu,memory\nweb,500M,1Gi\napi,2,1Gi\n");
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(500_000_000_000L);
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("packed, but cpu 500M is millions of CPUs (M is mega): 500m (millicores) was likely meant"));
        assertThat(read("name,cpu,memory\nweb,500m,1Gi\n").ignored()).isEmpty();
    }

    /**
     * QA 73 F6: a CPU with a binary suffix (web,1Gi,1Gi: memory's unit in the cpu column) is valid, packed as 1,073,741,824
     * cores, every shape leaving it out; it is named with what it is read as. Decimal 1G, 1k are no binary suffix.
     */
    @Test
    void aCpuInABinaryUnitIsPackedAndNoted() throws Exception {
        Workload w = read("name,cpu,memory\nweb,1Gi,1Gi\napi,2,1Gi\n");
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(1_073_741_824_000L);
        assertThat(w.ignored()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo("packed, but cpu 1Gi is 1,073,741,824 cores (Gi is a binary multiple, a unit of memory): "
                    + "CPU is cores or m (millicores), such as 2 or 500m");
            assertThat(o.name()).isEqualTo("web");
        });
        w = read("name,cpu,memory\nweb,500Mi,1Gi\napi,0.5Ki,1Gi\nok,1,1Gi\n");
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but cpu 500Mi (line 2), "
                + "0.5Ki (line 3) are CPU in units of memory (500Mi is 524,288,000 cores; Mi is a binary multiple): CPU is cores or m "
                + "(millicores), such as 2 or 500m"));
        // Review 74 #11: exact, not rounded up (0.001Ki read "2 cores").
        assertThat(read("name,cpu,memory\nweb,0.001Ki,1Gi\n").ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .startsWith("packed, but cpu 0.001Ki is 1.024 cores (Ki is"));
        assertThat(read("name,cpu,memory\nweb,500m,1Gi\napi,1,1Gi\n").ignored()).isEmpty();
    }

    /**
     * QA 68c F12: a unit-less CPU of 250 beside 512 MiB is 250 cores (packed so), with 2 MiB a core: 250m was surely meant,
     * as openb's cpu_milli pasted into a profile gives. A 96-core pod with 384 GiB, or 64 cores with 64 GiB, is not noted.
     */
    @Test
    void unitLessCoresThatReadLikeMillicoresAreNoted() throws Exception {
        Workload w = read("name,cpu,memory\nweb,250,512Mi\nbig,96,384Gi\nwide,64,4Gi\n");
        assertThat(w.groups().get(0).request().cpuMillis()).isEqualTo(250_000L);
        assertThat(w.ignored()).singleElement().satisfies(o -> assertThat(o.reason()).isEqualTo("packed, but cpu 250 is cores (a number "
                + "without a unit is cores), with under 64 MiB of memory a core: 250m (millicores) was likely meant"));
        assertThat(read("name,cpu,memory\nbig,96,384Gi\nwide,64,4Gi\n").ignored()).isEmpty();
    }

    /**
     * QA 52a F13: a memory of 1024 (MiB meant) is 1 KiB, as Kubernetes reads a number without a unit,
     * and packed so, without a word; now the rows under 1 MiB are named, once for the file.
     */
    @Test
    void memoryWithoutAUnitUnderOneMebibyteIsPackedAsBytesAndNoted() throws Exception {
        Workload one = read("name,cpu,memory\nweb,0.5,1024\napi,1,1048576\ndb,1,2Gi\n");
        assertThat(one.groups().get(0).request().memoryBytes()).isEqualTo(1024);
        assertThat(one.ignored()).singleElement().satisfies(o -> {
            assertThat(o.kind() + " " + o.name() + " (" + o.origin() + ")").isEqualTo("profile web (w.csv:2)");
            assertThat(o.reason()).isEqualTo("packed, but memory 1024 is bytes (a number without a unit is bytes), under the ~1 MiB any "
                    + "container uses: Mi or Gi was likely meant, e.g. 1024Mi");
        });
        Workload many = read("name,cpu,memory\na,1,512\nb,1,2Gi\nc,1,256\nd,1,0.5e3\ne,1,100\n");
        assertThat(many.ignored()).singleElement().satisfies(o -> {
            assertThat(o.name()).isEqualTo("a, c, d and 1 more");
            assertThat(o.reason()).startsWith("packed, but memory 512 (line 2), 256 (line 4), 0.5e3 (line 5) and 1 more are bytes");
        });
        assertThat(read("name,cpu,memory\nweb,0.5,0\napi,1,1Ki\n").ignored()).isEmpty(); // 0: the no-memory note's; 1Ki has a unit
        // QA c F4: an exponent's hint is a plain decimal, which the API server takes (it refuses 1e3Mi).
        assertThat(read("name,cpu,memory\nweb,0.5,1e3\n").ignored()).singleElement()
                .satisfies(o -> assertThat(o.reason()).endsWith("was likely meant, e.g. 1000Mi"));
    }

    /**
     * QA 68c F1: a profile's memory or ephemeral-storage that is a fraction of a byte (500m for 500Mi) was packed rounded up
     * without a word, where a manifest's is noted: the same note, one for the file. {@code 1.} (one byte) is a number
     * without a unit like {@code 1}, and gets the under-1-MiB note.
     */
    @Test
    void aFractionOfAByteIsPackedRoundedUpAndNoted() throws Exception {
        Workload one = read("name,cpu,memory,ephemeral-storage\nw,1,500m,100m\n");
        assertThat(one.groups().get(0).request().memoryBytes()).isEqualTo(1);
        assertThat(one.groups().get(0).request().ephemeralStorageBytes()).isEqualTo(1);
        assertThat(one.ignored()).singleElement().satisfies(o -> {
            assertThat(o.kind() + " " + o.name() + " (" + o.origin() + ")").isEqualTo("profile w (w.csv:2)");
            assertThat(o.reason()).isEqualTo("packed, but memory 500m, ephemeral-storage 100m are fractional byte values, which the API "
                    + "server warns of (counted rounded up to whole bytes); m is milli, thousandths of a byte: Mi (mebibytes) was likely meant");
        });
        Workload many = read("name,cpu,memory,ephemeral-storage\na,1,1n,\nb,1,1Gi,1500m\nc,1,0.5,1Gi\nd,1,2000m,1Gi\n");
        assertThat(many.ignored()).singleElement().satisfies(o -> { // 0.5 is a fraction, not the unit-less note's; 2000m is 2 bytes
            assertThat(o.name()).isEqualTo("a, b, c");
            assertThat(o.reason()).isEqualTo("packed, but memory 1n (line 2), ephemeral-storage 1500m (line 3), memory 0.5 (line 4) are "
                    + "fractional byte values, which the API server warns of (counted rounded up to whole bytes); m is milli, thousandths "
                    + "of a byte: Mi (mebibytes) was likely meant; a number without a unit is bytes: Mi or Gi was likely meant");
        });
        // Review 68 #8: a plain fraction has no unit either, which is said too.
        assertThat(read("name,cpu,memory\nw,1,0.5\n").ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("packed, but memory 0.5 is a fractional byte value, which the API server warns of (counted rounded up to whole "
                        + "bytes); a number without a unit is bytes: Mi or Gi was likely meant"));
        assertThat(read("name,cpu,memory\nw,1,1n\n").ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("packed, but memory 1n is a fractional byte value, which the API server warns of (counted rounded up to whole bytes)"));
        assertThat(read("name,cpu,memory\nw,1,\"1.\"\n").ignored()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("packed, but memory 1. is bytes (a number without a unit is bytes), under the ~1 MiB any container uses: Mi or "
                        + "Gi was likely meant, e.g. 1Mi"));
    }

    @Test
    void readsRequiredAndOptionalColumnsInAnyOrder() throws Exception {
        Workload w = read("""
                # comment line
                replicas,memory,name,cpu,gpu,ephemeral-storage,pods
                3,512Mi,web,250m,,,
                1,2G,"ml, trainer",1.5,2,10Gi,1

                """);
        assertThat(w.groups()).hasSize(2);
        PodGroup web = w.groups().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.replicas()).isEqualTo(3);
        assertThat(web.request().cpuMillis()).isEqualTo(250);
        assertThat(web.request().memoryBytes()).isEqualTo(512L << 20);
        assertThat(web.request().pods()).isEqualTo(1);
        assertThat(web.podName(2)).isEqualTo("web-2");
        assertThat(web.origin().line()).isEqualTo(3);
        PodGroup ml = w.groups().get(1);
        assertThat(ml.name()).isEqualTo("ml, trainer");
        assertThat(ml.request().gpuMillis()).isEqualTo(2000);
        assertThat(ml.request().ephemeralStorageBytes()).isEqualTo(10L << 30);
        assertThat(ml.request().pods()).isEqualTo(2); // its own slot plus one extra
    }

    @Test
    void handlesBomAndCrlf() throws Exception {
        Workload w = read("\uFEFFname,cpu,memory\r\nweb,1,1Gi\r\n");
        assertThat(w.groups()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("web"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name,cpu,memory\\nweb,500m,1.5.5Gi | w.csv:2: The memory of 'web' (1.5.5Gi) must be a quantity of bytes",
        "name,cpu,memory\\nweb,-1,1Gi | w.csv:2: The cpu of 'web' (-1) must be a CPU quantity",
        "name,cpu,memory\\nweb,NaN,1Gi | w.csv:2: The cpu of 'web' (NaN)",
        "name,cpu,memory,replicas\\nweb,1,1Gi,0 | w.csv:2: The replicas of 'web' (0) must be at least 1",
        "name,cpu,memory\\nweb,1,1Gi\\nweb,2,2Gi | w.csv:3: The name 'web' is used twice; first at line 2",
        "name,cpu\\nweb,1 | w.csv:1: The header (name,cpu) must have the column 'memory'",
        "name,cpu,memory,color\\nweb,1,1Gi,red | w.csv:1: The column 'color' is not known",
        "name,cpu,memory\\nweb,1 | w.csv:2: The row has 2 fields; expected 3",
        "name,cpu,memory\\nweb,1,99999999999999999999Gi | w.csv:2: The memory of 'web'",
        "name,cpu,memory,gpu\\nweb,1,1Gi,0.5 | w.csv:2: The gpu of 'web' (0.5) must be a whole number",
        "name,cpu,memory | w.csv: The file has a header but no rows",
        "'' | w.csv: The file is empty",
    })
    void rejectsBadInputWithFileAndLine(String content, String message) throws Exception {
        String text = content.equals("''") ? "" : content.replace("\\n", "\n");
        assertThatThrownBy(() -> read(text)).isInstanceOf(InputException.class).hasMessageStartingWith(message);
    }

    @Test
    void spreadAndPreferredAntiAffinityColumns() throws Exception {
        Workload w = read("""
                name,cpu,memory,replicas,labels,spread,preferred-anti-affinity
                api,1,2Gi,12,app=api,zone:1;hostname:2:soft,
                web,500m,1Gi,6,,hostname:1,app=web
                plain,1,1Gi,2,,,
                """);
        io.nodesizer.model.Placement api = w.groups().get(0).placement();
        assertThat(api.spread()).hasSize(2);
        assertThat(api.spread().get(0).hard()).isTrue();
        assertThat(api.spread().get(0).maxSkew()).isEqualTo(1);
        assertThat(api.spread().get(0).term().topologyKey()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(api.spread().get(0).term().matchLabels()).containsExactlyEntriesOf(java.util.Map.of("app", "api"));
        assertThat(api.spread().get(1).hard()).isFalse();
        assertThat(api.spread().get(1).term().topologyKey()).isEqualTo("kubernetes.io/hostname");
        // A row without labels is labelled by its line, so that its constraint selects its own pods.
        io.nodesizer.model.Placement web = w.groups().get(1).placement();
        assertThat(web.podLabels()).containsEntry("nodesizer.io/csv-row", "3");
        assertThat(io.nodesizer.kube.PodConflicts.matches(web.spread().get(0).term(), web.namespace(), web)).isTrue();
        assertThat(web.preferences().antiAffinity()).singleElement().satisfies(t -> {
            assertThat(t.weight()).isEqualTo(100);
            assertThat(t.term().topologyKey()).isEqualTo("kubernetes.io/hostname");
        });
        assertThat(web.preferences().systemSpread()).isTrue();
        assertThat(w.groups().get(2).placement().spread()).isEmpty();
        assertThat(w.groups().get(2).placement().podLabels()).isEmpty();
        // The hostname spread caps web at one replica per node in the packing.
        assertThat(io.nodesizer.engine.DemandTable.of(w).caps()[1]).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zone:0| must be KEY:MAXSKEW or KEY:MAXSKEW:soft",
        "zone| must be KEY:MAXSKEW or KEY:MAXSKEW:soft",
        "zone:1:maybe| must be KEY:MAXSKEW or KEY:MAXSKEW:soft",
        "bad key!:1| must be KEY:MAXSKEW or KEY:MAXSKEW:soft",
    })
    void badSpreadNamesLineAndColumn(String cell, String message) {
        assertThatThrownBy(() -> read("name,cpu,memory,spread\nweb,1,1Gi," + cell + "\n")).isInstanceOf(InputException.class)
                .hasMessageContaining("w.csv:2").hasMessageContaining("spread").hasMessageContaining(message);
    }

    /**
     * QA 59c: a quoted quantity with spaces around it reads as kubectl reads it (F1: "it has no digits"); replicas written as a
     * whole decimal read as the integer, and every wrong count gets one message with its range (F2); a name with a line
     * break is refused, not printed into every table (F4).
     */
    @Test
    void quotedSpacesWholeDecimalsAndControlCharactersInNames() throws Exception {
        Workload w = read("name,cpu,memory,replicas\nx,\" 500m \",\"1Gi \",2.0\ny,1,1Gi,1e3\n");
        assertThat(w.groups()).extracting(g -> g.request().cpuMillis()).containsExactly(500L, 1000L);
        assertThat(w.groups()).extracting(PodGroup::replicas).containsExactly(2, 1000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("name,cpu,memory,replicas\nx,1,1Gi,2.5\n"))
                .isInstanceOf(InputException.class).hasMessageEndingWith("The replicas of 'x' (2.5) must be a whole number from 1 to 10000000.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("name,cpu,memory,pods\nx,1,1Gi,-3\n"))
                .isInstanceOf(InputException.class).hasMessageEndingWith("must be a whole number from 0 to 1000.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("name,cpu,memory\n\"multi\nline\",1,1Gi\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("The name 'multi?line' holds a control character (U+000A)");
    }
}
