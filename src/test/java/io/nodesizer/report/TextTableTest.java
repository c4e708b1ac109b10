package io.nodesizer.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TextTableTest {
    private final TextTable table = new TextTable(
            List.of(TextTable.Column.left("shape"), TextTable.Column.right("nodes"), TextTable.Column.right("$/h")),
            List.of(List.of("m5.large", "12", "1.15"), List.of("r5.12xlarge", "1", "n/a")));

    /**
     * A name shows in Markdown as it is written: "*star*_type_" rendered in italics and "<b>x</b>"
     * in bold on GitHub, since only "|" was escaped. Every Markdown special gets a backslash.
     */
    @Test
    void markdownCellsShowNamesLiterally() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("shape")),
                List.of(List.of("*star*_type_"), List.of("<b>x</b> & [a](b) `c` ~d~ \\ e|f")));
        assertThat(t.renderMarkdown()).isEqualTo("""
                | shape |
                |---|
                | \\*star\\*\\_type\\_ |
                | \\<b\\>x\\</b\\> \\& \\[a\\](b) \\`c\\` \\~d\\~ \\\\ e\\|f |
                """);
    }

    @Test
    void alignedTextPadsLeftAndRightColumns() {
        assertThat(table.renderAligned()).isEqualTo("""
                shape        nodes   $/h
                -----------  -----  ----
                m5.large        12  1.15
                r5.12xlarge      1   n/a
                """);
    }

    @Test
    void alignedTextCountsTerminalColumnsNotUtf16Units() {
        // ショップ is 4 UTF-16 units and 8 terminal columns; "é" written e + U+0301 is 2 units and 1 column;
        // 🚀 is 2 units (a surrogate pair) and 2 columns.
        TextTable t = new TextTable(List.of(TextTable.Column.left("scenario"), TextTable.Column.right("runs")),
                List.of(List.of("ショップ", "2"), List.of("cafe\u0301", "1"), List.of("🚀", "3"), List.of("shop", "4")));
        assertThat(t.renderAligned()).isEqualTo("""
                scenario  runs
                --------  ----
                ショップ     2
                cafe\u0301         1
                🚀           3
                shop         4
                """);
    }

    @Test
    void markdownMarksRightAlignedColumnsAndEscapesPipes() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("a|b"), TextTable.Column.right("n")), List.of(List.of("x", "1")));
        assertThat(t.renderMarkdown()).isEqualTo("| a\\|b | n |\n|---|---:|\n| x | 1 |\n");
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("pod"), TextTable.Column.left("reason")),
                List.of(List.of("big-0", "needs 48 CPU; m5.xlarge allocatable is 3.92 CPU, sadly")));
        assertThat(t.renderCsv()).isEqualTo("pod,reason\nbig-0,\"needs 48 CPU; m5.xlarge allocatable is 3.92 CPU, sadly\"\n");
    }

    /**
     * QA 73 F9: a cell is quoted where RFC 4180 needs it (a comma, a quote, a line break) and nowhere else: Jackson's loose check
     * quoted any cell past 24 characters, so pack --fleet's ip-10-0-2-20.ec2.internal was quoted where a shorter name was not.
     */
    @Test
    void csvQuotesOnlyWhereRfc4180NeedsIt() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("pod"), TextTable.Column.left("node")),
                List.of(List.of("product-api-0", "ip-10-0-2-20.ec2.internal"), List.of("a,b-0", "say \"x\""), List.of("two\nlines", "(none)")));
        assertThat(t.renderCsv()).isEqualTo("pod,node\nproduct-api-0,ip-10-0-2-20.ec2.internal\n\"a,b-0\",\"say \"\"x\"\"\"\n"
                + "\"two\nlines\",(none)\n");
    }

    /**
     * Fixer 73c's leftover: a cell with white space at either end is quoted, since readers that trim an unquoted field
     * (pandas' and Python's skipinitialspace, spreadsheets' import options) would lose it; inside a cell it needs none.
     */
    @Test
    void csvQuotesACellWithWhiteSpaceAtEitherEnd() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("pod"), TextTable.Column.left("note"), TextTable.Column.left("x")),
                List.of(List.of(" web-0", "trailing ", "mid dle"), List.of("tab\t", "\u00a0nbsp", "")));
        assertThat(t.renderCsv()).isEqualTo("pod,note,x\n\" web-0\",\"trailing \",mid dle\n\"tab\t\",\"\u00a0nbsp\",\n");
    }

    /**
     * Review 74 #7: a cell starting with '#' is quoted (comment-taking readers, this tool's and pandas' comment='#', drop the
     * row), and so is one holding a tab or another control character (RFC 4180's unquoted TEXTDATA is printable).
     */
    @Test
    void csvQuotesACommentMarkAndControlCharacters() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("scenario"), TextTable.Column.left("note")),
                List.of(List.of("#1 baseline", "a\tb"), List.of("x#1", "bell\u0007")));
        assertThat(t.renderCsv()).isEqualTo("scenario,note\n\"#1 baseline\",\"a\tb\"\nx#1,\"bell\u0007\"\n");
    }

    /** QA 53a F8: a name a spreadsheet would run as a formula gets an apostrophe; figures, negative ones too, do not. */
    @Test
    void csvCellsThatASpreadsheetWouldRunAreInert() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("pod"), TextTable.Column.right("saving")),
                List.of(List.of("=HYPERLINK(\"x\")", "-12.5"), List.of("+A1", "-3"), List.of("@SUM(A1)", "-1e3"), List.of("-rf", ".5"),
                        List.of("\tx", "+20.0 %"), List.of("a=b", "-"), List.of("-pp", "-5.0 pp")));
        // Quoted only where RFC 4180 needs it (QA 73 F9): the apostrophe, not the quotes, keeps a spreadsheet from running it.
        assertThat(t.renderCsv()).isEqualTo("pod,saving\n\"'=HYPERLINK(\"\"x\"\")\",-12.5\n'+A1,-3\n'@SUM(A1),-1e3\n"
                + "'-rf,.5\n\"'\tx\",+20.0 %\na=b,-\n'-pp,-5.0 pp\n");
    }

    /** QA 67c F8: a header may be a name from the input too (compare's columns are the reports' file names). */
    @Test
    void csvHeadersThatASpreadsheetWouldRunAreInert() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("metric"), TextTable.Column.right("=1+1.json"),
                TextTable.Column.right("@x.json"), TextTable.Column.right("Δ @x.json")), List.of(List.of("nodes", "3", "4", "+1")));
        assertThat(t.renderCsv()).startsWith("metric,'=1+1.json,'@x.json,Δ @x.json\nnodes,3,4,");
    }

    /** QA 53a F1: a line break in a name (a YAML block scalar) would end the table row. */
    @Test
    void markdownCellsKeepANameWithALineBreakOnItsRow() {
        TextTable t = new TextTable(List.of(TextTable.Column.left("pod")), List.of(List.of("a\nb\r\nc")));
        assertThat(t.renderMarkdown()).isEqualTo("| pod |\n|---|\n| a b c |\n");
    }

    @Test
    void rowsMustMatchTheColumns() {
        assertThatThrownBy(() -> new TextTable(List.of(TextTable.Column.left("a")), List.of(List.of("1", "2"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
