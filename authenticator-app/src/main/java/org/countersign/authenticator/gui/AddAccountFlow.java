package org.countersign.authenticator.gui;

import java.awt.Window;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.swing.JFileChooser;
import javax.swing.JOptionPane;
import javax.swing.SwingWorker;
import javax.swing.Timer;
import javax.swing.filechooser.FileNameExtensionFilter;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.scan.DesktopSource;
import org.countersign.authenticator.scan.QrDecoder;
import org.countersign.authenticator.scan.ScanException;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.vault.Account;

/**
 * Adding accounts: gets QR payloads from the screen, an image file or the clipboard (or a typed key), shows each for
 * confirmation, then saves it or activates it with its push service, all through the core; slow work runs off the
 * event thread.
 */
final class AddAccountFlow {
    /** Where the new account comes from. */
    enum Source { SCREEN, IMAGE, CLIPBOARD, MANUAL }

    /** What the flow needs from the app. */
    interface Host {
        VaultSession session();

        Window window();

        /** An account was saved (a push account should have its channel held now). */
        void added(Account account);

        void status(String message);
    }

    private final GuiSettings settings;
    private final Host host;
    private final QrDecoder decoder = new QrDecoder();

    AddAccountFlow(GuiSettings settings, Host host) {
        this.settings = settings;
        this.host = host;
    }

    void start(Source source) {
        switch (source) {
            case MANUAL -> ManualEntryDialog.ask(host.window())
                    .ifPresent(uri -> confirmEach(List.<ScannedPayload>of(new ScannedPayload.OtpAuth(uri)).iterator()));
            case IMAGE -> chooseImage();
            case CLIPBOARD -> background(() -> new DesktopSource(decoder).scanClipboard(), this::classify);
            case SCREEN -> scanScreen();
        }
    }

    private void chooseImage() {
        JFileChooser chooser = new JFileChooser();
        chooser.setName("add.chooser");
        chooser.setDialogTitle("Choose an image with a QR code");
        chooser.setFileFilter(new FileNameExtensionFilter("Images (PNG, JPEG, GIF, BMP)", "png", "jpg", "jpeg", "gif",
                "bmp"));
        if (chooser.showOpenDialog(host.window()) == JFileChooser.APPROVE_OPTION) {
            File file = chooser.getSelectedFile();
            background(() -> decoder.decode(file.toPath()), this::classify);
        }
    }

    /** Gets our own window out of the way for a moment, so it does not hide the code being scanned. */
    private void scanScreen() {
        Window window = host.window();
        window.setVisible(false);
        Timer later = new Timer(400, e -> background(() -> new DesktopSource(decoder).scanScreen(), payloads -> {
            window.setVisible(true);
            classify(payloads);
        }, () -> window.setVisible(true)));
        later.setRepeats(false);
        later.start();
    }

    private void classify(List<String> payloads) {
        List<ScannedPayload> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String payload : payloads) {
            try {
                found.add(ScannedPayload.classify(payload));
            } catch (ScanException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            error(String.join("\n", problems));
        }
        if (payloads.size() > 1) {
            host.status("Found " + payloads.size() + " QR codes.");
        }
        confirmEach(found.iterator());
    }

    private void confirmEach(Iterator<ScannedPayload> payloads) {
        while (payloads.hasNext()) {
            ScannedPayload payload = payloads.next();
            if (ConfirmAddDialog.ask(host.window(), AccountPreview.of(payload))) {
                host.status(payload instanceof ScannedPayload.Enrollment ? "Activating with the push service…"
                        : "Saving…");
                background(() -> save(payload), account -> {
                    host.added(account);
                    confirmEach(payloads);
                });
                return; // the rest continue after this save
            }
        }
    }

    private Account save(ScannedPayload payload) {
        VaultSession session = host.session();
        if (payload instanceof ScannedPayload.Enrollment enrollment) {
            EnrollmentClient client = new EnrollmentClient(settings.httpClients().apply(enrollment.uri().pin()),
                    settings.random(), settings.clock(), settings.deviceName(), settings.platform());
            return session.activate(client, enrollment.uri());
        }
        return session.add(((ScannedPayload.OtpAuth) payload).uri(), settings.random());
    }

    private <T> void background(Callable<T> work, Consumer<T> then) {
        background(work, then, () -> { });
    }

    private <T> void background(Callable<T> work, Consumer<T> then, Runnable onFailure) {
        new SwingWorker<T, Void>() {
            @Override
            protected T doInBackground() throws Exception {
                return work.call();
            }

            @Override
            protected void done() {
                try {
                    T value = get();
                    then.accept(value);
                } catch (ExecutionException e) {
                    onFailure.run();
                    host.status(" ");
                    error(Forms.describe(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    private void error(String message) {
        JOptionPane.showMessageDialog(host.window(), Forms.html(message), "Could not add the account",
                JOptionPane.ERROR_MESSAGE);
    }
}
