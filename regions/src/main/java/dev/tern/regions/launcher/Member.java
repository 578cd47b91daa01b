package dev.tern.regions.launcher;

import java.util.List;

/** One process of the federation: its unique name (pid and log files) and its ports. */
public record Member(String name, List<Endpoint> endpoints) {

  public Member {
    endpoints = List.copyOf(endpoints);
  }
}
