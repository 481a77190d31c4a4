import { Link } from "react-router";

export default function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This address has no page. <Link to="/">Go to your wallet</Link>.
      </p>
    </section>
  );
}
