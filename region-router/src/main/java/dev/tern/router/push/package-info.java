/** Push triggers: what the router announces for users whose devices are not connected. */
package dev.tern.router.push;
