package dev.tern.it;

import dev.tern.regions.RegionConfig;
import java.util.Map;

/** The regions' own config files, as the Tern processes read them. */
final class Regions {

  private Regions() {}

  static RegionConfig config(String region) {
    return RegionConfig.load(TestFederation.root().resolve("regions").resolve(region)
        .resolve("tern.yaml"), Map.of());
  }
}
