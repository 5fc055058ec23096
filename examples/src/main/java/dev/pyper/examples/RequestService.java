package dev.pyper.examples;

import dev.pyper.PipelineExecutor;
import dev.pyper.context.PyperTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a {@link ScoringService} (HTTP handler → pipeline → answer), fires concurrent requests at
 * it, each with its own request id and W3C {@code traceparent} (the last without one: the service
 * starts a new trace), and checks what a service's operator would want to see:
 * <ul>
 *   <li>every request is answered, under its own id and trace;</li>
 *   <li>every log line written inside the pipeline's functions — on the executor's threads, or in
 *       the process executor's worker JVMs — shows the request's {@code requestId} (MDC) and
 *       {@code trace_id} (OpenTelemetry), carried there by {@code pyper-context}; and no line shows
 *       another request's, or none;</li>
 *   <li>each request's server span is the child of the caller's span, and the run's
 *       {@code pyper.run} span ({@link PyperTracing}) a child of it;</li>
 *   <li>the pipeline's meters are in the registry ({@code pyper-micrometer}) and on
 *       {@code GET /metrics}, with the counts the requests make.</li>
 * </ul>
 * It prints a report to standard output (the log lines go to standard error) and exits with 0 only
 * if every check holds.
 *
 * <pre>
 * ./mvnw -q -pl examples -am package -DskipTests -Pdemo -Ddemo.main=dev.pyper.examples.RequestService -Ddemo.args="--executor process"
 * </pre>
 */
@Command(
        name = "request-service",
        mixinStandardHelpOptions = true,
        version = "Pyper examples 0.1.0",
        description =
                "Runs a pipeline per HTTP request and checks that the request's MDC id and trace id reach every log line"
                        + " written in the pipeline's functions, and that the pipeline's meters reach a registry.")
public final class RequestService implements Callable<Integer> {

    /** The words the requests' texts are made of. */
    static final List<String> WORDS = List.of(
            "quartz", "jinx", "fjord", "vex", "nymph", "waltz", "glyph", "sphinx", "quiz", "jumbo", "klutz", "zephyr",
            "oxen", "lynx", "crypt", "pixel", "banjo", "kayak");

    /** The longest wait for all answers, and then for the worker JVMs' log lines. */
    static final Duration LIMIT = Duration.ofSeconds(90);

    @Option(
            names = "--executor",
            paramLabel = "<name>",
            defaultValue = "threads",
            description =
                    "The executor that runs the pipeline: threads, virtual, process, … (default: ${DEFAULT-VALUE}).")
    private String executor;

    @Option(
            names = "--requests",
            paramLabel = "<n>",
            defaultValue = "8",
            description = "Requests fired at once (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(
            names = "--handlers",
            paramLabel = "<n>",
            defaultValue = "4",
            description = "Requests the service handles at once (default: ${DEFAULT-VALUE}).")
    private int handlers;

    @Option(
            names = "--workers",
            paramLabel = "<n>",
            defaultValue = "2",
            description = "Workers of the score task (default: ${DEFAULT-VALUE}).")
    private int workers;

    /**
     * One request and what came of it.
     *
     * @param requestId the id it was sent with
     * @param sentTraceId the trace id of its {@code traceparent}, null if it had none
     * @param text the text it sent
     * @param status the answer's status, 0 if none came
     * @param answer the answer's body, stripped
     * @param traceId the trace id the service answered with ({@value ScoringService#TRACE_ID_HEADER})
     * @param lines the log lines of the pipeline's functions that show this request's id
     * @param traced whether its server span is the child of the caller's span (or a root, when
     *     none was sent) in its trace, and a {@code pyper.run} span the child of it
     */
    public record Request(
            String requestId,
            String sentTraceId,
            String text,
            int status,
            String answer,
            String traceId,
            List<LogCapture.Line> lines,
            boolean traced) {

        /**
         * The text's words, as the pipeline splits it.
         *
         * @return the words
         */
        public List<String> words() {
            return Scoring.words(text);
        }

        /**
         * The log lines its run writes: one per word ({@code score}), one for {@code tokenize}, one for {@code total}.
         *
         * @return how many
         */
        public int expectedLines() {
            return words().size() + 2;
        }

        /**
         * The words named by its {@code score} lines, sorted.
         *
         * @return the words
         */
        public List<String> scoredWords() {
            return lines.stream()
                    .filter(l -> l.message().startsWith("scored '"))
                    .map(l -> l.message()
                            .substring("scored '".length(), l.message().lastIndexOf('\'')))
                    .sorted()
                    .toList();
        }
    }

