package dev.turbofarm.worker.health;

import java.nio.file.Files;
import java.nio.file.Path;

/** The worker process's memory as the operating system sees it (Linux /proc). */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident set size, bytes; 0 where /proc is not there (not Linux). */
  public static long residentBytes() {
    return procValue(Path.of("/proc/self/status"), "VmRSS:");
  }

  /** The machine's memory, bytes; 0 where /proc is not there. */
  public static long machineBytes() {
    return procValue(Path.of("/proc/meminfo"), "MemTotal:");
  }

  private static long procValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // Not Linux, or /proc not mounted: report unknown.
    }
    return 0;
  }
}
