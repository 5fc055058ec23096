package dev.pyper.bench;

import java.util.concurrent.Executors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Project Reactor peer, on one scheduler. One-worker stages are {@code publishOn} hops (each
 * stage on a thread of its own, as in the queue chain), several workers are {@code flatMap} with
 * that concurrency ({@code flatMapSequential} where order is kept), and the producer runs on the
 * scheduler through {@code subscribeOn}. Bounded buffers are {@code publishOn}'s prefetch;
 * unbounded (W4) is a {@code Flux.create} producer with the {@code BUFFER} overflow strategy,
 * which ignores demand.
 */
final class ReactorSubject implements Subject {

    private final String name;
    private final String description;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final boolean virtual;

    private ReactorSubject(
            String name, String description, Scheduler scheduler, boolean ownsScheduler, boolean virtual) {
        this.name = name;
        this.description = description;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.virtual = virtual;
    }

    /** Reactor on its shared {@code Schedulers.boundedElastic()} (10 threads per core). */
    static ReactorSubject boundedElastic() {
        return new ReactorSubject(
                "reactor-elastic",
                "Project Reactor on `Schedulers.boundedElastic()`",
                Schedulers.boundedElastic(),
                false,
                false);
    }

    /** Reactor on a scheduler that starts a virtual thread per task. */
    static ReactorSubject onVirtualThreads() {
        return new ReactorSubject(
                "reactor-virtual",
                "Project Reactor on `Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor())`",
                Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "bench-virtual"),
                true,
                true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean isPyper() {
        return false;
    }

    @Override
    public boolean virtualThreads() {
        return virtual;
    }

    @Override
    public long handOff(int n, int bound) {
        int prefetch = bound == 0 ? QueueChainSubject.DEFAULT_CAPACITY : bound;
        return Flux.range(0, n)
                .subscribeOn(scheduler)
                .publishOn(scheduler, prefetch)
                .map(x -> x + 1)
                .publishOn(scheduler, prefetch)
                .map(x -> x * 2)
                .publishOn(scheduler, prefetch)
                .reduce(0L, Long::sum)
                .block();
    }

    @Override
    public long parallelMap(int n, int workers, boolean ordered, Work work) {
        Flux<Integer> items = Flux.range(0, n).subscribeOn(scheduler);
        Flux<Integer> mapped = ordered
                ? items.flatMapSequential(
                        x -> Mono.fromCallable(() -> work.apply(x)).subscribeOn(scheduler), workers)
                : items.flatMap(x -> Mono.fromCallable(() -> work.apply(x)).subscribeOn(scheduler), workers);
        return mapped.reduce(0L, Long::sum).block();
    }

    @Override
    public long memory(int n, int bound) {
        Flux<byte[]> arrays = bound == 0
                ? Flux.create(
                        sink -> {
                            for (int i = 0; i < n && !sink.isCancelled(); i++) {
                                sink.next(new byte[1024]);
                            }
                            sink.complete();
                        },
                        FluxSink.OverflowStrategy.BUFFER)
                : Flux.range(0, n).map(i -> new byte[1024]);
        int prefetch = bound == 0 ? QueueChainSubject.DEFAULT_CAPACITY : bound;
        return arrays.subscribeOn(scheduler)
                .publishOn(scheduler, prefetch)
                .map(b -> b.length)
                .publishOn(scheduler, prefetch)
                .reduce(0L, Long::sum)
                .block();
    }

    @Override
    public long oneRun(int item) {
        return Mono.just(item)
                .subscribeOn(scheduler)
                .publishOn(scheduler)
                .map(x -> x + 1)
                .publishOn(scheduler)
                .map(x -> x * 2)
                .publishOn(scheduler)
                .map(Integer::longValue)
                .block();
    }

    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.dispose();
        }
    }
}
