package io.sweeplab.plugins.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.ImageSet;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistLoaderTest {

    static final Path DEBIAN = Path.of(FashionMnistLoader.DEBIAN_DIR);

    @TempDir
    Path tmp;

    private static DatasetContent full;

    static synchronized DatasetContent full() {
        if (full == null) {
            full = new FashionMnistLoader(
                            Optional.empty(), DEBIAN, Path.of("target", "dataset-cache"), Optional.empty())
                    .load();
        }
        return full;
    }

    @Test
    void loads_the_debian_package_files() {
        DatasetContent data = full();
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().height()).isEqualTo(28);
        assertThat(data.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
        // The lab's shoes: test images 0, 23 and 28 are all ankle boots (label 9).
        assertThat(new int[] {
                    data.test().labels()[0],
                    data.test().labels()[23],
                    data.test().labels()[28]
                })
                .containsExactly(9, 9, 9);
        float min = 1;
        float max = 0;
        for (float p : data.train().pixels()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void subsets_are_deterministic() {
        ImageSet test = full().test();
        assertThat(test.first(100).labels()).containsExactly(java.util.Arrays.copyOf(test.labels(), 100));
        ImageSet a = test.sample(500, 7);
        ImageSet b = test.sample(500, 7);
        assertThat(a.labels()).containsExactly(b.labels());
        assertThat(a.pixels()).containsExactly(b.pixels());
        assertThat(test.sample(500, 8).labels()).isNotEqualTo(a.labels());
    }

    @Test
    void a_corrupt_file_is_named_with_the_fix() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        for (String f :
                new String[] {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(DEBIAN.resolve(f), dir.resolve(f));
        }
        try (OutputStream out =
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz")))) {
            out.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        }
        FashionMnistLoader loader =
                new FashionMnistLoader(Optional.of(dir), DEBIAN, tmp.resolve("cache"), Optional.empty());
        assertThatThrownBy(loader::load)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.resolve("train-images-idx3-ubyte.gz") + " is corrupt")
                .hasMessageContaining("delete it and reinstall the dataset");
    }

    @Test
    void missing_files_name_every_place_looked_and_how_to_fix_it() {
        FashionMnistLoader loader = new FashionMnistLoader(
                Optional.of(tmp.resolve("configured")), tmp.resolve("debian"), tmp.resolve("cache"), Optional.empty());
        assertThatThrownBy(loader::load)
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(tmp.resolve("configured").resolve("train-images-idx3-ubyte.gz") + " (absent)")
                .hasMessageContaining(tmp.resolve("debian").toString())
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("sweeplab.dataset.dir");
    }

    @Test
    void downloads_into_the_cache_verifying_checksums() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Path file = DEBIAN.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Path cache = tmp.resolve("cache");
            DatasetContent data =
                    new FashionMnistLoader(Optional.empty(), tmp.resolve("no-debian"), cache, Optional.of(base)).load();
            assertThat(data.test().size()).isEqualTo(10_000);
            assertThat(requests.get()).isEqualTo(4);
            assertThat(cache.resolve("t10k-labels-idx1-ubyte.gz")).exists();

            // The second load uses the cache, not the network.
            new FashionMnistLoader(Optional.empty(), tmp.resolve("no-debian"), cache, Optional.of(base)).load();
            assertThat(requests.get()).isEqualTo(4);
        } finally {
            server.stop(0);
        }
    }
}
