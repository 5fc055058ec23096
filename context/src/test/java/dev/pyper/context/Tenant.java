package dev.pyper.context;

import io.micrometer.context.ThreadLocalAccessor;

/**
 * A thread-local of the user's own, registered with Micrometer's global {@code ContextRegistry}
 * through {@code ServiceLoader} (this test's {@code META-INF/services}), so that a worker JVM
 * knows it too: what "whatever else a user registers" means in the tests.
 */
public final class Tenant implements ThreadLocalAccessor<String> {

    static final String KEY = "test.tenant";
    static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public String getValue() {
        return CURRENT.get();
    }

    @Override
    public void setValue(String value) {
        CURRENT.set(value);
    }

    @Override
    public void setValue() {
        CURRENT.remove();
    }
}
