package org.countersign.authenticator.gui;

import java.util.ArrayList;
import java.util.List;
import javax.swing.AbstractListModel;

/** The rows behind the account list; a refresh with the same accounts only repaints, keeping the selection. */
final class AccountListModel extends AbstractListModel<AccountRow> {
    private static final long serialVersionUID = 1L;
    private List<AccountRow> rows = new ArrayList<>();

    void setRows(List<AccountRow> next) {
        List<AccountRow> previous = rows;
        boolean sameAccounts = previous.size() == next.size();
        for (int i = 0; sameAccounts && i < next.size(); i++) {
            sameAccounts = previous.get(i).sameAccount(next.get(i));
        }
        if (sameAccounts) {
            rows = new ArrayList<>(next);
            if (!next.isEmpty()) {
                fireContentsChanged(this, 0, next.size() - 1);
            }
            return;
        }
        rows = new ArrayList<>();
        if (!previous.isEmpty()) {
            fireIntervalRemoved(this, 0, previous.size() - 1);
        }
        rows = new ArrayList<>(next);
        if (!next.isEmpty()) {
            fireIntervalAdded(this, 0, next.size() - 1);
        }
    }

    @Override
    public int getSize() {
        return rows.size();
    }

    @Override
    public AccountRow getElementAt(int index) {
        return rows.get(index);
    }
}
