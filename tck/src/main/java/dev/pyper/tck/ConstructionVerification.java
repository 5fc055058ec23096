package dev.pyper.tck;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Section 1 of the specification: building pipelines.
 */
public abstract class ConstructionVerification extends ExecutorVerification {

    /** For subclasses. */
    protected ConstructionVerification() {}

    @RuleTest("1.1")
    void rule_1_1_aTaskIsAPipelineOfOneTask() {
        Pipeline<Integer, Integer> task = Task.task(Fixtures::addOne);
        assertInstanceOf(Pipeline.class, task);
        assertEquals(1, Tck.planOf(task).tasks().size());
        assertEquals(List.of(2), run(task, 1));
    }

    @RuleTest("1.2")
    void rule_1_2_optionsReturnNewTasksAndPipeAKeepsBothUsable() {
        TaskSpec plain = Tck.planOf(Task.task(Fixtures::addOne)).tasks().get(0);
        Pipeline<Integer, Integer> producer = Task.branch(Fixtures::range);
        TaskSpec wide = Tck.planOf(
                        producer.pipe(Task.task(Fixtures::addOne, workers(4), throttle(2), ordered(), named("wide"))))
                .tasks()
                .get(1);
        assertEquals(1, plain.workers());
        assertEquals(0, plain.throttle());
        assertFalse(plain.ordered());
        assertEquals("addOne", plain.name());
        assertEquals(4, wide.workers());
        assertEquals(2, wide.throttle());
        assertTrue(wide.ordered());
        assertEquals("wide", wide.name());

        Pipeline<Integer, Integer> a = Task.branch(Fixtures::range);
        Pipeline<Integer, Integer> ab = a.pipe(Task.task(Fixtures::times2));
        assertNotSame(a, ab);
        assertEquals(1, Tck.planOf(a).tasks().size());
        assertEquals(List.of(0, 1, 2), run(a, 3));
        assertEquals(List.of(0, 2, 4), run(ab, 3));
        assertEquals(List.of(0, 2, 4), run(ab, 3), "a pipeline runs any number of times");
    }

    @RuleTest("1.2")
    void rule_1_2_concurrentRunsOfOnePipelineShareNoState() throws Exception {
        SharedBarrier bothRunning = new SharedBarrier(2);
        Pipeline<Integer, Integer> p = on(Task.generator((Integer n, Emitter<Integer> out) -> {
                    Tck.awaitInTask(bothRunning); // both runs are producing at the same time
                    Fixtures.count(n, out);
                })
                .pipe(Task.task(Fixtures::addOne, workers(3)))
                .pipe(Task.join(Fixtures::sum)));
        CompletableFuture<List<Integer>> first = new CompletableFuture<>();
        Thread other = Thread.ofPlatform()
                .name(LeakCensus.KIT_THREAD_PREFIX + "second-caller")
                .start(() -> {
                    try {
                        first.complete(p.consume(Stream::toList).apply(100));
                    } catch (Throwable t) {
                        first.completeExceptionally(t);
                    }
                });
        List<Integer> second = p.consume(Stream::toList).apply(1000);
        assertEquals(List.of(500_500), second);
        assertEquals(List.of(5_050), get(first));
        other.join(Tck.timeout().toMillis());
    }

