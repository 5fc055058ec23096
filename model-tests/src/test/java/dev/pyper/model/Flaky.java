package dev.pyper.model;

import dev.pyper.DeadLetter;
import dev.pyper.DeadLetterSink;
import dev.pyper.Option;
import dev.pyper.Task;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures a task survives (section 9), planted in one random plain, branch, generator or
 * async task, or a task that takes lists (keyed on a list's {@link ListFunctions#key}, rule 10.6:
 * a failure concerns the whole list): its function fails on a few chosen input values, either the first {@code failures}
 * attempts of each value ({@link Mode#TRANSIENT}) or every attempt ({@link Mode#PERMANENT}), and
 * the task has the options that handle it: {@code retry(n)} with zero backoff, and
 * {@code skipFailures()} or {@code deadLetters(sink)}. Joins refuse these options (rule 9.1) and
 * never get one; an async task's attempt fails in its function or in its stage (rule 9.8).
 *
 * <p>Attempts are counted per value in a {@link SharedTally}, so that the count holds where the
 * function runs in a worker process; so are the dead letters the sink takes, per value, and any
 * letter that is not what rule 9.5 promises (wrong task, failure, attempts or outputs).
 *
 * <p>Being a function of the value and of the attempts made on it, the model knows what each
 * mode does: a transient fault with {@code failures <= retries} changes no output and costs
 * exactly {@code failures} retries per distinct value (however the attempts of repeated values
 * interleave, each failing attempt is retried); a permanent one drops every input of those values
 * (skipped or dead-lettered, each after its {@code retries}), or, with neither option, fails the
 * run with {@link #fault()} once out of retries (rule 9.2).
 *
 * @param mode transient or permanent
 * @param values the input values it fails on, distinct (as {@link Values#of})
 * @param failures for a transient fault, how many attempts of each value fail, 1 or more
 * @param retries the {@code retry(n)} of the task, 0 for none
 * @param handling what a failure out of retries does
 * @param fault the id and type of the thrown failure, {@link Fault.Type#CHECKED} or {@code UNCHECKED}
 * @param task the task's name, as dead letters carry it
 * @param tally attempts per value, then dead letters per value, then letters that broke rule 9.5
 * @param how how a failing attempt of a transient fault fails: it throws, hangs until the task's
 *     timeout interrupts it, hangs deaf to that interrupt (rule 9.4: written off, or its worker
 *     process killed), or ends the worker JVM it runs in (rule 9.2: retried on a new one)
 * @param home the process id of the JVM that made the case: an attempt elsewhere is in a worker process
 */
record Flaky(
        Mode mode,
        List<Integer> values,
        int failures,
        int retries,
        Handling handling,
        Fault fault,
        String task,
        SharedTally tally,
        How how,
        long home)
        implements Serializable {

    /** The task's timeout where an attempt hangs: far above any attempt's own time, even on a loaded machine. */
    static final Duration HANG_LIMIT = Duration.ofSeconds(2);
    /** How long a deaf attempt ignores interrupts at most: beyond the grace of rule 9.4 and a worker process's 3 s. */
    static final Duration DEAF_FOR = Duration.ofSeconds(8);

    /** How a failing attempt fails. */
    enum How {
        /** It throws the planted failure. */
        THROWS,
        /** It waits until its timeout interrupts it, then throws the planted failure. */
        HANGS,
        /** It ignores its timeout's interrupt for {@link #DEAF_FOR}, then throws: written off meanwhile (rule 9.4). */
        HANGS_DEAF,
        /** In a worker process it halts that JVM (rule 9.2); in the case's own JVM it throws. */
        EXITS
    }

    /** Whether a value fails some attempts or every one. */
    enum Mode {
        /** The first {@code failures} attempts of each value fail, then it succeeds. */
        TRANSIENT,
        /** Every attempt of the value fails. */
        PERMANENT
    }

    /** What a failure out of retries does (rule 9.5). */
    enum Handling {
        /** It fails the run (no option). */
        FAIL,
        /** {@code skipFailures()}. */
        SKIP,
        /** {@code deadLetters(sink)}. */
        DEAD_LETTER
    }

    /** A flaky function on these values, with a fresh tally. */
    static Flaky of(
            Mode mode, List<Integer> values, int failures, int retries, Handling handling, Fault fault, String task) {
        return of(mode, values, failures, retries, handling, fault, task, How.THROWS);
    }

    /** A flaky function on these values whose failing attempts fail as {@code how} says, with a fresh tally. */
    static Flaky of(
            Mode mode,
            List<Integer> values,
            int failures,
            int retries,
            Handling handling,
            Fault fault,
            String task,
            How how) {
        if (mode == Mode.TRANSIENT && failures > retries) {
            throw new IllegalArgumentException(
                    "a transient fault must recover: " + failures + " failures, " + retries + " retries");
        }
        if (how != How.THROWS && mode != Mode.TRANSIENT) {
            throw new IllegalArgumentException("only a transient fault hangs or exits");
        }
        return new Flaky(
                mode,
                List.copyOf(values),
                failures,
                retries,
                handling,
                fault,
                task,
                SharedTally.allocate(2 * values.size() + 1),
                how,
                ProcessHandle.current().pid());
    }

    /** The task's options of section 9. */
    List<Option> options() {
        List<Option> options = new ArrayList<>();
        if (retries > 0) {
            options.add(Task.retry(retries).backoff(Duration.ZERO, Duration.ZERO));
        }
        switch (handling) {
            case FAIL -> {}
            case SKIP -> options.add(Task.skipFailures());
            case DEAD_LETTER -> options.add(Task.deadLetters(new Sink(this)));
        }
        if (how == How.HANGS || how == How.HANGS_DEAF) {
            options.add(Task.timeout(HANG_LIMIT));
        }
        return options;
    }

    /**
     * Counts an attempt on {@code x} and throws the planted failure if this attempt fails; a deaf
     * one steps aside at {@code site} meanwhile (null where it never hangs).
     */
    void attempt(Integer x, Site site) throws Exception {
        int i = values.indexOf(Values.of(x));
        if (i < 0) {
            return;
        }
        long attempt = tally.increment(i);
        if (mode == Mode.PERMANENT || attempt <= failures) {
            if (how != How.THROWS && site != null) {
                site.releaseKey(); // written off or its JVM ended, it may overlap its key's next input (rule 10.13)
            }
            switch (how) {
                case THROWS -> {}
                case HANGS -> {
                    try {
                        Thread.sleep(DEAF_FOR.multipliedBy(4)); // until the timeout interrupts it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case HANGS_DEAF -> {
                    site.stepAside(); // written off, it may run beside its retry and outlive its run (rule 9.4)
                    long until = System.nanoTime() + DEAF_FOR.toNanos();
                    boolean interrupted = false;
                    for (long left = DEAF_FOR.toNanos(); left > 0; left = until - System.nanoTime()) {
                        try {
                            Thread.sleep(Duration.ofNanos(left));
                        } catch (InterruptedException e) {
                            interrupted = true; // on purpose: a call no interrupt stops
                        }
                    }
                    site.stepBack();
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                case EXITS -> {
                    if (ProcessHandle.current().pid() != home) {
                        Runtime.getRuntime().halt(3); // a worker process dies mid-call
                    }
                }
            }
            Throwable t = fault.failure(x);
            if (t instanceof RuntimeException e) {
                throw e;
            }
            throw (Exception) t;
        }
    }

    boolean firesOn(Integer x) {
        return values.contains(Values.of(x));
    }

    /** The model: whether the input is dropped (skipped or dead-lettered) rather than passed to the function's outputs. */
    boolean drops(Integer x) {
        return firesOn(x) && mode == Mode.PERMANENT && handling != Handling.FAIL;
    }

    /** The model: notes the fault if it fails the run on {@code x}. */
    void model(Integer x, FaultLog log) {
        if (firesOn(x) && mode == Mode.PERMANENT && handling == Handling.FAIL) {
            log.fired(fault);
        }
    }

    /** Attempts made so far on the {@code i}th value. */
    long attempts(int i) {
        return tally.get(i);
    }

    /** Dead letters taken so far of the {@code i}th value. */
    long letters(int i) {
        return tally.get(values.size() + i);
    }

    /** Dead letters that broke rule 9.5: another task, failure, attempt count or output count than planted. */
    long badLetters() {
        return tally.get(2 * values.size());
    }

    @Override
    public String toString() {
        return " flaky#" + fault.id() + "(" + (mode == Mode.TRANSIENT ? "fails " + failures + "x" : "always fails")
                + (how == How.THROWS ? "" : " (" + how.name().toLowerCase(java.util.Locale.ROOT) + ")") + " on "
                + values
                + (retries > 0 ? ", retry(" + retries + ")" : "")
                + (how == How.HANGS || how == How.HANGS_DEAF ? ", timeout(" + HANG_LIMIT + ")" : "")
                + (handling == Handling.SKIP
                        ? ", skipFailures()"
                        : handling == Handling.DEAD_LETTER ? ", deadLetters" : "")
                + ")";
    }

    /** The dead-letter sink: counts each letter per value, or as bad if it is not what the fault planted. */
    record Sink(Flaky flaky) implements DeadLetterSink {
        @Override
        public void accept(DeadLetter letter) {
            Object in = letter.input();
            int i = in == null || in instanceof Integer
                    ? flaky.values.indexOf(Values.of((Integer) in))
                    : in instanceof List<?> list ? flaky.values.indexOf(ListFunctions.key(list)) : -1;
            boolean ours = i >= 0
                    && flaky.mode == Mode.PERMANENT
                    && flaky.task.equals(letter.task())
                    && letter.error() instanceof Injected.Failure f
                    && f.faultId() == flaky.fault.id()
                    && letter.attempts() == flaky.retries + 1
                    && letter.outputs() == 0;
            flaky.tally.increment(ours ? flaky.values.size() + i : 2 * flaky.values.size());
        }
    }
}
