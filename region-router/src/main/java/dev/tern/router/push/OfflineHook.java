package dev.tern.router.push;

import dev.tern.storage.messages.StoredMessage;

/**
 * Called for each message stored for a user none of whose devices took it when it was sent: the
 * message waits in the user's unread queue, and this is where a push notification starts
 * (XEP-0357 or a platform gateway). Called at most once per message, best effort: a device may
 * still connect and fetch the message before anything reacts to the call.
 */
@FunctionalInterface
public interface OfflineHook {

  void queuedForOffline(StoredMessage message);
}
