package dev.pyper.process;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one frame at a time in a reusable buffer: {@code [int length][byte type][payload]}.
 *
 * <p>Values that are {@code null}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code String} or {@code byte[]} are written directly, as most pipelines pass such small items
 * and Java serialization would cost more than the pipe; anything else is Java-serialized into
 * the frame (rule 6.3). A value that fails to serialize leaves the frame as it was before the
 * value, so that nothing half-written ever reaches the link.
 *
 * <p>Not thread-safe: each side of a link owns one.
 */
final class FrameOut {

    static final byte NULL = 0;
    static final byte INT = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte BOOLEAN = 4;
    static final byte STRING = 5;
    static final byte BYTES = 6;
    static final byte SERIALIZED = 7;

    private byte[] buf = new byte[8192];
    private int pos;
    private final Sink view = new Sink();

    /** Writes straight into the frame, for Java serialization; never throws. */
    private final class Sink extends OutputStream {
        @Override
        public void write(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }
    }

    /** Starts a new frame of the given type, dropping whatever was built before. */
    FrameOut begin(byte type) {
        pos = 4;
        buf[pos++] = type;
        return this;
    }

    FrameOut putInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    FrameOut putLong(long v) {
        putInt((int) (v >>> 32));
        return putInt((int) v);
    }

    FrameOut putBoolean(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    FrameOut putString(String s) {
        return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private FrameOut putBytes(byte[] b) {
        putInt(b.length);
        view.write(b, 0, b.length);
        return this;
    }

    /**
     * Appends one value.
     *
     * @throws NotSerializableValueException if it cannot be serialized; the frame is unchanged
     */
    FrameOut putValue(Object v) {
        ensure(1);
        int mark = pos;
        switch (v) {
            case null -> buf[pos++] = NULL;
            case Integer i -> putTag(INT).putInt(i);
            case Long l -> putTag(LONG).putLong(l);
            case Double d -> putTag(DOUBLE).putLong(Double.doubleToRawLongBits(d));
            case Boolean b -> putTag(BOOLEAN).putBoolean(b);
            case String s -> putTag(STRING).putString(s);
            case byte[] b -> putTag(BYTES).putBytes(b);
            default -> {
                putTag(SERIALIZED).putInt(0);
                int start = pos;
                try (ObjectOutputStream out = new ObjectOutputStream(view)) {
                    out.writeObject(v);
                } catch (IOException | RuntimeException e) {
                    pos = mark;
                    throw new NotSerializableValueException(v.getClass(), e);
                }
                int length = pos - start;
                writeIntAt(start - 4, length);
            }
        }
        return this;
    }

    private FrameOut putTag(byte tag) {
        ensure(1);
        buf[pos++] = tag;
        return this;
    }

    /** Ends the frame: the returned buffer is valid until the next {@link #begin}. */
    ByteBuffer end() {
        writeIntAt(0, pos - 4);
        return ByteBuffer.wrap(buf, 0, pos);
    }

    private void writeIntAt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) pos + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a frame cannot exceed 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    /** A value that Java serialization refused; names its type (rule 6.3). */
    static final class NotSerializableValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotSerializableValueException(Class<?> type, Exception cause) {
            super("a value of type " + type.getName() + " cannot be serialized: " + cause, cause);
        }
    }
}
