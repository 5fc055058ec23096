package dev.pyper.process;

import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.Task;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A parent JVM for {@link OrphanTest}: runs two worker processes that block mid-item, prints their
 * pids as {@code WORKER <pid>}, then waits to be killed.
 */
public final class OrphanParent {

    private OrphanParent() {}

    static void reportPidThenWait(int x, Emitter<Long> out) throws InterruptedException {
        out.emit(ProcessHandle.current().pid());
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    /**
     * Starts the workers and waits.
     *
     * @param args unused
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        ProcessExecutor processes = new ProcessExecutor();
        Stream<Long> pids = Task.branch(Functions::upTo)
                .pipe(Task.generator(OrphanParent::reportPidThenWait, workers(2)))
                .on(processes)
                .stream(2);
        Iterator<Long> it = pids.iterator();
        for (int i = 0; i < 2; i++) {
            System.out.println("WORKER " + it.next());
        }
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
}
