package dev.pyper.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.Task;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every example of the README's tour (which translates pyper's {@code task} reference), run and
 * checked. When you change an example here, change the README, and the other way round.
 */
class ReadmeTourTest {

    private final ThreadExecutor threads = new ThreadExecutor();

    @AfterEach
    void close() {
        threads.close();
    }

    // --- the functions of the tour, as in pyper's reference ---

    static int addOne(int x) {
        return x + 1;
    }

    static List<Integer> createData(int x) {
        return List.of(x + 1, x + 2, x + 3);
    }

    static void createDataLazily(int x, Emitter<Integer> out) {
        out.emit(1);
        out.emit(2);
        out.emit(3);
    }

    static void runningTotal(Stream<Integer> data, Emitter<Integer> out) {
        int total = 0;
        for (int item : (Iterable<Integer>) data::iterator) {
            total += item;
            out.emit(total);
        }
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static int slowFunc(int data) throws InterruptedException {
        Thread.sleep(SLEEP_MS);
        return data;
    }

    static void fastProducer(int n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    static int slowConsumer(int data) throws InterruptedException {
        Thread.sleep(1);
        return data;
    }

    static int applyMultiplier(int data, int multiplier) {
        return data * multiplier;
    }

    static final int SLEEP_MS = 200;

    // --- the examples ---

    @Test
    void addOne() {
        Pipeline<Integer, Integer> pipeline = Task.task(ReadmeTourTest::addOne);
        assertEquals(List.of(2), pipeline.on(threads).stream(1).toList());
    }

    @Test
    void createDataWithAndWithoutBranch() {
        Pipeline<Integer, List<Integer>> pipeline1 = Task.task(ReadmeTourTest::createData);
        assertEquals(List.of(List.of(1, 2, 3)), pipeline1.on(threads).stream(0).toList());

        Pipeline<Integer, Integer> pipeline2 = Task.branch(ReadmeTourTest::createData);
        assertEquals(List.of(1, 2, 3), pipeline2.on(threads).stream(0).toList());
    }

    @Test
    void theGenerator() {
        Pipeline<Integer, Integer> pipeline = Task.branch(ReadmeTourTest::createDataLazily);
        assertEquals(List.of(1, 2, 3), pipeline.on(threads).stream(0).toList());
    }

    @Test
    void runningTotalWithJoin() {
        Pipeline<Integer, Integer> pipeline = Task.branch(ReadmeTourTest::createData)
                .pipe(Task.join(ReadmeTourTest::runningTotal));
        assertEquals(List.of(1, 3, 6), pipeline.on(threads).stream(0).toList());
    }

    @Test
    void slowFuncWithTwentyWorkersTakesAboutOneSleep() {
        Pipeline<Integer, Integer> pipeline = Task.branch(ReadmeTourTest::range)
                .pipe(Task.task(ReadmeTourTest::slowFunc).workers(20));
        long start = System.nanoTime();
        List<Integer> outputs = pipeline.on(threads).stream(20).toList();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(range(20), outputs.stream().sorted().toList());
        assertTrue(millis < 10L * SLEEP_MS, "20 sleeps on 20 workers overlap (sequential would be " + 20 * SLEEP_MS + " ms): " + millis);
    }

    @Test
    void theThrottledFastProducer() {
        AtomicInteger most = new AtomicInteger();
        Pipeline<Integer, Integer> pipeline = Task.branch(ReadmeTourTest::fastProducer).throttle(50)
                .pipe(Task.task(ReadmeTourTest::slowConsumer));
        try (var run = pipeline.on(threads).start(1_000)) {
            List<Integer> outputs = run.outputs().peek(x -> most.accumulateAndGet(run.metrics().tasks().get(0).buffered(), Math::max))
                    .toList();
            assertEquals(range(1_000), outputs);
        }
        assertTrue(most.get() <= 50, "the producer paused at its throttle: at most " + most.get() + " buffered");
    }

    @Test
    void applyMultiplierWithBind() {
        Pipeline<Integer, Integer> pipeline = Task.branch((Integer n) -> IntStream.range(1, n).boxed().toList())
                .pipe(Task.task(Task.bind(ReadmeTourTest::applyMultiplier, 10)));
        assertEquals(List.of(10, 20, 30), pipeline.on(threads).stream(4).toList());
    }
}
