package dev.pyper.virtual;

import dev.pyper.tck.PublisherVerification;

/** Rule 5.2: the Reactive Streams TCK against pipelines on {@link VirtualThreadExecutor}. */
public class VirtualThreadExecutorPublisherTest extends PublisherVerification {

    /** Made by TestNG. */
    public VirtualThreadExecutorPublisherTest() {
        super(new VirtualThreadExecutor());
    }
}
