package dev.pyper.engine;

import static dev.pyper.engine.Interleavings.explore;
import static dev.pyper.engine.Interleavings.join;
import static dev.pyper.engine.Interleavings.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.engine.Interleavings.Party;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link ReorderWindow}'s calls from several workers at once, under Lincheck's model checker (see
 * {@link Interleavings}): enter, emit, complete, leave, and the interrupt by which a cancelled run
 * reaches a worker waiting for a slot. In every interleaving the outputs come out in input order
 * (rule 3.3), never from two threads at once, and no worker waits for ever.
 */
@Tag(Interleavings.TAG)
class ReorderWindowInterleavingsTest {

    /** The next task's side: records the outputs and notes if two threads ever emit at once. */
    private static final class Sink implements Emitter<Object> {
        final List<Object> outputs = new ArrayList<>();
        private final AtomicInteger emitting = new AtomicInteger();
        boolean overlapped;

        @Override
        public void emit(Object output) {
            if (emitting.incrementAndGet() != 1) {
                overlapped = true;
            }
            outputs.add(output);
            emitting.decrementAndGet();
        }
    }

    /**
     * A worker of an ordered task: takes a slot, then the next input, numbered in channel order
     * (as a take numbers it, after the slot), and emits {@code outputs} outputs for it.
     */
    private static void work(ReorderWindow window, AtomicLong channel, int outputs) throws InterruptedException {
        window.enter();
        long sequence = channel.getAndIncrement();
        Emitter<Object> out = window.emitterFor(sequence);
        for (int i = 0; i < outputs; i++) {
            out.emit(sequence + "." + i);
        }
        window.complete(out);
    }

    @Test
    void twoWorkersTwoSlots_theLaterInputWaitsForTheEarlier() {
        explore(() -> {
            Sink sink = new Sink();
            ReorderWindow window = new ReorderWindow(2, sink);
            AtomicLong channel = new AtomicLong();
            Party a = start(() -> work(window, channel, 2));
            Party b = start(() -> work(window, channel, 2));
            join(a, b);
            assertEquals(List.of("0.0", "0.1", "1.0", "1.1"), sink.outputs);
            assertFalse(sink.overlapped, "only the head's worker, or the one flushing under the lock, emits");
        });
    }

    /**
     * Input 0 completes while input 1's worker emits. Lincheck explores all of this scenario's
     * interleavings it can tell apart (under a hundred), but not the one in which input 0 completes
     * between two of the emits; {@link ReorderWindowTest#anInputThatBecomesTheHeadWhileRunningFlushesWhatItHeldFirst}
     * takes that path on one thread.
     */
    @Test
    void anInputThatBecomesTheHeadWhileEmittingPassesOnWhatItHeldFirst() {
        explore(() -> {
            Sink sink = new Sink();
            ReorderWindow window = new ReorderWindow(2, sink);
            window.enter();
            window.enter();
            Emitter<Object> first = window.emitterFor(0);
            Emitter<Object> second = window.emitterFor(1);
            Party a = start(() -> window.complete(first)); // input 0 has no output (a filter)
            Party b = start(() -> {
                second.emit("1.0");
                second.emit("1.1");
                second.emit("1.2");
                window.complete(second);
            });
            join(a, b);
            assertEquals(List.of("1.0", "1.1", "1.2"), sink.outputs);
            assertFalse(sink.overlapped);
        });
    }

    @Test
    void threeWorkersTwoSlots_aWorkerWaitsForASlot() {
        explore(() -> {
            Sink sink = new Sink();
            ReorderWindow window = new ReorderWindow(2, sink);
            AtomicLong channel = new AtomicLong();
            Party a = start(() -> work(window, channel, 1));
            Party b = start(() -> work(window, channel, 1));
            Party c = start(() -> work(window, channel, 1));
            join(a, b, c);
            assertEquals(List.of("0.0", "1.0", "2.0"), sink.outputs);
            assertFalse(sink.overlapped);
            boolean first = window.tryEnter();
            boolean second = window.tryEnter();
            assertTrue(first && second && !window.tryEnter(), "every slot was given back");
        });
    }

    @Test
    void aWorkerAtTheEndLeaves_andOneInterruptedWhileWaitingHoldsNoSlot() {
        explore(() -> {
            Sink sink = new Sink();
            ReorderWindow window = new ReorderWindow(1, sink);
            AtomicLong channel = new AtomicLong();
            Party worker = start(() -> work(window, channel, 1));
            Party atTheEnd = start(() -> {
                window.enter();
                window.leave(); // the input had ended: this slot took no input
            });
            Party cancelled = start(() -> {
                try {
                    window.enter();
                    window.leave();
                } catch (InterruptedException e) {
                    // the run was cancelled while it waited for a slot
                }
            });
            cancelled.thread().interrupt();
            join(worker, atTheEnd, cancelled);
            assertEquals(List.of("0.0"), sink.outputs);
            assertTrue(window.tryEnter(), "every slot was given back, none twice");
            assertFalse(window.tryEnter());
        });
    }
}
