// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";
import {ERC1155Utils} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Utils.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IRewardCatalog} from "../interfaces/IRewardCatalog.sol";
import {IRewardVoucher} from "../interfaces/IRewardVoucher.sol";
import {CloneArgs} from "../libraries/CloneArgs.sol";

/// @title RewardVoucher
/// @notice Implementation behind every catalog's voucher contract (an EIP-1167 clone whose immutable argument is
/// its catalog). A plain ERC-1155 written for this one use rather than inherited: each wallet's balance of an id
/// shares its storage slot with the number of vouchers of that id the wallet redeemed, which the catalog's
/// per-wallet limit needs (see `Holding`). The standard's errors are OpenZeppelin's (ERC-6093), its receiver checks
/// OpenZeppelin's `ERC1155Utils`.
/// @dev The implementation itself is inert: it has no catalog, so nothing can mint on it.
contract RewardVoucher is IRewardVoucher, EIP712 {
    bytes32 private constant _USE_TYPEHASH = keccak256("Use(address holder,uint256 id,uint256 nonce,uint256 deadline)");

    /// A wallet's vouchers of one id and how many it redeemed, packed into one slot: a redemption writes both, and
    /// a wallet's first redemption would otherwise pay for two new storage slots (about 22 000 gas more).
    struct Holding {
        uint128 balance;
        uint128 redeemed;
    }

    mapping(uint256 id => mapping(address account => Holding)) private _holdings;
    mapping(address account => mapping(address operator => bool)) private _operatorApprovals;
    mapping(address holder => mapping(uint256 word => uint256 bits)) private _usedNonces;

    constructor() EIP712("Perks Reward Voucher", "1") {}

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRewardVoucher
    function catalog() public view returns (address) {
        return CloneArgs.addressAt(0);
    }

    /// @inheritdoc IERC1155
    function balanceOf(address account, uint256 id) external view returns (uint256) {
        return _holdings[id][account].balance;
    }

    /// @inheritdoc IERC1155
    function balanceOfBatch(address[] calldata accounts, uint256[] calldata ids)
        external
        view
        returns (uint256[] memory balances)
    {
        if (accounts.length != ids.length) revert ERC1155InvalidArrayLength(ids.length, accounts.length);
        balances = new uint256[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            balances[i] = _holdings[ids[i]][accounts[i]].balance;
        }
    }

    /// @inheritdoc IERC1155
    function isApprovedForAll(address account, address operator) external view returns (bool) {
        return _operatorApprovals[account][operator];
    }

    /// @inheritdoc IERC1155MetadataURI
    function uri(uint256 id) external view returns (string memory) {
        return IRewardCatalog(catalog()).metadataURI(id);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155).interfaceId || interfaceId == type(IERC1155MetadataURI).interfaceId
            || interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc IRewardVoucher
    function redeemedBy(address account, uint256 id) external view returns (uint256) {
        return _holdings[id][account].redeemed;
    }

    /// @inheritdoc IRewardVoucher
    function isNonceUsed(address holder, uint256 nonce) external view returns (bool) {
        return _usedNonces[holder][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    // ---------------------------------------------------------------- ERC-1155 transfers

    /// @inheritdoc IERC1155
    function setApprovalForAll(address operator, bool approved) external {
        if (operator == address(0)) revert ERC1155InvalidOperator(operator);
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC1155
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external {
        _checkOperator(from);
        _move(from, to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
        ERC1155Utils.checkOnERC1155Received(msg.sender, from, to, id, value, data);
    }

    /// @inheritdoc IERC1155
    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        _checkOperator(from);
        for (uint256 i; i < ids.length; ++i) {
            _move(from, to, ids[i], values[i]);
        }
        emit TransferBatch(msg.sender, from, to, ids, values);
        ERC1155Utils.checkOnERC1155BatchReceived(msg.sender, from, to, ids, values, data);
    }

    // ---------------------------------------------------------------- catalog

    /// @inheritdoc IRewardVoucher
    function mint(address to, uint256 id, uint256 amount, uint256 walletLimit) external {
        if (msg.sender != catalog()) revert RewardVoucherUnauthorizedCatalog(msg.sender);
        Holding memory holding = _holdings[id][to];
        uint256 redeemed = holding.redeemed + amount;
        if (walletLimit != 0 && redeemed > walletLimit) {
            revert RewardVoucherWalletLimitReached(to, id, holding.redeemed, amount, walletLimit);
        }
        // Cannot truncate: the catalog mints at most a reward's supply, a uint32, of each id.
        _holdings[id][to] = Holding({balance: uint128(holding.balance + amount), redeemed: uint128(redeemed)});
        emit TransferSingle(msg.sender, address(0), to, id, amount);
        ERC1155Utils.checkOnERC1155Received(msg.sender, address(0), to, id, amount, "");
    }

    // ---------------------------------------------------------------- use at the till

    /// @inheritdoc IRewardVoucher
    function use(uint256 id) external {
        _burnOne(msg.sender, id);
        emit VoucherUsed(msg.sender, id, msg.sender);
    }

    /// @inheritdoc IRewardVoucher
    function useWithSignature(address holder, uint256 id, uint256 nonce, uint256 deadline, bytes calldata signature)
        external
    {
        if (!IRewardCatalog(catalog()).isTerminal(msg.sender)) revert RewardVoucherUnauthorizedTerminal(msg.sender);
        if (block.timestamp > deadline) revert RewardVoucherSignatureExpired(deadline);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(_USE_TYPEHASH, holder, id, nonce, deadline)));
        if (!SignatureChecker.isValidSignatureNowCalldata(holder, digest, signature)) {
            revert RewardVoucherInvalidSignature(holder);
        }
        uint256 word = _usedNonces[holder][nonce >> 8];
        uint256 bit = 1 << (nonce & 0xff);
        if (word & bit != 0) revert RewardVoucherNonceUsed(holder, nonce);
        _usedNonces[holder][nonce >> 8] = word | bit;
        _burnOne(holder, id);
        emit VoucherUsed(holder, id, msg.sender);
    }

    // ---------------------------------------------------------------- internals

    function _checkOperator(address from) private view {
        if (from != msg.sender && !_operatorApprovals[from][msg.sender]) {
            revert ERC1155MissingApprovalForAll(msg.sender, from);
        }
    }

    function _move(address from, address to, uint256 id, uint256 value) private {
        if (to == address(0)) revert ERC1155InvalidReceiver(to);
        Holding storage source = _holdings[id][from];
        uint256 balance = source.balance;
        if (balance < value) revert ERC1155InsufficientBalance(from, balance, value, id);
        // Cannot underflow: value <= balance. Cannot truncate: value <= balance, a uint128.
        unchecked {
            source.balance = uint128(balance - value);
        }
        _holdings[id][to].balance += uint128(value);
    }

    function _burnOne(address holder, uint256 id) private {
        Holding storage holding = _holdings[id][holder];
        uint256 balance = holding.balance;
        if (balance == 0) revert ERC1155InsufficientBalance(holder, 0, 1, id);
        // Cannot underflow: balance >= 1.
        unchecked {
            holding.balance = uint128(balance - 1);
        }
        emit TransferSingle(msg.sender, holder, address(0), id, 1);
    }
}
