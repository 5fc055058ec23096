package dev.pyper.engine;

import dev.pyper.Emitter;
import dev.pyper.spi.TaskSpec;

/**
 * Calls a task's function in this JVM, on the worker's own thread, through
 * {@link TaskSpec#invoke} (rules 2.2 to 2.4). Stateless: one instance serves every worker. Async
 * tasks do not come here: {@link AsyncStage} runs them without a thread per stage.
 */
final class LocalInvoker implements Invoker {

    /** The factory for tasks that run in this JVM. */
    static final InvokerFactory FACTORY = (task, worker) -> new LocalInvoker(task);

    private final TaskSpec task;

    LocalInvoker(TaskSpec task) {
        this.task = task;
    }

    @Override
    public void invoke(Object input, Emitter<Object> out) throws Exception {
        task.invoke(input, out);
    }
}
