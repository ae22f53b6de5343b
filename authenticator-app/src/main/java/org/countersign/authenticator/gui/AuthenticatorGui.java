package org.countersign.authenticator.gui;

import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.awt.AWTEvent;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.AWTEventListener;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import javax.swing.Timer;
import javax.swing.UIManager;
import org.countersign.authenticator.otp.CodeGenerator;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.VaultFile;

/**
 * The GUI app: unlock, then the accounts window, the push approval dialogs and auto-lock. Lives on the event thread;
 * everything it decides is delegated to the models and the core.
 */
public final class AuthenticatorGui {
    private static final int TICK_MS = 250;

    private final VaultFile file;
    private final GuiSettings settings;
    private final CodeGenerator codes;
    private final AccountRows rows;
    private final IdleLock idle;
    private final ClipboardGuard clipboard;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<String, String> revealedHotp = new HashMap<>();
    private final List<ApprovalDialog> dialogs = new ArrayList<>();
    private final AWTEventListener activity;
    private MainWindow window;
    private UnlockDialog unlock;
    private Timer ticker;
    private VaultSession session;
    private PushApprovals approvals;

    private AuthenticatorGui(VaultFile file, GuiSettings settings) {
        this.file = file;
        this.settings = settings;
        this.codes = new CodeGenerator(settings.clock());
        this.rows = new AccountRows(codes);
        this.idle = new IdleLock(settings.clock(), settings.idleLock());
        this.clipboard = new ClipboardGuard(new SystemClipboard(), (task, delay) -> {
            Timer timer = new Timer((int) Math.min(Integer.MAX_VALUE, delay.toMillis()), e -> task.run());
            timer.setRepeats(false);
            timer.start();
        }, settings.clipboardClear());
        this.activity = event -> idle.activity();
    }

    /**
     * Shows the unlock dialog (or the create-a-vault dialog) and returns; {@link #closed()} completes when the person
     * quits. Needs a display.
     */
    public static AuthenticatorGui open(VaultFile file, GuiSettings settings)
            throws InterruptedException, InvocationTargetException {
        AuthenticatorGui gui = new AuthenticatorGui(file, settings);
        if (SwingUtilities.isEventDispatchThread()) {
            gui.start();
        } else {
            SwingUtilities.invokeAndWait(gui::start);
        }
        return gui;
    }

    /** Completes when the app has quit and every window is gone. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Installs FlatLaf with a readable font size, once per process. */
    static void installLookAndFeel() {
        if (UIManager.getLookAndFeel() instanceof FlatLaf) {
            return;
        }
        FlatLightLaf.setup();
        Font font = UIManager.getFont("defaultFont");
        if (font != null && font.getSize2D() < 14f) {
            UIManager.put("defaultFont", font.deriveFont(14f));
        }
        UIManager.put("Component.arc", 8);
        UIManager.put("Button.arc", 8);
        UIManager.put("TextComponent.arc", 8);
        FlatLaf.updateUI();
    }

    private void start() {
        installLookAndFeel();
        window = new MainWindow(file.path().getFileName().toString(), new Actions());
        ticker = new Timer(TICK_MS, e -> tick());
        Toolkit.getDefaultToolkit().addAWTEventListener(activity,
                AWTEvent.KEY_EVENT_MASK | AWTEvent.MOUSE_EVENT_MASK | AWTEvent.MOUSE_WHEEL_EVENT_MASK);
        showUnlock(null);
    }

    private void showUnlock(String notice) {
        boolean creating = !file.exists();
        unlock = new UnlockDialog(file.path(), creating,
                (passphrase, repeated) -> creating ? VaultSession.create(file, passphrase, repeated)
                        : VaultSession.unlock(file, passphrase),
                this::unlocked, this::quit);
        unlock.notice(notice);
        unlock.setVisible(true);
        unlock.toFront();
    }

    private void unlocked(VaultSession opened) {
        unlock = null;
        session = opened;
        idle.activity();
        PushApprovals held = new PushApprovals(settings.httpClients(), settings.clock(), new ApprovalEvents());
        approvals = held;
        opened.pushAccounts().forEach(held::hold);
        refresh();
        window.status(opened.accounts().isEmpty() ? "Add your first account with Add account."
                : "Click an account (or press Enter) to copy its code.");
        window.setVisible(true);
        window.toFront();
        ticker.start();
    }

    private void tick() {
        if (session == null) {
            return;
        }
        if (idle.shouldLock()) {
            lock("Locked after " + describe(settings.idleLock()) + " without activity.");
            return;
        }
        refresh();
        int pushAccounts = session.pushAccounts().size();
        window.pushStatus(pushAccounts == 0 ? "" : "Push: " + approvals.readyChannels() + " of " + pushAccounts
                + " connected");
    }

    private void refresh() {
        if (session != null) {
            window.showRows(rows.rows(session.accounts(), window.filter(), revealedHotp), session.accounts().isEmpty());
        }
    }

