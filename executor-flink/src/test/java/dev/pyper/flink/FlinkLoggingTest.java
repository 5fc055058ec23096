package dev.pyper.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Flink's loggers are quietened only where the user's configuration leaves them without a level. */
class FlinkLoggingTest {

    @Test
    void aLoggerWithoutALevelOfItsOwnIsQuietened() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.pyper.flink.test.unconfigured");
        assertEquals(null, logger.getLevel());
        assertTrue(FlinkLogging.quieten(logger.getName(), "WARN"));
        assertEquals(Level.WARN, logger.getLevel());
        assertFalse(logger.isInfoEnabled());
    }

    @Test
    void aLevelTheUserConfiguredIsKept() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.pyper.flink.test.configured");
        logger.setLevel(Level.DEBUG);
        assertFalse(FlinkLogging.quieten(logger.getName(), "WARN"));
        assertEquals(Level.DEBUG, logger.getLevel());
        // this module's logback-test.xml sets org.apache.flink itself: the kit's deliberate failures stay quiet at
        // ERROR
        assertEquals(Level.ERROR, ((Logger) LoggerFactory.getLogger("org.apache.flink")).getLevel());
    }

    @Test
    void theQuietenedLoggersAreFlinksAndItsRpcLibrarys() {
        assertEquals("WARN", FlinkLogging.QUIET.get("org.apache.flink"));
        assertEquals("WARN", FlinkLogging.QUIET.get("org.apache.pekko"));
    }
}
