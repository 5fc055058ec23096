package dev.pyper.examples;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pyper.PipelineExecutor;
import dev.pyper.context.PyperTracing;
import dev.pyper.micrometer.MeteredPipeline;
import dev.pyper.micrometer.PyperMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A small HTTP service that runs a Pyper pipeline per request, as a service would: {@code POST
 * /score} with a text answers with its {@link Scoring} total; {@code GET /metrics} shows the
 * pipeline's meters. Per request, the handler
 * <ul>
 *   <li>puts the request's id ({@value #REQUEST_ID_HEADER}, or a new one) in SLF4J's MDC under
 *       {@value #REQUEST_ID};</li>
 *   <li>starts a server span, the child of the caller's span when a W3C {@code traceparent} header
 *       names one, else the root of a new trace, and makes it current;</li>
 *   <li>runs the pipeline, and answers.</li>
 * </ul>
 * Nothing more: {@code pyper-context} (on the class path) carries the MDC and the span into every
 * invocation of the pipeline's functions, on the executor's threads or in its worker JVMs;
 * {@link PyperTracing} adds a {@code pyper.run} span under the request's; {@link PyperMetrics}
 * counts every run into one {@link SimpleMeterRegistry}. Spans go to an in-memory exporter (a
 * real service would configure OTLP).
 */
public final class ScoringService implements AutoCloseable {

    /** The MDC key of the request's id. */
    public static final String REQUEST_ID = "requestId";

    /** The request header that names the request's id, also set on the answer. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** The answer's header that names the request's trace. */
    public static final String TRACE_ID_HEADER = "X-Trace-Id";

    /** The name of the server span of a request. */
    public static final String SPAN_NAME = "POST /score";

    /** The {@code pipeline} tag of the meters. */
    public static final String PIPELINE = "scoring";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

    /** A request's headers (case-insensitive), for OpenTelemetry's W3C propagator, which asks only for the keys it knows. */
    private static final TextMapGetter<Headers> HEADERS =
            (carrier, key) -> carrier == null ? null : carrier.getFirst(key);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry;
    private final Tracer tracer;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineExecutor executor;
    private final MeteredPipeline<String, Scoring.Total> scoring;
    private final ExecutorService handlers;
    private final HttpServer server;
    private final AtomicLong unnamed = new AtomicLong();

    /**
     * Starts the service on an ephemeral port of the loopback address.
     *
     * @param executor the executor of the pipeline's runs; the service closes it
     * @param workers workers of the pipeline's score task
     * @param handlerThreads requests handled at once
     * @throws IOException if the server cannot start
     */
    public ScoringService(PipelineExecutor executor, int workers, int handlerThreads) throws IOException {
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        tracer = openTelemetry.getTracer("dev.pyper.examples");
        this.executor = PyperTracing.create(openTelemetry).trace(executor);
        scoring = PyperMetrics.monitor(registry, Scoring.pipeline(workers).on(this.executor), PIPELINE);
        AtomicLong threads = new AtomicLong();
        handlers = Executors.newFixedThreadPool(
                handlerThreads, r -> new Thread(r, "handler-" + threads.incrementAndGet()));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            handlers.shutdown();
            throw e;
        }
        server.createContext("/score", this::score);
        server.createContext("/metrics", this::metrics);
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * The service's address.
     *
     * @return {@code http://127.0.0.1:<port>/}
     */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + "/");
    }

    /**
     * The registry of the pipeline's meters.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The spans ended so far: a server span per request, a {@code pyper.run} span per run.
     *
     * @return the finished spans
     */
    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    @SuppressWarnings("try") // the MDC entry and the span's scope only need closing
    private void score(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "POST a text to score\n");
                return;
            }
            String given = exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER);
            String requestId = given == null || given.isBlank() ? "req-" + unnamed.incrementAndGet() : given;
            Context caller = openTelemetry
                    .getPropagators()
                    .getTextMapPropagator()
                    .extract(Context.root(), exchange.getRequestHeaders(), HEADERS);
            Span span = tracer.spanBuilder(SPAN_NAME)
                    .setParent(caller)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("request.id", requestId)
                    .startSpan();
            try (MDC.MDCCloseable id = MDC.putCloseable(REQUEST_ID, requestId);
                    Scope current = span.makeCurrent()) {
                String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Scoring.Total total = scoring.toList(text).get(0);
                String traceId = span.getSpanContext().getTraceId();
                LOG.info("answered: {} words, {} points", total.words(), total.points());
                exchange.getResponseHeaders().set(REQUEST_ID_HEADER, requestId);
                exchange.getResponseHeaders().set(TRACE_ID_HEADER, traceId);
                send(
                        exchange,
                        200,
                        String.format(
                                Locale.ROOT,
                                "requestId=%s trace_id=%s words=%d points=%d best=%s%n",
                                requestId,
                                traceId,
                                total.words(),
                                total.points(),
                                total.best()));
            } catch (RuntimeException e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
                LOG.error("request {} failed", requestId, e);
                send(exchange, 500, e + "\n");
            } finally {
                span.end();
            }
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, MetricsText.render(registry));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops the server (requests being handled get 5 s to finish), removes the meters, closes the
     * executor and the OpenTelemetry SDK.
     */
    @Override
    public void close() {
        try {
            server.stop(0);
            handlers.shutdown();
            try {
                if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                    handlers.shutdownNow();
                }
            } catch (InterruptedException e) {
                handlers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        } finally {
            try {
                scoring.close();
                executor.close();
            } finally {
                openTelemetry.close();
            }
        }
    }
}
