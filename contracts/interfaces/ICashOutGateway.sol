// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICampaignFactory} from "./ICampaignFactory.sol";

/// @title ICashOutGateway
/// @notice Points into money. An operator (an exchange, or a merchant buying its own points back at face value)
/// escrows a stablecoin in a bid for one brand's points: a price per whole point, a maximum of points and an
/// expiry. A customer sells into the bid with a minimum amount out and a deadline and receives the stablecoin in
/// the same transaction; the points go straight from the customer to the bid's recipient (the operator, or the
/// address it chose). The operator tops the bid up, reprices it, withdraws unused funds and closes it.
///
/// Funds are held per bid: every unit of stablecoin the gateway holds belongs to exactly one open bid, and only a
/// sale (to its seller) or the bid's operator takes it out. So for every stablecoin the gateway's balance equals
/// the sum of the free funds of the open bids in that stablecoin (tokens sent to the gateway outside these
/// functions are not credited to anyone and stay there).
///
/// Points tokens: only tokens created by the factory. They are plain ERC-20 with EIP-2612 permit, no transfer fee
/// and no hooks, so the recipient receives exactly the points counted against the bid, and a seller cannot be
/// offered a bid for a look-alike token.
/// Stablecoins: any ERC-20 with any number of decimals (USDC has 6); one that takes a fee on transfer is refused
/// when funds come in. Rebasing tokens, or tokens that take fees only on outgoing transfers, are not supported.
///
/// Amounts: points in base units (18 decimals), stablecoin in its own base units, a price in stablecoin base
/// units per whole point (1e18 base units of points). A sale pays `points * price / 1e18` rounded down, so
/// rounding never favours the seller, and a sale that would pay nothing reverts.
interface ICashOutGateway {
    /// @notice An open bid.
    /// @param token The points the bid buys (a factory token).
    /// @param price Stablecoin base units paid per whole point (1e18 base units of `token`).
    /// @param stablecoin What the bid pays in.
    /// @param expiresAt Last second at which the bid can be sold into.
    /// @param funds Stablecoin escrowed for this bid and not yet paid out: the operator's free funds.
    /// @param remainingPoints Points (base units) the bid still buys.
    /// @param recipient Where sold points go.
    /// @param operator Who posted the bid and alone manages it and its funds.
    struct Bid {
        address token;
        uint96 price;
        address stablecoin;
        uint40 expiresAt;
        uint128 funds;
        uint128 remainingPoints;
        address recipient;
        address operator;
    }

    /// @notice `token` was not created by the factory.
    error CashOutGatewayUnknownToken(address token);
    /// @notice `stablecoin` has no code, so it cannot be a token.
    error CashOutGatewayInvalidStablecoin(address stablecoin);
    /// @notice Points cannot go to the gateway itself: nobody could take them out.
    error CashOutGatewayInvalidRecipient(address recipient);
    /// @notice A bid needs a price above zero.
    error CashOutGatewayZeroPrice();
    /// @notice A bid needs a maximum of points above zero.
    error CashOutGatewayZeroMaxPoints();
    /// @notice A bid's expiry must be after now.
    error CashOutGatewayInvalidExpiry(uint256 expiresAt);
    /// @notice No bid `bidId` is open: it was never posted, or it was closed.
    error CashOutGatewayUnknownBid(uint256 bidId);
    /// @notice `caller` is not the operator of bid `bidId`.
    error CashOutGatewayUnauthorizedOperator(uint256 bidId, address caller);
    /// @notice Bid `bidId` expired at `expiredAt`.
    error CashOutGatewayBidExpired(uint256 bidId, uint40 expiredAt);
    /// @notice The seller's deadline `deadline` has passed.
    error CashOutGatewayDeadlinePassed(uint256 deadline);
    /// @notice Bid `bidId` buys at most `remainingPoints` more points; `points` were offered.
    error CashOutGatewayBidExhausted(uint256 bidId, uint256 points, uint256 remainingPoints);
    /// @notice `points` at `price` per whole point pay nothing once rounded down.
    error CashOutGatewayZeroPayout(uint256 points, uint256 price);
    /// @notice The sale would pay `amountOut`, less than the seller's `minAmountOut`.
    error CashOutGatewayInsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// @notice Bid `bidId` has `available` free funds; `needed` were asked for (by a sale or a withdrawal).
    error CashOutGatewayInsufficientFunds(uint256 bidId, uint256 needed, uint256 available);
    /// @notice `stablecoin` delivered `received` of the `expected` amount: tokens with a transfer fee are refused.
    error CashOutGatewayFeeOnTransfer(address stablecoin, uint256 expected, uint256 received);

