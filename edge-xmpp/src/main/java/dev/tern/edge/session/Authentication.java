package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.bind2.Bind2;
import dev.tern.edge.bind2.Bind2Request;
import dev.tern.edge.csi.CsiModule;
import dev.tern.edge.fast.FastRequest;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.sasl.BindingAttempts;
import dev.tern.edge.sasl.ChannelBinding;
import dev.tern.edge.sasl.SaslBase64;
import dev.tern.edge.sasl.SaslContext;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.edge.sasl2.Sasl2;
import dev.tern.edge.sasl2.Sasl2Authenticate;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.edge.sasl2.Sasl2Success;
import dev.tern.edge.sasl2.UserAgent;
import dev.tern.edge.sm.ManagedStream;
import dev.tern.edge.sm.StreamManagement;
import dev.tern.edge.tls.ChannelBindings;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.XmlElement;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's authentication: SASL (RFC 6120 §6), and SASL2 (XEP-0388) with its inline requests:
 * Bind 2 (XEP-0386, with stream management and CSI inline), FAST tokens (XEP-0484) and XEP-0198
 * resumption. Part of the session's negotiation; the session owns the state it moves.
 */
final class Authentication {

  private static final Logger log = LoggerFactory.getLogger(Authentication.class);
  private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  private static final String SASL_CB = "urn:xmpp:sasl-cb:0";
  private static final int MAX_FAILURES = 3;

  private final XmppSession session;
  private final EdgeServices services;
  private @Nullable SaslServer sasl;
  /** The SASL2 exchange in progress (XEP-0388), with what its inline requests asked for. */
  private @Nullable Sasl2Authenticate sasl2;
  private FastRequest sasl2Fast = FastRequest.NONE;
  private Optional<Bind2Request> sasl2Bind = Optional.empty();
  private @Nullable SaslServer sasl2Server;
  /** Whether SASL answers go out as SASL2 elements. */
  private boolean inSasl2;
  private String mechanism = "";
  private int failures;
  /** What this stream's SCRAM attempts showed of channel binding (RFC 5802 §6). */
  private final BindingAttempts bindingAttempts = new BindingAttempts();

  Authentication(XmppSession session, EdgeServices services) {
    this.session = session;
    this.services = services;
  }

  /** The SASL and SASL2 features of a secure stream not yet authenticated. */
  void features(List<XmlElement> out) {
    SaslContext context = context();
    XmlElement.Builder mechanisms = XmlElement.builder("mechanisms", SASL);
    for (String m : services.sasl().offered(context)) {
      mechanisms.child(XmlElement.builder("mechanism", SASL).text(m).build());
    }
    out.add(mechanisms.build());
    List<String> bindings = services.sasl().channelBindingTypes(context);
    if (!bindings.isEmpty()) {
      XmlElement.Builder cb = XmlElement.builder("sasl-channel-binding", SASL_CB);
      bindings.forEach(t -> cb.child(XmlElement.builder("channel-binding", SASL_CB)
          .attribute("type", t).build()));
      out.add(cb.build());
    }
    // XEP-0388 with its inline features: Bind 2 (with SM and CSI inline), FAST, SM resume.
    List<XmlElement> inline = new ArrayList<>();
    inline.add(Bind2.feature(List.of(StreamManagement.NAMESPACE, CsiModule.NAMESPACE)));
    services.fast().feature(context).ifPresent(inline::add);
    inline.add(new StreamManagement.Feature().toElement());
    out.add(Sasl2.feature(services.sasl().offered(context), inline));
  }

  /** The mechanism under way, for metrics; empty once authenticated. */
  String mechanism() {
    return mechanism;
  }

  private SaslContext context() {
    List<ChannelBinding> bindings = new ArrayList<>();
    SslHandler ssl = session.sslHandler();
    if (ssl != null && ssl.handshakeFuture().isSuccess()) {
      ChannelBindings.tlsExporter(ssl)
          .ifPresent(b -> bindings.add(new ChannelBinding("tls-exporter", b)));
      ChannelBindings.tlsServerEndPoint(ssl)
          .ifPresent(b -> bindings.add(new ChannelBinding("tls-server-end-point", b)));
    }
    return new SaslContext(session.tls(), bindings, services.config().domain(), bindingAttempts);
  }

  // ---- SASL (RFC 6120 §6) ----

