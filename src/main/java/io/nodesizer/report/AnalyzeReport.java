package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.analyze.ClusterAnalysis;

import java.util.ArrayList;
import java.util.List;

/** {@code nodesizer analyze}: the running cluster per pool and per node, pending pods, today's cost. */
public final class AnalyzeReport {
    private AnalyzeReport() {
    }

    public static String render(ReportFormat format, ClusterAnalysis.Result r) {
        return switch (format) {
            case JSON -> json(r);
            case CSV -> csv(r);
            case MARKDOWN -> table(r, true); // tables and a list (QA 62a F8: the terminal's text in a code block)
            case HTML -> html(r);
            case TABLE -> table(r);
        };
    }

    private static String gpu(long millis) {
        return io.nodesizer.engine.Amounts.format(io.nodesizer.model.Resource.GPU, millis);
    }

    private static String pct(long used, long of) {
        return of <= 0 ? "–" : String.format(java.util.Locale.ROOT, "%.1f", 100.0 * used / of);
    }

    static String table(ClusterAnalysis.Result r) {
        return table(r, false);
    }

    /** The terminal's table, or the same in Markdown: a heading, Markdown tables, the facts as a list. */
    static String table(ClusterAnalysis.Result r, boolean md) {
        Page page = page(r);
        StringBuilder sb = new StringBuilder(md ? "# " + MarkdownText.escape(page.title()) : page.title()).append("\n\n");
        sb.append(render(page.pools(), md)).append('\n');
        sb.append(render(page.nodes(), md)).append('\n');
        for (Fact f : page.facts()) {
            fact(sb, md, f.label(), f.value());
            for (String item : f.items()) {
                sb.append(md ? "  - " : "  ").append(MarkdownText.of(md, item)).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The page as HTML (QA 76b F6: it was the terminal's text in a {@code <pre>}): the pools and nodes as tables with their
     * numbers right-aligned, each node's requests as a share of its allocatable drawn ({@link NodeFillChart}, as pack's and
     * recommend's nodes), the facts as a table and the pending pods as a list; the input in the title, as in every format.
     */
    private static String html(ClusterAnalysis.Result r) {
        Page page = page(r);
        StringBuilder body = new StringBuilder(HtmlReport.section("Pools", HtmlReport.table(page.pools())));
        if (!r.nodes().isEmpty()) {
            List<ClusterAnalysis.NodeRow> rows = r.nodes();
            // A resource is drawn when some node has it; a node without it (a CPU node beside GPU ones) has no point.
            NodeFillChart.Share share = (n, res) -> {
                long of = rows.get(n).node().allocatable().get(res);
                return of <= 0 ? Double.NaN : (double) rows.get(n).requested().get(res) / of;
            };
            body.append(HtmlReport.section("Nodes", NodeFillChart.of("node-fill", rows.size(), n -> rows.get(n).node().name(), share,
                    res -> rows.stream().anyMatch(n -> n.node().allocatable().get(res) > 0), "node",
                    "% of allocatable requested", "requests per node (DaemonSets included) as a share of its allocatable")
                    + HtmlReport.table(page.nodes())));
        } else {
            body.append(HtmlReport.section("Nodes", HtmlReport.table(page.nodes())));
        }
        List<List<String>> facts = new ArrayList<>();
        StringBuilder lists = new StringBuilder();
        for (Fact f : page.facts()) {
            facts.add(List.of(f.label(), f.value()));
            if (!f.items().isEmpty()) {
                lists.append(HtmlReport.section(f.label().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + f.label().substring(1)
                        + " pods", "<ul>" + f.items().stream().map(i -> "<li>" + HtmlReport.escape(i) + "</li>")
                        .collect(java.util.stream.Collectors.joining()) + "</ul>"));
            }
        }
        body.append(HtmlReport.section("Cluster", HtmlReport.table(new TextTable(List.of(TextTable.Column.left("what"),
                TextTable.Column.left("value")), facts)))).append(lists);
        return HtmlReport.page(page.title(), body.toString());
    }

    /** A fact under the tables: its label ("" goes on with the fact above), its value, and the items listed under it. */
    private record Fact(String label, String value, List<String> items) {
        Fact(String label, String value) {
            this(label, value, List.of());
        }
    }

    /** What every human-readable format shows: the title, the pool and node tables, the facts. */
    private record Page(String title, TextTable pools, TextTable nodes, List<Fact> facts) {
    }

    private static Page page(ClusterAnalysis.Result r) {
        String title = "nodesizer analyze: " + r.nodes().size() + (r.nodes().size() == 1 ? " node, " : " nodes, ") + r.pools().size()
                + (r.pools().size() == 1 ? " pool" : " pools") + " " + Fmt.inParens(r.sources());
        List<Fact> facts = new ArrayList<>();
        // GPUs get columns of their own where a node has any: on a GPU pool they are most of the price, and its CPU and
        // memory shares said nothing of them (QA 49b F4: a pool with every GPU taken read "8.5 % CPU, 9 % mem").
        boolean gpus = r.nodes().stream().anyMatch(n -> n.node().allocatable().gpuMillis() > 0);
        List<List<String>> pools = new ArrayList<>();
        for (ClusterAnalysis.PoolRow p : r.pools()) {
            List<String> row = new ArrayList<>(List.of(p.pool(), p.instanceType(), Integer.toString(p.nodes()),
                    Fmt.cpu(p.allocatable().cpuMillis()), Fmt.cpu(p.requested().cpuMillis()), pct(p.requested().cpuMillis(),
                    p.allocatable().cpuMillis()), Fmt.gib(p.allocatable().memoryBytes()), Fmt.gib(p.requested().memoryBytes()),
                    pct(p.requested().memoryBytes(), p.allocatable().memoryBytes())));
            if (gpus) {
                row.addAll(List.of(gpu(p.allocatable().gpuMillis()), gpu(p.requested().gpuMillis()),
                        pct(p.requested().gpuMillis(), p.allocatable().gpuMillis())));
            }
            row.add(Fmt.money(p.costPerHour()));
            pools.add(row);
        }
        List<TextTable.Column> poolColumns = new ArrayList<>(List.of(TextTable.Column.left("pool"), TextTable.Column.left("instance type"),
                TextTable.Column.right("nodes"), TextTable.Column.right("alloc CPU"), TextTable.Column.right("req CPU"),
                TextTable.Column.right("CPU %"), TextTable.Column.right("alloc GiB"), TextTable.Column.right("req GiB"),
                TextTable.Column.right("mem %")));
        if (gpus) {
            poolColumns.addAll(List.of(TextTable.Column.right("alloc GPU"), TextTable.Column.right("req GPU"), TextTable.Column.right("GPU %")));
        }
        poolColumns.add(TextTable.Column.right("$/h"));
        TextTable poolTable = new TextTable(poolColumns, pools);
        List<List<String>> nodes = new ArrayList<>();
        for (ClusterAnalysis.NodeRow n : r.nodes()) {
            List<String> row = new ArrayList<>(List.of(n.node().name() + mark(n), n.node().pool(),
                    n.node().zone() == null ? "–" : n.node().zone(), Integer.toString(n.pods()),
                    pct(n.requested().cpuMillis(), n.node().allocatable().cpuMillis()),
                    pct(n.requested().memoryBytes(), n.node().allocatable().memoryBytes())));
            if (gpus) {
                row.add(pct(n.requested().gpuMillis(), n.node().allocatable().gpuMillis()));
            }
            row.addAll(List.of(pct(n.requested().pods(), n.node().allocatable().pods()),
                    Fmt.cpu(n.daemonSets().cpuMillis()), Fmt.gib(n.daemonSets().memoryBytes()),
                    Fmt.cpu(n.stranded().cpuMillis()), Fmt.gib(n.stranded().memoryBytes()),
                    n.unplaceableIfLost() == null ? "–" : Integer.toString(n.unplaceableIfLost())));
            nodes.add(row);
        }
        List<TextTable.Column> nodeColumns = new ArrayList<>(List.of(TextTable.Column.left("node"), TextTable.Column.left("pool"),
                TextTable.Column.left("zone"), TextTable.Column.right("pods"), TextTable.Column.right("CPU %"), TextTable.Column.right("mem %")));
        if (gpus) {
            nodeColumns.add(TextTable.Column.right("GPU %"));
        }
        nodeColumns.addAll(List.of(TextTable.Column.right("pods %"), TextTable.Column.right("DS CPU"), TextTable.Column.right("DS GiB"),
                TextTable.Column.right("stranded CPU"), TextTable.Column.right("stranded GiB"), TextTable.Column.right("lost if down")));
        TextTable nodeTable = new TextTable(nodeColumns, nodes);
        if (!r.failureChecked()) {
            // Every row's "–" read as "nothing lost" or as a bug (QA 66a L2): said once why it is none.
            facts.add(new Fact("lost if down", lostIfDownSkipped(r)));
        }
        facts.add(new Fact("cost", (r.costPerHour() == null ? "unknown" : "$" + Fmt.money(r.costPerHour()) + "/h, $"
                + Fmt.money(costPerMonth(r)) + "/month") + (r.unknownTypes().isEmpty() ? "" : " (no price for "
                + String.join(", ", r.unknownTypes()) + ")") + (r.perPodNodes() == 0 ? "" : "; " + r.perPodNodes()
                + " node" + (r.perPodNodes() == 1 ? "" : "s") + " billed per pod (EKS Fargate, virtual kubelet) not included")));
        String region = regionNote(r);
        if (region != null) {
            facts.add(new Fact("prices", region));
        }
        String fee = feeNote(r);
        if (fee != null) {
            facts.add(new Fact(region == null ? "prices" : "", fee));
        }
        long strandedCpu = r.nodes().stream().mapToLong(n -> n.stranded().cpuMillis()).sum();
        long strandedMem = r.nodes().stream().mapToLong(n -> n.stranded().memoryBytes()).sum();
        facts.add(new Fact("stranded", io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, strandedCpu)
                + " CPU, " + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, strandedMem)
                + " GiB free on nodes where no pod of the cluster asking it fits what is left"));
        List<ClusterAnalysis.NodeRow> closed = r.nodes().stream().filter(n -> n.node().closed()).toList();
        if (!closed.isEmpty()) {
            io.nodesizer.model.Resources free = closedFree(r);
            long cordoned = closed.stream().filter(n -> n.node().unschedulable()).count();
            long deleting = closed.stream().filter(n -> !n.node().unschedulable() && n.node().deletedBy() != null).count();
            facts.add(new Fact("closed", io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, free.cpuMillis())
                    + " CPU, " + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, free.memoryBytes())
                    + " GiB free on " + closed.size() + (closed.size() == 1 ? " node" : " nodes") + " closed to new pods ("
                    + cordoned + " cordoned, " + (deleting == 0 ? "" : deleting + " being deleted by an autoscaler, ")
                    + (closed.size() - cordoned - deleting) + " not ready or unreachable)"));
        }
        List<ClusterAnalysis.NodeRow> controlPlane = r.nodes().stream().filter(AnalyzeReport::controlPlaneOpen).toList();
        if (!controlPlane.isEmpty()) {
            io.nodesizer.model.Resources free = controlPlaneFree(r);
            facts.add(new Fact("control plane", io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, free.cpuMillis())
                    + " CPU, " + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, free.memoryBytes())
                    + " GiB free on " + Fmt.count(controlPlane.size(), "control-plane node", "control-plane nodes")
                    + ", kept for the control plane by " + (controlPlane.size() == 1 ? "its taint" : "their taints") + " (not stranded)"));
        }
        facts.add(new Fact("pending", r.pending().size() + (r.pending().size() == 1 ? " pod" : " pods"),
                r.pending().stream().map(p -> p.pod().fullName() + ": " + p.reason()).toList()));
        String over = ClusterAnalysis.overAllocatableNote(r.nodes());
        if (over != null) {
            facts.add(new Fact("overfull", over)); // a label within the facts' 15 columns
        }
        if (!r.podsOnUnknownNodes().isEmpty()) {
            facts.add(new Fact("not counted", Fmt.count(r.podsOnUnknownNodes().size(), "pod", "pods") + " on nodes the snapshot does not list ("
                    + String.join(", ", r.podsOnUnknownNodes().subList(0, Math.min(3, r.podsOnUnknownNodes().size())))
                    + (r.podsOnUnknownNodes().size() > 3 ? ", …" : "") + ")"));
        }
        return new Page(title, poolTable, nodeTable, facts);
    }

    private static String render(TextTable t, boolean md) {
        return md ? t.renderMarkdown() : t.renderAligned();
    }

    /**
     * A fact under the tables: its label padded to the values' column in the terminal ("cost           $0.51/h"), an item
     * of a list in Markdown ("- cost: $0.51/h"); a label left empty goes on with the fact above it.
     */
    private static void fact(StringBuilder sb, boolean md, String label, String value) {
        if (md) {
            sb.append(label.isEmpty() ? "  " : "- " + label + ": ").append(MarkdownText.escape(value)).append('\n');
        } else {
            sb.append(String.format(java.util.Locale.ROOT, "%-15s", label)).append(value).append('\n');
        }
    }

    /** {@link ClusterAnalysis#autoModeFeeNote} of the analysed nodes. */
    private static String feeNote(ClusterAnalysis.Result r) {
        return ClusterAnalysis.autoModeFeeNote(r.nodes().stream().map(ClusterAnalysis.NodeRow::node).toList());
    }

    /** {@link ClusterAnalysis#regionNote} of the analysed nodes. */
    private static String regionNote(ClusterAnalysis.Result r) {
        return ClusterAnalysis.regionNote(r.nodes().stream().map(ClusterAnalysis.NodeRow::node).toList());
    }

    /** Why "lost if down" has no figure: "not estimated: 7.2·10⁸ pod × node checks (…), above the limit of 5·10⁷ …". */
    private static String lostIfDownSkipped(ClusterAnalysis.Result r) {
        long pods = r.nodes().isEmpty() ? 0 : r.failureChecks() / r.nodes().size();
        return "not estimated: " + powerOfTen(r.failureChecks()) + " pod × node checks (" + Fmt.count(pods, "pod", "pods") + " × "
                + Fmt.count(r.nodes().size(), "node", "nodes") + "), above the limit of " + powerOfTen(ClusterAnalysis.FAILURE_CHECK_LIMIT)
                + " (the check grows with their product)";
    }

    /** 720,000,000 as "7.2·10⁸", 50,000,000 as "5·10⁷": two significant digits. */
    static String powerOfTen(long n) {
        int exponent = (int) Math.floor(Math.log10(n));
        double mantissa = Math.round(n / Math.pow(10, exponent) * 10) / 10.0;
        if (mantissa >= 10) {
            mantissa /= 10;
            exponent++;
        }
        String digits = Integer.toString(exponent).chars().mapToObj(c -> String.valueOf("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(c - '0')))
                .collect(java.util.stream.Collectors.joining());
        return io.nodesizer.engine.Amounts.trim(mantissa) + "·10" + digits;
    }

    /** The cluster's cost over a 730-hour month, as every report's $/month; the table's and the JSON's. */
    private static double costPerMonth(ClusterAnalysis.Result r) {
        return r.costPerHour() * io.nodesizer.sweep.ShapeEvaluation.HOURS_PER_MONTH;
    }

    private static String csv(ClusterAnalysis.Result r) {
        List<TextTable.Column> columns = new ArrayList<>();
        for (String header : List.of("node", "pool", "instanceType", "zone", "pods", "allocCpuMillis", "requestedCpuMillis", "allocMemoryBytes",
                "requestedMemoryBytes", "allocPods", "daemonSetCpuMillis", "daemonSetMemoryBytes", "strandedCpuMillis", "strandedMemoryBytes",
                // GPUs appended last, so that readers by position keep working (QA c F6); always there, 0 without GPUs, as pack's
                // gpuMillis, so that a file's columns do not depend on the cluster.
                "pricePerHour", "allocGpuMillis", "requestedGpuMillis",
                // after them, for the same reason: true on a tainted control-plane node, whose room is not stranded (QA 64a F17)
                "controlPlane",
                // and after that: how many of its pods would find no room if it failed, empty where not estimated (QA 66a L3)
                "unplaceableIfLost",
                // then the states that close a node to new pods (QA 74 F3: a CSV could not tell closed nodes apart): cordoned
                // (true/false), notReady (unreachable, not ready, out of service, or empty), deletedBy (the autoscaler, or empty)
                "cordoned", "notReady", "deletedBy")) {
            columns.add(TextTable.Column.left(header));
        }
        List<List<String>> rows = new ArrayList<>();
        for (ClusterAnalysis.NodeRow n : r.nodes()) {
            rows.add(List.of(n.node().name(), n.node().pool(), n.node().instanceType() == null ? "" : n.node().instanceType(),
                    n.node().zone() == null ? "" : n.node().zone(), Integer.toString(n.pods()),
                    Long.toString(n.node().allocatable().cpuMillis()), Long.toString(n.requested().cpuMillis()),
                    Long.toString(n.node().allocatable().memoryBytes()), Long.toString(n.requested().memoryBytes()),
                    Long.toString(n.node().allocatable().pods()), Long.toString(n.daemonSets().cpuMillis()),
                    Long.toString(n.daemonSets().memoryBytes()), Long.toString(n.stranded().cpuMillis()),
                    Long.toString(n.stranded().memoryBytes()), n.pricePerHour() == null ? "" : Double.toString(n.pricePerHour()),
                    Long.toString(n.node().allocatable().gpuMillis()), Long.toString(n.requested().gpuMillis()),
                    Boolean.toString(n.node().controlPlane()), n.unplaceableIfLost() == null ? "" : Integer.toString(n.unplaceableIfLost()),
                    Boolean.toString(n.node().unschedulable()), n.node().notReady() == null ? "" : n.node().notReady(),
                    n.node().deletedBy() == null ? "" : n.node().deletedBy()));
        }
        return new TextTable(columns, rows).renderCsv();
    }

    /**
     * What the node table says beside a node's name: its states that close it to new pods (cordoned, being deleted, not
     * ready or unreachable: QA 74 F3, the closed total named no node), else "control plane" for a tainted one.
     */
    private static String mark(ClusterAnalysis.NodeRow n) {
        List<String> states = new ArrayList<>(3);
        if (n.node().unschedulable()) {
            states.add("cordoned");
        }
        if (n.node().deletedBy() != null) {
            states.add("deleting");
        }
        if (n.node().notReady() != null) {
            states.add(n.node().notReady());
        }
        if (states.isEmpty() && controlPlaneOpen(n)) {
            states.add("control plane");
        }
        return states.isEmpty() ? "" : " (" + String.join(", ", states) + ")";
    }

    /** The free room of the nodes closed to new pods (cordoned, being deleted, not ready), which is not stranded. */
    private static io.nodesizer.model.Resources closedFree(ClusterAnalysis.Result r) {
        return freeOf(r, n -> n.node().closed());
    }

    /**
     * A control-plane node ({@link io.nodesizer.model.ClusterSnapshot.Node#controlPlane}: its role label and NoSchedule
     * taint) open to its own pods; a closed one is counted with the closed nodes, once.
     */
    private static boolean controlPlaneOpen(ClusterAnalysis.NodeRow n) {
        return n.node().controlPlane() && !n.node().closed();
    }

    /** The free room of the control-plane nodes, kept off workloads by their taint by design: not stranded (QA 64a F17). */
    private static io.nodesizer.model.Resources controlPlaneFree(ClusterAnalysis.Result r) {
        return freeOf(r, AnalyzeReport::controlPlaneOpen);
    }

    private static io.nodesizer.model.Resources freeOf(ClusterAnalysis.Result r, java.util.function.Predicate<ClusterAnalysis.NodeRow> which) {
        io.nodesizer.model.Resources free = io.nodesizer.model.Resources.ZERO;
        for (ClusterAnalysis.NodeRow n : r.nodes()) {
            free = which.test(n) ? free.plus(n.free()) : free;
        }
        return free;
    }

    private static String json(ClusterAnalysis.Result r) {
        ObjectNode root = JsonTrees.reportRoot("analyze");
        ArrayNode sources = root.putArray("inputs");
        r.sources().forEach(sources::add);
        ArrayNode nodes = root.putArray("nodes");
        for (ClusterAnalysis.NodeRow n : r.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.node().name());
            o.put("pool", n.node().pool());
            o.put("instanceType", n.node().instanceType());
            o.put("zone", n.node().zone());
            o.put("cordoned", n.node().unschedulable());
            o.put("controlPlane", n.node().controlPlane());
            // ObjectNode.put writes a null String as null, as for instanceType and zone above.
            o.put("deletedBy", n.node().deletedBy()); // an autoscaler draining it (its taint), or null
            o.put("notReady", n.node().notReady()); // the lifecycle controller's taint: unreachable, not ready, out of service; or null
            // The same states as a list, [] for none: "unreachable and out of service" was two states in one string (fix 76f).
            ArrayNode states = o.putArray("notReadyStates");
            n.node().notReadyStates().forEach(states::add);
            o.put("closed", n.node().closed()); // closed to new pods: cordoned, deleting or not ready (its free room in closedFree)
            o.put("pods", n.pods());
            o.set("allocatable", JsonTrees.resources(n.node().allocatable()));
            o.set("requested", JsonTrees.resources(n.requested()));
            o.set("daemonSets", JsonTrees.resources(n.daemonSets()));
            o.set("stranded", JsonTrees.resources(n.stranded()));
            if (n.unplaceableIfLost() == null) {
                o.putNull("unplaceableIfLost");
            } else {
                o.put("unplaceableIfLost", n.unplaceableIfLost());
            }
            if (n.pricePerHour() == null) {
                o.putNull("pricePerHour");
            } else {
                o.put("pricePerHour", n.pricePerHour());
            }
        }
        ArrayNode pools = root.putArray("pools");
        for (ClusterAnalysis.PoolRow p : r.pools()) {
            ObjectNode o = pools.addObject();
            o.put("pool", p.pool());
            o.put("instanceType", p.instanceType());
            o.put("nodes", p.nodes());
            o.set("allocatable", JsonTrees.resources(p.allocatable()));
            o.set("requested", JsonTrees.resources(p.requested()));
            if (p.costPerHour() == null) {
                o.putNull("costPerHour");
            } else {
                o.put("costPerHour", Math.round(p.costPerHour() * 1e4) / 1e4);
            }
        }
        ArrayNode pending = root.putArray("pending");
        for (ClusterAnalysis.Pending p : r.pending()) {
            pending.addObject().put("pod", p.pod().fullName()).put("reason", p.reason());
        }
        if (r.costPerHour() == null) {
            root.putNull("costPerHour");
        } else {
            root.put("costPerHour", Math.round(r.costPerHour() * 1e4) / 1e4);
        }
        JsonTrees.putNullable(root, "costPerMonth", r.costPerHour() == null ? null : Fmt.round(costPerMonth(r), 2));
        root.set("closedFree", JsonTrees.resources(closedFree(r))); // on cordoned, deleting and not-ready nodes: not stranded
        root.set("controlPlaneFree", JsonTrees.resources(controlPlaneFree(r))); // on tainted control-plane nodes: not stranded
        root.put("perPodNodesNotInCost", r.perPodNodes());
        root.put("unplaceableIfLostNote", r.failureChecked() ? null : "lost if down " + lostIfDownSkipped(r)); // null when estimated
        root.put("priceRegionNote", regionNote(r)); // null when the prices are the nodes' region's, or it is not known
        root.put("autoModeFeeNote", feeNote(r)); // null when no node is EKS Auto Mode's
        root.put("overAllocatableNote", ClusterAnalysis.overAllocatableNote(r.nodes())); // null when no node's pods request more
        ArrayNode unknown = root.putArray("unknownInstanceTypes");
        r.unknownTypes().forEach(unknown::add);
        ArrayNode orphans = root.putArray("podsOnUnknownNodes");
        r.podsOnUnknownNodes().forEach(orphans::add);
        return JsonTrees.write(root);
    }
}
