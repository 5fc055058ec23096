package dev.pyper.threads;

import dev.pyper.tck.PublisherVerification;

/** Rule 5.2: the Reactive Streams TCK against pipelines on {@link ThreadExecutor}. */
public class ThreadExecutorPublisherTest extends PublisherVerification {

    public ThreadExecutorPublisherTest() {
        super(new ThreadExecutor());
    }
}
