package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodesizer.replay.Durations;
import io.nodesizer.replay.ReplayResult;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.windows.FixedForPeak;
import io.nodesizer.replay.windows.WindowPlanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link WindowPlanner.Plan}: the alternatives compared, and the schedule in a form to paste. */
public final class WindowsReport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).disable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /**
     * @param provisionDelay  the provisioning delay of the Cluster Autoscaler alternatives (and fixed-for-peak's)
     * @param karpenterDelay  the karpenter alternative's: its own default (60s, EKS's) unless --provision-delay gives one for all
     * @param notes     what the replays leave out or apply of the inputs, and what the drain rules keep, one line each
     * @param seed      the plan's draw's seed; the other draws are the next ones
     * @param seededDemand whether the demand is drawn with the seed (a synthetic curve's noise) or the same on every draw
     * @param noPodFits where no pod fits the shape, why ({@code noPodFits} in JSON; a sweep's run only, as alone such a
     *                  windows exits 2), else null
     */
    public record Content(String inputs, String shape, long pendingSloSeconds, String provisionDelay, String karpenterDelay,
                          WindowPlanner.Plan plan,
                          io.nodesizer.replay.autoscale.WeekClock clock, int minNodes, int maxNodes, List<String> notes, long seed,
                          boolean seededDemand, String noPodFits) {
        public Content {
            notes = List.copyOf(notes);
        }

        /** An alternative's provisioning delay: karpenter's own, the others' the Cluster Autoscaler one. */
        String delayOf(WindowPlanner.Alternative a) {
            return a.name().equals("karpenter") ? karpenterDelay : provisionDelay;
        }

        /**
         * The heading's delay: one for all, or the Cluster Autoscaler one with karpenter's beside it (QA 71a F2: the karpenter
         * row was replayed with Karpenter's 60 s default under a heading of 3m..5m, and its p95 rested mostly on that).
         */
        String delayHeading() {
            return provisionDelay.equals(karpenterDelay) ? provisionDelay : provisionDelay + " (karpenter " + karpenterDelay
                    + ", its own default, 60s as measured on EKS; --provision-delay gives every alternative one)";
        }
    }

    /** The SLO column: met or missed, or on how many of the draws it was met when some but not all. */
    private static String slo(WindowPlanner.Alternative a, long slo) {
        int met = a.drawsMet(slo);
        // met* where pods fit no node of the shape: the verdict is not on them (unschedulableLine says so; QA 75b F1)
        String star = a.result().unschedulable() > 0 ? "*" : "";
        return met == a.draws() ? "met" + star : met == 0 ? "missed" : "met on " + met + "/" + a.draws() + star;
    }

    /** What the draws are, for the line under the table; null with the plan's draw alone. */
    private static String drawsLine(Content c) {
        int draws = c.plan().alternatives().get(0).draws();
        if (draws == 1) {
            return null;
        }
        return "SLO checked on " + draws + " draws (seeds " + c.seed() + "-" + (c.seed() + draws - 1) + ": "
                + (c.seededDemand() ? "the synthetic demand's noise, " : "") + "provisioning delays and the scheduler's tie-breaks); "
                + "the figures are the plan's draw's (seed " + c.seed() + "); --check-draws sets how many";
    }

    /** Pods that waited longer than the SLO, with their share of the pods that ran: "31 (4.7 %)". */
    private static String overSlo(ReplayResult r) {
        return String.format(Locale.ROOT, "%,d (%s)", r.slowPods(), shareOverSlo(r));
    }

    private static String shareOverSlo(ReplayResult r) {
        long ran = r.sloPods();
        return String.format(Locale.ROOT, "%.1f %%", ran == 0 ? 0.0 : 100.0 * r.slowPods() / ran);
    }

    /**
     * The pods below --slo-min-priority that every alternative's pending figures leave out, and how they waited under each
     * (QA 70b F13: over-provisioning placeholders, waiting by design, made every autoscaler miss the SLO); null when none.
     */
    private static String sloExcludedLine(Content c) {
        ReplayResult.SloExcluded first = c.plan().alternatives().get(0).result().sloExcluded();
        if (first == null) {
            return null;
        }
        List<String> each = new ArrayList<>();
        for (WindowPlanner.Alternative a : c.plan().alternatives()) {
            ReplayResult.SloExcluded x = a.result().sloExcluded();
            each.add(a.name() + " " + (x == null ? "0 waited" : String.format(Locale.ROOT, "%,d waited, the longest %s, %,d pending at the end",
                    x.waited(), Durations.format(x.maxSeconds()), x.pendingAtEnd())));
        }
        return String.format(Locale.ROOT, "left out of pending p95, max, over SLO and fixed-for-peak's packing: %s of priority below "
                + "--slo-min-priority %d (placeholders wait by design; pod-h pending counts them): %s", Fmt.count(first.pods(), "pod", "pods"),
                first.minPriority(), String.join("; ", each));
    }

    /** Waits an SLO at p95 leaves out: how long a tail the recommended alternative has, when its longest wait is ten SLOs or more. */
    private static String tailLine(Content c) {
        WindowPlanner.Alternative best = c.plan().recommended();
        ReplayResult r = best.result();
        // (a maximum of never, a pod deleted while pending, is told by the deleted pods' note)
        if (!best.meetsSlo() || r.pendingMaxSeconds() < 10 * Math.max(1, c.pendingSloSeconds()) || r.pendingMaxSeconds() == ReplayResult.NEVER) {
            return null;
        }
        return "note: " + best.name() + " meets the SLO at p95, yet " + String.format(Locale.ROOT, "%,d", r.slowPods()) + " pods ("
                + shareOverSlo(r) + ") waited longer than " + Durations.format(c.pendingSloSeconds()) + ", the longest "
                + Durations.format(r.pendingMaxSeconds()) + ", " + String.format(Locale.ROOT, "%,.1f", r.pendingPodSeconds() / 3600)
                + " pod-hours pending in all: the 5 % the SLO leaves out; compare the over SLO and pod-h columns before choosing";
    }

    /**
     * The alternatives whose pods were deleted while pending (a trace's short jobs whose nodes came after their deletion, or
     * replicas scaled away while they waited): they never ran, so they count over the SLO and miss it; null when none had any.
     */
    private static String deletedLine(Content c) {
        List<String> each = new ArrayList<>();
        for (WindowPlanner.Alternative a : c.plan().alternatives()) {
            if (a.result().deletedWhilePending() > 0) {
                each.add(a.name() + " " + Fmt.grouped(a.result().deletedWhilePending()));
            }
        }
        return each.isEmpty() ? null : "note: pods deleted while pending, before a node took them (they never ran: counted over the SLO, and in "
                + "the pending p95 above every pod that started): " + String.join(", ", each);
    }

    /** Why pods fit no node of the shape, as the replay of the first alternative that has such pods gives it; null when none. */
    private static String unschedulableLine(Content c) {
        for (WindowPlanner.Alternative a : c.plan().alternatives()) {
            ReplayResult r = a.result();
            if (r.unschedulable() > 0) {
                boolean one = r.unschedulable() == 1;
                return "warning: " + r.unschedulable() + (one ? " pod fits" : " pods fit") + " no " + c.shape() + " node and never "
                        + (one ? "runs" : "run") + " under any alternative (" + ReplayReport.commonReasons(r.unschedulableReasons())
                        + "): the SLO column (met*) and the recommendation are on the pods that run; size the group for them with a "
                        + "larger shape or another pool";
            }
        }
        return null;
    }

    /** ", on the 467 pods that run" where pods fit no node of the shape (the verdict is not on them), else "". */
    private static String ranOnly(ReplayResult r) {
        return r.unschedulable() == 0 ? "" : ", on the " + Fmt.grouped(r.podsArrived() - r.unschedulable()) + " pods that run";
    }

    private WindowsReport() {
    }

    public static String render(ReportFormat format, Content c, boolean timings) {
        return switch (format) {
            case JSON -> JsonTrees.write(json(c, timings));
            case CSV -> csv(c);
            case TABLE -> text(c, false);
            case MARKDOWN -> text(c, true);
            case HTML -> html(c);
        };
    }

    /**
     * The schedule as YAML that {@code --schedule FILE} reads back; its {@code timeZone}, UTC too (a file planned in UTC
     * without one was read in any --time-zone's clock, every window moved by the zones' difference: QA 70a F7), and the
     * node group's limits it was planned within, which a replay of it must give too.
     */
    public static String scheduleYaml(Schedule schedule, io.nodesizer.replay.autoscale.WeekClock clock, int minNodes, int maxNodes) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        root.put("timeZone", clock.toString()); // as --time-zone named it, which --schedule reads back ("+05:30" too)
        root.put("minNodes", minNodes);
        root.put("maxNodes", maxNodes);
        root.set("windows", windows(schedule));
        try {
            return YAML.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode windows(Schedule schedule) {
        ArrayNode list = JsonTrees.MAPPER.createArrayNode();
        for (Schedule.Window w : schedule.windows()) {
            ObjectNode o = list.addObject();
            o.put("days", w.daysText());
            o.put("from", w.fromText());
            o.put("to", w.toText());
            if (w.min() != null) {
                o.put("min", w.min());
            }
            if (w.max() != null) {
                o.put("max", w.max());
            }
        }
        return list;
    }

    private static ObjectNode json(Content c, boolean timings) {
        ObjectNode root = JsonTrees.reportRoot("windows");
        root.put("inputs", c.inputs());
        root.put("shape", c.shape());
        if (c.noPodFits() != null) {
            root.put(SweepReport.NO_POD_FITS, c.noPodFits());
        }
        root.put("pendingSloSeconds", c.pendingSloSeconds());
        root.put("provisionDelay", c.provisionDelay());
        root.put("leadMinutes", c.plan().leadMinutes());
        root.put("rounds", c.plan().rounds());
        root.put("recommended", c.plan().recommended().name());
        root.put("seed", c.seed());
        root.put("timeZone", c.clock().toString());
        // The span replayed, as replay's report gives it: compare notes runs over other spans (QA 68c F14).
        ReplayResult first = c.plan().alternatives().get(0).result();
        root.put("start", first.origin().toString());
        root.put("durationSeconds", first.horizonSeconds());
        root.put("minNodes", c.minNodes());
        root.put("maxNodes", c.maxNodes());
        if (!c.notes().isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode notes = root.putArray("notes");
            c.notes().forEach(notes::add);
        }
        root.set("windows", windows(c.plan().schedule()));
        ArrayNode alts = root.putArray("alternatives");
        for (WindowPlanner.Alternative a : c.plan().alternatives()) {
            ObjectNode o = alts.addObject();
            o.put("name", a.name());
            o.put("description", a.description());
            o.put("provisionDelay", c.delayOf(a));
            ReplayResult r = a.result();
            JsonTrees.putNullable(o, "costTotal", r.costTotal() == null ? null : Fmt.round(r.costTotal(), 4));
            o.put("nodeHours", Fmt.round(r.nodeHours(), 4));
            o.put("peakNodes", r.peakNodes());
            o.put("meanNodes", Fmt.round(r.meanNodes(), 4));
            o.put("pendingPodSeconds", Math.round(r.pendingPodSeconds()));
            JsonTrees.putWait(o, "pendingP95Seconds", r.pendingP95Seconds());
            JsonTrees.putWait(o, "pendingMaxSeconds", r.pendingMaxSeconds());
            o.put("pendingAtEnd", r.pendingAtEnd());
            o.put("pendingAtEndRecent", r.pendingAtEndRecent());
            if (r.unrunPodSeconds() != null) { // --deletions after-start only: the overtime, and the work it did not get to
                o.put("overtimeSeconds", r.overtimeSeconds());
                o.put("unrunPodSeconds", r.unrunPodSeconds());
            }
            o.put("deletedWhilePending", r.deletedWhilePending());
            o.put("scaleUps", r.scaleUps());
            o.put("scaleDowns", r.scaleDowns());
            o.put("unschedulable", r.unschedulable());
            ArrayNode reasons = o.putArray("unschedulableReasons"); // as replay's JSON: the text's warning shows the top three
            r.unschedulableReasons().forEach((reason, pods) -> reasons.addObject().put("reason", reason).put("pods", pods));
            o.put("podsOverSlo", r.slowPods());
            ReplayReport.putSloExcluded(o, r);
            if (a.name().equals("fixed-for-peak")) {
                // fixed-for-peak: the packing's count and the nodes its replay needed on top (null when --nodes gave it)
                FixedForPeak f = c.plan().fixedForPeak();
                JsonTrees.putNullable(o, "packedNodes", f == null ? null : f.packed());
                JsonTrees.putNullable(o, "addedNodes", f == null ? null : f.added());
                // whether --max-nodes held the count (the peak packs on more, or the most it allows left pods pending)
                if (f == null) {
                    o.putNull("heldToMaxNodes");
                } else {
                    o.put("heldToMaxNodes", f.heldToMaxNodes());
                }
            }
            o.put("meetsPendingSlo", a.meetsSlo());
            o.put("draws", a.draws());
            o.put("drawsMeetingSlo", a.drawsMet(c.pendingSloSeconds()));
            ArrayNode p95 = o.putArray("pendingP95SecondsByDraw");
            JsonTrees.addWait(p95, r.pendingP95Seconds());
            a.checks().forEach(x -> JsonTrees.addWait(p95, x.pendingP95Seconds()));
            if (timings) {
                o.put("elapsedMillis", Fmt.round(r.elapsedNanos() / 1e6, 3));
            } else {
                o.putNull("elapsedMillis");
            }
        }
        return root;
    }

    private static String csv(Content c) {
        List<TextTable.Column> cols = new ArrayList<>();
        for (String h : List.of("days", "from", "to", "min", "max")) {
            cols.add(TextTable.Column.left(h));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Schedule.Window w : c.plan().schedule().windows()) {
            rows.add(List.of(w.daysText(), w.fromText(), w.toText(), w.min() == null ? "" : w.min().toString(),
                    w.max() == null ? "" : w.max().toString()));
        }
        return new TextTable(cols, rows).renderCsv();
    }

    /** Nodes and pending pods over the week under each alternative, with the recommended schedule as bands. */
    private static String html(Content c) {
        StringBuilder body = new StringBuilder();
        List<WindowPlanner.Alternative> alts = c.plan().alternatives();
        ReplayResult first = alts.get(0).result();
        // Under --deletions after-start each alternative runs its own overtime past the trace: the axis spans the longest.
        long span = alts.stream().mapToLong(a -> a.result().horizonSeconds()).max().orElseThrow();
        ObjectNode nodes = TimelineCharts.config(first.origin(), c.clock(), span, "billed nodes", "number");
        ObjectNode pending = TimelineCharts.config(first.origin(), c.clock(), span, "pending pods", "number");
        ChartJs.wholeTicks(nodes, "y");
        ChartJs.wholeTicks(pending, "y");
        for (int i = 0; i < alts.size(); i++) {
            WindowPlanner.Alternative a = alts.get(i);
            String color = ChartJs.PALETTE[i % ChartJs.PALETTE.length];
            String name = a.name() + (a == c.plan().recommended() ? " (recommended)" : "");
            TimelineCharts.line(nodes, name, color, a.result().timeline(), io.nodesizer.replay.TimelinePoint::peakNodes);
            TimelineCharts.line(pending, name, color, a.result().timeline(), io.nodesizer.replay.TimelinePoint::peakPendingPods);
        }
        Schedule s = c.plan().schedule();
        TimelineCharts.bands(nodes, s, first.origin(), c.clock(), span);
        body.append(HtmlReport.section("Billed nodes over time",
                (s.windows().isEmpty() ? "<p>" + HtmlReport.escape(alts.stream().filter(a -> a.name().equals("scheduled+ca"))
                        .findFirst().orElseThrow().description()) + ".</p>"
                        : "<p>Shaded bands: the windows of scheduled+ca's schedule (" + HtmlReport.escape(c.clock().toString())
                        + ") with their node limits.</p>")
                        + ChartJs.element("nodes", "billed nodes over time for each alternative", 340, nodes)));
        body.append(HtmlReport.section("Pending pods over time", ChartJs.element("pending", "pending pods over time for each alternative", 260, pending)));
        body.append(HtmlReport.section("Alternatives and schedule", "<pre>" + HtmlReport.escape(text(c, false)) + "</pre>"));
        return HtmlReport.page("nodesizer windows: " + c.shape() + ", pending SLO p95 <= " + Durations.format(c.pendingSloSeconds()),
                body.toString());
    }

    private static String text(Content c, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        String title = "nodesizer windows: " + c.shape() + ", pending SLO p95 <= " + Durations.format(c.pendingSloSeconds());
        sb.append(markdown ? "# " + MarkdownText.escape(title) + "\n\n" : title + "\n");
        sb.append("inputs: ").append(MarkdownText.of(markdown, c.inputs())).append(markdown ? "  \n" : "\n");
        sb.append("provisioning delay ").append(c.delayHeading()).append(c.plan().leadMinutes() == 0 ? "; windows start at the times they cover"
                : "; windows start " + c.plan().leadMinutes() + " min before the hour they cover");
        for (String note : c.notes()) {
            sb.append(markdown ? "  \n" : "\n").append(MarkdownText.of(markdown, "note: " + note));
        }
        sb.append("\n\n");
        List<TextTable.Column> cols = List.of(TextTable.Column.left("alternative"), TextTable.Column.right("cost $"),
                TextTable.Column.right("node-h"), TextTable.Column.right("peak"), TextTable.Column.right("mean"),
                TextTable.Column.right("pending p95"), TextTable.Column.right("max"), TextTable.Column.right("pod-h pending"),
                TextTable.Column.right("over SLO"), TextTable.Column.right("ups"), TextTable.Column.right("downs"),
                TextTable.Column.right("unsched"), TextTable.Column.left("SLO"),
                TextTable.Column.left("what"));
        List<List<String>> rows = new ArrayList<>();
        for (WindowPlanner.Alternative a : c.plan().alternatives()) {
            ReplayResult r = a.result();
            rows.add(List.of(a.name() + (a == c.plan().recommended() ? " *" : ""), Fmt.money(r.costTotal()),
                    String.format(Locale.ROOT, "%,.1f", r.nodeHours()), Fmt.grouped(r.peakNodes()),
                    String.format(Locale.ROOT, "%.1f", r.meanNodes()), Durations.format(r.pendingP95Seconds()),
                    Durations.format(r.pendingMaxSeconds()), String.format(Locale.ROOT, "%,.1f", r.pendingPodSeconds() / 3600),
                    overSlo(r), Fmt.grouped(r.scaleUps()), Fmt.grouped(r.scaleDowns()), Fmt.grouped(r.unschedulable()),
                    slo(a, c.pendingSloSeconds()), a.description()));
        }
        TextTable t = new TextTable(cols, rows);
        sb.append(markdown ? t.renderMarkdown() : t.renderAligned());
        String draws = drawsLine(c);
        for (String line : java.util.Arrays.asList(draws, tailLine(c), unschedulableLine(c), deletedLine(c), sloExcludedLine(c))) {
            if (line != null) {
                sb.append(markdown ? "\n" : "").append(MarkdownText.of(markdown, line)).append('\n');
            }
        }
        // In markdown a line opening with "* " is a list item: its star, the mark on the table's row, would vanish.
        sb.append(markdown ? "\n\\* recommended: " : "\n* recommended: ").append(c.plan().recommended().name())
                .append(c.plan().recommended().meetsSlo() ? " (cheapest that meets the SLO" + (draws != null ? " on every draw" : "")
                        + ranOnly(c.plan().recommended().result()) + ")"
                        : " (none meets the SLO" + (draws != null ? " on every draw" : "") + "; lowest p95)").append('\n');
        Schedule s = c.plan().schedule();
        if (c.plan().recommended().name().equals("karpenter") && !s.windows().isEmpty()) {
            // QA 62c F3: the schedule and its exports set a Cluster Autoscaler node group's limits, which Karpenter has not.
            sb.append(MarkdownText.of(markdown, "Karpenter is recommended: the schedule below applies only where Cluster Autoscaler "
                    + "stays (scheduled+ca). With Karpenter, run its NodePool as replayed (--consolidation, --consolidate-after, "
                    + "--disruption-budget) with limits for --max-nodes nodes: --export karpenter writes it; to pre-warm it, --export "
                    + "keda-cron writes placeholder pods for the same windows (each window's min in spare nodes on top of the demand's)"))
                    .append('\n');
        }
        sb.append('\n').append(markdown ? "## " : "").append("Schedule (").append(c.clock()).append(") for --autoscaler scheduled");
        if (s.windows().isEmpty()) {
            WindowPlanner.Alternative ca = c.plan().alternatives().stream().filter(a -> a.name().equals("ca")).findFirst().orElseThrow();
            sb.append(ca.result().meets(c.pendingSloSeconds()) ? ": no windows needed, reactive CA meets the SLO.\n"
                    : ": none; " + WindowPlanner.NO_WINDOW_HELPS.replaceFirst("^no windows: ", "") + ".\n");
            return sb.toString();
        }
        sb.append(", ").append(c.plan().rounds()).append(c.plan().rounds() == 1 ? " replay round\n\n" : " replay rounds\n\n");
        List<List<String>> wr = new ArrayList<>();
        // Without --headroom no window caps the group: the max column would be empty (the group's own, --max-nodes, holds).
        boolean maxes = s.windows().stream().anyMatch(w -> w.max() != null);
        for (Schedule.Window w : s.windows()) {
            List<String> row = new ArrayList<>(List.of(w.daysText(), w.fromText(), w.toText(), w.min() == null ? "" : w.min().toString()));
            if (maxes) {
                row.add(w.max() == null ? "" : w.max().toString());
            }
            wr.add(row);
        }
        List<TextTable.Column> columns = new ArrayList<>(List.of(TextTable.Column.left("days"), TextTable.Column.left("from"),
                TextTable.Column.left("to"), TextTable.Column.right("min")));
        if (maxes) {
            columns.add(TextTable.Column.right("max"));
        }
        TextTable wt = new TextTable(columns, wr);
        sb.append(markdown ? wt.renderMarkdown() : wt.renderAligned());
        sb.append('\n').append(markdown ? "```yaml\n" : "").append(scheduleYaml(s, c.clock(), c.minNodes(), c.maxNodes())).append(markdown ? "```\n" : "");
        return sb.toString();
    }
}
