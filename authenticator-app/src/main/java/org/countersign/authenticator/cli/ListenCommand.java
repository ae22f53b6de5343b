package org.countersign.authenticator.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.countersign.authenticator.push.ApprovalClient;
import org.countersign.authenticator.push.ChannelClient;
import org.countersign.authenticator.push.ChannelListener;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.Vault;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceAdded;
import org.countersign.protocol.SignInKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "listen", description = {"Wait for sign-in requests and answer them with the number on the sign-in screen.",
    "Holds the push channels of the push accounts; ends at the end of input (Ctrl-D)."})
final class ListenCommand extends CliCommand {
    static final String PROMPT = "Enter the number shown on the sign-in screen (or d = deny, f = fraud): ";
    private static final Duration RESULT_WAIT = Duration.ofSeconds(30);
    private static final Duration SEND_WAIT = Duration.ofSeconds(10);

    @Option(names = "--account", paramLabel = "ACCOUNT", description = "Listen for this push account only.")
    String account;

    @Option(names = "--once", description = "Exit after the first answered request.")
    boolean once;

    /** Everything the loop reacts to, from the channels and from stdin, in arrival order. */
    private sealed interface Event {
    }

    private record Request(PushAccount account, ApprovalRequest request) implements Event {
    }

    private record Result(ApprovalResult result) implements Event {
    }

    private record Status(String message) implements Event {
    }

    private record Added(DeviceAdded notice) implements Event {
    }

    private record Closed(PushAccount account, String message, boolean reconnecting) implements Event {
    }

    private record Line(String text) implements Event {
    }

    private record EndOfInput() implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<String, ChannelClient> channels = new LinkedHashMap<>();
    private final Deque<Request> waiting = new ArrayDeque<>();
    private final Deque<String> typedAhead = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Instant> awaitingResult = new LinkedHashMap<>();
    private final Set<String> deadChannels = new HashSet<>();
    private Request current;
    private boolean inputEnded;
    private boolean answeredOnce;
    private DateTimeFormatter timeFormat;

    @Override
    int run() {
        List<PushAccount> accounts = withPassphrase(passphrase -> {
            Vault vault = cli.vaultFile().read(passphrase);
            List<PushAccount> chosen = account != null ? List.of(pushAccount(vault, account))
                    : vault.pushAccounts();
            // Listening may last hours: keep only what answering needs (the device keys), wipe every OTP seed now.
            vault.wipeSecrets();
            return chosen;
        });
        if (accounts.isEmpty()) {
            throw new CliException("The vault has no push accounts. Scan an enrollment code with `authenticator scan`.");
        }
        timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
                .withZone(cli.environment().clock().getZone());
        ChannelListener listener = new QueueingListener();
        try {
            for (PushAccount pushAccount : accounts) {
                ChannelClient client = new ChannelClient(cli.environment().httpClient(pushAccount.tlsPin()),
                        pushAccount, listener);
                channels.put(pushAccount.id(), client);
                client.start();
            }
            startReadingInput();
            return loop();
        } finally {
            channels.values().forEach(ChannelClient::close);
        }
    }

