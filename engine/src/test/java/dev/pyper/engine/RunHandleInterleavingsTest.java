package dev.pyper.engine;

import static dev.pyper.engine.Interleavings.explore;
import static dev.pyper.engine.Interleavings.join;
import static dev.pyper.engine.Interleavings.start;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.pyper.PipelineException;
import dev.pyper.engine.Interleavings.Party;
import dev.pyper.engine.RunHandleTest.Fixture;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link RunHandle}'s registry and failure record under Lincheck's model checker (see
 * {@link Interleavings}): a worker that enters while the run is being cancelled is either refused
 * or interrupted, never left waiting, and leaves without the run's interrupt; the first of
 * concurrent failures and cancellations decides the outcome, and the others are suppressed or
 * dropped as rule 4.3 says.
 *
 * <p>Not here: an interrupt that the cancellation is about to send as the worker exits. Lincheck
 * has no switch point between the cancellation's read of the worker's slot and its
 * {@code Thread.interrupt}, so it cannot reach that race;
 * {@link RunHandleTest#anInterruptUnderWayWhenAWorkerExitsLandsBeforeExitReturns} forces it.
 */
@Tag(Interleavings.TAG)
class RunHandleInterleavingsTest {

    private static final Logger LOG = (Logger) LoggerFactory.getLogger(RunHandle.class);
    private static final Plan PLAN = new Plan(List.of(new TaskSpec("t", TaskSpec.Kind.TASK, "f", 2, 0, false, false)));
    private static final Engine ENGINE = new Engine((name, body) -> {
        throw new AssertionError("this run launches nobody");
    });
    private static Level levelBefore;

    @BeforeAll
    static void quiet() {
        levelBefore = LOG.getLevel();
        LOG.setLevel(Level.OFF); // hundreds of deliberate failures
    }

    @AfterAll
    static void restore() {
        LOG.setLevel(levelBefore);
    }

    @Test
    void aWorkerEnteringDuringTheCancelIsRefusedOrInterrupted() {
        explore(() -> {
            Fixture f = new Fixture(PLAN, ENGINE, 1, 0);
            boolean[] interruptedAfterExit = new boolean[1];
            Party worker = start(() -> {
                if (f.run.enter(0, Thread.currentThread())) {
                    try {
                        new CountDownLatch(1).await(); // only the run's interrupt ends this wait
                    } catch (InterruptedException e) {
                        // cancelled
                    }
                }
                f.run.exit(0);
                interruptedAfterExit[0] = Thread.currentThread().isInterrupted();
            });
            Party canceller = start(f.run::cancel);
            join(worker, canceller);
            assertFalse(interruptedAfterExit[0], "exit clears the run's interrupt");
        });
    }

    @Test
    void theFirstOfTwoFailuresAndACancelDecidesTheOutcome() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b");
        explore(() -> {
            Fixture f = new Fixture(PLAN, ENGINE, 1, 0);
            Party failsA = start(() -> f.run.fail("a", null, a));
            Party failsB = start(() -> f.run.fail("b", null, b));
            Party closes = start(() -> f.run.cancelFromOutside("closed"));
            join(failsA, failsB, closes);
            f.run.exitUnlaunched();
            PipelineException e = assertThrows(PipelineException.class, f::pullAll);
            if (e.getCause() == a) {
                assertEquals("a", e.taskName());
                assertArrayEquals(new Throwable[] {b}, e.getSuppressed(), "rule 4.3");
            } else if (e.getCause() == b) {
                assertEquals("b", e.taskName());
                assertArrayEquals(new Throwable[] {a}, e.getSuppressed(), "rule 4.3");
            } else {
                assertNull(e.getCause(), () -> "an unexpected cause: " + e);
                assertTrue(e.getMessage().endsWith("ended early: closed"), e.getMessage());
                assertEquals(0, e.getSuppressed().length, "failures after the cancellation are not the run's failure");
            }
        });
    }
}
