package org.countersign.authenticator.cli;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.countersign.authenticator.gui.AuthenticatorGui;
import org.countersign.authenticator.gui.ClipboardGuard;
import org.countersign.authenticator.gui.GuiSettings;
import org.countersign.authenticator.push.EnrollmentClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gui", description = {"Open the authenticator window: live codes, adding accounts, push approvals.",
    "The passphrase is asked in the window; the app locks itself after a time without activity."})
final class GuiCommand extends CliCommand {
    @Option(names = "--lock-after", paramLabel = "MINUTES", defaultValue = "5",
            description = "Lock after this many minutes without activity; 0 never locks (default: ${DEFAULT-VALUE}).")
    int lockAfterMinutes;

    @Option(names = "--device-name", paramLabel = "NAME",
            description = "The device name shown in Security info after an enrollment (default: the host name).")
    String deviceName;

    @Override
    int run() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new CliException("The GUI needs a display (DISPLAY is not set or the session is headless)."
                    + " Use the commands instead: `authenticator list`, `code`, `listen`.");
        }
        if (lockAfterMinutes < 0) {
            throw new CliException("--lock-after must be 0 or more minutes.");
        }
        CliEnvironment environment = cli.environment();
        GuiSettings settings = new GuiSettings(environment.clock(), environment.random(),
                environment.kdfForNewVaults(), environment::httpClient, Duration.ofMinutes(lockAfterMinutes),
                ClipboardGuard.DEFAULT_CLEAR_AFTER,
                deviceName != null ? deviceName : EnrollmentClient.defaultDeviceName(),
                EnrollmentClient.defaultPlatform().replace("-cli", "-gui"));
        try {
            AuthenticatorGui.open(cli.vaultFile(), settings).closed().get();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (InvocationTargetException | ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CliException("The window could not be opened: " + cause.getMessage());
        }
    }
}
