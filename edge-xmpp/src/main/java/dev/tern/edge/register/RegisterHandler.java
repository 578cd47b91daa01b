package dev.tern.edge.register;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.sasl.ScramCredentials;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0077 §3.1 registration before authentication and §3.3 password change after it. Only
 * SCRAM salted keys are stored, never the password. Registration needs an encrypted stream,
 * since the password travels in it.
 */
public final class RegisterHandler implements IqHandler {

  public static final String NAMESPACE = "jabber:iq:register";
  /** Stream feature advertising in-band registration (XEP-0077 §4). */
  public static final String FEATURE = "http://jabber.org/features/iq-register";

  private static final int MIN_PASSWORD_LENGTH = 8;

  private final String domain;
  private final AccountStore accounts;
  private final SecureRandom random = new SecureRandom();

  public RegisterHandler(String domain, AccountStore accounts) {
    this.domain = requireNonNull(domain, "domain");
    this.accounts = requireNonNull(accounts, "accounts");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get", "set"), "query", NAMESPACE,
        IqRegistration.Addressing.SERVER, true, List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    if (!request.secure()) {
      throw new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "registration needs an encrypted stream");
    }
    if (request.type().equals("get")) {
      return CompletableFuture.completedFuture(Optional.of(form(request)));
    }
    XmlElement query = request.payload();
    if (query.child("remove", NAMESPACE).isPresent()) {
      throw new IqError(StanzaErrorCondition.NOT_ALLOWED, "account removal is not offered here");
    }
    String username = query.child("username", NAMESPACE).map(XmlElement::text).orElse("");
    String password = query.child("password", NAMESPACE).map(XmlElement::text).orElse("");
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE,
          "a password of at least " + MIN_PASSWORD_LENGTH + " characters is required");
    }
    var credentials = ScramCredentials.forPassword(password.toCharArray(), random);
    if (request.sender().isPresent()) {
      // §3.3: an authenticated user changes the password of their own account.
      String own = request.sender().get().local().orElseThrow();
      if (!username.isEmpty() && !canonical(username).equals(own)) {
        throw new IqError(StanzaErrorCondition.NOT_ALLOWED, "only your own password");
      }
      return accounts.replaceCredentials(own, credentials).thenApply(changed -> {
        if (!changed) {
          throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "no such account");
        }
        return Optional.empty();
      });
    }
    String local = canonical(username);
    return accounts.create(new Account(local, Instant.now(), credentials)).thenApply(created -> {
      if (!created) {
        throw new IqError(StanzaErrorCondition.CONFLICT, "the username is taken");
      }
      return Optional.empty();
    });
  }

  private XmlElement form(IqRequest request) {
    XmlElement.Builder q = XmlElement.builder("query", NAMESPACE);
    if (request.sender().isPresent()) {
      q.child(XmlElement.builder("registered", NAMESPACE).build());
      q.child(XmlElement.builder("username", NAMESPACE)
          .text(request.sender().get().local().orElse("")).build());
    } else {
      q.child(XmlElement.builder("instructions", NAMESPACE)
          .text("Choose a username and a password of at least " + MIN_PASSWORD_LENGTH
              + " characters.").build());
      q.child(XmlElement.builder("username", NAMESPACE).build());
    }
    q.child(XmlElement.builder("password", NAMESPACE).build());
    return q.build();
  }

  private String canonical(String username) {
    if (username.isEmpty()) {
      throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE, "a username is required");
    }
    try {
      return Jid.of(username, domain, null).local().orElseThrow();
    } catch (IllegalArgumentException e) {
      throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE, "not a valid username: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
  }
}
