package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.pyper.PipelineException;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * {@link RunHandle}'s three parts, each in its states: the worker registry (enter, exit, the
 * interrupt that cancellation sends and exit clears), the failure record (the first one wins, later
 * ones are suppressed, those that ending caused are dropped) and the caller's outlet (outputs, then
 * the end or the failure, only once every worker has ended). {@link RunHandleInterleavingsTest}
 * explores the interleavings.
 */
@Timeout(value = Forked.LIMIT_SECONDS * 3, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunHandleTest {

    private final Logger log = (Logger) LoggerFactory.getLogger(RunHandle.class);
    private Level levelBefore;

    @BeforeEach
    void quiet() {
        levelBefore = log.getLevel();
        log.setLevel(Level.OFF); // the failures here are on purpose: no WARN lines in the build's output
    }

    @AfterEach
    void restore() {
        log.setLevel(levelBefore);
        Thread.interrupted(); // never leave this test's interrupt to the next one
    }

    /** A run set up as {@link Engine#start} sets one up: an outlet with {@code workers} producers, a slot for each. */
    static final class Fixture {
        final RunHandle<Object> run;
        final Channel outlet;

        Fixture(int workers, int outletCapacity) {
            this(
                    new Plan(
                            List.of(new TaskSpec("t", TaskSpec.Kind.TASK, "f", workers, outletCapacity, false, false))),
                    new Engine((name, body) -> {
                        throw new AssertionError("this run launches nobody");
                    }),
                    workers,
                    outletCapacity);
        }

        Fixture(Plan plan, Engine engine, int workers, int outletCapacity) {
            run = new RunHandle<>(plan, engine);
            outlet = new Channel(outletCapacity, workers, 1);
            run.addChannel(outlet);
            run.setOutlet(outlet, 1);
            assertEquals(0, run.reserveSlots(workers));
            run.expect();
        }

        /** The end of worker {@code slot}, as a worker stage ends: its output, then the run. */
        void workerEnds(int slot) {
            outlet.producerDone();
            run.exit(slot);
        }

        /** Every output, or the failure the caller sees. */
        List<Object> pullAll() {
            List<Object> outputs = new ArrayList<>();
            while (run.next(outputs::add)) {
                // next
            }
            return outputs;
        }
    }

    // ---- the outlet ----------------------------------------------------------------------------

    @Test
    void theCallerGetsTheOutputsThenTheEnd() throws Exception {
        Fixture f = new Fixture(1, 0);
        assertTrue(f.run.enter(0, Thread.currentThread()));
        f.outlet.put("a");
        f.outlet.put(null);
        f.workerEnds(0);
        List<Object> expected = new ArrayList<>();
        expected.add("a");
        expected.add(null);
        assertEquals(expected, f.pullAll());
        assertFalse(f.run.next(o -> {}), "the end stays the end");
        assertTrue(f.run.metrics().finished());
    }

    @Test
    void theEndWaitsForEveryWorker_andCancelsThoseStillRunning() throws Exception {
        Fixture f = new Fixture(2, 0);
        CountDownLatch mayExit = new CountDownLatch(1);
        // worker 2 (say, upstream of a join that returned early) is still running when the outputs end
        Forked<List<Boolean>> straggler = Forked.parked("straggler", () -> {
            assertTrue(f.run.enter(1, Thread.currentThread()));
            boolean interrupted = false;
            while (true) {
                try {
                    assertTrue(mayExit.await(Forked.LIMIT_SECONDS, TimeUnit.SECONDS), "never let go");
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt(); // kept for later, as the engine's waits do
            }
            f.run.exit(1);
            return List.of(interrupted, Thread.currentThread().isInterrupted());
        });
        assertTrue(f.run.enter(0, Thread.currentThread()));
        f.outlet.put("a");
        f.outlet.producerDone();
        f.outlet.producerDone(); // the straggler puts nothing more
        f.run.exit(0);
        Forked<List<Object>> caller = Forked.start("caller", f::pullAll);
        caller.awaitParked();
        assertTrue(f.run.isEnding(), "the end of the outputs cancels the run");
        assertFalse(caller.isDone(), "the caller waits for the straggler (rule 4.5)");
        mayExit.countDown();
        assertEquals(List.of("a"), caller.join());
        assertEquals(
                List.of(true, false),
                straggler.join(),
                "the straggler was interrupted, and exit cleared it: a pooled thread does not carry it on");
    }

    @Test
    void closeCancelsTheRunAndWaitsForItsWorkers() throws Exception {
        Fixture f = new Fixture(1, 1);
        AtomicBoolean exiting = new AtomicBoolean();
        Forked<Boolean> worker = Forked.parked("worker", () -> {
            assertTrue(f.run.enter(0, Thread.currentThread()));
            f.outlet.put("a");
            boolean cancelled = false;
            try {
                f.outlet.put("b"); // the outlet is full: waits
            } catch (Signal s) {
                cancelled = true;
            }
            f.outlet.producerDone();
            exiting.set(true);
            f.run.exit(0);
            return cancelled;
        });
        f.run.close();
        assertTrue(exiting.get(), "close returns only once the worker has exited (rule 4.5)");
        assertTrue(worker.join(), "the blocked put was woken by the cancellation");
        assertFalse(f.run.next(o -> {}), "a closed run has no more outputs");
    }

    @Test
    void anInterruptedCallerCancelsTheRunAndKeepsItsInterrupt() throws Exception {
        Fixture f = new Fixture(1, 0);
        f.run.exitUnlaunched(); // no worker left: only the caller waits, on the outlet
        Forked<Boolean> caller = Forked.parked("caller", () -> {
            PipelineException e = assertThrows(PipelineException.class, f::pullAll);
            assertTrue(e.getMessage().contains("Interrupted"), e.getMessage());
            assertTrue(e.getCause() instanceof InterruptedException);
            return Thread.currentThread().isInterrupted();
        });
        caller.thread().interrupt();
        assertTrue(caller.join(), "the caller's interrupt is kept for it");
        assertTrue(f.run.isEnding());
    }

    // ---- the failure record ------------------------------------------------------------------

    @Test
    void theFirstFailureWins_laterOnesAreSuppressed_thoseOfTheEndingDropped() {
        Fixture f = new Fixture(1, 0);
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        f.run.fail("a", "input 1", first);
        f.run.fail("b", null, second);
        f.run.fail("c", null, new InterruptedException("woken by the cancellation"));
        f.run.fail("d", null, Signal.cancelled());
        f.run.fail("e", null, new RuntimeException("wrapped", new java.nio.channels.ClosedByInterruptException()));
        f.run.exitUnlaunched();
        PipelineException e = assertThrows(PipelineException.class, f::pullAll);
        assertSame(first, e.getCause(), "rule 4.2: the first failure is the cause");
        assertEquals("a", e.taskName());
        assertTrue(e.getMessage().contains("Task 'a' failed on input 1"), e.getMessage());
        assertArrayEquals(
                new Throwable[] {second}, e.getSuppressed(), "rule 4.3; the ending's own interrupts are not failures");
        assertSame(e, assertThrows(PipelineException.class, f::pullAll), "the caller sees the same outcome again");
    }

    @Test
    void aFailureIsUnwrappedFromTheFuturesWrappers() {
        Fixture f = new Fixture(1, 0);
        IllegalStateException cause = new IllegalStateException("inside");
        f.run.fail("a", null, new CompletionException(new ExecutionException(cause)));
        f.run.exitUnlaunched();
        PipelineException e = assertThrows(PipelineException.class, f::pullAll);
        assertSame(cause, e.getCause(), "rule 4.1: the user's own exception");
        assertEquals("Task 'a' failed: " + cause, e.getMessage());
    }

    @Test
    void aFailureCancelsTheRun() throws Exception {
        Fixture f = new Fixture(2, 0);
        assertFalse(f.run.isEnding());
        Forked<Boolean> blocked = Forked.parked("worker", () -> {
            assertTrue(f.run.enter(0, Thread.currentThread()));
            boolean interrupted = false;
            try {
                new CountDownLatch(1).await(); // only an interrupt ends this
            } catch (InterruptedException e) {
                interrupted = true;
            }
            f.workerEnds(0);
            return interrupted;
        });
        f.run.fail("t", null, new IllegalStateException("boom"));
        assertTrue(f.run.isEnding());
        assertTrue(blocked.join(), "a registered worker is interrupted (rule 4.4)");
        assertThrows(Signal.class, () -> f.outlet.put("late"), "every channel is cancelled");
        assertFalse(f.run.enter(1, Thread.currentThread()), "a worker that comes after the end does not start");
        f.run.exitUnlaunched();
        assertThrows(PipelineException.class, f::pullAll);
    }

    @Test
    void anOutsideCancelEndsThePullWithItsReason_andAFailureAfterItIsNotRecorded() {
        Fixture f = new Fixture(1, 0);
        f.run.cancelFromOutside("the executor was closed");
        f.run.fail("t", null, new IllegalStateException("after the cancel"));
        f.run.exitUnlaunched();
        PipelineException e = assertThrows(PipelineException.class, f::pullAll);
        assertNull(e.getCause());
        assertTrue(e.getMessage().endsWith("ended early: the executor was closed"), e.getMessage());
    }

    @Test
    void anOutsideCancelAfterAFailureLeavesTheFailure() {
        Fixture f = new Fixture(1, 0);
        IllegalStateException boom = new IllegalStateException("boom");
        f.run.fail("t", null, boom);
        f.run.cancelFromOutside("the executor was closed");
        f.run.exitUnlaunched();
        assertSame(boom, assertThrows(PipelineException.class, f::pullAll).getCause());
    }

    // ---- the worker registry -------------------------------------------------------------------

    @Test
    void slotsAreReservedStageByStage() {
        Plan plan = new Plan(List.of(new TaskSpec("t", TaskSpec.Kind.TASK, "f", 1, 0, false, false)));
        RunHandle<Object> run = new RunHandle<>(plan, new Engine((name, body) -> {}));
        assertEquals(0, run.reserveSlots(1));
        assertEquals(1, run.reserveSlots(3));
        assertEquals(4, run.reserveSlots(2));
    }

    @Test
    void cancellationInterruptsARegisteredWorker_andExitClearsTheInterrupt() {
        Fixture f = new Fixture(1, 0);
        assertTrue(f.run.enter(0, Thread.currentThread()));
        f.run.cancel();
        assertTrue(Thread.currentThread().isInterrupted(), "the registered worker (this thread) was interrupted");
        f.run.exit(0);
        assertFalse(Thread.currentThread().isInterrupted(), "exit clears it");
        assertFalse(f.run.enter(0, Thread.currentThread()), "the run is ending: no worker starts");
    }

    /**
     * The race that exit's wait for the lock closes: the cancellation has read a worker's slot and
     * is about to interrupt it when the worker exits. Forced here, not left to chance: the worker's
     * {@code interrupt} (called by the cancellation, under the run's lock) lets the worker exit,
     * waits until it has returned from exit or is parked in it, and only then interrupts.
     */
    @Test
    void anInterruptUnderWayWhenAWorkerExitsLandsBeforeExitReturns() throws Exception {
        Fixture f = new Fixture(1, 0);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch mayExit = new CountDownLatch(1);
        AtomicBoolean exiting = new AtomicBoolean();
        CountDownLatch exited = new CountDownLatch(1);
        CountDownLatch cancelOver = new CountDownLatch(1);
        AtomicBoolean interruptedAfterExit = new AtomicBoolean();
        Thread worker =
                new Thread(
                        () -> {
                            assertTrue(f.run.enter(0, Thread.currentThread()));
                            entered.countDown();
                            awaitUninterruptibly(mayExit);
                            exiting.set(true);
                            f.run.exit(0);
                            exited.countDown();
                            try { // the pooled thread's next job, until the cancellation is over
                                assertTrue(cancelOver.await(Forked.LIMIT_SECONDS, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                interruptedAfterExit.set(true);
                            }
                            interruptedAfterExit.compareAndSet(
                                    false, Thread.currentThread().isInterrupted());
                        },
                        "worker") {
                    @Override
                    public void interrupt() {
                        if (Thread.currentThread()
                                != this) { // not the lock re-asserting an interrupt on its own thread
                            mayExit.countDown();
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Forked.LIMIT_SECONDS);
                            while (!exiting.get() || exited.getCount() > 0 && getState() != State.WAITING) {
                                assertTrue(
                                        System.nanoTime() < deadline, "the worker neither exited nor waited in exit");
                                Thread.onSpinWait();
                            }
                        }
                        super.interrupt();
                    }
                };
        worker.setDaemon(true);
        worker.start();
        assertTrue(entered.await(Forked.LIMIT_SECONDS, TimeUnit.SECONDS));
        f.run.cancel();
        cancelOver.countDown();
        worker.join(TimeUnit.SECONDS.toMillis(Forked.LIMIT_SECONDS));
        assertFalse(worker.isAlive(), "the worker did not end");
        assertFalse(interruptedAfterExit.get(), "the run's interrupt reached the worker after its exit");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                assertTrue(latch.await(Forked.LIMIT_SECONDS, TimeUnit.SECONDS));
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWorkerThatExitedIsNotInterruptedAnyMore() {
        Fixture f = new Fixture(2, 0);
        assertTrue(f.run.enter(0, Thread.currentThread()));
        f.run.exit(0);
        f.run.cancel();
        assertFalse(
                Thread.currentThread().isInterrupted(),
                "its slot was cleared: a pooled thread's next job is left alone");
        f.run.exitUnlaunched();
    }

    @Test
    void theRunEndsWithItsLastWorker() {
        Fixture f = new Fixture(3, 0);
        assertTrue(f.run.enter(0, Thread.currentThread()));
        f.run.exit(0);
        f.run.exitUnlaunched();
        assertFalse(f.run.metrics().finished(), "one worker is left");
        f.run.exitUnlaunched();
        assertTrue(f.run.metrics().finished());
    }
}
