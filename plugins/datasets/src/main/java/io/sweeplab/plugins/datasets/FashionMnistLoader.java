package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.ImageSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Loads Fashion-MNIST from its IDX files ({@code .gz} or uncompressed). It looks in the configured directory, then
 * in {@value #DEBIAN_DIR} (Debian package {@code dataset-fashion-mnist}), then in its cache directory, and finally
 * downloads the official files into the cache where a network exists. Every file is checked against the SHA-256
 * of its uncompressed content, which does not depend on how the file was gzipped (Debian recompresses them).
 */
public final class FashionMnistLoader {

    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    public static final URI OFFICIAL = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The four files with the SHA-256 and length of their uncompressed content. */
    enum Part {
        TRAIN_IMAGES(
                "train-images-idx3-ubyte",
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                47_040_016),
        TRAIN_LABELS(
                "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
        TEST_IMAGES(
                "t10k-images-idx3-ubyte",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                7_840_016),
        TEST_LABELS(
                "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008);

        final String base;
        final String sha256;
        final int length;

        Part(String base, String sha256, int length) {
            this.base = base;
            this.sha256 = sha256;
            this.length = length;
        }
    }

    private final Optional<Path> configured;
    private final Path debian;
    private final Path cache;
    private final Optional<URI> download;

    /**
     * @param configured a directory to look in first, if any
     * @param debian the Debian package's directory (normally {@value #DEBIAN_DIR})
     * @param cache where downloaded files are kept
     * @param download the base URL to download from, or empty for no download
     */
    public FashionMnistLoader(Optional<Path> configured, Path debian, Path cache, Optional<URI> download) {
        this.configured = configured;
        this.debian = debian;
        this.cache = cache;
        this.download = download;
    }

    /** The training (60,000) and test (10,000) sets with the ten class names. */
    public DatasetContent load() {
        ImageSet train = Idx.images(read(Part.TRAIN_IMAGES), read(Part.TRAIN_LABELS), false);
        ImageSet test = Idx.images(read(Part.TEST_IMAGES), read(Part.TEST_LABELS), false);
        return new DatasetContent(CLASS_NAMES, train, test);
    }

    private byte[] read(Part part) {
        List<String> tried = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        configured.ifPresent(dirs::add);
        dirs.add(debian);
        dirs.add(cache);
        for (Path dir : dirs) {
            for (String name : List.of(part.base + ".gz", part.base)) {
                Path file = dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    tried.add(file + " (absent)");
                    continue;
                }
                byte[] content;
                try {
                    content = Idx.read(file);
                } catch (IOException e) {
                    throw new DatasetException(
                            file + " cannot be read: " + e.getMessage() + "; delete or replace it", e);
                }
                verify(part, content, file.toString());
                return content;
            }
        }
        if (download.isPresent()) {
            return fetch(part, download.get(), tried);
        }
        throw new DatasetException(
                "Fashion-MNIST file " + part.base + " not found; looked in: "
                        + String.join(", ", tried) + ". Install it with 'apt-get install dataset-fashion-mnist', set"
                        + " sweeplab.dataset.dir to a directory holding the four IDX files, or allow the download"
                        + " (sweeplab.dataset.download=true) where a network exists.",
                null);
    }

    private byte[] fetch(Part part, URI base, List<String> tried) {
        URI uri = base.resolve(part.base + ".gz");
        try {
            Files.createDirectories(cache);
            Path tmp = Files.createTempFile(cache, part.base, ".part");
            try {
                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(20))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
                HttpResponse<Path> response = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMinutes(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(tmp));
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                byte[] content = Idx.readGzip(tmp);
                verify(part, content, uri.toString());
                Path target = cache.resolve(part.base + ".gz");
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return content;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new DatasetException(
                    "Fashion-MNIST file " + part.base + " not found (looked in: "
                            + String.join(", ", tried) + ") and downloading " + uri + " failed: " + e.getMessage()
                            + ". Install it with 'apt-get install dataset-fashion-mnist' or set sweeplab.dataset.dir.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("download of " + uri + " interrupted", e);
        }
    }

    private static void verify(Part part, byte[] content, String where) {
        String sha = sha256(content);
        if (content.length != part.length || !sha.equals(part.sha256)) {
            throw new DatasetException(
                    where + " is corrupt: its content has " + content.length + " bytes with SHA-256 "
                            + sha + ", expected " + part.length + " bytes with SHA-256 " + part.sha256
                            + "; delete it and reinstall the dataset",
                    null);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
