package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildVarsTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void onlyDefinedVariablesInListedOrderUserBeforeProjectBeforeEnvironment() throws Exception {
        Map<String, String> vars = BuildVars.resolve(List.of("B", "http_proxy", "UNSET", "A", "EMPTY"),
                props("A", "from-user"), props("A", "from-project", "B", "from-project"),
                Map.of("A", "from-env", "B", "from-env", "http_proxy", "http://p:3128", "EMPTY", ""));
        assertThat(vars).containsExactly(Map.entry("B", "from-project"), Map.entry("http_proxy", "http://p:3128"),
                Map.entry("A", "from-user"), Map.entry("EMPTY", ""));
        assertThat(BuildVars.asArguments(vars)).containsExactly("B=from-project", "http_proxy=http://p:3128",
                "A=from-user", "EMPTY=");
    }

    @Test
    void noneListedGivesNone() throws Exception {
        assertThat(BuildVars.resolve(null, props(), props(), Map.of("A", "x"))).isEmpty();
    }

    @Test
    void invalidNameIsRejectedWithTheParameter() {
        assertThatThrownBy(() -> BuildVars.resolve(List.of("http_proxy=x"), props(), props(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'http_proxy=x'").hasMessageContaining("buildVars");
    }
}
