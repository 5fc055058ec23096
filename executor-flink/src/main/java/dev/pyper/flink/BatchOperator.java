package dev.pyper.flink;

import dev.pyper.spi.Batching;
import dev.pyper.spi.PolicyClock;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A batch task as a Flink operator of one subtask (rules 10.5 to 10.8): it adds each item to the
 * batch in hand and hands the batch on, as one item, when it is full, when its {@code maxWait}
 * has passed since its first item, and at the end of the input; never empty.
 *
 * <p>Everything but the timer runs on the subtask's thread, which alone touches the batch and
 * Flink's output. The {@code maxWait} timer is set on the JVM's {@link PolicyClock} (rule 10.8:
 * the clock that the in-JVM executors use, which a test replaces on the embedded cluster, and a
 * TaskManager scales with {@value PolicyClock#SCALE_PROPERTY}), not on Flink's processing-time
 * service: when it fires it only puts a mail into the subtask's mailbox, and the mail hands the
 * batch on if it is still the batch the timer was set for ({@code generation}). Back-pressure is
 * Flink's own: while the output waits for a network buffer, the subtask takes no input.
 */
final class BatchOperator extends AbstractStreamOperator<Item>
        implements OneInputStreamOperator<Item, Item>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final transient MailboxExecutor mailbox;
    private final RunRef run;
    private final int index;
    private transient TaskCall call;
    private transient Batching batching;
    private transient List<Object> batch;
    /** The pending {@code maxWait} timer of the batch in hand, or null. */
    private transient Future<?> timer;
    /** Counts the batches handed on: a timer's mail for an earlier batch finds another number and does nothing. */
    private transient long generation;

    private BatchOperator(StreamOperatorParameters<Item> parameters, RunRef run, int index) {
        super(parameters);
        this.mailbox = parameters.getMailboxExecutor();
        this.run = run;
        this.index = index;
    }

    @Override
    public void open() throws Exception {
        super.open();
        call = TaskCall.open(run, index, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1);
        call.reportTo(getRuntimeContext());
        batching = Batching.of(call.task());
        batch = batching.open();
    }

    @Override
    public void processElement(StreamRecord<Item> element) {
        if (!call.batchInput()) {
            return;
        }
        batch.add(element.getValue().value());
        if (batch.size() == batching.size()) {
            handOver();
        } else if (batch.size() == 1 && batching.hasMaxWait()) {
            arm();
        }
    }

    /** Sets the timer of the batch that has just taken its first item. */
    private void arm() {
        long mine = generation;
        timer = PolicyClock.current()
                .schedule(
                        () -> {
                            try {
                                mailbox.execute(
                                        () -> {
                                            if (generation == mine) {
                                                handOver();
                                            }
                                        },
                                        "maxWait of batch task '%s'",
                                        call.task().name());
                            } catch (RejectedExecutionException closing) {
                                // the subtask is closing: its last batch went at the end of the input, or the job is
                                // cancelled
                            }
                        },
                        batching.maxWaitNanos());
    }

    /** Hands the batch in hand on; it is never empty here. */
    private void handOver() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        generation++;
        List<Object> full = batching.seal(batch);
        batch = batching.open();
        output.collect(new StreamRecord<>(call.batchOutput(full)));
    }

    @Override
    public void endInput() {
        if (!batch.isEmpty()) {
            handOver();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (timer != null) {
                timer.cancel(false);
            }
            if (call != null) {
                call.close();
            }
        } finally {
            super.close();
        }
    }

    /** Makes the operator where Flink runs it, with the subtask's mailbox. */
    static final class Factory extends AbstractStreamOperatorFactory<Item>
            implements OneInputStreamOperatorFactory<Item, Item> {

        private static final long serialVersionUID = 1L;

        private final RunRef run;
        private final int index;

        Factory(RunRef run, int index) {
            this.run = run;
            this.index = index;
        }

        @Override
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // Flink's signature, not ours
        public <T extends StreamOperator<Item>> T createStreamOperator(StreamOperatorParameters<Item> parameters) {
            return (T) new BatchOperator(parameters, run, index);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return BatchOperator.class;
        }
    }
}
