package dev.pyper.tck.reference;

import dev.pyper.tck.PublisherVerification;

/** Rule 5.2: the Reactive Streams TCK against pipelines on the {@link ReferenceExecutor}. */
public class ReferencePublisherTest extends PublisherVerification {

    /** The TCK's TestNG runner makes it. */
    public ReferencePublisherTest() {
        super(new ReferenceExecutor());
    }
}
