package dev.tern.regions.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A TCP port a member of the federation listens on, and what for. */
public record Endpoint(String host, int port, String purpose) {

  @Override
  public String toString() {
    return host + ":" + port + " (" + purpose + ")";
  }

  /** True when nothing listens here now, checked by binding it for a moment. */
  public boolean isFree() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
