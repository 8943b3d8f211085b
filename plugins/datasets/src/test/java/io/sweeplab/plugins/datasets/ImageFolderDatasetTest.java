package io.sweeplab.plugins.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.testkit.ImageFolders;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    final ImageFolderDataset folder = new ImageFolderDataset();

    @TempDir
    Path tmp;

    Params params(Map<String, Object> values) {
        ParamSchema.Validation v = folder.params().validate(values);
        assertThat(v.violations()).isEmpty();
        return v.params();
    }

    @Test
    void train_and_test_folders_by_class_with_sorted_class_names() throws Exception {
        ImageFolders.trainTest(tmp, List.of("shirt", "boot", "coat"), 100, 20, 16, false);
        Params p = params(Map.of("directory", tmp.toString(), "size", 12));
        DatasetContent d = folder.load(p, new TestContext(tmp));
        assertThat(d.classNames()).containsExactly("boot", "coat", "shirt");
        assertThat(d.train().size()).isEqualTo(300);
        assertThat(d.test().size()).isEqualTo(60);
        assertThat(d.inputShape()).isEqualTo(new InputShape(12, 12, 1));
        assertThat(folder.inputShape(p)).contains(new InputShape(12, 12, 1));
        // class by class, files by name
        assertThat(d.train().labels()[0]).isZero();
        assertThat(d.train().labels()[299]).isEqualTo(2);
        for (float v : d.train().pixels()) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void greyscale_pixels_keep_their_values_at_the_same_size() throws Exception {
        Path dir = tmp.resolve("grey");
        for (String c : List.of("a", "b")) {
            for (String split : List.of("train", "test")) {
                BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(1, 2, 0, c.equals("a") ? 51 : 204); // x=1, y=2
                Files.createDirectories(dir.resolve(split).resolve(c));
                ImageIO.write(
                        img,
                        "png",
                        dir.resolve(split).resolve(c).resolve("x.png").toFile());
            }
        }
        DatasetContent d = folder.load(params(Map.of("directory", dir.toString(), "size", 4)), new TestContext(tmp));
        assertThat(d.train().pixels()[2 * 4 + 1]).isCloseTo(0.2f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(d.train().pixels()[16 + 2 * 4 + 1]).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(d.train().pixels()[0]).isZero();
    }

    @Test
    void rgb_images_come_channels_first() throws Exception {
        Path dir = tmp.resolve("rgb");
        for (String c : List.of("red", "blue")) {
            for (String split : List.of("train", "test")) {
                BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
                int colour = c.equals("red") ? 0xff0000 : 0x0000ff;
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        img.setRGB(x, y, colour);
                    }
                }
                Files.createDirectories(dir.resolve(split).resolve(c));
                ImageIO.write(
                        img,
                        "png",
                        dir.resolve(split).resolve(c).resolve("x.png").toFile());
            }
        }
        DatasetContent d = folder.load(
                params(Map.of("directory", dir.toString(), "size", 4, "channels", "3")), new TestContext(tmp));
        assertThat(d.classNames()).containsExactly("blue", "red");
        assertThat(d.inputShape()).isEqualTo(new InputShape(4, 4, 3));
        // blue (label 0): R plane 0, G plane 0, B plane 1; then red: R plane 1, G and B planes 0
        float[] expected = new float[2 * 48];
        java.util.Arrays.fill(expected, 32, 48, 1f);
        java.util.Arrays.fill(expected, 48, 64, 1f);
        assertThat(d.train().pixels()).containsExactly(expected);
    }

    @Test
    void class_folders_only_hold_out_a_seeded_fraction() throws Exception {
        ImageFolders.classesOnly(tmp, List.of("x", "y"), 50, 8, false);
        Params p = params(Map.of("directory", tmp.toString(), "size", 8, "testFraction", 0.2, "splitSeed", 3));
        DatasetContent a = folder.load(p, new TestContext(tmp));
        DatasetContent b = folder.load(p, new TestContext(tmp));
        assertThat(a.train().size()).isEqualTo(80);
        assertThat(a.test().size()).isEqualTo(20);
        assertThat(a.test().pixels()).containsExactly(b.test().pixels());
        DatasetContent other = folder.load(
                params(Map.of("directory", tmp.toString(), "size", 8, "testFraction", 0.2, "splitSeed", 4)),
                new TestContext(tmp));
        assertThat(other.test().pixels()).isNotEqualTo(a.test().pixels());
    }

    @Test
    void bad_folders_say_what_is_wrong() throws Exception {
        assertThatThrownBy(() -> folder.load(
                        params(Map.of("directory", tmp.resolve("none").toString())), new TestContext(tmp)))
                .hasMessageContaining("no directory " + tmp.resolve("none") + " on this worker");
        for (String c : List.of("a", "b")) {
            Files.createDirectories(tmp.resolve("one/" + c));
            Files.write(tmp.resolve("one/" + c + "/x.png"), new byte[] {1, 2, 3});
            Files.write(tmp.resolve("one/" + c + "/y.png"), new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> folder.load(
                        params(Map.of("directory", tmp.resolve("one").toString())), new TestContext(tmp)))
                .hasMessageContaining("is not a PNG or JPEG image");
        Files.createDirectories(tmp.resolve("single/a"));
        assertThatThrownBy(() -> folder.load(
                        params(Map.of("directory", tmp.resolve("single").toString())), new TestContext(tmp)))
                .hasMessageContaining("has 1 class folder(s); at least two are needed");
        Files.createDirectories(tmp.resolve("empty/a"));
        Files.createDirectories(tmp.resolve("empty/b"));
        assertThatThrownBy(() -> folder.load(
                        params(Map.of("directory", tmp.resolve("empty").toString())), new TestContext(tmp)))
                .hasMessageContaining("holds no PNG or JPEG image");
        assertThat(folder.validate(params(Map.of()))).extracting(v -> v.param()).containsExactly("directory");
    }
}
