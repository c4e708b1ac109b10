package io.nodesizer.input.csv;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV profile's {@code spread} and {@code preferred-anti-affinity} columns, added to a row's
 * {@link Placement}.
 * <ul>
 * <li>{@code spread}: topology spread constraints over the row's own pods, separated by {@code ;},
 * each {@code KEY:MAXSKEW} (DoNotSchedule) or {@code KEY:MAXSKEW:soft} (ScheduleAnyway), KEY being
 * {@code hostname}, {@code zone} or a node label key: {@code zone:1;hostname:2}. The constraint
 * selects the row's pods by its {@code labels}; a row without labels gets the label
 * {@code nodesizer.io/csv-row=<line>} to be selected by.</li>
 * <li>{@code preferred-anti-affinity}: a label selector (the {@code selector} syntax) of pods these
 * pods prefer not to share a node with: preferred pod anti-affinity on the hostname with weight 100.</li>
 * </ul>
 */
final class RulesSyntax {
    /** The label a row without labels gets so that its spread constraints can select its pods. */
    static final String ROW_LABEL = "nodesizer.io/csv-row";

    private RulesSyntax() {
    }

    /** The placement with the row's spread constraints and preferred anti-affinity; unchanged when both cells are empty. */
    static Placement apply(Placement p, String spread, String preferredAnti, int line, SourceLocation spreadAt, SourceLocation preferredAt) {
        List<Placement.Spread> constraints = new ArrayList<>(p.spread());
        Map<String, String> labels = new LinkedHashMap<>(p.podLabels());
        if (spread != null && !spread.isBlank()) {
            if (labels.isEmpty()) {
                labels.put(ROW_LABEL, Integer.toString(line));
            }
            List<String> texts = new ArrayList<>();
            for (String raw : spread.split(";", -1)) {
                Placement.Spread c = constraint(raw.trim(), spread, labels, spreadAt);
                for (int i = 0; i < constraints.size(); i++) {
                    if (constraints.get(i).hard() == c.hard() && constraints.get(i).term().topologyKey().equals(c.term().topologyKey())) {
                        // as the API server's ValidateSpreadConstraintNotRepeat: one constraint per {topologyKey, whenUnsatisfiable}
                        throw new InputException(spreadAt, "The spread constraints '" + texts.get(i) + "' and '" + raw.trim() + "' in '"
                                + spread + "' have the same key and mode; the API server rejects such a pair as a duplicate (keep one).");
                    }
                }
                constraints.add(c);
                texts.add(raw.trim());
            }
        }
        List<Placement.WeightedPodTerm> anti = new ArrayList<>(p.preferences().antiAffinity());
        if (preferredAnti != null && !preferredAnti.isBlank()) {
            List<Placement.Requirement> selector = PlacementSyntax.requirements(preferredAnti, preferredAt);
            for (Placement.Requirement r : selector) {
                if (r.operator() == Placement.Operator.GT || r.operator() == Placement.Operator.LT) {
                    throw new InputException(preferredAt, "The preferred-anti-affinity selector '" + preferredAnti + "' may use =, !=, in, "
                            + "notin, exists (k) and !k; not > or <.");
                }
            }
            anti.add(new Placement.WeightedPodTerm(100, new Placement.PodAffinityTerm(Map.of(), selector, List.of(), false, false,
                    PodConflicts.HOSTNAME)));
        }
        Placement.Preferences pref = p.preferences();
        return new Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), labels, p.antiAffinity(), p.affinity(),
                constraints, new Placement.Preferences(pref.nodeTerms(), pref.affinity(), anti, pref.systemSpread()));
    }

    private static Placement.Spread constraint(String text, String cell, Map<String, String> ownLabels, SourceLocation at) {
        String[] parts = text.split(":", -1);
        String key = parts[0].trim();
        String topologyKey = switch (key) {
            case "hostname" -> PodConflicts.HOSTNAME;
            case "zone" -> PodConflicts.ZONE;
            default -> key;
        };
        boolean soft = parts.length == 3 && parts[2].trim().equals("soft");
        boolean hard = parts.length == 2 || parts.length == 3 && parts[2].trim().equals("hard");
        String skew = parts.length >= 2 ? parts[1].trim() : "";
        if (!(soft || hard) || !NodeMatching.LABEL_KEY.matcher(topologyKey).matches() || !skew.matches("\\d{1,9}") || Integer.parseInt(skew) < 1) {
            throw new InputException(at, "The spread constraint '" + text + "' in '" + cell + "' must be KEY:MAXSKEW or KEY:MAXSKEW:soft, "
                    + "KEY being hostname, zone or a node label key and MAXSKEW a whole number of at least 1, e.g. zone:1;hostname:2:soft.");
        }
        return new Placement.Spread(Integer.parseInt(skew), hard,
                new Placement.PodAffinityTerm(ownLabels, List.of(), List.of(), false, false, topologyKey));
    }
}
