/** The region's HTTP port: {@code /health} and {@code /metrics} for operators (RFC 9110). */
@NullMarked
package dev.tern.edge.http;

import org.jspecify.annotations.NullMarked;