  void onSasl(XmlElement e) {
    inSasl2 = false;
    if (session.state() != SessionState.NEGOTIATING) {
      session.streamError(StreamErrorCondition.POLICY_VIOLATION, "already authenticated");
      return;
    }
    switch (e.name()) {
      case "auth" -> {
        String requested = e.attribute("mechanism").orElse("");
        SaslContext context = context();
        Optional<SaslServer> server = services.sasl().offered(context).contains(requested)
            ? services.sasl().create(requested, context) : Optional.empty();
        if (server.isEmpty()) {
          boolean plainInClear = requested.equals("PLAIN") && !session.tls();
          failure(plainInClear ? SaslFailure.ENCRYPTION_REQUIRED : SaslFailure.INVALID_MECHANISM,
              "mechanism not offered: " + requested);
          return;
        }
        sasl = server.get();
        mechanism = requested;
        byte[] initial = decode(e.text());
        if (initial == null) {
          return;
        }
        onStep(sasl.start(initial));
      }
      case "response" -> {
        if (sasl == null) {
          failure(SaslFailure.MALFORMED_REQUEST, "no authentication in progress");
          return;
        }
        byte[] response = decode(e.text());
        if (response != null) {
          onStep(sasl.evaluate(response));
        }
      }
      case "abort" -> {
        sasl = null;
        failure(SaslFailure.ABORTED, "");
      }
      default -> session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "unexpected SASL element " + e.name());
    }
  }

  /** Base64 of a SASL element; "=" or nothing is an empty response (RFC 6120 §6.4.2). */
  private byte @Nullable [] decode(String text) {
    Optional<byte[]> bytes = SaslBase64.decode(text.strip());
    if (bytes.isEmpty()) {
      sasl = null;
      failure(SaslFailure.INCORRECT_ENCODING, "not base64");
      return null;
    }
    return bytes.get();
  }

  private void onStep(CompletionStage<SaslStep> step) {
    step.whenComplete((s, error) -> session.executor().execute(() -> {
      if (session.state() == SessionState.CLOSED) {
        return;
      }
      if (error != null) {
        log.warn("SASL {} failed inside the server", mechanism, error);
        sasl = null;
        failure(SaslFailure.TEMPORARY_AUTH_FAILURE, "try again later");
        return;
      }
      if (s instanceof SaslStep.Challenge ch) {
        session.write(inSasl2 ? Sasl2.challenge(ch.data())
            : XmlElement.builder("challenge", SASL).text(SaslBase64.encode(ch.data())).build());
      } else if (s instanceof SaslStep.Success ok && inSasl2 && sasl2 != null) {
        sasl = null;
        sasl2Success(ok);
      } else if (s instanceof SaslStep.Success ok) {
        sasl = null;
        session.authenticated(ok.username(), mechanism);
        mechanism = "";
        XmlElement.Builder success = XmlElement.builder("success", SASL);
        if (ok.additionalData().length > 0) {
          success.text(SaslBase64.encode(ok.additionalData()));
        }
        session.write(success.build());
        session.restartStream(); // RFC 6120 §6.4.6
      } else if (s instanceof SaslStep.Failure f) {
        sasl = null;
        failure(f.condition(), f.text());
      }
    }));
  }

  private void failure(SaslFailure condition, String text) {
    services.listener().authentication(session.transport(),
        mechanism.isEmpty() ? "none" : mechanism, condition.elementName());
    if (inSasl2) {
      inSasl2 = false;
      sasl2 = null;
      session.write(Sasl2.failure(condition, text));
    } else {
      XmlElement.Builder failure = XmlElement.builder("failure", SASL)
          .child(XmlElement.builder(condition.elementName(), SASL).build());
      if (!text.isEmpty()) {
        failure.child(XmlElement.builder("text", SASL).attribute("xml:lang", "en")
            .text(text).build());
      }
      session.write(failure.build());
    }
    if (condition != SaslFailure.ABORTED && ++failures >= MAX_FAILURES) {
      // RFC 6120 §6.4.5: the server may limit retries and then close the stream.
      session.streamError(StreamErrorCondition.POLICY_VIOLATION, "too many failed authentications");
    }
  }

  // ---- SASL2 (XEP-0388) with Bind 2 (XEP-0386), FAST (XEP-0484) and inline SM resume ----

  void onSasl2(XmlElement e) {
    if (session.state() != SessionState.NEGOTIATING) {
      session.streamError(StreamErrorCondition.POLICY_VIOLATION, "already authenticated");
      return;
    }
    inSasl2 = true;
    try {
      switch (e.name()) {
        case Sasl2.AUTHENTICATE -> onAuthenticate(Sasl2Authenticate.parse(e));
        case Sasl2.RESPONSE -> {
          if (sasl2 == null || sasl == null) {
            failure(SaslFailure.MALFORMED_REQUEST, "no authentication in progress");
            return;
          }
          onStep(sasl.evaluate(Sasl2.response(e)));
        }
        case Sasl2.ABORT -> {
          sasl = null;
          failure(SaslFailure.ABORTED, "");
        }
        default -> session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
            "unexpected SASL2 element " + e.name());
      }
    } catch (Sasl2Exception ex) {
      sasl = null;
      failure(ex.condition(), ex.text());
    }
  }

  private void onAuthenticate(Sasl2Authenticate auth) throws Sasl2Exception {
    sasl2 = auth;
    mechanism = auth.mechanism();
    sasl2Fast = FastRequest.parse(auth.inlineRequests());
    sasl2Bind = Bind2Request.find(auth.inlineRequests());
    SaslContext context = context();
    Optional<SaslServer> server;
    if (services.fast().mechanisms(context).contains(auth.mechanism())) {
      if (auth.userAgent().isEmpty()) {
        throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "FAST needs a user-agent id");
      }
      server = services.fast().server(auth.mechanism(), context, auth.userAgent().get().id());
    } else if (services.sasl().offered(context).contains(auth.mechanism())) {
      server = services.sasl().create(auth.mechanism(), context);
    } else {
      server = Optional.empty();
    }
    if (server.isEmpty()) {
      throw new Sasl2Exception(SaslFailure.INVALID_MECHANISM,
          "mechanism not offered: " + auth.mechanism());
    }
    sasl = server.get();
    sasl2Server = server.get();
    onStep(sasl.start(auth.initialResponse().orElse(new byte[0])));
  }

  /**
   * XEP-0388 §2.6: success, with what the inline requests asked for, in one answer: a resumed
   * stream (XEP-0198 inline), or a bound resource (Bind 2, with SM and CSI inline), and a new FAST
   * token. No stream restart: fresh stream features follow unless the stream was resumed.
   */
  private void sasl2Success(SaslStep.Success ok) {
    Sasl2Authenticate auth = requireNonNull(sasl2);
    SaslServer used = requireNonNull(sasl2Server);
    sasl2 = null;
    sasl2Server = null;
    inSasl2 = false;
    session.authenticated(ok.username(), mechanism);
    mechanism = "";
    Optional<String> device = auth.userAgent().map(UserAgent::id);
    Optional<ManagedStream> sm = session.module(ManagedStream.class);
    List<XmlElement> results = new ArrayList<>();
    List<XmlElement> resend = new ArrayList<>();
    boolean[] startCounting = {false};

    CompletableFuture<Void> inline = CompletableFuture.completedFuture(null);
    Optional<XmlElement> resume = auth.inlineRequest("resume", StreamManagement.NAMESPACE);
    if (resume.isPresent() && sm.isPresent()) {
      inline = inline.thenCompose(v -> {
        StreamManagement.Nonza r;
        try {
          r = StreamManagement.parse(resume.get());
        } catch (StreamErrorException ex) {
          results.add(StreamManagement.Failed.of(StanzaErrorCondition.BAD_REQUEST).toElement());
          return CompletableFuture.completedFuture(null);
        }
        return sm.get().resume((StreamManagement.Resume) r).thenAccept(result -> {
          results.add(result.element());
          resend.addAll(result.resend());
        });
      });
    }
    if (sasl2Bind.isPresent()) {
      Bind2Request bind = sasl2Bind.get();
      inline = inline.thenCompose(v -> {
        if (session.state() == SessionState.BOUND) {
          return CompletableFuture.completedFuture(null); // resumed instead
        }
        String resource = services.bind2().resource(ok.username(), bind.tag(), device);
        session.bindTo(Jid.of(ok.username(), services.config().domain(), resource));
        List<XmlElement> bound = new ArrayList<>();
        session.module(CsiModule.ClientState.class).ifPresent(csi -> {
          bind.inlineRequest("inactive", CsiModule.NAMESPACE).ifPresent(x -> csi.active(false));
          bind.inlineRequest("active", CsiModule.NAMESPACE).ifPresent(x -> csi.active(true));
        });
        Optional<XmlElement> enable = bind.inlineRequest("enable", StreamManagement.NAMESPACE);
        CompletableFuture<Void> enabling = CompletableFuture.completedFuture(null);
        if (enable.isPresent() && sm.isPresent()) {
          try {
            StreamManagement.Enable request =
                (StreamManagement.Enable) StreamManagement.parse(enable.get());
            enabling = sm.get().enable(request).thenAccept(enabled -> {
              bound.add(enabled);
              startCounting[0] = true;
            });
          } catch (StreamErrorException | ClassCastException ex) {
            bound.add(StreamManagement.Failed.of(StanzaErrorCondition.BAD_REQUEST).toElement());
          }
        }
        return enabling.thenRun(() -> results.add(Bind2.bound(bound)));
      });
    }
    if (device.isPresent()) {
      inline = inline.thenCompose(v -> services.fast()
          .afterSuccess(ok.username(), device.get(), sasl2Fast, used)
          .toCompletableFuture()
          .handle((token, error) -> {
            if (error != null) {
              log.warn("no FAST token for {}: the token store failed", ok.username(), error);
            } else {
              token.ifPresent(t -> results.add(FastTokens.tokenElement(t)));
            }
            return null;
          }));
    }
    inline.whenComplete((v, error) -> session.executor().execute(() -> {
      if (session.state() == SessionState.CLOSED) {
        return;
      }
      if (error != null) {
        log.warn("SASL2 inline requests of {} failed", ok.username(), error);
      }
      Jid identifier = session.jid()
          .orElseGet(() -> Jid.of(ok.username(), services.config().domain(), null));
      session.write(Sasl2Success.of(ok, identifier, results).toElement());
      if (startCounting[0]) {
        sm.ifPresent(ManagedStream::startOutboundCounting);
      }
      if (results.stream().anyMatch(r -> r.name().equals("resumed"))) {
        sm.ifPresent(s -> s.sendAgain(resend));
        session.announceBound();
        return; // a resumed stream continues where it was: no new features
      }
      session.sendFeatures();
      if (session.state() == SessionState.BOUND) {
        session.announceBound();
      }
    }));
  }
}
