package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.junit.jupiter.api.Test;

class ImageAttachmentTest {
    /** Records attach calls; the other helper methods are not used by ImageAttachment. */
    private static final class RecordingHelper implements MavenProjectHelper {
        final List<String> calls = new ArrayList<>();

        @Override
        public void attachArtifact(MavenProject project, String type, String classifier, File file) {
            calls.add(type + ":" + classifier + ":" + file.getName());
        }

        @Override
        public void attachArtifact(MavenProject project, String type, File file) {
            calls.add(type + "::" + file.getName());
        }

        @Override
        public void attachArtifact(MavenProject project, File file, String classifier) {
            calls.add(":" + classifier + ":" + file.getName());
        }

        @Override
        public void addResource(MavenProject project, String dir, List<String> includes, List<String> excludes) {
        }

        @Override
        public void addTestResource(MavenProject project, String dir, List<String> includes, List<String> excludes) {
        }
    }

    private static MavenProject project(String packaging) {
        Model model = new Model();
        model.setGroupId("g");
        model.setArtifactId("a");
        model.setVersion("1");
        model.setPackaging(packaging);
        MavenProject project = new MavenProject(model);
        project.setArtifact(new DefaultArtifact("g", "a", "1", null, packaging, null,
                new DefaultArtifactHandler(packaging)));
        return project;
    }

    @Test
    void withPackagingAciTheImageIsTheMainArtifact() {
        MavenProject project = project("aci");
        RecordingHelper helper = new RecordingHelper();
        File aci = new File("target/a-1.aci");
        assertThat(ImageAttachment.attach(project, helper, aci, "image")).contains("project's artifact");
        assertThat(project.getArtifact().getFile()).isEqualTo(aci);
        assertThat(helper.calls).isEmpty();
    }

    @Test
    void otherPackagingsAttachItWithTheClassifier() {
        MavenProject project = project("jar");
        RecordingHelper helper = new RecordingHelper();
        ImageAttachment.attach(project, helper, new File("target/a-1.aci"), "image");
        assertThat(helper.calls).containsExactly("aci:image:a-1.aci");
        assertThat(project.getArtifact().getFile()).isNull();
    }
}
