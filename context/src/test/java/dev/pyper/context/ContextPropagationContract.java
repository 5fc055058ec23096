package dev.pyper.context;

import static dev.pyper.Task.async;
import static dev.pyper.Task.branch;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.join;
import static dev.pyper.Task.named;
import static dev.pyper.Task.retry;
import static dev.pyper.Task.task;
import static dev.pyper.Task.timeout;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.MDC;

/**
 * Rule 8.8 on one executor: the context of the thread that starts a run (an MDC key, an
 * OpenTelemetry span and baggage, a thread-local registered with Micrometer's registry) is seen
 * in every invocation of the run, of every kind of task, retries included; a run started without
 * one sees none; and nothing of one run reaches another's invocations on the same executor, whose
 * workers (threads, worker JVMs) are reused between runs.
 *
 * <p>Every function reports what it sees as a string, {@link #seen()}; the functions are static
 * and serializable, so that they run unchanged in worker JVMs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContextPropagationContract {

    /** What a function sees with no context: no MDC, no tenant, no baggage, no span. */
    static final String NOTHING = "null/null/null/" + SpanContext.getInvalid().getTraceId() + "/"
            + SpanContext.getInvalid().getSpanId();

    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
            .build();
    static final Tracer TRACER = PROVIDER.get("dev.pyper.context.test");

    private PipelineExecutor executor;

    /** A new executor of the kind under test; closed after the class's tests. */
    abstract PipelineExecutor newExecutor();

    /** Whether the functions run in this JVM, where the test's span exporter sees their spans. */
    boolean functionsRunHere() {
        return true;
    }

    /** How many runs start at once in {@link #runsStartedAtOnceFromSeveralThreadsSeeEachTheirOwn()}. */
    int runsAtOnce() {
        return 8;
    }

    /** Whether the executor's workers outlive a run, so that the next run reuses them. */
    boolean reusesWorkers() {
        return true;
    }

    final PipelineExecutor executor() {
        if (executor == null) {
            executor = newExecutor();
        }
        return executor;
    }

    @AfterAll
    void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @BeforeEach
    void clean() {
        SPANS.reset();
        MDC.clear();
        Tenant.CURRENT.remove();
        ATTEMPTS.clear();
    }

    // ---- what a function sees

    /** The request id in the MDC, the tenant, the baggage's user, the trace id and span id, as one string. */
    static String seen() {
        SpanContext span = Span.current().getSpanContext();
        return MDC.get("request") + "/" + Tenant.CURRENT.get() + "/"
                + Baggage.current().getEntryValue("user") + "/" + span.getTraceId() + "/" + span.getSpanId();
    }

    /** Where a function runs: its JVM and thread, to show that workers were reused. */
    static String where() {
        return ProcessHandle.current().pid() + ":" + Thread.currentThread().threadId();
    }

    /** The context of a request: each of the four kinds of value, set on the calling thread for {@code body}. */
    @SuppressWarnings("try")
    static <T> Request<T> inRequest(String id, Supplier<T> body) {
        Span span = TRACER.spanBuilder("request " + id).startSpan();
        try (MDC.MDCCloseable mdc = MDC.putCloseable("request", id);
                Scope baggage = Baggage.builder()
                        .put("user", "user-" + id)
                        .build()
                        .storeInContext(Context.current())
                        .makeCurrent();
                Scope spanScope = span.makeCurrent()) {
            Tenant.CURRENT.set("tenant-" + id);
            try {
                T result = body.get();
                String expected = id + "/tenant-" + id + "/user-" + id + "/"
                        + span.getSpanContext().getTraceId() + "/"
                        + span.getSpanContext().getSpanId();
                return new Request<>(result, expected, span.getSpanContext());
            } finally {
                Tenant.CURRENT.remove();
            }
        } finally {
            span.end();
        }
    }

    record Request<T>(T result, String expected, SpanContext span) {}

    // ---- the pipelines

    static List<String> numbered(int n) {
        return IntStream.range(0, n).mapToObj(i -> i + "=" + seen()).toList();
    }

    static String again(String s) {
        return s + "|" + seen();
    }

    static void twice(String s, dev.pyper.Emitter<String> out) {
        out.emit(s + "|" + seen());
        out.emit(s + "|" + seen());
    }

    static List<String> joined(Stream<String> items) {
        return items.map(s -> s + "|" + seen()).toList();
    }

    /** Producer, task with workers, generator, join: every kind that blocks, each adding what it sees. */
    static Pipeline<Integer, List<String>> everyKind() {
        return Pipeline.of(
                branch(ContextPropagationContract::numbered, named("produce")),
                task(ContextPropagationContract::again, workers(3), named("task")),
                generator(ContextPropagationContract::twice, named("generate")),
                join(ContextPropagationContract::joined, named("join")));
    }

    static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

    /** Fails the first attempt for each input: the retry must see the context too, made under a timeout (section 9). */
    static String flaky(String s) throws java.io.IOException {
        if (ATTEMPTS.merge(s, 1, Integer::sum) == 1) {
            throw new java.io.IOException("first attempt of " + s);
        }
        return s + "|" + seen();
    }

    static CompletableFuture<String> later(String s) {
        return CompletableFuture.completedFuture(s + "|" + seen());
    }

    static CompletableFuture<String> laterFlaky(String s) {
        if (ATTEMPTS.merge("async " + s, 1, Integer::sum) == 1) {
            throw new IllegalStateException("first async attempt of " + s);
        }
        return CompletableFuture.completedFuture(s + "|" + seen());
    }

    static Pipeline<Integer, String> retriedAndAsync() {
        return Pipeline.of(
                branch(ContextPropagationContract::numbered, named("produce")),
                task(
                        ContextPropagationContract::flaky,
                        workers(2),
                        named("flaky"),
                        retry(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
                        timeout(Duration.ofMinutes(1))), // each attempt on a thread of its own (rule 9.4)
                async(ContextPropagationContract::later, workers(4), named("async")),
                async(
                        ContextPropagationContract::laterFlaky,
                        workers(4),
                        named("asyncRetried"),
                        retry(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5))));
    }

    /** Each output says what every task saw: each part after the number must be {@code expected}. */
    static void assertAllSaw(String expected, List<String> outputs, int parts) {
        assertFalse(outputs.isEmpty());
        for (String output : outputs) {
            String[] seenBy = output.substring(output.indexOf('=') + 1).split("\\|");
            assertEquals(parts, seenBy.length, output);
            for (String s : seenBy) {
                assertEquals(expected, s, () -> "every invocation sees the run's context: " + output);
            }
        }
    }

    // ---- the tests

    @Test
    void everyKindOfTaskSeesTheContextOfTheThreadThatStartedTheRun() {
        Request<List<String>> r =
                inRequest("r1", () -> everyKind().on(executor()).toList(5).get(0));
        assertEquals(10, r.result().size());
        assertAllSaw(r.expected(), r.result(), 4);
    }

    @Test
    void retriesAndAsyncTasksSeeItToo() {
        Request<List<String>> r =
                inRequest("r2", () -> retriedAndAsync().on(executor()).toList(4));
        assertEquals(4, r.result().size());
        assertAllSaw(r.expected(), r.result(), 4);
    }

    @Test
    void theContextOfAStreamOrPublisherIsTakenWhenItStarts() throws Exception {
        Pipeline<Integer, String> p =
                Pipeline.of(branch(ContextPropagationContract::numbered), task(ContextPropagationContract::again));
        Request<Stream<String>> r = inRequest("r3", () -> p.on(executor()).stream(3));
        try (Stream<String> outputs = r.result()) {
            assertAllSaw(r.expected(), outputs.toList(), 2); // pulled outside the request: still its context
        }
        Request<List<String>> fromPublisher = inRequest("r4", () -> {
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            p.on(executor()).publisher(3).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String item) {
                    got.add(item);
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });
            done.join();
            return got;
        });
        assertAllSaw(fromPublisher.expected(), fromPublisher.result(), 2);
    }

    @Test
    void aRunStartedWithoutAContextSeesNoneAfterOneWithIt() {
        Pipeline<Integer, List<String>> p = everyKind().on(executor());
        Request<List<String>> first = inRequest("r5", () -> p.toList(6).get(0));
        assertAllSaw(first.expected(), first.result(), 4);
        assertAllSaw(NOTHING, p.toList(6).get(0), 4);
        assertNull(MDC.get("request"));
    }

    @SuppressWarnings("MustBeClosedChecker") // the leak is the point: the executor must not pass it on
    static String leaky(String s) {
        String before = seen() + "," + MDC.get("leaked");
        MDC.put("leaked", "by " + s); // never removed: the executor must not pass it on
        Tenant.CURRENT.set("leaked");
        Span.wrap(SpanContext.create(
                        "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331",
                        io.opentelemetry.api.trace.TraceFlags.getSampled(),
                        io.opentelemetry.api.trace.TraceState.getDefault()))
                .storeInContext(Context.current())
                .makeCurrent(); // a scope never closed
        return before + "@" + where();
    }

    @Test
    void twoRunsOnTheSameWorkersSeeOnlyTheirOwnContext() {
        Pipeline<Integer, String> p = Pipeline.of(
                        branch(ContextPropagationContract::numbered),
                        task(ContextPropagationContract::leaky, workers(2), named("leaky")),
                        task(ContextPropagationContract::again))
                .on(executor());
        Request<List<String>> a = inRequest("a", () -> p.toList(20));
        Request<List<String>> b = inRequest("b", () -> p.toList(20));
        List<String> none = p.toList(20);
        Set<String> workersA = new HashSet<>();
        Set<String> workersB = new HashSet<>();
        for (String output : a.result()) {
            assertEquals(a.expected() + ",null", between(output, '=', '@'), output);
            assertEquals(a.expected(), output.substring(output.indexOf('|') + 1), output);
            workersA.add(between(output, '@', '|'));
        }
        for (String output : b.result()) {
            assertEquals(b.expected() + ",null", between(output, '=', '@'), output);
            assertEquals(b.expected(), output.substring(output.indexOf('|') + 1), output);
            workersB.add(between(output, '@', '|'));
        }
        for (String output : none) {
            assertEquals(NOTHING + ",null", between(output, '=', '@'), output);
            assertEquals(NOTHING, output.substring(output.indexOf('|') + 1), output);
        }
        if (reusesWorkers()) {
            workersA.retainAll(workersB);
            assertFalse(workersA.isEmpty(), () -> "the second run reused a worker of the first: " + workersB);
        }
    }

    private static String between(String s, char from, char to) {
        int start = s.indexOf(from) + 1;
        return s.substring(start, s.indexOf(to, start));
    }

    @Test
    void runsStartedAtOnceFromSeveralThreadsSeeEachTheirOwn() throws Exception {
        Pipeline<Integer, List<String>> p = everyKind().on(executor());
        ExecutorService callers = Executors.newFixedThreadPool(runsAtOnce());
        try {
            List<Future<Request<List<String>>>> runs = IntStream.range(0, runsAtOnce())
                    .mapToObj(i -> callers.submit(
                            () -> inRequest("c" + i, () -> p.toList(8).get(0))))
                    .toList();
            for (Future<Request<List<String>>> run : runs) {
                Request<List<String>> r = run.get();
                assertAllSaw(r.expected(), r.result(), 4);
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void aMultiprocessTaskSeesItInItsWorkerJvm() {
        Pipeline<Integer, String> p = Pipeline.of(
                branch(ContextPropagationContract::numbered),
                task(ContextPropagationContract::again, dev.pyper.Task.multiprocess(), named("elsewhere")));
        Request<List<String>> r = inRequest("m", () -> p.on(executor()).toList(3));
        assertAllSaw(r.expected(), r.result(), 2);
        assertAllSaw(NOTHING, p.on(executor()).toList(3), 2);
    }

    static final List<String> LETTERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A dead-letter sink: called in the caller's JVM (the process executor's policy runs there). */
    static void letter(dev.pyper.DeadLetter letter) {
        LETTERS.add(letter.task() + ":" + seen());
    }

    static boolean odd(String s) {
        return Integer.parseInt(s.substring(0, s.indexOf('='))) % 2 == 1;
    }

    static String failsIfOdd(String s) {
        if (odd(s)) {
            throw new IllegalStateException("odd " + s);
        }
        return s;
    }

    static CompletableFuture<String> failsIfEvenLater(String s) {
        return odd(s)
                ? CompletableFuture.completedFuture(s)
                : CompletableFuture.failedFuture(new IllegalStateException("even " + s));
    }

    @Test
    void deadLetterSinksSeeIt() {
        LETTERS.clear();
        Pipeline<Integer, String> p = Pipeline.of(
                branch(ContextPropagationContract::numbered),
                task(
                        ContextPropagationContract::failsIfOdd,
                        workers(2),
                        named("blocking"),
                        dev.pyper.Task.deadLetters(ContextPropagationContract::letter)),
                async(
                        ContextPropagationContract::failsIfEvenLater,
                        workers(2),
                        named("async"),
                        dev.pyper.Task.deadLetters(ContextPropagationContract::letter)));
        Request<List<String>> r = inRequest("d", () -> p.on(executor()).toList(6));
        assertEquals(List.of(), r.result());
        assertEquals(
                List.of(
                        "async:" + r.expected(),
                        "async:" + r.expected(),
                        "async:" + r.expected(),
                        "blocking:" + r.expected(),
                        "blocking:" + r.expected(),
                        "blocking:" + r.expected()),
                LETTERS.stream().sorted().toList());
    }

    static String inASpan(String s) {
        Span child = TRACER.spanBuilder("work " + s).startSpan();
        child.end();
        return s;
    }

    @Test
    void spansStartedInAFunctionAreChildrenOfTheCallersSpan() {
        if (!functionsRunHere()) {
            return; // their spans go to the worker JVM's SDK; the parent's ids seen there are checked above
        }
        Pipeline<Integer, String> p = Pipeline.of(
                branch(ContextPropagationContract::numbered), task(ContextPropagationContract::inASpan, workers(3)));
        Request<List<String>> r = inRequest("s", () -> p.on(executor()).toList(6));
        assertEquals(6, r.result().size());
        List<SpanData> work = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith("work "))
                .toList();
        assertEquals(6, work.size());
        for (SpanData span : work) {
            assertEquals(r.span().getTraceId(), span.getTraceId());
            assertEquals(r.span().getSpanId(), span.getParentSpanId(), span.getName());
        }
        assertTrue(
                SPANS.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("request s")));
    }
}
