package dev.pyper.context;

/** Which optional libraries are on the class path: decided once, without loading any class of theirs. */
final class Libraries {

    /** Whether OpenTelemetry's API is there: its context is then carried (rule 8.8). */
    static final boolean OPENTELEMETRY = present("io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator");

    /** Whether SLF4J is there: its MDC is then carried. */
    static final boolean SLF4J = present("org.slf4j.MDC");

    private Libraries() {}

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Libraries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
