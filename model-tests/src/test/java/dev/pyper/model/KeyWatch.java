package dev.pyper.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a keyed task's invocations (rules 10.10, 10.13) from inside its function, in whatever JVM
 * runs it: each attempt counts itself in flight for its key while it runs, in a {@link SharedTally}
 * that worker processes share, and notes when it found its key busy (two invocations of one key at
 * once). Where the order in which the task takes its inputs is known to the model ({@code order},
 * the inputs' values, or lists' keys, in that order), each attempt also checks that it comes in its
 * key's order: the next input of its key, or the input before again (a retry, rule 10.13).
 *
 * <p>An attempt that hangs or ends its JVM on purpose ({@link Flaky.How}) gives its key up as it
 * begins to: a timed-out attempt written off may overlap the key's next input (rule 10.13), and
 * one whose JVM ends never counts itself out.
 *
 * <p>The tally: {@value #HEADER} slots of counts and first findings, then per key a tag (the key
 * plus 2, 0 while free), the attempts in flight and how many of its inputs have come, in a table
 * of {@code tableSize} keys with open addressing.
 *
 * @param key the key function of the task
 * @param tally the counts, see above
 * @param tableSize a power of two, at least twice the keys the task can see
 * @param order the values (lists' keys) in the order the task takes them, or null where it is not known
 */
record KeyWatch(KeyOf key, SharedTally tally, int tableSize, List<Integer> order) implements Serializable {

    private static final int OVERLAPS = 0;
    private static final int BREAKS = 1;
    private static final int ATTEMPTS = 2;
    private static final int FIRST_OVERLAP_KEY = 3;
    private static final int FIRST_BREAK_VALUE = 4;
    private static final int FIRST_BREAK_AT = 5;
    private static final int FIRST_BREAK_KEY = 6;
    private static final int FULL = 7;
    private static final int HEADER = 8;

    /** The watch and the entry of the attempt running on this thread, if any. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private record Held(KeyWatch watch, int entry) {}

    /** A watch for a task that sees at most {@code inputs} inputs; {@code order} as above, or null. */
    static KeyWatch of(KeyOf key, int inputs, List<Integer> order) {
        int size = Integer.highestOneBit(Math.max(2, 2 * inputs + 2) - 1) << 1;
        return new KeyWatch(
                key, SharedTally.allocate(HEADER + 3 * size), size, order == null ? null : List.copyOf(order));
    }

    /** An attempt on {@code input} starts on this thread: counts it in flight for its key and checks its turn. */
    void enter(Object input) {
        int value = KeyOf.value(input);
        int k = key.of(value);
        tally.increment(ATTEMPTS);
        int e = entry(k);
        if (e < 0) {
            return;
        }
        if (tally.add(inFlight(e), 1) > 1 && tally.increment(OVERLAPS) == 1) {
            tally.set(FIRST_OVERLAP_KEY, k + 2L);
        }
        HELD.set(new Held(this, e));
        if (order != null) {
            List<Integer> turns = turns(k);
            long at = tally.get(cursor(e));
            if (at < turns.size() && turns.get((int) at) == value) {
                tally.set(cursor(e), at + 1);
            } else if (at == 0 || turns.get((int) at - 1) != value) { // not a retry of the input before
                if (tally.increment(BREAKS) == 1) {
                    tally.set(FIRST_BREAK_VALUE, value + 2L);
                    tally.set(FIRST_BREAK_AT, at);
                    tally.set(FIRST_BREAK_KEY, k + 2L);
                }
            }
        }
    }

    /** The attempt running on this thread, if it is one of this watch, ends, or gives its key up early. */
    void exit() {
        Held held = HELD.get();
        if (held != null && held.watch() == this) {
            HELD.remove();
            tally.add(inFlight(held.entry()), -1);
        }
    }

    /** Attempts watched so far. */
    long attempts() {
        return tally.get(ATTEMPTS);
    }

    /** What broke rules 10.10 and 10.13 at the stage named {@code stage}, or null. */
    String violation(String stage) {
        List<String> found = new ArrayList<>();
        long overlaps = tally.get(OVERLAPS);
        if (overlaps > 0) {
            found.add(overlaps + " attempt(s) started while another invocation of their key ran, the first of key "
                    + (tally.get(FIRST_OVERLAP_KEY) - 2) + " (rule 10.10: one at a time per key)");
        }
        long breaks = tally.get(BREAKS);
        if (breaks > 0) {
            int k = (int) (tally.get(FIRST_BREAK_KEY) - 2);
            int at = (int) tally.get(FIRST_BREAK_AT);
            List<Integer> turns = turns(k);
            found.add(breaks + " invocation(s) out of their key's input order, the first an input of value "
                    + (tally.get(FIRST_BREAK_VALUE) - 2) + " of key " + k + " after " + at + " of its inputs, where "
                    + (at < turns.size() ? "the next is " + turns.get(at) : "none is left")
                    + "; the key's inputs in the order the task takes them: "
                    + (turns.size() > 30 ? turns.subList(0, 30) + "..." : turns) + " (rule 10.10)");
        }
        if (tally.get(FULL) > 0) {
            found.add("more keys than the watch's table of " + tableSize + " holds (the model's bound)");
        }
        return found.isEmpty() ? null : "Stage " + stage + " with byKey(" + key + "): " + String.join("; ", found);
    }

    /** The values of key {@code k}'s inputs in the order the task takes them. */
    List<Integer> turns(int k) {
        List<Integer> turns = new ArrayList<>();
        for (int v : order) {
            if (key.of(v) == k) {
                turns.add(v);
            }
        }
        return turns;
    }

    /** The entry of key {@code k}, claimed on first sight; -1 if the table is full. */
    private int entry(int k) {
        long tag = k + 2L;
        int mask = tableSize - 1;
        int start = Values.mix(k, 0x3C6EF372) & mask;
        for (int i = 0; i < tableSize; i++) {
            int e = (start + i) & mask;
            long found = tally.get(tag(e));
            if (found == 0 && tally.compareAndSet(tag(e), 0, tag)) {
                return e;
            }
            if (found == tag || tally.get(tag(e)) == tag) {
                return e;
            }
        }
        tally.increment(FULL);
        return -1;
    }

    private static int tag(int e) {
        return HEADER + 3 * e;
    }

    private static int inFlight(int e) {
        return HEADER + 3 * e + 1;
    }

    private static int cursor(int e) {
        return HEADER + 3 * e + 2;
    }

    @Override
    public String toString() {
        return " watched" + (order == null ? "" : " in order");
    }
}
