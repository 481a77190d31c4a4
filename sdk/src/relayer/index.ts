// The relayer's server side, for Node only (node:http, node:fs): import it from "sdk/src/relayer", never from the
// SDK's index, which the dApp bundles. The browser side is relayerClient.ts.
export * from "./server";
export * from "./store";
export * from "./limits";
export * from "./validate";
