package dev.pyper.context;

import static dev.pyper.Task.async;
import static dev.pyper.Task.branch;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.join;
import static dev.pyper.Task.named;
import static dev.pyper.Task.skipFailures;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link PyperTracing}: a span per run with its shape and totals, failure and cancellation events, sampled invocation spans. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    private final Tracer tracer = otel.getTracer("test");
    private final PipelineExecutor threads = PipelineExecutor.create("threads");
    private PipelineExecutor process;

    @AfterAll
    void close() {
        threads.close();
        if (process != null) {
            process.close();
        }
        otel.close();
    }

    @BeforeEach
    void reset() {
        spans.reset();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static int square(int x) {
        return x * x;
    }

    static int sum(Stream<Integer> xs) {
        return xs.mapToInt(Integer::intValue).sum();
    }

    private Pipeline<Integer, Integer> squares() {
        return Pipeline.of(
                branch(TracingTest::range, named("numbers")),
                task(TracingTest::square, workers(2), named("square")),
                join(TracingTest::sum, named("sum")));
    }

    private SpanData only(String name) {
        List<SpanData> found = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertEquals(1, found.size(), () -> name + " in " + spans.getFinishedSpanItems());
        return found.get(0);
    }

    @Test
    @SuppressWarnings("try")
    void aRunHasASpanWithItsShapeAndTotalsUnderTheCallersSpan() {
        Span request = tracer.spanBuilder("request").startSpan();
        try (Scope scope = request.makeCurrent()) {
            assertEquals(
                    List.of(285),
                    squares().on(PyperTracing.create(otel).trace(threads)).toList(10));
        } finally {
            request.end();
        }
        SpanData run = only(PyperTracing.RUN_SPAN);
        assertEquals(request.getSpanContext().getSpanId(), run.getParentSpanId());
        assertEquals("[numbers | square | sum]", run.getAttributes().get(AttributeKey.stringKey("pyper.pipeline")));
        assertEquals("threads", run.getAttributes().get(AttributeKey.stringKey("pyper.executor")));
        assertEquals(
                List.of("numbers", "square", "sum"),
                run.getAttributes().get(AttributeKey.stringArrayKey("pyper.tasks")));
        assertEquals(
                List.of("BRANCH", "TASK", "JOIN"),
                run.getAttributes().get(AttributeKey.stringArrayKey("pyper.task.kinds")));
        assertEquals(List.of(1L, 2L, 1L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.workers")));
        assertEquals(List.of(1L, 10L, 10L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.items_in")));
        assertEquals(List.of(10L, 10L, 1L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.items_out")));
        assertEquals(List.of(0L, 0L, 0L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.failed")));
        assertEquals(1L, run.getAttributes().get(AttributeKey.longKey("pyper.outputs")));
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
        assertTrue(run.getEvents().isEmpty(), () -> run.getEvents().toString());
    }

    @Test
    void spansOfTheFunctionsAreChildrenOfTheRunsSpan() {
        Tracer mine = tracer;
        Pipeline<Integer, String> p = Pipeline.of(
                branch(TracingTest::range),
                task(
                        x -> {
                            mine.spanBuilder("work").startSpan().end();
                            return Span.current().getSpanContext().getSpanId();
                        },
                        workers(3)));
        List<String> parents = p.on(PyperTracing.create(otel).trace(threads)).toList(6);
        SpanData run = only(PyperTracing.RUN_SPAN);
        assertEquals(SpanContext.getInvalid().getSpanId(), run.getParentSpanId(), "a root span: no caller's span");
        assertTrue(parents.stream().allMatch(run.getSpanId()::equals), parents::toString);
        List<SpanData> work = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("work"))
                .toList();
        assertEquals(6, work.size());
        assertTrue(work.stream().allMatch(s -> s.getParentSpanId().equals(run.getSpanId())));
    }

    static int failOnThree(int x) {
        if (x == 3) {
            throw new IllegalArgumentException("three");
        }
        return x;
    }

    @Test
    void aFailedRunRecordsItsFailureAndErrorStatus() {
        Pipeline<Integer, Integer> p =
                Pipeline.of(branch(TracingTest::range), task(TracingTest::failOnThree, named("check")));
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> p.on(PyperTracing.create(otel).trace(threads)).toList(5));
        SpanData run = only(PyperTracing.RUN_SPAN);
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertEquals(e.getMessage(), run.getStatus().getDescription());
        EventData exception = run.getEvents().stream()
                .filter(ev -> ev.getName().equals("exception"))
                .findFirst()
                .orElseThrow();
        assertEquals("check", exception.getAttributes().get(AttributeKey.stringKey("pyper.task")));
        assertEquals(
                IllegalArgumentException.class.getName(),
                exception.getAttributes().get(AttributeKey.stringKey("exception.type")));
        assertEquals(List.of(0L, 1L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.failed")));
    }

    @Test
    void skippedInputsAreCountedNotFailed() {
        Pipeline<Integer, Integer> p =
                Pipeline.of(branch(TracingTest::range), task(TracingTest::failOnThree, skipFailures()));
        assertEquals(4, p.on(PyperTracing.create(otel).trace(threads)).toList(5).size());
        SpanData run = only(PyperTracing.RUN_SPAN);
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
        assertEquals(List.of(0L, 1L), run.getAttributes().get(AttributeKey.longArrayKey("pyper.task.skipped")));
    }

    @Test
    void aRunClosedBeforeItsEndHasACancellationEvent() {
        Pipeline<Integer, Integer> p = Pipeline.of(branch(TracingTest::range), task(TracingTest::square));
        try (Stream<Integer> outputs = p.on(PyperTracing.create(otel).trace(threads)).stream(1_000)) {
            assertEquals(0, outputs.findFirst().orElseThrow());
        }
        SpanData run = only(PyperTracing.RUN_SPAN);
        EventData cancelled = run.getEvents().stream()
                .filter(ev -> ev.getName().equals(PyperTracing.CANCELLED_EVENT))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.getEvents().toString()));
        assertEquals("closed before its end", cancelled.getAttributes().get(AttributeKey.stringKey("pyper.reason")));
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
    }

    static void twice(int x, dev.pyper.Emitter<Integer> out) {
        out.emit(x);
        out.emit(x);
    }

    static CompletableFuture<Integer> later(int x) {
        return CompletableFuture.supplyAsync(() -> x + 1);
    }

    @Test
    void invocationSpansOnlyForTheTasksAskedFor() {
        Pipeline<Integer, Integer> p = Pipeline.of(
                branch(TracingTest::range, named("numbers")),
                task(TracingTest::square, workers(2), named("square")),
                generator(TracingTest::twice, named("twice")),
                async(TracingTest::later, workers(4), named("later")));
        PyperTracing tracing = PyperTracing.create(otel)
                .invocationSpans("square", 1)
                .invocationSpans("later", 1)
                .invocationSpans("twice", 1);
        assertEquals(16, p.on(tracing.trace(threads)).toList(8).size());
        SpanData run = only(PyperTracing.RUN_SPAN);
        for (String task : List.of("square", "twice", "later")) {
            List<SpanData> calls = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(PyperTracing.INVOCATION_SPAN + " " + task))
                    .toList();
            assertEquals(task.equals("later") ? 16 : 8, calls.size(), task);
            for (SpanData call : calls) {
                assertEquals(run.getSpanId(), call.getParentSpanId());
                assertEquals(task, call.getAttributes().get(AttributeKey.stringKey("pyper.task")));
            }
        }
        assertTrue(
                spans.getFinishedSpanItems().stream().noneMatch(s -> s.getName().endsWith(" numbers")));
    }

    @Test
    void invocationSpansAreSampled() {
        Pipeline<Integer, Integer> p =
                Pipeline.of(branch(TracingTest::range), task(TracingTest::square, named("square")));
        p.on(PyperTracing.create(otel).invocationSpans("square", 0.5).trace(threads))
                .toList(400);
        long calls = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().endsWith(" square"))
                .count();
        assertTrue(calls > 100 && calls < 300, () -> calls + " of 400 invocations with a span at a ratio of 0.5");
    }

    @Test
    void aFailedInvocationsSpanRecordsWhatItThrew() {
        Pipeline<Integer, Integer> p =
                Pipeline.of(branch(TracingTest::range), task(TracingTest::failOnThree, named("check")));
        assertThrows(
                PipelineException.class,
                () -> p.on(PyperTracing.create(otel).invocationSpans("check", 1).trace(threads))
                        .toList(5));
        SpanData failed = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().endsWith(" check") && s.getStatus().getStatusCode() == StatusCode.ERROR)
                .findFirst()
                .orElseThrow();
        assertTrue(failed.getEvents().stream().anyMatch(ev -> ev.getName().equals("exception")));
    }

    static String seenInWorker(int x) {
        SpanContext span = Span.current().getSpanContext();
        return span.getTraceId() + "/" + span.getSpanId();
    }

    @Test
    void inAWorkerJvmTheRunsSpanIsTheParent() {
        if (process == null) {
            process = PipelineExecutor.create("process");
        }
        Pipeline<Integer, String> p = Pipeline.of(branch(TracingTest::range), task(TracingTest::seenInWorker));
        List<String> seen = p.on(PyperTracing.create(otel).trace(process)).toList(3);
        SpanData run = only(PyperTracing.RUN_SPAN);
        assertEquals(List.of("process"), List.of(run.getAttributes().get(AttributeKey.stringKey("pyper.executor"))));
        assertTrue(seen.stream().allMatch((run.getTraceId() + "/" + run.getSpanId())::equals), seen::toString);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PyperTracing.create(null));
        assertThrows(
                IllegalArgumentException.class, () -> PyperTracing.create(otel).invocationSpans(" ", 1));
        assertThrows(
                IllegalArgumentException.class, () -> PyperTracing.create(otel).invocationSpans("t", 0));
        assertThrows(
                IllegalArgumentException.class, () -> PyperTracing.create(otel).invocationSpans("t", 1.5));
        assertThrows(
                IllegalArgumentException.class, () -> PyperTracing.create(otel).trace(null));
        PipelineExecutor traced = PyperTracing.create(otel).trace(threads);
        assertEquals("threads", traced.name());
        assertInstanceOf(PipelineExecutor.class, traced);
        assertFalse(traced.toString().isEmpty());
    }
}
