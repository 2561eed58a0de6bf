package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;

/** The proxies' passwords are decrypted once per goal, however many parts of the goal use them. */
class ProxyDecryptionTest {
    /** Decrypts "{secret}" to "secret" and counts the requests. */
    static final class CountingDecrypter implements SettingsDecrypter {
        int requests;

        @Override
        public SettingsDecryptionResult decrypt(SettingsDecryptionRequest request) {
            requests++;
            List<Proxy> decrypted = new ArrayList<>();
            for (Proxy proxy : request.getProxies()) {
                Proxy copy = proxy.clone();
                copy.setPassword(proxy.getPassword().replaceAll("^\\{(.*)}$", "$1"));
                decrypted.add(copy);
            }
            return new SettingsDecryptionResult() {
                @Override
                public Server getServer() {
                    return null;
                }

                @Override
                public List<Server> getServers() {
                    return List.of();
                }

                @Override
                public Proxy getProxy() {
                    return decrypted.isEmpty() ? null : decrypted.get(0);
                }

                @Override
                public List<Proxy> getProxies() {
                    return decrypted;
                }

                @Override
                public List<SettingsProblem> getProblems() {
                    return List.of();
                }
            };
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void theBuildGoalDecryptsTheProxiesOnce() throws Exception {
        Proxy proxy = new Proxy();
        proxy.setActive(true);
        proxy.setProtocol("http");
        proxy.setHost("127.0.0.1");
        proxy.setPort(3128);
        proxy.setUsername("builder");
        proxy.setPassword("{s3cret}");
        Settings settings = new Settings();
        settings.addProxy(proxy);
        BuildMojo mojo = new BuildMojo();
        mojo.session = new MavenSession(null, settings, null, null, null, List.of(), null, new Properties(),
                new Date());
        CountingDecrypter decrypter = new CountingDecrypter();
        Field field = AbstractJetpackMojo.class.getDeclaredField("settingsDecrypter");
        field.setAccessible(true);
        field.set(mojo, decrypter);

        // What the build goal uses them for: the build command's environment and the parent's download.
        assertThat(mojo.proxies().buildEnvironment()).containsEntry("http_proxy", "http://builder:s3cret@127.0.0.1:3128");
        assertThat(mojo.proxies().buildEnvironment()).containsKey("https_proxy");
        assertThat(decrypter.requests).isEqualTo(1);
    }
}
