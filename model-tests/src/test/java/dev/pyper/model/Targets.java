package dev.pyper.model;

import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.threads.ThreadExecutor;
import dev.pyper.virtual.VirtualThreadExecutor;
import java.util.ServiceLoader;
import java.util.Set;

/** The executors under test, as {@link Target}s. */
final class Targets {

    private Targets() {
    }

    /** Whether {@code multiprocess()} tasks can run: the process executor's support is on the class path. */
    static boolean multiprocessAvailable() {
        return ServiceLoader.load(MultiprocessSupport.class).findFirst().isPresent();
    }

    static Target threads() {
        return new Target("threads", ThreadExecutor::new, new Capabilities(multiprocessAvailable(), true), Set.of("pyper-threads-idle"));
    }

    static Target virtual() {
        return new Target("virtual", VirtualThreadExecutor::new, new Capabilities(multiprocessAvailable(), true), Set.of());
    }
}
