package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagLayout;
import java.awt.Window;
import java.awt.event.KeyEvent;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;

/** Shows what will be added and asks before anything is saved or activated. Enter adds, Escape cancels. */
final class ConfirmAddDialog extends JDialog {
    private static final long serialVersionUID = 1L;
    private boolean confirmed;

    private ConfirmAddDialog(Window owner, AccountPreview preview) {
        super(owner, "Add account", ModalityType.APPLICATION_MODAL);
        setName("confirm.dialog");
        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(20, 24, 8, 24));
        int row = 0;
        form.add(Forms.heading(preview.question(), 16f), Forms.cell(0, row++, 2, 1));
        for (AccountPreview.Field field : preview.fields()) {
            form.add(Forms.muted(field.label() + ":"), Forms.cell(0, row, 1, 0));
            JLabel value = new JLabel(field.value());
            value.setFont(value.getFont().deriveFont(Font.BOLD));
            value.setName("confirm." + field.label().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            form.add(value, Forms.cell(1, row++, 1, 1));
        }
        JButton add = Forms.button("Add", KeyEvent.VK_A, "confirm.add");
        JButton cancel = Forms.button("Cancel", KeyEvent.VK_C, "confirm.cancel");
        add.addActionListener(e -> {
            confirmed = true;
            dispose();
        });
        cancel.addActionListener(e -> dispose());
        Forms.onEscape(this, this::dispose);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        buttons.setBorder(BorderFactory.createEmptyBorder(0, 16, 12, 16));
        buttons.add(cancel);
        buttons.add(add);
        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        // Visible edges even where the window manager draws no frame.
        getRootPane().setBorder(BorderFactory.createLineBorder(javax.swing.UIManager.getColor("Component.borderColor")));
        getRootPane().setDefaultButton(add);
        pack();
        setSize(Math.max(getWidth(), 420), getHeight());
        setLocationRelativeTo(owner);
    }

    /** Blocks (modal) until the person answers; true to add. */
    static boolean ask(Window owner, AccountPreview preview) {
        ConfirmAddDialog dialog = new ConfirmAddDialog(owner, preview);
        dialog.setVisible(true);
        return dialog.confirmed;
    }
}
