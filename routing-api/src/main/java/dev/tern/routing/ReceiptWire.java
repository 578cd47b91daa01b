package dev.tern.routing;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.receipts.ReceiptStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NATS wire of the receipt status query ({@code urn:tern:receipts:0}): the edge asks a
 * router of its region for the status of messages the user sent, the router answers from the
 * receipt store. Request: header {@link MessageWire#USER}, payload the queries; reply: the
 * answers in the same order, or header {@link MessageWire#ERROR}.
 */
public final class ReceiptWire {

  /** At most this many messages per query. */
  public static final int MAX_QUERY = 100;

  /** A message the user sent to {@code with}, named by an id (client id, origin-id, stanza-id). */
  public record Query(String with, String id) {
    public Query {
      requireNonNull(with, "with");
      requireNonNull(id, "id");
    }
  }

  /**
   * A query's answer: the message's seq in its chat and the stanza-id the server gave it
   * (XEP-0359: also what a resend of it was acknowledged with) if it was found, and its status.
   */
  public record Answer(Query query, Optional<Long> seq, Optional<String> stanzaId,
      ReceiptStatus status) {
    public Answer {
      requireNonNull(query, "query");
      requireNonNull(seq, "seq");
      requireNonNull(stanzaId, "stanzaId");
      requireNonNull(status, "status");
    }

    public Answer(Query query, Optional<Long> seq, ReceiptStatus status) {
      this(query, seq, Optional.empty(), status);
    }
  }

  private ReceiptWire() {}

  /** Edge → any router of the region: the status of some messages (request/reply). */
  public static String status(String region) {
    return RouterSubjects.prefix(region) + "receipt-status";
  }

  public static byte[] encodeQueries(List<Query> queries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(queries.size());
      for (Query q : queries) {
        out.writeUTF(q.with());
        out.writeUTF(q.id());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static List<Query> decodeQueries(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int n = in.readInt();
      if (n < 0 || n > MAX_QUERY) {
        throw new IllegalArgumentException("a query names 0 to " + MAX_QUERY + " messages, not " + n);
      }
      List<Query> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new Query(in.readUTF(), in.readUTF()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encodeAnswers(List<Answer> answers) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(answers.size());
      for (Answer a : answers) {
        out.writeUTF(a.query().with());
        out.writeUTF(a.query().id());
        out.writeLong(a.seq().orElse(0L));
        out.writeUTF(a.stanzaId().orElse(""));
        writeStamp(out, a.status().delivered());
        writeStamp(out, a.status().displayed());
        writeStamp(out, a.status().acknowledged());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static List<Answer> decodeAnswers(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int n = in.readInt();
      List<Answer> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Query q = new Query(in.readUTF(), in.readUTF());
        long seq = in.readLong();
        String stanzaId = in.readUTF();
        ReceiptStatus status = new ReceiptStatus(readStamp(in), readStamp(in), readStamp(in));
        out.add(new Answer(q, seq > 0 ? Optional.of(seq) : Optional.empty(),
            Optional.of(stanzaId).filter(id -> !id.isEmpty()), status));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeStamp(DataOutputStream out, Optional<Instant> stamp) throws IOException {
    out.writeLong(stamp.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE));
  }

  private static Optional<Instant> readStamp(DataInputStream in) throws IOException {
    long millis = in.readLong();
    return millis == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
