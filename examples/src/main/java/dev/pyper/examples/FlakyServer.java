package dev.pyper.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP server that misbehaves the way real ones do, on purpose and reproducibly, for
 * {@link ResilientFetch}: {@code GET /item/n} answers {@code item n squared is n²}, except that
 * <ul>
 *   <li>the first request for about 5 % of the items fails with {@code 503 Service Unavailable}
 *       (a transient failure: asked again, the item is served),</li>
 *   <li>the first request for about 1 % of the items hangs until the server stops (a stuck
 *       connection: only a timeout gets the caller out),</li>
 *   <li>the {@link #GONE} items always fail with {@code 410 Gone} (a permanent failure).</li>
 * </ul>
 * Which items misbehave is a function of the item's number alone, so every run sees the same.
 */
public final class FlakyServer implements AutoCloseable {

    /** The items that always fail. */
    public static final Set<Integer> GONE = Set.of(13, 404, 777);

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Integer> seen = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();

    /**
     * Starts a server on a free port of the loopback interface.
     *
     * @throws IOException if it cannot listen
     */
    public FlakyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/item/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * The server's base address.
     *
     * @return {@code http://127.0.0.1:port/}
     */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + "/");
    }

    /**
     * How many requests it has answered or held so far.
     *
     * @return the count
     */
    public long requests() {
        return requests.get();
    }

    /**
     * Whether the first request for {@code item} fails with 503.
     *
     * @param item the item's number
     * @return true for about 5 % of the items
     */
    public static boolean failsOnce(int item) {
        return !GONE.contains(item) && mix(item) % 100 < 5;
    }

    /**
     * Whether the first request for {@code item} hangs.
     *
     * @param item the item's number
     * @return true for about 1 % of the items
     */
    public static boolean hangsOnce(int item) {
        return !GONE.contains(item) && mix(item) % 100 == 5;
    }

    private static int mix(int item) {
        int h = item * 0x9E3779B1;
        return (h ^ (h >>> 16)) & Integer.MAX_VALUE;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            int item;
            try {
                item = Integer.parseInt(exchange.getRequestURI().getPath().substring("/item/".length()));
            } catch (NumberFormatException e) {
                reply(exchange, 400, "not an item number");
                return;
            }
            boolean first = seen.add(item);
            if (GONE.contains(item)) {
                reply(exchange, 410, "item " + item + " is gone");
            } else if (first && failsOnce(item)) {
                reply(exchange, 503, "busy, try again");
            } else if (first && hangsOnce(item)) {
                stopping.await(1, TimeUnit.MINUTES); // a stuck request: the client's timeout must end it
            } else {
                reply(exchange, 200, "item " + item + " squared is " + (long) item * item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Releases the stuck requests and stops the server. */
    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        handlers.close();
    }
}
