package dev.turbofarm.store.filesystem;

import dev.turbofarm.store.ObjectNotFoundException;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects as files under one root, {@code root/<key>}: the default store, and on a multi-host farm
 * a shared volume mounted on every worker and coordinator.
 *
 * <p>Create-if-absent is a temporary file in the target's directory, hard-linked to the target name
 * ({@code link(2)} fails when the name exists, atomically, also on NFS) and then removed: no reader
 * sees a partial file and an existing file is never replaced. A rename cannot do this: on POSIX it
 * replaces the target silently. On a file system without hard links it falls back to "rename unless
 * present", whose check and rename are two steps (logged once).
 */
public final class FilesystemStore implements ResultStore {
  private static final Logger LOG = LoggerFactory.getLogger(FilesystemStore.class);

  private final Path root;
  private volatile boolean noHardLinks;

  public FilesystemStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new StorageException(
          "cannot create the result root " + this.root + " (is its parent writable?): " + e, e);
    }
    if (!Files.isWritable(this.root)) {
      throw new StorageException("the result root " + this.root + " is not writable");
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public String kind() {
    return "filesystem";
  }

  @Override
  public String describe() {
    return root.toString();
  }

  /** The file of a key; a key that would leave the root is refused. */
  public Path pathOf(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("key " + key + " is outside the result root");
    }
    return p;
  }

  @Override
  public Optional<Path> localPath(String key) {
    return Optional.of(pathOf(key));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
    Path target = pathOf(key);
    try {
      if (Files.exists(target)) {
        return false;
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".", ".tmp");
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.write(java.nio.ByteBuffer.wrap(bytes));
        }
        return publish(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new StorageException(
          "cannot write " + target + " (is the result root " + root + " writable?): " + e, e);
    }
  }

  private boolean publish(Path tmp, Path target) throws IOException {
    if (!noHardLinks) {
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | IOException e) {
        if (e instanceof NoSuchFileException) {
          throw (NoSuchFileException) e;
        }
        noHardLinks = true;
        LOG.warn(
            "the result root {} has no hard links ({}); writes fall back to rename-if-absent, whose"
                + " check and rename are two steps",
            root,
            e.toString());
      }
    }
    if (Files.exists(target)) {
      return false;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  @Override
  public Optional<Long> size(String key) {
    try {
      return Optional.of(Files.size(pathOf(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read the size of " + pathOf(key) + ": " + e, e);
    }
  }

  @Override
  public InputStream open(String key) {
    try {
      return Files.newInputStream(pathOf(key));
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(key, root.toString());
    } catch (IOException e) {
      throw new StorageException("cannot read " + pathOf(key) + ": " + e, e);
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) {
    try {
      FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ);
      ch.position(offset);
      return new BoundedInputStream(Channels.newInputStream(ch), length);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(key, root.toString());
    } catch (IOException e) {
      throw new StorageException("cannot read " + pathOf(key) + ": " + e, e);
    }
  }

  @Override
  public boolean delete(String key) {
    Path p = pathOf(key);
    try {
      boolean existed = Files.deleteIfExists(p);
      // The job's directory goes with its last file; another image may still be in it.
      try {
        Files.deleteIfExists(p.getParent());
      } catch (IOException notEmpty) {
        // still holds the job's other images
      }
      return existed;
    } catch (IOException e) {
      throw new StorageException("cannot delete " + p + ": " + e, e);
    }
  }

  @Override
  public void close() {}

  /** At most {@code remaining} bytes of a stream, then end of stream. */
  static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
