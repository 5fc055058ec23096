package dev.pyper.function;

import java.io.Serializable;

/**
 * A serializable function of two arguments that may throw; {@code Task.bind(f, a)} turns it
 * into a {@link ThrowingFunction} of the first argument alone (pyper's {@code task.bind}, rule 1.6).
 *
 * @param <T> the first argument: the task's input
 * @param <A> the bound argument
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingBiFunction<T, A, R> extends Serializable {

    /**
     * Applies this function.
     *
     * @param input the task's input
     * @param a the bound argument
     * @return the result
     * @throws Exception anything, as for {@link ThrowingFunction#apply}
     */
    R apply(T input, A a) throws Exception;
}
