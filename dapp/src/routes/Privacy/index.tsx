export default function Privacy() {
  return (
    <section>
      <h1>Privacy</h1>
    </section>
  );
}
