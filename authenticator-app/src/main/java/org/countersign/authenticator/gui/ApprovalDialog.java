package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagLayout;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;
import org.countersign.protocol.Decision;

/**
 * One sign-in request: who, which app, where from and when, a field for the number on the sign-in screen, and
 * Approve, Deny and "No, it's not me". Shows the service's verdict; closes itself when the request expires.
 * Enter approves (with the number typed), Escape denies.
 */
final class ApprovalDialog extends JDialog {
    private static final long serialVersionUID = 1L;
    private static final int CLOSE_AFTER_RESULT_MS = 15_000;

    /** Sends the answer; fails at once (IllegalArgumentException) when the number is not valid. */
    @FunctionalInterface
    interface Answer {
        CompletableFuture<String> send(Decision decision, String number);
    }

    private final transient PendingApproval approval;
    private final transient Clock clock;
    private final transient Answer answer;
    private final transient Consumer<String> onClosed;
    private final JTextField number = new JTextField(8);
    private final JLabel countdown = new JLabel();
    private final JTextArea message = Forms.message("approval.result", Forms.MUTED);
    private final JButton approve = Forms.button("Approve", KeyEvent.VK_A, "approval.approve");
    private final JButton deny = Forms.button("Deny", KeyEvent.VK_D, "approval.deny");
    private final JButton fraud = Forms.button("No, it's not me", KeyEvent.VK_N, "approval.fraud");
    private final JButton close = Forms.button("Close", KeyEvent.VK_C, "approval.close");
    private final CardLayout buttonCards = new CardLayout();
    private final JPanel buttons = new JPanel(buttonCards);
    private final Timer ticker;
    private boolean sent;
    private boolean answered;

    /** The sign-in this dialog asks about. */
    String signInId() {
        return approval.signInId();
    }

    ApprovalDialog(PendingApproval approval, Clock clock, Answer answer, Consumer<String> onClosed) {
        super((java.awt.Frame) null, approval.isTest() ? "Countersign — test notification" : "Countersign — sign-in request",
                false);
        this.approval = approval;
        this.clock = clock;
        this.answer = answer;
        this.onClosed = onClosed;
        setName("approval.dialog");
        number.setName("approval.number");
        countdown.setName("approval.countdown");
        setAlwaysOnTop(true);
        number.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.round(number.getFont().getSize2D() * 1.6f)));
        number.putClientProperty("JTextField.placeholderText", "00");

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(20, 24, 8, 24));
        int row = 0;
        form.add(Forms.heading(approval.heading(), 18f), Forms.cell(0, row++, 2, 1));
        JLabel whom = Forms.muted(approval.whom());
        whom.setName("approval.whom");
        form.add(whom, Forms.cell(0, row++, 2, 1));
        for (AccountPreview.Field field : approval.details(clock.getZone())) {
            form.add(Forms.muted(field.label() + ":"), Forms.cell(0, row, 1, 0));
            JLabel value = new JLabel(field.value());
            value.setFont(value.getFont().deriveFont(Font.BOLD));
            value.setName("approval." + field.label().toLowerCase(Locale.ROOT).replace(' ', '-'));
            form.add(value, Forms.cell(1, row++, 1, 1));
        }
        form.add(countdown, Forms.cell(0, row++, 2, 1));
        form.add(Forms.label("Number on the sign-in screen:", KeyEvent.VK_M, number), Forms.cell(0, row, 1, 0));
        form.add(number, Forms.cell(1, row++, 1, 1));
        form.add(message, Forms.cell(0, row, 2, 1));

        JPanel choices = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        choices.add(fraud);
        choices.add(deny);
        choices.add(approve);
        JPanel done = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        done.add(close);
        buttons.add(choices, "choices");
        buttons.add(done, "done");
        buttons.setBorder(BorderFactory.createEmptyBorder(0, 16, 12, 16));
        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        // Visible edges even where the window manager draws no frame.
        getRootPane().setBorder(BorderFactory.createLineBorder(javax.swing.UIManager.getColor("Component.borderColor")));
        getRootPane().setDefaultButton(approve);

        approve.addActionListener(e -> send(Decision.APPROVE));
        deny.addActionListener(e -> send(Decision.DENY));
        fraud.addActionListener(e -> send(Decision.FRAUD));
        close.addActionListener(e -> finish(null));
        Forms.onEscape(this, () -> {
            if (answered) {
                finish(null);
            } else if (!sent) {
                send(Decision.DENY);
            }
        });
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                finish(answered ? null : "The sign-in request was closed unanswered.");
            }

            @Override
            public void windowOpened(WindowEvent e) {
                number.requestFocusInWindow();
            }
        });
        ticker = new Timer(1000, e -> tick());
        tick();
        ticker.start();
        pack();
        setSize(Math.max(getWidth(), 480), getHeight() + 30);
        setLocationRelativeTo(null);
    }

    PendingApproval approval() {
        return approval;
    }

    private void tick() {
        if (answered) {
            return;
        }
        if (approval.isExpired(clock)) {
            finish("The sign-in request " + (approval.isTest() ? "(test) " : "") + "expired unanswered.");
            return;
        }
        countdown.setText("Expires in " + approval.secondsLeft(clock) + " s");
    }

    private void send(Decision decision) {
        if (sent) {
            return;
        }
        CompletableFuture<String> verdict;
        try {
            verdict = answer.send(decision, number.getText());
        } catch (IllegalArgumentException e) {
            message.setForeground(Forms.ERROR);
            message.setText(e.getMessage());
            number.requestFocusInWindow();
            return;
        }
        sent = true;
        setChoicesEnabled(false);
        message.setForeground(Forms.MUTED);
        message.setText("Sending…");
        verdict.whenComplete((state, error) -> SwingUtilities.invokeLater(() -> {
            answered = true;
            message.setForeground(error == null && "approved".equals(state) ? Forms.MUTED : Forms.ERROR);
            message.setText(error == null ? PendingApproval.outcome(decision, state) : Forms.describe(error));
            if (error == null && "approved".equals(state)) {
                message.setForeground(new java.awt.Color(0x137333));
            }
            countdown.setText(" ");
            buttonCards.show(buttons, "done");
            getRootPane().setDefaultButton(close);
            close.requestFocusInWindow();
            Timer closeLater = new Timer(CLOSE_AFTER_RESULT_MS, e -> finish(null));
            closeLater.setRepeats(false);
            closeLater.start();
        }));
    }

    private void setChoicesEnabled(boolean enabled) {
        approve.setEnabled(enabled);
        deny.setEnabled(enabled);
        fraud.setEnabled(enabled);
        number.setEnabled(enabled);
    }

    /** Closes the dialog once; {@code status} (may be null) goes to the main window's status line. */
    void finish(String status) {
        if (!isDisplayable()) {
            return;
        }
        ticker.stop();
        dispose();
        onClosed.accept(status != null ? status : answered ? message.getText() : null);
    }
}
