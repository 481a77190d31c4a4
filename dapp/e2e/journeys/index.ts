import type { Journey, PendingJourney } from "../support/runner";
import { claimJourneys } from "./claim";
import { pageJourneys } from "./pages";

/** Every journey, in the order they run (they share one chain; each uses accounts of its own). */
export const journeys: Journey[] = [...claimJourneys, ...pageJourneys];

/** Journeys whose pages or contracts are not built yet: listed on every run, never counted as passed. */
export const pendingJourneys: PendingJourney[] = [];
