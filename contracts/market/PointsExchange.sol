// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICampaignFactory} from "../interfaces/ICampaignFactory.sol";
import {IPointsExchange, OrderId} from "../interfaces/IPointsExchange.sol";

/// @title PointsExchange
/// @notice Escrowed order book between factory tokens and allow-listed stablecoins.
/// @dev Orders live in a mapping by id and nothing iterates, so a fill or a cancel costs the same with one open
/// order or ten thousand. Every state-changing function is `nonReentrant` and changes state before it moves tokens.
contract PointsExchange is IPointsExchange, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// An open order is one storage slot, the only one a fill reads and writes:
    ///     bits   0..111  sellAmount left    (uint112, as Uniswap V2 reserves)
    ///     bits 112..223  buyAmount left     (uint112)
    ///     bits 224..255  expiresAt          (uint32, seconds: until 2106)
    /// Why one slot: a fill is mostly two token transfers and the 21,000 base, which leaves room for one cold
    /// slot under its 65,000 gas target. So the terms (maker and two tokens, 480 bits) are not stored: the order's
    /// id is their hash and callers pass them back, about 1,100 gas of calldata instead of 4,200 for two more
    /// cold slots; creating an order writes one fresh slot instead of three. 112-bit amounts leave room for the
    /// expiry. Packed by hand (`_pack`, `_unpack`) so that a fill is exactly one SLOAD and one SSTORE, in a struct
    /// so that a fill can hold a storage pointer and hash the mapping key once.
    /// A closed order's slot is zero (deleting it refunds most of its cost): an open order always has something
    /// left to sell.
    struct OpenOrder {
        uint256 packed;
    }

    /// What the exchange knows of a token, in one slot: whether the factory created it (cached on first use: the
    /// factory never forgets a token) and whether the owner allow-lists it as a stablecoin.
    struct TokenInfo {
        bool factoryToken;
        bool stablecoin;
    }

    /// @inheritdoc IPointsExchange
    ICampaignFactory public immutable factory;

    uint64 private _orderCount;
    mapping(OrderId orderId => OpenOrder) private _openOrders;
    mapping(address token => TokenInfo) private _tokenInfo;

    /// @param factory_ The factory whose tokens are accepted.
    /// @param initialOwner Manages the stablecoin allow-list (and nothing else).
    constructor(ICampaignFactory factory_, address initialOwner) Ownable(initialOwner) {
        factory = factory_;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IPointsExchange
    function isStablecoin(address token) external view returns (bool) {
        return _tokenInfo[token].stablecoin;
    }

    /// @inheritdoc IPointsExchange
    function isAccepted(address token) external view returns (bool) {
        TokenInfo memory info = _tokenInfo[token];
        return info.stablecoin || info.factoryToken || factory.isToken(token);
    }

    /// @inheritdoc IPointsExchange
    function orderCount() external view returns (uint256) {
        return _orderCount;
    }

    /// @inheritdoc IPointsExchange
    function orderIdOf(Order calldata order) external pure returns (OrderId) {
        return _orderIdOf(order);
    }

    /// @inheritdoc IPointsExchange
    function remaining(OrderId orderId) external view returns (uint112, uint112, uint32) {
        (uint256 sellLeft, uint256 buyLeft, uint256 expiresAt) = _unpack(_openOrders[orderId].packed);
        return (uint112(sellLeft), uint112(buyLeft), uint32(expiresAt));
    }

    /// @inheritdoc IPointsExchange
    function quote(Order calldata order, uint256 sellAmount) external view returns (uint256) {
        OrderId orderId = _orderIdOf(order);
        (uint256 sellLeft, uint256 buyLeft, uint256 expiresAt) = _unpack(_openOrders[orderId].packed);
        return _quote(orderId, sellLeft, buyLeft, expiresAt, sellAmount);
    }

    // ---------------------------------------------------------------- trading

    /// @inheritdoc IPointsExchange
    function createOrder(address sellToken, address buyToken, uint112 sellAmount, uint112 buyAmount, uint32 expiresAt)
        external
        nonReentrant
        returns (OrderId orderId, Order memory order)
    {
        if (sellAmount == 0 || buyAmount == 0) revert PointsExchangeZeroAmount(sellAmount, buyAmount);
        if (expiresAt <= block.timestamp) revert PointsExchangeInvalidExpiry(expiresAt, block.timestamp);
        if (sellToken == buyToken) revert PointsExchangeSameToken(sellToken);
        _checkAccepted(sellToken);
        _checkAccepted(buyToken);

        order = Order(msg.sender, sellToken, buyToken, ++_orderCount);
        orderId = OrderId.wrap(uint256(keccak256(abi.encode(order))));
        _openOrders[orderId].packed = _pack(sellAmount, buyAmount, expiresAt);
        emit OrderCreated(orderId, msg.sender, sellToken, buyToken, order.nonce, sellAmount, buyAmount, expiresAt);

        uint256 balanceBefore = IERC20(sellToken).balanceOf(address(this));
        IERC20(sellToken).safeTransferFrom(msg.sender, address(this), sellAmount);
        uint256 received = IERC20(sellToken).balanceOf(address(this)) - balanceBefore;
        if (received != sellAmount) revert PointsExchangeFeeOnTransfer(sellToken, sellAmount, received);
    }

    /// @inheritdoc IPointsExchange
    function fill(Order calldata order, uint256 sellAmount, uint256 maxBuyAmount)
        external
        nonReentrant
        returns (uint256 buyAmount)
    {
        OrderId orderId = _orderIdOf(order);
        OpenOrder storage open = _openOrders[orderId];
        uint256 packed = open.packed;
        (uint256 sellLeft, uint256 buyLeft, uint256 expiresAt) = _unpack(packed);
        buyAmount = _quote(orderId, sellLeft, buyLeft, expiresAt, sellAmount);
        if (buyAmount > maxBuyAmount) revert PointsExchangeBuyAmountAboveMaximum(orderId, buyAmount, maxBuyAmount);

        // Both amounts are taken off in place: `_quote` checked sellAmount <= sellLeft, and so buyAmount <= buyLeft,
        // so neither field borrows from the next one up and the expiry is untouched.
        unchecked {
            sellLeft -= sellAmount;
            open.packed = sellLeft == 0 ? 0 : packed - (sellAmount | (buyAmount << 112));
        }
        emit OrderFilled(orderId, msg.sender, sellAmount, buyAmount, sellLeft);

        (address maker, address sellToken, address buyToken) = _termsOf(order);
        IERC20(buyToken).safeTransferFrom(msg.sender, maker, buyAmount);
        IERC20(sellToken).safeTransfer(msg.sender, sellAmount);
    }

    /// @inheritdoc IPointsExchange
    function cancel(Order calldata order) external nonReentrant {
        OrderId orderId = _orderIdOf(order);
        (uint256 sellAmount,,) = _unpack(_openOrders[orderId].packed);
        if (sellAmount == 0) revert PointsExchangeOrderNotOpen(orderId);
        if (msg.sender != order.maker) revert PointsExchangeNotMaker(orderId, msg.sender);
        delete _openOrders[orderId];
        emit OrderCancelled(orderId, sellAmount);
        IERC20(order.sellToken).safeTransfer(order.maker, sellAmount);
    }

    /// @inheritdoc IPointsExchange
    function returnExpired(Order calldata order) external nonReentrant {
        OrderId orderId = _orderIdOf(order);
        (uint256 sellAmount,, uint256 expiresAt) = _unpack(_openOrders[orderId].packed);
        if (sellAmount == 0) revert PointsExchangeOrderNotOpen(orderId);
        if (block.timestamp < expiresAt) revert PointsExchangeOrderNotExpired(orderId, uint32(expiresAt));
        delete _openOrders[orderId];
        emit OrderExpired(orderId, msg.sender, sellAmount);
        IERC20(order.sellToken).safeTransfer(order.maker, sellAmount);
    }

    // ---------------------------------------------------------------- owner

    /// @inheritdoc IPointsExchange
    function setStablecoin(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert PointsExchangeInvalidStablecoin(token);
        _tokenInfo[token].stablecoin = allowed;
        emit StablecoinSet(token, allowed);
    }

    // ---------------------------------------------------------------- internals

    /// `keccak256(abi.encode(order))`, hashed straight from calldata: the terms are four static words.
    function _orderIdOf(Order calldata order) private pure returns (OrderId orderId) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, order, 0x80)
            orderId := keccak256(ptr, 0x80)
        }
    }

    /// The terms of an order known to be open, read without the ABI decoder's checks: the order's id is the hash
    /// of these very words, and an open order's words were written by `abi.encode` at creation, so they are clean.
    /// Saves a few hundred gas on every fill.
    function _termsOf(Order calldata order) private pure returns (address maker, address sellToken, address buyToken) {
        assembly ("memory-safe") {
            maker := calldataload(order)
            sellToken := calldataload(add(order, 0x20))
            buyToken := calldataload(add(order, 0x40))
        }
    }

    /// The cost of taking `sellAmount` from an order with `sellLeft` for `buyLeft` left, rounded up; reverts on
    /// everything `fill` refuses but the taker's price limit.
    function _quote(OrderId orderId, uint256 sellLeft, uint256 buyLeft, uint256 expiresAt, uint256 sellAmount)
        private
        view
        returns (uint256 buyAmount)
    {
        if (sellLeft == 0) revert PointsExchangeOrderNotOpen(orderId);
        if (block.timestamp >= expiresAt) revert PointsExchangeOrderExpired(orderId, uint32(expiresAt));
        if (sellAmount > sellLeft) revert PointsExchangeOverfill(orderId, sellAmount, sellLeft);
        // Cannot overflow: both factors are below 2**112 (sellAmount <= sellLeft), and the quotient is at most buyLeft.
        unchecked {
            buyAmount = (sellAmount * buyLeft + sellLeft - 1) / sellLeft;
        }
        if (buyAmount == 0) revert PointsExchangeZeroFill(orderId, sellAmount, buyAmount);
    }

    function _pack(uint112 sellAmount, uint112 buyAmount, uint32 expiresAt) private pure returns (uint256) {
        return uint256(sellAmount) | (uint256(buyAmount) << 112) | (uint256(expiresAt) << 224);
    }

    function _unpack(uint256 packed) private pure returns (uint256 sellAmount, uint256 buyAmount, uint256 expiresAt) {
        return (uint112(packed), uint112(packed >> 112), packed >> 224);
    }

    /// Reverts unless new orders may use `token`; remembers a factory token the first time it is traded.
    function _checkAccepted(address token) private {
        TokenInfo memory info = _tokenInfo[token];
        if (info.stablecoin || info.factoryToken) return;
        if (!factory.isToken(token)) revert PointsExchangeTokenNotAccepted(token);
        _tokenInfo[token].factoryToken = true;
    }
}
