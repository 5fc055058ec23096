package dev.pyper.flink;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.tck.Fixtures;
import dev.pyper.tck.Tck;
import java.io.IOException;
import java.io.Serializable;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code multiprocess} tasks on the embedded Flink cluster: their invocations run in worker
 * processes of the process module (section 6), for every kind of task Flink runs in its own way,
 * kept warm between runs and ended by the executor's {@code close()}. The kit's section 6 covers
 * plain and branch tasks, exits and unserializable outputs.
 */
@Timeout(120)
class MultiprocessOnFlinkTest {

    /** A value and the process that computed it. */
    record Where(long value, long pid) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static Where timesTenWhere(int x) {
        return new Where(x * 10L, ProcessHandle.current().pid());
    }

    static Where sumWhere(Stream<Integer> in) {
        return new Where(
                in.mapToLong(Integer::longValue).sum(), ProcessHandle.current().pid());
    }

    @Test
    void orderedAndJoinTasksRunInWorkerProcessesKeptWarmBetweenRunsAndEndedOnClose() throws Exception {
        long me = ProcessHandle.current().pid();
        Set<Long> seen = new HashSet<>();
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(2, 4).build()) {
            // rule 3.3 with three workers in three processes: outputs in input order
            Pipeline<Integer, Where> ordered = Task.branch(Fixtures::range)
                    .pipe(Task.task(MultiprocessOnFlinkTest::timesTenWhere, workers(3), ordered(), multiprocess()));
            List<Where> first = ordered.on(flink).consume(Stream::toList).apply(300);
            assertEquals(
                    IntStream.range(0, 300).mapToObj(x -> x * 10L).toList(),
                    first.stream().map(Where::value).toList());
            Set<Long> firstPids = pids(first);
            assertFalse(firstPids.contains(me), "ran in the caller's process");
            assertTrue(firstPids.size() <= 3, "300 items on 3 workers used " + firstPids.size() + " processes");
            seen.addAll(firstPids);

            // rule 2.4: two join workers each read their share of the stream from their own process
            Pipeline<Integer, Where> join = Task.branch(Fixtures::range)
                    .pipe(Task.join(MultiprocessOnFlinkTest::sumWhere, workers(2), multiprocess()));
            List<Where> sums = join.on(flink).consume(Stream::toList).apply(20_000);
            assertEquals(2, sums.size());
            assertEquals(
                    19_999L * 20_000 / 2, sums.stream().mapToLong(Where::value).sum(), "every item once");
            assertFalse(pids(sums).contains(me));
            seen.addAll(pids(sums));

            // rule 6.2: the next run of the same task takes the warm processes instead of starting new ones
            Set<Long> again = pids(ordered.on(flink).consume(Stream::toList).apply(300));
            assertTrue(seen.containsAll(again), "warm processes " + seen + ", second run " + again);
        }
        for (long pid : seen) {
            Tck.eventually(
                    () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false,
                    "worker process " + pid + " has ended after close()");
        }
    }

    @Test
    void withoutTheProcessModuleAMultiprocessTaskIsRefusedBeforeItStartsNamingTheArtifact() {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        String service = "META-INF/services/" + MultiprocessSupport.class.getName();
        ClassLoader withoutProcesses = new ClassLoader(original) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return service.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
            }
        };
        Thread.currentThread().setContextClassLoader(withoutProcesses);
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(1, 1).build()) {
            assertTrue(flink.unsupportedRules().containsKey("6"), "section 6 declared: " + flink.unsupportedRules());
            Pipeline<Integer, Integer> p = Task.task(Fixtures::addOne, named("isolated"), multiprocess());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> p.on(flink).stream(1).close());
            assertTrue(
                    e.getMessage().contains("'isolated'") && e.getMessage().contains(MultiprocessSupport.ARTIFACT),
                    e.getMessage());
            assertFalse(flink.embeddedCluster().isRunning(), "refused before anything started");
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(1, 1).build()) {
            assertFalse(flink.unsupportedRules().containsKey("6"), "with the process module, section 6 holds");
        }
    }

    private static Set<Long> pids(List<Where> outputs) {
        Set<Long> pids = new HashSet<>();
        outputs.forEach(o -> pids.add(o.pid()));
        return pids;
    }
}
