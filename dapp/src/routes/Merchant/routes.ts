import type { RouteObject } from "react-router";

/** The merchant back office: a shell with its own navigation, and one lazy chunk per page. */
export const merchantRoutes: RouteObject[] = [
  {
    lazy: () => import("./index").then((m) => ({ Component: m.default })),
    children: [
      { index: true, lazy: () => import("./Overview").then((m) => ({ Component: m.default })) },
      { path: "new", lazy: () => import("./Create").then((m) => ({ Component: m.default })) },
      { path: "pos", lazy: () => import("./Pos").then((m) => ({ Component: m.default })) },
      { path: "batches", lazy: () => import("./Batches").then((m) => ({ Component: m.default })) },
      { path: "campaign/:address", lazy: () => import("./Campaign").then((m) => ({ Component: m.default })) },
      { path: "rewards", lazy: () => import("./Rewards").then((m) => ({ Component: m.default })) },
      { path: "stats", lazy: () => import("./Stats").then((m) => ({ Component: m.default })) },
    ],
  },
];
