package dev.pyper.tck.reference;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import java.util.function.Supplier;

/**
 * The whole kit against whichever executor {@link MutationTest} puts in {@link #executors}: a
 * mutant or the reference. Its name does not end in "Test", so the build does not run it on its
 * own; {@code MutationTest} runs chosen tests of it through the JUnit launcher.
 */
public class MutantKit extends PipelineExecutorVerification {

    /** Makes the executor of each test; set by {@code MutationTest} before it launches the kit. */
    static volatile Supplier<PipelineExecutor> executors;

    @Override
    protected PipelineExecutor createExecutor() {
        Supplier<PipelineExecutor> current = executors;
        if (current == null) {
            throw new IllegalStateException("MutantKit runs only under MutationTest, which chooses its executor");
        }
        return current.get();
    }
}
