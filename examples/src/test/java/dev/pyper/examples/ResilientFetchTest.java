package dev.pyper.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.DeadLetter;
import dev.pyper.PipelineExecutor;
import dev.pyper.TaskMetrics;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resilient fetch against a real local HTTP server that fails, hangs and loses items: every
 * good item's result arrives once, the lost ones are dead letters, and the metrics account for
 * each request (SPEC section 9).
 */
class ResilientFetchTest {

    private static final int ITEMS = 800;

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual"})
    void everyGoodItemArrivesAndTheLostOnesAreDeadLetters(String name) throws IOException {
        ResilientFetch.Outcome outcome;
        try (PipelineExecutor executor = PipelineExecutor.create(name)) {
            outcome = ResilientFetch.run(executor, ITEMS, 16);
        }
        Set<Integer> good = IntStream.range(0, ITEMS)
                .filter(i -> !FlakyServer.GONE.contains(i))
                .boxed()
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(good.size(), outcome.results().size(), "one result per good item, none twice");
        assertEquals(good, outcome.itemsServed());
        for (String result : outcome.results()) {
            long item = Long.parseLong(result.split(" ")[1]);
            assertEquals("item " + item + " squared is " + item * item, result);
        }

        List<DeadLetter> letters = outcome.deadLetters();
        assertEquals(
                List.of(13, 404, 777), letters.stream().map(DeadLetter::input).toList());
        for (DeadLetter letter : letters) {
            assertInstanceOf(ResilientFetch.ItemGoneException.class, letter.error(), () -> "gone for good: " + letter);
            assertEquals("fetch", letter.task());
            // a 410 is not worth retrying; a first attempt cut off by the timeout on a loaded machine is
            assertTrue(letter.attempts() >= 1 && letter.attempts() <= 4, () -> "attempts: " + letter);
        }

        long failingOnce =
                IntStream.range(0, ITEMS).filter(FlakyServer::failsOnce).count();
        long hangingOnce =
                IntStream.range(0, ITEMS).filter(FlakyServer::hangsOnce).count();
        assertTrue(failingOnce > 0 && hangingOnce > 0, "the server misbehaves on some of the items");
        TaskMetrics m = outcome.fetch();
        String figures = m + ", the server saw " + outcome.requests() + " requests";
        assertEquals(ITEMS, m.itemsIn(), figures);
        assertEquals(ITEMS, m.invocations(), figures);
        assertEquals(good.size(), m.itemsOut(), figures);
        assertEquals(3, m.deadLettered(), figures);
        assertEquals(0, m.failed(), figures);
        assertEquals(0, m.skipped(), figures);
        assertTrue(
                m.timeouts() >= hangingOnce,
                () -> "each stuck request was cut off: " + hangingOnce + " stuck; " + figures);
        assertTrue(
                m.retries() >= failingOnce + hangingOnce,
                () -> "each 503 and each stuck request was retried: " + figures);
        assertTrue(outcome.requests() <= ITEMS + m.retries(), () -> "no request but the attempts: " + figures);
        assertTrue(
                outcome.requests() >= ITEMS + failingOnce + hangingOnce,
                () -> "every attempt reached the server: " + figures);
    }
}
