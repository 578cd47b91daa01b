package dev.tern.regions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reaches the region's S3-compatible object store: makes sure the media bucket exists at start
 * (S3 CreateBucket is idempotent for its owner) and answers {@code /health} with a HEAD on it.
 */
final class MediaStoreProbe {

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final URI bucket;

  MediaStoreProbe(RegionConfig.Media media) {
    String base = media.endpoint().endsWith("/") ? media.endpoint() : media.endpoint() + "/";
    this.bucket = URI.create(base + media.bucket());
  }

  void ensureBucket() throws IOException, InterruptedException {
    int status = send(HttpRequest.newBuilder(bucket).PUT(HttpRequest.BodyPublishers.noBody()));
    if (status != 200 && status != 409) {
      throw new IOException("creating bucket " + bucket + " answered HTTP " + status);
    }
  }

  void check() throws IOException, InterruptedException {
    int status = send(HttpRequest.newBuilder(bucket).method("HEAD",
        HttpRequest.BodyPublishers.noBody()));
    if (status != 200) {
      throw new IOException("HEAD " + bucket + " answered HTTP " + status);
    }
  }

  private int send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
