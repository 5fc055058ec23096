package dev.pyper.threads.broken;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.threads.ThreadExecutor;

/**
 * The kit against each broken executor, and against the real one as the control. Their names do
 * not end in "Test", so the build does not run them on their own: {@link BrokenExecutorsTest}
 * runs them through the JUnit launcher and expects them to fail.
 */
final class BrokenKits {

    private BrokenKits() {
    }

    static class Control extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new ThreadExecutor();
        }
    }

    static class IgnoresThrottle extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.IgnoresThrottle();
        }
    }

    static class DropsTheLastItem extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.DropsTheLastItem();
        }
    }

    static class ReordersOneWorkerStage extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.ReordersOneWorkerStage();
        }
    }

    static class SwallowsErrors extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.SwallowsErrors();
        }
    }

    static class LeaksAThread extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.LeaksAThread();
        }
    }

    static class ThrottlePlusOne extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.ThrottlePlusOne();
        }
    }

    static class IgnoresClose extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Mutations.IgnoresClose();
        }
    }
}
