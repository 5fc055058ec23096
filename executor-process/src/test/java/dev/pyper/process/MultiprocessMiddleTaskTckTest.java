package dev.pyper.process;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.threads.ThreadExecutor;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit against a threads pipeline with a {@code multiprocess} task in the middle:
 * every plan of the kit with three tasks or more runs on the threads executor with its middle task
 * moved to worker processes, where that task can go there unchanged.
 *
 * <p>A task can go when its function can be serialized: a method reference such as
 * {@code Fixtures::addOne}, or a lambda that captures only the kit's shared-memory fixtures
 * ({@code SharedLatch}, {@code SharedCounter}, …), which watch it in the worker process as well.
 * The few plans whose middle function cannot cross run as they are, and so do those whose middle
 * task is a batch, which calls no function (rule 10.9). The kit's own section 6 marks
 * its tasks {@code multiprocess} itself.
 */
@ExtendWith(ManyWorkerJvms.class)
class MultiprocessMiddleTaskTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new MiddleTaskInProcess(new ThreadExecutor());
    }

    /** A threads executor that marks the middle task of each plan {@code multiprocess}, where its function can cross. */
    static final class MiddleTaskInProcess implements PipelineExecutor {
        private final ThreadExecutor threads;

        MiddleTaskInProcess(ThreadExecutor threads) {
            this.threads = threads;
        }

        @Override
        public String name() {
            return threads.name();
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            List<TaskSpec> tasks = new ArrayList<>(plan.tasks());
            if (tasks.size() >= 3) {
                int middle = tasks.size() / 2;
                TaskSpec task = tasks.get(middle);
                if (!task.kind().isAsync() && task.kind() != TaskSpec.Kind.BATCH && serializable(task.function())) {
                    tasks.set(middle, task.with(task.name(), task.workers(), task.throttle(), true, task.ordered()));
                }
            }
            return threads.start(new Plan(tasks), input);
        }

        @Override
        public Map<String, String> unsupportedRules() {
            return threads.unsupportedRules();
        }

        @Override
        public void close() {
            threads.close();
        }

        private static boolean serializable(Object function) {
            try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                out.writeObject(function);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
