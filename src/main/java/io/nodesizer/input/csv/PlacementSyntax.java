package io.nodesizer.input.csv;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CSV profile's {@code selector} and {@code tolerations} columns.
 * <ul>
 * <li>{@code selector}: a label selector as {@code kubectl get -l} writes it, requirements
 * separated by commas (quote the cell): {@code k=v} (or {@code k==v}), {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}, {@code k>3}, {@code k<3}.
 * They become one required node-affinity term (In, NotIn, Exists, DoesNotExist, Gt, Lt), all of
 * which a node must meet.</li>
 * <li>{@code tolerations}: {@code key=value:Effect}, {@code key:Effect}, {@code key=value},
 * {@code key} or {@code *} (every taint), separated by {@code ;}. With {@code =value} the operator
 * is Equal, else Exists; without {@code :Effect}, every effect.</li>
 * <li>{@code labels}: the pods' labels, {@code k=v} pairs separated by {@code ;} or commas.</li>
 * <li>{@code anti-affinity}: a label selector (the {@code selector} syntax) of pods these pods may
 * not share a node with: required pod anti-affinity on {@code kubernetes.io/hostname}. A selector
 * that matches the row's own labels keeps its replicas one per node.</li>
 * </ul>
 */
final class PlacementSyntax {
    private PlacementSyntax() {
    }

    static Placement parse(String selector, String tolerations, SourceLocation selectorAt, SourceLocation tolerationsAt) {
        return parse(selector, tolerations, null, null, selectorAt, tolerationsAt, selectorAt, selectorAt);
    }

