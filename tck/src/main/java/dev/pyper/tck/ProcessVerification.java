package dev.pyper.tck;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Section 6 of the specification: tasks in worker processes ({@code multiprocess}). Runs for an
 * executor that does not declare section 6 unsupported.
 */
public abstract class ProcessVerification extends ExecutorVerification {

    /** For subclasses. */
    protected ProcessVerification() {}

    /** An output that cannot cross to another process. */
    public static final class Unserializable {
        private final int value;

        Unserializable(int value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return "Unserializable(" + value + ")";
        }
    }

    @RuleTest("6.1")
    void rule_6_1_aMultiprocessTaskRunsInAnotherProcess() {
        List<Long> pids = run(Task.branch(Fixtures::range).pipe(Task.task(Fixtures::pid, multiprocess())), 3);
        assertEquals(3, pids.size());
        long me = ProcessHandle.current().pid();
        pids.forEach(pid -> assertTrue(pid != me, "the function saw the caller's own process id " + me));
    }

    @RuleTest("6.2")
    void rule_6_2_workerProcessesAreStartedPerTaskNotPerItem() {
        List<Long> pids =
                run(Task.branch(Fixtures::range).pipe(Task.task(Fixtures::pid, workers(2), multiprocess())), 200);
        Set<Long> distinct = new HashSet<>(pids);
        assertEquals(200, pids.size());
        assertTrue(distinct.size() <= 2, "200 items on 2 workers used " + distinct.size() + " processes");
    }

    @RuleTest("6.3")
    void rule_6_3_inputsOutputsAndBoundArgumentsCrossBySerialization() {
        List<Integer> out = run(
                Task.branch(Fixtures::range)
                        .pipe(Task.task(Task.bind(Fixtures::affine, 3, 1), multiprocess()))
                        .pipe(Task.branch(Fixtures::createData, multiprocess())),
                3);
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10), out);
    }

    @RuleTest("6.3")
    void rule_6_3_anUnserializableOutputFailsNamingItsTypeAndTheTask() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.task(ProcessVerification::unserializable, multiprocess())),
                        2));
        assertMessage(e, "unserializable");
        String everything = e + " " + e.getCause();
        assertTrue(everything.contains(Unserializable.class.getSimpleName()), everything);
    }

    @RuleTest("6.4")
    void rule_6_4_aWorkerProcessThatExitsFailsTheRun() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.task(ProcessVerification::exitOnTwo, workers(2), multiprocess())),
                        10));
        assertMessage(e, "exitOnTwo");
        String everything = String.valueOf(e.getMessage()) + " " + e.getCause();
        assertTrue(everything.contains("3"), "the exit status is named: " + everything);
        assertFalse(e.getMessage().isBlank());
    }

    static Unserializable unserializable(int x) {
        return new Unserializable(x);
    }

    static int exitOnTwo(int x) {
        if (x == 2) {
            System.exit(3);
        }
        return x;
    }
}
