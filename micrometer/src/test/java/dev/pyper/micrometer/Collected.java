package dev.pyper.micrometer;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.function.Supplier;

/** Whether an object is gone: a weak reference to it, and a bounded wait for the collector to clear it. */
final class Collected<T> {

    private final ReferenceQueue<T> queue = new ReferenceQueue<>();
    private final WeakReference<T> reference;

    private Collected(T referent) {
        this.reference = new WeakReference<>(referent, queue);
    }

    /** Watches what {@code make} returns; the caller keeps no reference of its own. */
    static <T> Collected<T> watch(Supplier<T> make) {
        return new Collected<>(make.get());
    }

    /**
     * Fails unless the object is collected within about ten seconds of asking the collector to
     * run: nothing else may be holding it.
     */
    void assertCollected(String what) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            System.gc();
            Reference<? extends T> cleared = queue.remove(100); // waits for the collector, bounded
            if (cleared != null) {
                return;
            }
        }
        fail(what + " is still reachable after 100 collections: something holds it");
    }
}
