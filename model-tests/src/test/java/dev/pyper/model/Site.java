package dev.pyper.model;

import java.io.Serializable;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a random function sits: its case and stage (for the {@link Probe}), its planted fault if
 * any, its {@link Flaky} failures (section 9) if any, and how long each invocation works, so that
 * workers overlap and buffers fill.
 *
 * @param caseId the case, for the probe
 * @param stage the stage index in the top-level pipeline, or -1 inside a nested pipeline
 * @param fault the planted fault, or null
 * @param pauseMicros how long each input takes, 0 for no pause
 * @param flaky the failures the task survives, or null; never on joins and nested pipelines
 * @param keys the watch of a keyed task's turns (rules 10.10, 10.13), or null
 */
record Site(long caseId, int stage, Fault fault, int pauseMicros, Flaky flaky, KeyWatch keys) implements Serializable {

    /** A site without section 9's failures. */
    Site(long caseId, int stage, Fault fault, int pauseMicros) {
        this(caseId, stage, fault, pauseMicros, null);
    }

    /** A site whose task has no watched key. */
    Site(long caseId, int stage, Fault fault, int pauseMicros, Flaky flaky) {
        this(caseId, stage, fault, pauseMicros, flaky, null);
    }

    /** An invocation begins (counted as running until {@link #exit()}). */
    void enter() {
        Probe.enter(caseId, stage);
    }

    /** The invocation is deaf to its interrupt for a while: it steps aside (see {@link Probe#stepAside}). */
    void stepAside() {
        Probe.stepAside(caseId, stage);
    }

    void stepBack() {
        Probe.stepBack(caseId, stage);
    }

    void exit() {
        releaseKey();
        Probe.exit(caseId, stage);
    }

    /**
     * The function starts on one input: counts it, works a little, then throws if the fault fires
     * or, after it, if this attempt of the flaky function fails.
     */
    void start(Integer x) throws Exception {
        keyTurn(x);
        begin();
        check(x);
        if (flaky != null) {
            flaky.attempt(x, this);
        }
    }

    /** An attempt on {@code input} (an item or a list) of a keyed task starts: the watch counts it for its key. */
    void keyTurn(Object input) {
        if (keys != null) {
            keys.enter(input);
        }
    }

    /** The attempt gives its key up: it ends, or hangs or ends its JVM on purpose (see {@link KeyWatch}). */
    void releaseKey() {
        if (keys != null) {
            keys.exit();
        }
    }

    /** The function starts on one input (or a join pulls one element): counts it and works a little. */
    void begin() {
        Probe.started(caseId, stage);
        if (pauseMicros > 0) {
            LockSupport.parkNanos(pauseMicros * 1_000L);
        }
    }

    /** Throws the planted failure if the fault fires on {@code x}. */
    void check(Integer x) throws Exception {
        if (fault != null) {
            fault.check(x);
        }
    }

    void emitting() {
        Probe.emitting(caseId, stage);
    }

    /** The model's side of {@link #start}: notes the fault if it fires on {@code x}, and the flaky one if it fails the run. */
    void model(Integer x, FaultLog log) {
        if (fault != null && fault.firesOn(x)) {
            log.fired(fault);
        }
        if (flaky != null) {
            flaky.model(x, log);
        }
    }

    /** The model: whether the task drops {@code x} (skipped or dead-lettered, rule 9.5) instead of producing its outputs. */
    boolean drops(Integer x) {
        return flaky != null && flaky.drops(x);
    }

    @Override
    public String toString() {
        return (fault == null ? "" : " " + fault)
                + (flaky == null ? "" : flaky.toString())
                + (pauseMicros > 0 ? " pause " + pauseMicros + "us" : "")
                + (keys == null ? "" : keys.toString());
    }
}
