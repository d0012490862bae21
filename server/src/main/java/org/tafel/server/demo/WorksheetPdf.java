package org.tafel.server.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, valid one-page PDF (ISO 32000-1: header, five objects, cross-reference table with exact
 * byte offsets, trailer) with a few lines of Helvetica text: the worksheet the demo sends.
 */
public final class WorksheetPdf {
  private WorksheetPdf() {}

  /**
   * A worksheet with {@code title} and {@code lines} (ASCII; parentheses and backslashes escaped).
   */
  public static byte[] generate(String title, List<String> lines) {
    StringBuilder text =
        new StringBuilder("BT /F1 20 Tf 72 770 Td (" + escape(title) + ") Tj ET\n");
    int y = 730;
    for (String line : lines) {
      text.append("BT /F1 12 Tf 72 ")
          .append(y)
          .append(" Td (")
          .append(escape(line))
          .append(") Tj ET\n");
      y -= 22;
    }
    byte[] content = text.toString().getBytes(StandardCharsets.US_ASCII);
    List<String> objects = new ArrayList<>();
    objects.add("<< /Type /Catalog /Pages 2 0 R >>");
    objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    objects.add(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            + "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>");
    objects.add(
        "<< /Length "
            + content.length
            + " >>\nstream\n"
            + new String(content, StandardCharsets.US_ASCII)
            + "endstream");
    objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.size());
      write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
    }
    int xref = out.size();
    StringBuilder x = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n");
    x.append("0000000000 65535 f \n");
    for (int off : offsets) {
      x.append(String.format("%010d 00000 n \n", off));
    }
    x.append("trailer\n<< /Size ")
        .append(objects.size() + 1)
        .append(" /Root 1 0 R >>\nstartxref\n")
        .append(xref)
        .append("\n%%EOF\n");
    write(out, x.toString());
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
  }
}
