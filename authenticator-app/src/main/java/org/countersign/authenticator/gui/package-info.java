/**
 * The Swing GUI ({@code authenticator gui}): unlock, the accounts with live codes, adding accounts, push approval
 * dialogs and auto-lock. Classes without "Swing" in their imports (the models: {@link
 * org.countersign.authenticator.gui.VaultSession}, {@link org.countersign.authenticator.gui.AccountRows}, {@link
 * org.countersign.authenticator.gui.PushApprovals}, …) hold the logic and are tested without a display; the Swing
 * windows only show them and call them. Everything real goes through the core packages.
 */
package org.countersign.authenticator.gui;
