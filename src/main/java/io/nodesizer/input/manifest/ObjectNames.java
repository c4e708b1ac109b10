package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Object names as the API server validates them when it creates an object (apimachinery's
 * NameIsDNSSubdomain and NameIsDNSLabel, per kind as pkg/apis/…/validation picks them): most kinds
 * take a DNS-1123 subdomain (at most 253 characters of lowercase letters, digits, '-' and '.',
 * starting and ending with a letter or digit); a Namespace and, since Kubernetes made its pods'
 * hostnames safe, a StatefulSet take a DNS-1123 label (at most 63, no '.'); a CronJob's name is a
 * subdomain of at most 52 characters (its controller adds 11 to name each Job), a Karpenter NodePool's one of at most 63 (it
 * is the value of its nodes' karpenter.sh/nodepool label). Every namespaced
 * object's {@code metadata.namespace} is a label. A {@code generateName} is checked as the prefix it
 * is, a trailing '-' allowed. A name kubectl sends as a number or a boolean ({@code name: 123}
 * unquoted) is refused too: the API server's field is a string.
 */
public final class ObjectNames {
    private ObjectNames() {
    }

    private static final String LABEL_PART = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern LABEL = Pattern.compile(LABEL_PART);
    private static final Pattern SUBDOMAIN = Pattern.compile(LABEL_PART + "(\\." + LABEL_PART + ")*");

    /** A rule a name must follow: the pattern, the longest name, and how a message says it. */
    private record Rule(Pattern pattern, int max, String what) {
        static final Rule SUBDOMAIN_253 = new Rule(SUBDOMAIN, 253, "a DNS-1123 subdomain, as the API server requires (lowercase "
                + "letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)");
        static final Rule CRONJOB = new Rule(SUBDOMAIN, 52, "a DNS-1123 subdomain of at most 52 characters, as the API server "
                + "requires (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit; the CronJob "
                + "controller adds 11 characters to name each Job)");
        static final Rule NODEPOOL = new Rule(SUBDOMAIN, 63, "a DNS-1123 subdomain of at most 63 characters (lowercase letters, "
                + "digits, '-' and '.', starting and ending with a letter or digit): the API server takes a subdomain, and Karpenter "
                + "labels each of the NodePool's nodes karpenter.sh/nodepool=NAME, a label value of at most 63");
        static final Rule LABEL_63 = new Rule(LABEL, 63, "a DNS-1123 label, as the API server requires (lowercase letters, "
                + "digits and '-', starting and ending with a letter or digit, at most 63 characters)");

        static Rule of(String kind) {
            return switch (kind) {
                case "Namespace", "StatefulSet" -> LABEL_63;
                case "CronJob" -> CRONJOB;
                case "NodePool" -> NODEPOOL;
                default -> SUBDOMAIN_253;
            };
        }

        boolean accepts(String name) {
            return name.length() <= max && pattern.matcher(name).matches();
        }
    }

