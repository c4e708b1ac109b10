package io.nodesizer.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The fewest sets that between them hold every element (a minimum set cover), for any number of elements and sets: found
 * exactly where a bounded search can, else bracketed by bounds that are certain. {@link PoolCover} asks it how many pools the
 * pods' classes need; a {@code long} per set capped that at 63 classes, past which no answer was given at all.
 *
 * <p>First the problem is made smaller by the reductions that keep its optimum (as in the set-cover kernels of the
 * literature): a set inside another is dropped; an element whose sets include all the sets of another element is dropped
 * (covering the other covers it); an element that only one set holds forces that set. What is left falls into components
 * that share no set, each solved apart (pods pinned each to their own shape, 70 of them, are 70 forced sets and no search).
 * A component's lower bound is a set of its elements no two of which share a set (each needs a set of its own); its upper
 * bound a greedy cover; between them a depth-first search for a cover of k sets, k rising from the lower bound, branching on
 * the element that fewest sets hold and pruned by the same lower bound, within an effort cap in word operations.
 */
final class SetCover {
    /** The least number of sets a cover takes lies in [lower, upper]; a cover of {@code upper} sets exists. */
    record Bounds(int lower, int upper) {
        /** Whether the search found the minimum. */
        boolean exact() {
            return lower == upper;
        }
    }

    private long effort;

    private SetCover(long effort) {
        this.effort = effort;
    }

    /**
     * The bounds on a minimum cover of elements 0..{@code elements}-1 by {@code sets}, after at most about {@code effort}
     * 64-bit word operations of search (the reductions and bounds are not capped: they are polynomial).
     *
     * @throws IllegalArgumentException when some element is in no set (no cover exists)
     */
    static Bounds fewest(List<BitSet> sets, int elements, long effort) {
        return new SetCover(effort).solve(sets, elements);
    }

    private Bounds solve(List<BitSet> given, int n) {
        int m = given.size();
        int wn = words(n);
        long[][] sets = new long[m][];
        for (int s = 0; s < m; s++) {
            sets[s] = Arrays.copyOf(given.get(s).toLongArray(), wn);
        }
        boolean[] setAlive = new boolean[m];
        Arrays.fill(setAlive, true);
        long[] open = new long[wn]; // the elements not yet covered nor dropped
        for (int e = 0; e < n; e++) {
            open[e >>> 6] |= 1L << e;
        }
        int forced = 0;
        for (boolean changed = true; changed; ) {
            changed = dropContainedSets(sets, setAlive, open);
            long[][] admitters = admitters(sets, setAlive, open, n);
            for (int e = 0; e < n; e++) {
                if (!has(open, e)) {
                    continue;
                }
                int count = count(admitters[e]);
                if (count == 0) {
                    throw new IllegalArgumentException("Element " + e + " is in no set: no cover exists.");
                }
                if (count == 1) {
                    int s = first(admitters[e]);
                    forced++;
                    andNot(open, sets[s]);
                    setAlive[s] = false;
                    changed = true;
                }
            }
            if (!changed) {
                changed = dropContainingElements(admitters, open, n);
            }
        }
        int lower = forced;
        int upper = forced;
        for (Component c : components(sets, setAlive, open, n)) {
            Bounds b = c.solve(this);
            lower += b.lower();
            upper += b.upper();
        }
        return new Bounds(lower, upper);
    }

    /** Drops every set held in another (the first of equal sets stays) or holding no open element; whether any was. */
    private static boolean dropContainedSets(long[][] sets, boolean[] alive, long[] open) {
        boolean any = false;
        int m = sets.length;
        long[][] within = new long[m][];
        for (int s = 0; s < m; s++) {
            within[s] = alive[s] ? and(sets[s], open) : null;
            if (alive[s] && isEmpty(within[s])) {
                alive[s] = false;
                any = true;
            }
        }
        for (int s = 0; s < m; s++) {
            for (int t = 0; t < m && alive[s]; t++) {
                if (t != s && alive[t] && subset(within[s], within[t]) && (t < s || !subset(within[t], within[s]))) {
                    alive[s] = false;
                    any = true;
                }
            }
        }
        return any;
    }

