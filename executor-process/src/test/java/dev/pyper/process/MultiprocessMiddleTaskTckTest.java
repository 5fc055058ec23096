package dev.pyper.process;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.threads.ThreadExecutor;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance kit against a threads pipeline with a {@code multiprocess} task in the middle:
 * every plan of the kit with three tasks or more runs on the threads executor with its middle task
 * moved to worker processes, where that task can go there unchanged.
 *
 * <p>A task can go unchanged when its function is a lambda or method reference that captures
 * nothing (such as {@code Fixtures::addOne}): one that captures a latch or a counter of the test
 * would only move a copy of it, and the test would then watch the wrong object. Such plans run as
 * they are. The kit's own section 6 marks its tasks {@code multiprocess} itself.
 */
class MultiprocessMiddleTaskTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new MiddleTaskInProcess(new ThreadExecutor());
    }

    /** A threads executor that marks the middle task of each plan {@code multiprocess}, where it can. */
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
                if (!task.kind().isAsync() && capturesNothing(task.function())) {
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

        private static boolean capturesNothing(Object function) {
            try {
                Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                return writeReplace.invoke(function) instanceof SerializedLambda lambda && lambda.getCapturedArgCount() == 0;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }
}
