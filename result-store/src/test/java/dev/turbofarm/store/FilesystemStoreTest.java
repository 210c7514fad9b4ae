package dev.turbofarm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.store.filesystem.FilesystemStore;
import dev.turbofarm.store.image.ImageWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the filesystem store, plus what only files show. */
class FilesystemStoreTest extends ResultStoreContract {
  @TempDir Path root;
  private ResultStore store;

  @BeforeEach
  void open() {
    store = ResultStores.open(StorageSettings.filesystem(root));
  }

  @Override
  protected ResultStore store() {
    return store;
  }

  @Override
  protected boolean atomicCreate() {
    return true;
  }

  @Test
  void filesLieUnderTheKeyWithNoTemporaryFileLeft() throws Exception {
    UUID job = UUID.fromString("ab3c0a1e-0000-4000-8000-000000000001");
    var s = new ImageWriter(store).write(job, 2, noisyGradient(64, 64, 1));

    Path png = root.resolve("ab").resolve(job.toString()).resolve("2.png");
    assertThat(store.localPath(s.key())).contains(png);
    try (var files = Files.list(png.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("2.png", "2.t128.jpg", "2.t256.jpg", "2.t512.jpg");
    }
  }

  @Test
  void aKeyCannotLeaveTheRoot() {
    assertThatThrownBy(() -> ((FilesystemStore) store).pathOf("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
