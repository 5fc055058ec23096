package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Channel}'s states, one at a time: open (put, take, throttle, batching), ended, stopped,
 * abandoned and cancelled, and who wakes whom. A blocked call runs on a {@link Forked} thread and is
 * seen parked before the call that should wake it. {@link ChannelInterleavingsTest} explores the
 * interleavings of the same calls.
 */
@Timeout(value = Forked.LIMIT_SECONDS * 3, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelTest {

    /** What {@link #takeOne} returns at the end of the stream. */
    static final Object END = new Object() {
        @Override
        public String toString() {
            return "END";
        }
    };

    /** Takes one item as a worker of a several-worker stage does (a batch of one), or {@link #END}. */
    static Object takeOne(Channel channel) throws InterruptedException {
        Batch batch = new Batch(channel, 1);
        return channel.take(batch) ? batch.next() : END;
    }

    // ---- open: put and take ----------------------------------------------------------------

    @Test
    void itemsComeOutInTheOrderTheyWentIn_nullIncluded() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        channel.put(null);
        channel.put("c");
        assertEquals(3, channel.buffered());
        assertEquals("a", takeOne(channel));
        assertNull(takeOne(channel));
        assertEquals("c", takeOne(channel));
        assertEquals(0, channel.buffered());
        assertEquals(3, channel.takenCount());
        assertEquals(3, channel.putCount());
    }

    @Test
    void takesAreNumberedInChannelOrder() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        for (int i = 0; i < 3; i++) {
            channel.put(i);
        }
        Batch one = new Batch(channel, 1);
        for (long i = 0; i < 3; i++) {
            assertTrue(channel.take(one));
            assertEquals((int) i, one.next());
            assertEquals(i, one.lastSequence(), "an ordered stage numbers its inputs by their place in the channel");
        }
    }

    @Test
    void aPutWakesAWaitingTaker() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        Forked<Object> taker = Forked.parked("taker", () -> takeOne(channel));
        channel.put("x");
        assertEquals("x", taker.join());
    }

    @Test
    void theSeedHoldsOneItemAndHasEnded() throws Exception {
        Channel seed = Channel.ofOne("input", 1);
        assertEquals("input", takeOne(seed));
        assertSame(END, takeOne(seed));
        assertNull(takeOne(Channel.ofOne(null, 1)), "a null input is an input (rule 2.2)");
    }

    // ---- throttle ----------------------------------------------------------------------------

    @Test
    void aFullChannelHoldsThePutUntilATakeMakesRoom() throws Exception {
        Channel channel = new Channel(2, 1, 1);
        channel.put("a");
        channel.put("b");
        Forked<Void> third = Forked.parked("putter", () -> {
            channel.put("c");
            return null;
        });
        assertEquals(2, channel.buffered(), "the throttle bounds the buffer (rule 2.6)");
        assertEquals("a", takeOne(channel));
        third.join();
        assertEquals(2, channel.buffered());
        assertEquals("b", takeOne(channel));
        assertEquals("c", takeOne(channel));
    }

    @Test
    void anUnboundedChannelNeverHoldsAPut() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        for (int i = 0; i < 10_000; i++) {
            channel.put(i);
        }
        assertEquals(10_000, channel.buffered());
    }

    @Test
    void aBatchHoldsItsCapacityUntilItsItemsStart() throws Exception {
        Channel channel = new Channel(2, 1, 1);
        channel.put("a");
        channel.put("b");
        Batch batch = new Batch(channel, 2); // gives back capacity for every item it starts
        assertTrue(channel.take(batch));
        assertEquals(2, channel.buffered(), "taken but not started: still counted against the throttle");
        Forked<Void> putter = Forked.parked("putter", () -> {
            channel.put("c");
            return null;
        });
        assertEquals("a", batch.next());
        putter.join();
        assertEquals(2, channel.buffered(), "one item held by the batch, one in the channel");
        assertEquals("b", batch.next());
        assertEquals(1, channel.buffered());
    }

    @Test
    void aBatchGivesBackWhatItStartedButDidNotReleaseAtItsNextTake() throws Exception {
        Channel channel = new Channel(8, 1, 1);
        for (String s : List.of("a", "b", "c")) {
            channel.put(s);
        }
        Batch batch = new Batch(channel, 8); // releases every 2 items it starts
        assertTrue(channel.take(batch));
        List<Object> started = new ArrayList<>();
        while (batch.hasNext()) {
            started.add(batch.next());
        }
        assertEquals(List.of("a", "b", "c"), started);
        assertEquals(1, channel.buffered(), "two released after the second item; the third is still held");
        channel.put("d");
        assertTrue(channel.take(batch));
        assertEquals(1, channel.buffered(), "the third released by this take, 'd' held");
        assertEquals("d", batch.next());
        assertEquals(4, channel.takenCount());
    }

    // ---- ended ---------------------------------------------------------------------------------

    @Test
    void theStreamEndsWhenEveryProducerIsDoneAndEveryItemTaken() throws Exception {
        Channel channel = new Channel(0, 2, 1);
        channel.put(1);
        channel.producerDone();
        assertEquals(1, takeOne(channel));
        Forked<Object> taker = Forked.parked("taker", () -> takeOne(channel));
        channel.put(2);
        assertEquals(2, taker.join(), "one producer is still open");
        Forked<Object> last = Forked.parked("taker", () -> takeOne(channel));
        channel.producerDone();
        assertSame(END, last.join(), "the last producer's end wakes the taker with the end of the stream");
        assertSame(END, takeOne(channel), "and every take after it");
        assertSame(END, channel.take(new Batch(channel, 4)) ? "item" : END);
    }

    @Test
    void theEndWakesEveryWaitingTaker() throws Exception {
        Channel channel = new Channel(0, 1, 3);
        List<Forked<Object>> takers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            takers.add(Forked.parked("taker-" + i, () -> takeOne(channel)));
        }
        channel.producerDone();
        for (Forked<Object> taker : takers) {
            assertSame(END, taker.join());
        }
    }

    @Test
    void itemsPutBeforeTheEndAreStillTaken() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        channel.put("b");
        channel.producerDone();
        assertEquals("a", takeOne(channel));
        assertEquals("b", takeOne(channel));
        assertSame(END, takeOne(channel));
    }

    // ---- stopped -------------------------------------------------------------------------------

    @Test
    void aStopEndsTheStreamForItsConsumersAtOnce() throws Exception {
        Channel channel = new Channel(0, 1, 2);
        Forked<Object> taker = Forked.parked("taker", () -> takeOne(channel));
        channel.stop();
        assertSame(END, taker.join(), "the stop wakes a waiting taker");
        channel.put("unwanted");
        assertSame(END, takeOne(channel), "items still buffered are not handed out");
    }

    // ---- abandoned ---------------------------------------------------------------------------

    @Test
    void theLastConsumerToLeaveWhileProducersAreOpenAbandonsTheChannel() throws Exception {
        Channel channel = new Channel(0, 1, 2);
        channel.put("a");
        channel.put("b");
        assertFalse(channel.consumerDone(), "one consumer is left");
        assertTrue(channel.consumerDone(), "the last one abandons: the producing stage must stop");
        assertEquals(0, channel.buffered(), "what nobody will take is dropped");
        assertEquals(2, channel.putCount(), "dropped items still count as put");
        Signal signal = assertThrows(Signal.class, () -> channel.put("c"));
        assertTrue(Signal.isAbandoned(signal), "an abandoned put ends its worker quietly");
    }

    @Test
    void abandoningWakesAPutWaitingForRoom() throws Exception {
        Channel channel = new Channel(1, 1, 1);
        channel.put("a");
        Forked<Void> putter = Forked.parked("putter", () -> {
            channel.put("b");
            return null;
        });
        assertTrue(channel.consumerDone());
        assertTrue(Signal.isAbandoned(putter.thrown(Signal.class)));
    }

    @Test
    void aConsumerLeavingAfterTheEndAbandonsNothing() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        channel.producerDone();
        assertFalse(channel.consumerDone(), "no producer left to stop");
        assertEquals(1, channel.buffered());
    }

    @Test
    void aConsumerLeavingACancelledChannelAbandonsNothing() {
        Channel channel = new Channel(0, 1, 1);
        channel.cancel();
        assertFalse(channel.consumerDone(), "the run is ending anyway: a cancellation, not an abandonment");
    }

    // ---- cancelled -----------------------------------------------------------------------------

    @Test
    void aCancelWakesAWaitingTakeWithASignal() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        Forked<Object> taker = Forked.parked("taker", () -> takeOne(channel));
        channel.cancel();
        Signal signal = taker.thrown(Signal.class);
        assertFalse(Signal.isAbandoned(signal), "a cancellation, not an abandonment");
    }

    @Test
    void aCancelWakesAWaitingPutWithASignalAndDropsTheItems() throws Exception {
        Channel channel = new Channel(1, 1, 1);
        channel.put("a");
        Forked<Void> putter = Forked.parked("putter", () -> {
            channel.put("b");
            return null;
        });
        channel.cancel();
        assertFalse(Signal.isAbandoned(putter.thrown(Signal.class)));
        assertEquals(0, channel.buffered());
        assertEquals(1, channel.putCount(), "the dropped item counts as put; the refused one does not");
        assertThrows(Signal.class, () -> channel.put("c"));
        assertThrows(Signal.class, () -> takeOne(channel));
        assertThrows(Signal.class, () -> channel.take(new Batch(channel, 4)));
    }

    @Test
    void aCancelAfterTheEndStillReachesTheTakers() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.producerDone();
        assertSame(END, takeOne(channel)); // drained: later takes of one skip the lock
        channel.cancel();
        assertThrows(Signal.class, () -> takeOne(channel), "the lock-free path of a drained channel sees the cancel");
    }

    @Test
    void anInterruptWakesAWaitingTakeOrPut() throws Exception {
        Channel empty = new Channel(0, 1, 1);
        Forked<Object> taker = Forked.parked("taker", () -> takeOne(empty));
        taker.thread().interrupt();
        taker.thrown(InterruptedException.class);

        Channel full = new Channel(1, 1, 1);
        full.put("a");
        Forked<Void> putter = Forked.parked("putter", () -> {
            full.put("b");
            return null;
        });
        putter.thread().interrupt();
        putter.thrown(InterruptedException.class);
        assertEquals(1, full.buffered(), "the interrupted put added nothing");
    }

    // ---- lazy consumers ------------------------------------------------------------------------

    /** A consuming stage that records what the channel asks of it. */
    static final class Recording implements Channel.LazyConsumers {
        record Start(int worker, Object item, long sequence) {}

        final List<Start> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger retired = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean reserves = true;

        @Override
        public boolean reserve() {
            return reserves;
        }

        @Override
        public void start(int worker, Object item, long sequence) {
            starts.add(new Start(worker, item, sequence));
        }

        @Override
        public void retire(int workers) {
            retired.addAndGet(workers);
        }
    }

    @Test
    void aPutWithNoIdleWorkerStartsOneWithTheItemInHand_neverMoreThanTheWorkers() throws Exception {
        Channel channel = new Channel(0, 1, 3);
        Recording stage = new Recording();
        channel.consumeLazily(3, stage);
        for (String s : List.of("a", "b", "c", "d", "e")) {
            channel.put(s);
        }
        assertEquals(
                List.of(new Recording.Start(1, "a", 0), new Recording.Start(2, "b", 1), new Recording.Start(3, "c", 2)),
                stage.starts,
                "one worker per input while workers are left, each numbered in channel order");
        assertEquals(2, channel.buffered(), "every worker started: the rest wait for them");
        Batch batch = new Batch(channel, 1);
        assertTrue(channel.take(batch));
        assertEquals("d", batch.next());
        assertEquals(3, batch.lastSequence(), "the items handed over took their numbers");
        channel.producerDone();
        assertEquals(0, stage.retired.get(), "no worker was left to retire");
    }

    @Test
    void anIdleWorkerGetsThePutInsteadOfANewStart() throws Exception {
        Channel channel = new Channel(0, 1, 2);
        Recording stage = new Recording();
        channel.consumeLazily(2, stage);
        channel.put("a");
        assertEquals(1, stage.starts.size());
        Forked<Object> idle = Forked.parked("worker-1", () -> takeOne(channel)); // worker 1, back for more
        channel.put("b");
        assertEquals("b", idle.join());
        assertEquals(1, stage.starts.size(), "an idle worker was waiting: nobody new starts");
    }

    @Test
    void aStartTakesTheOldestWaitingInputSoThatNoneOvertakes() throws Exception {
        Channel channel = new Channel(0, 1, 3);
        Recording stage = new Recording();
        channel.consumeLazily(3, stage);
        stage.reserves = false; // an ordered stage's window is full
        channel.put("a");
        channel.put("b");
        assertEquals(List.of(), stage.starts);
        assertEquals(2, channel.buffered());
        stage.reserves = true;
        channel.put("c");
        assertEquals(
                List.of(new Recording.Start(1, "a", 0)), stage.starts, "the new worker starts on the oldest input");
        Batch batch = new Batch(channel, 1);
        assertTrue(channel.take(batch));
        assertEquals("b", batch.next());
        assertEquals(1, batch.lastSequence());
        assertTrue(channel.take(batch));
        assertEquals("c", batch.next());
        assertEquals(2, batch.lastSequence());
    }

    @Test
    void theEndOfTheStreamRetiresTheWorkersNeverStarted_once() throws Exception {
        Channel channel = new Channel(0, 1, 4);
        Recording stage = new Recording();
        channel.consumeLazily(4, stage);
        channel.put("a");
        channel.producerDone();
        assertEquals(3, stage.retired.get());
        channel.stop();
        channel.retireUnstarted();
        assertEquals(3, stage.retired.get(), "a worker is counted as ended once");
        assertEquals(4, stage.starts.size() + stage.retired.get());
    }

    @Test
    void aStopRetiresTheWorkersNeverStartedAndStartsNoMore() throws Exception {
        Channel channel = new Channel(0, 1, 2);
        Recording stage = new Recording();
        channel.consumeLazily(2, stage);
        channel.stop();
        assertEquals(2, stage.retired.get());
        channel.put("a");
        assertEquals(List.of(), stage.starts);
    }

    @Test
    void aCancelledRunRetiresTheWorkersNeverStarted() throws Exception {
        Channel channel = new Channel(0, 1, 2);
        Recording stage = new Recording();
        channel.consumeLazily(2, stage);
        channel.put("a");
        channel.cancel();
        channel.retireUnstarted();
        assertEquals(1, stage.retired.get());
        assertThrows(Signal.class, () -> channel.put("b"));
        assertEquals(1, stage.starts.size());
    }
}
