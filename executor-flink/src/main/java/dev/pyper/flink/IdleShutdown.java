package dev.pyper.flink;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stops an executor's own embedded cluster once no run has used it for a while, so that an
 * executor that is never closed (the JVM's shared default, {@code PipelineExecutor.shared()},
 * whose {@code close()} is refused) does not keep the JVM from exiting: Flink's RPC threads are
 * not daemons. The next run starts the cluster again.
 *
 * <p>Counts the runs in progress; when the count drops to zero it schedules the stop, and a run
 * that starts meanwhile cancels it. The stop runs under this object's lock and only if the count
 * is still zero, so it never takes the cluster from under a run. Its timer thread
 * ({@code pyper-flink-idle-stop}) ends a second after it has nothing to do, and at
 * {@link #close()}; it is not a daemon, so that the JVM does not exit in the middle of a stop.
 */
final class IdleShutdown implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;
    private final Duration idle;
    private final Runnable stop;
    private int running;
    private ScheduledFuture<?> pending;

    IdleShutdown(Duration idle, Runnable stop) {
        this.idle = idle;
        this.stop = stop;
        this.timer = new ScheduledThreadPoolExecutor(
                1, body -> Thread.ofPlatform().name("pyper-flink-idle-stop").unstarted(body));
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    synchronized void runStarted() {
        running++;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    synchronized void runEnded() {
        if (--running == 0 && !timer.isShutdown()) {
            pending = timer.schedule(this::stopIfStillIdle, idle.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void stopIfStillIdle() {
        if (running == 0 && !timer.isShutdown()) {
            pending = null;
            stop.run();
        }
    }

    /** Cancels any pending stop and ends the timer thread. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
