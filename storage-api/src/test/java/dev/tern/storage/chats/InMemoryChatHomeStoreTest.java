package dev.tern.storage.chats;

class InMemoryChatHomeStoreTest extends ChatHomeStoreContract {

  private final InMemoryChatHomeStore store = new InMemoryChatHomeStore();

  @Override
  protected ChatHomeStore store() {
    return store;
  }
}
