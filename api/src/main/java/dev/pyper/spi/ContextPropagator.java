package dev.pyper.spi;

/**
 * Carries the context of the thread that starts a run into every invocation of the run (rule
 * 8.8): a logging context (SLF4J's MDC), a trace context (OpenTelemetry's), whatever else lives
 * in thread-locals that the user's functions read. The API knows no such library: an
 * implementation on the class path, registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.pyper.spi.ContextPropagator}, is the one {@link #installed()}
 * returns ({@code dev.pyper:pyper-context} registers one, built on Micrometer's context-propagation
 * library); with none, nothing is carried.
 *
 * <p>An executor {@linkplain #capture() captures} the context when a run starts, on the thread
 * that starts it, and {@linkplain Captured#restore() restores} it around each invocation, its
 * retries included, on whatever thread makes it, closing the {@link Scope} right after, so that
 * the thread is left as it was. A worker that makes a run's invocations one after another on one
 * thread may instead keep one restore open between them while {@link Captured#isCurrent()} says
 * the thread still holds exactly the run's context (an invocation that changed it has it
 * restored again before the next), and close it on that thread when the worker leaves the run.
 * A run whose starting thread had no context gets none: a restore
 * also clears what the thread held, so nothing of one run reaches another's invocations on a
 * reused thread. To cross to another JVM (a worker process, a remote cluster), the executor ships
 * {@link Captured#carried()} and restores {@link #fromCarried} there.
 *
 * <pre>{@code
 * Captured context = ContextPropagator.installed().capture();      // in start(plan, input)
 * ...
 * try (ContextPropagator.Scope scope = context.restore()) {        // around each invocation
 *     task.invoke(input, out);
 * }
 * }</pre>
 */
public interface ContextPropagator {

    /** The system property that, set to {@code none}, turns propagation off even with an implementation installed: {@value}. */
    String PROPERTY = "pyper.context";

    /** Carries nothing: what {@link #installed()} returns when no implementation is on the class path. */
    ContextPropagator NONE = new ContextPropagator() {
        @Override
        public Captured capture() {
            return Captured.NONE;
        }

        @Override
        public Captured fromCarried(byte[] carried) {
            return Captured.NONE;
        }

        @Override
        public String toString() {
            return "no context propagation";
        }
    };

    /**
     * The implementation that executors use: the first that {@link java.util.ServiceLoader} finds
     * for this interface, looked up once per JVM (with the calling thread's context class loader);
     * {@link #NONE} if there is none, or if the system property {@value #PROPERTY} is {@code none}.
     *
     * @return the installed propagator, never null
     */
    static ContextPropagator installed() {
        return InstalledPropagator.get();
    }

    /**
     * Captures the calling thread's context: called on the thread that starts a run, before the
     * run's first invocation.
     *
     * @return the context, to restore around each invocation; never null
     */
    Captured capture();

    /**
     * The context that {@link Captured#carried()} gave in another JVM, to restore in this one (a
     * worker process, a TaskManager). What cannot be read here is left out, never a failure.
     *
     * @param carried the bytes, or null for a run that carried nothing
     * @return the context; one that clears the thread's context if nothing was carried
     */
    Captured fromCarried(byte[] carried);

    /** A context captured for a run: restored around each of its invocations. */
    interface Captured {

        /** Nothing captured: restoring it does nothing, and nothing is carried. */
        Captured NONE = new Captured() {
            @Override
            public Scope restore() {
                return Scope.NOTHING;
            }

            @Override
            public byte[] carried() {
                return null;
            }

            @Override
            public String toString() {
                return "no context";
            }
        };

        /**
         * Makes this context the calling thread's until the returned scope is closed: sets what it
         * holds, clears what the thread held that it does not. Close the scope on the same thread,
         * in reverse order of nested restores.
         *
         * @return the scope, whose {@code close()} puts back what the thread had
         */
        Scope restore();

        /**
         * Whether the calling thread holds this context now, value for value, as {@link #restore()}
         * sets it (what it does not hold cleared): lets a worker keep one restore open across the
         * run's invocations it makes one after another on its thread, and restore again only after
         * an invocation that changed the thread's context (rule 8.8). Must be much cheaper than a
         * restore and its close, and must never say {@code true} when they differ; {@code false}
         * when it cannot tell, which is the default.
         *
         * @return {@code true} only if the thread's context is this one
         */
        default boolean isCurrent() {
            return false;
        }

        /**
         * This context's form for another JVM, for {@link ContextPropagator#fromCarried} there:
         * what can be carried (strings, serializable values, a trace context's headers); the
         * rest is left out.
         *
         * @return the bytes, or null if nothing can be carried
         */
        byte[] carried();
    }

    /** A restored context, until {@link #close()}. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** A scope that restored nothing. */
        Scope NOTHING = () -> {};

        /** Puts back what the thread had before the restore; never throws. */
        @Override
        void close();
    }
}
