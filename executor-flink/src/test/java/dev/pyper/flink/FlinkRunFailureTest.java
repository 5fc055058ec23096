package dev.pyper.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ProgramInvocationException;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

/**
 * The message of a job's failure that is no task's, such as a lost TaskManager's: what made the
 * job fail, below the wrappers through which a remote client gets it, with its causes (what
 * {@code TaskManagerLossTest} sees on a real cluster, where any of these levels may be the one
 * that names the TaskManager).
 */
class FlinkRunFailureTest {

    private static Throwable asTheClientGetsIt(Throwable failure) {
        JobExecutionException execution = new JobExecutionException(
                new JobID(),
                "Job execution failed.",
                new JobException(
                        "Recovery is suppressed by NoRestartBackoffTimeStrategy", new SerializedThrowable(failure)));
        return new CompletionException(new ProgramInvocationException("Job failed (JobID: 1)", execution));
    }

    @Test
    void aLostTaskManagerIsNamedWhereverFlinkNamesIt() {
        Throwable lost = new IOException(
                "Lost connection to task manager '127.0.0.1/127.0.0.1:4711 [ taskmanager-2 ] '.",
                new IOException("recvAddress(..) failed: Connection reset by peer"));
        assertEquals(
                "java.io.IOException: Lost connection to task manager '127.0.0.1/127.0.0.1:4711 [ taskmanager-2 ] '.;"
                        + " caused by java.io.IOException: recvAddress(..) failed: Connection reset by peer",
                FlinkRun.describe(asTheClientGetsIt(lost)));
        assertEquals(
                "java.lang.IllegalStateException: TaskManager with id taskmanager-2 is no longer reachable.",
                FlinkRun.describe(asTheClientGetsIt(
                        new IllegalStateException("TaskManager with id taskmanager-2 is no longer reachable."))));
    }

    @Test
    void aWrapperThatRepeatsItsCauseIsLeftOutAndAFailureWithoutWrappersIsShownWhole() {
        IOException root = new IOException("disk full");
        assertEquals(
                "java.io.IOException: disk full", FlinkRun.describe(asTheClientGetsIt(new RuntimeException(root))));
        assertEquals(
                "java.lang.IllegalStateException: no slots", FlinkRun.describe(new IllegalStateException("no slots")));
    }
}
