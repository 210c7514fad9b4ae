package dev.turbofarm.model.tools;

import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.BundledPipeline;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.Images;
import dev.turbofarm.model.tiny.ObjectKind;
import dev.turbofarm.model.tiny.PromptAttributes;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import dev.turbofarm.model.tools.data.Scene;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Renders a contact sheet: every object on every background (24 English prompts), the 8 colours
 * spread over them, then 8 Chinese and mixed prompts; half at the draft profile's size and half at
 * the article-landscape size, each image under its prompt. Images are shown scaled down to keep the
 * PNG small; the caption gives the rendered size. Chinese labels need a font with Chinese glyphs
 * (on Debian: fonts-wqy-microhei); the first installed one is used.
 */
@Command(
    name = "sheet",
    mixinStandardHelpOptions = true,
    description = "Render the model card's contact sheet.")
public final class ContactSheetCommand implements Callable<Integer> {

  @Option(names = "--model", description = "Model folder; default: the bundled classpath weights.")
  Path model;

  @Option(
      names = "--out",
      defaultValue = "docs/model-card-contact-sheet.png",
      description = "PNG path.")
  Path out;

  @Option(names = "--steps", defaultValue = "30", description = "Sampler steps (daily profile).")
  int steps;

  @Option(names = "--guidance", defaultValue = "6.0", description = "Guidance.")
  double guidance;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the first image.")
  long seed;

  /** Thumbnail height in the sheet, px. */
  static final int THUMB = 190;

  static final int LABEL = 34;
  static final int PAD = 8;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ContactSheetCommand()).execute(args));
  }

  /** Chinese and mixed prompts of the sheet; 蓝色瓶子 (blue bottle) is a held-out pair. */
  static final List<String> CHINESE_PROMPTS =
      List.of(
          "一个红色马克杯，白色背景，影棚照片",
          "放在木桌上的蓝色运动鞋",
          "户外的黄色T恤，自然光",
          "灰色背景的紫色台灯产品照片",
          "蓝色瓶子在木桌上",
          "a 粉色 handbag on 木桌",
          "红色 mug 户外",
          "一个 orange 台灯，白色背景");

  /**
   * The sheet's prompts: object x background, colours cycling so every colour appears 3 times, then
   * the Chinese and mixed ones.
   */
  static List<String> prompts() {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Backdrop b : Backdrop.values()) {
      for (ObjectKind o : ObjectKind.values()) {
        ColorName c = ColorName.values()[(i * 3 + b.ordinal()) % ColorName.values().length];
        Scene s = new Scene(o, c, b, 0.5, 0.5, 0.6, 0, 1, 0, 0);
        out.add(s.caption());
        i++;
      }
    }
    out.addAll(CHINESE_PROMPTS);
    return out;
  }

  @Override
  public Integer call() throws IOException {
    List<String> prompts = prompts();
    int[][] sizes = {{512, 512}, {1024, 576}};
    String[] names = {"draft 512x512", "article-landscape 1024x576"};
    List<BufferedImage> thumbs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    try (BundledPipeline p = BundledPipeline.loadOrDefault(model)) {
      // sizes alternate, so every background appears at both profiles' sizes; sheet order kept
      BufferedImage[] thumbArr = new BufferedImage[prompts.size()];
      String[] labelArr = new String[prompts.size()];
      for (int s = 0; s < sizes.length; s++) {
        List<Integer> mine = new ArrayList<>();
        for (int i = s; i < prompts.size(); i += sizes.length) {
          mine.add(i);
        }
        for (int i = 0; i < mine.size(); i += 4) {
          List<Integer> idx = mine.subList(i, Math.min(mine.size(), i + 4));
          List<RenderRequest> reqs = new ArrayList<>();
          for (int k : idx) {
            reqs.add(
                new RenderRequest(
                    prompts.get(k), "", sizes[s][0], sizes[s][1], steps, guidance, seed + k));
          }
          List<RenderedImage> rendered = p.render(reqs);
          for (int j = 0; j < rendered.size(); j++) {
            int k = idx.get(j);
            BufferedImage img = rendered.get(j).image();
            int w = THUMB * img.getWidth() / img.getHeight();
            thumbArr[k] = Images.areaResize(img, w, THUMB);
            PromptAttributes a = PromptAttributes.parse(prompts.get(k));
            boolean held = !ProductPhotoGenerator.isTrainingPair(a.color(), a.object());
            labelArr[k] =
                prompts.get(k)
                    + String.format(
                        Locale.ROOT,
                        " [%s, q %.2f%s]",
                        names[s],
                        rendered.get(j).quality() == null ? 0 : rendered.get(j).quality(),
                        held ? ", held-out pair" : "");
          }
        }
      }
      thumbs.addAll(List.of(thumbArr));
      labels.addAll(List.of(labelArr));
      write(thumbs, labels, p.modelId());
    }
    return 0;
  }

  private void write(List<BufferedImage> thumbs, List<String> labels, String modelId)
      throws IOException {
    int cols = 4;
    int cellW = THUMB * 1024 / 576 + PAD;
    int cellH = THUMB + LABEL + PAD;
    int rows = (thumbs.size() + cols - 1) / cols;
    int header = 30;
    BufferedImage sheet =
        new BufferedImage(
            cols * cellW + PAD, header + rows * cellH + PAD, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(modelId + " - " + steps + " steps, guidance " + guidance, PAD, 20);
      g.setFont(labelFont());
      FontMetrics fm = g.getFontMetrics();
      for (int i = 0; i < thumbs.size(); i++) {
        int x = PAD + (i % cols) * cellW;
        int y = header + (i / cols) * cellH;
        List<String> lines = wrap(labels.get(i), fm, cellW - PAD);
        for (int l = 0; l < Math.min(2, lines.size()); l++) {
          g.drawString(lines.get(l), x, y + 12 + l * 13);
        }
        g.drawImage(thumbs.get(i), x, y + LABEL, null);
      }
    } finally {
      g.dispose();
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    ImageIO.write(sheet, "png", out.toFile());
    System.out.println("wrote " + out);
  }

  /** A font that draws Chinese where one is installed, else the plain sans-serif. */
  private static Font labelFont() {
    Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    if (plain.canDisplay('红')) {
      return plain;
    }
    for (Font f : java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
      if (f.canDisplay('红') && f.canDisplay('a')) {
        return f.deriveFont(Font.PLAIN, 11f);
      }
    }
    return plain;
  }

  private static List<String> wrap(String text, FontMetrics fm, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String next = line.length() == 0 ? word : line + " " + word;
      if (fm.stringWidth(next) > width && line.length() > 0) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(next);
      }
    }
    lines.add(line.toString());
    return lines;
  }
}
