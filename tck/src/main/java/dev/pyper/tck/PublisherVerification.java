package dev.pyper.tck;

import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;

/**
 * Rule 5.2: {@code Pipeline.publisher} checked by the Reactive Streams TCK's
 * {@link FlowPublisherVerification} on the executor under test. It is TestNG-based: run it on the
 * JUnit Platform with {@code org.junit.support:testng-engine} as a test dependency.
 *
 * <pre>{@code
 * public class MyExecutorPublisherTest extends PublisherVerification {
 *     public MyExecutorPublisherTest() {
 *         super(new MyExecutor());
 *     }
 * }
 * }</pre>
 *
 * <p>Its results appear in the executor's conformance report under rule 5.2
 * ({@link ConformanceReportListener}).
 *
 * <p>Optional rules skipped by the Reactive Streams TCK itself, and why: §1.10 and §2.12 concern
 * subscribers; none of the publisher's optional rules is declined by the pipeline publisher.
 */
public abstract class PublisherVerification extends FlowPublisherVerification<Long> {

    private static final long DEFAULT_TIMEOUT_MILLIS = 500;
    private static final long NO_SIGNALS_TIMEOUT_MILLIS = 100;

    private final PipelineExecutor executor;

    /**
     * @param executor the executor under test; closed after the class's tests
     */
    protected PublisherVerification(PipelineExecutor executor) {
        super(new TestEnvironment(
                (long) (DEFAULT_TIMEOUT_MILLIS * Tck.scale()), (long) (NO_SIGNALS_TIMEOUT_MILLIS * Tck.scale())));
        this.executor = executor;
        ConformanceReport.recordPublisher(getClass(), executor); // its results go to the executor's conformance report
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Task.generator((Long n, Emitter<Long> out) -> {
                    for (long i = 0; i < n; i++) {
                        out.emit(i);
                    }
                })
                .pipe(Task.task((Long x) -> x + 1, workers(2), ordered()))
                .on(executor)
                .publisher(elements);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        // a producer with two workers is refused before any function runs (rule 1.4)
        return Task.task((Long x) -> x, workers(2)).on(executor).publisher(0L);
    }

    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }

    @AfterClass
    public void closeExecutor() {
        executor.close();
    }
}
