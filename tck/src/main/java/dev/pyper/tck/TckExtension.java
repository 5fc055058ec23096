package dev.pyper.tck;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs every {@link RuleTest} {@code -Dtck.repeat=N} times, each under a watchdog: a test still
 * running after {@link Tck#testTimeout()} gets a thread dump on stderr and an interrupt, so that a
 * hang fails with evidence instead of stalling the build; and tells the conformance report which
 * executor each test ran against ({@link ConformanceReportListener}).
 */
final class TckExtension implements TestTemplateInvocationContextProvider, InvocationInterceptor, AfterEachCallback {

    /** One daemon thread for every watchdog of the JVM; its name tells the leak census to ignore it. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, LeakCensus.KIT_THREAD_PREFIX + "watchdog");
        t.setDaemon(true);
        return t;
    });

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(RuleTest.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        int repeat = Tck.repeat();
        String rule =
                context.getRequiredTestMethod().getAnnotation(RuleTest.class).value();
        return IntStream.rangeClosed(1, repeat).mapToObj(i -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return repeat == 1 ? "rule " + rule : "rule " + rule + " [" + i + "/" + repeat + "]";
            }

            @Override
            public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
                return List.of();
            }
        });
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        Thread testThread = Thread.currentThread();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(
                () -> {
                    System.err.println("[pyper-tck] " + extensionContext.getDisplayName() + " of "
                            + invocationContext.getExecutable().getName() + " is still running after "
                            + Tck.testTimeout() + "; thread dump follows, then the test is interrupted");
                    dumpThreads();
                    testThread.interrupt();
                },
                Tck.testTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            invocation.proceed();
        } finally {
            alarm.cancel(false);
        }
    }

    /** After the test and its {@code @AfterEach} methods: the executor it ran against, for the conformance report. */
    @Override
    public void afterEach(ExtensionContext context) {
        context.getTestInstance()
                .filter(ExecutorVerification.class::isInstance)
                .map(test -> ((ExecutorVerification) test).executor())
                .ifPresent(executor -> ConformanceReport.record(context.getUniqueId(), executor));
    }

    static void dumpThreads() {
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            StringBuilder b = new StringBuilder("\"")
                    .append(e.getKey().getName())
                    .append("\" ")
                    .append(e.getKey().getState())
                    .append('\n');
            for (StackTraceElement frame : e.getValue()) {
                b.append("    at ").append(frame).append('\n');
            }
            System.err.print(b);
        }
    }
}
