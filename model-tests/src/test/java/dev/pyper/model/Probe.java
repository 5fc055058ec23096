package dev.pyper.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the random tasks of a running case report about themselves, beside their outputs: how many
 * invocations are running now (none may be once the caller has the run's outcome: rules 4.2, 4.5;
 * never more per stage than its workers: rule 2.5), and how far each emitting task runs ahead of
 * the task after it (rule 2.6).
 *
 * <p>Counters are keyed by case id, so that an invocation left over from an earlier case cannot
 * count for a later one. Tasks that run in another process find no counters and report nothing.
 *
 * <h2>The throttle check</h2>
 * Stage k's emitter counts each output just before it emits it; stage k+1 counts each input as it
 * starts on it (a join, as it pulls it from its stream); the caller counts each output it gets, as
 * stage n. With throttle t on stage k, at most t outputs are buffered or held, each of stage
 * k+1's workers may have taken one that it has not started yet, and each of stage k's workers may
 * hold one it is emitting: so emitted(k) - started(k+1) never exceeds t + workers(k+1) +
 * workers(k). A bound of 0 means the stage is not checked.
 */
final class Probe {

    private static final ConcurrentHashMap<Long, Counters> CASES = new ConcurrentHashMap<>();

    private Probe() {}

    /** The counters of one case. */
    static final class Counters {
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger[] running;
        private final int[] workers;
        private final AtomicReference<String> workersViolation = new AtomicReference<>();
        private final AtomicLong[] started;
        private final AtomicLong[] emitted;
        private final int[] leadBounds;
        private final AtomicReference<String> leadViolation = new AtomicReference<>();

        private Counters(int[] leadBounds, int[] workers) {
            this.leadBounds = leadBounds.clone();
            this.workers = workers.clone();
            this.running = new AtomicInteger[workers.length];
            for (int i = 0; i < running.length; i++) {
                running[i] = new AtomicInteger();
            }
            this.started = new AtomicLong[leadBounds.length + 1];
            this.emitted = new AtomicLong[leadBounds.length];
            for (int i = 0; i < started.length; i++) {
                started[i] = new AtomicLong();
            }
            for (int i = 0; i < emitted.length; i++) {
                emitted[i] = new AtomicLong();
            }
        }

        /** Invocations of the case's functions running now. */
        int inFlight() {
            return inFlight.get();
        }

        /** The first time a stage ran more invocations at once than it has workers, or null. */
        String workersViolation() {
            return workersViolation.get();
        }

        /** The first time an emitting stage ran further ahead than its throttle allows, or null. */
        String leadViolation() {
            return leadViolation.get();
        }
    }

    /**
     * Starts counting for a case whose top-level stages have these lead bounds (0: unchecked) and
     * these numbers of workers.
     */
    static Counters open(long caseId, int[] leadBounds, int[] workers) {
        Counters c = new Counters(leadBounds, workers);
        CASES.put(caseId, c);
        return c;
    }

    static void close(long caseId) {
        CASES.remove(caseId);
    }

    /** An invocation of stage {@code stage} (-1 inside a nested pipeline) begins. */
    static void enter(long caseId, int stage) {
        Counters c = CASES.get(caseId);
        if (c == null) {
            return;
        }
        c.inFlight.incrementAndGet();
        if (stage >= 0) {
            int now = c.running[stage].incrementAndGet();
            if (now > c.workers[stage]) {
                c.workersViolation.compareAndSet(
                        null,
                        "stage " + stage + " ran " + now + " invocations at once with workers(" + c.workers[stage]
                                + ") (rule 2.5)");
            }
        }
    }

    static void exit(long caseId, int stage) {
        Counters c = CASES.get(caseId);
        if (c == null) {
            return;
        }
        c.inFlight.decrementAndGet();
        if (stage >= 0) {
            c.running[stage].decrementAndGet();
        }
    }

    /**
     * An invocation of stage {@code stage} steps aside: deaf to its interrupt, it is written off
     * (rule 9.4) and no longer counts as running, nor against the stage's workers, until
     * {@link #stepBack} before its {@link #exit}.
     */
    static void stepAside(long caseId, int stage) {
        exit(caseId, stage);
    }

    /** The invocation that stepped aside counts again, unchecked, until its {@link #exit}. */
    static void stepBack(long caseId, int stage) {
        Counters c = CASES.get(caseId);
        if (c == null) {
            return;
        }
        c.inFlight.incrementAndGet();
        if (stage >= 0) {
            c.running[stage].incrementAndGet();
        }
    }

    /** Stage {@code stage} starts on one input (the caller, as stage n, got one output). */
    static void started(long caseId, int stage) {
        Counters c = CASES.get(caseId);
        if (c != null && stage >= 0) {
            c.started[stage].incrementAndGet();
        }
    }

    /** Stage {@code stage} is about to emit one output. */
    static void emitting(long caseId, int stage) {
        Counters c = CASES.get(caseId);
        if (c == null || stage < 0) {
            return;
        }
        long emitted = c.emitted[stage].incrementAndGet();
        int bound = c.leadBounds[stage];
        if (bound > 0) {
            long lead = emitted - c.started[stage + 1].get();
            if (lead > bound) {
                c.leadViolation.compareAndSet(
                        null,
                        "stage " + stage + " emitted its output #" + emitted + " while the next stage had started only "
                                + (emitted - lead) + " (lead " + lead + " > bound " + bound
                                + ": throttle + next workers + own workers, rule 2.6)");
            }
        }
    }
}
