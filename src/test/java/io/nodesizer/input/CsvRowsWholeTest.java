package io.nodesizer.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CsvRows#openWhole} gives Jackson's rows, cells, line numbers and errors, plain file or not. */
final class CsvRowsWholeTest {

    private static final List<String> CASES = List.of(
            "a,b,c\n1,2,3\n4,5,6\n",
            "a,b,c\n1,2,3\n4,5,6",                 // no final line feed
            "a,b,c\n",                             // header only
            "a,b,c",
            "a,b,c\n1,2\n",                        // too few fields
            "a,b,c\n1,2,3,\n",                     // trailing comma: one field too many
            "a,b,c\n,,\n",                         // empty cells
            "a,b,c\n,,,\n",
            "a\n\n1\n",                            // blank line: Jackson's path
            "\na,b\n1,2\n",
            "a,b\n1,2\n\n",
            "a,b\n# comment\n1,2\n",               // comments: Jackson's path
            "a,b\n1,\"x,y\"\n",                    // quotes: Jackson's path
            "a,b\r\n1,2\r\n",                      // CRLF: Jackson's path
            "a, b\n 1 ,2\n",                       // spaces: Jackson's path
            "\uFEFFa,b\n1,2\n",                    // BOM
            "\uFEFF",
            "",
            "näme,cpu\nпод,1\n",                   // non-ASCII
            "a,b\n1,2\n3\n4,5\n");

    @Test
    void sameAsJacksonOnEdgeCases(@TempDir Path dir) throws Exception {
        int i = 0;
        for (String text : CASES) {
            Path f = dir.resolve("case" + i++ + ".csv");
            Files.writeString(f, text, StandardCharsets.UTF_8);
            assertThat(read(f, true)).as(text).isEqualTo(read(f, false));
        }
    }

    @Test
    void sameAsJacksonOnRandomPlainishFiles(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        String alphabet = "ab19,,\n";
        int plain = 0;
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder("x,y,z\n");
            int len = random.nextInt(40);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Path f = dir.resolve("r" + i + ".csv");
            Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
            assertThat(read(f, true)).as(sb.toString()).isEqualTo(read(f, false));
            plain += CsvRows.isPlain(sb.toString(), 0) ? 1 : 0;
        }
        assertThat(plain).as("files that took the plain path").isGreaterThan(50);
    }

    @Test
    void notUtf8GoesToJacksonsMessage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.write(f, new byte[] {'a', ',', 'b', '\n', (byte) 0xC3, '\n'});
        assertThat(read(f, true)).isEqualTo(read(f, false));
    }

    /** What the row's in-place readers say of each cell: its digits (at most 11), whether it is empty, whether it is "1". */
    private static String inPlace(CsvRows.Row row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < row.cells().size(); c++) {
            sb.append(row.digits(c, 11)).append(row.isEmpty(c) ? "e" : "").append(row.is(c, "1") ? "o" : "").append(' ');
        }
        return sb.toString();
    }

    /** The header, then each row's line and cells, or the error message where reading stopped. */
    private static List<String> read(Path f, boolean whole) {
        List<String> out = new ArrayList<>();
        try (CsvRows rows = whole ? CsvRows.openWhole(f, "f.csv") : CsvRows.open(f, "f.csv")) {
            out.add(rows.headerLine() + " " + rows.header());
            rows.forEach(r -> out.add(r.line() + " " + r.cells() + " " + r.cells().size() + " " + inPlace(r)), 3);
        } catch (InputException e) {
            out.add("error " + e.getMessage());
        }
        return out;
    }
}
