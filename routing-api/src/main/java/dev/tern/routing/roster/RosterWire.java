package dev.tern.routing.roster;

import dev.tern.routing.RouterSubjects;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.Subscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The NATS wire between edges and routers for rosters, presence and last activity: subjects
 * (request/reply in the routers' queue group), header names, and the payload encodings.
 * Addressing travels in the {@link dev.tern.routing.MessageWire} headers {@code Tern-From} and
 * {@code Tern-To}; a refusal in {@code Tern-Error} as an RFC 6120 condition name.
 */
public final class RosterWire {

  /** What a roster request asks: {@link #GET}, {@link #SET} or {@link #REMOVE}. */
  public static final String OP = "Tern-Op";
  public static final String GET = "get";
  public static final String SET = "set";
  public static final String REMOVE = "remove";
  /** On a presence request: {@code available}, {@code initial} (the first) or {@code unavailable}. */
  public static final String AVAILABLE = "available";
  public static final String INITIAL = "initial";
  public static final String UNAVAILABLE = "unavailable";
  /** On a roster set: the subscription the client's item named, which must be the stored one. */
  public static final String CLAIMED_SUBSCRIPTION = "Tern-Subscription";
  /** On a last activity reply: the idle seconds (XEP-0012). */
  public static final String SECONDS = "Tern-Seconds";

  /**
   * The namespace of {@code <order version='…'/>} in a roster push the router sends: the item's
   * version, which the edge compares with the last push it delivered for that contact and
   * removes before the client sees the push.
   */
  public static final String ORDER_NS = "urn:tern:roster";

  private RosterWire() {}

  /** Edge → router: roster get, set or remove for the user in {@code Tern-From}. */
  public static String roster(String region) {
    return RouterSubjects.prefix(region) + "roster";
  }

  /** Edge → router: a presence broadcast (available, initial or unavailable) of a full JID. */
  public static String presence(String region) {
    return RouterSubjects.prefix(region) + "presence";
  }

  /** Edge → router: a subscription stanza; {@code Tern-Op} is its type. */
  public static String subscription(String region) {
    return RouterSubjects.prefix(region) + "subscription";
  }

  /** Edge → router: XEP-0012 last activity of {@code Tern-To} asked by {@code Tern-From}. */
  public static String last(String region) {
    return RouterSubjects.prefix(region) + "last";
  }

  /** Roster items: count, then per item jid, name, groups, subscription, ask, approved. */
  public static byte[] encodeItems(List<RosterItem> items) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(items.size());
      for (RosterItem item : items) {
        writeString(out, item.contact());
        out.writeBoolean(item.name().isPresent());
        if (item.name().isPresent()) {
          writeString(out, item.name().get());
        }
        out.writeInt(item.groups().size());
        for (String g : item.groups()) {
          writeString(out, g);
        }
        out.writeByte(item.subscription().ordinal());
        out.writeBoolean(item.askSubscribe());
        out.writeBoolean(item.approved());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static List<RosterItem> decodeItems(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int n = in.readInt();
      List<RosterItem> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String jid = readString(in);
        Optional<String> name = in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
        int groupCount = in.readInt();
        Set<String> groups = new LinkedHashSet<>();
        for (int g = 0; g < groupCount; g++) {
          groups.add(readString(in));
        }
        Subscription s = Subscription.values()[in.readUnsignedByte()];
        items.add(new RosterItem(jid, name, groups, s, in.readBoolean(), in.readBoolean()));
      }
      return items;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A presence request's payload: the stanza's XML and its status text. */
  public record PresencePayload(String xml, String status) {}

  public static byte[] encodePresence(PresencePayload p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeString(out, p.xml());
      writeString(out, p.status());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static PresencePayload decodePresence(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      return new PresencePayload(readString(in), readString(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
