package io.nodesizer.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs independent jobs 0..n-1 on a fixed number of threads and returns their results by index
 * (never in completion order), so that callers' output does not depend on the thread count.
 */
public final class Parallel {
    private Parallel() {
    }

    public static <T> List<T> map(int n, int threads, IntFunction<T> job, ProgressListener progress) {
        Object[] results = new Object[n];
        AtomicInteger done = new AtomicInteger();
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                results[i] = job.apply(i);
                progress.progress(done.incrementAndGet(), n);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "nodesizer-sweep");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        results[index] = job.apply(index);
                        progress.progress(done.incrementAndGet(), n);
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The sweep was interrupted.", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error error) {
                    // Unchanged, so that an OutOfMemoryError reaches Main's heap advice, not "internal error" (review 76 #6).
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        List<T> out = new ArrayList<>(n);
        for (Object r : results) {
            @SuppressWarnings("unchecked")
            T t = (T) r;
            out.add(t);
        }
        return out;
    }

    /**
     * The results of jobs run once per distinct key.
     *
     * @param firstOf per index, the first index with the same key (whose job ran)
     * @param results per index whose job ran, its result (null elsewhere)
     */
    public record Distinct<T>(int[] firstOf, List<T> results) {
        /** The result for index i: its own, or its first twin's. */
        public T of(int i) {
            return results.get(firstOf[i]);
        }

        /** Whether index i's job ran (it is the first with its key). */
        public boolean ran(int i) {
            return firstOf[i] == i;
        }
    }

    /**
     * As {@link #map}, running the job only for the first index of each distinct {@code key}
     * (equal keys give equal results: shapes that pack alike), on {@code threads} threads; the
     * progress counts the jobs run.
     */
    public static <T> Distinct<T> mapDistinct(int n, IntFunction<Object> key, IntFunction<T> job, int threads,
                                              ProgressListener progress) {
        java.util.Map<Object, Integer> first = new java.util.HashMap<>();
        int[] firstOf = new int[n];
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Integer f = first.putIfAbsent(key.apply(i), i);
            firstOf[i] = f == null ? i : f;
            if (f == null) {
                run.add(i);
            }
        }
        List<T> own = map(run.size(), threads, k -> job.apply(run.get(k)), progress);
        List<T> results = new ArrayList<>(java.util.Collections.nCopies(n, (T) null));
        for (int k = 0; k < run.size(); k++) {
            results.set(run.get(k), own.get(k));
        }
        return new Distinct<>(firstOf, results);
    }
}
