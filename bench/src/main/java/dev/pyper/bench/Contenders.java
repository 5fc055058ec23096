package dev.pyper.bench;

import dev.pyper.PipelineExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every contender of a benchmark run: each Pyper executor on the class path (found with
 * {@link PipelineExecutor#available()}, so a new executor module joins the benchmark by being a
 * dependency of this module), then the peers.
 *
 * <p>An executor joins only if it passes a small probe within {@link #PROBE_TIMEOUT_SECONDS};
 * one that fails or hangs is left out with the reason, which the report lists.
 */
final class Contenders implements AutoCloseable {

    static final int PROBE_TIMEOUT_SECONDS = 60;

    /** The peers, by name, in the order of the tables. */
    private static final Map<String, Supplier<Optional<Subject>>> PEERS = new LinkedHashMap<>();

    static {
        PEERS.put("abq-chain", () -> Optional.of(new QueueChainSubject()));
        PEERS.put("reactor-elastic", () -> Optional.of(ReactorSubject.boundedElastic()));
        PEERS.put("reactor-virtual", () -> Optional.of(ReactorSubject.onVirtualThreads()));
        PEERS.put("mapConcurrent", () -> MapConcurrentSubject.ifAvailable().map(Subject.class::cast));
    }

    private final List<Subject> subjects;
    private final Map<String, String> leftOut;

    private Contenders(List<Subject> subjects, Map<String, String> leftOut) {
        this.subjects = List.copyOf(subjects);
        this.leftOut = Map.copyOf(leftOut);
    }

    /**
     * Opens the contenders that the options include, probing each executor.
     *
     * @param options which contenders to include
     * @param log where progress goes
     * @return the contenders, which the caller closes
     */
    static Contenders open(BenchOptions options, java.io.PrintStream log) {
        List<Subject> subjects = new ArrayList<>();
        Map<String, String> leftOut = new LinkedHashMap<>();
        for (String name : PipelineExecutor.available()) {
            if (!options.includes(name)) {
                continue;
            }
            Subject executor = new PyperSubject(PipelineExecutor.create(name));
            String failure = probe(executor);
            if (failure == null) {
                subjects.add(executor);
            } else {
                log.println("Leaving out executor '" + name + "': " + failure);
                leftOut.put(name, failure);
            }
        }
        for (var peer : PEERS.entrySet()) {
            if (options.includes(peer.getKey())) {
                peer.getValue()
                        .get()
                        .ifPresentOrElse(
                                subjects::add,
                                () -> leftOut.put(
                                        peer.getKey(), "needs JDK 24 or later (this is " + Runtime.version() + ")"));
            }
        }
        return new Contenders(subjects, leftOut);
    }

    /**
     * Makes one contender by name, without a probe: for the child JVMs of W4.
     *
     * @param name an executor's or a peer's name
     * @return the contender, which the caller closes
     * @throws IllegalArgumentException if no contender has that name
     */
    static Subject create(String name) {
        if (PEERS.containsKey(name)) {
            return PEERS.get(name)
                    .get()
                    .orElseThrow(() -> new IllegalArgumentException("Contender '" + name + "' needs JDK 24 or later"));
        }
        return new PyperSubject(PipelineExecutor.create(name));
    }

    List<Subject> subjects() {
        return subjects;
    }

    /** Contenders that could not run, with the reason. */
    Map<String, String> leftOut() {
        return leftOut;
    }

    @Override
    public void close() {
        subjects.forEach(Subject::close);
    }

    /** Runs a tiny pipeline of each shape; returns why it failed, or null. */
    private static String probe(Subject subject) {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-probe-" + subject.name());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> probe = runner.submit(() -> {
                check(subject.oneRun(1) == 4, "oneRun(1) != 4");
                check(subject.handOff(10, 4) == 110, "handOff(10) != 110");
                check(subject.parallelMap(10, 3, true, new Work.Sleep(1)) == 45, "parallelMap(10) != 45");
                return null;
            });
            probe.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (TimeoutException e) {
            return "its probe did not finish within " + PROBE_TIMEOUT_SECONDS + " s";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "its probe failed: " + cause;
        } finally {
            runner.shutdownNow();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong result: " + what);
        }
    }
}
