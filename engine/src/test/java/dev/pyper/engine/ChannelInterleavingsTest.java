package dev.pyper.engine;

import static dev.pyper.engine.ChannelTest.END;
import static dev.pyper.engine.ChannelTest.takeOne;
import static dev.pyper.engine.Interleavings.explore;
import static dev.pyper.engine.Interleavings.join;
import static dev.pyper.engine.Interleavings.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.engine.Interleavings.Party;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Channel}'s calls from several threads at once, under Lincheck's model checker (see
 * {@link Interleavings}): put, take, the end of the stream, stop, abandonment, cancellation and the
 * lazy start of consumers. Each scenario is as small as the race it is about, so that the model
 * checker can try all or most of its interleavings. In every one, every item is taken exactly
 * once and in order, the throttle holds, and every waiting thread is woken.
 */
@Tag(Interleavings.TAG)
class ChannelInterleavingsTest {

    /** Takes until the end of the stream; returns what was taken. */
    private static List<Object> drain(Channel channel) throws InterruptedException {
        List<Object> taken = new ArrayList<>();
        for (Object item = takeOne(channel); item != END; item = takeOne(channel)) {
            taken.add(item);
        }
        return taken;
    }

    @Test
    void putTakeAndTheEnd_throttleOne() {
        explore(() -> {
            Channel channel = new Channel(1, 1, 1);
            List<Object> taken = new ArrayList<>();
            Party producer = start(() -> {
                channel.put(1);
                channel.put(2); // waits for the take of 1 (rule 2.6)
                channel.producerDone();
            });
            Party consumer = start(() -> taken.addAll(drain(channel)));
            join(producer, consumer);
            assertEquals(List.of(1, 2), taken);
        });
    }

    @Test
    void theLastOfTwoProducersEndsTheStream() {
        explore(() -> {
            Channel channel = new Channel(0, 2, 1);
            List<Object> taken = new ArrayList<>();
            Party first = start(() -> {
                channel.put(1);
                channel.producerDone();
            });
            Party second = start(channel::producerDone);
            Party consumer = start(() -> taken.addAll(drain(channel)));
            join(first, second, consumer);
            assertEquals(List.of(1), taken, "the end came after the item, whichever producer ended last");
        });
    }

    @Test
    void twoConsumersShareTheItemsAndBothSeeTheEnd() {
        explore(() -> {
            Channel channel = new Channel(0, 1, 2);
            List<Object> first = new ArrayList<>();
            List<Object> second = new ArrayList<>();
            Party producer = start(() -> {
                channel.put(1);
                channel.producerDone();
            });
            Party a = start(() -> first.addAll(drain(channel)));
            Party b = start(() -> second.addAll(drain(channel)));
            join(producer, a, b);
            List<Object> all = new ArrayList<>(first);
            all.addAll(second);
            assertEquals(List.of(1), all, "the item went to exactly one of them");
        });
    }

    @Test
    void aBatchingConsumerKeepsTheThrottleExact() {
        explore(() -> {
            Channel channel = new Channel(2, 1, 1);
            List<Object> taken = new ArrayList<>();
            Party producer = start(() -> {
                for (int i = 0; i < 3; i++) {
                    channel.put(i);
                }
                channel.producerDone();
            });
            Party consumer = start(() -> {
                Batch batch = new Batch(channel, 2);
                while (channel.take(batch)) {
                    while (batch.hasNext()) {
                        assertTrue(channel.buffered() <= 2, "taken but not started still counts (rule 2.6)");
                        taken.add(batch.next());
                    }
                }
            });
            join(producer, consumer);
            assertEquals(List.of(0, 1, 2), taken);
        });
    }

    @Test
    void theLastConsumerToLeaveAbandonsTheChannelAndWakesTheProducer() {
        explore(() -> {
            Channel channel = new Channel(1, 1, 1);
            boolean[] abandoned = new boolean[2];
            Party producer = start(() -> {
                try {
                    channel.put(1);
                    channel.put(2); // nobody takes: only the abandonment ends this wait
                } catch (Signal s) {
                    abandoned[0] = Signal.isAbandoned(s);
                }
                channel.producerDone();
            });
            Party consumer = start(() -> abandoned[1] = channel.consumerDone());
            join(producer, consumer);
            assertTrue(abandoned[0], "the producer ended on the abandonment");
            assertTrue(abandoned[1], "the consumer's leaving abandoned the channel");
            assertEquals(0, channel.buffered(), "what nobody will take is dropped");
        });
    }

    @Test
    void aCancelWakesTheWaitingPutAndTakeAndEveryCallAfterItThrows() {
        explore(() -> {
            Channel full = new Channel(1, 1, 1);
            Channel empty = new Channel(0, 1, 1);
            boolean[] woken = new boolean[2];
            Party producer = start(() -> {
                try {
                    full.put(1);
                    full.put(2);
                } catch (Signal s) {
                    woken[0] = !Signal.isAbandoned(s);
                }
            });
            Party consumer = start(() -> {
                try {
                    takeOne(empty);
                } catch (Signal s) {
                    woken[1] = !Signal.isAbandoned(s);
                }
            });
            Party canceller = start(() -> {
                full.cancel();
                empty.cancel();
            });
            join(producer, consumer, canceller);
            assertTrue(woken[0] && woken[1], "both ended on the cancellation");
            assertThrows(Signal.class, () -> full.put(3));
            assertThrows(Signal.class, () -> takeOne(full));
            assertEquals(0, full.buffered(), "dropped");
        });
    }

    @Test
    void aStopRacingTheEndLosesNoWaitingTaker() {
        explore(() -> {
            Channel channel = new Channel(0, 1, 1);
            Object[] taken = new Object[1];
            Party consumer = start(() -> taken[0] = takeOne(channel));
            Party producer = start(channel::producerDone);
            Party stopper = start(channel::stop);
            join(consumer, producer, stopper);
            assertSame(END, taken[0]);
        });
    }

    /** A lazily started stage whose workers are threads: each works its first input, then takes the rest. */
    private static final class LazyStage implements Channel.LazyConsumers {
        final Channel input;
        final List<Party> started = new ArrayList<>();
        final List<List<Object>> worked = new ArrayList<>();
        int retired;

        LazyStage(Channel input) {
            this.input = input;
        }

        @Override
        public boolean reserve() {
            return true;
        }

        @Override
        public void start(int worker, Object item, long sequence) {
            List<Object> mine = new ArrayList<>();
            mine.add(item);
            worked.add(mine);
            started.add(Interleavings.start(() -> mine.addAll(drain(input))));
        }

        @Override
        public void retire(int n) {
            retired += n;
        }
    }

    @Test
    void lazyStartsNeverExceedTheWorkersAndEveryInputIsWorkedOnce() {
        explore(() -> {
            Channel channel = new Channel(0, 1, 2);
            LazyStage stage = new LazyStage(channel);
            channel.consumeLazily(2, stage);
            Party producer = start(() -> {
                channel.put(1);
                channel.put(2);
                channel.put(3);
                channel.producerDone();
            });
            join(producer); // the starts happen in the producer's puts: its end shows them all
            join(stage.started.toArray(Party[]::new));
            assertEquals(2, stage.started.size() + stage.retired, "every worker started or retired, once; never more");
            List<Object> all = new ArrayList<>();
            stage.worked.forEach(all::addAll);
            assertEquals(List.of(1, 2, 3), all.stream().sorted().toList(), () -> "every input once: " + stage.worked);
            assertFalse(stage.started.isEmpty());
        });
    }
}