    /// @notice `operator` posted bid `bidId` for `token`, paying `price` of `stablecoin` per whole point for up
    /// to `maxPoints` until `expiresAt`, funded with `funds`; sold points go to `recipient`.
    event BidPosted(
        uint256 indexed bidId,
        address indexed operator,
        address indexed token,
        address stablecoin,
        address recipient,
        uint256 price,
        uint256 maxPoints,
        uint40 expiresAt,
        uint256 funds
    );
    /// @notice The operator added `amount` to bid `bidId`, whose free funds are now `funds`.
    event BidFunded(uint256 indexed bidId, uint256 amount, uint256 funds);
    /// @notice The operator set the price of bid `bidId` to `price`.
    event BidRepriced(uint256 indexed bidId, uint256 price);
    /// @notice The operator took `amount` out of bid `bidId`, whose free funds are now `funds`.
    event FundsWithdrawn(uint256 indexed bidId, uint256 amount, uint256 funds);
    /// @notice The operator closed bid `bidId` and got its `refund` of free funds back.
    event BidClosed(uint256 indexed bidId, uint256 refund);
    /// @notice `seller` sold `points` into bid `bidId` for `payout` of its stablecoin.
    event PointsSold(uint256 indexed bidId, address indexed seller, uint256 points, uint256 payout);

    /// @notice The factory whose tokens bids may buy.
    function factory() external view returns (ICampaignFactory);

    /// @notice Number of bids ever posted; ids run from 1.
    function bidCount() external view returns (uint256);

    /// @notice Bid `bidId`; all zero once closed or if never posted.
    function bidOf(uint256 bidId) external view returns (Bid memory);

    /// @notice What selling `points` into bid `bidId` pays at its current price, rounded down. Does not check
    /// expiry, remaining points or funds.
    function quote(uint256 bidId, uint256 points) external view returns (uint256 amountOut);

    /// @notice Posts a bid and escrows `funds` of `stablecoin` from the caller, who becomes its operator. The
    /// caller must have approved the gateway for `funds`.
    /// @param token Points to buy: a factory token.
    /// @param stablecoin What the bid pays in; any ERC-20 without a transfer fee.
    /// @param recipient Where sold points go; the zero address for the caller; not the gateway.
    /// @param price Stablecoin base units per whole point (1e18 base units); at most 2^96 - 1.
    /// @param maxPoints Most points (base units) the bid buys; at most 2^128 - 1.
    /// @param expiresAt Last second at which the bid can be sold into; after now, at most 2^40 - 1.
    /// @param funds Stablecoin to escrow now (0 to fund later); at most 2^128 - 1.
    /// @return bidId The new bid's id.
    function postBid(
        address token,
        address stablecoin,
        address recipient,
        uint256 price,
        uint256 maxPoints,
        uint256 expiresAt,
        uint256 funds
    ) external returns (uint256 bidId);

    /// @notice Escrows `amount` more of the bid's stablecoin from the caller. Only the bid's operator.
    function topUp(uint256 bidId, uint256 amount) external;

    /// @notice Sets the bid's price per whole point, lower or higher. Only the bid's operator. A seller whose
    /// sale was in flight is protected by its `minAmountOut`.
    function reprice(uint256 bidId, uint256 price) external;

    /// @notice Sends `amount` of the bid's free funds back to the caller. Only the bid's operator.
    function withdraw(uint256 bidId, uint256 amount) external;

    /// @notice Closes the bid and sends all its free funds back to the caller. Only the bid's operator; an
    /// expired bid too.
    function close(uint256 bidId) external;

    /// @notice Sells `points` of the bid's token into bid `bidId`: the points go from the caller to the bid's
    /// recipient, and the caller receives `points * price / 1e18` (rounded down) of the bid's stablecoin. The
    /// caller must have approved the gateway for `points`.
    /// @param minAmountOut Least stablecoin the caller accepts (guards against a price change in between).
    /// @param deadline Last second at which the sale may execute.
    /// @return amountOut Stablecoin paid to the caller.
    function sell(uint256 bidId, uint256 points, uint256 minAmountOut, uint256 deadline)
        external
        returns (uint256 amountOut);

    /// @notice `sell` with an EIP-2612 permit for exactly `points`, signed by the caller for the gateway with
    /// `deadline` as its deadline, so approving and selling take one transaction. If the permit was already
    /// used (someone copied it from the mempool), the sale relies on the allowance it set.
    function sellWithPermit(
        uint256 bidId,
        uint256 points,
        uint256 minAmountOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountOut);
}
