package org.countersign.authenticator.cli;

import org.countersign.authenticator.push.ApprovalClient;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "respond", description = {"Answer a sign-in request over HTTP, without the push channel.",
    "--approve --number NN, --deny, or --fraud (\"No, it's not me\")."})
final class RespondCommand extends CliCommand {
    @Parameters(paramLabel = "SIGN_IN_ID", description = "The id of the sign-in request.")
    String signInId;

    @Option(names = "--account", paramLabel = "ACCOUNT",
            description = "The push account to answer with (needed when the vault has several).")
    String account;

    @Option(names = "--approve", description = "Approve; needs --number.")
    boolean approve;

    @Option(names = "--number", paramLabel = "NN", description = "The number shown on the sign-in screen.")
    String number;

    @Option(names = "--deny", description = "Deny the sign-in.")
    boolean deny;

    @Option(names = "--fraud", description = "Deny and report it as fraud (\"No, it's not me\").")
    boolean fraud;

    @Override
    int run() {
        Decision decision = decision();
        PushAccount pushAccount = withPassphrase(passphrase ->
                pushAccount(cli.vaultFile().read(passphrase), account));
        ApprovalClient client = new ApprovalClient(cli.environment().httpClient(pushAccount.tlsPin()));
        ApprovalResult result = client.respond(pushAccount, signInId, decision, number);
        out().println("Sign-in " + printable(result.signInId()) + ": " + printable(result.state()));
        return 0;
    }

    private Decision decision() {
        int chosen = (approve ? 1 : 0) + (deny ? 1 : 0) + (fraud ? 1 : 0);
        if (chosen != 1) {
            throw new ParameterException(spec.commandLine(), "Give exactly one of --approve, --deny or --fraud.");
        }
        if (approve) {
            if (number == null || !number.matches("[0-9]{1,8}")) {
                throw new ParameterException(spec.commandLine(),
                        "--approve needs --number with the digits shown on the sign-in screen.");
            }
            return Decision.APPROVE;
        }
        if (number != null) {
            throw new ParameterException(spec.commandLine(), "--number only goes with --approve.");
        }
        return deny ? Decision.DENY : Decision.FRAUD;
    }
}
