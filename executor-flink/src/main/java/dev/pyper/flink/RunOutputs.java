package dev.pyper.flink;

import org.apache.flink.util.CloseableIterator;

/**
 * Where a run's caller pulls the last task's outputs from: the {@link OutputChannel} of an
 * embedded job, or Flink's collect iterator for a remote one.
 */
interface RunOutputs {

    /**
     * The next output, waiting for it.
     *
     * @return the output, or {@link OutputChannel#END} once the job has ended and every output was taken
     * @throws InterruptedException if the caller is interrupted
     */
    Object next() throws InterruptedException;

    /** Stops taking outputs and wakes a waiting {@link #next()}, which then sees the end. */
    void cancel();

    /** The outputs of an embedded job. */
    static RunOutputs of(OutputChannel channel) {
        return new RunOutputs() {
            @Override
            public Object next() throws InterruptedException {
                return channel.take();
            }

            @Override
            public void cancel() {
                channel.cancel();
            }
        };
    }

    /** The outputs of a remote job, fetched by Flink's collect sink. */
    static RunOutputs of(CloseableIterator<Item> collected) {
        return new RunOutputs() {
            @Override
            public Object next() throws InterruptedException {
                boolean more = collected.hasNext();
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while fetching the outputs of a remote job");
                }
                return more ? collected.next().value() : OutputChannel.END;
            }

            @Override
            public void cancel() {
                try {
                    collected.close();
                } catch (Exception e) {
                    // the job is cancelled by the run as well
                }
            }
        };
    }
}
