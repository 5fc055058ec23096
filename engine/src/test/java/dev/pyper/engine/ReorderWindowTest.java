package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReorderWindow}'s states: slots taken and given back, the head emitting straight through,
 * the others held until the inputs before them are done (rule 3.3). {@link ReorderWindowInterleavingsTest}
 * explores the interleavings.
 */
@Timeout(value = Forked.LIMIT_SECONDS * 3, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReorderWindowTest {

    private final List<Object> out = new CopyOnWriteArrayList<>();
    private final Emitter<Object> sink = out::add;

    @Test
    void theHeadEmitsStraightThrough() throws Exception {
        ReorderWindow window = new ReorderWindow(2, sink);
        window.enter();
        Emitter<Object> first = window.emitterFor(0);
        first.emit("0a");
        assertEquals(List.of("0a"), out, "the oldest input's outputs stream as they come (a branch task's too)");
        first.emit("0b");
        window.complete(first);
        assertEquals(List.of("0a", "0b"), out);
    }

    @Test
    void laterInputsWaitForTheEarlierOnes_gapsIncluded() throws Exception {
        ReorderWindow window = new ReorderWindow(4, sink);
        List<Emitter<Object>> emitters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            window.enter();
            emitters.add(window.emitterFor(i));
        }
        emitters.get(3).emit("3");
        window.complete(emitters.get(3));
        emitters.get(1).emit("1");
        window.complete(emitters.get(1));
        assertEquals(List.of(), out, "inputs 1 and 3 are done, but 0 is not: nothing may pass");
        emitters.get(0).emit("0");
        assertEquals(List.of("0"), out);
        window.complete(emitters.get(0));
        assertEquals(List.of("0", "1"), out, "0 done: 1 follows; 2 is a gap, so 3 waits");
        emitters.get(2).emit("2");
        window.complete(emitters.get(2));
        assertEquals(List.of("0", "1", "2", "3"), out);
    }

    @Test
    void anInputThatBecomesTheHeadWhileRunningFlushesWhatItHeldFirst() throws Exception {
        ReorderWindow window = new ReorderWindow(2, sink);
        window.enter();
        window.enter();
        Emitter<Object> first = window.emitterFor(0);
        Emitter<Object> second = window.emitterFor(1);
        second.emit("1a");
        window.complete(first); // input 0 had no output (a filter), input 1 is the head now
        assertEquals(List.of(), out);
        second.emit("1b");
        assertEquals(List.of("1a", "1b"), out, "what it held goes first, then the new output");
        window.complete(second);
        assertEquals(List.of("1a", "1b"), out, "nothing is passed on twice");
    }

    @Test
    void aWorkerWaitsForASlotUntilTheHeadIsPassedOn() throws Exception {
        ReorderWindow window = new ReorderWindow(2, sink);
        window.enter();
        window.enter();
        assertFalse(window.tryEnter(), "both slots are in use");
        Emitter<Object> first = window.emitterFor(0);
        Emitter<Object> second = window.emitterFor(1);
        Forked<Void> third = Forked.parked("worker-3", () -> {
            window.enter();
            return null;
        });
        window.complete(second);
        assertFalse(window.tryEnter(), "input 1 is done but held behind input 0: its slot stays taken");
        assertFalse(third.isDone());
        window.complete(first);
        third.join();
        assertTrue(window.tryEnter(), "inputs 0 and 1 passed on: both slots given back, one to the waiting worker");
        assertFalse(window.tryEnter());
    }

    @Test
    void aSlotThatTookNoInputIsGivenBack() throws Exception {
        ReorderWindow window = new ReorderWindow(1, sink);
        window.enter();
        Forked<Void> waiting = Forked.parked("worker-2", () -> {
            window.enter();
            return null;
        });
        window.leave(); // the stream had ended: this worker took no input
        waiting.join();
        assertFalse(window.tryEnter());
    }

    @Test
    void anInterruptWakesAWorkerWaitingForASlot_whichThenHoldsNone() throws Exception {
        ReorderWindow window = new ReorderWindow(1, sink);
        window.enter();
        Forked<Void> waiting = Forked.parked("worker-2", () -> {
            window.enter();
            return null;
        });
        waiting.thread().interrupt(); // how a cancelled run reaches a worker here (RunHandle.cancel)
        waiting.thrown(InterruptedException.class);
        Emitter<Object> first = window.emitterFor(0);
        window.complete(first);
        assertTrue(window.tryEnter(), "the interrupted worker took no slot");
        assertFalse(window.tryEnter());
    }

    @Test
    void cancellingWakesAWorkerWaitingForASlot_evenOneWhoseInterruptWasTaken() throws Exception {
        ReorderWindow window = new ReorderWindow(1, sink);
        window.enter();
        Forked<Void> waiting = Forked.parked("worker-2", () -> {
            window.enter(); // no interrupt will come: the call before this wait took it
            return null;
        });
        window.cancel(); // RunHandle.cancel, with the channels
        assertTrue(Signal.isSignal(waiting.thrown(Signal.class)), "a cancelled run's worker ends quietly");
        assertThrows(Signal.class, window::enter, "and no worker waits for a slot any more");
    }

    @Test
    void theRingWrapsAroundOverManyInputs() throws Exception {
        int slots = 3;
        ReorderWindow window = new ReorderWindow(slots, sink);
        List<Object> expected = new ArrayList<>();
        // 30 inputs in rounds of 3, each round completed last to first
        for (int round = 0; round < 10; round++) {
            List<Emitter<Object>> emitters = new ArrayList<>();
            for (int k = 0; k < slots; k++) {
                window.enter();
                int sequence = round * slots + k;
                emitters.add(window.emitterFor(sequence));
                expected.add(sequence);
            }
            for (int k = slots - 1; k >= 0; k--) {
                emitters.get(k).emit(round * slots + k);
                window.complete(emitters.get(k));
            }
        }
        assertEquals(expected, out);
        assertTrue(window.tryEnter(), "every slot was given back");
    }
}
