package dev.pyper.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.TraceId;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service example on each in-JVM executor and on processes: concurrent requests, each with its
 * own MDC id and trace, and every log line written inside the pipeline's functions shows its own
 * request's id and trace id; the run spans hang under the requests' spans; the pipeline's meters
 * are in the registry and on {@code /metrics}. Every wait is bounded ({@link RequestService#LIMIT}).
 */
class RequestServiceTest {

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "process"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eachLineOfThePipelinesFunctionsShowsItsRequestsIdAndTraceAndTheMetersAreInTheRegistry(String executor)
            throws IOException, InterruptedException {
        boolean processes = executor.equals("process");
        int requests = processes ? 4 : 8; // on processes: 2 runs at once, 4 worker JVMs each
        RequestService.Report report = RequestService.check(executor, requests, processes ? 2 : 4, 2);

        assertEquals(List.of(), report.failures());
        assertEquals(requests, report.requests().size());
        assertEquals(
                requests,
                report.requests().stream()
                        .map(RequestService.Request::traceId)
                        .distinct()
                        .count(),
                "a trace of its own per request");
        long self = ProcessHandle.current().pid();
        int words = 0;
        for (RequestService.Request r : report.requests()) {
            String what = r.toString();
            assertEquals(200, r.status(), what);
            assertTrue(TraceId.isValid(r.traceId()), what);
            if (r.sentTraceId() != null) {
                assertEquals(r.sentTraceId(), r.traceId(), "the trace of its traceparent: " + what);
            }
            assertTrue(r.answer().startsWith("requestId=" + r.requestId() + " trace_id=" + r.traceId() + " "), what);
            assertTrue(r.traced(), "its server span under the caller's, the run's span under it: " + what);

            assertEquals(
                    r.expectedLines(), r.lines().size(), "a line per word, one of tokenize, one of total: " + what);
            for (LogCapture.Line line : r.lines()) {
                assertEquals(r.requestId(), line.requestId(), line.text());
                assertEquals(r.traceId(), line.traceId(), line.text());
                assertFalse(
                        line.pid() == self && line.thread().startsWith("handler-"),
                        "written in the pipeline: " + line.text());
                if (processes) {
                    assertNotEquals(self, line.pid(), "written in a worker JVM: " + line.text());
                }
            }
            assertEquals(
                    r.words().stream().sorted().toList(),
                    r.scoredWords(),
                    "its own words, no other request's: " + what);
            words += r.words().size();
        }
        assertNull(
                report.requests().get(requests - 1).sentTraceId(),
                "the last request sends no traceparent: a new trace");
        assertEquals(List.of(), report.strayLines(), "no line without a request's id");

        for (RequestService.TaskMeters task : report.tasks()) {
            double in = task.task().equals("tokenize") ? requests : words;
            double out = task.task().equals("total") ? requests : words;
            assertEquals(in, task.input(), task.toString());
            assertEquals(out, task.output(), task.toString());
            assertTrue(
                    report.metrics()
                            .contains("pyper_task_input_count{pipeline=\"scoring\",task=\"" + task.task() + "\"} "
                                    + (long) in + "\n"),
                    report.metrics());
        }
        assertEquals(
                List.of("tokenize", "score", "total"),
                report.tasks().stream().map(RequestService.TaskMeters::task).toList());
        assertEquals(requests, report.runs());
        assertTrue(
                report.metrics().contains("pyper_runs_count{pipeline=\"scoring\"} " + requests + "\n"),
                report.metrics());
    }
}
