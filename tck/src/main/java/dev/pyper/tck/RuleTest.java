package dev.pyper.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a conformance test and names the rule of the specification that it checks.
 *
 * <p>The test runs {@code -Dtck.repeat=N} times (1 by default), under the kit's watchdog
 * ({@link Tck#timeout()}), and is skipped, with the reason, when the executor under test declares
 * the rule, or its section, in {@link dev.pyper.PipelineExecutor#unsupportedRules()}
 * (rule 7.2).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(TckExtension.class)
public @interface RuleTest {

    /**
     * The rule's number, such as {@code "2.6"}.
     *
     * @return the rule number
     */
    String value();
}
