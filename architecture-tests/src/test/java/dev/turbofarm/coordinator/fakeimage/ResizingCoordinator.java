package dev.turbofarm.coordinator.fakeimage;

import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class ResizingCoordinator {
  Object decode(InputStream png) throws IOException {
    return ImageIO.read(png);
  }
}
