package dev.tern.storage.chats;

import dev.tern.storage.messages.ChatId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Each chat's home region: the region of the member who sent its first message. The chat is
 * numbered by the holder of its shard's lease in that region (schema v11).
 */
public interface ChatHomeStore {

  CompletionStage<Optional<String>> home(ChatId chat);

  /**
   * Records {@code region} as the chat's home unless this region already knows one; completes
   * with the home now recorded. Two regions starting one chat at the same moment may each record
   * their own until the write with the later timestamp has reached both.
   */
  CompletionStage<String> settle(ChatId chat, String region);
}
