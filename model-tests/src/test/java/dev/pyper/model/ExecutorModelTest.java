package dev.pyper.model;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The model suite for one executor: an executor's test extends this and names its {@link Target}.
 * Runs {@code -Dpyper.model.tries} random cases (default {@value ModelSettings#DEFAULT_TRIES}) and
 * fails with every disagreement found, each with the seed that replays it.
 */
abstract class ExecutorModelTest {

    /** Reported failures stop the series after this many. */
    private static final int MAX_FAILURES = 10;

    /** The executor under test. */
    protected abstract Target target();

    /** Runs 1/n of {@code pyper.model.tries}: for executors whose cases cost far more (processes). */
    protected int triesDivisor() {
        return 1;
    }

    @Test
    void randomPipelinesAgreeWithTheModel() {
        ModelSuite.Report report =
                ModelSuite.run(target(), ModelSettings.fromSystemProperties().scaledDown(triesDivisor()), MAX_FAILURES);
        System.out.println(report.summary());
        if (!report.failures().isEmpty()) {
            fail(report.summary() + "\n\n" + String.join("\n\n", report.failures()));
        }
    }
}
