package dev.tern.storage.messages;

class InMemoryMessageStoreTest extends MessageStoreContract {

  private final InMemoryMessageStore store = new InMemoryMessageStore();

  @Override
  protected MessageStore store() {
    return store;
  }
}