    /**
     * Drops every open element whose sets include all the sets of another open element (the first of equal ones stays):
     * any cover of the other covers it. Whether any was.
     */
    private static boolean dropContainingElements(long[][] admitters, long[] open, int n) {
        boolean any = false;
        for (int f = 0; f < n; f++) {
            for (int e = 0; e < n && has(open, f); e++) {
                if (e != f && has(open, e) && subset(admitters[e], admitters[f]) && (e < f || !subset(admitters[f], admitters[e]))) {
                    open[f >>> 6] &= ~(1L << f);
                    any = true;
                }
            }
        }
        return any;
    }

    /** Each open element's live sets, as bits over the set indexes (null for an element not open). */
    private static long[][] admitters(long[][] sets, boolean[] alive, long[] open, int n) {
        int wm = words(sets.length);
        long[][] by = new long[n][];
        for (int e = 0; e < n; e++) {
            by[e] = has(open, e) ? new long[wm] : null;
        }
        for (int s = 0; s < sets.length; s++) {
            if (!alive[s]) {
                continue;
            }
            for (int w = 0; w < sets[s].length; w++) {
                for (long bits = sets[s][w] & open[w]; bits != 0; bits &= bits - 1) {
                    by[(w << 6) + Long.numberOfTrailingZeros(bits)][s >>> 6] |= 1L << s;
                }
            }
        }
        return by;
    }

