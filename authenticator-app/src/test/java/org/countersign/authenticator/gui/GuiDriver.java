package org.countersign.authenticator.gui;

import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/** Drives the real windows: finds components by name, clicks and types with the AWT Robot, saves screenshots. */
final class GuiDriver {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Robot robot;

    GuiDriver() throws Exception {
        robot = new Robot();
        robot.setAutoDelay(20);
    }

    static <T> T onEdt(Callable<T> call) throws Exception {
        if (SwingUtilities.isEventDispatchThread()) {
            return call.call();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            try {
                result.set(call.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    static void runOnEdt(Runnable run) throws Exception {
        SwingUtilities.invokeAndWait(run);
    }

    /** Waits until a showing component with this name and type exists, and returns it. */
    <T extends Component> T find(Class<T> type, String name) throws Exception {
        AtomicReference<T> found = new AtomicReference<>();
        waitUntil("a showing " + type.getSimpleName() + " named " + name, () -> {
            try {
                found.set(onEdt(() -> search(type, name)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return found.get() != null;
        });
        return found.get();
    }

    /** The showing component with this name, or null; call on the event thread. */
    static <T extends Component> T search(Class<T> type, String name) {
        for (Window window : Window.getWindows()) {
            if (window.isShowing()) {
                T hit = search(window, type, name);
                if (hit != null) {
                    return hit;
                }
            }
        }
        return null;
    }

    private static <T extends Component> T search(Component component, Class<T> type, String name) {
        if (type.isInstance(component) && name.equals(component.getName()) && component.isShowing()) {
            return type.cast(component);
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                T hit = search(child, type, name);
                if (hit != null) {
                    return hit;
                }
            }
        }
        return null;
    }

    boolean showing(String name) throws Exception {
        return onEdt(() -> search(Component.class, name) != null);
    }

    void waitUntil(String what, BooleanSupplier condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A real mouse click in the middle of the component (or at a point inside it). */
    void click(Component component) throws Exception {
        Rectangle bounds = onEdt(() -> new Rectangle(component.getLocationOnScreen(), component.getSize()));
        clickAt(new Point(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2));
    }

    void clickAt(Point onScreen) {
        robot.mouseMove(onScreen.x, onScreen.y);
        robot.waitForIdle();
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
    }

    /**
     * Clicks the field and types into it with real key events, once the field owns the keyboard focus: a window
     * that has just opened may not have it yet on a loaded machine (key events would go to another window). Tries
     * up to three times, emptying the field between tries, and fails if the field never shows the text.
     */
    void typeInto(javax.swing.text.JTextComponent field, String text) throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            click(field);
            if (becomes(Duration.ofSeconds(5), () -> call(field::isFocusOwner))) {
                type(text);
                if (becomes(Duration.ofSeconds(5), () -> text.equals(call(field::getText)))) {
                    return;
                }
            }
            onEdt(() -> {
                field.setText("");
                return null;
            });
        }
        throw new AssertionError("Could not type '" + text + "' into " + field.getName());
    }

    private static boolean becomes(Duration within, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static <T> T call(Callable<T> read) {
        try {
            return onEdt(read);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Types digits and letters (lower case) with real key events. */
    void type(String text) {
        for (char c : text.toCharArray()) {
            int key = KeyEvent.getExtendedKeyCodeForChar(Character.toLowerCase(c));
            robot.keyPress(key);
            robot.keyRelease(key);
        }
        robot.waitForIdle();
    }

    void press(int keyCode) {
        robot.keyPress(keyCode);
        robot.keyRelease(keyCode);
        robot.waitForIdle();
    }

    /** Saves what is on the screen where the window is, as PNG under target/screenshots. */
    Path screenshot(Window window, String name) throws Exception {
        robot.waitForIdle();
        Thread.sleep(300); // let the last repaint land
        Rectangle bounds = onEdt(window::getBounds);
        return save(robot.createScreenCapture(bounds), name);
    }

    /** Saves the whole screen. */
    Path screenshot(String name) throws Exception {
        robot.waitForIdle();
        Thread.sleep(300);
        Rectangle screen = onEdt(() -> new Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize()));
        return save(robot.createScreenCapture(screen), name);
    }

    private static Path save(BufferedImage image, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        ImageIO.write(image, "PNG", file.toFile());
        return file;
    }
}
