package io.nodesizer.replay.autoscale;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.manifest.ManifestParser;
import io.nodesizer.input.manifest.YamlNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node-count windows by day of week and time of day (local time of {@code --time-zone}, default UTC: {@link WeekClock}),
 * as an ASG's scheduled actions or a
 * CronJob that patches min/max would set them. Later windows override earlier ones where they
 * overlap, field by field; outside every window the base limits apply. The base limits
 * ({@code --min-nodes}, {@code --max-nodes}) bound the node group all week: a window moves its min
 * and max within them, and at no minute may the min in force exceed the max in force
 * ({@link #checkWithin}). Written as
 * {@code Mon-Fri 07:00-21:00 min=6 max=40} on the command line, or as a YAML/JSON list of
 * {@code {days, from, to, min, max}} (optionally under {@code windows:}), which is also what
 * {@code nodesizer windows} writes.
 */
public record Schedule(List<Window> windows) {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final int WEEK_MINUTES = 7 * 24 * 60;
    private static final Pattern INLINE = Pattern.compile(
            "\\s*(\\S+)\\s+(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})((?:\\s+\\S+)*)\\s*");

    public Schedule {
        windows = List.copyOf(windows);
    }

    /**
     * One window: on the days in {@code days} (bit 0 Monday … bit 6 Sunday), from minute
     * {@code from} to minute {@code to} of the day; a window with {@code to <= from} runs past
     * midnight into the next day. {@code min}/{@code max} null leave the base limit.
     */
    public record Window(int days, int from, int to, Integer min, Integer max) {
        public Window {
            if (days <= 0 || days >= 128 || from < 0 || from >= 1440 || to < 0 || to > 1440
                    || (min != null && min < 0) || (max != null && max < 0) || (min != null && max != null && max < min)) {
                throw new IllegalArgumentException("Invalid window " + days + " " + from + "-" + to + " " + min + "/" + max);
            }
        }

        /** Whether minute {@code minute} of day {@code day} (0 = Monday) is inside the window. */
        public boolean covers(int day, int minute) {
            if (from < to) {
                return (days & (1 << day)) != 0 && minute >= from && minute < to;
            }
            int yesterday = (day + 6) % 7;
            return ((days & (1 << day)) != 0 && minute >= from) || ((days & (1 << yesterday)) != 0 && minute < to);
        }

        /**
         * Whether the window is in force at {@code t}: between the instants its start and its end take effect on a day it
         * runs ({@link WeekClock#instant}: a local time the autumn change repeats at its first occurrence, one the spring
         * change skips shifted past the gap by its length), as {@link Schedule#secondsToNextEdge} times them. The wall
         * clock's minute says the same except in the hour after a change: there it read the repeated hour as in the window
         * a second time (a max applied again, draining nodes, whose end then woke no loop: QA 50b), and times past the gap
         * as in a window whose start, in the gap, comes later.
         */
        public boolean inForce(Instant t, WeekClock clock) {
            java.time.LocalDate today = t.atZone(clock.zone()).toLocalDate();
            for (java.time.LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
                if ((days & (1 << (d.getDayOfWeek().getValue() - 1))) == 0) {
                    continue;
                }
                java.time.LocalDateTime startLocal = d.atStartOfDay().plusMinutes(from);
                java.time.LocalDateTime endLocal = (from < to ? d : d.plusDays(1)).atStartOfDay().plusMinutes(to);
                if (clock.skipped(startLocal) && clock.skipped(endLocal)) {
                    continue; // wholly in the hour the spring change skips: no wall-clock minute of it happens that day (QA 57b F3)
                }
                Instant start = clock.instant(startLocal);
                Instant end = clock.instant(endLocal);
                if (!t.isBefore(start) && t.isBefore(end)) {
                    return true;
                }
            }
            return false;
        }

        /** {@code Mon-Fri}, {@code Sat,Sun}, {@code *}. */
        public String daysText() {
            if (days == 127) {
                return "*";
            }
            List<String> parts = new ArrayList<>();
            int d = 0;
            while (d < 7) {
                if ((days & (1 << d)) == 0) {
                    d++;
                    continue;
                }
                int e = d;
                while (e + 1 < 7 && (days & (1 << (e + 1))) != 0) {
                    e++;
                }
                parts.add(e == d ? DAYS[d] : e == d + 1 ? DAYS[d] + "," + DAYS[e] : DAYS[d] + "-" + DAYS[e]);
                d = e + 1;
            }
            return String.join(",", parts);
        }

        /** The day's short name, Mon..Sun, for day 0..6. */
        public static String dayName(int day) {
            return DAYS[day];
        }

        public String fromText() {
            return clock(from);
        }

        public String toText() {
            return clock(to);
        }

        @Override
        public String toString() {
            return daysText() + " " + fromText() + "-" + toText() + (min == null ? "" : " min=" + min)
                    + (max == null ? "" : " max=" + max);
        }
    }

    /** A window and where it was given: its line in a schedule file, or the {@code --window} option. */
    public record Given(Window window, SourceLocation at) {
    }

    /**
     * Min and max at {@code t}, starting from the base limits. The windows must keep the min at
     * or below the max at every minute, as {@link #checkWithin} checks of a user's schedule.
     */
    public int[] limitsAt(Instant t, WeekClock clock, int baseMin, int baseMax) {
        int[] byMinute = limitsAt((int) (clock.secondOfWeek(t) / 60), baseMin, baseMax);
        if (!clock.justAfterChange(t)) {
            return byMinute;
        }
        int[] limits = limitsSetBy(setters(windows, i -> windows.get(i).inForce(t, clock)), baseMin, baseMax);
        // Past the spring gap a window whose end fell in the gap still runs (shifted) beside one that starts after the gap,
        // which the wall clock had back to back: a user's windows that cross so are refused up front (checkAcrossChanges);
        // windows a planner wrote keep the wall clock's limits for that instant, which checkWithin found consistent.
        return limits[0] <= limits[1] ? limits : byMinute;
    }

    /**
     * Checks a user's windows where a daylight-saving change within [{@code from}, {@code to}) makes them overlap in time
     * though not on the wall clock ({@link #checkWithin} checks the wall clock): a window whose end the spring change
     * skips runs until that time after the gap (02:30 is 03:30), beside a window that starts at 03:00, and a min one sets
     * above the max the other sets would make the limits cross, which an Auto Scaling group refuses (it stopped the replay
     * with an internal error: review 50). Exit 2 naming both windows and the date.
     */
    public static void checkAcrossChanges(List<Given> windows, WeekClock clock, Instant from, Instant to) {
        List<Window> plain = windows.stream().map(Given::window).toList();
        for (Instant change = clock.nextTransition(from.minusSeconds(1)); change != null && change.isBefore(to);
                change = clock.nextTransition(change)) {
            // Only within the hour after the change do the instants and the wall clock differ (WeekClock.justAfterChange).
            for (Instant t = change; t.isBefore(change.plusSeconds(2 * 3600)); t = t.plusSeconds(60)) {
                Instant at = t;
                java.time.ZonedDateTime local = t.atZone(clock.zone());
                requireNoCrossing(windows, setters(plain, i -> plain.get(i).inForce(at, clock)), " on " + local.toLocalDate() + " in "
                        + clock + ": the daylight-saving change skips the hour where one of them ends, so it ends that hour later, and at "
                        + local.toLocalTime(), "Keep the windows' edges out of the skipped hour, or give the later window both min and max.");
            }
        }
    }

    /** Min and max at minute {@code minuteOfWeek} of the schedule's week (0 = Monday 00:00, local time). */
    public int[] limitsAt(int minuteOfWeek, int baseMin, int baseMax) {
        int day = minuteOfWeek / 1440;
        int minute = minuteOfWeek % 1440;
        return limits(setters(windows, day, minute), baseMin, baseMax, "minute " + minuteOfWeek + " of the week");
    }

    /** The limits the windows {@code by} ({@link #setters}) set over the base ones, at {@code when}. */
    private int[] limits(int[] by, int baseMin, int baseMax, String when) {
        int[] limits = limitsSetBy(by, baseMin, baseMax);
        if (limits[0] > limits[1]) {
            // Was silently "fixed" by raising the max to the min: a window min above --max-nodes ran above the cap.
            throw new IllegalStateException("The limits at " + when + " cross (min " + limits[0] + ", max " + limits[1] + "): " + this);
        }
        return limits;
    }

    /** The min and max the windows {@code by} ({@link #setters}) set over the base limits, crossed or not. */
    private int[] limitsSetBy(int[] by, int baseMin, int baseMax) {
        return new int[]{by[0] < 0 ? baseMin : windows.get(by[0]).min, by[1] < 0 ? baseMax : windows.get(by[1]).max};
    }

    /**
     * Whether each window is in force at {@code t} (in the windows' order): by the wall clock's minute of the week, except
     * in the hour after a daylight-saving change, where by the instants its edges take effect ({@link Window#inForce}).
     */
    public boolean[] inForce(Instant t, WeekClock clock) {
        boolean[] out = new boolean[windows.size()];
        boolean near = clock.justAfterChange(t);
        long secondOfWeek = clock.secondOfWeek(t);
        int day = (int) (secondOfWeek / 86400);
        int minute = (int) (secondOfWeek % 86400 / 60);
        for (int i = 0; i < out.length; i++) {
            out[i] = near ? windows.get(i).inForce(t, clock) : windows.get(i).covers(day, minute);
        }
        return out;
    }

    /**
     * Checks a user's windows against the node group's base limits {@code baseMin}..{@code
     * baseMax} ({@code --min-nodes}, {@code --max-nodes}): each window's min and max must lie within
     * them, and where windows overlap (the later one winning field by field) the min one sets must
     * not exceed the max another sets. An Auto Scaling group refuses a scheduled action that would
     * leave its MinSize above its MaxSize; replaying one anyway ran above {@code --max-nodes}.
     */
    public static void checkWithin(List<Given> windows, int baseMin, int baseMax) {
        String within = "; a window moves the node group's limits within --min-nodes..--max-nodes (" + baseMin + ".." + baseMax + "). ";
        for (Given g : windows) {
            Window w = g.window();
            String what = "The window (" + w + ") sets ";
            if (w.min() != null && w.min() > baseMax) {
                throw new InputException(g.at(), what + "min " + w.min() + ", above --max-nodes (" + baseMax + ")" + within
                        + "Lower its min or raise --max-nodes.");
            }
            if (w.min() != null && w.min() < baseMin) {
                throw new InputException(g.at(), what + "min " + w.min() + ", below --min-nodes (" + baseMin + ")" + within
                        + "Raise its min, or lower --min-nodes and raise the min in the other windows.");
            }
            if (w.max() != null && w.max() < baseMin) {
                throw new InputException(g.at(), what + "max " + w.max() + ", below --min-nodes (" + baseMin + ")" + within
                        + "Raise its max or lower --min-nodes.");
            }
            if (w.max() != null && w.max() > baseMax) {
                throw new InputException(g.at(), what + "max " + w.max() + ", above --max-nodes (" + baseMax + ")" + within
                        + "Lower its max or raise --max-nodes.");
            }
        }
        // Each window is within the base limits and has min <= max, so limits can cross only where
        // one window's min meets another's max.
        List<Window> plain = windows.stream().map(Given::window).toList();
        for (int m = 0; m < WEEK_MINUTES; m++) {
            int day = m / 1440;
            int minute = m % 1440;
            requireNoCrossing(windows, setters(plain, day, minute), ": at " + DAYS[day] + " " + clock(minute),
                    "Give the later window both min and max, or keep the windows apart.");
        }
    }

    /**
     * Fails, at the later of the two, when the window that sets the min in force ({@code by[0]}, {@link #setters}) sets
     * it above the max the other sets ({@code by[1]}); {@code when} says where that is, {@code advice} what to do.
     */
    private static void requireNoCrossing(List<Given> windows, int[] by, String when, String advice) {
        if (by[0] < 0 || by[1] < 0 || windows.get(by[0]).window().min() <= windows.get(by[1]).window().max()) {
            return;
        }
        Given later = windows.get(Math.max(by[0], by[1]));
        Given other = windows.get(Math.min(by[0], by[1]));
        throw new InputException(later.at(), "The window (" + later.window() + ") overlaps the window (" + other.window() + ")"
                + (other.at().line() > 0 ? " at " + other.at() : " (also given by " + other.at() + ")") + when + " the min in force would be "
                + windows.get(by[0]).window().min() + " and the max " + windows.get(by[1]).window().max() + "; an Auto Scaling "
                + "group refuses a min above its max. " + advice);
    }

    /**
     * The windows in force at minute {@code minute} of day {@code day}: the index of the last one
     * covering it that sets a min, and of the last that sets a max (later windows win, field by
     * field); -1 where none does and the base limit holds.
     */
    private static int[] setters(List<Window> windows, int day, int minute) {
        return setters(windows, i -> windows.get(i).covers(day, minute));
    }

    /** As {@link #setters(List, int, int)}, for the windows {@code inForce} says are. */
    private static int[] setters(List<Window> windows, java.util.function.IntPredicate inForce) {
        int minBy = -1;
        int maxBy = -1;
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (inForce.test(i)) {
                minBy = w.min() != null ? i : minBy;
                maxBy = w.max() != null ? i : maxBy;
            }
        }
        return new int[] {minBy, maxBy};
    }

    /**
     * Seconds from {@code t} to the next window edge (> 0), or {@link Long#MAX_VALUE} without windows. One question; a
     * loop that asks many keeps a {@link ScheduleEdges}.
     */
    public long secondsToNextEdge(Instant t, WeekClock clock) {
        return new ScheduleEdges(this, clock).secondsToNext(t);
    }

    // ------------------------------------------------------------------ parsing

    /** {@code Mon-Fri 07:00-21:00 min=6 max=40}; min and max may both be left out (boundaries alone, for {@code windows}). */
    public static Window parseInline(String text, SourceLocation at) {
        Matcher m = INLINE.matcher(text);
        if (!m.matches()) {
            throw new InputException(at, "The window (" + text + ") must look like \"Mon-Fri 07:00-21:00 min=6 max=40\" "
                    + "(days, times of day in UTC or --time-zone, then min= and/or max=).");
        }
        Integer min = null;
        Integer max = null;
        for (String kv : m.group(4).isBlank() ? new String[0] : m.group(4).trim().split("\\s+")) {
            boolean isMin = kv.startsWith("min=");
            if (!isMin && !kv.startsWith("max=")) {
                throw new InputException(at, "The window (" + text + ") has '" + kv + "' where min=N or max=N was expected (lowercase, "
                        + "N a node count).");
            }
            if (isMin ? min != null : max != null) {
                throw new InputException(at, "The window (" + text + ") gives " + kv.substring(0, 3) + " twice; give it once.");
            }
            int v = count(kv.substring(4), at, kv.substring(0, 3));
            if (isMin) {
                min = v;
            } else {
                max = v;
            }
        }
        return window(m.group(1), m.group(2), m.group(3), min, max, at);
    }

    /** A YAML or JSON file: a list of windows, or a mapping with {@code windows:}, read on UTC's clock. */
    public static Schedule read(Path path, String file) {
        return new Schedule(readGiven(path, file, WeekClock.UTC, -1, -1).stream().map(Given::window).toList());
    }

    /**
     * As {@link #read}, each window with the place in the file where it is given. A file's {@code timeZone:} (what
     * {@code windows --time-zone} writes beside {@code windows:}) names the zone its times are in; it must be the run's
     * ({@code clock}), or its windows would move by the zones' difference unnoticed. Its {@code minNodes:} and
     * {@code maxNodes:} (the limits {@code windows} planned it within) must be the run's {@code minNodes} and
     * {@code maxNodes} likewise (-1: not checked): the windows move the group's limits within them, so a replay without
     * them gave another cost, silently.
     */
    public static List<Given> readGiven(Path path, String file, WeekClock clock, int minNodes, int maxNodes) {
        if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            // windows -o csv is the plan as rows, for spreadsheets; it carries no time zone nor the limits it was planned in.
            throw new InputException(SourceLocation.ofFile(file), "A schedule is YAML or JSON, not CSV: write it with windows "
                    + "--schedule-out FILE (YAML), or give the windows as a YAML list of days, from, to, min, max.");
        }
        List<YamlNode> docs = ManifestParser.parse(path, file);
        if (docs.isEmpty()) {
            // An empty file (/dev/null, a redirect that failed) or one of comments only: say so, not "found 0" documents.
            // As every input names it (review 74b #10: a pipe or standard input was called a file).
            throw new InputException(SourceLocation.ofFile(file), io.nodesizer.input.RunInputs.emptyInput(file) + " (no schedule: "
                    + "no YAML or JSON, only blank lines or comments); expected a list of windows (days, from, to, min, max), or a mapping with such a list under "
                    + "windows: as windows --schedule-out writes it (windows: [] for none).");
        }
        if (docs.size() != 1) {
            throw new InputException(SourceLocation.ofFile(file), "The schedule must be one YAML or JSON document; found "
                    + docs.size() + " (separated by ---): give one list of windows.");
        }
        YamlNode root = docs.get(0);
        if (root instanceof YamlNode.Mapping map && map.get("windows") != null) {
            YamlNode zone = map.get("timeZone");
            if (zone != null) {
                String named = zone instanceof YamlNode.Scalar s && !s.isNull() ? s.text().trim() : "";
                WeekClock fileClock;
                try {
                    fileClock = WeekClock.of(java.time.ZoneId.of(named));
                } catch (java.time.DateTimeException e) {
                    throw new InputException(zone.at(), "The timeZone (" + named + ") must be an IANA time zone such as Europe/Berlin or UTC.");
                }
                if (!fileClock.zone().normalized().equals(clock.zone().normalized()) && !(fileClock.isUtc() && clock.isUtc())) {
                    // The clock's name, UTC for any UTC zone, as the file's header writes it: not the zone's id, "Z" for UTC (QA 73b F8).
                    throw new InputException(zone.at(), "The schedule's windows are times of " + fileClock + ", and this run's are of "
                            + clock + (clock.isUtc() ? " (no --time-zone)" : " (--time-zone)") + "; give --time-zone " + fileClock
                            + ", or the windows in " + clock + ".");
                }
            }
            for (var e : map.entries().entrySet()) {
                if (!List.of("windows", "timeZone", "minNodes", "maxNodes").contains(e.getKey())) {
                    throw new InputException(e.getValue().at(), "Unknown field " + e.getKey() + "; a schedule file holds windows:, "
                            + "and timeZone:, minNodes: and maxNodes: as windows writes them.");
                }
            }
            plannedWithin(map, "minNodes", "--min-nodes", minNodes);
            plannedWithin(map, "maxNodes", "--max-nodes", maxNodes);
            root = map.get("windows");
        }
        if (!(root instanceof YamlNode.Sequence list)) {
            throw new InputException(root.at(), "The schedule must be a list of windows (days, from, to, min, max), "
                    + "or a mapping with such a list under windows:.");
        }
        List<Given> windows = new ArrayList<>();
        for (YamlNode item : list.items()) {
            if (!(item instanceof YamlNode.Mapping w)) {
                throw new InputException(item.at(), "Each window must be a mapping with days, from, to, min and/or max.");
            }
            for (String key : w.entries().keySet()) {
                if (!List.of("days", "from", "to", "min", "max").contains(key)) {
                    throw new InputException(w.entries().get(key).at(), "Unknown field " + key + "; a window has days, from, to, min, max.");
                }
            }
            String days = text(w, "days", true);
            String from = text(w, "from", true);
            String to = text(w, "to", true);
            String min = text(w, "min", false);
            String max = text(w, "max", false);
            if (min == null && max == null) {
                throw new InputException(w.at(), "The window needs min, max or both.");
            }
            // Each field's error at its own line: the window's first line named a bad 'to' four lines below it.
            int mask = days(days, w.get("days").at());
            int f = minute(from, w.get("from").at(), "start");
            int t = minute(to, w.get("to").at(), "end");
            Integer lo = min == null ? null : count(min, w.get("min").at(), "min");
            Integer hi = max == null ? null : count(max, w.get("max").at(), "max");
            windows.add(new Given(window(mask, from, f, to, t, lo, hi, w.at(), (hi != null ? w.get("max") : w.get("to")).at()), w.at()));
        }
        return windows;
    }

    /** The file's limit {@code key} (if given) must be the run's {@code flag} value {@code run} (-1: not checked). */
    private static void plannedWithin(YamlNode.Mapping map, String key, String flag, int run) {
        YamlNode v = map.get(key);
        if (v == null) {
            return;
        }
        String text = v instanceof YamlNode.Scalar s && !s.isNull() ? s.text().trim() : "";
        if (!text.matches("\\d{1,7}")) {
            throw new InputException(v.at(), "The schedule's " + key + " (" + text + ") must be a node count, as windows writes it.");
        }
        int planned = Integer.parseInt(text);
        if (run >= 0 && planned != run) {
            throw new InputException(v.at(), "The schedule was planned with " + key + " " + planned + ", and this run's " + flag
                    + " is " + run + "; give " + flag + " " + planned + " (the windows move the group's limits within it), or plan "
                    + "the windows again.");
        }
    }

    private static String text(YamlNode.Mapping w, String key, boolean required) {
        YamlNode v = w.get(key);
        if (v == null || (v instanceof YamlNode.Scalar s && s.isNull())) {
            if (required) {
                throw new InputException(w.at(), "The window lacks " + key + ".");
            }
            return null;
        }
        if (!(v instanceof YamlNode.Scalar s)) {
            throw new InputException(v.at(), "The window's " + key + " must be a single value" + (key.equals("days")
                    ? ", the days in one string: \"Mon,Wed,Fri\", \"Mon-Fri\" or \"*\"." : "."));
        }
        return s.text();
    }

    private static Window window(String days, String from, String to, Integer min, Integer max, SourceLocation at) {
        return window(days(days, at), from, minute(from, at, "start"), to, minute(to, at, "end"), min, max, at, at);
    }

    /** {@code at}: the window's start, for the times; {@code maxAt}: where its max is, for a max below its min. */
    private static Window window(int mask, String from, int f, String to, int t, Integer min, Integer max, SourceLocation at,
                                 SourceLocation maxAt) {
        if (f == 1440) {
            throw new InputException(at, "The window start (" + from + ") must be before 24:00.");
        }
        if (f == t) {
            // An end before the start runs past midnight, so an equal one would be 24 hours: more likely a slip.
            throw new InputException(at, "The window starts and ends at " + from + "; a window runs from its start to a later end "
                    + "(an earlier one runs past midnight): for a whole day give 00:00 to 24:00.");
        }
        if (min != null && max != null && max < min) {
            throw new InputException(maxAt, "The window's max (" + max + ") is below its min (" + min + ").");
        }
        return new Window(mask, f, t, min, max);
    }

    private static int days(String text, SourceLocation at) {
        String t = text.trim();
        if (t.equals("*") || t.equalsIgnoreCase("daily")) {
            return 127;
        }
        int mask = 0;
        for (String part : t.split(",", -1)) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2 || range[0].isBlank() || (range.length == 2 && range[1].isBlank())) {
                throw badDays(text, at); // "", "-", "Mon-", ",Tue" (the fuzzer found "-" failing here)
            }
            int a = day(range[0], text, at);
            int b = range.length == 2 ? day(range[1], text, at) : a;
            for (int d = a; ; d = (d + 1) % 7) {
                mask |= 1 << d;
                if (d == b) {
                    break;
                }
            }
        }
        return mask;
    }

    private static final String[] DAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

    /** A day by its name or a beginning of it of three letters or more (Mon, Tues, Thursday); "Monkey" is none. */
    private static int day(String name, String text, SourceLocation at) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (int d = 0; d < 7; d++) {
            if (n.length() >= 3 && DAY_NAMES[d].startsWith(n)) {
                return d;
            }
        }
        throw badDays(text, at);
    }

    private static InputException badDays(String text, SourceLocation at) {
        return new InputException(at, "The days (" + text + ") must be day names or ranges such as Mon-Fri, Sat,Sun or * for every day.");
    }

    private static int minute(String text, SourceLocation at, String what) {
        String[] hm = text.trim().split(":");
        try {
            if (hm.length == 2) {
                int h = Integer.parseInt(hm[0]);
                int m = Integer.parseInt(hm[1]);
                if (h >= 0 && m >= 0 && m < 60 && (h < 24 || (h == 24 && m == 0))) {
                    return h * 60 + m;
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InputException(at, "The window " + what + " (" + text + ") must be a time of day HH:MM from 00:00 to 24:00 (UTC unless --time-zone or the file's timeZone names another zone).");
    }

    private static int count(String text, SourceLocation at, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 0 && v <= 1_000_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InputException(at, "The window's " + what + " (" + text + ") must be a node count from 0 to 1000000.");
    }

    private static String clock(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }
}
