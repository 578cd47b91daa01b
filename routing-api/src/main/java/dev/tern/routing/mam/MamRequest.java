package dev.tern.routing.mam;

import static java.util.Objects.requireNonNull;

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
 * One archive query (XEP-0313 §4) as the edge parsed it: the form's filters and the result set's
 * paging (XEP-0059), already checked and with JIDs in canonical form.
 *
 * @param user the archive's owner and the requester, a bare JID
 * @param with only messages exchanged with this bare JID (§4.1.1)
 * @param start only messages stored at or after this (§4.1.2)
 * @param end only messages stored at or before this (§4.1.2)
 * @param afterId only messages after this archive id ({@code urn:xmpp:mam:2#extended})
 * @param beforeId only messages before this archive id ({@code urn:xmpp:mam:2#extended})
 * @param ids only these messages (XEP-0313 1.1 {@code ids}, {@code #extended}); empty for all
 * @param max the page size, already within {@code 0..}{@link #MAX_PAGE}
 * @param after XEP-0059 §2.2: the page after this id
 * @param before XEP-0059 §2.3/§2.5: the page before this id; empty text for the last page
 * @param flipPage XEP-0313 §4.1.4.1: the page's messages newest first
 */
public record MamRequest(String user, Optional<String> with, Optional<Instant> start,
    Optional<Instant> end, Optional<String> afterId, Optional<String> beforeId, List<String> ids,
    int max, Optional<String> after, Optional<String> before, boolean flipPage) {

  /** The page size when the query names none. */
  public static final int DEFAULT_PAGE = 50;

  /** The largest page served; a larger {@code max} is capped to it (XEP-0059 §2.1). */
  public static final int MAX_PAGE = 250;

  public MamRequest {
    requireNonNull(user, "user");
    requireNonNull(with, "with");
    requireNonNull(start, "start");
    requireNonNull(end, "end");
    requireNonNull(afterId, "afterId");
    requireNonNull(beforeId, "beforeId");
    ids = List.copyOf(requireNonNull(ids, "ids"));
    requireNonNull(after, "after");
    requireNonNull(before, "before");
    if (max < 0 || max > MAX_PAGE) {
      throw new IllegalArgumentException("max: must be within 0.." + MAX_PAGE + ", was " + max);
    }
  }

  /** The whole archive of {@code user}, first page of the default size. */
  public static MamRequest all(String user) {
    return new Builder(user).build();
  }

  /** Whether the page is taken from the end of the range backwards (RSM {@code before}). */
  public boolean backwards() {
    return before.isPresent();
  }

  /** The request on the NATS wire. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(user);
      writeOptional(out, with);
      writeOptional(out, start.map(Instant::toString));
      writeOptional(out, end.map(Instant::toString));
      writeOptional(out, afterId);
      writeOptional(out, beforeId);
      out.writeInt(ids.size());
      for (String id : ids) {
        out.writeUTF(id);
      }
      out.writeInt(max);
      writeOptional(out, after);
      writeOptional(out, before);
      out.writeBoolean(flipPage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads what {@link #encode()} wrote. */
  public static MamRequest decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      String user = in.readUTF();
      Optional<String> with = readOptional(in);
      Optional<Instant> start = readOptional(in).map(Instant::parse);
      Optional<Instant> end = readOptional(in).map(Instant::parse);
      Optional<String> afterId = readOptional(in);
      Optional<String> beforeId = readOptional(in);
      int n = in.readInt();
      if (n < 0 || n > MAX_PAGE) {
        throw new IllegalArgumentException("too many ids: " + n);
      }
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(in.readUTF());
      }
      int max = in.readInt();
      Optional<String> after = readOptional(in);
      Optional<String> before = readOptional(in);
      boolean flip = in.readBoolean();
      return new MamRequest(user, with, start, end, afterId, beforeId, ids, max, after, before,
          flip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a request; every filter is optional, the page size defaults to {@link #DEFAULT_PAGE}. */
  public static final class Builder {
    private final String user;
    private Optional<String> with = Optional.empty();
    private Optional<Instant> start = Optional.empty();
    private Optional<Instant> end = Optional.empty();
    private Optional<String> afterId = Optional.empty();
    private Optional<String> beforeId = Optional.empty();
    private List<String> ids = List.of();
    private int max = DEFAULT_PAGE;
    private Optional<String> after = Optional.empty();
    private Optional<String> before = Optional.empty();
    private boolean flipPage;

    public Builder(String user) {
      this.user = requireNonNull(user, "user");
    }

    public Builder with(String bareJid) {
      this.with = Optional.of(bareJid);
      return this;
    }

    public Builder start(Instant t) {
      this.start = Optional.of(t);
      return this;
    }

    public Builder end(Instant t) {
      this.end = Optional.of(t);
      return this;
    }

    public Builder afterId(String id) {
      this.afterId = Optional.of(id);
      return this;
    }

    public Builder beforeId(String id) {
      this.beforeId = Optional.of(id);
      return this;
    }

    public Builder ids(List<String> ids) {
      this.ids = List.copyOf(ids);
      return this;
    }

    public Builder max(int max) {
      this.max = max;
      return this;
    }

    public Builder after(String id) {
      this.after = Optional.of(id);
      return this;
    }

    /** The page before {@code id}; the empty string for the last page (XEP-0059 §2.5). */
    public Builder before(String id) {
      this.before = Optional.of(id);
      return this;
    }

    public Builder flipPage() {
      this.flipPage = true;
      return this;
    }

    public MamRequest build() {
      return new MamRequest(user, with, start, end, afterId, beforeId, ids, max, after, before,
          flipPage);
    }
  }

  static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
    out.writeBoolean(value.isPresent());
    if (value.isPresent()) {
      out.writeUTF(value.get());
    }
  }

  static Optional<String> readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
  }
}
