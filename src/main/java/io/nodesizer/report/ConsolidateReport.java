package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.consolidate.Consolidation;
import io.nodesizer.model.PerHour;
import io.nodesizer.sweep.ShapeEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code nodesizer consolidate}: the nodes that can go or become cheaper, and what stays and why. */
public final class ConsolidateReport {
    /** Why the plan has no cost: some node is unpriced (its type is in no catalog, or it is spot or Windows, which they do not price). */
    private static final String COST_UNKNOWN = "cost unknown (a node has no catalog price: an instance type not in it, or a spot or "
            + "Windows node; the notes name it)";

    private ConsolidateReport() {
    }

    static final String CONSTRAINTS_NOTE = "moves respect node selectors, required node affinity, taints, GPU vendors (a pod asking "
            + "for amd.com/gpu moves only to a node that offers it), host ports (NodePorts), PodDisruptionBudgets that "
            + "allow no eviction (when the snapshot has them), and required pod affinity and anti-affinity and DoNotSchedule topology "
            + "spread on any node label (hostname, zone, ...); a pod requesting a resource nodesizer does not pack (hugepages, MIG slices, "
            + "other device-plugin resources) keeps its node; preferred terms and scoring are not modelled: review the moves before "
            + "draining";

    public static String render(ReportFormat format, Consolidation.Result r) {
        return render(format, r, null, null, null);
    }

    /**
     * As above; JSON also records the settings the plan was made under and the candidates described, when given, so that
     * {@code compare} tells two runs under other rules from two states of the cluster (QA 64a F6); HTML draws the nodes the
     * plan touches before and after it when the snapshot is given.
     */
    public static String render(ReportFormat format, Consolidation.Result r, Consolidation.Settings settings, String candidates,
                                io.nodesizer.model.ClusterSnapshot snapshot) {
        return switch (format) {
            case JSON -> json(r, settings, candidates);
            case CSV -> csv(r);
            case TABLE -> text(r, false);
            case MARKDOWN -> text(r, true);
            // The input in every format's title, as analyze's (QA 74 F8: markdown and HTML left it out).
            case HTML -> HtmlReport.packingPage(title(r), "<p><b>" + HtmlReport.escape(summary(r)) + "</b></p>\n"
                    + (boundLine(r) == null ? "" : "<p>" + HtmlReport.escape(boundLine(r)) + "</p>\n")
                    + HtmlReport.section("Actions", HtmlReport.table(actions(r)))
                    + (snapshot == null || r.actions().isEmpty() ? "" : fillCharts(io.nodesizer.consolidate.PlanFill.of(snapshot, r)))
                    + HtmlReport.section("Nodes kept", r.kept().isEmpty() ? "<p>none</p>" : HtmlReport.table(kept(r)))
                    + (r.pendingUnplaced().isEmpty() ? "" : HtmlReport.section("Pending pods", "<p>" + HtmlReport.escape(pendingLine(r)) + "</p>"))
                    + notes(r).stream().map(x -> "<p>" + HtmlReport.escape("Note: " + x + ".") + "</p>").collect(java.util.stream.Collectors.joining("\n")));
        };
    }

    /**
     * The nodes the plan touches ({@link io.nodesizer.consolidate.PlanFill}), their requests as a share of their allocatable
     * before the plan and after it: two charts on one x axis, node by node ({@link NodeFillChart}, as analyze's nodes), so a
     * reader sees that the nodes that go held little and that none the pods go to ends past its allocatable. A node that
     * goes has no point after, a new one none before.
     */
    private static String fillCharts(List<io.nodesizer.consolidate.PlanFill.Node> nodes) {
        java.util.function.IntFunction<String> name = n -> nodes.get(n).name() + " (" + nodes.get(n).role().label() + ")";
        java.util.function.Predicate<io.nodesizer.model.Resource> shown = res -> nodes.stream().anyMatch(x -> x.allocatable().get(res) > 0);
        return HtmlReport.section("Nodes before and after", "<p>" + HtmlReport.escape("The " + Fmt.count(nodes.size(), "node", "nodes")
                + " the plan touches (those removed or replaced, each followed by its new nodes, then those that receive pods): what "
                + "their pods request (DaemonSet and static pods included) as a share of allocatable, before the plan and after it.")
                + "</p>\n"
                + NodeFillChart.of("consolidate-before", nodes.size(), name, share(nodes, io.nodesizer.consolidate.PlanFill.Node::before),
                shown, "node", "% of allocatable requested before", "requests per node touched by the plan, before it, as a share of its allocatable")
                + NodeFillChart.of("consolidate-after", nodes.size(), name, share(nodes, io.nodesizer.consolidate.PlanFill.Node::after),
                shown, "node", "% of allocatable requested after", "requests per node touched by the plan, after it, as a share of its allocatable"));
    }

