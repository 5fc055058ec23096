package dev.pyper.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.threads.ThreadExecutor;
import java.util.Iterator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Plain regression tests, one per bug that the model suite (or writing it) found, each named
 * after what went wrong. A test of a bug that is not fixed yet is disabled with the reason, and
 * the bug is reported to the engine's owner.
 */
class FoundByTheModelTest {

    /**
     * Closing the executor while a run is going cancels the run (PipelineExecutor.close), and the
     * caller's stream then ended normally, as if the pipeline had produced everything: 1 of 1,000
     * outputs read, then {@code hasNext()} false. A run ended for the executor's own reason must
     * end with a {@code PipelineException} (its Javadoc; rule 8.7 says so of the caller's close).
     */
    @Test
    @Disabled("engine bug reported to the lead: RunHandle.outcome() returns null for a run cancelled by Engine.close()")
    void aRunCancelledByClosingTheExecutorEndedAsIfComplete() {
        ThreadExecutor executor = new ThreadExecutor();
        Pipeline<Integer, Integer> pipeline = Task.<Integer, Integer>branch((Integer n) -> IntStream.range(0, n).boxed().toList())
                .throttle(1)
                .pipe(Task.task((Integer x) -> x + 1).throttle(1))
                .on(executor);
        try (Stream<Integer> outputs = pipeline.stream(1_000)) {
            Iterator<Integer> it = outputs.iterator();
            assertTrue(it.hasNext());
            it.next(); // throttle(1) everywhere: the run cannot have produced its 1,000 outputs yet (rule 2.6)
            executor.close();
            assertThrows(PipelineException.class, () -> {
                while (it.hasNext()) {
                    it.next();
                }
            }, "the rest of a run cancelled by the executor's close()");
        } finally {
            executor.close();
        }
    }
}
