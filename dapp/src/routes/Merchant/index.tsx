export default function Merchant() {
  return (
    <section>
      <h1>Merchant</h1>
    </section>
  );
}
