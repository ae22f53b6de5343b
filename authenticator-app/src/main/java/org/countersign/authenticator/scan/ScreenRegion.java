package org.countersign.authenticator.scan;

import java.awt.Rectangle;

/**
 * A rectangle of the screen to scan, in screen pixels.
 *
 * @param x      left edge
 * @param y      top edge
 * @param width  at least 1
 * @param height at least 1
 */
public record ScreenRegion(int x, int y, int width, int height) {
    public ScreenRegion {
        if (width < 1 || height < 1) {
            throw new ScanException("A screen region needs a width and a height of at least 1 pixel.");
        }
    }

    /**
     * Parses {@code x,y,w,h} (spaces allowed).
     *
     * @throws ScanException naming the expected form
     */
    public static ScreenRegion parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",");
        if (parts.length != 4) {
            throw new ScanException("A screen region is x,y,width,height (for example 0,0,800,600).");
        }
        int[] values = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                values[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new ScanException("A screen region is four whole numbers x,y,width,height; '"
                        + parts[i].strip() + "' is not one.");
            }
        }
        return new ScreenRegion(values[0], values[1], values[2], values[3]);
    }

    Rectangle toRectangle() {
        return new Rectangle(x, y, width, height);
    }
}
