// Tern's test of xmpp.js (@xmpp/client from npm), a client library users run: two accounts log in,
// the first sends the second a chat message with a unique body, and the second must receive it.
// Prints one result line; exits 0 when the message arrived, 1 when something failed (the line
// says what), 2 on bad arguments. The integration tests run it (ClientLibrariesTest, issue 13).
//
//   node exchange.mjs --transport starttls|direct-tls|websocket --host 127.0.0.1 --port 5222 \
//       [--recipient-host H --recipient-port P] [--ca-file localhost.crt.pem] \
//       [--recipient-ca-file PEM] [--timeout 30] \
//       SENDER_JID SENDER_PASSWORD RECIPIENT_JID RECIPIENT_PASSWORD
//
// Transports: STARTTLS (RFC 6120, xmpp://host:port), Direct TLS (XEP-0368, xmpps://host:port) and
// WebSocket (RFC 7395, ws://host:port/ws, --ws-path to change the path; on Node.js 20, which needs
// --experimental-websocket for it, the script runs itself again with that flag).
//
// TLS: each connection checks the server's certificate against the JIDs' domain (not the address
// it connects to). --ca-file names the only certificate(s) the sender's connection trusts, e.g.
// the server's own self-signed one; --recipient-ca-file the recipient's (default: --ca-file);
// without them, the system's CAs. Per connection, since two self-signed certificates with the same
// subject cannot both be trusted in one store (OpenSSL takes the first). xmpp.js has no option for
// this: Direct TLS gets it in its socket parameters, STARTTLS through a wrapper of tls.connect.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const TRANSPORTS = ["starttls", "direct-tls", "websocket"];

function usage(message) {
  console.log(`FAIL xmpp.js: ${message}`);
  console.error(
    "usage: node exchange.mjs --transport starttls|direct-tls|websocket --host H --port P " +
      "[--recipient-host H --recipient-port P] [--ws-path /ws] [--ca-file PEM] " +
      "[--recipient-ca-file PEM] [--timeout S] " +
      "SENDER_JID SENDER_PASSWORD RECIPIENT_JID RECIPIENT_PASSWORD",
  );
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      transport: { type: "string", default: "starttls" },
      host: { type: "string" },
      port: { type: "string" },
      "recipient-host": { type: "string" },
      "recipient-port": { type: "string" },
      "ws-path": { type: "string", default: "/ws" },
      "ca-file": { type: "string" },
      "recipient-ca-file": { type: "string" },
      timeout: { type: "string", default: "30" },
      debug: { type: "boolean", default: false },
    },
  });
} catch (e) {
  usage(e.message);
}
const o = args.values;
if (!TRANSPORTS.includes(o.transport)) usage(`--transport must be one of ${TRANSPORTS}`);
if (!o.host || !o.port) usage("--host and --port are required");
if (args.positionals.length !== 4) usage("two JIDs and their passwords are required");
for (const f of ["ca-file", "recipient-ca-file"]) {
  if (o[f] && !existsSync(o[f])) usage(`--${f} ${o[f]} is no file`);
}
const [senderJid, senderPassword, recipientJid, recipientPassword] = args.positionals;
const timeoutMs = Number(o.timeout) * 1000;
if (!(timeoutMs > 0)) usage("--timeout must be a number of seconds");

// Node.js 20 has WebSocket behind a flag: run again with it, relaying the outcome.
if (o.transport === "websocket" && typeof globalThis.WebSocket !== "function") {
  if (process.env.TERN_EXCHANGE_RESTARTED) {
    console.log("FAIL xmpp.js: Node.js has no WebSocket even with --experimental-websocket " +
      "(needs Node.js >= 20.10)");
    process.exit(1);
  }
  const child = spawnSync(process.execPath,
    [...process.execArgv, "--experimental-websocket", fileURLToPath(import.meta.url),
      ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, TERN_EXCHANGE_RESTARTED: "1" } });
  if (child.error) {
    console.log(`FAIL xmpp.js: could not run ${process.execPath}: ${child.error.message}`);
    process.exit(1);
  }
  process.exit(child.status ?? 1);
}

// STARTTLS: xmpp.js upgrades a client's socket with tls.connect({socket, host: domain}) and no
// more; this adds the trust options of the client whose socket it is.
const starttlsTrust = new Map();
const tlsConnect = tls.connect;
tls.connect = (options, ...rest) => {
  const trust = [...starttlsTrust].find(([socket]) => socket === options?.socket)?.[1];
  return tlsConnect.call(tls, trust ? { ...options, ...trust } : options, ...rest);
};

let client, xml;
try {
  ({ client, xml } = await import("@xmpp/client"));
} catch (e) {
  console.log(`FAIL xmpp.js: @xmpp/client cannot be loaded (${e.code ?? e.message}): ` +
    "run `npm ci` in clients/js (the ./tern script's test step does)");
  process.exit(1);
}
const version = JSON.parse(readFileSync(
  new URL("./node_modules/@xmpp/client/package.json", import.meta.url), "utf8")).version;
