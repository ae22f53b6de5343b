package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridBagLayout;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.util.Arrays;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JSpinner;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;
import org.countersign.protocol.Totp;

/** "Enter a key": issuer, account, secret, type, algorithm, digits, period (or counter), checked by ManualEntry. */
final class ManualEntryDialog extends JDialog {
    private static final long serialVersionUID = 1L;

    private final JTextField issuer = new JTextField(22);
    private final JTextField account = new JTextField(22);
    private final JPasswordField secret = new JPasswordField(22);
    private final JComboBox<OtpType> type = new JComboBox<>(OtpType.values());
    private final JComboBox<HmacAlgorithm> algorithm = new JComboBox<>(HmacAlgorithm.values());
    private final JComboBox<Integer> digits = new JComboBox<>(new Integer[] {6, 7, 8});
    private final JSpinner period = new JSpinner(new SpinnerNumberModel(30, Totp.MIN_PERIOD, Totp.MAX_PERIOD, 1));
    private final JSpinner counter = new JSpinner(new SpinnerNumberModel(0L, 0L, Long.MAX_VALUE, 1L));
    private final JTextArea error = Forms.message("manual.error", Forms.ERROR);
    private transient OtpAuthUri result;

    private ManualEntryDialog(Window owner) {
        super(owner, "Enter a key", ModalityType.APPLICATION_MODAL);
        setName("manual.dialog");
        issuer.setName("manual.issuer");
        account.setName("manual.account");
        secret.setName("manual.secret");
        type.setName("manual.type");
        algorithm.setName("manual.algorithm");
        digits.setName("manual.digits");
        period.setName("manual.period");
        counter.setName("manual.counter");
        secret.putClientProperty("JPasswordField.showRevealButton", true);
        issuer.putClientProperty("JTextField.placeholderText", "for example Contoso");
        account.putClientProperty("JTextField.placeholderText", "for example alice@contoso.com");

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(20, 24, 8, 24));
        int row = 0;
        form.add(Forms.heading("Add an account by its key", 16f), Forms.cell(0, row++, 2, 1));
        row = field(form, row, "Issuer:", KeyEvent.VK_I, issuer);
        row = field(form, row, "Account:", KeyEvent.VK_O, account);
        row = field(form, row, "Secret key:", KeyEvent.VK_K, secret);
        row = field(form, row, "Type:", KeyEvent.VK_T, type);
        row = field(form, row, "Algorithm:", KeyEvent.VK_G, algorithm);
        row = field(form, row, "Digits:", KeyEvent.VK_D, digits);
        row = field(form, row, "Period (seconds):", KeyEvent.VK_P, period);
        row = field(form, row, "Counter:", KeyEvent.VK_U, counter);
        form.add(error, Forms.cell(0, row, 2, 1));
        type.addActionListener(e -> showTypeFields());
        showTypeFields();

        JButton add = Forms.button("Continue", KeyEvent.VK_N, "manual.add");
        JButton cancel = Forms.button("Cancel", KeyEvent.VK_C, "manual.cancel");
        add.addActionListener(e -> submit());
        cancel.addActionListener(e -> dispose());
        Forms.onEscape(this, this::dispose);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        buttons.setBorder(BorderFactory.createEmptyBorder(0, 16, 12, 16));
        buttons.add(cancel);
        buttons.add(add);
        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        getRootPane().setDefaultButton(add);
        pack();
        setSize(Math.max(getWidth(), 460), getHeight() + 40);
        setLocationRelativeTo(owner);
    }

    private static int field(JPanel form, int row, String label, int mnemonic, javax.swing.JComponent input) {
        form.add(Forms.label(label, mnemonic, input), Forms.cell(0, row, 1, 0));
        form.add(input, Forms.cell(1, row, 1, 1));
        return row + 1;
    }

    private void showTypeFields() {
        boolean totp = type.getSelectedItem() == OtpType.TOTP;
        period.setEnabled(totp);
        counter.setEnabled(!totp);
    }

    private void submit() {
        char[] key = secret.getPassword();
        try {
            result = ManualEntry.build((OtpType) type.getSelectedItem(), issuer.getText(), account.getText(), key,
                    (HmacAlgorithm) algorithm.getSelectedItem(), (Integer) digits.getSelectedItem(),
                    (Integer) period.getValue(), (Long) counter.getValue());
            dispose();
        } catch (ProtocolException e) {
            error.setText(e.getMessage());
            pack();
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    /** Blocks (modal) until the person continues or cancels. */
    static Optional<OtpAuthUri> ask(Window owner) {
        ManualEntryDialog dialog = new ManualEntryDialog(owner);
        dialog.setVisible(true);
        dialog.secret.setText("");
        return Optional.ofNullable(dialog.result);
    }
}
