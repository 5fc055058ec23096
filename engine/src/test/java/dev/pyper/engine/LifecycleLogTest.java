package dev.pyper.engine;

import static dev.pyper.Task.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a run logs (rule 8.6): a failure as one WARN line naming the task and the input, its stack only at DEBUG. */
class LifecycleLogTest {

    private final PlatformThreadExecutor executor = new PlatformThreadExecutor();
    private final Logger log = (Logger) LoggerFactory.getLogger(RunHandle.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void listen() {
        levelBefore = log.getLevel();
        log.setLevel(Level.DEBUG);
        events.start();
        log.addAppender(events);
    }

    @AfterEach
    void stop() {
        log.detachAppender(events);
        log.setLevel(levelBefore);
        executor.close();
    }

    @Test
    void aFailureIsOneWarnLineWithTheTaskTheInputAndTheException() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("numbers"))
                .pipe(Task.task(
                        x -> {
                            if (x == 7) {
                                throw new IllegalStateException("seven is not allowed");
                            }
                            return x;
                        },
                        named("picky")))
                .on(executor);
        assertThrows(PipelineException.class, () -> p.consume(Stream::toList).apply(10));
        List<ILoggingEvent> warnings =
                events.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        ILoggingEvent warning = warnings.get(0);
        String line = warning.getFormattedMessage();
        assertTrue(
                line.contains("task 'picky' failed on input 7")
                        && line.contains("java.lang.IllegalStateException: seven is not allowed"),
                line);
        assertTrue(!line.contains("{}") && !line.contains("\n"), line);
        assertNull(warning.getThrowableProxy(), "the stack goes to DEBUG, not to the warning");
        assertTrue(
                events.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG && e.getThrowableProxy() != null),
                "the failure's stack at DEBUG");
    }
}
