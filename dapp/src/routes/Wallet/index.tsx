export default function Wallet() {
  return (
    <section>
      <h1>Wallet</h1>
    </section>
  );
}
