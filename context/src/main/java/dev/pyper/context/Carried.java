package dev.pyper.context;

import io.micrometer.context.ContextAccessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context in the form that crosses to another JVM (rule 8.8): each value that can be carried,
 * serialized on its own under its accessor's key, so that one value that cannot be read in the
 * other JVM (its class is not there) leaves out that value alone. Written from a snapshot and read
 * into one by {@link Accessor}, Micrometer's way of moving values between a snapshot and a context
 * object.
 *
 * <p>What is carried: every value whose key is a {@code String} and that is {@link Serializable},
 * which takes in the MDC (a map of strings); OpenTelemetry's context as its W3C headers. What is
 * not: other values, left out with a DEBUG line the first time per key.
 */
final class Carried {

    private static final Logger LOG = LoggerFactory.getLogger(Carried.class);
    /** The outer map holds only strings and byte arrays: nothing else is read from it. */
    private static final ObjectInputFilter ONLY_KEYS_AND_BYTES = ObjectInputFilter.Config.createFilter(
            "java.util.HashMap;java.util.Map$Entry;java.lang.String;[B;!*;maxdepth=3");
    /** The keys already said to be left out, so that each is said once per JVM. */
    private static final Set<Object> NOTED = ConcurrentHashMap.newKeySet();

    private final HashMap<String, byte[]> values;

    Carried() {
        this(new HashMap<>());
    }

    private Carried(HashMap<String, byte[]> values) {
        this.values = values;
    }

    /**
     * The context in {@code bytes}, as {@link #bytes()} wrote it.
     *
     * @param bytes the bytes, or null
     * @return the values; none if {@code bytes} is null or cannot be read
     */
    @SuppressWarnings("unchecked")
    static Carried read(byte[] bytes) {
        if (bytes == null) {
            return new Carried();
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ONLY_KEYS_AND_BYTES);
            return new Carried((HashMap<String, byte[]>) in.readObject());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            LOG.warn(
                    "The context carried from the caller's JVM cannot be read; invocations run without it: {}",
                    e.toString());
            return new Carried();
        }
    }

    /**
     * This context's bytes.
     *
     * @return the bytes, or null if nothing is carried
     */
    byte[] bytes() {
        if (values.isEmpty()) {
            return null;
        }
        try {
            return serialize(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a map of byte arrays", e);
        }
    }

    /** The form of one value for another JVM; null if it cannot be carried. */
    private static byte[] encode(Object key, Object value) {
        if (!(key instanceof String)) {
            note(key, value, "its key is not a String");
            return null;
        }
        Object form = OpenTelemetryAccessor.KEY.equals(key) ? OpenTelemetryAccessor.headers(value) : value;
        if (form instanceof Map<?, ?> map && map.isEmpty() && OpenTelemetryAccessor.KEY.equals(key)) {
            return null; // no valid span, no baggage
        }
        if (!(form instanceof Serializable)) {
            note(key, value, "it is not Serializable");
            return null;
        }
        try {
            return serialize(form);
        } catch (IOException | RuntimeException e) {
            note(key, value, "it cannot be serialized: " + e);
            return null;
        }
    }

    /** One value as this JVM knows it; null if it cannot be read here. */
    private static Object decode(String key, byte[] bytes) {
        try {
            Object form = deserialize(bytes);
            if (OpenTelemetryAccessor.KEY.equals(key)) {
                if (!Libraries.OPENTELEMETRY) {
                    return null;
                }
                @SuppressWarnings("unchecked")
                Map<String, String> headers = (Map<String, String>) form;
                return OpenTelemetryAccessor.fromHeaders(headers);
            }
            return form;
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            if (NOTED.add(key)) {
                LOG.warn(
                        "The context value under '{}' carried from the caller's JVM cannot be read here; invocations run"
                                + " without it: {}",
                        key,
                        e.toString());
            }
            return null;
        }
    }

    private static void note(Object key, Object value, String why) {
        if (NOTED.add(key)) {
            LOG.debug(
                    "The context value under '{}' ({}) is not carried to other JVMs: {}",
                    key,
                    value == null ? "null" : value.getClass().getName(),
                    why);
        }
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Reads a value with the thread's context class loader, where the application's classes are. */
    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        }
    }

    private static final class LoaderInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // a JDK class or one of this library's: the default resolution finds it
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** Moves values between a snapshot and a {@link Carried}: Micrometer's seam for a context object. */
    static final class Accessor implements ContextAccessor<Carried, Carried> {

        @Override
        public Class<? extends Carried> readableType() {
            return Carried.class;
        }

        @Override
        public void readValues(Carried source, Predicate<Object> keyPredicate, Map<Object, Object> readValues) {
            source.values.forEach((key, bytes) -> {
                if (keyPredicate.test(key)) {
                    Object value = decode(key, bytes);
                    if (value != null) {
                        readValues.put(key, value);
                    }
                }
            });
        }

        @Override
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // Micrometer's signature
        public <T> T readValue(Carried source, Object key) {
            byte[] bytes = key instanceof String k ? source.values.get(k) : null;
            return bytes == null ? null : (T) decode((String) key, bytes);
        }

        @Override
        public Class<? extends Carried> writeableType() {
            return Carried.class;
        }

        @Override
        public Carried writeValues(Map<Object, Object> valuesToWrite, Carried target) {
            valuesToWrite.forEach((key, value) -> {
                byte[] bytes = encode(key, value);
                if (bytes != null) {
                    target.values.put((String) key, bytes);
                }
            });
            return target;
        }
    }
}
