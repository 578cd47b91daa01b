package dev.tern.storage.chats;

class InMemoryChatLeaseStoreTest extends ChatLeaseStoreContract {

  private final InMemoryChatLeaseStore store = new InMemoryChatLeaseStore();

  @Override
  protected ChatLeaseStore store() {
    return store;
  }
}
