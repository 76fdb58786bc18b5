package io.rtx.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The stack's processes: each detached in a session of its own (so Ctrl-C on {@code ./rtx demo}
 * leaves it running), logging to {@code logs/<name>.log}, its pid in {@code run/<name>.pid}. A pid
 * counts as ours only while the process's command line names the stack's home, so a stale pid file
 * never makes a stranger's process look like ours (or get killed).
 */
final class Processes {

  private final StackSettings settings;

  /** Processes this JVM started, for their exit status when one dies during start-up. */
  private final Map<String, Process> started = new java.util.concurrent.ConcurrentHashMap<>();

  Processes(StackSettings settings) {
    this.settings = settings;
  }

  /** Starts {@code command} detached; the previous log is kept as {@code <name>.log.1}. */
  long spawn(String name, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(settings.logs());
      Files.createDirectories(settings.run());
      Path log = settings.log(name);
      if (Files.exists(log)) {
        Files.move(log, log.resolveSibling(name + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> cmd = new ArrayList<>();
      cmd.add("setsid");
      cmd.addAll(command);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Process process = pb.start();
      started.put(name, process);
      long pid = process.pid();
      // Until the JDK's spawn helper has exec'd our command, the pid's command line is not ours
      // yet.
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (process.isAlive() && !isOurs(pid) && System.nanoTime() < deadline) {
        pause(10);
      }
      writePid(name, pid);
      return pid;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  void writePid(String name, long pid) {
    try {
      Files.createDirectories(settings.run());
      Files.writeString(pidFile(name), Long.toString(pid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pid of our running process {@code name}, if there is one. */
  OptionalLong pid(String name) {
    Path f = pidFile(name);
    if (!Files.isRegularFile(f)) {
      return OptionalLong.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(f).trim());
      return isOurs(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  boolean running(String name) {
    return pid(name).isPresent();
  }

  /** Whether {@code pid} is alive and its command line names this stack's home. */
  boolean isOurs(long pid) {
    // Redis rewrites its command line (its process title) in place after start: a read at that
    // moment can see it blank, so a mismatch is looked at again before it counts.
    for (int attempt = 0; attempt < 3; attempt++) {
      if (namesHome(pid)) {
        return true;
      }
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private boolean namesHome(long pid) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String home = settings.home().toString();
      // Whole words only: /tmp/rtx-it-1 must not claim the processes of /tmp/rtx-it-12.
      for (String word : new String(cmdline, StandardCharsets.UTF_8).split("[\\s\\x00=]")) {
        if (word.equals(home) || word.startsWith(home + "/")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * SIGTERM, then SIGKILL after {@code patience}; forgets the pid file once the process is gone. A
   * process that outlives both keeps its pid file, so the stack still knows it runs.
   */
  void stop(String name, Duration patience) {
    OptionalLong pid = pid(name);
    if (pid.isPresent()) {
      ProcessHandle.of(pid.getAsLong()).ifPresent(p -> terminate(p, patience));
      if (isOurs(pid.getAsLong())) {
        return;
      }
    }
    forget(name);
  }

  /** SIGKILL, as a crash would: no clean shutdown. Returns once the process is gone. */
  void kill(String name) {
    pid(name).ifPresent(pid -> ProcessHandle.of(pid).ifPresent(Processes::killAndWait));
    forget(name);
  }

  /**
   * Every live process whose command line names this stack's home, whether a pid file knows it or
   * not (one started by hand, one whose pid file was lost); this process and its ancestors aside,
   * whose command lines may name the home only to say which stack to act on.
   */
  List<ProcessHandle> namingHome() {
    Set<Long> us = new HashSet<>();
    for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
        p.isPresent();
        p = p.get().parent()) {
      us.add(p.get().pid());
    }
    return ProcessHandle.allProcesses()
        .filter(p -> !us.contains(p.pid()) && namesHome(p.pid()))
        .toList();
  }

  void forget(String name) {
    try {
      Files.deleteIfExists(pidFile(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void terminate(ProcessHandle p, Duration patience) {
    p.destroy();
    try {
      p.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      killAndWait(p);
    }
  }

  private static void killAndWait(ProcessHandle p) {
    p.destroyForcibly();
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // a process that survives SIGKILL for 10 s is the kernel's business now
    }
  }

  Path pidFile(String name) {
    return settings.run().resolve(name + ".pid");
  }

  /** What is known of a process that is not running: how it ended, if this JVM started it. */
  String howItEnded(String name) {
    Process p = started.get(name);
    if (p == null) {
      return "not started by this process";
    }
    if (p.isAlive()) {
      return "pid " + p.pid() + " is alive but its command line is not ours: " + cmdline(p.pid());
    }
    return "pid " + p.pid() + " exited with status " + p.exitValue();
  }

  static String cmdline(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The last {@code lines} lines of a component's log, for error messages. */
  String tail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(settings.log(name), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Waits; an interrupt ends the operation that waits. */
  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }

  /** Runs a command to completion (formatting storage, pg_ctl): its output, or a failure. */
  static String run(List<String> command, Map<String, String> env, String stdin, Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } else {
        p.getOutputStream().close();
      }
      // Read while it runs: a full pipe would block the command.
      var out = new java.io.ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try {
                  p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                  // the process closed its output
                }
              });
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new StackException(
            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s");
      }
      reader.join(5_000);
      String output = out.toString(StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new StackException(
            command.get(0)
                + " "
                + String.join(" ", command.subList(1, Math.min(3, command.size())))
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new StackException("could not run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while running " + command.get(0), e);
    }
  }
}