const what = `xmpp.js ${version} ${o.transport}`;

function service(host, port) {
  switch (o.transport) {
    case "starttls": return `xmpp://${host}:${port}`;
    case "direct-tls": return `xmpps://${host}:${port}`;
    default: return `ws://${host}:${port}${o["ws-path"]}`;
  }
}

function bare(jid) {
  return String(jid).split("/")[0];
}

/** One account: logs in (SASL, resource binding), sends initial presence, collects messages. */
async function online(name, jid, password, host, port, caFile) {
  const at = jid.indexOf("@");
  if (at < 1) throw new Error(`${name}: ${jid} is no bare JID`);
  const domain = jid.slice(at + 1);
  const xmpp = client({
    service: service(host, port),
    domain,
    username: jid.slice(0, at),
    password,
  });
  // A test run gives up rather than reconnects.
  xmpp.reconnect.stop();
  // The certificate is the domain's (RFC 6120 §13.7.2.1, XEP-0368 too): xmpp.js would check it
  // against the host it connects to for Direct TLS, an address here.
  const trust = { servername: domain, ...(caFile && { ca: readFileSync(caFile) }) };
  if (o.transport === "direct-tls") {
    const plain = xmpp.socketParameters.bind(xmpp);
    xmpp.socketParameters = (s) => ({ ...plain(s), ...trust });
  } else if (o.transport === "starttls") {
    xmpp.on("connect", () => starttlsTrust.set(xmpp.socket, trust));
  }
  const messages = [];
  let waiter = null;
  xmpp.on("stanza", (stanza) => {
    if (stanza.is("message") && stanza.getChild("body")) {
      messages.push(stanza);
      waiter?.();
    }
  });
  let failure = null;
  xmpp.on("error", (e) => { failure ??= e; });
  if (o.debug) {
    const log = (dir) => (s) =>
      console.error(`${Math.round(performance.now())} ms ${name} ${dir} ${s}`);
    xmpp.on("element", log("IN "));
    xmpp.on("send", log("OUT"));
  }
  let address;
  try {
    address = await xmpp.start();
  } catch (e) {
    throw new Error(`${name}: ${describe(failure ?? e)}`);
  }
  await xmpp.send(xml("presence"));
  return {
    xmpp,
    address: String(address),
    /** The message with this body, as soon as it arrived. */
    async received(body) {
      for (;;) {
        const m = messages.find((s) => s.getChildText("body") === body);
        if (m) return m;
        await new Promise((resolve) => { waiter = resolve; });
      }
    },
  };
}

function describe(e) {
  // XMPP errors (SASL failures, stream errors) carry their condition and text.
  const text = e?.text ? ` (${e.text})` : "";
  return `${e?.condition ?? e?.code ?? e?.name ?? "error"}: ${e?.message ?? e}${text}`;
}

async function exchange(opened) {
  const recipient = await online("recipient", recipientJid, recipientPassword,
    o["recipient-host"] ?? o.host, o["recipient-port"] ?? o.port,
    o["recipient-ca-file"] ?? o["ca-file"]);
  opened.push(recipient);
  const sender = await online("sender", senderJid, senderPassword, o.host, o.port, o["ca-file"]);
  opened.push(sender);

  const body = `xmpp.js ${randomUUID()}`;
  const started = performance.now();
  await sender.xmpp.send(
    xml("message", { type: "chat", to: recipientJid }, xml("body", {}, body)));
  const m = await recipient.received(body);
  if (bare(m.attrs.from) !== bare(sender.address)) {
    throw new Error(`the message came from ${m.attrs.from}, not from ${sender.address}`);
  }
  return `${sender.address} -> ${recipient.address}, body ${body}, ` +
    `delivered in ${Math.round(performance.now() - started)} ms`;
}

const opened = [];
let timer;
let code = 1;
try {
  const line = await Promise.race([
    exchange(opened),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `nothing within ${o.timeout} s (logins or the message did not complete)`)), timeoutMs);
    }),
  ]);
  console.log(`OK ${what}: ${line}`);
  code = 0;
} catch (e) {
  console.log(`FAIL ${what}: ${e.message}`);
} finally {
  clearTimeout(timer);
  // The outcome is known: an error while closing (xmpp.js 0.14 can read data that arrives after
  // its stop() tore the parser down) is reported but does not change it.
  process.on("uncaughtException", (e) => console.error(`while closing: ${e.stack ?? e}`));
  // Close both streams (</stream:stream>), at most 3 s.
  await Promise.race([
    Promise.allSettled(opened.map((c) => c.xmpp.stop())),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ]);
}
process.exit(code);
