package dev.pyper.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The executors that {@link PipelineExecutor}'s static methods hand out (rule 2.8): the shared
 * default one refuses {@code close()} and keeps working, {@code create} makes fresh ones that the
 * caller closes, and an unknown name is refused with the names that are available.
 */
class SharedExecutorTest {

    @Test
    void theSharedExecutorRefusesCloseAndKeepsRunningUnboundPipelines() {
        PipelineExecutor shared = PipelineExecutor.shared();
        assertSame(shared, PipelineExecutor.shared(), "one shared executor per JVM");
        assertEquals(
                ThreadExecutor.NAME, shared.name(), "the threads executor has the highest priority on this class path");

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, shared::close);
        assertTrue(
                e.getMessage().contains("PipelineExecutor.create"),
                () -> "the message must point to PipelineExecutor.create: " + e.getMessage());

        Pipeline<Integer, Integer> p = Task.task(x -> x + 1);
        assertEquals(
                List.of(2),
                p.toList(1),
                "a pipeline bound to no executor runs on the shared one after its refused close()");
        assertSame(shared, PipelineExecutor.shared());
    }

    @Test
    void createMakesAFreshExecutorThatTheCallerCloses() {
        PipelineExecutor threads = PipelineExecutor.create(ThreadExecutor.NAME);
        try {
            assertInstanceOf(ThreadExecutor.class, threads);
            assertEquals(ThreadExecutor.NAME, threads.name());
            assertNotSame(PipelineExecutor.shared(), threads);
            PipelineExecutor another = PipelineExecutor.create(ThreadExecutor.NAME);
            another.close();
            assertNotSame(another, threads, "each create() makes a new executor");

            Pipeline<Integer, Integer> p = Task.task(x -> x * 2);
            assertEquals(List.of(42), p.on(threads).toList(21));
        } finally {
            threads.close();
        }
        threads.close(); // idempotent
        Pipeline<Integer, Integer> p = Task.task(x -> x * 2);
        assertThrows(
                IllegalStateException.class,
                () -> p.on(threads).toList(21),
                "a closed executor starts no run (rule 8.7)");
        // closing one's own executor leaves the shared one alone
        assertEquals(List.of(42), p.toList(21));
    }

    @Test
    void createRefusesAnUnknownNameNamingTheAvailableExecutors() {
        List<String> available = PipelineExecutor.available();
        assertTrue(available.contains(ThreadExecutor.NAME), () -> "available: " + available);

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PipelineExecutor.create("nope"));
        assertTrue(
                e.getMessage().contains("'nope'"),
                () -> "the message must name the unknown executor: " + e.getMessage());
        for (String name : available) {
            assertTrue(
                    e.getMessage().contains(name),
                    () -> "the message must name the available executor '" + name + "': " + e.getMessage());
        }
    }
}
