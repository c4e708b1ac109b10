package io.nodesizer.replay;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them on the command line and in files: Go/Kubernetes style
 * ({@code 90s}, {@code 4m}, {@code 1h30m}, {@code 2d}, {@code 0}) or ISO-8601 ({@code PT4M}).
 * The simulation counts whole seconds: a setting of its clock with a fraction of a second exits 2
 * ({@link #wholeSeconds}); other durations round a fraction up ({@link #seconds}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");
    /** About 300 years: far beyond any trace, far below overflow when times are added; a trace's times are held to it too. */
    public static final long MAX_SECONDS = io.nodesizer.input.trace.openb.OpenbTraceReader.MAX_TIME;

    private Durations() {
    }

    /**
     * Parses {@code text} into whole seconds (>= 0), a fraction of a second rounded up (an optimizer's time limit, a
     * usage history, a demand file's relative time); a mistake names {@code at} and what was expected.
     */
    public static long seconds(String text, SourceLocation at, String what) {
        return parse(text, at, what, false);
    }

    /**
     * As {@link #seconds}, for a setting of the replay's clock (an autoscaler's interval, a provisioning delay, an SLO, a
     * run's length): one with a fraction of a second exits 2, since the replay counts whole seconds, and rounding it up
     * in silence made --scan-interval 1ms a whole second, a thousand times what was asked (QA 48b).
     */
    public static long wholeSeconds(String text, SourceLocation at, String what) {
        return parse(text, at, what, true);
    }

    private static long parse(String text, SourceLocation at, String what, boolean whole) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw new InputException(at, "The " + what + " (" + text + ") must not be negative.");
        }
        if (t.equals("0")) {
            return 0;
        }
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.trim());
                if (d.isNegative()) {
                    throw new InputException(at, "The " + what + " (" + text + ") must not be negative.");
                }
                if (whole && d.getNano() > 0) {
                    throw fraction(text, at, what, d.getSeconds() + 1);
                }
                return check(d.getSeconds() + (d.getNano() > 0 ? 1 : 0), text, at, what);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw bad(text, at, what);
            }
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        double total = 0;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw bad(text, at, what);
            }
            double v = Double.parseDouble(m.group(1));
            total += v * switch (m.group(2)) {
                case "ms" -> 0.001;
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86400;
                default -> 7 * 86400;
            };
            pos = m.end();
        }
        if (pos == 0) {
            throw bad(text, at, what);
        }
        if (whole && Math.abs(total - Math.round(total)) > 1e-6) {
            throw fraction(text, at, what, (long) Math.ceil(total));
        }
        return check((long) Math.ceil(total - 1e-9), text, at, what);
    }

    /** A setting of the replay's clock with a fraction of a second ({@link #wholeSeconds}). */
    private static InputException fraction(String text, SourceLocation at, String what, long up) {
        return new InputException(at, "The " + what + " (" + text + ") must be whole seconds: the replay counts whole seconds (give "
                + format(Math.max(1, up)) + ", say).");
    }

    private static long check(long seconds, String text, SourceLocation at, String what) {
        if (seconds > MAX_SECONDS) {
            throw new InputException(at, "The " + what + " (" + text + ") is longer than " + MAX_SECONDS + " seconds.");
        }
        return seconds;
    }

    private static InputException bad(String text, SourceLocation at, String what) {
        return new InputException(at, "The " + what + " (" + text + ") must be a duration such as 90s, 4m, 1h30m, 2d or PT4M.");
    }

    /** Formats seconds compactly for tables: {@code 45s}, {@code 4m}, {@code 1h30m}, {@code 2d3h}; {@code never} for {@link ReplayResult#NEVER}. */
    public static String format(long seconds) {
        if (seconds == ReplayResult.NEVER) {
            return "never"; // a percentile or maximum of waits that falls on pods deleted while pending
        }
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long s = seconds;
        long d = s / 86400;
        s %= 86400;
        long h = s / 3600;
        s %= 3600;
        long m = s / 60;
        s %= 60;
        if (d > 0) {
            b.append(d).append('d');
        }
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0 && d == 0) {
            b.append(m).append('m');
        }
        if (s > 0 && d == 0 && h == 0) {
            b.append(s).append('s');
        }
        return b.length() == 0 ? d + "d" : b.toString();
    }
}
