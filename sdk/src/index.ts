export * from "./claimCode";
export * from "./devAccounts";
