package dev.pyper.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kit covers the specification: every numbered rule of docs/SPEC.md has a {@link RuleTest} in
 * the kit's classes, or a row in {@code unchecked-rules.md} saying why the kit cannot check it; and
 * the kit's README shows that table as it is. A rule added to the specification without either
 * fails the build, naming the rule and both ways out.
 */
class RuleCoverageTest {

    /** A rule of the specification: {@code - 2.6 throttle(t) with …}. */
    private static final Pattern SPEC_RULE = Pattern.compile("^- (\\d+\\.\\d+) (.*)$");

    private static final String UNCHECKED_FILE = "tck/src/main/resources/dev/pyper/tck/" + UncheckedRules.RESOURCE;
    private static final String README_HEADING = "## What the kit does not check automatically";

    @Test
    void everyRuleOfTheSpecificationHasATestOrAReasonInTheKit() throws Exception {
        Map<String, String> spec = specRules();
        Map<String, List<String>> tests = kitTests();
        List<UncheckedRules.Row> unchecked = UncheckedRules.rows();
        Set<String> listed = unchecked.stream().map(UncheckedRules.Row::rule).collect(Collectors.toSet());

        List<String> problems = new ArrayList<>();
        spec.forEach((rule, text) -> {
            if (!tests.containsKey(rule) && !listed.contains(rule)) {
                problems.add(
                        "rule " + rule + " (\"" + abbreviate(text) + "\") has no test in the kit and no reason why not:"
                                + " add a @RuleTest(\"" + rule + "\") test to the kit, or a row \"| " + rule + " | "
                                + UncheckedRules.WHOLE_RULE + " | why |\" to " + UNCHECKED_FILE);
            }
        });
        tests.forEach((rule, methods) -> {
            if (!spec.containsKey(rule)) {
                problems.add("@RuleTest(\"" + rule + "\") names no rule of docs/SPEC.md: " + methods);
            }
        });
        for (UncheckedRules.Row row : unchecked) {
            if (!spec.containsKey(row.rule())) {
                problems.add(UNCHECKED_FILE + " lists rule " + row.rule() + ", which docs/SPEC.md does not have");
            } else if (row.wholeRule() && tests.containsKey(row.rule())) {
                problems.add(UNCHECKED_FILE + " says the kit checks no part of rule " + row.rule() + ", but "
                        + tests.get(row.rule()) + " check it: remove the row, or say which part is left unchecked");
            } else if (!row.wholeRule() && !tests.containsKey(row.rule())) {
                problems.add(UNCHECKED_FILE + " lists a part of rule " + row.rule() + " (" + row.what()
                        + "), but no test checks" + " the rest: say \"" + UncheckedRules.WHOLE_RULE
                        + "\", or add its test");
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " rule(s) of docs/SPEC.md and the kit do not match:\n  - "
                    + String.join("\n  - ", problems));
        }
        assertTrue(spec.size() >= 40, () -> "expected the specification's rules, read " + spec.keySet());
        List<String> notYet = unchecked.stream()
                .filter(r -> r.why().startsWith("not yet checked"))
                .map(UncheckedRules.Row::rule)
                .toList();
        if (!notYet.isEmpty()) {
            System.out.println("[pyper-tck] rules of docs/SPEC.md that the kit does not check yet: " + notYet);
        }
    }

    @Test
    void everyTestOfTheKitIsNamedAfterItsRule() throws Exception {
        List<String> misnamed = new ArrayList<>();
        for (Class<?> c : kitClasses()) {
            for (Method m : c.getDeclaredMethods()) {
                RuleTest rule = m.getAnnotation(RuleTest.class);
                if (rule != null
                        && !m.getName().startsWith("rule_" + rule.value().replace('.', '_') + "_")) {
                    misnamed.add(c.getSimpleName() + "." + m.getName() + " checks rule " + rule.value());
                }
            }
        }
        assertEquals(List.of(), misnamed, "a test of rule N.M is named rule_N_M_whatItChecks");
    }

    @Test
    void theReadmeShowsTheTableOfWhatTheKitDoesNotCheck() throws IOException {
        List<String> readme = Files.readAllLines(moduleDirectory().resolve("README.md"));
        int heading = -1;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).startsWith(README_HEADING)) {
                heading = i;
            }
        }
        assertTrue(heading >= 0, "tck/README.md has no section \"" + README_HEADING + "\"");
        List<String> shown = new ArrayList<>();
        for (int i = heading + 1; i < readme.size(); i++) {
            String line = readme.get(i);
            if (line.startsWith("|")) {
                shown.add(line);
            } else if (!shown.isEmpty() || line.startsWith("#")) {
                break;
            }
        }
        List<String> table =
                UncheckedRules.table().lines().filter(l -> l.startsWith("|")).toList();
        if (!table.equals(shown)) {
            fail("tck/README.md's table under \"" + README_HEADING + "\" differs from " + UNCHECKED_FILE
                    + ", the one place that lists what the kit does not check. The table, to paste into the README:\n\n"
                    + String.join("\n", table) + "\n");
        }
    }

    @Test
    void theTableOfWhatTheKitDoesNotCheckIsReadAsWritten() {
        List<UncheckedRules.Row> rows = UncheckedRules.rows();
        assertFalse(rows.isEmpty());
        for (UncheckedRules.Row row : rows) {
            assertTrue(row.rule().matches("\\d+\\.\\d+"), () -> "not a rule number: " + row);
            assertFalse(row.what().isBlank() || row.why().isBlank(), () -> "a row says what and why: " + row);
        }
    }

    /** The numbered rules of docs/SPEC.md, with their text's first line. */
    static Map<String, String> specRules() throws IOException {
        Path spec = moduleDirectory().resolve("../docs/SPEC.md").normalize();
        Map<String, String> rules = new LinkedHashMap<>();
        boolean numberedSection = false;
        for (String line : Files.readAllLines(spec)) {
            if (line.startsWith("## ")) {
                numberedSection = line.matches("## [1-9]\\d*\\. .*");
            }
            Matcher m = SPEC_RULE.matcher(line);
            if (numberedSection && m.matches()) {
                if (rules.put(m.group(1), m.group(2)) != null) {
                    fail("docs/SPEC.md numbers two rules " + m.group(1));
                }
            }
        }
        return rules;
    }

    /** Every {@link RuleTest} of the kit's classes: rule to the tests that check it. */
    static Map<String, List<String>> kitTests() throws Exception {
        Map<String, List<String>> tests = new TreeMap<>(ConformanceReport.RULE_ORDER);
        for (Class<?> c : kitClasses()) {
            for (Method m : c.getDeclaredMethods()) {
                RuleTest rule = m.getAnnotation(RuleTest.class);
                if (rule != null) {
                    tests.computeIfAbsent(rule.value(), r -> new ArrayList<>())
                            .add(c.getSimpleName() + "." + m.getName());
                }
            }
        }
        return tests;
    }

    /** The classes of the kit, read from where {@link RuleTest} was loaded (the module's target/classes). */
    static List<Class<?>> kitClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(RuleTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        assertTrue(Files.isDirectory(root), () -> "expected the kit's classes in a directory, found " + root);
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/pyper/tck"))) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                String relative =
                        root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                names.add(relative.substring(0, relative.length() - ".class".length()));
            });
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, RuleCoverageTest.class.getClassLoader()));
        }
        return classes;
    }

    static Path moduleDirectory() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }

    private static String abbreviate(String text) {
        return text.length() <= 70 ? text : text.substring(0, 69) + "…";
    }
}
