package dev.pyper.model;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The random join functions (rule 2.4). A join with several workers splits its input stream
 * between them in a way nobody can predict, so the generator gives such a join only functions
 * whose outputs, as a multiset, do not depend on the split: {@link Drain} (one constant per worker)
 * and {@link EachElement} (outputs per element). A join with one worker sees the whole stream;
 * it may fold it in order ({@link Fold}, {@link Running}) only where the order of its input is
 * promised, and folds it as a sum otherwise.
 *
 * <p>Each join counts every element it pulls as a start (for the throttle check of the stage
 * before it) and checks its fault on every element.
 */
final class JoinFunctions {

    private JoinFunctions() {}

    /** Pulls every element of the stream, counting and checking each. */
    private static Iterator<Integer> pulled(Stream<Integer> in, Site site) {
        Iterator<Integer> elements = in.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return elements.hasNext();
            }

            @Override
            public Integer next() {
                Integer x = elements.next();
                site.begin();
                return x;
            }
        };
    }

    private static void modelChecks(List<Integer> inputs, Site site, FaultLog log) {
        for (Integer x : inputs) {
            site.model(x, log);
        }
    }

    /** {@code Task.join(Stream -> O)} with one worker: folds the whole stream into one output. */
    record Fold(boolean orderSensitive, int salt, Site site)
            implements ThrowingFunction<Stream<Integer>, Integer>, StageFunction {
        @Override
        public Integer apply(Stream<Integer> in) throws Exception {
            site.enter();
            try {
                int h = salt;
                for (Iterator<Integer> it = pulled(in, site); it.hasNext(); ) {
                    Integer x = it.next();
                    site.check(x);
                    h = Values.next(h, x, orderSensitive);
                }
                return h;
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            modelChecks(inputs, site, log);
            int h = salt;
            for (Integer x : inputs) {
                h = Values.next(h, x, orderSensitive);
            }
            return List.of(h);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.join(this, options);
        }

        @Override
        public String label() {
            return "join(" + (orderSensitive ? "fold in order" : "sum") + ")" + site;
        }
    }

    /** {@code Task.join(Stream -> O)} with any number of workers: drains its share, returns a constant. */
    record Drain(int constant, Site site) implements ThrowingFunction<Stream<Integer>, Integer>, StageFunction {
        @Override
        public Integer apply(Stream<Integer> in) throws Exception {
            site.enter();
            try {
                for (Iterator<Integer> it = pulled(in, site); it.hasNext(); ) {
                    site.check(it.next());
                }
                return constant;
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            modelChecks(inputs, site, log);
            return Collections.nCopies(workers, constant);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.join(this, options);
        }

        @Override
        public String label() {
            return "join(drain, return " + constant + ")" + site;
        }
    }

    /**
     * {@code Task.joinGenerator((Stream, Emitter) -> …)}: emits 0 to 2 outputs per element; with one worker,
     * also the number of elements at the end.
     */
    record EachElement(int salt, boolean countAtEnd, Site site)
            implements Generator<Stream<Integer>, Integer>, StageFunction {
        @Override
        public void generate(Stream<Integer> in, Emitter<Integer> out) throws Exception {
            site.enter();
            try {
                int count = 0;
                for (Iterator<Integer> it = pulled(in, site); it.hasNext(); ) {
                    Integer x = it.next();
                    site.check(x);
                    count++;
                    for (int o : Values.spread(x, salt, 2)) {
                        site.emitting();
                        out.emit(o);
                    }
                }
                if (countAtEnd) {
                    site.emitting();
                    out.emit(count);
                }
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            modelChecks(inputs, site, log);
            List<Integer> out = new ArrayList<>();
            for (Integer x : inputs) {
                out.addAll(Values.spread(x, salt, 2));
            }
            if (countAtEnd) {
                out.add(inputs.size());
            }
            return out;
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.joinGenerator(this, options);
        }

        @Override
        public boolean countsEmits() {
            return true;
        }

        @Override
        public String label() {
            return "joinEmit(each" + (countAtEnd ? ", then count" : "") + ")" + site;
        }
    }

    /** {@code Task.joinGenerator((Stream, Emitter) -> …)} with one worker and ordered input: emits the running fold. */
    record Running(int salt, Site site) implements Generator<Stream<Integer>, Integer>, StageFunction {
        @Override
        public void generate(Stream<Integer> in, Emitter<Integer> out) throws Exception {
            site.enter();
            try {
                int h = salt;
                for (Iterator<Integer> it = pulled(in, site); it.hasNext(); ) {
                    Integer x = it.next();
                    site.check(x);
                    h = Values.next(h, x, true);
                    site.emitting();
                    out.emit(h);
                }
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            modelChecks(inputs, site, log);
            List<Integer> out = new ArrayList<>();
            int h = salt;
            for (Integer x : inputs) {
                h = Values.next(h, x, true);
                out.add(h);
            }
            return out;
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.joinGenerator(this, options);
        }

        @Override
        public boolean countsEmits() {
            return true;
        }

        @Override
        public String label() {
            return "joinEmit(running fold in order)" + site;
        }
    }

    /**
     * {@code Task.joinGenerator((Stream, Emitter) -> …)} with one worker and ordered input: passes on the
     * first {@code m} elements (mixed) and returns without reading the rest, which ends the tasks
     * before it quietly (rule 8.3). Faults before it may or may not fire, so they become uncertain.
     */
    record Head(int m, int salt, Site site) implements Generator<Stream<Integer>, Integer>, StageFunction {
        @Override
        public void generate(Stream<Integer> in, Emitter<Integer> out) throws Exception {
            site.enter();
            try {
                int n = 0;
                for (Iterator<Integer> it = pulled(in, site); n < m && it.hasNext(); n++) {
                    Integer x = it.next();
                    site.check(x);
                    site.emitting();
                    out.emit(Values.mix(x, salt));
                }
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            log.firedSoFarUncertain();
            List<Integer> head = inputs.subList(0, Math.min(m, inputs.size()));
            modelChecks(head, site, log);
            List<Integer> out = new ArrayList<>();
            for (Integer x : head) {
                out.add(Values.mix(x, salt));
            }
            return out;
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.joinGenerator(this, options);
        }

        @Override
        public boolean countsEmits() {
            return true;
        }

        @Override
        public boolean readsAllInputs() {
            return false;
        }

        @Override
        public String label() {
            return "joinEmit(first " + m + ", then return)" + site;
        }
    }
}
