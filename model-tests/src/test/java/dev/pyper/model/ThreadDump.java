package dev.pyper.model;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A full thread dump for a hang report, virtual threads included where the JVM can dump them.
 */
final class ThreadDump {

    private ThreadDump() {}

    static String now() {
        try {
            Path dir = Files.createTempDirectory("pyper-model-dump");
            Path file = dir.resolve("threads.txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String dump = Files.readString(file);
            Files.delete(file);
            Files.delete(dir);
            return dump;
        } catch (IOException | RuntimeException e) {
            StringBuilder s = new StringBuilder("(platform threads only: " + e + ")\n");
            for (Map.Entry<Thread, StackTraceElement[]> t :
                    Thread.getAllStackTraces().entrySet()) {
                s.append('"')
                        .append(t.getKey().getName())
                        .append("\" ")
                        .append(t.getKey().getState())
                        .append('\n');
                for (StackTraceElement frame : t.getValue()) {
                    s.append("    at ").append(frame).append('\n');
                }
            }
            return s.toString();
        }
    }
}
