package dev.pyper.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One received frame: its type and a cursor over its payload, read in the order that
 * {@link FrameOut} wrote it. Valid only until the link receives the next frame.
 */
final class FrameIn {

    private final byte type;
    private final ByteBuffer payload;

    FrameIn(byte type, ByteBuffer payload) {
        this.type = type;
        this.payload = payload;
    }

    byte type() {
        return type;
    }

    int getInt() {
        return payload.getInt();
    }

    boolean getBoolean() {
        return payload.get() != 0;
    }

    String getString() {
        return new String(getBytes(), StandardCharsets.UTF_8);
    }

    private byte[] getBytes() {
        byte[] b = new byte[payload.getInt()];
        payload.get(b);
        return b;
    }

    /**
     * Reads one value, resolving serialized classes with {@code loader}.
     *
     * @throws IOException if a serialized value cannot be read (its class is missing, say)
     */
    Object getValue(ClassLoader loader) throws IOException {
        byte tag = payload.get();
        return switch (tag) {
            case FrameOut.NULL -> null;
            case FrameOut.INT -> payload.getInt();
            case FrameOut.LONG -> payload.getLong();
            case FrameOut.DOUBLE -> Double.longBitsToDouble(payload.getLong());
            case FrameOut.BOOLEAN -> getBoolean();
            case FrameOut.STRING -> getString();
            case FrameOut.BYTES -> getBytes();
            case FrameOut.SERIALIZED -> deserialize(getBytes(), loader);
            default -> throw new IOException("corrupt frame: unknown value tag " + tag);
        };
    }

    private static Object deserialize(byte[] bytes, ClassLoader loader) throws IOException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(
                    "a received value's class is not on this JVM's class path: " + e.getMessage());
        }
    }

    /** Resolves classes with a given loader: the one that loaded the task's function. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
