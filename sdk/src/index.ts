export * from "./claimCode";
