package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code nodesizer compare a.json b.json …}: JSON reports of one command side by side, with changes against the first. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare JSON reports (-o json) of one command — recommend, pack, replay, windows or rightsize — side by side, "
                + "with each run's change against the first: e.g. before/after right-sizing, two catalogs, two autoscalers.")
final class CompareCommand implements Callable<Integer> {
    private static final Set<String> COMMANDS = Set.of("recommend", "pack", "pack-fleet", "replay", "windows", "rightsize");

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
        ObjectMapper mapper = new ObjectMapper();
        for (Path p : reports) {
            JsonNode report;
            try {
                report = mapper.readTree(Files.readString(p));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "The report does not exist.");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InputException(SourceLocation.of(p.toString(), e.getLocation() == null ? 0 : e.getLocation().getLineNr()),
                        "Expected a JSON report written with -o json; found something that is not JSON ("
                                + e.getOriginalMessage() + ").");
            } catch (IOException e) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "The report cannot be read: " + e.getMessage());
            }
            String command = report == null ? "" : report.path("command").asText();
            if (!COMMANDS.contains(command)) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "Expected a nodesizer JSON report of recommend, pack, "
                        + "replay, windows or rightsize (its \"command\" field); found " + (command.isEmpty() ? "none" : "\"" + command + "\"") + ".");
            }
            if (!runs.isEmpty() && !command.equals(CompareReport.command(runs))) {
                throw new InputException(SourceLocation.ofFile(p.toString()), "This is a " + command + " report and "
                        + runs.get(0).label() + " is a " + CompareReport.command(runs) + " report: compare runs of one command.");
            }
            runs.add(new CompareReport.Run(p.getFileName().toString(), report));
        }
        common.emit(CompareReport.render(format, runs), spec.commandLine().getOut());
        return 0;
    }
}
