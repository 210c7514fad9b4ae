package dev.turbofarm.launcher;

import dev.turbofarm.common.security.ApiKeySecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The local farm's admin key: generated on a data directory's first start, written to {@code <data
 * dir>/admin.key} (mode 600, readable by its owner only) and handed to the coordinator as its
 * bootstrap admin key; every {@code farm} command reads it from there unless {@code --api-key} or
 * {@code FARM_API_KEY} names another.
 */
public final class FarmKeys {
  /** The key file's name under the data directory. */
  public static final String FILE = "admin.key";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private FarmKeys() {}

  /** Where a data directory keeps its admin key. */
  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /**
   * The data directory's admin key, generated and written (mode 600) on its first use.
   *
   * @throws FarmException when the file cannot be read or written, or holds no key
   */
  public static String ensure(Path dataDir) {
    Path f = file(dataDir);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(f)) {
        String key = ApiKeySecrets.generate();
        try {
          Files.createFile(f, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
          return read(f);
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the file is created with the directory's defaults.
          Files.createFile(f);
        }
        Files.writeString(f, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        return key;
      }
      return read(f);
    } catch (IOException e) {
      throw new FarmException("cannot create the farm's admin key " + f + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key in a key file.
   *
   * @throws FarmException when it cannot be read or holds no key
   */
  public static String read(Path f) {
    try {
      String key = Files.readString(f, StandardCharsets.UTF_8).strip();
      if (!ApiKeySecrets.wellFormed(key)) {
        throw new FarmException(
            f
                + " holds no API key (expected tf_ and 43 characters); delete it and restart the farm"
                + " to get a new one");
      }
      return key;
    } catch (IOException e) {
      throw new FarmException("cannot read the API key in " + f + ": " + e.getMessage(), e);
    }
  }
}
