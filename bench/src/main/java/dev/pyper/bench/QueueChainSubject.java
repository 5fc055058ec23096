package dev.pyper.bench;

import java.util.List;

/**
 * The hand-written peer: platform threads joined by {@code ArrayBlockingQueue(1024)} (or the
 * workload's bound), one {@link QueueChain} per run, so every run starts its own threads as such
 * code does.
 */
final class QueueChainSubject implements Subject {

    /** The capacity of each queue where the workload sets no bound. */
    static final int DEFAULT_CAPACITY = 1024;

    @Override
    public String name() {
        return "abq-chain";
    }

    @Override
    public String description() {
        return "hand-written chain of platform threads joined by `ArrayBlockingQueue(1024)` with an end marker "
                + "(W4 unbounded: `LinkedBlockingQueue`)";
    }

    @Override
    public boolean isPyper() {
        return false;
    }

    @Override
    public boolean virtualThreads() {
        return false;
    }

    @Override
    public long handOff(int n, int bound) throws Exception {
        long[] sum = {0};
        QueueChain.withCapacity(DEFAULT_CAPACITY)
                .run(
                        out -> {
                            for (int i = 0; i < n; i++) {
                                out.accept(i);
                            }
                        },
                        List.of(
                                new QueueChain.Stage(x -> (Integer) x + 1, 1),
                                new QueueChain.Stage(x -> (Integer) x * 2, 1)),
                        x -> sum[0] += (Integer) x);
        return sum[0];
    }

    @Override
    public long parallelMap(int n, int workers, boolean ordered, Work work) throws Exception {
        if (ordered) {
            throw new UnsupportedOperationException(
                    "a hand-written queue chain has no input order to keep with several workers");
        }
        long[] sum = {0};
        QueueChain.withCapacity(DEFAULT_CAPACITY)
                .run(
                        out -> {
                            for (int i = 0; i < n; i++) {
                                out.accept(i);
                            }
                        },
                        List.of(new QueueChain.Stage(x -> work.apply((Integer) x), workers)),
                        x -> sum[0] += (Integer) x);
        return sum[0];
    }

    @Override
    public long memory(int n, int bound) throws Exception {
        long[] sum = {0};
        QueueChain.withCapacity(bound)
                .run(
                        out -> {
                            for (int i = 0; i < n; i++) {
                                out.accept(new byte[1024]);
                            }
                        },
                        List.of(new QueueChain.Stage(b -> ((byte[]) b).length, 1)),
                        x -> sum[0] += (Integer) x);
        return sum[0];
    }

    @Override
    public long oneRun(int item) throws Exception {
        long[] sum = {0};
        QueueChain.withCapacity(DEFAULT_CAPACITY)
                .run(
                        out -> out.accept(item),
                        List.of(
                                new QueueChain.Stage(x -> (Integer) x + 1, 1),
                                new QueueChain.Stage(x -> (Integer) x * 2, 1)),
                        x -> sum[0] += (Integer) x);
        return sum[0];
    }

    /** W11: the batcher written by hand ({@link HandBatcher}). */
    @Override
    public long batched(int n, int size, java.time.Duration maxWait) throws Exception {
        return HandBatcher.run(n, size, maxWait);
    }

    @Override
    public void close() {}
}
