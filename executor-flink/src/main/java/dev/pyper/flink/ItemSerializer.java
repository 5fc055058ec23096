package dev.pyper.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes an {@link Item} between tasks: {@code null}, {@code Integer}, {@code Long},
 * {@code Double}, {@code Boolean} and {@code String} in a compact form of their own, anything else
 * by Java serialization (rule 1.6, as across processes under rule 6.3).
 *
 * <p>Java serialization reads classes through the thread's context class loader, which Flink sets
 * to the job's user-code class loader, so that classes shipped in the job's jars resolve on a
 * remote TaskManager. On the embedded cluster a value that Java serialization refuses is handed
 * over by reference instead (rule 2.2): kept in the run's {@link Handoff} under a number, which is
 * what crosses, and taken back by the next task, in the same JVM. On a remote cluster it fails
 * with its type named (rule 6.3); the task that emitted it is named by the invocation that called
 * the emit.
 */
final class ItemSerializer extends TypeSerializerSingleton<Item> {

    private static final long serialVersionUID = 1L;

    /** The one instance. */
    static final ItemSerializer INSTANCE = new ItemSerializer();

    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    private static final byte STRING = 5;
    private static final byte JAVA = 6;
    private static final byte HANDED_OVER = 7;

    private ItemSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true; // items are handed on by reference, as every in-JVM executor does
    }

    @Override
    public Item createInstance() {
        return Item.of(null);
    }

    @Override
    public Item copy(Item from) {
        return from;
    }

    @Override
    public Item copy(Item from, Item reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Item record, DataOutputView target) throws IOException {
        Object value = record.value();
        switch (value) {
            case null -> target.writeByte(NULL);
            case Integer i -> {
                target.writeByte(INT);
                target.writeInt(i);
            }
            case Long l -> {
                target.writeByte(LONG);
                target.writeLong(l);
            }
            case Double d -> {
                target.writeByte(DOUBLE);
                target.writeDouble(d);
            }
            case Boolean b -> {
                target.writeByte(BOOLEAN);
                target.writeBoolean(b);
            }
            case String s -> {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                target.writeByte(STRING);
                target.writeInt(bytes.length);
                target.write(bytes);
            }
            default -> {
                Handoff handoff = record.handoff();
                byte[] bytes =
                        handoff != null && !(value instanceof Serializable) ? null : javaSerializeOrNot(value, handoff);
                if (bytes == null) {
                    target.writeByte(HANDED_OVER);
                    target.writeUTF(handoff.runId());
                    target.writeLong(handoff.put(value));
                } else {
                    target.writeByte(JAVA);
                    target.writeInt(bytes.length);
                    target.write(bytes);
                }
            }
        }
    }

    /** The value serialized; or, where it cannot be and there is a handoff, null: hand it over by reference. */
    private static byte[] javaSerializeOrNot(Object value, Handoff handoff) throws IOException {
        try {
            return javaSerialize(value);
        } catch (NotSerializableException e) {
            if (handoff == null) {
                throw e;
            }
            return null; // a serializable type with a part that is not
        }
    }

    @Override
    public Item deserialize(DataInputView source) throws IOException {
        byte tag = source.readByte();
        return Item.of(
                switch (tag) {
                    case NULL -> null;
                    case INT -> source.readInt();
                    case LONG -> source.readLong();
                    case DOUBLE -> source.readDouble();
                    case BOOLEAN -> source.readBoolean();
                    case STRING -> new String(readBytes(source), StandardCharsets.UTF_8);
                    case JAVA -> javaDeserialize(readBytes(source));
                    case HANDED_OVER -> {
                        String runId = source.readUTF();
                        yield RunRef.handoff(runId).take(source.readLong());
                    }
                    default -> throw new IOException("unknown item tag " + tag + ": the stream is corrupt");
                });
    }

    @Override
    public Item deserialize(Item reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    /** Copies one record as it is written: a value handed over by reference stays waiting, under the same number. */
    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        byte tag = source.readByte();
        target.writeByte(tag);
        switch (tag) {
            case NULL -> {}
            case INT -> target.writeInt(source.readInt());
            case LONG -> target.writeLong(source.readLong());
            case DOUBLE -> target.writeDouble(source.readDouble());
            case BOOLEAN -> target.writeBoolean(source.readBoolean());
            case STRING, JAVA -> {
                byte[] bytes = readBytes(source);
                target.writeInt(bytes.length);
                target.write(bytes);
            }
            case HANDED_OVER -> {
                target.writeUTF(source.readUTF());
                target.writeLong(source.readLong());
            }
            default -> throw new IOException("unknown item tag " + tag + ": the stream is corrupt");
        }
    }

    @Override
    public TypeSerializerSnapshot<Item> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Java serialization of a value, with its type named when it cannot be serialized. */
    static byte[] javaSerialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new NotSerializableException(
                    "a value of type " + value.getClass().getName()
                            + " cannot cross between Flink tasks: it is not serializable (" + e.getMessage() + ")");
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #javaSerialize} wrote, resolving classes through the context class loader. */
    static Object javaDeserialize(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ContextClassLoaderInput(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(
                    "a value's class is not on this TaskManager's class path or in the job's jars: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] readBytes(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return bytes;
    }

    /** An object stream that finds classes the way Flink's user code does. */
    private static final class ContextClassLoaderInput extends ObjectInputStream {
        ContextClassLoaderInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException notThere) {
                    // fall back to the stream's own resolution (primitives, the JDK's classes)
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** The serializer's snapshot for Flink's state machinery; it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Item> {
        /** For Flink, which makes it by reflection. */
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
