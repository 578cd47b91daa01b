package dev.tern.routing.mam;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link MamRequest}: the page's messages in the order they are to be sent, and
 * whether the query's range is exhausted in its direction (XEP-0313 §4.3 {@code complete}).
 *
 * @param results what to forward, in order
 * @param complete no more messages lie beyond this page in the query's direction
 */
public record MamPage(List<Result> results, boolean complete) {

  /**
   * One archived message.
   *
   * @param stanzaId its archive id (the XEP-0359 stanza-id)
   * @param storedAt when it was stored, for the XEP-0203 delay stamp
   * @param stanzaXml the stanza as it was stored
   */
  public record Result(String stanzaId, Instant storedAt, String stanzaXml) {
    public Result {
      requireNonNull(stanzaId, "stanzaId");
      requireNonNull(storedAt, "storedAt");
      requireNonNull(stanzaXml, "stanzaXml");
    }
  }

  public MamPage {
    results = List.copyOf(requireNonNull(results, "results"));
  }

  /** XEP-0059 {@code <first/>}: the id of the first message sent, if any. */
  public Optional<String> first() {
    return results.isEmpty() ? Optional.empty() : Optional.of(results.get(0).stanzaId());
  }

  /** XEP-0059 {@code <last/>}: the id of the last message sent, if any. */
  public Optional<String> last() {
    return results.isEmpty()
        ? Optional.empty() : Optional.of(results.get(results.size() - 1).stanzaId());
  }

  /** The page on the NATS wire. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBoolean(complete);
      out.writeInt(results.size());
      for (Result r : results) {
        out.writeUTF(r.stanzaId());
        out.writeLong(r.storedAt().toEpochMilli());
        byte[] xml = r.stanzaXml().getBytes(StandardCharsets.UTF_8);
        out.writeInt(xml.length);
        out.write(xml);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads what {@link #encode()} wrote. */
  public static MamPage decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      boolean complete = in.readBoolean();
      int n = in.readInt();
      List<Result> results = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        Instant at = Instant.ofEpochMilli(in.readLong());
        byte[] xml = new byte[in.readInt()];
        in.readFully(xml);
        results.add(new Result(id, at, new String(xml, StandardCharsets.UTF_8)));
      }
      return new MamPage(results, complete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
