package dev.tern.routing.pep;

import dev.tern.routing.RouterSubjects;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The NATS wire of XEP-0163 between edges and routers. The edge does not read XEP-0060's
 * elements: it passes the IQ's {@code <pubsub/>} child as it is, and the router, which holds
 * XEP-0060's logic, answers with the result's child or a {@code Refusal}.
 */
public final class PepWire {

  /** The IQ's type, {@code get} or {@code set}, on a {@link #request}. */
  public static final String TYPE = "Tern-Pep-Type";

  /**
   * The marker of a notification the router passes to a user's bare JID (XEP-0163 §4.3.1): an
   * empty element {@code <filter xmlns='urn:tern:pep'/>} in the message. An edge gives such a
   * message only to the user's available sessions whose entity capabilities include
   * {@code <node>+notify}, without the marker, addressed to the session's full JID.
   */
  public static final String FILTER_NS = "urn:tern:pep";

  private PepWire() {}

  /**
   * Edge → any router of the region (request/reply): a XEP-0060 request to a PEP service.
   * Headers {@code MessageWire.FROM} (the requester's full JID), {@code MessageWire.TO} (the
   * owner's bare JID: the requester's own or another user's) and {@link #TYPE}; the IQ's
   * {@code <pubsub/>} element (or a disco#info {@code <query/>} naming a node) as XML. The reply carries the result's child element as XML
   * (empty: an empty result) or a {@code Refusal}, the stanza error of XEP-0060.
   */
  public static String request(String region) {
    return RouterSubjects.prefix(region) + "pep";
  }

  /**
   * Edge → any router of the region (request/reply): the session {@code MessageWire.FROM} (a
   * full JID) became available and wants the last item of each of these nodes (its
   * {@code +notify}, one per line) from its own PEP service and those of the contacts whose
   * presence it sees (XEP-0163 §4.3.3). The router passes them to that full JID and then replies
   * (empty, or a {@code Refusal}).
   */
  public static String last(String region) {
    return RouterSubjects.prefix(region) + "pep-last";
  }

  /** Node names, one per line (a node name holds no line break here: XEP-0060 §4.4). */
  public static byte[] encodeNodes(Collection<String> nodes) {
    return String.join("\n", nodes).getBytes(StandardCharsets.UTF_8);
  }

  public static List<String> decodeNodes(byte[] data) {
    if (data == null || data.length == 0) {
      return List.of();
    }
    return Arrays.stream(new String(data, StandardCharsets.UTF_8).split("\n"))
        .filter(s -> !s.isEmpty()).toList();
  }
}
