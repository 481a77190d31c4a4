// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICampaignFactory} from "./ICampaignFactory.sol";

/// @notice An order's id: `keccak256(abi.encode(order))` of its `IPointsExchange.Order` terms. Every order has its
/// own nonce, so ids are never reused.
type OrderId is uint256;

/// @title IPointsExchange
/// @notice An escrowed order book between loyalty tokens created by the factory and stablecoins allow-listed by
/// the exchange's owner. A maker escrows `sellAmount` of one token for `buyAmount` of another until an expiry;
/// takers fill all or part of it, paying the maker directly; the maker cancels at any time, and anyone may return
/// an expired order's escrow to its maker. The owner manages the stablecoin allow-list and nothing else: no
/// function moves an order's escrow except to its taker (against payment) or to its maker.
///
/// Price and rounding: an order's price is its remaining buy amount over its remaining sell amount, which at
/// creation is `buyAmount / sellAmount`. A taker who takes `sellAmount` pays
/// `ceil(sellAmount * remainingBuy / remainingSell)`: rounding always goes to the maker, so after any sequence of
/// fills the maker has been paid at least the creation price times the amount filled, and taking everything that
/// remains pays exactly the remaining buy amount. The remaining price never rises, so a quote is an upper bound
/// on what the same fill costs later.
///
/// Identity: an order's terms (maker, tokens, nonce) are not stored; its id is their hash, and `fill`, `cancel`
/// and `returnExpired` take the terms back, as `OrderCreated` published them. What can change (the remaining
/// amounts) and the expiry live in one storage slot per order.
///
/// Rebuilding the book off-chain: `OrderCreated` has the terms, the amounts (so the price) and the expiry; each
/// `OrderFilled` has the amounts exchanged and the sell amount left; `OrderCancelled` and `OrderExpired` close an
/// order, as does the fill that takes its last unit (it leaves zero).
interface IPointsExchange {
    /// @notice The terms that identify an order; its id is `keccak256(abi.encode(order))`.
    /// @param maker Who escrowed the sell token and is paid the buy token.
    /// @param sellToken What the maker gives.
    /// @param buyToken What the maker wants.
    /// @param nonce The order's number: 1 for the exchange's first order, then counting up, so no two orders share it.
    struct Order {
        address maker;
        address sellToken;
        address buyToken;
        uint64 nonce;
    }

    /// @notice `token` is neither a token created by the factory nor an allow-listed stablecoin.
    error PointsExchangeTokenNotAccepted(address token);
    /// @notice An order must exchange two different tokens.
    error PointsExchangeSameToken(address token);
    /// @notice An order must sell and ask for more than nothing.
    error PointsExchangeZeroAmount(uint256 sellAmount, uint256 buyAmount);
    /// @notice The expiry must be later than now (`timestamp`).
    error PointsExchangeInvalidExpiry(uint32 expiresAt, uint256 timestamp);
    /// @notice Escrowing `sent` of `token` left the exchange with `received` more: tokens that take a fee on
    /// transfer (or otherwise move balances on their own) are refused.
    error PointsExchangeFeeOnTransfer(address token, uint256 sent, uint256 received);
    /// @notice Order `orderId` is not open: it never existed (wrong terms?), or was filled, cancelled or returned.
    error PointsExchangeOrderNotOpen(OrderId orderId);
    /// @notice Order `orderId` expired at `expiresAt` and can no longer be filled.
    error PointsExchangeOrderExpired(OrderId orderId, uint32 expiresAt);
    /// @notice Order `orderId` is fillable until `expiresAt`: before then only its maker can close it.
    error PointsExchangeOrderNotExpired(OrderId orderId, uint32 expiresAt);
    /// @notice Only the order's maker may cancel it.
    error PointsExchangeNotMaker(OrderId orderId, address caller);
    /// @notice The fill asks for `sellAmount` but only `remaining` is left.
    error PointsExchangeOverfill(OrderId orderId, uint256 sellAmount, uint256 remaining);
    /// @notice A fill must take something and pay something: taking `sellAmount` would pay `buyAmount`.
    error PointsExchangeZeroFill(OrderId orderId, uint256 sellAmount, uint256 buyAmount);
    /// @notice The fill would cost `buyAmount`, more than the taker's `maxBuyAmount`.
    error PointsExchangeBuyAmountAboveMaximum(OrderId orderId, uint256 buyAmount, uint256 maxBuyAmount);
    /// @notice The zero address cannot be a stablecoin.
    error PointsExchangeInvalidStablecoin(address token);

