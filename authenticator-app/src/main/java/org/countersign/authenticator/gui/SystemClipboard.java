package org.countersign.authenticator.gui;

import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.io.IOException;

/** The desktop's clipboard as text. A clipboard that is busy (another program holds it) is treated as not ours. */
final class SystemClipboard implements ClipboardGuard.TextClipboard {

    private static Clipboard clipboard() {
        return Toolkit.getDefaultToolkit().getSystemClipboard();
    }

    @Override
    public void put(String text) {
        clipboard().setContents(new StringSelection(text), null);
    }

    @Override
    public String text() {
        try {
            Clipboard clipboard = clipboard();
            return clipboard.isDataFlavorAvailable(DataFlavor.stringFlavor)
                    ? (String) clipboard.getData(DataFlavor.stringFlavor) : null;
        } catch (IllegalStateException | UnsupportedFlavorException | IOException e) {
            return null;
        }
    }

    @Override
    public void clear() {
        try {
            clipboard().setContents(new StringSelection(""), null);
        } catch (IllegalStateException e) {
            // Busy: the next clear (lock or quit) tries again.
        }
    }
}
