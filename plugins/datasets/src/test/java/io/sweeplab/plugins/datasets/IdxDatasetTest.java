package io.sweeplab.plugins.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.Params;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    final IdxDataset idx = new IdxDataset();

    @TempDir
    Path tmp;

    /** Image {@code i}'s pixel (y, x) is {@code (i + 10 y + x) mod 256}; its label {@code i mod classes}. */
    static void write(Path dir, String prefix, int n, int h, int w, int classes, boolean gzip) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + n * h * w);
        img.putInt(0x803).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.put((byte) (i + 10 * y + x));
                }
            }
        }
        ByteBuffer lab = ByteBuffer.allocate(8 + n);
        lab.putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            lab.put((byte) (i % classes));
        }
        put(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), img.array(), gzip);
        put(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), lab.array(), gzip);
    }

    private static void put(Path file, byte[] data, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out =
                gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(data);
        }
    }

    Params params(Map<String, Object> values) {
        ParamSchema.Validation v = idx.params().validate(values);
        assertThat(v.violations()).isEmpty();
        return v.params();
    }

    @Test
    void loads_mnist_named_files_gzipped_or_not() throws Exception {
        write(tmp, "train", 300, 28, 28, 10, true);
        write(tmp, "t10k", 50, 28, 28, 10, false);
        DatasetContent d = idx.load(params(Map.of("directory", tmp.toString())), new TestContext(tmp));
        assertThat(d.train().size()).isEqualTo(300);
        assertThat(d.test().size()).isEqualTo(50);
        assertThat(d.inputShape()).isEqualTo(new io.sweeplab.plugin.api.InputShape(28, 28, 1));
        assertThat(d.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(d.train().labels()[13]).isEqualTo(3);
        // image 7, row 2, column 5: (7 + 20 + 5) / 255, row-major
        assertThat(d.train().pixels()[7 * 784 + 2 * 28 + 5]).isEqualTo(32 / 255f);
        assertThat(idx.inputShape(params(Map.of("directory", tmp.toString())))).isEmpty();
    }

    @Test
    void emnist_prefixes_class_names_and_transposed_images() throws Exception {
        write(tmp, "emnist-letters-train", 20, 4, 4, 3, false);
        write(tmp, "emnist-letters-test", 6, 4, 4, 3, false);
        DatasetContent d = idx.load(
                params(Map.of(
                        "directory", tmp.toString(),
                        "train", "emnist-letters-train",
                        "test", "emnist-letters-test",
                        "classNames", "a, b ,c",
                        "transpose", true)),
                new TestContext(tmp));
        assertThat(d.classNames()).containsExactly("a", "b", "c");
        // stored column by column: pixel (y=1, x=2) is the stored (row 2, column 1) = 20 + 1 for image 0
        assertThat(d.train().pixels()[1 * 4 + 2]).isEqualTo(21 / 255f);
    }

    @Test
    void a_missing_file_names_the_worker_directory() throws Exception {
        write(tmp, "train", 10, 4, 4, 2, false);
        assertThatThrownBy(() -> idx.load(params(Map.of("directory", tmp.toString())), new TestContext(tmp)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no t10k-images-idx3-ubyte(.gz) in " + tmp)
                .hasMessageContaining("worker");
    }

    @Test
    void a_truncated_file_is_refused_with_its_name() throws Exception {
        write(tmp, "train", 10, 4, 4, 2, false);
        write(tmp, "t10k", 10, 4, 4, 2, false);
        Path images = tmp.resolve("t10k-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(all, all.length - 5));
        assertThatThrownBy(() -> idx.load(params(Map.of("directory", tmp.toString())), new TestContext(tmp)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("wrong length");
    }

    @Test
    void too_few_class_names_are_refused() throws Exception {
        write(tmp, "train", 10, 4, 4, 3, false);
        write(tmp, "t10k", 10, 4, 4, 3, false);
        assertThatThrownBy(() -> idx.load(
                        params(Map.of("directory", tmp.toString(), "classNames", "a,b")), new TestContext(tmp)))
                .hasMessageContaining("classNames names 2 classes but the labels go up to 2");
    }

    @Test
    void the_directory_is_required_and_prefixes_are_file_names() {
        assertThat(idx.validate(params(Map.of()))).extracting(v -> v.param()).containsExactly("directory");
        assertThat(idx.validate(params(Map.of("directory", "/d", "train", "../x"))))
                .extracting(v -> v.param())
                .containsExactly("train");
    }
}