    /** A label value, and a qualified name's name part: alphanumerics at both ends, '-', '_' and '.' between (either case). */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /**
     * Whether {@code key} is a label key the API server takes (apimachinery IsQualifiedName): a name of 1 to 63 characters,
     * optionally after a DNS-1123 subdomain prefix of at most 253 and '/'.
     */
    static boolean isLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        return !name.isEmpty() && name.length() <= 63 && LABEL_VALUE.matcher(name).matches()
                && (slash < 0 || Rule.SUBDOMAIN_253.accepts(key.substring(0, slash)));
    }

    /** Whether {@code value} is a label value the API server takes (IsValidLabelValue): at most 63 characters of that form, or empty. */
    static boolean isLabelValue(String value) {
        return value.length() <= 63 && LABEL_VALUE.matcher(value).matches();
    }

    /** Whether {@code name} is a DNS-1123 label (ValidateDNS1123Label: what container names and namespaces must be). */
    public static boolean isDns1123Label(String name) {
        return Rule.LABEL_63.accepts(name);
    }

    /**
     * Why the API server would refuse {@code name} for an object of {@code kind} (the rule it breaks,
     * in a message's words), or null when it takes it: for names a command writes into manifests.
     */
    public static String whyNot(String kind, String name) {
        Rule rule = Rule.of(kind);
        return rule.accepts(name) ? null : "must be " + rule.what();
    }

    /**
     * Fails, at the value, unless the object's {@code metadata.name} (or {@code generateName}) and,
     * for a {@code namespaced} kind, {@code metadata.namespace} are names the API server accepts; and at the field when
     * {@code metadata} has a misspelt one ({@code namespce}, {@code anotations}: {@link KnownFields#OBJECT_META}).
     */
    static void check(String kind, YamlNode.Mapping metadata, boolean namespaced) {
        if (metadata == null) {
            return;
        }
        Rule rule = Rule.of(kind);
        String name = value(kind, metadata, "name");
        KnownFields.check(metadata, KnownFields.OBJECT_META, "metadata", kind + (name == null ? "" : " " + name));
        if (name != null && !rule.accepts(name)) {
            throw refused(kind, metadata, "name", name, rule);
        }
        String prefix = name == null ? value(kind, metadata, "generateName") : null;
        if (prefix != null && !prefix.isEmpty() && !rule.accepts(maskTrailingDash(prefix))) {
            throw refused(kind, metadata, "generateName", prefix, rule);
        }
        String namespace = namespaced ? value(kind, metadata, "namespace") : null;
        if (namespace != null && !namespace.isEmpty() && !Rule.LABEL_63.accepts(namespace)) {
            throw refused(kind, metadata, "namespace", namespace, Rule.LABEL_63);
        }
    }

    /** The string under {@code metadata.key}, or null; a number or a boolean (not a string to the API server) is refused. */
    private static String value(String kind, YamlNode.Mapping metadata, String key) {
        String text = Manifests.text(metadata, key, "metadata");
        if (text != null && metadata.get(key) instanceof YamlNode.Scalar s && !s.isString()) {
            throw new InputException(s.at().withField("metadata." + key), "The metadata." + key + " of " + article(kind) + " must be "
                    + "a string; found " + (s.type() == YamlNode.Type.BOOL ? "the boolean " : "the number ") + text
                    + " (unquoted), which kubectl sends as such and the API server refuses. Write it in quotes (\"" + text + "\").");
        }
        return text;
    }

    /**
     * apimachinery's maskTrailingDash, quirk and all: a prefix ending in '-' is checked with its last
     * two characters replaced by 'a' (a generated suffix follows it).
     */
    static String maskTrailingDash(String name) {
        return name.length() > 1 && name.endsWith("-") ? name.substring(0, name.length() - 2) + "a" : name;
    }

    private static InputException refused(String kind, YamlNode.Mapping metadata, String key, String value, Rule rule) {
        String suggestion = suggest(value, rule);
        // A template placeholder ({{uid}}, {{ .Release.Name }}) is an unrendered chart or example, not a typo to fix.
        java.util.regex.Matcher template = TEMPLATE.matcher(value);
        String fix = template.find() ? " It holds a template expression (" + template.group() + "): render the chart or template first "
                + "(helm template, kustomize build) and pass its output." : suggestion == null ? "" : " Maybe '" + suggestion + "'.";
        return new InputException(metadata.get(key).at().withField("metadata." + key), "The metadata." + key + " of " + article(kind)
                + " must be " + rule.what() + "; found '" + value + "' (" + why(value, rule) + ")." + fix);
    }

    /** A {@code {{ … }}} template expression, as ManifestParser recognises one on a line. */
    private static final java.util.regex.Pattern TEMPLATE = java.util.regex.Pattern.compile("\\{\\{.{0,60}?}}");

    /** What is wrong with {@code value}, briefly. */
    private static String why(String value, Rule rule) {
        if (value.length() > rule.max()) {
            return value.length() + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "uppercase '" + c + "'";
            }
            boolean allowed = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' && rule.pattern() == SUBDOMAIN;
            if (!allowed) {
                return c == ' ' ? "a space" : "'" + c + "'";
            }
        }
        if (value.isEmpty() || !Character.isLetterOrDigit(value.charAt(0))) {
            return value.isEmpty() ? "empty" : "it starts with '" + value.charAt(0) + "'";
        }
        if (!Character.isLetterOrDigit(value.charAt(value.length() - 1))) {
            return "it ends with '" + value.charAt(value.length() - 1) + "'";
        }
        return "a part between dots is empty or starts or ends with '-'";
    }

    /** A name the rule accepts that is close to {@code value} (lowercased, other characters as '-'), or null. */
    private static String suggest(String value, Rule rule) {
        if (value.length() > 2 * rule.max()) {
            return null; // not a name anyone meant: no guess (and the patterns below stay cheap)
        }
        boolean dots = rule.pattern() == SUBDOMAIN;
        String s = unaccented(value).toLowerCase(Locale.ROOT).replaceAll(dots ? "[^-a-z0-9.]" : "[^-a-z0-9]", "-");
        if (dots) {
            s = s.replaceAll("[-.]*\\.[-.]*", "."); // each part between dots starts and ends with a letter or digit
        }
        s = s.replaceAll("^[-.]+|[-.]+$", "");
        if (s.length() > rule.max()) {
            s = s.substring(0, rule.max()).replaceAll("[-.]+$", "");
        }
        return !s.isEmpty() && !s.equals(value) && rule.accepts(s) ? s : null;
    }

    /** {@code value} with its letters' accents dropped, for a suggested name: café is cafe, not caf (QA 59c F5). */
    static String unaccented(String value) {
        return java.text.Normalizer.normalize(value, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    }

    private static String article(String kind) {
        return ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }
}
