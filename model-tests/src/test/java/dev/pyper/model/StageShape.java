package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One random stage: its function and its options (rules 1.3 to 1.5, 2.5, 2.6, 3.3).
 *
 * @param function the function and its model
 * @param workers 1 to 8 (a batch 1, rule 10.9)
 * @param throttle 0 to 4; a batch's 0 or its size to three times it (rule 10.7)
 * @param ordered whether {@code ordered()} is set
 * @param multiprocess whether {@code multiprocess()} is set
 * @param name the task's name
 * @param rate the task's {@code rate(r).burst(b)} (rule 10.1), or null
 * @param key the task's {@code byKey} function (rule 10.10), or null
 */
record StageShape(
        StageFunction function,
        int workers,
        int throttle,
        boolean ordered,
        boolean multiprocess,
        String name,
        Option.Rate rate,
        KeyOf key) {

    /** A stage without a rate. */
    StageShape(StageFunction function, int workers, int throttle, boolean ordered, boolean multiprocess, String name) {
        this(function, workers, throttle, ordered, multiprocess, name, null, null);
    }

    /** A stage without a key. */
    StageShape(
            StageFunction function,
            int workers,
            int throttle,
            boolean ordered,
            boolean multiprocess,
            String name,
            Option.Rate rate) {
        this(function, workers, throttle, ordered, multiprocess, name, rate, null);
    }

    /** The watch of this stage's key, where its function has one (see {@link KeyWatch}), or null. */
    KeyWatch keyWatch() {
        if (function instanceof StageFunction.PerInput p) {
            return p.site().keys();
        }
        return function instanceof ListFunctions.OnLists lists ? lists.site().keys() : null;
    }

    /** The real task with its options. */
    Pipeline<Integer, Integer> task(PipelineExecutor executor) {
        return function.task(executor, options());
    }

    /** This stage's options, each once, as its task's factory takes them (rules 1.3 to 1.5). */
    Option[] options() {
        List<Option> options = new ArrayList<>(List.of(Task.workers(workers), Task.throttle(throttle)));
        if (ordered) {
            options.add(Task.ordered());
        }
        if (multiprocess) {
            options.add(Task.multiprocess());
        }
        options.add(Task.named(name));
        if (flaky() != null) {
            options.addAll(flaky().options());
        }
        if (rate != null) {
            options.add(rate);
        }
        if (key != null) {
            options.add(Task.byKey(key));
        }
        return options.toArray(Option[]::new);
    }

    /** The failures this stage survives (section 9), or null. */
    Flaky flaky() {
        return function.flaky();
    }

    /** Whether this stage passes its outputs on in the order of its inputs (rules 3.1, 3.3, 3.4). */
    boolean keepsOrder() {
        return (workers == 1 || ordered) && function.keepsOrderWithin();
    }

    /** The real pipeline of these stages, bound to {@code executor}. */
    static Pipeline<Integer, Integer> pipeline(List<StageShape> stages, PipelineExecutor executor) {
        Pipeline<Integer, Integer> pipeline = stages.get(0).task(executor);
        for (StageShape stage : stages.subList(1, stages.size())) {
            pipeline = pipeline.pipe(stage.task(executor));
        }
        return pipeline.on(executor);
    }

    /** One line per stage, for failure reports. */
    static String describe(List<StageShape> stages) {
        return stages.stream().map(StageShape::toString).collect(Collectors.joining(" | ", "[", "]"));
    }

    @Override
    public String toString() {
        return name + "=" + function.label() + " workers(" + workers + ")"
                + (throttle > 0 ? " throttle(" + throttle + ")" : "") + (ordered ? " ordered()" : "")
                + (multiprocess ? " multiprocess()" : "") + (rate != null ? " " + rate : "")
                + (key != null ? " byKey(" + key + ")" : "");
    }
}