    private int loop() {
        while (true) {
            Event event;
            try {
                event = events.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (event != null) {
                Integer exit = handle(event);
                if (exit != null) {
                    return exit;
                }
            }
            Instant now = cli.environment().clock().instant();
            awaitingResult.entrySet().removeIf(entry -> {
                if (now.isAfter(entry.getValue())) {
                    err().println("No result from the service for sign-in " + printable(entry.getKey()) + " yet.");
                    return true;
                }
                return false;
            });
            if (once && answeredOnce && awaitingResult.isEmpty()) {
                return 0;
            }
            if (inputEnded && current == null && typedAhead.isEmpty() && awaitingResult.isEmpty()) {
                return 0;
            }
            if (deadChannels.size() == channels.size()) {
                throw new CliException("The service closed every push channel; not listening any more.");
            }
        }
    }

    private Integer handle(Event event) {
        if (event instanceof Request request) {
            if (seen.add(request.request().signInId())) {
                waiting.add(request);
                promptNextIfIdle();
            }
        } else if (event instanceof Result result) {
            awaitingResult.remove(result.result().signInId());
            printResult(result.result());
            dropIfEnded(result.result().signInId());
        } else if (event instanceof Added added) {
            out().println(deviceAddedLine(added.notice(), timeFormat));
            out().flush();
        } else if (event instanceof Status status) {
            err().println(status.message());
            err().flush();
        } else if (event instanceof Closed closed) {
            err().println(closed.message());
            err().flush();
            if (!closed.reconnecting()) {
                deadChannels.add(closed.account().id());
            }
        } else if (event instanceof Line line) {
            answer(line.text());
        } else if (event instanceof EndOfInput) {
            inputEnded = true;
            if (current != null && typedAhead.isEmpty()) {
                current = null;
                out().println();
                out().flush();
            }
        }
        return null;
    }

    private void promptNextIfIdle() {
        while (current == null && !waiting.isEmpty()) {
            Request next = waiting.poll();
            if (!cli.environment().clock().instant().isBefore(next.request().expiresAt())) {
                err().println("Sign-in request " + printable(next.request().signInId()) + " expired unanswered.");
                continue;
            }
            current = next;
            show(next);
            if (!typedAhead.isEmpty()) {
                answer(typedAhead.poll());
            }
        }
        out().flush();
    }

    private void show(Request request) {
        ApprovalRequest r = request.request();
        Instant now = cli.environment().clock().instant();
        long secondsLeft = Math.max(0, Duration.between(now, r.expiresAt()).getSeconds());
        out().println();
        out().println((r.kind() == SignInKind.REGISTRATION_TEST ? "Test notification" : "Sign-in request")
                + " for " + printable(request.account().displayName()));
        out().println("  kind:     " + r.kind().wire());
        out().println("  app:      " + printable(r.app()));
        out().println("  user:     " + printable(r.user()));
        out().println("  IP:       " + (r.ip() == null ? "unknown" : printable(r.ip())));
        out().println("  location: " + (r.location() == null ? "unknown" : printable(r.location())));
        out().println("  time:     " + timeFormat.format(r.createdAt()));
        out().println("  expires:  " + timeFormat.format(r.expiresAt()) + " (in " + secondsLeft + " s)");
        out().println("  id:       " + printable(r.signInId()));
        out().print(PROMPT);
        out().flush();
    }

    private void answer(String text) {
        String line = text.strip();
        if (current == null) {
            if (!line.isEmpty() && cli.environment().prompt() == null) {
                typedAhead.add(line); // piped input: keep it for the next request
            } else if (!line.isEmpty()) {
                err().println("No request is waiting.");
            }
            return;
        }
        if (line.isEmpty()) {
            out().print(PROMPT);
            out().flush();
            return;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        Decision decision;
        String number = null;
        if (lower.equals("d") || lower.equals("deny")) {
            decision = Decision.DENY;
        } else if (lower.equals("f") || lower.equals("fraud")) {
            decision = Decision.FRAUD;
        } else if (line.matches("[0-9]{1,8}")) {
            decision = Decision.APPROVE;
            number = line;
        } else {
            out().print("Type the number, d or f: ");
            out().flush();
            return;
        }
        Request request = current;
        current = null;
        send(request, decision, number);
        answeredOnce = true;
        promptNextIfIdle();
    }

    private void send(Request request, Decision decision, String number) {
        String signInId = request.request().signInId();
        ChannelClient channel = channels.get(request.account().id());
        try {
            channel.respond(signInId, decision, number).get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            awaitingResult.put(signInId, cli.environment().clock().instant().plus(RESULT_WAIT));
            out().println("Sent " + decision.wire() + " for sign-in " + printable(signInId) + ".");
            return;
        } catch (ExecutionException | TimeoutException e) {
            err().println("The push channel is not available; answering over HTTP.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            ApprovalResult result = new ApprovalClient(cli.environment().httpClient(request.account().tlsPin()))
                    .respond(request.account(), signInId, decision, number);
            printResult(result);
        } catch (PushException e) {
            err().println("error: " + e.getMessage());
        }
    }

    /** A request that ended unanswered (e.g. superseded by a newer one) is not asked about any more. */
    private void dropIfEnded(String signInId) {
        waiting.removeIf(request -> request.request().signInId().equals(signInId));
        if (current != null && current.request().signInId().equals(signInId)) {
            current = null;
            promptNextIfIdle();
        }
    }

    /** The line {@code listen} prints when a device was added to the account. */
    static String deviceAddedLine(DeviceAdded notice, DateTimeFormatter timeFormat) {
        return "A new device was added to your account: " + printable(notice.deviceName()) + " ("
                + printable(notice.platform()) + ") at " + timeFormat.format(notice.addedAt())
                + ". If this wasn't you, deny any sign-in requests, change your password and ask your admin to "
                + "remove the device.";
    }

    private void printResult(ApprovalResult result) {
        out().println("Sign-in " + printable(result.signInId()) + ": " + printable(result.state())
                + (result.reason() == null ? "" : " (" + printable(result.reason().replace('_', ' ')) + ")"));
        out().flush();
    }

    private void startReadingInput() {
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = cli.stdinLines().readLine()) != null) {
                    events.add(new Line(line));
                }
            } catch (IOException e) {
                // treated as the end of input
            }
            events.add(new EndOfInput());
        }, "authenticator-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /** Moves channel events onto the loop's thread. */
    private final class QueueingListener implements ChannelListener {
        @Override
        public void onRequest(PushAccount pushAccount, ApprovalRequest request) {
            events.add(new Request(pushAccount, request));
        }

        @Override
        public void onReady(PushAccount pushAccount) {
            events.add(new Status("Listening for " + printable(pushAccount.displayName()) + " (device "
                    + printable(pushAccount.deviceId()) + ")."));
        }

        @Override
        public void onResult(PushAccount pushAccount, ApprovalResult result) {
            events.add(new Result(result));
        }

        @Override
        public void onDeviceAdded(PushAccount pushAccount, DeviceAdded notice) {
            events.add(new Added(notice));
        }

        @Override
        public void onDisconnected(PushAccount pushAccount, String reason, Duration retryIn) {
            events.add(new Status("Channel of " + printable(pushAccount.displayName()) + " unavailable ("
                    + printable(reason) + "); retrying in " + Math.max(1, retryIn.toSeconds()) + " s."));
        }

        @Override
        public void onClosedByService(PushAccount pushAccount, int statusCode, String reason, boolean reconnecting) {
            String why = reason == null || reason.isBlank() ? "code " + statusCode : printable(reason);
            events.add(new Closed(pushAccount, "The service closed the channel of "
                    + printable(pushAccount.displayName()) + ": " + why
                    + (reconnecting ? "; reconnecting." : "."), reconnecting));
        }

        @Override
        public void onProtocolError(PushAccount pushAccount, String message) {
            events.add(new Status("Ignored a message from the service: " + printable(message)));
        }
    }
}
