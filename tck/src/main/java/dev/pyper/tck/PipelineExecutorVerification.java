package dev.pyper.tck;

import dev.pyper.PipelineExecutor;
import org.junit.jupiter.api.Nested;

/**
 * The whole conformance kit in one class: extend it, make the executor under test, and every rule
 * of sections 1 to 6 and 8 to 10 is checked against it, each test named after its rule
 * ({@code rule_2_6_throttlePausesTheProducerWhenTheNextTaskIsBlocked}).
 *
 * <pre>{@code
 * class MyExecutorTckTest extends PipelineExecutorVerification {
 *     @Override
 *     protected PipelineExecutor createExecutor() {
 *         return new MyExecutor();
 *     }
 * }
 * }</pre>
 *
 * <p>The executor's {@link PipelineExecutor#unsupportedRules()} declares what it cannot do
 * (rule 7.2); those tests are reported as skipped with its reason. Every test checks the leak rule
 * (4.5) when it ends. {@code -Dtck.repeat=N} runs each test N times;
 * {@code -Dpyper.tck.timeoutScale=S} scales every timeout. When the tests have run, the executor's
 * conformance report is in {@code target/pyper-tck} ({@link ConformanceReportListener}).
 */
public abstract class PipelineExecutorVerification {

    /** For subclasses. */
    protected PipelineExecutorVerification() {}

    /**
     * Makes the executor under test: a new one for each test, closed by the kit afterwards.
     *
     * @return a new executor
     */
    protected abstract PipelineExecutor createExecutor();

    /** Section 1: building pipelines. */
    @Nested
    class Construction extends ConstructionVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 2: running. */
    @Nested
    class Running extends RunningVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 3: ordering. */
    @Nested
    class Ordering extends OrderingVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 4: errors and cancellation. */
    @Nested
    class Errors extends ErrorsVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 5: async tasks. */
    @Nested
    class Async extends AsyncVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 6: processes. */
    @Nested
    class Processes extends ProcessVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 9: the failures a task survives. */
    @Nested
    class Resilience extends ResilienceVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 10: batches. */
    @Nested
    class Batching extends BatchingVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 10: flow control, its rate limit. */
    @Nested
    class RateLimit extends RateLimitVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 10: flow control, order per key. */
    @Nested
    class KeyedOrder extends KeyedOrderVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }

    /** Section 8: the decisions of this project. */
    @Nested
    class Decisions extends DecisionsVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return PipelineExecutorVerification.this.createExecutor();
        }
    }
}
