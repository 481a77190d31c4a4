// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILoyaltyToken
/// @notice A brand's loyalty points: a plain ERC-20 (18 decimals, EIP-2612 permit) that exchanges, wallets
/// and DEXs integrate with no special case. No transfer fee, no rebasing, no pause, no blacklist, and no
/// power of the owner over anyone's balance: the owner can only choose who may mint new points and edit
/// the token's metadata. The token's campaigns mint without being listed (see `isMinter`). Holders may burn their own points (redeeming a reward does exactly that).
interface ILoyaltyToken {
    /// @notice `caller` may not mint: only the token's minters (the merchant's campaigns) can.
    error LoyaltyTokenUnauthorizedMinter(address caller);
    /// @notice `caller` is neither the token's owner nor the factory that created it.
    error LoyaltyTokenUnauthorizedAccount(address caller);
    /// @notice Points cannot be sent or minted to `receiver` (the zero address): they would be lost.
    error LoyaltyTokenInvalidReceiver(address receiver);
    /// @notice A minter cannot be the zero address.
    error LoyaltyTokenInvalidMinter(address minter);
    /// @notice `campaign` is one of this token's campaigns, which mint by construction: the minter list cannot
    /// grant or stop it. Pause or end the campaign itself instead.
    error LoyaltyTokenCampaignMinter(address campaign);
    /// @notice `record` is not a campaign record: it must fit 144 bits and name its campaign in the top 32.
    error LoyaltyTokenInvalidRecord(uint256 record);

    /// @notice `minter` was allowed (`allowed` true) or stopped (`allowed` false) from minting.
    event MinterSet(address indexed minter, bool allowed);
    /// @notice The face value changed: `faceValue` millionths of the reference currency per whole point.
    event FaceValueSet(uint256 faceValue);
    /// @notice The metadata URI (logo, description) changed.
    event MetadataURISet(string metadataURI);


    /// @notice The factory that created this token; it may add minters on the owner's behalf.
    function factory() external view returns (address);

    /// @notice Whether `account` may mint: the current owner, a minter the owner added, or an active campaign of this
    /// token (a clone of the factory's campaign implementation whose rules name this token, activated by the factory
    /// when it created it or by the token's owner: see ICampaign.activate; a clone nobody activated is not a minter).
    function isMinter(address account) external view returns (bool);

    /// @notice Value of one whole point in millionths of the merchant's reference currency (6 decimals, like
    /// USDC); 0 when the merchant states none. Metadata for liability accounting and gateways: nothing on
    /// chain promises to pay it.
    function faceValue() external view returns (uint256);

    /// @notice URI of the token's metadata document (logo, description, website).
    function metadataURI() external view returns (string memory);

    /// @notice Mints `amount` points to `to`. Only minters.
    /// @param to Recipient of the new points.
    /// @param amount Points in base units (18 decimals).
    function mint(address to, uint256 amount) external;

    /// @notice The campaign record kept beside `account`'s balance: 0 when none, else the number of the campaign that
    /// keeps it (ICampaign.serial, nonzero) in bits 112..143 and that campaign's record of the wallet (its tier
    /// buckets and claim count: see ICampaign.accountOf) in bits 0..111.
    /// @dev Balances are at most 2^112 - 1 base units (so is the total supply: `TotalSupplyOverflow` above it), and
    /// the upper 144 bits of each balance's storage slot hold this record. The first campaign of the token with
    /// tiers or milestones that a wallet claims from keeps its record of the wallet here, and no other campaign does
    /// until that one is retired (ICampaign.retire): the record is then written in the same storage write as the
    /// minted points, where a record of its own would cost a wallet's first claim a new storage slot (20,000 gas
    /// more). Transfers, burns and plain mints leave the record as it is.
    function recordOf(address account) external view returns (uint256);


    /// @notice Mints `amount` points to `to`, like `mint`, and stores `record` as `to`'s campaign record (see
    /// `recordOf`). Only this token's campaigns; the record must name a campaign (bits 112..143 nonzero, nothing
    /// above). Which campaign may keep a wallet's record here is the campaigns' rule (the token trusts its campaigns
    /// with records as it does with minting): the slot's campaign, any when it is free, any when its campaign was
    /// retired (ICampaign.retire).
    function mintWithRecord(address to, uint256 amount, uint256 record) external;

    /// @notice Burns `amount` of the caller's own points.
    function burn(uint256 amount) external;

    /// @notice Burns `amount` points of `account`, spending the caller's allowance (the holder's consent).
    function burnFrom(address account, uint256 amount) external;

    /// @notice Allows or stops a minter other than the token's campaigns (see `isMinter`). Only the owner, or the
    /// factory on the owner's behalf.
    function setMinter(address minter, bool allowed) external;

    /// @notice Sets the face value (metadata only). Only the owner.
    function setFaceValue(uint256 newFaceValue) external;

    /// @notice Sets the metadata URI. Only the owner.
    function setMetadataURI(string calldata newMetadataURI) external;
}
