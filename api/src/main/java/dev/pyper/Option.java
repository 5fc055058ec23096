package dev.pyper;

/**
 * One setting of a task, given to its factory after the function: pyper's keyword arguments
 * ({@code task(f, workers=4, throttle=10)} is {@code task(f, workers(4), throttle(10))}).
 *
 * <p>Options are made by {@link Task#workers(int)}, {@link Task#throttle(int)},
 * {@link Task#multiprocess()}, {@link Task#ordered()} and {@link Task#named(String)}; they are
 * immutable values that can be shared between tasks. Their values are checked when a task is built
 * with them, so that the error names the task as well as the option and the value (rule 1.3).
 */
public sealed interface Option {

    /**
     * {@code workers(n)}: up to n invocations at once (rules 2.5, 2.9).
     *
     * @param n the number of workers, at least 1
     */
    record Workers(int n) implements Option {
        @Override
        public String toString() {
            return "workers(" + n + ")";
        }
    }

    /**
     * {@code throttle(t)}: at most t outputs buffered, 0 for unbounded (rule 2.6).
     *
     * @param t the bound, 0 or more
     */
    record Throttle(int t) implements Option {
        @Override
        public String toString() {
            return "throttle(" + t + ")";
        }
    }

    /** {@code multiprocess()}: invocations in worker processes (section 6). */
    record Multiprocess() implements Option {
        @Override
        public String toString() {
            return "multiprocess()";
        }
    }

    /** {@code ordered()}: outputs in input order with several workers (rule 3.3). */
    record Ordered() implements Option {
        @Override
        public String toString() {
            return "ordered()";
        }
    }

    /**
     * {@code named(name)}: the task's name in errors, logs and metrics (rule 1.7).
     *
     * @param name the name, not blank
     */
    record Named(String name) implements Option {
        @Override
        public String toString() {
            return "named(" + (name == null ? "null" : "\"" + name + "\"") + ")";
        }
    }
}
