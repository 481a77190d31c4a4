// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICampaignFactory} from "../interfaces/ICampaignFactory.sol";
import {ICashOutGateway} from "../interfaces/ICashOutGateway.sol";

/// @title CashOutGateway
/// @notice Operators' funded bids for loyalty points, paid in a stablecoin. See ICashOutGateway.
/// @dev A bid takes five slots, laid out for the sale, which reads four of them and writes one:
///   slot 0  token (160) | price (96)              read: what is bought, at what price
///   slot 1  stablecoin (160) | expiresAt (40)     read: what is paid, until when
///   slot 2  funds (128) | remainingPoints (128)   read and written: both change with every sale
///   slot 3  recipient (160)                       read: where the points go
///   slot 4  operator (160)                        never read by a sale, only by the operator's functions
/// Funds live in the bid rather than in a per-operator balance, so a sale writes one slot instead of two and
/// the solvency invariant (balance of each stablecoin = sum of its open bids' funds) holds bid by bid.
contract CashOutGateway is ICashOutGateway, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// Base units of one whole point: every factory token has 18 decimals.
    uint256 private constant _WHOLE_POINT = 1e18;

    /// @inheritdoc ICashOutGateway
    ICampaignFactory public immutable factory;

    uint256 private _bidCount;
    mapping(uint256 bidId => Bid) private _bids;

    constructor(ICampaignFactory factory_) {
        factory = factory_;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICashOutGateway
    function bidCount() external view returns (uint256) {
        return _bidCount;
    }

    /// @inheritdoc ICashOutGateway
    function bidOf(uint256 bidId) external view returns (Bid memory) {
        return _bids[bidId];
    }

    /// @inheritdoc ICashOutGateway
    function quote(uint256 bidId, uint256 points) external view returns (uint256) {
        return Math.mulDiv(points, _bids[bidId].price, _WHOLE_POINT);
    }

    // ---------------------------------------------------------------- operators

    /// @inheritdoc ICashOutGateway
    function postBid(
        address token,
        address stablecoin,
        address recipient,
        uint256 price,
        uint256 maxPoints,
        uint256 expiresAt,
        uint256 funds
    ) external nonReentrant returns (uint256 bidId) {
        if (!factory.isToken(token)) revert CashOutGatewayUnknownToken(token);
        if (stablecoin.code.length == 0) revert CashOutGatewayInvalidStablecoin(stablecoin);
        if (recipient == address(this)) revert CashOutGatewayInvalidRecipient(recipient);
        if (price == 0) revert CashOutGatewayZeroPrice();
        if (maxPoints == 0) revert CashOutGatewayZeroMaxPoints();
        if (expiresAt <= block.timestamp) revert CashOutGatewayInvalidExpiry(expiresAt);
        if (recipient == address(0)) recipient = msg.sender;

        bidId = ++_bidCount;
        _bids[bidId] = Bid({
            token: token,
            price: SafeCast.toUint96(price),
            stablecoin: stablecoin,
            expiresAt: SafeCast.toUint40(expiresAt),
            funds: SafeCast.toUint128(funds),
            remainingPoints: SafeCast.toUint128(maxPoints),
            recipient: recipient,
            operator: msg.sender
        });
        emit BidPosted(bidId, msg.sender, token, stablecoin, recipient, price, maxPoints, uint40(expiresAt), funds);
        if (funds != 0) _pull(stablecoin, funds);
    }

    /// @inheritdoc ICashOutGateway
    function topUp(uint256 bidId, uint256 amount) external nonReentrant {
        Bid storage bid = _operatedBid(bidId);
        uint256 funds = bid.funds + amount;
        bid.funds = SafeCast.toUint128(funds);
        emit BidFunded(bidId, amount, funds);
        _pull(bid.stablecoin, amount);
    }

    /// @inheritdoc ICashOutGateway
    function reprice(uint256 bidId, uint256 price) external nonReentrant {
        Bid storage bid = _operatedBid(bidId);
        if (price == 0) revert CashOutGatewayZeroPrice();
        bid.price = SafeCast.toUint96(price);
        emit BidRepriced(bidId, price);
    }

    /// @inheritdoc ICashOutGateway
    function withdraw(uint256 bidId, uint256 amount) external nonReentrant {
        Bid storage bid = _operatedBid(bidId);
        uint256 funds = bid.funds;
        if (amount > funds) revert CashOutGatewayInsufficientFunds(bidId, amount, funds);
        // Cannot underflow: amount <= funds.
        unchecked {
            funds -= amount;
        }
        bid.funds = uint128(funds);
        emit FundsWithdrawn(bidId, amount, funds);
        IERC20(bid.stablecoin).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICashOutGateway
    function close(uint256 bidId) external nonReentrant {
        Bid storage bid = _operatedBid(bidId);
        uint256 refund = bid.funds;
        IERC20 stablecoin = IERC20(bid.stablecoin);
        delete _bids[bidId];
        emit BidClosed(bidId, refund);
        if (refund != 0) stablecoin.safeTransfer(msg.sender, refund);
    }

    // ---------------------------------------------------------------- sellers

    /// @inheritdoc ICashOutGateway
    function sell(uint256 bidId, uint256 points, uint256 minAmountOut, uint256 deadline)
        external
        nonReentrant
        returns (uint256)
    {
        return _sell(bidId, points, minAmountOut, deadline);
    }

    /// @inheritdoc ICashOutGateway
    function sellWithPermit(
        uint256 bidId,
        uint256 points,
        uint256 minAmountOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256) {
        address token = _bids[bidId].token;
        if (token == address(0)) revert CashOutGatewayUnknownBid(bidId);
        // A failed permit is ignored: whoever copied it from the mempool and used it first set the very allowance
        // it grants, and without that allowance the transfer in `_sell` reverts anyway.
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(token).permit(msg.sender, address(this), points, deadline, v, r, s) {} catch {}
        return _sell(bidId, points, minAmountOut, deadline);
    }

    // ---------------------------------------------------------------- internals

    function _sell(uint256 bidId, uint256 points, uint256 minAmountOut, uint256 deadline)
        private
        returns (uint256 amountOut)
    {
        if (block.timestamp > deadline) revert CashOutGatewayDeadlinePassed(deadline);
        Bid storage bid = _bids[bidId];
        // Each slot the sale needs is read once, here (see the layout above).
        address token = bid.token;
        uint256 price = bid.price;
        address stablecoin = bid.stablecoin;
        uint40 expiresAt = bid.expiresAt;
        uint256 funds = bid.funds;
        uint256 remainingPoints = bid.remainingPoints;
        if (token == address(0)) revert CashOutGatewayUnknownBid(bidId);
        if (block.timestamp > expiresAt) revert CashOutGatewayBidExpired(bidId, expiresAt);
        if (points > remainingPoints) revert CashOutGatewayBidExhausted(bidId, points, remainingPoints);
        // Cannot overflow: points <= remainingPoints < 2^128 and price < 2^96.
        unchecked {
            amountOut = (points * price) / _WHOLE_POINT;
        }
        if (amountOut == 0) revert CashOutGatewayZeroPayout(points, price);
        if (amountOut < minAmountOut) revert CashOutGatewayInsufficientOutput(amountOut, minAmountOut);
        if (amountOut > funds) revert CashOutGatewayInsufficientFunds(bidId, amountOut, funds);

        // Cannot underflow: amountOut <= funds and points <= remainingPoints, checked above.
        unchecked {
            bid.funds = uint128(funds - amountOut);
            bid.remainingPoints = uint128(remainingPoints - points);
        }
        emit PointsSold(bidId, msg.sender, points, amountOut);
        IERC20(token).safeTransferFrom(msg.sender, bid.recipient, points);
        IERC20(stablecoin).safeTransfer(msg.sender, amountOut);
    }

    /// The open bid `bidId`, if the caller operates it.
    function _operatedBid(uint256 bidId) private view returns (Bid storage bid) {
        bid = _bids[bidId];
        address operator = bid.operator;
        if (operator != msg.sender) {
            if (operator == address(0)) revert CashOutGatewayUnknownBid(bidId);
            revert CashOutGatewayUnauthorizedOperator(bidId, msg.sender);
        }
    }

    /// Takes `amount` of `stablecoin` from the caller and refuses it unless all of it arrived.
    function _pull(address stablecoin, uint256 amount) private {
        uint256 balanceBefore = IERC20(stablecoin).balanceOf(address(this));
        IERC20(stablecoin).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(stablecoin).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert CashOutGatewayFeeOnTransfer(stablecoin, amount, received);
    }
}
