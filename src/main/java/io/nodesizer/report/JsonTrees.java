package io.nodesizer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.bound.LowerBound;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.Verdicts;

/**
 * The JSON shapes shared by {@code pack} and {@code recommend} (field names are a contract: see
 * the README's JSON schema). Resources are integers in base units; a missing value is null.
 */
final class JsonTrees {
    /** Every JSON report (and the charts' data in HTML) is written through this: doubles in plain notation. */
    static final ObjectMapper MAPPER = new ObjectMapper(PlainDecimals.jsonFactory()).enable(SerializationFeature.INDENT_OUTPUT);

    private JsonTrees() {
    }

    static ObjectNode resources(Resources r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("cpuMillis", r.cpuMillis());
        o.put("memoryBytes", r.memoryBytes());
        o.put("pods", r.pods());
        o.put("gpus", (r.gpuMillis() + 999) / 1000);
        o.put("gpuMillis", r.gpuMillis());
        o.put("ephemeralStorageBytes", r.ephemeralStorageBytes());
        return o;
    }

    /** What was read, the same object in pack and recommend (their README schema is one). */
    static ObjectNode workload(WorkloadSummary w) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("pods", w.pods());
        o.put("groups", w.groups());
        o.set("requests", resources(w.totalRequests()));
        putFinite(o, "memoryPerCpuGib", Fmt.round(w.memoryPerCpuGib(), 3));
        ArrayNode sources = o.putArray("sources");
        w.sources().forEach(sources::add);
        ArrayNode daemonSets = o.putArray("daemonSets");
        w.daemonSets().forEach(daemonSets::add);
        // The lines of w.ignored() by what they say of their object (QA 67a F5): added arrays, so schemaVersion stays.
        java.util.Map<WorkloadSummary.Listed, ArrayNode> listed = new java.util.EnumMap<>(WorkloadSummary.Listed.class);
        for (WorkloadSummary.Listed l : WorkloadSummary.Listed.values()) {
            listed.put(l, MAPPER.createArrayNode());
        }
        w.ignored().forEach(line -> listed.get(WorkloadSummary.listed(line)).add(line));
        o.set("ignored", listed.get(WorkloadSummary.Listed.LEFT_OUT));
        ArrayNode approximated = o.putArray("approximated"); // added, so schemaVersion stays: these pods are packed
        w.approximated().forEach(approximated::add);
        o.set("applied", listed.get(WorkloadSummary.Listed.APPLIED));
        o.set("warnings", listed.get(WorkloadSummary.Listed.CAVEAT));
        ArrayNode notes = o.putArray("notes");
        w.notes().forEach(notes::add);
        return o;
    }

    static ObjectNode shape(NodeShape s, Resources daemonSets) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", s.name());
        o.put("provider", s.provider());
        o.put("family", s.family());
        o.put("arch", s.arch());
        o.put("reservation", s.reservation());
        if (!s.gpuModel().isEmpty()) {
            o.put("gpuModel", io.nodesizer.model.GpuModels.board(s)); // the board where the family names it (review 69 #10: p4d and p4de both read a100)
        }
        if (!s.gpuVendor().isEmpty()) {
            o.put("gpuVendor", s.gpuVendor()); // which device-plugin resource (nvidia.com/gpu, amd.com/gpu) its GPUs are
        }
        o.put("memoryPerCpuGib", Fmt.round(s.memoryPerCpuGib(), 3));
        o.set("capacity", resources(s.capacity()));
        o.set("kubeletCapacity", resources(s.kubeletCapacity())); // the nominal capacity less what the OS keeps: what the node reports
        o.set("allocatable", resources(s.allocatable()));
        o.set("daemonSets", resources(daemonSets));
        o.set("podAllocatable", resources(s.allocatable().minusFloorZero(daemonSets)));
        putNullable(o, "pricePerHour", s.pricePerHourUsd());
        return o;
    }

    /**
     * The version of the JSON reports' layout ({@code schemaVersion}, beside {@code command} at the top of every report):
     * raised when a field is removed, renamed or changes its meaning or unit, not when one is added, so that a reader
     * that knows version N reads every report of version N whatever it adds. {@code compare} refuses reports of a later
     * version; reports written before the field existed read as version 1. Version 2 (session 77): recommend's
     * {@code unschedulable} lists the first {@code --max-listed} pods of a shape (100 by default), no longer every one;
     * {@code unschedulableCount} counts them all.
     */
    public static final int SCHEMA_VERSION = 2;

    /** A report's top-level object, its {@code command} and {@code schemaVersion} first. */
    public static ObjectNode reportRoot(String command) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("command", command);
        o.put("schemaVersion", SCHEMA_VERSION);
        return o;
    }

    /** {@link #evaluation(ShapeEvaluation, String, boolean, int)} listing every pod left out: pack's, the per-pod answer. */
    static ObjectNode evaluation(ShapeEvaluation e, String command, boolean timings) {
        return evaluation(e, command, timings, ALL_LISTED);
    }

    /**
     * The per-shape object: the fields of {@code pack -o json} plus the sweep's extras.
     *
     * @param timings   false leaves wall-clock fields null, so that output is byte-identical across runs
     * @param maxListed the pods left out listed one by one in {@code unschedulable} ({@link #ALL_LISTED}: every one)
     */
    static ObjectNode evaluation(ShapeEvaluation e, String command, boolean timings, int maxListed) {
        return evaluation(e, command, timings, maxListed, Fmt.PER_HOUR_DECIMALS);
    }

    /**
     * @param perHourDecimals the decimals of the costs per hour: {@link Fmt#PER_HOUR_DECIMALS}, as the node's price, but
     *                        four in rightsize, whose saving per hour is documented as the difference of 4-decimal costs
     */
    static ObjectNode evaluation(ShapeEvaluation e, String command, boolean timings, int maxListed, int perHourDecimals) {
        ObjectNode o = command != null ? reportRoot(command) : MAPPER.createObjectNode();
        o.put("strategy", e.strategy());
        o.put("optimized", e.optimized());
        if (command == null) {
            // recommend's: the dominated shape whose packing this shape holds, null for its own (pack has one shape).
            o.put("packingOf", e.packingOf());
        }
        ObjectNode shape = o.putObject("shape");
        shape.setAll(shape(e.shape(), e.daemonSetLoad()));
        if (!e.daemonSetsByZone().isEmpty()) {
            // Where the packing charged the DaemonSets zone by zone: daemonSets/podAllocatable above are the heaviest zone's.
            ObjectNode byZone = shape.putObject("daemonSetsByZone");
            ObjectNode podsByZone = shape.putObject("podAllocatableByZone");
            e.daemonSetsByZone().forEach((zone, load) -> {
                byZone.set(zone, resources(load));
                podsByZone.set(zone, resources(e.shape().allocatable().minusFloorZero(load)));
            });
            shape.set("pricePerHour", shape.remove("pricePerHour")); // last, as without zones
        }
        o.put("pods", e.pods());
        o.put("nodes", e.nodes());
        if (e.sizing() != null) {
            o.put("packedNodes", e.packedNodes());
            o.put("headroomNodes", e.nodes() - e.packedNodes());
            putNullable(o, "headroomCostPerHour", e.headroomCostPerHour() == null ? null : Fmt.round(e.headroomCostPerHour(), perHourDecimals));
            if (e.sizing().zoneCounts() != null) {
                // Round-robin where not sized zone by zone: the README promised the field with --zones (QA 50c).
                ArrayNode perZone = o.putArray("nodesPerZone");
                e.sizing().zoneCounts().forEach(perZone::add);
                if (e.sizing().zoneLossReported()) {
                    o.put("podsLeftOutAfterZoneLoss", e.sizing().podsLeftOutAfterZoneLoss());
                    // Zones whose loss, played on the cluster as it runs, did not pass the verifier: not known to be survived.
                    o.put("zoneLossesUnchecked", e.sizing().zoneLossesUnchecked());
                }
            }
        }
        o.put("lowerBound", e.lowerBound().value());
        o.put("lowerBoundMethod", e.lowerBound().method());
        ObjectNode parts = o.putObject("lowerBounds");
        for (LowerBound.Part p : e.lowerBound().parts()) {
            parts.put(p.method(), p.value());
        }
        putFinite(o, "gapPercent", Fmt.round(e.gapPercent(), 2));
        if (e.sizedToSurvive()) {
            // The HA sizing's own bound and gap: the packing's gap says nothing of the spares.
            o.put("haLowerBound", e.haLowerBound());
            putFinite(o, "haGapPercent", Fmt.round(e.haGapPercent(), 2));
        }
        putUnschedulable(o, e.unschedulable(), e.unschedulableCount(), maxListed);
        putNullable(o, "costPerHour", e.costPerHour() == null ? null : Fmt.round(e.costPerHour(), perHourDecimals));
        putNullable(o, "costPerMonth", round2(e.costPerMonth()));
        putNullable(o, "costPerHourNPlusOne", e.costPerHourNPlusOne() == null ? null : Fmt.round(e.costPerHourNPlusOne(), perHourDecimals));
        putNullable(o, "costPerMonthNPlusOne", round2(e.costPerMonthNPlusOne()));
        putNullable(o, "boundCostPerMonth", round2(e.boundCostPerMonth())); // the least this shape can cost: its bound's nodes
        ObjectNode util = o.putObject("utilization");
        putFinite(util, "cpu", Fmt.round(e.cpuUtilization(), 4));
        putFinite(util, "memory", Fmt.round(e.memoryUtilization(), 4));
        putFinite(util, "gpu", Fmt.round(e.gpuUtilization(), 4)); // null without GPUs (QA 69a F10: the table had GPU % alone)
        ObjectNode stranded = o.putObject("stranded");
        stranded.put("cpuMillis", e.strandedCpuMillis());
        stranded.put("memoryBytes", e.strandedMemoryBytes());
        putFinite(o, "failureLossPercent", Fmt.round(e.failureLossPercent(), 2));
        o.put("sizeClass", Verdicts.SizeClass.of(e).label());
        ArrayNode tried = o.putArray("strategies");
        for (ShapeEvaluation.StrategyRun run : e.tried()) {
            ObjectNode t = tried.addObject();
            t.put("strategy", run.strategy());
            putNullable(t, "nodes", run.nodes());
            t.put("skipped", run.skipped()); // why the stage did not run, null when it ran
            putNullable(t, "elapsedMillis", timings ? Fmt.round(run.elapsedNanos() / 1e6, 3) : null);
        }
        putNullable(o, "elapsedMillis", timings ? Fmt.round(e.elapsedNanos() / 1e6, 3) : null);
        return o;
    }

    /** {@code --max-listed all}: every pod left out is listed. */
    static final int ALL_LISTED = Integer.MAX_VALUE;

    /**
     * The pods left out, as a shape's object and the mix's have them: {@code unschedulableCount} (all of them),
     * {@code unschedulableListed} (how many {@code unschedulable} lists: fewer than the count when the list is cut),
     * {@code unschedulableReasons} (every one counted, by reason) and {@code unschedulable} (the first {@code maxListed},
     * in the order the packing gives them). The count and the reasons come first, so that a reader of the first lines of
     * a long report has them; all four are written as the tree is, one shape at a time.
     */
    static void putUnschedulable(ObjectNode o, java.util.List<ShapeEvaluation.UnschedulableGroup> groups, int count, int maxListed) {
        o.put("unschedulableCount", count);
        o.put("unschedulableListed", Math.min(count, maxListed));
        o.putPOJO("unschedulableReasons", new UnschedulableReasons(groups, count));
        o.putPOJO("unschedulable", new UnschedulablePods(groups, count, maxListed));
    }

    /**
     * The {@code unschedulable} array, {@code {"pod", "reason"}} for each of the first {@code maxListed} pods, written
     * straight to the generator when the tree is: the text a tree of those objects gives, without the tree. A shape that
     * takes none of a GPU trace's 150,000 pods has as many; a recommend over a whole catalog has hundreds of such shapes,
     * whose trees filled a 1 GB heap, and listing them all wrote 15.6 GB (hence recommend's {@code --max-listed}).
     */
    private record UnschedulablePods(java.util.List<ShapeEvaluation.UnschedulableGroup> groups, int count, int maxListed)
            implements WrittenDirectly {
        @Override
        public void serialize(com.fasterxml.jackson.core.JsonGenerator gen, com.fasterxml.jackson.databind.SerializerProvider provider)
                throws java.io.IOException {
            if (COUNTS_ONLY.get()) {
                gen.writeNumber(count);
                return;
            }
            gen.writeStartArray();
            int listed = 0;
            // Not a step past the last listed pod: a NeverPlaced list words each reason it walks by, and builds a problem to
            // start (the rest are counted in unschedulableReasons).
            for (java.util.Iterator<ShapeEvaluation.UnschedulableGroup> it = maxListed > 0 ? groups.iterator()
                    : java.util.Collections.emptyIterator(); listed < maxListed && it.hasNext(); ) {
                ShapeEvaluation.UnschedulableGroup u = it.next();
                PodGroup g = u.group();
                for (int i = u.firstReplica(); i < g.replicas() && listed < maxListed; i++, listed++) {
                    gen.writeStartObject();
                    gen.writeStringField("pod", g.podName(i));
                    gen.writeStringField("reason", u.reason());
                    gen.writeEndObject();
                }
            }
            gen.writeEndArray();
        }
    }

    /** How many examples each of {@code unschedulableReasons} names. */
    static final int REASON_EXAMPLES = 3;

    /**
     * The {@code unschedulableReasons} array: {@code {"reason", "pods", "examples"}} per distinct reason text, most pods
     * first, then by reason; {@code examples} the first {@value #REASON_EXAMPLES} pods with it, in list order. Counted over
     * every pod left out whatever is listed, on one walk of the list (a shape's few reasons are all it keeps).
     */
    private record UnschedulableReasons(java.util.List<ShapeEvaluation.UnschedulableGroup> groups, int count) implements WrittenDirectly {
        @Override
        public void serialize(com.fasterxml.jackson.core.JsonGenerator gen, com.fasterxml.jackson.databind.SerializerProvider provider)
                throws java.io.IOException {
            if (COUNTS_ONLY.get()) {
                gen.writeNumber(count); // a sweep's run reads no reason: wording 130,000 of them per shape is its time
                return;
            }
            java.util.Map<String, ReasonTally> byReason = new java.util.HashMap<>();
            for (ShapeEvaluation.UnschedulableGroup u : groups) {
                byReason.computeIfAbsent(u.reason(), ReasonTally::new).add(u);
            }
            java.util.List<ReasonTally> sorted = new java.util.ArrayList<>(byReason.values());
            sorted.sort(java.util.Comparator.comparingLong((ReasonTally t) -> -t.pods).thenComparing(t -> t.reason));
            gen.writeStartArray();
            for (ReasonTally t : sorted) {
                gen.writeStartObject();
                gen.writeStringField("reason", t.reason);
                gen.writeNumberField("pods", t.pods);
                gen.writeArrayFieldStart("examples");
                for (String pod : t.examples) {
                    gen.writeString(pod);
                }
                gen.writeEndArray();
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
    }

    /** One reason's pods while {@link UnschedulableReasons} counts them: mutable, and alive for one shape's writing only. */
    private static final class ReasonTally {
        private final String reason;
        private long pods;
        private final java.util.List<String> examples = new java.util.ArrayList<>(REASON_EXAMPLES);

        ReasonTally(String reason) {
            this.reason = reason;
        }

        void add(ShapeEvaluation.UnschedulableGroup u) {
            pods += u.pods();
            for (int i = u.firstReplica(); i < u.group().replicas() && examples.size() < REASON_EXAMPLES; i++) {
                examples.add(u.group().podName(i));
            }
        }
    }

    /** Whether this thread's reports write their long lists as counts ({@link #countsOnly}). */
    static final ThreadLocal<Boolean> COUNTS_ONLY = ThreadLocal.withInitial(() -> false);

    /**
     * Runs {@code run} with this thread's JSON reports writing the lists a sweep only counts (pods
     * left out, per-node loads) as their counts: a sweep's run keeps just the figures
     * ({@link SweepReport#digest}, which reads a count as it reads a list), and a recommend over a
     * whole catalog with a GPU trace otherwise writes, and the sweep reads, 15.6 GB of JSON.
     */
    static <T> T countsOnly(java.util.function.Supplier<T> run) {
        boolean was = COUNTS_ONLY.get();
        COUNTS_ONLY.set(true);
        try {
            return run.get();
        } finally {
            COUNTS_ONLY.set(was);
        }
    }

    /**
     * A value in a tree ({@link ObjectNode#putPOJO}) that writes itself to the generator when the
     * tree is written: the text the same calls on tree nodes would give, without those nodes.
     */
    interface WrittenDirectly extends com.fasterxml.jackson.databind.JsonSerializable {
        @Override
        default void serializeWithType(com.fasterxml.jackson.core.JsonGenerator gen, com.fasterxml.jackson.databind.SerializerProvider provider,
                                       com.fasterxml.jackson.databind.jsontype.TypeSerializer typeSer) throws java.io.IOException {
            serialize(gen, provider);
        }
    }

    static ObjectNode verdict(Verdicts.Verdict v) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("question", v.question());
        o.put("winner", v.winner());
        ArrayNode classes = o.putArray("classes");
        for (Verdicts.ClassBest c : v.classes()) {
            ObjectNode entry = classes.addObject();
            entry.put("class", c.label());
            // Every class has the field (the README's schema lists it): null where the label is the whole class (a ratio).
            entry.put("range", c.range().isEmpty() ? null : c.range());
            entry.put("candidates", c.candidates());
            if (c.best() == null) {
                entry.putNull("shape");
            } else {
                entry.put("shape", c.best().shape().name());
                entry.put("nodes", c.best().nodes());
                entry.put("unschedulable", c.best().unschedulableCount());
                putNullable(entry, "costPerMonth", round2(c.best().costPerMonth()));
                entry.put("strandedCpuMillis", c.best().strandedCpuMillis());
                entry.put("strandedMemoryBytes", c.best().strandedMemoryBytes());
                putFinite(entry, "failureLossPercent", Fmt.round(c.best().failureLossPercent(), 2));
            }
        }
        ArrayNode reasons = o.putArray("reasons");
        v.reasons().forEach(reasons::add);
        return o;
    }

    /** A cost per hour as a node's price is written, to {@link Fmt#PER_HOUR_DECIMALS}, so that × 730 is costPerMonth. */
    static Double perHour(Double v) {
        return v == null ? null : Fmt.round(v, Fmt.PER_HOUR_DECIMALS);
    }

    private static Double round2(Double v) {
        return v == null ? null : Fmt.round(v, 2);
    }

    /** A pending figure in seconds; null where it falls on pods deleted while pending ({@link io.nodesizer.replay.ReplayResult#NEVER}). */
    static void putWait(ObjectNode o, String field, long seconds) {
        if (seconds == io.nodesizer.replay.ReplayResult.NEVER) {
            o.putNull(field);
        } else {
            o.put(field, seconds);
        }
    }

    /** {@link #putWait} into an array. */
    static void addWait(com.fasterxml.jackson.databind.node.ArrayNode a, long seconds) {
        if (seconds == io.nodesizer.replay.ReplayResult.NEVER) {
            a.addNull();
        } else {
            a.add(seconds);
        }
    }

    static void putNullable(ObjectNode o, String field, Integer v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    static void putNullable(ObjectNode o, String field, Double v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** NaN and infinity are not JSON: they become null. */
    static void putFinite(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
