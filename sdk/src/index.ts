export * from "./claimCode";
export * from "./devAccounts";
export * from "./generated/abis";
export * from "./addresses";
export * from "./chains";
export * from "./errors";
export * from "./actions/write";
export * from "./actions/token";
export * from "./actions/factory";
export * from "./actions/merchant";
export * from "./actions/campaign";
export * from "./codeDelivery";
export * from "./actions/allowance";
export * from "./actions/logs";
export * from "./actions/rewards";
export * from "./actions/market";
export * from "./actions/gateway";
export * from "./tiers";
export * from "./indexer/events";
export * from "./indexer/store";
export * from "./indexer/indexer";
export * from "./indexer/idbStore";
export {
  type RangeOptions,
  type RetryOptions,
  type RpcFailure,
  adaptiveRange,
  classifyRpcError,
  suggestedRange,
  withRetry,
} from "./indexer/rpc";
export * from "./stats";
export * from "./offers";
export * from "./relayerClient";
export * from "./merkleTree";
export * from "./keccak";
export * from "./batchKeys";
export * from "./merkleBatch";
export * from "./batchLink";
export * from "./tokenList";
export * from "./depositWatcher";
