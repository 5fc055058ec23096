package dev.pyper.flink;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
 * A join task as a Flink operator (rule 2.4): each of its {@code workers} subtasks calls the
 * function once, at once, with a stream of the items Flink spreads to that subtask.
 *
 * <p>The function runs on a thread of the subtask's own ({@code pyper-flink-<task>-join-<n>}),
 * since it pulls its input while Flink pushes it. The subtask's thread hands items over through a
 * bounded queue (waiting in Flink's mailbox while it is full, so back-pressure holds) and ends the
 * stream at the end of input; the join thread hands each output back as a mail, run by the
 * subtask's thread, which alone may touch Flink's output. A join that returns early makes the
 * subtask drop the rest of its input quietly (rule 8.3). The subtask finishes only after the
 * join's last mail (its end or its failure); {@link #close()} interrupts the join thread and waits
 * for it, whatever ended the job (rules 4.2, 4.5).
 */
final class JoinOperator extends AbstractStreamOperator<Item>
        implements OneInputStreamOperator<Item, Item>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Object END = new Object();
    /** A {@code null} item in the hand-over queue, which holds no nulls (rule 8.4). */
    private static final Object NULL = new Object();

    private static final int HAND_OVER = 256;

    private final transient MailboxExecutor mailbox;
    private final RunRef run;
    private final int index;
    private transient TaskCall call;
    private transient BlockingQueue<Object> inputs;
    private transient Thread joiner;
    /** Set by the join thread when the function has returned or thrown. */
    private transient volatile boolean joinReturned;
    /** Set by the subtask's thread while it waits for room in the queue. */
    private transient volatile boolean waitingForRoom;
    /** Set by the join's last mail, on the subtask's thread. */
    private transient boolean ended;

    private JoinOperator(StreamOperatorParameters<Item> parameters, RunRef run, int index) {
        super(parameters);
        this.mailbox = parameters.getMailboxExecutor();
        this.run = run;
        this.index = index;
    }

    @Override
    public void open() throws Exception {
        super.open();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        call = TaskCall.open(run, index, subtask + 1);
        call.reportTo(getRuntimeContext());
        inputs = new ArrayBlockingQueue<>(HAND_OVER);
        joiner = Thread.ofPlatform()
                .name("pyper-flink-" + call.task().name() + "-join-" + subtask)
                .daemon(true)
                .start(this::join);
    }

    private void join() {
        TaskFailure failure = null;
        try {
            call.join(stream(), this::emit);
        } catch (TaskFailure thrown) {
            failure = thrown;
        } catch (CancellationException | RejectedExecutionException jobEnding) {
            joinReturned = true; // the job is being cancelled: Flink ends the subtask
            return;
        }
        // before the last mail: a subtask thread waiting for room wakes on that mail and must then see the join gone
        joinReturned = true;
        lastMail(failure);
    }

    private void lastMail(TaskFailure failure) {
        try {
            mailbox.execute(
                    () -> {
                        ended = true;
                        if (failure != null) {
                            throw failure;
                        }
                    },
                    "join of task '%s' ended",
                    call.task().name());
        } catch (RejectedExecutionException jobEnding) {
            // the subtask is already closing
        }
    }

    /** Hands one output of the join to the subtask's thread and waits until it has been passed on. */
    private void emit(Object value) {
        Future<Void> sent;
        try {
            sent = mailbox.submit(() -> output.collect(new StreamRecord<>(call.output(value))), "join output");
        } catch (RejectedExecutionException e) {
            throw new CancellationException("the run was cancelled or has failed");
        }
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the run was cancelled or has failed");
        } catch (ExecutionException e) {
            throw new CancellationException("the job could not take the output: " + e.getCause());
        }
    }

    private Stream<Object> stream() {
        Iterator<Object> items = new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = inputs.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("the run was cancelled or has failed");
                    }
                    if (waitingForRoom) {
                        waitingForRoom = false;
                        try {
                            mailbox.execute(() -> {}, "room in the join's input");
                        } catch (RejectedExecutionException e) {
                            throw new CancellationException("the run was cancelled or has failed");
                        }
                    }
                }
                return next != END;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object item = next;
                next = null;
                return item == NULL ? null : item;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false);
    }

    @Override
    public void processElement(StreamRecord<Item> element) throws Exception {
        Object value = element.getValue().value();
        handOver(value == null ? NULL : value);
    }

    @Override
    public void endInput() throws Exception {
        handOver(END);
        while (!ended) {
            mailbox.yield();
        }
    }

    /** Puts one item in the queue, running mails while it is full; drops it if the join has returned. */
    private void handOver(Object item) throws InterruptedException {
        while (!joinReturned && !inputs.offer(item)) {
            waitingForRoom = true;
            if (inputs.offer(item)) {
                waitingForRoom = false;
                return;
            }
            mailbox.yield();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (joiner != null) {
                joiner.interrupt();
                joiner.join();
            }
        } finally {
            try {
                if (call != null) {
                    call.close(); // after the join thread, which made the invocations through it
                }
            } finally {
                super.close();
            }
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
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // Flink's signature
        public <T extends StreamOperator<Item>> T createStreamOperator(StreamOperatorParameters<Item> parameters) {
            return (T) new JoinOperator(parameters, run, index);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return JoinOperator.class;
        }
    }
}
