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
        if ((long) x + width > Integer.MAX_VALUE || (long) y + height > Integer.MAX_VALUE) {
            throw new ScanException("A screen region must end within " + Integer.MAX_VALUE + " pixels.");
        }
    }

    /**
     * Parses {@code x,y,w,h}: four whole numbers, spaces around them allowed; x and y may be negative (screens left
     * of or above the primary one), width and height at least 1.
     *
     * @throws ScanException naming the expected form
     */
    public static ScreenRegion parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        if (parts.length != 4) {
            throw new ScanException("A screen region is x,y,width,height (for example 0,0,800,600).");
        }
        int[] values = new int[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i].strip();
            if (!part.matches("-?[0-9]+")) { // parseInt would also take "+5" and non-ASCII digits
                throw new ScanException("A screen region is four whole numbers x,y,width,height; '"
                        + printable(part) + "' is not one.");
            }
            try {
                values[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new ScanException("A screen region's numbers are pixels; '" + printable(part)
                        + "' is far too large.");
            }
        }
        return new ScreenRegion(values[0], values[1], values[2], values[3]);
    }

    private static String printable(String text) {
        String shown = text.length() > 20 ? text.substring(0, 20) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    Rectangle toRectangle() {
        return new Rectangle(x, y, width, height);
    }
}
