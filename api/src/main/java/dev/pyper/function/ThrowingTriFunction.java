package dev.pyper.function;

import java.io.Serializable;

/**
 * A serializable function of three arguments that may throw; {@code Task.bind(f, a, b)} turns it
 * into a {@link ThrowingFunction} of the first argument alone (pyper's {@code task.bind}, rule 1.6).
 *
 * @param <T> the first argument: the task's input
 * @param <A> the first bound argument
 * @param <B> the second bound argument
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingTriFunction<T, A, B, R> extends Serializable {

    /**
     * Applies this function.
     *
     * @param input the task's input
     * @param a the first bound argument
     * @param b the second bound argument
     * @return the result
     * @throws Exception anything, as for {@link ThrowingFunction#apply}
     */
    R apply(T input, A a, B b) throws Exception;
}
