package dev.pyper.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks order per key (rules 10.10 to 10.13) against the model. After any run, every top-level
 * keyed task's {@link KeyWatch}: no two invocations of one key ran at once, and where the task's
 * input order is promised, each key's inputs were invoked in that order. And where the last
 * top-level task is keyed and its input order is promised, the caller's outputs of each key come
 * in the order of the key's inputs: all of them after a complete run, a prefix of them after any
 * other. An output is counted for a key only where the model makes it of that key alone (values
 * may repeat across keys).
 */
final class KeyCheck {

    /** Marks an output value that the model makes for more than one key. */
    private static final Integer SHARED = Integer.MIN_VALUE;

    private final ModelCase c;
    /** Output value to the one key whose inputs make it (or {@link #SHARED}); null where outputs are not checked. */
    private final Map<Integer, Integer> owner;
    /** Per key, the outputs the model makes of its inputs, in order, those of {@link #owner} alone. */
    private final Map<Integer, List<Integer>> expected;

    KeyCheck(ModelCase c) {
        this.c = c;
        StageShape last = c.stages().get(c.stages().size() - 1);
        KeyWatch watch = last.keyWatch();
        if (last.key() == null || watch == null || watch.order() == null) {
            owner = null;
            expected = null;
            return;
        }
        List<Integer> inputs = Collections.singletonList(c.input());
        for (StageShape stage : c.stages().subList(0, c.stages().size() - 1)) {
            inputs = stage.function().model(inputs, stage.workers(), new FaultLog());
        }
        List<List<Integer>> units = new ArrayList<>();
        if (last.function() instanceof ListFunctions.OnLists lists) {
            units.addAll(ListFunctions.lists(inputs, lists.size()));
        } else {
            for (Integer x : inputs) {
                units.add(Collections.singletonList(x));
            }
        }
        Map<Integer, Integer> owners = new HashMap<>();
        List<Integer> keys = new ArrayList<>();
        List<List<Integer>> outputs = new ArrayList<>();
        for (List<Integer> unit : units) {
            int k = last.key()
                    .of(
                            last.function() instanceof ListFunctions.OnLists
                                    ? ListFunctions.key(unit)
                                    : Values.of(unit.get(0)));
            List<Integer> out = last.function().model(unit, last.workers(), new FaultLog());
            keys.add(k);
            outputs.add(out);
            for (Integer o : out) {
                owners.merge(o, k, (a, b) -> a.equals(b) ? a : SHARED);
            }
        }
        Map<Integer, List<Integer>> perKey = new TreeMap<>();
        for (int u = 0; u < units.size(); u++) {
            for (Integer o : outputs.get(u)) {
                if (keys.get(u).equals(owners.get(o))) {
                    perKey.computeIfAbsent(keys.get(u), k -> new ArrayList<>()).add(o);
                }
            }
        }
        owner = owners;
        expected = perKey;
    }

    /** Whether the case has a top-level keyed task whose turns are watched. */
    boolean applies() {
        return c.stages().stream().anyMatch(s -> s.keyWatch() != null);
    }

    /** Whether the outputs of the last task are checked per key. */
    boolean checksOutputs() {
        return owner != null;
    }

    /** After any run: what each watch saw. */
    void turns() {
        for (StageShape stage : c.stages()) {
            KeyWatch watch = stage.keyWatch();
            String violation = watch == null ? null : watch.violation(stage.name());
            if (violation != null) {
                throw new AssertionError(violation);
            }
        }
    }

    /** The outputs the caller got: per key, all of the model's in order ({@code complete}) or a prefix of them. */
    void outputs(List<Integer> got, boolean complete) {
        if (owner == null) {
            return;
        }
        Map<Integer, List<Integer>> gotPerKey = new TreeMap<>();
        for (Integer o : got) {
            Integer k = owner.get(o);
            if (k != null && !k.equals(SHARED)) {
                gotPerKey.computeIfAbsent(k, x -> new ArrayList<>()).add(o);
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : expected.entrySet()) {
            List<Integer> want = e.getValue();
            List<Integer> have = gotPerKey.getOrDefault(e.getKey(), List.of());
            boolean fine = complete
                    ? have.equals(want)
                    : have.size() <= want.size() && have.equals(want.subList(0, have.size()));
            if (!fine) {
                StageShape last = c.stages().get(c.stages().size() - 1);
                throw new AssertionError("The outputs of key " + e.getKey() + " of the last task, " + last.name()
                        + " with byKey(" + last.key() + "), are not " + (complete ? "" : "a prefix of ")
                        + "the model's in its inputs' order (rule 10.10): expected " + shortened(want) + ", got "
                        + shortened(have));
            }
        }
    }

    private static String shortened(List<Integer> values) {
        return values.size() > 30 ? values.subList(0, 30) + "... (" + values.size() + ")" : values.toString();
    }
}
