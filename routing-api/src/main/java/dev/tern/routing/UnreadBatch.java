package dev.tern.routing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A batch of unread messages on the wire: count, then per message its fields, length-prefixed. */
public final class UnreadBatch {

  /** One unread message as the edge needs it. */
  public record Entry(String stanzaId, String chat, long seq, Instant storedAt, String stanzaXml) {}

  /** The fewest bytes an entry takes: two empty strings, seq, time and an empty stanza. */
  private static final int MIN_ENTRY = 2 + 2 + 8 + 8 + 4;

  private UnreadBatch() {}

  public static byte[] encode(List<dev.tern.storage.messages.StoredMessage> messages) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(messages.size());
      for (var m : messages) {
        out.writeUTF(m.stanzaId());
        out.writeUTF(m.chat().value());
        out.writeLong(m.seq());
        out.writeLong(m.storedAt().toEpochMilli());
        byte[] xml = m.stanzaXml().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(xml.length);
        out.write(xml);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The batch {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if a count or a length is negative or more than the bytes
   *     left could hold (refused before anything is allocated for it)
   * @throws UncheckedIOException if the batch is cut short
   */
  public static List<Entry> decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
      int n = in.readInt();
      if (n < 0 || n > in.available() / MIN_ENTRY) {
        throw new IllegalArgumentException(
            "not an unread batch: " + n + " messages in " + data.length + " bytes");
      }
      List<Entry> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        String chat = in.readUTF();
        long seq = in.readLong();
        Instant at = Instant.ofEpochMilli(in.readLong());
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IllegalArgumentException("not an unread batch: a stanza of " + length
              + " bytes with " + in.available() + " left");
        }
        byte[] xml = new byte[length];
        in.readFully(xml);
        out.add(new Entry(id, chat, seq, at,
            new String(xml, java.nio.charset.StandardCharsets.UTF_8)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
