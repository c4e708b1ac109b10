package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.report.CompareReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nodesizer compare a.json b.json …}: JSON reports of one command side by side, with changes against the first. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare JSON reports (-o json) of one command — recommend, pack, pack --fleet, replay, windows, rightsize, analyze or consolidate — side by side, "
                + "with each run's change against the first: e.g. before/after right-sizing, two catalogs, two autoscalers.")
final class CompareCommand implements Callable<Integer> {
    private static final List<String> COMMANDS = List.of("recommend", "pack", "pack-fleet", "replay", "windows", "rightsize", "analyze", "consolidate"); // in the order messages name them

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPORT", arity = "2..*", description = "Two or more JSON reports, the baseline first.")
    List<Path> reports;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        var format = common.format();
        List<CompareReport.Run> runs = new ArrayList<>();
        for (Path p : reports) {
            String notAFile = io.nodesizer.input.Unreadable.notAFile(p, "report");
            if (notAFile != null) {
                throw new InputException(SourceLocation.ofFile(p.toString()), notAFile); // a directory said "Is a directory"
            }
            // Read as it streams and kept thin (the rows count the per-pod and per-node lists): a
            // recommend over a whole catalog can be gigabytes, which no string holds.
            io.nodesizer.report.ThinJsonWriter thin = new io.nodesizer.report.ThinJsonWriter();
            // A pipe (compare <(…) b.json): read through its copy, at most 1 GiB (/dev/zero never ends).
            try (java.io.Reader in = Files.newBufferedReader(io.nodesizer.input.RunInputs.file(p, p.toString()),
                    java.nio.charset.StandardCharsets.UTF_8)) {
                in.transferTo(thin);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "The report does not exist.");
            } catch (IOException e) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "The report cannot be read: " + e.getMessage());
            }
            JsonNode report = thin.tree();
            if (report == null) {
                com.fasterxml.jackson.core.JsonProcessingException e = thin.error();
                throw new InputException(SourceLocation.of(p.toString(), e == null || e.getLocation() == null ? 0 : e.getLocation().getLineNr()),
                        "Expected a JSON report written with -o json; found something that is not JSON ("
                                + (e == null ? "it ends before its first value does" : plain(e.getOriginalMessage())) + ").");
            }
            String command = report.path("command").asText();
            if (!COMMANDS.contains(command)) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "Expected a nodesizer JSON report of "
                        + String.join(", ", COMMANDS) + " (its \"command\" field); found " + (command.isEmpty() ? "none" : "\"" + command + "\"") + ".");
            }
            String unreadable = CompareReport.unreadableVersion(report);
            if (unreadable != null) {
                throw new InputException(SourceLocation.ofFile(p.toString()), unreadable);
            }
            String malformed = CompareReport.malformed(report);
            if (malformed != null) {
                throw new InputException(SourceLocation.ofFile(p.toString()), malformed);
            }
            if (!runs.isEmpty() && !command.equals(CompareReport.command(runs))) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "This is " + article(command) + " report and "
                        + runs.get(0).label() + " is " + article(CompareReport.command(runs)) + " report: compare runs of one command.");
            }
            runs.add(new CompareReport.Run(label(p), report));
        }
        if (format == io.nodesizer.report.ReportFormat.CSV) {
            // CSV rows have no place for them: on standard error, as windows does with its notes.
            CompareReport.notes(runs, CompareReport.rows(runs)).forEach(n -> spec.commandLine().getErr().println("nodesizer: note: " + n));
        }
        common.emit(CompareReport.render(format, runs), spec.commandLine().getOut());
        return 0;
    }

    /**
     * A run's column heading: its file name, or the path as given when another report has the same
     * name (before/recommend.json and after/recommend.json were two columns both headed "recommend.json").
     */
    private String label(Path p) {
        return reports.stream().filter(q -> q.getFileName().equals(p.getFileName())).count() > 1 ? p.toString() : p.getFileName().toString();
    }

    /**
     * A JSON parser's message as a user reads it: without the location Jackson appends ("(start
     * marker at [Source: REDACTED …; line: 1, column: 30])"), which the message's file:line already gives.
     */
    static String plain(String message) {
        return io.nodesizer.input.JacksonMessages.plain(message);
    }

    /** The command's name after its article: "an analyze", "a consolidate" (QA 64a F28: "a analyze"). */
    private static String article(String command) {
        return (command.matches("^[aeiou].*") ? "an " : "a ") + command;
    }
}