    @RuleTest("1.3")
    void rule_1_3_badOptionsFailWhenSetNamingOptionAndValue() {
        Pipeline<Integer, Integer> task = Task.task(Fixtures::addOne);
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, workers(0))),
                "workers",
                "0",
                "addOne");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, workers(-3))),
                "workers",
                "-3");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, throttle(-1))),
                "throttle",
                "-1",
                "addOne");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, workers(2), workers(3))),
                "workers",
                "twice",
                "addOne");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, (Option) null)),
                "option",
                "null");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Task.task(null)), "null");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Task.branch((ThrowingFunction<Integer, List<Integer>>) null)),
                "null");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Task.join((ThrowingFunction<Stream<Integer>, Integer>) null)),
                "null");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Task.async(null)), "null");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> task.pipe(null)), "pipe", "null");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.task(Fixtures::addOne, named(" "))), "name");
    }

    @RuleTest("1.4")
    void rule_1_4_aProducerWithSeveralWorkersFailsBeforeAnyFunctionIsCalled() {
        SharedCounter called = new SharedCounter();
        Pipeline<Integer, Integer> p = on(Task.task(
                        (Integer x) -> {
                            called.set(1);
                            return x;
                        },
                        workers(2))
                .pipe(Task.task(Fixtures::addOne)));
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> p.stream(1).toList()), "producer", "workers");
        assertFalse(called.isSet(), "no user function may be called");
    }

    @RuleTest("1.4")
    void rule_1_4_aProducerThatIsAJoinFailsBeforeAnyFunctionIsCalled() {
        SharedCounter called = new SharedCounter();
        Pipeline<Integer, Integer> p = on(Task.join((Stream<Integer> in) -> {
            called.set(1);
            return 0;
        }));
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> p.stream(1).toList()), "producer", "join");
        assertFalse(called.isSet(), "no user function may be called");
    }

    @RuleTest("1.5")
    void rule_1_5_anAsyncTaskCannotBeMultiprocess() {
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Task.async((Integer x) -> CompletableFuture.completedFuture(x), multiprocess())),
                "async",
                "multiprocess");
    }

    @RuleTest("1.5")
    void rule_1_5_aMultiprocessTaskMustBeSerializableWhenBuilt() {
        Object notSerializable = new Object();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Task.task(
                        (Integer x) -> x + notSerializable.hashCode(), named("capturesAnObject"), multiprocess()));
        assertMessage(e, "capturesAnObject", "serializ");
        Task.task(Task.bind(Fixtures::applyMultiplier, 10), multiprocess()); // a bound serializable argument is fine
        IllegalArgumentException bound = assertThrows(
                IllegalArgumentException.class,
                () -> Task.task(Task.bind((Integer x, Object o) -> x, new Object()), multiprocess()));
        assertMessage(bound, "serializ");
    }

    @RuleTest("1.6")
    void rule_1_6_functionsAreSerializableAndMayThrowCheckedExceptions() throws Exception {
        ThrowingFunction<Integer, Integer> lambda = x -> x * 3;
        ThrowingFunction<Integer, Integer> reference = Fixtures::addOne;
        assertEquals(6, roundTrip(lambda).apply(2));
        assertEquals(3, roundTrip(reference).apply(2));
        IOException checked = new IOException("disk on fire");
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.task((Integer x) -> {
                            throw checked;
                        }),
                        1));
        Tck.assertUsersException(checked, e.getCause());
    }

    @RuleTest("1.7")
    void rule_1_7_aTaskIsNamedAfterItsFunctionAndAPipelineListsItsTasks() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::createData)
                .pipe(Task.joinGenerator(Fixtures::runningTotal))
                .pipe(Task.task(Task.bind(Fixtures::applyMultiplier, 10)));
        assertEquals(
                List.of("createData", "runningTotal", "applyMultiplier"),
                Tck.planOf(p).tasks().stream().map(TaskSpec::name).toList());
        String text = p.toString();
        assertTrue(
                text.contains("createData") && text.contains("runningTotal") && text.contains("applyMultiplier"), text);
        ThrowingFunction<Integer, Integer> lambda = x -> x;
        String lambdaName = Tck.planOf(Task.task(lambda)).tasks().get(0).name();
        assertTrue(lambdaName.contains("lambda"), lambdaName);
        assertEquals(
                "renamed",
                Tck.planOf(Task.task(Fixtures::addOne, named("renamed")))
                        .tasks()
                        .get(0)
                        .name());
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(Task.branch(Fixtures::range).pipe(Task.task(ConstructionVerification::divideTenBy)), 3));
        assertMessage(e, "divideTenBy");
        assertEquals("divideTenBy", e.taskName());
    }

    @RuleTest("1.8")
    void rule_1_8_anInnerPipelineNestsAsABatchOrFlattened() {
        Pipeline<Integer, Integer> inner = on(Task.branch(Fixtures::createData).pipe(Task.task(Fixtures::times2)));
        Pipeline<Integer, List<Integer>> batches =
                Task.branch(Fixtures::range).pipe(Task.task(inner.consume(Stream::toList)));
        assertEquals(List.of(List.of(2, 4, 6), List.of(4, 6, 8)), run(batches, 2));
        Pipeline<Integer, Integer> flat =
                Task.branch(Fixtures::range).pipe(Task.branch(inner.consume(Stream::toList), workers(2), ordered()));
        assertEquals(List.of(2, 4, 6, 4, 6, 8), run(flat, 2));
    }

    @RuleTest("1.8")
    void rule_1_8_theGeneratorFormStreamsAnInfiniteInnerPipelineAndClosesIt() {
        Pipeline<Integer, Integer> infinite = on(Task.generator(Fixtures::countForever));
        Pipeline<Integer, Integer> outer = Task.branch(Fixtures::range)
                .pipe(Task.generator((Integer x, Emitter<Integer> out) -> {
                    try (Stream<Integer> inner = infinite.stream(x * 100)) {
                        inner.limit(3).forEach(out::emit); // the inner run is closed when this invocation ends
                    }
                }));
        assertEquals(List.of(0, 1, 2, 100, 101, 102), run(outer, 2));
    }

    @RuleTest("1.9")
    void rule_1_9_untypedLambdasAndOverloadedMethodReferencesInEveryPosition() {
        // This test is mostly checked by javac: it compiles only if Java infers every type below.
        Pipeline<Integer, Integer> chained = Task.branch(Fixtures::range)
                .pipe(Task.task(x -> x * 10, workers(4), ordered()))
                .pipe(Task.task(ConstructionVerification::overloaded, throttle(2)));
        Pipeline<Integer, Integer> whole = Pipeline.of(
                Task.branch(n -> Fixtures.range(n)),
                Task.task(x -> x + 1, workers(2), ordered()),
                Task.join(s -> s.mapToInt(x -> x).sum()));
        Pipeline<Integer, Integer> overloadedFirst =
                Pipeline.of(Task.branch(ConstructionVerification::numbers), Task.task(x -> x * 2));
        // a generator's output type is not in its method's return: a declaration gives it, where the reference is
        // overloaded
        Pipeline<Integer, Integer> numbers = Task.generator(ConstructionVerification::numbers);
        Pipeline<Integer, Integer> generated = Pipeline.of(numbers, Task.task(x -> x * 2));
        assertEquals(List.of(1, 11, 21), run(chained, 3));
        assertEquals(List.of(6), run(whole, 3));
        assertEquals(List.of(0, 2, 4), run(overloadedFirst, 3));
        assertEquals(List.of(0, 2, 4), run(generated, 3));
    }

    /** {@code x + 1}; an overload that method references must tell apart from the next one. */
    static int overloaded(int x) {
        return x + 1;
    }

    /** {@code x + 2}: makes {@link #overloaded(int)} an overloaded method. */
    static long overloaded(long x) {
        return x + 2;
    }

    /** {@code 0 … n-1}, as a list. */
    static List<Integer> numbers(int n) {
        return Fixtures.range(n);
    }

    /** {@code 0 … n-1}, emitted: the same name as the list form, told apart by {@code generator}. */
    static void numbers(int n, Emitter<Integer> out) {
        Fixtures.count(n, out);
    }

    static int divideTenBy(int x) {
        return 10 / x;
    }

    static void assertMessage(Throwable e, String... parts) {
        String message = String.valueOf(e.getMessage());
        for (String part : parts) {
            assertTrue(
                    message.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)),
                    () -> "message should name '" + part + "': " + message);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    static <T> T get(Future<T> future) throws Exception {
        return future.get(Tck.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    static <T> List<T> sorted(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
