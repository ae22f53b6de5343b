package org.countersign.authenticator.gui;

import java.awt.Color;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.Insets;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.UIManager;

/** Small Swing building blocks shared by the windows: labels tied to inputs, buttons, error text, Escape. */
final class Forms {
    static final Color ERROR = new Color(0xB3261E);
    static final Color MUTED = new Color(0x5F6368);

    private Forms() {
    }

    /** A label for {@code input}, with a mnemonic, so screen readers and Alt+key both find the input. */
    static JLabel label(String text, int mnemonic, JComponent input) {
        JLabel label = new JLabel(text);
        label.setDisplayedMnemonic(mnemonic);
        label.setLabelFor(input);
        input.getAccessibleContext().setAccessibleName(text.replace(":", ""));
        return label;
    }

    static JButton button(String text, int mnemonic, String name) {
        JButton button = new JButton(text);
        button.setMnemonic(mnemonic);
        button.setName(name);
        return button;
    }

    /** A read-only text that wraps, for messages that may be long (paths, server errors). */
    static JTextArea message(String name, Color color) {
        JTextArea area = new JTextArea();
        area.setName(name);
        area.setEditable(false);
        area.setFocusable(false);
        area.setLineWrap(true);
        area.setWrapStyleWord(true);
        area.setOpaque(false);
        area.setBorder(null);
        area.setFont(UIManager.getFont("Label.font"));
        area.setForeground(color);
        return area;
    }

    static JLabel heading(String text, float size) {
        JLabel label = new JLabel(text);
        label.setFont(label.getFont().deriveFont(Font.BOLD, size));
        return label;
    }

    static JLabel muted(String text) {
        JLabel label = new JLabel(text);
        label.setForeground(MUTED);
        return label;
    }

    static GridBagConstraints cell(int x, int y, int width, double weightX) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = x;
        c.gridy = y;
        c.gridwidth = width;
        c.weightx = weightX;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.anchor = GridBagConstraints.LINE_START;
        c.insets = new Insets(4, 0, 4, 8);
        return c;
    }

    /** Escape runs {@code action} in this dialog, whatever has the focus. */
    static void onEscape(JDialog dialog, Runnable action) {
        JComponent root = dialog.getRootPane();
        root.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "escape");
        root.getActionMap().put("escape", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(ActionEvent e) {
                action.run();
            }
        });
    }

    /** Text for a JOptionPane: escaped and wrapped at a readable width. */
    static String html(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>");
        return "<html><body style='width: 340px'>" + escaped + "</body></html>";
    }

    /** A message for the person from any failure: the core's sentences as they are, never a stack trace. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (cause instanceof org.countersign.authenticator.vault.VaultException
                || cause instanceof org.countersign.authenticator.push.PushException
                || cause instanceof org.countersign.authenticator.scan.ScanException
                || cause instanceof org.countersign.protocol.ProtocolException
                || cause instanceof IllegalArgumentException) {
            return message;
        }
        return "Unexpected failure (" + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message)
                + ").";
    }
}
