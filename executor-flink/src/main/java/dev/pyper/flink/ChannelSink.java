package dev.pyper.flink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The last operator of an embedded job: one subtask that puts every output of the last task into
 * the run's {@link OutputChannel}, found in the caller's JVM through the {@link RunRef}.
 */
final class ChannelSink implements Sink<Item> {

    private static final long serialVersionUID = 1L;

    private final RunRef run;

    ChannelSink(RunRef run) {
        this.run = run;
    }

    @Override
    public SinkWriter<Item> createWriter(WriterInitContext context) {
        OutputChannel channel = run.resolve().outputs();
        return new SinkWriter<>() {
            @Override
            public void write(Item element, Context context) throws InterruptedException {
                channel.put(element.value());
            }

            @Override
            public void flush(boolean endOfInput) {
                // every put has reached the channel already
            }

            @Override
            public void close() {
                // the channel belongs to the run
            }
        };
    }
}
