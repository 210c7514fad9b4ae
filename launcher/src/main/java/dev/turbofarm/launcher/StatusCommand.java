package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.printStatus;
import static dev.turbofarm.launcher.BatchCommands.run;
import static dev.turbofarm.launcher.BatchCommands.watch;

import dev.turbofarm.launcher.BatchCommands.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farm status}: a batch's progress, once or until it is done. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a batch's progress.")
final class StatusCommand implements Callable<Integer> {
  @Mixin Target target;

  @Parameters(index = "0", description = "the batch id")
  String id;

  @Option(names = "--watch", description = "keep showing progress until the batch is done")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    return run(
        () -> {
          if (watch) {
            watch(target, id, 1);
          } else {
            printStatus(target.batch(id), System.out);
          }
          return EXIT_OK;
        });
  }
}
