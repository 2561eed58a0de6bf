package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The plugin descriptor that maven-plugin-plugin generated ({@code target/classes/META-INF/maven/plugin.xml}, made
 * before the tests run) against what users read: every parameter has a description ({@code mvn jetpack:help
 * -Ddetail} shows it), the minimum Maven and Java versions are declared, and the README's parameter tables (those
 * headed {@code | parameter | user property |}) list every parameter of every goal with its user property, and
 * nothing that is not one, so that the README cannot drift from the code.
 */
class PluginDescriptorTest {
    private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");
    private static final Path README = Path.of("../README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One parameter of one goal: its user property, if it has one. */
    record GoalParameter(String goal, String name, Optional<String> property, boolean editable, String description) {
    }

    /** A README row's parameter and the user property it names for it ("" for none). */
    record DocumentedParameter(String name, String property) {
    }

    private static Document descriptor;
    private static List<GoalParameter> parameters;

    @BeforeAll
    static void read() throws Exception {
        assertThat(DESCRIPTOR).as("the plugin descriptor (maven-plugin-plugin writes it at process-classes)")
                .isRegularFile();
        descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
        parameters = new ArrayList<>();
        for (Element mojo : children(descriptor.getDocumentElement(), "mojos", "mojo")) {
            String goal = text(mojo, "goal");
            Element configuration = child(mojo, "configuration");
            for (Element parameter : children(mojo, "parameters", "parameter")) {
                String name = text(parameter, "name");
                Optional<String> property = Optional.empty();
                Element configured = configuration == null ? null : child(configuration, name);
                if (configured != null && configured.getTextContent().matches("\\$\\{[^}]+}")) {
                    String expression = configured.getTextContent();
                    property = Optional.of(expression.substring(2, expression.length() - 1));
                }
                parameters.add(new GoalParameter(goal, name, property, "true".equals(text(parameter, "editable")),
                        text(parameter, "description")));
            }
        }
        assertThat(parameters).as("parameters read from " + DESCRIPTOR).hasSizeGreaterThan(50);
    }

    @Test
    void everyParameterOfEveryGoalIsDescribed() {
        assertThat(parameters).filteredOn(p -> p.description() == null || p.description().isBlank())
                .as("parameters without javadoc (mvn jetpack:help -Ddetail shows the javadoc)").isEmpty();
    }

    @Test
    void theMinimumMavenAndJavaVersionsAreDeclared() {
        assertThat(text(descriptor.getDocumentElement(), "requiredMavenVersion")).isEqualTo("3.8.7");
        assertThat(text(descriptor.getDocumentElement(), "requiredJavaVersion")).isEqualTo("17");
    }

    @Test
    void everyGoalHasTheSkipSwitch() {
        Set<String> goals = new TreeSet<>();
        parameters.forEach(p -> goals.add(p.goal()));
        goals.remove("help");
        for (String goal : goals) {
            assertThat(parameters).as("jetpack:" + goal + " takes -Djetpack.skip").anyMatch(p -> p.goal().equals(goal)
                    && p.name().equals("skip") && p.property().equals(Optional.of("jetpack.skip")) && p.editable());
        }
    }

    @Test
    void theReadmeTablesListEveryParameterWithItsPropertyAndNothingElse() throws IOException {
        Set<DocumentedParameter> documented = readmeParameters();
        Set<DocumentedParameter> declared = new LinkedHashSet<>();
        for (GoalParameter p : parameters) {
            if (p.editable()) {
                declared.add(new DocumentedParameter(p.name(), p.property().orElse("")));
            }
        }

        Set<DocumentedParameter> missing = new TreeSet<>(java.util.Comparator.comparing(DocumentedParameter::name)
                .thenComparing(DocumentedParameter::property));
        missing.addAll(declared);
        missing.removeAll(documented);
        Set<DocumentedParameter> unknown = new TreeSet<>(java.util.Comparator.comparing(DocumentedParameter::name)
                .thenComparing(DocumentedParameter::property));
        unknown.addAll(documented);
        unknown.removeAll(declared);
        assertThat(missing).as("parameters (with their user property) that no README table lists").isEmpty();
        assertThat(unknown).as("README rows for a parameter or property the plugin does not have").isEmpty();
    }

    /**
     * The rows of the README's parameter tables: the first column's {@code `names`}, the second's
     * {@code `properties`}, paired in order (an empty second column: none of them has one).
     */
    private static Set<DocumentedParameter> readmeParameters() throws IOException {
        Set<DocumentedParameter> documented = new LinkedHashSet<>();
        boolean inTable = false;
        int tables = 0;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("| parameter | user property |")) {
                inTable = true;
                tables++;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            List<String> names = codes(cells[1]);
            List<String> properties = codes(cells[2]);
            if (names.isEmpty()) {
                continue; // "(output)": what the goals write, not a parameter
            }
            assertThat(properties.isEmpty() || properties.size() == names.size())
                    .as("README row names " + names.size() + " parameters and " + properties.size()
                            + " properties: give one property per parameter, or none: " + line).isTrue();
            for (int i = 0; i < names.size(); i++) {
                documented.add(new DocumentedParameter(names.get(i), properties.isEmpty() ? "" : properties.get(i)));
            }
        }
        assertThat(tables).as("README tables headed '| parameter | user property |'").isGreaterThanOrEqualTo(3);
        return documented;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(cell);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private static List<Element> children(Element parent, String container, String name) {
        List<Element> result = new ArrayList<>();
        Element holder = child(parent, container);
        if (holder != null) {
            NodeList nodes = holder.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element element && element.getTagName().equals(name)) {
                    result.add(element);
                }
            }
        }
        return result;
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }
}
