package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Channel#takeUntil}, the take of a batch task (rules 10.5 to 10.8): it takes what is
 * there up to the batch's room, waits while nothing is, returns with nothing once the batch's
 * deadline has passed and its timer has woken it, and ends with the stream. A blocked call runs on
 * a {@link Forked} thread and is seen parked before the call that should wake it.
 */
@Timeout(value = Forked.LIMIT_SECONDS * 3, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TakeUntilTest {

    private static final AtomicBoolean NEVER = new AtomicBoolean();

    @Test
    void takesWhatIsThereUpToTheRoomLeft_nullIncluded() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        channel.put(null);
        channel.put("c");
        List<Object> batch = new ArrayList<>();
        assertEquals(2, channel.takeUntil(batch, 2, NEVER::get));
        assertEquals(Arrays.asList("a", null), batch);
        assertEquals(1, channel.takeUntil(batch, 5, NEVER::get));
        assertEquals(Arrays.asList("a", null, "c"), batch);
        assertEquals(3, channel.takenCount());
        assertEquals(0, channel.buffered(), "taken items are the batch's, not held by the channel");
    }

    @Test
    void aPutWakesAWaitingTake() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        List<Object> batch = new ArrayList<>();
        Forked<Integer> taker = Forked.parked("taker", () -> channel.takeUntil(batch, 3, NEVER::get));
        channel.put("x");
        assertEquals(1, taker.join());
        assertEquals(List.of("x"), batch);
    }

    @Test
    void aPassedDeadlineEndsTheWaitWithNothingTaken() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        AtomicBoolean due = new AtomicBoolean();
        List<Object> batch = new ArrayList<>();
        Forked<Integer> taker = Forked.parked("taker", () -> channel.takeUntil(batch, 3, due::get));
        channel.wakeTakers();
        taker.awaitParked(); // a wake-up before the deadline has passed changes nothing
        due.set(true);
        channel.wakeTakers();
        assertEquals(0, taker.join());
        assertTrue(batch.isEmpty());
    }

    @Test
    void itemsThereGoBeforeAPassedDeadline() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        List<Object> batch = new ArrayList<>();
        assertEquals(1, channel.takeUntil(batch, 3, () -> true), "what is there joins the batch that is going");
        assertEquals(0, channel.takeUntil(batch, 3, () -> true));
    }

    @Test
    void theEndOfTheStreamEndsTheTake() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        channel.put("a");
        List<Object> batch = new ArrayList<>();
        Forked<Integer> taker = Forked.start("taker", () -> {
            int first = channel.takeUntil(batch, 3, NEVER::get);
            return first + 10 * channel.takeUntil(batch, 3, NEVER::get);
        });
        channel.producerDone();
        assertEquals(1 + 10 * -1, taker.join(), "one item, then the end (-1)");
    }

    @Test
    void aTakeMakesRoomForWaitingPuts() throws Exception {
        Channel channel = new Channel(2, 1, 1);
        channel.put("a");
        channel.put("b");
        Forked<Void> third = Forked.parked("putter", () -> {
            channel.put("c");
            return null;
        });
        List<Object> batch = new ArrayList<>();
        assertEquals(2, channel.takeUntil(batch, 5, NEVER::get));
        third.join();
        assertEquals(1, channel.buffered());
    }

    @Test
    void cancellationWakesTheTake() throws Exception {
        Channel channel = new Channel(0, 1, 1);
        Forked<Integer> taker = Forked.parked("taker", () -> channel.takeUntil(new ArrayList<>(), 3, NEVER::get));
        channel.cancel();
        assertTrue(Signal.isSignal(taker.thrown(Signal.class)));
    }
}
