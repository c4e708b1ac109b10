package io.nodesizer.replay.windows;

import io.nodesizer.replay.autoscale.Schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The min= and max= a user gave the windows of {@code --window} or {@code --schedule} that {@code windows} replaced: it takes
 * their days and times and plans both limits itself, so each value the plan changed is said, with the value used and why
 * (QA 73b F6: {@code --window "Fri 07:00-09:00 min=3"} became min 26 without a word; the README said so, the run did not).
 */
public final class ReplacedLimits {
    private ReplacedLimits() {
    }

    /**
     * @param given     the windows as given, in the order the plan kept them ({@link WindowPlanner#userSchedule} maps them one to one)
     * @param planned   the planned schedule: the given windows with the plan's limits, or none when no window is planned
     * @param noWindows why no window is planned (the scheduled+ca row's description), used when {@code planned} is empty
     * @param maxNodes  --max-nodes, the group's max where a window sets none
     */
    public static List<String> warnings(List<Schedule.Given> given, Schedule planned, String noWindows, int maxNodes) {
        List<String> out = new ArrayList<>();
        boolean none = planned.windows().isEmpty();
        for (int i = 0; i < given.size(); i++) {
            Schedule.Window w = given.get(i).window();
            if (w.min() == null && w.max() == null) {
                continue;
            }
            String where = given.get(i).at() + ": in the window " + w + ", windows replaces ";
            if (none) {
                out.add(where + values(w) + " by no window at all: none is planned (" + noWindows + "), so scheduled+ca runs "
                        + "reactive Cluster Autoscaler; " + advice(w));
                continue;
            }
            Schedule.Window p = planned.windows().get(i);
            List<String> changes = new ArrayList<>();
            if (w.min() != null && !w.min().equals(p.min())) {
                changes.add("min=" + w.min() + " by " + p.min() + ", the largest minimum the replays needed in its hours to hold the SLO"
                        + " (at least --min-nodes)");
            }
            if (w.max() != null && !w.max().equals(p.max())) {
                changes.add("max=" + w.max() + " by " + (p.max() == null ? "none, so the group's --max-nodes (" + maxNodes + ") holds"
                        + " there (windows sets a max only with --headroom)" : p.max() + ", its replays' peak plus --headroom"));
            }
            if (!changes.isEmpty()) {
                out.add(where + String.join(", and ", changes) + ": it plans every window's min and max, taking only the days and "
                        + "times given; " + advice(w));
            }
        }
        return out;
    }

    private static String values(Schedule.Window w) {
        return (w.min() == null ? "" : "min=" + w.min()) + (w.min() != null && w.max() != null ? " " : "")
                + (w.max() == null ? "" : "max=" + w.max());
    }

    private static String advice(Schedule.Window w) {
        return "replay --autoscaler scheduled --window '" + w + "' replays your values as given";
    }
}
