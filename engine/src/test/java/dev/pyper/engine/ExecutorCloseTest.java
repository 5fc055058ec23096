package dev.pyper.engine;

import static dev.pyper.Task.throttle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Closing the executor under a running pipeline ends the run with an error, not a silent, short stream. */
class ExecutorCloseTest {

    @Test
    void aRunCutShortByTheExecutorsCloseFailsItsNextPull() throws Exception {
        PlatformThreadExecutor executor = new PlatformThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        Pipeline<Integer, Integer> p = Task.generator(
                        (Integer n, dev.pyper.Emitter<Integer> out) -> {
                            started.countDown();
                            for (int i = 0; ; i++) {
                                out.emit(i);
                            }
                        },
                        throttle(2))
                .on(executor);
        try (Stream<Integer> outputs = p.stream(0)) {
            Iterator<Integer> it = outputs.iterator();
            assertEquals(0, it.next());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            executor.close();
            PipelineException e = assertThrows(PipelineException.class, () -> {
                while (it.hasNext()) {
                    it.next();
                }
            });
            assertTrue(e.getMessage().contains("executor was closed"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> p.stream(0));
    }
}
