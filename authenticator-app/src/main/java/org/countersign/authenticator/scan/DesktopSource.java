package org.countersign.authenticator.scan;

import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The screen and the system clipboard as sources of QR codes; both need a graphical session. */
public final class DesktopSource {
    private final QrDecoder decoder;

    public DesktopSource(QrDecoder decoder) {
        this.decoder = decoder;
    }

    /** Captures every screen and decodes the QR codes shown. */
    public List<String> scanScreen() {
        return scanScreen(java.util.Optional.empty());
    }

    /** Captures {@code region} (or every screen when empty) and decodes the QR codes shown there. */
    public List<String> scanScreen(java.util.Optional<ScreenRegion> region) {
        requireDisplay("capture the screen");
        Rectangle all = new Rectangle();
        for (GraphicsDevice device : GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
            all = all.union(device.getDefaultConfiguration().getBounds());
        }
        Rectangle area = region.map(ScreenRegion::toRectangle).map(all::intersection).orElse(all);
        if (area.isEmpty()) {
            throw new ScanException("The region " + region.get() + " lies outside the screen (" + all.width + "x"
                    + all.height + " at " + all.x + "," + all.y + ").");
        }
        BufferedImage capture;
        try {
            capture = new Robot().createScreenCapture(area);
        } catch (AWTException | SecurityException | HeadlessException e) {
            throw new ScanException("Cannot capture the screen: " + e.getMessage(), e);
        }
        try {
            return decoder.decode(capture);
        } catch (ScanException e) {
            throw new ScanException("No QR code found on the screen. Make the code fully visible and try again"
                    + " (some Wayland sessions do not allow screen capture: save the image and scan the file).");
        }
    }

    /**
     * Decodes the QR codes of an image on the clipboard, or returns the clipboard's text (one entry per non-empty
     * line) when it holds text instead, such as a copied enrollment or otpauth URI.
     */
    public List<String> scanClipboard() {
        requireDisplay("read the clipboard");
        Clipboard clipboard;
        try {
            clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        } catch (HeadlessException e) {
            throw new ScanException("Cannot read the clipboard: no graphical session.", e);
        }
        try {
            if (clipboard.isDataFlavorAvailable(DataFlavor.imageFlavor)) {
                Image image = (Image) clipboard.getData(DataFlavor.imageFlavor);
                try {
                    return decoder.decode(toBufferedImage(image));
                } catch (ScanException e) {
                    throw new ScanException("No QR code found in the image on the clipboard.");
                }
            }
            if (clipboard.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
                String text = (String) clipboard.getData(DataFlavor.stringFlavor);
                List<String> lines = Arrays.stream(text.split("\\R")).map(String::strip)
                        .filter(line -> !line.isEmpty()).collect(Collectors.toList());
                if (!lines.isEmpty()) {
                    return lines;
                }
            }
        } catch (UnsupportedFlavorException | IOException | IllegalStateException e) {
            throw new ScanException("Cannot read the clipboard: " + e.getMessage(), e);
        }
        throw new ScanException("The clipboard is empty or holds neither an image nor text.");
    }

    private static void requireDisplay(String what) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new ScanException("Cannot " + what + ": there is no display (headless session)."
                    + " Save the QR code as an image and run `authenticator scan FILE` instead.");
        }
    }

    private static BufferedImage toBufferedImage(Image image) {
        if (image instanceof BufferedImage buffered) {
            return buffered;
        }
        int width = image.getWidth(null);
        int height = image.getHeight(null);
        if (width <= 0 || height <= 0) {
            throw new ScanException("The image on the clipboard could not be read.");
        }
        BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = copy.createGraphics();
        try {
            graphics.setColor(java.awt.Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            graphics.drawImage(image, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return copy;
    }
}
