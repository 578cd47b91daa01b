package dev.tern.edge;

import dev.tern.edge.bearer.BearerTokenHandler;
import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.bytestreams.BytestreamsModule;
import dev.tern.edge.bytestreams.ProxyService;
import dev.tern.edge.blocking.BlockingHandler;
import dev.tern.edge.blocking.NatsBlockingClient;
import dev.tern.edge.carbons.CarbonsModule;
import dev.tern.edge.chatstates.ChatStatesModule;
import dev.tern.edge.csi.CsiModule;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.im.MessagingModule;
import dev.tern.edge.last.LastActivityHandler;
import dev.tern.edge.mam.MamClient;
import dev.tern.edge.mam.MamHandler;
import dev.tern.edge.mam.MamPrefsHandler;
import dev.tern.edge.offline.OfflineModule;
import dev.tern.edge.pep.NatsPepClient;
import dev.tern.edge.pep.PepModule;
import dev.tern.edge.ping.PingHandler;
import dev.tern.edge.presence.PresenceModule;
import dev.tern.edge.receipts.ReceiptStatusHandler;
import dev.tern.edge.register.NatsAccountChanges;
import dev.tern.edge.register.RegisterHandler;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.edge.roster.RosterHandler;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.LocalSessions;
import dev.tern.edge.sid.StanzaIdModule;
import dev.tern.edge.sm.Resumption;
import dev.tern.edge.sm.StreamManagementModule;
import dev.tern.edge.vcard.NatsVCardClient;
import dev.tern.edge.vcard.VCardHandler;
import dev.tern.edge.version.VersionHandler;
import dev.tern.storage.accounts.AccountStore;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Every feature module of an edge, in the order their session hooks run: the one list a new
 * XEP is added to (docs/architecture.md, "How to add a XEP"). Service discovery is built from
 * it afterwards, so advertised features never drift from what is handled.
 */
final class EdgeModules {

  /**
   * Where in-band registration and password changes salt and hash passwords: two threads, off
   * the network threads, so a burst of registrations queues here instead of stalling streams.
   */
  private static final Executor PASSWORD_HASHING = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "tern-password-hashing");
    t.setDaemon(true);
    return t;
  });

  private EdgeModules() {}

  /** What the modules are built from. */
  record Parts(EdgeConfig config, Connection nats, EdgeMessaging messaging, EdgeRoster roster,
      LocalSessions sessions, Resumption resumption, BearerTokens bearer, AccountStore accounts,
      Supplier<Duration> uptime, Optional<ProxyService> proxy) {}

  static List<EdgeModule> of(Parts p) {
    String region = p.config().region();
    Duration timeout = p.config().natsTimeout().multipliedBy(3);
    List<EdgeModule> modules = new ArrayList<>(List.of(
        EdgeModule.answering(new PingHandler()),                                  // XEP-0199
        EdgeModule.answering(new VersionHandler()),                               // XEP-0092
        EdgeModule.answering(new BearerTokenHandler(p.bearer())),                 // RFC 6750 for RFC 7395
        new StanzaIdModule(p.config().domain()),                                  // XEP-0359
        new CsiModule(),                                                          // XEP-0352
        new StreamManagementModule(p.resumption()),                               // XEP-0198
        new CarbonsModule(p.messaging(), p.sessions()),                           // XEP-0280
        new PepModule(new NatsPepClient(p.nats(), region, timeout)),              // XEP-0163
        new PresenceModule(p.messaging(), p.roster()),                            // RFC 6121 §4
        EdgeModule.answering(new RosterHandler(p.roster()),                       // RFC 6121 §2
            new RosterHandler.OfOthers()),
        EdgeModule.answering(new LastActivityHandler(p.roster()),                 // XEP-0012
            new LastActivityHandler.Uptime(p.uptime())),
        new ChatStatesModule(p.messaging()),                                      // XEP-0085
        new MessagingModule(p.messaging()),                                       // RFC 6121 §5
        new OfflineModule(p.messaging(), p.sessions()),                           // XEP-0160, XEP-0203
        EdgeModule.answering(new MamHandler(MamClient.nats(p.nats(), region, timeout)), // XEP-0313
            new MamPrefsHandler()),
        EdgeModule.answering(BlockingHandler.all(                                 // XEP-0191
            new NatsBlockingClient(p.nats(), region, timeout))),
        EdgeModule.answering(VCardHandler.all(                                    // XEP-0054
            new NatsVCardClient(p.nats(), region, timeout))),
        EdgeModule.answering(new ReceiptStatusHandler(p.nats(), region, timeout)) // urn:tern:receipts:0
    ));
    p.proxy().ifPresent(proxy -> modules.add(new BytestreamsModule(proxy)));   // XEP-0065
    modules.add(EdgeModule.answering(new RegisterHandler(p.config().domain(),   // XEP-0077
        p.accounts(), new NatsAccountChanges(p.nats(), region, timeout, p.sessions()),
        p.config().registration(), PASSWORD_HASHING)));
    return modules;
  }
}