    /** The open elements and live sets, split where no set joins them, each renumbered from 0. */
    private static List<Component> components(long[][] sets, boolean[] alive, long[] open, int n) {
        int[] parent = new int[n];
        for (int e = 0; e < n; e++) {
            parent[e] = e;
        }
        for (int s = 0; s < sets.length; s++) {
            if (!alive[s]) {
                continue;
            }
            int root = -1;
            for (int w = 0; w < sets[s].length; w++) {
                for (long bits = sets[s][w] & open[w]; bits != 0; bits &= bits - 1) {
                    int e = find(parent, (w << 6) + Long.numberOfTrailingZeros(bits));
                    if (root < 0) {
                        root = e;
                    } else if (e != root) {
                        parent[e] = root;
                    }
                }
            }
        }
        // Elements by component, in the order of their first element: the same problem is searched the same way.
        int[] componentOf = new int[n];
        Arrays.fill(componentOf, -1);
        List<List<Integer>> members = new ArrayList<>();
        int[] rootComponent = new int[n];
        Arrays.fill(rootComponent, -1);
        for (int e = 0; e < n; e++) {
            if (!has(open, e)) {
                continue;
            }
            int r = find(parent, e);
            if (rootComponent[r] < 0) {
                rootComponent[r] = members.size();
                members.add(new ArrayList<>());
            }
            componentOf[e] = rootComponent[r];
            members.get(rootComponent[r]).add(e);
        }
        List<List<Integer>> setsOf = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            setsOf.add(new ArrayList<>());
        }
        for (int s = 0; s < sets.length; s++) {
            int any = alive[s] ? firstAnd(sets[s], open) : -1;
            if (any >= 0) {
                setsOf.get(componentOf[any]).add(s);
            }
        }
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            out.add(Component.of(members.get(i), setsOf.get(i), sets));
        }
        return out;
    }

    private static int find(int[] parent, int e) {
        while (parent[e] != e) {
            parent[e] = parent[parent[e]];
            e = parent[e];
        }
        return e;
    }

    /** One part of the problem that shares no set with another: its sets over its elements and the reverse, renumbered. */
    private record Component(long[][] sets, long[][] admitters, int[] byFewestSets) {
        static Component of(List<Integer> elements, List<Integer> setIndexes, long[][] allSets) {
            int n = elements.size();
            int m = setIndexes.size();
            long[][] sets = new long[m][words(n)];
            long[][] admitters = new long[n][words(m)];
            for (int j = 0; j < m; j++) {
                long[] s = allSets[setIndexes.get(j)];
                for (int i = 0; i < n; i++) {
                    int e = elements.get(i);
                    if (has(s, e)) {
                        sets[j][i >>> 6] |= 1L << i;
                        admitters[i][j >>> 6] |= 1L << j;
                    }
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            // Fewest sets first (then by index, for one order every run): the search branches on the first still open,
            // and the lower bound takes elements in this order.
            Arrays.sort(order, (a, b) -> count(admitters[a]) != count(admitters[b])
                    ? Integer.compare(count(admitters[a]), count(admitters[b])) : Integer.compare(a, b));
            return new Component(sets, admitters, Arrays.stream(order).mapToInt(Integer::intValue).toArray());
        }

        int elements() {
            return admitters.length;
        }

        Bounds solve(SetCover search) {
            long[] all = new long[words(elements())];
            for (int e = 0; e < elements(); e++) {
                all[e >>> 6] |= 1L << e;
            }
            int lower = independent(all);
            int upper = greedy(all);
            // k rising from the lower bound: each k without a cover raises it, the first with one is the minimum.
            for (int k = lower; k < upper; k++) {
                Boolean found = covers(all, k, search);
                if (found == null) {
                    break;
                }
                if (found) {
                    upper = k;
                } else {
                    lower = k + 1;
                }
            }
            return new Bounds(lower, upper);
        }

        /**
         * How many of the open elements, taken fewest sets first, share no set with those taken before: each needs a set
         * of its own, so a cover takes at least that many.
         */
        int independent(long[] open) {
            long[] used = new long[admitters.length == 0 ? 0 : admitters[0].length];
            int count = 0;
            for (int e : byFewestSets) {
                if (has(open, e) && !intersects(admitters[e], used)) {
                    or(used, admitters[e]);
                    count++;
                }
            }
            return count;
        }

        /** The size of a cover taken greedily, the set holding the most open elements first. */
        int greedy(long[] all) {
            long[] open = all.clone();
            int count = 0;
            while (!isEmpty(open)) {
                int best = -1;
                int most = 0;
                for (int s = 0; s < sets.length; s++) {
                    int held = countAnd(sets[s], open);
                    if (held > most) {
                        most = held;
                        best = s;
                    }
                }
                andNot(open, sets[best]);
                count++;
            }
            return count;
        }

        /** Whether at most {@code k} sets cover {@code open}; null when the effort ran out first. */
        Boolean covers(long[] open, int k, SetCover search) {
            if (isEmpty(open)) {
                return true;
            }
            if (k == 0) {
                return false;
            }
            search.effort -= (long) elements() * (admitters[0].length + 1) + (long) sets.length * open.length;
            if (search.effort < 0) {
                return null;
            }
            if (independent(open) > k) {
                return false;
            }
            int pick = -1;
            for (int e : byFewestSets) {
                if (has(open, e)) {
                    pick = e;
                    break;
                }
            }
            // Its sets, the one holding the most open elements first (then by index).
            List<Integer> choices = new ArrayList<>();
            for (int s = 0; s < sets.length; s++) {
                if (has(admitters[pick], s)) {
                    choices.add(s);
                }
            }
            choices.sort((a, b) -> countAnd(sets[a], open) != countAnd(sets[b], open)
                    ? Integer.compare(countAnd(sets[b], open), countAnd(sets[a], open)) : Integer.compare(a, b));
            for (int s : choices) {
                long[] rest = open.clone();
                andNot(rest, sets[s]);
                Boolean r = covers(rest, k - 1, search);
                if (r == null) {
                    return null; // out of effort: every further branch would be too
                }
                if (r) {
                    return true;
                }
            }
            return false;
        }
    }

    private static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    private static boolean has(long[] bits, int i) {
        return (bits[i >>> 6] >>> i & 1) != 0;
    }

    private static int count(long[] bits) {
        int c = 0;
        for (long w : bits) {
            c += Long.bitCount(w);
        }
        return c;
    }

    private static int countAnd(long[] a, long[] b) {
        int c = 0;
        for (int w = 0; w < a.length; w++) {
            c += Long.bitCount(a[w] & b[w]);
        }
        return c;
    }

    private static int first(long[] bits) {
        for (int w = 0; w < bits.length; w++) {
            if (bits[w] != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits[w]);
            }
        }
        return -1;
    }

    private static int firstAnd(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & b[w]) != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(a[w] & b[w]);
            }
        }
        return -1;
    }

    private static boolean isEmpty(long[] bits) {
        for (long w : bits) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean intersects(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & b[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    private static long[] and(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int w = 0; w < a.length; w++) {
            r[w] = a[w] & b[w];
        }
        return r;
    }

    private static void andNot(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            a[w] &= ~b[w];
        }
    }

    private static void or(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            a[w] |= b[w];
        }
    }
}
