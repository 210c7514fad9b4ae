package dev.turbofarm.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of a process and its live descendants from {@code /proc} (Linux): user + system time of
 * each, plus the time of the children each has already reaped (a PostgreSQL backend that exited
 * counts in the postmaster's). Elsewhere it reads 0.
 */
final class ProcCpu {
  /** Kernel clock ticks per second ({@code getconf CLK_TCK}); 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcCpu() {}

  /** CPU seconds used so far by {@code pid} and every live process below it; 0 if it is gone. */
  static double seconds(long pid) {
    return seconds(pid, true);
  }

  /**
   * CPU seconds used so far by {@code pid}, with or without its live descendants (the launcher's
   * own time without the farm it started).
   */
  static double seconds(long pid, boolean withDescendants) {
    if (pid <= 0) {
      return 0;
    }
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException e) {
          continue; // exited while we looked
        }
        // pid (comm) state ppid ... ; comm may hold spaces and parentheses: split after the last
        // ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long self = Long.parseLong(p.getFileName().toString());
        long ppid = Long.parseLong(f[1]);
        // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the comm.
        long t =
            Long.parseLong(f[11])
                + Long.parseLong(f[12])
                + Long.parseLong(f[13])
                + Long.parseLong(f[14]);
        ticks.put(self, t);
        children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(self);
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    long sum = 0;
    List<Long> todo = new ArrayList<>(List.of(pid));
    while (!todo.isEmpty()) {
      long p = todo.remove(todo.size() - 1);
      sum += ticks.getOrDefault(p, 0L);
      if (withDescendants) {
        todo.addAll(children.getOrDefault(p, List.of()));
      }
    }
    return sum / TICKS_PER_SECOND;
  }

  /** The postmaster of a PostgreSQL data directory (first line of postmaster.pid), or -1. */
  static long postmaster(Path dataDir) {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The 1-minute load average, or -1 when unknown. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