    /** A node's requests {@code when} (before or after) as a share of its allocatable; NaN where it has none then or offers none. */
    private static NodeFillChart.Share share(List<io.nodesizer.consolidate.PlanFill.Node> nodes,
                                             java.util.function.Function<io.nodesizer.consolidate.PlanFill.Node, io.nodesizer.model.Resources> when) {
        return (n, res) -> {
            io.nodesizer.model.Resources requested = when.apply(nodes.get(n));
            long of = nodes.get(n).allocatable().get(res);
            return requested == null || of <= 0 ? Double.NaN : (double) requested.get(res) / of;
        };
    }

    private static String moved(Map<String, Integer> movedTo) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : movedTo.entrySet()) {
            parts.add(e.getValue() + " → " + e.getKey());
        }
        return String.join(", ", parts);
    }

    /** The other nodes of a merge: "b (m5.large)", "b (m5.large), c (m5.large)". */
    private static String partners(Consolidation.Action a) {
        List<String> out = new ArrayList<>();
        for (Consolidation.Partner p : a.merged()) {
            out.add(p.node() + " (" + (p.instanceType() == null ? "–" : p.instanceType()) + ")");
        }
        return String.join(", ", out);
    }

    /** The new shape, or for a repack the mix: "3× c6a.2xlarge + 1× m6a.xlarge"; "–" for a removal. */
    static String newType(Consolidation.Action a) {
        if (a.kind() == Consolidation.Kind.REPACK) {
            return String.join(" + ", a.newNodes().stream().map(n -> n.count() + "× " + n.shape().name()).toList());
        }
        return a.replacement() == null ? "–" : a.replacement().name();
    }

    /** The first few other nodes of a repack: "b, c, d, …". */
    private static String partnersShort(Consolidation.Action a) {
        List<String> names = a.merged().stream().map(Consolidation.Partner::node).toList();
        return String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", …" : "");
    }

    /**
     * Each action's saving as every format writes it, to four decimals (null where a price is unknown), rounded once over the
     * plan so that the column adds up to the headline's saving: largest remainder. Each saving is cut to whole 0.0001 dollars,
     * and the 0.0001s the headline has beyond their sum go to the savings with the largest remainders (ties to the earlier
     * action). The headline stays the difference of the costs as written (before − after on the page, {@link #shownSaving}) and
     * the rows are its parts; rounding each row alone put 0.6784 + 0.504 + 0.2852 = 1.4676 under a saving of 1.4675 (QA 76b F8:
     * two rows' fifth decimals rounded up, the total's down). When the rows cannot add up to it (a price unknown), each is
     * rounded alone.
     */
    static Double[] shownSavings(Consolidation.Result r) {
        List<Consolidation.Action> actions = r.actions();
        Double[] out = new Double[actions.size()];
        double[] savings = new double[actions.size()];
        boolean priced = r.savingPerHour() != null && r.costBefore() != null && r.costAfter() != null;
        for (int i = 0; i < out.length; i++) {
            Double saving = actions.get(i).savingPerHour();
            if (saving == null) {
                priced = false;
                continue;
            }
            out[i] = Fmt.round(saving, JSON_DECIMALS);
            savings[i] = saving;
        }
        double[] shown = priced ? Apportion.largestRemainder(savings, shownSaving(r), JSON_DECIMALS) : null;
        for (int i = 0; shown != null && i < out.length; i++) {
            out[i] = shown[i];
        }
        return out;
    }

    private static TextTable actions(Consolidation.Result r) {
        List<List<String>> rows = new ArrayList<>();
        Double[] saving = shownSavings(r);
        for (int i = 0; i < r.actions().size(); i++) {
            Consolidation.Action a = r.actions().get(i);
            rows.add(List.of(a.kind().label(), a.node(), a.instanceType() == null ? "–" : a.instanceType(), newType(a),
                    Integer.toString(a.pods()),
                    switch (a.kind()) {
                        case REMOVE -> a.movedTo().isEmpty() ? "(no pod to move)" : moved(a.movedTo()); // DaemonSet or expendable pods only
                        case MERGE -> "with " + partners(a) + " onto one new node";
                        case REPACK -> "with " + a.merged().size() + (a.merged().size() == 1 ? " other node (" : " other nodes (")
                                + partnersShort(a) + ") onto " + a.nodesAdded() + (a.nodesAdded() == 1 ? " new node" : " new nodes");
                        case REPLACE -> "onto the new node";
                    },
                    saving[i] == null ? Fmt.NA : PerHour.format(saving[i])));
        }
        return new TextTable(List.of(TextTable.Column.left("action"), TextTable.Column.left("node"), TextTable.Column.left("type"),
                TextTable.Column.left("new type"), TextTable.Column.right("pods evicted"), TextTable.Column.left("pods go to"),
                TextTable.Column.right("saving $/h")), rows);
    }

    private static TextTable kept(Consolidation.Result r) {
        List<List<String>> rows = new ArrayList<>();
        for (Consolidation.Kept k : r.kept()) {
            rows.add(List.of(k.node(), k.instanceType() == null ? "–" : k.instanceType(), k.reason()));
        }
        return new TextTable(List.of(TextTable.Column.left("node"), TextTable.Column.left("type"), TextTable.Column.left("why it stays")), rows);
    }

    static String summary(Consolidation.Result r) {
        long removed = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.REMOVE).count();
        long merged = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.MERGE).count();
        long mergedNodes = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.MERGE).mapToLong(a -> 1 + a.merged().size()).sum();
        long repacks = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.REPACK).count();
        long repacked = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.REPACK).mapToLong(a -> 1 + a.merged().size()).sum();
        long repackedOnto = r.actions().stream().filter(a -> a.kind() == Consolidation.Kind.REPACK).mapToLong(Consolidation.Action::nodesAdded)
                .sum();
        long replaced = r.actions().size() - removed - merged - repacks;
        Double percent = savingPercent(r);
        String cost = r.costBefore() == null || r.costAfter() == null ? COST_UNKNOWN
                : String.format(Locale.ROOT, "$%s/h → $%s/h, saving $%s/h ($%s/month, %.1f%%)", PerHour.format(r.costBefore()),
                PerHour.format(r.costAfter()), PerHour.format(shownSaving(r)), Fmt.money(savingPerMonth(r)),
                percent == null ? 0.0 : percent);
        // Counts grouped as the cost beside them (QA 52a F8: "2475 pods evicted; $19.75/h → …").
        return String.format(Locale.ROOT, "%,d → %,d worker nodes (%,d removed, %,d replaced by cheaper shapes", r.nodesBefore(),
                r.nodesAfter(), removed, replaced)
                + (merged == 0 ? "" : mergedNodes == 2 ? ", 1 pair merged into one cheaper node"
                : String.format(Locale.ROOT, ", %,d nodes merged into ", mergedNodes) + Fmt.count(merged, "cheaper node", "cheaper nodes"))
                + (repacks == 0 ? "" : String.format(Locale.ROOT, ", %,d nodes of ", repacked) + Fmt.count(repacks, "node group", "node groups")
                + " repacked onto " + Fmt.count(repackedOnto, "new node", "new nodes"))
                + "), "
                + Fmt.count(r.disruptedPods(), "pod", "pods") + " evicted; " + cost;
    }

    /** The saving over a 730-hour month, as every report's $/month, of JSON's hourly saving; null when a price is unknown. */
    private static Double savingPerMonth(Consolidation.Result r) {
        return r.savingPerHour() == null ? null : shownSaving(r) * ShapeEvaluation.HOURS_PER_MONTH;
    }

    /** The decimals of the costs per hour in JSON and the CSV's savingPerHour. */
    private static final int JSON_DECIMALS = 4;

    /** The saving as a report writes it, before − after as written ({@link PerHour#difference}), as rightsize's is (QA 51c F3). */
    private static double shownSaving(Consolidation.Result r) {
        return PerHour.difference(r.costBefore(), r.costAfter());
    }

    /** The saving as a percentage of the cost before; null when that is unknown or nothing (no share of $0). */
    private static Double savingPercent(Consolidation.Result r) {
        return r.savingPerHour() == null || r.costBefore() == null || r.costBefore() <= 0 ? null : 100 * r.savingPerHour() / r.costBefore();
    }

    static final String BOUND_NOTE = "the lower bound is the price of the nodes that must stay plus the fluid cost of every other "
            + "evictable pod's requests on the nodes that may go (each at most once, at its price), the free room of those that stay and "
            + "any number of candidate shapes (DaemonSets taken off); no consolidation costs less. It leaves out the inter-pod rules "
            + "and the total of --max-disrupted-pods (a node with more evictable pods than the cap stays)";

    /** "lower bound $0.40/h, gap 5.0 %" ("gap n/a" for a bound of 0 under a plan that costs something), or null when a price is unknown. */
    static String bound(Consolidation.Result r) {
        if (r.lowerBoundCostPerHour() == null || r.costAfter() == null) {
            return null;
        }
        return "lower bound $" + PerHour.format(r.lowerBoundCostPerHour()) + "/h, gap " + (r.gapPercent() == null ? "n/a" : Fmt.pct(r.gapPercent()) + " %");
    }

    /**
     * The line under the headline in text, Markdown and HTML: the bound and gap ({@link #bound}), or that the bound is unknown
     * when the cost after is; null when neither is said. Every plan keeps or replaces an unpriced node at a cost no catalog
     * gives: no bound either (QA 69b F3), said so in every format (QA 76b F7: HTML left the line out).
     */
    static String boundLine(Consolidation.Result r) {
        if (bound(r) != null) {
            return bound(r);
        }
        return r.costAfter() == null ? "lower bound unknown, as the cost after is: a node has no price (the notes name it)" : null;
    }

    /** The constraints note, the bound's, then the plan's own notes. */
    private static List<String> notes(Consolidation.Result r) {
        // What the snapshot lacks comes before what the moves respect: it limits that.
        List<String> out = new ArrayList<>(r.notes().stream().filter(io.nodesizer.analyze.SnapshotCaveats::leads).toList());
        out.add(CONSTRAINTS_NOTE);
        if (r.lowerBoundCostPerHour() != null) {
            out.add(BOUND_NOTE);
        }
        r.notes().stream().filter(n -> !io.nodesizer.analyze.SnapshotCaveats.leads(n)).forEach(out::add);
        return out;
    }

    /**
     * {@code consolidate --assignments}: per pod the plan evicts, in the plan's order, the action, the pod, its node in the
     * snapshot and the node it goes to (an existing node's name, or a new node's as the report names it).
     */
    public static String movesCsv(Consolidation.Result r, io.nodesizer.model.ClusterSnapshot snapshot) {
        Map<String, String> nodeOf = new java.util.HashMap<>();
        for (io.nodesizer.model.ClusterSnapshot.Pod p : snapshot.pods()) {
            nodeOf.put(p.fullName(), p.nodeName() == null ? "" : p.nodeName());
        }
        List<List<String>> rows = new ArrayList<>();
        for (Consolidation.Action a : r.actions()) {
            a.podTo().forEach((pod, to) -> rows.add(List.of(a.kind().label(), pod, nodeOf.getOrDefault(pod, ""), to)));
        }
        return new TextTable(List.of(TextTable.Column.left("action"), TextTable.Column.left("pod"), TextTable.Column.left("from"),
                TextTable.Column.left("to")), rows).renderCsv();
    }

    /** The pending pods no node has room for, as every format writes them. */
    private static String pendingLine(Consolidation.Result r) {
        return "pending pods with no room anywhere (consolidation leaves them pending): " + String.join(", ", r.pendingUnplaced());
    }

    private static String title(Consolidation.Result r) {
        return "nodesizer consolidate " + Fmt.inParens(r.sources());
    }

    private static String text(Consolidation.Result r, boolean markdown) {
        StringBuilder sb = new StringBuilder(markdown ? "# " + MarkdownText.escape(title(r)) + "\n\n" : title(r) + "\n")
                .append(summary(r)).append('\n');
        if (boundLine(r) != null) {
            sb.append(boundLine(r)).append('\n');
        }
        sb.append('\n');
        if (r.actions().isEmpty()) {
            sb.append("Nothing to consolidate: every node stays (see why below).\n\n");
        } else {
            sb.append(markdown ? actions(r).renderMarkdown() : actions(r).renderAligned()).append('\n');
        }
        if (r.kept().isEmpty()) {
            sb.append("nodes kept: none\n\n");
        } else {
            sb.append(markdown ? "## Nodes kept\n\n" : "nodes kept:\n").append(markdown ? kept(r).renderMarkdown() : kept(r).renderAligned())
                    .append('\n');
        }
        if (!r.pendingUnplaced().isEmpty()) {
            sb.append(MarkdownText.of(markdown, pendingLine(r))).append(markdown ? "\n\n" : "\n");
        }
        for (String note : notes(r)) {
            // Notes name nodes and pods (the user's names): escaped in Markdown, one paragraph each.
            sb.append(MarkdownText.of(markdown, "note: " + note + ".")).append(markdown ? "\n\n" : "\n");
        }
        return sb.toString();
    }

    private static String csv(Consolidation.Result r) {
        List<List<String>> rows = new ArrayList<>();
        Double[] saving = shownSavings(r);
        for (int i = 0; i < r.actions().size(); i++) {
            Consolidation.Action a = r.actions().get(i);
            Consolidation.Partner with = a.mergedWith();
            int own = a.pods() - a.merged().stream().mapToInt(Consolidation.Partner::pods).sum();
            rows.add(List.of(a.node(), a.instanceType() == null ? "" : a.instanceType(), a.kind().label(),
                    a.replacement() == null && a.newNodes().isEmpty() ? "" : newType(a), Integer.toString(own),
                    saving[i] == null ? "" : Double.toString(saving[i]),
                    a.kind() == Consolidation.Kind.REPACK ? "repacked with " + a.merged().size() + " other node(s) onto " + a.nodesAdded()
                            + " new node(s)" : with == null ? "" : "merged with " + String.join(" and ",
                            a.merged().stream().map(Consolidation.Partner::node).toList())));
            for (Consolidation.Partner p : a.merged()) {
                rows.add(List.of(p.node(), p.instanceType() == null ? "" : p.instanceType(), a.kind().label(), newType(a),
                        Integer.toString(p.pods()), "0.0", (a.kind() == Consolidation.Kind.REPACK ? "repacked" : "merged") + " with " + a.node()
                                + " (the saving is on that row)"));
            }
        }
        for (Consolidation.Kept k : r.kept()) {
            rows.add(List.of(k.node(), k.instanceType() == null ? "" : k.instanceType(), "keep", "", "0", "0.0", k.reason()));
        }
        // The whole plan last: its saving, and the bound with the gap in the reason column.
        rows.add(List.of("(all workers)", "", "plan", "", Integer.toString(r.disruptedPods()),
                r.savingPerHour() == null ? "" : Double.toString(shownSaving(r)),
                // Dollars as the page writes them (QA 61a F9: "cost after 0.10 $/h" beside "$0.03/h").
                bound(r) == null ? COST_UNKNOWN : "cost after $" + PerHour.format(r.costAfter()) + "/h; " + bound(r)));
        return new TextTable(List.of(TextTable.Column.left("node"), TextTable.Column.left("instanceType"), TextTable.Column.left("action"),
                TextTable.Column.left("newInstanceType"), TextTable.Column.left("podsEvicted"), TextTable.Column.left("savingPerHour"),
                TextTable.Column.left("reason")), rows).renderCsv();
    }

    private static void partner(ObjectNode w, Consolidation.Partner p) {
        w.put("node", p.node());
        w.put("instanceType", p.instanceType());
        JsonTrees.putNullable(w, "pricePerHour", p.pricePerHour());
        w.put("podsEvicted", p.pods());
    }

    private static String json(Consolidation.Result r, Consolidation.Settings settings, String candidates) {
        ObjectNode root = JsonTrees.reportRoot("consolidate");
        ArrayNode sources = root.putArray("inputs");
        r.sources().forEach(sources::add);
        if (settings != null) {
            // The options by their flags' names, which decide which nodes may go: compare names those that differ.
            ObjectNode o = root.putObject("settings");
            o.put("noReplace", !settings.replace());
            JsonTrees.putNullable(o, "maxDisruptedPods", settings.maxDisruptedPods());
            o.put("expendablePodsPriorityCutoff", settings.expendablePodsPriorityCutoff());
            o.put("skipNodesWithSystemPods", settings.caSkip().systemPods());
            o.put("skipNodesWithLocalStorage", settings.caSkip().localStorage());
            o.put("skipNodesWithCustomControllerPods", settings.caSkip().customControllerPods());
            JsonTrees.putNullable(o, "scaleDownUtilizationThreshold", settings.utilisationThreshold());
        }
        if (candidates != null) {
            root.put("candidates", candidates);
        }
        ArrayNode actions = root.putArray("actions");
        Double[] saving = shownSavings(r);
        for (int i = 0; i < r.actions().size(); i++) {
            Consolidation.Action a = r.actions().get(i);
            ObjectNode o = actions.addObject();
            o.put("action", a.kind().label());
            o.put("node", a.node());
            o.put("instanceType", a.instanceType());
            JsonTrees.putNullable(o, "pricePerHour", a.pricePerHour());
            if (a.replacement() != null) {
                // Its daemonSets and podAllocatable as in recommend/pack: what the node's DaemonSet and static pods take there.
                o.set("replacement", JsonTrees.shape(a.replacement(), a.carried()));
            }
            if (!a.newNodes().isEmpty()) {
                ArrayNode added = o.putArray("newNodes");
                for (Consolidation.NewNodes n : a.newNodes()) {
                    ObjectNode x = added.addObject();
                    // As a replacement's: what the group's DaemonSet and static pods take on each new node (QA 55b F7).
                    x.set("shape", JsonTrees.shape(n.shape(), a.carried()));
                    x.put("count", n.count());
                    ArrayNode names = x.putArray("names");
                    n.names().forEach(names::add);
                }
            }
            o.put("podsEvicted", a.pods());
            if (a.mergedWith() != null) {
                partner(o.putObject("mergedWith"), a.mergedWith());
                if (a.merged().size() > 1) {
                    ArrayNode also = o.putArray("alsoMergedWith");
                    a.merged().subList(1, a.merged().size()).forEach(p -> partner(also.addObject(), p));
                }
            }
            ObjectNode moved = o.putObject("movedTo");
            a.movedTo().forEach(moved::put);
            ObjectNode podTo = o.putObject("podTo"); // which pod goes where: the counts above say only how many (QA 64a F4)
            a.podTo().forEach(podTo::put);
            JsonTrees.putNullable(o, "savingPerHour", saving[i]);
        }
        ArrayNode kept = root.putArray("kept");
        for (Consolidation.Kept k : r.kept()) {
            ObjectNode o = kept.addObject();
            o.put("node", k.node());
            o.put("instanceType", k.instanceType());
            o.put("reason", k.reason());
        }
        ObjectNode before = root.putObject("before");
        before.put("nodes", r.nodesBefore());
        JsonTrees.putNullable(before, "costPerHour", r.costBefore() == null ? null : Fmt.round(r.costBefore(), JSON_DECIMALS));
        ObjectNode after = root.putObject("after");
        after.put("nodes", r.nodesAfter());
        JsonTrees.putNullable(after, "costPerHour", r.costAfter() == null ? null : Fmt.round(r.costAfter(), JSON_DECIMALS));
        // before.costPerHour − after.costPerHour as written, as rightsize's saving is.
        JsonTrees.putNullable(root, "savingPerHour", r.savingPerHour() == null ? null : shownSaving(r));
        JsonTrees.putNullable(root, "savingPerMonth", savingPerMonth(r) == null ? null : Fmt.round(savingPerMonth(r), 2));
        JsonTrees.putNullable(root, "savingPercent", savingPercent(r) == null ? null : Fmt.round(savingPercent(r), 2));
        JsonTrees.putNullable(root, "lowerBoundCostPerHour", r.lowerBoundCostPerHour() == null ? null : Fmt.round(r.lowerBoundCostPerHour(), 4));
        JsonTrees.putNullable(root, "gapPercent", r.gapPercent() == null ? null : Fmt.round(r.gapPercent(), 2));
        root.put("podsEvicted", r.disruptedPods());
        ArrayNode pending = root.putArray("pendingUnplaced");
        r.pendingUnplaced().forEach(pending::add);
        // notes[] is the documented field and holds every note, this one first (after the one on a snapshot without
        // PodDisruptionBudgets, which limits it); "note" is the same text, kept
        // because reports before notes[] held it had only "note", and a reader of it would otherwise get null.
        root.put("note", CONSTRAINTS_NOTE);
        ArrayNode notes = root.putArray("notes");
        notes(r).forEach(notes::add);
        return JsonTrees.write(root);
    }
}
