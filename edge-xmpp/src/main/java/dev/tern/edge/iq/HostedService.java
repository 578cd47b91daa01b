package dev.tern.edge.iq;

import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A service of the server at an address of its own under the server's domain, such as the SOCKS5
 * bytestreams proxy at {@code proxy.localhost} (XEP-0065): listed in the server's disco#items,
 * it answers disco#info about itself from its identity and features (XEP-0030), and every other
 * IQ get or set a user's session addresses to it.
 */
public interface HostedService {

  /** Its address: a domain, e.g. {@code proxy.localhost}. */
  String address();

  /** Its human name, in disco#items and disco#info. */
  String name();

  IqRegistration.Identity identity();

  /** Its disco#info features besides disco#info itself. */
  List<String> features();

  /**
   * Answers an IQ get or set addressed to it (never disco), sent by a bound session: the payload
   * of the result, or an {@link IqError}.
   */
  CompletionStage<Optional<XmlElement>> handle(IqRequest request);
}
