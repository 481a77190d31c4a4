export default function Claim() {
  return (
    <section>
      <h1>Claim</h1>
    </section>
  );
}
