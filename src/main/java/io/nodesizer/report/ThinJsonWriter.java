package io.nodesizer.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A writer that reads the JSON report written to it as it comes and keeps it thin: the lists of
 * pods left out ({@code unschedulable}: per pod, as {@code pack} and {@code recommend} write them)
 * become their pod count, and the per-node loads and the timelines ({@code nodeLoads},
 * {@code timeline}) their length. What a sweep's figures read ({@link SweepReport#digest}) stays
 * the same, and no report has to fit in a string: a sweep's runs write the first two as counts
 * already ({@link SweepReport#countsOnly}), but every list of a report is thinned here whatever
 * wrote it. The first {@link #KEPT} characters are also kept as text, for the error when the output
 * is not JSON.
 */
public final class ThinJsonWriter extends Writer {
    /** Characters of the output kept as written. */
    static final int KEPT = 64 * 1024;

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024);
    /** A high surrogate whose low half has not come yet. */
    private final StringBuilder pending = new StringBuilder(2);
    private final StringBuilder head = new StringBuilder();
    private boolean truncated;

    private final Deque<JsonNode> open = new ArrayDeque<>();
    private String field;
    private JsonNode root;
    private boolean broken;
    private boolean ended;
    /** The first value is whole: nothing after it is read. */
    private boolean whole;
    /** Why the output is not one whole JSON value, when the parser said. */
    private com.fasterxml.jackson.core.JsonProcessingException error;

    /** While in a thinned array: its depth below it (0: the array itself), its field, and what it counts so far. */
    private int thinDepth = -1;
    private String thinField;
    private long thinCount;
    /** In a thinned unschedulable list: the element's own pod count, when it says ("pods", else "replicas"). */
    private long elementPods;
    private long elementReplicas;
    private String elementField;

    public ThinJsonWriter() {
        try {
            parser = new JsonFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    @Override
    public void write(char[] buf, int off, int len) {
        if (head.length() < KEPT) {
            int n = Math.min(len, KEPT - head.length());
            head.append(buf, off, n);
            truncated |= n < len;
        } else {
            truncated |= len > 0;
        }
        if (broken || whole || len == 0) {
            return; // what follows the first whole value is not read (as ObjectMapper.readTree does not)
        }
        CharBuffer in;
        if (pending.isEmpty()) {
            in = CharBuffer.wrap(buf, off, len);
        } else {
            in = CharBuffer.wrap(pending.append(buf, off, len).toString());
            pending.setLength(0);
        }
        encode(in, false);
        if (in.hasRemaining() && !broken && !whole) {
            pending.append(in); // half a surrogate pair: the rest comes with the next write
        }
    }

    private void encode(CharBuffer in, boolean last) {
        while (!broken && !whole) {
            CoderResult r = utf8.encode(in, bytes, last);
            if (r.isError()) {
                broken = true;
                return;
            }
            feed();
            if (r.isUnderflow()) {
                return;
            }
        }
    }

    private void feed() {
        bytes.flip();
        try {
            if (bytes.hasRemaining() && !whole) { // after the first whole value the parser takes no more
                feeder.feedInput(bytes.array(), bytes.position(), bytes.limit());
                drain();
            }
        } catch (IOException e) {
            fail(e);
        }
        bytes.clear();
    }

    /** Ends the input; {@link #tree} is then the thin report, if it was one whole JSON value. */
    public void finish() {
        if (ended) {
            return;
        }
        ended = true;
        if (!whole) {
            encode(CharBuffer.wrap(pending), true);
        }
        pending.setLength(0);
        if (broken || whole) {
            return;
        }
        feeder.endOfInput();
        try {
            drain();
        } catch (IOException e) {
            fail(e);
        }
        if (!open.isEmpty() || root == null) {
            broken = true; // cut short, or nothing at all
        }
    }

    private void fail(IOException e) {
        broken = true;
        if (error == null && e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            error = j;
        }
    }

    /** Why the output was not JSON, where the parser said (with its line); null otherwise. */
    public com.fasterxml.jackson.core.JsonProcessingException error() {
        finish();
        return error;
    }

    /** The thin report, or null when the output was not one whole JSON value. */
    public JsonNode tree() {
        finish();
        return broken ? null : root;
    }

    /** The output's first {@link #KEPT} characters (all of it when shorter). */
    public String head() {
        return truncated ? head + "…" : head.toString();
    }

    private void drain() throws IOException {
        for (JsonToken t = whole ? null : parser.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = whole ? null : parser.nextToken()) {
            if (thinDepth >= 0) {
                thin(t);
            } else {
                take(t);
            }
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private void take(JsonToken t) throws IOException {
        switch (t) {
            case FIELD_NAME -> field = parser.currentName();
            case START_OBJECT -> push(NODES.objectNode());
            case START_ARRAY -> {
                if (open.peek() instanceof ObjectNode && THINNED.contains(field)) {
                    thinDepth = 0;
                    thinField = field;
                    thinCount = 0;
                } else {
                    push(NODES.arrayNode());
                }
            }
            case END_OBJECT, END_ARRAY -> {
                JsonNode done = open.pop();
                if (open.isEmpty()) {
                    root = done;
                    whole = true;
                }
            }
            case VALUE_STRING -> add(NODES.textNode(parser.getText()));
            case VALUE_NUMBER_INT -> add(switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            });
            case VALUE_NUMBER_FLOAT -> add(NODES.numberNode(parser.getDoubleValue()));
            case VALUE_TRUE -> add(NODES.booleanNode(true));
            case VALUE_FALSE -> add(NODES.booleanNode(false));
            case VALUE_NULL -> add(NODES.nullNode());
            default -> {
            }
        }
    }

    /** The arrays kept as a number: the pods of a list of pods left out, else the length. */
    private static final java.util.Set<String> THINNED = java.util.Set.of("unschedulable", "nodeLoads", "timeline");

    /** A token inside a thinned array. */
    private void thin(JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT, START_ARRAY -> {
                if (thinDepth == 0) {
                    elementPods = -1;
                    elementReplicas = -1;
                }
                thinDepth++;
                elementField = null;
            }
            case END_OBJECT, END_ARRAY -> {
                thinDepth--;
                if (thinDepth == 0) {
                    thinCount += countOf(elementPods, elementReplicas);
                } else if (thinDepth < 0) {
                    add(NODES.numberNode(thinCount)); // the array itself ended: it is its count under its field
                    thinField = null;
                }
            }
            case FIELD_NAME -> elementField = thinDepth == 1 ? parser.currentName() : null;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                if (thinDepth == 0) {
                    thinCount++; // a scalar element
                } else if (thinDepth == 1 && t == JsonToken.VALUE_NUMBER_INT && thinField.equals("unschedulable")) {
                    if ("pods".equals(elementField)) {
                        elementPods = parser.getLongValue();
                    } else if ("replicas".equals(elementField)) {
                        elementReplicas = parser.getLongValue();
                    }
                }
                elementField = null;
            }
            default -> {
            }
        }
    }

    /** An element's count: its pods ({@code unschedulable} entries may say how many), else 1. */
    private long countOf(long pods, long replicas) {
        if (!"unschedulable".equals(thinField)) {
            return 1;
        }
        return pods >= 0 ? pods : replicas >= 0 ? replicas : 1;
    }

    private void push(JsonNode container) {
        if (open.isEmpty()) {
            root = container;
        } else {
            add(container);
        }
        open.push(container);
    }

    private void add(JsonNode value) {
        JsonNode into = open.peek();
        if (into instanceof ObjectNode o) {
            o.set(field, value);
        } else if (into instanceof ArrayNode a) {
            a.add(value);
        } else {
            root = value; // a bare value
            whole = true;
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        finish();
    }
}