    static Placement parse(String selector, String tolerations, String labels, String antiAffinity, SourceLocation selectorAt,
                           SourceLocation tolerationsAt, SourceLocation labelsAt, SourceLocation antiAt) {
        Placement nodeLevel = nodeLevel(selector, tolerations, selectorAt, tolerationsAt);
        Map<String, String> podLabels = new java.util.LinkedHashMap<>();
        if (labels != null && !labels.isBlank()) {
            for (String pair : labels.split("[;,]", -1)) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? "" : pair.substring(0, eq).trim();
                String v = eq < 0 ? "" : pair.substring(eq + 1).trim();
                if (eq < 0 || !NodeMatching.LABEL_KEY.matcher(k).matches() || !NodeMatching.LABEL_VALUE.matcher(v).matches()) {
                    throw new InputException(labelsAt, "The label '" + pair.trim() + "' in '" + labels + "' must be key=value with a "
                            + "Kubernetes label key and value, e.g. app=web;tier=front.");
                }
                podLabels.put(k, v);
            }
        }
        List<Placement.PodAffinityTerm> anti = new ArrayList<>();
        if (antiAffinity != null && !antiAffinity.isBlank()) {
            anti.add(new Placement.PodAffinityTerm(Map.of(), requirements(antiAffinity, antiAt), List.of(), false, false,
                    io.nodesizer.kube.PodConflicts.HOSTNAME));
            for (Placement.Requirement r : anti.get(0).matchExpressions()) {
                if (r.operator() == Placement.Operator.GT || r.operator() == Placement.Operator.LT) {
                    throw new InputException(antiAt, "The anti-affinity selector '" + antiAffinity + "' may use =, !=, in, notin, "
                            + "exists (k) and !k; not > or <.");
                }
            }
        }
        return new Placement(nodeLevel.nodeSelector(), nodeLevel.requiredTerms(), nodeLevel.tolerations(), "default", podLabels, anti,
                List.of());
    }

    private static Placement nodeLevel(String selector, String tolerations, SourceLocation selectorAt, SourceLocation tolerationsAt) {
        List<Placement.Term> terms = null;
        if (selector != null && !selector.isBlank()) {
            terms = List.of(new Placement.Term(requirements(selector, selectorAt), List.of()));
        }
        List<Placement.Toleration> tol = new ArrayList<>();
        if (tolerations != null && !tolerations.isBlank()) {
            for (String raw : tolerations.split(";", -1)) {
                tol.add(toleration(raw.trim(), tolerations, tolerationsAt));
            }
        }
        return new Placement(Map.of(), terms, tol);
    }

    static List<Placement.Requirement> requirements(String text, SourceLocation at) {
        List<Placement.Requirement> out = new ArrayList<>();
        for (String part : split(text, at)) {
            String p = part.trim();
            java.util.regex.Matcher set = java.util.regex.Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)").matcher(p);
            Placement.Requirement r;
            if (set.matches()) {
                List<String> values = new ArrayList<>();
                for (String v : set.group(3).split(",", -1)) {
                    values.add(v.trim());
                }
                r = new Placement.Requirement(set.group(1), set.group(2).equals("in") ? Placement.Operator.IN : Placement.Operator.NOT_IN, values);
            } else if (p.contains("!=")) {
                r = req(p, "!=", Placement.Operator.NOT_IN);
            } else if (p.contains("==")) {
                r = req(p, "==", Placement.Operator.IN);
            } else if (p.contains("=")) {
                r = req(p, "=", Placement.Operator.IN);
            } else if (p.contains(">")) {
                r = req(p, ">", Placement.Operator.GT);
            } else if (p.contains("<")) {
                r = req(p, "<", Placement.Operator.LT);
            } else if (p.startsWith("!")) {
                r = new Placement.Requirement(p.substring(1).trim(), Placement.Operator.DOES_NOT_EXIST, List.of());
            } else {
                r = new Placement.Requirement(p, Placement.Operator.EXISTS, List.of());
            }
            boolean ok = NodeMatching.LABEL_KEY.matcher(r.key()).matches()
                    && r.values().stream().allMatch(v -> NodeMatching.LABEL_VALUE.matcher(v).matches())
                    && (r.operator() != Placement.Operator.GT && r.operator() != Placement.Operator.LT || r.values().get(0).matches("[+-]?\\d{1,18}"));
            if (!ok) {
                throw new InputException(at, "The selector requirement '" + p + "' in '" + text + "' is not a label selector; expected "
                        + "k=v, k!=v, k in (a,b), k notin (a,b), k, !k, k>3 or k<3 with Kubernetes label keys and values.");
            }
            out.add(r);
        }
        return out;
    }

    private static Placement.Requirement req(String p, String op, Placement.Operator operator) {
        int i = p.indexOf(op);
        return new Placement.Requirement(p.substring(0, i).trim(), operator, List.of(p.substring(i + op.length()).trim()));
    }

    /** Splits on commas outside parentheses. */
    private static List<String> split(String text, SourceLocation at) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
            if (depth < 0 || depth > 1) {
                throw new InputException(at, "The selector '" + text + "' has unbalanced parentheses.");
            }
        }
        if (depth != 0) {
            throw new InputException(at, "The selector '" + text + "' has unbalanced parentheses.");
        }
        out.add(text.substring(start));
        return out;
    }

    private static Placement.Toleration toleration(String t, String text, SourceLocation at) {
        if (t.equals("*")) {
            return new Placement.Toleration("", "Exists", "", "");
        }
        int colon = t.lastIndexOf(':');
        String effect = colon < 0 ? "" : t.substring(colon + 1).trim();
        String kv = colon < 0 ? t : t.substring(0, colon).trim();
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv : kv.substring(0, eq).trim();
        String value = eq < 0 ? null : kv.substring(eq + 1).trim();
        boolean ok = (effect.isEmpty() || List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect))
                && (key.isEmpty() && value == null || NodeMatching.LABEL_KEY.matcher(key).matches())
                && (value == null || NodeMatching.LABEL_VALUE.matcher(value).matches());
        if (!ok || t.isEmpty()) {
            throw new InputException(at, "The toleration '" + t + "' in '" + text + "' must be key=value:Effect, key:Effect, key=value, "
                    + "key or * with an effect of NoSchedule, PreferNoSchedule or NoExecute.");
        }
        return new Placement.Toleration(key, value == null ? "Exists" : "Equal", value, effect);
    }
}
