package io.nodesizer.replay.demand;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code --synthetic diurnal}: every workload of the profile follows a daily curve, weaker at the
 * weekend, with seeded noise. The profile's replicas are the weekday peak. At hour {@code h} (local time of {@code zone})
 * of a weekday the level is {@code trough + (1 - trough) * (1 + cos(2π (h - peakHour) / 24)) / 2},
 * times {@code weekend} on Saturday and Sunday, times {@code 1 + noise * N(0,1)} (clipped to ±3σ);
 * replicas are that fraction of the peak, rounded, and at least 1. A bare Pod and a Job's or CronJob's pods get no curve and run
 * as written, as --growth and --surge leave them ({@link Workload#scalesWithDemand}): a Job runs min(parallelism, completions)
 * pods whatever the load (QA 73b F2: the curve scaled a Job's 3 pods down to 1 at night).
 *
 * @param trough   night level as a fraction of the peak (0..1)
 * @param peakHour hour of day (local time of {@code zone}) of the peak, 0..24
 * @param weekend  Saturday/Sunday factor (0..1)
 * @param noise    relative standard deviation of the noise per step
 * @param step     seconds between steps
 * @param zone     the time zone whose days the curve follows ({@code --time-zone})
 */
public record SyntheticDemand(double trough, double peakHour, double weekend, double noise, long step, java.time.ZoneId zone) {

    /** The curve on UTC's clock. */
    public SyntheticDemand(double trough, double peakHour, double weekend, double noise, long step) {
        this(trough, peakHour, weekend, noise, step, ZoneOffset.UTC);
    }

    public DemandSeries generate(Workload workload, Instant origin, long horizon, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int steps = (int) Math.min(10_000_000L, (horizon + step - 1) / step);
        Map<String, DemandSeries.Steps> out = new LinkedHashMap<>();
        double[] level = new double[steps];
        for (int i = 0; i < steps; i++) {
            level[i] = level(origin.plusSeconds(i * step));
        }
        for (PodGroup g : workload.groups()) {
            if (!Workload.scalesWithDemand(g)) {
                continue; // without steps, PodStream runs its replicas throughout
            }
            long[] times = new long[steps];
            int[] replicas = new int[steps];
            int n = 0;
            for (int i = 0; i < steps; i++) {
                double z = Math.max(-3, Math.min(3, random.nextGaussian()));
                double f = Math.max(0, level[i] * (1 + noise * z));
                int r = (int) Math.max(1, Math.round(g.replicas() * f));
                if (n > 0 && replicas[n - 1] == r) {
                    continue;
                }
                times[n] = i * step;
                replicas[n] = r;
                n++;
            }
            out.put(g.name(), new DemandSeries.Steps(java.util.Arrays.copyOf(times, n), java.util.Arrays.copyOf(replicas, n)));
        }
        return new DemandSeries(origin, horizon, out);
    }

    /** The noiseless level (fraction of the weekday peak) at {@code t}. */
    public double level(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        double hour = z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
        double daily = trough + (1 - trough) * (1 + Math.cos(2 * Math.PI * (hour - peakHour) / 24)) / 2;
        DayOfWeek d = z.getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? daily * weekend : daily;
    }
}
