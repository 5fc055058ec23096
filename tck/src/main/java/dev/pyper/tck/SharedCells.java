package dev.pyper.tck;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory shared by every JVM on this machine that maps the same small file: the store behind the
 * kit's cross-process fixtures ({@link SharedCounter}, {@link SharedLatch}, {@link SharedBarrier}).
 *
 * <p>A test's function may run in another process (section 6), where a latch or counter of the
 * test's JVM, captured by a lambda, would arrive as a copy. A {@link Cell} instead names a slot of
 * a file, and every JVM that uses it maps that file: the test and its worker processes see one
 * value, changed with the processor's atomic instructions through a {@link VarHandle} view
 * (aligned 8-byte slots of a memory-mapped file, as the JDK's byte-buffer views allow).
 *
 * <h2>Invariants</h2>
 * Each cell is handed out once per test JVM ({@link #allocate()}), so no two fixtures share one;
 * so is each block ({@link #allocateBlock}), which its one owner may reuse.
 * The files live in a directory of this JVM that only its user can enter, and are deleted when
 * it exits; a worker process keeps its own mapping until it ends. Waiting on a cell polls it,
 * bounded, backing off from 20 µs to 1 ms, as {@link Tck#eventually} does: no JVM can sleep on
 * another's memory, and the kit never sleeps to synchronise.
 */
final class SharedCells {

    /** Slots per file. */
    private static final int CELLS = 512;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Map<String, MappedByteBuffer> MAPPED = new ConcurrentHashMap<>();
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LAST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static Path directory;
    private static String file;
    private static int next = CELLS;

    private SharedCells() {}

    /** A fresh cell, holding 0. */
    static synchronized Cell allocate() {
        if (next == CELLS) {
            file = newFile();
            next = 0;
        }
        return new Cell(file, next++);
    }

    /**
     * A fresh block of {@code cells} contiguous cells, all holding 0, in a file of its own: for
     * the kit's ledgers of running invocations ({@link RunLedger}), which need more room than
     * single cells.
     *
     * @param cells how many, at least 1
     * @return the block
     */
    static synchronized Block allocateBlock(int cells) {
        if (cells < 1) {
            throw new IllegalArgumentException("a block needs at least one cell, was " + cells);
        }
        return new Block(newFile(cells), cells);
    }

    private static String newFile() {
        return newFile(CELLS);
    }

    private static String newFile(int cells) {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory(
                        "pyper-tck-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                directory.toFile().deleteOnExit();
            }
            Path path = Files.createTempFile(directory, "cells-", "");
            path.toFile().deleteOnExit(); // registered after the directory: deleted before it
            Files.write(path, new byte[cells * Long.BYTES]);
            return path.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("the kit cannot make its shared memory file", e);
        }
    }

    /**
     * Maps a file once per JVM. A file channel is closed by an interrupt, and the first use of a
     * fixture in a worker may come from an interrupted function (a {@code finally} block of a
     * cancelled invocation): the interrupt is set aside while mapping, and kept.
     */
    private static MappedByteBuffer map(String file) {
        MappedByteBuffer mapped = MAPPED.get(file);
        if (mapped != null) {
            return mapped;
        }
        boolean interrupted = Thread.interrupted();
        try {
            return MAPPED.computeIfAbsent(file, SharedCells::mapNow);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static MappedByteBuffer mapNow(String file) {
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the kit's shared memory file " + file, e);
        }
    }

    /**
     * One 8-byte slot of shared memory; a value that crosses to other processes by serialization
     * and still names the same slot there.
     *
     * @param file the file that holds it
     * @param index the slot
     */
    record Cell(String file, int index) implements Serializable {

        private MappedByteBuffer buffer() {
            return map(file);
        }

        long get() {
            return (long) LONGS.getVolatile(buffer(), index * Long.BYTES);
        }

        void set(long value) {
            LONGS.setVolatile(buffer(), index * Long.BYTES, value);
        }

        long addAndGet(long delta) {
            return (long) LONGS.getAndAdd(buffer(), index * Long.BYTES, delta) + delta;
        }

        /** Sets the maximum of the value and {@code candidate}; returns the new value. */
        long max(long candidate) {
            MappedByteBuffer buffer = buffer();
            while (true) {
                long now = (long) LONGS.getVolatile(buffer, index * Long.BYTES);
                if (now >= candidate || LONGS.compareAndSet(buffer, index * Long.BYTES, now, candidate)) {
                    return Math.max(now, candidate);
                }
            }
        }

        /**
         * Waits until the value is at most {@code target}, at most {@code timeout}.
         *
         * @return whether it got there in time
         * @throws InterruptedException if the waiting thread is interrupted
         */
        boolean awaitAtMost(long target, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long backoff = FIRST_BACKOFF_NANOS;
            while (get() > target) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting on a shared fixture of the kit");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(backoff, left));
                backoff = Math.min(backoff * 2, LAST_BACKOFF_NANOS);
            }
            return true;
        }
    }

    /**
     * A run of contiguous 8-byte cells in a file of its own ({@link #allocateBlock}); like a
     * {@link Cell}, a value that crosses to other processes by serialization and still names the
     * same memory there. Cells are numbered from 0.
     *
     * @param file the file that holds it
     * @param cells how many cells it has
     */
    record Block(String file, int cells) implements Serializable {

        private int offset(int index) {
            if (index < 0 || index >= cells) {
                throw new IndexOutOfBoundsException("cell " + index + " of a block of " + cells);
            }
            return index * Long.BYTES;
        }

        long get(int index) {
            return (long) LONGS.getVolatile(map(file), offset(index));
        }

        void set(int index, long value) {
            LONGS.setVolatile(map(file), offset(index), value);
        }

        long addAndGet(int index, long delta) {
            return (long) LONGS.getAndAdd(map(file), offset(index), delta) + delta;
        }

        boolean compareAndSet(int index, long expected, long value) {
            return LONGS.compareAndSet(map(file), offset(index), expected, value);
        }
    }
}
