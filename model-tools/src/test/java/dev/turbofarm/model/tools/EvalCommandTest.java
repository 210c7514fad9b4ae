package dev.turbofarm.model.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.ObjectKind;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import dev.turbofarm.model.tools.data.Scene;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalCommandTest {

  private static Scene at(double cx, Backdrop backdrop) {
    return new Scene(ObjectKind.LAMP, ColorName.YELLOW, backdrop, cx, 0.5, 0.55, 0, 1, 3, 0);
  }

  @Test
  void productCountTellsOneProductFromTwo() {
    BufferedImage one = ProductPhotoGenerator.render(at(0.5, Backdrop.GREY), 1024, 576);
    assertThat(EvalCommand.productCount(one, Backdrop.GREY)).isEqualTo(1);
    // left half with a lamp at a quarter of the width, right half with one at three quarters
    BufferedImage left = ProductPhotoGenerator.render(at(0.25, Backdrop.WHITE), 1024, 576);
    BufferedImage right = ProductPhotoGenerator.render(at(0.75, Backdrop.WHITE), 1024, 576);
    BufferedImage two = new BufferedImage(1024, 576, BufferedImage.TYPE_INT_RGB);
    two.setRGB(0, 0, 512, 576, left.getRGB(0, 0, 512, 576, null, 0, 512), 0, 512);
    two.setRGB(512, 0, 512, 576, right.getRGB(512, 0, 512, 576, null, 0, 512), 0, 512);
    assertThat(EvalCommand.productCount(two, Backdrop.WHITE)).isEqualTo(2);
    // not told: outdoors, and square pictures
    assertThat(EvalCommand.productCount(one, Backdrop.OUTDOOR)).isEqualTo(-1);
    BufferedImage square = ProductPhotoGenerator.render(at(0.5, Backdrop.GREY), 512, 512);
    assertThat(EvalCommand.productCount(square, Backdrop.GREY)).isEqualTo(-1);
  }

  @Test
  void heldOutPairsListWhatTheyWereReadAsMostOftenFirst() {
    Map<ProductPhotoGenerator.Pair, int[]> readAs = new LinkedHashMap<>();
    int[] redLamp = new int[ObjectKind.values().length];
    redLamp[ObjectKind.SNEAKER.ordinal()] = 2;
    redLamp[ObjectKind.LAMP.ordinal()] = 6;
    readAs.put(new ProductPhotoGenerator.Pair(ColorName.RED, ObjectKind.LAMP), redLamp);
    int[] blackBag = new int[ObjectKind.values().length];
    blackBag[ObjectKind.HANDBAG.ordinal()] = 8;
    readAs.put(new ProductPhotoGenerator.Pair(ColorName.BLACK, ObjectKind.HANDBAG), blackBag);
    assertThat(EvalCommand.readAs(readAs))
        .isEqualTo("red lamp: lamp 6, sneaker 2; black handbag: handbag 8");
  }
}
