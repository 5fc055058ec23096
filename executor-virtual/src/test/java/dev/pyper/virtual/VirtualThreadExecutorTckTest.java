package dev.pyper.virtual;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit against {@link VirtualThreadExecutor} (rule 7.1). The process executor is
 * on the test class path, so section 6 runs {@code multiprocess} tasks from virtual threads too.
 */
class VirtualThreadExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new VirtualThreadExecutor();
    }

    /**
     * Starts the JDK's socket poller before the kit's first leak census. The first virtual thread
     * that blocks on a socket (here: the process executor's link to its worker JVMs) makes the JDK
     * start a platform thread named {@code MasterPoller} that lives as long as the JVM; the kit's
     * {@code LeakCensus} does not yet count it as JVM infrastructure, so the first section 6 test
     * would report it as a leak of the executor.
     */
    @BeforeAll
    static void startTheJdkSocketPoller() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = Thread.ofVirtual().name("tck-poller-warmup").start(() -> {
                try {
                    server.accept().close(); // no client yet: parks through the poller
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (acceptor.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                acceptor.join(Duration.ofSeconds(10));
            }
        }
    }
}
