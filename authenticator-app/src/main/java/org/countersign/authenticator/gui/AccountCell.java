package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.GridLayout;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.ListCellRenderer;
import javax.swing.SwingConstants;
import javax.swing.UIManager;

/** Draws one account: issuer and name on the left, the grouped code and its countdown on the right. */
final class AccountCell extends JPanel implements ListCellRenderer<AccountRow> {
    private static final long serialVersionUID = 1L;
    private static final Color SOON = new Color(0xC5221F);

    private final JLabel title = new JLabel();
    private final JLabel subtitle = new JLabel();
    private final JLabel code = new JLabel();
    private final JProgressBar countdown = new JProgressBar();
    private final Font codeFont;

    AccountCell() {
        super(new BorderLayout(16, 0));
        setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 0, 1, 0, UIManager.getColor("Separator.foreground")),
                BorderFactory.createEmptyBorder(10, 16, 10, 16)));
        Font base = UIManager.getFont("Label.font");
        title.setFont(base.deriveFont(Font.BOLD, base.getSize2D() + 2f));
        subtitle.setFont(base);
        codeFont = new Font(Font.MONOSPACED, Font.BOLD, Math.round(base.getSize2D() * 1.9f));
        code.setFont(codeFont);
        code.setHorizontalAlignment(SwingConstants.TRAILING);
        countdown.setStringPainted(true);
        countdown.setFont(base.deriveFont(base.getSize2D() - 1f));

        JPanel names = new JPanel(new GridLayout(2, 1, 0, 2));
        names.setOpaque(false);
        names.add(title);
        names.add(subtitle);
        JPanel right = new JPanel(new BorderLayout(0, 4));
        right.setOpaque(false);
        right.add(code, BorderLayout.CENTER);
        right.add(countdown, BorderLayout.SOUTH);
        add(names, BorderLayout.CENTER);
        add(right, BorderLayout.EAST);
    }

    @Override
    public Component getListCellRendererComponent(JList<? extends AccountRow> list, AccountRow row, int index,
                                                  boolean selected, boolean focused) {
        setBackground(selected ? list.getSelectionBackground() : list.getBackground());
        Color text = selected ? list.getSelectionForeground() : list.getForeground();
        Color muted = selected ? text : Forms.MUTED;
        title.setForeground(text);
        subtitle.setForeground(muted);
        title.setText(row.title());
        String kind = switch (row.kind()) {
            case TOTP -> row.issuer().isEmpty() ? "  ·  time-based" : "";
            case HOTP -> "  ·  counter-based";
            case PUSH -> "  ·  push approvals";
        };
        subtitle.setText(row.issuer().isEmpty() ? kind.replace("  ·  ", "") : row.name() + kind);
        if (row.kind() == AccountRow.Kind.HOTP) {
            code.setText(row.hasCode() ? row.groupedCode() : "Click for a code");
            code.setFont(row.hasCode() ? codeFont : title.getFont().deriveFont(Font.PLAIN));
            code.setForeground(row.hasCode() ? text : muted);
            countdown.setVisible(false);
        } else {
            code.setText(row.groupedCode());
            code.setFont(codeFont);
            code.setForeground(row.secondsRemaining() <= 5 && !selected ? SOON : text);
            countdown.setVisible(true);
            countdown.setMaximum(row.periodSeconds());
            countdown.setValue(row.secondsRemaining());
            countdown.setString(row.secondsRemaining() + " s");
        }
        getAccessibleContext().setAccessibleName(row.title() + " " + row.name() + ", code " + row.groupedCode());
        return this;
    }
}