    private void copy(AccountRow row) {
        Account account = session == null ? null
                : session.accounts().stream().filter(a -> a.id().equals(row.id())).findFirst().orElse(null);
        if (account == null) {
            return;
        }
        String what = account.displayName();
        if (account instanceof HotpAccount) {
            VaultSession current = session;
            window.status("Saving the counter…");
            new SwingWorker<String, Void>() {
                @Override
                protected String doInBackground() {
                    return codes.hotp(current.nextHotp(row.id()));
                }

                @Override
                protected void done() {
                    try {
                        String code = get();
                        if (session == current) {
                            revealedHotp.put(row.id(), code);
                            copied(what, code);
                            refresh();
                        }
                    } catch (ExecutionException e) {
                        window.status(Forms.describe(e.getCause()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }.execute();
            return;
        }
        List<AccountRow> now = rows.rows(List.of(account), "", Map.of());
        copied(what, now.get(0).code());
    }

    private void copied(String what, String code) {
        clipboard.copy(code);
        window.status("Copied the code of " + PendingApproval.printable(what) + ". The clipboard is cleared in "
                + describe(clipboard.clearAfter()) + ".");
    }

    /** Locks: closes the channels and dialogs, wipes the session and the copied code, asks for the passphrase. */
    void lock(String reason) {
        if (session == null) {
            return;
        }
        ticker.stop();
        approvals.close();
        new ArrayList<>(dialogs).forEach(dialog -> dialog.finish(null));
        dialogs.clear();
        clipboard.clearNow();
        revealedHotp.clear();
        session.lock();
        session = null;
        window.clearRows();
        window.pushStatus("");
        window.setVisible(false);
        showUnlock(reason);
    }

    private void quit() {
        if (session != null) {
            lock(null);
        }
        ticker.stop();
        Toolkit.getDefaultToolkit().removeAWTEventListener(activity);
        clipboard.clearNow();
        for (Window each : Window.getWindows()) {
            each.dispose();
        }
        closed.complete(null);
    }

    private static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 60 == 0 && seconds >= 60) {
            long minutes = seconds / 60;
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        return seconds + " s";
    }

    private final class Actions implements MainWindow.Actions {
        private final AddAccountFlow adding = new AddAccountFlow(settings, new AddAccountFlow.Host() {
            @Override
            public VaultSession session() {
                return session;
            }

            @Override
            public Window window() {
                return window;
            }

            @Override
            public void added(Account account) {
                if (account instanceof PushAccount push && approvals != null) {
                    approvals.hold(push);
                    window.status("Push approvals are set up for " + PendingApproval.printable(push.displayName())
                            + ". Approve the test notification to finish.");
                } else {
                    window.status("Added " + PendingApproval.printable(account.displayName()) + ".");
                }
                refresh();
            }

            @Override
            public void status(String message) {
                window.status(message);
            }
        });

        @Override
        public void copy(AccountRow row) {
            AuthenticatorGui.this.copy(row);
        }

        @Override
        public void add(AddAccountFlow.Source source) {
            if (session != null) {
                adding.start(source);
            }
        }

        @Override
        public void lock() {
            AuthenticatorGui.this.lock(null);
        }

        @Override
        public void quit() {
            AuthenticatorGui.this.quit();
        }

        @Override
        public void filterChanged() {
            refresh();
        }
    }

    /** Channel events arrive on network threads; they are handled on the event thread. */
    private final class ApprovalEvents implements PushApprovals.Listener {
        @Override
        public void onRequest(PendingApproval approval) {
            SwingUtilities.invokeLater(() -> showApproval(approval));
        }

        @Override
        public void onStatus(String message) {
            SwingUtilities.invokeLater(() -> {
                if (session != null) {
                    window.status(message);
                }
            });
        }

        @Override
        public void onNotice(String message) {
            SwingUtilities.invokeLater(() -> {
                if (session != null) {
                    window.status(message);
                    window.notice(message);
                }
            });
        }

        @Override
        public void onEnded(String signInId, String state) {
            SwingUtilities.invokeLater(() -> {
                for (ApprovalDialog dialog : List.copyOf(dialogs)) {
                    if (dialog.signInId().equals(signInId)) {
                        dialogs.remove(dialog);
                        dialog.dispose();
                        if (session != null) {
                            window.status("The sign-in request ended (" + PendingApproval.printable(state)
                                    + "): a newer request replaced it, or it was answered elsewhere.");
                        }
                    }
                }
            });
        }
    }

    private void showApproval(PendingApproval approval) {
        PushApprovals current = approvals;
        if (session == null || current == null) {
            return;
        }
        ApprovalDialog[] holder = new ApprovalDialog[1];
        holder[0] = new ApprovalDialog(approval, settings.clock(),
                (decision, number) -> current.answer(approval, decision, number),
                status -> {
                    dialogs.remove(holder[0]);
                    if (status != null && session != null) {
                        window.status(status);
                    }
                });
        dialogs.add(holder[0]);
        holder[0].setVisible(true);
        holder[0].toFront();
    }
}
