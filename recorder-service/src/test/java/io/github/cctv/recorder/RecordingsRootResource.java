package io.github.cctv.recorder;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh recordings folder in a temp directory for the Quarkus tests. */
public class RecordingsRootResource implements QuarkusTestResourceLifecycleManager {

    private static Path root;

    public static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("cctv-recordings-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("cctv.recorder.root", root().toString());
    }

    @Override
    public void stop() {
        // left for inspection under the temp dir
    }
}
