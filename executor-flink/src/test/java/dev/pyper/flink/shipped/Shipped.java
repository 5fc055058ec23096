package dev.pyper.flink.shipped;

import static dev.pyper.Task.branch;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The application's functions, what they report of where they ran, and its pipelines.
 *
 * <p>The pipelines are made here, not in the tests: a method reference or lambda is deserialized
 * through the class whose code wrote it ({@code $deserializeLambda$}), so on a cluster that class
 * must be in the shipped jar too, as the code that builds a user's pipelines is in the user's jar.
 */
public final class Shipped {

    private Shipped() {}

    /**
     * A value and where it was computed: the process, its parent, and the class loader and the
     * file that this class was loaded from there.
     *
     * @param value the value
     * @param pid the process that computed it
     * @param parent that process's parent, -1 if unknown
     * @param loader the class name of the loader of {@link Shipped} in that process
     * @param codeSource the jar or folder that {@link Shipped} was loaded from in that process
     * @param pyperOnClassPath whether that process's own class path (its system class loader) has Pyper
     */
    public record Where(int value, long pid, long parent, String loader, String codeSource, boolean pyperOnClassPath)
            implements Serializable {}

    /**
     * What a nested pipeline gave one outer item.
     *
     * @param outerPid the process of the outer invocation
     * @param values the inner outputs' values, sorted
     * @param innerPids the processes of the inner invocations
     */
    public record Nested(long outerPid, List<Integer> values, Set<Long> innerPids) implements Serializable {}

    /** {@code 0, 1, …, n - 1}. */
    public static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Emits {@code 0, 1, …, n - 1}. */
    public static void count(int n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    /** Emits {@code start, start + 1, …} until the run is cancelled. */
    public static void countForever(int start, Emitter<Integer> out) {
        for (int i = start; ; i++) {
            out.emit(i);
        }
    }

    /** {@code x * 10}. */
    public static int timesTen(int x) {
        return x * 10;
    }

    /** {@code x + 1}. */
    public static int addOne(int x) {
        return x + 1;
    }

    /** {@code [x, x + 1]}: a branch's function. */
    public static List<Integer> andNext(int x) {
        return List.of(x, x + 1);
    }

    /** {@code x} and where it was computed. */
    public static Where where(int x) {
        ProcessHandle me = ProcessHandle.current();
        CodeSource source = Shipped.class.getProtectionDomain().getCodeSource();
        String location;
        try {
            location = source == null
                    ? "(none)"
                    : Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            location = String.valueOf(source.getLocation());
        }
        return new Where(
                x,
                me.pid(),
                me.parent().map(ProcessHandle::pid).orElse(-1L),
                Shipped.class.getClassLoader().getClass().getName(),
                location,
                ClassLoader.getSystemClassLoader().getResource("dev/pyper/Pipeline.class") != null);
    }

    /** {@link #where} after 5 ms: a run that lasts. */
    public static Where slowWhere(int x) {
        LockSupport.parkNanos(5_000_000);
        return where(x);
    }

    /**
     * Fails on 13 with the application's own exception class.
     *
     * @throws ShippedFailure on 13
     */
    public static int failsOnThirteen(int x) throws ShippedFailure {
        if (x == 13) {
            throw new ShippedFailure("thirteen");
        }
        return x;
    }

    /** {@code 0 … n-1} times ten, each then also plus one, and where: four tasks, 4, 3 and 4 workers. */
    public static Pipeline<Integer, Where> spread() {
        return branch(Shipped::range)
                .pipe(task(Shipped::timesTen, workers(4)))
                .pipe(branch(Shipped::andNext, workers(3)))
                .pipe(task(Shipped::where, workers(4)));
    }

    /** {@code 0 … n-1}, failing on 13 with the application's own exception, in two workers. */
    public static Pipeline<Integer, Integer> failing() {
        return branch(Shipped::range).pipe(task(Shipped::failsOnThirteen, workers(2)));
    }

    /** From {@code start} on, forever, plus one, in four workers. */
    public static Pipeline<Integer, Integer> forever() {
        return generator(Shipped::countForever).pipe(task(Shipped::addOne, workers(4)));
    }

    /** {@code 1 … n}, in four workers. */
    public static Pipeline<Integer, Integer> addOne() {
        return branch(Shipped::range).pipe(task(Shipped::addOne, workers(4)));
    }

    /** {@code 0 … n-1} and where, in four workers. */
    public static Pipeline<Integer, Where> where() {
        return branch(Shipped::range).pipe(task(Shipped::where, workers(4)));
    }

    /** {@code 0 … n-1} and where, in four workers that are worker processes. */
    public static Pipeline<Integer, Where> whereMultiprocess() {
        return branch(Shipped::range).pipe(task(Shipped::where, workers(4), multiprocess()));
    }

    /** {@code 0 … n-1} and where, 5 ms each, in four workers: a run that lasts. */
    public static Pipeline<Integer, Where> slow() {
        return generator(Shipped::count).pipe(task(Shipped::slowWhere, workers(4)));
    }

    /**
     * A pipeline that runs a pipeline inside its task (rule 1.8): for each {@code n}, the inner
     * one, bound to no executor, runs {@code where} over {@code 0 … n - 1} with two workers on the
     * shared default executor of the JVM where the outer task runs.
     */
    public static Pipeline<Integer, Nested> nested(int outerWorkers) {
        Pipeline<Integer, Where> inner = branch(Shipped::range).pipe(task(Shipped::where, workers(2)));
        return branch(Shipped::range).pipe(task(inner.consume(Shipped::summarize), workers(outerWorkers)));
    }

    private static Nested summarize(Stream<Where> outputs) {
        List<Where> all = outputs.toList();
        return new Nested(
                ProcessHandle.current().pid(),
                all.stream().map(Where::value).sorted().toList(),
                all.stream().map(Where::pid).collect(Collectors.toCollection(TreeSet::new)));
    }
}
