package org.countersign.authenticator.gui;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.WindowConstants;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/** The accounts window: search, the list of live codes, Add account and Lock, and a status line. */
final class MainWindow extends JFrame {
    private static final long serialVersionUID = 1L;

    /** What the window asks of the app. */
    interface Actions {
        void copy(AccountRow row);

        void add(AddAccountFlow.Source source);

        void lock();

        void quit();

        void filterChanged();
    }

    private final transient Actions actions;
    private final JTextField search = new JTextField(20);
    private final AccountListModel model = new AccountListModel();
    private final JList<AccountRow> list = new JList<>(model);
    private final JLabel empty = new JLabel("", SwingConstants.CENTER);
    private final CardLayout cards = new CardLayout();
    private final JPanel center = new JPanel(cards);
    private final JLabel status = new JLabel(" ");
    private final JLabel push = new JLabel(" ");

    MainWindow(String vaultName, Actions actions) {
        super("Countersign Authenticator — " + vaultName);
        this.actions = actions;
        setName("main.window");
        search.setName("main.search");
        list.setName("main.accounts");
        empty.setName("main.empty");
        status.setName("main.status");
        push.setName("main.push");
        search.putClientProperty("JTextField.placeholderText", "Issuer or account name");
        search.putClientProperty("JTextField.showClearButton", true);
        list.getAccessibleContext().setAccessibleName("Accounts");
        list.setCellRenderer(new AccountCell());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);

        getContentPane().add(toolbar(), BorderLayout.NORTH);
        JScrollPane scroll = new JScrollPane(list);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        center.add(scroll, "list");
        empty.setForeground(Forms.MUTED);
        center.add(empty, "empty");
        getContentPane().add(center, BorderLayout.CENTER);
        getContentPane().add(statusBar(), BorderLayout.SOUTH);

