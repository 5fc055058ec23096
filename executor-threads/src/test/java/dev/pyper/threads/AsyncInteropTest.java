package dev.pyper.threads;

import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/** Async tasks and the publisher with the rest of the Java world (issue: async and Reactive Streams). */
class AsyncInteropTest {

    private final ThreadExecutor threads = new ThreadExecutor();

    @AfterEach
    void close() {
        threads.close();
    }

    private Pipeline<Integer, Integer> squares() {
        return Task.branch((Integer n) -> IntStream.range(0, n).boxed().toList())
                .pipe(Task.task(x -> x * x, workers(4), ordered()))
                .on(threads);
    }

    @Test
    void aPlainFlowSubscriberReceivesEveryOutputAsItRequests() throws Exception {
        List<Integer> received = new ArrayList<>();
        CountDownLatch completed = new CountDownLatch(1);
        squares().publisher(10).subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Integer item) {
                received.add(item);
                subscription.request(1); // one at a time: backpressure
            }

            @Override
            public void onError(Throwable t) {
                completed.countDown();
            }

            @Override
            public void onComplete() {
                completed.countDown();
            }
        });
        assertTrue(completed.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), received);
    }

    @Test
    void reactorConsumesThePublisher() {
        Flux<Integer> flux = JdkFlowAdapter.flowPublisherToFlux(squares().publisher(1000));
        assertEquals(
                IntStream.range(0, 1000).map(x -> x * x).sum(),
                flux.reduce(0, Integer::sum).block(Duration.ofSeconds(10)));
        assertEquals(
                List.of(0, 1, 4),
                JdkFlowAdapter.flowPublisherToFlux(squares().publisher(1_000_000))
                        .take(3)
                        .collectList()
                        .block(Duration.ofSeconds(10)),
                "take(3) cancels the run of a million");
    }

    @Test
    void aFailedRunReachesOnError() {
        IllegalStateException mine = new IllegalStateException("seven");
        Pipeline<Integer, Integer> failing = squares().pipe(Task.task(x -> {
            if (x == 49) {
                throw mine;
            }
            return x;
        }));
        Flux<Integer> flux = JdkFlowAdapter.flowPublisherToFlux(failing.publisher(100));
        PipelineException error = assertThrows(PipelineException.class, () -> flux.blockLast(Duration.ofSeconds(10)));
        assertSame(mine, error.getCause());
    }

    @Test
    void consumeAsyncHandsThePublisherToAnAsyncConsumer() throws Exception {
        var total = squares()
                .consumeAsync(publisher -> JdkFlowAdapter.flowPublisherToFlux(publisher)
                        .reduce(0, Integer::sum)
                        .toFuture());
        assertEquals(285, total.apply(10).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aThousandHttpRequestsWithAHundredInFlight() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/square", exchange -> {
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                int x = Integer.parseInt(exchange.getRequestURI().getQuery().substring(2));
                byte[] body = Integer.toString(x * x).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                concurrent.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://" + server.getAddress().getHostString() + ":"
                    + server.getAddress().getPort() + "/square?x=");
            Pipeline<Integer, String> fetch = Task.branch(
                            (Integer n) -> IntStream.range(0, n).boxed().toList())
                    .pipe(Task.async(
                            x -> client.sendAsync(
                                            HttpRequest.newBuilder(URI.create(base + x.toString()))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .thenApply(response -> x + "=" + response.statusCode() + ":" + response.body()),
                            workers(100)))
                    .on(threads);
            List<String> responses = fetch.stream(1000).toList();
            assertEquals(1000, responses.size());
            List<String> expected = IntStream.range(0, 1000)
                    .mapToObj(x -> x + "=200:" + x * x)
                    .sorted()
                    .toList();
            assertEquals(expected, responses.stream().sorted().toList(), "every response, correct");
            assertTrue(most.get() <= 100, "at most 100 requests in flight, saw " + most.get());
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).close();
        }
    }

    @Test
    void completedFutureStagesMixWithBlockingTasks() {
        Pipeline<Integer, Integer> p =
                squares().pipe(Task.async(x -> CompletableFuture.supplyAsync(() -> x + 1), workers(8)));
        assertEquals(
                IntStream.range(0, 100).map(x -> x * x + 1).sum(),
                p.stream(100).mapToInt(Integer::intValue).sum());
    }
}
