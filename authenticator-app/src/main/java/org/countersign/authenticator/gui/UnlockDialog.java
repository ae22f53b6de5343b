package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GridBagLayout;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;
import javax.swing.JTextArea;
import javax.swing.SwingWorker;
import javax.swing.WindowConstants;

/**
 * Asks for the vault passphrase, or for a new one typed twice when there is no vault yet. The attempt (Argon2id, slow
 * on purpose) runs in the background; a failure shows the core's sentence and lets the person try again.
 */
final class UnlockDialog extends JDialog {
    private static final long serialVersionUID = 1L;

    /** Opens or creates the vault; {@code repeated} is null when unlocking. */
    @FunctionalInterface
    interface Attempt {
        VaultSession run(char[] passphrase, char[] repeated);
    }

    private final transient Attempt attempt;
    private final transient Consumer<VaultSession> onUnlocked;
    private final boolean creating;
    private final JPasswordField passphrase = new JPasswordField(24);
    private final JPasswordField repeated = new JPasswordField(24);
    private final JTextArea error = Forms.message("unlock.error", Forms.ERROR);
    private final JProgressBar working = new JProgressBar();
    private final JButton submit;
    private final JButton quit = Forms.button("Quit", KeyEvent.VK_Q, "unlock.quit");

    UnlockDialog(Path vault, boolean creating, Attempt attempt, Consumer<VaultSession> onUnlocked, Runnable onQuit) {
        super((java.awt.Frame) null, creating ? "Countersign — create your vault" : "Countersign — unlock", false);
        this.attempt = attempt;
        this.onUnlocked = onUnlocked;
        this.creating = creating;
        setName("unlock.dialog");
        submit = Forms.button(creating ? "Create vault" : "Unlock", creating ? KeyEvent.VK_C : KeyEvent.VK_U,
                "unlock.submit");
        passphrase.setName("unlock.passphrase");
        repeated.setName("unlock.repeat");
        passphrase.putClientProperty("JPasswordField.showRevealButton", true);
        repeated.putClientProperty("JPasswordField.showRevealButton", true);

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(20, 24, 12, 24));
        int row = 0;
        form.add(Forms.heading(creating ? "Create your vault" : "Unlock your vault", 20f), Forms.cell(0, row++, 2, 1));
        JTextArea intro = Forms.message("unlock.intro", Forms.MUTED);
        intro.setText(creating
                ? "There is no vault yet at " + vault + ". Choose a passphrase of at least "
                + VaultSession.MIN_NEW_PASSPHRASE + " characters. Nobody can recover it if you forget it."
                : "Vault: " + vault);
        form.add(intro, Forms.cell(0, row++, 2, 1));
        form.add(Forms.label("Passphrase:", KeyEvent.VK_P, passphrase), Forms.cell(0, row, 1, 0));
        form.add(passphrase, Forms.cell(1, row++, 1, 1));
        if (creating) {
            form.add(Forms.label("Repeat:", KeyEvent.VK_R, repeated), Forms.cell(0, row, 1, 0));
            form.add(repeated, Forms.cell(1, row++, 1, 1));
        }
        working.setIndeterminate(true);
        working.setVisible(false);
        form.add(working, Forms.cell(0, row++, 2, 1));
        form.add(error, Forms.cell(0, row, 2, 1));

        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        buttons.setBorder(BorderFactory.createEmptyBorder(0, 16, 12, 16));
        buttons.add(quit);
        buttons.add(submit);

        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        getRootPane().setDefaultButton(submit);
        submit.addActionListener(e -> submit());
        quit.addActionListener(e -> onQuit.run());
        Forms.onEscape(this, onQuit);
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                onQuit.run();
            }

            @Override
            public void windowOpened(WindowEvent e) {
                passphrase.requestFocusInWindow();
            }
        });
        pack();
        setMinimumSize(new Dimension(460, getHeight()));
        setSize(new Dimension(Math.max(460, getWidth()), getHeight() + 40));
        setLocationRelativeTo(null);
    }

    /** A line shown before the first attempt, such as why the app locked; null for none. */
    void notice(String text) {
        if (text != null) {
            error.setForeground(Forms.MUTED);
            error.setText(text);
        }
    }

    private void submit() {
        char[] first = passphrase.getPassword();
        char[] second = creating ? repeated.getPassword() : null;
        busy(true);
        new SwingWorker<VaultSession, Void>() {
            @Override
            protected VaultSession doInBackground() {
                try {
                    return attempt.run(first, second);
                } finally {
                    Arrays.fill(first, '\0');
                    if (second != null) {
                        Arrays.fill(second, '\0');
                    }
                }
            }

            @Override
            protected void done() {
                busy(false);
                try {
                    VaultSession session = get();
                    passphrase.setText("");
                    repeated.setText("");
                    dispose();
                    onUnlocked.accept(session);
                } catch (ExecutionException e) {
                    error.setForeground(Forms.ERROR);
                    error.setText(Forms.describe(e.getCause()));
                    passphrase.setText("");
                    repeated.setText("");
                    passphrase.requestFocusInWindow();
                    pack();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    private void busy(boolean busy) {
        working.setVisible(busy);
        submit.setEnabled(!busy);
        passphrase.setEnabled(!busy);
        repeated.setEnabled(!busy);
        if (busy) {
            error.setText("");
        }
    }
}
