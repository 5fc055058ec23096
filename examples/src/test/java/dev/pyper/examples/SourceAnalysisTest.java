package dev.pyper.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceAnalysisTest {

    private static FileStats analyse(String path) {
        String text = TestCorpus.FILES.get(path);
        return SourceAnalysis.analyse(new SourceText(new SourceFile(Corpus.moduleOf(path), path), text));
    }

    @Test
    void countsLinesByKindWithCommentMarkersInsideStringsAndStringsInsideComments() {
        FileStats circle = analyse("alpha/p/Circle.java");
        assertEquals(18, circle.lines());
        assertEquals(3, circle.blank());
        assertEquals(3, circle.comment()); // "/*", " * A circle …", " */"
        assertEquals(12, circle.code());
        assertEquals("alpha", circle.module());
    }

    @Test
    void textBlocksAndCharacterLiteralsAreCode() {
        FileStats main = analyse("beta/q/Main.java");
        assertEquals(16, main.lines());
        assertEquals(3, main.blank());
        assertEquals(0, main.comment());
        assertEquals(13, main.code());
        assertFalse(main.identifiers().containsKey("inside"), "words inside a text block are not identifiers");
        assertFalse(main.identifiers().containsKey("text"));
    }

    @Test
    void countsDeclaredTypesAndMethodsButNotCalls() {
        FileStats circle = analyse("alpha/p/Circle.java");
        assertEquals(1, circle.types()); // the record
        assertEquals(2, circle.methods()); // area(), unit(int); not Math calls, List.of, new Circle
        FileStats shape = analyse("alpha/p/Shape.java");
        assertEquals(1, shape.types());
        assertEquals(1, shape.methods()); // the abstract area();
        FileStats main = analyse("beta/q/Main.java");
        assertEquals(2, main.types()); // Main, Colour
        assertEquals(2, main.methods()); // the constructor and run(); not the call run();
    }

    @Test
    void countsIdentifiersInCodeOnlyWithoutKeywordsOrImports() {
        FileStats circle = analyse("alpha/p/Circle.java");
        assertEquals(3, circle.identifiers().get("radius"));
        assertEquals(3, circle.identifiers().get("Circle")); // record Circle, List<Circle>, new Circle
        assertEquals(2, circle.identifiers().get("List")); // not the import
        assertFalse(circle.identifiers().containsKey("java"), "package and import names are not counted");
        assertFalse(circle.identifiers().containsKey("quotes"), "comments are not counted");
        assertFalse(circle.identifiers().containsKey("public"), "keywords are not identifiers");
        assertFalse(circle.identifiers().containsKey("comment"), "string literals are not counted");
    }

    @Test
    void aFileWithoutFinalNewlineStillCountsItsLastLine() {
        FileStats stats = SourceAnalysis.analyse(new SourceText(new SourceFile("m", "m/A.java"), "class A {\n\n}"));
        assertEquals(3, stats.lines());
        assertEquals(1, stats.blank());
        assertEquals(2, stats.code());
    }

    @Test
    void aModuleDeclarationHasLinesButNoIdentifiers() {
        String text = "module m.core {\n    requires transitive java.sql;\n}\n";
        FileStats stats =
                SourceAnalysis.analyse(new SourceText(new SourceFile("m.core", "m.core/module-info.java"), text));
        assertEquals(3, stats.code());
        assertEquals(Map.of(), stats.identifiers());
    }
}
