package org.countersign.push.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.countersign.protocol.ApprovalResult;
import org.junit.jupiter.api.Test;

/** What travels in a NOTIFY payload, and that it stays under PostgreSQL's 8,000-byte limit. */
class ClusterPayloadsTest {
    private static final String NODE = "0123456789abcdef";

    @Test
    void everyKindOfMessageSurvivesTheTrip() {
        UUID signIn = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        List<ClusterMessage> messages = List.of(new ClusterMessage.Deliver(signIn, device),
                new ClusterMessage.Decided(signIn), new ClusterMessage.DeviceRemoved(device),
                new ClusterMessage.Frame(device, new ApprovalResult(signIn.toString(), "expired", "superseded")
                        .encode()));

        ClusterPayloads.Packed packed = ClusterPayloads.pack(NODE, messages.stream().map(ClusterMessage::encode)
                .toList());

        assertThat(packed.payloads()).hasSize(1);
        ClusterPayloads.Batch batch = ClusterPayloads.unpack(packed.payloads().get(0));
        assertThat(batch.nodeId()).isEqualTo(NODE);
        assertThat(batch.messages()).isEqualTo(messages);
    }

    @Test
    void manyMessagesShareFewPayloadsEachUnderTheLimitAndNoneIsLost() {
        List<String> lines = IntStream.range(0, 1_000)
                .mapToObj(i -> new ClusterMessage.Decided(UUID.randomUUID()).encode()).toList();

        ClusterPayloads.Packed packed = ClusterPayloads.pack(NODE, lines);

        assertThat(packed.payloads().size()).isBetween(2, 10);
        assertThat(packed.dropped()).isZero();
        List<String> received = new ArrayList<>();
        for (String payload : packed.payloads()) {
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8_000);
            ClusterPayloads.unpack(payload).messages().forEach(m -> received.add(m.encode()));
        }
        assertThat(received).isEqualTo(lines);
    }

    @Test
    void aFrameTooLongForAnyPayloadIsLeftOutAndCounted() {
        String huge = "{\"type\":\"error\",\"message\":\"" + "é".repeat(4_000) + "\"}";
        ClusterPayloads.Packed packed = ClusterPayloads.pack(NODE, List.of(
                new ClusterMessage.Frame(UUID.randomUUID(), huge).encode(),
                new ClusterMessage.Decided(UUID.randomUUID()).encode()));

        assertThat(packed.dropped()).isEqualTo(1);
        assertThat(packed.payloads()).hasSize(1);
        assertThat(ClusterPayloads.unpack(packed.payloads().get(0)).messages()).hasSize(1);
    }

    @Test
    void nothingToSayIsNoPayload() {
        assertThat(ClusterPayloads.pack(NODE, List.of()).payloads()).isEmpty();
    }

    @Test
    void notificationsThatAreNotOursAreRefused() {
        String id = UUID.randomUUID().toString();
        for (String payload : List.of("", "hello", "cs1", "cs1 NOTHEX0123456789", "cs2 " + NODE + "\nD " + id,
                "cs1 " + NODE + "\nQ " + id, "cs1 " + NODE + "\nD not-a-uuid", "cs1 " + NODE + "\nR " + id,
                "cs1 " + NODE + "\nF " + id, "cs1 " + NODE + "\n")) {
            assertThatThrownBy(() -> ClusterPayloads.unpack(payload)).as(payload)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
