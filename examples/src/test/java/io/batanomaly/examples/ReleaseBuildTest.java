package io.batanomaly.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps the release build honest as modules are added: the BOM lists exactly the deployed
 * modules, at the build's version, and every deployed jar has a module name of its own.
 */
class ReleaseBuildTest {
  private static final Path ROOT = Path.of("..");

  private static Document read(Path pom) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  /** The text of the first child element of {@code parent} named {@code name}, or null. */
  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && n.getNodeName().equals(name)) {
        return n.getTextContent().trim();
      }
    }
    return null;
  }

  private static Element childElement(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && n.getNodeName().equals(name)) {
        return (Element) n;
      }
    }
    return null;
  }

  private static List<String> modules() {
    NodeList nodes = read(ROOT.resolve("pom.xml")).getElementsByTagName("module");
    List<String> modules = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      modules.add(nodes.item(i).getTextContent().trim());
    }
    return modules;
  }

  /** A module is deployed unless it sets maven.deploy.skip to true; the BOM itself aside. */
  private static boolean deployed(Element project) {
    Element properties = childElement(project, "properties");
    String skip = properties == null ? null : child(properties, "maven.deploy.skip");
    String packaging = child(project, "packaging");
    return !"true".equals(skip) && (packaging == null || packaging.equals("jar"));
  }

  @Test
  void theBomListsExactlyTheDeployedModulesAtTheBuildsVersion() {
    Element parent = read(ROOT.resolve("pom.xml")).getDocumentElement();
    Set<String> deployed = new TreeSet<>();
    for (String module : modules()) {
      Element project = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      if (deployed(project)) {
        deployed.add(child(project, "artifactId"));
      }
    }
    Element bom = read(ROOT.resolve("batanomaly-bom").resolve("pom.xml")).getDocumentElement();
    assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
    assertThat(childElement(bom, "parent")).as("the BOM inherits nothing").isNull();
    Set<String> listed = new TreeSet<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(child(d, "groupId")).isEqualTo("io.batanomaly");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
      listed.add(child(d, "artifactId"));
    }
    assertThat(listed).as("the artifacts batanomaly-bom lists").isEqualTo(deployed);
    assertThat(modules()).contains("batanomaly-bom");
  }

  @Test
  void everyDeployedJarNamesItsOwnModule() {
    Set<String> names = new HashSet<>();
    for (String module : modules()) {
      Element project = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      if (!deployed(project)) {
        continue;
      }
      Element properties = childElement(project, "properties");
      String name = properties == null ? null : child(properties, "module.name");
      assertThat(name).as("module.name of %s", module).isNotNull().startsWith("io.batanomaly.")
          .matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");
      assertThat(names.add(name)).as("%s is the module name of one jar only", name).isTrue();
    }
  }

  @Test
  void noPackageIsSplitAcrossTwoJars() throws IOException {
    java.util.Map<String, String> owner = new java.util.TreeMap<>();
    for (String module : modules()) {
      Element project = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      Path sources = ROOT.resolve(module).resolve("src/main/java");
      if (!deployed(project) || !Files.isDirectory(sources)) {
        continue;
      }
      try (var files = Files.walk(sources)) {
        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))
            ::iterator) {
          String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
          String other = owner.putIfAbsent(pkg, module);
          assertThat(other == null || other.equals(module))
              .as("package %s is in %s and %s; on the module path a package lives in one jar",
                  pkg, other, module)
              .isTrue();
        }
      }
    }
    assertThat(owner).containsKeys("io.batanomaly", "io.batanomaly.api");
  }

  @Test
  void theChangelogHasAnEntryForTheVersionBeingBuilt() throws IOException {
    String version = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version")
        .replace("-SNAPSHOT", "");
    assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"))).contains("## [" + version + "]");
  }
}
