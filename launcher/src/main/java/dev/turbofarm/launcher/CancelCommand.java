package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.expect;
import static dev.turbofarm.launcher.BatchCommands.printStatus;
import static dev.turbofarm.launcher.BatchCommands.run;

import dev.turbofarm.launcher.BatchCommands.Target;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code farm cancel}: queued jobs of a batch never render. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancel a batch: queued jobs never render, running ones finish.")
final class CancelCommand implements Callable<Integer> {
  @Mixin Target target;

  @Parameters(index = "0", description = "the batch id")
  String id;

  @Override
  public Integer call() throws Exception {
    return run(
        () -> {
          HttpResponse<String> r =
              target.send(
                  HttpRequest.newBuilder(target.resolve("/api/v1/batches/" + id + "/cancel"))
                      .POST(HttpRequest.BodyPublishers.noBody()));
          printStatus(expect(r, 200, "cancel batch " + id), System.out);
          return EXIT_OK;
        });
  }
}
