package dev.tern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnreadBatchTest {

  private static final String ALICE = "alice@localhost";
  private static final String BOB = "bob@localhost";
  private static final String NOT_A_BATCH = "not an unread batch: ";
  private static final String JOSE = "josé@例え.jp";

  private static final StoredMessage HI = new StoredMessage(ChatId.direct(ALICE, BOB), 1,
      "5f0c7e2a-1b7d-4d3e-9a55-0c6f2f4f9e01", ALICE, BOB, Optional.of("origin-1"),
      "<message xmlns='jabber:client' from='alice@localhost/phone' to='bob@localhost'"
          + " type='chat' id='c1'><body>Hi</body></message>",
      Instant.parse("2025-05-01T12:00:00.250Z"));

  private static final StoredMessage GRUSS = new StoredMessage(ChatId.direct(JOSE, BOB), 42,
      "b3d1e1a8-6a44-4f1c-8d2b-7c1e0a9f3c77", JOSE, BOB, Optional.empty(),
      "<message xmlns='jabber:client' from='josé@例え.jp/móvil' to='bob@localhost'"
          + " type='chat'><body>Grüße &amp; 😀 &lt;b&gt;nicht fett&lt;/b&gt; «¡hola!»</body>"
          + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body"
          + " xmlns='http://www.w3.org/1999/xhtml'><p>Grüße <b>fett</b></p></body></html>"
          + "<request xmlns='urn:xmpp:receipts'/></message>",
      Instant.parse("2025-05-01T12:00:01.999Z"));

  private static UnreadBatch.Entry entryOf(StoredMessage m) {
    return new UnreadBatch.Entry(m.stanzaId(), m.chat().value(), m.seq(), m.storedAt(),
        m.stanzaXml());
  }

  @Test
  void anEncodedBatchDecodesToTheSameMessagesInTheSameOrder() {
    List<UnreadBatch.Entry> decoded = UnreadBatch.decode(UnreadBatch.encode(List.of(HI, GRUSS)));

    assertThat(decoded).containsExactly(entryOf(HI), entryOf(GRUSS));
  }

  @Test
  void theStanzaKeepsItsNonAsciiTextAndMarkupByteForByte() {
    UnreadBatch.Entry decoded = UnreadBatch.decode(UnreadBatch.encode(List.of(GRUSS))).get(0);

    assertThat(decoded.stanzaXml()).isEqualTo(GRUSS.stanzaXml());
    assertThat(decoded.chat()).isEqualTo(GRUSS.chat().value());
  }

  @Test
  void theTimeKeepsItsMilliseconds() {
    assertThat(UnreadBatch.decode(UnreadBatch.encode(List.of(HI))).get(0).storedAt())
        .isEqualTo(Instant.parse("2025-05-01T12:00:00.250Z"));
  }

  @Test
  void theEmptyBatchIsFourBytesAndDecodesEmpty() {
    byte[] empty = UnreadBatch.encode(List.of());

    assertThat(empty).containsExactly(0, 0, 0, 0);
    assertThat(UnreadBatch.decode(empty)).isEmpty();
  }

  @Test
  void noBytesAtAllAreRefused() {
    assertThatThrownBy(() -> UnreadBatch.decode(new byte[0]))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aBatchCutShortAnywhereIsRefused() {
    byte[] whole = UnreadBatch.encode(List.of(HI, GRUSS));

    for (int length = 1; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> UnreadBatch.decode(cut)).as("cut to %d bytes", length)
          .isInstanceOfAny(UncheckedIOException.class, IllegalArgumentException.class);
    }
  }

  @Test
  void aNegativeCountIsRefused() {
    assertThatThrownBy(() -> UnreadBatch.decode(ByteBuffer.allocate(4).putInt(-1).array()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(NOT_A_BATCH);
  }

  @Test
  void aCountTheBytesCannotHoldIsRefusedBeforeAnythingIsAllocatedForIt() {
    assertThatThrownBy(() -> UnreadBatch.decode(
        ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(NOT_A_BATCH);
  }

  @Test
  void aNegativeStanzaLengthIsRefused() {
    assertThatThrownBy(() -> UnreadBatch.decode(oneEntryWithStanzaLength(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(NOT_A_BATCH);
  }

  @Test
  void aStanzaLengthBeyondTheBytesIsRefusedBeforeAnythingIsAllocatedForIt() {
    assertThatThrownBy(() -> UnreadBatch.decode(oneEntryWithStanzaLength(Integer.MAX_VALUE - 8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(NOT_A_BATCH);
  }

  /** One entry whose stanza claims {@code length} bytes and has three. */
  private static byte[] oneEntryWithStanzaLength(int length) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(1);
      out.writeUTF("id");
      out.writeUTF(ALICE + "/" + BOB);
      out.writeLong(1);
      out.writeLong(0);
      out.writeInt(length);
      out.write(new byte[] {'<', 'a', '>'});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
