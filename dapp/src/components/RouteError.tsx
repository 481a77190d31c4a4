import { isRouteErrorResponse, Link, useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Something went wrong.";
  return (
    <main className="main">
      <h1>Something went wrong</h1>
      <p role="alert">{message}</p>
      <p>Nothing was lost: your points live on-chain, not in this page.</p>
      <Link to="/">Back to your wallet</Link>
    </main>
  );
}