        wireKeys();
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                actions.quit();
            }
        });
        setSize(new Dimension(640, 560));
        setMinimumSize(new Dimension(460, 360));
        setLocationRelativeTo(null);
    }

    private JPanel toolbar() {
        JPanel bar = new JPanel(new BorderLayout(8, 0));
        bar.setBorder(BorderFactory.createEmptyBorder(12, 16, 12, 16));
        JPanel left = new JPanel(new BorderLayout(8, 0));
        left.add(Forms.label("Search:", KeyEvent.VK_S, search), BorderLayout.WEST);
        left.add(search, BorderLayout.CENTER);
        JButton add = Forms.button("Add account", KeyEvent.VK_A, "main.add");
        JButton lock = Forms.button("Lock", KeyEvent.VK_L, "main.lock");
        JPopupMenu menu = new JPopupMenu();
        menu.add(item("Scan the screen", KeyEvent.VK_S, "add.screen", AddAccountFlow.Source.SCREEN));
        menu.add(item("Scan an image file…", KeyEvent.VK_I, "add.image", AddAccountFlow.Source.IMAGE));
        menu.add(item("Scan or paste from the clipboard", KeyEvent.VK_C, "add.clipboard",
                AddAccountFlow.Source.CLIPBOARD));
        menu.add(item("Enter a key…", KeyEvent.VK_K, "add.manual", AddAccountFlow.Source.MANUAL));
        add.addActionListener(e -> menu.show(add, 0, add.getHeight()));
        lock.addActionListener(e -> actions.lock());
        JPanel right = new JPanel(new FlowLayout(FlowLayout.TRAILING, 8, 0));
        right.add(add);
        right.add(lock);
        bar.add(left, BorderLayout.CENTER);
        bar.add(right, BorderLayout.EAST);
        return bar;
    }

    private JMenuItem item(String text, int mnemonic, String name, AddAccountFlow.Source source) {
        JMenuItem item = new JMenuItem(text, mnemonic);
        item.setName(name);
        item.addActionListener(e -> actions.add(source));
        return item;
    }

    private JPanel statusBar() {
        JPanel bar = new JPanel(new BorderLayout(16, 0));
        bar.setBorder(BorderFactory.createEmptyBorder(6, 16, 8, 16));
        status.setForeground(Forms.MUTED);
        push.setForeground(Forms.MUTED);
        bar.add(status, BorderLayout.CENTER);
        bar.add(push, BorderLayout.EAST);
        return bar;
    }

    private void wireKeys() {
        search.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                actions.filterChanged();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                actions.filterChanged();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                actions.filterChanged();
            }
        });
        // Enter in the search field copies the first match; Down moves into the list.
        search.addActionListener(e -> {
            if (model.getSize() > 0) {
                list.setSelectedIndex(0);
                actions.copy(model.getElementAt(0));
            }
        });
        bind(search, KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, 0), () -> {
            if (model.getSize() > 0) {
                list.setSelectedIndex(Math.max(0, list.getSelectedIndex()));
                list.requestFocusInWindow();
            }
        });
        bind(list, KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), () -> {
            AccountRow row = list.getSelectedValue();
            if (row != null) {
                actions.copy(row);
            }
        });
        bind(list, KeyStroke.getKeyStroke(KeyEvent.VK_SPACE, 0), () -> {
            AccountRow row = list.getSelectedValue();
            if (row != null) {
                actions.copy(row);
            }
        });
        JComponent root = getRootPane();
        bindGlobal(root, KeyStroke.getKeyStroke(KeyEvent.VK_F, InputEvent.CTRL_DOWN_MASK), search::requestFocusInWindow);
        bindGlobal(root, KeyStroke.getKeyStroke(KeyEvent.VK_L, InputEvent.CTRL_DOWN_MASK), actions::lock);
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                int index = list.locationToIndex(e.getPoint());
                if (index >= 0 && list.getCellBounds(index, index).contains(e.getPoint())) {
                    list.setSelectedIndex(index);
                    actions.copy(model.getElementAt(index));
                }
            }
        });
    }

    private static void bind(JComponent component, KeyStroke key, Runnable action) {
        String name = "countersign." + key;
        component.getInputMap(JComponent.WHEN_FOCUSED).put(key, name);
        component.getActionMap().put(name, runnable(action));
    }

    private static void bindGlobal(JComponent root, KeyStroke key, Runnable action) {
        String name = "countersign." + key;
        root.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(key, name);
        root.getActionMap().put(name, runnable(action));
    }

    private static AbstractAction runnable(Runnable action) {
        return new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(ActionEvent e) {
                action.run();
            }
        };
    }

    String filter() {
        return search.getText();
    }

    /** Shows these rows; {@code vaultEmpty} picks the hint shown when there are none. */
    void showRows(List<AccountRow> rows, boolean vaultEmpty) {
        String selected = list.getSelectedValue() == null ? null : list.getSelectedValue().id();
        model.setRows(rows);
        if (selected != null && list.getSelectedIndex() < 0) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).id().equals(selected)) {
                    list.setSelectedIndex(i);
                }
            }
        }
        if (rows.isEmpty()) {
            empty.setText(vaultEmpty
                    ? "<html><center>No accounts yet.<br>Add one with <b>Add account</b> (Alt+A).</center></html>"
                    : "No account matches \u201C" + search.getText().strip() + "\u201D.");
            cards.show(center, "empty");
        } else {
            cards.show(center, "list");
        }
    }

    void clearRows() {
        model.setRows(List.of());
        search.setText("");
        status(" ");
    }

    void status(String message) {
        status.setText(message == null || message.isEmpty() ? " " : message);
    }

    /**
     * Shows a message the person must see (a device added to their account) in a modeless dialog over the window,
     * so it is not lost when the status line changes.
     */
    void notice(String message) {
        javax.swing.JOptionPane pane = new javax.swing.JOptionPane(message, javax.swing.JOptionPane.WARNING_MESSAGE);
        javax.swing.JDialog dialog = pane.createDialog(this, "Countersign — new device on your account");
        dialog.setName("notice.dialog");
        dialog.setModal(false);
        dialog.setVisible(true);
    }

    void pushStatus(String message) {
        push.setText(message == null || message.isEmpty() ? " " : message);
    }
}
