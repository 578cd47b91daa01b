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
import dev.tern.storage.accounts.StoredCredential;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * XEP-0077 on the server: §3.1 registration before authentication (when the region's operator
 * opened it), §3.3 password change and §3.2 removal of one's own account after it. Only SCRAM
 * salted keys are stored, never the password; the salting (thousands of hash rounds) runs on
 * {@code hashing}, never on the network thread, and only for a name found free. Registration
 * needs an encrypted stream, since the password travels in it.
 */
public final class RegisterHandler implements IqHandler {

  public static final String NAMESPACE = "jabber:iq:register";
  /** Stream feature advertising in-band registration (XEP-0077 §4). */
  public static final String FEATURE = "http://jabber.org/features/iq-register";

  private static final int MIN_PASSWORD_LENGTH = 8;

  private final String domain;
  private final AccountStore accounts;
  private final AccountChanges changes;
  private final boolean open;
  private final Executor hashing;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param open whether new accounts may be registered here (password change and removal are
   *     always offered)
   * @param hashing where passwords are salted and hashed
   */
  public RegisterHandler(String domain, AccountStore accounts, AccountChanges changes,
      boolean open, Executor hashing) {
    this.domain = requireNonNull(domain, "domain");
    this.accounts = requireNonNull(accounts, "accounts");
    this.changes = requireNonNull(changes, "changes");
    this.open = open;
    this.hashing = requireNonNull(hashing, "hashing");
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
    if (request.sender().isEmpty() && !open) {
      throw new IqError(StanzaErrorCondition.NOT_ALLOWED, "registration is closed here");
    }
    if (request.type().equals("get")) {
      return CompletableFuture.completedFuture(Optional.of(form(request)));
    }
    XmlElement query = request.payload();
    if (query.child("remove", NAMESPACE).isPresent()) {
      return remove(request);
    }
    String username = query.child("username", NAMESPACE).map(XmlElement::text).orElse("");
    String password = query.child("password", NAMESPACE).map(XmlElement::text).orElse("");
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE,
          "a password of at least " + MIN_PASSWORD_LENGTH + " characters is required");
    }
    if (request.sender().isPresent()) {
      // §3.3: an authenticated user changes the password of their own account.
      String own = request.sender().get().local().orElseThrow();
      if (!username.isEmpty() && !canonical(username).equals(own)) {
        throw new IqError(StanzaErrorCondition.NOT_ALLOWED, "only your own password");
      }
      // Every other session of the account closes, and its FAST tokens no longer open one.
      Jid kept = request.sender().get();
      return hashed(password).thenCompose(c -> accounts.replaceCredentials(own, c))
          .thenApply(changed -> {
            if (!changed) {
              throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "no such account");
            }
            request.afterAnswer().accept(() -> changes.announcePasswordChange(kept));
            return Optional.empty();
          });
    }
    String local = canonical(username);
    // The name first: a taken name costs a read, not the hashing.
    return accounts.find(local).thenCompose(existing -> {
      if (existing.isPresent()) {
        throw new IqError(StanzaErrorCondition.CONFLICT, "the username is taken");
      }
      return hashed(password);
    }).thenCompose(c -> accounts.create(new Account(local, Instant.now(), c))).thenApply(created -> {
      if (!created) {
        throw new IqError(StanzaErrorCondition.CONFLICT, "the username is taken");
      }
      return Optional.empty();
    });
  }

  /**
   * §3.2: the account of the sender and what it owns are removed; the answer goes out, then
   * every session of the account (this one too) is closed with {@code <not-authorized/>}.
   */
  private CompletionStage<Optional<XmlElement>> remove(IqRequest request) {
    if (request.sender().isEmpty()) {
      throw new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "log in to remove your account");
    }
    Jid user = request.sender().get().bare();
    return changes.remove(user).thenApply(v -> {
      request.afterAnswer().accept(() -> changes.announceRemoval(user)); // so they close after it
      return Optional.<XmlElement>empty();
    });
  }

  private CompletableFuture<Map<String, StoredCredential>> hashed(String password) {
    return CompletableFuture.supplyAsync(
        () -> ScramCredentials.forPassword(password.toCharArray(), random), hashing);
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
