package dev.pyper.bench;

import java.lang.management.ManagementFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The machine and JVM that a benchmark ran on, for the report's header.
 *
 * @param cores available processors
 * @param memoryGiB physical memory, or -1 if the JVM cannot tell
 * @param jdk the runtime version and VM
 * @param os the operating system, version and architecture
 * @param date when the run started, in UTC
 */
record Machine(int cores, double memoryGiB, String jdk, String os, String date) {

    /** This machine, now. */
    static Machine current() {
        double memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memory,
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor")
                        + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)));
    }

    /** One line for the report. */
    String describe() {
        return String.format(Locale.ROOT, "%d cores, %.1f GiB memory, JDK %s, %s", cores, memoryGiB, jdk, os);
    }
}