    /// @notice `maker` escrowed `sellAmount` of `sellToken` for `buyAmount` of `buyToken` until `expiresAt`; the
    /// order's terms are `Order(maker, sellToken, buyToken, nonce)`.
    event OrderCreated(
        OrderId indexed orderId,
        address indexed maker,
        address indexed sellToken,
        address buyToken,
        uint256 nonce,
        uint256 sellAmount,
        uint256 buyAmount,
        uint256 expiresAt
    );
    /// @notice `taker` took `sellAmount` of the order's sell token and paid its maker `buyAmount`; the order has
    /// `sellAmountRemaining` left (zero: it is filled and closed), for its buy amount less all `buyAmount`s paid.
    event OrderFilled(
        OrderId indexed orderId, address indexed taker, uint256 sellAmount, uint256 buyAmount, uint256 sellAmountRemaining
    );
    /// @notice The maker cancelled the order and got `sellAmountReturned` back; the order is closed.
    event OrderCancelled(OrderId indexed orderId, uint256 sellAmountReturned);
    /// @notice The order had expired; `caller` returned `sellAmountReturned` to its maker; the order is closed.
    event OrderExpired(OrderId indexed orderId, address indexed caller, uint256 sellAmountReturned);
    /// @notice The owner allowed (`allowed` true) or stopped stablecoin `token` for new orders.
    event StablecoinSet(address indexed token, bool allowed);

    /// @notice The factory whose tokens the exchange accepts.
    function factory() external view returns (ICampaignFactory);

    /// @notice Whether `token` is on the owner's stablecoin allow-list.
    function isStablecoin(address token) external view returns (bool);

    /// @notice Whether new orders may sell or ask for `token`: a factory token or an allow-listed stablecoin.
    function isAccepted(address token) external view returns (bool);

    /// @notice How many orders were ever created: the latest order's nonce.
    function orderCount() external view returns (uint256);

    /// @notice The id of the order with these terms.
    function orderIdOf(Order calldata order) external pure returns (OrderId);

    /// @notice What remains of order `orderId` and when it expires; all zero once it is closed (or if it never
    /// existed).
    function remaining(OrderId orderId)
        external
        view
        returns (uint112 sellAmount, uint112 buyAmount, uint32 expiresAt);

    /// @notice What taking `sellAmount` from `order` would cost now; reverts as `fill` would.
    function quote(Order calldata order, uint256 sellAmount) external view returns (uint256 buyAmount);

    /// @notice Escrows `sellAmount` of `sellToken` (approve the exchange first) in a new order asking `buyAmount` of
    /// `buyToken` for it, fillable until `expiresAt`.
    /// @param sellToken What the maker gives: a factory token or an allow-listed stablecoin.
    /// @param buyToken What the maker wants: a factory token or an allow-listed stablecoin.
    /// @param sellAmount Amount escrowed, in `sellToken` base units (112 bits, as Uniswap V2 reserves: over 5e15
    /// whole tokens of 18 decimals).
    /// @param buyAmount Amount asked for all of `sellAmount`, in `buyToken` base units.
    /// @param expiresAt The first second at which the order can no longer be filled (any time up to 2106).
    /// @return orderId The new order's id.
    /// @return order The new order's terms, which `fill`, `cancel` and `returnExpired` take.
    function createOrder(address sellToken, address buyToken, uint112 sellAmount, uint112 buyAmount, uint32 expiresAt)
        external
        returns (OrderId orderId, Order memory order);

    /// @notice Takes `sellAmount` of the order's sell token and pays its maker the price in its buy token, rounded
    /// up (approve the exchange first).
    /// @param order The order's terms, as `OrderCreated` published them.
    /// @param sellAmount Exactly what the taker receives; at most what remains of the order.
    /// @param maxBuyAmount Most the taker agrees to pay; the fill reverts rather than pay more.
    /// @return buyAmount What the taker paid.
    function fill(Order calldata order, uint256 sellAmount, uint256 maxBuyAmount) external returns (uint256 buyAmount);

    /// @notice Closes the order and returns what remains of its escrow to its maker. Only the maker, at any time.
    function cancel(Order calldata order) external;

    /// @notice Closes an expired order and returns what remains of its escrow to its maker. Anyone.
    function returnExpired(Order calldata order) external;

    /// @notice Allows or stops stablecoin `token` for new orders; open orders are never affected. Only the owner.
    function setStablecoin(address token, bool allowed) external;
}
