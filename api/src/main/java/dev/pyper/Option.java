package dev.pyper;

import dev.pyper.function.ThrowingFunction;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting of a task, given to its factory after the function: pyper's keyword arguments
 * ({@code task(f, workers=4, throttle=10)} is {@code task(f, workers(4), throttle(10))}).
 *
 * <p>Options are made by {@link Task#workers(int)}, {@link Task#throttle(int)},
 * {@link Task#multiprocess()}, {@link Task#ordered()}, {@link Task#named(String)}, and for the
 * failures a task survives (section 9) {@link Task#retry(int)}, {@link Task#timeout(Duration)},
 * {@link Task#skipFailures()} and {@link Task#deadLetters(DeadLetterSink)}, and for flow control
 * (section 10) {@link Task#rate(double)} and {@link Task#byKey(ThrowingFunction)}; they are
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

    /**
     * {@code retry(n)}: a failed invocation is made again, up to {@code retries} more times, after
     * a backoff that doubles from {@code firstBackoff} up to {@code maxBackoff}, shortened by a
     * random part of up to {@code jitter} of it (rules 9.2, 9.3). Made by {@link Task#retry(int)};
     * its withers give the backoff, the jitter and the failures worth retrying.
     *
     * @param retries how many times an invocation may be made again, at least 1
     * @param firstBackoff the wait before the first retry, zero or more
     * @param maxBackoff the cap of every wait, at least {@code firstBackoff}
     * @param jitter the part of each wait that is random, from 0 (none) to 1 (a wait anywhere from 0 to the full backoff)
     * @param on the failures worth retrying: an exception of one of these types (or of a subtype)
     * @param when a further test a failure must pass to be retried, or null for none
     */
    record Retry(
            int retries,
            Duration firstBackoff,
            Duration maxBackoff,
            double jitter,
            List<Class<? extends Throwable>> on,
            RetryFilter when)
            implements Option, Serializable {

        /** The backoff of {@link Task#retry(int)} unless {@link #backoff} says otherwise: 100 ms doubling up to 30 s. */
        public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(100);
        /** The default cap of the backoff. */
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        /** The default jitter: each wait is between half and all of its backoff. */
        public static final double DEFAULT_JITTER = 0.5;

        /**
         * Keeps the values as given; {@code Task} checks them when the task is built (rule 9.1).
         *
         * @throws NullPointerException if a duration or {@code on} is null
         */
        public Retry {
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            on = List.copyOf(on);
        }

        /**
         * This retry with another backoff: {@code first} before the first retry, doubling up to {@code max}.
         *
         * @param first the first wait, zero or more
         * @param max the cap, at least {@code first}
         * @return the new option
         */
        public Retry backoff(Duration first, Duration max) {
            if (first == null || max == null) {
                throw new IllegalArgumentException(this + ".backoff(" + first + ", " + max + "): a duration is null");
            }
            return new Retry(retries, first, max, jitter, on, when);
        }

        /**
         * This retry with another jitter.
         *
         * @param fraction from 0 (every wait is its full backoff) to 1 (a wait anywhere from 0 to the backoff)
         * @return the new option
         */
        public Retry jitter(double fraction) {
            return new Retry(retries, firstBackoff, maxBackoff, fraction, on, when);
        }

        /**
         * This retry for failures of these types only (and their subtypes); by default every
         * {@code Exception} is worth retrying and no {@code Error} is.
         *
         * @param types the exception types worth retrying, at least one
         * @return the new option
         */
        @SafeVarargs
        @SuppressWarnings("varargs") // the array is only read, and copied into an immutable list
        public final Retry on(Class<? extends Throwable>... types) {
            if (types == null || java.util.Arrays.asList(types).contains(null)) {
                throw new IllegalArgumentException(this + ".on(...): an exception type is null");
            }
            return new Retry(retries, firstBackoff, maxBackoff, jitter, List.of(types), when);
        }

        /**
         * This retry for failures that also pass {@code filter} (say, an HTTP status of 5xx).
         *
         * @param filter the test, serializable so that the task can run in other JVMs
         * @return the new option
         */
        public Retry when(RetryFilter filter) {
            if (filter == null) {
                throw new IllegalArgumentException(this + ".when(...): the filter is null");
            }
            return new Retry(retries, firstBackoff, maxBackoff, jitter, on, filter);
        }

        /**
         * Whether a failure is worth retrying: of a type in {@link #on()}, and passing {@link #when()}.
         *
         * @param failure what the invocation threw
         * @return true to retry it
         */
        public boolean retries(Throwable failure) {
            return on.stream().anyMatch(type -> type.isInstance(failure)) && (when == null || when.test(failure));
        }

        /**
         * The backoff before retry number {@code retry}, before jitter: {@code firstBackoff}
         * doubled {@code retry - 1} times, capped at {@code maxBackoff} (rule 9.2).
         *
         * @param retry 1 for the first retry
         * @return the backoff
         */
        public Duration backoffBefore(int retry) {
            Duration backoff = firstBackoff;
            for (int i = 1; i < retry && backoff.compareTo(maxBackoff) < 0; i++) {
                backoff = backoff.multipliedBy(2);
            }
            return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
        }

        /**
         * The wait before retry number {@code retry}: its backoff less a random part of up to
         * {@link #jitter()} of it (rule 9.2).
         *
         * @param retry 1 for the first retry
         * @param random a number from 0 (inclusive) to 1 (exclusive)
         * @return the wait
         */
        public Duration waitBefore(int retry, double random) {
            Duration backoff = backoffBefore(retry);
            return Duration.ofNanos(backoff.toNanos() - (long) (backoff.toNanos() * jitter * random));
        }

        @Override
        public String toString() {
            return "retry(" + retries + ")";
        }
    }

    /**
     * {@code timeout(limit)}: an invocation that runs longer than {@code limit} is interrupted and
     * fails with a {@link TaskTimeoutException} (rule 9.4).
     *
     * @param limit how long one invocation may take, more than zero
     */
    record Timeout(Duration limit) implements Option, Serializable {
        @Override
        public String toString() {
            return "timeout(" + limit + ")";
        }
    }

    /**
     * {@code rate(perSecond)}: the task's invocations start at most {@code perSecond} times a
     * second on average, with bursts of up to {@code burst} at once: a bucket of {@code burst}
     * tokens, full when a run starts, refilled at {@code perSecond} a second, shared by all of the
     * task's workers in the run; each attempt of an invocation takes one token before it starts,
     * and waits for one if the bucket is empty (rules 10.1 to 10.4). Made by
     * {@link Task#rate(double)}, with a burst of 1 unless {@link #burst(int)} says otherwise.
     *
     * <p>Not {@link Task#throttle(int)}, which bounds how many outputs wait in a buffer, whatever
     * the time: a rate bounds how often calls start, however empty the buffers are.
     *
     * @param perSecond tokens added a second, more than 0 and finite (0.5 is one every 2 s)
     * @param burst the bucket's size: how many invocations may start at once after a pause, at least 1
     */
    record Rate(double perSecond, int burst) implements Option, Serializable {

        /**
         * This rate with another burst: after a pause, up to {@code tokens} invocations start at
         * once before the rate holds them back (rule 10.1).
         *
         * @param tokens the bucket's size, at least 1 (checked when the task is built, rule 10.2)
         * @return the new option
         */
        public Rate burst(int tokens) {
            return new Rate(perSecond, tokens);
        }

        /**
         * The time between two tokens: one second divided by {@link #perSecond()}, rounded, at
         * least 1 ns (at most {@link Long#MAX_VALUE} for a rate of once in centuries).
         *
         * @return the interval, in nanoseconds of the {@link dev.pyper.spi.PolicyClock}
         */
        public long intervalNanos() {
            return Math.max(1, Math.round(1e9 / perSecond));
        }

        @Override
        public String toString() {
            String r = perSecond == Math.rint(perSecond) && Math.abs(perSecond) < 1e15
                    ? Long.toString((long) perSecond)
                    : Double.toString(perSecond);
            return "rate(" + r + ")" + (burst == 1 ? "" : ".burst(" + burst + ")");
        }
    }

    /**
     * {@code byKey(key)}: the task's inputs of one key are invoked one at a time, in the order the
     * task takes them, and inputs of different keys at once up to {@code workers} (rules 10.10 to
     * 10.14). Made by {@link Task#byKey(ThrowingFunction)}.
     *
     * @param key the key function, called once per input in the JVM that dispatches the task's
     *     invocations; keys are compared with {@code equals}
     */
    record ByKey(ThrowingFunction<?, ?> key) implements Option, Serializable {
        @Override
        public String toString() {
            return "byKey(" + FunctionNames.of(key) + ")";
        }
    }

    /**
     * What a failure that is out of retries does: {@link Task#skipFailures()} drops the input,
     * {@link Task#deadLetters(DeadLetterSink)} hands it to a sink; without this option it fails the
     * run (rule 9.5).
     *
     * @param sink where failed inputs go, or null to skip them
     */
    record OnFailure(DeadLetterSink sink) implements Option, Serializable {
        @Override
        public String toString() {
            return sink == null ? "skipFailures()" : "deadLetters(" + FunctionNames.of(sink) + ")";
        }
    }

    /**
     * A test of a failure for {@link Retry#when(RetryFilter)}: a serializable predicate, so that a
     * task's options travel with it to other JVMs.
     */
    @FunctionalInterface
    interface RetryFilter extends Predicate<Throwable>, Serializable {}
}
