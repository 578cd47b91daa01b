package dev.tern.storage.messages;

class InMemoryUnreadQueueTest extends UnreadQueueContract {

  private final InMemoryUnreadQueue queue = new InMemoryUnreadQueue();

  @Override
  protected UnreadQueue queue() {
    return queue;
  }
}
