package dev.pyper.engine;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.jvm.agent.InstrumentationMode;
import org.jetbrains.lincheck.jvm.agent.LincheckInstrumentation;

/**
 * The harness of the interleaving tests ({@code *InterleavingsTest}): Lincheck's model checker runs
 * a scenario of a few threads over and over, each time with another interleaving of their
 * shared-memory accesses, lock operations and parks (it decides every thread switch), and fails
 * with that interleaving when an assertion fails, a thread throws, or the threads hang (a lost
 * wake-up, a deadlock).
 *
 * <p>A scenario creates its objects, starts its threads with {@link #start}, joins them with
 * {@link #join} (which rethrows what a thread threw), and asserts. Lincheck assumes sequential
 * consistency: it finds missing signals, lost updates and check-then-act races, not what a missing
 * {@code volatile} does under the Java memory model.
 *
 * <p>{@value #PROPERTY} sets how many interleavings each scenario explores (default
 * {@value #DEFAULT_INVOCATIONS}; {@code ./mvnw -pl engine verify -Dpyper.interleavings=5000} for a
 * deeper run); a scenario with fewer stops when it has explored them all. Each scenario prints how
 * many it explored.
 *
 * <p>These tests run in a JVM of their own (the {@code interleavings} execution of Surefire in
 * {@code engine/pom.xml}, by their {@code interleavings} tag), because of how the agent is set up
 * here: left to itself, Lincheck attaches its agent and instruments the JDK's and the engine's
 * classes at the start of every scenario and undoes it at the end, which made each scenario cost
 * seconds and each interleaving tens of milliseconds. Installed once, as an agent attached at
 * start-up would be, it stays for the JVM's life, and Lincheck skips both steps: the whole set then
 * runs in well under a minute.
 */
final class Interleavings {

    static final String PROPERTY = "pyper.interleavings";
    static final int DEFAULT_INVOCATIONS = 100;
    /** The JUnit tag of the interleaving tests, which Surefire runs in a JVM of their own. */
    static final String TAG = "interleavings";

    static {
        LincheckInstrumentation agent = LincheckInstrumentation.INSTANCE;
        if (agent.getJavaAgentAttachType() == null) {
            agent.attachJavaAgentStatically(ByteBuddyAgent.install());
            agent.install(InstrumentationMode.MODEL_CHECKING);
        }
    }

    private Interleavings() {}

    /** How many interleavings each scenario explores. */
    static int invocations() {
        return Integer.getInteger(PROPERTY, DEFAULT_INVOCATIONS);
    }

    /**
     * Explores the interleavings of {@code scenario}, run on the test's thread, and prints how many
     * it ran (in the test's report).
     */
    static void explore(Body scenario) {
        String test = StackWalker.getInstance()
                .walk(frames -> frames.skip(1).findFirst().orElseThrow())
                .getMethodName();
        // After each run Lincheck rolls back what the scenario changed in the objects it can reach,
        // a counter among them; the system properties, reached through java.lang.System, which it
        // does not instrument, keep the count.
        String counter = PROPERTY + ".run." + test + "." + System.nanoTime();
        System.getProperties().put(counter, 0);
        long started = System.nanoTime();
        try {
            Lincheck.runConcurrentTest(invocations(), () -> {
                System.getProperties().merge(counter, 1, (a, b) -> (Integer) a + (Integer) b);
                try {
                    scenario.run();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            Object runs = System.getProperties().remove(counter);
            System.out.printf(
                    "%s: %s interleavings explored in %.1f s%n", test, runs, (System.nanoTime() - started) / 1e9);
        }
    }

    /** A body of a scenario or of one of its threads. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A thread of a scenario, which keeps what its body threw for {@link #join}. */
    static final class Party {
        private final Thread thread;
        private Throwable thrown;

        private Party(Body body) {
            thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    thrown = t;
                }
            });
        }

        Thread thread() {
            return thread;
        }
    }

    /** Starts a thread of the scenario. */
    static Party start(Body body) {
        Party party = new Party(body);
        party.thread.start();
        return party;
    }

    /** Waits for the threads to end; rethrows the first thing one of them threw. */
    static void join(Party... parties) {
        for (Party p : parties) {
            try {
                p.thread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        for (Party p : parties) {
            if (p.thrown != null) {
                throw new AssertionError("a thread of the scenario threw", p.thrown);
            }
        }
    }
}
