package io.nodesizer.input.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a YAML (multi-document) or JSON file into located {@link YamlNode} trees with Jackson's
 * streaming parser. The YAML loader is locked down against hostile input: no custom types (the
 * tree holds only maps, lists and scalar text); anchors on mappings and lists, their aliases and
 * merge keys ({@code <<: *base}) as kubectl reads them (Jackson does not report anchors on single
 * values, so an alias of one is an error), an alias sharing its anchor's node rather than copying it, and at most
 * {@link #MAX_ALIASED_NODES} nodes reached through aliases per document (a "billion laughs" file
 * stops there, in milliseconds); at most {@link #MAX_ALIASES} aliases for collections in SnakeYAML
 * underneath, nesting at most {@link #MAX_DEPTH}, at most {@link #MAX_CODE_POINTS} characters per document of a
 * file read whole and {@link #MAX_DOCUMENTS} documents, no duplicate keys.
 */
public final class ManifestParser {
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 100;
    /**
     * Characters per YAML document of a file read whole ({@link #parse}: manifests, scenarios,
     * schedules), whose tree is held in memory at once. A streamed file ({@link #stream}: snapshots)
     * has no such limit, as JSON has none: it holds one list item at a time, and a {@code kubectl get
     * nodes,pods -A -o yaml} with managedFields passes 64 Mi characters at a few thousand pods.
     */
    static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
    static final int MAX_DOCUMENTS = 100_000;
    /** Nodes a document may reach through aliases, counting each use of an anchored value in full. */
    static final long MAX_ALIASED_NODES = 100_000;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
    /** YAML read whole, at most {@link #MAX_CODE_POINTS} characters per document. */
    private static final JsonFactory YAML = yaml(MAX_CODE_POINTS);
    /**
     * YAML streamed: as many characters as SnakeYAML counts (its per-document count is an int, so
     * {@code Integer.MAX_VALUE} is no limit it can reach before overflowing to negative).
     */
    private static final JsonFactory STREAMED_YAML = yaml(Integer.MAX_VALUE);
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(LIMITS).build();

    private static JsonFactory yaml(int codePointLimit) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(codePointLimit);
        options.setAllowDuplicateKeys(false);
        // An empty plain scalar is YAML's null (the core schema, and go-yaml under kubectl): 'limits:'
        // with nothing after it, or the empty document a trailing '---' leaves. Jackson reads it as ""
        // unless told otherwise, which made every such manifest fail as "must be a mapping; found ''".
        // A quoted "" stays an empty string.
        return new StyledYamlFactory(YAMLFactory.builder().loaderOptions(options).streamReadConstraints(LIMITS)
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL));
    }

    private ManifestParser() {
    }

    /** Jackson's YAML factory, making {@link StyledYamlParser}s. */
    private static final class StyledYamlFactory extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        StyledYamlFactory(com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLParser _createParser(java.io.Reader r, com.fasterxml.jackson.core.io.IOContext ctxt) {
            return new StyledYamlParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
        }
    }

    /**
     * Jackson's YAML parser, telling how the current scalar was written (quoted or plain, and its
     * tag), which kubectl's typing depends on ({@link KubectlScalars}) and Jackson's tokens do not say.
     */
    private static final class StyledYamlParser extends YAMLParser {
        StyledYamlParser(com.fasterxml.jackson.core.io.IOContext ctxt, int parserFeatures, int yamlFeatures, LoaderOptions options,
                         com.fasterxml.jackson.core.ObjectCodec codec, java.io.Reader reader) {
            super(ctxt, parserFeatures, yamlFeatures, options, codec, reader);
        }

        /** The current scalar as kubectl types it. */
        YamlNode.Scalar scalar(SourceLocation at) throws IOException {
            if (_lastEvent instanceof ScalarEvent e) {
                return KubectlScalars.yaml(getText(), e.getTag(), e.isPlain(), at);
            }
            return new YamlNode.Scalar(getText(), at);
        }
    }

    /** Every non-empty document of the file, in order. */
    public static List<YamlNode> parse(Path path, String file) {
        List<YamlNode> documents = new ArrayList<>();
        withParser(path, file, YAML, parser -> {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (documents.size() >= MAX_DOCUMENTS) {
                    throw new InputException(SourceLocation.ofFile(file), "The file has more than " + MAX_DOCUMENTS
                            + " documents; split it into several files.");
                }
                YamlNode node = read(parser, token, file, new Anchors());
                if (!(node instanceof YamlNode.Scalar s && s.isNull())) {
                    documents.add(node);
                }
            }
        });
        return documents;
    }

    /** What a file's reading does with its parser. */
    private interface Reading {
        void run(JsonParser parser) throws IOException;
    }

    /**
     * Opens the file with the JSON or YAML parser (by its extension) and turns everything that can
     * go wrong into an input error at the file (and line, when the parser knows it).
     */
    private static void withParser(Path given, String file, JsonFactory yaml, Reading reading) {
        // A pipe (--schedule <(…), a FIFO): its copy, read once per run, named .json when it starts with '{'.
        Path path = io.nodesizer.input.RunInputs.file(given, file);
        boolean json = path.getFileName().toString().endsWith(".json") && startsLikeJson(path, file);
        // JSON from its bytes (Jackson detects UTF-16 and UTF-32 itself, and replaces what is not UTF-16);
        // YAML, and JSON with a UTF-16 byte-order mark, through a reader that honours the mark, as kubectl
        // does, and reports bytes that are not UTF-8, or not UTF-16 (an unpaired surrogate, an odd byte).
        // JSON in UTF-16 without a mark is read too: it starts with an ASCII character, so Jackson tells it exactly.
        boolean bytes = json && !io.nodesizer.input.TextFiles.wideMark(path);
        try (JsonParser parser = bytes ? JSON.createParser(path.toFile())
                : (json ? JSON : yaml).createParser(io.nodesizer.input.TextFiles.reader(path, file))) {
            reading.run(parser);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw io.nodesizer.input.TextFiles.notText(path, file);
        } catch (JsonProcessingException e) {
            if (io.nodesizer.input.TextFiles.notTextCause(e)) {
                throw io.nodesizer.input.TextFiles.notText(path, file);
            }
            if (tooLong(e.getCause())) {
                throw tooLong(e.getLocation(), file);
            }
            throw syntax(e, path, file, json);
        } catch (IOException e) {
            throw io.nodesizer.input.Unreadable.file(file, e);
        } catch (RuntimeException e) {
            if (e instanceof InputException) {
                throw e;
            }
            if (tooLong(e)) {
                throw tooLong(null, file);
            }
            // SnakeYAML reports limits (aliases, code points) as its own runtime exceptions.
            throw new InputException(SourceLocation.ofFile(file), "The file is not acceptable " + (json ? "JSON" : "YAML") + ": "
                    + clean(e.getMessage()) + ".");
        }
    }

    /**
     * Whether a {@code .json} file's first character that is not white space opens JSON ('{' or
     * '['). kubectl decodes by that character, not the name ({@code NewYAMLOrJSONDecoder} sniffs the
     * stream), so a {@code .json} file of YAML is read as YAML, as it applies it (QA 67a F9); an
     * empty or unreadable file goes to the JSON reader, which says so.
     */
    private static boolean startsLikeJson(Path path, String file) {
        try (java.io.Reader r = io.nodesizer.input.TextFiles.reader(path, file)) {
            int c;
            while ((c = r.read()) >= 0) {
                if (!Character.isWhitespace(c)) {
                    return c == '{' || c == '[';
                }
            }
            return true;
        } catch (IOException | InputException e) {
            // The JSON reader meets the same and says what it is; or reads it, as JSON in UTF-16 without a
            // byte-order mark, which Jackson tells from its bytes and the text reader refuses.
            return true;
        }
    }

    /** Receives one object of a streamed file and where it is ({@code items[12]}, or "" for a whole document). */
    @FunctionalInterface
    public interface ObjectSink {
        void accept(YamlNode object, String path);
    }

    /**
     * Streams the objects of a file: a document with an {@code items} array (a {@code List},
     * {@code PodList}, …) is handed over one item at a time, as each is read, so memory holds one
     * item rather than the whole list (a 150,000-pod {@code kubectl get pods -o json} is hundreds
     * of megabytes of text); any other document is handed over whole. kubectl writes {@code items}
     * before {@code kind}, so the list's own kind is not known when its items arrive: callers check
     * each item's kind. An item with no kind of its own that comes before the list's kind is held
     * until the list ends and then typed by it ({@link #typed}); an empty {@code items} array hands
     * the list over whole.
     */
    public static void stream(Path path, String file, ObjectSink sink) {
        withParser(path, file, STREAMED_YAML, parser -> {
            JsonToken token;
            int documents = 0;
            while ((token = parser.nextToken()) != null) {
                if (++documents > MAX_DOCUMENTS) {
                    throw new InputException(SourceLocation.ofFile(file), "The file has more than " + MAX_DOCUMENTS
                            + " documents; split it into several files.");
                }
                Anchors anchors = new Anchors(); // anchors hold within their document
                if (token != JsonToken.START_OBJECT || isAlias(parser)) {
                    YamlNode node = read(parser, token, file, anchors);
                    if (!(node instanceof YamlNode.Scalar s && s.isNull())) {
                        sink.accept(node, "");
                    }
                    continue;
                }
                SourceLocation at = location(parser, file);
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                boolean streamed = false;
                int streamedItems = 0;
                SourceLocation itemsAt = null;
                // Items without a kind of their own that came before the list's kind or apiVersion (the Python client and
                // jq -S write them after items): held, in order, until both are known at its end, so that such an item gets
                // the list's kind and its own apiVersion is checked against the list's (review 77g: with the list's
                // apiVersion after the items, that check was skipped).
                List<YamlNode> held = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    SourceLocation keyAt = location(parser, file);
                    JsonToken valueToken = parser.nextToken();
                    if (entries.containsKey(key) || key.equals("items") && streamed) {
                        throw new InputException(keyAt, "The key '" + key + "' appears twice in one mapping.");
                    }
                    if (key.equals("items") && valueToken == JsonToken.START_ARRAY) {
                        streamed = true;
                        itemsAt = keyAt;
                        JsonToken item;
                        while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                            YamlNode read = read(parser, item, file, anchors);
                            if (held.isEmpty() && (entries.containsKey("kind") && entries.containsKey("apiVersion") || hasKind(read))) {
                                String where = itemPath("", streamedItems);
                                sink.accept(typed(read, entries, where), where);
                            } else {
                                held.add(read);
                            }
                            streamedItems++;
                        }
                    } else {
                        entries.put(key, read(parser, valueToken, file, anchors));
                    }
                }
                for (int i = 0; i < held.size(); i++) {
                    String where = itemPath("", streamedItems - held.size() + i);
                    sink.accept(typed(held.get(i), entries, where), where);
                }
                if (!streamed) {
                    sink.accept(new YamlNode.Mapping(entries, at), "");
                } else if (streamedItems == 0) {
                    // An empty list ("items": [], as kubectl prints a kind it finds none of) is handed over whole, as one
                    // with "items": null is, so that a reader can tell it from a document of nothing it reads.
                    Map<String, YamlNode> whole = new LinkedHashMap<>(entries);
                    whole.put("items", new YamlNode.Sequence(List.of(), itemsAt));
                    sink.accept(new YamlNode.Mapping(whole, at), "");
                }
            }
        });
    }

    /** Whether an item names its own kind, so that the list's kind does not matter to it. */
    private static boolean hasKind(YamlNode item) {
        return !(item instanceof YamlNode.Mapping m) || m.entries().containsKey("kind");
    }

    /**
     * An item of a typed list (a {@code PodList}, {@code NodeList}, {@code DeploymentList} …, its
     * {@code kind} before {@code items}) as the API server returns it, without a kind and apiVersion of
     * its own (kubernetes/kubernetes#3030: only kubectl's printer fills them in; {@code kubectl get
     * --raw}, client-go and Python client dumps have none): the list's, as every item is of its kind. An item
     * with an apiVersion but no kind (a dump post-processed with {@code jq 'del(.items[].kind)'}) is of the list's kind too
     * and keeps its apiVersion (QA 76b F4: it was refused as if the list were untyped), which must be of the list's API
     * group: a typed list holds items of its kind only (k8s.io/api apps/v1 types.go: {@code DeploymentList.Items
     * []Deployment}), so a {@code batch/v1} item of an {@code apps/v1} DeploymentList is of no kind we could give it.
     * kubectl gives an item the list's kind only when it has neither kind nor apiVersion (apimachinery
     * unstructured/helpers.go, {@code decodeToList}) and refuses it otherwise ("Object 'Kind' is missing"); here it
     * exits 2 at the item's apiVersion (fix 77d: it became a Deployment of batch/v1, refused as a Deployment's "old"
     * apiVersion, or in a ConfigMapList passed over as a kind nodesizer does not read).
     *
     * @param path the item's path in the document ({@code items[3]}), for the message
     */
    static YamlNode typed(YamlNode item, Map<String, YamlNode> list, String path) {
        if (!(item instanceof YamlNode.Mapping m) || m.entries().containsKey("kind")
                || !(list.get("kind") instanceof YamlNode.Scalar k) || k.text() == null || !k.text().endsWith("List")
                || k.text().equals("List")) {
            return item;
        }
        String kind = k.text().substring(0, k.text().length() - "List".length());
        String listVersion = list.get("apiVersion") instanceof YamlNode.Scalar v && v.text() != null ? v.text() : null;
        if (listVersion != null && m.get("apiVersion") instanceof YamlNode.Scalar own && own.text() != null
                && !Manifests.apiGroup(own.text()).equals(Manifests.apiGroup(listVersion))) {
            throw new InputException(own.at().withField(path + ".apiVersion"), "The " + path + ".apiVersion (" + own.text()
                    + ") of the " + k.text() + " (" + listVersion + "), on an item without a kind, must be of API group "
                    + groupName(listVersion) + ", as a typed list holds only items of its kind (" + kind + "); found group "
                    + groupName(own.text()) + ". Give the item its own kind (kubectl refuses it without one: Object 'Kind' is missing), "
                    + "or the list's apiVersion.");
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        entries.put("kind", new YamlNode.Scalar(kind, k.at()));
        if (!m.entries().containsKey("apiVersion") && listVersion != null) {
            entries.put("apiVersion", new YamlNode.Scalar(listVersion, list.get("apiVersion").at()));
        }
        entries.putAll(m.entries());
        return new YamlNode.Mapping(entries, m.at());
    }

    /** The path of item {@code i} of the list at {@code listPath} ("" for a document): {@code items[2]}, {@code items[0].items[2]}. */
    static String itemPath(String listPath, int i) {
        return (listPath.isEmpty() ? "" : listPath + ".") + "items[" + i + "]";
    }

    private static String groupName(String apiVersion) {
        String group = Manifests.apiGroup(apiVersion);
        return group.isEmpty() ? "core (apiVersion v1)" : group;
    }

    /** Whether SnakeYAML stopped at {@link #MAX_CODE_POINTS}: nodesizer's limit, not a fault of the YAML. */
    private static boolean tooLong(Throwable e) {
        return e instanceof org.yaml.snakeyaml.error.YAMLException y && y.getMessage() != null
                && y.getMessage().startsWith("The incoming YAML document exceeds the limit");
    }

    private static InputException tooLong(JsonLocation l, String file) {
        return new InputException(at(l, file), "The YAML document is longer than nodesizer's size limit for a file read whole (a manifest, "
                + "scenario or schedule): 64 Mi (" + String.format(java.util.Locale.ROOT, "%,d", MAX_CODE_POINTS)
                + ") characters per document. Split it into several documents (---) or files, or give it as JSON "
                + "(kubectl get … -o json), which has no such limit.");
    }

    /** Where the parser stopped, or the file when it does not say. */
    private static SourceLocation at(JsonLocation l, String file) {
        return l == null ? SourceLocation.ofFile(file)
                : SourceLocation.of(file, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()), null);
    }

    private static InputException syntax(JsonProcessingException e, Path path, String file, boolean json) {
        SourceLocation at = at(e.getLocation(), file);
        String problem = clean(e.getOriginalMessage());
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            // SnakeYAML knows where the problem is; Jackson's location is the last good token.
            at = SourceLocation.of(file, marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1, null);
            problem = clean((marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem());
        }
        // SnakeYAML's own words for "{{ .Values.x }}" name its event classes; say what the file is instead.
        problem = problem.replaceAll("<org\\.yaml\\.snakeyaml\\.events\\.MappingStartEvent\\([^>]*>", "the start of a mapping ('{')")
                .replaceAll("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+)Event\\([^>]*>", "$1");
        String template = templateLine(path, at.line());
        int logs = logsLine(path);
        return new InputException(at, "The file is not valid " + (json ? "JSON" : "YAML") + ": " + problem + "."
                // days: * (every day, in a schedule): YAML reads an unquoted * as an alias
                + (problem.contains("while scanning an alias") ? " A value that starts with * is a YAML alias: quote it (\"*\")." : "")
                + (template == null ? "" : " Line " + at.line() + " holds a template expression (" + template + "): render the chart "
                + "or template first (helm template, kustomize build) and pass its output.")
                + (logs < 1 ? "" : " Line " + logs + " starts a pod's logs ('==== START logs for …'): this is kubectl cluster-info dump's "
                + "output; give its files instead (kubectl cluster-info dump --all-namespaces --output-directory DIR, then the directory), "
                + "or kubectl get nodes,pods -A -o json."));
    }

    /** The first line (1-based) where {@code kubectl cluster-info dump} starts a pod's logs, or 0. */
    private static int logsLine(Path path) {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(path)) {
            int[] n = {0};
            return lines.peek(l -> n[0]++).anyMatch(l -> l.startsWith("==== START logs for ")) ? n[0] : 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The {@code {{ … }}} expression on line {@code line} of the file (1-based), or null. */
    private static String templateLine(Path path, int line) {
        if (line < 1) {
            return null;
        }
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(path)) {
            String text = lines.skip(line - 1).findFirst().orElse("");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{.{0,60}?}}").matcher(text);
            return m.find() ? m.group() : null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** Is the parser at an alias ({@code *name})? */
    private static boolean isAlias(JsonParser parser) {
        return parser instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml && yaml.isCurrentAlias();
    }

    /**
     * A document's anchors and how many nodes it has reached through aliases. Jackson's streaming
     * parser does not expand aliases; this does, sharing the anchored node (the tree is immutable),
     * and counts each use at the anchored value's full size so that nested aliases cannot multiply
     * past {@link #MAX_ALIASED_NODES}.
     */
    private static final class Anchors {
        final Map<String, YamlNode> nodes = new java.util.HashMap<>();
        final Map<String, Long> sizes = new java.util.HashMap<>();
        long aliased;
        /**
         * The size of the node {@link #read} returned last, its aliases expanded. Kept here rather
         * than per node so that a streamed list's items are not held after they are handed over.
         */
        long last;
    }

    private static YamlNode read(JsonParser parser, JsonToken token, String file, Anchors anchors) throws IOException {
        SourceLocation at = location(parser, file);
        if (isAlias(parser)) {
            String name = parser.getText();
            YamlNode target = anchors.nodes.get(name);
            if (target == null) {
                // Jackson reports the anchors of mappings and lists only, not of single values.
                throw new InputException(at, "The YAML alias *" + name + " names no anchored mapping or list (&" + name
                        + ") before it in its document; anchors on single values are not supported: write the value out.");
            }
            anchors.last = anchors.sizes.get(name);
            anchors.aliased += anchors.last;
            if (anchors.aliased > MAX_ALIASED_NODES) {
                throw new InputException(at, "The YAML aliases of this document reach more than " + MAX_ALIASED_NODES
                        + " nodes (an alias bomb?); write the values out or split the document.");
            }
            return target;
        }
        String anchor = parser instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml ? yaml.getCurrentAnchor() : null;
        YamlNode node;
        long size = 1;
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                List<YamlNode.Mapping> merged = new ArrayList<>();
                long mergedSize = 0;
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    SourceLocation keyAt = location(parser, file);
                    JsonToken valueToken = parser.nextToken();
                    boolean mergeKey = key.equals("<<") && parser instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser;
                    if (entries.containsKey(key) || mergeKey && !merged.isEmpty()) {
                        throw new InputException(keyAt, "The key '" + key + "' appears twice in one mapping.");
                    }
                    YamlNode value = read(parser, valueToken, file, anchors);
                    long valueSize = anchors.last;
                    if (t != JsonToken.FIELD_NAME) {
                        throw new InputException(keyAt, "Expected a key, found " + t + ".");
                    }
                    if (mergeKey) {
                        merged.addAll(mergeSources(value, keyAt));
                        mergedSize += valueSize;
                    } else {
                        entries.put(key, value);
                        size += valueSize;
                    }
                }
                // YAML merge keys (as kubectl's go-yaml reads them): the mapping's own keys win, then the
                // merged mappings in the order written.
                for (YamlNode.Mapping m : merged) {
                    for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
                        entries.putIfAbsent(e.getKey(), e.getValue());
                    }
                }
                size += mergedSize; // at most what the merged values hold: a bound is all the budget needs
                node = new YamlNode.Mapping(entries, at);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(parser, t, file, anchors));
                    size += anchors.last;
                }
                node = new YamlNode.Sequence(items, at);
            }
            case VALUE_NULL -> node = new YamlNode.Scalar(null, at);
            default -> node = parser instanceof StyledYamlParser yaml ? yaml.scalar(at) : KubectlScalars.json(token, parser.getText(), at);
        }
        anchors.last = size;
        if (anchor != null) {
            anchors.nodes.put(anchor, node);
            anchors.sizes.put(anchor, size);
        }
        return node;
    }

    /** The mappings a merge key ({@code <<}) names: one mapping, or a list of them. */
    private static List<YamlNode.Mapping> mergeSources(YamlNode value, SourceLocation at) {
        if (value instanceof YamlNode.Mapping m) {
            return List.of(m);
        }
        if (value instanceof YamlNode.Sequence seq && seq.items().stream().allMatch(i -> i instanceof YamlNode.Mapping)) {
            return seq.items().stream().map(i -> (YamlNode.Mapping) i).toList();
        }
        throw new InputException(at, "The merge key '<<' must name a mapping or a list of mappings (such as *base); found "
                + Manifests.describe(value) + ".");
    }

    private static SourceLocation location(JsonParser parser, String file) {
        JsonLocation l = parser.currentTokenLocation();
        return SourceLocation.of(file, Math.max(1, l.getLineNr()), Math.max(0, l.getColumnNr()), null);
    }

    private static String clean(String message) {
        return io.nodesizer.input.JacksonMessages.plain(message);
    }
}
