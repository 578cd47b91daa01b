package dev.tern.routing.blocking;

import dev.tern.routing.RouterSubjects;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The NATS wire of XEP-0191 between edges and routers. JIDs travel as UTF-8 lines: no part of a
 * JID may hold a line break (RFC 7622 leaves out control characters).
 */
public final class BlockingWire {

  /** The operation of a {@link #lists} request: {@code get}, {@code block} or {@code unblock}. */
  public static final String OP = "Tern-Blocking-Op";
  public static final String GET = "get";
  public static final String BLOCK = "block";
  public static final String UNBLOCK = "unblock";

  /**
   * Router → every router of every region (no queue group; it crosses the supercluster's
   * gateways): the block list of the bare JID in the payload changed.
   */
  public static final String CHANGED = "tern.blocking.changed";

  private BlockingWire() {}

  /**
   * Edge → any router of the region (request/reply): read or change a user's block list. Headers
   * {@link #OP} and {@code MessageWire.USER}; the JIDs in the payload; an unblock of none
   * unblocks all. The reply carries the list for a get, nothing else for a change, or a
   * {@code Refusal}.
   */
  public static String lists(String region) {
    return RouterSubjects.prefix(region) + "blocklist";
  }

  /**
   * Edge → any router of the region (request/reply): may a stanza from {@code MessageWire.FROM}
   * reach {@code MessageWire.TO}? The reply carries the {@code Refusal} if not.
   */
  public static String check(String region) {
    return RouterSubjects.prefix(region) + "blocking-check";
  }

  public static byte[] encode(Collection<String> jids) {
    return String.join("\n", jids).getBytes(StandardCharsets.UTF_8);
  }

  public static List<String> decode(byte[] data) {
    if (data == null || data.length == 0) {
      return List.of();
    }
    return Arrays.stream(new String(data, StandardCharsets.UTF_8).split("\n"))
        .filter(s -> !s.isEmpty()).toList();
  }
}
