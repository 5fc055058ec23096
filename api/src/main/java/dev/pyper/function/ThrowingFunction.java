package dev.pyper.function;

import java.io.Serializable;

/**
 * A function of one argument that may throw any exception, checked or not, and that can be
 * serialized so that it runs unchanged in another process or on a cluster (rule 1.6).
 *
 * <p>This is the function type of {@code Task.task}, {@code Task.branch}, {@code Task.join} and
 * {@code Task.async}; lambdas and method references convert to it directly.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingFunction<T, R> extends Serializable {

    /**
     * Applies this function.
     *
     * @param input the argument
     * @return the result, which may be {@code null} (rule 2.2)
     * @throws Exception anything; the run that called it fails with a {@code PipelineException}
     *     whose cause is this exception (rule 4.1)
     */
    R apply(T input) throws Exception;
}
