package dev.turbofarm.model.tools;

import dev.turbofarm.model.tools.train.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the bundled model's tools: train, eval, bench, sheet, png. */
@Command(
    name = "turbofarm-model",
    mixinStandardHelpOptions = true,
    subcommands = {
      TrainCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      ContactSheetCommand.class,
      PngBenchCommand.class
    },
    description = "Train, evaluate and benchmark the bundled turbofarm-tiny model.")
public final class ModelCli {
  private ModelCli() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ModelCli()).execute(args));
  }
}
