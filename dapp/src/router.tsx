import { createBrowserRouter } from "react-router";
import { Layout } from "./components/Layout";
import { RouteError } from "./components/RouteError";
import { merchantRoutes } from "./routes/Merchant/routes";

/** Every page is its own chunk: the first load only brings the shell and the page asked for. */
export const router = createBrowserRouter([
  {
    path: "/",
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, lazy: () => import("./routes/Wallet").then((m) => ({ Component: m.default })) },
      { path: "claim", lazy: () => import("./routes/Claim").then((m) => ({ Component: m.default })) },
      { path: "merchant", children: merchantRoutes },
      { path: "privacy", lazy: () => import("./routes/Privacy").then((m) => ({ Component: m.default })) },
      { path: "rewards", lazy: () => import("./routes/Rewards").then((m) => ({ Component: m.default })) },
      { path: "trade", lazy: () => import("./routes/Trade").then((m) => ({ Component: m.default })) },
      { path: "cash-out", lazy: () => import("./routes/CashOut").then((m) => ({ Component: m.default })) },
      { path: "offers", lazy: () => import("./routes/Offers").then((m) => ({ Component: m.default })) },
      { path: "exchange", lazy: () => import("./routes/Exchange").then((m) => ({ Component: m.default })) },
      { path: "*", lazy: () => import("./routes/NotFound").then((m) => ({ Component: m.default })) },
    ],
  },
]);
