// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @title IRewardVoucher
/// @notice The vouchers of one reward catalog: an ERC-1155 collection whose id is the reward id. Only the catalog
/// mints, when a customer redeems; vouchers move like any ERC-1155 (gifts), and nobody but their holder (or an
/// operator the holder approved) can move or use them: there is no admin burn and no admin transfer.
///
/// At the till a voucher is used once, which burns one unit: the holder calls `use`, or signs an EIP-712 `Use`
/// message (domain "Perks Reward Voucher", version "1", this contract and the chain id) that the wallet shows as a
/// QR code, and one of the merchant's terminals submits it with `useWithSignature`. A signature names a nonce the
/// holder picks (any unused number, not a sequence) and a deadline; it works once, on this catalog, on this chain.
interface IRewardVoucher is IERC1155MetadataURI, IERC1155Errors {
    /// @notice Only the catalog mints.
    error RewardVoucherUnauthorizedCatalog(address caller);
    /// @notice Only the merchant or one of its terminals (see the catalog's `isTerminal`) submits signed uses.
    error RewardVoucherUnauthorizedTerminal(address caller);
    /// @notice The signed use expired at `deadline`.
    error RewardVoucherSignatureExpired(uint256 deadline);
    /// @notice `holder` already used nonce `nonce`.
    error RewardVoucherNonceUsed(address holder, uint256 nonce);
    /// @notice The signature is not `holder`'s over this use.
    error RewardVoucherInvalidSignature(address holder);
    /// @notice `account` redeemed `redeemed` vouchers of `id` already, and the reward allows `limit` per wallet.
    error RewardVoucherWalletLimitReached(address account, uint256 id, uint256 redeemed, uint256 quantity, uint256 limit);

    /// @notice `holder` used one voucher of `id`; `submitter` is the holder itself or the terminal that submitted
    /// the holder's signature.
    event VoucherUsed(address indexed holder, uint256 indexed id, address indexed submitter);

    /// @notice The catalog this contract issues vouchers for.
    function catalog() external view returns (address);

    /// @notice Vouchers of `id` that `account` redeemed (counted against the reward's per-wallet limit; giving
    /// vouchers away does not change it).
    function redeemedBy(address account, uint256 id) external view returns (uint256);

    /// @notice Whether `holder` used `nonce` in a signed use.
    function isNonceUsed(address holder, uint256 nonce) external view returns (bool);

    /// @notice Mints `amount` vouchers of `id` to `to`, who redeemed them. Only the catalog.
    /// @param walletLimit Most vouchers of `id` that `to` may have redeemed in all; 0 for no limit.
    function mint(address to, uint256 id, uint256 amount, uint256 walletLimit) external;

    /// @notice Uses (burns) one of the caller's vouchers of `id`.
    function use(uint256 id) external;

    /// @notice Uses (burns) one of `holder`'s vouchers of `id` with the holder's signature of
    /// `Use(address holder,uint256 id,uint256 nonce,uint256 deadline)`. Only the merchant or its terminals.
    /// @param signature The holder's 65-byte ECDSA signature, or an ERC-1271 one if the holder is a contract wallet.
    function useWithSignature(address holder, uint256 id, uint256 nonce, uint256 deadline, bytes calldata signature)
        external;
}
