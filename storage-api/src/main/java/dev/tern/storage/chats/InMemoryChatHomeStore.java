package dev.tern.storage.chats;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.messages.ChatId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link ChatHomeStore} in memory, for tests. */
public final class InMemoryChatHomeStore implements ChatHomeStore {

  private final ConcurrentMap<ChatId, String> homes = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<String>> home(ChatId chat) {
    return CompletableFuture.completedFuture(Optional.ofNullable(homes.get(chat)));
  }

  @Override
  public CompletionStage<String> settle(ChatId chat, String region) {
    requireNonNull(region, "region");
    return CompletableFuture.completedFuture(homes.computeIfAbsent(chat, c -> region));
  }
}
