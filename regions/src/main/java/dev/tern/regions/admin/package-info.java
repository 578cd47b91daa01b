/**
 * The operator endpoints of a Tern process's HTTP port: where a user is connected, and the
 * federation's health (gateways, directory, routers) per region (docs/operator-guide.md).
 */
@NullMarked
package dev.tern.regions.admin;

import org.jspecify.annotations.NullMarked;
