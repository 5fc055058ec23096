package dev.pyper.engine;

import static dev.pyper.engine.Interleavings.explore;
import static dev.pyper.engine.Interleavings.join;
import static dev.pyper.engine.Interleavings.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyper.engine.Interleavings.Party;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Channel#takeUntil}, a batch task's take, under Lincheck's model checker (see
 * {@link Interleavings}): the wake-up of a batch's {@code maxWait} timer is never lost, whenever
 * it comes, and no input goes into two batches or none (rules 10.6, 10.8).
 */
@Tag(Interleavings.TAG)
class TakeUntilInterleavingsTest {

    @Test
    void theTimersWakeUpIsNeverLost() {
        explore(() -> {
            Channel channel = new Channel(0, 1, 1);
            channel.put(1); // the producer stays open: only the timer can end the batcher's wait
            AtomicBoolean due = new AtomicBoolean();
            List<Object> batch = new ArrayList<>();
            Party timer = start(() -> {
                due.set(true);
                channel.wakeTakers();
            });
            Party batcher = start(() -> {
                while (channel.takeUntil(batch, 3 - batch.size(), due::get) > 0 && !due.get()) {
                    // took something before the deadline: take more
                }
            });
            join(timer, batcher);
            assertEquals(List.of(1), batch, "the batch goes with its one input once its time has passed");
        });
    }

    @Test
    void everyInputGoesInExactlyOneBatch() {
        explore(() -> {
            Channel channel = new Channel(1, 1, 1);
            AtomicBoolean due = new AtomicBoolean();
            List<List<Object>> batches = new ArrayList<>();
            Party producer = start(() -> {
                channel.put(1);
                channel.put(2); // waits for room (throttle 1)
                channel.producerDone();
            });
            Party timer = start(() -> {
                due.set(true);
                channel.wakeTakers();
            });
            Party batcher = start(() -> {
                List<Object> batch = new ArrayList<>();
                AtomicBoolean never = new AtomicBoolean();
                AtomicBoolean deadline = never;
                boolean armed = false;
                while (true) {
                    AtomicBoolean current = deadline;
                    int taken = channel.takeUntil(batch, 2 - batch.size(), current::get);
                    if (taken < 0) {
                        break;
                    }
                    if (!armed && !batch.isEmpty()) {
                        deadline = due; // set at the first batch's first input; the timer may fire at once
                        armed = true;
                    }
                    if (batch.size() == 2 || deadline.get()) {
                        batches.add(batch);
                        batch = new ArrayList<>();
                        deadline = never; // later batches are not timed here
                    }
                }
                if (!batch.isEmpty()) {
                    batches.add(batch);
                }
            });
            join(producer, timer, batcher);
            List<Object> all = new ArrayList<>();
            batches.forEach(all::addAll);
            assertEquals(List.of(1, 2), all, "each input once, in order, in batches " + batches);
            batches.forEach(b -> assertEquals(false, b.isEmpty(), "no batch is empty: " + batches));
        });
    }
}
