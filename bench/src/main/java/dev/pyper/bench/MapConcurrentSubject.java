package dev.pyper.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The JDK peer: {@code Stream.gather(Gatherers.mapConcurrent(n, f))} (JDK 24+), which runs each
 * element on a virtual thread of its own with at most {@code n} in flight, and always keeps the
 * input order. The caller's sequential stream is the producer. Called by reflection, so that the
 * bench compiles with {@code --release 21} like the rest of the project; on an older JDK this
 * contender is left out with that reason.
 */
final class MapConcurrentSubject implements Subject {

    private final Method mapConcurrent;
    private final Method gather;

    private MapConcurrentSubject(Method mapConcurrent, Method gather) {
        this.mapConcurrent = mapConcurrent;
        this.gather = gather;
    }

    /**
     * The contender, if this JDK has {@code Gatherers.mapConcurrent}.
     *
     * @return the contender, or empty before JDK 24
     */
    static Optional<MapConcurrentSubject> ifAvailable() {
        try {
            Class<?> gatherers = Class.forName("java.util.stream.Gatherers");
            Class<?> gatherer = Class.forName("java.util.stream.Gatherer");
            return Optional.of(new MapConcurrentSubject(
                    gatherers.getMethod("mapConcurrent", int.class, Function.class),
                    Stream.class.getMethod("gather", gatherer)));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "mapConcurrent";
    }

    @Override
    public String description() {
        return "JDK `Stream.gather(Gatherers.mapConcurrent(n, f))`: a virtual thread per element, always in input order";
    }

    @Override
    public boolean isPyper() {
        return false;
    }

    @Override
    public boolean virtualThreads() {
        return true;
    }

    /** A virtual thread per element per stage: about a hundred times slower per item than a queue. */
    @Override
    public int itemDivisor() {
        return 10;
    }

    @Override
    public long handOff(int n, int bound) {
        Stream<Integer> plusOne = mapConcurrent(IntStream.range(0, n).boxed(), 1, x -> x + 1);
        return mapConcurrent(plusOne, 1, x -> x * 2)
                .mapToLong(Integer::longValue)
                .sum();
    }

    @Override
    public long parallelMap(int n, int workers, boolean ordered, Work work) {
        return mapConcurrent(IntStream.range(0, n).boxed(), workers, x -> {
                    try {
                        return work.apply(x);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .mapToLong(Integer::longValue)
                .sum();
    }

    @Override
    public long memory(int n, int bound) {
        if (bound == 0) {
            throw new UnsupportedOperationException("mapConcurrent is always bounded by its concurrency");
        }
        Stream<byte[]> arrays = IntStream.range(0, n).mapToObj(i -> new byte[1024]);
        return mapConcurrent(arrays, 1, b -> b.length)
                .mapToLong(Integer::longValue)
                .sum();
    }

    @Override
    public long oneRun(int item) {
        Stream<Integer> identity = mapConcurrent(Stream.of(item), 1, x -> x);
        Stream<Integer> plusOne = mapConcurrent(identity, 1, x -> x + 1);
        return mapConcurrent(plusOne, 1, x -> x * 2)
                .mapToLong(Integer::longValue)
                .sum();
    }

    @Override
    public void close() {}

    @SuppressWarnings("unchecked")
    private <T, R> Stream<R> mapConcurrent(Stream<T> in, int concurrency, Function<? super T, ? extends R> f) {
        try {
            return (Stream<R>) gather.invoke(in, mapConcurrent.invoke(null, concurrency, f));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Gatherers.mapConcurrent is not accessible", e);
        }
    }
}
