package dev.pyper.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A few counters that the test JVM and the worker processes of a run share: the attempts that a
 * {@link Flaky} function made per input and the dead letters its sink took, which must be counted
 * in one place even where the function runs in another JVM (rule 1.5). A tally names a run of
 * 8-byte slots of a memory-mapped file; it crosses to a worker process by serialization and still
 * names the same memory there, where it is changed with the processor's atomic instructions.
 *
 * <p>Slots are handed out once per test JVM, from files of {@value #SLOTS} slots made as needed in
 * a directory that only this user can enter, deleted when the JVM exits. Nothing waits on a slot.
 *
 * @param file the file that holds the slots
 * @param first the first slot
 * @param size how many slots
 */
record SharedTally(String file, int first, int size) implements Serializable {

    private static final int SLOTS = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Map<String, MappedByteBuffer> MAPPED = new ConcurrentHashMap<>();

    private static Path directory;
    private static String current;
    private static int next = SLOTS;

    /** A fresh tally of {@code size} slots, all 0. */
    static synchronized SharedTally allocate(int size) {
        if (size > SLOTS) {
            throw new IllegalArgumentException("a tally has at most " + SLOTS + " slots, asked for " + size);
        }
        if (next + size > SLOTS) {
            current = newFile();
            next = 0;
        }
        SharedTally tally = new SharedTally(current, next, size);
        next += size;
        return tally;
    }

    long get(int slot) {
        return (long) LONGS.getVolatile(buffer(), offset(slot));
    }

    /** Adds one; returns the new value. */
    long increment(int slot) {
        return (long) LONGS.getAndAdd(buffer(), offset(slot), 1L) + 1;
    }

    /** Adds {@code delta}; returns the new value. */
    long add(int slot, long delta) {
        return (long) LONGS.getAndAdd(buffer(), offset(slot), delta) + delta;
    }

    /** Sets the slot to {@code value}. */
    void set(int slot, long value) {
        LONGS.setVolatile(buffer(), offset(slot), value);
    }

    /** Sets the slot to {@code value} if it holds {@code expected}; returns whether it did. */
    boolean compareAndSet(int slot, long expected, long value) {
        return (boolean) LONGS.compareAndSet(buffer(), offset(slot), expected, value);
    }

    private int offset(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of a tally of " + size);
        }
        return (first + slot) * Long.BYTES;
    }

    private MappedByteBuffer buffer() {
        MappedByteBuffer mapped = MAPPED.get(file);
        if (mapped != null) {
            return mapped;
        }
        boolean interrupted =
                Thread.interrupted(); // an interrupt would close the channel while mapping: set aside, kept
        try {
            return MAPPED.computeIfAbsent(file, SharedTally::map);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static MappedByteBuffer map(String file) {
        try (FileChannel channel = FileChannel.open(
                Path.of(file), java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the model's shared tally file " + file, e);
        }
    }

    private static String newFile() {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory(
                        "pyper-model-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                directory.toFile().deleteOnExit();
            }
            Path path = Files.createTempFile(directory, "tally-", "");
            path.toFile().deleteOnExit(); // registered after the directory: deleted before it
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
                f.setLength((long) SLOTS * Long.BYTES); // zeros
            }
            return path.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("the model cannot make its shared tally file", e);
        }
    }
}
