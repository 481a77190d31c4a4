import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";
import {
  CODE_LEAF_ENCODING,
  FastMerkleTree,
  codeLeafHash,
  leafNode,
  proofFromFrontier,
  verifyMerkleProof,
} from "./merkleTree";

const values = (count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      [BigInt(1000 + i), getAddress(keccak256(toHex(`key/${i}`)).slice(0, 42)), BigInt(i % 3) * 10n ** 18n] as [
        bigint,
        string,
        bigint,
      ],
  );

const treeOf = (rows: [bigint, string, bigint][], sortLeaves?: boolean) =>
  FastMerkleTree.fromCodes(rows.length, (i) => ({ index: rows[i][0], claimKey: rows[i][1], points: rows[i][2] }), {
    sortLeaves,
  });

/** Every node that proves leaves [start, end), found the slow way: siblings of ancestors that are not ancestors. */
function bruteForceFrontier(leafCount: number, start: number, end: number): number[] {
  const covered = new Set<number>();
  for (let position = start; position < end; position++) {
    for (let node = leafNode(leafCount, position); ; node = (node - 1) >> 1) {
      covered.add(node);
      if (node === 0) break;
    }
  }
  const frontier = [...covered].filter((node) => node > 0).map((node) => (node % 2 === 1 ? node + 1 : node - 1));
  return [...new Set(frontier.filter((node) => !covered.has(node)))].sort((a, b) => a - b);
}

describe("FastMerkleTree", () => {
  it("has StandardMerkleTree's root and proofs, sorted or in input order", () => {
    for (const count of [1, 2, 3, 37, 64, 100]) {
      const rows = values(count);
      for (const sortLeaves of [true, false]) {
        const ours = treeOf(rows, sortLeaves);
        const theirs = StandardMerkleTree.of(rows, [...CODE_LEAF_ENCODING], { sortLeaves });
        expect(ours.root).toBe(theirs.root);
        rows.forEach((row, i) => {
          expect(ours.proof(i)).toEqual(theirs.getProof(i));
          expect(StandardMerkleTree.verify(ours.root, [...CODE_LEAF_ENCODING], row, ours.proof(i))).toBe(true);
        });
      }
    }
  });

  it("verifies its proofs with verifyMerkleProof and rejects another leaf's", () => {
    const rows = values(9);
    const tree = treeOf(rows);
    const leaf = (i: number) => codeLeafHash({ index: rows[i][0], claimKey: rows[i][1], points: rows[i][2] });
    expect(verifyMerkleProof(tree.root, leaf(4), tree.proof(4))).toBe(true);
    expect(verifyMerkleProof(tree.root, leaf(5), tree.proof(4))).toBe(false);
  });

  describe("frontier", () => {
    it("is exactly the siblings of the range's ancestors that are not ancestors, for every range of small trees", () => {
      for (const count of [1, 2, 3, 5, 8, 13, 33]) {
        const tree = treeOf(values(count), false);
        for (let start = 0; start < count; start++) {
          for (let end = start + 1; end <= count; end++) {
            expect([...tree.frontier(start, end).keys()].sort((a, b) => a - b)).toEqual(
              bruteForceFrontier(count, start, end),
            );
          }
        }
      }
    });

    it("proves every leaf of its range with proofFromFrontier, and refuses a leaf outside it", () => {
      const rows = values(1000);
      const tree = treeOf(rows, false);
      const leaves = rows.map((row) => codeLeafHash({ index: row[0], claimKey: row[1], points: row[2] }));
      for (const [start, end] of [
        [0, 1],
        [0, 250],
        [300, 555],
        [999, 1000],
        [487, 540],
      ]) {
        const frontier = tree.frontier(start, end);
        const leafAt = (position: number) => (position >= start && position < end ? leaves[position] : undefined);
        for (let position = start; position < end; position++) {
          expect(proofFromFrontier(rows.length, position, frontier, leafAt)).toEqual(tree.proof(position));
        }
        // A few nodes per level, whatever the range's size.
        expect(frontier.size).toBeLessThanOrEqual(4 * 11);
        const far = start >= 10 ? 0 : 999;
        expect(() => proofFromFrontier(rows.length, far, frontier, leafAt)).toThrow(/does not reach/);
      }
    });
  });
});
