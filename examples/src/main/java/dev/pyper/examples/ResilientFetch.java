package dev.pyper.examples;

import static dev.pyper.Task.bind;
import static dev.pyper.Task.branch;
import static dev.pyper.Task.deadLetters;
import static dev.pyper.Task.named;
import static dev.pyper.Task.retry;
import static dev.pyper.Task.task;
import static dev.pyper.Task.timeout;
import static dev.pyper.Task.workers;

import dev.pyper.DeadLetter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.PipelineRun;
import dev.pyper.TaskMetrics;
import dev.pyper.TaskTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fetches items from a {@link FlakyServer} over HTTP with a pipeline that survives its failures
 * (SPEC section 9): transient {@code 503}s are retried with a backoff, stuck requests are cut off
 * by a timeout and retried, and the items that are gone for good land in a dead-letter queue.
 * Every good item's result arrives; the run's metrics say what it took.
 *
 * <pre>
 * ./mvnw -q -pl examples -am package -DskipTests -Pdemo -Ddemo.main=dev.pyper.examples.ResilientFetch -Ddemo.args="--executor virtual"
 * </pre>
 */
@Command(
        name = "resilient-fetch",
        mixinStandardHelpOptions = true,
        version = "Pyper examples 0.1.0",
        description = "Fetches items from a local HTTP server that fails, hangs and loses items on purpose.")
public final class ResilientFetch implements Callable<Integer> {

    /** How long one request may take before it is cut off and tried again. */
    static final Duration LIMIT = Duration.ofSeconds(2);

    /** The dead letters of this JVM's runs: the sink is a static method, so it needs no state to travel. */
    private static final Queue<DeadLetter> DEAD_LETTERS = new ConcurrentLinkedQueue<>();

    /** One client per JVM (worker JVMs of the process executor have their own). */
    private static final class Client {
        static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Option(
            names = "--executor",
            paramLabel = "<name>",
            defaultValue = "threads",
            description = "The executor that runs the pipeline (default: ${DEFAULT-VALUE}).")
    private String executor;

    @Option(
            names = "--items",
            paramLabel = "<n>",
            defaultValue = "1000",
            description = "How many items to fetch (default: ${DEFAULT-VALUE}).")
    private int items;

    @Option(
            names = "--workers",
            paramLabel = "<n>",
            defaultValue = "16",
            description = "Requests at once (default: ${DEFAULT-VALUE}).")
    private int workers;

    /** A 5xx answer: the server may serve the item when asked again. */
    public static final class ServerBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        ServerBusyException(String message) {
            super(message);
        }
    }

    /** A 4xx answer: asking again will not help. */
    public static final class ItemGoneException extends Exception {
        private static final long serialVersionUID = 1L;

        ItemGoneException(String message) {
            super(message);
        }
    }

    /**
     * What a run came to.
     *
     * @param results the bodies that arrived, one per good item
     * @param deadLetters the items that failed for good
     * @param fetch the metrics of the fetching task
     * @param requests the requests the server saw
     * @param elapsed the run's wall time
     */
    public record Outcome(
            List<String> results, List<DeadLetter> deadLetters, TaskMetrics fetch, long requests, Duration elapsed) {

        /** The items whose results arrived. */
        Set<Integer> itemsServed() {
            return results.stream()
                    .map(r -> Integer.parseInt(r.split(" ")[1]))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * Fetches one item.
     *
     * @param item the item's number
     * @param server the server's base address
     * @return the item's body
     * @throws ServerBusyException on a 5xx answer (worth retrying)
     * @throws ItemGoneException on a 4xx answer (not worth retrying)
     * @throws IOException if the request could not be made
     * @throws InterruptedException if the request was cut off (by the task's timeout)
     */
    public static String fetch(int item, URI server) throws IOException, InterruptedException, ItemGoneException {
        HttpRequest request =
                HttpRequest.newBuilder(server.resolve("item/" + item)).GET().build();
        HttpResponse<String> response = Client.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 500) {
            throw new ServerBusyException(status + " " + response.body() + " (item " + item + ")");
        }
        if (status >= 400) {
            throw new ItemGoneException(status + " " + response.body());
        }
        return response.body();
    }

    static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static void keep(DeadLetter letter) {
        DEAD_LETTERS.add(letter);
    }

    /**
     * The pipeline: the item numbers, then the requests, retried on 5xx and timeouts, dead-lettered when gone.
     *
     * @param server the server's base address
     * @param workers requests at once
     * @return the pipeline
     */
    static Pipeline<Integer, String> pipeline(URI server, int workers) {
        return branch(ResilientFetch::items)
                .pipe(task(
                        bind(ResilientFetch::fetch, server),
                        named("fetch"),
                        workers(workers),
                        timeout(LIMIT),
                        retry(3).backoff(Duration.ofMillis(20), Duration.ofMillis(500))
                                .on(IOException.class, TaskTimeoutException.class),
                        deadLetters(ResilientFetch::keep)));
    }

    /**
     * Runs the pipeline against a new {@link FlakyServer}.
     *
     * @param executor the executor
     * @param items how many items
     * @param workers requests at once
     * @return what the run came to
     * @throws IOException if the server cannot start
     */
    public static Outcome run(PipelineExecutor executor, int items, int workers) throws IOException {
        DEAD_LETTERS.clear();
        try (FlakyServer server = new FlakyServer();
                PipelineRun<String> run =
                        pipeline(server.uri(), workers).on(executor).start(items)) {
            List<String> results = run.outputs().toList();
            List<DeadLetter> letters = new ArrayList<>(DEAD_LETTERS);
            letters.sort(Comparator.comparing(l -> (Integer) l.input()));
            return new Outcome(
                    results,
                    letters,
                    run.metrics().tasks().get(1),
                    server.requests(),
                    run.metrics().elapsed());
        }
    }

    @Override
    public Integer call() throws IOException {
        Outcome outcome;
        try (PipelineExecutor chosen = PipelineExecutor.create(executor)) {
            outcome = run(chosen, items, workers);
        }
        PrintStream out = System.out;
        Set<Integer> good = IntStream.range(0, items)
                .filter(i -> !FlakyServer.GONE.contains(i))
                .boxed()
                .collect(Collectors.toCollection(TreeSet::new));
        TaskMetrics m = outcome.fetch();
        out.printf(
                Locale.ROOT,
                "fetched %d items on '%s' in %.2f s: %d results, %d dead letters%n",
                items,
                executor,
                outcome.elapsed().toNanos() / 1e9,
                outcome.results().size(),
                outcome.deadLetters().size());
        for (DeadLetter letter : outcome.deadLetters()) {
            out.printf(
                    Locale.ROOT,
                    "  dead letter: item %s after %d attempt(s): %s%n",
                    letter.input(),
                    letter.attempts(),
                    letter.error());
        }
        out.printf(
                Locale.ROOT,
                "task fetch: %d in, %d out, %d retries, %d timeouts, %d dead-lettered, %d failed; server saw %d"
                        + " requests%n",
                m.itemsIn(),
                m.itemsOut(),
                m.retries(),
                m.timeouts(),
                m.deadLettered(),
                m.failed(),
                outcome.requests());
        boolean allGood = outcome.itemsServed().equals(good);
        out.println("every good item's result arrived: " + (allGood ? "yes" : "NO"));
        return allGood ? 0 : 1;
    }

    /**
     * Runs the example.
     *
     * @param args {@code --executor <name>}, {@code --items <n>}, {@code --workers <n>}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ResilientFetch()).execute(args));
    }
}
