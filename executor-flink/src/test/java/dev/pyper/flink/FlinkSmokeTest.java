package dev.pyper.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyper.Task;
import dev.pyper.tck.Fixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FlinkSmokeTest {

    @Test
    void runsAPipeline() throws Exception {
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(2, 4).build()) {
            long t0 = System.nanoTime();
            List<Integer> out = Task.branch(Fixtures::createData).pipe(Task.task(Fixtures::times2)).on(flink).consume(Stream::toList).apply(0);
            System.err.println("first run " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + out);
            assertEquals(List.of(2, 4, 6), out);
            t0 = System.nanoTime();
            out = Task.branch(Fixtures::range).pipe(Task.task(Fixtures::addOne).workers(3)).pipe(Task.join(Fixtures::sum)).on(flink).consume(Stream::toList).apply(100);
            System.err.println("second run " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + out);
            assertEquals(List.of(5050), out);
        }
    }
}
