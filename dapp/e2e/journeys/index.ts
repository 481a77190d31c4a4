import type { Journey, PendingJourney } from "../support/runner";
import { claimJourneys } from "./claim";
import { marketJourneys } from "./market";
import { merchantJourneys } from "./merchant";
import { pageJourneys } from "./pages";
import { rewardJourneys } from "./rewards";
import { walletJourneys } from "./wallet";

/** Every journey, in the order they run (they share one chain; each uses accounts of its own). */
export const journeys: Journey[] = [
  ...merchantJourneys,
  ...claimJourneys,
  ...walletJourneys,
  ...rewardJourneys,
  ...marketJourneys,
  ...pageJourneys,
];

/** Journeys whose pages or contracts are not built yet: listed on every run, never counted as passed. */
export const pendingJourneys: PendingJourney[] = [];
