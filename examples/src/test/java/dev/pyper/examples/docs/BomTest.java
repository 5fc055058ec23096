package dev.pyper.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM lists exactly the artifacts that are published (the modules that set
 * {@code pyper.publish.skip} to false and build a jar), each at the project's version: a module
 * added to the publication and forgotten in the BOM fails here.
 */
class BomTest {

    @Test
    void theBomListsEveryPublishedArtifactAtTheProjectsVersion() throws Exception {
        Path root = MarkdownJavaTest.projectRoot();
        Map<String, String> published = new TreeMap<>();
        for (String module : texts(child(read(root.resolve("pom.xml")), "modules"), "module")) {
            Element pom = read(root.resolve(module).resolve("pom.xml"));
            Element properties = child(pom, "properties");
            boolean publish = properties != null && "false".equals(text(properties, "pyper.publish.skip"));
            String packaging = text(pom, "packaging");
            if (publish && (packaging == null || packaging.equals("jar"))) {
                published.put(text(pom, "artifactId"), "${project.version}");
            }
        }
        Map<String, String> listed = new TreeMap<>();
        Element bom = read(root.resolve("bom").resolve("pom.xml"));
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("dev.pyper", text(dependency, "groupId"));
            listed.put(text(dependency, "artifactId"), text(dependency, "version"));
        }
        assertEquals(published, listed);
        assertEquals(
                9,
                listed.size(),
                "api, engine, four executors, the kit, the Micrometer binding and the context module: " + listed);
    }

    private static Element read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(pom.toFile())
                .getDocumentElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream()
                .map(e -> e.getTextContent().strip())
                .toList();
    }
}
