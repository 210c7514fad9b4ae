package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named weights of the bundled networks, owned by one NDManager. Initialisation draws from a Java
 * generator in declaration order, so a seed fixes every initial weight without touching the
 * engine's global generator.
 */
public final class Params implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private final SplittableRandom random;
  private final java.util.Set<String> loaded = new java.util.HashSet<>();
  private final java.util.List<String> missing = new java.util.ArrayList<>();

  public Params(NDManager parent, long seed) {
    this.manager = parent.newSubManager();
    this.random = new SplittableRandom(seed);
  }

  public NDManager manager() {
    return manager;
  }

  /** The array named {@code name}; fails loudly when a network asks for a missing weight. */
  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalStateException("missing weight " + name);
    }
    return a;
  }

  public boolean has(String name) {
    return arrays.containsKey(name);
  }

  public Collection<NDArray> all() {
    return arrays.values();
  }

  public Map<String, NDArray> named() {
    return arrays;
  }

  /** Declares a weight of N(0, std^2) unless it is already present (loaded). */
  public NDArray normal(String name, Shape shape, double std) {
    float[] data = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (nextGaussian() * std);
    }
    return declare(name, shape, data);
  }

  /** Declares a conv weight [out, in, kh, kw] with He initialisation (SiLU nets). */
  public NDArray conv(String name, int out, int in, int kh, int kw, double gain) {
    return normal(name, new Shape(out, in, kh, kw), gain * Math.sqrt(2.0 / (in * kh * kw)));
  }

  /** Declares a linear weight [out, in]. */
  public NDArray linear(String name, int out, int in, double gain) {
    return normal(name, new Shape(out, in), gain * Math.sqrt(1.0 / in));
  }

  /** Declares a constant-filled weight. */
  public NDArray constant(String name, Shape shape, float value) {
    float[] data = new float[Math.toIntExact(shape.size())];
    java.util.Arrays.fill(data, value);
    return declare(name, shape, data);
  }

  /** Weights a network declared that the loaded file did not hold (empty unless loaded). */
  public java.util.List<String> missingFromFile() {
    return loaded.isEmpty() ? java.util.List.of() : java.util.List.copyOf(missing);
  }

  private NDArray declare(String name, Shape shape, float[] data) {
    NDArray existing = arrays.get(name);
    if (existing == null && !loaded.isEmpty()) {
      missing.add(name);
    }
    if (existing != null) {
      if (!existing.getShape().equals(shape)) {
        throw new IllegalStateException(
            "weight " + name + " has shape " + existing.getShape() + ", expected " + shape);
      }
      return existing;
    }
    NDArray a = manager.create(data, shape);
    a.setName(name);
    arrays.put(name, a);
    return a;
  }

  private double nextGaussian() {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Loads every array of a safetensors stream; later declarations then keep the loaded values. */
  public void load(InputStream in) throws IOException {
    load(in, name -> true);
  }

  /**
   * Loads the arrays of a safetensors stream whose names {@code keep} accepts; the others are
   * declared fresh later (initialisation still draws for every weight, so their values match a run
   * that loaded nothing).
   */
  public void load(InputStream in, java.util.function.Predicate<String> keep) throws IOException {
    NDList list = NDList.decode(manager, in);
    for (NDArray a : list) {
      if (!keep.test(a.getName())) {
        a.close();
        continue;
      }
      NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
      f.setName(a.getName());
      arrays.put(a.getName(), f);
      loaded.add(a.getName());
    }
  }

  /** Writes the arrays whose names start with one of {@code prefixes} (all when none). */
  public void save(Path file, String... prefixes) throws IOException {
    NDList list = new NDList();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      boolean keep = prefixes.length == 0;
      for (String p : prefixes) {
        keep |= e.getKey().startsWith(p);
      }
      if (keep) {
        NDArray a = e.getValue();
        a.setName(e.getKey());
        list.add(a);
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  /** Number of scalar weights whose names start with {@code prefix}. */
  public long count(String prefix) {
    return arrays.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().size())
        .sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