    /** A request as sent: its id, its traceparent's trace and span (null and the invalid span id for none), its text. */
    private record Sent(String requestId, String traceId, String callerSpanId, String text) {}

    /**
     * A task's meters, read from the registry.
     *
     * @param task the task's name
     * @param input {@code pyper.task.input}
     * @param output {@code pyper.task.output}
     * @param calls the count of {@code pyper.task.calls}
     * @param seconds the total time of {@code pyper.task.calls}
     */
    public record TaskMeters(String task, double input, double output, double calls, double seconds) {}

    /**
     * What the check found.
     *
     * @param executor the executor's name
     * @param uri the service's address
     * @param requests the requests, in the order sent
     * @param strayLines log lines of the pipeline's functions that show no request's id
     * @param tasks the task meters of the pipeline
     * @param runs the count of {@code pyper.runs}
     * @param metrics the text of {@code GET /metrics}
     * @param failures what does not hold, empty if all does
     */
    public record Report(
            String executor,
            URI uri,
            List<Request> requests,
            List<LogCapture.Line> strayLines,
            List<TaskMeters> tasks,
            double runs,
            String metrics,
            List<String> failures) {

        /**
         * Every log line of the pipeline's functions.
         *
         * @return the lines
         */
        public List<LogCapture.Line> lines() {
            List<LogCapture.Line> all = new ArrayList<>(strayLines);
            requests.forEach(r -> all.addAll(r.lines()));
            return all;
        }
    }

    /**
     * Starts the service on {@code executor}, fires {@code requests} requests at it at once, and
     * checks the answers, the log lines, the spans and the meters.
     *
     * @param executor the executor's name
     * @param requests how many requests
     * @param handlers requests the service handles at once
     * @param workers workers of the score task
     * @return what the check found
     * @throws IOException if the service cannot start
     * @throws InterruptedException if interrupted while waiting
     */
    public static Report check(String executor, int requests, int handlers, int workers)
            throws IOException, InterruptedException {
        IdGenerator ids = IdGenerator.random();
        List<String> failures = new ArrayList<>();
        try (LogCapture log = LogCapture.start(Scoring.class);
                ScoringService service = new ScoringService(PipelineExecutor.create(executor), workers, handlers);
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            List<Sent> sent = new ArrayList<>();
            for (int i = 1; i <= requests; i++) {
                String requestId = "r-" + i;
                String text = requestId + " " + words(i);
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                service.uri().resolve("score"))
                        .timeout(LIMIT)
                        .header(ScoringService.REQUEST_ID_HEADER, requestId)
                        .POST(HttpRequest.BodyPublishers.ofString(text));
                String traceId = null;
                String callerSpanId = SpanId.getInvalid();
                if (i < requests || requests == 1) {
                    traceId = ids.generateTraceId();
                    callerSpanId = ids.generateSpanId();
                    request.header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01");
                }
                sent.add(new Sent(requestId, traceId, callerSpanId, text));
                pending.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
            }
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failures.add("not every request was answered within " + LIMIT.toSeconds() + " s: " + e);
            }
            String metrics = get(client, service.uri().resolve("metrics"), failures);

            int expected = sent.stream()
                    .mapToInt(s -> Scoring.words(s.text()).size() + 2)
                    .sum();
            if (!log.await(expected, LIMIT)) {
                failures.add("expected " + expected + " log lines of the pipeline's functions within "
                        + LIMIT.toSeconds() + " s, got " + log.lines().size());
            }
            List<LogCapture.Line> lines = log.lines();
            List<SpanData> spans = service.spans();

