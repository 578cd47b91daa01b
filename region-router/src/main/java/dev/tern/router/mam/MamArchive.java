package dev.tern.router.mam;

import static java.util.Objects.requireNonNull;

import dev.tern.router.accounts.KnownAccounts;
import dev.tern.routing.mam.MamFailure;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import dev.tern.storage.archive.ArchiveEntry;
import dev.tern.storage.archive.ArchivePosition;
import dev.tern.storage.archive.ArchiveRange;
import dev.tern.storage.archive.ArchiveStore;
import dev.tern.storage.messages.ChatId;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers archive queries: turns a {@link MamRequest}'s filters into one range of the user's
 * archive, takes a page of it in the query's direction, and loads the page's messages from their
 * chats.
 *
 * <p>Every bound narrows the range: {@code start} and {@code end} by time (inclusive, XEP-0313
 * §4.1.2), {@code after-id} / RSM {@code after} from below and {@code before-id} / RSM
 * {@code before} from above (exclusive). An id the archive does not hold is {@code
 * item-not-found} (XEP-0313 §4.1.4, XEP-0059 §2.2). A page is read one entry past its size, so
 * {@code complete} says whether anything lies beyond it in the query's direction.
 *
 * <p>Nothing stored before the user's account was created is in its archive: a name registered
 * again after its account was removed (XEP-0077 §3.2) does not see what the old account
 * exchanged, which stays in the chats until the retention ends.
 */
public final class MamArchive {

  private final ArchiveStore archive;
  private final MessageStore messages;
  private final KnownAccounts accounts;

  public MamArchive(ArchiveStore archive, MessageStore messages, KnownAccounts accounts) {
    this.archive = requireNonNull(archive, "archive");
    this.messages = requireNonNull(messages, "messages");
    this.accounts = requireNonNull(accounts, "accounts");
  }

  /** When {@code user}'s account was created; the epoch for a user with none. */
  private CompletionStage<Instant> createdAt(String user) {
    Optional<String> username = KnownAccounts.usernameOf(user);
    return username.isEmpty() ? CompletableFuture.completedFuture(Instant.EPOCH)
        : accounts.createdAt(username.get()).thenApply(a -> a.orElse(Instant.EPOCH));
  }

  /** The page; fails with {@link MamFailure} for a query the archive refuses. */
  public CompletionStage<MamPage> query(MamRequest q) {
    requireNonNull(q, "q");
    List<String> named = new ArrayList<>();
    q.afterId().ifPresent(named::add);
    q.after().ifPresent(named::add);
    q.beforeId().ifPresent(named::add);
    q.before().filter(b -> !b.isEmpty()).ifPresent(named::add);
    return createdAt(q.user()).thenCompose(created -> positions(q.user(), named).thenCompose(found -> {
      ArchivePosition lower = ArchivePosition.max(ArchivePosition.startOf(created),
          q.start().map(ArchivePosition::startOf).orElse(ArchivePosition.FIRST));
      ArchivePosition upper = q.end().map(ArchivePosition::endOf).orElse(ArchivePosition.LAST);
      for (String id : List.of(q.afterId(), q.after()).stream().flatMap(Optional::stream).toList()) {
        lower = ArchivePosition.max(lower, found.get(named.indexOf(id)));
      }
      List<String> uppers = new ArrayList<>();
      q.beforeId().ifPresent(uppers::add);
      q.before().filter(b -> !b.isEmpty()).ifPresent(uppers::add);
      for (String id : uppers) {
        upper = ArchivePosition.min(upper, found.get(named.indexOf(id)));
      }
      ArchiveRange range = new ArchiveRange(q.user(), q.with(), lower, upper);
      return q.ids().isEmpty() ? page(q, range) : selected(q, range);
    }));
  }

  /** Where each named id sits in the user's archive; item-not-found for one it lacks. */
  private CompletionStage<List<ArchivePosition>> positions(String user, List<String> ids) {
    List<CompletableFuture<Optional<ArchiveEntry>>> lookups = ids.stream()
        .map(id -> archive.find(user, id).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<ArchivePosition> out = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        Optional<ArchiveEntry> e = lookups.get(i).join();
        if (e.isEmpty()) {
          throw new MamFailure(MamFailure.Reason.ITEM_NOT_FOUND,
              "no message " + ids.get(i) + " in the archive");
        }
        out.add(e.get().position());
      }
      return out;
    });
  }

  private CompletionStage<MamPage> page(MamRequest q, ArchiveRange range) {
    boolean backwards = q.backwards();
    return archive.page(range, backwards, q.max() + 1).thenCompose(entries -> {
      boolean complete = entries.size() <= q.max();
      List<ArchiveEntry> page = new ArrayList<>(entries.subList(0, Math.min(q.max(),
          entries.size())));
      if (backwards) {
        Collections.reverse(page); // XEP-0059 §2.5: a page read backwards is still in order
      }
      if (q.flipPage()) {
        Collections.reverse(page);
      }
      return load(page).thenApply(results -> new MamPage(results, complete));
    });
  }

  /** XEP-0313 {@code ids}: those of the named messages that lie in the range, in order. */
  private CompletionStage<MamPage> selected(MamRequest q, ArchiveRange range) {
    List<CompletableFuture<Optional<ArchiveEntry>>> lookups = q.ids().stream()
        .distinct()
        .map(id -> archive.find(q.user(), id).toCompletableFuture())
        .toList();
    Optional<ChatId> chat = q.with().map(w -> ChatId.direct(q.user(), w));
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      List<ArchiveEntry> page = lookups.stream()
          .map(CompletableFuture::join)
          .flatMap(Optional::stream)
          .filter(e -> range.contains(e.position()))
          .filter(e -> chat.isEmpty() || chat.get().value().equals(e.position().chat()))
          .sorted(Comparator.comparing(ArchiveEntry::position))
          .toList();
      List<ArchiveEntry> shown = new ArrayList<>(q.backwards()
          ? page.subList(Math.max(0, page.size() - q.max()), page.size())
          : page.subList(0, Math.min(q.max(), page.size())));
      if (q.flipPage()) {
        Collections.reverse(shown);
      }
      boolean complete = shown.size() == page.size();
      return load(shown).thenApply(results -> new MamPage(results, complete));
    });
  }

  /** The entries' messages from their chats, in the entries' order. */
  private CompletionStage<List<MamPage.Result>> load(List<ArchiveEntry> entries) {
    List<CompletableFuture<Optional<StoredMessage>>> reads = entries.stream()
        .map(e -> messages.find(new ChatId(e.position().chat()), e.position().seq())
            .toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<MamPage.Result> out = new ArrayList<>();
      for (var read : reads) {
        // A message whose chat row is gone (expired before its index) is left out.
        read.join().ifPresent(m -> out.add(
            new MamPage.Result(m.stanzaId(), m.storedAt(), m.stanzaXml())));
      }
      return out;
    });
  }
}
