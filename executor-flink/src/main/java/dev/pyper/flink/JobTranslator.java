package dev.pyper.flink;

import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Turns a {@link Plan} into a Flink job, one operator per task (section 0: executors see the
 * pipeline as plain data):
 *
 * <ul>
 *   <li>a one-element source starts the producer, which runs once on the run's input (rule 2.1);
 *   <li>a plain, branch or generator task is an operator with parallelism {@code workers}, items
 *       spread round-robin across its subtasks (rules 2.2, 2.3, 2.5);
 *   <li>an {@code ordered()} one with several workers is one subtask running {@code workers}
 *       threads inside Flink's ordered async operator of capacity {@code workers} (rule 3.3);
 *   <li>one with a {@code rate} and several workers is the same, in the unordered async operator
 *       unless it is {@code ordered()}, so that one bucket paces all of its workers on any
 *       cluster (rule 10.1);
 *   <li>a keyed one ({@code byKey}) is the same whatever its workers, with a capacity of
 *       {@code 2 × workers}, in the ordered async operator if it is {@code ordered()}: the
 *       operator's thread claims each input's key in input order, and a free worker takes any
 *       input whose key is free (rules 10.10 to 10.14);
 *   <li>a join is an operator with parallelism {@code workers}, each subtask calling the function
 *       once with its share of the items (rule 2.4);
 *   <li>an async task is Flink's async operator with capacity {@code workers}, ordered or not
 *       (rule 5.1);
 *   <li>a batch task is one subtask that fills lists of items and hands each on as one item
 *       ({@link BatchOperator}, rules 10.5 to 10.8).
 * </ul>
 *
 * <p>Operators are not chained, so that each task runs on threads of its own and tasks overlap
 * as in-JVM executors do (rule 2.9). Every edge carries {@link Item}s.
 */
final class JobTranslator {

    private JobTranslator() {}

    /**
     * Adds the job of {@code plan} to {@code env}.
     *
     * @return the stream of the last task's outputs
     */
    static DataStream<Item> translate(StreamExecutionEnvironment env, Plan plan, RunRef run) {
        DataStream<Item> stream = env.fromData(List.of(Item.of(null)), ItemType.INSTANCE)
                .name("input")
                .setParallelism(1);
        List<TaskSpec> tasks = plan.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            stream = task(stream, tasks.get(i), i, run);
        }
        return stream;
    }

    private static DataStream<Item> task(DataStream<Item> previous, TaskSpec task, int index, RunRef run) {
        DataStream<Item> spread = previous.rebalance();
        SingleOutputStreamOperator<Item> operator;
        if (task.kind().isAsync()) {
            AsyncTaskFunction function = new AsyncTaskFunction(run, index);
            operator = task.ordered()
                    ? AsyncDataStream.orderedWait(spread, function, 0, TimeUnit.MILLISECONDS, task.workers())
                    : AsyncDataStream.unorderedWait(spread, function, 0, TimeUnit.MILLISECONDS, task.workers());
            operator.setParallelism(1);
        } else if (task.kind() == TaskSpec.Kind.BATCH) {
            operator = spread.transform(task.name(), ItemType.INSTANCE, new BatchOperator.Factory(run, index))
                    .setParallelism(1);
        } else if (task.kind().isJoin()) {
            operator = spread.transform(task.name(), ItemType.INSTANCE, new JoinOperator.Factory(run, index))
                    .setParallelism(task.workers());
        } else if (task.ordered() && (task.workers() > 1 || task.keyed())) {
            operator = AsyncDataStream.orderedWait(
                            spread, new OrderedWorkersFunction(run, index), 0, TimeUnit.MILLISECONDS, held(task))
                    .setParallelism(1);
        } else if (task.keyed() || task.failurePolicy().rate() != null && task.workers() > 1) {
            operator = AsyncDataStream.unorderedWait(
                            spread, new OrderedWorkersFunction(run, index), 0, TimeUnit.MILLISECONDS, held(task))
                    .setParallelism(1);
        } else {
            operator = spread.flatMap(new TaskFunction(run, index), ItemType.INSTANCE)
                    .setParallelism(task.workers());
        }
        return operator.returns(ItemType.INSTANCE).name(task.name());
    }

    /**
     * The capacity of a task's async operator: its workers, and for a keyed task twice as many, so
     * that up to {@code workers} inputs can wait for a busy key while every worker runs
     * (rule 10.11).
     */
    private static int held(TaskSpec task) {
        return task.keyed() ? 2 * task.workers() : task.workers();
    }
}