            List<Request> done = new ArrayList<>();
            Set<String> known = new LinkedHashSet<>();
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                known.add(s.requestId());
                CompletableFuture<HttpResponse<String>> answer = pending.get(i);
                HttpResponse<String> response =
                        answer.isDone() && !answer.isCompletedExceptionally() ? answer.join() : null;
                String traceId = response == null
                        ? null
                        : response.headers()
                                .firstValue(ScoringService.TRACE_ID_HEADER)
                                .orElse(null);
                List<LogCapture.Line> own = lines.stream()
                        .filter(l -> l.requestId().equals(s.requestId()))
                        .toList();
                done.add(new Request(
                        s.requestId(),
                        s.traceId(),
                        s.text(),
                        response == null ? 0 : response.statusCode(),
                        response == null ? "" : response.body().strip(),
                        traceId,
                        own,
                        traced(spans, s.requestId(), traceId, s.callerSpanId())));
            }
            List<LogCapture.Line> stray =
                    lines.stream().filter(l -> !known.contains(l.requestId())).toList();
            List<TaskMeters> tasks = new ArrayList<>();
            for (String task : List.of("tokenize", "score", "total")) {
                tasks.add(taskMeters(service.registry(), task));
            }
            double runs = service.registry().find("pyper.runs").functionTimers().stream()
                    .mapToDouble(t -> t.count())
                    .sum();
            Report found = new Report(
                    executor, service.uri(), List.copyOf(done), stray, List.copyOf(tasks), runs, metrics, List.of());
            failures.addAll(judge(found));
            return new Report(
                    executor,
                    service.uri(),
                    found.requests(),
                    stray,
                    found.tasks(),
                    runs,
                    metrics,
                    List.copyOf(failures));
        }
    }

    /** The words of request {@code i}'s text: 2 to 5 of {@link #WORDS}. */
    static String words(int i) {
        int n = 2 + i % 4;
        List<String> chosen = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            chosen.add(WORDS.get((i * 3 + k) % WORDS.size()));
        }
        return String.join(" ", chosen);
    }

    private static String get(HttpClient client, URI uri, List<String> failures) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(uri).timeout(LIMIT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failures.add("GET " + uri + ": " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            failures.add("GET " + uri + ": " + e);
            return "";
        }
    }

    /** Whether the request's server span is in its trace under the caller's span, and a run span under it. */
    private static boolean traced(List<SpanData> spans, String requestId, String traceId, String callerSpanId) {
        SpanData server = spans.stream()
                .filter(s -> s.getName().equals(ScoringService.SPAN_NAME)
                        && s.getKind() == SpanKind.SERVER
                        && requestId.equals(s.getAttributes()
                                .get(io.opentelemetry.api.common.AttributeKey.stringKey("request.id"))))
                .findFirst()
                .orElse(null);
        if (server == null
                || !server.getTraceId().equals(traceId)
                || !server.getParentSpanId().equals(callerSpanId)) {
            return false;
        }
        return spans.stream()
                .anyMatch(s -> s.getName().equals(PyperTracing.RUN_SPAN)
                        && s.getTraceId().equals(traceId)
                        && s.getParentSpanId().equals(server.getSpanId()));
    }

    private static TaskMeters taskMeters(MeterRegistry registry, String task) {
        var input = registry.find("pyper.task.input").tag("task", task).functionCounter();
        var output = registry.find("pyper.task.output").tag("task", task).functionCounter();
        var calls = registry.find("pyper.task.calls").tag("task", task).functionTimer();
        return new TaskMeters(
                task,
                input == null ? -1 : input.count(),
                output == null ? -1 : output.count(),
                calls == null ? -1 : calls.count(),
                calls == null ? -1 : calls.totalTime(TimeUnit.SECONDS));
    }

    /** What does not hold in the report. */
    private static List<String> judge(Report report) {
        List<String> failures = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        int words = 0;
        for (Request r : report.requests()) {
            words += r.words().size();
            String expectedTrace = r.sentTraceId() != null ? r.sentTraceId() : r.traceId();
            if (r.status() != 200
                    || expectedTrace == null
                    || !TraceId.isValid(expectedTrace)
                    || !expectedTrace.equals(r.traceId())
                    || !r.answer().startsWith("requestId=" + r.requestId() + " trace_id=" + expectedTrace + " ")) {
                failures.add(r.requestId() + ": not answered under its id and trace: " + r.status() + " " + r.answer());
            }
            if (r.lines().size() != r.expectedLines()) {
                failures.add(r.requestId() + ": " + r.lines().size() + " log lines show its id, expected "
                        + r.expectedLines());
            }
            for (LogCapture.Line line : r.lines()) {
                if (!line.traceId().equals(expectedTrace)) {
                    failures.add(r.requestId() + ": a line shows another trace: " + line.text());
                }
                boolean inPipeline = line.pid() != self || !line.thread().startsWith("handler-");
                if (!inPipeline) {
                    failures.add(r.requestId() + ": a line written by the handler's thread, not the pipeline's: "
                            + line.text());
                }
            }
            if (!r.scoredWords().equals(r.words().stream().sorted().toList())) {
                failures.add(r.requestId() + ": the score lines that show its id name " + r.scoredWords()
                        + ", its words are " + r.words());
            }
            if (!r.traced()) {
                failures.add(r.requestId() + ": its server span is not the caller's child, or has no pyper.run child");
            }
        }
        for (LogCapture.Line line : report.strayLines()) {
            failures.add("a line that shows no request's id: " + line.text());
        }
        int n = report.requests().size();
        Map<String, double[]> expected = new HashMap<>();
        expected.put("tokenize", new double[] {n, words, n});
        expected.put("score", new double[] {words, words, words});
        expected.put("total", new double[] {words, n, n});
        for (TaskMeters t : report.tasks()) {
            double[] e = expected.get(t.task());
            if (t.input() != e[0] || t.output() != e[1] || t.calls() != e[2]) {
                failures.add("meters of task " + t.task() + ": " + t + ", expected input " + e[0] + ", output " + e[1]
                        + ", calls " + e[2]);
            }
            String line = "pyper_task_input_count{pipeline=\"" + ScoringService.PIPELINE + "\",task=\"" + t.task()
                    + "\"} " + (long) e[0];
            if (!report.metrics().lines().toList().contains(line)) {
                failures.add("GET /metrics has no line " + line);
            }
        }
        if (report.runs() != n) {
            failures.add("pyper.runs counts " + report.runs() + " runs, expected " + n);
        }
        return failures;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Report report = check(executor, requests, handlers, workers);
        PrintStream out = System.out;
        long self = ProcessHandle.current().pid();
        out.printf(
                Locale.ROOT,
                "RequestService on %s, executor '%s': %d requests at once, %d handled at once, %d score workers%n",
                report.uri(),
                report.executor(),
                report.requests().size(),
                handlers,
                workers);
        for (Request r : report.requests()) {
            long good = r.lines().stream()
                    .filter(l -> l.traceId().equals(r.traceId()))
                    .count();
            out.printf(
                    Locale.ROOT,
                    "  %-4s %d %s%s%n",
                    r.requestId(),
                    r.status(),
                    r.answer(),
                    r.sentTraceId() == null ? "  (sent no traceparent: a new trace)" : "");
            out.printf(
                    Locale.ROOT,
                    "       log lines of the pipeline's functions with requestId=%s: %d of %d, %d of them with its trace_id%n",
                    r.requestId(),
                    r.lines().size(),
                    r.expectedLines(),
                    good);
        }
        List<LogCapture.Line> lines = report.lines();
        Set<Long> workerJvms =
                lines.stream().map(LogCapture.Line::pid).filter(p -> p != self).collect(Collectors.toSet());
        String threads = lines.stream()
                .filter(l -> l.pid() == self)
                .map(LogCapture.Line::thread)
                .distinct()
                .sorted()
                .collect(Collectors.joining(", "));
        String where = workerJvms.isEmpty()
                ? "threads " + threads
                : workerJvms.size() + " worker JVMs"
                        + (threads.isEmpty() ? "" : " and threads " + threads + " of this JVM");
        out.printf(
                Locale.ROOT,
                "log lines written in the pipeline's functions: %d, on %s; %d show no request's id%n",
                lines.size(),
                where,
                report.strayLines().size());
        out.printf(
                Locale.ROOT,
                "spans: each request's server span under its caller's span, its pyper.run span under it: %s%n",
                report.requests().stream().allMatch(Request::traced) ? "yes" : "NO");
        out.printf(
                Locale.ROOT,
                "meters in the registry (GET /metrics: %d lines):%n",
                report.metrics().lines().count());
        out.printf(Locale.ROOT, "  %-9s %6s %7s %6s %17s%n", "task", "input", "output", "calls", "seconds in calls");
        for (TaskMeters t : report.tasks()) {
            out.printf(
                    Locale.ROOT,
                    "  %-9s %6.0f %7.0f %6.0f %17.3f%n",
                    t.task(),
                    t.input(),
                    t.output(),
                    t.calls(),
                    t.seconds());
        }
        out.printf(Locale.ROOT, "  runs: %.0f; of GET /metrics:%n", report.runs());
        report.metrics()
                .lines()
                .filter(l -> l.startsWith("pyper_runs_count")
                        || l.contains("task=\"score\"")
                                && (l.startsWith("pyper_task_input_count") || l.startsWith("pyper_task_calls_")))
                .forEach(l -> out.println("  " + l));
        for (String failure : report.failures()) {
            out.println("FAILED: " + failure);
        }
        out.println(
                report.failures().isEmpty()
                        ? "every check holds"
                        : report.failures().size() + " check(s) failed");
        return report.failures().isEmpty() ? 0 : 1;
    }

    /**
     * Runs the check.
     *
     * @param args {@code --executor <name>}, {@code --requests <n>}, {@code --handlers <n>}, {@code --workers <n>}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RequestService()).execute(args));
    }
}
